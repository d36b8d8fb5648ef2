package plan

import "fmt"

// Unlisted is the records whose RADIO_BUTTON field holds none of its
// current options: NULL (a field added after the record was saved), or
// an option removed from the form since. Input reads them with `not in
// (every option)`, which returns the records of removed options; whether
// it also returns the empty ones Kintone does not document. So before a
// row is returned two counts check it: when Kintone counts more records
// for Whole (the read's condition) than for Listed (the condition and
// `in (every option)`) plus the rows Input returned, Input left empty
// values out, and the rows are those of Else instead (every record of the
// condition) whose Col is NULL or not among Options.
type Unlisted struct {
	// Input reads the records whose value is not an option.
	Input Node
	// Whole and Listed are the count reads compared.
	Whole, Listed *KintoneRead
	// Else reads every record of the condition.
	Else Node
	// Field is the field's code, for EXPLAIN.
	Field string
	// Col is the column of the field in the rows of Input and Else.
	Col int
	// Options are the field's options.
	Options []string
}

// Children returns Input, the two counts and Else.
func (n *Unlisted) Children() []Node { return []Node{n.Input, n.Whole, n.Listed, n.Else} }

// WithChildren returns a copy reading children: Input, the two counts
// (KintoneReads) and Else.
func (n *Unlisted) WithChildren(children ...Node) Node {
	if len(children) != 4 {
		panic(fmt.Sprintf("plan: Unlisted given %d inputs", len(children)))
	}
	whole, ok1 := children[1].(*KintoneRead)
	listed, ok2 := children[2].(*KintoneRead)
	if !ok1 || !ok2 {
		panic("plan: Unlisted counts with Kintone reads only")
	}
	c := *n
	c.Input, c.Whole, c.Listed, c.Else = children[0], whole, listed, children[3]
	return &c
}

// Describe says what is checked.
func (n *Unlisted) Describe() string {
	return fmt.Sprintf("records whose %s is no option: the first input's rows when the two counts differ by as many, else the last input's whose %s is NULL or no option", n.Field, n.Field)
}
