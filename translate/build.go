package translate

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// builder turns the parser's expressions into the translator's tree,
// resolving columns against the table.
type builder struct {
	src *source
	loc *locator
	tbl *catalog.Table
	// aliases maps select-list aliases (lower case) to their expressions,
	// for GROUP BY, HAVING and ORDER BY, which may name them.
	aliases map[string]expr.Expr
}

// exprCtx says where an expression stands.
type exprCtx struct {
	aggOK   bool // aggregates are allowed (select list, HAVING, ORDER BY)
	inAgg   bool // inside an aggregate's arguments
	where   bool // in WHERE: Kintone functions may be compared with fields
	aliasOK bool // a bare name may be a select-list alias
}

// unsupported builds an *UnsupportedError at offset off.
func (b *builder) unsupported(construct string, off int, hint string) error {
	return &sqlerr.UnsupportedError{Construct: construct, Pos: b.src.pos(off), Hint: hint}
}

// errAt builds an *Error at offset off.
func (b *builder) errAt(off int, format string, args ...any) error {
	return &sqlerr.Error{Pos: b.src.pos(off), Msg: fmt.Sprintf(format, args...)}
}

// expr converts one expression.
func (b *builder) expr(e sqlparser.Expr, c exprCtx) (expr.Expr, error) {
	switch n := e.(type) {
	case *sqlparser.AndExpr, *sqlparser.OrExpr:
		return b.logic(n, c)
	case *sqlparser.NotExpr:
		at := b.loc.not()
		x, err := b.expr(n.Expr, c)
		if err != nil {
			return nil, err
		}
		return &expr.Unary{Op: "not", X: x, At: at}, nil
	case *sqlparser.ParenExpr:
		return b.expr(n.Expr, c)
	case *sqlparser.ComparisonExpr:
		return b.comparison(n, c)
	case *sqlparser.RangeCond:
		x, err := b.expr(n.Left, c)
		if err != nil {
			return nil, err
		}
		at := b.loc.word("between")
		lo, err := b.expr(n.From, c)
		if err != nil {
			return nil, err
		}
		hi, err := b.expr(n.To, c)
		if err != nil {
			return nil, err
		}
		return &expr.Between{X: x, Lo: lo, Hi: hi, Not: n.Operator == sqlparser.NotBetweenStr, At: at}, nil
	case *sqlparser.IsExpr:
		x, err := b.expr(n.Expr, c)
		if err != nil {
			return nil, err
		}
		at := b.loc.word("is")
		switch n.Operator {
		case sqlparser.IsNullStr, sqlparser.IsNotNullStr:
			return &expr.IsNull{X: x, Not: n.Operator == sqlparser.IsNotNullStr, At: at}, nil
		case sqlparser.IsTrueStr, sqlparser.IsNotTrueStr:
			return &expr.IsBool{X: x, Val: true, Not: n.Operator == sqlparser.IsNotTrueStr, At: at}, nil
		case sqlparser.IsFalseStr, sqlparser.IsNotFalseStr:
			return &expr.IsBool{X: x, Val: false, Not: n.Operator == sqlparser.IsNotFalseStr, At: at}, nil
		}
		return nil, b.unsupported("IS "+strings.ToUpper(n.Operator), at, "")
	case *sqlparser.SQLVal:
		return b.literal(n)
	case *sqlparser.NullVal:
		return &expr.Const{Value: nil, Kind: catalog.KAny, At: b.loc.word("null")}, nil
	case sqlparser.BoolVal:
		w := "false"
		if n {
			w = "true"
		}
		return &expr.Const{Value: bool(n), Kind: catalog.KBool, At: b.loc.word(w)}, nil
	case *sqlparser.ColName:
		return b.colName(n, c)
	case *sqlparser.BinaryExpr:
		return b.binary(n, c)
	case *sqlparser.UnaryExpr:
		return b.unary(n, c)
	case *sqlparser.FuncExpr:
		return b.call(n, c)
	case *sqlparser.CaseExpr:
		return b.caseExpr(n, c)
	case *sqlparser.SubstrExpr:
		at := b.loc.call("substr")
		col, err := b.colName(n.Name, c)
		if err != nil {
			return nil, err
		}
		args := []expr.Expr{col}
		for _, a := range []sqlparser.Expr{n.From, n.To} {
			if a == nil {
				continue
			}
			x, err := b.expr(a, c)
			if err != nil {
				return nil, err
			}
			args = append(args, x)
		}
		return &expr.Call{Fn: expr.LookupFunc("substring"), Args: args, At: at}, nil
	case *sqlparser.Subquery:
		return nil, b.unsupported("subquery", b.loc.subquery(), "")
	case *sqlparser.ExistsExpr:
		return nil, b.unsupported("EXISTS (subquery)", b.loc.word("exists"), "")
	case sqlparser.ValTuple:
		return nil, b.unsupported("row constructor (a, b, ...)", b.loc.punct("("), "")
	case sqlparser.ListArg:
		return nil, b.unsupported("list placeholder ::"+strings.TrimPrefix(string(n), "::"), b.firstOfKind(tList), "use IN (?) with a slice argument ([]string, []int64, ...)")
	case *sqlparser.IntervalExpr:
		return nil, b.unsupported("INTERVAL", b.loc.word("interval"), "")
	case *sqlparser.CollateExpr:
		return nil, b.unsupported("COLLATE", b.loc.word("collate"), "text always compares byte by byte")
	case *sqlparser.ConvertExpr:
		w := "cast"
		if b.firstWord("convert") >= 0 {
			w = "convert"
		}
		return nil, b.unsupported(strings.ToUpper(w), b.loc.word(w), "")
	case *sqlparser.ConvertUsingExpr:
		return nil, b.unsupported("CONVERT ... USING", b.loc.word("convert"), "")
	case *sqlparser.MatchExpr:
		return nil, b.unsupported("MATCH ... AGAINST", b.loc.word("match"), "")
	case *sqlparser.GroupConcatExpr:
		return nil, b.unsupported("GROUP_CONCAT", b.loc.word("group_concat"), "")
	case *sqlparser.ValuesFuncExpr:
		return nil, b.unsupported("VALUES()", b.loc.word("values"), "")
	case *sqlparser.Default:
		return nil, b.unsupported("DEFAULT", b.loc.word("default"), "")
	}
	return nil, b.unsupported(fmt.Sprintf("expression %s", sqlparser.String(e)), b.loc.here(), "")
}

// firstWord returns the index of the first token that is the bare word w,
// or -1.
func (b *builder) firstWord(w string) int {
	for i, t := range b.src.toks {
		if t.is(w) {
			return i
		}
	}
	return -1
}

// firstOfKind returns the offset of the first token of kind k, or 0.
func (b *builder) firstOfKind(k tokKind) int {
	for _, t := range b.src.toks {
		if t.kind == k {
			return t.pos
		}
	}
	return 0
}

// logic flattens a tree of ANDs or ORs into one logicExpr.
func (b *builder) logic(e sqlparser.Expr, c exprCtx) (expr.Expr, error) {
	_, isAnd := e.(*sqlparser.AndExpr)
	var terms []expr.Expr
	var add func(x sqlparser.Expr) error
	add = func(x sqlparser.Expr) error {
		switch n := x.(type) {
		case *sqlparser.AndExpr:
			if isAnd {
				if err := add(n.Left); err != nil {
					return err
				}
				return add(n.Right)
			}
		case *sqlparser.OrExpr:
			if !isAnd {
				if err := add(n.Left); err != nil {
					return err
				}
				return add(n.Right)
			}
		}
		t, err := b.expr(x, c)
		if err != nil {
			return err
		}
		terms = append(terms, t)
		return nil
	}
	if err := add(e); err != nil {
		return nil, err
	}
	return &expr.Logic{And: isAnd, Terms: terms, At: terms[0].Offset()}, nil
}

// comparison converts a ComparisonExpr: =, <, ..., IN, LIKE.
func (b *builder) comparison(n *sqlparser.ComparisonExpr, c exprCtx) (expr.Expr, error) {
	l, err := b.expr(n.Left, c)
	if err != nil {
		return nil, err
	}
	switch n.Operator {
	case sqlparser.EqualStr, sqlparser.LessThanStr, sqlparser.GreaterThanStr, sqlparser.LessEqualStr,
		sqlparser.GreaterEqualStr, sqlparser.NotEqualStr, sqlparser.NullSafeEqualStr:
		at := b.loc.find("cmp", func(i int) bool {
			t := b.src.toks[i]
			return t.kind == tPunct && (t.text == n.Operator || n.Operator == "!=" && t.text == "<>")
		})
		r, err := b.expr(n.Right, c)
		if err != nil {
			return nil, err
		}
		return &expr.Cmp{Op: n.Operator, L: l, R: r, At: at}, nil
	case sqlparser.InStr, sqlparser.NotInStr:
		at := b.loc.word("in")
		tuple, ok := n.Right.(sqlparser.ValTuple)
		if !ok {
			if _, sub := n.Right.(*sqlparser.Subquery); sub {
				return nil, b.unsupported("subquery", b.loc.subquery(), "")
			}
			return nil, b.unsupported("list placeholder", b.firstOfKind(tList), "use IN (?) with a slice argument ([]string, []int64, ...)")
		}
		list := make([]expr.Expr, len(tuple))
		for i, item := range tuple {
			x, err := b.expr(item, c)
			if err != nil {
				return nil, err
			}
			list[i] = x
		}
		return &expr.In{X: l, List: list, Not: n.Operator == sqlparser.NotInStr, At: at}, nil
	case sqlparser.LikeStr, sqlparser.NotLikeStr:
		at := b.loc.word("like")
		pat, err := b.expr(n.Right, c)
		if err != nil {
			return nil, err
		}
		var esc expr.Expr
		if n.Escape != nil {
			if esc, err = b.expr(n.Escape, c); err != nil {
				return nil, err
			}
		}
		return &expr.Like{X: l, Pat: pat, Esc: esc, Not: n.Operator == sqlparser.NotLikeStr, At: at}, nil
	case sqlparser.RegexpStr, sqlparser.NotRegexpStr:
		return nil, b.unsupported(strings.ToUpper(n.Operator), b.loc.word("regexp"), "use LIKE")
	}
	return nil, b.unsupported("operator "+n.Operator, b.loc.punct(n.Operator), "")
}

// literal converts a literal or a placeholder.
func (b *builder) literal(n *sqlparser.SQLVal) (expr.Expr, error) {
	switch n.Type {
	case sqlparser.StrVal:
		at := b.loc.find("string", func(i int) bool { return b.src.toks[i].kind == tString })
		return &expr.Const{Value: string(n.Val), Kind: catalog.KText, At: at}, nil
	case sqlparser.IntVal, sqlparser.FloatVal:
		text := string(n.Val)
		at := b.loc.number(strings.TrimPrefix(text, "-"))
		x, err := numberLiteral(text, at)
		if err != nil {
			return nil, b.errAt(at, "%v", err)
		}
		return x, nil
	case sqlparser.HexNum:
		at := b.loc.find("number:"+string(n.Val), func(i int) bool { return b.src.toks[i].text == string(n.Val) })
		v, err := strconv.ParseInt(string(n.Val[2:]), 16, 64)
		if err != nil {
			return nil, b.errAt(at, "hexadecimal number %s is too large", n.Val)
		}
		return &expr.Const{Value: v, Kind: catalog.KInt, At: at}, nil
	case sqlparser.HexVal:
		at := b.loc.word("x")
		bs, err := n.HexDecode()
		if err != nil {
			return nil, b.errAt(at, "bad hexadecimal string: %v", err)
		}
		return &expr.Const{Value: string(bs), Kind: catalog.KText, At: at}, nil
	case sqlparser.ValArg:
		return b.param(string(n.Val))
	case sqlparser.BitVal:
		return nil, b.unsupported("bit literal b'...'", b.loc.word("b"), "")
	}
	return nil, b.unsupported("literal "+string(n.Val), b.loc.here(), "")
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

// param converts a placeholder: the parser writes the n-th ? as :vn.
func (b *builder) param(val string) (expr.Expr, error) {
	name := strings.TrimPrefix(val, ":")
	if b.src.nQ > 0 && strings.HasPrefix(name, "v") {
		if n, err := strconv.Atoi(name[1:]); err == nil && n >= 1 && n <= b.src.nQ {
			// The ? placeholders are lexed in order, so the nth is
			// usually params[n-1]: look there before scanning (a
			// 10,000-row INSERT has 200,000 of them).
			if n <= len(b.src.params) && b.src.params[n-1].Ordinal == n {
				p := b.src.params[n-1]
				return &expr.Param{Ref: p, At: p.Pos}, nil
			}
			for _, p := range b.src.params {
				if p.Ordinal == n {
					return &expr.Param{Ref: p, At: p.Pos}, nil
				}
			}
		}
	}
	for _, p := range b.src.params {
		if p.Name == name {
			return &expr.Param{Ref: p, At: p.Pos}, nil
		}
	}
	return nil, &sqlerr.Error{Msg: fmt.Sprintf("placeholder %s not found", val)}
}

// colName resolves a column reference, or a select-list alias where one
// may stand.
func (b *builder) colName(n *sqlparser.ColName, c exprCtx) (expr.Expr, error) {
	i := b.loc.identIndex(n.Name.String())
	name := b.loc.written(i, n.Name.String())
	at := b.loc.here()
	if i >= 0 {
		at = b.src.toks[i].pos
	}
	if c.aliasOK && n.Qualifier.IsEmpty() && b.aliases != nil {
		if e, ok := b.aliases[strings.ToLower(name)]; ok {
			return e, nil
		}
	}
	if !n.Qualifier.IsEmpty() {
		q := n.Qualifier.Name.String()
		if !n.Qualifier.Qualifier.IsEmpty() {
			q = n.Qualifier.Qualifier.String() + "." + q
		}
		if !b.tableNamed(q) {
			return nil, b.errAt(at, "unknown table %q in column reference %s.%s (the statement reads %q)", sqlerr.Abbrev(q), sqlerr.Abbrev(q), sqlerr.Abbrev(name), sqlerr.Abbrev(b.tbl.Name))
		}
	}
	col, err := b.tbl.Lookup(name)
	if err != nil {
		return nil, b.errAt(at, "%v", err)
	}
	if col == nil {
		return nil, b.errAt(at, "%s", b.tbl.UnknownColumn(name))
	}
	return &expr.ColRef{Col: col, At: at}, nil
}

// tableNamed reports whether q names the statement's table: its alias,
// its name, or for a child table its subtable code alone, in any case (as
// table names resolve).
func (b *builder) tableNamed(q string) bool {
	if b.tbl.Alias != "" {
		return strings.EqualFold(q, b.tbl.Alias)
	}
	if strings.EqualFold(q, b.tbl.Name) {
		return true
	}
	return b.tbl.Sub != nil && strings.EqualFold(q, b.tbl.Sub.Code)
}

// binary converts arithmetic.
func (b *builder) binary(n *sqlparser.BinaryExpr, c exprCtx) (expr.Expr, error) {
	l, err := b.expr(n.Left, c)
	if err != nil {
		return nil, err
	}
	var at int
	switch n.Operator {
	case sqlparser.PlusStr, sqlparser.MinusStr, sqlparser.MultStr, sqlparser.DivStr, sqlparser.ModStr:
		at = b.loc.punct(n.Operator)
	case sqlparser.IntDivStr:
		at = b.loc.word("div")
	default:
		return nil, b.unsupported("operator "+n.Operator, b.loc.punct(n.Operator), "")
	}
	r, err := b.expr(n.Right, c)
	if err != nil {
		return nil, err
	}
	return &expr.Binary{Op: n.Operator, L: l, R: r, At: at}, nil
}

// unary converts -x, +x and !x.
func (b *builder) unary(n *sqlparser.UnaryExpr, c exprCtx) (expr.Expr, error) {
	switch n.Operator {
	case sqlparser.UMinusStr:
		at := b.loc.punct("-")
		if v, ok := n.Expr.(*sqlparser.SQLVal); ok && (v.Type == sqlparser.IntVal || v.Type == sqlparser.FloatVal) {
			x, err := b.literal(v)
			if err != nil {
				return nil, err
			}
			folded, err := expr.Arith("-", int64(0), x.(*expr.Const).Value)
			if err != nil {
				return nil, err
			}
			return &expr.Const{Value: folded, Kind: x.(*expr.Const).Kind, At: at}, nil
		}
		x, err := b.expr(n.Expr, c)
		if err != nil {
			return nil, err
		}
		return &expr.Unary{Op: "-", X: x, At: at}, nil
	case sqlparser.UPlusStr:
		return b.expr(n.Expr, c)
	case sqlparser.BangStr:
		at := b.loc.punct("!")
		x, err := b.expr(n.Expr, c)
		if err != nil {
			return nil, err
		}
		return &expr.Unary{Op: "not", X: x, At: at}, nil
	}
	return nil, b.unsupported("operator "+strings.TrimSpace(n.Operator), b.loc.punct(strings.TrimSpace(n.Operator)), "")
}

// isAggregateName reports whether name (lower case) is an aggregate the
// pipeline computes.
func isAggregateName(name string) bool {
	switch name {
	case "count", "sum", "avg", "min", "max":
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

// call converts a function call: an aggregate, a Kintone query function,
// or a scalar function evaluated in Go.
func (b *builder) call(n *sqlparser.FuncExpr, c exprCtx) (expr.Expr, error) {
	name := n.Name.Lowered()
	at := b.loc.call(n.Name.String())
	if !n.Qualifier.IsEmpty() {
		return nil, b.unsupported(fmt.Sprintf("function %s.%s()", n.Qualifier.String(), n.Name.String()), at, "")
	}
	upper := strings.ToUpper(name)
	if isKintoneFunc(upper) && c.where {
		return b.kintoneFunc(n, upper, at)
	}
	if isAggregateName(name) {
		return b.aggregate(n, name, at, c)
	}
	if n.IsAggregate() {
		return nil, b.unsupported(fmt.Sprintf("aggregate %s()", strings.ToUpper(name)), at, "COUNT, SUM, AVG, MIN and MAX are supported")
	}
	if isKintoneFunc(upper) {
		return nil, b.unsupported(fmt.Sprintf("%s() outside WHERE", upper), at, "Kintone's query functions can only be compared with a field in WHERE")
	}
	fn := expr.LookupFunc(name)
	if fn == nil {
		return nil, b.unsupported(fmt.Sprintf("function %s()", strings.ToUpper(name)), at, "")
	}
	if n.Distinct {
		return nil, b.unsupported(fmt.Sprintf("DISTINCT in %s()", strings.ToUpper(name)), at, "")
	}
	if len(n.Exprs) < fn.MinArgs || fn.MaxArgs >= 0 && len(n.Exprs) > fn.MaxArgs {
		return nil, b.errAt(at, "%s() takes %s, not %d", strings.ToUpper(name), argCount(fn), len(n.Exprs))
	}
	args := make([]expr.Expr, len(n.Exprs))
	for i, se := range n.Exprs {
		ae, ok := se.(*sqlparser.AliasedExpr)
		if !ok {
			return nil, b.errAt(at, "%s() does not take *", strings.ToUpper(name))
		}
		x, err := b.expr(ae.Expr, c)
		if err != nil {
			return nil, err
		}
		args[i] = x
	}
	return &expr.Call{Fn: fn, Args: args, At: at}, nil
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
func (b *builder) aggregate(n *sqlparser.FuncExpr, name string, at int, c exprCtx) (expr.Expr, error) {
	up := strings.ToUpper(name)
	if !c.aggOK {
		return nil, b.errAt(at, "aggregate %s() is not allowed here (only in the select list, HAVING and ORDER BY)", up)
	}
	if c.inAgg {
		return nil, b.errAt(at, "aggregate %s() inside another aggregate", up)
	}
	agg := &expr.Agg{Fn: name, Distinct: n.Distinct, At: at}
	if len(n.Exprs) == 1 {
		if _, star := n.Exprs[0].(*sqlparser.StarExpr); star {
			if name != "count" || n.Distinct {
				return nil, b.errAt(at, "%s(*) is not SQL; only COUNT(*) takes *", up)
			}
			return agg, nil
		}
	}
	if len(n.Exprs) == 0 {
		return nil, b.errAt(at, "%s() needs an argument", up)
	}
	if len(n.Exprs) > 1 && !(name == "count" && n.Distinct) {
		return nil, b.errAt(at, "%s() takes one argument", up)
	}
	inner := c
	inner.inAgg = true
	inner.aliasOK = false
	for _, se := range n.Exprs {
		ae, ok := se.(*sqlparser.AliasedExpr)
		if !ok {
			return nil, b.errAt(at, "%s() does not take *", up)
		}
		x, err := b.expr(ae.Expr, inner)
		if err != nil {
			return nil, err
		}
		agg.Args = append(agg.Args, x)
	}
	if name != "count" && unorderable(expr.KindOf(agg.Args[0])) {
		return nil, b.errAt(at, "%s() cannot take a %s", up, expr.KindOf(agg.Args[0]))
	}
	return agg, nil
}

// kintoneFunc converts a Kintone query function after checking its
// arguments (A.3, A.7), so that a mistake is reported here rather than by
// Kintone.
func (b *builder) kintoneFunc(n *sqlparser.FuncExpr, name string, at int) (expr.Expr, error) {
	var args []string
	for _, se := range n.Exprs {
		ae, ok := se.(*sqlparser.AliasedExpr)
		if !ok {
			return nil, b.errAt(at, "%s() does not take *", name)
		}
		switch x := ae.Expr.(type) {
		case *sqlparser.SQLVal:
			if x.Type != sqlparser.IntVal {
				return nil, b.errAt(at, "bad argument %s to %s()", sqlparser.String(x), name)
			}
			args = append(args, string(x.Val))
		case *sqlparser.UnaryExpr:
			v, ok := x.Expr.(*sqlparser.SQLVal)
			if !ok || v.Type != sqlparser.IntVal || x.Operator != sqlparser.UMinusStr {
				return nil, b.errAt(at, "bad argument %s to %s()", sqlparser.String(x), name)
			}
			args = append(args, "-"+string(v.Val))
		case *sqlparser.ColName:
			if !x.Qualifier.IsEmpty() {
				return nil, b.errAt(at, "bad argument %s to %s()", sqlparser.String(x), name)
			}
			args = append(args, strings.ToUpper(x.Name.String()))
		default:
			return nil, b.errAt(at, "bad argument %s to %s()", sqlparser.String(ae.Expr), name)
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
func (b *builder) caseExpr(n *sqlparser.CaseExpr, c exprCtx) (expr.Expr, error) {
	out := &expr.Case{At: b.loc.word("case")}
	var err error
	if n.Expr != nil {
		if out.Operand, err = b.expr(n.Expr, c); err != nil {
			return nil, err
		}
	}
	for _, w := range n.Whens {
		cond, err := b.expr(w.Cond, c)
		if err != nil {
			return nil, err
		}
		val, err := b.expr(w.Val, c)
		if err != nil {
			return nil, err
		}
		out.Whens = append(out.Whens, expr.When{Cond: cond, Then: val})
	}
	if n.Else != nil {
		if out.Else, err = b.expr(n.Else, c); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// unorderable reports whether values of kind k have no order (lists,
// files, subtables, JSON): they cannot be sorted or aggregated.
func unorderable(k catalog.Kind) bool {
	switch k {
	case catalog.KList, catalog.KEntities, catalog.KFiles, catalog.KRows, catalog.KJSON:
		return true
	}
	return false
}
