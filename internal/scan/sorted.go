package scan

import (
	"fmt"
	"slices"
)

// NoCursorHold is how many records a read sorted in Go because no cursor
// was free (Spec.Sorted) holds at most when Spec.MaxBuffered is not
// set: as many as Kintone's offset limit lets a read page through without
// a cursor.
const NoCursorHold = MaxOffset

// Sorted is a Cursor read, or an Offset read that would go
// on through a cursor, done without one: the driver's cursors are all
// taken. It reads every matching record by $id (Query), as a read with
// CursorNever does, and returns them in the SQL order (Rows), after the
// Offset first ones and at most MaxRecords of them, keeping only those in
// memory when MaxRecords is set. Such a read cannot go out of order or miss
// a record that an edit moves: $id pages follow what no change moves.
//
// Use it only when Fits says so: past Spec.MaxBuffered
// (NoCursorHold when that is 0), or when reading every matching record
// would take many more requests than a cursor would (a small LIMIT over
// many records), the read should rather wait for a cursor; a Spec with
// NoCursor then fails with TooMany instead.
type Sorted struct {
	r    *Spec
	keep int64 // the records kept (Offset + MaxRecords), 0: all
	hold int64 // the most records held at once
	// recs are the records read, without keep.
	recs []Record
	// best are, with keep, the first keep records read in the SQL order,
	// as a heap whose root is the last of them; seq numbers the records
	// read, so that equal ones keep the order they came in.
	best []sortedEntry
	seq  int64
}

// sortedEntry is a record kept by a Sorted read with a LIMIT.
type sortedEntry struct {
	rec Record
	seq int64
}

// Sorted starts a read of r sorted in Go.
func (r *Spec) Sorted() *Sorted {
	s := &Sorted{r: r, hold: int64(r.MaxBuffered)}
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

// Hold is the most records the read holds at once.
func (s *Sorted) Hold() int64 { return s.hold }

// Held reports the records the read holds now: kept, in the bounded heap
// of a read with MaxRecords; all, without one.
func (s *Sorted) Held() (kept, all int) { return len(s.best), len(s.recs) }

// NoCursorCost bounds the requests of a read done without a cursor: at
// most this many times those the cursor it would wait for takes.
const NoCursorCost = 2

// Fits reports whether the read should go on without a cursor when total
// records match: it holds at most the records it may, and (unless the Spec
// is NoCursor, which has no cursor to wait for) its $id pages of every
// matching record are at most NoCursorCost times the requests of a cursor
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
	return pages(total) <= NoCursorCost*cursor
}

// TooMany is the error of a NoCursor read whose total records do not fit
// (Fits): it cannot wait for a cursor.
func (s *Sorted) TooMany(total int64) error {
	return fmt.Errorf("%w: with useCursor=never this ordered read cannot page by offset (Kintone left out the update time, which the check for records changed during the read needs: the field is hidden from this user), so it would sort its %d records in Go, more than the %d it may hold (DSN maxBufferedRows); let the user view the update time, add a LIMIT, or allow cursors",
		ErrTooManyRows, total, s.hold)
}

// Add takes a page of records. With a LIMIT it keeps only the first keep
// records in the SQL order, in a heap: a page costs O(page * log keep) and
// no allocation once keep records are held. It fails with ErrTooManyRows
// when the read would hold more than it may (records added since the
// total was read).
func (s *Sorted) Add(recs []Record) error {
	if s.keep == 0 {
		s.recs = append(s.recs, recs...)
		if int64(len(s.recs)) > s.hold {
			return fmt.Errorf("%w: sorting without a cursor (none was free) would hold more than %d rows", ErrTooManyRows, s.hold)
		}
		return nil
	}
	for _, rec := range recs {
		e := sortedEntry{rec: rec, seq: s.seq}
		s.seq++
		switch {
		case int64(len(s.best)) < s.keep:
			s.best = append(s.best, e)
			s.up(len(s.best) - 1)
		case s.before(e, s.best[0]):
			s.best[0] = e
			s.down(0)
		}
	}
	return nil
}

// before reports whether a comes before b in the SQL order (the one read
// first, when they sort the same).
func (s *Sorted) before(a, b sortedEntry) bool {
	if c := s.r.CompareOrder(a.rec, b.rec); c != 0 {
		return c < 0
	}
	return a.seq < b.seq
}

// up and down restore the heap of best (the last record in the SQL order
// at the root) after the entry at i was added or replaced.
func (s *Sorted) up(i int) {
	h := s.best
	for i > 0 {
		parent := (i - 1) / 2
		if !s.before(h[parent], h[i]) {
			return
		}
		h[parent], h[i] = h[i], h[parent]
		i = parent
	}
}

func (s *Sorted) down(i int) {
	h := s.best
	for {
		last := i
		for _, c := range [2]int{2*i + 1, 2*i + 2} {
			if c < len(h) && s.before(h[last], h[c]) {
				last = c
			}
		}
		if last == i {
			return
		}
		h[i], h[last] = h[last], h[i]
		i = last
	}
}

// Rows returns the records read, in the SQL order, without the Offset
// first ones and at most MaxRecords of them.
func (s *Sorted) Rows() []Record {
	var all []Record
	if s.keep == 0 {
		slices.SortStableFunc(s.recs, s.r.CompareOrder)
		all = s.recs
	} else {
		slices.SortFunc(s.best, func(a, b sortedEntry) int {
			switch {
			case a.seq == b.seq:
				return 0
			case s.before(a, b):
				return -1
			}
			return 1
		})
		all = make([]Record, len(s.best))
		for i, e := range s.best {
			all[i] = e.rec
		}
	}
	s.recs, s.best = nil, nil
	return all[min(s.r.Offset, int64(len(all))):]
}
