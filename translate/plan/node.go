package plan

import (
	"fmt"
)

// Node is one operator of a logical plan.
type Node interface {
	// Children returns the node's inputs, nil for a leaf.
	Children() []Node
	// WithChildren returns a copy of the node with its inputs replaced;
	// it panics when given a different number of them.
	WithChildren(children ...Node) Node
	// Describe says what the node does, on one line, for EXPLAIN.
	Describe() string
}

// with checks that children holds one node and returns it.
func with(children []Node) Node {
	if len(children) != 1 {
		panic(fmt.Sprintf("plan: a node with one input given %d", len(children)))
	}
	return children[0]
}

// leaf is the Children of a node without inputs.
type leaf struct{}

// Children returns nil: a leaf has no inputs.
func (leaf) Children() []Node { return nil }

// Transform rewrites the tree bottom up: each node's children first, then
// the node itself with f. f returns the node unchanged to keep it.
func Transform(n Node, f func(Node) (Node, error)) (Node, error) {
	kids := n.Children()
	if len(kids) > 0 {
		out := make([]Node, len(kids))
		changed := false
		for i, k := range kids {
			m, err := Transform(k, f)
			if err != nil {
				return nil, err
			}
			out[i] = m
			changed = changed || m != k
		}
		if changed {
			n = n.WithChildren(out...)
		}
	}
	return f(n)
}

// Inspect calls f for n and, while f returns true, its descendants, in
// depth-first order.
func Inspect(n Node, f func(Node) bool) {
	if n == nil || !f(n) {
		return
	}
	for _, k := range n.Children() {
		Inspect(k, f)
	}
}
