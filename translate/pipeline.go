package translate

import (
	"database/sql/driver"
	"fmt"
	"io"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// Source yields the records a plan reads, one at a time, and io.EOF after
// the last. The driver implements it over the pages of Read; any other
// error it returns stops the rows and is returned from Rows.Next as it is.
type Source func() (catalog.Record, error)

// pipeline is the Go side of a plan: everything Kintone does not do.
type pipeline struct {
	loc         *time.Location
	maxBuffered int // Options.MaxBufferedRows

	virtual []catalog.Record // the rows of a virtual table
	empty   bool             // no record can match: read nothing
	child   string           // flatten this SUBTABLE into rows

	checkOrder []orderItem // keys Kintone sorted by, to verify
	where      expr.Expr   // residual condition
	rowFilter  expr.Expr   // HAVING without grouping

	grouped bool
	groupBy []expr.Expr
	aggs    []*expr.Agg
	having  expr.Expr
	count   bool // the aggregates are all counts of Read's totalCount

	items    []expr.Expr
	order    []orderItem
	sortInGo bool
	distinct bool

	limit   int64 // -1: none
	offset  int64
	goLimit bool // apply limit and offset here
}

// Rows are the output rows of a plan, produced as the driver asks for
// them. Rows are not safe for concurrent use.
type Rows struct {
	cols []catalog.ResultColumn
	next func() ([]any, error)
	err  error
}

// Run starts the pipeline over the records src yields. For a plan whose
// Read is nil, src is not called and may be nil.
//
// Steps that only look at one row at a time (filtering, projection,
// LIMIT) stream: memory stays flat and Next reads only as many records as
// it needs, so a LIMIT stops the reading early. An ORDER BY done in Go,
// GROUP BY and aggregates read every record before the first row is
// returned; ORDER BY with LIMIT keeps only the best LIMIT + OFFSET rows,
// GROUP BY keeps one entry per group, DISTINCT remembers the rows it has
// returned.
func (s *Select) Run(src Source) *Rows {
	p := s.pipe
	in := p.source(src)
	return &Rows{cols: s.Columns, next: p.build(in)}
}

// RunCount runs a StrategyCount plan with the totalCount Kintone
// returned.
func (s *Select) RunCount(total int64) *Rows {
	p := s.pipe
	slots := make([]any, len(p.aggs))
	for i := range slots {
		slots[i] = total
	}
	return &Rows{cols: s.Columns, next: p.afterGrouping([][]any{slots})}
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

// source returns the record stream: the virtual rows, nothing, or src,
// with subtables flattened and the pushed order verified.
func (p *pipeline) source(src Source) Source {
	switch {
	case p.virtual != nil:
		rows, i := p.virtual, 0
		return func() (catalog.Record, error) {
			if i >= len(rows) {
				return nil, io.EOF
			}
			i++
			return rows[i-1], nil
		}
	case p.empty || src == nil:
		return func() (catalog.Record, error) { return nil, io.EOF }
	}
	if p.child != "" {
		src = flatten(src, p.child)
	}
	if p.checkOrder != nil {
		src = p.verifyOrder(src)
	}
	return src
}

// flatten turns each record into the rows of its SUBTABLE: the parent's
// $id, the row's id as $row_id, and the inner fields.
func flatten(src Source, sub string) Source {
	var parent catalog.Record
	var rows []field.Row
	i := 0
	return func() (catalog.Record, error) {
		for i >= len(rows) {
			rec, err := src()
			if err != nil {
				return nil, err
			}
			parent, i = rec, 0
			rows, _ = rec[sub].([]field.Row)
		}
		row := rows[i]
		i++
		out := make(catalog.Record, len(row.Fields)+2)
		out[catalog.ColID] = parent[catalog.ColID]
		out[catalog.ColRowID] = row.ID
		for code, cell := range row.Fields {
			out[code] = cell.Value
		}
		return out, nil
	}
}

// verifyOrder checks that records arrive in the SQL order of the keys
// Kintone was asked to sort by (NULLs first ascending, last descending)
// and fails with ErrOrderMismatch otherwise.
func (p *pipeline) verifyOrder(src Source) Source {
	var prev []any
	en := &expr.Env{Loc: p.loc}
	return func() (catalog.Record, error) {
		rec, err := src()
		if err != nil {
			return nil, err
		}
		en.Rec = rec
		keys := make([]any, len(p.checkOrder))
		for i, o := range p.checkOrder {
			if keys[i], err = en.Eval(o.e); err != nil {
				return nil, err
			}
		}
		if prev != nil {
			c, err := p.compareKeys(prev, keys, p.checkOrder)
			if err != nil {
				return nil, err
			}
			if c > 0 {
				return nil, fmt.Errorf("%w: %s after %s", sqlerr.ErrOrderMismatch, describeKeys(keys), describeKeys(prev))
			}
		}
		prev = keys
		return rec, nil
	}
}

// describeKeys prints sort keys for an error message.
func describeKeys(keys []any) string {
	s := "("
	for i, k := range keys {
		if i > 0 {
			s += ", "
		}
		if k == nil {
			s += "NULL"
		} else {
			s += expr.QuoteValue(k)
		}
	}
	return s + ")"
}

// filtered returns the records that pass the residual condition and a
// non-grouping HAVING.
func (p *pipeline) filtered(in Source) Source {
	if p.where == nil && p.rowFilter == nil {
		return in
	}
	en := &expr.Env{Loc: p.loc}
	return func() (catalog.Record, error) {
		for {
			rec, err := in()
			if err != nil {
				return nil, err
			}
			ok, err := p.pass(en, rec)
			if err != nil {
				return nil, err
			}
			if ok {
				return rec, nil
			}
		}
	}
}

// keeps reports whether rec passes the residual condition and a
// non-grouping HAVING.
func (p *pipeline) keeps(rec catalog.Record) (bool, error) {
	return p.pass(&expr.Env{Loc: p.loc}, rec)
}

func (p *pipeline) pass(en *expr.Env, rec catalog.Record) (bool, error) {
	en.Rec = rec
	for _, cond := range []expr.Expr{p.where, p.rowFilter} {
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

// build assembles the steps after the source.
func (p *pipeline) build(in Source) func() ([]any, error) {
	in = p.filtered(in)
	if p.grouped {
		var out func() ([]any, error)
		return func() ([]any, error) {
			if out == nil {
				groups, err := p.group(in)
				if err != nil {
					out = failed(err)
				} else {
					out = p.afterGrouping(groups)
				}
			}
			return out()
		}
	}
	en := &expr.Env{Loc: p.loc}
	rows := func() (out, keys []any, err error) {
		rec, err := in()
		if err != nil {
			return nil, nil, err
		}
		en.Rec = rec
		if out, err = p.project(en); err != nil {
			return nil, nil, err
		}
		if p.sortInGo && !p.distinct {
			keys = make([]any, len(p.order))
			for i, o := range p.order {
				if keys[i], err = en.Eval(o.e); err != nil {
					return nil, nil, err
				}
			}
		}
		return out, keys, nil
	}
	return p.finish(rows)
}

// failed returns a step that always fails with err.
func failed(err error) func() ([]any, error) {
	return func() ([]any, error) { return nil, err }
}

// project evaluates the select list.
func (p *pipeline) project(en *expr.Env) ([]any, error) {
	out := make([]any, len(p.items))
	for i, e := range p.items {
		v, err := en.Eval(e)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

// finish applies DISTINCT, the Go-side ORDER BY, OFFSET and LIMIT to
// projected rows (with their sort keys when sorting on source values).
func (p *pipeline) finish(rows func() (out, keys []any, err error)) func() ([]any, error) {
	var seen map[string]bool
	if p.distinct {
		seen = map[string]bool{}
	}
	dedup := func() (out, keys []any, err error) {
		for {
			out, keys, err := rows()
			if err != nil || seen == nil {
				return out, keys, err
			}
			k := rowKey(out)
			if seen[k] {
				continue
			}
			if p.maxBuffered > 0 && len(seen) >= p.maxBuffered {
				return nil, nil, fmt.Errorf("%w: DISTINCT has seen more than %d rows", sqlerr.ErrTooManyRows, p.maxBuffered)
			}
			seen[k] = true
			if p.distinct && p.sortInGo {
				keys = make([]any, len(p.order))
				for i, o := range p.order {
					keys[i] = out[o.output]
				}
			}
			return out, keys, nil
		}
	}
	next := func() ([]any, error) {
		out, _, err := dedup()
		return out, err
	}
	if p.sortInGo {
		var sorted [][]any
		pos := 0
		var sortErr error
		next = func() ([]any, error) {
			if sorted == nil && sortErr == nil {
				sorted, sortErr = p.sortAll(dedup)
				if sorted == nil {
					sorted = [][]any{}
				}
			}
			if sortErr != nil {
				return nil, sortErr
			}
			if pos >= len(sorted) {
				return nil, io.EOF
			}
			pos++
			return sorted[pos-1], nil
		}
	}
	if !p.goLimit || p.limit < 0 && p.offset == 0 {
		return next
	}
	skipped, taken := int64(0), int64(0)
	return func() ([]any, error) {
		for skipped < p.offset {
			if _, err := next(); err != nil {
				return nil, err
			}
			skipped++
		}
		if p.limit >= 0 && taken >= p.limit {
			return nil, io.EOF
		}
		out, err := next()
		if err != nil {
			return nil, err
		}
		taken++
		return out, nil
	}
}

// rowKey is the DISTINCT key of an output row.
func rowKey(vals []any) string {
	s := ""
	for _, v := range vals {
		k := expr.ValueKey(v)
		s += fmt.Sprintf("%d:%s", len(k), k)
	}
	return s
}

// steps describes the Go-side steps for Explain.
func (p *pipeline) steps() []string {
	var out []string
	switch {
	case p.virtual != nil:
		out = append(out, fmt.Sprintf("rows of a metadata table (%d)", len(p.virtual)))
	case p.empty:
		out = append(out, "no record can match: nothing is read")
	}
	if p.child != "" {
		out = append(out, "one row per row of subtable "+p.child)
	}
	if p.checkOrder != nil {
		out = append(out, "check Kintone's order (nullable sort keys)")
	}
	if p.where != nil {
		out = append(out, "filter: "+expr.String(p.where))
	}
	if p.rowFilter != nil {
		out = append(out, "filter (HAVING): "+expr.String(p.rowFilter))
	}
	if p.count {
		out = append(out, "count from totalCount")
	} else if p.grouped {
		out = append(out, fmt.Sprintf("group by %d keys, %d aggregates (holds one entry per group)", len(p.groupBy), len(p.aggs)))
	}
	if p.having != nil {
		out = append(out, "filter (HAVING): "+expr.String(p.having))
	}
	if p.distinct {
		out = append(out, "distinct (remembers the rows returned)")
	}
	if p.sortInGo || p.grouped && len(p.order) > 0 {
		keys := ""
		for i, o := range p.order {
			if i > 0 {
				keys += ", "
			}
			keys += expr.String(o.e)
			if o.desc {
				keys += " DESC"
			}
		}
		if p.goLimit && p.limit >= 0 {
			out = append(out, fmt.Sprintf("sort by %s keeping the first %d (holds %d rows)", keys, p.offset+p.limit, p.offset+p.limit))
		} else {
			out = append(out, "sort by "+keys+" (holds every row)")
		}
	}
	if p.goLimit && p.offset > 0 {
		out = append(out, fmt.Sprintf("offset %d", p.offset))
	}
	if p.goLimit && p.limit >= 0 {
		out = append(out, fmt.Sprintf("limit %d", p.limit))
	}
	return out
}
