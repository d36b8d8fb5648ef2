package parse

import (
	"strings"
)

// This file prints a tree back as SQL: keywords in upper case, one blank
// between tokens where SQL puts one, names backquoted only when they need
// it (reserved words, empty names, names with characters a bare word
// cannot hold or that start with a digit), and parentheses where the
// tree has Paren nodes or its shape needs them. A tree the parser built
// prints as text the parser reads back into the same tree (the fuzz test
// checks it).

// Format returns the SQL text of a node.
func Format(n Node) string {
	var b strings.Builder
	(&printer{b: &b}).node(n)
	return b.String()
}

// QuoteIdent returns name as it prints: bare when it can be, backquoted
// otherwise.
func QuoteIdent(name string) string {
	if !needsQuotes(name) {
		return name
	}
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// needsQuotes reports whether name cannot be written as a bare word.
func needsQuotes(name string) bool {
	if name == "" || isDigit(name[0]) || isReserved(keywordOf(name)) {
		return true
	}
	for _, r := range name {
		if !isWordRune(r) {
			return true
		}
	}
	return false
}

// QuoteString returns s as a single-quoted SQL string literal that reads
// back as s.
func QuoteString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\'':
			b.WriteString(`\'`)
		case '\\':
			b.WriteString(`\\`)
		case 0:
			b.WriteString(`\0`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case 26:
			b.WriteString(`\Z`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// String returns the column as Format prints it.
func (n *ColumnRef) String() string { return Format(n) }

// printer writes SQL text.
type printer struct{ b *strings.Builder }

func (p *printer) str(s string) { p.b.WriteString(s) }

// The precedence levels of expressions, as the parser reads them.
const (
	precOr = iota + 1
	precXor
	precAnd
	precNot
	precCompare // comparisons and IS: left to right
	precPred    // IN, BETWEEN, LIKE, REGEXP: not chained
	precBitOr
	precBitAnd
	precShift
	precAdd
	precMul
	precXorBit
	precUnary
	precCollate
	precPrimary
)

// binaryPrec gives the level of a Binary operator.
var binaryPrec = map[string]int{
	"OR": precOr, "XOR": precXor, "AND": precAnd,
	"=": precCompare, "<=>": precCompare, "<>": precCompare, "<": precCompare, "<=": precCompare, ">": precCompare, ">=": precCompare,
	"|": precBitOr, "&": precBitAnd, "<<": precShift, ">>": precShift, "+": precAdd, "-": precAdd,
	"*": precMul, "/": precMul, "DIV": precMul, "%": precMul, "^": precXorBit,
	"->": precCollate, "->>": precCollate,
}

// prec returns the precedence level of an expression.
func prec(e Expr) int {
	switch n := e.(type) {
	case *Binary:
		return binaryPrec[n.Op]
	case *Unary:
		if n.Op == "NOT" {
			return precNot
		}
		return precUnary
	case *Is:
		return precCompare
	case *In, *Between, *Like:
		return precPred
	case *Collate:
		return precCollate
	}
	return precPrimary
}

// exprMin prints e, in parentheses when its level is below min.
func (p *printer) exprMin(e Expr, min int) {
	if prec(e) < min {
		p.str("(")
		p.node(e)
		p.str(")")
		return
	}
	p.node(e)
}

// list prints nodes separated by ", ".
func list[T Node](p *printer, xs []T) {
	for i, x := range xs {
		if i > 0 {
			p.str(", ")
		}
		p.node(x)
	}
}

func (p *printer) ident(id Ident) { p.str(QuoteIdent(id.Name)) }

// alias prints an alias; an empty one (AS ”) as the string it was, since
// an empty name in backquotes does not parse.
func (p *printer) alias(id Ident) {
	if id.Name == "" {
		p.str("''")
		return
	}
	p.ident(id)
}

func (p *printer) tableName(t *TableName) {
	if t.Qualifier.Name != "" {
		p.ident(t.Qualifier)
		p.str(".")
	}
	p.ident(t.Name)
}

// node prints any node.
func (p *printer) node(n Node) {
	switch n := n.(type) {
	case *ColumnRef:
		if n.Table != nil {
			p.tableName(n.Table)
			p.str(".")
		}
		p.ident(n.Name)
	case *Literal:
		p.literal(n)
	case *Param:
		if n.Name != "" {
			p.str(":" + n.Name)
		} else {
			p.str("?")
		}
	case *Paren:
		p.str("(")
		p.node(n.X)
		p.str(")")
	case *Unary:
		p.unary(n)
	case *Binary:
		lp := binaryPrec[n.Op]
		switch {
		case n.Op == "->" || n.Op == "->>":
			p.exprMin(n.L, precCollate)
			p.str(" " + n.Op + " ")
			p.exprMin(n.R, precPrimary)
			return
		case lp == precCompare:
			p.exprMin(n.L, precCompare)
			p.str(" " + n.Op + " ")
			p.exprMin(n.R, precPred)
			return
		case lp == precAnd:
			p.exprMin(n.L, precAnd)
			p.str(" AND ")
			p.exprMin(n.R, precNot)
			return
		}
		p.exprMin(n.L, lp)
		p.str(" " + n.Op + " ")
		p.exprMin(n.R, lp+1)
	case *Is:
		p.exprMin(n.X, precCompare)
		p.str(" IS ")
		if n.Not {
			p.str("NOT ")
		}
		p.str(n.What)
	case *In:
		p.exprMin(n.X, precBitOr)
		p.not(n.Not)
		p.str(" IN ")
		if n.Query != nil {
			p.node(n.Query)
		} else {
			p.str("(")
			list(p, n.List)
			p.str(")")
		}
	case *Between:
		p.exprMin(n.X, precBitOr)
		p.not(n.Not)
		p.str(" BETWEEN ")
		p.exprMin(n.Lo, precBitOr)
		p.str(" AND ")
		p.exprMin(n.Hi, precBitOr)
	case *Like:
		p.exprMin(n.X, precBitOr)
		p.not(n.Not)
		if n.Regexp {
			p.str(" REGEXP ")
		} else {
			p.str(" LIKE ")
		}
		p.exprMin(n.Pattern, precBitOr)
		if n.Escape != nil {
			p.str(" ESCAPE ")
			p.exprMin(n.Escape, precBitOr)
		}
	case *Collate:
		p.exprMin(n.X, precCollate)
		p.str(" COLLATE ")
		p.ident(n.Collation)
	case *Case:
		p.str("CASE ")
		if n.Operand != nil {
			p.node(n.Operand)
			p.str(" ")
		}
		for _, w := range n.Whens {
			p.node(w)
			p.str(" ")
		}
		if n.Else != nil {
			p.str("ELSE ")
			p.node(n.Else)
			p.str(" ")
		}
		p.str("END")
	case *When:
		p.str("WHEN ")
		p.node(n.Cond)
		p.str(" THEN ")
		p.node(n.Result)
	case *Call:
		p.call(n)
	case *Window:
		p.str("OVER (")
		sep := ""
		if len(n.PartitionBy) > 0 {
			p.str("PARTITION BY ")
			list(p, n.PartitionBy)
			sep = " "
		}
		if len(n.OrderBy) > 0 {
			p.str(sep + "ORDER BY ")
			list(p, n.OrderBy)
		}
		p.str(")")
	case *Cast:
		if n.Convert {
			p.str("CONVERT(")
			p.node(n.X)
			if n.Type == nil {
				p.str(" USING ")
				p.ident(n.Using)
			} else {
				p.str(", ")
				p.node(n.Type)
			}
		} else {
			p.str("CAST(")
			p.node(n.X)
			p.str(" AS ")
			p.node(n.Type)
		}
		p.str(")")
	case *ConvertType:
		p.str(n.Name)
		if n.Length != "" {
			p.str("(" + n.Length)
			if n.Scale != "" {
				p.str(", " + n.Scale)
			}
			p.str(")")
		}
		if n.Charset != "" {
			p.str(" CHARACTER SET " + QuoteIdent(n.Charset))
		}
	case *Interval:
		p.str("INTERVAL ")
		p.exprMin(n.X, precBitOr)
		p.str(" " + n.Unit)
	case *Exists:
		p.str("EXISTS ")
		p.node(n.Query)
	case *Subquery:
		p.str("(")
		p.node(n.Query)
		p.str(")")
	case *Tuple:
		p.str("(")
		list(p, n.Exprs)
		p.str(")")
	case *Default:
		p.str("DEFAULT")
		if n.Column != nil {
			p.str("(")
			p.ident(*n.Column)
			p.str(")")
		}
	case *ValuesFunc:
		p.str("VALUES(")
		p.node(n.Column)
		p.str(")")
	case *Star:
		if n.Table != nil {
			p.tableName(n.Table)
			p.str(".")
		}
		p.str("*")
	default:
		p.stmt(n)
	}
}

// not prints " NOT" when not is set.
func (p *printer) not(not bool) {
	if not {
		p.str(" NOT")
	}
}

// unary prints a prefix operator: words with a blank after them, and a
// blank between two signs so that "- -1" does not read as a comment.
func (p *printer) unary(n *Unary) {
	switch n.Op {
	case "NOT":
		p.str("NOT ")
		p.exprMin(n.X, precNot)
		return
	case "BINARY":
		p.str("BINARY ")
		p.exprMin(n.X, precUnary)
		return
	}
	p.str(n.Op)
	x := n.X
	if u, ok := x.(*Unary); ok && (u.Op == "-" || u.Op == "+") ||
		(n.Op == "-" || n.Op == "+") && startsWithSign(x) {
		p.str(" ")
	}
	p.exprMin(x, precUnary)
}

// startsWithSign reports whether e prints with a leading - or +.
func startsWithSign(e Expr) bool {
	for {
		switch n := e.(type) {
		case *Unary:
			return n.Op == "-" || n.Op == "+"
		case *Literal:
			return n.Value != "" && (n.Value[0] == '-' || n.Value[0] == '+')
		case *Binary:
			e = n.L
		case *Collate:
			e = n.X
		default:
			return false
		}
	}
}

// literal prints a literal.
func (p *printer) literal(n *Literal) {
	switch n.Kind {
	case LitString:
		p.str(QuoteString(n.Value))
	case LitHex:
		p.str("X'" + n.Value + "'")
	case LitBit:
		p.str("B'" + n.Value + "'")
	case LitDate:
		p.str("DATE " + QuoteString(n.Value))
	case LitTime:
		p.str("TIME " + QuoteString(n.Value))
	case LitTimestamp:
		p.str("TIMESTAMP " + QuoteString(n.Value))
	case LitNull:
		p.str("NULL")
	case LitBool:
		p.str(upper(n.Value))
	default:
		p.str(n.Value)
	}
}

// call prints a function call.
func (p *printer) call(n *Call) {
	if n.Name.Quoted {
		p.str(QuoteIdent(n.Name.Name))
	} else {
		p.str(upper(n.Name.Name))
	}
	if n.NoParens {
		return
	}
	p.str("(")
	if n.All {
		p.str("ALL ")
	}
	if n.Distinct {
		p.str("DISTINCT ")
	}
	if n.Star {
		p.str("*")
	}
	if n.From && len(n.Args) == 2 {
		p.node(n.Args[0])
		p.str(" FROM ")
		p.node(n.Args[1])
	} else {
		list(p, n.Args)
	}
	if len(n.OrderBy) > 0 {
		p.str(" ORDER BY ")
		list(p, n.OrderBy)
	}
	if n.Separator != nil {
		p.str(" SEPARATOR ")
		p.literal(n.Separator)
	}
	p.str(")")
	if n.Over != nil {
		p.str(" ")
		p.node(n.Over)
	}
}

// stmt prints statements, table expressions and clauses.
func (p *printer) stmt(n Node) {
	switch n := n.(type) {
	case *Select:
		p.str("SELECT ")
		if n.Cache != "" {
			p.str(n.Cache + " ")
		}
		if n.All {
			p.str("ALL ")
		}
		if n.Distinct {
			p.str("DISTINCT ")
		}
		if n.StraightJoin {
			p.str("STRAIGHT_JOIN ")
		}
		list(p, n.Items)
		if n.From != nil {
			p.str(" FROM ")
			list(p, n.From)
		}
		p.clause(" WHERE ", n.Where)
		if len(n.GroupBy) > 0 {
			p.str(" GROUP BY ")
			list(p, n.GroupBy)
		}
		p.clause(" HAVING ", n.Having)
		p.orderLimit(n.OrderBy, n.Limit)
	case *SelectItem:
		p.node(n.Expr)
		if n.Alias != nil {
			p.str(" AS ")
			p.alias(*n.Alias)
		}
	case *OrderItem:
		p.node(n.Expr)
		if n.Dir != "" {
			p.str(" " + n.Dir)
		}
		if n.Nulls != "" {
			p.str(" NULLS " + n.Nulls)
		}
	case *Limit:
		p.str("LIMIT ")
		if n.Comma {
			p.node(n.Offset)
			p.str(", ")
			p.node(n.Count)
			return
		}
		p.node(n.Count)
		if n.Offset != nil {
			p.str(" OFFSET ")
			p.node(n.Offset)
		}
	case *SetOp:
		p.setOperand(n.L, n.Op == "INTERSECT", false)
		p.str(" " + n.Op)
		if n.All {
			p.str(" ALL")
		}
		if n.Dist {
			p.str(" DISTINCT")
		}
		p.str(" ")
		p.setOperand(n.R, n.Op == "INTERSECT", true)
		p.orderLimit(n.OrderBy, n.Limit)
	case *ParenQuery:
		p.str("(")
		p.node(n.Query)
		p.str(")")
		p.orderLimit(n.OrderBy, n.Limit)
	case *With:
		p.str("WITH ")
		if n.Recursive {
			p.str("RECURSIVE ")
		}
		list(p, n.CTEs)
		p.str(" ")
		p.node(n.Body)
	case *CTE:
		p.ident(n.Name)
		if len(n.Columns) > 0 {
			p.str(" (")
			p.idents(n.Columns)
			p.str(")")
		}
		p.str(" AS ")
		p.node(n.Query)
	case *TableRef:
		p.tableName(&n.Name)
		if n.Alias != nil {
			p.str(" AS ")
			p.alias(*n.Alias)
		}
	case *DerivedTable:
		p.node(n.Query)
		p.str(" AS ")
		p.alias(n.Alias)
	case *Join:
		p.node(n.L)
		p.str(" " + n.Kind + " ")
		if _, ok := n.R.(*Join); ok {
			p.str("(")
			p.node(n.R)
			p.str(")")
		} else {
			p.node(n.R)
		}
		if n.On != nil {
			p.str(" ON ")
			p.node(n.On)
		}
		if n.Using != nil {
			p.str(" USING (")
			p.idents(n.Using)
			p.str(")")
		}
	case *ParenTable:
		p.str("(")
		list(p, n.Tables)
		p.str(")")
	case *Insert:
		if n.Replace {
			p.str("REPLACE INTO ")
		} else {
			p.str("INSERT INTO ")
		}
		p.tableName(&n.Table)
		if n.Columns != nil {
			p.str(" (")
			list(p, n.Columns)
			p.str(")")
		}
		if n.Query != nil {
			p.str(" ")
			p.node(n.Query)
		} else {
			p.str(" VALUES ")
			list(p, n.Rows)
			if n.Run != nil {
				p.str(", ")
				p.node(n.Run)
			}
		}
		if n.OnDup != nil {
			p.str(" ON DUPLICATE KEY UPDATE ")
			list(p, n.OnDup)
		}
	case *ValuesRow:
		p.str("(")
		list(p, n.Values)
		p.str(")")
	case *ParamRun:
		row := "(" + strings.Repeat("?, ", n.PerRow-1) + "?)"
		for i := range n.Rows() {
			if i > 0 {
				p.str(", ")
			}
			p.str(row)
		}
	case *Assignment:
		p.node(n.Column)
		p.str(" = ")
		p.node(n.Value)
	case *Update:
		p.str("UPDATE ")
		list(p, n.Tables)
		p.str(" SET ")
		list(p, n.Set)
		p.clause(" WHERE ", n.Where)
		p.orderLimit(n.OrderBy, n.Limit)
	case *Delete:
		p.str("DELETE FROM ")
		p.tableName(&n.Table)
		p.clause(" WHERE ", n.Where)
		p.orderLimit(n.OrderBy, n.Limit)
	case *ShowTables:
		p.str("SHOW ")
		if n.Full {
			p.str("FULL ")
		}
		p.str("TABLES")
		if n.DB != nil {
			p.str(" FROM ")
			p.ident(*n.DB)
		}
		p.showFilter(n.Like, n.Where)
	case *ShowColumns:
		p.str("SHOW ")
		if n.Full {
			p.str("FULL ")
		}
		p.str("COLUMNS FROM ")
		p.tableName(&n.Table)
		if n.DB != nil {
			p.str(" FROM ")
			p.ident(*n.DB)
		}
		p.showFilter(n.Like, n.Where)
	case *Describe:
		p.str(n.Verb + " ")
		p.tableName(&n.Table)
		if n.Column != nil {
			p.str(" ")
			p.ident(*n.Column)
		}
		if n.Pattern != nil {
			p.str(" ")
			p.literal(n.Pattern)
		}
	case *Explain:
		p.str("EXPLAIN ")
		p.node(n.Stmt)
	}
}

// setOperand prints an operand of a set operation, in parentheses when
// it would otherwise bind differently.
func (p *printer) setOperand(q Query, intersect, right bool) {
	paren := false
	switch n := q.(type) {
	case *SetOp:
		paren = right || intersect && n.Op != "INTERSECT"
	case *Select:
		paren = n.OrderBy != nil || n.Limit != nil
	case *With:
		paren = true
	}
	if paren {
		p.str("(")
		p.node(q)
		p.str(")")
		return
	}
	p.node(q)
}

func (p *printer) idents(ids []Ident) {
	for i, id := range ids {
		if i > 0 {
			p.str(", ")
		}
		p.ident(id)
	}
}

// clause prints kw e when e is not nil.
func (p *printer) clause(kw string, e Expr) {
	if e != nil {
		p.str(kw)
		p.node(e)
	}
}

// orderLimit prints ORDER BY and LIMIT when present.
func (p *printer) orderLimit(orderBy []*OrderItem, limit *Limit) {
	if len(orderBy) > 0 {
		p.str(" ORDER BY ")
		list(p, orderBy)
	}
	if limit != nil {
		p.str(" ")
		p.node(limit)
	}
}

// showFilter prints LIKE 'p' or WHERE e.
func (p *printer) showFilter(like *Literal, where Expr) {
	if like != nil {
		p.str(" LIKE ")
		p.literal(like)
	}
	p.clause(" WHERE ", where)
}
