package fetch

import (
	"github.com/kintone-sql/kintone/internal/scan"
)

func (p *Pager) fetchSingle() error {
	pg, err := p.getRecords(p.read.Query.String(), false)()
	if err != nil {
		return err
	}
	_, err = p.deliver(pg.Records)
	return err
}

// fetchSeek pages by $id: "(cond) and $id > last order by $id asc". It
// stops where scan.SeekEnd says: at a short page, or at a page that
// holds its own total (the first page, and a page that the last total says
// may be the last, ask for it), so that a read of full pages needs no
// empty page to end. Each page is requested before the one before it is
// decoded. A read of many pages may go on after its first page as a leap
// read, several pages at once (fetchLeap).
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
		total := raw.Total()
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
		if more && first && total >= 0 {
			n, capped := total, false
			if m := p.read.MaxRecords; m > 0 && m <= total {
				n, capped = m, true
			}
			if lanes := p.leapLanes(n, read, raw.Load); lanes > 0 {
				if got := p.requests.take(lanes - 1); got > 0 {
					defer p.requests.give(got)
					return p.fetchLeap(recs, last, read, n, capped, got+1)
				}
			}
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
