package sqlerr

import (
	"errors"
	"fmt"
	"github.com/kintone-sql/kintone/internal/scan"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Position is a place in the SQL text: the byte offset and the 1-based
// line and column, the column counted in characters (runes), so that it
// matches what an editor shows for Japanese text too.
type Position struct {
	Offset int
	Line   int
	Column int
}

// String returns "line L, column C".
func (p Position) String() string {
	return fmt.Sprintf("line %d, column %d", p.Line, p.Column)
}

// positionOf computes the Position of byte offset off in sql.
func PositionOf(sql string, off int) Position {
	if off < 0 {
		off = 0
	}
	if off > len(sql) {
		off = len(sql)
	}
	p := Position{Offset: off, Line: 1, Column: 1}
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

// Sentinels for errors.Is.
var (
	// ErrUnsupported is matched by every *UnsupportedError.
	ErrUnsupported = errors.New("kintone: unsupported SQL")
	// ErrUnknownTable is matched by every *UnknownTableError.
	ErrUnknownTable = errors.New("kintone: unknown table")
	// ErrOrderMismatch, ErrRecordsChanged and ErrTooManyRows are the
	// errors a read of Kintone's records ends with; package scan, which
	// decides the reads' pages, defines them (see there).
	ErrOrderMismatch  = scan.ErrOrderMismatch
	ErrRecordsChanged = scan.ErrRecordsChanged
	ErrTooManyRows    = scan.ErrTooManyRows
)

// SyntaxError is SQL the parser cannot read.
type SyntaxError struct {
	Pos  Position
	Near string // the text at the error, up to 20 characters
	Msg  string
}

// Error returns the message with its position.
func (e *SyntaxError) Error() string {
	if e.Near == "" {
		return fmt.Sprintf("kintone: SQL syntax error at %s (end of statement): %s", e.Pos, e.Msg)
	}
	return fmt.Sprintf("kintone: SQL syntax error at %s near %q: %s", e.Pos, e.Near, e.Msg)
}

// UnsupportedError is valid SQL that the driver does not run: a join, a
// subquery, UNION, a window function, a function or operator it does not
// know, and so on. Construct names it as the statement wrote it.
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

// Is reports whether target is ErrUnsupported.
func (e *UnsupportedError) Is(target error) bool { return target == ErrUnsupported }

// UnknownTableError is a table name the Schema cannot resolve, or a
// subtable name that is not a SUBTABLE field of its app.
type UnknownTableError struct {
	Name string
	Pos  Position
	// Suggestions are the known tables whose names are nearest to Name,
	// nearest first: likely what was meant.
	Suggestions []string
	// Hint says how to make the table known or find its name, when there
	// is something to say (a Schema of API tokens, which cannot list
	// apps, says how to name them).
	Hint string
}

// Error names the table, what it may have meant, and the hint.
func (e *UnknownTableError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "kintone: unknown table %q", Abbrev(e.Name))
	if e.Pos.Line > 0 {
		fmt.Fprintf(&b, " (at %s)", e.Pos)
	}
	if len(e.Suggestions) > 0 {
		b.WriteString(": " + DidYouMean(e.Suggestions))
	}
	if e.Hint != "" {
		if len(e.Suggestions) > 0 {
			b.WriteString(";")
		} else {
			b.WriteString(":")
		}
		b.WriteString(" " + e.Hint)
	}
	return b.String()
}

// didYouMean is "did you mean "a"?", "did you mean "a" or "b"?", ...
func DidYouMean(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(Abbrev(n))
	}
	if len(q) == 1 {
		return "did you mean " + q[0] + "?"
	}
	return "did you mean " + strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1] + "?"
}

// Is reports whether target is ErrUnknownTable.
func (e *UnknownTableError) Is(target error) bool { return target == ErrUnknownTable }

// Error is a statement that parses but cannot be translated: an unknown or
// ambiguous column, a value of the wrong type for a field, an operator
// the column's type does not have, a misplaced aggregate, and so on.
type Error struct {
	Pos Position
	Msg string
}

// Error returns the message with its position.
func (e *Error) Error() string {
	return fmt.Sprintf("kintone: %s (at %s)", e.Msg, e.Pos)
}

// ArgError is a placeholder argument that does not fit its place: a
// missing or extra argument, a type the driver does not take, or a value
// of the wrong kind for the field it is compared with. Ordinal is the
// 1-based position of a ? placeholder, Name the name of a :name one.
type ArgError struct {
	Ordinal int
	Name    string
	Pos     Position
	Msg     string
}

// Error names the argument and its placeholder.
func (e *ArgError) Error() string {
	which := fmt.Sprintf("argument %d", e.Ordinal)
	if e.Name != "" {
		which = fmt.Sprintf("argument :%s", e.Name)
	}
	if e.Pos.Line == 0 {
		return fmt.Sprintf("kintone: %s: %s", which, e.Msg)
	}
	return fmt.Sprintf("kintone: %s (at %s): %s", which, e.Pos, e.Msg)
}

// maxNameInMessage is the most characters of a name or literal a message
// repeats; longer ones are cut (a statement may hold a megabyte-long
// literal, and its error should not).
const maxNameInMessage = 64

// abbrev returns s for a message, cut to maxNameInMessage characters with
// its full length said when it is longer.
func Abbrev(s string) string {
	n := 0
	for i := range s {
		if n == maxNameInMessage-4 {
			return fmt.Sprintf("%s... (%d characters)", s[:i], utf8.RuneCountInString(s))
		}
		n++
	}
	return s
}
