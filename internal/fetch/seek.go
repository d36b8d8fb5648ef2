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
// (Spec.Unordered), and more than a page remains.
func (p *Pager) rangesAllowed(remaining int64) bool {
	return p.parallel > 1 && p.read.Unordered && !p.read.Desc && p.read.MaxRecords <= 0 && remaining > int64(p.read.PageSize)
}
