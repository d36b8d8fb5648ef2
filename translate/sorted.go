package translate

import (
	"fmt"
	"slices"
)

// NoCursorHold is how many records a read sorted in Go because no cursor
// was free (Read.Sorted) holds at most when Options.MaxBufferedRows is not
// set: as many as Kintone's offset limit lets a read page through without
// a cursor.
const NoCursorHold = MaxOffset

// Sorted is a StrategyCursor read, or a StrategyOffset read that would go
// on through a cursor, done without one: the driver's cursors are all
// taken. It reads every matching record by $id (Query), as a read with
// CursorNever does, and returns them in the SQL order (Rows), after the
// Offset first ones and at most MaxRecords of them, keeping only those in
// memory when MaxRecords is set. Such a read cannot go out of order or miss
// a record that an edit moves: $id pages follow what no change moves.
//
// Use it only when Fits says so: past Options.MaxBufferedRows
// (NoCursorHold when that is 0), or when reading every matching record
// would take many more requests than a cursor would (a small LIMIT over
// many records), the read should rather wait for a cursor; a Read with
// NoCursor then fails with TooMany instead.
type Sorted struct {
	r    *Read
	keep int64 // the records kept (Offset + MaxRecords), 0: all
	hold int64 // the most records held at once
	// recs are the records read; with keep, the first keep of them in the
	// SQL order.
	recs []Record
}

// Sorted starts a read of r sorted in Go.
func (r *Read) Sorted() *Sorted {
	s := &Sorted{r: r, hold: int64(r.maxBuffered)}
	if s.hold <= 0 {
		s.hold = NoCursorHold
	}
	if r.MaxRecords > 0 {
		s.keep = r.Offset + r.MaxRecords
	}
	return s
}

// Query returns the query of the page of records after $id after (0 for
// the first page): the read's condition, by $id, a page at a time.
func (s *Sorted) Query(after int64) (query string, limit int) {
	return s.r.idQuery(after, 0, false, s.r.PageSize), s.r.PageSize
}

// noCursorCost bounds the requests of a read done without a cursor: at
// most this many times those the cursor it would wait for takes.
const noCursorCost = 2

// Fits reports whether the read should go on without a cursor when total
// records match: it holds at most the records it may, and (unless the Read
// is NoCursor, which has no cursor to wait for) its $id pages of every
// matching record are at most noCursorCost times the requests of a cursor
// that reads the records kept (its creation, its pages, and its deletion
// when it stops before the end). With 20,000 records and LIMIT 600 in
// pages of 100: 200 requests against 8, so the read waits for a cursor.
func (s *Sorted) Fits(total int64) bool {
	need := total
	if s.keep > 0 {
		need = min(need, s.keep)
	}
	if need > s.hold {
		return false
	}
	if s.r.NoCursor {
		return true
	}
	pages := func(n int64) int64 {
		size := int64(max(s.r.PageSize, 1))
		return max((n+size-1)/size, 1)
	}
	cursor := 1 + pages(need)
	if need < total {
		cursor++ // deleted when the read stops before its end
	}
	return pages(total) <= noCursorCost*cursor
}

// TooMany is the error of a NoCursor read whose total records do not fit
// (Fits): it cannot wait for a cursor.
func (s *Sorted) TooMany(total int64) error {
	return fmt.Errorf("%w: with useCursor=never this ordered read cannot page by offset (Kintone left out the update time, which the check for records changed during the read needs: the field is hidden from this user), so it would sort its %d records in Go, more than the %d it may hold (DSN maxBufferedRows); let the user view the update time, add a LIMIT, or allow cursors",
		ErrTooManyRows, total, s.hold)
}

// Add takes a page of records. With a LIMIT it keeps only the first keep
// records in the SQL order (merging the sorted page into them), so that it
// holds at most keep and a page. It fails with ErrTooManyRows when the
// read would hold more than it may (records added since the total was
// read).
func (s *Sorted) Add(recs []Record) error {
	if s.keep == 0 {
		s.recs = append(s.recs, recs...)
		if int64(len(s.recs)) > s.hold {
			return fmt.Errorf("%w: sorting without a cursor (none was free) would hold more than %d rows", ErrTooManyRows, s.hold)
		}
		return nil
	}
	page := slices.Clone(recs)
	slices.SortStableFunc(page, s.r.compareOrder)
	merged := make([]Record, 0, min(int64(len(s.recs)+len(page)), s.keep))
	i, j := 0, 0
	for int64(len(merged)) < s.keep && (i < len(s.recs) || j < len(page)) {
		if j >= len(page) || i < len(s.recs) && s.r.compareOrder(s.recs[i], page[j]) <= 0 {
			merged = append(merged, s.recs[i])
			i++
		} else {
			merged = append(merged, page[j])
			j++
		}
	}
	s.recs = merged
	return nil
}

// Rows returns the records read, in the SQL order, without the Offset
// first ones and at most MaxRecords of them.
func (s *Sorted) Rows() []Record {
	if s.keep == 0 {
		slices.SortStableFunc(s.recs, s.r.compareOrder)
	}
	out := s.recs[min(s.r.Offset, int64(len(s.recs))):]
	s.recs = nil
	return out
}
