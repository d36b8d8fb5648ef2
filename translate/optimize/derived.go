package optimize

import (
	"context"

	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
)

// This file plans derived tables: a subquery in FROM, alone or in a
// join.

// derivedSide plans a derived table of the join: its subquery, the
// conditions that went down to it evaluated in Go over its rows, and the
// columns the statement needs of it.
func (jp *joinPlanner) derivedSide(j *jnode) (plan.Node, []*catalog.Column, error) {
	n, err := derivedPlan(jp.ctx, j.derived, jp.env)
	if err != nil {
		return nil, nil, err
	}
	all := j.derived.Table.Cols
	r := resolver{cols: all}
	if w := r.expr(expr.And(j.conds)); w != nil {
		n = &plan.Filter{Input: n, Cond: w}
	}
	var cols []*catalog.Column
	var items []expr.Expr
	for _, c := range all {
		if jp.need[c] {
			cols = append(cols, c)
			items = append(items, r.expr(&expr.ColRef{Col: c, At: -1}))
		}
	}
	if r.err != nil {
		return nil, nil, r.err
	}
	return &plan.Project{Input: n, Items: items}, cols, nil
}

// optimizeDerived plans a SELECT of one derived table: the subquery as a
// plan of its own, then the outer query over its rows in Go.
func optimizeDerived(ctx context.Context, q *query, env Env) (*Result, error) {
	sub, err := derivedPlan(ctx, q.derived, env)
	if err != nil {
		return nil, err
	}
	g := &goSide{query: q, loc: env.Location, goLimit: true, sortInGo: len(q.order) > 0, residual: q.where, hold: env.MaxBuffered}
	out, err := g.above(sub, nil, q.derived.Table.Cols)
	if err != nil {
		return nil, err
	}
	return &Result{Root: out}, nil
}

// derivedPlan optimizes a derived table's subquery; its rows are the
// derived table's columns in order.
func derivedPlan(ctx context.Context, d *plan.Derived, env Env) (plan.Node, error) {
	env.WriteTargets = false
	root, err := optimizeRoot(ctx, d.Input, env)
	if err != nil {
		return nil, err
	}
	return &plan.Derived{Table: d.Table, Input: root}, nil
}
