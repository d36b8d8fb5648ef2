package kintone

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	"github.com/kintone-sql/kintone/internal/rest"
	"github.com/kintone-sql/kintone/translate"
)

// cursorCleanupTimeout bounds the DELETE of a cursor left open by rows
// closed early: it runs on a fresh context, since the query's may be done.
const cursorCleanupTimeout = 10 * time.Second

// pager reads the pages of a plan's Read and yields decoded records, as a
// translate.Source. A fetcher goroutine asks for page k+1 as soon as page k
// has arrived, then decodes page k and hands it over, so the network wait
// for the next page overlaps both decoding and the caller's reading. At
// most three pages are held at once (one in flight, one being decoded or
// handed over, one being read), however many records match.
type pager struct {
	client *rest.Client
	read   *translate.Read

	ctx      context.Context
	cancel   context.CancelFunc
	pages    chan page
	done     chan struct{}  // closed when the fetcher and its requests have returned
	inflight sync.WaitGroup // requests started ahead

	cur []translate.Record
	i   int
	err error // the first error met, returned from then on

	mu       sync.Mutex
	cursorID string // an open cursor, "" when none
}

// page is one fetched and decoded page, or the error that ended the read.
type page struct {
	records []translate.Record
	err     error
}

// rawPage is one page as the HTTP client returned it.
type rawPage struct {
	*rest.RecordsPage
	err error
}

// newPager starts fetching. ctx is the query's context: cancelling it stops
// the fetcher and makes the next record an error.
func newPager(ctx context.Context, client *rest.Client, read *translate.Read) *pager {
	ctx, cancel := context.WithCancel(ctx)
	p := &pager{client: client, read: read, ctx: ctx, cancel: cancel, pages: make(chan page), done: make(chan struct{})}
	go p.fetch()
	return p
}

// next is the translate.Source: the next record, io.EOF after the last.
func (p *pager) next() (translate.Record, error) {
	for p.i >= len(p.cur) {
		if p.err != nil {
			return nil, p.err
		}
		pg, ok := <-p.pages
		if !ok {
			// The fetcher stopped: at the end, or because the query's
			// context was cancelled, which must not look like the end.
			p.err = io.EOF
			if err := p.ctx.Err(); err != nil {
				p.err = err
			}
			return nil, p.err
		}
		if pg.err != nil {
			p.err = pg.err
			return nil, pg.err
		}
		p.cur, p.i = pg.records, 0
	}
	r := p.cur[p.i]
	p.cur[p.i] = nil // let the record go once the pipeline is done with it
	p.i++
	return r, nil
}

// close stops the fetcher, waits for it, and deletes a cursor it left open.
func (p *pager) close() error {
	p.cancel()
	<-p.done
	p.mu.Lock()
	id := p.cursorID
	p.cursorID = ""
	p.mu.Unlock()
	if id == "" {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), cursorCleanupTimeout)
	defer cancel()
	return p.client.DeleteCursor(ctx, id)
}

// send hands a page to the consumer; false when the pager is closed.
func (p *pager) send(pg page) bool {
	select {
	case p.pages <- pg:
		return true
	case <-p.ctx.Done():
		return false
	}
}

func (p *pager) fetch() {
	defer close(p.done)
	defer p.inflight.Wait()
	defer close(p.pages)
	var err error
	switch p.read.Strategy {
	case translate.StrategySingle:
		err = p.fetchSingle()
	case translate.StrategySeek:
		err = p.fetchSeek()
	case translate.StrategyCursor:
		err = p.fetchCursor()
	case translate.StrategyOffset:
		err = p.fetchOffset()
	default:
		err = errors.New("kintone: internal error: no pager for strategy " + p.read.Strategy.String())
	}
	if err != nil {
		if ctxErr := p.ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			return // closed or cancelled: the consumer knows
		}
		p.send(page{err: err})
		p.cancel() // stop a request started ahead
	}
}

// ahead starts a request in the background and returns where its answer
// will be.
func (p *pager) ahead(req func() (*rest.RecordsPage, error)) <-chan rawPage {
	ch := make(chan rawPage, 1)
	p.inflight.Add(1)
	go func() {
		defer p.inflight.Done()
		pg, err := req()
		ch <- rawPage{RecordsPage: pg, err: err}
	}()
	return ch
}

// getRecords returns a request for a page of records.json.
func (p *pager) getRecords(query string, total bool) func() (*rest.RecordsPage, error) {
	return func() (*rest.RecordsPage, error) {
		return p.client.GetRecords(p.ctx, rest.GetRecordsRequest{App: p.read.App, Query: query, Fields: p.read.Fields, TotalCount: total})
	}
}

func (p *pager) fetchSingle() error {
	pg, err := p.getRecords(p.read.Query.String(), false)()
	if err != nil {
		return err
	}
	_, err = p.deliver(pg.Records)
	return err
}

// fetchSeek pages by $id. The first page also asks for the total, so the
// read stops when it has that many records instead of asking for one more,
// empty page; should records vanish meanwhile, it still ends at a short
// page.
func (p *pager) fetchSeek() error {
	var last, read int64
	total := int64(-1)
	query, limit := p.read.SeekQuery(0, 0)
	pending := p.ahead(p.getRecords(query, true))
	for {
		raw := <-pending
		if raw.err != nil {
			return raw.err
		}
		if raw.HasTotalCount {
			total = raw.TotalCount
		}
		recs := raw.Records
		if n := len(recs); n > 0 {
			id, err := recs[n-1].ID()
			if err != nil {
				return err
			}
			last = id
		}
		read += int64(len(recs))
		more := p.read.More(len(recs), limit, read) && (total < 0 || read < total)
		if more {
			query, limit = p.read.SeekQuery(last, read)
			pending = p.ahead(p.getRecords(query, false))
		}
		if ok, err := p.deliver(recs); !ok || err != nil {
			return err
		}
		if !more {
			return nil
		}
	}
}

// fetchOffset pages by offset, stopping at the total like fetchSeek.
func (p *pager) fetchOffset() error {
	var read int64
	total := int64(-1)
	query, limit, ok := p.read.OffsetQuery(0)
	if !ok {
		return nil
	}
	pending := p.ahead(p.getRecords(query, true))
	for {
		raw := <-pending
		if raw.err != nil {
			return raw.err
		}
		if raw.HasTotalCount {
			total = raw.TotalCount
		}
		recs := raw.Records
		read += int64(len(recs))
		more := p.read.More(len(recs), limit, read) && (total < 0 || p.read.Offset+read < total)
		if more {
			query, limit, more = p.read.OffsetQuery(read)
			if more {
				pending = p.ahead(p.getRecords(query, false))
			}
		}
		if ok, err := p.deliver(recs); !ok || err != nil {
			return err
		}
		if !more {
			return nil
		}
	}
}

func (p *pager) fetchCursor() error {
	cur, err := p.client.CreateCursor(p.ctx, rest.CreateCursorRequest{
		App: p.read.App, Fields: p.read.Fields, Query: p.read.Query.String(), Size: p.read.PageSize,
	})
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.cursorID = cur.ID
	p.mu.Unlock()
	getPage := func() (*rest.RecordsPage, error) { return p.client.GetCursorPage(p.ctx, cur.ID) }
	var read int64
	pending := p.ahead(getPage)
	for {
		raw := <-pending
		if raw.err != nil {
			return raw.err
		}
		if !raw.Next {
			// Kintone deleted the cursor with its last page.
			p.mu.Lock()
			p.cursorID = ""
			p.mu.Unlock()
		}
		read += int64(len(raw.Records))
		// Stopping before the end leaves the cursor for close to delete.
		more := raw.Next && (p.read.MaxRecords <= 0 || read < p.read.MaxRecords)
		if more {
			pending = p.ahead(getPage)
		}
		if ok, err := p.deliver(raw.Records); !ok || err != nil {
			return err
		}
		if !more {
			return nil
		}
	}
}

// deliver decodes a page and sends it; ok is false when the pager was
// closed meanwhile. Records are decoded field by field from what the HTTP
// client has split already.
func (p *pager) deliver(recs []rest.Record) (ok bool, err error) {
	if len(recs) == 0 {
		return true, nil
	}
	out := make([]translate.Record, len(recs))
	for i, r := range recs {
		rec := make(translate.Record, len(r))
		for _, f := range r {
			if rec[f.Code], err = p.read.DecodeField(f.Code, f.Type, f.Value); err != nil {
				return false, err
			}
		}
		out[i] = rec
	}
	return p.send(page{records: out}), nil
}
