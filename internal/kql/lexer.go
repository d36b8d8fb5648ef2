package kql

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// tokenKind is the class of a token.
type tokenKind uint8

const (
	tokEOF     tokenKind = iota
	tokWord              // field code, $id, related-records path, function name or argument
	tokKeyword           // a keyword; text is in lower case
	tokNumber            // an unquoted number literal, as written
	tokString            // a double-quoted literal; text is unescaped
	tokOp                // = != < <= > >=
	tokLParen            // (
	tokRParen            // )
	tokComma             // ,
)

// token is one lexical token. pos is the byte offset of its first byte.
type token struct {
	kind tokenKind
	text string
	pos  int
}

// describe names the token for an error message.
func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of query"
	case tokString:
		return "string " + strconv.Quote(abbrev(t.text))
	case tokNumber:
		return "number " + t.text
	case tokKeyword:
		return "keyword " + strconv.Quote(t.text)
	}
	return strconv.Quote(abbrev(t.text))
}

// abbrev shortens s for an error message.
func abbrev(s string) string {
	const max = 40
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

// lexer splits a query into tokens on demand.
type lexer struct {
	src string
	pos int
}

// next returns the next token, or a *SyntaxError for text that is no token.
func (l *lexer) next() (token, error) {
	l.skipSpace()
	start := l.pos
	if start >= len(l.src) {
		return token{kind: tokEOF, pos: start}, nil
	}
	c := l.src[start]
	switch c {
	case '(':
		l.pos++
		return token{kind: tokLParen, text: "(", pos: start}, nil
	case ')':
		l.pos++
		return token{kind: tokRParen, text: ")", pos: start}, nil
	case ',':
		l.pos++
		return token{kind: tokComma, text: ",", pos: start}, nil
	case '=':
		l.pos++
		return token{kind: tokOp, text: "=", pos: start}, nil
	case '!', '<', '>':
		n := 1
		if start+1 < len(l.src) && l.src[start+1] == '=' {
			n = 2
		} else if c == '!' {
			return token{}, errAt(start, `"!" must be followed by "="`)
		}
		l.pos += n
		return token{kind: tokOp, text: l.src[start:l.pos], pos: start}, nil
	case '"':
		return l.string()
	case '\'':
		return token{}, errAt(start, "strings take double quotes, not single quotes")
	case '`':
		return token{}, errAt(start, "backquotes do not quote field codes: write the code bare")
	}
	if c == '-' || '0' <= c && c <= '9' {
		return l.number()
	}
	r, size := utf8.DecodeRuneInString(l.src[start:])
	if !isWordRune(r) {
		if r == utf8.RuneError && size == 1 {
			return token{}, errAt(start, "invalid UTF-8")
		}
		return token{}, errAt(start, "unexpected character %q", r)
	}
	for l.pos < len(l.src) {
		r, size := utf8.DecodeRuneInString(l.src[l.pos:])
		if !isWordRune(r) {
			break
		}
		l.pos += size
	}
	w := l.src[start:l.pos]
	if k := keyword(w); k != "" {
		return token{kind: tokKeyword, text: k, pos: start}, nil
	}
	return token{kind: tokWord, text: w, pos: start}, nil
}

// skipSpace moves past white space.
func (l *lexer) skipSpace() {
	for l.pos < len(l.src) {
		r, size := utf8.DecodeRuneInString(l.src[l.pos:])
		if !isSpace(r) {
			return
		}
		l.pos += size
	}
}

// number reads a number literal. A literal that runs into word characters
// ("10abc", "1.5.2", "1e5") is an error rather than two tokens.
func (l *lexer) number() (token, error) {
	start := l.pos
	n := scanNumber(l.src[start:])
	if n == 0 {
		return token{}, errAt(start, `"-" must be followed by a digit`)
	}
	l.pos += n
	if l.pos < len(l.src) {
		if r, _ := utf8.DecodeRuneInString(l.src[l.pos:]); isWordRune(r) {
			return token{}, errAt(start, "malformed number")
		}
	}
	return token{kind: tokNumber, text: l.src[start:l.pos], pos: start}, nil
}

// string reads a double-quoted literal and unescapes it. The escapes are \"
// and \\ (documented) and \t and \n (observed); \r is accepted as CR, by
// analogy and because Quote needs some way to write CR (untested in
// Kintone, A.2). Any other backslash sequence is an error, as is a raw TAB,
// CR or LF (observed CB_VA01). Other bytes, control characters included,
// are taken as they are.
func (l *lexer) string() (token, error) {
	start := l.pos
	i := start + 1
	var b strings.Builder // used only once an escape is seen
	plain := i            // start of the run not yet copied into b
	for i < len(l.src) {
		switch c := l.src[i]; c {
		case '"':
			text := l.src[plain:i]
			if plain != start+1 { // an escape was seen
				b.WriteString(text)
				text = b.String()
			}
			l.pos = i + 1
			return token{kind: tokString, text: text, pos: start}, nil
		case '\t', '\r', '\n':
			return token{}, errAt(i, "raw control character %q in a string; write it as an escape", c)
		case '\\':
			if i+1 >= len(l.src) {
				return token{}, errAt(start, "unterminated string")
			}
			var e byte
			switch l.src[i+1] {
			case '"':
				e = '"'
			case '\\':
				e = '\\'
			case 't':
				e = '\t'
			case 'n':
				e = '\n'
			case 'r':
				e = '\r'
			default:
				return token{}, errAt(i, `unknown escape in a string: only \", \\, \t, \n and \r are allowed`)
			}
			b.WriteString(l.src[plain:i])
			b.WriteByte(e)
			i += 2
			plain = i
		default:
			i++
		}
	}
	return token{}, errAt(start, "unterminated string")
}
