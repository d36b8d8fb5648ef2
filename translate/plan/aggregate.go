package plan

import (
	"fmt"
	"strings"

	"github.com/kintone-sql/kintone/translate/expr"
)

// Aggregate groups its input rows by GroupBy and computes Aggs over each
// group; its rows are the groups' slots: the key values, then the
// aggregate results (expr.Slot reads them). Without GroupBy there is
// exactly one group, even over no rows. With FromTotal the input is a
// count read, and every aggregate (all of them COUNTs Kintone's
// totalCount answers) is that total.
type Aggregate struct {
	// Input is the rows the node reads.
	Input Node
	// GroupBy are the grouping keys.
	GroupBy []expr.Expr
	// Aggs are the aggregate calls.
	Aggs []*expr.Agg
	// FromTotal takes every aggregate from the read's totalCount.
	FromTotal bool
}

// Children returns the node's input.
func (n *Aggregate) Children() []Node { return []Node{n.Input} }

// WithChildren returns a copy reading children[0].
func (n *Aggregate) WithChildren(children ...Node) Node {
	c := *n
	c.Input = with(children)
	return &c
}

// Describe counts the keys and aggregates.
func (n *Aggregate) Describe() string {
	if n.FromTotal {
		return "count from totalCount"
	}
	return fmt.Sprintf("group by %d keys, %d aggregates (holds one entry per group)", len(n.GroupBy), len(n.Aggs))
}

// Window computes window functions: it reads every row of its input (a
// window sees its whole partition), and returns each row followed by the
// value of each function for it, in Funcs order (expr.PlaceWindows points
// the functions' readers there).
type Window struct {
	Input Node
	// Funcs are the functions, their arguments and keys resolved against
	// the input rows.
	Funcs []*expr.WindowFunc
	// Hold caps the rows held (0: no cap).
	Hold int
}

// Children returns the node's input.
func (n *Window) Children() []Node { return []Node{n.Input} }

// WithChildren returns a copy reading children[0].
func (n *Window) WithChildren(children ...Node) Node {
	c := *n
	c.Input = with(children)
	return &c
}

// Describe lists the functions.
func (n *Window) Describe() string {
	parts := make([]string, len(n.Funcs))
	for i, f := range n.Funcs {
		parts[i] = expr.String(f)
	}
	return "window " + strings.Join(parts, ", ") + " (holds every row)"
}
