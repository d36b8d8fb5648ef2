package parse

import (
	"fmt"
	"unicode/utf8"
)

// Position is a place in the SQL text: the byte offset and the 1-based
// line and column, the column counted in characters (runes), so that it
// matches what an editor shows for Japanese text too. It is
// translate.Position's twin.
type Position struct {
	Offset int
	Line   int
	Column int
}

// String returns "line L, column C".
func (p Position) String() string {
	return fmt.Sprintf("line %d, column %d", p.Line, p.Column)
}

// PositionOf computes the Position of byte offset off in sql. An offset
// outside the text is clamped to it. A line ends at '\n', so that CRLF
// text counts lines as LF text does (the '\r' is the last character of
// its line).
func PositionOf(sql string, off int) Position {
	off = max(0, min(off, len(sql)))
	p := Position{Offset: off, Line: 1}
	lineStart := 0
	for i := 0; i < off; i++ {
		if sql[i] == '\n' {
			p.Line++
			lineStart = i + 1
		}
	}
	p.Column = utf8.RuneCountInString(sql[lineStart:off]) + 1
	return p
}

// SyntaxError is SQL the parser cannot read: Msg says what was expected
// and what was found ("expected FROM, found 'WHERE'").
type SyntaxError struct {
	Pos  Position
	Near string // the text at the error, up to 20 characters; "" at the end
	Msg  string
}

// Error returns the message with its position.
func (e *SyntaxError) Error() string {
	if e.Near == "" {
		return fmt.Sprintf("kintone: SQL syntax error at %s (end of statement): %s", e.Pos, e.Msg)
	}
	return fmt.Sprintf("kintone: SQL syntax error at %s near %q: %s", e.Pos, e.Near, e.Msg)
}

// UnsupportedError is SQL of MySQL's dialect that this package does not
// read at all: REPLACE, INSERT IGNORE, variables, DDL, locking reads and
// so on. Construct names it as the statement wrote it, in upper case.
type UnsupportedError struct {
	Construct string
	Pos       Position
	// Hint says what to write instead, when there is something to say.
	Hint string
}

// Error names the construct and its position.
func (e *UnsupportedError) Error() string {
	msg := fmt.Sprintf("kintone: %s is not supported (at %s)", e.Construct, e.Pos)
	if e.Hint != "" {
		msg += ": " + e.Hint
	}
	return msg
}

// Error is a statement past one of the bounds (MaxStatementBytes,
// MaxStatementTokens, MaxNesting), or one that mixes ? and :name
// placeholders: well-formed SQL this package refuses to go on with.
type Error struct {
	Pos Position
	Msg string
}

// Error returns the message with its position.
func (e *Error) Error() string {
	return fmt.Sprintf("kintone: %s (at %s)", e.Msg, e.Pos)
}

// near returns up to 20 characters of sql from offset i, for messages.
func near(sql string, i int) string {
	if i >= len(sql) {
		return ""
	}
	s := sql[i:]
	n := 0
	for j := range s {
		if n == 20 {
			return s[:j]
		}
		n++
	}
	return s
}
