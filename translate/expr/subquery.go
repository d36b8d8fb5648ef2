package expr

import (
	"fmt"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
)

// SubMode is what a subquery stands for in an expression.
type SubMode int

// The modes of a subquery.
const (
	SubValue  SubMode = iota // (SELECT x ...): its one value, NULL for no row
	SubExists                // [NOT] EXISTS (SELECT ...)
	SubIn                    // x [NOT] IN (SELECT y ...)
)

// Subquery is a subquery used as a value. The plan computes the
// subquery's rows before the rows that read it and replaces the node by
// its value (Substitute): a constant, TRUE or FALSE, or x IN (the list of
// values), which Kintone can then evaluate like any other. Evaluating it
// unreplaced is an error.
type Subquery struct {
	// Index is the subquery's number in its statement (0-based).
	Index int
	Mode  SubMode
	// X is the operand of IN (nil otherwise).
	X Expr
	// Not is set for NOT EXISTS and NOT IN.
	Not bool
	// Kind is the kind of the value of a SubValue.
	Kind catalog.Kind
	At   int
	// Outer lists the outer query's columns a correlated subquery reads
	// (nil for one that reads none): it is computed for each row's
	// values of them (Env.Sub), once per distinct values. OuterCols are
	// those columns, which the subquery's plan names: Outer's
	// expressions may become a group's slots, OuterCols stay.
	Outer     []Expr
	OuterCols []*catalog.Column
}

// evalSubquery computes a correlated subquery for the current row.
func (en *Env) evalSubquery(n *Subquery) (any, error) {
	if n.Outer == nil || en.Sub == nil {
		return nil, fmt.Errorf("kintone: internal error: subquery %d evaluated before it was computed", n.Index+1)
	}
	vals := make([]any, len(n.Outer))
	for i, o := range n.Outer {
		v, err := en.Eval(o)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	res, err := en.Sub(n, vals)
	if err != nil {
		return nil, err
	}
	results := make([]SubResult, n.Index+1)
	results[n.Index] = res
	plain := *n
	plain.Outer = nil
	e, err := Substitute(&plain, results, 0, 0)
	if err != nil {
		return nil, err
	}
	return en.Eval(e)
}

// Offset is where the Subquery starts in the SQL text (-1: nowhere).
func (e *Subquery) Offset() int { return e.At }

// SubResult is what a subquery computed: its rows' first column (for
// SubExists, at most one row).
type SubResult struct {
	Values []any
}

// Substitute returns e with each Subquery replaced by what results says
// it is (results[i] for the subquery of Index i). A SubValue with more
// than one value fails, as in SQL. An IN list of more than maxPush values
// or maxChars characters is marked NoPush: Kintone's query would be too
// long.
func Substitute(e Expr, results []SubResult, maxPush, maxChars int) (Expr, error) {
	return Rewrite(e, func(x Expr) (Expr, error) {
		s, ok := x.(*Subquery)
		if !ok || s.Outer != nil {
			return x, nil // a correlated one is computed row by row
		}
		if s.Index >= len(results) {
			return nil, fmt.Errorf("kintone: internal error: subquery %d was not computed", s.Index+1)
		}
		vals := results[s.Index].Values
		switch s.Mode {
		case SubValue:
			switch len(vals) {
			case 0:
				return &Const{Value: nil, Kind: s.Kind, At: s.At}, nil
			case 1:
				return &Const{Value: vals[0], Kind: s.Kind, At: s.At}, nil
			}
			return nil, &SubqueryRowsError{At: s.At, Rows: len(vals)}
		case SubExists:
			return &Const{Value: (len(vals) > 0) != s.Not, Kind: catalog.KBool, At: s.At}, nil
		}
		if len(vals) == 0 {
			// x IN (no row) is FALSE and x NOT IN (no row) TRUE, even for
			// a NULL x.
			return &Const{Value: s.Not, Kind: catalog.KBool, At: s.At}, nil
		}
		list := make([]Expr, len(vals))
		k := s.Kind
		chars := 0
		for i, v := range vals {
			list[i] = &Const{Value: v, Kind: k, At: -1}
			if v != nil {
				chars += len(QuoteValue(v)) + 2
			}
		}
		in := &In{X: s.X, List: list, Not: s.Not, At: s.At, NoPush: len(vals) > maxPush || chars > maxChars}
		in.set = newValueSet(vals)
		return in, nil
	})
}

// valueSet is the values of an IN list of one class, by HashValue, for
// a lookup that does not compare the row's value with each in turn.
type valueSet struct {
	class  int
	keys   map[string]bool
	hasNil bool
}

// newValueSet indexes vals, nil when they are not all of one class.
func newValueSet(vals []any) *valueSet {
	s := &valueSet{keys: make(map[string]bool, len(vals))}
	for _, v := range vals {
		if v == nil {
			s.hasNil = true
			continue
		}
		c := ValueClass(v)
		if c == 0 || s.class != 0 && c != s.class {
			return nil
		}
		s.class = c
		s.keys[HashValue(v)] = true
	}
	return s
}

// ValueClass is the class of values that compare equal only among
// themselves and hash alike when equal (HashValue): 1 text and users (by
// code), 2 numbers, 3 instants (dates, date-times, times); 0 for the
// rest (lists).
func ValueClass(v any) int {
	switch v.(type) {
	case string, field.EntityRef:
		return 1
	case int64, field.Decimal, bool:
		return 2
	case time.Time:
		return 3
	}
	return 0
}

// HashValue is the key under which equal values of one class meet:
// equal numbers, texts (a user by its code) and instants give equal keys.
func HashValue(v any) string {
	if e, ok := v.(field.EntityRef); ok {
		return ValueKey(e.Code)
	}
	return ValueKey(v)
}

// SubqueryRowsError is a subquery used as a value that returned more
// than one row.
type SubqueryRowsError struct {
	At   int
	Rows int
}

// Error says how many rows the subquery returned.
func (e *SubqueryRowsError) Error() string {
	return fmt.Sprintf("a subquery used as a value returned %d rows; it must return at most one (add LIMIT 1, or an aggregate)", e.Rows)
}
