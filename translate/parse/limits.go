package parse

import (
	"fmt"

	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// The bounds on a statement, the same as translate's (limits.go there):
// checked by the lexer before any parsing, so that a hostile statement
// costs at most one pass over its text.
const (
	// MaxStatementBytes is the longest statement text, 16 MiB.
	MaxStatementBytes = 16 << 20
	// MaxStatementTokens is the most tokens a statement may hold,
	// 200,000. The rows of a VALUES run (see ParamRun) are not tokens
	// and do not count.
	MaxStatementTokens = 200_000
	// MaxNesting is the deepest an expression may nest, 200 levels:
	// parentheses, CASE ... END, and runs of prefix operators (NOT, !,
	// -, +, ~, BINARY, INTERVAL), as translate counts them. The parser
	// also stops at four times this depth of recursion (a level of
	// parentheses may cost it two or three), whatever caused it.
	MaxNesting = 200
)

// tooLong is the error for a statement longer than MaxStatementBytes.
func tooLong(sql string) error {
	return &sqlerr.Error{Pos: sqlerr.PositionOf(sql, MaxStatementBytes),
		Msg: fmt.Sprintf("the statement is %d bytes long; the limit is %d (16 MiB): split it into several statements", len(sql), MaxStatementBytes)}
}

// tooManyTokens is the error for the token at off, past MaxStatementTokens.
func tooManyTokens(sql string, off int) error {
	return &sqlerr.Error{Pos: sqlerr.PositionOf(sql, off),
		Msg: fmt.Sprintf("the statement has more than %d tokens: split it into several statements, or pass the values of a long IN list or INSERT as placeholders (IN (?) takes a slice)", MaxStatementTokens)}
}

// tooDeep is the error for the token at off, nested past MaxNesting.
func tooDeep(sql string, off int) error {
	return &sqlerr.Error{Pos: sqlerr.PositionOf(sql, off),
		Msg: fmt.Sprintf("the expression nests more than %d levels deep (parentheses, CASE and prefix operators such as NOT and - count)", MaxNesting)}
}

// nesting follows how deep the tokens so far nest: open parentheses and
// CASEs, and the prefix operators in a row.
type nesting struct{ depth, run int }

// add takes the next token and reports whether the nesting is still
// within MaxNesting.
func (n *nesting) add(t *token) bool {
	prefix := false
	switch {
	case t.isPunct("("), t.kw == "CASE":
		n.depth++
	case t.isPunct(")"), t.kw == "END":
		n.depth--
	case t.kw == "NOT" || t.kw == "INTERVAL" || t.kw == "BINARY" || t.isPunct("!") || t.isPunct("-") || t.isPunct("+") || t.isPunct("~"):
		prefix = true // a level even when binary: a - -b is a run of 2
	}
	if prefix {
		n.run++
	} else {
		n.run = 0
	}
	return n.depth+n.run <= MaxNesting
}
