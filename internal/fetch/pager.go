package fetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/kintone-sql/kintone/internal/errmsg"
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

// Start starts fetching the pages of read. ctx is the query's context: cancelling it stops
// the fetcher and makes the next record an error.
// parallel is the DSN's concurrency: how many $id ranges an unordered
// scan may read at once; cursors is the connector's cursor budget.
func Start(ctx context.Context, client *rest.Client, read *scan.Spec, parallel int, cursors *CursorBudget) *Pager {
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	p := &Pager{client: client, read: read, codec: read.Decoder(), parallel: parallel, cursors: cursors, parent: parent, ctx: ctx, cancel: cancel, pages: make(chan page), done: make(chan struct{})}
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
// rows took (translate.Paging.Stop), on the query's context. It returns
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
		total := int64(-1)
		if raw.HasTotalCount {
			total = raw.TotalCount
		}
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

// recordsRequest is the GET records.json of a page of a translate.Paging,
// with its total.
func (p *Pager) recordsRequest(req scan.PageRequest) rest.GetRecordsRequest {
	fields := req.Fields
	if fields == nil {
		fields = p.read.Fields
	}
	return rest.GetRecordsRequest{App: p.read.App, Query: req.Query, Fields: fields, TotalCount: true}
}

// getPage returns a request for a page of a translate.Paging.
func (p *Pager) getPage(req scan.PageRequest) func() (*rest.RecordsPage, error) {
	return func() (*rest.RecordsPage, error) { return p.client.GetRecords(p.ctx, p.recordsRequest(req)) }
}

// checkFailed says, of a request of the change check that failed with err,
// what it was for: the rows were all returned already.
func checkFailed(req scan.PageRequest, err error) error {
	if !req.Check {
		return err
	}
	return fmt.Errorf("kintone: after the last row, asking for the records changed during the read (to be sure none was missed; the rows returned were right): %w", errmsg.Inner(err))
}

// noDateMargin is how far back from this machine's clock a read takes its
// start when Kintone's answer has no Date header: the change check then
// covers a difference of the two clocks up to this much.
const noDateMargin = time.Hour

// readStart is when Kintone read the records of an answer, by its clock and
// no later: the answer's Date less the time the request took, from sent to
// got (retries included); without a Date, this machine's clock when the
// request was sent, less noDateMargin.
func readStart(date, sent, got time.Time) time.Time {
	if date.IsZero() {
		return sent.Add(-noDateMargin)
	}
	return date.Add(-got.Sub(sent))
}

func (p *Pager) fetchSingle() error {
	pg, err := p.getRecords(p.read.Query.String(), false)()
	if err != nil {
		return err
	}
	_, err = p.deliver(pg.Records)
	return err
}

// fetchSeek pages by $id: "(cond) and $id > last order by $id asc". It
// stops where translate.SeekEnd says: at a short page, or at a page that
// holds its own total (the first page, and a page that the last total says
// may be the last, ask for it), so that a read of full pages needs no
// empty page to end. Each page is requested before the one before it is
// decoded. An Unordered read may go on in parallel ranges after its first
// page.
func (p *Pager) fetchSeek() error {
	var last, read int64
	end := scan.NewSeekEnd()
	query, limit := p.read.SeekQuery(0, 0)
	pending := p.ahead(p.getRecords(query, end.AskTotal(limit)))
	for first := true; ; first = false {
		raw := <-pending
		if raw.err != nil {
			return raw.err
		}
		total := int64(-1)
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
		more := p.read.More(len(recs), limit, read) && !end.Last(len(recs), limit, total)
		if more && first && total >= 0 && p.rangesAllowed(total-read) {
			return p.fetchRanges(recs, last)
		}
		if more {
			query, limit = p.read.SeekQuery(last, read)
			pending = p.ahead(p.getRecords(query, end.AskTotal(limit)))
		}
		if ok, err := p.deliver(recs); !ok || err != nil {
			return err
		}
		if !more {
			return nil
		}
	}
}

// rangesAllowed reports whether the rest of a seek read, remaining records
// after its first page, may be read as $id ranges at once: the DSN allows
// it (concurrency above 1), the plan does not need the records in $id order
// (Read.Unordered), and more than a page remains.
func (p *Pager) rangesAllowed(remaining int64) bool {
	return p.parallel > 1 && p.read.Unordered && !p.read.Desc && p.read.MaxRecords <= 0 && remaining > int64(p.read.PageSize)
}

// fetchRanges reads the rest of an unordered seek read, after its first
// page (first, whose last $id is last), as up to p.parallel ranges of $id
// read at once, handing pages over as they arrive. It costs one request
// for the highest matching $id, and a range may end with a short page of
// its own: at most p.parallel+1 requests above the minimum, for a fraction
// of the wall time on a slow network. Each reader holds at most a page in
// flight and a page waiting, so memory stays bounded by the concurrency.
func (p *Pager) fetchRanges(first []rest.Record, last int64) error {
	maxReq := p.ahead(func() (*rest.RecordsPage, error) {
		return p.client.GetRecords(p.ctx, rest.GetRecordsRequest{App: p.read.App, Query: p.read.MaxIDQuery(), Fields: []string{"$id"}})
	})
	if ok, err := p.deliver(first); !ok || err != nil {
		return err
	}
	raw := <-maxReq
	if raw.err != nil {
		return raw.err
	}
	if len(raw.Records) == 0 {
		return nil // the rest vanished meanwhile
	}
	hi, err := raw.Records[0].ID()
	if err != nil || hi <= last {
		return err
	}
	k := int64(p.parallel)
	width := (hi - last + k - 1) / k
	var readers sync.WaitGroup
	for lo := last; lo < hi; lo += width {
		readers.Add(1)
		go func() {
			defer readers.Done()
			p.readRange(lo, min(lo+width, hi))
		}()
	}
	readers.Wait()
	return nil
}

// readRange reads the records with lo < $id <= hi page by page and hands
// them over. It ends at a short page, at a page whose last $id is hi, or
// where translate.SeekEnd says by the page's own total, so that a range
// whose records fill their pages mostly needs no empty page to end. An
// error is handed over like a page, then stops the other readers.
func (p *Pager) readRange(lo, hi int64) {
	end := scan.NewSeekEnd()
	for {
		query, limit := p.read.RangeQuery(lo, hi)
		pg, err := p.client.GetRecords(p.ctx, rest.GetRecordsRequest{App: p.read.App, Query: query, Fields: p.read.Fields, TotalCount: end.AskTotal(limit)})
		var recs []scan.Record
		total := int64(-1)
		if err == nil {
			if pg.HasTotalCount {
				total = pg.TotalCount
			}
			if n := len(pg.Records); n > 0 {
				lo, err = pg.Records[n-1].ID()
			}
		}
		if err == nil {
			recs, err = p.decode(pg.Records)
		}
		if err != nil {
			if p.ctx.Err() == nil && p.send(page{err: err}) {
				p.cancel()
			}
			return
		}
		if len(recs) > 0 && !p.send(page{records: recs}) {
			return
		}
		if lo >= hi || end.Last(len(recs), limit, total) {
			return
		}
	}
}

// fetchPaging reads the pages of an offset or keyset read as
// translate.Paging says, asking for each page (with its total) before the
// one before is handed over, then runs its change check; a read whose
// first page shows that it passes the offset limit (or cannot run the
// check) goes on through a cursor.
func (p *Pager) fetchPaging() error {
	pg := p.read.Paging()
	p.paging = pg
	req, more := pg.Next()
	if !more {
		return nil
	}
	sent := time.Now()
	pending := p.ahead(p.getPage(req))
	for first := true; ; first = false {
		raw := <-pending
		if raw.err != nil {
			return checkFailed(req, raw.err)
		}
		if first {
			pg.Began(readStart(raw.Date, sent, time.Now()))
		}
		recs, err := p.decode(raw.Records)
		if err != nil {
			return err
		}
		total := int64(-1)
		if raw.HasTotalCount {
			total = raw.TotalCount
		}
		out, err := pg.Accept(recs, total)
		if err != nil {
			return err
		}
		if pg.Fallback() {
			return p.fetchCursor()
		}
		if req, more = pg.Next(); more {
			pending = p.ahead(p.getPage(req))
		} else {
			p.paged = true
		}
		if len(out) > 0 && !p.send(page{records: out}) {
			return nil
		}
		if !more {
			return nil
		}
	}
}

// fetchCursor reads through a cursor, checking that its pages come in the
// SQL order (translate.OrderCheck) before handing them over. An offset
// read that falls back to a cursor skips its Offset first records. When
// no cursor is free (the budget's are taken, or Kintone's for the domain),
// the read goes on without one, by $id pages sorted here
// (translate.Sorted), if that fits (translate.Sorted.Fits); else it waits
// for a cursor. A NoCursor read (useCursor=never) never opens one: it
// reads as translate.Sorted does, or fails.
func (p *Pager) fetchCursor() error {
	if p.read.NoCursor {
		return p.fetchSorted()
	}
	return p.readCursor(false)
}

// readCursor opens a cursor (waiting for one when wait is set) and reads
// it as fetchCursor says.
func (p *Pager) readCursor(wait bool) error {
	cur, slot, err := p.cursors.openCursor(p.ctx, p.client, rest.CreateCursorRequest{
		App: p.read.App, Fields: p.read.Fields, Query: p.read.Query.String(), Size: p.read.PageSize,
	}, wait)
	if !wait && errors.Is(err, errNoFreeCursor) {
		return p.fetchSorted()
	}
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.cursorID, p.slot = cur.ID, slot
	p.mu.Unlock()
	getPage := func() (*rest.RecordsPage, error) { return p.client.GetCursorPage(p.ctx, cur.ID) }
	check := p.read.OrderCheck()
	skip, want := p.read.Offset, p.read.MaxRecords
	if want > 0 {
		want += skip
	}
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
			p.cursorID, p.slot = "", nil
			p.mu.Unlock()
			slot.release()
		}
		n := int64(len(raw.Records))
		read += n
		// Stopping before the end leaves the cursor for close to delete.
		more := raw.Next && (want <= 0 || read < want)
		if more {
			pending = p.ahead(getPage)
		}
		recs, err := p.decode(raw.Records)
		if err == nil {
			err = check.Check(recs)
		}
		if err != nil {
			return err
		}
		if from := skip - (read - n); from > 0 {
			recs = recs[min(from, n):]
		}
		if want > 0 && read > want {
			recs = recs[:max(int64(len(recs))-(read-want), 0)]
		}
		if len(recs) > 0 && !p.send(page{records: recs}) {
			return nil
		}
		if !more {
			return nil
		}
	}
}

// fetchSorted reads a cursor read without a cursor: every matching record
// by $id, sorted here (translate.Sorted), ending where translate.SeekEnd
// says. The first page's total says whether that fits; when it does not,
// the read waits for a cursor instead, or fails when it is NoCursor.
func (p *Pager) fetchSorted() error {
	s := p.read.Sorted()
	var after int64
	end := scan.NewSeekEnd()
	for first := true; ; first = false {
		query, limit := s.Query(after)
		raw, err := p.client.GetRecords(p.ctx, rest.GetRecordsRequest{App: p.read.App, Query: query, Fields: p.read.Fields, TotalCount: end.AskTotal(limit)})
		if err != nil {
			return err
		}
		total := int64(-1)
		if raw.HasTotalCount {
			total = raw.TotalCount
		}
		if first && total >= 0 && !s.Fits(total) {
			if p.read.NoCursor {
				return s.TooMany(total)
			}
			return p.readCursor(true)
		}
		recs, err := p.decode(raw.Records)
		if err != nil {
			return err
		}
		if n := len(raw.Records); n > 0 {
			if after, err = raw.Records[n-1].ID(); err != nil {
				return err
			}
		}
		if err := s.Add(recs); err != nil {
			return err
		}
		if end.Last(len(recs), limit, total) {
			break
		}
	}
	rows := s.Rows()
	for len(rows) > 0 {
		n := min(len(rows), max(p.read.PageSize, 1))
		if !p.send(page{records: rows[:n:n]}) {
			return nil
		}
		rows = rows[n:]
	}
	return nil
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
