package search

import (
	"fmt"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// node tests a compiled condition against a record. A nil node stands for
// a condition that was dropped (PRIMARY_ORGANIZATION() for a caller with
// no primary organization, A.6.5): it constrains nothing.
type node func(r *store.Record) bool

// Match reports whether a record satisfies the query's condition. It does
// not allocate, except for like on text that needs width folding or holds
// HTML character references.
func (p *Plan) Match(r *store.Record) bool {
	return p.where == nil || p.where(r)
}

// condPlan is one compiled condition, before it becomes a node: a test of
// one set of values (the record's, or one SUBTABLE row's) and where to
// apply it.
type condPlan struct {
	// table is the SUBTABLE holding the field, "" for a top-level field.
	table string
	pred  rowPred
	// negative marks not in, not like and is not empty, which on a
	// SUBTABLE field need every row to pass (A.6.6).
	negative bool
	// cheap marks a test of $id: an integer comparison, with no map
	// lookup, that "and" runs before the other terms.
	cheap bool
}

// node turns the condition into a record test.
//
// A.6.6: on a field inside a SUBTABLE a positive condition matches when at
// least one row satisfies it; a negative one when the table has at least
// one row and every row satisfies it; a record with no rows never matches.
func (cp *condPlan) node() node {
	pred := cp.pred
	if cp.table == "" {
		return func(r *store.Record) bool { return pred(r, r.Values) }
	}
	if cp.negative {
		return everyRow(cp.table, pred)
	}
	return anyRow(cp.table, pred)
}

func anyRow(table string, pred rowPred) node {
	return func(r *store.Record) bool {
		for _, row := range rowsOf(r.Values, table) {
			if pred(r, row.Values) {
				return true
			}
		}
		return false
	}
}

func everyRow(table string, pred rowPred) node {
	return func(r *store.Record) bool {
		rows := rowsOf(r.Values, table)
		for _, row := range rows {
			if !pred(r, row.Values) {
				return false
			}
		}
		return len(rows) > 0
	}
}

// expr compiles a condition tree. Conditions are checked in source order,
// so the first faulty condition is the one reported.
func (c *compiler) expr(e kql.Expr) (node, error) {
	switch e := e.(type) {
	case nil:
		return nil, nil
	case *kql.Paren:
		return c.expr(e.X)
	case *kql.Or:
		var nodes []node
		for _, t := range e.Terms {
			n, err := c.expr(t)
			if err != nil {
				return nil, err
			}
			if n != nil {
				nodes = append(nodes, n)
			}
		}
		return anyOf(nodes), nil
	case *kql.And:
		return c.and(e)
	case *kql.Cond:
		cp, err := c.cond(e)
		if err != nil || cp == nil {
			return nil, err
		}
		return cp.node(), nil
	}
	return nil, fmt.Errorf("search: unknown expression %T", e)
}

// and compiles a conjunction, applying the same-row rule of A.6.6: positive
// conditions on fields of one SUBTABLE that are joined by this "and"
// directly must all hold in one row. With row 1 = (apple, 100) and row 2 =
// (orange, 200), `name in ("apple") and qty in ("100")` matches and
// `name in ("apple") and qty in ("200")` does not.
//
// Untested in Kintone, and chosen here [U]:
//   - A condition inside parentheses, or under an "or", is an independent
//     EXISTS test, as A.6.6 suggests.
//   - A negative condition (not in, not like, is not empty) keeps its own
//     every-row meaning beside the same-row group; putting it in the group
//     would make it mean "some row fails the test", the opposite of what it
//     means alone.
func (c *compiler) and(e *kql.And) (node, error) {
	type group struct {
		table string
		preds []rowPred
		at    int // index of the group's node in nodes
	}
	var (
		nodes  []node
		cheap  []node // tests of $id, run first
		groups []group
	)
	for _, t := range e.Terms {
		cond, ok := t.(*kql.Cond)
		if !ok {
			n, err := c.expr(t)
			if err != nil {
				return nil, err
			}
			if n != nil {
				nodes = append(nodes, n)
			}
			continue
		}
		cp, err := c.cond(cond)
		if err != nil {
			return nil, err
		}
		switch {
		case cp == nil:
			continue
		case cp.cheap:
			cheap = append(cheap, cp.node())
			continue
		case cp.table == "" || cp.negative:
			nodes = append(nodes, cp.node())
			continue
		}
		found := false
		for i := range groups {
			if groups[i].table == cp.table {
				groups[i].preds = append(groups[i].preds, cp.pred)
				found = true
				break
			}
		}
		if !found {
			groups = append(groups, group{table: cp.table, preds: []rowPred{cp.pred}, at: len(nodes)})
			nodes = append(nodes, nil) // filled in below
		}
	}
	for _, g := range groups {
		nodes[g.at] = anyRow(g.table, allPreds(g.preds))
	}
	// The terms have no side effects and cannot fail, so their order
	// changes no answer; the cheap $id bound of a seek page then rejects
	// a record before a long in list or a like looks at it.
	return allOf(append(cheap, nodes...)), nil
}

// allPreds is the conjunction of row predicates.
func allPreds(ps []rowPred) rowPred {
	if len(ps) == 1 {
		return ps[0]
	}
	return func(r *store.Record, vals map[string]any) bool {
		for _, p := range ps {
			if !p(r, vals) {
				return false
			}
		}
		return true
	}
}

// allOf is the conjunction of nodes; nil when there is none.
func allOf(ns []node) node {
	switch len(ns) {
	case 0:
		return nil
	case 1:
		return ns[0]
	case 2:
		a, b := ns[0], ns[1]
		return func(r *store.Record) bool { return a(r) && b(r) }
	}
	return func(r *store.Record) bool {
		for _, n := range ns {
			if !n(r) {
				return false
			}
		}
		return true
	}
}

// anyOf is the disjunction of nodes; nil when there is none.
func anyOf(ns []node) node {
	switch len(ns) {
	case 0:
		return nil
	case 1:
		return ns[0]
	case 2:
		a, b := ns[0], ns[1]
		return func(r *store.Record) bool { return a(r) || b(r) }
	}
	return func(r *store.Record) bool {
		for _, n := range ns {
			if n(r) {
				return true
			}
		}
		return false
	}
}

// isNegative reports whether op is one of the negated operators that have
// every-row semantics inside a SUBTABLE. != never reaches a SUBTABLE field
// (GAIA_IQ07).
func isNegative(op field.Op) bool {
	return op == field.NotIn || op == field.NotLike || op == field.IsNotEmpty
}
