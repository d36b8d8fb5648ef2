package kql

// This file fixes the parser's and printer's API so that other packages can
// be written beside them. The bodies are placeholders to be replaced by the
// real implementation; the signatures are the contract.

import "errors"

// SyntaxError is a query that does not follow the grammar. Pos is the byte
// offset of the offending token in the query text.
type SyntaxError struct {
	Pos int
	Msg string
}

func (e *SyntaxError) Error() string { return "kql: " + e.Msg }

// Parse parses a query text.
func Parse(query string) (*Query, error) { return nil, errors.New("kql: not implemented yet") }

// Quote returns s as a Kintone string literal: double quotes, with " and \
// escaped and TAB, LF and CR written as \t, \n and \r. It is the one place
// where values become query text.
func Quote(s string) string { return "" }

// String prints the query in canonical form: lower-case keywords, upper-case
// functions, double-quoted strings, single spaces, explicit asc/desc, and
// parentheses around every nested and/or group.
func (q *Query) String() string { return "" }
