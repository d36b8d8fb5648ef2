package optimize

import (
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
)

// This file plans an app joined to its own child table as one read
// (plan.Unnest).

// parentChild plans a join of an app with its own child table on $id
// (FROM orders o JOIN orders.items i ON i.$id = o.$id, or EXISTS (SELECT
// ... FROM orders.items i WHERE i.$id = o.$id ...)) as one read of the
// app and a plan.Unnest, instead of two reads of the same records. For
// an inner or semi join the child table's own conditions also narrow
// the read: Kintone returns the records with a subtable row that
// matches them (a superset, checked again row by row in Go). ok is false
// when j is not such a join.
func (jp *joinPlanner) parentChild(j *jnode) (n plan.Node, cols []*catalog.Column, ok bool, err error) {
	l, r := j.l, j.r
	if l.table == nil || r.table == nil || l.derived != nil || r.derived != nil {
		return nil, nil, false, nil
	}
	p, c, pSide := l, r, 0
	if !parentOf(p.table, c.table) {
		p, c, pSide = r, l, 1
		if !parentOf(p.table, c.table) {
			return nil, nil, false, nil
		}
	}
	pid, cid := p.table.Column(catalog.ColID), c.table.Column(catalog.ColID)
	var rest []expr.Expr
	found := false
	for _, cond := range j.on {
		if !found && sameColumns(cond, pid, cid) {
			found = true
			continue
		}
		rest = append(rest, cond)
	}
	// Every child row has its record, so a join that keeps the child
	// rows (RIGHT to the child, FULL) adds none of its own as long as
	// nothing but $id = $id decides the match; otherwise it is the
	// general join's.
	bare := len(rest) == 0 && len(p.conds) == 0 && len(c.conds) == 0
	var kind plan.JoinKind
	switch {
	case j.kind == plan.Inner, j.kind == plan.Cross:
		kind = plan.Inner
	case j.kind == plan.Full && bare:
		kind = plan.Left
	case j.kind.Preserves(pSide) && !j.kind.Preserves(1-pSide):
		kind = plan.Left // the records are the preserved side
	case (j.kind == plan.Left || j.kind == plan.Right) && bare:
		kind = plan.Inner // the child rows are the preserved side
	case j.kind.Filters() && pSide == 0:
		kind = j.kind
	default:
		return nil, nil, false, nil
	}
	sub := p.table.Column(c.table.Sub.Code)
	if !found || pid == nil || sub == nil {
		return nil, nil, false, nil
	}
	for _, cond := range append(append([]expr.Expr(nil), c.conds...), rest...) {
		if expr.FindKFunc(cond) != nil {
			return nil, nil, false, nil // Kintone's functions need the child table's own read
		}
	}
	jp.need[pid], jp.need[sub] = true, true
	pn, pcols, err := jp.side(p.table, p.conds, nil)
	if err != nil {
		return nil, nil, true, err
	}
	if kind == plan.Inner || kind == plan.Semi {
		sp := (&Pusher{Table: c.table, Loc: jp.env.Location}).SplitWhere(expr.And(c.conds))
		if kr := kintoneRead(pn); kr != nil && sp.Query != nil && kr.Read.Query != nil {
			read := *kr.Read
			q := *read.Query
			if q.Where == nil {
				q.Where = sp.Query
			} else {
				q.Where = kql.AndOf(q.Where, sp.Query)
			}
			read.Query = &q
			kr.Read = &read
		}
	}
	// The child columns read: those needed above, and those the
	// conditions evaluated here read.
	cneed := map[*catalog.Column]bool{}
	for _, cond := range append(append([]expr.Expr(nil), c.conds...), rest...) {
		for _, col := range refs(cond) {
			cneed[col] = true
		}
	}
	var ccols []*catalog.Column
	for _, col := range c.table.Cols {
		if jp.need[col] || cneed[col] {
			ccols = append(ccols, col)
		}
	}
	all := append(append([]*catalog.Column(nil), pcols...), ccols...)
	u := &plan.Unnest{Kind: kind, Input: pn, IDCol: colIndex(pcols, pid), SubCol: colIndex(pcols, sub), Columns: codes(ccols)}
	r2 := resolver{cols: all}
	u.Cond = r2.expr(expr.And(append(append([]expr.Expr(nil), c.conds...), rest...)))
	if r2.err != nil {
		return nil, nil, true, r2.err
	}
	if kind.Filters() {
		return u, pcols, true, nil
	}
	return u, all, true, nil
}

// parentOf reports whether c is a child table of p's app.
func parentOf(p, c *catalog.Table) bool {
	return p.App != nil && c.App != nil && p.Sub == nil && c.Sub != nil && p.Virtual == nil && p.App.ID == c.App.ID
}

// sameColumns reports whether cond is a = b (either way round) of the
// columns a and b.
func sameColumns(cond expr.Expr, a, b *catalog.Column) bool {
	cmp, ok := cond.(*expr.Cmp)
	if !ok || cmp.Op != "=" {
		return false
	}
	l, lok := cmp.L.(*expr.ColRef)
	r, rok := cmp.R.(*expr.ColRef)
	return lok && rok && (l.Col == a && r.Col == b || l.Col == b && r.Col == a)
}

// colIndex is the position of c in cols, -1 when absent.
func colIndex(cols []*catalog.Column, c *catalog.Column) int {
	for i, x := range cols {
		if x == c {
			return i
		}
	}
	return -1
}

// reassociate regroups (a JOIN p) JOIN c ON c.$id = p.$id, where c is
// p's own child table and both joins are inner, as a JOIN (p JOIN c), so
// that p and c are one read (parentChild): three tables such as
// customers, orders and orders.items read orders once. Inner joins may be
// regrouped freely; the conditions go with the tables they read.
func reassociate(j *jnode) *jnode {
	if j == nil || j.table != nil {
		return j
	}
	j.l, j.r = reassociate(j.l), reassociate(j.r)
	c, inner := j.r, j.l
	if j.kind != plan.Inner || c.table == nil || c.table.Sub == nil || inner.table != nil || inner.kind != plan.Inner {
		return j
	}
	for side, p := range []*jnode{inner.l, inner.r} {
		if p.table == nil || p.derived != nil || !parentOf(p.table, c.table) {
			continue
		}
		pid, cid := p.table.Column(catalog.ColID), c.table.Column(catalog.ColID)
		pc := &jnode{kind: plan.Inner, l: p, r: c, cols: map[*catalog.Column]bool{}, limit: -1}
		for col := range p.cols {
			pc.cols[col] = true
		}
		for col := range c.cols {
			pc.cols[col] = true
		}
		found := false
		var top []expr.Expr
		for _, cond := range j.on {
			if within(cond, pc.cols) {
				// What reads p and c alone (the $id equality among it)
				// is the new join's.
				found = found || sameColumns(cond, pid, cid)
				pc.on = append(pc.on, cond)
				continue
			}
			top = append(top, cond)
		}
		if !found {
			return j
		}
		other := inner.r
		if side == 1 {
			other = inner.l
		}
		return &jnode{kind: plan.Inner, l: other, r: pc, on: append(append([]expr.Expr(nil), inner.on...), top...), cols: j.cols, limit: -1}
	}
	return j
}
