package translate

import (
	"database/sql/driver"
	"fmt"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/bind"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/exec"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
)

// Source yields the records a plan reads, one at a time, and io.EOF after
// the last. The driver implements it over the pages of Read; any other
// error it returns stops the rows and is returned from Rows.Next as it is.
type Source func() (catalog.Record, error)

// pipeline is what planSelect decided Go must do, before it is assembled
// into the plan tree (tree): the residual condition, grouping, the
// select list, a sort Kintone cannot do, DISTINCT and a LIMIT Kintone did
// not apply. The tree, not this, is what runs and what EXPLAIN prints.
type pipeline struct {
	loc         *time.Location
	maxBuffered int // Options.MaxBufferedRows

	virtual []catalog.Record // the rows of a virtual table
	empty   bool             // no record can match: read nothing
	child   string           // flatten this SUBTABLE into rows

	// cols are the codes of the table's columns, what the conditions,
	// keys and items read (a child table's for a child table), and
	// parentCols what a child table's read returns: $id and the SUBTABLE.
	cols, parentCols []string
	// keepCols and keepConds are what keeps evaluates: the columns the
	// read returns and the conditions resolved against them.
	keepCols  []string
	keepConds []expr.Expr

	checkOrder []bind.OrderItem // keys Kintone sorted by, to verify
	where      expr.Expr        // residual condition
	rowFilter  expr.Expr        // HAVING without grouping

	grouped bool
	groupBy []expr.Expr
	aggs    []*expr.Agg
	having  expr.Expr
	count   bool // the aggregates are all counts of Read's totalCount

	items    []expr.Expr
	order    []bind.OrderItem
	sortInGo bool
	distinct bool

	limit   int64 // -1: none
	offset  int64
	goLimit bool // apply limit and offset here
}

// tree assembles the plan: the leaf (the Kintone read, a metadata table,
// or nothing), then each step Go does, in the order rows flow through
// them, every column reference resolved to its position in the rows it
// reads.
func (p *pipeline) tree(read *Read) (plan.Node, error) {
	var n plan.Node
	var leafCols []string // the columns of the leaf's rows
	switch {
	case p.virtual != nil:
		leafCols = p.cols
		n = &plan.Metadata{Rows: p.virtual, Columns: leafCols}
	case p.empty || read == nil:
		leafCols = p.cols
		if p.child != "" {
			leafCols = p.parentCols
		}
		n = &plan.Nothing{}
	default:
		leafCols = read.Fields
		n = &plan.KintoneRead{App: read.App, Strategy: read.Strategy.String(), Columns: leafCols}
	}
	cols := leafCols
	if p.child != "" {
		f := &plan.Flatten{Input: n, Subtable: p.child, Columns: p.cols}
		f.IDCol, f.SubCol = indexOf(leafCols, catalog.ColID), indexOf(leafCols, p.child)
		if f.IDCol < 0 || f.SubCol < 0 {
			return nil, fmt.Errorf("kintone: internal error: a child table's read of %v lacks $id or %s", leafCols, p.child)
		}
		n, cols = f, p.cols
	}
	r := resolver{cols: cols}
	if p.checkOrder != nil {
		n = &plan.CheckOrder{Input: n, Keys: r.orders(p.checkOrder)}
	}
	where, rowFilter := r.expr(p.where), r.expr(p.rowFilter)
	if where != nil {
		n = &plan.Filter{Input: n, Cond: where}
	}
	if rowFilter != nil {
		n = &plan.Filter{Input: n, Cond: rowFilter, Having: true}
	}
	if p.child == "" {
		p.keepCols, p.keepConds = cols, []expr.Expr{where, rowFilter}
	}
	sortInGo := p.sortInGo
	items, order := p.items, orders(p.order)
	if p.grouped {
		// After grouping, the expressions read the group's slots.
		agg := &plan.Aggregate{Input: n, GroupBy: r.exprs(p.groupBy), FromTotal: p.count}
		for _, a := range p.aggs {
			agg.Aggs = append(agg.Aggs, r.expr(a).(*expr.Agg))
		}
		n = agg
		if p.having != nil {
			n = &plan.Filter{Input: n, Cond: p.having, Having: true}
		}
		sortInGo = len(p.order) > 0
	} else {
		items, order = r.exprs(items), r.orders(p.order)
	}
	if r.err != nil {
		return nil, r.err
	}
	proj := &plan.Project{Input: n, Items: items}
	n = proj
	if p.distinct {
		n = &plan.Distinct{Input: n}
	}
	if sortInGo {
		s := &plan.Sort{Keys: orders(p.order), Columns: len(items), Keep: -1}
		for i, o := range p.order {
			if p.distinct {
				// DISTINCT sorts its rows by the select items the keys
				// equal (the binder requires one).
				s.Cols = append(s.Cols, o.Output)
				continue
			}
			proj.Hidden = append(proj.Hidden, order[i].Expr)
			s.Cols = append(s.Cols, len(items)+i)
		}
		if p.goLimit && p.limit >= 0 {
			s.Keep = p.offset + p.limit
		}
		s.Input = n
		n = s
	}
	if p.goLimit && (p.limit >= 0 || p.offset > 0) {
		n = &plan.Limit{Input: n, Offset: p.offset, Count: p.limit}
	}
	return n, nil
}

// resolver resolves column references against the columns of the rows
// they read, keeping the first error.
type resolver struct {
	cols []string
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

func (r *resolver) orders(items []bind.OrderItem) []plan.Order {
	out := orders(items)
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

// orders converts bound sort keys to the plan's.
func orders(items []bind.OrderItem) []plan.Order {
	out := make([]plan.Order, len(items))
	for i, o := range items {
		out[i] = plan.Order{Expr: o.Expr, Desc: o.Desc}
	}
	return out
}

// keeps reports whether rec passes the residual condition and a
// non-grouping HAVING: an offset read's change check leaves out the
// records the plan would.
func (p *pipeline) keeps(rec catalog.Record) (bool, error) {
	en := &expr.Env{Row: exec.ToRow(rec, p.keepCols), Loc: p.loc}
	for _, cond := range p.keepConds {
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

// Rows are the output rows of a plan, produced as the driver asks for
// them. Rows are not safe for concurrent use.
type Rows struct {
	cols []catalog.ResultColumn
	next func() ([]any, error)
	err  error
}

// Run starts the plan over the records src yields. For a plan whose Read
// is nil, src is not called and may be nil.
//
// Steps that only look at one row at a time (filtering, projection,
// LIMIT) stream: memory stays flat and Next reads only as many records as
// it needs, so a LIMIT stops the reading early. An ORDER BY done in Go,
// GROUP BY and aggregates read every record before the first row is
// returned; ORDER BY with LIMIT keeps only the best LIMIT + OFFSET rows,
// GROUP BY keeps one entry per group, DISTINCT remembers the rows it has
// returned.
func (s *Select) Run(src Source) *Rows {
	in := exec.Inputs{}
	if s.Read != nil && src != nil {
		in.Records = src
	}
	return &Rows{cols: s.Columns, next: exec.Run(s.root, in, s.execOptions())}
}

// RunCount runs a StrategyCount plan with the totalCount Kintone
// returned.
func (s *Select) RunCount(total int64) *Rows {
	return &Rows{cols: s.Columns, next: exec.Run(s.root, exec.Inputs{Total: total}, s.execOptions())}
}

// execOptions are the executor's options for s.
func (s *Select) execOptions() exec.Options {
	return exec.Options{Location: s.pipe.loc, MaxBuffered: s.pipe.maxBuffered}
}

// Columns returns the output column names.
func (r *Rows) Columns() []string {
	names := make([]string, len(r.cols))
	for i, c := range r.cols {
		names[i] = c.Name
	}
	return names
}

// Next fills dest with the next row's driver values (nil, int64, string,
// time.Time or []byte). It returns io.EOF after the last row, and keeps
// returning the first error it met.
func (r *Rows) Next(dest []driver.Value) error {
	if r.err != nil {
		return r.err
	}
	row, err := r.next()
	if err != nil {
		r.err = err
		return err
	}
	for i, v := range row {
		if i >= len(dest) {
			break
		}
		dv, err := toDriver(v)
		if err != nil {
			r.err = err
			return err
		}
		dest[i] = dv
	}
	return nil
}

// toDriver converts a computed value to a driver value: booleans become
// 1 and 0 as in MySQL, the rest as field.DriverValue says.
func toDriver(v any) (driver.Value, error) {
	if b, ok := v.(bool); ok {
		if b {
			return int64(1), nil
		}
		return int64(0), nil
	}
	return field.DriverValue(v)
}

// steps describes the Go-side steps, as EXPLAIN's go column shows them.
func (s *Select) steps() []string { return plan.Steps(s.root) }
