package scan

import (
	"strconv"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
)

// Kintone's limits on a read (REST-API.md §4.1).
const (
	// MaxPageSize is the most records one GET records.json returns.
	MaxPageSize = 500
	// MaxOffset is the largest offset Kintone accepts.
	MaxOffset = 10000
)

// colID and colRevision are the record's $id and its revision (1 until
// its first change).
const (
	colID       = "$id"
	colRevision = "$revision"
)

// SeekQuery returns the query for the next page of a seek read and the
// page's limit. last is the $id of the last record read (0 before the
// first page) and read the number of records read so far. Kintone's
// client libraries page the same way: "(cond) and $id > last order by $id
// asc limit 500".
func (r *Spec) SeekQuery(last, read int64) (query string, limit int) {
	limit = r.pageLimit(read)
	if r.Desc {
		return r.idQuery(0, last, true, limit), limit
	}
	return r.idQuery(last, 0, false, limit), limit
}

// idQuery is the plan's condition with lo < $id < hi (desc) or
// lo < $id <= hi (ascending), a bound of 0 being left out, ordered by $id
// and limited to limit.
func (r *Spec) idQuery(lo, hi int64, desc bool, limit int) string {
	var terms []kql.Expr // a new slice: the plan's own tree is shared
	if r.Query.Where != nil {
		terms = append(terms, r.Query.Where)
	}
	and := func(op field.Op, id int64) {
		terms = append(terms, idCond(op, id))
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
	q := &kql.Query{OrderBy: []kql.OrderKey{{Field: colID, Desc: desc}}, Limit: &l}
	q.Where = kql.AndOf(terms...)
	return q.String()
}

// idCond is "$id op id".
func idCond(op field.Op, id int64) *kql.Cond {
	return &kql.Cond{Field: colID, Op: op, Values: []kql.Value{{Kind: kql.Number, Text: strconv.FormatInt(id, 10)}}}
}

// More reports whether a paged read should fetch another page after one
// that returned n records for a page limit of limit, read records in all.
func (r *Spec) More(n, limit int, read int64) bool {
	return n >= limit && limit > 0 && (r.MaxRecords == 0 || read < r.MaxRecords)
}

// pageLimit is the limit of the next page.
func (r *Spec) pageLimit(read int64) int {
	limit := r.PageSize
	if r.MaxRecords > 0 && r.MaxRecords-read < int64(limit) {
		limit = int(max(r.MaxRecords-read, 0))
	}
	return limit
}
