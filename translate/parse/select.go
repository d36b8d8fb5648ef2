package parse

import "strings"

// This file reads queries: SELECT, the set operations, WITH, and FROM
// with its joins and derived tables.

// query reads a query with its set operations and the ORDER BY and LIMIT
// after them: SELECT ..., (query), q UNION q, WITH ... query.
func (p *parser) query() Query {
	p.enter()
	defer p.leave()
	if p.isKw("WITH") {
		return p.with()
	}
	q := p.setExpr()
	orderBy, limit := p.orderLimit()
	if orderBy != nil || limit != nil {
		end := p.prevEnd()
		switch n := q.(type) {
		case *Select:
			n.OrderBy, n.Limit, n.Stop = orderBy, limit, end
		case *SetOp:
			n.OrderBy, n.Limit, n.Stop = orderBy, limit, end
		case *ParenQuery:
			if n.OrderBy != nil || n.Limit != nil {
				q = &ParenQuery{Span: Span{n.Start, end}, Query: n, OrderBy: orderBy, Limit: limit}
			} else {
				n.OrderBy, n.Limit, n.Stop = orderBy, limit, end
			}
		}
	}
	p.lockClause()
	return q
}

// lockClause refuses FOR UPDATE, FOR SHARE and LOCK IN SHARE MODE.
func (p *parser) lockClause() {
	switch {
	case p.isKw("FOR") && (p.isKwAt(1, "UPDATE") || p.isKwAt(1, "SHARE")):
		p.unsupported("FOR "+p.peek(1).kw, p.tok().pos, "Kintone has no locking reads")
	case p.isKw("LOCK") && p.isKwAt(1, "IN"):
		p.unsupported("LOCK IN SHARE MODE", p.tok().pos, "Kintone has no locking reads")
	case p.isKw("INTO"):
		p.unsupported("SELECT ... INTO", p.tok().pos, "")
	}
}

// with reads WITH [RECURSIVE] cte, ... query.
func (p *parser) with() Query {
	w := &With{Span: Span{Start: p.next().pos}}
	w.Recursive = p.acceptKw("RECURSIVE")
	p.commaList(func() {
		c := &CTE{Name: p.ident("a name for the common table expression")}
		c.Start = c.Name.Start
		if p.acceptPunct("(") {
			p.commaList(func() { c.Columns = append(c.Columns, p.ident("a column name")) })
			p.expectPunct(")")
		}
		p.expectKw("AS")
		c.Query = p.subquery()
		c.Stop = c.Query.Stop
		w.CTEs = append(w.CTEs, c)
	})
	if !p.isKw("SELECT") && !p.isPunct("(") && !p.isKw("WITH") {
		p.expected("SELECT after the common table expressions")
	}
	w.Body = p.query()
	w.Stop = w.Body.End()
	return w
}

// setExpr reads operands joined by UNION and EXCEPT, left to right.
func (p *parser) setExpr() Query {
	l := p.intersectExpr()
	for p.isKw("UNION") || p.isKw("EXCEPT") {
		op := p.setOp()
		r := p.intersectExpr()
		op.L, op.R, op.Span = l, r, Span{l.Pos(), r.End()}
		l = op
	}
	return l
}

// intersectExpr reads operands joined by INTERSECT, which binds tighter
// than UNION and EXCEPT.
func (p *parser) intersectExpr() Query {
	l := p.queryOperand()
	for p.isKw("INTERSECT") {
		op := p.setOp()
		r := p.queryOperand()
		op.L, op.R, op.Span = l, r, Span{l.Pos(), r.End()}
		l = op
	}
	return l
}

// setOp reads a set operator and its ALL or DISTINCT.
func (p *parser) setOp() *SetOp {
	t := p.next()
	op := &SetOp{Op: t.kw, OpPos: t.pos}
	switch {
	case p.acceptKw("ALL"):
		op.All = true
	case p.acceptKw("DISTINCT"):
		op.Dist = true
	}
	return op
}

// queryOperand reads a SELECT without ORDER BY and LIMIT, or a
// parenthesized query.
func (p *parser) queryOperand() Query {
	if p.isPunct("(") {
		lp := p.next().pos
		q := p.query()
		rp := p.expectPunct(")")
		return &ParenQuery{Span: Span{lp, rp + 1}, Query: q}
	}
	if !p.isKw("SELECT") {
		p.expected("SELECT")
	}
	return p.selectStmt()
}

// selectStmt reads SELECT ... up to HAVING.
func (p *parser) selectStmt() *Select {
	s := &Select{Span: Span{Start: p.next().pos}}
	if p.isKw("SQL_CACHE") || p.isKw("SQL_NO_CACHE") {
		s.Cache = p.next().kw
	}
	// ALL (MySQL's default) or DISTINCT, not both.
	if s.All = p.acceptKw("ALL"); !s.All {
		s.Distinct = p.acceptKw("DISTINCT")
	}
	s.StraightJoin = p.acceptKw("STRAIGHT_JOIN")
	p.commaList(func() { s.Items = append(s.Items, p.selectItem()) })
	if p.acceptKw("FROM") {
		s.From = p.tableRefs()
	}
	if p.acceptKw("WHERE") {
		s.Where = p.expr()
	}
	if p.isKw("GROUP") {
		p.next()
		p.expectKw("BY")
		p.commaList(func() { s.GroupBy = append(s.GroupBy, p.expr()) })
		if p.isKw("WITH") && p.peek(1).kind == tWord && upper(p.peek(1).text) == "ROLLUP" {
			p.unsupported("WITH ROLLUP", p.tok().pos, "")
		}
	}
	if p.acceptKw("HAVING") {
		s.Having = p.expr()
	}
	if p.isKw("WINDOW") && p.peek(1).kind != tEOF && p.isKwAt(2, "AS") {
		p.unsupported("WINDOW clause", p.tok().pos, "write the window in the OVER (...) of each function")
	}
	s.Stop = p.prevEnd()
	return s
}

// selectItem reads *, t.*, or an expression with an optional alias.
func (p *parser) selectItem() *SelectItem {
	t := p.tok()
	if t.isPunct("*") {
		p.next()
		return &SelectItem{Span: Span{t.pos, t.end}, Expr: &Star{Span: Span{t.pos, t.end}}, Text: "*"}
	}
	if p.isIdent() && p.peek(1).isPunct(".") {
		// t.* or db.t.*
		if p.peek(2).isPunct("*") {
			a := p.ident("a table name")
			p.next()
			st := p.next()
			star := &Star{Span: Span{a.Start, st.end}, Table: &TableName{Span: a.Span, Name: a}}
			return &SelectItem{Span: star.Span, Expr: star, Text: p.sql[a.Start:st.end]}
		}
		if k := p.peek(2).kind; (k == tWord || k == tQuoted) && p.peek(3).isPunct(".") && p.peek(4).isPunct("*") {
			a := p.ident("a database name")
			p.next()
			b := p.anyIdent("a table name")
			p.next()
			st := p.next()
			star := &Star{Span: Span{a.Start, st.end}, Table: &TableName{Span: Span{a.Start, b.Stop}, Qualifier: a, Name: b}}
			return &SelectItem{Span: star.Span, Expr: star, Text: p.sql[a.Start:st.end]}
		}
	}
	x := p.expr()
	it := &SelectItem{Span: Span{x.Pos(), x.End()}, Expr: x, Text: p.sql[x.Pos():x.End()]}
	if a := p.alias(); a != nil {
		it.Alias = a
		it.Stop = a.Stop
	}
	return it
}

// orderLimit reads the optional ORDER BY and LIMIT.
func (p *parser) orderLimit() ([]*OrderItem, *Limit) {
	var orderBy []*OrderItem
	if p.isKw("ORDER") {
		orderBy = p.orderBy()
	}
	return orderBy, p.limit()
}

// orderBy reads ORDER BY item, ....
func (p *parser) orderBy() []*OrderItem {
	p.next()
	p.expectKw("BY")
	var items []*OrderItem
	p.commaList(func() {
		x := p.expr()
		it := &OrderItem{Span: Span{x.Pos(), x.End()}, Expr: x}
		if p.isKw("ASC") || p.isKw("DESC") {
			t := p.next()
			it.Dir, it.Stop = t.kw, t.end
		}
		if p.isKw("NULLS") {
			p.next()
			t := p.tok()
			if !p.isKw("FIRST") && !p.isKw("LAST") {
				p.expected("FIRST or LAST after NULLS")
			}
			p.next()
			it.Nulls, it.Stop = t.kw, t.end
		}
		items = append(items, it)
	})
	return items
}

// limit reads an optional LIMIT n [OFFSET m] or LIMIT m, n.
func (p *parser) limit() *Limit {
	if !p.isKw("LIMIT") {
		return nil
	}
	l := &Limit{Span: Span{Start: p.next().pos}}
	l.Count = p.expr()
	switch {
	case p.acceptPunct(","):
		l.Offset, l.Count, l.Comma = l.Count, p.expr(), true
	case p.acceptKw("OFFSET"):
		l.Offset = p.expr()
	}
	l.Stop = p.prevEnd()
	return l
}

// tableRefs reads the table references of FROM (or UPDATE), separated by
// commas.
func (p *parser) tableRefs() []TableExpr {
	var out []TableExpr
	p.commaList(func() { out = append(out, p.tableRef()) })
	return out
}

// tableRef reads a table factor followed by joins.
func (p *parser) tableRef() TableExpr {
	l := p.tableFactor()
	for {
		t := p.tok()
		kind := ""
		switch t.kw {
		case "JOIN", "STRAIGHT_JOIN":
			p.next()
			kind = t.kw
		case "INNER", "CROSS":
			p.next()
			p.expectKw("JOIN")
			kind = "JOIN"
			if t.kw == "CROSS" {
				kind = "CROSS JOIN"
			}
		case "LEFT", "RIGHT":
			p.next()
			p.acceptKw("OUTER")
			p.expectKw("JOIN")
			kind = t.kw + " JOIN"
		case "FULL":
			if !p.isKwAt(1, "JOIN") && !p.isKwAt(1, "OUTER") {
				break
			}
			p.next()
			p.acceptKw("OUTER")
			p.expectKw("JOIN")
			kind = "FULL JOIN"
		case "NATURAL":
			p.next()
			kind = "NATURAL JOIN"
			if p.isKw("LEFT") || p.isKw("RIGHT") {
				kind = "NATURAL " + p.next().kw + " JOIN"
				p.acceptKw("OUTER")
			}
			p.expectKw("JOIN")
		}
		if kind == "" {
			return l
		}
		r := p.tableFactor()
		j := &Join{Span: Span{l.Pos(), r.End()}, Kind: kind, OpPos: t.pos, L: l, R: r}
		natural := strings.HasPrefix(kind, "NATURAL")
		switch {
		case natural:
		case p.isKw("ON"):
			p.next()
			j.On = p.expr()
			j.Stop = j.On.End()
		case p.isKw("USING") && kind != "STRAIGHT_JOIN":
			p.next()
			p.expectPunct("(")
			p.commaList(func() { j.Using = append(j.Using, p.ident("a column name")) })
			j.Stop = p.expectPunct(")") + 1
		case kind == "LEFT JOIN" || kind == "RIGHT JOIN" || kind == "FULL JOIN":
			p.expected("ON or USING")
		}
		l = j
	}
}

// tableFactor reads a table name with its alias, a derived table, or
// tables in parentheses.
func (p *parser) tableFactor() TableExpr {
	t := p.tok()
	if t.isPunct("(") {
		if n := p.peek(1); n.kw == "SELECT" || n.kw == "WITH" {
			sub := p.subquery()
			d := &DerivedTable{Span: Span{sub.Start, sub.Stop}, Query: sub}
			a := p.alias()
			if a == nil {
				p.expected("an alias for the derived table")
			}
			d.Alias, d.Stop = *a, a.Stop
			return d
		}
		p.next()
		pt := &ParenTable{Span: Span{Start: t.pos}, Tables: p.tableRefs()}
		pt.Stop = p.expectPunct(")") + 1
		return pt
	}
	if !p.isIdent() {
		p.expected("a table name")
	}
	ref := &TableRef{Name: p.tableName()}
	ref.Span = ref.Name.Span
	if p.isKw("PARTITION") && p.peek(1).isPunct("(") {
		p.unsupported("PARTITION", p.tok().pos, "")
	}
	if a := p.alias(); a != nil {
		ref.Alias, ref.Stop = a, a.Stop
	}
	if (p.isKw("USE") || p.isKw("IGNORE") || p.isKw("FORCE")) && (p.isKwAt(1, "INDEX") || p.isKwAt(1, "KEY")) {
		p.unsupported("index hints", p.tok().pos, "")
	}
	return ref
}
