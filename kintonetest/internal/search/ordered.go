package search

import (
	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// rowPred tests one condition against a record's values: r.Values for a
// top-level field, one row's Values for a field inside a SUBTABLE.
type rowPred func(r *store.Record, vals map[string]any) bool

// ordering compares the values of one field kind with compiled literals.
// V is the stored value's type, L the literal's.
type ordering[V, L any] struct {
	// get returns the value and whether it is non-empty.
	get func(r *store.Record, vals map[string]any) (V, bool)
	cmp func(V, L) int
	// emptyLow makes the empty value lower than every other value in range
	// comparisons. QUERY-AND-FIELDS.md A.6.3 reports that Kintone treats an
	// empty NUMBER as minus infinity, so that `n < 10` matches blanks [T][U];
	// the emulator follows that report for the numeric kinds (NUMBER,
	// numeric CALC, $id, RECORD_NUMBER), the only evidence there is. For
	// dates, times and durations nothing is reported and an empty value
	// satisfies no range comparison, which is the reading that does not
	// make undated records appear in date filters.
	emptyLow bool
}

// pred builds the predicate for op over the compiled operands.
func (o ordering[V, L]) pred(op field.Op, bs []bound[L]) rowPred {
	switch op {
	case field.Eq:
		b := bs[0]
		return func(r *store.Record, vals map[string]any) bool {
			v, has := o.get(r, vals)
			return o.eq(v, has, b)
		}
	case field.Ne:
		b := bs[0]
		return func(r *store.Record, vals map[string]any) bool {
			v, has := o.get(r, vals)
			return !o.eq(v, has, b)
		}
	case field.In, field.NotIn:
		want := op == field.In
		return func(r *store.Record, vals map[string]any) bool {
			v, has := o.get(r, vals)
			for _, b := range bs {
				if o.eq(v, has, b) {
					return want
				}
			}
			return !want
		}
	}
	b := bs[0]
	return func(r *store.Record, vals map[string]any) bool {
		v, has := o.get(r, vals)
		return o.rel(op, v, has, b)
	}
}

// eq is "=": a point matches an equal value, an interval matches a value
// inside it, and the empty literal matches the empty value (A.6.1: `f = ""`
// finds blanks).
func (o ordering[V, L]) eq(v V, has bool, b bound[L]) bool {
	switch {
	case b.empty:
		return !has
	case !has:
		return false
	case b.span:
		return o.cmp(v, b.lo) >= 0 && o.cmp(v, b.hi) < 0
	}
	return o.cmp(v, b.lo) == 0
}

// rel is < <= > >=. Against an interval [lo, hi) (A.7): < is before lo,
// <= is before hi, > is at or after hi, >= is at or after lo.
func (o ordering[V, L]) rel(op field.Op, v V, has bool, b bound[L]) bool {
	if b.empty || !has {
		if !o.emptyLow {
			return false
		}
		// Minus infinity on either side.
		c := 0
		switch {
		case b.empty && has:
			c = 1
		case !b.empty && !has:
			c = -1
		}
		return test(op, c)
	}
	if b.span {
		switch op {
		case field.Lt:
			return o.cmp(v, b.lo) < 0
		case field.Le:
			return o.cmp(v, b.hi) < 0
		case field.Gt:
			return o.cmp(v, b.hi) >= 0
		default: // Ge
			return o.cmp(v, b.lo) >= 0
		}
	}
	return test(op, o.cmp(v, b.lo))
}

// test applies a range operator to a comparison result.
func test(op field.Op, c int) bool {
	switch op {
	case field.Lt:
		return c < 0
	case field.Le:
		return c <= 0
	case field.Gt:
		return c > 0
	case field.Ge:
		return c >= 0
	}
	return false
}
