package exec

import (
	"fmt"
	"io"
	"math/big"
	"slices"
	"strconv"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// window reads every input row, computes n's functions over their
// partitions, and returns the rows in their input order, each followed by
// the functions' values.
func window(in Iter, n *plan.Window, o Options) Iter {
	var rows []Row
	i := -1
	return func() (Row, error) {
		if i < 0 {
			var err error
			if rows, err = windowRows(in, n, o); err != nil {
				return nil, err
			}
			i = 0
		}
		if i >= len(rows) {
			return nil, io.EOF
		}
		i++
		r := rows[i-1]
		rows[i-1] = nil
		return r, nil
	}
}

// windowRows computes the values of every function for every row.
func windowRows(in Iter, n *plan.Window, o Options) ([]Row, error) {
	var rows []Row
	for {
		r, err := in()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if n.Hold > 0 && len(rows) >= n.Hold {
			return nil, fmt.Errorf("%w: a window function holds more than %d rows (maxBufferedRows sets the cap)", sqlerr.ErrTooManyRows, n.Hold)
		}
		rows = append(rows, r)
	}
	width := 0
	if len(rows) > 0 {
		width = len(rows[0])
	}
	out := make([]Row, len(rows))
	for i, r := range rows {
		out[i] = make(Row, width+len(n.Funcs))
		copy(out[i], r)
	}
	en := o.env()
	for fi, f := range n.Funcs {
		parts, err := partitions(rows, f, en)
		if err != nil {
			return nil, err
		}
		for _, p := range parts {
			vals, err := windowValues(rows, p, f, en, o)
			if err != nil {
				return nil, err
			}
			for k, ri := range p.rows {
				out[ri][width+fi] = vals[k]
			}
		}
	}
	return out, nil
}

// partition is the rows of one partition, in the window's order, with
// their order keys and where each row's peers (equal keys) end.
type partition struct {
	rows    []int   // indexes into the input rows
	keys    [][]any // the order keys of each
	peerEnd []int   // the position after the last peer of each
}

// partitions splits rows by f's PARTITION BY and sorts each by its ORDER
// BY (stable: ties keep their input order; NULLs first ascending, last
// descending, as ORDER BY sorts).
func partitions(rows []Row, f *expr.WindowFunc, en *expr.Env) ([]*partition, error) {
	byKey := map[string]*partition{}
	var order []*partition
	for i, r := range rows {
		en.Row = r
		vals := make([]any, len(f.PartitionBy))
		for j, e := range f.PartitionBy {
			v, err := en.Eval(e)
			if err != nil {
				return nil, err
			}
			vals[j] = v
		}
		k := expr.RowKey(vals)
		p := byKey[k]
		if p == nil {
			p = &partition{}
			byKey[k] = p
			order = append(order, p)
		}
		keys := make([]any, len(f.OrderBy))
		for j, ob := range f.OrderBy {
			v, err := en.Eval(ob.Expr)
			if err != nil {
				return nil, err
			}
			keys[j] = v
		}
		p.rows = append(p.rows, i)
		p.keys = append(p.keys, keys)
	}
	var sortErr error
	for _, p := range order {
		idx := make([]int, len(p.rows))
		for i := range idx {
			idx[i] = i
		}
		cmp := func(a, b int) int {
			for j, ob := range f.OrderBy {
				c, err := expr.CompareNullsFirst(p.keys[a][j], p.keys[b][j], en.Loc)
				if err != nil && sortErr == nil {
					sortErr = err
				}
				if ob.Desc {
					c = -c
				}
				if c != 0 {
					return c
				}
			}
			return 0
		}
		slices.SortStableFunc(idx, cmp)
		rs, ks := make([]int, len(idx)), make([][]any, len(idx))
		for i, x := range idx {
			rs[i], ks[i] = p.rows[x], p.keys[x]
		}
		p.rows, p.keys = rs, ks
		p.peerEnd = make([]int, len(rs))
		for i := len(rs) - 1; i >= 0; i-- {
			if i+1 < len(rs) && cmpKeys(ks[i], ks[i+1], f, en) == 0 {
				p.peerEnd[i] = p.peerEnd[i+1]
			} else {
				p.peerEnd[i] = i + 1
			}
		}
	}
	return order, sortErr
}

// cmpKeys compares two rows' order keys (ignoring direction: equal is
// equal).
func cmpKeys(a, b []any, f *expr.WindowFunc, en *expr.Env) int {
	for j := range f.OrderBy {
		if c, _ := expr.CompareNullsFirst(a[j], b[j], en.Loc); c != 0 {
			return c
		}
	}
	return 0
}

// windowValues computes f for each row of partition p, in p's order.
func windowValues(rows []Row, p *partition, f *expr.WindowFunc, en *expr.Env, o Options) ([]any, error) {
	n := len(p.rows)
	vals := make([]any, n)
	arg := func(k, a int) (any, error) {
		en.Row = rows[p.rows[k]]
		return en.Eval(f.Args[a])
	}
	// frameEnd is the position after the last row of k's frame: its last
	// peer with ORDER BY, the partition's end without.
	frameEnd := func(k int) int {
		if len(f.OrderBy) == 0 {
			return n
		}
		return p.peerEnd[k]
	}
	switch f.Fn {
	case "row_number":
		for k := range vals {
			vals[k] = int64(k + 1)
		}
	case "rank", "dense_rank", "percent_rank", "cume_dist":
		rank, dense := int64(1), int64(1)
		for k := 0; k < n; k++ {
			if k > 0 && p.peerEnd[k-1] == k {
				// A new peer group.
				rank, dense = int64(k+1), dense+1
			}
			if len(f.OrderBy) == 0 {
				rank, dense = 1, 1
			}
			switch f.Fn {
			case "rank":
				vals[k] = rank
			case "dense_rank":
				vals[k] = dense
			case "percent_rank":
				if n == 1 {
					vals[k] = field.Decimal("0")
				} else {
					vals[k] = floatDecimal(float64(rank-1) / float64(n-1))
				}
			case "cume_dist":
				vals[k] = floatDecimal(float64(frameEnd(k)) / float64(n))
			}
		}
	case "ntile":
		v, err := arg(0, 0)
		if err != nil {
			return nil, err
		}
		buckets, ok := wholeNumber(v)
		if !ok || buckets <= 0 {
			return nil, fmt.Errorf("kintone: NTILE(%s): the number of buckets must be a positive integer", expr.QuoteValue(v))
		}
		// MySQL: the first n % buckets buckets have one row more.
		size, extra := int64(n)/buckets, int64(n)%buckets
		k := 0
		for b := int64(1); b <= buckets && k < n; b++ {
			m := size
			if b <= extra {
				m++
			}
			for j := int64(0); j < m && k < n; j++ {
				vals[k] = b
				k++
			}
		}
	case "lag", "lead":
		off := int64(1)
		for k := 0; k < n; k++ {
			if len(f.Args) > 1 {
				v, err := arg(k, 1)
				if err != nil {
					return nil, err
				}
				if o, ok := wholeNumber(v); !ok || o < 0 {
					return nil, fmt.Errorf("kintone: %s(): the offset %s is not a non-negative integer", f.Fn, expr.QuoteValue(v))
				} else {
					off = o
				}
			}
			at := int64(k) - off
			if f.Fn == "lead" {
				at = int64(k) + off
			}
			if at >= 0 && at < int64(n) {
				v, err := arg(int(at), 0)
				if err != nil {
					return nil, err
				}
				vals[k] = v
			} else if len(f.Args) > 2 {
				v, err := arg(k, 2)
				if err != nil {
					return nil, err
				}
				vals[k] = v
			}
		}
	case "first_value", "last_value", "nth_value":
		for k := 0; k < n; k++ {
			end := frameEnd(k)
			at := 0
			switch f.Fn {
			case "last_value":
				at = end - 1
			case "nth_value":
				v, err := arg(k, 1)
				if err != nil {
					return nil, err
				}
				nth, ok := wholeNumber(v)
				if !ok || nth <= 0 {
					return nil, fmt.Errorf("kintone: NTH_VALUE(): %s is not a positive integer", expr.QuoteValue(v))
				}
				if nth > int64(end) {
					continue // beyond the frame: NULL
				}
				at = int(nth - 1)
			}
			v, err := arg(at, 0)
			if err != nil {
				return nil, err
			}
			vals[k] = v
		}
	default: // count, sum, avg, min, max over the frame
		acc := newAccumulator(&expr.Agg{Fn: f.Fn, Args: f.Args}, o.Location)
		if f.Star {
			acc = newAccumulator(&expr.Agg{Fn: "count"}, o.Location)
		}
		added := 0
		for k := 0; k < n; k++ {
			for end := frameEnd(k); added < end; added++ {
				var args []any
				if !f.Star {
					v, err := arg(added, 0)
					if err != nil {
						return nil, err
					}
					args = []any{v}
				}
				if err := acc.add(args); err != nil {
					return nil, err
				}
			}
			vals[k] = acc.result()
		}
	}
	return vals, nil
}

// floatDecimal is f as its shortest decimal text, the DOUBLE results of
// PERCENT_RANK and CUME_DIST.
func floatDecimal(f float64) field.Decimal {
	return field.Decimal(strconv.FormatFloat(f, 'f', -1, 64))
}

// wholeNumber returns v as an integer when it is one.
func wholeNumber(v any) (int64, bool) {
	r, _, ok := expr.ToRat(v)
	if !ok || !r.IsInt() {
		return 0, false
	}
	if !r.Num().IsInt64() {
		return 0, false
	}
	return new(big.Int).Set(r.Num()).Int64(), true
}
