package plan

import "fmt"

// Concat returns the rows of each input in turn, the inputs in order,
// all with the same columns. An input's reads start only when the one
// before it has ended, so that a LIMIT met early stops before the next
// input is read at all.
type Concat struct {
	// Inputs are the rows returned, in order.
	Inputs []Node
	// Why says what orders the inputs, for EXPLAIN ("" for nothing).
	Why string
}

// Children returns the inputs.
func (n *Concat) Children() []Node { return n.Inputs }

// WithChildren returns a copy reading children, as many as the inputs.
func (n *Concat) WithChildren(children ...Node) Node {
	if len(children) != len(n.Inputs) {
		panic(fmt.Sprintf("plan: Concat of %d inputs given %d", len(n.Inputs), len(children)))
	}
	c := *n
	c.Inputs = append([]Node(nil), children...)
	return &c
}

// Describe says what is concatenated.
func (n *Concat) Describe() string {
	s := fmt.Sprintf("the rows of %d inputs in turn, each read when the one before ends", len(n.Inputs))
	if n.Why != "" {
		s += " (" + n.Why + ")"
	}
	return s
}

// Merge interleaves inputs that each arrive in the order of Keys into
// one stream in that order; of rows with equal keys, the earlier input's
// come first. It reads an input's next row only when it must compare it,
// so it stops where the rows asked of it end.
type Merge struct {
	// Inputs are the ordered rows merged, all with the same columns.
	Inputs []Node
	// Keys are the sort keys, for EXPLAIN and the directions.
	Keys []Order
	// Cols are the input columns holding the keys' values.
	Cols []int
}

// Children returns the inputs.
func (n *Merge) Children() []Node { return n.Inputs }

// WithChildren returns a copy reading children, as many as the inputs.
func (n *Merge) WithChildren(children ...Node) Node {
	if len(children) != len(n.Inputs) {
		panic(fmt.Sprintf("plan: Merge of %d inputs given %d", len(n.Inputs), len(children)))
	}
	c := *n
	c.Inputs = append([]Node(nil), children...)
	return &c
}

// Describe prints the keys.
func (n *Merge) Describe() string {
	return fmt.Sprintf("merge %d inputs ordered by %s", len(n.Inputs), orderText(n.Keys))
}
