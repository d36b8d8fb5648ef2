package exec

import (
	"fmt"
	"io"

	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// apply computes n's subqueries when the first row is asked for, then
// runs the query planned with their values.
func apply(n *plan.Apply, in Inputs, o Options) Iter {
	var out Iter
	return func() (Row, error) {
		if out == nil {
			results := make([]expr.SubResult, len(n.Subs))
			for i, sub := range n.Subs {
				if sub == nil {
					continue // joined to the query instead
				}
				vals, err := subValues(build(sub, in, o), n.Modes[i], n.Hold)
				if err != nil {
					out = failed(err)
					return out()
				}
				results[i].Values = vals
			}
			root, err := n.Plan(results)
			if err != nil {
				out = failed(err)
			} else {
				if n.PerRow != nil {
					o.sub = perRow(n, in, o)
				}
				out = build(root, in, o)
			}
		}
		return out()
	}
}

// subValues reads what a subquery's mode needs of its rows: one row for
// EXISTS, two for a value (a second is an error), every row's first
// column for IN, at most hold of them.
func subValues(it Iter, mode expr.SubMode, hold int) ([]any, error) {
	var vals []any
	for {
		switch {
		case mode == expr.SubExists && len(vals) == 1, mode == expr.SubValue && len(vals) == 2:
			return vals, nil
		case mode == expr.SubIn && hold > 0 && len(vals) > hold:
			return nil, fmt.Errorf("%w: a subquery of IN returned more than %d rows (maxBufferedRows sets the cap)", sqlerr.ErrTooManyRows, hold)
		}
		r, err := it()
		if err == io.EOF {
			return vals, nil
		}
		if err != nil {
			return nil, err
		}
		var v any
		if len(r) > 0 {
			v = r[0]
		}
		vals = append(vals, v)
	}
}

// perRow computes a correlated subquery for one set of outer values,
// planned for them and run through the same inputs; each distinct set's
// result is kept, at most n.Hold of them (past that, recomputed).
func perRow(n *plan.Apply, in Inputs, o Options) func(s *expr.Subquery, outer []any) (expr.SubResult, error) {
	cache := map[string]expr.SubResult{}
	return func(s *expr.Subquery, outer []any) (expr.SubResult, error) {
		key := fmt.Sprintf("%d:%s", s.Index, expr.RowKey(outer))
		if r, ok := cache[key]; ok {
			return r, nil
		}
		root, err := n.PerRow(s, outer)
		if err != nil {
			return expr.SubResult{}, err
		}
		vals, err := subValues(build(root, in, o), s.Mode, n.Hold)
		if err != nil {
			return expr.SubResult{}, err
		}
		r := expr.SubResult{Values: vals}
		if n.Hold <= 0 || len(cache) < n.Hold {
			cache[key] = r
		}
		return r, nil
	}
}
