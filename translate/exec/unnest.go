package exec

import (
	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/plan"
)

// unnest joins each record with the rows of its subtable (plan.Unnest).
func unnest(in Iter, n *plan.Unnest, o Options) Iter {
	en := o.env()
	var pending []Row
	return func() (Row, error) {
		for len(pending) == 0 {
			parent, err := in()
			if err != nil {
				return nil, err
			}
			subrows, _ := parent[n.SubCol].([]field.Row)
			matched := false
			for _, sr := range subrows {
				row := make(Row, len(parent)+len(n.Columns))
				copy(row, parent)
				for j, code := range n.Columns {
					switch code {
					case catalog.ColID:
						row[len(parent)+j] = parent[n.IDCol]
					case catalog.ColRowID:
						row[len(parent)+j] = sr.ID
					default:
						if cell, ok := sr.Fields[code]; ok {
							row[len(parent)+j] = cell.Value
						}
					}
				}
				if n.Cond != nil {
					en.Row = row
					ok, err := en.EvalBool(n.Cond)
					if err != nil {
						return nil, err
					}
					if !ok {
						continue
					}
				}
				matched = true
				if n.Kind.Filters() {
					break // one matching row decides
				}
				pending = append(pending, row)
			}
			switch {
			case n.Kind == plan.Semi && matched, n.Kind == plan.Anti && !matched:
				pending = append(pending, parent)
			case n.Kind == plan.Left && !matched:
				row := make(Row, len(parent)+len(n.Columns))
				copy(row, parent)
				pending = append(pending, row)
			}
		}
		r := pending[0]
		pending = pending[1:]
		return r, nil
	}
}
