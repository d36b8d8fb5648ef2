package translate

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/kintone-sql/kintone/translate/plan"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/internal/scan"
	"github.com/kintone-sql/kintone/translate/bind"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/optimize"
	"github.com/kintone-sql/kintone/translate/sqlerr"
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
	// request (StrategyNone).
	Read *Read

	pipe *pipeline
	// root is the plan tree: what runs and what EXPLAIN prints.
	root plan.Node
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
	where, having expr.Expr
	items         []expr.Expr
	groupBy       []expr.Expr
	aggs          []*expr.Agg
	order         []bind.OrderItem
	limit, offset int64 // limit -1: none
}

// bindTemplate binds every expression of t.
func bindTemplate(t *bind.SelectTemplate, b *bind.Binder) (*boundSelect, error) {
	out := &boundSelect{limit: -1}
	var err error
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
	for _, o := range t.Order {
		e, err := b.Bind(o.Expr)
		if err != nil {
			return nil, err
		}
		out.order = append(out.order, bind.OrderItem{Expr: e, Desc: o.Desc, Output: o.Output})
	}
	if t.Limit != nil {
		if out.limit, err = b.BindInt(t.Limit, "LIMIT"); err != nil {
			return nil, err
		}
	}
	if t.Offset != nil {
		if out.offset, err = b.BindInt(t.Offset, "OFFSET"); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// planSelect binds and plans a SELECT: what Kintone does (Read) and the
// tree of what Go does over the records it returns.
func planSelect(ctx context.Context, p *Prepared, b *bind.Binder) (*Select, error) {
	sel, err := decideSelect(ctx, p, b)
	if err != nil {
		return nil, err
	}
	if sel.root, err = sel.pipe.tree(sel.Read); err != nil {
		return nil, err
	}
	return sel, nil
}

// decideSelect decides what Kintone reads and what is left to Go.
func decideSelect(ctx context.Context, p *Prepared, b *bind.Binder) (*Select, error) {
	t := p.tmpl
	bs, err := bindTemplate(t, b)
	if err != nil {
		return nil, err
	}
	opts := p.opts
	if bs.limit < 0 && opts.MaxRows > 0 && !p.meta && t.Table.Virtual == nil {
		// maxRows: a SELECT of records ends with LIMIT MaxRows, and is
		// planned so (one GET when it fits a page, pages that stop at the
		// cap, a bounded heap for a sort in Go). Metadata (SHOW,
		// DESCRIBE, information_schema) is not capped.
		bs.limit = int64(opts.MaxRows)
	}
	pipe := &pipeline{
		cols:        columnCodes(t.Table.Cols),
		loc:         opts.Location,
		maxBuffered: opts.MaxBufferedRows,
		items:       bs.items,
		grouped:     t.Grouped,
		groupBy:     bs.groupBy,
		aggs:        bs.aggs,
		order:       bs.order,
		distinct:    t.Distinct,
		limit:       bs.limit,
		offset:      bs.offset,
		goLimit:     true,
	}
	if t.Grouped {
		pipe.having = bs.having
	} else {
		pipe.rowFilter = bs.having
	}
	sel := &Select{pipe: pipe}
	for _, it := range t.Items {
		sel.Columns = append(sel.Columns, it.Column)
	}
	tbl := t.Table

	if tbl.Virtual != nil {
		rows, err := tbl.Virtual.Rows(ctx, p.schema)
		if err != nil {
			return nil, err
		}
		pipe.virtual = rows
		pipe.where = bs.where
		pipe.sortInGo = len(bs.order) > 0
		return sel, nil
	}

	pu := &optimize.Pusher{Table: tbl, Loc: opts.Location}
	sp := pu.SplitWhere(bs.where)
	if k := expr.FindKFunc(sp.Residual); k != nil {
		return nil, &sqlerr.UnsupportedError{Construct: expr.KFuncName(k) + " in a condition evaluated outside Kintone", Pos: p.src.Pos(k.At),
			Hint: "Kintone's functions are evaluated by Kintone only; here the condition is combined (by OR, or on a subtable field) with one Kintone cannot evaluate"}
	}
	pipe.where = sp.Residual
	if tbl.IsChild() {
		pipe.child = tbl.Sub.Code
		pipe.parentCols = []string{catalog.ColID, tbl.Sub.Code}
	}
	if sp.Never || bs.limit == 0 {
		pipe.empty = true
		pipe.sortInGo = len(bs.order) > 0
		return sel, nil
	}

	loc := opts.Location
	read := &Read{App: tbl.App.ID, PageSize: opts.PageSize, Location: loc, Props: tbl.App.Fields,
		UpdateTime: updateTimeField(tbl.App), MaxBuffered: opts.MaxBufferedRows, NoCursor: opts.Cursor == CursorNever,
		Compare: func(a, b any) (int, error) { return expr.CompareNullsFirst(a, b, loc) }, Describe: expr.DescribeKeys}
	if pipe.where != nil || pipe.rowFilter != nil {
		read.Filter = pipe.keeps
	}
	sel.Read = read

	// ORDER BY: pushed when every key sorts the same way in Kintone.
	var keys []kql.OrderKey
	orderPushed := !t.Grouped && len(bs.order) > 0
	for _, o := range bs.order {
		c, ok := o.Expr.(*expr.ColRef)
		if !ok || !optimize.SortsLikeSQL(c.Col, tbl.IsChild()) {
			orderPushed = false
			break
		}
		keys = append(keys, kql.OrderKey{Field: c.Col.Code, Desc: o.Desc, Explicit: true})
	}
	if !orderPushed {
		keys = nil
		pipe.sortInGo = len(bs.order) > 0
	}
	if isCountPlan(t, bs, pipe) {
		one := int64(1)
		read.Strategy = StrategyCount
		read.Query = &kql.Query{Where: sp.Query, Limit: &one}
		read.Fields = []string{catalog.ColID}
		pipe.count = true
		return sel, nil
	}

	ch := optimize.ChooseRead(optimize.ReadShape{
		Where: sp.Query, Keys: keys, SortInGo: pipe.sortInGo,
		GoWork: pipe.where != nil || pipe.rowFilter != nil || t.Grouped || t.Distinct || pipe.child != "",
		Limit:  bs.limit, Offset: bs.offset, KeysetExact: keysetExact(bs.order), WriteTargets: p.writeTargets,
		Cursor: opts.Cursor, HasUpdateTime: read.UpdateTime != "",
	})
	read.Strategy, read.Query = ch.Strategy, ch.Query
	read.Desc, read.Unordered, read.CursorFallback = ch.Desc, ch.Unordered, ch.CursorFallback
	read.Offset, read.MaxRecords = ch.Offset, ch.MaxRecords
	pipe.goLimit = ch.GoLimit
	if ch.SortInGo && !pipe.sortInGo {
		// Read by $id and sorted in Go instead of by cursor.
		pipe.sortInGo, orderPushed = true, false
	}
	if orderPushed {
		for _, o := range bs.order {
			if c := o.Expr.(*expr.ColRef); c.Col.Nullable {
				pipe.checkOrder = bs.order
				break
			}
		}
	}
	read.Fields = neededFields(tbl, pipe, read.Strategy)
	return sel, nil
}

// keysetExact reports whether a read sorted by order can page by its sort
// keys (StrategyKeyset): every key is a column that is never empty, that
// Kintone compares with = and > exactly as it sorts, and that no change
// to a record moves: the creation time (kept to the minute, which is how
// it prints, and written only when the record is added) and $id. Empty
// values cannot be paged past (Kintone has no "is empty" for most types,
// and where it sorts them is not documented), and text has no >. The
// update time changes with every edit: a record edited during the read
// would jump across the point reached, missed (descending) or read twice
// (ascending), so it pages by offset, whose change check sees that.
func keysetExact(order []bind.OrderItem) bool {
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

// isCountPlan reports whether a grouped query is a bare count that
// Kintone's totalCount answers: no GROUP BY, every aggregate COUNT(*) or
// COUNT of a never-empty column, and a condition pushed entirely.
func isCountPlan(t *bind.SelectTemplate, bs *boundSelect, pipe *pipeline) bool {
	if !t.Grouped || len(bs.groupBy) > 0 || pipe.where != nil || pipe.child != "" || len(bs.aggs) == 0 {
		return false
	}
	for _, a := range bs.aggs {
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

// neededFields lists the field codes the pipeline reads, $id first, then
// in the table's column order.
func neededFields(tbl *catalog.Table, pipe *pipeline, s Strategy) []string {
	if tbl.IsChild() {
		return []string{catalog.ColID, tbl.Sub.Code}
	}
	need := map[string]bool{}
	switch s {
	case StrategySeek, StrategyOffset, StrategyKeyset, StrategyCursor:
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
	note(pipe.where)
	note(pipe.rowFilter)
	for _, e := range pipe.items {
		note(e)
	}
	for _, e := range pipe.groupBy {
		note(e)
	}
	for _, a := range pipe.aggs {
		note(a)
	}
	for _, o := range pipe.order {
		note(o.Expr)
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
			fmt.Fprintf(&b, "cursor instead: when the first page's total shows the read passes offset %d\n", MaxOffset)
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

// columnCodes lists the codes of cols: the columns of a table's rows, in
// order.
func columnCodes(cols []*catalog.Column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.Code
	}
	return out
}
