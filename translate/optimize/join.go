package optimize

import (
	"context"

	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/internal/scan"
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

// jnode is the join tree while conditions are placed: a table (with the
// conditions that went down to it) or a join of two.
type jnode struct {
	table   *catalog.Table // a leaf
	derived *plan.Derived  // a leaf that is a subquery
	conds   []expr.Expr    // a leaf's conditions

	kind plan.JoinKind
	l, r *jnode
	on   []expr.Expr // the conjuncts the join evaluates

	cols map[*catalog.Column]bool // the columns of every table under the node
}

// build turns the binder's join tree into jnodes.
func build(n plan.Node) *jnode {
	switch n := n.(type) {
	case *plan.Scan:
		j := &jnode{table: n.Table, cols: map[*catalog.Column]bool{}}
		for _, c := range n.Table.Cols {
			j.cols[c] = true
		}
		return j
	case *plan.Derived:
		j := build(&plan.Scan{Table: n.Table})
		j.derived = n
		return j
	case *plan.Join:
		j := &jnode{kind: n.Kind, l: build(n.Left), r: build(n.Right), cols: map[*catalog.Column]bool{}}
		j.on = conjuncts(n.On)
		for c := range j.l.cols {
			j.cols[c] = true
		}
		for c := range j.r.cols {
			j.cols[c] = true
		}
		return j
	}
	return nil
}

// conjuncts splits e at its top-level ANDs.
func conjuncts(e expr.Expr) []expr.Expr {
	if e == nil {
		return nil
	}
	if l, ok := e.(*expr.Logic); ok && l.And {
		var out []expr.Expr
		for _, t := range l.Terms {
			out = append(out, conjuncts(t)...)
		}
		return out
	}
	return []expr.Expr{e}
}

// refs returns the columns e reads.
func refs(e expr.Expr) []*catalog.Column {
	var out []*catalog.Column
	expr.Walk(e, func(x expr.Expr) bool {
		if c, ok := x.(*expr.ColRef); ok {
			out = append(out, c.Col)
		}
		return true
	})
	return out
}

// within reports whether every column e reads is among cols (true for an
// expression that reads none).
func within(e expr.Expr, cols map[*catalog.Column]bool) bool {
	for _, c := range refs(e) {
		if !cols[c] {
			return false
		}
	}
	return true
}

// place puts each condition where it is evaluated, from the top: those
// that may go below the join n go down, the rest stay in n.on (a join's
// own conjuncts) or are returned to be evaluated above n.
func (j *jnode) place(conds []expr.Expr, loc *locEnv) (above []expr.Expr) {
	if j.table != nil {
		j.conds = append(j.conds, conds...)
		return nil
	}
	// A WHERE conjunct that rejects the NULLs of an outer join's
	// unmatched side makes those rows vanish anyway: the join is an inner
	// join on that side.
	for _, c := range conds {
		if j.kind.Preserves(0) && loc.rejectsNull(c, j.r.cols) {
			j.kind = dropPreserved(j.kind, 0)
		}
		if j.kind.Preserves(1) && loc.rejectsNull(c, j.l.cols) {
			j.kind = dropPreserved(j.kind, 1)
		}
	}
	var toL, toR []expr.Expr
	switch j.kind {
	case plan.Inner, plan.Cross:
		for _, c := range append(conds, j.on...) {
			switch {
			case len(refs(c)) == 0 || within(c, j.l.cols):
				toL = append(toL, c)
			case within(c, j.r.cols):
				toR = append(toR, c)
			default:
				above = append(above, c)
			}
		}
		// What reads both sides is the join's condition.
		j.on, above = above, nil
		if len(j.on) > 0 {
			j.kind = plan.Inner
		}
	case plan.Left, plan.Right:
		kept, other := j.l, j.r // the preserved side, the other
		if j.kind == plan.Right {
			kept, other = j.r, j.l
		}
		var toKept, toOther, on []expr.Expr
		for _, c := range conds {
			if len(refs(c)) > 0 && within(c, kept.cols) {
				toKept = append(toKept, c)
			} else {
				above = append(above, c)
			}
		}
		for _, c := range j.on {
			if len(refs(c)) > 0 && within(c, other.cols) {
				toOther = append(toOther, c)
			} else {
				on = append(on, c)
			}
		}
		j.on = on
		toL, toR = toKept, toOther
		if j.kind == plan.Right {
			toL, toR = toOther, toKept
		}
	case plan.Full:
		above = conds
	case plan.Semi, plan.Anti:
		// WHERE can only name the left side. The subquery's conditions
		// that read the right side alone go into it; for a semi join,
		// those that read the left side alone hold for the row whatever
		// matches (EXISTS (... WHERE o.x > 1 AND ...) is o.x > 1 AND
		// EXISTS (...)); the rest is evaluated on each pair.
		var on []expr.Expr
		for _, c := range conds {
			if len(refs(c)) > 0 && within(c, j.l.cols) {
				toL = append(toL, c)
			} else {
				above = append(above, c)
			}
		}
		for _, c := range j.on {
			switch {
			case len(refs(c)) > 0 && within(c, j.r.cols):
				toR = append(toR, c)
			case j.kind == plan.Semi && len(refs(c)) > 0 && within(c, j.l.cols):
				toL = append(toL, c)
			default:
				on = append(on, c)
			}
		}
		j.on = on
	}
	above = append(above, j.l.place(toL, loc)...)
	above = append(above, j.r.place(toR, loc)...)
	return above
}

// dropPreserved is kind without the preserved rows of side.
func dropPreserved(k plan.JoinKind, side int) plan.JoinKind {
	switch {
	case k == plan.Full && side == 0:
		return plan.Right
	case k == plan.Full && side == 1:
		return plan.Left
	}
	return plan.Inner
}

// locEnv evaluates conditions for rejectsNull.
type locEnv struct{ env Env }

// rejectsNull reports whether condition c can only be TRUE when some
// column of cols is not NULL, so that the rows an outer join adds with
// those columns NULL fail it: c tests a column of cols strictly (a
// comparison, IN, BETWEEN, LIKE or IS NOT NULL whose operand is NULL when
// the column is), or c reads only columns of cols and is not TRUE when
// they are all NULL.
func (l *locEnv) rejectsNull(c expr.Expr, cols map[*catalog.Column]bool) bool {
	switch n := c.(type) {
	case *expr.Logic:
		if n.And {
			for _, t := range n.Terms {
				if l.rejectsNull(t, cols) {
					return true
				}
			}
			return false
		}
		for _, t := range n.Terms {
			if !l.rejectsNull(t, cols) {
				return false
			}
		}
		return len(n.Terms) > 0
	case *expr.Cmp:
		if n.Op != "<=>" && (strict(n.L, cols) || strict(n.R, cols)) {
			return true
		}
	case *expr.In:
		if strict(n.X, cols) {
			return true
		}
	case *expr.Between:
		if strict(n.X, cols) {
			return true
		}
	case *expr.Like:
		if strict(n.X, cols) {
			return true
		}
	case *expr.IsNull:
		if n.Not && strict(n.X, cols) {
			return true
		}
	}
	rs := refs(c)
	if len(rs) == 0 || !within(c, cols) {
		return false
	}
	// Evaluate c with its columns NULL.
	var all []*catalog.Column
	for col := range cols {
		all = append(all, col)
	}
	resolved, err := expr.ResolveColumns(c, all)
	if err != nil {
		return false
	}
	ok, err := (&expr.Env{Row: make([]any, len(all)), Loc: l.env.Location}).EvalBool(resolved)
	return err == nil && !ok
}

// strict reports whether e is NULL whenever the columns of cols it reads
// are: a column of cols, or arithmetic over one.
func strict(e expr.Expr, cols map[*catalog.Column]bool) bool {
	switch n := e.(type) {
	case *expr.ColRef:
		return cols[n.Col]
	case *expr.Binary:
		return strict(n.L, cols) || strict(n.R, cols)
	case *expr.Unary:
		return n.Op == "-" && strict(n.X, cols)
	}
	return false
}

// optimizeJoin plans a SELECT whose FROM joins tables.
func optimizeJoin(ctx context.Context, q *query, env Env) (*Result, error) {
	root := build(q.join)
	le := &locEnv{env: env}
	above := root.place(conjuncts(q.where), le)
	if err := kfuncsInGo(root, above, env); err != nil {
		return nil, err
	}
	need := q.neededColumns(root, above)
	hold := env.MaxBuffered
	if hold <= 0 {
		hold = DefaultJoinHold
	}
	jp := &joinPlanner{ctx: ctx, env: env, need: need, hold: hold}
	n, cols, err := jp.plan(root)
	if err != nil {
		return nil, err
	}
	g := &goSide{query: q, loc: env.Location, goLimit: true, sortInGo: len(q.order) > 0, residual: andExpr(above), hold: env.MaxBuffered}
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
	for _, e := range q.project.Items {
		note(e)
	}
	if q.agg != nil {
		for _, e := range q.agg.GroupBy {
			note(e)
		}
		for _, a := range q.agg.Aggs {
			note(a)
		}
	}
	note(q.rowFilter)
	for _, o := range q.order {
		note(o.Expr)
	}
	if q.window != nil {
		for _, f := range q.window.Funcs {
			note(f)
		}
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
	ctx  context.Context
	env  Env
	need map[*catalog.Column]bool
	hold int
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
	if on := andExpr(rest); on != nil {
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
	if w := andExpr(conds); w != nil {
		n = &plan.Filter{Input: n, Cond: w}
	}
	n = &plan.Project{Input: n, Items: items}
	env := jp.env
	env.WriteTargets = false
	res, err := Optimize(jp.ctx, n, env)
	if err != nil {
		return nil, nil, err
	}
	return res.Root, cols, nil
}

// parentChild plans a join of an app with its own child table on $id
// (FROM orders o JOIN orders.items i ON i.$id = o.$id, or EXISTS (SELECT
// ... FROM orders.items i WHERE i.$id = o.$id ...)) as one read of the
// app and a plan.Unnest, instead of two reads of the same records. For
// an inner or semi join the child table's own conditions also narrow
// the read: Kintone returns the records with a subtable row that
// matches them (a superset, checked again row by row in Go). ok is false
// when j is not such a join.
func (jp *joinPlanner) parentChild(j *jnode) (n plan.Node, cols []*catalog.Column, ok bool, err error) {
	l, r := j.l, j.r
	if l.table == nil || r.table == nil || l.derived != nil || r.derived != nil {
		return nil, nil, false, nil
	}
	p, c, pSide := l, r, 0
	if !parentOf(p.table, c.table) {
		p, c, pSide = r, l, 1
		if !parentOf(p.table, c.table) {
			return nil, nil, false, nil
		}
	}
	var kind plan.JoinKind
	switch {
	case j.kind == plan.Inner, j.kind == plan.Cross:
		kind = plan.Inner
	case j.kind == plan.Full, j.kind.Preserves(pSide):
		// Every child row has its record: only the records' side can go
		// unmatched.
		kind = plan.Left
	case j.kind == plan.Left, j.kind == plan.Right:
		kind = plan.Inner // the child rows are the preserved side
	case j.kind.Filters() && pSide == 0:
		kind = j.kind
	default:
		return nil, nil, false, nil
	}
	pid, cid := p.table.Column(catalog.ColID), c.table.Column(catalog.ColID)
	var rest []expr.Expr
	found := false
	for _, cond := range j.on {
		if !found && sameColumns(cond, pid, cid) {
			found = true
			continue
		}
		rest = append(rest, cond)
	}
	sub := p.table.Column(c.table.Sub.Code)
	if !found || pid == nil || sub == nil {
		return nil, nil, false, nil
	}
	for _, cond := range append(append([]expr.Expr(nil), c.conds...), rest...) {
		if expr.FindKFunc(cond) != nil {
			return nil, nil, false, nil // Kintone's functions need the child table's own read
		}
	}
	jp.need[pid], jp.need[sub] = true, true
	pn, pcols, err := jp.side(p.table, p.conds, nil)
	if err != nil {
		return nil, nil, true, err
	}
	if kind == plan.Inner || kind == plan.Semi {
		sp := (&Pusher{Table: c.table, Loc: jp.env.Location}).SplitWhere(andExpr(c.conds))
		if kr := kintoneRead(pn); kr != nil && sp.Query != nil && kr.Read.Query != nil {
			read := *kr.Read
			q := *read.Query
			if q.Where == nil {
				q.Where = sp.Query
			} else {
				q.Where = kql.AndOf(q.Where, sp.Query)
			}
			read.Query = &q
			kr.Read = &read
		}
	}
	// The child columns read: those needed above, and those the
	// conditions evaluated here read.
	cneed := map[*catalog.Column]bool{}
	for _, cond := range append(append([]expr.Expr(nil), c.conds...), rest...) {
		for _, col := range refs(cond) {
			cneed[col] = true
		}
	}
	var ccols []*catalog.Column
	for _, col := range c.table.Cols {
		if jp.need[col] || cneed[col] {
			ccols = append(ccols, col)
		}
	}
	all := append(append([]*catalog.Column(nil), pcols...), ccols...)
	u := &plan.Unnest{Kind: kind, Input: pn, IDCol: colIndex(pcols, pid), SubCol: colIndex(pcols, sub), Columns: codes(ccols)}
	r2 := resolver{cols: all}
	u.Cond = r2.expr(andExpr(append(append([]expr.Expr(nil), c.conds...), rest...)))
	if r2.err != nil {
		return nil, nil, true, r2.err
	}
	if kind.Filters() {
		return u, pcols, true, nil
	}
	return u, all, true, nil
}

// parentOf reports whether c is a child table of p's app.
func parentOf(p, c *catalog.Table) bool {
	return p.App != nil && c.App != nil && p.Sub == nil && c.Sub != nil && p.Virtual == nil && p.App.ID == c.App.ID
}

// sameColumns reports whether cond is a = b (either way round) of the
// columns a and b.
func sameColumns(cond expr.Expr, a, b *catalog.Column) bool {
	cmp, ok := cond.(*expr.Cmp)
	if !ok || cmp.Op != "=" {
		return false
	}
	l, lok := cmp.L.(*expr.ColRef)
	r, rok := cmp.R.(*expr.ColRef)
	return lok && rok && (l.Col == a && r.Col == b || l.Col == b && r.Col == a)
}

// colIndex is the position of c in cols, -1 when absent.
func colIndex(cols []*catalog.Column, c *catalog.Column) int {
	for i, x := range cols {
		if x == c {
			return i
		}
	}
	return -1
}

// derivedSide plans a derived table of the join: its subquery, the
// conditions that went down to it evaluated in Go over its rows, and the
// columns the statement needs of it.
func (jp *joinPlanner) derivedSide(j *jnode) (plan.Node, []*catalog.Column, error) {
	n, err := derivedPlan(jp.ctx, j.derived, jp.env)
	if err != nil {
		return nil, nil, err
	}
	all := j.derived.Table.Cols
	r := resolver{cols: all}
	if w := r.expr(andExpr(j.conds)); w != nil {
		n = &plan.Filter{Input: n, Cond: w}
	}
	var cols []*catalog.Column
	var items []expr.Expr
	for _, c := range all {
		if jp.need[c] {
			cols = append(cols, c)
			items = append(items, r.expr(&expr.ColRef{Col: c, At: -1}))
		}
	}
	if r.err != nil {
		return nil, nil, r.err
	}
	return &plan.Project{Input: n, Items: items}, cols, nil
}

// lookup decides which side of out is read first and whether the other
// may be read by the keys of the first: a side that is one app's table
// (not a join, not a metadata table, not a read of nothing) whose key is
// a field, on the side that may go unmatched or of an inner join.
func (jp *joinPlanner) lookup(out *plan.Join, j *jnode) {
	switch j.kind {
	case plan.Right:
		out.First = 1
	case plan.Full, plan.Cross:
		return
	}
	if len(out.Keys) == 0 {
		return
	}
	candidates := []int{1, 0}
	switch j.kind {
	case plan.Left, plan.Anti:
		// The side that may go unmatched; an anti join's right rows
		// matter only where they match.
		candidates = []int{1}
	case plan.Right:
		candidates = []int{0}
	case plan.Inner, plan.Semi:
		// Read first the side Kintone narrows (it has conditions), and
		// look the other up.
		if len(j.l.conds) == 0 && j.l.table != nil && len(j.r.conds) > 0 {
			candidates = []int{0, 1}
		}
	}
	for _, s := range candidates {
		sideNode := [2]*jnode{j.l, j.r}[s]
		if sideNode.table == nil || sideNode.table.Virtual != nil || sideNode.derived != nil {
			continue
		}
		whole := kintoneRead([2]plan.Node{out.Left, out.Right}[s])
		if whole == nil {
			continue
		}
		for ki, k := range out.Keys {
			ke := [2]expr.Expr{k.L, k.R}[s]
			col, ok := ke.(*expr.ColRef)
			if !ok || k.NullSafe {
				continue
			}
			other := [2]expr.Expr{k.L, k.R}[1-s]
			t, conds, kind := sideNode.table, sideNode.conds, expr.KindOf(other)
			keyCol := col.Col
			pu := &Pusher{Table: t, Loc: jp.env.Location}
			out.Lookup = &plan.KeyLookup{
				Side: s, Key: ki, Field: keyCol.Code, Batch: LookupBatch, MaxChars: LookupChars, Whole: whole,
				Plan: func(keys []any) (plan.Node, bool, error) {
					list := make([]expr.Expr, len(keys))
					for i, v := range keys {
						list[i] = &expr.Const{Value: v, Kind: kind, At: -1}
					}
					in := &expr.In{X: &expr.ColRef{Col: keyCol, At: -1}, List: list, At: -1}
					if sp := pu.SplitWhere(in); sp.Query == nil && !sp.Never {
						return nil, false, nil
					}
					n, _, err := jp.side(t, conds, in)
					return n, true, err
				},
			}
			out.First = 1 - s
			return
		}
	}
}

// kintoneRead is the Kintone read at the bottom of a side's plan, nil
// when the side reads none (a metadata table, nothing).
func kintoneRead(n plan.Node) *plan.KintoneRead {
	var out *plan.KintoneRead
	plan.Inspect(n, func(x plan.Node) bool {
		if k, ok := x.(*plan.KintoneRead); ok && k.Read != nil && k.Read.Strategy != scan.None {
			out = k
		}
		return out == nil
	})
	return out
}

// optimizeDerived plans a SELECT of one derived table: the subquery as a
// plan of its own, then the outer query over its rows in Go.
func optimizeDerived(ctx context.Context, q *query, env Env) (*Result, error) {
	sub, err := derivedPlan(ctx, q.derived, env)
	if err != nil {
		return nil, err
	}
	g := &goSide{query: q, loc: env.Location, goLimit: true, sortInGo: len(q.order) > 0, residual: q.where, hold: env.MaxBuffered}
	out, err := g.above(sub, nil, q.derived.Table.Cols)
	if err != nil {
		return nil, err
	}
	return &Result{Root: out}, nil
}

// derivedPlan optimizes a derived table's subquery; its rows are the
// derived table's columns in order.
func derivedPlan(ctx context.Context, d *plan.Derived, env Env) (plan.Node, error) {
	env.WriteTargets = false
	res, err := Optimize(ctx, d.Input, env)
	if err != nil {
		return nil, err
	}
	return &plan.Derived{Table: d.Table, Input: res.Root}, nil
}
