package optimize

import (
	"context"
	"fmt"
	"time"

	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/internal/scan"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// Env is what the optimizer needs besides the tree.
type Env struct {
	// Schema gives the rows of metadata tables.
	Schema catalog.Schema
	// Location is the time zone values are compared in.
	Location *time.Location
	// PageSize is the records per page of a paged read.
	PageSize int
	// Cursor is the DSN's useCursor.
	Cursor CursorMode
	// MaxBuffered caps the rows a read sorted in Go holds.
	MaxBuffered int
	// WriteTargets marks the read of the records an UPDATE or DELETE
	// writes (ChooseRead's ReadShape.WriteTargets).
	WriteTargets bool
	// Pos turns an offset in the SQL text into a position, for errors.
	Pos func(offset int) sqlerr.Position
}

// Result is an optimized plan: the tree that runs, its leaf a
// KintoneRead, a Metadata table or Nothing, and the read the driver
// performs for a KintoneRead (nil otherwise).
type Result struct {
	// Root is the plan tree, every column reference resolved.
	Root plan.Node
	// Read is what Kintone is asked.
	Read *scan.Spec
}

// query is the tree of a single-table SELECT taken apart: the nodes the
// binder builds, from the Scan up (see translate's logical plan).
type query struct {
	scan      *plan.Scan    // the table read, or
	join      *plan.Join    // the tables joined, or
	derived   *plan.Derived // a subquery in FROM
	where     expr.Expr     // a Filter right above the Scan
	rowFilter expr.Expr     // HAVING without grouping
	agg       *plan.Aggregate
	having    expr.Expr    // HAVING after grouping
	window    *plan.Window // window functions, computed before the select list
	project   *plan.Project
	distinct  bool
	order     []plan.Order
	limit     int64 // -1: none
	offset    int64
}

// analyze takes root apart; it fails on a shape it does not know (a
// planner's mistake).
func analyze(root plan.Node) (*query, error) {
	q := &query{limit: -1}
	n := root
	if l, ok := n.(*plan.Limit); ok {
		q.limit, q.offset, n = l.Count, l.Offset, l.Input
	}
	if s, ok := n.(*plan.Sort); ok {
		q.order, n = s.Keys, s.Input
	}
	if d, ok := n.(*plan.Distinct); ok {
		q.distinct, n = true, d.Input
	}
	p, ok := n.(*plan.Project)
	if !ok {
		return nil, fmt.Errorf("kintone: internal error: a plan of %T, not a projection, under its sort and limit", n)
	}
	q.project, n = p, p.Input
	if w, ok := n.(*plan.Window); ok {
		q.window, n = w, w.Input
	}
	if f, ok := n.(*plan.Filter); ok && f.Having {
		if a, ok := f.Input.(*plan.Aggregate); ok {
			q.having, q.agg, n = f.Cond, a, a.Input
		}
	}
	if a, ok := n.(*plan.Aggregate); ok && q.agg == nil {
		q.agg, n = a, a.Input
	}
	if f, ok := n.(*plan.Filter); ok && f.Having && q.agg == nil {
		q.rowFilter, n = f.Cond, f.Input
	}
	if f, ok := n.(*plan.Filter); ok && !f.Having {
		q.where, n = f.Cond, f.Input
	}
	switch s := n.(type) {
	case *plan.Scan:
		q.scan = s
	case *plan.Join:
		q.join = s
	case *plan.Derived:
		q.derived = s
	default:
		return nil, fmt.Errorf("kintone: internal error: a plan reading %T, not a table", n)
	}
	return q, nil
}

// Optimize decides what Kintone does of a single-table SELECT as the
// binder built it (Scan, Filter, Aggregate, Filter, Project, Distinct,
// Sort, Limit) and returns the tree Go runs over what Kintone returns.
//
// The condition is split (SplitWhere): what Kintone evaluates with SQL's
// meaning goes into the read's query, the rest stays a Filter. A
// condition that can never hold, or LIMIT 0, reads Nothing. ORDER BY goes
// to Kintone when every key sorts there as in SQL (SortsLikeSQL), with a
// CheckOrder where Kintone's place for empty values is not documented;
// ORDER BY a drop-down or radio button with a LIMIT reads each option in
// turn (optionorder.go); a bare COUNT is Kintone's totalCount; the rest of
// the read is ChooseRead's.
func Optimize(ctx context.Context, root plan.Node, env Env) (*Result, error) {
	if sq, ok := root.(*plan.Subqueries); ok {
		return optimizeSubqueries(ctx, sq, env)
	}
	if set, sort, limit := setQuery(root); set != nil {
		return optimizeSet(ctx, set, sort, limit, env)
	}
	q, err := analyze(root)
	if err != nil {
		return nil, err
	}
	if q.join != nil {
		return optimizeJoin(ctx, q, env)
	}
	if q.derived != nil {
		return optimizeDerived(ctx, q, env)
	}
	tbl := q.scan.Table
	g := &goSide{query: q, table: tbl, loc: env.Location, goLimit: true, hold: env.MaxBuffered}
	if tbl.Virtual != nil {
		rows, err := tbl.Virtual.Rows(ctx, env.Schema)
		if err != nil {
			return nil, err
		}
		g.virtual, g.residual, g.sortInGo = rows, q.where, len(q.order) > 0
		return g.result(nil)
	}

	pu := &Pusher{Table: tbl, Loc: env.Location}
	sp := pu.SplitWhere(q.where)
	if k := expr.FindKFunc(sp.Residual); k != nil {
		return nil, &sqlerr.UnsupportedError{Construct: expr.KFuncName(k) + " in a condition evaluated outside Kintone", Pos: env.Pos(k.At),
			Hint: "Kintone's functions are evaluated by Kintone only; here the condition is combined (by OR, or on a subtable field) with one Kintone cannot evaluate"}
	}
	g.residual = sp.Residual
	if tbl.IsChild() {
		g.child = tbl.Sub.Code
		g.parentCols = []string{catalog.ColID, tbl.Sub.Code}
	}
	if sp.Never || q.limit == 0 {
		g.empty, g.sortInGo = true, len(q.order) > 0
		return g.result(nil)
	}

	loc := env.Location
	read := &scan.Spec{App: tbl.App.ID, PageSize: env.PageSize, Location: loc, Props: tbl.App.Fields,
		UpdateTime: updateTimeField(tbl.App), MaxBuffered: env.MaxBuffered, NoCursor: env.Cursor == CursorNever,
		Compare: func(a, b any) (int, error) { return expr.CompareNullsFirst(a, b, loc) }, Describe: expr.DescribeKeys}
	if (g.residual != nil || g.rowFilter != nil) && !hasSubquery(g.residual) && !hasSubquery(g.rowFilter) {
		// The change check leaves out what Go would; a condition that
		// runs a correlated subquery is not evaluated there (every
		// changed record then counts, which is safe).
		read.Filter = g.keeps
	}

	// ORDER BY an option field: a read per option (optionorder.go).
	if res, ok, err := g.optionOrder(env, sp.Query, read); ok || err != nil {
		return res, err
	}

	// ORDER BY: pushed when every key sorts the same way in Kintone.
	var keys []kql.OrderKey
	orderPushed := q.agg == nil && q.window == nil && len(q.order) > 0
	for _, o := range q.order {
		c, ok := o.Expr.(*expr.ColRef)
		if !ok || !SortsLikeSQL(c.Col, tbl.IsChild()) || o.NullsMoved() {
			// NULLS FIRST or LAST against the direction: Kintone puts
			// empty values first ascending, last descending.
			orderPushed = false
			break
		}
		keys = append(keys, kql.OrderKey{Field: c.Col.Code, Desc: o.Desc, Explicit: true})
	}
	if !orderPushed {
		keys = nil
		g.sortInGo = len(q.order) > 0
	}

	if g.isCount() {
		one := int64(1)
		read.Strategy = scan.Count
		read.Query = &kql.Query{Where: sp.Query, Limit: &one}
		read.Fields = []string{catalog.ColID}
		g.count = true
		return g.result(read)
	}

	limit, offset := q.limit, q.offset
	if q.window != nil {
		// A window sees every row: no LIMIT reaches Kintone.
		limit, offset = -1, 0
	}
	ch := ChooseRead(ReadShape{
		Where: sp.Query, Keys: keys, SortInGo: g.sortInGo,
		GoWork: g.residual != nil || g.rowFilter != nil || q.agg != nil || q.window != nil || q.distinct || g.child != "",
		Limit:  limit, Offset: offset, KeysetExact: keysetExact(q.order), WriteTargets: env.WriteTargets,
		Cursor: env.Cursor, HasUpdateTime: read.UpdateTime != "",
	})
	read.Strategy, read.Query = ch.Strategy, ch.Query
	read.Desc, read.Unordered, read.Parallel, read.CursorFallback = ch.Desc, ch.Unordered, ch.Parallel, ch.CursorFallback
	read.Offset, read.MaxRecords = ch.Offset, ch.MaxRecords
	g.goLimit = ch.GoLimit || q.window != nil
	if limit >= 0 && read.MaxRecords == 0 && q.agg == nil && !ch.SortInGo && !g.sortInGo {
		// A LIMIT applied in Go to the records as they come (after a
		// condition Go checks) may end the read after any page, however
		// many records match: the pages a leap read asks for ahead, several
		// at once, would be wasted. It reads page after page.
		read.Parallel = false
	}
	if ch.SortInGo && !g.sortInGo {
		// Read by $id and sorted in Go instead of by cursor.
		g.sortInGo, orderPushed = true, false
	}
	if orderPushed {
		for _, o := range q.order {
			if c := o.Expr.(*expr.ColRef); c.Col.Nullable {
				g.checkOrder = q.order
				break
			}
		}
	}
	read.Fields = g.neededFields(tbl, read.Strategy)
	return g.result(read)
}

// hasSubquery reports whether e holds a subquery.
func hasSubquery(e expr.Expr) bool {
	found := false
	expr.Walk(e, func(x expr.Expr) bool {
		if _, ok := x.(*expr.Subquery); ok {
			found = true
		}
		return !found
	})
	return found
}

// exprs lists the expressions the query evaluates above its table or
// joins: the select list, the window functions, the grouping and its
// aggregates, a non-grouping HAVING and the sort keys (nil ones
// included). Reads and joins ask it which columns they must return.
func (q *query) exprs() []expr.Expr {
	out := append([]expr.Expr{q.rowFilter}, q.project.Items...)
	if q.window != nil {
		for _, f := range q.window.Funcs {
			out = append(out, f)
		}
	}
	if q.agg != nil {
		out = append(out, q.agg.GroupBy...)
		for _, a := range q.agg.Aggs {
			out = append(out, a)
		}
	}
	for _, o := range q.order {
		out = append(out, o.Expr)
	}
	return out
}

// optimizeRoot optimizes n and returns the tree that runs (the read is
// in its KintoneRead leaf): the plan of a join's side, a derived table or
// a subquery.
func optimizeRoot(ctx context.Context, n plan.Node, env Env) (plan.Node, error) {
	res, err := Optimize(ctx, n, env)
	if err != nil {
		return nil, err
	}
	return res.Root, nil
}
