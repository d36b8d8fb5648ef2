package fetch

import (
	"context"

	"github.com/kintone-sql/kintone/internal/rest"
	"github.com/kintone-sql/kintone/internal/scan"
)

// earlyPages are the pages of an offset read asked for before Paging asks
// for them (scan.Paging.Ahead): up to lanes-1 beside the page Paging
// waits for. Each answer is used only where Paging's next request is the
// same query, and Paging checks it as any page, so the read is as exact as
// page after page; where records changed and Paging asks for something
// else, the pages asked for early are dropped (their requests cancelled).
// A nil *earlyPages asks for nothing early.
type earlyPages struct {
	p      *Pager
	lanes  int
	got    int // slots taken from the connector's RequestBudget
	ctx    context.Context
	cancel context.CancelFunc
	sent   map[string]<-chan rawPage // by query
}

// earlyPages returns the early pages of an offset read after its first
// page, whose answer reported the domain's load: nil when the read goes
// page after page (concurrency 1, a read a write moves under, fewer than
// two pages to go, no lane free).
func (p *Pager) earlyPages(pg *scan.Paging, load rest.Load) *earlyPages {
	left := pg.PagesLeft()
	if p.parallel < 2 || !p.read.Parallel || left < 2 {
		return nil
	}
	lanes := domainShare(load, min(p.parallel, left))
	got := p.requests.take(lanes - 1)
	if got == 0 {
		return nil
	}
	ctx, cancel := context.WithCancel(p.ctx)
	e := &earlyPages{p: p, lanes: got + 1, got: got, ctx: ctx, cancel: cancel, sent: map[string]<-chan rawPage{}}
	return e
}

// take returns the answer of req if it was asked for early, else nil; a
// request Paging did not foresee drops every page asked for early.
func (e *earlyPages) take(req scan.PageRequest) <-chan rawPage {
	if e == nil {
		return nil
	}
	if ch, ok := e.sent[req.Query]; ok && req.Fields == nil {
		delete(e.sent, req.Query)
		return ch
	}
	if len(e.sent) > 0 {
		e.cancel()
		e.ctx, e.cancel = context.WithCancel(e.p.ctx)
		clear(e.sent)
	}
	return nil
}

// fill asks early for the pages Paging foresees after its next one, up to
// lanes-1 asked for and not taken.
func (e *earlyPages) fill(pg *scan.Paging) {
	if e == nil {
		return
	}
	for _, req := range pg.Ahead(e.lanes - 1) {
		if len(e.sent) >= e.lanes-1 {
			return
		}
		if _, ok := e.sent[req.Query]; ok || req.Fields != nil {
			continue
		}
		ctx, p := e.ctx, e.p
		e.sent[req.Query] = p.ahead(func() (*rest.RecordsPage, error) {
			return p.client.GetRecords(ctx, p.recordsRequest(req))
		})
	}
}

// stop cancels the pages asked for early and not taken, and gives back the
// budget's slots.
func (e *earlyPages) stop() {
	if e == nil {
		return
	}
	e.cancel()
	e.p.requests.give(e.got)
	e.got = 0
}
