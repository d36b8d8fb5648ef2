package translate

import (
	"github.com/kintone-sql/kintone/translate/bind"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
)

// decorrelate turns each correlated subquery of WHERE into a join: a
// condition EXISTS (SELECT ... FROM t WHERE c) of WHERE's top-level AND
// is a semi join of FROM with t on c (NOT EXISTS an anti join), and
// x IN (SELECT y FROM t WHERE c) a semi join on c AND x = y. The join's
// condition then goes where the optimizer puts any other: t's own part
// into t's Kintone query, the equalities into the hash keys, so that a
// correlated subquery costs a read of t (or a lookup by the outer keys),
// never a query per outer row. A correlated subquery elsewhere (under
// OR or NOT, a value in the select list, NOT IN) runs for each distinct
// set of the outer values it reads (plan.Apply.PerRow).
func (bs *boundSelect) decorrelate(t *bind.SelectTemplate, b *bind.Binder) error {
	correlated := false
	for _, st := range t.Subs {
		correlated = correlated || st.Correlated
	}
	if !correlated {
		return nil
	}
	var joins []*plan.Join
	var rest []expr.Expr
	for _, c := range expr.Conjuncts(bs.where) {
		s, ok := c.(*expr.Subquery)
		if u, isNot := c.(*expr.Unary); isNot && u.Op == "not" {
			// NOT EXISTS (...), written as NOT over EXISTS.
			if x, isSub := u.X.(*expr.Subquery); isSub && x.Mode == expr.SubExists {
				neg := *x
				neg.Not = !neg.Not
				s, ok = &neg, true
			}
		}
		if ok && s.Mode == expr.SubIn && s.Not {
			// NOT IN keeps SQL's NULL rules (a NULL in the list, or a
			// NULL x, is never TRUE), which an anti join does not: row by
			// row.
			ok = false
		}
		if !ok || !t.Subs[s.Index].Correlated {
			rest = append(rest, c)
			continue
		}
		st := t.Subs[s.Index]
		sub := st.T
		if sub.Set != nil || sub.Grouped || sub.Having != nil || len(sub.Subs) > 0 || len(sub.Windows) > 0 || outerInJoins(sub.From) {
			// Not a plain filter of its tables: row by row.
			rest = append(rest, c)
			continue
		}
		sbs, err := bindTemplate(sub, b)
		if err != nil {
			return err
		}
		// LIMIT k (k >= 1) changes nothing of EXISTS; any other LIMIT or
		// OFFSET picks rows, which a join cannot: row by row.
		if sbs.offset != 0 || sbs.limit == 0 || sbs.limit > 0 && s.Mode != expr.SubExists {
			rest = append(rest, c)
			continue
		}
		on := expr.Conjuncts(sbs.where)
		if s.Mode == expr.SubIn {
			on = append(on, &expr.Cmp{Op: "=", L: s.X, R: sbs.items[0], At: s.At})
		}
		kind := plan.Semi
		if s.Not {
			kind = plan.Anti
		}
		joins = append(joins, &plan.Join{Kind: kind, Right: sbs.from, On: expr.And(on)})
		bs.subs[s.Index] = nil // joined: not computed on its own
	}
	bs.rest = expr.And(rest)
	bs.semi = func(n plan.Node) plan.Node {
		for _, j := range joins {
			c := *j
			c.Left = n
			n = &c
		}
		return n
	}
	return nil
}

// outerInJoins reports whether a join of f names a column of a table
// outside f (an outer query's, in a subquery): such a join cannot be
// planned apart from the outer row.
func outerInJoins(f bind.From) bool {
	own := map[*catalog.Column]bool{}
	for _, t := range f.Tables() {
		for _, c := range t.Cols {
			own[c] = true
		}
	}
	found := false
	var walk func(f bind.From)
	walk = func(f bind.From) {
		j, ok := f.(*bind.FromJoin)
		if !ok || found {
			return
		}
		expr.Walk(j.On, func(x expr.Expr) bool {
			if c, ok := x.(*expr.ColRef); ok && !own[c.Col] {
				found = true
			}
			return !found
		})
		walk(j.L)
		walk(j.R)
	}
	walk(f)
	return found
}
