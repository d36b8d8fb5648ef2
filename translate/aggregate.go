package translate

import (
	"errors"
	"fmt"
	"io"
	"math/big"
	"time"

	"github.com/kintone-sql/kintone/internal/errmsg"
	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// This file is the grouping step of the pipeline: GROUP BY, the
// aggregates, and what runs on the groups afterwards.

// group reads every row into groups and returns each group's slots (key
// values, then aggregate results) in the order the groups first appeared.
// Without GROUP BY there is exactly one group, even over no rows.
func (p *pipeline) group(in Source) ([][]any, error) {
	type state struct {
		keys []any
		accs []accumulator
	}
	index := map[string]*state{}
	var order []*state
	en := &expr.Env{Loc: p.loc}
	newState := func(keys []any) *state {
		st := &state{keys: keys, accs: make([]accumulator, len(p.aggs))}
		for i, a := range p.aggs {
			st.accs[i] = newAccumulator(a, p.loc)
		}
		return st
	}
	if len(p.groupBy) == 0 {
		st := newState(nil)
		index[""] = st
		order = append(order, st)
	}
	for {
		rec, err := in()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		en.Rec = rec
		keys := make([]any, len(p.groupBy))
		for i, g := range p.groupBy {
			if keys[i], err = en.Eval(g); err != nil {
				return nil, err
			}
		}
		k := rowKey(keys)
		st := index[k]
		if st == nil {
			if p.maxBuffered > 0 && len(order) >= p.maxBuffered {
				return nil, fmt.Errorf("%w: GROUP BY holds more than %d groups", sqlerr.ErrTooManyRows, p.maxBuffered)
			}
			st = newState(keys)
			index[k] = st
			order = append(order, st)
		}
		for i, a := range p.aggs {
			args := make([]any, len(a.Args))
			for j, x := range a.Args {
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

// afterGrouping runs HAVING, the select list, DISTINCT, ORDER BY, OFFSET
// and LIMIT over the groups' slots.
func (p *pipeline) afterGrouping(groups [][]any) func() ([]any, error) {
	i := 0
	en := &expr.Env{Loc: p.loc}
	rows := func() (out, keys []any, err error) {
		for i < len(groups) {
			en.Slots = groups[i]
			i++
			if p.having != nil {
				ok, err := en.EvalBool(p.having)
				if err != nil {
					return nil, nil, err
				}
				if !ok {
					continue
				}
			}
			out, err := p.project(en)
			if err != nil {
				return nil, nil, err
			}
			if p.sortInGo && !p.distinct {
				keys = make([]any, len(p.order))
				for j, o := range p.order {
					if keys[j], err = en.Eval(o.e); err != nil {
						return nil, nil, err
					}
				}
			}
			return out, keys, nil
		}
		return nil, nil, io.EOF
	}
	q := *p
	q.sortInGo = len(p.order) > 0
	return q.finish(rows)
}

// accumulator computes one aggregate over a group's rows.
type accumulator interface {
	add(args []any) error
	result() any
}

// newAccumulator returns the accumulator for a.
func newAccumulator(a *expr.Agg, loc *time.Location) accumulator {
	var seen map[string]bool
	if a.Distinct {
		seen = map[string]bool{}
	}
	switch a.Fn {
	case "count":
		return &countAcc{star: len(a.Args) == 0, seen: seen}
	case "sum", "avg":
		return &sumAcc{avg: a.Fn == "avg", seen: seen}
	}
	return &minMaxAcc{max: a.Fn == "max", loc: loc}
}

// countAcc is COUNT(*), COUNT(x) and COUNT(DISTINCT x, ...): rows whose
// arguments are all non-NULL.
type countAcc struct {
	star bool
	n    int64
	seen map[string]bool
}

func (c *countAcc) add(args []any) error {
	if !c.star {
		for _, a := range args {
			if a == nil {
				return nil
			}
		}
	}
	if c.seen != nil {
		k := rowKey(args)
		if c.seen[k] {
			return nil
		}
		c.seen[k] = true
	}
	c.n++
	return nil
}

func (c *countAcc) result() any { return c.n }

// sumAcc is SUM and AVG over the non-NULL values, exact. SUM keeps the
// largest scale of its inputs; AVG adds four digits (MySQL's
// div_precision_increment). Over no values both are NULL.
type sumAcc struct {
	avg   bool
	sum   big.Rat
	scale int
	n     int64
	seen  map[string]bool
}

func (s *sumAcc) add(args []any) error {
	v := args[0]
	if v == nil {
		return nil
	}
	if s.seen != nil {
		k := expr.ValueKey(v)
		if s.seen[k] {
			return nil
		}
		s.seen[k] = true
	}
	r, scale, ok := expr.ToRat(v)
	if !ok {
		return fmt.Errorf("%s is not a number", expr.QuoteValue(v))
	}
	s.sum.Add(&s.sum, r)
	s.scale = max(s.scale, scale)
	s.n++
	return nil
}

func (s *sumAcc) result() any {
	if s.n == 0 {
		return nil
	}
	if s.avg {
		q := new(big.Rat).Quo(&s.sum, new(big.Rat).SetInt64(s.n))
		return field.Decimal(q.FloatString(s.scale + 4))
	}
	return field.Decimal(s.sum.FloatString(s.scale))
}

// minMaxAcc is MIN and MAX over the non-NULL values.
type minMaxAcc struct {
	max bool
	v   any
	loc *time.Location
}

func (m *minMaxAcc) add(args []any) error {
	v := args[0]
	if v == nil {
		return nil
	}
	if m.v == nil {
		m.v = v
		return nil
	}
	c, err := expr.CompareValues(v, m.v, m.loc)
	if err != nil {
		return err
	}
	if m.max && c > 0 || !m.max && c < 0 {
		m.v = v
	}
	return nil
}

func (m *minMaxAcc) result() any { return m.v }
