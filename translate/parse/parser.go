package parse

import (
	"strings"

	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// Parsed is a statement read by Parse.
type Parsed struct {
	// SQL is the statement text; every offset in the tree is into it.
	SQL string
	// Stmt is the statement's tree.
	Stmt Stmt
	// Params are the placeholders in the order written, the rows of a
	// VALUES run excepted (see ParamRun.Params for those).
	Params []*Param
	// NumQ is the number of ? placeholders, those of a run included.
	NumQ int
	// Names are the distinct :name placeholders, in order of first
	// appearance.
	Names []string
}

// NumInput is the number of arguments the statement takes: the number of
// ? placeholders, or the number of distinct :name placeholders (a
// statement never has both).
func (p *Parsed) NumInput() int { return p.NumQ + len(p.Names) }

// Position returns the Position of a byte offset of the statement, such
// as a node's Pos().
func (p *Parsed) Position(off int) sqlerr.Position { return sqlerr.PositionOf(p.SQL, off) }

// Parse parses one statement, optionally ended by a semicolon. The error
// is a *sqlerr.SyntaxError, an *sqlerr.UnsupportedError or an *sqlerr.Error, each with the
// position of the token at fault.
func Parse(sql string) (*Parsed, error) { return parse(sql, true) }

// ParseRowByRow is Parse without the VALUES-run fast path: every row of
// an INSERT's VALUES is parsed (Insert.Run is always nil). It is the
// general path the fast one must agree with.
func ParseRowByRow(sql string) (*Parsed, error) { return parse(sql, false) }

// NextToken returns the offset of the first token at or after offset off
// of the statement: off itself, or past the blanks and comments there.
// The binder finds with it the keyword the grammar puts right after a
// node (the comma of a comma join after the first table, OFFSET after a
// LIMIT's count), which the tree does not record.
func (p *Parsed) NextToken(off int) int {
	i := skipBlanksComments(p.SQL, off)
	if i < 0 {
		return len(p.SQL)
	}
	return i
}

// parse is Parse, looking for a VALUES run when runs is set.
func parse(sql string, runs bool) (out *Parsed, err error) {
	if err := checkBounds(sql, runs); err != nil {
		return nil, err
	}
	l, err := newLexer(sql, runs)
	if err != nil {
		return nil, err
	}
	p := &parser{sql: sql, lx: l, buf: make([]token, 0, 8)}
	defer func() {
		if r := recover(); r != nil {
			b, ok := r.(bailout)
			if !ok {
				panic(r)
			}
			out, err = nil, b.err
		}
	}()
	stmt := p.statement()
	p.acceptPunct(";")
	if p.tok().kind != tEOF {
		p.expected("the end of the statement")
	}
	out = &Parsed{SQL: sql, Stmt: stmt, Params: l.params, NumQ: l.nQ}
	seen := map[string]bool{}
	for _, prm := range l.params {
		if prm.Name != "" && !seen[prm.Name] {
			seen[prm.Name] = true
			out.Names = append(out.Names, prm.Name)
		}
	}
	return out, nil
}

// parser reads the tokens by recursive descent, asking the lexer for
// them as it goes and keeping only those it looks ahead at. Errors unwind
// the recursion as a bailout panic, which parse recovers.
type parser struct {
	sql     string
	lx      *lexer
	buf     []token // tokens scanned and not consumed, from head
	head    int
	lastEnd int // end of the last token consumed
	nParam  int // placeholders consumed
	depth   int // recursion depth of expressions
}

// isWord reports whether the current token is the bare word w (upper
// case), keyword or not.
func (p *parser) isWord(w string) bool {
	t := p.cur()
	return t.kind == tWord && len(t.text) == len(w) && upper(t.text) == w
}

// bailout carries an error up the recursion.
type bailout struct{ err error }

// fail aborts the parse with err.
func (p *parser) fail(err error) { panic(bailout{err}) }

// fill scans until the token n after the current one is in buf.
func (p *parser) fill(n int) {
	for len(p.buf)-p.head <= n {
		if p.head > 0 && p.head == len(p.buf) {
			p.buf, p.head = p.buf[:0], 0 // all consumed: reuse the buffer
		}
		t, err := p.lx.scan()
		if err != nil {
			p.fail(err)
		}
		p.buf = append(p.buf, t)
	}
}

// cur returns the current token, to be looked at before anything else
// is scanned.
func (p *parser) cur() *token {
	if p.head == len(p.buf) {
		p.fill(0)
	}
	return &p.buf[p.head]
}

// tok returns the current token.
func (p *parser) tok() token { return *p.cur() }

// peek returns the token n after the current one.
func (p *parser) peek(n int) token {
	p.fill(n)
	return p.buf[p.head+n]
}

// next consumes the current token and returns it.
func (p *parser) next() token {
	t := p.tok()
	if t.kind != tEOF {
		p.head++
		p.lastEnd = t.end
	}
	return t
}

// prevEnd is the end of the last token consumed.
func (p *parser) prevEnd() int { return p.lastEnd }

// isKw reports whether the current token is the bare keyword kw.
func (p *parser) isKw(kw string) bool { t := p.cur(); return t.kind == tWord && t.kw == kw }

// isKwAt reports whether the token n after the current one is kw.
func (p *parser) isKwAt(n int, kw string) bool {
	t := p.peek(n)
	return t.kind == tWord && t.kw == kw
}

// acceptKw consumes the keyword kw if it is next.
func (p *parser) acceptKw(kw string) bool {
	if p.isKw(kw) {
		p.next()
		return true
	}
	return false
}

// expectKw consumes the keyword kw, or fails, and returns its offset.
func (p *parser) expectKw(kw string) int {
	if !p.isKw(kw) {
		p.expected(kw)
	}
	return p.next().pos
}

// isPunct reports whether the current token is the punctuation s.
func (p *parser) isPunct(s string) bool { return p.cur().isPunct(s) }

// acceptPunct consumes the punctuation s if it is next.
func (p *parser) acceptPunct(s string) bool {
	if p.isPunct(s) {
		p.next()
		return true
	}
	return false
}

// expectPunct consumes the punctuation s, or fails, and returns its
// offset.
func (p *parser) expectPunct(s string) int {
	if !p.isPunct(s) {
		p.expected("'" + s + "'")
	}
	return p.next().pos
}

// expected fails with "expected what, found ..." at the current token.
func (p *parser) expected(what string) {
	t := p.tok()
	p.fail(p.syntaxError(t, "expected "+what+", found "+p.describe(t)))
}

// syntaxError builds a *sqlerr.SyntaxError at token t.
func (p *parser) syntaxError(t token, msg string) *sqlerr.SyntaxError {
	return &sqlerr.SyntaxError{Pos: sqlerr.PositionOf(p.sql, t.pos), Near: near(p.sql, t.pos, t.end), Msg: msg}
}

// unsupported fails with an *UnsupportedError at offset off.
func (p *parser) unsupported(construct string, off int, hint string) {
	p.fail(&sqlerr.UnsupportedError{Construct: construct, Pos: sqlerr.PositionOf(p.sql, off), Hint: hint})
}

// describe names a token for a message: its text in quotes (cut to 20
// characters), or "the end of the statement".
func (p *parser) describe(t token) string {
	switch t.kind {
	case tEOF:
		return "the end of the statement"
	case tRun:
		return "'?'"
	}
	text := p.sql[t.pos:t.end]
	if r := []rune(text); len(r) > 20 {
		text = string(r[:20]) + "..."
	}
	return "'" + text + "'"
}

// enter counts one level of recursion, failing past the nesting limit;
// leave undoes it.
func (p *parser) enter() {
	p.depth++
	if p.depth > 4*MaxNesting+10 {
		p.fail(tooDeep(p.sql, p.tok().pos))
	}
}

func (p *parser) leave() { p.depth-- }

// param returns the Param node of the placeholder token just consumed.
func (p *parser) param() *Param {
	prm := p.lx.params[p.nParam]
	p.nParam++
	return prm
}

// unsupportedStatements are the first words of statements MySQL has and
// this package refuses.
var unsupportedStatements = map[string]bool{
	"CREATE": true, "ALTER": true, "DROP": true, "TRUNCATE": true, "RENAME": true, "SET": true,
	"USE": true, "BEGIN": true, "START": true, "COMMIT": true, "ROLLBACK": true, "ANALYZE": true,
	"OPTIMIZE": true, "REPAIR": true, "GRANT": true, "REVOKE": true, "LOCK": true, "UNLOCK": true,
	"CALL": true, "LOAD": true, "HANDLER": true, "DO": true, "KILL": true, "FLUSH": true, "RESET": true,
	"PREPARE": true, "EXECUTE": true, "DEALLOCATE": true, "STREAM": true, "CHECK": true, "SAVEPOINT": true,
	"RELEASE": true, "XA": true, "INSTALL": true, "UNINSTALL": true, "TABLE": true, "VALUES": true,
}

// statement reads one statement.
func (p *parser) statement() Stmt {
	t := p.tok()
	switch {
	case t.kw == "SELECT" || t.kw == "WITH" || t.isPunct("("):
		return p.query()
	case t.kw == "INSERT" || t.kw == "REPLACE":
		return p.insert()
	case t.kw == "UPDATE":
		return p.update()
	case t.kw == "DELETE":
		return p.delete()
	case t.kw == "SHOW":
		return p.show()
	case t.kw == "DESCRIBE" || t.kw == "DESC":
		return p.describeStmt()
	case t.kw == "EXPLAIN":
		n := p.peek(1)
		if n.kw == "SELECT" || n.kw == "WITH" || n.isPunct("(") || n.kw == "INSERT" || n.kw == "UPDATE" ||
			n.kw == "DELETE" || n.kw == "REPLACE" {
			p.next()
			s := p.statement()
			return &Explain{Span: Span{t.pos, s.End()}, Stmt: s}
		}
		return p.describeStmt()
	case t.kind == tWord && unsupportedStatements[strings.ToUpper(t.text)]:
		p.unsupported(strings.ToUpper(t.text)+" statement", t.pos, "")
	}
	if t.kind == tEOF {
		// Nothing but blanks and comments: the statement is empty from
		// its start.
		p.fail(&sqlerr.SyntaxError{Pos: sqlerr.PositionOf(p.sql, 0),
			Msg: "empty statement: expected a statement, found the end of the statement"})
	}
	p.expected("a statement (SELECT, INSERT, UPDATE, DELETE, SHOW, DESCRIBE or EXPLAIN)")
	return nil
}

// ident reads a name: a non-reserved bare word or a backquoted name.
// what names it for the error message.
func (p *parser) ident(what string) Ident {
	t := p.tok()
	if t.kind == tQuoted || t.kind == tWord && !isReserved(t.kw) {
		p.next()
		return Ident{Span: Span{t.pos, t.end}, Name: t.text, Quoted: t.kind == tQuoted}
	}
	p.expected(what)
	return Ident{}
}

// isIdent reports whether the current token can be a name.
func (p *parser) isIdent() bool {
	t := p.tok()
	return t.kind == tQuoted || t.kind == tWord && !isReserved(t.kw)
}

// anyIdent reads a name after a dot, where reserved words are names too
// (t.select).
func (p *parser) anyIdent(what string) Ident {
	t := p.tok()
	if t.kind == tQuoted || t.kind == tWord {
		p.next()
		return Ident{Span: Span{t.pos, t.end}, Name: t.text, Quoted: t.kind == tQuoted}
	}
	p.expected(what)
	return Ident{}
}

// tableName reads name or qualifier.name.
func (p *parser) tableName() TableName {
	first := p.ident("a table name")
	if p.isPunct(".") {
		p.next()
		second := p.anyIdent("a table name after '.'")
		return TableName{Span: Span{first.Start, second.Stop}, Qualifier: first, Name: second}
	}
	return TableName{Span: first.Span, Name: first}
}

// alias reads an optional [AS] alias: a name, or a string. It returns nil
// when there is none.
func (p *parser) alias() *Ident {
	as := p.acceptKw("AS")
	t := p.tok()
	switch {
	case t.kind == tString:
		p.next()
		return &Ident{Span: Span{t.pos, t.end}, Name: t.text, Quoted: true}
	case !as && p.isKw("FULL") && (p.isKwAt(1, "JOIN") || p.isKwAt(1, "OUTER")):
		// FULL [OUTER] JOIN, not an alias named full (MySQL has no FULL
		// JOIN and would read one; PostgreSQL and SQLite read the join).
		return nil
	case !as && p.isKw("WINDOW") && p.isKwAt(2, "AS"):
		// WINDOW w AS (...): the WINDOW clause, not an alias named window.
		return nil
	case p.isIdent():
		id := p.ident("an alias")
		return &id
	case as:
		p.expected("an alias after AS")
	}
	return nil
}

// commaList calls f for each item of a comma-separated list of one or
// more items.
func (p *parser) commaList(f func()) {
	for {
		f()
		if !p.acceptPunct(",") {
			return
		}
	}
}
