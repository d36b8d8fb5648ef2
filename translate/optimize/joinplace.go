package optimize

import (
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
)

// This file places the conditions of a join: what goes down to each
// side, what the join evaluates, what stays above it.

// jnode is the join tree while conditions are placed: a table (with the
// conditions that went down to it) or a join of two.
type jnode struct {
	table   *catalog.Table // a leaf
	derived *plan.Derived  // a leaf that is a subquery
	conds   []expr.Expr    // a leaf's conditions
	limit   int64          // a leaf's own LIMIT, -1 for none (limitPreserved)
	order   []plan.Order   // the order that LIMIT keeps

	kind plan.JoinKind
	l, r *jnode
	on   []expr.Expr // the conjuncts the join evaluates

	cols map[*catalog.Column]bool // the columns of every table under the node
}

// build turns the binder's join tree into jnodes.
func build(n plan.Node) *jnode {
	switch n := n.(type) {
	case *plan.Scan:
		j := &jnode{table: n.Table, cols: map[*catalog.Column]bool{}, limit: -1}
		for _, c := range n.Table.Cols {
			j.cols[c] = true
		}
		return j
	case *plan.Derived:
		j := build(&plan.Scan{Table: n.Table})
		j.derived = n
		return j
	case *plan.Join:
		j := &jnode{kind: n.Kind, l: build(n.Left), r: build(n.Right), cols: map[*catalog.Column]bool{}, limit: -1}
		j.on = expr.Conjuncts(n.On)
		for c := range j.l.cols {
			j.cols[c] = true
		}
		for c := range j.r.cols {
			j.cols[c] = true
		}
		return j
	}
	return nil
}

// refs returns the columns e reads.
func refs(e expr.Expr) []*catalog.Column {
	var out []*catalog.Column
	expr.Walk(e, func(x expr.Expr) bool {
		if c, ok := x.(*expr.ColRef); ok {
			out = append(out, c.Col)
		}
		return true
	})
	return out
}

// within reports whether every column e reads is among cols (true for an
// expression that reads none).
func within(e expr.Expr, cols map[*catalog.Column]bool) bool {
	for _, c := range refs(e) {
		if !cols[c] {
			return false
		}
	}
	return true
}

// place puts each condition where it is evaluated, from the top: those
// that may go below the join n go down, the rest stay in n.on (a join's
// own conjuncts) or are returned to be evaluated above n.
func (j *jnode) place(conds []expr.Expr, loc *locEnv) (above []expr.Expr) {
	if j.table != nil {
		j.conds = append(j.conds, conds...)
		return nil
	}
	// A WHERE conjunct that rejects the NULLs of an outer join's
	// unmatched side makes those rows vanish anyway: the join is an inner
	// join on that side.
	for _, c := range conds {
		if j.kind.Preserves(0) && loc.rejectsNull(c, j.r.cols) {
			j.kind = dropPreserved(j.kind, 0)
		}
		if j.kind.Preserves(1) && loc.rejectsNull(c, j.l.cols) {
			j.kind = dropPreserved(j.kind, 1)
		}
	}
	var toL, toR []expr.Expr
	switch j.kind {
	case plan.Inner, plan.Cross:
		for _, c := range append(conds, j.on...) {
			switch {
			case len(refs(c)) == 0 || within(c, j.l.cols):
				toL = append(toL, c)
			case within(c, j.r.cols):
				toR = append(toR, c)
			default:
				above = append(above, c)
			}
		}
		// What reads both sides is the join's condition.
		j.on, above = above, nil
		if len(j.on) > 0 {
			j.kind = plan.Inner
		}
	case plan.Left, plan.Right:
		kept, other := j.l, j.r // the preserved side, the other
		if j.kind == plan.Right {
			kept, other = j.r, j.l
		}
		var toKept, toOther, on []expr.Expr
		for _, c := range conds {
			if len(refs(c)) > 0 && within(c, kept.cols) {
				toKept = append(toKept, c)
			} else {
				above = append(above, c)
			}
		}
		for _, c := range j.on {
			if len(refs(c)) > 0 && within(c, other.cols) {
				toOther = append(toOther, c)
			} else {
				on = append(on, c)
			}
		}
		j.on = on
		toL, toR = toKept, toOther
		if j.kind == plan.Right {
			toL, toR = toOther, toKept
		}
	case plan.Full:
		above = conds
	case plan.Semi, plan.Anti:
		// WHERE can only name the left side. The subquery's conditions
		// that read the right side alone go into it; for a semi join,
		// those that read the left side alone hold for the row whatever
		// matches (EXISTS (... WHERE o.x > 1 AND ...) is o.x > 1 AND
		// EXISTS (...)); the rest is evaluated on each pair.
		var on []expr.Expr
		for _, c := range conds {
			if len(refs(c)) > 0 && within(c, j.l.cols) {
				toL = append(toL, c)
			} else {
				above = append(above, c)
			}
		}
		for _, c := range j.on {
			switch {
			case len(refs(c)) > 0 && within(c, j.r.cols):
				toR = append(toR, c)
			case j.kind == plan.Semi && len(refs(c)) > 0 && within(c, j.l.cols):
				toL = append(toL, c)
			default:
				on = append(on, c)
			}
		}
		j.on = on
	}
	above = append(above, j.l.place(toL, loc)...)
	above = append(above, j.r.place(toR, loc)...)
	return above
}

// dropPreserved is kind without the preserved rows of side.
func dropPreserved(k plan.JoinKind, side int) plan.JoinKind {
	switch {
	case k == plan.Full && side == 0:
		return plan.Right
	case k == plan.Full && side == 1:
		return plan.Left
	}
	return plan.Inner
}

// locEnv evaluates conditions for rejectsNull.
type locEnv struct{ env Env }

// rejectsNull reports whether condition c can only be TRUE when some
// column of cols is not NULL, so that the rows an outer join adds with
// those columns NULL fail it: c tests a column of cols strictly (a
// comparison, IN, BETWEEN, LIKE or IS NOT NULL whose operand is NULL when
// the column is), or c reads only columns of cols and is not TRUE when
// they are all NULL.
func (l *locEnv) rejectsNull(c expr.Expr, cols map[*catalog.Column]bool) bool {
	switch n := c.(type) {
	case *expr.Logic:
		if n.And {
			for _, t := range n.Terms {
				if l.rejectsNull(t, cols) {
					return true
				}
			}
			return false
		}
		for _, t := range n.Terms {
			if !l.rejectsNull(t, cols) {
				return false
			}
		}
		return len(n.Terms) > 0
	case *expr.Cmp:
		if n.Op != "<=>" && (strict(n.L, cols) || strict(n.R, cols)) {
			return true
		}
	case *expr.In:
		if strict(n.X, cols) {
			return true
		}
	case *expr.Between:
		if strict(n.X, cols) {
			return true
		}
	case *expr.Like:
		if strict(n.X, cols) {
			return true
		}
	case *expr.IsNull:
		if n.Not && strict(n.X, cols) {
			return true
		}
	}
	rs := refs(c)
	if len(rs) == 0 || !within(c, cols) {
		return false
	}
	// Evaluate c with its columns NULL.
	var all []*catalog.Column
	for col := range cols {
		all = append(all, col)
	}
	resolved, err := expr.ResolveColumns(c, all)
	if err != nil {
		return false
	}
	ok, err := (&expr.Env{Row: make([]any, len(all)), Loc: l.env.Location}).EvalBool(resolved)
	return err == nil && !ok
}

// strict reports whether e is NULL whenever the columns of cols it reads
// are: a column of cols, or arithmetic over one.
func strict(e expr.Expr, cols map[*catalog.Column]bool) bool {
	switch n := e.(type) {
	case *expr.ColRef:
		return cols[n.Col]
	case *expr.Binary:
		return strict(n.L, cols) || strict(n.R, cols)
	case *expr.Unary:
		return n.Op == "-" && strict(n.X, cols)
	}
	return false
}
