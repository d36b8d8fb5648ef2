package optimize

import (
	"github.com/kintone-sql/kintone/internal/scan"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
)

// This file decides which side of a join is read first and whether the
// other may be read by its keys (plan.KeyLookup).

// lookup decides which side of out is read first and whether the other
// may be read by the keys of the first: a side that is one app's table
// (not a join, not a metadata table, not a read of nothing) whose key is
// a field, on the side that may go unmatched or of an inner join.
func (jp *joinPlanner) lookup(out *plan.Join, j *jnode) {
	switch j.kind {
	case plan.Right:
		out.First = 1
	case plan.Full, plan.Cross:
		return
	}
	if len(out.Keys) == 0 {
		return
	}
	candidates := []int{1, 0}
	switch j.kind {
	case plan.Left, plan.Anti:
		// The side that may go unmatched; an anti join's right rows
		// matter only where they match.
		candidates = []int{1}
	case plan.Right:
		candidates = []int{0}
	case plan.Inner, plan.Semi:
		// Read first the side Kintone narrows (it has conditions), and
		// look the other up.
		if len(j.l.conds) == 0 && j.l.table != nil && len(j.r.conds) > 0 {
			candidates = []int{0, 1}
		}
	}
	for _, s := range candidates {
		sideNode := [2]*jnode{j.l, j.r}[s]
		if sideNode.table == nil || sideNode.table.Virtual != nil || sideNode.derived != nil {
			continue
		}
		whole := kintoneRead([2]plan.Node{out.Left, out.Right}[s])
		if whole == nil {
			continue
		}
		for ki, k := range out.Keys {
			ke := [2]expr.Expr{k.L, k.R}[s]
			col, ok := ke.(*expr.ColRef)
			if !ok || k.NullSafe {
				continue
			}
			other := [2]expr.Expr{k.L, k.R}[1-s]
			t, conds, kind := sideNode.table, sideNode.conds, expr.KindOf(other)
			keyCol := col.Col
			pu := &Pusher{Table: t, Loc: jp.env.Location}
			out.Lookup = &plan.KeyLookup{
				Side: s, Key: ki, Field: keyCol.Code, Batch: LookupBatch, MaxChars: LookupChars, Whole: whole,
				Plan: func(keys []any) (plan.Node, bool, error) {
					list := make([]expr.Expr, len(keys))
					for i, v := range keys {
						list[i] = &expr.Const{Value: v, Kind: kind, At: -1}
					}
					in := &expr.In{X: &expr.ColRef{Col: keyCol, At: -1}, List: list, At: -1}
					if sp := pu.SplitWhere(in); sp.Query == nil && !sp.Never {
						return nil, false, nil
					}
					n, _, err := jp.side(t, conds, in)
					return n, true, err
				},
			}
			out.First = 1 - s
			return
		}
	}
}

// kintoneRead is the Kintone read at the bottom of a side's plan, nil
// when the side reads none (a metadata table, nothing).
func kintoneRead(n plan.Node) *plan.KintoneRead {
	var out *plan.KintoneRead
	plan.Inspect(n, func(x plan.Node) bool {
		if k, ok := x.(*plan.KintoneRead); ok && k.Read != nil && k.Read.Strategy != scan.None {
			out = k
		}
		return out == nil
	})
	return out
}
