package exec

import (
	"fmt"
	"io"

	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// project evaluates the select list, then the hidden sort keys, over each
// row.
func project(in Iter, n *plan.Project, o Options) Iter {
	en := o.env()
	return func() (Row, error) {
		r, err := in()
		if err != nil {
			return nil, err
		}
		en.Row = r
		out := make([]any, 0, len(n.Items)+len(n.Hidden))
		for _, list := range [][]expr.Expr{n.Items, n.Hidden} {
			for _, e := range list {
				v, err := en.Eval(e)
				if err != nil {
					return nil, err
				}
				out = append(out, v)
			}
		}
		return out, nil
	}
}

// distinct drops a row equal to one returned before.
func distinct(in Iter, o Options) Iter {
	seen := map[string]bool{}
	return func() (Row, error) {
		for {
			r, err := in()
			if err != nil {
				return nil, err
			}
			k := expr.RowKey(r)
			if seen[k] {
				continue
			}
			if o.MaxBuffered > 0 && len(seen) >= o.MaxBuffered {
				return nil, fmt.Errorf("%w: DISTINCT has seen more than %d rows", sqlerr.ErrTooManyRows, o.MaxBuffered)
			}
			seen[k] = true
			return r, nil
		}
	}
}

// limit skips offset rows, then returns at most count (-1: all).
func limit(in Iter, offset, count int64) Iter {
	skipped, taken := int64(0), int64(0)
	return func() (Row, error) {
		for skipped < offset {
			if _, err := in(); err != nil {
				return nil, err
			}
			skipped++
		}
		if count >= 0 && taken >= count {
			return nil, io.EOF
		}
		r, err := in()
		if err != nil {
			return nil, err
		}
		taken++
		return r, nil
	}
}
