package exec

import (
	"fmt"
	"io"

	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// setOp returns the rows of a set operation. UNION streams (a distinct
// one remembers the rows it returned); INTERSECT and EXCEPT read the
// right rows first and hold them (counted, for ALL), then stream the
// left ones.
func setOp(n *plan.SetOp, in Inputs, o Options) Iter {
	left := build(n.Left, in, o)
	if n.Right == nil {
		return left
	}
	tooMany := func() error {
		return fmt.Errorf("%w: %s holds more than %d rows (maxBufferedRows sets the cap)", sqlerr.ErrTooManyRows, n.Describe(), n.Hold)
	}
	switch n.Op {
	case "UNION":
		right := build(n.Right, in, o)
		cur, onRight := left, false
		seen := map[string]bool{}
		return func() (Row, error) {
			for {
				r, err := cur()
				if err == io.EOF && !onRight {
					cur, onRight = right, true
					continue
				}
				if err != nil {
					return nil, err
				}
				if n.All {
					return r, nil
				}
				k := expr.RowKey(r)
				if seen[k] {
					continue
				}
				if n.Hold > 0 && len(seen) >= n.Hold {
					return nil, tooMany()
				}
				seen[k] = true
				return r, nil
			}
		}
	}
	var counts map[string]int
	return func() (Row, error) {
		if counts == nil {
			counts = map[string]int{}
			right := build(n.Right, in, o)
			rows := 0
			for {
				r, err := right()
				if err == io.EOF {
					break
				}
				if err != nil {
					return nil, err
				}
				if rows++; n.Hold > 0 && rows > n.Hold {
					return nil, tooMany()
				}
				counts[expr.RowKey(r)]++
			}
		}
		for {
			r, err := left()
			if err != nil {
				return nil, err
			}
			k := expr.RowKey(r)
			c, inRight := counts[k]
			switch {
			case n.Op == "INTERSECT" && n.All:
				if c > 0 {
					counts[k] = c - 1
					return r, nil
				}
			case n.Op == "INTERSECT":
				if c > 0 {
					counts[k] = 0 // returned once
					return r, nil
				}
			case n.Op == "EXCEPT" && n.All:
				if c > 0 {
					counts[k] = c - 1
					continue
				}
				return r, nil
			default: // EXCEPT
				if !inRight {
					counts[k] = 0 // returned once; now "in the right"
					return r, nil
				}
			}
		}
	}
}
