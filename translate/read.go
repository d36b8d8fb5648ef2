package translate

import (
	"encoding/json"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/translate/catalog"
)

// Strategy is how a plan reads records from Kintone (DESIGN.md, "Reading:
// pick the cheapest plan the API allows").
type Strategy int

const (
	// StrategyNone: no request at all (a metadata table, LIMIT 0, a
	// condition that can never hold). Read is nil.
	StrategyNone Strategy = iota
	// StrategySingle: one GET records.json with Read.Query, which holds the
	// limit and offset.
	StrategySingle
	// StrategyCount: one GET records.json with Read.Query (limit 1) and
	// totalCount=true; pass the count to Select.RunCount.
	StrategyCount
	// StrategySeek: GET pages of Read.SeekQuery, following $id.
	StrategySeek
	// StrategyCursor: POST records/cursor.json with Read.Query, Read.Fields
	// and size Read.PageSize, GET until next is false, DELETE the cursor
	// when stopping early.
	StrategyCursor
	// StrategyOffset: GET pages of Read.Paging (limit and offset, each
	// page anchored on the last record of the one before), for orders
	// other than $id when the read ends within Kintone's offset limit
	// (with Read.CursorFallback: when the first page's total says so).
	StrategyOffset
	// StrategyKeyset: GET pages of Read.Paging, each asking for the
	// records after the sort keys of the last record read, for orders by
	// keys that are never empty, compare exactly and never change (the
	// creation time, $id).
	StrategyKeyset
)

// String names the strategy.
func (s Strategy) String() string {
	switch s {
	case StrategySingle:
		return "single"
	case StrategyCount:
		return "count"
	case StrategySeek:
		return "seek"
	case StrategyCursor:
		return "cursor"
	case StrategyOffset:
		return "offset"
	case StrategyKeyset:
		return "keyset"
	}
	return "none"
}

// Read is the Kintone side of a plan: which app, which records, which
// fields, and how to page.
type Read struct {
	// App is the app ID.
	App int64
	// Strategy says how to read.
	Strategy Strategy
	// Fields lists exactly the field codes the plan needs ("$id" among
	// them for seek paging), in the app's form order with $id first.
	Fields []string
	// Query is the pushed-down query: the condition Kintone evaluates and
	// the order it sorts in (StrategySingle: with limit and offset;
	// StrategyCount: with limit 1; StrategySeek: the order by $id of the
	// first page; StrategyCursor: no limit or offset, as the cursor API
	// requires). Print it with Query.String(); every value in it went
	// through kql.Quote.
	Query *kql.Query
	// PageSize is the number of records per page for paged strategies.
	PageSize int
	// MaxRecords is the most records the plan will consume (0: all that
	// match). A paged read may stop once it has read that many.
	MaxRecords int64
	// Offset is the offset of the first record for StrategyOffset.
	Offset int64
	// CursorFallback is set on a StrategyOffset read that may not end
	// within Kintone's offset limit: its first page asks for the total,
	// and when Offset plus the records the read needs pass MaxOffset, the
	// read goes on as StrategyCursor would, from the start, skipping
	// Offset records and reading at most MaxRecords (Paging.Fallback).
	CursorFallback bool
	// Desc is set when a seek read walks $id downwards.
	Desc bool
	// NoCursor is set under CursorNever: the read never opens a cursor. An
	// offset read whose first page shows that it cannot run its change
	// check (Paging.Fallback) goes on as a Sorted read instead, and fails
	// (Sorted.TooMany) when that cannot hold its records.
	NoCursor bool
	// Unordered is set on a seek read whose rows do not depend on the
	// order records arrive in: no ORDER BY reaches Kintone and no LIMIT
	// picks rows by position (an ORDER BY done in Go sorts them anyway).
	// A driver may then read $id ranges in parallel and hand pages over
	// as they come.
	Unordered bool

	codec field.Codec
	props map[string]*field.Property
	// updated is the code of the app's update-time field, which the
	// change check of an offset read asks for (see changeCheck); "" when
	// the app has none, and then no read is StrategyOffset.
	updated string
	// filter is the condition evaluated in Go (nil when none): the change
	// check leaves out a record it rejects.
	filter func(catalog.Record) (bool, error)
	// maxBuffered is Options.MaxBufferedRows, for a Sorted read.
	maxBuffered int
}

// DecodeRecord decodes one record of a records.json or cursor response
// (the JSON object {code: {"type","value"}, ...}) with the app's field
// properties and the plan's time zone.
func (r *Read) DecodeRecord(data []byte) (catalog.Record, error) {
	rec, err := r.codec.DecodeRecord(data, r.props)
	return catalog.Record(rec), err
}

// DecodeField decodes one field of a record (its code, type and raw
// "value") as DecodeRecord would, for a driver whose HTTP client has split
// the records into fields already: it saves encoding them back into JSON.
func (r *Read) DecodeField(code string, t field.Type, value json.RawMessage) (any, error) {
	return r.codec.DecodeField(code, t, value, r.props)
}

// SeekQuery returns the query for the next page of a seek read and the
// page's limit. last is the $id of the last record read (0 before the
// first page) and read the number of records read so far. Kintone's
// client libraries page the same way: "(cond) and $id > last order by $id
// asc limit 500".
func (r *Read) SeekQuery(last, read int64) (query string, limit int) {
	limit = r.pageLimit(read)
	if r.Desc {
		return r.idQuery(0, last, true, limit), limit
	}
	return r.idQuery(last, 0, false, limit), limit
}

// RangeQuery returns the query for a page of the records with
// lo < $id <= hi, in ascending $id order, and the page's limit: a driver
// reading an Unordered seek read as $id ranges pages each range with it,
// lo following the last $id read.
func (r *Read) RangeQuery(lo, hi int64) (query string, limit int) {
	return r.idQuery(lo, hi, false, r.PageSize), r.PageSize
}

// MaxIDQuery returns the query for the matching record with the highest
// $id (fields: $id): where a range read ends.
func (r *Read) MaxIDQuery() string { return r.idQuery(0, 0, true, 1) }

// idQuery is the plan's condition with lo < $id < hi (desc) or
// lo < $id <= hi (ascending), a bound of 0 being left out, ordered by $id
// and limited to limit.
func (r *Read) idQuery(lo, hi int64, desc bool, limit int) string {
	var terms []kql.Expr // a new slice: the plan's own tree is shared
	if r.Query.Where != nil {
		terms = append(terms, r.Query.Where)
	}
	and := func(op field.Op, id int64) {
		terms = append(terms, &kql.Cond{Field: catalog.ColID, Op: op, Values: []kql.Value{{Kind: kql.Number, Text: catalog.FormatInt(id)}}})
	}
	if lo > 0 {
		and(field.Gt, lo)
	}
	if hi > 0 {
		op := field.Le
		if desc {
			op = field.Lt // SeekQuery walking down from the last $id read
		}
		and(op, hi)
	}
	l := int64(limit)
	q := &kql.Query{OrderBy: []kql.OrderKey{{Field: catalog.ColID, Desc: desc}}, Limit: &l}
	switch len(terms) {
	case 0:
	case 1:
		q.Where = terms[0]
	default:
		q.Where = &kql.And{Terms: terms}
	}
	return q.String()
}

// More reports whether a paged read should fetch another page after one
// that returned n records for a page limit of limit, read records in all.
func (r *Read) More(n, limit int, read int64) bool {
	return n >= limit && limit > 0 && (r.MaxRecords == 0 || read < r.MaxRecords)
}

// pageLimit is the limit of the next page.
func (r *Read) pageLimit(read int64) int {
	limit := r.PageSize
	if r.MaxRecords > 0 && r.MaxRecords-read < int64(limit) {
		limit = int(max(r.MaxRecords-read, 0))
	}
	return limit
}
