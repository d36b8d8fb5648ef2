package optimize

import (
	"context"

	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
)

// optimizeSubqueries plans a query whose expressions read subqueries
// that do not depend on its rows: each subquery planned on its own, and
// the query planned again once their values are known (plan.Apply), so
// that x IN (SELECT ...) reaches Kintone as x in (the values) when they
// are few enough for one query (LookupBatch, LookupChars); past that the
// IN is evaluated in Go, by hashing.
func optimizeSubqueries(ctx context.Context, sq *plan.Subqueries, env Env) (*Result, error) {
	env.WriteTargets = false
	out := &plan.Apply{Modes: sq.Modes, Hold: env.MaxBuffered}
	if out.Hold <= 0 {
		out.Hold = DefaultJoinHold
	}
	for _, s := range sq.Subs {
		if s == nil {
			out.Subs = append(out.Subs, nil) // joined to the query
			continue
		}
		res, err := Optimize(ctx, s, env)
		if err != nil {
			return nil, err
		}
		out.Subs = append(out.Subs, res.Root)
	}
	if res, err := Optimize(ctx, sq.Input, env); err == nil {
		out.Input = res.Root
	}
	input := sq.Input
	out.Plan = func(results []expr.SubResult) (plan.Node, error) {
		n, err := plan.MapExprs(input, func(e expr.Expr) (expr.Expr, error) {
			return expr.Substitute(e, results, LookupBatch, LookupChars)
		})
		if err != nil {
			return nil, err
		}
		res, err := Optimize(ctx, n, env)
		if err != nil {
			return nil, err
		}
		return res.Root, nil
	}
	return &Result{Root: out}, nil
}
