package plan

import (
	"fmt"

	"github.com/kintone-sql/kintone/internal/scan"
	"github.com/kintone-sql/kintone/translate/catalog"
)

// KintoneRead is the records Kintone returns for the plan's read: the
// leaf the driver feeds with the pages it fetches. What Kintone does
// (the query, the fields, the strategy) is the read's own part of
// EXPLAIN; this node stands for it in the tree.
type KintoneRead struct {
	leaf
	// App is the app read.
	App int64
	// Strategy names how the records are read (seek, cursor, ...).
	Strategy string
	// Columns are the field codes of the rows, in order: the fields read.
	Columns []string
	// Read is the read the driver performs (nil in a plan that is only
	// printed).
	Read *scan.Spec
	// For says which of the app's records the read returns, where a plan
	// reads one app several times ("" otherwise).
	For string
}

// WithChildren returns n: a leaf has no inputs.
func (n *KintoneRead) WithChildren(children ...Node) Node {
	if len(children) != 0 {
		panic("plan: KintoneRead has no inputs")
	}
	return n
}

// Describe says which app is read and how.
func (n *KintoneRead) Describe() string {
	s := fmt.Sprintf("kintone read of app %d (%s)", n.App, n.Strategy)
	if n.For != "" {
		s += ": " + n.For
	}
	return s
}

// Metadata is the rows of a metadata table (information_schema, SHOW,
// DESCRIBE, EXPLAIN, DUAL), computed when the statement was bound.
type Metadata struct {
	leaf
	// Rows are the table's rows.
	Rows []catalog.Record
	// Columns are the column names of the rows, in order.
	Columns []string
}

// WithChildren returns n: a leaf has no inputs.
func (n *Metadata) WithChildren(children ...Node) Node {
	if len(children) != 0 {
		panic("plan: Metadata has no inputs")
	}
	return n
}

// Describe counts the rows.
func (n *Metadata) Describe() string {
	return fmt.Sprintf("rows of a metadata table (%d)", len(n.Rows))
}

// Nothing is a read that returns no record: the condition can never hold,
// or LIMIT is 0.
type Nothing struct{ leaf }

// WithChildren returns n: a leaf has no inputs.
func (n *Nothing) WithChildren(children ...Node) Node {
	if len(children) != 0 {
		panic("plan: Nothing has no inputs")
	}
	return n
}

// Describe says that nothing is read.
func (*Nothing) Describe() string { return "no record can match: nothing is read" }
