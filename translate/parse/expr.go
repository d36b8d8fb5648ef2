package parse

// This file reads expressions, with MySQL's precedence, lowest first:
//
//	OR ||   XOR   AND &&   NOT
//	comparison (= <=> <> != < <= > >=, IS [NOT] ..., left to right)
//	[NOT] IN, [NOT] BETWEEN, [NOT] LIKE [ESCAPE], [NOT] REGEXP
//	|   &   << >>   + -   * / DIV % MOD   ^
//	unary - + ~ ! BINARY   COLLATE   -> ->>   primaries

// expr reads an expression.
func (p *parser) expr() Expr {
	p.enter()
	defer p.leave()
	return p.orExpr()
}

func (p *parser) orExpr() Expr {
	l := p.xorExpr()
	for p.isKw("OR") || p.isPunct("||") {
		op := p.next().pos
		r := p.xorExpr()
		l = &Binary{Span: Span{l.Pos(), r.End()}, Op: "OR", OpPos: op, L: l, R: r}
	}
	return l
}

func (p *parser) xorExpr() Expr {
	l := p.andExpr()
	for p.isKw("XOR") {
		op := p.next().pos
		r := p.andExpr()
		l = &Binary{Span: Span{l.Pos(), r.End()}, Op: "XOR", OpPos: op, L: l, R: r}
	}
	return l
}

func (p *parser) andExpr() Expr {
	l := p.notExpr()
	for p.isKw("AND") || p.isPunct("&&") {
		op := p.next().pos
		r := p.notExpr()
		l = &Binary{Span: Span{l.Pos(), r.End()}, Op: "AND", OpPos: op, L: l, R: r}
	}
	return l
}

func (p *parser) notExpr() Expr {
	if p.isKw("NOT") {
		at := p.next().pos
		p.enter()
		x := p.notExpr()
		p.leave()
		return &Unary{Span: Span{at, x.End()}, Op: "NOT", X: x}
	}
	return p.comparison()
}

// compareOps maps the comparison operators to their canonical spelling.
var compareOps = map[string]string{
	"=": "=", "<=>": "<=>", "<>": "<>", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">=",
}

// comparison reads a predicate followed by comparisons and IS tests,
// left to right (MySQL's bool_pri and IS TRUE level).
func (p *parser) comparison() Expr {
	l := p.predicate()
	for {
		t := p.tok()
		if op, ok := compareOps[t.text]; ok && t.kind == tPunct {
			p.next()
			if (p.isKw("ANY") || p.isKw("SOME") || p.isKw("ALL")) && p.peek(1).isPunct("(") {
				p.unsupported(p.tok().kw+" (subquery)", p.tok().pos, "")
			}
			r := p.predicate()
			l = &Binary{Span: Span{l.Pos(), r.End()}, Op: op, OpPos: t.pos, L: l, R: r}
			continue
		}
		if t.kind == tWord && t.kw == "IS" {
			p.next()
			not := p.acceptKw("NOT")
			w := p.tok()
			switch w.kw {
			case "NULL", "TRUE", "FALSE", "UNKNOWN":
				p.next()
			default:
				p.expected("NULL, TRUE, FALSE or UNKNOWN after IS")
			}
			l = &Is{Span: Span{l.Pos(), w.end}, X: l, Not: not, What: w.kw, OpPos: t.pos}
			continue
		}
		return l
	}
}

// predicate reads x [NOT] IN | BETWEEN | LIKE | REGEXP ..., or x.
func (p *parser) predicate() Expr {
	x := p.bitExpr()
	t := p.tok()
	not := false
	if t.kw == "NOT" && t.kind == tWord {
		switch p.peek(1).kw {
		case "IN", "BETWEEN", "LIKE", "REGEXP", "RLIKE":
			p.next()
			not = true
		default:
			return x
		}
	}
	switch p.tok().kw {
	case "IN":
		p.next()
		lp := p.expectPunct("(")
		if p.isKw("SELECT") || p.isKw("WITH") {
			q := p.query()
			rp := p.expectPunct(")")
			sub := &Subquery{Span: Span{lp, rp + 1}, Query: q}
			return &In{Span: Span{x.Pos(), rp + 1}, X: x, Not: not, Query: sub, OpPos: t.pos}
		}
		var list []Expr
		p.commaList(func() { list = append(list, p.expr()) })
		rp := p.expectPunct(")")
		return &In{Span: Span{x.Pos(), rp + 1}, X: x, Not: not, List: list, OpPos: t.pos}
	case "BETWEEN":
		p.next()
		lo := p.bitExpr()
		p.expectKw("AND")
		hi := p.bitExpr()
		return &Between{Span: Span{x.Pos(), hi.End()}, X: x, Lo: lo, Hi: hi, Not: not, OpPos: t.pos}
	case "LIKE":
		p.next()
		pat := p.bitExpr()
		n := &Like{Span: Span{x.Pos(), pat.End()}, X: x, Pattern: pat, Not: not, OpPos: t.pos}
		if p.acceptKw("ESCAPE") {
			n.Escape = p.bitExpr()
			n.Stop = n.Escape.End()
		}
		return n
	case "REGEXP", "RLIKE":
		p.next()
		pat := p.bitExpr()
		return &Like{Span: Span{x.Pos(), pat.End()}, X: x, Pattern: pat, Not: not, Regexp: true, OpPos: t.pos}
	}
	return x
}

// binaryLevels are the infix operators of bit expressions, lowest
// precedence first.
var binaryLevels = [][]string{
	{"|"}, {"&"}, {"<<", ">>"}, {"+", "-"}, {"*", "/", "DIV", "%", "MOD"}, {"^"},
}

// bitExpr reads a bit expression (MySQL's bit_expr): arithmetic and bit
// operators over unary expressions.
func (p *parser) bitExpr() Expr { return p.binary(0) }

// binary reads the operators of binaryLevels[level] and above.
func (p *parser) binary(level int) Expr {
	if level == len(binaryLevels) {
		return p.unary()
	}
	l := p.binary(level + 1)
	for {
		op, ok := p.binaryOp(level)
		if !ok {
			return l
		}
		at := p.next().pos
		r := p.binary(level + 1)
		l = &Binary{Span: Span{l.Pos(), r.End()}, Op: op, OpPos: at, L: l, R: r}
	}
}

// binaryOp returns the current token's operator when it is of the level.
func (p *parser) binaryOp(level int) (string, bool) {
	t := p.tok()
	for _, op := range binaryLevels[level] {
		switch {
		case t.kind == tPunct && t.text == op:
			return op, true
		case t.kind == tWord && t.kw == op:
			if op == "MOD" {
				return "%", true
			}
			return op, true
		}
	}
	return "", false
}

// unary reads a prefix operator and its operand, or a postfix expression.
func (p *parser) unary() Expr {
	t := p.tok()
	op := ""
	switch {
	case t.kind == tPunct && (t.text == "-" || t.text == "+" || t.text == "~" || t.text == "!"):
		op = t.text
	case t.kind == tWord && t.kw == "BINARY":
		op = "BINARY"
	}
	if op == "" {
		return p.postfix()
	}
	p.next()
	p.enter()
	x := p.unary()
	p.leave()
	return &Unary{Span: Span{t.pos, x.End()}, Op: op, X: x}
}

// postfix reads a primary followed by COLLATE and the JSON operators.
func (p *parser) postfix() Expr {
	x := p.primary()
	for {
		switch {
		case p.isKw("COLLATE"):
			p.next()
			t := p.tok()
			var c Ident
			if t.kind == tString {
				p.next()
				c = Ident{Span: Span{t.pos, t.end}, Name: t.text, Quoted: true}
			} else {
				c = p.ident("a collation name")
			}
			x = &Collate{Span: Span{x.Pos(), c.Stop}, X: x, Collation: c}
		case p.isPunct("->") || p.isPunct("->>"):
			t := p.next()
			r := p.primary()
			x = &Binary{Span: Span{x.Pos(), r.End()}, Op: t.text, OpPos: t.pos, L: x, R: r}
		default:
			return x
		}
	}
}

// niladic are the functions that may be called without parentheses.
var niladic = map[string]bool{
	"CURRENT_DATE": true, "CURRENT_TIME": true, "CURRENT_TIMESTAMP": true, "UTC_DATE": true,
	"UTC_TIME": true, "UTC_TIMESTAMP": true, "LOCALTIME": true, "LOCALTIMESTAMP": true,
}

// keywordFuncs are the reserved words that are also function names when
// a parenthesis follows.
var keywordFuncs = map[string]bool{
	"LEFT": true, "RIGHT": true, "IF": true, "MOD": true, "REPLACE": true, "DATABASE": true,
	"SUBSTR": true, "SUBSTRING": true, "GROUP_CONCAT": true, "INSERT": true,
}

// primary reads a literal, a placeholder, a name, a call, a parenthesized
// expression or subquery, and the keyword-led forms (CASE, CAST, ...).
func (p *parser) primary() Expr {
	t := p.tok()
	switch t.kind {
	case tNumber:
		p.next()
		kind := LitInt
		for i := 0; i < len(t.text); i++ {
			if c := t.text[i]; c == '.' || c == 'e' || c == 'E' {
				kind = LitDecimal
			}
		}
		return &Literal{Span: Span{t.pos, t.end}, Kind: kind, Value: t.text}
	case tHexNum:
		p.next()
		return &Literal{Span: Span{t.pos, t.end}, Kind: LitHexNum, Value: t.text}
	case tHexStr, tBitStr:
		p.next()
		kind := LitHex
		if t.kind == tBitStr {
			kind = LitBit
		}
		return &Literal{Span: Span{t.pos, t.end}, Kind: kind, Value: t.text}
	case tString:
		p.next()
		return &Literal{Span: Span{t.pos, t.end}, Kind: LitString, Value: t.text}
	case tParam:
		p.next()
		return p.param()
	case tQuoted:
		return p.nameOrCall()
	case tPunct:
		if t.text == "(" {
			return p.parenExpr()
		}
	case tWord:
		return p.wordExpr()
	}
	p.expected("an expression")
	return nil
}

// parenExpr reads (expr), (a, b, ...) or (subquery).
func (p *parser) parenExpr() Expr {
	lp := p.next().pos
	if p.isKw("SELECT") || p.isKw("WITH") {
		q := p.query()
		rp := p.expectPunct(")")
		return &Subquery{Span: Span{lp, rp + 1}, Query: q}
	}
	x := p.expr()
	if p.isPunct(",") {
		list := []Expr{x}
		for p.acceptPunct(",") {
			list = append(list, p.expr())
		}
		rp := p.expectPunct(")")
		return &Tuple{Span: Span{lp, rp + 1}, Exprs: list}
	}
	rp := p.expectPunct(")")
	return &Paren{Span: Span{lp, rp + 1}, X: x}
}

// wordExpr reads an expression that starts with a bare word.
func (p *parser) wordExpr() Expr {
	t := p.tok()
	switch t.kw {
	case "NULL":
		p.next()
		return &Literal{Span: Span{t.pos, t.end}, Kind: LitNull, Value: "NULL"}
	case "TRUE", "FALSE":
		p.next()
		return &Literal{Span: Span{t.pos, t.end}, Kind: LitBool, Value: t.kw}
	case "DATE", "TIME", "TIMESTAMP":
		if s := p.peek(1); s.kind == tString {
			p.next()
			p.next()
			kind := map[string]LitKind{"DATE": LitDate, "TIME": LitTime, "TIMESTAMP": LitTimestamp}[t.kw]
			return &Literal{Span: Span{t.pos, s.end}, Kind: kind, Value: s.text}
		}
	case "CASE":
		return p.caseExpr()
	case "EXISTS":
		p.next()
		sub := p.subquery()
		return &Exists{Span: Span{t.pos, sub.Stop}, Query: sub}
	case "INTERVAL":
		p.next()
		p.enter()
		x := p.bitExpr()
		p.leave()
		u := p.tok()
		if u.kind != tWord {
			p.expected("an interval unit (DAY, HOUR, ...)")
		}
		p.next()
		return &Interval{Span: Span{t.pos, u.end}, X: x, Unit: upper(u.text)}
	case "CAST", "CONVERT":
		return p.cast()
	case "VALUES":
		p.next()
		p.expectPunct("(")
		c := p.columnRef()
		rp := p.expectPunct(")")
		return &ValuesFunc{Span: Span{t.pos, rp + 1}, Column: c}
	case "DEFAULT":
		if p.peek(1).isPunct("(") {
			p.next()
			p.next()
			id := p.ident("a column name")
			rp := p.expectPunct(")")
			return &Default{Span: Span{t.pos, rp + 1}, Column: &id}
		}
		p.expected("an expression (DEFAULT stands alone as a value of VALUES or SET)")
	case "MATCH":
		p.unsupported("MATCH ... AGAINST", t.pos, "")
	case "ROW":
		if p.peek(1).isPunct("(") {
			p.unsupported("ROW(...)", t.pos, "write the row as (a, b, ...)")
		}
	}
	if niladic[t.kw] {
		if !p.peek(1).isPunct("(") {
			p.next()
			return &Call{Span: Span{t.pos, t.end}, Name: Ident{Span: Span{t.pos, t.end}, Name: t.text}, NoParens: true}
		}
		return p.call()
	}
	if keywordFuncs[t.kw] && p.peek(1).isPunct("(") {
		return p.call()
	}
	if isReserved(t.kw) {
		p.expected("an expression")
	}
	return p.nameOrCall()
}

// nameOrCall reads a column (name, t.name, db.t.name) or a function call.
func (p *parser) nameOrCall() Expr {
	if p.peek(1).isPunct("(") {
		return p.call()
	}
	return p.columnRef()
}

// columnRef reads name, t.name or db.t.name.
func (p *parser) columnRef() *ColumnRef {
	a := p.ident("a column name")
	if !p.isPunct(".") {
		return &ColumnRef{Span: a.Span, Name: a}
	}
	p.next()
	b := p.anyIdent("a column name after '.'")
	if p.isPunct("(") {
		p.unsupported("function "+a.Name+"."+b.Name+"()", a.Start, "")
	}
	if !p.isPunct(".") {
		return &ColumnRef{Span: Span{a.Start, b.Stop}, Table: &TableName{Span: a.Span, Name: a}, Name: b}
	}
	p.next()
	c := p.anyIdent("a column name after '.'")
	return &ColumnRef{Span: Span{a.Start, c.Stop}, Table: &TableName{Span: Span{a.Start, b.Stop}, Qualifier: a, Name: b}, Name: c}
}

// call reads name(args) [OVER (...)], the current token being the name.
func (p *parser) call() Expr {
	t := p.next()
	n := &Call{Name: Ident{Span: Span{t.pos, t.end}, Name: t.text, Quoted: t.kind == tQuoted}}
	n.Start = t.pos
	p.expectPunct("(")
	p.enter()
	defer p.leave()
	fn := t.kw
	if t.kind == tWord && allAggregates[upper(t.text)] && p.acceptKw("ALL") {
		// MySQL's opt_all: SUM(ALL x) is SUM(x), COUNT(ALL *) COUNT(*).
		n.All = true
		if p.isPunct(")") || upper(t.text) != "COUNT" && p.isPunct("*") {
			p.expected("an expression after ALL")
		}
	}
	switch {
	case t.kind == tWord && upper(t.text) == "EXTRACT" && !p.isPunct(")"):
		// EXTRACT(unit FROM x): the unit is a word, kept as a column
		// reference for the binder to read.
		u := p.tok()
		if u.kind != tWord {
			p.expected("a unit (YEAR, MONTH, DAY, HOUR, ...)")
		}
		p.next()
		n.Args = append(n.Args, &ColumnRef{Span: Span{u.pos, u.end}, Name: Ident{Span: Span{u.pos, u.end}, Name: u.text}})
		p.expectKw("FROM")
		n.Args = append(n.Args, p.expr())
		n.From = true
	case p.isPunct(")"):
	case p.isPunct("*"):
		// f(*): the ) must follow (COUNT(* , x) is missing it).
		p.next()
		n.Star = true
	default:
		if !n.All {
			n.Distinct = p.acceptKw("DISTINCT")
		}
		n.Args = append(n.Args, p.expr())
		if (fn == "SUBSTR" || fn == "SUBSTRING") && p.isKw("FROM") {
			p.next()
			n.Args = append(n.Args, p.expr())
			if p.acceptKw("FOR") {
				n.Args = append(n.Args, p.expr())
			}
			break
		}
		for p.acceptPunct(",") {
			n.Args = append(n.Args, p.expr())
		}
		if fn == "GROUP_CONCAT" {
			if p.isKw("ORDER") {
				n.OrderBy = p.orderBy()
			}
			if p.acceptKw("SEPARATOR") {
				s := p.tok()
				if s.kind != tString {
					p.expected("a string after SEPARATOR")
				}
				p.next()
				n.Separator = &Literal{Span: Span{s.pos, s.end}, Kind: LitString, Value: s.text}
			}
		}
	}
	n.Stop = p.expectPunct(")") + 1
	if p.isKw("OVER") {
		n.Over = p.window()
		n.Stop = n.Over.Stop
	}
	return n
}

// allAggregates are the functions MySQL's grammar lets take ALL before
// their argument (its in_sum_expr): not GROUP_CONCAT, whose grammar takes
// DISTINCT only.
var allAggregates = map[string]bool{
	"AVG": true, "BIT_AND": true, "BIT_OR": true, "BIT_XOR": true, "COUNT": true, "JSON_ARRAYAGG": true,
	"MAX": true, "MIN": true, "STD": true, "STDDEV": true, "STDDEV_POP": true, "STDDEV_SAMP": true,
	"SUM": true, "VARIANCE": true, "VAR_POP": true, "VAR_SAMP": true,
}

// window reads OVER (PARTITION BY ... ORDER BY ...).
func (p *parser) window() *Window {
	at := p.next().pos
	if !p.isPunct("(") {
		p.unsupported("named window (OVER name)", p.tok().pos, "write the window as OVER (PARTITION BY ... ORDER BY ...)")
	}
	p.next()
	w := &Window{Span: Span{Start: at}}
	if p.acceptKw("PARTITION") {
		p.expectKw("BY")
		p.commaList(func() { w.PartitionBy = append(w.PartitionBy, p.expr()) })
	}
	if p.isKw("ORDER") {
		w.OrderBy = p.orderBy()
	}
	if p.isKw("ROWS") || p.isKw("RANGE") {
		p.unsupported("window frame ("+p.tok().kw+" ...)", p.tok().pos, "")
	}
	w.Stop = p.expectPunct(")") + 1
	return w
}

// caseExpr reads CASE [operand] WHEN ... THEN ... [ELSE ...] END.
func (p *parser) caseExpr() Expr {
	n := &Case{Span: Span{Start: p.next().pos}}
	p.enter()
	defer p.leave()
	if !p.isKw("WHEN") {
		n.Operand = p.expr()
	}
	for p.isKw("WHEN") {
		at := p.next().pos
		c := p.expr()
		p.expectKw("THEN")
		r := p.expr()
		n.Whens = append(n.Whens, &When{Span: Span{at, r.End()}, Cond: c, Result: r})
	}
	if len(n.Whens) == 0 {
		p.expected("WHEN")
	}
	if p.acceptKw("ELSE") {
		n.Else = p.expr()
	}
	n.Stop = p.tok().end
	p.expectKw("END")
	return n
}

// cast reads CAST(x AS type), CONVERT(x, type) or CONVERT(x USING cs).
func (p *parser) cast() Expr {
	t := p.next()
	n := &Cast{Span: Span{Start: t.pos}, Convert: t.kw == "CONVERT"}
	p.expectPunct("(")
	n.X = p.expr()
	switch {
	case n.Convert && p.acceptKw("USING"):
		n.Using = p.ident("a character set name")
	case n.Convert:
		p.expectPunct(",")
		n.Type = p.convertType()
	default:
		p.expectKw("AS")
		n.Type = p.convertType()
	}
	n.Stop = p.expectPunct(")") + 1
	return n
}

// convertTypes are the types of CAST and CONVERT; the value says whether
// a length, or a length and a scale, may follow.
var convertTypes = map[string]int{
	"BINARY": 1, "CHAR": 1, "NCHAR": 1, "DATE": 0, "DATETIME": 1, "TIME": 1, "DECIMAL": 2,
	"JSON": 0, "SIGNED": 0, "UNSIGNED": 0, "DOUBLE": 0, "FLOAT": 1, "REAL": 0, "YEAR": 0,
}

// convertType reads the type of a Cast.
func (p *parser) convertType() *ConvertType {
	t := p.tok()
	name := upper(t.text)
	args, ok := convertTypes[name]
	if t.kind != tWord || !ok {
		p.expected("a type (CHAR, SIGNED, UNSIGNED, DECIMAL, DATE, DATETIME, TIME, BINARY, JSON, ...)")
	}
	p.next()
	ct := &ConvertType{Span: Span{t.pos, t.end}, Name: name}
	if (name == "SIGNED" || name == "UNSIGNED") && p.isKw("INTEGER") {
		ct.Name += " INTEGER"
		ct.Stop = p.next().end
	}
	if args > 0 && p.isPunct("(") {
		p.next()
		ct.Length = p.integer()
		if args > 1 && p.acceptPunct(",") {
			ct.Scale = p.integer()
		}
		ct.Stop = p.expectPunct(")") + 1
	}
	if name == "CHAR" {
		if p.isKw("CHARACTER") || p.isKw("CHARSET") {
			if p.next().kw == "CHARACTER" {
				p.expectKw("SET")
			}
			cs := p.ident("a character set name")
			ct.Charset, ct.Stop = cs.Name, cs.Stop
		} else if p.tok().kind == tWord && !isReserved(p.tok().kw) {
			cs := p.ident("a character set name")
			ct.Charset, ct.Stop = cs.Name, cs.Stop
		}
	}
	return ct
}

// integer reads an unsigned integer literal and returns its text.
func (p *parser) integer() string {
	t := p.tok()
	if t.kind != tNumber {
		p.expected("an integer")
	}
	for i := 0; i < len(t.text); i++ {
		if !isDigit(t.text[i]) {
			p.expected("an integer")
		}
	}
	return p.next().text
}

// subquery reads (query).
func (p *parser) subquery() *Subquery {
	lp := p.expectPunct("(")
	if !p.isKw("SELECT") && !p.isKw("WITH") && !p.isPunct("(") {
		p.expected("SELECT")
	}
	q := p.query()
	rp := p.expectPunct(")")
	return &Subquery{Span: Span{lp, rp + 1}, Query: q}
}

// upper upper-cases ASCII letters.
func upper(s string) string {
	for i := 0; i < len(s); i++ {
		if 'a' <= s[i] && s[i] <= 'z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'a' <= b[j] && b[j] <= 'z' {
					b[j] -= 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
