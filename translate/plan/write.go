package plan

import "fmt"

// Values is the rows written by INSERT ... VALUES, or the records an
// UPDATE or DELETE names by $id or update key: known when the statement
// is bound, read from nowhere.
type Values struct {
	// Rows is the number of rows.
	Rows int
	// Noun is what a row is, singular ("row", "record").
	Noun string
	// Of says where the rows come from ("of VALUES").
	Of string
}

// Children returns nil: Values is a leaf.
func (n *Values) Children() []Node { return nil }

// WithChildren returns n: a leaf has no inputs.
func (n *Values) WithChildren(children ...Node) Node {
	if len(children) != 0 {
		panic("plan: Values has no inputs")
	}
	return n
}

// Describe counts the rows.
func (n *Values) Describe() string {
	noun := n.Noun
	if n.Rows != 1 {
		noun += "s"
	}
	return fmt.Sprintf("%d %s %s", n.Rows, noun, n.Of)
}

// Write writes its input rows to an app: INSERT (Op "insert"), an upsert,
// UPDATE or DELETE, in batches of the API's sizes.
type Write struct {
	// Input is the rows written: Values, or the plan of the read that
	// finds them.
	Input Node
	// Op is "insert", "upsert", "update" or "delete".
	Op string
	// App is the app written.
	App int64
	// Request is the REST call ("POST records.json").
	Request string
	// Target says how the records are named ("by $id", "updateKey code").
	Target string
	// Revisions says whether the revisions read are checked.
	Revisions string
}

// Children returns the rows written.
func (n *Write) Children() []Node { return []Node{n.Input} }

// WithChildren returns a copy writing children[0].
func (n *Write) WithChildren(children ...Node) Node {
	c := *n
	c.Input = with(children)
	return &c
}

// Describe says what is written, how, and how records are named.
func (n *Write) Describe() string {
	prep := map[string]string{"insert": " into", "upsert": " into", "delete": " from"}[n.Op]
	s := fmt.Sprintf("%s%s app %d: %s", n.Op, prep, n.App, n.Request)
	if n.Target != "" {
		s += ", " + n.Target
	}
	if n.Revisions != "" {
		s += ", revisions " + n.Revisions
	}
	return s
}
