package plan

import "fmt"

// IfFew is two plans of the same rows: Few, which reads every record
// that matches with Read (and sorts them in Go), right when they are
// few, and Many, which is right whatever their number. Read runs first,
// asking for at most Limit records: when it returns fewer, it returned
// every record that matches, and the rows are Few's, over those records
// (Read is not sent again); when it returns Limit, there may be more,
// its records are dropped and the rows are Many's. So a read of few
// records costs Read's one request, and one of many that request and
// Many's. Many starts only when Read has ended, and the records held at
// once are at most Limit.
type IfFew struct {
	// Few is the plan over every matching record, Read among its reads.
	Few Node
	// Many is the plan for any number of records.
	Many Node
	// Read is the read of Few sent first: one request of at most Limit
	// records.
	Read *KintoneRead
	// Limit is the most records Read returns.
	Limit int
}

// Children returns Few and Many.
func (n *IfFew) Children() []Node { return []Node{n.Few, n.Many} }

// WithChildren returns a copy reading children: Few (which still holds
// Read's read) and Many.
func (n *IfFew) WithChildren(children ...Node) Node {
	if len(children) != 2 {
		panic(fmt.Sprintf("plan: IfFew given %d inputs", len(children)))
	}
	c := *n
	c.Few, c.Many = children[0], children[1]
	return &c
}

// Describe says when each input gives the rows.
func (n *IfFew) Describe() string {
	return fmt.Sprintf("the first input's rows if its read returns fewer than %d records (all that match, in one request), else the second input's", n.Limit)
}
