package translate

import (
	"github.com/kintone-sql/kintone/translate/bind"
	"github.com/kintone-sql/kintone/translate/plan"
)

// bindSet binds a set operation: each query, then the ORDER BY and LIMIT
// of the whole.
func bindSet(t *bind.SelectTemplate, b *bind.Binder) (*boundSelect, error) {
	out := &boundSelect{limit: -1, set: &plan.SetOp{Op: t.Set.Op, All: t.Set.All, Width: len(t.Items)}}
	l, err := bindTemplate(t.Set.L, b)
	if err != nil {
		return nil, err
	}
	out.set.Left = logicalPlan(t.Set.L, l)
	if t.Set.R != nil {
		r, err := bindTemplate(t.Set.R, b)
		if err != nil {
			return nil, err
		}
		out.set.Right = logicalPlan(t.Set.R, r)
	}
	for _, o := range t.Order {
		out.order = append(out.order, bind.OrderItem{Expr: o.Expr, Desc: o.Desc, Output: o.Output, Nulls: o.Nulls})
	}
	return out, out.bindLimit(t, b)
}

// setPlan is a set operation's plan: the operation, then the ORDER BY
// and LIMIT of the whole.
func setPlan(bs *boundSelect) plan.Node {
	var n plan.Node = bs.set
	if len(bs.order) > 0 {
		s := &plan.Sort{Input: n, Keep: -1}
		for _, o := range bs.order {
			s.Keys = append(s.Keys, plan.Order{Expr: o.Expr, Desc: o.Desc, Output: o.Output, Nulls: o.Nulls})
		}
		n = s
	}
	if bs.limit >= 0 || bs.offset > 0 {
		n = &plan.Limit{Input: n, Offset: bs.offset, Count: bs.limit}
	}
	return n
}
