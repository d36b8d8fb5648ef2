package optimize

import (
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/internal/scan"
	"github.com/kintone-sql/kintone/translate/catalog"
)

// ReadShape is what the choice of a read strategy looks at: what Kintone
// is asked (the pushed condition and sort keys), what is left to Go, the
// LIMIT and OFFSET, and what the read is for.
type ReadShape struct {
	// Where is the condition Kintone evaluates (nil: none).
	Where kql.Expr
	// Keys are the ORDER BY keys Kintone sorts as SQL does; nil when no
	// ORDER BY, or one Kintone cannot do, was given.
	Keys []kql.OrderKey
	// SortInGo reports an ORDER BY left to Go.
	SortInGo bool
	// GoWork reports work in Go that needs every record the condition
	// matches (a residual filter, grouping, DISTINCT, a child table's
	// rows): LIMIT and OFFSET cannot go to Kintone then.
	GoWork bool
	// Limit and Offset are the statement's (Limit -1: none).
	Limit, Offset int64
	// KeysetExact reports that the ORDER BY keys page by keyset (never
	// empty, compared exactly, never changed: the creation time, $id).
	KeysetExact bool
	// WriteTargets reports the read of the records an UPDATE or DELETE
	// writes, which must page by keys the write cannot shift.
	WriteTargets bool
	// Cursor is the DSN's useCursor.
	Cursor CursorMode
	// HasUpdateTime reports that the app has an update-time field, which
	// an offset read's change check asks for.
	HasUpdateTime bool
}

// ReadChoice is the strategy chosen for a read and what it leaves to Go.
type ReadChoice struct {
	// Strategy is how the records are read.
	Strategy scan.Strategy
	// Query is what Kintone is asked (with limit and offset for a single
	// request).
	Query *kql.Query
	// Desc, Unordered, Parallel, CursorFallback, Offset and MaxRecords
	// are the scan.Spec fields of the same names.
	Desc, Unordered, Parallel, CursorFallback bool
	Offset, MaxRecords                        int64
	// GoLimit reports that LIMIT and OFFSET are still applied in Go.
	GoLimit bool
	// SortInGo reports that the ORDER BY is done in Go (it may be so
	// when it was not in the shape: reading by $id instead of a cursor).
	SortInGo bool
}

// ChooseRead picks the cheapest read the API allows that returns the
// records in the order the plan needs (DESIGN.md, "Reading: pick the
// cheapest plan the API allows"): one request when LIMIT fits a page,
// seek by $id, keyset on keys no write moves, offset pages within
// Kintone's offset limit (with a change check, and a cursor when the
// first page's total shows the read passes it), a cursor, or $id pages
// sorted in Go where no cursor may be used. A count is decided before:
// it is one request whatever the rest.
func ChooseRead(s ReadShape) ReadChoice {
	c := ReadChoice{GoLimit: true, SortInGo: s.SortInGo, Parallel: !s.WriteTargets}
	keys := s.Keys
	goHeavy := func() bool { return s.GoWork || c.SortInGo }
	limit, offset := s.Limit, s.Offset
	query := func(order []kql.OrderKey) *kql.Query { return &kql.Query{Where: s.Where, OrderBy: order} }
	byID := func(desc bool) []kql.OrderKey {
		return []kql.OrderKey{{Field: catalog.ColID, Desc: desc, Explicit: true}}
	}
	if !goHeavy() && limit > 0 && limit <= scan.MaxPageSize && offset+limit <= scan.MaxOffset {
		c.Strategy = scan.Single
		c.Query = query(WithIDTieBreak(keys))
		c.Query.Limit = &limit
		if offset > 0 {
			c.Query.Offset = &offset
		}
		c.GoLimit = false
		return c
	}
	idOnly := len(keys) == 0 || len(keys) == 1 && keys[0].Field == catalog.ColID
	// An offset read with LIMIT and OFFSET pushed down: the pages return
	// exactly the rows, nothing is left to Go.
	pushOffset := func() {
		c.Offset = offset
		c.MaxRecords = max(limit, 0)
		c.GoLimit = false
	}
	fits := !goHeavy() && limit >= 0 && offset+limit <= scan.MaxOffset
	// The records an UPDATE or DELETE writes are read while the write goes
	// on: offset pages would move under the write's own changes (a deleted
	// page shifts the next, an update moves a record past the anchor, and
	// is read again), and so would keyset pages on a key the write may
	// change, so such a read pages by keys no change moves: $id, or
	// (keyset) the creation time and $id. Not by cursor either: a cursor
	// fixes which records it returns when it is created and reads their
	// values later, so a record edited out of the WHERE meanwhile would
	// still come, and be written (its revision read is the new one). A
	// page is one request: the records in it match the WHERE with the
	// values it returns. Another ORDER BY is done in Go (with LIMIT,
	// holding only the rows it keeps).
	byPosition := !s.WriteTargets
	keyset := s.KeysetExact && (s.Cursor != CursorAlways || s.WriteTargets)
	// Offset pages need the change check, which asks for the update time
	// (every app has one; a schema without it reads by cursor).
	offsetOK := byPosition && s.HasUpdateTime
	switch {
	case idOnly && (s.Cursor != CursorAlways || s.WriteTargets):
		c.Strategy = scan.Seek
		c.Desc = len(keys) == 1 && keys[0].Desc
		c.Unordered = len(keys) == 0 && (limit < 0 || c.SortInGo)
		c.Query = query(byID(c.Desc))
	case idOnly:
		c.Strategy = scan.Cursor
		if len(keys) == 0 {
			keys = byID(false)
		}
		c.Query = query(keys)
	case keyset && (offset == 0 || !fits):
		// Sort keys that are never empty, compare exactly and no change
		// moves: each page asks for the records after the last one read,
		// so no cursor and no offset limit (but an OFFSET is read
		// through); the targets of a write too, whose batches can neither
		// shift such pages nor move a record across them.
		c.Strategy = scan.Keyset
		c.Query = query(WithIDTieBreak(keys))
	case offsetOK && s.Cursor != CursorAlways && fits:
		// Known to end within Kintone's offset limit: offset pages.
		c.Strategy = scan.Offset
		c.Query = query(WithIDTieBreak(keys))
		pushOffset()
	case offsetOK && s.Cursor == CursorAuto && (goHeavy() || offset < scan.MaxOffset):
		// May end within the offset limit: offset pages if the first
		// one's total says so, else a cursor.
		c.Strategy = scan.Offset
		c.CursorFallback = true
		c.Query = query(WithIDTieBreak(keys))
		if !goHeavy() {
			pushOffset()
		}
	case s.Cursor == CursorNever || s.WriteTargets:
		// Sorting Kintone could do, but only with a cursor or within the
		// first 10,000 records (or the read of a write, see byPosition):
		// read by $id and sort in Go.
		c.SortInGo = true
		c.Strategy = scan.Seek
		c.Unordered = true
		c.Query = query(byID(false))
	default:
		c.Strategy = scan.Cursor
		c.Query = query(WithIDTieBreak(keys))
	}
	if c.Strategy != scan.Offset && !goHeavy() && limit >= 0 {
		c.MaxRecords = offset + limit
	}
	return c
}
