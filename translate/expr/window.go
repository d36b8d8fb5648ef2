package expr

import (
	"fmt"

	"github.com/kintone-sql/kintone/translate/catalog"
)

// WindowFunc is a window function: fn(args) OVER (PARTITION BY ...
// ORDER BY ...). The plan's Window step computes it for every row (after
// WHERE, GROUP BY and HAVING, before DISTINCT, ORDER BY and LIMIT) and
// appends its value to the row; the node then reads it there (Pos).
//
// Fn is a ranking or value function (row_number, rank, dense_rank,
// percent_rank, cume_dist, ntile, lag, lead, first_value, last_value,
// nth_value) or an aggregate (count, sum, avg, min, max) over the
// window's frame: with ORDER BY, the partition's rows up to the current
// row and its peers (SQL's default RANGE UNBOUNDED PRECEDING); without,
// the whole partition.
type WindowFunc struct {
	Fn string
	// Star is COUNT(*); Distinct is refused by the binder, as in MySQL.
	Star        bool
	Args        []Expr
	PartitionBy []Expr
	OrderBy     []WindowOrder
	// Index is the function's number among its query's (0-based).
	Index int
	// Pos is where the Window step put its value in the row; -1 until
	// the optimizer places it.
	Pos  int
	Kind catalog.Kind
	At   int
}

// WindowOrder is one key of a window's ORDER BY.
type WindowOrder struct {
	Expr Expr
	Desc bool
}

// Offset is where the WindowFunc starts in the SQL text (-1: nowhere).
func (e *WindowFunc) Offset() int { return e.At }

// windowChildren lists the expressions a window function reads: its
// arguments, the partition keys, the order keys.
func (e *WindowFunc) windowChildren() []Expr {
	out := append([]Expr(nil), e.Args...)
	out = append(out, e.PartitionBy...)
	for _, o := range e.OrderBy {
		out = append(out, o.Expr)
	}
	return out
}

// withWindowChildren is a copy of e reading cs (in windowChildren's
// order).
func (e *WindowFunc) withWindowChildren(cs []Expr) *WindowFunc {
	c := *e
	c.Args = cs[:len(e.Args):len(e.Args)]
	cs = cs[len(e.Args):]
	c.PartitionBy = cs[:len(e.PartitionBy):len(e.PartitionBy)]
	cs = cs[len(e.PartitionBy):]
	c.OrderBy = make([]WindowOrder, len(e.OrderBy))
	for i, o := range e.OrderBy {
		c.OrderBy[i] = WindowOrder{Expr: cs[i], Desc: o.Desc}
	}
	return &c
}

// evalWindow reads a placed window function's value.
func (en *Env) evalWindow(n *WindowFunc) (any, error) {
	if n.Pos < 0 || n.Pos >= len(en.Row) {
		return nil, fmt.Errorf("kintone: internal error: window function %s() read before it was computed", n.Fn)
	}
	return en.Row[n.Pos], nil
}

// PlaceWindows returns e with each window function reading its value at
// base + its Index: where the Window step appends it to rows of base
// columns.
func PlaceWindows(e Expr, base int) (Expr, error) {
	if e == nil {
		return nil, nil
	}
	return Rewrite(e, func(x Expr) (Expr, error) {
		w, ok := x.(*WindowFunc)
		if !ok {
			return x, nil
		}
		c := *w
		c.Pos = base + w.Index
		return &c, nil
	})
}

// HasWindow reports whether e holds a window function.
func HasWindow(e Expr) bool {
	found := false
	Walk(e, func(x Expr) bool {
		if _, ok := x.(*WindowFunc); ok {
			found = true
		}
		return !found
	})
	return found
}
