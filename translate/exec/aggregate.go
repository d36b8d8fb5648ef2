package exec

import (
	"fmt"
	"io"

	"github.com/kintone-sql/kintone/internal/errmsg"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// aggregate reads every input row into groups, then returns each group's
// slots (key values, then aggregate results) in the order the groups
// first appeared. Without GROUP BY there is exactly one group, even over
// no rows.
func aggregate(in Iter, n *plan.Aggregate, o Options) Iter {
	var out Iter
	return func() (Row, error) {
		if out == nil {
			groups, err := group(in, n, o)
			if err != nil {
				out = failed(err)
			} else {
				i := 0
				out = func() (Row, error) {
					if i >= len(groups) {
						return nil, io.EOF
					}
					i++
					return groups[i-1], nil
				}
			}
		}
		return out()
	}
}

// group reads in to the end and returns the groups' slots.
func group(in Iter, n *plan.Aggregate, o Options) ([][]any, error) {
	type state struct {
		keys []any
		accs []accumulator
	}
	index := map[string]*state{}
	var order []*state
	newState := func(keys []any) *state {
		st := &state{keys: keys, accs: make([]accumulator, len(n.Aggs))}
		for i, a := range n.Aggs {
			st.accs[i] = newAccumulator(a, o.Location)
		}
		return st
	}
	if len(n.GroupBy) == 0 {
		st := newState(nil)
		index[""] = st
		order = append(order, st)
	}
	en := o.env()
	for {
		r, err := in()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		en.Row = r
		keys := make([]any, len(n.GroupBy))
		for i, g := range n.GroupBy {
			if keys[i], err = en.Eval(g); err != nil {
				return nil, err
			}
		}
		k := expr.RowKey(keys)
		st := index[k]
		if st == nil {
			if o.MaxBuffered > 0 && len(order) >= o.MaxBuffered {
				return nil, fmt.Errorf("%w: GROUP BY holds more than %d groups", sqlerr.ErrTooManyRows, o.MaxBuffered)
			}
			st = newState(keys)
			index[k] = st
			order = append(order, st)
		}
		for i, a := range n.Aggs {
			inputs := a.Inputs()
			args := make([]any, len(inputs))
			for j, x := range inputs {
				if args[j], err = en.Eval(x); err != nil {
					return nil, err
				}
			}
			if err := st.accs[i].add(args); err != nil {
				return nil, fmt.Errorf("kintone: %s(): %w", a.Fn, errmsg.Inner(err))
			}
		}
	}
	out := make([][]any, len(order))
	for i, st := range order {
		slots := append([]any(nil), st.keys...)
		for _, acc := range st.accs {
			slots = append(slots, acc.result())
		}
		out[i] = slots
	}
	return out, nil
}

// fromTotal is the one group of a count read: every aggregate is total.
func fromTotal(aggs int, total int64) Iter {
	done := false
	return func() (Row, error) {
		if done {
			return nil, io.EOF
		}
		done = true
		slots := make([]any, aggs)
		for i := range slots {
			slots[i] = total
		}
		return slots, nil
	}
}
