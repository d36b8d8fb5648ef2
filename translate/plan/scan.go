package plan

import "github.com/kintone-sql/kintone/translate/catalog"

// Scan reads every row of a table: the leaf of a plan as the binder
// builds it, before the optimizer decides how. The optimizer replaces it
// with what reads the rows: a KintoneRead (with a Flatten for a child
// table), a Metadata table, or Nothing; no Scan is left in a plan that
// runs.
type Scan struct {
	// Table is the table read.
	Table *catalog.Table
}

// Children returns nil: Scan is a leaf.
func (n *Scan) Children() []Node { return nil }

// WithChildren returns n: a leaf has no inputs.
func (n *Scan) WithChildren(children ...Node) Node {
	if len(children) != 0 {
		panic("plan: Scan has no inputs")
	}
	return n
}

// Describe names the table.
func (n *Scan) Describe() string { return "scan " + n.Table.Name }

// Derived is a subquery in FROM read as a table: the rows of Input, whose
// columns are Table's columns in order.
type Derived struct {
	// Table is the derived table: its alias and columns.
	Table *catalog.Table
	// Input is the subquery's plan.
	Input Node
}

// Children returns the subquery's plan.
func (n *Derived) Children() []Node { return []Node{n.Input} }

// WithChildren returns a copy reading children[0].
func (n *Derived) WithChildren(children ...Node) Node {
	c := *n
	c.Input = with(children)
	return &c
}

// Describe names the derived table.
func (n *Derived) Describe() string { return "derived table " + n.Table.Alias }
