package parse

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// This file is the lexer: it turns the text into tokens with their byte
// offsets, counts the placeholders, and checks the limits. It follows
// translate's former lexer pre-pass (lex.go), which it replaced: a bare word may hold '$' and
// non-ASCII letters ($id, 顧客名), U+3000 is a blank, strings unescape as
// MySQL does (\% and \_ keep their backslash), "--" and "#" start a
// comment to the end of the line (as both translate and sqlparser read
// them, even without a blank after "--"), and @variables and ::list
// placeholders are refused where they stand.

// tokKind classifies a token.
type tokKind uint8

const (
	tEOF    tokKind = iota // the end of the statement
	tWord                  // a bare word: keyword, identifier or function name
	tQuoted                // a `backquoted` identifier; text is the name
	tString                // a '...' or "..." literal; text is the value
	tNumber                // a decimal literal: 12, 1.5, .5, 1e-3
	tHexNum                // 0x1F
	tHexStr                // X'1F'; text is the digits
	tBitStr                // B'0101'; text is the digits
	tParam                 // ? or :name; text is "?" or the name
	tRun                   // the rows of a VALUES run (see ParamRun)
	tPunct                 // an operator or punctuation
)

// token is one token of the statement.
type token struct {
	kind tokKind
	kw   string // for a bare word that is a keyword, the keyword in upper case
	text string // as written; for strings and quoted identifiers the content
	pos  int    // byte offset of the first character
	end  int    // byte offset just past the token
}

// isPunct reports whether t is the punctuation p.
func (t token) isPunct(p string) bool { return t.kind == tPunct && t.text == p }

// lexer scans a statement one token at a time, for the parser, which
// keeps only the few tokens it looks ahead at: a statement's tokens are
// never all held at once.
type lexer struct {
	sql        string
	runs       bool // look for a VALUES run
	i          int  // offset of the next byte to scan
	n          int  // tokens scanned
	nest       nesting
	firstKw    string // keyword of the first token
	prevKw     string // keyword of the last token
	params     []*Param
	nQ         int // ? placeholders, those of the run included
	firstNamed int // offset of the first :name, or -1
	run        *ParamRun
	countOnly  bool // keep no placeholders: checkBounds's pass
}

// newLexer returns a lexer of sql, which fails at once when sql is past
// MaxStatementBytes. With runs set it looks for a VALUES run.
func newLexer(sql string, runs bool) (*lexer, error) {
	if len(sql) > MaxStatementBytes {
		return nil, tooLong(sql)
	}
	return &lexer{sql: sql, runs: runs, firstNamed: -1}, nil
}

// scan returns the next token, a tEOF token at the end (again and again).
// It fails on an unterminated string, quoted identifier or comment, on a
// variable or list placeholder, on the placeholder that makes the
// statement mix ? and :name, and on the token past MaxStatementTokens or
// MaxNesting.
func (l *lexer) scan() (token, error) {
	sql := l.sql
	if l.run != nil && l.i == l.run.skip {
		// The rows after the first: one token for them all.
		l.i = l.run.Stop
		l.nQ += l.run.PerRow * l.run.Rows()
		l.prevKw = ""
		return token{kind: tRun, pos: l.run.Starts[0], end: l.run.Stop}, nil
	}
	i := skipBlanksComments(sql, l.i)
	if i < 0 {
		at := -i - 1
		return token{}, &sqlerr.SyntaxError{Pos: sqlerr.PositionOf(sql, at), Near: nearRest(sql, at), Msg: "comment not closed with */"}
	}
	if i >= len(sql) {
		l.i = i
		return token{kind: tEOF, pos: len(sql), end: len(sql)}, nil
	}
	t, err := l.next(i)
	if err != nil {
		return token{}, err
	}
	l.n++
	if l.n > MaxStatementTokens {
		return token{}, tooManyTokens(sql, t.pos)
	}
	if !l.nest.add(&t) {
		return token{}, tooDeep(sql, t.pos)
	}
	if t.kind == tParam {
		p := &Param{Span: Span{t.pos, t.end}}
		if t.text == "?" {
			l.nQ++
			p.Ordinal = l.nQ
		} else {
			p.Name = t.text
			if l.firstNamed < 0 {
				l.firstNamed = t.pos
			}
		}
		if l.nQ > 0 && l.firstNamed >= 0 {
			return token{}, &sqlerr.Error{Pos: sqlerr.PositionOf(sql, l.firstNamed), Msg: "a statement cannot mix ? and :name placeholders"}
		}
		if !l.countOnly {
			l.params = append(l.params, p)
		}
	}
	if l.n == 1 {
		l.firstKw = t.kw
	}
	l.prevKw = t.kw
	l.i = t.end
	return t, nil
}

// checkBounds scans the whole of a statement that may hold more than
// MaxStatementTokens tokens (one of more bytes than that), keeping no
// token, so that a statement past the bounds is refused as such before
// the parser reports anything it meets first, as translate has always
// refused it. A shorter statement cannot pass MaxStatementTokens, and is
// checked as it is parsed.
func checkBounds(sql string, runs bool) error {
	if len(sql) <= MaxStatementTokens {
		return nil
	}
	l, err := newLexer(sql, runs)
	if err != nil {
		return err
	}
	l.countOnly = true
	for {
		t, err := l.scan()
		if err != nil || t.kind == tEOF {
			return err
		}
	}
}

// lexed is a statement cut into all its tokens, for the tests.
type lexed struct {
	toks   []token // ends with the tEOF token
	params []*Param
	nQ     int
}

// lex scans the whole of sql.
func lex(sql string, runs bool) (*lexed, error) {
	l, err := newLexer(sql, runs)
	if err != nil {
		return nil, err
	}
	out := &lexed{}
	for {
		t, err := l.scan()
		if err != nil {
			return nil, err
		}
		out.toks = append(out.toks, t)
		if t.kind == tEOF {
			out.params, out.nQ = l.params, l.nQ
			return out, nil
		}
	}
}

// skipBlanksComments returns the offset of the next token at or after i,
// or -(start+1) for a block comment that is not closed.
func skipBlanksComments(sql string, i int) int {
	for i < len(sql) {
		c := sql[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			i++
		case c == 0xe3 && strings.HasPrefix(sql[i:], "\u3000"):
			i += len("\u3000")
		case c == '#' || c == '-' && i+1 < len(sql) && sql[i+1] == '-':
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				return len(sql)
			}
			i += j + 1
		case c == '/' && i+1 < len(sql) && sql[i+1] == '*':
			j := strings.Index(sql[i+2:], "*/")
			if j < 0 {
				return -i - 1
			}
			i += 2 + j + 2
		default:
			return i
		}
	}
	return i
}

// next scans the token at sql[i], which is not blank.
func (l *lexer) next(i int) (token, error) {
	sql := l.sql
	c := sql[i]
	switch {
	case c == '\'' || c == '"' || c == '`':
		j, content, ok := scanQuoted(sql, i)
		if !ok {
			what := "string"
			if c == '`' {
				what = "quoted identifier"
			}
			return token{}, &sqlerr.SyntaxError{Pos: sqlerr.PositionOf(sql, i), Near: nearRest(sql, i), Msg: what + " not closed with " + string(c)}
		}
		kind := tString
		if c == '`' {
			kind = tQuoted
			if content == "" {
				// MySQL refuses an empty name too; taken, it would read as
				// no name at all (an alias dropped, a table unnamed).
				return token{}, &sqlerr.SyntaxError{Pos: sqlerr.PositionOf(sql, i), Near: "``", Msg: "a name in backquotes cannot be empty"}
			}
		}
		return token{kind: kind, text: content, pos: i, end: j}, nil
	case c == '?':
		return token{kind: tParam, text: "?", pos: i, end: i + 1}, nil
	case c == ':' && i+1 < len(sql) && (sql[i+1] == ':' || isWordStart(sql[i+1:])):
		j := i + 1
		list := sql[j] == ':'
		if list {
			j++
		}
		k := j
		for k < len(sql) && isASCIIWord(sql[k]) {
			k++
		}
		if k == j {
			break // a lone "::" is punctuation
		}
		if list {
			return token{}, &sqlerr.UnsupportedError{Construct: "list placeholder ::" + sql[j:k], Pos: sqlerr.PositionOf(sql, i),
				Hint: "use IN (?) with a slice argument ([]string, []int64, ...)"}
		}
		return token{kind: tParam, text: sql[j:k], pos: i, end: k}, nil
	case c == '@':
		j := scanVariable(sql, i)
		if strings.HasPrefix(sql[i:], "@@") {
			return token{}, &sqlerr.UnsupportedError{Construct: "system variable " + sql[i:j], Pos: sqlerr.PositionOf(sql, i),
				Hint: "Kintone has no server variables"}
		}
		return token{}, &sqlerr.UnsupportedError{Construct: "user variable " + sql[i:j], Pos: sqlerr.PositionOf(sql, i),
			Hint: "pass values as arguments of ? or :name placeholders"}
	case isDigit(c) || c == '.' && i+1 < len(sql) && isDigit(sql[i+1]):
		j := scanNumber(sql, i)
		if j < len(sql) && isWordRuneAt(sql, j) {
			break // a word that starts with digits, such as 1abc
		}
		kind := tNumber
		if j-i > 2 && (sql[i+1] == 'x' || sql[i+1] == 'X') {
			kind = tHexNum
		}
		return token{kind: kind, text: sql[i:j], pos: i, end: j}, nil
	case (c == 'x' || c == 'X' || c == 'b' || c == 'B') && i+1 < len(sql) && sql[i+1] == '\'':
		j := strings.IndexByte(sql[i+2:], '\'')
		if j < 0 {
			return token{}, &sqlerr.SyntaxError{Pos: sqlerr.PositionOf(sql, i), Near: nearRest(sql, i), Msg: "string not closed with '"}
		}
		kind := tHexStr
		if c == 'b' || c == 'B' {
			kind = tBitStr
		}
		return token{kind: kind, text: sql[i+2 : i+2+j], pos: i, end: i + 3 + j}, nil
	case c == '(' && l.runs && l.run == nil && l.afterInsertValues():
		l.run = scanRun(sql, i, l.nQ+1)
		if l.run != nil {
			l.run.src = sql
		}
	}
	if isWordRuneAt(sql, i) {
		j := i
		for j < len(sql) && isWordRuneAt(sql, j) {
			if sql[j] < utf8.RuneSelf {
				j++
			} else {
				_, size := utf8.DecodeRuneInString(sql[j:])
				j += size
			}
		}
		return token{kind: tWord, kw: keywordOf(sql[i:j]), text: sql[i:j], pos: i, end: j}, nil
	}
	j := i + punctLen(sql[i:])
	return token{kind: tPunct, text: sql[i:j], pos: i, end: j}, nil
}

// afterInsertValues reports whether the tokens so far are those of an
// INSERT up to VALUES.
func (l *lexer) afterInsertValues() bool {
	return l.n > 1 && l.firstKw == "INSERT" && l.prevKw == "VALUES"
}

// scanQuoted scans the quoted token starting at sql[i] and returns the
// offset just past it and its content, unescaped the way MySQL does: a
// doubled quote stands for one, and inside strings a backslash escapes
// the next character (\0 \b \n \r \t \Z are control characters; \% and
// \_ keep their backslash, for LIKE). A content without escapes is a
// substring of sql, with no allocation.
func scanQuoted(sql string, i int) (end int, content string, ok bool) {
	q := sql[i]
	j := i + 1
	// The common case: no escape before the closing quote.
	for j < len(sql) && sql[j] != q && (sql[j] != '\\' || q == '`') {
		j++
	}
	if j < len(sql) && sql[j] == q && (j+1 >= len(sql) || sql[j+1] != q) {
		return j + 1, sql[i+1 : j], true
	}
	var b strings.Builder
	b.WriteString(sql[i+1 : j])
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
		if j > i+2 {
			return j
		}
		j = i
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
	if len(s) >= 2 {
		switch s[:2] {
		case "<=":
			if len(s) >= 3 && s[2] == '>' {
				return 3
			}
			return 2
		case "->":
			if len(s) >= 3 && s[2] == '>' {
				return 3
			}
			return 2
		case ">=", "<>", "!=", "||", "&&", "<<", ">>", ":=":
			return 2
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
	return isWordRune(r)
}

// isWordRune is isWordRuneAt for a decoded rune.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isASCIIWord(byte(r)) || r == '$'
	}
	switch r {
	case '＿', '・', 'ー', 'ｰ', '＄', '￠', '￡', '￥', '￦':
		return true
	case utf8.RuneError, '\u3000':
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) ||
		unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han)
}
