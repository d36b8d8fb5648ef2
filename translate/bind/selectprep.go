package bind

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/parse"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// This file resolves a SELECT into its template: the table, the select
// list with the result columns' names, the WHERE, the grouping and the
// Order, with placeholders left to Bind.

// SelectTemplate is a resolved SELECT (or a SHOW, which becomes one),
// before its arguments are bound.
type SelectTemplate struct {
	// From is what the statement reads; Table is its table when it reads
	// one (nil for a join).
	From     From
	Table    *catalog.Table
	Items    []Item
	Where    expr.Expr
	Having   expr.Expr // a row filter when !grouped
	Grouped  bool
	GroupBy  []expr.Expr // group keys, evaluated on rows
	Aggs     []*expr.Agg // aggregates, evaluated on rows
	Order    []OrderItem
	Distinct bool
	Limit    expr.Expr // *constExpr or *paramExpr, nil when absent
	Offset   expr.Expr
	// Subs are the subqueries of the expressions (expr.Subquery.Index).
	Subs []*SubTemplate
	// Set is set for a set operation: Items, Order, Limit and Offset are
	// then over its output, and the rest is unused.
	Set *SetTemplate
	// Windows are the window functions of the select list and ORDER BY
	// (expr.WindowFunc.Index), as the grouping left them.
	Windows []*expr.WindowFunc
}

// Item is one output column.
type Item struct {
	Expr   expr.Expr
	Name   string
	Column catalog.ResultColumn
}

// OrderItem is one ORDER BY key.
type OrderItem struct {
	Expr expr.Expr
	Desc bool
	// Nulls is "FIRST" or "LAST" when written (NULLS FIRST, NULLS LAST).
	Nulls string
	// Output is the index of the select item the key equals, or -1.
	Output int
}

// PrepareSelect resolves a SELECT.
func PrepareSelect(ctx context.Context, src *Text, schema catalog.Schema, opts Options, sel *parse.Select) (*SelectTemplate, error) {
	return prepareSelect(&Builder{Text: src, ctx: ctx, schema: schema, opts: opts}, sel)
}

// PrepareQuery resolves a query: a SELECT (or one in parentheses). outer
// is the query a subquery stands in, whose columns it may name (nil for
// a statement or a derived table).
func PrepareQuery(ctx context.Context, src *Text, schema catalog.Schema, opts Options, q parse.Query, outer *Builder) (*SelectTemplate, error) {
	return prepareQueryWith(&Builder{Text: src, outer: outer, ctx: ctx, schema: schema, opts: opts}, q)
}

// prepareQueryWith resolves a query with the builder b (its Text, outer
// query, context, schema and options set).
func prepareQueryWith(b *Builder, q parse.Query) (*SelectTemplate, error) {
	switch n := q.(type) {
	case *parse.Select:
		return prepareSelect(b, n)
	case *parse.ParenQuery:
		if n.OrderBy == nil && n.Limit == nil {
			return prepareQueryWith(b, n.Query)
		}
		return prepareSet(b, n.Query, nil, "", false, n.Pos(), n.OrderBy, n.Limit)
	case *parse.SetOp:
		return prepareSet(b, n.L, n.R, n.Op, n.All, n.OpPos, n.OrderBy, n.Limit)
	case *parse.With:
		return b.with(n)
	}
	return nil, &sqlerr.UnsupportedError{Construct: "this query", Pos: b.Text.Pos(q.Pos())}
}

// prepareSelect resolves a SELECT with b, whose outer query's names it may
// also reach.
func prepareSelect(b *Builder, sel *parse.Select) (*SelectTemplate, error) {
	ctx, src, schema, opts := b.ctx, b.Text, b.schema, b.opts
	from, sc, err := (&fromResolver{ctx: ctx, src: src, schema: schema, opts: opts, ctes: b.ctes, owner: b}).from(sel.From)
	if err != nil {
		return nil, err
	}
	var tbl *catalog.Table
	if ft, ok := from.(*FromTable); ok {
		tbl = ft.Table
	}
	b.Table, b.scope, b.aliases = tbl, sc, map[string]expr.Expr{}
	t := &SelectTemplate{From: from, Table: tbl, Distinct: sel.Distinct}
	for _, si := range sel.Items {
		if star, ok := si.Expr.(*parse.Star); ok {
			q := ""
			if star.Table != nil {
				q = TableText(*star.Table)
			}
			items, names, ok := sc.star(q)
			if !ok {
				return nil, &sqlerr.Error{Pos: src.Pos(star.Table.Pos()), Msg: fmt.Sprintf("unknown table %q in %s.* (the statement reads %s)", sqlerr.Abbrev(q), sqlerr.Abbrev(q), sc.names())}
			}
			for i, e := range items {
				t.Items = append(t.Items, Item{Expr: e, Name: names[i], Column: sc.columnMeta(e, names[i])})
			}
			continue
		}
		e, err := b.Expr(si.Expr, ExprCtx{aggOK: true, winOK: true})
		if err != nil {
			return nil, err
		}
		name := itemName(si)
		if si.Alias != nil && si.Alias.Name != "" {
			b.aliases[strings.ToLower(name)] = e
		}
		t.Items = append(t.Items, Item{Expr: e, Name: name, Column: sc.columnMeta(e, name)})
	}
	if sel.Where != nil {
		if t.Where, err = b.Expr(sel.Where, ExprCtx{Where: true}); err != nil {
			return nil, err
		}
		if err := CheckKFuncPlacement(src, t.Where); err != nil {
			return nil, err
		}
	}
	for _, g := range sel.GroupBy {
		e, err := b.groupOrOrderKey(g, t.Items, false)
		if err != nil {
			return nil, err
		}
		if expr.HasAggregate(e) {
			return nil, &sqlerr.Error{Pos: src.Pos(e.Offset()), Msg: "GROUP BY cannot use an aggregate"}
		}
		t.GroupBy = append(t.GroupBy, e)
	}
	if sel.Having != nil {
		if t.Having, err = b.columnFirst(sel.Having); err != nil {
			return nil, err
		}
	}
	for _, o := range sel.OrderBy {
		if IsNullLiteral(o.Expr) {
			continue // ORDER BY NULL: no order, as in MySQL
		}
		e, err := b.groupOrOrderKey(o.Expr, t.Items, true)
		if err != nil {
			return nil, err
		}
		if k := expr.KindOf(e); Unorderable(k) {
			return nil, &sqlerr.Error{Pos: src.Pos(e.Offset()), Msg: fmt.Sprintf("cannot sort by a %s", k)}
		}
		t.Order = append(t.Order, OrderItem{Expr: e, Desc: o.Dir == "DESC", Nulls: o.Nulls, Output: -1})
	}
	if sel.Limit != nil {
		if t.Limit, err = b.LimitValue(sel.Limit.Count); err != nil {
			return nil, err
		}
		if sel.Limit.Offset != nil {
			if t.Offset, err = b.LimitValue(sel.Limit.Offset); err != nil {
				return nil, err
			}
		}
	}
	if err := t.Group(src); err != nil {
		return nil, err
	}
	if err := t.MatchOrderToOutput(src); err != nil {
		return nil, err
	}
	t.Subs = b.subs
	var exprs []expr.Expr
	for _, it := range t.Items {
		exprs = append(exprs, it.Expr)
	}
	for _, o := range t.Order {
		exprs = append(exprs, o.Expr)
	}
	t.Windows = windowsOf(exprs...)
	return t, nil
}

// IsNullLiteral reports whether e is the literal NULL.
func IsNullLiteral(e parse.Expr) bool {
	lit, ok := e.(*parse.Literal)
	return ok && lit.Kind == parse.LitNull
}

// FromClause resolves the FROM clause of a statement that reads one
// table: no table (DUAL) or exactly one.
func FromClause(ctx context.Context, src *Text, schema catalog.Schema, opts Options, from []parse.TableExpr) (*catalog.Table, error) {
	f, _, err := resolveFrom(ctx, src, schema, opts, from)
	if err != nil {
		return nil, err
	}
	ft, ok := f.(*FromTable)
	if !ok {
		return nil, &sqlerr.UnsupportedError{Construct: "join", Pos: src.Pos(f.(*FromJoin).At)}
	}
	return ft.Table, nil
}

// columnMeta describes the output column of e: a column of a table an
// outer join may not match is nullable whatever its field.
func (s *scope) columnMeta(e expr.Expr, name string) catalog.ResultColumn {
	rc := ColumnMeta(e, name)
	if c, ok := e.(*expr.ColRef); ok && s.nullable(c.Col) {
		rc.Nullable = true
	}
	return rc
}

// groupOrOrderKey resolves a GROUP BY or ORDER BY key: a position in the
// select list (1-based), a select-list alias, or an expression. ORDER BY
// looks at aliases before columns, GROUP BY at columns first (MySQL).
func (b *Builder) groupOrOrderKey(e parse.Expr, items []Item, order bool) (expr.Expr, error) {
	if v, ok := e.(*parse.Literal); ok && v.Kind == parse.LitInt {
		n, err := strconv.Atoi(v.Value)
		if err != nil || n < 1 || n > len(items) {
			return nil, &sqlerr.Error{Pos: b.Text.Pos(v.Pos()), Msg: fmt.Sprintf("position %s is not in the select list (1 to %d)", sqlerr.Abbrev(v.Value), len(items))}
		}
		return items[n-1].Expr, nil
	}
	if order {
		return b.Expr(e, ExprCtx{aggOK: true, aliasOK: true, winOK: true})
	}
	return b.columnFirst(e)
}

// columnFirst converts an expression where a bare name is a column if the
// Table has one, and a select-list alias otherwise (GROUP BY, HAVING).
func (b *Builder) columnFirst(e parse.Expr) (expr.Expr, error) {
	saved := b.aliases
	shadowed := map[string]expr.Expr{}
	for name, x := range saved {
		if c, _, _ := b.scopeOf().lookup(name); c == nil {
			shadowed[name] = x
		}
	}
	b.aliases = shadowed
	defer func() { b.aliases = saved }()
	return b.Expr(e, ExprCtx{aggOK: true, aliasOK: true})
}

// LimitValue converts a LIMIT or OFFSET value: an integer (a negative
// one is refused when bound) or a placeholder.
func (b *Builder) LimitValue(e parse.Expr) (expr.Expr, error) {
	lit, _ := e.(*parse.Literal)
	neg := false
	if u, ok := e.(*parse.Unary); ok && u.Op == "-" {
		lit, _ = u.X.(*parse.Literal)
		neg = true
	}
	switch {
	case !neg && isParam(e):
		return b.param(e.(*parse.Param)), nil
	case lit != nil && lit.Kind == parse.LitInt:
		x, err := b.Expr(e, ExprCtx{})
		if err != nil {
			return nil, err
		}
		if _, isInt := x.(*expr.Const).Value.(int64); !isInt {
			return nil, &sqlerr.Error{Pos: b.Text.Pos(e.Pos()), Msg: fmt.Sprintf("LIMIT %s is too large", sqlerr.Abbrev(b.Text.SQL[e.Pos():e.End()]))}
		}
		return x, nil
	}
	return nil, &sqlerr.Error{Pos: b.Text.Pos(e.Pos()), Msg: "LIMIT and OFFSET take a non-negative integer or a placeholder"}
}

// isParam reports whether e is a placeholder.
func isParam(e parse.Expr) bool { _, ok := e.(*parse.Param); return ok }

// CheckKFuncPlacement makes sure Kintone functions stand only where
// Kintone can evaluate them: as the value a field is compared with (=, !=,
// <, <=, >, >=) or listed in IN.
func CheckKFuncPlacement(src *Text, where expr.Expr) error {
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
		return &sqlerr.UnsupportedError{Construct: expr.KFuncName(bad) + " here", Pos: src.Pos(bad.At),
			Hint: "Kintone's query functions can only be compared with a field (=, !=, <, <=, >, >=, IN)"}
	}
	return nil
}

// ColumnMeta describes the output column of expression e.
func ColumnMeta(e expr.Expr, name string) catalog.ResultColumn {
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

// Group splits a grouped query into the grouping step (keys and
// aggregates evaluated on rows) and what follows it (select list, HAVING
// and ORDER BY evaluated on the group's slots).
func (t *SelectTemplate) Group(src *Text) error {
	t.Grouped = len(t.GroupBy) > 0
	for _, it := range t.Items {
		t.Grouped = t.Grouped || expr.HasAggregate(it.Expr)
	}
	for _, o := range t.Order {
		t.Grouped = t.Grouped || expr.HasAggregate(o.Expr)
	}
	if t.Having != nil {
		if !t.Grouped && !expr.HasAggregate(t.Having) {
			return nil // HAVING without grouping filters rows, like WHERE
		}
		t.Grouped = true
	}
	if !t.Grouped {
		return nil
	}
	keys := map[string]int{}
	for i, g := range t.GroupBy {
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
				i = len(t.GroupBy) + len(t.Aggs)
				aggSlots[key] = i
				t.Aggs = append(t.Aggs, n)
			}
			return &expr.Slot{Slot: i, Kind: expr.KindOf(n), At: n.At, Of: n}, nil
		case *expr.ColRef:
			return nil, &sqlerr.Error{Pos: src.Pos(n.At), Msg: fmt.Sprintf("column %q must appear in GROUP BY or be used in an aggregate", n.Col.Name)}
		}
		return expr.MapChildren(e, lift)
	}
	var err error
	for i := range t.Items {
		if t.Items[i].Expr, err = lift(t.Items[i].Expr); err != nil {
			return err
		}
	}
	if t.Having, err = lift(t.Having); err != nil {
		return err
	}
	for i := range t.Order {
		if t.Order[i].Expr, err = lift(t.Order[i].Expr); err != nil {
			return err
		}
	}
	return nil
}

// MatchOrderToOutput records which ORDER BY keys are select items. With
// DISTINCT every key must be one: the rows are sorted after duplicates
// are dropped, so only output columns are left to sort on.
func (t *SelectTemplate) MatchOrderToOutput(src *Text) error {
	for i := range t.Order {
		key := expr.Key(t.Order[i].Expr)
		for j, it := range t.Items {
			if expr.Key(it.Expr) == key {
				t.Order[i].Output = j
				break
			}
		}
		if t.Distinct && t.Order[i].Output < 0 {
			return &sqlerr.Error{Pos: src.Pos(t.Order[i].Expr.Offset()), Msg: "with SELECT DISTINCT, ORDER BY may only name columns of the select list"}
		}
	}
	return nil
}

// Exprs returns the template's expressions (not LIMIT and OFFSET).
func (t *SelectTemplate) Exprs() []expr.Expr {
	out := []expr.Expr{t.Where, t.Having}
	for _, it := range t.Items {
		out = append(out, it.Expr)
	}
	out = append(out, t.GroupBy...)
	for _, a := range t.Aggs {
		out = append(out, a)
	}
	for _, o := range t.Order {
		out = append(out, o.Expr)
	}
	return out
}

// ResolveTableName resolves a table the parser read, whose messages point
// at its name (at its qualifier when it has one).
func ResolveTableName(ctx context.Context, src *Text, schema catalog.Schema, opts Options, tn parse.TableName) (*catalog.Table, error) {
	return catalog.ResolveTable(ctx, schema, tn.Qualifier.Name, tn.Name.Name, src.Pos(tn.Pos()), opts.Database)
}
