package plan

import (
	"strings"

	"github.com/kintone-sql/kintone/translate/expr"
)

// Project computes the select list over each input row: its rows hold
// the Items' values, then the Hidden ones (sort keys that are not in the
// select list, which a Sort above drops).
type Project struct {
	// Input is the rows the node reads.
	Input Node
	// Items are the select list.
	Items []expr.Expr
	// Hidden are values computed for the Sort above, after the items.
	Hidden []expr.Expr
}

// Children returns the node's input.
func (n *Project) Children() []Node { return []Node{n.Input} }

// WithChildren returns a copy reading children[0].
func (n *Project) WithChildren(children ...Node) Node {
	c := *n
	c.Input = with(children)
	return &c
}

// Describe prints the expressions, the hidden ones in parentheses.
func (n *Project) Describe() string {
	var b strings.Builder
	b.WriteString("project ")
	for i, e := range n.Items {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(expr.String(e))
	}
	for _, e := range n.Hidden {
		b.WriteString(", (")
		b.WriteString(expr.String(e))
		b.WriteString(")")
	}
	return b.String()
}
