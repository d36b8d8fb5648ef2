package translate

import (
	"container/heap"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math/big"
	"sort"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
)

// Source yields the records a plan reads, one at a time, and io.EOF after
// the last. The driver implements it over the pages of Read; any other
// error it returns stops the rows and is returned from Rows.Next as it is.
type Source func() (Record, error)

// pipeline is the Go side of a plan: everything Kintone does not do.
type pipeline struct {
	loc     *time.Location
	maxRows int

	virtual []Record // the rows of a virtual table
	empty   bool     // no record can match: read nothing
	child   string   // flatten this SUBTABLE into rows

	checkOrder []orderItem // keys Kintone sorted by, to verify
	where      expr        // residual condition
	rowFilter  expr        // HAVING without grouping

	grouped bool
	groupBy []expr
	aggs    []*aggExpr
	having  expr
	count   bool // the aggregates are all counts of Read's totalCount

	items    []expr
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
	cols []Column
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
		return func() (Record, error) {
			if i >= len(rows) {
				return nil, io.EOF
			}
			i++
			return rows[i-1], nil
		}
	case p.empty || src == nil:
		return func() (Record, error) { return nil, io.EOF }
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
	var parent Record
	var rows []field.Row
	i := 0
	return func() (Record, error) {
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
		out := make(Record, len(row.Fields)+2)
		out[colID] = parent[colID]
		out[colRowID] = row.ID
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
	en := &env{loc: p.loc}
	return func() (Record, error) {
		rec, err := src()
		if err != nil {
			return nil, err
		}
		en.rec = rec
		keys := make([]any, len(p.checkOrder))
		for i, o := range p.checkOrder {
			if keys[i], err = en.eval(o.e); err != nil {
				return nil, err
			}
		}
		if prev != nil {
			c, err := p.compareKeys(prev, keys, p.checkOrder)
			if err != nil {
				return nil, err
			}
			if c > 0 {
				return nil, fmt.Errorf("%w: %s after %s", ErrOrderMismatch, describeKeys(keys), describeKeys(prev))
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
			s += quoteValue(k)
		}
	}
	return s + ")"
}

// compareKeys orders two rows by sort keys: NULL before any value, each
// key reversed when descending (so NULLs come last there).
func (p *pipeline) compareKeys(a, b []any, order []orderItem) (int, error) {
	for i := range a {
		c, err := compareNullsFirst(a[i], b[i], p.loc)
		if err != nil {
			return 0, err
		}
		if order[i].desc {
			c = -c
		}
		if c != 0 {
			return c, nil
		}
	}
	return 0, nil
}

// compareNullsFirst orders two values, NULL first.
func compareNullsFirst(a, b any, loc *time.Location) (int, error) {
	switch {
	case a == nil && b == nil:
		return 0, nil
	case a == nil:
		return -1, nil
	case b == nil:
		return 1, nil
	}
	return compareValues(a, b, loc)
}

// filtered returns the records that pass the residual condition and a
// non-grouping HAVING.
func (p *pipeline) filtered(in Source) Source {
	if p.where == nil && p.rowFilter == nil {
		return in
	}
	en := &env{loc: p.loc}
	return func() (Record, error) {
		for {
			rec, err := in()
			if err != nil {
				return nil, err
			}
			en.rec = rec
			if p.where != nil {
				ok, err := en.evalBool(p.where)
				if err != nil {
					return nil, err
				}
				if !ok {
					continue
				}
			}
			if p.rowFilter != nil {
				ok, err := en.evalBool(p.rowFilter)
				if err != nil {
					return nil, err
				}
				if !ok {
					continue
				}
			}
			return rec, nil
		}
	}
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
	en := &env{loc: p.loc}
	rows := func() (out, keys []any, err error) {
		rec, err := in()
		if err != nil {
			return nil, nil, err
		}
		en.rec = rec
		if out, err = p.project(en); err != nil {
			return nil, nil, err
		}
		if p.sortInGo && !p.distinct {
			keys = make([]any, len(p.order))
			for i, o := range p.order {
				if keys[i], err = en.eval(o.e); err != nil {
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
func (p *pipeline) project(en *env) ([]any, error) {
	out := make([]any, len(p.items))
	for i, e := range p.items {
		v, err := en.eval(e)
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
			if p.maxRows > 0 && len(seen) >= p.maxRows {
				return nil, nil, fmt.Errorf("%w: DISTINCT has seen more than %d rows", ErrTooManyRows, p.maxRows)
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

// sortEntry is a row waiting to be sorted.
type sortEntry struct {
	keys []any
	out  []any
	seq  int
}

// sortAll reads every row and sorts it. With a LIMIT only the first
// OFFSET + LIMIT rows in sort order are kept (a bounded heap); ties keep
// their arrival order.
func (p *pipeline) sortAll(rows func() (out, keys []any, err error)) ([][]any, error) {
	h := &entryHeap{p: p}
	keep := -1
	if p.goLimit && p.limit >= 0 {
		keep = int(p.offset + p.limit)
	}
	for seq := 0; ; seq++ {
		out, keys, err := rows()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		e := sortEntry{keys: keys, out: out, seq: seq}
		if keep < 0 {
			if p.maxRows > 0 && len(h.entries) >= p.maxRows {
				return nil, fmt.Errorf("%w: ORDER BY in Go holds more than %d rows", ErrTooManyRows, p.maxRows)
			}
			h.entries = append(h.entries, e)
			continue
		}
		if keep == 0 {
			continue
		}
		if len(h.entries) < keep {
			heap.Push(h, e)
		} else if h.less(e, h.entries[0]) {
			h.entries[0] = e
			heap.Fix(h, 0)
		}
		if h.err != nil {
			return nil, h.err
		}
	}
	sort.SliceStable(h.entries, func(i, j int) bool { return h.less(h.entries[i], h.entries[j]) })
	if h.err != nil {
		return nil, h.err
	}
	out := make([][]any, len(h.entries))
	for i, e := range h.entries {
		out[i] = e.out
	}
	return out, nil
}

// entryHeap is a max-heap of sort entries (the worst kept row on top).
type entryHeap struct {
	p       *pipeline
	entries []sortEntry
	err     error
}

// less orders entries by their keys, then by arrival.
func (h *entryHeap) less(a, b sortEntry) bool {
	c, err := h.p.compareKeys(a.keys, b.keys, h.p.order)
	if err != nil && h.err == nil {
		h.err = err
	}
	if c != 0 {
		return c < 0
	}
	return a.seq < b.seq
}

func (h *entryHeap) Len() int           { return len(h.entries) }
func (h *entryHeap) Less(i, j int) bool { return h.less(h.entries[j], h.entries[i]) }
func (h *entryHeap) Swap(i, j int)      { h.entries[i], h.entries[j] = h.entries[j], h.entries[i] }
func (h *entryHeap) Push(x any)         { h.entries = append(h.entries, x.(sortEntry)) }
func (h *entryHeap) Pop() any {
	e := h.entries[len(h.entries)-1]
	h.entries = h.entries[:len(h.entries)-1]
	return e
}

// rowKey is the DISTINCT key of an output row.
func rowKey(vals []any) string {
	s := ""
	for _, v := range vals {
		k := valueKey(v)
		s += fmt.Sprintf("%d:%s", len(k), k)
	}
	return s
}

// group reads every row into groups and returns each group's slots (key
// values, then aggregate results) in the order the groups first appeared.
// Without GROUP BY there is exactly one group, even over no rows.
func (p *pipeline) group(in Source) ([][]any, error) {
	type state struct {
		keys []any
		accs []accumulator
	}
	index := map[string]*state{}
	var order []*state
	en := &env{loc: p.loc}
	newState := func(keys []any) *state {
		st := &state{keys: keys, accs: make([]accumulator, len(p.aggs))}
		for i, a := range p.aggs {
			st.accs[i] = newAccumulator(a, p.loc)
		}
		return st
	}
	if len(p.groupBy) == 0 {
		st := newState(nil)
		index[""] = st
		order = append(order, st)
	}
	for {
		rec, err := in()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		en.rec = rec
		keys := make([]any, len(p.groupBy))
		for i, g := range p.groupBy {
			if keys[i], err = en.eval(g); err != nil {
				return nil, err
			}
		}
		k := rowKey(keys)
		st := index[k]
		if st == nil {
			if p.maxRows > 0 && len(order) >= p.maxRows {
				return nil, fmt.Errorf("%w: GROUP BY holds more than %d groups", ErrTooManyRows, p.maxRows)
			}
			st = newState(keys)
			index[k] = st
			order = append(order, st)
		}
		for i, a := range p.aggs {
			args := make([]any, len(a.args))
			for j, x := range a.args {
				if args[j], err = en.eval(x); err != nil {
					return nil, err
				}
			}
			if err := st.accs[i].add(args); err != nil {
				return nil, fmt.Errorf("kintone: %s(): %w", a.fn, err)
			}
		}
	}
	out := make([][]any, len(order))
	for i, st := range order {
		slots := append([]any(nil), st.keys...)
		for _, acc := range st.accs {
			slots = append(slots, acc.result())
		}
		out[i] = slots
	}
	return out, nil
}

// afterGrouping runs HAVING, the select list, DISTINCT, ORDER BY, OFFSET
// and LIMIT over the groups' slots.
func (p *pipeline) afterGrouping(groups [][]any) func() ([]any, error) {
	i := 0
	en := &env{loc: p.loc}
	rows := func() (out, keys []any, err error) {
		for i < len(groups) {
			en.slots = groups[i]
			i++
			if p.having != nil {
				ok, err := en.evalBool(p.having)
				if err != nil {
					return nil, nil, err
				}
				if !ok {
					continue
				}
			}
			out, err := p.project(en)
			if err != nil {
				return nil, nil, err
			}
			if p.sortInGo && !p.distinct {
				keys = make([]any, len(p.order))
				for j, o := range p.order {
					if keys[j], err = en.eval(o.e); err != nil {
						return nil, nil, err
					}
				}
			}
			return out, keys, nil
		}
		return nil, nil, io.EOF
	}
	q := *p
	q.sortInGo = len(p.order) > 0
	return q.finish(rows)
}

// accumulator computes one aggregate over a group's rows.
type accumulator interface {
	add(args []any) error
	result() any
}

// newAccumulator returns the accumulator for a.
func newAccumulator(a *aggExpr, loc *time.Location) accumulator {
	var seen map[string]bool
	if a.distinct {
		seen = map[string]bool{}
	}
	switch a.fn {
	case "count":
		return &countAcc{star: len(a.args) == 0, seen: seen}
	case "sum", "avg":
		return &sumAcc{avg: a.fn == "avg", seen: seen}
	}
	return &minMaxAcc{max: a.fn == "max", loc: loc}
}

// countAcc is COUNT(*), COUNT(x) and COUNT(DISTINCT x, ...): rows whose
// arguments are all non-NULL.
type countAcc struct {
	star bool
	n    int64
	seen map[string]bool
}

func (c *countAcc) add(args []any) error {
	if !c.star {
		for _, a := range args {
			if a == nil {
				return nil
			}
		}
	}
	if c.seen != nil {
		k := rowKey(args)
		if c.seen[k] {
			return nil
		}
		c.seen[k] = true
	}
	c.n++
	return nil
}

func (c *countAcc) result() any { return c.n }

// sumAcc is SUM and AVG over the non-NULL values, exact. SUM keeps the
// largest scale of its inputs; AVG adds four digits (MySQL's
// div_precision_increment). Over no values both are NULL.
type sumAcc struct {
	avg   bool
	sum   big.Rat
	scale int
	n     int64
	seen  map[string]bool
}

func (s *sumAcc) add(args []any) error {
	v := args[0]
	if v == nil {
		return nil
	}
	if s.seen != nil {
		k := valueKey(v)
		if s.seen[k] {
			return nil
		}
		s.seen[k] = true
	}
	r, scale, ok := toRat(v)
	if !ok {
		return fmt.Errorf("%s is not a number", quoteValue(v))
	}
	s.sum.Add(&s.sum, r)
	s.scale = max(s.scale, scale)
	s.n++
	return nil
}

func (s *sumAcc) result() any {
	if s.n == 0 {
		return nil
	}
	if s.avg {
		q := new(big.Rat).Quo(&s.sum, new(big.Rat).SetInt64(s.n))
		return field.Decimal(q.FloatString(s.scale + 4))
	}
	return field.Decimal(s.sum.FloatString(s.scale))
}

// minMaxAcc is MIN and MAX over the non-NULL values.
type minMaxAcc struct {
	max bool
	v   any
	loc *time.Location
}

func (m *minMaxAcc) add(args []any) error {
	v := args[0]
	if v == nil {
		return nil
	}
	if m.v == nil {
		m.v = v
		return nil
	}
	c, err := compareValues(v, m.v, m.loc)
	if err != nil {
		return err
	}
	if m.max && c > 0 || !m.max && c < 0 {
		m.v = v
	}
	return nil
}

func (m *minMaxAcc) result() any { return m.v }

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
		out = append(out, "filter: "+exprString(p.where))
	}
	if p.rowFilter != nil {
		out = append(out, "filter (HAVING): "+exprString(p.rowFilter))
	}
	if p.count {
		out = append(out, "count from totalCount")
	} else if p.grouped {
		out = append(out, fmt.Sprintf("group by %d keys, %d aggregates (holds one entry per group)", len(p.groupBy), len(p.aggs)))
	}
	if p.having != nil {
		out = append(out, "filter (HAVING): "+exprString(p.having))
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
			keys += exprString(o.e)
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
