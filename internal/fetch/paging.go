package fetch

import (
	"fmt"
	"time"

	"github.com/kintone-sql/kintone/internal/errmsg"
	"github.com/kintone-sql/kintone/internal/scan"
)

// fetchPaging reads the pages of an offset or keyset read as
// scan.Paging says, asking for each page (with its total) before the
// one before is handed over, then runs its change check; a read whose
// first page shows that it passes the offset limit (or cannot run the
// check) goes on through a cursor. An offset read with pages to go after
// its first asks for the ones Paging.Ahead foresees at once (ahead).
func (p *Pager) fetchPaging() error {
	pg := p.read.Paging()
	p.paging = pg
	req, more := pg.Next()
	if !more {
		return nil
	}
	sent := time.Now()
	pending := p.ahead(p.getPage(req))
	var early *earlyPages
	defer func() { early.stop() }()
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
		total := raw.Total()
		out, err := pg.Accept(recs, total)
		if err != nil {
			return err
		}
		if pg.Fallback() {
			return p.fetchCursor()
		}
		if first {
			early = p.earlyPages(pg, raw.Load)
		}
		if req, more = pg.Next(); more {
			pending = early.take(req)
			if pending == nil {
				pending = p.ahead(p.getPage(req))
			}
			early.fill(pg)
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
