package scan

import (
	"fmt"
	"strconv"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
)

// fitsOffsetLimit reports whether an offset read whose first page says
// total records match reads nothing past Kintone's offset limit.
func (r *Spec) fitsOffsetLimit(total int64) bool {
	if total < 0 {
		return false
	}
	need := max(total-r.Offset, 0)
	if r.MaxRecords > 0 {
		need = min(need, r.MaxRecords)
	}
	return r.Offset+need <= MaxOffset
}

// offsetRequest is the page of limit records at offset, of the read's
// records that also meet rebase (nil: all of them).
func (r *Spec) offsetRequest(rebase kql.Expr, offset int64, limit int) PageRequest {
	q := &kql.Query{Where: r.Query.Where, OrderBy: r.Query.OrderBy}
	if rebase != nil {
		q.Where = rebase
		if r.Query.Where != nil {
			q.Where = kql.AndOf(r.Query.Where, rebase)
		}
	}
	l := int64(limit)
	q.Limit = &l
	if offset > 0 {
		q.Offset = &offset
	}
	return PageRequest{Query: q.String(), Limit: limit, Offset: offset}
}

// keysetQuery is the page of limit records after the sort keys of after
// (from the first record when after is nil): for keys k1, k2, ..., kn
// (kn is $id), the read's condition and "(k1 > v1 or (k1 = v1 and k2 >
// v2) or ...)", with < for descending keys.
func (r *Spec) keysetQuery(after Record, limit int) (string, error) {
	q := &kql.Query{Where: r.Query.Where, OrderBy: r.Query.OrderBy}
	l := int64(limit)
	q.Limit = &l
	if after == nil {
		return q.String(), nil
	}
	keys := r.Query.OrderBy
	vals := make(map[string]kql.Value, len(keys))
	for _, k := range keys {
		v, ok := keysetValue(after[k.Field])
		if !ok {
			return "", fmt.Errorf("kintone: internal error: a keyset read met %v in sort key %s", after[k.Field], k.Field)
		}
		vals[k.Field] = v
	}
	var alts []kql.Expr
	for i, k := range keys {
		var terms []kql.Expr
		for _, eq := range keys[:i] {
			terms = append(terms, &kql.Cond{Field: eq.Field, Op: field.Eq, Values: []kql.Value{vals[eq.Field]}})
		}
		op := field.Gt
		if k.Desc {
			op = field.Lt
		}
		terms = append(terms, &kql.Cond{Field: k.Field, Op: op, Values: []kql.Value{vals[k.Field]}})
		if len(terms) == 1 {
			alts = append(alts, terms[0])
		} else {
			alts = append(alts, &kql.And{Terms: terms})
		}
	}
	var seek kql.Expr = &kql.Or{Terms: alts}
	if len(alts) == 1 {
		seek = alts[0]
	}
	if q.Where == nil {
		q.Where = seek
	} else {
		q.Where = &kql.And{Terms: []kql.Expr{q.Where, seek}}
	}
	return q.String(), nil
}

// keysetValue is the query literal of a sort key of a keyset read: the
// planner picks Keyset only for keys whose values are never empty
// and print exactly ($id, the creation time, at whole minutes as Kintone
// keeps it).
func keysetValue(v any) (kql.Value, bool) {
	switch x := v.(type) {
	case int64:
		return kql.Value{Kind: kql.Number, Text: strconv.FormatInt(x, 10)}, true
	case time.Time:
		return kql.Value{Kind: kql.String, Text: x.UTC().Format("2006-01-02T15:04:05Z")}, true
	}
	return kql.Value{}, false
}
