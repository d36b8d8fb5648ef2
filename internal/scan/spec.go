package scan

import (
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
)

// Record is one decoded record: field code -> structured value as
// field.Codec.DecodeRecord returns it ("$id" and "$revision" as int64, nil
// for an empty value).
type Record map[string]any

// Strategy is how a scan reads records from Kintone (DESIGN.md, "Reading:
// pick the cheapest plan the API allows").
type Strategy int

const (
	// None: no request at all (a metadata table, LIMIT 0, a condition
	// that can never hold).
	None Strategy = iota
	// Single: one GET records.json with Spec.Query, which holds the limit
	// and offset.
	Single
	// Count: one GET records.json with Spec.Query (limit 1) and
	// totalCount=true.
	Count
	// Seek: GET pages of Spec.SeekQuery, following $id.
	Seek
	// Cursor: POST records/cursor.json with Spec.Query, Spec.Fields and
	// size Spec.PageSize, GET until next is false, DELETE the cursor when
	// stopping early.
	Cursor
	// Offset: GET pages of Spec.Paging (limit and offset, each page
	// anchored on the last record of the one before), for orders other
	// than $id when the read ends within Kintone's offset limit (with
	// Spec.CursorFallback: when the first page's total says so).
	Offset
	// Keyset: GET pages of Spec.Paging, each asking for the records after
	// the sort keys of the last record read, for orders by keys that are
	// never empty, compare exactly and never change (the creation time,
	// $id).
	Keyset
)

// String names the strategy.
func (s Strategy) String() string {
	switch s {
	case Single:
		return "single"
	case Count:
		return "count"
	case Seek:
		return "seek"
	case Cursor:
		return "cursor"
	case Offset:
		return "offset"
	case Keyset:
		return "keyset"
	}
	return "none"
}

// Spec is one scan of an app, as the planner decided it: which app, which
// records, which fields, and how to page. It is plain data, but for the
// three functions that only the SQL side can give: Filter, Compare and
// Describe.
type Spec struct {
	// App is the app ID.
	App int64
	// Strategy says how to read.
	Strategy Strategy
	// Fields lists exactly the field codes the plan needs ("$id" among
	// them for seek paging), in the app's form order with $id first.
	Fields []string
	// Query is the pushed-down query: the condition Kintone evaluates and
	// the order it sorts in (Single: with limit and offset; Count: with
	// limit 1; Seek: the order by $id of the first page; Cursor: no limit
	// or offset, as the cursor API requires). Print it with
	// Query.String(); every value in it went through kql.Quote.
	Query *kql.Query
	// PageSize is the number of records per page for paged strategies.
	PageSize int
	// MaxRecords is the most records the plan will consume (0: all that
	// match). A paged read may stop once it has read that many.
	MaxRecords int64
	// Offset is the offset of the first record for Offset.
	Offset int64
	// CursorFallback is set on an Offset read that may not end within
	// Kintone's offset limit: its first page asks for the total, and when
	// Offset plus the records the read needs pass MaxOffset, the read goes
	// on as Cursor would, from the start, skipping Offset records and
	// reading at most MaxRecords (Paging.Fallback).
	CursorFallback bool
	// Desc is set when a seek read walks $id downwards.
	Desc bool
	// NoCursor is set under useCursor=never: the read never opens a
	// cursor. An offset read whose first page shows that it cannot run its
	// change check (Paging.Fallback) goes on as a Sorted read instead, and
	// fails (Sorted.TooMany) when that cannot hold its records.
	NoCursor bool
	// Unordered is set on a seek read whose rows do not depend on the
	// order records arrive in: no ORDER BY reaches Kintone and no LIMIT
	// picks rows by position (an ORDER BY done in Go sorts them anyway).
	// A driver may then read $id ranges in parallel and hand pages over
	// as they come.
	Unordered bool
	// Parallel is set on a read that no write of the same statement
	// changes while it goes on (every read but that of the records an
	// UPDATE or DELETE writes) and that no LIMIT applied in Go may end
	// after any page (one on records a condition Go checks, which
	// MaxRecords cannot bound): a seek read may then ask for several pages
	// at once by offset (a leap read, see leap.go), which a write deleting
	// or changing records already read would shift page after page, and
	// whose pages asked for ahead such a LIMIT would waste.
	Parallel bool

	// Location is the time zone records are decoded in.
	Location *time.Location
	// Props are the app's field properties, by code: the decoder's and
	// the change check's (which sort keys Kintone compares exactly).
	Props map[string]*field.Property
	// UpdateTime is the code of the app's update-time field, which the
	// change check of an offset read asks for (see changeCheck); "" when
	// the app has none, and then no read is Offset.
	UpdateTime string
	// MaxBuffered is the most records a Sorted read holds
	// (NoCursorHold when 0).
	MaxBuffered int

	// Filter is the condition evaluated in Go (nil when none): the change
	// check leaves out a record it rejects.
	Filter func(Record) (bool, error)
	// Compare orders two values of one sort key in the SQL order, NULL
	// (nil) first. Paged reads check Kintone's order with it, and a Sorted
	// read sorts by it; values that do not compare count as equal.
	Compare func(a, b any) (int, error)
	// Describe prints the sort keys of a record for an error message.
	Describe func(keys []any) string
}

// Decoder returns the codec that decodes the spec's records.
func (r *Spec) Decoder() field.Codec { return field.Codec{Location: r.Location} }

// DecodeRecord decodes one record of a records.json or cursor response
// (the JSON object {code: {"type","value"}, ...}) with the app's field
// properties and the spec's time zone.
func (r *Spec) DecodeRecord(data []byte) (Record, error) {
	rec, err := r.Decoder().DecodeRecord(data, r.Props)
	return Record(rec), err
}
