package bind

import (
	"context"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/parse"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// Builder turns the parser's expressions into the translator's tree,
// resolving columns against the table. Every position it gives an
// expression is its node's, recorded by the parser.
type Builder struct {
	Text  *Text
	Table *catalog.Table
	// scope is what names resolve in when FROM joins tables; nil for one
	// Table (scopeOf).
	scope *scope
	// outer is the query this one is a subquery of (nil for none); ctx,
	// schema and opts resolve the subqueries of this one.
	outer  *Builder
	ctx    context.Context
	schema catalog.Schema
	opts   Options
	// subs are the subqueries of this query's expressions, in the order
	// they were met (expr.Subquery.Index); correlated is set when this
	// query, as a subquery, names a column of an outer one.
	subs       []*SubTemplate
	correlated bool
	outerRefs  []expr.Expr // the outer columns named (correlated)
	// ctes are the common table expressions FROM may name (lower case).
	ctes map[string]*cte
	// windows are the window functions met (expr.WindowFunc.Index).
	windows []*expr.WindowFunc
	// aliases maps select-list aliases (lower case) to their expressions,
	// for GROUP BY, HAVING and ORDER BY, which may name them.
	aliases map[string]expr.Expr
}

// ExprCtx says where an expression stands.
type ExprCtx struct {
	aggOK   bool // aggregates are allowed (select list, HAVING, ORDER BY)
	winOK   bool // window functions are allowed (select list, ORDER BY)
	inAgg   bool // inside an aggregate's arguments
	Where   bool // in WHERE: Kintone functions may be compared with fields
	aliasOK bool // a bare name may be a select-list alias
	// besideField marks an operand compared with a field (=, <, IN,
	// BETWEEN): in WHERE, NOW() there is Kintone's NOW(), which Kintone
	// evaluates; anywhere else it is SQL's, evaluated once per statement.
	besideField bool
}

// unsupported builds an *UnsupportedError at offset off.
func (b *Builder) unsupported(construct string, off int, hint string) error {
	return &sqlerr.UnsupportedError{Construct: construct, Pos: b.Text.Pos(off), Hint: hint}
}

// errAt builds an *Error at offset off.
func (b *Builder) errAt(off int, format string, args ...any) error {
	return &sqlerr.Error{Pos: b.Text.Pos(off), Msg: fmt.Sprintf(format, args...)}
}

// Text is node n as the statement wrote it, for messages.
func (b *Builder) text(n parse.Node) string { return sqlerr.Abbrev(b.Text.SQL[n.Pos():n.End()]) }

// Expr converts one expression. The constructs refuseUnsupported names
// never reach it; those that depend on where they stand are refused here.
func (b *Builder) Expr(e parse.Expr, c ExprCtx) (expr.Expr, error) {
	if _, ok := e.(*parse.Paren); !ok {
		if _, ok := e.(*parse.Call); !ok {
			c.besideField = false // only a call itself (or in parentheses) stands beside the field
		}
	}
	switch n := e.(type) {
	case *parse.Paren:
		return b.Expr(n.X, c)
	case *parse.Binary:
		switch n.Op {
		case "AND", "OR":
			return b.logic(n, c)
		case "XOR":
			return b.xor(n, c)
		case "=", "<=>", "<>", "<", "<=", ">", ">=", "+", "-", "*", "/", "DIV", "%":
			return b.binary(n, c)
		case "->", "->>":
			lr, err := b.exprs(c, n.L, n.R)
			if err != nil {
				return nil, err
			}
			return &expr.Call{Fn: expr.JSONArrowFunc(n.Op == "->>"), Args: lr, At: n.OpPos}, nil
		}
		return nil, b.unsupported("operator "+n.Op, n.OpPos, "")
	case *parse.Interval:
		return nil, b.errAt(n.Pos(), "INTERVAL stands only in date + INTERVAL n unit, date - INTERVAL n unit, INTERVAL n unit + date, DATE_ADD, DATE_SUB, ADDDATE and SUBDATE")
	case *parse.Unary:
		return b.unary(n, c)
	case *parse.Is:
		x, err := b.Expr(n.X, c)
		if err != nil {
			return nil, err
		}
		switch n.What {
		case "NULL":
			return &expr.IsNull{X: x, Not: n.Not, At: n.OpPos}, nil
		case "TRUE", "FALSE":
			return &expr.IsBool{X: x, Val: n.What == "TRUE", Not: n.Not, At: n.OpPos}, nil
		}
		return nil, b.unsupported("IS "+n.What, n.OpPos, "")
	case *parse.In:
		x, err := b.Expr(n.X, c)
		if err != nil {
			return nil, err
		}
		if n.Query != nil {
			return b.subquery(n.Query, expr.SubIn, x, n.Not, n.OpPos)
		}
		xs, err := b.exprs(besideField(c, n.X), n.List...)
		if err != nil {
			return nil, err
		}
		return &expr.In{X: x, List: xs, Not: n.Not, At: n.OpPos}, nil
	case *parse.Between:
		x, err := b.Expr(n.X, c)
		if err != nil {
			return nil, err
		}
		xs, err := b.exprs(besideField(c, n.X), n.Lo, n.Hi)
		if err != nil {
			return nil, err
		}
		xs = append([]expr.Expr{x}, xs...)
		return &expr.Between{X: xs[0], Lo: xs[1], Hi: xs[2], Not: n.Not, At: n.OpPos}, nil
	case *parse.Like:
		xs, err := b.exprs(c, n.X, n.Pattern, n.Escape)
		if err != nil {
			return nil, err
		}
		return &expr.Like{X: xs[0], Pat: xs[1], Esc: xs[2], Not: n.Not, At: n.OpPos}, nil
	case *parse.Subquery:
		return b.subquery(n, expr.SubValue, nil, false, n.Pos())
	case *parse.Exists:
		return b.subquery(n.Query, expr.SubExists, nil, false, n.Pos())
	case *parse.Literal:
		return b.literal(n)
	case *parse.Param:
		return b.param(n), nil
	case *parse.ColumnRef:
		return b.ColName(n, c)
	case *parse.Call:
		return b.call(n, c)
	case *parse.Case:
		return b.caseExpr(n, c)
	case *parse.Cast:
		return b.cast(n, c)
	case *parse.ValuesFunc:
		return nil, b.unsupported("VALUES()", n.Pos(), "")
	case *parse.Default:
		return nil, b.unsupported("DEFAULT", n.Pos(), "")
	}
	return nil, b.unsupported("expression "+b.text(e), e.Pos(), "")
}

// logic flattens a tree of ANDs or ORs into one expr.Logic (parentheses
// start a tree of their own).
func (b *Builder) logic(n *parse.Binary, c ExprCtx) (expr.Expr, error) {
	var terms []expr.Expr
	var add func(x parse.Expr) error
	add = func(x parse.Expr) error {
		if bin, ok := x.(*parse.Binary); ok && bin.Op == n.Op {
			if err := add(bin.L); err != nil {
				return err
			}
			return add(bin.R)
		}
		t, err := b.Expr(x, c)
		if err != nil {
			return err
		}
		terms = append(terms, t)
		return nil
	}
	if err := add(n); err != nil {
		return nil, err
	}
	return &expr.Logic{And: n.Op == "AND", Terms: terms, At: terms[0].Offset()}, nil
}

// Exprs converts several expressions; a nil one stays nil (an absent
// ESCAPE).
func (b *Builder) exprs(c ExprCtx, xs ...parse.Expr) ([]expr.Expr, error) {
	out := make([]expr.Expr, len(xs))
	for i, x := range xs {
		if x == nil {
			continue
		}
		e, err := b.Expr(x, c)
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

// besideField is the context of an operand compared with other: marked
// when other is a column.
func besideField(c ExprCtx, other parse.Expr) ExprCtx {
	for {
		p, ok := other.(*parse.Paren)
		if !ok {
			break
		}
		other = p.X
	}
	_, c.besideField = other.(*parse.ColumnRef)
	return c
}

// xor converts a XOR b: NULL when either is NULL, else whether exactly
// one is true (MySQL's logical XOR).
func (b *Builder) xor(n *parse.Binary, c ExprCtx) (expr.Expr, error) {
	lr, err := b.exprs(c, n.L, n.R)
	if err != nil {
		return nil, err
	}
	return &expr.Call{Fn: expr.XorFunc(), Args: lr, At: n.OpPos}, nil
}

// binary converts the comparisons (=, <=>, <>, <, <=, >, >=) and the
// arithmetic (+ - * / DIV %), with date + INTERVAL n unit, date -
// INTERVAL n unit and INTERVAL n unit + date.
func (b *Builder) binary(n *parse.Binary, c ExprCtx) (expr.Expr, error) {
	if iv, ok := n.R.(*parse.Interval); ok && (n.Op == "+" || n.Op == "-") {
		return b.dateAdd(n.Op, n.L, iv, n.Op == "-", n.OpPos, c)
	}
	if iv, ok := n.L.(*parse.Interval); ok && n.Op == "+" {
		return b.dateAdd(n.Op, n.R, iv, false, n.OpPos, c)
	}
	var lr []expr.Expr
	var err error
	if _, cmp := compareOps[n.Op]; cmp {
		lr = make([]expr.Expr, 2)
		if lr[0], err = b.Expr(n.L, besideField(c, n.R)); err != nil {
			return nil, err
		}
		if lr[1], err = b.Expr(n.R, besideField(c, n.L)); err != nil {
			return nil, err
		}
	} else if lr, err = b.exprs(c, n.L, n.R); err != nil {
		return nil, err
	}
	switch n.Op {
	case "+", "-", "*", "/", "%":
		return &expr.Binary{Op: n.Op, L: lr[0], R: lr[1], At: n.OpPos}, nil
	case "DIV":
		return &expr.Binary{Op: "div", L: lr[0], R: lr[1], At: n.OpPos}, nil
	case "<>":
		return &expr.Cmp{Op: "!=", L: lr[0], R: lr[1], At: n.OpPos}, nil
	}
	return &expr.Cmp{Op: n.Op, L: lr[0], R: lr[1], At: n.OpPos}, nil
}

// compareOps are the comparison operators, whose operands may be a field
// and a Kintone function.
var compareOps = map[string]bool{"=": true, "<=>": true, "<>": true, "<": true, "<=": true, ">": true, ">=": true}

// dateAdd converts date arithmetic: op is the function name (date_add,
// date_sub, adddate, subdate) or the operator (+, -).
func (b *Builder) dateAdd(op string, date parse.Expr, iv *parse.Interval, sub bool, at int, c ExprCtx) (expr.Expr, error) {
	if !expr.IsIntervalUnit(iv.Unit) {
		return nil, b.errAt(iv.Pos(), "unknown INTERVAL unit %s (MICROSECOND, SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER, YEAR, or a compound unit such as DAY_HOUR or YEAR_MONTH)", sqlerr.Abbrev(iv.Unit))
	}
	xs, err := b.exprs(c, date, iv.X)
	if err != nil {
		return nil, err
	}
	return &expr.Call{Fn: expr.DateAddFunc(op, iv.Unit, sub), Args: xs, At: at}, nil
}

// unary converts -x, +x, NOT x and !x. A minus before a number is part
// of the constant.
func (b *Builder) unary(n *parse.Unary, c ExprCtx) (expr.Expr, error) {
	switch n.Op {
	case "-":
		if lit, ok := n.X.(*parse.Literal); ok && (lit.Kind == parse.LitInt || lit.Kind == parse.LitDecimal) {
			x, err := numberLiteral("-"+lit.Value, n.Pos())
			if err != nil {
				return nil, b.errAt(n.Pos(), "%v", err)
			}
			return x, nil
		}
		x, err := b.Expr(n.X, c)
		if err != nil {
			return nil, err
		}
		return &expr.Unary{Op: "-", X: x, At: n.Pos()}, nil
	case "+":
		return b.Expr(n.X, c)
	case "NOT", "!":
		x, err := b.Expr(n.X, c)
		if err != nil {
			return nil, err
		}
		return &expr.Unary{Op: "not", X: x, At: n.Pos()}, nil
	}
	return nil, b.unsupported("operator "+n.Op, n.Pos(), "")
}

// literal converts a constant.
func (b *Builder) literal(n *parse.Literal) (expr.Expr, error) {
	at := n.Pos()
	switch n.Kind {
	case parse.LitNull:
		return &expr.Const{Value: nil, Kind: catalog.KAny, At: at}, nil
	case parse.LitBool:
		return &expr.Const{Value: n.Value == "TRUE", Kind: catalog.KBool, At: at}, nil
	case parse.LitString:
		return &expr.Const{Value: n.Value, Kind: catalog.KText, At: at}, nil
	case parse.LitInt, parse.LitDecimal:
		x, err := numberLiteral(n.Value, at)
		if err != nil {
			return nil, b.errAt(at, "%v", err)
		}
		return x, nil
	case parse.LitHexNum:
		v, err := strconv.ParseInt(n.Value[2:], 16, 64)
		if err != nil {
			return nil, b.errAt(at, "hexadecimal number %s is too large", sqlerr.Abbrev(n.Value))
		}
		return &expr.Const{Value: v, Kind: catalog.KInt, At: at}, nil
	case parse.LitHex:
		bs, err := hex.DecodeString(n.Value)
		if err != nil {
			return nil, b.errAt(at, "bad hexadecimal string: %v", err)
		}
		return &expr.Const{Value: string(bs), Kind: catalog.KText, At: at}, nil
	}
	return nil, b.unsupported("literal "+b.text(n), at, "")
}

// numberLiteral makes a constant from a numeric literal: int64 when it is
// an integer that fits, an exact decimal otherwise.
func numberLiteral(text string, at int) (expr.Expr, error) {
	if v, err := strconv.ParseInt(text, 10, 64); err == nil {
		return &expr.Const{Value: v, Kind: catalog.KInt, At: at}, nil
	}
	canon, ok := field.NormalizeNumber(text)
	if !ok {
		return nil, fmt.Errorf("number %s needs more than the %d digits a number may have", sqlerr.Abbrev(text), field.MaxNumberDigits)
	}
	return &expr.Const{Value: field.Decimal(canon), Kind: catalog.KNumber, At: at}, nil
}

// param converts a placeholder.
func (b *Builder) param(n *parse.Param) expr.Expr {
	return &expr.Param{Ref: expr.ParamRef{Pos: n.Pos(), Name: n.Name, Ordinal: n.Ordinal}, At: n.Pos()}
}

// ColName resolves a column reference, or a select-list alias where one
// may stand.
func (b *Builder) ColName(n *parse.ColumnRef, c ExprCtx) (expr.Expr, error) {
	name, at := n.Name.Name, n.Name.Pos()
	if c.aliasOK && n.Table == nil && b.aliases != nil {
		if e, ok := b.aliases[strings.ToLower(name)]; ok {
			return e, nil
		}
	}
	sc := b.scopeOf()
	if n.Table != nil {
		q := TableText(*n.Table)
		st := sc.table(q)
		if st == nil && b.outer != nil {
			if e, err := b.outer.ColName(n, ExprCtx{}); err == nil {
				return b.outerRef(e), nil
			}
		}
		if st == nil {
			return nil, b.errAt(n.Table.Pos(), "unknown table %q in column reference %s.%s (the statement reads %s)", sqlerr.Abbrev(q), sqlerr.Abbrev(q), sqlerr.Abbrev(name), sc.names())
		}
		col, err := st.t.Lookup(name)
		if err != nil {
			return nil, b.errAt(at, "%v", err)
		}
		if col == nil {
			return nil, b.errAt(at, "%s", st.t.UnknownColumn(name))
		}
		return &expr.ColRef{Col: col, At: at, Table: sc.qualifier(st)}, nil
	}
	e, st, err := sc.lookup(name)
	if c, ok := e.(*expr.ColRef); ok && st != nil {
		q := *c
		q.Table = sc.qualifier(st)
		e = &q
	}
	if err != nil {
		return nil, b.errAt(at, "%v", err)
	}
	if e == nil && b.outer != nil {
		if e, err := b.outer.ColName(n, ExprCtx{}); err == nil {
			return b.outerRef(e), nil
		}
	}
	if e == nil {
		return nil, b.errAt(at, "%s", sc.unknownColumn(name))
	}
	return at2(e, at), nil
}

// outerRef records e, a column of an outer query this one names: the
// query is correlated, and its value depends on those columns.
func (b *Builder) outerRef(e expr.Expr) expr.Expr {
	b.correlated = true
	b.outerRefs = append(b.outerRefs, e)
	return e
}

// scopeOf is the scope names resolve in: the FROM clause's, or the one
// Table's.
func (b *Builder) scopeOf() *scope {
	if b.scope == nil {
		b.scope = oneTable(b.Table)
	}
	return b.scope
}

// at2 returns e with its position at off: a column reference, or the
// COALESCE a full join's USING column stands for.
func at2(e expr.Expr, off int) expr.Expr {
	if c, ok := e.(*expr.Call); ok {
		cp := *c
		cp.At = off
		return &cp
	}
	return at(e, off)
}

// TableText is a table name as written, qualifier.name or name.
func TableText(tn parse.TableName) string {
	if tn.Qualifier.Name != "" {
		return tn.Qualifier.Name + "." + tn.Name.Name
	}
	return tn.Name.Name
}

// isAggregateName reports whether name (lower case) is an aggregate the
// pipeline computes.
func isAggregateName(name string) bool {
	switch name {
	case "count", "sum", "avg", "min", "max", "group_concat":
		return true
	}
	return isStatAggregate(name)
}

// isStatAggregate reports whether name is one of the standard deviations
// and variances.
func isStatAggregate(name string) bool {
	switch name {
	case "std", "stddev", "stddev_pop", "stddev_samp", "variance", "var_pop", "var_samp":
		return true
	}
	return false
}

// isKintoneFunc reports whether name (upper case) is one of Kintone's
// query functions (QUERY-AND-FIELDS.md A.7).
func isKintoneFunc(name string) bool {
	switch name {
	case "LOGINUSER", "PRIMARY_ORGANIZATION", "NOW", "TODAY", "YESTERDAY", "TOMORROW", "FROM_TODAY",
		"THIS_WEEK", "LAST_WEEK", "NEXT_WEEK", "THIS_MONTH", "LAST_MONTH", "NEXT_MONTH",
		"THIS_YEAR", "LAST_YEAR", "NEXT_YEAR":
		return true
	}
	return false
}

// sqlAggregates are MySQL's aggregate functions: those the pipeline does
// not compute are refused as aggregates.
var sqlAggregates = map[string]bool{
	"avg": true, "bit_and": true, "bit_or": true, "bit_xor": true, "count": true, "group_concat": true,
	"max": true, "min": true, "std": true, "stddev": true, "stddev_pop": true, "stddev_samp": true,
	"sum": true, "var_pop": true, "var_samp": true, "variance": true, "json_arrayagg": true, "json_objectagg": true,
}

// call converts a function call: an aggregate, a Kintone query function,
// or a scalar function evaluated in Go.
func (b *Builder) call(n *parse.Call, c ExprCtx) (expr.Expr, error) {
	name := strings.ToLower(n.Name.Name)
	at := n.Pos()
	upper := strings.ToUpper(name)
	sqlNow := upper == "NOW" && !(c.Where && c.besideField)
	c.besideField = false
	if n.Over != nil {
		return b.window(n, name, upper, at, c)
	}
	switch {
	case isKintoneFunc(upper) && c.Where && !sqlNow:
		return b.kintoneFunc(n, upper, at)
	case isAggregateName(name):
		return b.aggregate(n, name, at, c)
	case sqlAggregates[name]:
		return nil, b.unsupported(fmt.Sprintf("aggregate %s()", upper), at, "COUNT, SUM, AVG, MIN, MAX, GROUP_CONCAT and the deviations and variances are supported")
	case isKintoneFunc(upper) && !sqlNow:
		return nil, b.unsupported(fmt.Sprintf("%s() outside WHERE", upper), at, "Kintone's query functions can only be compared with a field in WHERE")
	}
	switch name {
	case "date_add", "date_sub", "adddate", "subdate", "timestampdiff", "extract":
		if x, err := b.unitCall(n, name, upper, at, c); x != nil || err != nil {
			return x, err
		}
	}
	fn := expr.LookupFunc(name)
	switch {
	case fn == nil:
		return nil, b.unsupported(fmt.Sprintf("function %s()", upper), at, "")
	case n.Distinct:
		return nil, b.unsupported(fmt.Sprintf("DISTINCT in %s()", upper), at, "")
	case n.Star:
		return nil, b.errAt(at, "%s() does not take *", upper)
	case len(n.Args) < fn.MinArgs || fn.MaxArgs >= 0 && len(n.Args) > fn.MaxArgs:
		return nil, b.errAt(at, "%s() takes %s, not %d", upper, argCount(fn), len(n.Args))
	}
	args := make([]expr.Expr, len(n.Args))
	for i, a := range n.Args {
		x, err := b.Expr(a, c)
		if err != nil {
			return nil, err
		}
		args[i] = x
	}
	switch name {
	case "coalesce", "ifnull":
		args = expr.TextOperands(args)
	case "if":
		if len(args) == 3 {
			args = append(args[:1:1], expr.TextOperands(args[1:])...)
		}
	}
	return &expr.Call{Fn: fn, Args: args, At: at}, nil
}

// unitCall converts the calls that take a unit: DATE_ADD(d, INTERVAL n
// unit) and its kin, TIMESTAMPDIFF(unit, a, b), EXTRACT(unit FROM d).
// It returns nil and no error for ADDDATE(d, n) and SUBDATE(d, n), which
// are plain functions.
func (b *Builder) unitCall(n *parse.Call, name, upper string, at int, c ExprCtx) (expr.Expr, error) {
	switch {
	case n.Star:
		return nil, b.errAt(at, "%s() does not take *", upper)
	case n.Distinct:
		return nil, b.unsupported(fmt.Sprintf("DISTINCT in %s()", upper), at, "")
	}
	unitOf := func(e parse.Expr) (string, bool) {
		if r, ok := e.(*parse.ColumnRef); ok && r.Table == nil && !r.Name.Quoted {
			return strings.ToUpper(r.Name.Name), true
		}
		return "", false
	}
	switch name {
	case "date_add", "date_sub", "adddate", "subdate":
		if len(n.Args) != 2 {
			return nil, b.errAt(at, "%s() takes 2 arguments, not %d", upper, len(n.Args))
		}
		iv, ok := n.Args[1].(*parse.Interval)
		if !ok {
			if name == "adddate" || name == "subdate" {
				return nil, nil
			}
			return nil, b.errAt(n.Args[1].Pos(), "%s() takes INTERVAL n unit as its second argument", upper)
		}
		return b.dateAdd(name, n.Args[0], iv, name == "date_sub" || name == "subdate", at, c)
	case "timestampdiff":
		if len(n.Args) != 3 {
			return nil, b.errAt(at, "%s() takes 3 arguments, not %d", upper, len(n.Args))
		}
		unit, ok := unitOf(n.Args[0])
		if !ok || !expr.IsSimpleUnit(unit) {
			return nil, b.errAt(n.Args[0].Pos(), "%s(): the unit must be MICROSECOND, SECOND, MINUTE, HOUR, DAY, WEEK, MONTH, QUARTER or YEAR, not %s", upper, b.text(n.Args[0]))
		}
		xs, err := b.exprs(c, n.Args[1:]...)
		if err != nil {
			return nil, err
		}
		return &expr.Call{Fn: expr.TimestampDiffFunc(unit), Args: xs, At: at}, nil
	}
	// EXTRACT(unit FROM d)
	if !n.From || len(n.Args) != 2 {
		return nil, b.errAt(at, "%s() takes unit FROM date", upper)
	}
	unit, ok := unitOf(n.Args[0])
	if !ok || !expr.IsIntervalUnit(unit) {
		return nil, b.errAt(n.Args[0].Pos(), "%s(): unknown unit %s", upper, b.text(n.Args[0]))
	}
	x, err := b.Expr(n.Args[1], c)
	if err != nil {
		return nil, err
	}
	return &expr.Call{Fn: expr.ExtractFunc(unit), Args: []expr.Expr{x}, At: at}, nil
}

// argCount describes a function's number of arguments.
func argCount(fn *expr.ScalarFunc) string {
	switch {
	case fn.MaxArgs < 0:
		return fmt.Sprintf("at least %d arguments", fn.MinArgs)
	case fn.MinArgs == fn.MaxArgs && fn.MinArgs == 1:
		return "1 argument"
	case fn.MinArgs == fn.MaxArgs:
		return fmt.Sprintf("%d arguments", fn.MinArgs)
	}
	return fmt.Sprintf("%d to %d arguments", fn.MinArgs, fn.MaxArgs)
}

// aggregate converts COUNT, SUM, AVG, MIN and MAX.
func (b *Builder) aggregate(n *parse.Call, name string, at int, c ExprCtx) (expr.Expr, error) {
	up := strings.ToUpper(name)
	switch {
	case !c.aggOK:
		return nil, b.errAt(at, "aggregate %s() is not allowed here (only in the select list, HAVING and ORDER BY)", up)
	case c.inAgg:
		return nil, b.errAt(at, "aggregate %s() inside another aggregate", up)
	}
	agg := &expr.Agg{Fn: name, Distinct: n.Distinct, At: at}
	switch {
	case n.Star && (name != "count" || n.Distinct):
		return nil, b.errAt(at, "%s(*) is not SQL; only COUNT(*) takes *", up)
	case n.Star:
		return agg, nil
	case len(n.Args) == 0:
		return nil, b.errAt(at, "%s() needs an argument", up)
	case len(n.Args) > 1 && !(name == "count" && n.Distinct) && name != "group_concat":
		return nil, b.errAt(at, "%s() takes one argument", up)
	case n.Distinct && isStatAggregate(name):
		return nil, b.errAt(at, "%s() does not take DISTINCT", up)
	}
	inner := c
	inner.inAgg = true
	inner.aliasOK = false
	for _, a := range n.Args {
		x, err := b.Expr(a, inner)
		if err != nil {
			return nil, err
		}
		agg.Args = append(agg.Args, x)
	}
	for _, a := range agg.Args {
		if name != "count" && Unorderable(expr.KindOf(a)) {
			return nil, b.errAt(at, "%s() cannot take a %s", up, expr.KindOf(a))
		}
	}
	if name == "group_concat" {
		agg.Sep = ","
		if n.Separator != nil {
			agg.Sep = n.Separator.Value
		}
		for _, o := range n.OrderBy {
			if o.Nulls != "" {
				return nil, b.unsupported("NULLS "+o.Nulls+" in GROUP_CONCAT's ORDER BY", o.Pos(), "")
			}
			var x expr.Expr
			if lit, ok := o.Expr.(*parse.Literal); ok && lit.Kind == parse.LitInt {
				// ORDER BY 2: the second argument, as in MySQL.
				i, err := strconv.Atoi(lit.Value)
				if err != nil || i < 1 || i > len(agg.Args) {
					return nil, b.errAt(lit.Pos(), "%s(): ORDER BY %s: there are %d arguments", up, lit.Value, len(agg.Args))
				}
				x = agg.Args[i-1]
			} else {
				var err error
				if x, err = b.Expr(o.Expr, inner); err != nil {
					return nil, err
				}
			}
			if Unorderable(expr.KindOf(x)) {
				return nil, b.errAt(o.Pos(), "%s(): cannot order by a %s", up, expr.KindOf(x))
			}
			agg.Order = append(agg.Order, expr.AggOrder{Expr: x, Desc: o.Dir == "DESC"})
		}
	}
	return agg, nil
}

// kintoneFunc converts a Kintone query function after checking its
// arguments (A.3, A.7), so that a mistake is reported here rather than by
// Kintone.
func (b *Builder) kintoneFunc(n *parse.Call, name string, at int) (expr.Expr, error) {
	if n.Star {
		return nil, b.errAt(at, "%s() does not take *", name)
	}
	var args []string
	for _, a := range n.Args {
		switch x := a.(type) {
		case *parse.Literal:
			if x.Kind != parse.LitInt {
				return nil, b.errAt(at, "bad argument %s to %s()", b.text(x), name)
			}
			args = append(args, x.Value)
		case *parse.Unary:
			v, ok := x.X.(*parse.Literal)
			if !ok || v.Kind != parse.LitInt || x.Op != "-" {
				return nil, b.errAt(at, "bad argument %s to %s()", b.text(x), name)
			}
			args = append(args, "-"+v.Value)
		case *parse.ColumnRef:
			if x.Table != nil {
				return nil, b.errAt(at, "bad argument %s to %s()", b.text(x), name)
			}
			args = append(args, strings.ToUpper(x.Name.Name))
		default:
			return nil, b.errAt(at, "bad argument %s to %s()", b.text(a), name)
		}
	}
	if msg := checkKintoneArgs(name, args); msg != "" {
		return nil, b.errAt(at, "%s", msg)
	}
	return &expr.KFunc{Value: kql.Value{Kind: kql.Func, Text: name, Args: args}, At: at}, nil
}

// checkKintoneArgs checks a Kintone function's arguments and returns a
// message when they are wrong.
func checkKintoneArgs(name string, args []string) string {
	switch name {
	case "FROM_TODAY":
		if len(args) != 2 {
			return "FROM_TODAY() takes a number and DAYS, WEEKS, MONTHS or YEARS"
		}
		if _, err := strconv.Atoi(args[0]); err != nil {
			return fmt.Sprintf("FROM_TODAY(): %s is not an integer", args[0])
		}
		switch args[1] {
		case "DAYS", "WEEKS", "MONTHS", "YEARS":
			return ""
		}
		return fmt.Sprintf("FROM_TODAY(): the unit must be DAYS, WEEKS, MONTHS or YEARS, not %s", args[1])
	case "THIS_WEEK", "LAST_WEEK", "NEXT_WEEK":
		if len(args) == 0 {
			return ""
		}
		if len(args) == 1 {
			switch args[0] {
			case "SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY":
				return ""
			}
		}
		return fmt.Sprintf("%s() takes nothing or a weekday (SUNDAY ... SATURDAY)", name)
	case "THIS_MONTH", "LAST_MONTH", "NEXT_MONTH":
		if len(args) == 0 {
			return ""
		}
		if len(args) == 1 {
			if args[0] == "LAST" {
				return ""
			}
			if d, err := strconv.Atoi(args[0]); err == nil && d >= 1 && d <= 31 {
				return ""
			}
		}
		return fmt.Sprintf("%s() takes nothing, a day from 1 to 31, or LAST", name)
	}
	if len(args) != 0 {
		return fmt.Sprintf("%s() takes no arguments", name)
	}
	return ""
}

// caseExpr converts CASE.
func (b *Builder) caseExpr(n *parse.Case, c ExprCtx) (expr.Expr, error) {
	out := &expr.Case{At: n.Pos()}
	var err error
	if n.Operand != nil {
		if out.Operand, err = b.Expr(n.Operand, c); err != nil {
			return nil, err
		}
	}
	for _, w := range n.Whens {
		cond, err := b.Expr(w.Cond, c)
		if err != nil {
			return nil, err
		}
		val, err := b.Expr(w.Result, c)
		if err != nil {
			return nil, err
		}
		out.Whens = append(out.Whens, expr.When{Cond: cond, Then: val})
	}
	if n.Else != nil {
		if out.Else, err = b.Expr(n.Else, c); err != nil {
			return nil, err
		}
	}
	// The results are of one kind: text when a date meets a string.
	vals := make([]expr.Expr, 0, len(out.Whens)+1)
	for _, w := range out.Whens {
		vals = append(vals, w.Then)
	}
	if out.Else != nil {
		vals = append(vals, out.Else)
	}
	vals = expr.TextOperands(vals)
	for i := range out.Whens {
		out.Whens[i].Then = vals[i]
	}
	if out.Else != nil {
		out.Else = vals[len(vals)-1]
	}
	return out, nil
}

// Unorderable reports whether values of kind k have no order (lists,
// files, subtables, JSON): they cannot be sorted or aggregated.
func Unorderable(k catalog.Kind) bool {
	switch k {
	case catalog.KList, catalog.KEntities, catalog.KFiles, catalog.KRows, catalog.KJSON:
		return true
	}
	return false
}
