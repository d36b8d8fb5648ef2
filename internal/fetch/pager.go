package fetch

import (
	"context"
	"errors"
	"io"
	"sync"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/rest"
	"github.com/kintone-sql/kintone/internal/scan"
)

// Pager reads the pages of a scan and yields decoded records, as the
// pipeline's source. A fetcher goroutine asks for page k+1 as soon as page k
// has arrived, then decodes page k and hands it over, so the network wait
// for the next page overlaps both decoding and the caller's reading. At
// most three pages are held at once (one in flight, one being decoded or
// handed over, one being read), however many records match.
type Pager struct {
	client   *rest.Client
	read     *scan.Spec
	codec    field.Codec
	parallel int
	cursors  *CursorBudget
	requests *RequestBudget

	ctx      context.Context
	cancel   context.CancelFunc
	pages    chan page
	done     chan struct{}  // closed when the fetcher and its requests have returned
	inflight sync.WaitGroup // requests started ahead

	cur []scan.Record
	i   int
	err error // the first error met, returned from then on

	parent  context.Context // the query's context
	lastOut scan.Record     // the last record next returned
	// paging is the Paging of an offset or keyset read, for finish, and
	// paged reports that it ran to its end, change check included; the
	// fetcher sets them, finish reads them once the fetcher is done.
	paging *scan.Paging
	paged  bool

	mu       sync.Mutex
	cursorID string      // an open cursor, "" when none
	slot     *cursorSlot // the budget's slot of the cursor being read
	stopErr  error       // why the fetcher stopped when the context ended
}

// page is one fetched and decoded page, or the error that ended the read.
type page struct {
	records []scan.Record
	err     error
}

// rawPage is one page as the HTTP client returned it.
type rawPage struct {
	*rest.RecordsPage
	err error
}

// Limits are what the reads of one Connector share, and how far one read
// may go beside its own requests.
type Limits struct {
	// Parallel is the most requests one read runs at once (the DSN's
	// concurrency); 1 reads page after page.
	Parallel int
	// Cursors is the connector's cursor budget.
	Cursors *CursorBudget
	// Requests is the connector's budget of requests run beside the reads'
	// own; nil: none.
	Requests *RequestBudget
}

// Start starts fetching the pages of read. ctx is the query's context:
// cancelling it stops the fetcher and makes the next record an error.
func Start(ctx context.Context, client *rest.Client, read *scan.Spec, lim Limits) *Pager {
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	p := &Pager{client: client, read: read, codec: read.Decoder(), parallel: lim.Parallel, cursors: lim.Cursors, requests: lim.Requests,
		parent: parent, ctx: ctx, cancel: cancel, pages: make(chan page), done: make(chan struct{})}
	go p.fetch()
	return p
}

// Next returns the next record, io.EOF after the last: the pipeline's
// source.
func (p *Pager) Next() (scan.Record, error) {
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
				p.mu.Lock()
				if p.stopErr != nil {
					p.err = p.stopErr // the same, with what the fetcher was doing
				}
				p.mu.Unlock()
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
	p.lastOut = r
	return r, nil
}

// Finish is called when the rows end before the records did (a LIMIT
// applied in Go took what it needed): it stops the fetcher and, for an
// offset read of several pages, runs the change check of the records the
// rows took (scan.Paging.Stop), on the query's context. It returns
// nil when the records ended (their check ran already) or need no check.
func (p *Pager) Finish() error {
	if p.err != nil {
		return nil
	}
	p.cancel()
	<-p.done
	pg := p.paging
	if pg == nil || p.paged {
		return nil // no Paging, or its check covered every record handed over
	}
	pg.Stop(p.lastOut)
	for {
		req, more := pg.Next()
		if !more {
			return nil
		}
		raw, err := p.client.GetRecords(p.parent, p.recordsRequest(req))
		if err != nil {
			return checkFailed(req, err)
		}
		recs, err := p.decode(raw.Records)
		if err != nil {
			return err
		}
		total := raw.Total()
		if _, err := pg.Accept(recs, total); err != nil {
			return err
		}
	}
}

// Close stops the fetcher, waits for it, and deletes a cursor it left open
// (on a fresh context, since the query's may be done). A cursor that could
// not be deleted keeps its slot of the budget until Kintone expires it.
func (p *Pager) Close() error {
	p.cancel()
	<-p.done
	p.mu.Lock()
	id, slot := p.cursorID, p.slot
	p.cursorID, p.slot = "", nil
	p.mu.Unlock()
	if slot == nil {
		return nil
	}
	if id == "" {
		slot.release()
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(p.ctx), CursorCleanupTimeout)
	defer cancel()
	if err := p.client.DeleteCursor(ctx, id); err != nil {
		slot.holdUntilExpiry()
		return err
	}
	slot.release()
	return nil
}

// send hands a page to the consumer; false when the pager is closed.
func (p *Pager) send(pg page) bool {
	select {
	case p.pages <- pg:
		return true
	case <-p.ctx.Done():
		return false
	}
}

func (p *Pager) fetch() {
	defer close(p.done)
	defer p.inflight.Wait()
	defer close(p.pages)
	var err error
	switch p.read.Strategy {
	case scan.Single:
		err = p.fetchSingle()
	case scan.Seek:
		err = p.fetchSeek()
	case scan.Cursor:
		err = p.fetchCursor()
	case scan.Offset, scan.Keyset:
		err = p.fetchPaging()
	default:
		err = errors.New("kintone: internal error: no pager for strategy " + p.read.Strategy.String())
	}
	if err != nil {
		if ctxErr := p.ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			// Closed or cancelled: the consumer knows, and learns what
			// was going on if the error says more.
			if err != ctxErr {
				p.mu.Lock()
				p.stopErr = err
				p.mu.Unlock()
			}
			return
		}
		p.send(page{err: err})
		p.cancel() // stop a request started ahead
	}
}

// ahead starts a request in the background and returns where its answer
// will be.
func (p *Pager) ahead(req func() (*rest.RecordsPage, error)) <-chan rawPage {
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
func (p *Pager) getRecords(query string, total bool) func() (*rest.RecordsPage, error) {
	return func() (*rest.RecordsPage, error) {
		return p.client.GetRecords(p.ctx, rest.GetRecordsRequest{App: p.read.App, Query: query, Fields: p.read.Fields, TotalCount: total})
	}
}

// recordsRequest is the GET records.json of a page of a scan.Paging,
// with its total.
func (p *Pager) recordsRequest(req scan.PageRequest) rest.GetRecordsRequest {
	fields := req.Fields
	if fields == nil {
		fields = p.read.Fields
	}
	return rest.GetRecordsRequest{App: p.read.App, Query: req.Query, Fields: fields, TotalCount: true}
}

// getPage returns a request for a page of a scan.Paging.
func (p *Pager) getPage(req scan.PageRequest) func() (*rest.RecordsPage, error) {
	return func() (*rest.RecordsPage, error) { return p.client.GetRecords(p.ctx, p.recordsRequest(req)) }
}

// deliver decodes a page and sends it; ok is false when the pager was
// closed meanwhile. Records are decoded field by field from what the HTTP
// client has split already.
func (p *Pager) deliver(recs []rest.Record) (ok bool, err error) {
	if len(recs) == 0 {
		return true, nil
	}
	out, err := p.decode(recs)
	if err != nil {
		return false, err
	}
	return p.send(page{records: out}), nil
}

// decode decodes a page's records field by field.
func (p *Pager) decode(recs []rest.Record) ([]scan.Record, error) {
	out := make([]scan.Record, len(recs))
	for i, r := range recs {
		rec := make(scan.Record, len(r))
		for _, f := range r {
			v, err := p.codec.DecodeField(f.Code, f.Type, f.Value, p.read.Props)
			if err != nil {
				return nil, err
			}
			rec[f.Code] = v
		}
		out[i] = rec
	}
	return out, nil
}
