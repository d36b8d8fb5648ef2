package parse

// This file reads the statements about the schema: SHOW TABLES, SHOW
// COLUMNS and DESCRIBE.

// show reads SHOW [FULL] TABLES ... or SHOW [FULL] COLUMNS ...; any other
// SHOW is refused.
func (p *parser) show() Stmt {
	start := p.next().pos
	full := p.acceptKw("FULL")
	t := p.tok()
	switch {
	case t.kw == "TABLES":
		p.next()
		n := &ShowTables{Span: Span{Start: start}, Full: full}
		if p.isKw("FROM") || p.isKw("IN") {
			p.next()
			db := p.ident("a database name")
			n.DB = &db
		}
		n.Like, n.Where = p.showFilter()
		n.Stop = p.prevEnd()
		return n
	case t.kw == "COLUMNS" || t.kw == "FIELDS":
		p.next()
		n := &ShowColumns{Span: Span{Start: start}, Full: full}
		if !p.isKw("FROM") && !p.isKw("IN") {
			p.expected("FROM or IN")
		}
		p.next()
		n.Table = p.schemaTable()
		if p.isKw("FROM") || p.isKw("IN") {
			p.next()
			db := p.ident("a database name")
			n.DB = &db
		}
		n.Like, n.Where = p.showFilter()
		n.Stop = p.prevEnd()
		return n
	case t.kind == tWord || t.kind == tQuoted:
		what := upper(t.text)
		if full {
			what = "FULL " + what
		}
		p.unsupported("SHOW "+what, start, "SHOW TABLES and SHOW COLUMNS are supported")
	}
	p.expected("TABLES or COLUMNS")
	return nil
}

// showFilter reads an optional LIKE 'pattern' or WHERE condition.
func (p *parser) showFilter() (*Literal, Expr) {
	switch {
	case p.acceptKw("LIKE"):
		t := p.tok()
		if t.kind != tString {
			p.expected("a string pattern after LIKE")
		}
		p.next()
		return &Literal{Span: Span{t.pos, t.end}, Kind: LitString, Value: t.text}, nil
	case p.acceptKw("WHERE"):
		return nil, p.expr()
	}
	return nil, nil
}

// schemaTable reads the table of SHOW COLUMNS and DESCRIBE: a table name,
// where an app ID may stand unquoted (DESCRIBE 42).
func (p *parser) schemaTable() TableName {
	t := p.tok()
	if t.kind == tNumber && isDigits(t.text) {
		p.next()
		id := Ident{Span: Span{t.pos, t.end}, Name: t.text}
		return TableName{Span: id.Span, Name: id}
	}
	return p.tableName()
}

// isDigits reports whether s is ASCII digits only.
func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// describeStmt reads {DESCRIBE | DESC | EXPLAIN} table [column | 'pattern'].
func (p *parser) describeStmt() Stmt {
	t := p.next()
	n := &Describe{Span: Span{Start: t.pos}, Verb: t.kw}
	n.Table = p.schemaTable()
	switch c := p.tok(); {
	case c.kind == tString:
		p.next()
		n.Pattern = &Literal{Span: Span{c.pos, c.end}, Kind: LitString, Value: c.text}
	case c.kind == tQuoted || c.kind == tWord && !isReserved(c.kw):
		id := p.ident("a column name")
		n.Column = &id
	}
	n.Stop = p.prevEnd()
	return n
}
