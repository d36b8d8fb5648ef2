package fetch

import (
	"github.com/kintone-sql/kintone/internal/rest"
	"github.com/kintone-sql/kintone/internal/scan"
)

// fetchSorted reads a cursor read without a cursor: every matching record
// by $id, sorted here (scan.Sorted), ending where scan.SeekEnd
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
		total := raw.Total()
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
