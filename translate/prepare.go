package translate

import (
	"context"
	"database/sql/driver"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// Prepared is a statement parsed and resolved once, to be bound to
// arguments any number of times (a database/sql prepared statement).
type Prepared struct {
	src      *source
	schema   catalog.Schema
	opts     Options
	numInput int
	tmpl     *selectTemplate
	write    writeTemplate // INSERT, UPDATE or DELETE; nil otherwise
	explain  bool
	meta     bool // SHOW or DESCRIBE: rows about the schema, never capped by MaxRows
	// writeTargets marks the SELECT that finds the records of an UPDATE
	// or DELETE: its rows are read while the write goes on, so it pages
	// by keys no change moves only ($id, or keyset on the creation time
	// and $id; see planSelect).
	writeTargets bool
}

// NumInput returns the number of arguments Bind expects: the number of ?
// placeholders, or the number of distinct :name placeholders.
func (p *Prepared) NumInput() int { return p.numInput }

// Translate prepares sql and binds args in one step.
func Translate(ctx context.Context, sql string, schema catalog.Schema, opts Options, args []driver.NamedValue) (Statement, error) {
	p, err := Prepare(ctx, sql, schema, opts)
	if err != nil {
		return nil, err
	}
	return p.Bind(ctx, args)
}

// Prepare parses sql, resolves its table and columns through schema and
// checks everything that does not depend on the arguments.
//
// The statements understood are SELECT (on an app, a subtable as a child
// table, information_schema.tables / .columns, or no table at all), SHOW
// [FULL] TABLES [LIKE ... | WHERE ...], SHOW [FULL] COLUMNS / FIELDS FROM t
// [LIKE ... | WHERE ...], DESCRIBE / DESC t [column], EXPLAIN SELECT,
// INSERT, UPDATE or DELETE (which return the plan as rows and never
// write), and the writes INSERT, UPDATE and DELETE (see the package
// documentation). Anything else is an
// *UnsupportedError.
func Prepare(ctx context.Context, sql string, schema catalog.Schema, opts Options) (*Prepared, error) {
	opts = opts.withDefaults()
	src, err := lexSQL(sql, !opts.noValuesRun)
	if err != nil {
		return nil, err
	}
	p := &Prepared{src: src, schema: schema, opts: opts}
	if err := p.countParams(); err != nil {
		return nil, err
	}
	if err := prescan(src); err != nil {
		return nil, err
	}
	if len(src.toks) == 0 {
		return nil, &sqlerr.SyntaxError{Pos: src.pos(0), Msg: "empty statement"}
	}
	first := src.toks[0]
	switch {
	case first.is("describe") || first.is("desc") || first.is("explain") && len(src.toks) > 1 && !explainable(src.toks[1]):
		p.meta = true
		return p, p.prepareDescribe(ctx)
	case first.is("show") && len(src.toks) > 1 && (src.toks[1].is("columns") || src.toks[1].is("fields") ||
		src.toks[1].is("full") && len(src.toks) > 2 && (src.toks[2].is("columns") || src.toks[2].is("fields"))):
		p.meta = true
		return p, p.prepareShowColumns(ctx)
	case first.is("explain"):
		// EXPLAIN SELECT, INSERT, UPDATE or DELETE: the statement is
		// prepared as it is, and Bind returns its plan as rows.
		p.explain = true
		// Blank the word out; the rest keeps its offsets. No backquote
		// can have been inserted before the first token's end.
		src.text = src.text[:first.pos] + strings.Repeat(" ", first.end-first.pos) + src.text[first.end:]
	}
	stmt, err := sqlparser.ParseStrictDDL(src.text)
	if err != nil {
		return nil, syntaxError(src, err)
	}
	loc := newLocator(src)
	switch n := stmt.(type) {
	case *sqlparser.Select:
		if p.tmpl, err = prepareSelect(ctx, src, loc, schema, opts, n); err != nil {
			return nil, err
		}
		// Type the literals now, so that a bad one fails at Prepare
		// rather than at the first Bind.
		check := &binder{src: src, opts: opts}
		for _, e := range p.tmpl.exprs() {
			if _, err := check.bind(e); err != nil {
				return nil, err
			}
		}
		return p, nil
	case *sqlparser.Union:
		return nil, &sqlerr.UnsupportedError{Construct: "UNION", Pos: src.pos(loc.word("union"))}
	case *sqlparser.ParenSelect:
		return nil, &sqlerr.UnsupportedError{Construct: "parenthesized SELECT", Pos: src.pos(first.pos)}
	case *sqlparser.Show:
		if n.Type == "tables" && n.ShowTablesOpt != nil {
			p.meta = true
			p.tmpl, err = prepareShowTables(src, loc, opts, n)
			return p, err
		}
		return nil, &sqlerr.UnsupportedError{Construct: "SHOW " + strings.ToUpper(n.Type), Pos: src.pos(first.pos),
			Hint: "SHOW TABLES and SHOW COLUMNS are supported"}
	case *sqlparser.Insert, *sqlparser.Update, *sqlparser.Delete:
		if p.write, err = prepareWrite(ctx, src, loc, schema, opts, n); err != nil {
			return nil, err
		}
		return p, p.checkValues()
	}
	return nil, &sqlerr.UnsupportedError{Construct: strings.ToUpper(first.text) + " statement", Pos: src.pos(first.pos)}
}

// explainable reports whether EXPLAIN followed by t explains a statement
// (rather than describing table t).
func explainable(t token) bool {
	return t.is("select") || t.is("insert") || t.is("update") || t.is("delete") || t.is("replace")
}

// countParams sets NumInput and refuses statements that mix ? and :name.
func (p *Prepared) countParams() error {
	names := map[string]bool{}
	var firstNamed *expr.ParamRef
	for i, ref := range p.src.params {
		if ref.Name != "" {
			names[ref.Name] = true
			if firstNamed == nil {
				firstNamed = &p.src.params[i]
			}
		}
	}
	if p.src.nQ > 0 && firstNamed != nil {
		return &sqlerr.Error{Pos: p.src.pos(firstNamed.Pos), Msg: "a statement cannot mix ? and :name placeholders"}
	}
	p.numInput = p.src.nQ + len(names)
	return nil
}

// prescan reports constructs the parser would only call syntax errors or
// misread: WITH (common table expressions), window functions, INTERSECT
// and EXCEPT, list placeholders, and variables (which it takes for
// column names).
func prescan(src *source) error {
	t := src.toks
	for i, tok := range t {
		switch {
		case i == 0 && tok.is("with"):
			return &sqlerr.UnsupportedError{Construct: "WITH (common table expression)", Pos: src.pos(tok.pos)}
		case tok.is("over") && i > 0 && t[i-1].kind == tPunct && t[i-1].text == ")":
			return &sqlerr.UnsupportedError{Construct: "window function (OVER)", Pos: src.pos(tok.pos)}
		case tok.is("window") && i > 0:
			return &sqlerr.UnsupportedError{Construct: "WINDOW clause", Pos: src.pos(tok.pos)}
		case tok.is("intersect") || tok.is("except"):
			return &sqlerr.UnsupportedError{Construct: strings.ToUpper(tok.text), Pos: src.pos(tok.pos)}
		case tok.kind == tList:
			return &sqlerr.UnsupportedError{Construct: "list placeholder ::" + tok.text, Pos: src.pos(tok.pos),
				Hint: "use IN (?) with a slice argument ([]string, []int64, ...)"}
		case tok.kind == tVar && strings.HasPrefix(tok.text, "@@"):
			return &sqlerr.UnsupportedError{Construct: "system variable " + tok.text, Pos: src.pos(tok.pos),
				Hint: "Kintone has no server variables"}
		case tok.kind == tVar:
			return &sqlerr.UnsupportedError{Construct: "user variable " + tok.text, Pos: src.pos(tok.pos),
				Hint: "pass values as arguments of ? or :name placeholders"}
		}
	}
	return nil
}

// parserPosition reads the position the parser's error message gives.
var parserPosition = regexp.MustCompile(`at position (\d+)`)

// syntaxError turns the parser's error into a *SyntaxError that points at
// the token in the original text.
func syntaxError(src *source, err error) error { return shiftedSyntaxError(src, err, 0) }

// shiftedSyntaxError is syntaxError for the parse of a text whose offset
// shift is offset 0 of src.text (shift is negative when the text parsed
// starts with a prefix of the translator's own).
func shiftedSyntaxError(src *source, err error, shift int) error {
	msg := err.Error()
	text := "the statement does not parse"
	if before, _, ok := strings.Cut(msg, " at position"); ok {
		text = before
	}
	m := parserPosition.FindStringSubmatch(msg)
	if m == nil {
		return &sqlerr.SyntaxError{Pos: src.pos(len(src.sql)), Msg: text + ": the statement ends too early"}
	}
	// sqlparser leaves out " near '...'" when the failing token is
	// punctuation; its position still says where it is, and only a
	// position past the end means the statement ran out.
	n, _ := strconv.Atoi(m[1])
	n += shift
	if !strings.Contains(msg, " near '") && n-1 >= len(src.text) {
		return &sqlerr.SyntaxError{Pos: src.pos(len(src.sql)), Msg: text + ": the statement ends too early"}
	}
	// The parser reports the offset just past the character after the
	// token it failed on: point at the token that ends before that.
	off := src.orig(min(max(n-1, 0), len(src.text)))
	i := src.tokenAt(off - 1)
	if i >= len(src.toks) || src.toks[i].pos >= off {
		return &sqlerr.SyntaxError{Pos: src.pos(len(src.sql)), Msg: text + ": the statement ends too early"}
	}
	tok := src.toks[i]
	near := src.sql[tok.pos:tok.end]
	if r := []rune(near); len(r) > 20 {
		near = string(r[:20])
	}
	return &sqlerr.SyntaxError{Pos: src.pos(tok.pos), Near: near, Msg: text}
}

// selectTemplate is a resolved SELECT (or a SHOW, which becomes one),
// before its arguments are bound.
type selectTemplate struct {
	tbl      *catalog.Table
	items    []item
	where    expr.Expr
	having   expr.Expr // a row filter when !grouped
	grouped  bool
	groupBy  []expr.Expr // group keys, evaluated on rows
	aggs     []*expr.Agg // aggregates, evaluated on rows
	order    []orderItem
	distinct bool
	limit    expr.Expr // *constExpr or *paramExpr, nil when absent
	offset   expr.Expr
}

// item is one output column.
type item struct {
	e    expr.Expr
	name string
	meta catalog.ResultColumn
}

// orderItem is one ORDER BY key.
type orderItem struct {
	e    expr.Expr
	desc bool
	// output is the index of the select item the key equals, or -1.
	output int
}

// prepareSelect resolves a SELECT.
func prepareSelect(ctx context.Context, src *source, loc *locator, schema catalog.Schema, opts Options, sel *sqlparser.Select) (*selectTemplate, error) {
	if sel.Lock != "" {
		return nil, &sqlerr.UnsupportedError{Construct: strings.ToUpper(strings.TrimSpace(sel.Lock)), Pos: src.pos(loc.word(strings.Fields(sel.Lock)[0]))}
	}
	if sel.Hints != "" {
		return nil, &sqlerr.UnsupportedError{Construct: strings.ToUpper(strings.TrimSpace(sel.Hints)), Pos: src.pos(loc.word("straight_join"))}
	}
	loc.clause("from")
	tbl, err := fromClause(ctx, src, loc, schema, opts, sel.From)
	if err != nil {
		return nil, err
	}
	loc.clause("select")
	b := &builder{src: src, loc: loc, tbl: tbl, aliases: map[string]expr.Expr{}}
	t := &selectTemplate{tbl: tbl, distinct: sel.Distinct != ""}

	spans := selectItemSpans(src, loc.floor)
	if len(spans) != len(sel.SelectExprs) {
		spans = nil // not read from the tokens: fall back to the parser's text
	}
	for i, se := range sel.SelectExprs {
		switch n := se.(type) {
		case *sqlparser.StarExpr:
			if !n.TableName.IsEmpty() {
				q := n.TableName.Name.String()
				if !n.TableName.Qualifier.IsEmpty() {
					q = n.TableName.Qualifier.String() + "." + q
				}
				if !b.tableNamed(q) {
					return nil, &sqlerr.Error{Pos: src.pos(loc.ident(n.TableName.Name.String())), Msg: fmt.Sprintf("unknown table %q in %s.*", q, q)}
				}
			}
			for _, c := range tbl.Cols {
				ref := &expr.ColRef{Col: c, At: -1}
				t.items = append(t.items, item{e: ref, name: c.Name, meta: columnMeta(ref, c.Name)})
			}
		case *sqlparser.AliasedExpr:
			e, err := b.expr(n.Expr, exprCtx{aggOK: true})
			if err != nil {
				return nil, err
			}
			name := n.As.String()
			if name == "" {
				_, isCol := n.Expr.(*sqlparser.ColName)
				switch {
				case spans != nil && isCol:
					name = spans[i].lastName(src)
				case spans != nil:
					name = spans[i].text(src)
				case isCol:
					name = n.Expr.(*sqlparser.ColName).Name.String()
				default:
					name = exprText(n.Expr)
				}
			} else {
				b.aliases[strings.ToLower(name)] = e
			}
			t.items = append(t.items, item{e: e, name: name, meta: columnMeta(e, name)})
		default:
			return nil, &sqlerr.UnsupportedError{Construct: "NEXT VALUE", Pos: src.pos(loc.word("next"))}
		}
	}

	loc.clause("where")
	if sel.Where != nil {
		if t.where, err = b.expr(sel.Where.Expr, exprCtx{where: true}); err != nil {
			return nil, err
		}
		if err := checkKFuncPlacement(src, t.where); err != nil {
			return nil, err
		}
	}
	loc.clause("group")
	for _, g := range sel.GroupBy {
		e, err := b.groupOrOrderKey(g, t.items, false)
		if err != nil {
			return nil, err
		}
		if expr.HasAggregate(e) {
			return nil, &sqlerr.Error{Pos: src.pos(e.Offset()), Msg: "GROUP BY cannot use an aggregate"}
		}
		t.groupBy = append(t.groupBy, e)
	}
	loc.clause("having")
	if sel.Having != nil {
		if t.having, err = b.columnFirst(sel.Having.Expr); err != nil {
			return nil, err
		}
	}
	loc.clause("order")
	for _, o := range sel.OrderBy {
		if _, isNull := o.Expr.(*sqlparser.NullVal); isNull {
			continue // ORDER BY NULL: no order, as in MySQL
		}
		e, err := b.groupOrOrderKey(o.Expr, t.items, true)
		if err != nil {
			return nil, err
		}
		if k := expr.KindOf(e); unorderable(k) {
			return nil, &sqlerr.Error{Pos: src.pos(e.Offset()), Msg: fmt.Sprintf("cannot sort by a %s", k)}
		}
		t.order = append(t.order, orderItem{e: e, desc: o.Direction == sqlparser.DescScr, output: -1})
	}
	loc.clause("limit")
	if sel.Limit != nil {
		if t.limit, err = b.limitValue(sel.Limit.Rowcount); err != nil {
			return nil, err
		}
		if sel.Limit.Offset != nil {
			if t.offset, err = b.limitValue(sel.Limit.Offset); err != nil {
				return nil, err
			}
		}
	}
	if err := t.group(src); err != nil {
		return nil, err
	}
	if err := t.matchOrderToOutput(src); err != nil {
		return nil, err
	}
	return t, nil
}

// fromClause resolves the FROM clause: exactly one table, no joins.
func fromClause(ctx context.Context, src *source, loc *locator, schema catalog.Schema, opts Options, from sqlparser.TableExprs) (*catalog.Table, error) {
	if len(from) > 1 {
		return nil, &sqlerr.UnsupportedError{Construct: "join (tables separated by commas)", Pos: src.pos(loc.fromComma())}
	}
	switch n := from[0].(type) {
	case *sqlparser.JoinTableExpr:
		at := loc.find("join", func(i int) bool {
			t := src.toks[i]
			return t.is("join") || t.is("straight_join")
		})
		return nil, &sqlerr.UnsupportedError{Construct: strings.ToUpper(n.Join), Pos: src.pos(at)}
	case *sqlparser.ParenTableExpr:
		return nil, &sqlerr.UnsupportedError{Construct: "parenthesized table expression", Pos: src.pos(loc.punct("("))}
	case *sqlparser.AliasedTableExpr:
		if _, ok := n.Expr.(*sqlparser.Subquery); ok {
			return nil, &sqlerr.UnsupportedError{Construct: "subquery in FROM", Pos: src.pos(loc.subquery())}
		}
		if len(n.Partitions) > 0 {
			return nil, &sqlerr.UnsupportedError{Construct: "PARTITION", Pos: src.pos(loc.word("partition"))}
		}
		if n.Hints != nil {
			return nil, &sqlerr.UnsupportedError{Construct: "index hints", Pos: src.pos(loc.word(strings.Fields(n.Hints.Type)[0]))}
		}
		tbl, _, err := resolveTableName(ctx, src, loc, schema, opts, n.Expr.(sqlparser.TableName))
		if err != nil {
			return nil, err
		}
		tbl.Alias = n.As.String()
		return tbl, nil
	}
	return nil, &sqlerr.UnsupportedError{Construct: "table expression", Pos: src.pos(loc.here())}
}

// groupOrOrderKey resolves a GROUP BY or ORDER BY key: a position in the
// select list (1-based), a select-list alias, or an expression. ORDER BY
// looks at aliases before columns, GROUP BY at columns first (MySQL).
func (b *builder) groupOrOrderKey(e sqlparser.Expr, items []item, order bool) (expr.Expr, error) {
	if v, ok := e.(*sqlparser.SQLVal); ok && v.Type == sqlparser.IntVal {
		at := b.loc.find("number:"+string(v.Val), func(i int) bool { return b.src.toks[i].text == string(v.Val) })
		n, err := strconv.Atoi(string(v.Val))
		if err != nil || n < 1 || n > len(items) {
			return nil, &sqlerr.Error{Pos: b.src.pos(at), Msg: fmt.Sprintf("position %s is not in the select list (1 to %d)", v.Val, len(items))}
		}
		return items[n-1].e, nil
	}
	if order {
		return b.expr(e, exprCtx{aggOK: true, aliasOK: true})
	}
	return b.columnFirst(e)
}

// columnFirst converts an expression where a bare name is a column if the
// table has one, and a select-list alias otherwise (GROUP BY, HAVING).
func (b *builder) columnFirst(e sqlparser.Expr) (expr.Expr, error) {
	saved := b.aliases
	shadowed := map[string]expr.Expr{}
	for name, x := range saved {
		if c, _ := b.tbl.Lookup(name); c == nil {
			shadowed[name] = x
		}
	}
	b.aliases = shadowed
	defer func() { b.aliases = saved }()
	return b.expr(e, exprCtx{aggOK: true, aliasOK: true})
}

// limitValue converts a LIMIT or OFFSET value: a non-negative integer or
// a placeholder.
func (b *builder) limitValue(e sqlparser.Expr) (expr.Expr, error) {
	v, ok := e.(*sqlparser.SQLVal)
	if ok && v.Type == sqlparser.ValArg {
		return b.param(string(v.Val))
	}
	if ok && v.Type == sqlparser.IntVal {
		x, err := b.literal(v)
		if err != nil {
			return nil, err
		}
		if _, isInt := x.(*expr.Const).Value.(int64); !isInt {
			return nil, &sqlerr.Error{Pos: b.src.pos(x.Offset()), Msg: fmt.Sprintf("LIMIT %s is too large", v.Val)}
		}
		return x, nil
	}
	at := b.loc.here()
	if x, err := b.expr(e, exprCtx{}); err == nil {
		at = x.Offset()
	}
	return nil, &sqlerr.Error{Pos: b.src.pos(at), Msg: "LIMIT and OFFSET take a non-negative integer or a placeholder"}
}

// checkKFuncPlacement makes sure Kintone functions stand only where
// Kintone can evaluate them: as the value a field is compared with (=, !=,
// <, <=, >, >=) or listed in IN.
func checkKFuncPlacement(src *source, where expr.Expr) error {
	allowed := map[*expr.KFunc]bool{}
	expr.Walk(where, func(e expr.Expr) bool {
		switch n := e.(type) {
		case *expr.Cmp:
			if n.Op == "<=>" {
				break
			}
			_, lc := n.L.(*expr.ColRef)
			_, rc := n.R.(*expr.ColRef)
			if k, ok := n.R.(*expr.KFunc); ok && lc {
				allowed[k] = true
			}
			if k, ok := n.L.(*expr.KFunc); ok && rc {
				allowed[k] = true
			}
		case *expr.In:
			if _, ok := n.X.(*expr.ColRef); ok {
				for _, item := range n.List {
					if k, ok := item.(*expr.KFunc); ok {
						allowed[k] = true
					}
				}
			}
		case *expr.Between:
			if _, ok := n.X.(*expr.ColRef); ok {
				for _, bound := range []expr.Expr{n.Lo, n.Hi} {
					if k, ok := bound.(*expr.KFunc); ok {
						allowed[k] = true
					}
				}
			}
		}
		return true
	})
	var bad *expr.KFunc
	expr.Walk(where, func(e expr.Expr) bool {
		if k, ok := e.(*expr.KFunc); ok && !allowed[k] {
			bad = k
		}
		return bad == nil
	})
	if bad != nil {
		return &sqlerr.UnsupportedError{Construct: expr.KFuncName(bad) + " here", Pos: src.pos(bad.At),
			Hint: "Kintone's query functions can only be compared with a field (=, !=, <, <=, >, >=, IN)"}
	}
	return nil
}

// exprText prints an expression for a column name, with ? for
// placeholders.
func exprText(e sqlparser.Expr) string {
	s := sqlparser.String(e)
	return placeholderName.ReplaceAllString(s, "?")
}

// placeholderName matches the parser's names for ? placeholders.
var placeholderName = regexp.MustCompile(`:v[0-9]+\b`)

// columnMeta describes the output column of expression e.
func columnMeta(e expr.Expr, name string) catalog.ResultColumn {
	switch n := e.(type) {
	case *expr.ColRef:
		return catalog.ResultColumn{Name: name, DatabaseType: n.Col.DBTypeName(), ScanType: n.Col.Kind.ScanType(), Nullable: n.Col.ReportedNullable(), Field: n.Col.Name}
	case *expr.Agg:
		switch n.Fn {
		case "count":
			return catalog.ResultColumn{Name: name, DatabaseType: "BIGINT", ScanType: catalog.TypeInt64}
		case "min", "max":
			if c, ok := n.Args[0].(*expr.ColRef); ok {
				return catalog.ResultColumn{Name: name, DatabaseType: c.Col.DBTypeName(), ScanType: c.Col.Kind.ScanType(), Nullable: true}
			}
		}
	case *expr.Const:
		k := n.Kind
		return catalog.ResultColumn{Name: name, DatabaseType: k.SQLType(), ScanType: k.ScanType(), Nullable: n.Value == nil}
	}
	k := expr.KindOf(e)
	return catalog.ResultColumn{Name: name, DatabaseType: k.SQLType(), ScanType: k.ScanType(), Nullable: true}
}

// group splits a grouped query into the grouping step (keys and
// aggregates evaluated on rows) and what follows it (select list, HAVING
// and ORDER BY evaluated on the group's slots).
func (t *selectTemplate) group(src *source) error {
	t.grouped = len(t.groupBy) > 0
	for _, it := range t.items {
		t.grouped = t.grouped || expr.HasAggregate(it.e)
	}
	for _, o := range t.order {
		t.grouped = t.grouped || expr.HasAggregate(o.e)
	}
	if t.having != nil {
		if !t.grouped && !expr.HasAggregate(t.having) {
			return nil // HAVING without grouping filters rows, like WHERE
		}
		t.grouped = true
	}
	if !t.grouped {
		return nil
	}
	keys := map[string]int{}
	for i, g := range t.groupBy {
		keys[expr.Key(g)] = i
	}
	aggSlots := map[string]int{}
	var lift func(e expr.Expr) (expr.Expr, error)
	lift = func(e expr.Expr) (expr.Expr, error) {
		if e == nil {
			return nil, nil
		}
		if i, ok := keys[expr.Key(e)]; ok {
			return &expr.Slot{Slot: i, Kind: expr.KindOf(e), At: e.Offset(), Of: e}, nil
		}
		switch n := e.(type) {
		case *expr.Agg:
			key := expr.Key(n)
			i, ok := aggSlots[key]
			if !ok {
				i = len(t.groupBy) + len(t.aggs)
				aggSlots[key] = i
				t.aggs = append(t.aggs, n)
			}
			return &expr.Slot{Slot: i, Kind: expr.KindOf(n), At: n.At, Of: n}, nil
		case *expr.ColRef:
			return nil, &sqlerr.Error{Pos: src.pos(n.At), Msg: fmt.Sprintf("column %q must appear in GROUP BY or be used in an aggregate", n.Col.Name)}
		}
		return expr.MapChildren(e, lift)
	}
	var err error
	for i := range t.items {
		if t.items[i].e, err = lift(t.items[i].e); err != nil {
			return err
		}
	}
	if t.having, err = lift(t.having); err != nil {
		return err
	}
	for i := range t.order {
		if t.order[i].e, err = lift(t.order[i].e); err != nil {
			return err
		}
	}
	return nil
}

// matchOrderToOutput records which ORDER BY keys are select items. With
// DISTINCT every key must be one: the rows are sorted after duplicates
// are dropped, so only output columns are left to sort on.
func (t *selectTemplate) matchOrderToOutput(src *source) error {
	for i := range t.order {
		key := expr.Key(t.order[i].e)
		for j, it := range t.items {
			if expr.Key(it.e) == key {
				t.order[i].output = j
				break
			}
		}
		if t.distinct && t.order[i].output < 0 {
			return &sqlerr.Error{Pos: src.pos(t.order[i].e.Offset()), Msg: "with SELECT DISTINCT, ORDER BY may only name columns of the select list"}
		}
	}
	return nil
}

// exprs returns the template's expressions (not LIMIT and OFFSET).
func (t *selectTemplate) exprs() []expr.Expr {
	out := []expr.Expr{t.where, t.having}
	for _, it := range t.items {
		out = append(out, it.e)
	}
	out = append(out, t.groupBy...)
	for _, a := range t.aggs {
		out = append(out, a)
	}
	for _, o := range t.order {
		out = append(out, o.e)
	}
	return out
}

// resolveTableName resolves a table the parser read, and returns with it
// the offset of its name (of its qualifier when it has one), where
// messages about the table point.
//
// The clause after the name is where the locator searches next (the
// column list of an INSERT, the SET of an UPDATE, the WHERE of a DELETE),
// so that a column named like its table is not found in the table's name.
func resolveTableName(ctx context.Context, src *source, loc *locator, schema catalog.Schema, opts Options, tn sqlparser.TableName) (*catalog.Table, int, error) {
	name, qual := tn.Name.String(), tn.Qualifier.String()
	at := loc.here()
	if i := loc.table(qual, name); i >= 0 {
		at = src.toks[i].pos
		loc.floor = i + 1
		if qual != "" {
			qual, name = loc.written(i, qual), loc.written(i+2, name)
			loc.floor = i + 3
		} else {
			name = loc.written(i, name)
		}
	}
	tbl, err := catalog.ResolveTable(ctx, schema, qual, name, src.pos(at), opts.Database)
	return tbl, at, err
}
