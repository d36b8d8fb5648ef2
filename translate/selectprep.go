package translate

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
// order, with placeholders left to Bind.

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
func prepareSelect(ctx context.Context, src *source, schema catalog.Schema, opts Options, sel *parse.Select) (*selectTemplate, error) {
	tbl, err := fromClause(ctx, src, schema, opts, sel.From)
	if err != nil {
		return nil, err
	}
	b := &builder{src: src, tbl: tbl, aliases: map[string]expr.Expr{}}
	t := &selectTemplate{tbl: tbl, distinct: sel.Distinct}
	for _, si := range sel.Items {
		if star, ok := si.Expr.(*parse.Star); ok {
			if star.Table != nil {
				if q := tableText(*star.Table); !b.tableNamed(q) {
					return nil, &sqlerr.Error{Pos: src.pos(star.Table.Pos()), Msg: fmt.Sprintf("unknown table %q in %s.*", sqlerr.Abbrev(q), sqlerr.Abbrev(q))}
				}
			}
			for _, c := range tbl.Cols {
				ref := &expr.ColRef{Col: c, At: -1}
				t.items = append(t.items, item{e: ref, name: c.Name, meta: columnMeta(ref, c.Name)})
			}
			continue
		}
		e, err := b.expr(si.Expr, exprCtx{aggOK: true})
		if err != nil {
			return nil, err
		}
		name := itemName(si)
		if si.Alias != nil && si.Alias.Name != "" {
			b.aliases[strings.ToLower(name)] = e
		}
		t.items = append(t.items, item{e: e, name: name, meta: columnMeta(e, name)})
	}
	if sel.Where != nil {
		if t.where, err = b.expr(sel.Where, exprCtx{where: true}); err != nil {
			return nil, err
		}
		if err := checkKFuncPlacement(src, t.where); err != nil {
			return nil, err
		}
	}
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
	if sel.Having != nil {
		if t.having, err = b.columnFirst(sel.Having); err != nil {
			return nil, err
		}
	}
	for _, o := range sel.OrderBy {
		if isNullLiteral(o.Expr) {
			continue // ORDER BY NULL: no order, as in MySQL
		}
		e, err := b.groupOrOrderKey(o.Expr, t.items, true)
		if err != nil {
			return nil, err
		}
		if k := expr.KindOf(e); unorderable(k) {
			return nil, &sqlerr.Error{Pos: src.pos(e.Offset()), Msg: fmt.Sprintf("cannot sort by a %s", k)}
		}
		t.order = append(t.order, orderItem{e: e, desc: o.Dir == "DESC", output: -1})
	}
	if sel.Limit != nil {
		if t.limit, err = b.limitValue(sel.Limit.Count); err != nil {
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

// isNullLiteral reports whether e is the literal NULL.
func isNullLiteral(e parse.Expr) bool {
	lit, ok := e.(*parse.Literal)
	return ok && lit.Kind == parse.LitNull
}

// fromClause resolves the FROM clause: no table (DUAL) or exactly one;
// joins, derived tables and the rest are refused before (refuse.go).
func fromClause(ctx context.Context, src *source, schema catalog.Schema, opts Options, from []parse.TableExpr) (*catalog.Table, error) {
	if len(from) == 0 {
		return catalog.ResolveTable(ctx, schema, "", "dual", src.pos(0), opts.Database)
	}
	ref, ok := from[0].(*parse.TableRef)
	if !ok {
		return nil, &sqlerr.UnsupportedError{Construct: "table expression", Pos: src.pos(from[0].Pos())}
	}
	tbl, err := resolveTableName(ctx, src, schema, opts, ref.Name)
	if err != nil {
		return nil, err
	}
	if ref.Alias != nil {
		tbl.Alias = ref.Alias.Name
	}
	return tbl, nil
}

// groupOrOrderKey resolves a GROUP BY or ORDER BY key: a position in the
// select list (1-based), a select-list alias, or an expression. ORDER BY
// looks at aliases before columns, GROUP BY at columns first (MySQL).
func (b *builder) groupOrOrderKey(e parse.Expr, items []item, order bool) (expr.Expr, error) {
	if v, ok := e.(*parse.Literal); ok && v.Kind == parse.LitInt {
		n, err := strconv.Atoi(v.Value)
		if err != nil || n < 1 || n > len(items) {
			return nil, &sqlerr.Error{Pos: b.src.pos(v.Pos()), Msg: fmt.Sprintf("position %s is not in the select list (1 to %d)", sqlerr.Abbrev(v.Value), len(items))}
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
func (b *builder) columnFirst(e parse.Expr) (expr.Expr, error) {
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

// limitValue converts a LIMIT or OFFSET value: an integer (a negative
// one is refused when bound) or a placeholder.
func (b *builder) limitValue(e parse.Expr) (expr.Expr, error) {
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
		x, err := b.expr(e, exprCtx{})
		if err != nil {
			return nil, err
		}
		if _, isInt := x.(*expr.Const).Value.(int64); !isInt {
			return nil, &sqlerr.Error{Pos: b.src.pos(e.Pos()), Msg: fmt.Sprintf("LIMIT %s is too large", sqlerr.Abbrev(b.src.sql[e.Pos():e.End()]))}
		}
		return x, nil
	}
	return nil, &sqlerr.Error{Pos: b.src.pos(e.Pos()), Msg: "LIMIT and OFFSET take a non-negative integer or a placeholder"}
}

// isParam reports whether e is a placeholder.
func isParam(e parse.Expr) bool { _, ok := e.(*parse.Param); return ok }

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

// resolveTableName resolves a table the parser read, whose messages point
// at its name (at its qualifier when it has one).
func resolveTableName(ctx context.Context, src *source, schema catalog.Schema, opts Options, tn parse.TableName) (*catalog.Table, error) {
	return catalog.ResolveTable(ctx, schema, tn.Qualifier.Name, tn.Name.Name, src.pos(tn.Pos()), opts.Database)
}
