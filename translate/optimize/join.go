package optimize

import (
	"context"

	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// This file plans a SELECT over joined tables. Each table becomes a side
// planned as a single-table SELECT of the columns the statement needs,
// with the conditions that concern that table alone: Kintone evaluates
// what it can of them (Optimize), exactly as for one table. The joins
// combine the sides in Go (package exec); what is left of WHERE, the
// grouping, the select list, ORDER BY and LIMIT run over the joined rows.
//
// A condition goes down to a side when that does not change the answer:
// a WHERE conjunct of one table goes into that table's side unless the
// table is on the side of an outer join that may have no match (where
// the conjunct must see the NULLs the join adds); an ON conjunct goes into
// the side that may have no match (the right of a LEFT JOIN), never into
// the preserved one. A WHERE conjunct that rejects the NULLs an outer
// join adds turns it into an inner join first (a LEFT JOIN whose WHERE
// says b.x = 5 is an inner join), so that it can go down.

// DefaultJoinHold is the most rows a join holds in memory when
// Env.MaxBuffered is 0: the rows of the side it hashes.
const DefaultJoinHold = 500_000

// LookupBatch is the most keys one key-lookup query lists, and
// LookupChars the most characters of quoted values. Kintone documents no
// limit on a query's length; 500 matches a page of records and the
// change check's $id in (...) queries, and the request goes as POST with
// X-HTTP-Method-Override: GET once its URL passes 4,096 characters, as
// @kintone/rest-api-client does (unconfirmed: the longest query Kintone
// accepts).
const (
	LookupBatch = 500
	LookupChars = 16_000
)

// optimizeJoin plans a SELECT whose FROM joins tables.
func optimizeJoin(ctx context.Context, q *query, env Env) (*Result, error) {
	root := build(q.join)
	le := &locEnv{env: env}
	above := root.place(expr.Conjuncts(q.where), le)
	root = reassociate(root)
	if err := kfuncsInGo(root, above, env); err != nil {
		return nil, err
	}
	need := q.neededColumns(root, above)
	limitPreserved(q, root, above)
	hold := env.MaxBuffered
	if hold <= 0 {
		hold = DefaultJoinHold
	}
	jp := &joinPlanner{ctx: ctx, env: env, need: need, hold: hold, limits: map[*catalog.Table]*jnode{}}
	var mark func(j *jnode)
	mark = func(j *jnode) {
		switch {
		case j.table != nil && j.limit >= 0:
			jp.limits[j.table] = j
		case j.table == nil:
			mark(j.l)
			mark(j.r)
		}
	}
	mark(root)
	n, cols, err := jp.plan(root)
	if err != nil {
		return nil, err
	}
	g := &goSide{query: q, loc: env.Location, goLimit: true, sortInGo: len(q.order) > 0, residual: expr.And(above), hold: env.MaxBuffered}
	out, err := g.above(n, nil, cols)
	if err != nil {
		return nil, err
	}
	return &Result{Root: out}, nil
}

// kfuncsInGo refuses a Kintone function in a condition that stays in Go:
// one that compares columns of two tables, or that an outer join keeps
// above itself. Only Kintone evaluates them.
func kfuncsInGo(root *jnode, above []expr.Expr, env Env) error {
	conds := append([]expr.Expr(nil), above...)
	var walk func(j *jnode)
	walk = func(j *jnode) {
		if j.table == nil {
			conds = append(conds, j.on...)
			walk(j.l)
			walk(j.r)
		}
	}
	walk(root)
	for _, c := range conds {
		if k := expr.FindKFunc(c); k != nil {
			return &sqlerr.UnsupportedError{Construct: expr.KFuncName(k) + " in a condition evaluated outside Kintone", Pos: env.Pos(k.At),
				Hint: "Kintone's functions are evaluated by Kintone only; here the condition reads two tables of the join, or the NULLs an outer join adds"}
		}
	}
	return nil
}

// neededColumns lists every column the statement reads above the sides:
// the select list, the grouping, the order, HAVING, and the conditions
// the joins and the filter above them evaluate.
func (q *query) neededColumns(root *jnode, above []expr.Expr) map[*catalog.Column]bool {
	need := map[*catalog.Column]bool{}
	note := func(e expr.Expr) {
		for _, c := range refs(e) {
			need[c] = true
		}
	}
	for _, e := range q.exprs() {
		note(e)
	}
	for _, e := range above {
		note(e)
	}
	var walk func(j *jnode)
	walk = func(j *jnode) {
		if j.table != nil {
			return
		}
		for _, e := range j.on {
			note(e)
		}
		walk(j.l)
		walk(j.r)
	}
	walk(root)
	return need
}

// joinPlanner turns the placed jnodes into the plan: each table a side
// planned by Optimize, each join a plan.Join.
type joinPlanner struct {
	// limits are the LIMITs (and orders) of the tables that have one
	// (limitPreserved).
	limits map[*catalog.Table]*jnode
	ctx    context.Context
	env    Env
	need   map[*catalog.Column]bool
	hold   int
}

// plan returns the plan of j and the columns of its rows.
func (jp *joinPlanner) plan(j *jnode) (plan.Node, []*catalog.Column, error) {
	if j.derived != nil {
		return jp.derivedSide(j)
	}
	if j.table != nil {
		return jp.side(j.table, j.conds, nil)
	}
	if n, cols, ok, err := jp.parentChild(j); ok || err != nil {
		return n, cols, err
	}
	ln, lc, err := jp.plan(j.l)
	if err != nil {
		return nil, nil, err
	}
	rn, rc, err := jp.plan(j.r)
	if err != nil {
		return nil, nil, err
	}
	lset, rset := colSet(lc), colSet(rc)
	jn := &plan.Join{Kind: j.kind, Left: ln, Right: rn, Widths: [2]int{len(lc), len(rc)}, Hold: jp.hold}
	var rest []expr.Expr
	for _, c := range j.on {
		k, ok := hashKey(c, lset, rset)
		if !ok {
			rest = append(rest, c)
			continue
		}
		r := resolver{cols: lc}
		k.L = r.expr(k.L)
		r.cols = rc
		k.R = r.expr(k.R)
		if r.err != nil {
			return nil, nil, r.err
		}
		jn.Keys = append(jn.Keys, k)
	}
	cols := append(append([]*catalog.Column(nil), lc...), rc...)
	out := cols
	if j.kind.Filters() {
		out = lc // a semi or anti join returns the left rows
	}
	if on := expr.And(rest); on != nil {
		r := resolver{cols: cols}
		jn.On = r.expr(on)
		if r.err != nil {
			return nil, nil, r.err
		}
	}
	jp.lookup(jn, j)
	return jn, out, nil
}

// colSet is the set of cols.
func colSet(cols []*catalog.Column) map[*catalog.Column]bool {
	out := make(map[*catalog.Column]bool, len(cols))
	for _, c := range cols {
		out[c] = true
	}
	return out
}

// hashKey reports whether c is an equality of an expression over the
// left columns and one over the right ones whose values hash alike when
// they are equal (the same class of values: text, numbers, instants,
// times), and returns it with its left part first.
func hashKey(c expr.Expr, l, r map[*catalog.Column]bool) (plan.JoinKey, bool) {
	cmp, ok := c.(*expr.Cmp)
	if !ok || (cmp.Op != "=" && cmp.Op != "<=>") {
		return plan.JoinKey{}, false
	}
	a, b := cmp.L, cmp.R
	if len(refs(a)) == 0 || len(refs(b)) == 0 {
		return plan.JoinKey{}, false
	}
	switch {
	case within(a, l) && within(b, r):
	case within(b, l) && within(a, r):
		a, b = b, a
	default:
		return plan.JoinKey{}, false
	}
	ca, cb := KeyClass(expr.KindOf(a)), KeyClass(expr.KindOf(b))
	if ca == 0 || ca != cb {
		return plan.JoinKey{}, false
	}
	return plan.JoinKey{L: a, R: b, NullSafe: cmp.Op == "<=>"}, true
}

// KeyClass is the class of values a join hashes alike: 1 text (and
// users, compared by code), 2 numbers, 3 dates and date-times (instants),
// 4 times of day; 0 for what is not hashed (lists, unknown kinds), which
// the join compares pair by pair instead.
func KeyClass(k catalog.Kind) int {
	switch k {
	case catalog.KText, catalog.KEntity:
		return 1
	case catalog.KNumber, catalog.KInt, catalog.KBool:
		return 2
	case catalog.KDate, catalog.KDateTime:
		return 3
	case catalog.KTime:
		return 4
	}
	return 0
}

// side plans one table of the join: the columns the statement needs, the
// conditions that went down to it (extra among them, for a key lookup),
// planned as a single-table SELECT. It returns the side's plan and the
// columns of its rows.
// limitPreserved gives the preserved table of an outer join at the top a
// LIMIT of its own: every row of that table makes at least one row of
// the join, so SELECT ... FROM a LEFT JOIN b ... LIMIT 10 needs only 10
// rows of a (the first 10 in the ORDER BY, when it orders by a's columns
// alone), one request instead of all of a. Only when nothing above the
// join drops or merges rows: no condition left above it, no grouping,
// DISTINCT, HAVING or window.
func limitPreserved(q *query, root *jnode, above []expr.Expr) {
	if q.limit < 0 || root.table != nil || len(above) > 0 || q.agg != nil || q.rowFilter != nil || q.distinct || q.window != nil {
		return
	}
	var keep *jnode
	switch root.kind {
	case plan.Left:
		keep = root.l
	case plan.Right:
		keep = root.r
	}
	if keep == nil || keep.table == nil || keep.derived != nil {
		return
	}
	for _, o := range q.order {
		if len(refs(o.Expr)) == 0 || !within(o.Expr, keep.cols) || expr.HasAggregate(o.Expr) || expr.HasWindow(o.Expr) {
			return
		}
	}
	keep.limit, keep.order = q.limit+q.offset, q.order
}

func (jp *joinPlanner) side(t *catalog.Table, conds []expr.Expr, extra expr.Expr) (plan.Node, []*catalog.Column, error) {
	var cols []*catalog.Column
	for _, c := range t.Cols {
		if jp.need[c] {
			cols = append(cols, c)
		}
	}
	if len(cols) == 0 {
		// Nothing of the table is read but how many rows match.
		cols = []*catalog.Column{t.Cols[0]}
	}
	items := make([]expr.Expr, len(cols))
	for i, c := range cols {
		items[i] = &expr.ColRef{Col: c, At: -1}
	}
	var n plan.Node = &plan.Scan{Table: t}
	if extra != nil {
		conds = append(append([]expr.Expr(nil), conds...), extra)
	}
	if w := expr.And(conds); w != nil {
		n = &plan.Filter{Input: n, Cond: w}
	}
	n = &plan.Project{Input: n, Items: items}
	if l := jp.limits[t]; l != nil {
		if len(l.order) > 0 {
			n = &plan.Sort{Input: n, Keys: l.order, Keep: -1}
		}
		n = &plan.Limit{Input: n, Count: l.limit}
	}
	env := jp.env
	env.WriteTargets = false
	root, err := optimizeRoot(jp.ctx, n, env)
	if err != nil {
		return nil, nil, err
	}
	return root, cols, nil
}
