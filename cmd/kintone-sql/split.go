package main

import "strings"

// statement is one SQL statement of a script: its text without the
// terminating semicolon and surrounding blanks, and the 1-based line of
// the script on which it starts.
type statement struct {
	text string
	line int
}

// lexState is where a scan of SQL text stands: in plain text, or inside a
// quoted string, a quoted identifier or a comment.
type lexState int

const (
	inText         lexState = iota
	inSingle                // '...'
	inDouble                // "..."
	inBackquote             // `...`
	inLineComment           // -- ... or # ... up to the end of the line
	inBlockComment          // /* ... */
)

// splitResult is what splitting a script yields.
type splitResult struct {
	// stmts are the statements that a semicolon ended, in order; those
	// holding nothing but blanks and comments are left out.
	stmts []statement
	// rest is the text after the last semicolon, and restLine the line
	// on which it starts.
	rest     string
	restLine int
	// restBlank reports that rest holds nothing but blanks and
	// comments.
	restBlank bool
	// state is where the scan ended: inText unless rest ends inside a
	// quote or a block comment (an unfinished line comment counts as
	// inText, since the end of the text ends it).
	state lexState
}

// all returns the statements with rest appended as a last statement when
// it holds anything: a script's last statement needs no semicolon.
func (r splitResult) all() []statement {
	if r.restBlank {
		return r.stmts
	}
	return append(r.stmts, statement{text: strings.TrimSpace(r.rest), line: r.restLine})
}

// splitStatements cuts script into statements at the semicolons that are
// not inside a quoted string ('...' or "...", with a doubled quote or a
// backslash escaping the quote), a quoted identifier (`...`, with a doubled
// backquote), or a comment (-- to the end of the line, MySQL's # to the end
// of the line, or /* ... */). MySQL requires blank after "--", and so does
// this: "1--1" is an expression.
func splitStatements(script string) splitResult {
	var (
		res       splitResult
		state     = inText
		start     = 0 // byte offset of the current statement
		line      = 1
		startLine = 1
		content   = false // the current statement has more than blanks and comments
	)
	finish := func(end int) {
		if content {
			res.stmts = append(res.stmts, statement{text: strings.TrimSpace(script[start:end]), line: startLine})
		}
		start, content = end+1, false
	}
	for i := 0; i < len(script); i++ {
		c := script[i]
		if c == '\n' {
			line++
		}
		switch state {
		case inText:
			switch {
			case c == ';':
				finish(i)
				continue
			case c == '\'':
				state = inSingle
			case c == '"':
				state = inDouble
			case c == '`':
				state = inBackquote
			case c == '#':
				state = inLineComment
				continue
			case c == '-' && strings.HasPrefix(script[i:], "--") && (i+2 == len(script) || isBlank(script[i+2])):
				state = inLineComment
				i++
				continue
			case c == '/' && strings.HasPrefix(script[i:], "/*"):
				state = inBlockComment
				i++
				continue
			case isBlank(c):
				continue
			}
			if !content {
				content = true
				startLine = line
				// The statement's text starts at its first
				// character that is not a blank or part of a
				// leading comment.
				start = i
			}
		case inSingle, inDouble:
			quote := byte('\'')
			if state == inDouble {
				quote = '"'
			}
			switch c {
			case '\\':
				if i+1 < len(script) {
					if script[i+1] == '\n' {
						line++
					}
					i++
				}
			case quote:
				if i+1 < len(script) && script[i+1] == quote {
					i++
				} else {
					state = inText
				}
			}
		case inBackquote:
			if c == '`' {
				if i+1 < len(script) && script[i+1] == '`' {
					i++
				} else {
					state = inText
				}
			}
		case inLineComment:
			if c == '\n' {
				state = inText
			}
		case inBlockComment:
			if c == '*' && i+1 < len(script) && script[i+1] == '/' {
				state = inText
				i++
			}
		}
	}
	if state == inLineComment {
		state = inText
	}
	res.state = state
	res.restBlank = !content
	if content {
		res.rest, res.restLine = script[start:], startLine
	} else if start < len(script) {
		res.rest, res.restLine = script[start:], line
	}
	return res
}

// isBlank reports whether c is ASCII white space.
func isBlank(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}
