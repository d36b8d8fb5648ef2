package search

import (
	"sort"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// idCut is a condition "$id op literal" (op one of = < <= > >=) that the
// whole condition requires: the query's only condition, or a term of its
// top-level "and" (through parentheses and nested "and"s). Every matching
// record passes it, so over records in ascending ID order the matches lie
// in one run that two binary searches find. That is what makes the page
// clients seek with, "(cond) and $id > last order by $id asc limit 500",
// cost O(page + log n) instead of a scan from the first record.
//
// A cut only narrows where Find looks: the condition is still tested in
// full on each record there, so a cut can never change an answer; except
// when the cuts are the whole condition (Plan.onlyCuts), and fromLower and
// toUpper together are then exactly the test ordering.rel and ordering.eq
// make of "$id op literal".
type idCut struct {
	op field.Op
	b  bound[idLit]
}

// cmp compares an ID with the literal as ordering.rel does for $id (never
// empty, emptyLow): an empty literal is minus infinity, below every ID.
func (k *idCut) cmp(id int64) int {
	if k.b.empty {
		return 1
	}
	return idCmp(id, k.b.lo)
}

// fromLower reports whether id is at or above the cut's lower end: false
// up to some ID and true from there on, as idCmp grows with the ID.
func (k *idCut) fromLower(id int64) bool {
	switch k.op {
	case field.Gt:
		return k.cmp(id) > 0
	case field.Ge, field.Eq:
		return k.cmp(id) >= 0
	}
	return true
}

// toUpper reports whether id is at or below the cut's upper end: true up
// to some ID and false from there on. For "=" with an empty literal it is
// false everywhere, which with fromLower true everywhere leaves no
// record, as ordering.eq matches none.
func (k *idCut) toUpper(id int64) bool {
	switch k.op {
	case field.Lt:
		return k.cmp(id) < 0
	case field.Le, field.Eq:
		return k.cmp(id) <= 0
	}
	return true
}

// idCuts returns the cuts the condition e requires, and whether they are
// the whole condition (e is nil, or a conjunction of cuts only): then the
// records a cut run holds are exactly the matches, and idRange is the
// answer without testing any record. The query compiled without error, so
// every condition in it is valid.
func (c *compiler) idCuts(e kql.Expr, cuts []idCut) ([]idCut, bool) {
	switch e := e.(type) {
	case nil:
		return cuts, true
	case *kql.Paren:
		return c.idCuts(e.X, cuts)
	case *kql.And:
		all := true
		for _, t := range e.Terms {
			var only bool
			cuts, only = c.idCuts(t, cuts)
			all = all && only
		}
		return cuts, all
	case *kql.Cond:
		if k, ok := c.idCut(e); ok {
			return append(cuts, k), true
		}
	}
	return cuts, false
}

// idCut returns the cut a condition is, if it is one.
func (c *compiler) idCut(e *kql.Cond) (idCut, bool) {
	switch e.Op {
	case field.Eq, field.Lt, field.Le, field.Gt, field.Ge:
	default:
		return idCut{}, false
	}
	if len(e.Values) != 1 || e.Values[0].Kind == kql.Func {
		return idCut{}, false
	}
	f, err := c.res.resolve(e.Field)
	if err != nil || kindOf(f) != kindID || f.table != "" {
		return idCut{}, false
	}
	b, err := idBound(e.Values[0])
	if err != nil || b.span {
		return idCut{}, false
	}
	return idCut{op: e.Op, b: b}, true
}

// idRange returns the run of records, which are in ascending ID order,
// that every cut of the plan admits: O(log n) and no allocation.
func (p *Plan) idRange(records []*store.Record) []*store.Record {
	if len(p.cuts) == 0 {
		return records
	}
	lo := sort.Search(len(records), func(i int) bool {
		id := records[i].ID
		for j := range p.cuts {
			if !p.cuts[j].fromLower(id) {
				return false
			}
		}
		return true
	})
	rest := records[lo:]
	hi := sort.Search(len(rest), func(i int) bool {
		id := rest[i].ID
		for j := range p.cuts {
			if !p.cuts[j].toUpper(id) {
				return true
			}
		}
		return false
	})
	return rest[:hi]
}
