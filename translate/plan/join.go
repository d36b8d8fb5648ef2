package plan

import (
	"fmt"
	"strings"

	"github.com/kintone-sql/kintone/translate/expr"
)

// JoinKind is how a join combines its inputs.
type JoinKind int

// The kinds of join.
const (
	Inner JoinKind = iota // rows of both that match
	Cross                 // every pair
	Left                  // Inner, plus each left row without a match, the right columns NULL
	Right                 // Inner, plus each right row without a match, the left columns NULL
	Full                  // Left and Right
	Semi                  // each left row that matches a right row, once (EXISTS, IN)
	Anti                  // each left row that matches no right row (NOT EXISTS)
)

// String is the kind as SQL writes it.
func (k JoinKind) String() string {
	return [...]string{"inner join", "cross join", "left join", "right join", "full join", "semi join", "anti join"}[k]
}

// Preserves reports whether the join keeps the rows of side (0 left, 1
// right) that match nothing, with NULLs for the other side (a semi or
// anti join returns left rows alone, and is not counted here).
func (k JoinKind) Preserves(side int) bool {
	switch k {
	case Left:
		return side == 0
	case Right:
		return side == 1
	case Full:
		return true
	}
	return false
}

// Join combines the rows of Left and Right: each output row is a left
// row followed by a right row (all NULL for the side a preserved row did
// not match); a Semi or Anti join's rows are left rows alone.
//
// As the binder builds it, On is the whole condition over the columns of
// both sides. The optimizer splits it: Keys are the equalities one side
// of which reads only left columns and the other only right ones
// (evaluated by hashing), On what is left (evaluated on each pair with
// equal keys), resolved against the left columns followed by the right
// ones; each side's own conditions went into that side's input.
type Join struct {
	Kind        JoinKind
	Left, Right Node
	On          expr.Expr
	// Keys are the hashed equalities (set by the optimizer).
	Keys []JoinKey
	// Widths are the numbers of columns of the left and the right rows
	// (set by the optimizer).
	Widths [2]int
	// First is the side read first (0 left, 1 right): the one whose size
	// decides the rest (see the executor).
	First int
	// Lookup, when set, may read one side by the keys of the other
	// instead of reading it whole.
	Lookup *KeyLookup
	// Hold caps the rows the join holds in memory (0: no cap).
	Hold int
}

// JoinKey is one hashed equality: L over the left rows, R over the right
// ones.
type JoinKey struct {
	L, R expr.Expr
	// NullSafe is set for <=>, under which NULL equals NULL.
	NullSafe bool
}

// KeyLookup reads one side of a join with only the records whose key is
// among the other side's keys: when the other side turns out small,
// Kintone is asked for key in (...), in batches, instead of every record
// of the side.
type KeyLookup struct {
	// Side is the side read by keys (0 left, 1 right); the other is read
	// first.
	Side int
	// Key is the index in Keys of the key pushed.
	Key int
	// Field is the field code the keys are pushed on, for EXPLAIN.
	Field string
	// Batch is the most keys one query lists.
	Batch int
	// MaxChars is the most characters of values one query lists.
	MaxChars int
	// Plan plans the side for one batch of keys. pushed is false when
	// Kintone cannot narrow the read by them (the side is then read
	// whole).
	Plan func(keys []any) (n Node, pushed bool, err error)
	// Whole is the side's Kintone read without keys (the side as
	// planned), whose size the executor asks when the keys need more
	// than one batch.
	Whole *KintoneRead
}

// Filters reports whether the join returns left rows alone (Semi, Anti).
func (k JoinKind) Filters() bool { return k == Semi || k == Anti }

// Children returns the two inputs.
func (n *Join) Children() []Node { return []Node{n.Left, n.Right} }

// WithChildren returns a copy reading children[0] and children[1].
func (n *Join) WithChildren(children ...Node) Node {
	if len(children) != 2 {
		panic(fmt.Sprintf("plan: a join given %d inputs", len(children)))
	}
	c := *n
	c.Left, c.Right = children[0], children[1]
	return &c
}

// Describe says how the sides are combined.
func (n *Join) Describe() string {
	var b strings.Builder
	b.WriteString(n.Kind.String())
	if len(n.Keys) > 0 {
		b.WriteString(" by hash on ")
		for i, k := range n.Keys {
			if i > 0 {
				b.WriteString(", ")
			}
			op := "="
			if k.NullSafe {
				op = "<=>"
			}
			fmt.Fprintf(&b, "%s %s %s", expr.String(k.L), op, expr.String(k.R))
		}
	} else if n.Kind != Cross || n.On != nil {
		b.WriteString(" by nested loop")
	}
	if n.On != nil {
		fmt.Fprintf(&b, " where %s", expr.String(n.On))
	}
	side := [2]string{"left", "right"}
	fmt.Fprintf(&b, "; reads the %s side first", side[n.First])
	if l := n.Lookup; l != nil {
		fmt.Fprintf(&b, "; when it is small, the %s side by %s in (its keys), %d per request", side[l.Side], l.Field, l.Batch)
	}
	if n.Hold > 0 {
		fmt.Fprintf(&b, " (holds at most %d rows of one side)", n.Hold)
	}
	return b.String()
}

// SetOp is UNION, INTERSECT or EXCEPT of two queries' rows (Op "": the
// Left rows alone, a query in parentheses with an ORDER BY or LIMIT of
// its own). Without All, the output has no two equal rows (NULLs equal
// here, as SQL's DISTINCT has them); with All, UNION keeps every row,
// INTERSECT ALL a row as often as both have it, EXCEPT ALL as often as
// the left has it more than the right.
type SetOp struct {
	Op          string
	All         bool
	Left, Right Node
	// Width is the number of columns of the rows.
	Width int
	// Hold caps the rows the operation remembers: the right rows of
	// INTERSECT and EXCEPT, the rows seen by a distinct UNION (0: no
	// cap).
	Hold int
}

// Children returns the inputs.
func (n *SetOp) Children() []Node {
	if n.Right == nil {
		return []Node{n.Left}
	}
	return []Node{n.Left, n.Right}
}

// WithChildren returns a copy reading children.
func (n *SetOp) WithChildren(children ...Node) Node {
	c := *n
	switch {
	case n.Right == nil && len(children) == 1:
		c.Left = children[0]
	case n.Right != nil && len(children) == 2:
		c.Left, c.Right = children[0], children[1]
	default:
		panic(fmt.Sprintf("plan: SetOp given %d inputs", len(children)))
	}
	return &c
}

// Describe names the operation.
func (n *SetOp) Describe() string {
	if n.Op == "" {
		return "query in parentheses"
	}
	s := strings.ToLower(n.Op)
	if n.All {
		s += " all"
	}
	if n.Hold > 0 {
		s += fmt.Sprintf(" (holds at most %d rows)", n.Hold)
	}
	return s
}

// Unnest joins the records of an app with the rows of one of its
// subtables, read once: each input row (a record's columns, its $id and
// the SUBTABLE among them) is followed by each of its subtable's rows as
// the child table's columns, kept where Cond holds. A parent app joined
// to its own child table on $id is this: one read of the app instead of
// two. Kind is Inner, Left (a record without a matching row comes back
// once, the child columns NULL), Semi or Anti (the record alone, when
// some row matches, or none).
type Unnest struct {
	Kind  JoinKind
	Input Node
	// IDCol and SubCol are the positions of $id and the SUBTABLE in the
	// input rows.
	IDCol, SubCol int
	// Columns are the child table's columns read, by code ($id,
	// $row_id, the inner fields).
	Columns []string
	// Cond is what a row must satisfy, resolved against the input
	// columns followed by Columns; nil for none.
	Cond expr.Expr
}

// Children returns the node's input.
func (n *Unnest) Children() []Node { return []Node{n.Input} }

// WithChildren returns a copy reading children[0].
func (n *Unnest) WithChildren(children ...Node) Node {
	c := *n
	c.Input = with(children)
	return &c
}

// Describe says what is joined.
func (n *Unnest) Describe() string {
	s := fmt.Sprintf("%s of each record with the rows of its subtable (one read of the app)", n.Kind)
	if n.Cond != nil {
		s += " where " + expr.String(n.Cond)
	}
	return s
}
