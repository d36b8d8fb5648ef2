package kql

import "fmt"

// SyntaxError is a query that does not follow the grammar. Pos is the byte
// offset of the offending token in the query text (len(query) when the
// query ends too early). Kintone answers every such query with CB_VA01.
type SyntaxError struct {
	Pos int
	Msg string
}

// Error returns the message with its position.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("kql: syntax error at offset %d: %s", e.Pos, e.Msg)
}

// errAt returns a *SyntaxError at pos.
func errAt(pos int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}
