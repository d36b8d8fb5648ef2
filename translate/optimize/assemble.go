package optimize

import (
	"fmt"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/scan"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/exec"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
)

// goSide is what Optimize decided Go must do over the records Kintone
// returns, before it is assembled into the tree that runs (tree).
type goSide struct {
	*query // the binder's tree, taken apart

	loc *time.Location

	virtual []catalog.Record // the rows of a metadata table
	empty   bool             // no record can match: read nothing
	child   string           // flatten this SUBTABLE into rows

	// table is the table read: its columns are what the conditions, keys
	// and items read (a child table's for a child table). parentCols is
	// what a child table's read returns: $id and the SUBTABLE.
	table      *catalog.Table
	parentCols []string
	// keepCols and keepConds are what keeps evaluates: the columns the
	// read returns and the conditions resolved against them.
	keepCols  []string
	keepConds []expr.Expr

	checkOrder []plan.Order // keys Kintone sorted by, to verify
	residual   expr.Expr    // what Go checks of the WHERE
	count      bool         // the aggregates are all counts of the read's totalCount
	sortInGo   bool
	goLimit    bool // apply limit and offset here
	hold       int  // the rows a window may hold (0: no cap)
}

// result assembles the tree and returns it with the read.
func (g *goSide) result(read *scan.Spec) (*Result, error) {
	root, err := g.tree(read)
	if err != nil {
		return nil, err
	}
	return &Result{Root: root, Read: read}, nil
}

// tree assembles the plan: the leaf (the Kintone read, a metadata table,
// or nothing), then each step Go does, in the order rows flow through
// them, every column reference resolved to its position in the rows it
// reads.
func (g *goSide) tree(read *scan.Spec) (plan.Node, error) {
	var n plan.Node
	var leafCols []string // the codes of the leaf's rows
	cols := g.table.Cols  // the columns of the rows the steps read
	switch {
	case g.virtual != nil:
		leafCols = codes(cols)
		n = &plan.Metadata{Rows: g.virtual, Columns: leafCols}
	case g.empty || read == nil:
		leafCols = codes(cols)
		if g.child != "" {
			leafCols = g.parentCols
		}
		n = &plan.Nothing{}
	default:
		leafCols = read.Fields
		n = &plan.KintoneRead{App: read.App, Strategy: read.Strategy.String(), Columns: leafCols, Read: read}
		if g.child == "" {
			cols = make([]*catalog.Column, len(leafCols))
			for i, code := range leafCols {
				cols[i] = g.table.Column(code)
			}
		}
	}
	if g.child != "" {
		f := &plan.Flatten{Input: n, Subtable: g.child, Columns: codes(g.table.Cols)}
		f.IDCol, f.SubCol = indexOf(leafCols, catalog.ColID), indexOf(leafCols, g.child)
		if f.IDCol < 0 || f.SubCol < 0 {
			return nil, fmt.Errorf("kintone: internal error: a child table's read of %v lacks $id or %s", leafCols, g.child)
		}
		n = f
	}
	return g.above(n, leafCols, cols)
}

// above assembles what Go does over the rows of n, whose columns are
// cols (leafCols their codes when n reads one table, nil otherwise):
// the order check, the residual conditions, the grouping, the select
// list, DISTINCT, ORDER BY and LIMIT done in Go.
func (g *goSide) above(n plan.Node, leafCols []string, cols []*catalog.Column) (plan.Node, error) {
	r := resolver{cols: cols}
	if g.checkOrder != nil {
		n = &plan.CheckOrder{Input: n, Keys: r.orders(g.checkOrder)}
	}
	where, rowFilter := r.expr(g.residual), r.expr(g.rowFilter)
	if where != nil {
		n = &plan.Filter{Input: n, Cond: where}
	}
	if rowFilter != nil {
		n = &plan.Filter{Input: n, Cond: rowFilter, Having: true}
	}
	if g.child == "" && leafCols != nil {
		g.keepCols, g.keepConds = leafCols, []expr.Expr{where, rowFilter}
	}
	sortInGo := g.sortInGo
	items, order := g.project.Items, g.order
	if g.agg != nil {
		// After grouping, the expressions read the group's slots.
		agg := &plan.Aggregate{Input: n, GroupBy: r.exprs(g.agg.GroupBy), FromTotal: g.count}
		for _, a := range g.agg.Aggs {
			agg.Aggs = append(agg.Aggs, r.expr(a).(*expr.Agg))
		}
		n = agg
		if g.having != nil {
			n = &plan.Filter{Input: n, Cond: g.having, Having: true}
		}
		sortInGo = len(g.order) > 0
	} else {
		items, order = r.exprs(items), r.orders(g.order)
	}
	if g.window != nil {
		// The window functions' values follow the columns of the rows
		// they are computed over; the select list and ORDER BY read them
		// there.
		w := &plan.Window{Input: n, Hold: g.hold}
		base := len(cols)
		if g.agg != nil {
			base = len(g.agg.GroupBy) + len(g.agg.Aggs)
		}
		for _, f := range g.window.Funcs {
			if g.agg == nil {
				f = r.expr(f).(*expr.WindowFunc)
			}
			w.Funcs = append(w.Funcs, f)
		}
		n = w
		items, order = placeWindows(items, base, &r), placeOrder(order, base, &r)
		sortInGo = len(g.order) > 0
	}
	if r.err != nil {
		return nil, r.err
	}
	proj := &plan.Project{Input: n, Items: items}
	n = proj
	if g.distinct {
		n = &plan.Distinct{Input: n}
	}
	if sortInGo {
		s := &plan.Sort{Keys: g.order, Columns: len(items), Keep: -1}
		for i, o := range g.order {
			if o.Output >= 0 {
				// A key that is a select item (ORDER BY 2, or the same
				// expression) sorts by that column; DISTINCT requires
				// every key to be one.
				s.Cols = append(s.Cols, o.Output)
				continue
			}
			proj.Hidden = append(proj.Hidden, order[i].Expr)
			s.Cols = append(s.Cols, len(items)+len(proj.Hidden)-1)
		}
		if g.goLimit && g.limit >= 0 {
			s.Keep = g.offset + g.limit
		}
		s.Input = n
		n = s
	}
	if g.goLimit && (g.limit >= 0 || g.offset > 0) {
		n = &plan.Limit{Input: n, Offset: g.offset, Count: g.limit}
	}
	return n, nil
}

// placeWindows points the window functions of es at their values.
func placeWindows(es []expr.Expr, base int, r *resolver) []expr.Expr {
	out := make([]expr.Expr, len(es))
	for i, e := range es {
		x, err := expr.PlaceWindows(e, base)
		if err != nil && r.err == nil {
			r.err = err
		}
		out[i] = x
	}
	return out
}

// placeOrder points the window functions of sort keys at their values.
func placeOrder(keys []plan.Order, base int, r *resolver) []plan.Order {
	out := append([]plan.Order(nil), keys...)
	for i := range out {
		x, err := expr.PlaceWindows(out[i].Expr, base)
		if err != nil && r.err == nil {
			r.err = err
		}
		out[i].Expr = x
	}
	return out
}

// keeps reports whether rec passes the residual condition and a
// non-grouping HAVING: an offset read's change check leaves out the
// records the plan would.
func (g *goSide) keeps(rec scan.Record) (bool, error) {
	en := &expr.Env{Row: exec.ToRow(catalog.Record(rec), g.keepCols), Loc: g.loc}
	for _, cond := range g.keepConds {
		if cond == nil {
			continue
		}
		ok, err := en.EvalBool(cond)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// isCount reports whether a grouped query is a bare count that Kintone's
// totalCount answers: no GROUP BY, every aggregate COUNT(*) or COUNT of a
// never-empty column, and a condition pushed entirely.
func (g *goSide) isCount() bool {
	if g.agg == nil || len(g.agg.GroupBy) > 0 || g.residual != nil || g.child != "" || len(g.agg.Aggs) == 0 {
		return false
	}
	for _, a := range g.agg.Aggs {
		if a.Fn != "count" || a.Distinct && len(a.Args) > 0 {
			return false
		}
		if len(a.Args) == 1 {
			c, ok := a.Args[0].(*expr.ColRef)
			if !ok || c.Col.Nullable {
				return false
			}
		}
	}
	return true
}

// neededFields lists the field codes the plan reads, $id first, then in
// the table's column order.
func (g *goSide) neededFields(tbl *catalog.Table, s scan.Strategy) []string {
	if tbl.IsChild() {
		return []string{catalog.ColID, tbl.Sub.Code}
	}
	need := map[string]bool{}
	switch s {
	case scan.Seek, scan.Offset, scan.Keyset, scan.Cursor:
		// Seeks follow $id; the others check the order, $id breaking
		// ties, and an offset read finds its last record again by it.
		need[catalog.ColID] = true
	}
	note := func(e expr.Expr) {
		expr.Walk(e, func(x expr.Expr) bool {
			if c, ok := x.(*expr.ColRef); ok {
				need[c.Col.Code] = true
			}
			return true
		})
	}
	note(g.residual)
	for _, e := range g.exprs() {
		note(e)
	}
	var out []string
	for _, c := range tbl.Cols {
		if need[c.Code] {
			out = append(out, c.Code)
		}
	}
	if len(out) == 0 {
		out = []string{catalog.ColID}
	}
	return out
}

// keysetExact reports whether a read sorted by order can page by its sort
// keys (scan.Keyset): every key is a column that is never empty, that
// Kintone compares with = and > exactly as it sorts, and that no change
// to a record moves: the creation time (kept to the minute, which is how
// it prints, and written only when the record is added) and $id. Empty
// values cannot be paged past (Kintone has no "is empty" for most types,
// and where it sorts them is not documented), and text has no >. The
// update time changes with every edit: a record edited during the read
// would jump across the point reached, missed (descending) or read twice
// (ascending), so it pages by offset, whose change check sees that.
func keysetExact(order []plan.Order) bool {
	for _, o := range order {
		c, ok := o.Expr.(*expr.ColRef)
		if !ok || c.Col.Nullable {
			return false
		}
		switch c.Col.Type {
		case field.ID, field.CreatedTime:
		default:
			return false
		}
	}
	return len(order) > 0
}

// updateTimeField returns the code of app's update-time field, "" when it
// has none.
func updateTimeField(app *catalog.App) string {
	var code string
	for c, f := range app.Fields {
		if f.Type == field.UpdatedTime && (code == "" || c < code) {
			code = c
		}
	}
	return code
}

// resolver resolves column references against the columns of the rows
// they read, keeping the first error.
type resolver struct {
	cols []*catalog.Column
	err  error
}

func (r *resolver) expr(e expr.Expr) expr.Expr {
	if r.err != nil || e == nil {
		return e
	}
	out, err := expr.ResolveColumns(e, r.cols)
	if err != nil {
		r.err = err
		return e
	}
	return out
}

func (r *resolver) exprs(es []expr.Expr) []expr.Expr {
	out := make([]expr.Expr, len(es))
	for i, e := range es {
		out[i] = r.expr(e)
	}
	return out
}

func (r *resolver) orders(keys []plan.Order) []plan.Order {
	out := append([]plan.Order(nil), keys...)
	for i := range out {
		out[i].Expr = r.expr(out[i].Expr)
	}
	return out
}

// indexOf is the position of code in cols, -1 when absent.
func indexOf(cols []string, code string) int {
	for i, c := range cols {
		if c == code {
			return i
		}
	}
	return -1
}

// codes lists the codes of cols.
func codes(cols []*catalog.Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Code
	}
	return out
}
