package translate

import (
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/sqlerr"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file is a small SQL lexer that runs before github.com/xwb1989/sqlparser.
// It does three jobs the parser cannot:
//
//   - it records every token with its byte offset, so that errors can point
//     at a line and column (the parser's syntax tree carries no positions,
//     and its own messages give byte offsets and print multibyte text
//     mangled);
//   - it counts the placeholders exactly (NumInput) and tells ? apart from
//     :name;
//   - it lets Kintone's identifiers through: a bare word holding '$'
//     ($id, $revision) or non-ASCII letters (Japanese field codes) is
//     wrapped in backquotes before parsing, since the parser takes only
//     ASCII letters in unquoted identifiers. The ideographic space U+3000,
//     which Japanese input methods type, is turned into three ASCII spaces
//     (the same number of bytes) outside strings.

// tokKind classifies a token.
type tokKind int

const (
	tWord   tokKind = iota // a bare word: keyword, identifier or function name
	tQuoted                // a `backquoted` identifier
	tString                // a '...' or "..." literal
	tNumber                // a numeric literal
	tParam                 // ? or :name
	tList                  // ::name (a list placeholder, not supported)
	tVar                   // @name or @@name (a variable, not supported)
	tPunct                 // an operator or punctuation, one or more characters
)

// token is one token of the statement.
type token struct {
	kind tokKind
	text string // as written; for strings and quoted identifiers the content
	pos  int    // byte offset of the first character in the original text
	end  int    // byte offset just past the token
}

// is reports whether t is the bare word w, ASCII case-insensitively.
func (t token) is(w string) bool { return t.kind == tWord && strings.EqualFold(t.text, w) }

// source is a lexed statement.
type source struct {
	sql      string // the statement as given
	text     string // the statement as the parser sees it
	inserted []int  // offsets in text of the backquotes added, ascending
	toks     []token
	params   []expr.ParamRef
	nQ       int // number of ? placeholders
	// run is the rows of an INSERT's VALUES after the first when they
	// are all placeholders (valuesrun.go): they have no tokens, the
	// parser sees blanks, and nQ counts their placeholders.
	run *valuesRun
}

// orig maps an offset in s.text back to an offset in s.sql.
func (s *source) orig(off int) int {
	return off - sort.SearchInts(s.inserted, off)
}

// pos returns the Position of an offset in the original text.
func (s *source) pos(off int) sqlerr.Position { return sqlerr.PositionOf(s.sql, off) }

// lex scans sql. It fails on an unterminated string, quoted identifier or
// comment, and on a statement past MaxStatementBytes, MaxStatementTokens
// or MaxNesting, as soon as the limit is passed.
func lex(sql string) (*source, error) { return lexSQL(sql, true) }

// lexSQL is lex, looking for a run of placeholder rows when runs is set.
func lexSQL(sql string, runs bool) (*source, error) {
	if len(sql) > MaxStatementBytes {
		return nil, tooLong(sql)
	}
	s := &source{sql: sql}
	// A bulk INSERT of placeholder rows lexes its first row only
	// (valuesrun.go), so the slices start small and grow as a statement
	// of literals needs.
	s.toks = make([]token, 0, min(len(sql)/2+1, 256))
	var out strings.Builder
	out.Grow(len(sql) + 8)
	i := 0
	var nest nesting
	deep := -1 // the offset of the token nested past MaxNesting
	emit := func(t token) {
		s.toks = append(s.toks, t)
		if !nest.add(t) && deep < 0 {
			deep = t.pos
		}
	}
	for i < len(sql) {
		if deep >= 0 {
			return nil, tooDeep(s, deep)
		}
		if len(s.toks) > MaxStatementTokens {
			return nil, tooManyTokens(s, s.toks[MaxStatementTokens].pos)
		}
		c := sql[i]
		if s.run != nil && i == s.run.skip {
			// The rows after the first: blanks for the parser.
			for range s.run.end - i {
				out.WriteByte(' ')
			}
			s.nQ += s.run.per * s.run.rows()
			i = s.run.end
			continue
		}
		if c == '(' && runs && s.run == nil && s.afterInsertValues() {
			s.run = scanRun(sql, i, s.nQ+1)
		}
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			out.WriteByte(c)
			i++
			continue
		case strings.HasPrefix(sql[i:], "\u3000"):
			out.WriteString("   ")
			i += len("\u3000")
			continue
		case c == '#' || strings.HasPrefix(sql[i:], "--"):
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				j = len(sql) - i
			}
			out.WriteString(sql[i : i+j])
			i += j
			continue
		case strings.HasPrefix(sql[i:], "/*"):
			j := strings.Index(sql[i+2:], "*/")
			if j < 0 {
				return nil, &sqlerr.SyntaxError{Pos: s.pos(i), Near: near(sql, i), Msg: "comment not closed with */"}
			}
			out.WriteString(sql[i : i+2+j+2])
			i += 2 + j + 2
			continue
		case c == '\'' || c == '"' || c == '`':
			j, content, ok := scanQuoted(sql, i)
			if !ok {
				what := "string"
				if c == '`' {
					what = "quoted identifier"
				}
				return nil, &sqlerr.SyntaxError{Pos: s.pos(i), Near: near(sql, i), Msg: what + " not closed with " + string(c)}
			}
			kind := tString
			if c == '`' {
				kind = tQuoted
			}
			emit(token{kind: kind, text: content, pos: i, end: j})
			if c == '`' {
				out.WriteString(sql[i:j])
			} else {
				s.writeString(&out, sql[i:j])
			}
			i = j
			continue
		case c == '?':
			s.nQ++
			s.params = append(s.params, expr.ParamRef{Pos: i, Ordinal: s.nQ})
			emit(token{kind: tParam, text: "?", pos: i, end: i + 1})
			out.WriteByte(c)
			i++
			continue
		case c == ':' && i+1 < len(sql) && (sql[i+1] == ':' || isWordStart(sql[i+1:])):
			j := i + 1
			kind := tParam
			if sql[j] == ':' {
				kind = tList
				j++
			}
			k := j
			for k < len(sql) && isASCIIWord(sql[k]) {
				k++
			}
			if k == j {
				break // a lone "::" is punctuation
			}
			if kind == tParam {
				s.params = append(s.params, expr.ParamRef{Pos: i, Name: sql[j:k]})
			}
			emit(token{kind: kind, text: sql[j:k], pos: i, end: k})
			out.WriteString(sql[i:k])
			i = k
			continue
		case c == '@':
			// A user variable (@x, @`x`, @'x') or a system variable
			// (@@x, @@session.x). The parser would read @x as a column
			// name; Prepare refuses the token where it stands.
			j := scanVariable(sql, i)
			emit(token{kind: tVar, text: sql[i:j], pos: i, end: j})
			out.WriteString(sql[i:j])
			i = j
			continue
		case isDigit(c) || c == '.' && i+1 < len(sql) && isDigit(sql[i+1]):
			j := scanNumber(sql, i)
			if j < len(sql) && isWordRuneAt(sql, j) {
				break // a word that starts with digits, such as 1abc
			}
			emit(token{kind: tNumber, text: sql[i:j], pos: i, end: j})
			out.WriteString(sql[i:j])
			i = j
			continue
		}
		if isWordRuneAt(sql, i) {
			j := i
			wrap := false
			for j < len(sql) && isWordRuneAt(sql, j) {
				r, size := utf8.DecodeRuneInString(sql[j:])
				if r == '$' || r >= utf8.RuneSelf {
					wrap = true
				}
				j += size
			}
			emit(token{kind: tWord, text: sql[i:j], pos: i, end: j})
			if wrap {
				s.inserted = append(s.inserted, out.Len())
				out.WriteByte('`')
				out.WriteString(sql[i:j])
				s.inserted = append(s.inserted, out.Len())
				out.WriteByte('`')
			} else {
				out.WriteString(sql[i:j])
			}
			i = j
			continue
		}
		j := i + punctLen(sql[i:])
		emit(token{kind: tPunct, text: sql[i:j], pos: i, end: j})
		out.WriteString(sql[i:j])
		i = j
	}
	if deep >= 0 {
		return nil, tooDeep(s, deep)
	}
	if len(s.toks) > MaxStatementTokens {
		return nil, tooManyTokens(s, s.toks[MaxStatementTokens].pos)
	}
	s.text = out.String()
	if s.run != nil && s.params[len(s.params)-1].Pos >= s.run.end {
		// A placeholder after the run (in ON DUPLICATE KEY UPDATE):
		// the parser would number it as if the run were not there.
		return lexSQL(sql, false)
	}
	return s, nil
}

// afterInsertValues reports whether the tokens so far are those of an
// INSERT up to VALUES.
func (s *source) afterInsertValues() bool {
	n := len(s.toks)
	return n > 1 && s.toks[0].is("insert") && s.toks[n-1].is("values")
}

// scanQuoted scans the quoted token starting at sql[i] and returns the
// offset just past it and its content, unescaped the way MySQL does:
// a doubled quote stands for one, and inside strings a backslash escapes
// the next character.
func scanQuoted(sql string, i int) (end int, content string, ok bool) {
	q := sql[i]
	var b strings.Builder
	j := i + 1
	for j < len(sql) {
		c := sql[j]
		switch {
		case c == q && j+1 < len(sql) && sql[j+1] == q:
			b.WriteByte(q)
			j += 2
		case c == q:
			return j + 1, b.String(), true
		case c == '\\' && q != '`' && j+1 < len(sql):
			if sql[j+1] == '%' || sql[j+1] == '_' {
				b.WriteByte('\\') // MySQL keeps \% and \_ for LIKE
			}
			b.WriteByte(unescape(sql[j+1]))
			j += 2
		default:
			b.WriteByte(c)
			j++
		}
	}
	return 0, "", false
}

// writeString copies a string literal to the parser's text. MySQL keeps
// the backslash of \% and \_ in a string (so that LIKE sees an escaped
// wildcard), while the parser drops it; doubling that backslash makes the
// parser produce MySQL's value.
func (s *source) writeString(out *strings.Builder, lit string) {
	for i := 0; i < len(lit); i++ {
		c := lit[i]
		if c == '\\' && i+1 < len(lit) {
			if lit[i+1] == '%' || lit[i+1] == '_' {
				s.inserted = append(s.inserted, out.Len())
				out.WriteByte('\\')
			}
			out.WriteByte(c)
			out.WriteByte(lit[i+1])
			i++
			continue
		}
		out.WriteByte(c)
	}
}

// unescape decodes a MySQL backslash escape.
func unescape(c byte) byte {
	switch c {
	case '0':
		return 0
	case 'b':
		return '\b'
	case 'n':
		return '\n'
	case 'r':
		return '\r'
	case 't':
		return '\t'
	case 'Z':
		return 26
	}
	return c
}

// scanVariable returns the end of the variable at sql[i] ('@'): one or two
// '@', then a quoted name or a word that may hold dots (@@session.x).
func scanVariable(sql string, i int) int {
	j := i + 1
	if j < len(sql) && sql[j] == '@' {
		j++
	}
	if j < len(sql) && (sql[j] == '`' || sql[j] == '\'' || sql[j] == '"') {
		if end, _, ok := scanQuoted(sql, j); ok {
			return end
		}
		return j
	}
	for j < len(sql) && (sql[j] == '.' || isWordRuneAt(sql, j)) {
		_, size := utf8.DecodeRuneInString(sql[j:])
		j += size
	}
	return j
}

// scanNumber returns the end of the number literal at sql[i]: digits, an
// optional fraction and an optional exponent, or a 0x hexadecimal number.
func scanNumber(sql string, i int) int {
	j := i
	if strings.HasPrefix(sql[i:], "0x") || strings.HasPrefix(sql[i:], "0X") {
		j += 2
		for j < len(sql) && strings.IndexByte("0123456789abcdefABCDEF", sql[j]) >= 0 {
			j++
		}
		return j
	}
	for j < len(sql) && isDigit(sql[j]) {
		j++
	}
	if j < len(sql) && sql[j] == '.' {
		j++
		for j < len(sql) && isDigit(sql[j]) {
			j++
		}
	}
	if j < len(sql) && (sql[j] == 'e' || sql[j] == 'E') {
		k := j + 1
		if k < len(sql) && (sql[k] == '+' || sql[k] == '-') {
			k++
		}
		if k < len(sql) && isDigit(sql[k]) {
			for k < len(sql) && isDigit(sql[k]) {
				k++
			}
			j = k
		}
	}
	return j
}

// punctLen returns the length of the operator at the start of s.
func punctLen(s string) int {
	for _, op := range []string{"<=>", "->>", "<=", ">=", "<>", "!=", "||", "&&", "<<", ">>", "->", ":="} {
		if strings.HasPrefix(s, op) {
			return len(op)
		}
	}
	_, size := utf8.DecodeRuneInString(s)
	return size
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// isASCIIWord reports whether c may continue a placeholder name.
func isASCIIWord(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || isDigit(c) || c == '_'
}

// isWordStart reports whether s starts with a letter or underscore.
func isWordStart(s string) bool {
	return s != "" && ('a' <= s[0] && s[0] <= 'z' || 'A' <= s[0] && s[0] <= 'Z' || s[0] == '_')
}

// isWordRuneAt reports whether the rune at sql[i] continues a bare word:
// ASCII letters, digits, '_' and '$', and the non-ASCII characters of
// field codes (letters and digits of any script, kana, kanji, the
// prolonged sound mark, and the full-width symbols ＿ ・ ＄ ￠ ￡ ￥ ￦).
func isWordRuneAt(sql string, i int) bool {
	c := sql[i]
	if c < utf8.RuneSelf {
		return isASCIIWord(c) || c == '$'
	}
	r, _ := utf8.DecodeRuneInString(sql[i:])
	switch r {
	case '＿', '・', 'ー', 'ｰ', '＄', '￠', '￡', '￥', '￦':
		return true
	case utf8.RuneError, '\u3000':
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) ||
		unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han)
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

// tokenAt returns the index of the token that contains or follows the
// original offset off, or len(s.toks).
func (s *source) tokenAt(off int) int {
	return sort.Search(len(s.toks), func(i int) bool { return s.toks[i].end > off })
}
