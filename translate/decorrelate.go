package translate

import (
	"github.com/kintone-sql/kintone/translate/bind"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// decorrelate turns each correlated subquery of WHERE into a join: a
// condition EXISTS (SELECT ... FROM t WHERE c) of WHERE's top-level AND
// is a semi join of FROM with t on c (NOT EXISTS an anti join), and
// x IN (SELECT y FROM t WHERE c) a semi join on c AND x = y. The join's
// condition then goes where the optimizer puts any other: t's own part
// into t's Kintone query, the equalities into the hash keys, so that a
// correlated subquery costs a read of t (or a lookup by the outer keys),
// never a query per outer row. A correlated subquery elsewhere (under
// OR or NOT, in the select list) is refused with its position.
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
	for _, c := range conjunctsOf(bs.where) {
		s, ok := c.(*expr.Subquery)
		if u, isNot := c.(*expr.Unary); isNot && u.Op == "not" {
			// NOT EXISTS (...), written as NOT over EXISTS.
			if x, isSub := u.X.(*expr.Subquery); isSub && x.Mode == expr.SubExists {
				neg := *x
				neg.Not = !neg.Not
				s, ok = &neg, true
			}
		}
		if !ok || !t.Subs[s.Index].Correlated {
			rest = append(rest, c)
			continue
		}
		st := t.Subs[s.Index]
		sub := st.T
		if sub.Grouped || sub.Having != nil || len(sub.Subs) > 0 {
			return &sqlerr.UnsupportedError{Construct: "correlated subquery with GROUP BY, HAVING, an aggregate or a subquery of its own", Pos: b.Text.Pos(s.At)}
		}
		sbs, err := bindTemplate(sub, b)
		if err != nil {
			return err
		}
		if sbs.limit == 0 {
			return &sqlerr.UnsupportedError{Construct: "correlated subquery with LIMIT 0", Pos: b.Text.Pos(s.At), Hint: "it never returns a row"}
		}
		on := conjunctsOf(sbs.where)
		if s.Mode == expr.SubIn {
			on = append(on, &expr.Cmp{Op: "=", L: s.X, R: sbs.items[0], At: s.At})
		}
		kind := plan.Semi
		if s.Not {
			kind = plan.Anti
		}
		joins = append(joins, &plan.Join{Kind: kind, Right: sbs.from, On: andOf(on)})
	}
	// Any correlated subquery left is in a place no join expresses.
	for _, c := range rest {
		var bad *expr.Subquery
		expr.Walk(c, func(x expr.Expr) bool {
			if s, ok := x.(*expr.Subquery); ok && t.Subs[s.Index].Correlated {
				bad = s
			}
			return bad == nil
		})
		if bad != nil {
			return &sqlerr.UnsupportedError{Construct: "correlated subquery here", Pos: b.Text.Pos(bad.At),
				Hint: "a subquery that names a column of the outer query runs as [NOT] EXISTS or IN, a condition of WHERE joined to the others by AND"}
		}
	}
	for _, e := range append(append([]expr.Expr(nil), bs.items...), bs.having) {
		var bad *expr.Subquery
		expr.Walk(e, func(x expr.Expr) bool {
			if s, ok := x.(*expr.Subquery); ok && t.Subs[s.Index].Correlated {
				bad = s
			}
			return bad == nil
		})
		if bad != nil {
			return &sqlerr.UnsupportedError{Construct: "correlated subquery here", Pos: b.Text.Pos(bad.At),
				Hint: "a subquery that names a column of the outer query runs as [NOT] EXISTS or IN, a condition of WHERE"}
		}
	}
	bs.rest = andOf(rest)
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

// conjunctsOf splits e at its top-level ANDs.
func conjunctsOf(e expr.Expr) []expr.Expr {
	if e == nil {
		return nil
	}
	if l, ok := e.(*expr.Logic); ok && l.And {
		var out []expr.Expr
		for _, t := range l.Terms {
			out = append(out, conjunctsOf(t)...)
		}
		return out
	}
	return []expr.Expr{e}
}

// andOf joins conditions with AND (nil for none).
func andOf(terms []expr.Expr) expr.Expr {
	switch len(terms) {
	case 0:
		return nil
	case 1:
		return terms[0]
	}
	return &expr.Logic{And: true, Terms: terms, At: terms[0].Offset()}
}
