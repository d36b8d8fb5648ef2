package exec

import (
	"fmt"

	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// filter returns the rows for which cond is TRUE.
func filter(in Iter, cond expr.Expr, o Options) Iter {
	en := o.env()
	return func() (Row, error) {
		for {
			r, err := in()
			if err != nil {
				return nil, err
			}
			en.Row = r
			ok, err := en.EvalBool(cond)
			if err != nil {
				return nil, err
			}
			if ok {
				return r, nil
			}
		}
	}
}

// checkOrder passes rows on while they arrive in the SQL order of keys
// (NULLs first ascending, last descending), and fails with
// ErrOrderMismatch at the first that does not.
func checkOrder(in Iter, keys []plan.Order, o Options) Iter {
	var prev []any
	en := o.env()
	return func() (Row, error) {
		r, err := in()
		if err != nil {
			return nil, err
		}
		en.Row = r
		vals := make([]any, len(keys))
		for i, k := range keys {
			if vals[i], err = en.Eval(k.Expr); err != nil {
				return nil, err
			}
		}
		if prev != nil {
			c, err := compareKeys(prev, vals, keys, o)
			if err != nil {
				return nil, err
			}
			if c > 0 {
				return nil, fmt.Errorf("%w: %s after %s", sqlerr.ErrOrderMismatch, expr.DescribeKeys(vals), expr.DescribeKeys(prev))
			}
		}
		prev = vals
		return r, nil
	}
}

// compareKeys orders two rows by sort keys: NULL before any value, each
// key reversed when descending (so NULLs come last there), unless the key
// says NULLS FIRST or NULLS LAST.
func compareKeys(a, b []any, keys []plan.Order, o Options) (int, error) {
	for i := range a {
		if (a[i] == nil) != (b[i] == nil) {
			c := 1
			if (a[i] == nil) == keys[i].NullsFirst() {
				c = -1
			}
			return c, nil
		}
		c, err := expr.CompareNullsFirst(a[i], b[i], o.Location)
		if err != nil {
			return 0, err
		}
		if keys[i].Desc {
			c = -c
		}
		if c != 0 {
			return c, nil
		}
	}
	return 0, nil
}
