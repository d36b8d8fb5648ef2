package kintone

import (
	"context"
	"encoding/json"
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
// translate.Source. One goroutine fetches and decodes page k+1 while the
// caller consumes page k; the channel between them is unbuffered, so at
// most two pages are held at once, however many records match.
type pager struct {
	client *rest.Client
	read   *translate.Read

	ctx    context.Context
	cancel context.CancelFunc
	pages  chan page
	done   chan struct{} // closed when the fetcher has returned

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
	}
}

func (p *pager) get(query string) ([]rest.Record, error) {
	pg, err := p.client.GetRecords(p.ctx, rest.GetRecordsRequest{App: p.read.App, Query: query, Fields: p.read.Fields})
	if err != nil {
		return nil, err
	}
	return pg.Records, nil
}

func (p *pager) fetchSingle() error {
	recs, err := p.get(p.read.Query.String())
	if err != nil {
		return err
	}
	_, err = p.deliver(recs)
	return err
}

func (p *pager) fetchSeek() error {
	var last, read int64
	for {
		query, limit := p.read.SeekQuery(last, read)
		recs, err := p.get(query)
		if err != nil {
			return err
		}
		if len(recs) > 0 {
			if last, err = recs[len(recs)-1].ID(); err != nil {
				return err
			}
		}
		read += int64(len(recs))
		if ok, err := p.deliver(recs); !ok || err != nil {
			return err
		}
		if !p.read.More(len(recs), limit, read) {
			return nil
		}
	}
}

func (p *pager) fetchOffset() error {
	var read int64
	for {
		query, limit, ok := p.read.OffsetQuery(read)
		if !ok {
			return nil
		}
		recs, err := p.get(query)
		if err != nil {
			return err
		}
		read += int64(len(recs))
		if ok, err := p.deliver(recs); !ok || err != nil {
			return err
		}
		if !p.read.More(len(recs), limit, read) {
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
	var read int64
	for {
		pg, err := p.client.GetCursorPage(p.ctx, cur.ID)
		if err != nil {
			return err
		}
		if !pg.Next {
			// Kintone deleted the cursor with its last page.
			p.mu.Lock()
			p.cursorID = ""
			p.mu.Unlock()
		}
		read += int64(len(pg.Records))
		if ok, err := p.deliver(pg.Records); !ok || err != nil {
			return err
		}
		if !pg.Next || (p.read.MaxRecords > 0 && read >= p.read.MaxRecords) {
			// Stopping before the end leaves the cursor for close to delete.
			return nil
		}
	}
}

// deliver decodes a page and sends it; ok is false when the pager was
// closed meanwhile.
func (p *pager) deliver(recs []rest.Record) (ok bool, err error) {
	if len(recs) == 0 {
		return true, nil
	}
	out := make([]translate.Record, len(recs))
	var buf []byte
	for i, r := range recs {
		buf = appendRecordJSON(buf[:0], r)
		if out[i], err = p.read.DecodeRecord(buf); err != nil {
			return false, err
		}
	}
	return p.send(page{records: out}), nil
}

// appendRecordJSON writes a record back as the JSON object Kintone sent:
// {"code":{"type":"T","value":V},...}. The values are raw JSON already.
func appendRecordJSON(b []byte, r rest.Record) []byte {
	b = append(b, '{')
	for i, f := range r {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, f.Code)
		b = append(b, `:{"type":`...)
		b = appendJSONString(b, string(f.Type))
		b = append(b, `,"value":`...)
		if len(f.Value) == 0 {
			b = append(b, "null"...)
		} else {
			b = append(b, f.Value...)
		}
		b = append(b, '}')
	}
	return append(b, '}')
}

// appendJSONString appends s as a JSON string. Field codes and types need no
// escaping in practice; anything that does goes through encoding/json.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
