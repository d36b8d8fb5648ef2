package parse

// This file reads the writes: INSERT, UPDATE and DELETE.

// insert reads INSERT [INTO] table [(cols)] VALUES ... | query [ON
// DUPLICATE KEY UPDATE ...], and REPLACE [INTO] table [(cols)] VALUES
// ... | query (which MySQL gives no ON DUPLICATE KEY UPDATE).
func (p *parser) insert() Stmt {
	verb := p.next()
	n := &Insert{Span: Span{Start: verb.pos}, Replace: verb.kw == "REPLACE"}
	switch {
	case p.isKw("IGNORE") && !n.Replace:
		p.unsupported("INSERT IGNORE", p.tok().pos, "")
	case p.isWord("DELAYED") || p.isWord("LOW_PRIORITY") || p.isWord("HIGH_PRIORITY") && !n.Replace:
		p.unsupported(verb.kw+" "+upper(p.tok().text), p.tok().pos, "")
	}
	p.acceptKw("INTO")
	n.Table = p.tableName()
	if p.isKw("PARTITION") {
		p.unsupported("PARTITION", p.tok().pos, "")
	}
	if p.isPunct("(") && !p.isKwAt(1, "SELECT") && !p.isKwAt(1, "WITH") {
		p.next()
		n.Columns = []*ColumnRef{}
		if !p.isPunct(")") {
			p.commaList(func() { n.Columns = append(n.Columns, p.columnRef()) })
		}
		p.expectPunct(")")
	}
	switch {
	case p.isKw("VALUES"):
		p.next()
		p.commaList(func() {
			if p.tok().kind == tRun {
				p.expected("'('") // cannot happen: a run follows a row
			}
			n.Rows = append(n.Rows, p.valuesRow())
			if p.tok().kind == tRun {
				p.next()
				n.Run = p.lx.run
			}
		})
	case p.isKw("SELECT") || p.isKw("WITH") || p.isPunct("("):
		n.Query = p.query()
	case p.isKw("SET"):
		p.unsupported(verb.kw+" ... SET", p.tok().pos, "write "+verb.kw+" INTO t (cols) VALUES (...)")
	default:
		p.expected("VALUES or SELECT")
	}
	if p.isKw("ON") && !n.Replace {
		p.next()
		p.expectKw("DUPLICATE")
		p.expectKw("KEY")
		p.expectKw("UPDATE")
		n.OnDup = p.assignments()
	}
	n.Stop = p.prevEnd()
	return n
}

// valuesRow reads (expr, ...) or ().
func (p *parser) valuesRow() *ValuesRow {
	lp := p.expectPunct("(")
	r := &ValuesRow{}
	if !p.isPunct(")") {
		p.commaList(func() { r.Values = append(r.Values, p.value()) })
	}
	rp := p.expectPunct(")")
	r.Span = Span{lp, rp + 1}
	return r
}

// assignments reads col = expr, ....
func (p *parser) assignments() []*Assignment {
	var out []*Assignment
	p.commaList(func() {
		c := p.columnRef()
		p.expectPunct("=")
		v := p.value()
		out = append(out, &Assignment{Span: Span{c.Start, v.End()}, Column: c, Value: v})
	})
	return out
}

// update reads UPDATE tables SET ... [WHERE] [ORDER BY] [LIMIT].
func (p *parser) update() Stmt {
	n := &Update{Span: Span{Start: p.next().pos}}
	if p.isKw("IGNORE") || p.isWord("LOW_PRIORITY") {
		p.unsupported("UPDATE "+upper(p.tok().text), p.tok().pos, "")
	}
	n.Tables = p.tableRefs()
	p.expectKw("SET")
	n.Set = p.assignments()
	if p.acceptKw("WHERE") {
		n.Where = p.expr()
	}
	n.OrderBy, n.Limit = p.orderLimit()
	n.Stop = p.prevEnd()
	return n
}

// delete reads DELETE FROM table [WHERE] [ORDER BY] [LIMIT].
func (p *parser) delete() Stmt {
	n := &Delete{Span: Span{Start: p.next().pos}}
	if p.isKw("IGNORE") || p.isWord("QUICK") || p.isWord("LOW_PRIORITY") {
		p.unsupported("DELETE "+upper(p.tok().text), p.tok().pos, "")
	}
	if !p.isKw("FROM") && p.isIdent() {
		p.unsupported("multiple-table DELETE", n.Start, "")
	}
	p.expectKw("FROM")
	n.Table = p.tableName()
	switch {
	case p.isPunct(",") || p.isKw("USING"):
		p.unsupported("multiple-table DELETE", n.Start, "")
	case p.isKw("PARTITION"):
		p.unsupported("PARTITION", p.tok().pos, "")
	}
	if p.acceptKw("WHERE") {
		n.Where = p.expr()
	}
	n.OrderBy, n.Limit = p.orderLimit()
	n.Stop = p.prevEnd()
	return n
}

// value reads a value of VALUES or SET: an expression, or DEFAULT alone
// (MySQL takes plain DEFAULT nowhere else).
func (p *parser) value() Expr {
	if t := p.tok(); t.kw == "DEFAULT" && !p.peek(1).isPunct("(") {
		p.next()
		return &Default{Span: Span{t.pos, t.end}}
	}
	return p.expr()
}
