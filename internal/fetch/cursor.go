package fetch

import (
	"errors"

	"github.com/kintone-sql/kintone/internal/rest"
)

// fetchCursor reads through a cursor, checking that its pages come in the
// SQL order (scan.OrderCheck) before handing them over. An offset
// read that falls back to a cursor skips its Offset first records. When
// no cursor is free (the budget's are taken, or Kintone's for the domain),
// the read goes on without one, by $id pages sorted here
// (scan.Sorted), if that fits (scan.Sorted.Fits); else it waits
// for a cursor. A NoCursor read (useCursor=never) never opens one: it
// reads as scan.Sorted does, or fails.
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
