package plan

import (
	"strings"

	"github.com/kintone-sql/kintone/translate/expr"
)

// Flatten turns each record into the rows of one of its SUBTABLE fields:
// the parent's $id, the row's id as $row_id, and the inner fields.
type Flatten struct {
	// Input is the rows the node reads.
	Input Node
	// Subtable is the SUBTABLE field's code.
	Subtable string
	// IDCol and SubCol are the positions of $id and the SUBTABLE field in
	// the input rows.
	IDCol, SubCol int
	// Columns are the child table's columns, the output rows' order.
	Columns []string
}

// Children returns the node's input.
func (n *Flatten) Children() []Node { return []Node{n.Input} }

// WithChildren returns a copy reading children[0].
func (n *Flatten) WithChildren(children ...Node) Node {
	c := *n
	c.Input = with(children)
	return &c
}

// Describe names the subtable.
func (n *Flatten) Describe() string { return "one row per row of subtable " + n.Subtable }

// Order is one sort key: an expression and its direction.
type Order struct {
	// Expr is the key.
	Expr expr.Expr
	// Desc sorts descending (NULLs last); ascending puts NULLs first.
	Desc bool
	// Nulls is "FIRST" or "LAST" when NULLS FIRST or NULLS LAST was
	// written, which overrides where Desc puts NULLs; "" otherwise.
	Nulls string
	// Output is the index of the select item the key equals, -1 when
	// none (a DISTINCT sorts by its output, so there it is never -1).
	Output int
}

// NullsFirst reports whether NULLs sort before the values.
func (o Order) NullsFirst() bool {
	switch o.Nulls {
	case "FIRST":
		return true
	case "LAST":
		return false
	}
	return !o.Desc
}

// NullsMoved reports whether the key puts NULLs where its direction
// alone would not (ASC NULLS LAST, DESC NULLS FIRST): Kintone cannot
// sort so.
func (o Order) NullsMoved() bool { return o.NullsFirst() == o.Desc }

// orderText prints sort keys as ORDER BY would.
func orderText(keys []Order) string {
	var b strings.Builder
	for i, o := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(expr.String(o.Expr))
		if o.Desc {
			b.WriteString(" DESC")
		}
		if o.Nulls != "" {
			b.WriteString(" NULLS " + o.Nulls)
		}
	}
	return b.String()
}

// CheckOrder passes records on unchanged while they arrive in the SQL
// order of Keys, the order Kintone was asked to sort in, and fails with
// ErrOrderMismatch when one does not: Kintone's place for empty values is
// not documented for every type.
type CheckOrder struct {
	// Input is the rows the node reads.
	Input Node
	// Keys are the keys Kintone sorted by.
	Keys []Order
}

// Children returns the node's input.
func (n *CheckOrder) Children() []Node { return []Node{n.Input} }

// WithChildren returns a copy reading children[0].
func (n *CheckOrder) WithChildren(children ...Node) Node {
	c := *n
	c.Input = with(children)
	return &c
}

// Describe says what is checked.
func (n *CheckOrder) Describe() string { return "check Kintone's order (nullable sort keys)" }

// Filter keeps the rows for which Cond is TRUE.
type Filter struct {
	// Input is the rows the node reads.
	Input Node
	// Cond is the condition.
	Cond expr.Expr
	// Having marks the condition of a HAVING clause.
	Having bool
}

// Children returns the node's input.
func (n *Filter) Children() []Node { return []Node{n.Input} }

// WithChildren returns a copy reading children[0].
func (n *Filter) WithChildren(children ...Node) Node {
	c := *n
	c.Input = with(children)
	return &c
}

// Describe prints the condition.
func (n *Filter) Describe() string {
	if n.Having {
		return "filter (HAVING): " + expr.String(n.Cond)
	}
	return "filter: " + expr.String(n.Cond)
}
