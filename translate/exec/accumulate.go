package exec

import (
	"fmt"
	"math/big"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/expr"
)

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
	case "group_concat":
		return &concatAcc{agg: a, seen: seen, loc: loc}
	case "std", "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp":
		return &statAcc{fn: a.Fn}
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
		k := expr.RowKey(args)
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
