package optimize

import (
	"strconv"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/internal/scan"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
)

// This file plans the reads of a read in option order (optionorder.go):
// the read of each value, that of no option, and the counts that check
// it for a radio button.

// valueRead reads the records whose field holds v ("": an unselected
// DROP_DOWN), in the order of the other sort keys.
func (p *optionPlan) valueRead(v string) plan.Node {
	cond := &kql.Cond{Field: p.f.Code, Op: field.In, Values: []kql.Value{{Kind: kql.String, Text: v}}}
	q := p.g.query
	work := p.work(v)
	kr, sortInGo := p.read(p.and(cond), p.keys, !p.pushed, keysetExact(q.order[1:]), work)
	kr.For = (&kql.Query{Where: cond}).String()
	if !sortInGo || len(q.order) == 1 {
		return kr
	}
	return p.sort(kr, q.order[1:], work)
}

// unlisted reads the records whose field holds no option (see the top of
// the file), sorted in Go; nil when the condition rules them out.
func (p *optionPlan) unlisted() plan.Node {
	if !p.set.others {
		return nil
	}
	all := make([]kql.Value, 0, len(p.set.all)+1)
	if p.f.Type == field.DropDown {
		all = append(all, kql.Value{Kind: kql.String})
	}
	for _, o := range p.set.all {
		all = append(all, kql.Value{Kind: kql.String, Text: o})
	}
	notIn := &kql.Cond{Field: p.f.Code, Op: field.NotIn, Values: all}
	kr, _ := p.read(p.and(notIn), nil, true, false, true)
	kr.For = (&kql.Query{Where: notIn}).String()
	var n plan.Node = kr
	if p.f.Type == field.RadioButton {
		whole := p.count(p.set.base, "every record matched")
		in := &kql.Cond{Field: p.f.Code, Op: field.In, Values: all}
		listed := p.count(p.and(in), (&kql.Query{Where: in}).String())
		every, _ := p.read(p.set.base, nil, true, false, true)
		every.For = "every record matched, read when the counts differ"
		n = &plan.Unlisted{Input: kr, Whole: whole, Listed: listed, Else: every, Field: p.f.Code, Col: p.fcol, Options: p.set.all}
	}
	return p.sort(n, p.g.query.order, p.work(""))
}

// fewFirst returns many, the reads per option, behind a read tried
// first (plan.IfFew): the read the statement had without reads per
// option, every record of the condition by $id, sorted in Go, but as one
// request for a page. When that returns fewer than a page, it returned
// every record, and the rows are sorted from those: one request in all.
// A full page may not be all: its records are dropped and many runs, a
// request after that one. The page is the DSN's page size (500), no
// more than maxBufferedRows, as the records are held until the page ends.
// many alone when it is one read, which costs one request for few
// records too.
func (p *optionPlan) fewFirst(many plan.Node) plan.Node {
	reads := 0
	plan.Inspect(many, func(n plan.Node) bool {
		if _, ok := n.(*plan.KintoneRead); ok {
			reads++
		}
		return true
	})
	if reads <= 1 {
		return many
	}
	page := p.env.PageSize
	if page <= 0 || page > scan.MaxPageSize {
		page = scan.MaxPageSize
	}
	if hold := p.env.MaxBuffered; hold > 0 && hold < page {
		page = hold
	}
	read := *p.tmpl
	limit := int64(page)
	read.Strategy = scan.Single
	read.Query = &kql.Query{Where: p.where, OrderBy: []kql.OrderKey{{Field: catalog.ColID, Explicit: true}}, Limit: &limit}
	read.Fields = p.fields
	kr := &plan.KintoneRead{App: read.App, Strategy: read.Strategy.String(), Columns: p.fields, Read: &read,
		For: "every record matched, if fewer than " + strconv.Itoa(page)}
	few := p.sort(kr, p.g.query.order, p.work(""))
	return &plan.IfFew{Few: few, Many: many, Read: kr, Limit: page}
}

// and is the condition common to every read AND c.
func (p *optionPlan) and(c *kql.Cond) kql.Expr {
	if p.set.base == nil {
		return c
	}
	return kqlAnd([]kql.Expr{p.set.base, c})
}

// work reports work in Go above the reads that needs every record a read
// of value v returns ("": of the empty values, or of no option): a
// condition evaluated in Go, unless all it asks is that the field have
// a value, which holds for every record of an option.
func (p *optionPlan) work(v string) bool {
	g := p.g
	return g.rowFilter != nil || g.residual != nil && (v == "" || !notNullOnly(g.residual, p.f))
}

// notNullOnly reports whether e is f IS NOT NULL, or an AND of such.
func notNullOnly(e expr.Expr, f *catalog.Column) bool {
	switch x := e.(type) {
	case *expr.IsNull:
		c, ok := x.X.(*expr.ColRef)
		return x.Not && ok && c.Col == f
	case *expr.Logic:
		if !x.And {
			return false
		}
		for _, t := range x.Terms {
			if !notNullOnly(t, f) {
				return false
			}
		}
		return true
	}
	return false
}

// sort sorts the rows of n in Go by keys, holding only the first LIMIT +
// OFFSET unless work above may drop rows.
func (p *optionPlan) sort(n plan.Node, keys []plan.Order, work bool) plan.Node {
	q := p.g.query
	s := &plan.Sort{Input: n, Keys: p.r.orders(keys), Columns: len(p.fields), Keep: -1}
	if keep := q.offset + q.limit; !work && keep >= 0 {
		s.Keep = keep
	}
	for _, o := range keys {
		s.Cols = append(s.Cols, indexOf(p.fields, o.Expr.(*expr.ColRef).Col.Code))
	}
	return s
}

// read plans one read of the records where holds for, sorted by keys
// (sortInGo: in Go, so in no order), as ChooseRead picks it for the
// statement's LIMIT and OFFSET, which Go applies to the rows of every
// read together (work: Go also drops rows). It reports whether the rows
// must be sorted in Go.
func (p *optionPlan) read(where kql.Expr, keys []kql.OrderKey, sortInGo, keysetOK, work bool) (*plan.KintoneRead, bool) {
	q := p.g.query
	read := *p.tmpl
	ch := ChooseRead(ReadShape{
		Where: where, Keys: keys, SortInGo: sortInGo, GoWork: work,
		Limit: q.offset + q.limit, KeysetExact: keysetOK && len(keys) > 0,
		Cursor: p.env.Cursor, HasUpdateTime: read.UpdateTime != "",
	})
	read.Strategy, read.Query = ch.Strategy, ch.Query
	read.Desc, read.Unordered, read.CursorFallback = ch.Desc, ch.Unordered, ch.CursorFallback
	read.Offset, read.MaxRecords = ch.Offset, ch.MaxRecords
	// The LIMIT is applied in Go to the rows of the reads together, so any
	// read may be closed after any page: pages asked for ahead, several at
	// once, would be wasted (as for a single read, in Optimize). Page after
	// page.
	read.Parallel = false
	read.Fields = p.fields
	return &plan.KintoneRead{App: read.App, Strategy: read.Strategy.String(), Columns: p.fields, Read: &read}, ch.SortInGo
}

// count is the count request of the records where holds for.
func (p *optionPlan) count(where kql.Expr, what string) *plan.KintoneRead {
	read := *p.tmpl
	one := int64(1)
	read.Strategy = scan.Count
	read.Query = &kql.Query{Where: where, Limit: &one}
	read.Fields = []string{catalog.ColID}
	return &plan.KintoneRead{App: read.App, Strategy: read.Strategy.String(), Columns: read.Fields, Read: &read, For: "count of " + what}
}
