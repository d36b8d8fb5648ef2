package translate

import (
	"github.com/kintone-sql/kintone/translate/bind"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
)

// walkTemplate calls table for every table t reads (those of its joins,
// derived tables, subqueries and set operands) and exprs for every
// expression it evaluates.
func walkTemplate(t *bind.SelectTemplate, table func(*catalog.Table), exprs func(expr.Expr)) {
	if t == nil {
		return
	}
	if t.Set != nil {
		walkTemplate(t.Set.L, table, exprs)
		walkTemplate(t.Set.R, table, exprs)
		return
	}
	for _, e := range t.Exprs() {
		exprs(e)
	}
	for _, s := range t.Subs {
		walkTemplate(s.T, table, exprs)
	}
	var from func(f bind.From)
	from = func(f bind.From) {
		switch f := f.(type) {
		case *bind.FromTable:
			table(f.Table)
		case *bind.FromDerived:
			walkTemplate(f.Sub, table, exprs)
		case *bind.FromJoin:
			from(f.L)
			from(f.R)
			exprs(f.On)
		}
	}
	if t.From != nil {
		from(t.From)
	} else if t.Table != nil {
		table(t.Table)
	}
}

// readApps lists the apps t reads, each once, in the order met.
func readApps(t *bind.SelectTemplate) []int64 {
	var out []int64
	seen := map[int64]bool{}
	walkTemplate(t, func(tb *catalog.Table) {
		if tb.App != nil && !seen[tb.App.ID] {
			seen[tb.App.ID] = true
			out = append(out, tb.App.ID)
		}
	}, func(expr.Expr) {})
	return out
}

// templateExprs lists every expression t evaluates.
func templateExprs(t *bind.SelectTemplate) []expr.Expr {
	var out []expr.Expr
	walkTemplate(t, func(*catalog.Table) {}, func(e expr.Expr) {
		if e != nil {
			out = append(out, e)
		}
	})
	return out
}
