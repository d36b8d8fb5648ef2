package fetch

import (
	"sync"

	"github.com/kintone-sql/kintone/internal/rest"
	"github.com/kintone-sql/kintone/internal/scan"
)

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
// where scan.SeekEnd says by the page's own total, so that a range
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
			total = pg.Total()
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
