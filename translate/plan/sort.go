package plan

import "fmt"

// Distinct drops a row equal to one it returned before.
type Distinct struct {
	// Input is the rows the node reads.
	Input Node
}

// Children returns the node's input.
func (n *Distinct) Children() []Node { return []Node{n.Input} }

// WithChildren returns a copy reading children[0].
func (n *Distinct) WithChildren(children ...Node) Node {
	c := *n
	c.Input = with(children)
	return &c
}

// Describe says what it holds.
func (*Distinct) Describe() string { return "distinct (remembers the rows returned)" }

// Sort orders its input rows by the columns Cols (with the directions of
// Keys, which say what the columns hold) and returns the first Columns
// values of each; ties keep their input order. With Keep >= 0 only the
// first Keep rows in that order are held and returned (a bounded heap).
type Sort struct {
	// Input is the rows the node reads.
	Input Node
	// Keys are the sort keys as written, for EXPLAIN and the directions.
	Keys []Order
	// Cols are the input columns holding the keys' values.
	Cols []int
	// Columns is the number of leading input columns returned.
	Columns int
	// Keep is the number of rows kept, -1 for all.
	Keep int64
}

// Children returns the node's input.
func (n *Sort) Children() []Node { return []Node{n.Input} }

// WithChildren returns a copy reading children[0].
func (n *Sort) WithChildren(children ...Node) Node {
	c := *n
	c.Input = with(children)
	return &c
}

// Describe prints the keys and what the sort holds.
func (n *Sort) Describe() string {
	if n.Keep >= 0 {
		return fmt.Sprintf("sort by %s keeping the first %d (holds %d rows)", orderText(n.Keys), n.Keep, n.Keep)
	}
	return "sort by " + orderText(n.Keys) + " (holds every row)"
}

// Limit skips Offset rows, then returns at most Count (-1: all the rest).
type Limit struct {
	// Input is the rows the node reads.
	Input Node
	// Offset is the number of rows skipped.
	Offset int64
	// Count is the most rows returned, -1 for no limit.
	Count int64
}

// Children returns the node's input.
func (n *Limit) Children() []Node { return []Node{n.Input} }

// WithChildren returns a copy reading children[0].
func (n *Limit) WithChildren(children ...Node) Node {
	c := *n
	c.Input = with(children)
	return &c
}

// Describe prints the offset and the limit.
func (n *Limit) Describe() string {
	switch {
	case n.Offset > 0 && n.Count >= 0:
		return fmt.Sprintf("offset %d; limit %d", n.Offset, n.Count)
	case n.Offset > 0:
		return fmt.Sprintf("offset %d", n.Offset)
	}
	return fmt.Sprintf("limit %d", n.Count)
}
