package translate

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"github.com/kintone-sql/kintone/translate/exec"
	"github.com/kintone-sql/kintone/translate/plan"

	"github.com/kintone-sql/kintone/internal/scan"
	"github.com/kintone-sql/kintone/translate/bind"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/optimize"
)

// Statement is a translated statement, ready to run: a *Select (also for
// SHOW, DESCRIBE and EXPLAIN), an *Insert, an *Update or a *Delete.
type Statement interface {
	isStatement()
}

// Select is the plan of a SELECT (or SHOW, DESCRIBE, EXPLAIN).
type Select struct {
	// Columns describes the output columns.
	Columns []catalog.ResultColumn
	// Read is the Kintone side of the plan; nil when the plan needs no
	// request (StrategyNone), or opens several reads itself as it runs (a
	// join, a read per option: see RunReads).
	Read *Read

	// root is the plan tree: what runs and what EXPLAIN prints.
	root plan.Node
	// loc and maxBuffered are the executor's options.
	loc         *time.Location
	maxBuffered int
}

func (*Select) isStatement() {}

// Strategy returns the plan's read strategy.
func (s *Select) Strategy() Strategy {
	if s.Read == nil {
		return StrategyNone
	}
	return s.Read.Strategy
}

// Bind binds args to the statement's placeholders and plans it. args
// follow database/sql: Ordinal for ? placeholders, Name for :name ones;
// each value is nil, int64, float64, bool, string, []byte, time.Time (or
// another integer or float type, a named type of one, a driver.Valuer),
// or a slice of those, which stands for the whole list of IN (?) or the
// values of a multi-valued field.
func (p *Prepared) Bind(ctx context.Context, args []driver.NamedValue) (Statement, error) {
	b, err := bind.NewBinder(p.src, p.opts.bind(), p.numInput, args)
	if err != nil {
		return nil, err
	}
	if p.write != nil {
		st, err := p.write.plan(ctx, p, b)
		if err != nil || !p.explain {
			return st, err
		}
		return explainWrite(st, p.opts.Location), nil
	}
	sel, err := planSelect(ctx, p, b)
	if err != nil {
		return nil, err
	}
	if p.explain {
		return explainPlan(sel), nil
	}
	return sel, nil
}

// boundSelect is a template with its arguments bound.
type boundSelect struct {
	from          plan.Node // the Scan, or the joins of Scans
	where, having expr.Expr
	items         []expr.Expr
	groupBy       []expr.Expr
	aggs          []*expr.Agg
	order         []bind.OrderItem
	windows       []*expr.WindowFunc
	subs          []plan.Node // the subqueries' plans (Subs); nil for one joined
	set           *plan.SetOp // a set operation's inputs (Set)
	// semi joins the correlated subqueries of WHERE to what FROM reads;
	// rest is what is left of WHERE (decorrelate).
	semi          func(plan.Node) plan.Node
	rest          expr.Expr
	limit, offset int64 // limit -1: none
}

// bindTemplate binds every expression of t.
func bindTemplate(t *bind.SelectTemplate, b *bind.Binder) (*boundSelect, error) {
	out := &boundSelect{limit: -1}
	var err error
	if t.Set != nil {
		return bindSet(t, b)
	}
	from := t.From
	if from == nil {
		// A template made by SHOW, DESCRIBE or a write: its one Table.
		from = &bind.FromTable{Table: t.Table}
	}
	if out.from, err = bindFrom(from, b); err != nil {
		return nil, err
	}
	if out.where, err = b.Bind(t.Where); err != nil {
		return nil, err
	}
	if out.having, err = b.Bind(t.Having); err != nil {
		return nil, err
	}
	for _, it := range t.Items {
		e, err := b.Bind(it.Expr)
		if err != nil {
			return nil, err
		}
		out.items = append(out.items, e)
	}
	for _, g := range t.GroupBy {
		e, err := b.Bind(g)
		if err != nil {
			return nil, err
		}
		out.groupBy = append(out.groupBy, e)
	}
	for _, a := range t.Aggs {
		e, err := b.Bind(a)
		if err != nil {
			return nil, err
		}
		out.aggs = append(out.aggs, e.(*expr.Agg))
	}
	for _, w := range t.Windows {
		e, err := b.Bind(w)
		if err != nil {
			return nil, err
		}
		out.windows = append(out.windows, e.(*expr.WindowFunc))
	}
	for _, o := range t.Order {
		e, err := b.Bind(o.Expr)
		if err != nil {
			return nil, err
		}
		out.order = append(out.order, bind.OrderItem{Expr: e, Desc: o.Desc, Nulls: o.Nulls, Output: o.Output})
	}
	for _, st := range t.Subs {
		sbs, err := bindTemplate(st.T, b)
		if err != nil {
			return nil, err
		}
		out.subs = append(out.subs, logicalPlan(st.T, sbs))
	}
	if err := out.decorrelate(t, b); err != nil {
		return nil, err
	}
	return out, out.bindLimit(t, b)
}

// bindLimit binds LIMIT and OFFSET (limit -1 when there is none).
func (bs *boundSelect) bindLimit(t *bind.SelectTemplate, b *bind.Binder) error {
	var err error
	if t.Limit != nil {
		if bs.limit, err = b.BindInt(t.Limit, "LIMIT"); err != nil {
			return err
		}
	}
	if t.Offset != nil {
		if bs.offset, err = b.BindInt(t.Offset, "OFFSET"); err != nil {
			return err
		}
	}
	return nil
}

// bindFrom is the plan of what FROM reads: a Scan of each table, the
// joins over them with their conditions bound.
func bindFrom(f bind.From, b *bind.Binder) (plan.Node, error) {
	switch f := f.(type) {
	case *bind.FromTable:
		return &plan.Scan{Table: f.Table}, nil
	case *bind.FromDerived:
		bs, err := bindTemplate(f.Sub, b)
		if err != nil {
			return nil, err
		}
		return &plan.Derived{Table: f.Table, Input: logicalPlan(f.Sub, bs)}, nil
	case *bind.FromJoin:
		l, err := bindFrom(f.L, b)
		if err != nil {
			return nil, err
		}
		r, err := bindFrom(f.R, b)
		if err != nil {
			return nil, err
		}
		on, err := b.Bind(f.On)
		if err != nil {
			return nil, err
		}
		return &plan.Join{Kind: joinKind(f.Kind), Left: l, Right: r, On: on}, nil
	}
	return nil, fmt.Errorf("kintone: internal error: FROM of %T", f)
}

// joinKind is the plan's kind of a join the binder resolved.
func joinKind(k bind.JoinKind) plan.JoinKind {
	switch k {
	case bind.JoinCross:
		return plan.Cross
	case bind.JoinLeft:
		return plan.Left
	case bind.JoinRight:
		return plan.Right
	case bind.JoinFull:
		return plan.Full
	}
	return plan.Inner
}

// planSelect binds and plans a SELECT: the binder's tree (logicalPlan),
// then what the optimizer makes of it: what Kintone does (Read) and the
// tree of what Go does over the records it returns.
func planSelect(ctx context.Context, p *Prepared, b *bind.Binder) (*Select, error) {
	t := p.tmpl
	bs, err := bindTemplate(t, b)
	if err != nil {
		return nil, err
	}
	opts := p.opts
	if bs.limit < 0 && opts.MaxRows > 0 && !p.meta && (t.Table == nil || t.Table.Virtual == nil) {
		// maxRows: a SELECT of records ends with LIMIT MaxRows, and is
		// planned so (one GET when it fits a page, pages that stop at the
		// cap, a bounded heap for a sort in Go). Metadata (SHOW,
		// DESCRIBE, information_schema) is not capped.
		bs.limit = int64(opts.MaxRows)
	}
	res, err := optimize.Optimize(ctx, logicalPlan(t, bs), optimize.Env{
		Schema: p.schema, Location: opts.Location, PageSize: opts.PageSize, Cursor: opts.Cursor,
		MaxBuffered: opts.MaxBufferedRows, WriteTargets: p.writeTargets, Pos: p.src.Pos,
	})
	if err != nil {
		return nil, err
	}
	sel := &Select{Read: res.Read, root: res.Root, loc: opts.Location, maxBuffered: opts.MaxBufferedRows}
	for _, it := range t.Items {
		sel.Columns = append(sel.Columns, it.Column)
	}
	return sel, nil
}

// logicalPlan is the SELECT as the binder gives it, before the optimizer
// decides what Kintone does: a Scan of the table, the WHERE, a HAVING
// without grouping, the grouping and its HAVING, the select list,
// DISTINCT, ORDER BY and LIMIT, each a node over the one before.
func logicalPlan(t *bind.SelectTemplate, bs *boundSelect) plan.Node {
	if bs.set != nil {
		return setPlan(bs)
	}
	n := bs.from
	where := bs.where
	if bs.semi != nil {
		n, where = bs.semi(n), bs.rest
	}
	if where != nil {
		n = &plan.Filter{Input: n, Cond: where}
	}
	if t.Grouped {
		n = &plan.Aggregate{Input: n, GroupBy: bs.groupBy, Aggs: bs.aggs}
	}
	if bs.having != nil {
		n = &plan.Filter{Input: n, Cond: bs.having, Having: true}
	}
	if len(bs.windows) > 0 {
		n = &plan.Window{Input: n, Funcs: bs.windows}
	}
	n = &plan.Project{Input: n, Items: bs.items}
	if t.Distinct {
		n = &plan.Distinct{Input: n}
	}
	if len(bs.order) > 0 {
		keys := make([]plan.Order, len(bs.order))
		for i, o := range bs.order {
			keys[i] = plan.Order{Expr: o.Expr, Desc: o.Desc, Nulls: o.Nulls, Output: o.Output}
		}
		n = &plan.Sort{Input: n, Keys: keys, Keep: -1}
	}
	if bs.limit >= 0 || bs.offset > 0 {
		n = &plan.Limit{Input: n, Offset: bs.offset, Count: bs.limit}
	}
	for _, s := range bs.subs {
		if s != nil {
			sq := &plan.Subqueries{Subs: bs.subs, Input: n}
			for _, st := range t.Subs {
				sq.Modes = append(sq.Modes, st.Mode)
				sq.PerRow = append(sq.PerRow, st.Correlated)
			}
			return sq
		}
	}
	return n
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

// Reader performs the reads of a plan that has several (a join) or whose
// reads depend on what was read before (a key lookup): the driver's
// pagers.
type Reader interface {
	// Open starts read and returns its records.
	Open(read *Read) Source
	// Count returns how many records read (of StrategyCount) matches.
	Count(read *Read) (int64, error)
}

// RunReads starts the plan, opening each of its reads through r as the
// plan comes to it: its one read (s.Read) as the plan is built, or a
// join's sides, a key lookup's batches and subqueries as they are needed.
// Rows stream as Run's do; a join holds the rows of one side (see exec).
func (s *Select) RunReads(r Reader) *Rows {
	in := exec.Inputs{
		Open: func(read *scan.Spec) func() (catalog.Record, error) {
			return r.Open(read)
		},
		Count: r.Count,
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
	return exec.Options{Location: s.loc, MaxBuffered: s.maxBuffered}
}

// steps describes the Go-side steps, as EXPLAIN's go column shows them.
func (s *Select) steps() []string { return plan.Steps(s.root) }

// Explain describes the plan in one line per step, as EXPLAIN shows it.
func (s *Select) Explain() string {
	var b strings.Builder
	fmt.Fprintf(&b, "strategy: %s\n", s.Strategy())
	if r := s.Read; r != nil {
		fmt.Fprintf(&b, "app: %d\n", r.App)
		fmt.Fprintf(&b, "query: %s\n", r.Query.String())
		fmt.Fprintf(&b, "fields: %s\n", strings.Join(r.Fields, ", "))
		if r.Strategy != StrategySingle && r.Strategy != StrategyCount {
			fmt.Fprintf(&b, "page size: %d\n", r.PageSize)
		}
		if r.MaxRecords > 0 {
			fmt.Fprintf(&b, "max records: %d\n", r.MaxRecords)
		}
		if r.Strategy == StrategyOffset && r.Offset > 0 {
			fmt.Fprintf(&b, "first offset: %d\n", r.Offset)
		}
		if r.CursorFallback {
			fmt.Fprintf(&b, "%s\n", r.ExplainPastLimit())
		}
		if r.Strategy == StrategyCursor || r.CursorFallback {
			fmt.Fprintf(&b, "no cursor free: $id pages sorted in Go when they hold at most %d records and take at most %d times the requests of a cursor, else wait for one\n", r.Sorted().Hold(), scan.NoCursorCost)
		}
		if r.Strategy == StrategyOffset && r.NoCursor {
			fmt.Fprintf(&b, "update time hidden (no change check): $id pages sorted in Go when they hold at most %d records, else fail (useCursor=never)\n", r.Sorted().Hold())
		}
		if r.Strategy == StrategyOffset {
			fmt.Fprintf(&b, "change check: after two pages or more, the records changed since the read began (%s >= its minute), one GET per 500 of those that match, the rows returned among them unless in their %d longest runs of $id (right after an import or bulk update of scattered records, about one GET per page); one moved among the rows returned fails the read (ErrRecordsChanged)\n", r.UpdateTime, scan.MaxCheckGaps)
		}
	}
	b.WriteString("plan:\n")
	for _, line := range strings.Split(strings.TrimSuffix(plan.Explain(s.root), "\n"), "\n") {
		fmt.Fprintf(&b, "  %s\n", line)
	}
	return b.String()
}
