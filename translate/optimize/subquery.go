package optimize

import (
	"context"
	"errors"

	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
	"github.com/kintone-sql/kintone/translate/sqlerr"
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
	for i, s := range sq.Subs {
		if s == nil || i < len(sq.PerRow) && sq.PerRow[i] {
			out.Subs = append(out.Subs, nil) // joined to the query, or row by row
			continue
		}
		root, err := optimizeRoot(ctx, s, env)
		if err != nil {
			return nil, err
		}
		out.Subs = append(out.Subs, root)
	}
	if root, err := optimizeRoot(ctx, sq.Input, env); err == nil {
		out.Input = root
	}
	input := sq.Input
	subs := sq.Subs
	out.PerRow = func(s *expr.Subquery, outer []any) (plan.Node, error) {
		vals := map[*catalog.Column]expr.Expr{}
		for i, c := range s.OuterCols {
			if i < len(outer) {
				vals[c] = &expr.Const{Value: outer[i], Kind: c.Kind, At: -1}
			}
		}
		n, err := plan.MapExprs(subs[s.Index], func(e expr.Expr) (expr.Expr, error) {
			return expr.Rewrite(e, func(x expr.Expr) (expr.Expr, error) {
				if c, ok := x.(*expr.ColRef); ok {
					if v, ok := vals[c.Col]; ok {
						return v, nil
					}
				}
				return x, nil
			})
		})
		if err != nil {
			return nil, err
		}
		return optimizeRoot(ctx, n, env)
	}
	out.Plan = func(results []expr.SubResult) (plan.Node, error) {
		n, err := plan.MapExprs(input, func(e expr.Expr) (expr.Expr, error) {
			return expr.Substitute(e, results, LookupBatch, LookupChars)
		})
		var rows *expr.SubqueryRowsError
		if errors.As(err, &rows) && env.Pos != nil {
			// Where the subquery stands in the statement.
			return nil, &sqlerr.Error{Pos: env.Pos(rows.At), Msg: rows.Error()}
		}
		if err != nil {
			return nil, err
		}
		return optimizeRoot(ctx, n, env)
	}
	return &Result{Root: out}, nil
}

// setQuery takes apart a set operation as the binder builds it: the
// operation under an optional Sort and Limit; nil when root is not one.
func setQuery(root plan.Node) (set *plan.SetOp, sort *plan.Sort, limit *plan.Limit) {
	n := root
	if l, ok := n.(*plan.Limit); ok {
		limit, n = l, l.Input
	}
	if s, ok := n.(*plan.Sort); ok {
		sort, n = s, s.Input
	}
	set, _ = n.(*plan.SetOp)
	return set, sort, limit
}

// optimizeSet plans a set operation: each query on its own, then the
// operation, the ORDER BY and the LIMIT of the whole in Go.
func optimizeSet(ctx context.Context, set *plan.SetOp, sort *plan.Sort, limit *plan.Limit, env Env) (*Result, error) {
	env.WriteTargets = false
	out := &plan.SetOp{Op: set.Op, All: set.All, Width: set.Width, Hold: env.MaxBuffered}
	if out.Hold <= 0 {
		out.Hold = DefaultJoinHold
	}
	var err error
	if out.Left, err = optimizeRoot(ctx, set.Left, env); err != nil {
		return nil, err
	}
	if set.Right != nil {
		if out.Right, err = optimizeRoot(ctx, set.Right, env); err != nil {
			return nil, err
		}
	}
	var n plan.Node = out
	if sort != nil {
		s := &plan.Sort{Input: n, Keys: append([]plan.Order(nil), sort.Keys...), Keep: -1}
		for i := range s.Keys {
			k := &s.Keys[i]
			s.Cols = append(s.Cols, k.Output)
			if c, ok := k.Expr.(*expr.ColRef); ok && !c.Resolved {
				// The key reads its output column.
				r := *c
				r.Index, r.Resolved = k.Output, true
				k.Expr = &r
			}
		}
		if limit != nil && limit.Count >= 0 {
			s.Keep = limit.Offset + limit.Count
		}
		s.Columns = set.Width
		n = s
	}
	if limit != nil {
		n = &plan.Limit{Input: n, Offset: limit.Offset, Count: limit.Count}
	}
	return &Result{Root: n}, nil
}
