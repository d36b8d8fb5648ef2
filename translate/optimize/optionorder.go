package optimize

import (
	"slices"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/internal/scan"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
)

// This file plans an ORDER BY whose first key is a DROP_DOWN or
// RADIO_BUTTON field. Kintone sorts such a field in option order (where
// the options stand in the form), not in SQL's order of their texts, so
// ORDER BY it cannot go to Kintone. But the options are in the schema:
// the rows in SQL's order are those of each option in turn, the options
// taken in SQL's order of their texts, each read by a query of its own,
// "(cond) and f in ("opt")", with the other sort keys pushed as usual (or
// sorted in Go within the option when Kintone cannot sort by them). The
// reads run one after the other (plan.Concat), each opened only when the
// one before has ended, so that ORDER BY f LIMIT n stops after the first
// few options instead of reading every record and sorting in Go.
//
// Two kinds of records hold no option:
//
//   - An empty value, NULL, which SQL puts first ascending and last
//     descending (or where NULLS FIRST or LAST says). A DROP_DOWN reads
//     them with in (""), which Kintone documents as exactly the
//     unselected records, as one more read in that place. A RADIO_BUTTON
//     is never emptied, but a record saved before the field was added has
//     no value, and Kintone has no query for it: see the next point.
//   - A value that is no longer an option: an option removed from the form
//     stays in the records saved with it. These are read with not in
//     (every option, and "" for a DROP_DOWN, which leaves empty values
//     out as documented), sorted in Go, and merged in their place by
//     their text (plan.Merge). For a RADIO_BUTTON this read also has to
//     return the empty values, which Kintone does not document for not
//     in, so two counts check it (plan.Unlisted): the records of the
//     condition, against those holding an option plus the rows read. When
//     they differ, every record of the condition is read and those of no
//     option kept: exact either way, and as costly as the plan without
//     option reads only then.
//
// Before any of these, one request asks for a page of every record of
// the condition by $id (fewFirst in optionreads.go, plan.IfFew): the
// plan the statement had without reads per option. When it returns
// fewer than a page (500 records, or the DSN's pageSize), it returned
// every record, and the rows are sorted from those in Go: one request
// in all, as for any read of so few records. A full page may not be all
// of them: it is dropped, and the reads per option run.
//
// So ORDER BY f LIMIT n costs, in requests: one when fewer than 500
// records match; else that page, then the read of the first option
// (one request when n plus the OFFSET is at most 500), one for the values
// of no option (almost always none, but it must be asked before the
// first row), one for the empty values of a DROP_DOWN when they come
// first, two counts for a RADIO_BUTTON, and one per further option read
// until n rows are found: a few, where sorting in Go read every record.
// Exactly 500 records fill the page and cost those few too. A plan of
// one read (f IN ('a') ORDER BY f) needs no page first: its one read
// costs one request for few records anyway.
// A condition on the field (f IN ('a', 'b'), f <> 'c', f IS NOT NULL)
// leaves out the reads it rules out: f IN (...) leaves only the options
// listed, and no read of other values.
//
// It applies to a single table's records read with a LIMIT (the DSN's
// maxRows counts), ordered by columns only, without grouping, window
// functions or DISTINCT, and not for the read of a write. Without a LIMIT
// every record is read anyway, and reads per option would only add
// requests to the plan that sorts in Go; so would a field of more than
// MaxOptionReads options, each of which may cost a request that finds
// nothing.

// MaxOptionReads is the most options a read in option order reads one by
// one: a field with more is sorted in Go.
const MaxOptionReads = 50

// optionKey returns the field of the first ORDER BY key when q can be
// read in option order, nil otherwise.
func optionKey(q *query, tbl *catalog.Table, env Env) *catalog.Column {
	if tbl.IsChild() || env.WriteTargets || q.agg != nil || q.window != nil || q.distinct || q.limit <= 0 || len(q.order) == 0 {
		return nil
	}
	for _, o := range q.order {
		if c, ok := o.Expr.(*expr.ColRef); !ok || c.Col.Inner {
			return nil
		}
	}
	c := q.order[0].Expr.(*expr.ColRef).Col
	if c.Type != field.DropDown && c.Type != field.RadioButton || !kql.ValidFieldRef(c.Code) || c.Prop == nil || len(c.Prop.Options) == 0 {
		return nil
	}
	return c
}

// optionPlan is what the reads of one statement in option order share.
type optionPlan struct {
	g     *goSide
	env   Env
	tmpl  *scan.Spec // every read's spec, but for its strategy and query
	where kql.Expr   // the condition Kintone evaluates
	f     *catalog.Column
	set   optionSet
	// fields are the columns every read returns; cols their columns and
	// fcol the position of f among them.
	fields []string
	cols   []*catalog.Column
	fcol   int
	// keys are the other sort keys when Kintone sorts them as SQL does
	// (pushed), nil otherwise; then within an option they sort in Go.
	keys   []kql.OrderKey
	pushed bool
	r      resolver
}

// optionOrder plans g's read in option order; ok is false, and nothing
// is planned, when the statement is not one that can be read so.
func (g *goSide) optionOrder(env Env, where kql.Expr, tmpl *scan.Spec) (res *Result, ok bool, err error) {
	q := g.query
	f := optionKey(q, g.table, env)
	if f == nil {
		return nil, false, nil
	}
	p := &optionPlan{g: g, env: env, tmpl: tmpl, where: where, f: f, set: optionsOf(f, where, env.Location), pushed: true}
	if len(p.set.options) > MaxOptionReads {
		return nil, false, nil
	}
	for _, o := range q.order[1:] {
		c := o.Expr.(*expr.ColRef)
		if !SortsLikeSQL(c.Col, false) || o.NullsMoved() {
			p.keys, p.pushed = nil, false
			break
		}
		p.keys = append(p.keys, kql.OrderKey{Field: c.Col.Code, Desc: o.Desc, Explicit: true})
	}
	p.fields = g.neededFields(g.table, scan.Seek)
	for _, code := range p.fields {
		p.cols = append(p.cols, g.table.Column(code))
	}
	p.fcol = indexOf(p.fields, f.Code)
	p.r = resolver{cols: p.cols}

	n := p.fewFirst(p.leaf())
	if p.r.err != nil {
		return nil, true, p.r.err
	}
	g.sortInGo, g.goLimit = false, true
	if p.pushed {
		for _, o := range q.order[1:] {
			if o.Expr.(*expr.ColRef).Col.Nullable {
				// Where Kintone puts empty values is checked, as for
				// any pushed ORDER BY.
				g.checkOrder = q.order
				break
			}
		}
	}
	root, err := g.above(n, p.fields, p.cols)
	if err != nil {
		return nil, true, err
	}
	return &Result{Root: root}, true, nil
}

// leaf is the rows of every read in SQL's order: the reads of one value
// each concatenated, merged with those of no option.
func (p *optionPlan) leaf() plan.Node {
	q := p.g.query
	first := q.order[0]
	opts := slices.Clone(p.set.options)
	if first.Desc {
		slices.Reverse(opts)
	}
	var parts []plan.Node
	var empty plan.Node
	if p.set.nulls && p.f.Type == field.DropDown {
		empty = p.valueRead("")
	}
	if empty != nil && first.NullsFirst() {
		parts = append(parts, empty)
	}
	for _, o := range opts {
		parts = append(parts, p.valueRead(o))
	}
	if empty != nil && !first.NullsFirst() {
		parts = append(parts, empty)
	}
	var n plan.Node
	switch len(parts) {
	case 0:
	case 1:
		n = parts[0]
	default:
		n = &plan.Concat{Inputs: parts, Why: "a read per value of " + p.f.Code + ", in SQL's order"}
	}
	if rest := p.unlisted(); rest != nil {
		if n == nil {
			return rest
		}
		return &plan.Merge{Inputs: []plan.Node{n, rest}, Keys: p.r.orders(q.order[:1]), Cols: []int{p.fcol}}
	}
	if n == nil {
		return &plan.Nothing{}
	}
	return n
}
