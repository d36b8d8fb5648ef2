package translate

import "github.com/kintone-sql/kintone/translate/sqlerr"
import "fmt"

// The bounds on a statement, checked before it is parsed whole: the
// parser's stack grows with every level of nesting (400 KB of NOT NOT ...
// took 4 s and 358 MB), and translating costs a few hundred bytes per
// token, so a statement past these is refused at once with an *Error
// instead.
const (
	// MaxStatementBytes is the longest statement text, 16 MiB. A bulk
	// INSERT of placeholder rows needs about 3 bytes per value (100,000
	// rows of 20 columns is 6 MB).
	MaxStatementBytes = 16 << 20
	// MaxStatementTokens is the most tokens (words, literals, operators,
	// punctuation) a statement may hold, 200,000: an INSERT of 4,000
	// rows of 20 literals, or an IN list of 100,000 literals. The rows of
	// an INSERT after the first that are all placeholders are not
	// tokenized and do not count.
	MaxStatementTokens = 200_000
	// MaxNesting is the deepest an expression may nest, 200 levels:
	// parentheses, CASE ... END, and runs of prefix operators (NOT, !,
	// -, +, ~), each of which the parser stacks. The parser itself stops
	// at 200 parentheses.
	MaxNesting = 200
)

// tooLong is the error for a statement longer than MaxStatementBytes,
// pointing at where the limit falls.
func tooLong(sql string) error {
	return &sqlerr.Error{Pos: sqlerr.PositionOf(sql, MaxStatementBytes),
		Msg: fmt.Sprintf("the statement is %d bytes long; the limit is %d (16 MiB): split it into several statements", len(sql), MaxStatementBytes)}
}

// tooManyTokens is the error for the token past MaxStatementTokens.
func tooManyTokens(s *source, off int) error {
	return &sqlerr.Error{Pos: s.pos(off),
		Msg: fmt.Sprintf("the statement has more than %d tokens: split it into several statements, or pass the values of a long IN list or INSERT as placeholders (IN (?) takes a slice)", MaxStatementTokens)}
}

// nesting follows how deep the tokens so far nest: open parentheses and
// CASEs, and the prefix operators in a row.
type nesting struct{ depth, run int }

// add takes the next token and reports whether the nesting is still
// within MaxNesting.
func (n *nesting) add(t token) bool {
	prefix := false
	switch {
	case t.kind == tPunct && t.text == "(", t.is("case"):
		n.depth++
	case t.kind == tPunct && t.text == ")", t.is("end"):
		n.depth--
	case t.is("not") || t.kind == tPunct && (t.text == "!" || t.text == "-" || t.text == "+" || t.text == "~"):
		prefix = true // a level even when binary: a - -b is a run of 2
	}
	if prefix {
		n.run++
	} else {
		n.run = 0
	}
	return n.depth+n.run <= MaxNesting
}

// tooDeep is the error for the token at off, nested past MaxNesting.
func tooDeep(s *source, off int) error {
	return &sqlerr.Error{Pos: s.pos(off),
		Msg: fmt.Sprintf("the expression nests more than %d levels deep (parentheses, CASE and prefix operators such as NOT and - count)", MaxNesting)}
}
