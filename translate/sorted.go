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
// Use it only when Fits says the records fit: past Options.MaxBufferedRows
// (NoCursorHold when that is 0) the read should rather wait for a cursor.
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

// Fits reports whether the read holds at most the records it may when
// total records match.
func (s *Sorted) Fits(total int64) bool {
	need := total
	if s.keep > 0 {
		need = min(need, s.keep)
	}
	return need <= s.hold
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
