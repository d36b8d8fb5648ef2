package bind

import (
	"fmt"

	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/parse"
)

// windowArity returns the argument counts (min, max) of a window
// function; ok is false for a name that is not one. The aggregates take
// one argument (COUNT also *).
func windowArity(name string) (counts [2]int, ok bool) {
	switch name {
	case "row_number", "rank", "dense_rank", "percent_rank", "cume_dist":
		return [2]int{0, 0}, true
	case "ntile", "first_value", "last_value", "count", "sum", "avg", "min", "max":
		return [2]int{1, 1}, true
	case "lag", "lead":
		return [2]int{1, 3}, true
	case "nth_value":
		return [2]int{2, 2}, true
	}
	return counts, false
}

// window converts fn(args) OVER (...): in the select list and ORDER BY
// only, as in SQL (a window is computed after WHERE, GROUP BY and
// HAVING). Its arguments and keys may read the grouping's aggregates.
func (b *Builder) window(n *parse.Call, name, upper string, at int, c ExprCtx) (expr.Expr, error) {
	if !c.winOK {
		return nil, b.errAt(n.Over.Pos(), "a window function (OVER) is allowed only in the select list and ORDER BY")
	}
	counts, ok := windowArity(name)
	if !ok {
		return nil, b.unsupported(fmt.Sprintf("window function %s()", upper), at, "ROW_NUMBER, RANK, DENSE_RANK, PERCENT_RANK, CUME_DIST, NTILE, LAG, LEAD, FIRST_VALUE, LAST_VALUE, NTH_VALUE, COUNT, SUM, AVG, MIN and MAX are supported")
	}
	w := &expr.WindowFunc{Fn: name, Star: n.Star, Index: len(b.windows), Pos: -1, At: at}
	switch {
	case n.Distinct:
		return nil, b.unsupported(fmt.Sprintf("DISTINCT in %s() OVER", upper), at, "")
	case n.Star && name != "count":
		return nil, b.errAt(at, "%s() does not take *", upper)
	case !n.Star && (len(n.Args) < counts[0] || len(n.Args) > counts[1]):
		want := fmt.Sprint(counts[0])
		if counts[1] != counts[0] {
			want = fmt.Sprintf("%d to %d", counts[0], counts[1])
		}
		return nil, b.errAt(at, "%s() takes %s arguments, not %d", upper, want, len(n.Args))
	}
	inner := ExprCtx{aggOK: c.aggOK}
	for _, a := range n.Args {
		x, err := b.Expr(a, inner)
		if err != nil {
			return nil, err
		}
		w.Args = append(w.Args, x)
	}
	for _, p := range n.Over.PartitionBy {
		x, err := b.Expr(p, inner)
		if err != nil {
			return nil, err
		}
		w.PartitionBy = append(w.PartitionBy, x)
	}
	for _, o := range n.Over.OrderBy {
		x, err := b.Expr(o.Expr, inner)
		if err != nil {
			return nil, err
		}
		if o.Nulls != "" {
			return nil, b.unsupported("NULLS "+o.Nulls+" in a window's ORDER BY", o.Pos(), "")
		}
		if k := expr.KindOf(x); Unorderable(k) {
			return nil, b.errAt(o.Expr.Pos(), "cannot sort by a %s", k)
		}
		w.OrderBy = append(w.OrderBy, expr.WindowOrder{Expr: x, Desc: o.Dir == "DESC"})
	}
	switch name {
	case "row_number", "rank", "dense_rank", "ntile", "count":
		w.Kind = catalog.KInt
	case "percent_rank", "cume_dist", "avg", "sum":
		w.Kind = catalog.KNumber
	default:
		w.Kind = expr.KindOf(w.Args[0])
	}
	if name == "sum" || name == "min" || name == "max" || name == "avg" {
		if k := expr.KindOf(w.Args[0]); Unorderable(k) {
			return nil, b.errAt(at, "%s() cannot take a %s", upper, k)
		}
	}
	b.windows = append(b.windows, w)
	return w, nil
}

// windowsOf lists the window functions of exprs, each once, by Index.
func windowsOf(exprs ...expr.Expr) []*expr.WindowFunc {
	var out []*expr.WindowFunc
	seen := map[int]bool{}
	for _, e := range exprs {
		expr.Walk(e, func(x expr.Expr) bool {
			if w, ok := x.(*expr.WindowFunc); ok && !seen[w.Index] {
				seen[w.Index] = true
				out = append(out, w)
			}
			return true
		})
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Index < out[j-1].Index; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
