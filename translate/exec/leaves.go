package exec

import (
	"io"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/plan"
)

// records reads the records of the Kintone read, each as a row of its
// cols.
func records(src func() (catalog.Record, error), cols []string) Iter {
	if src == nil {
		return func() (Row, error) { return nil, io.EOF }
	}
	return func() (Row, error) {
		rec, err := src()
		if err != nil {
			return nil, err
		}
		return ToRow(rec, cols), nil
	}
}

// ToRow is rec's values in the order of cols, nil for a field rec does
// not hold.
func ToRow(rec catalog.Record, cols []string) Row {
	row := make(Row, len(cols))
	for i, c := range cols {
		row[i] = rec[c]
	}
	return row
}

// metadata returns the rows of a metadata table.
func metadata(rows []catalog.Record, cols []string) Iter {
	i := 0
	return func() (Row, error) {
		if i >= len(rows) {
			return nil, io.EOF
		}
		i++
		return ToRow(rows[i-1], cols), nil
	}
}

// flatten turns each record into the rows of its SUBTABLE: the columns
// of n.Columns, the parent's $id, the row's id as $row_id, and the inner
// fields.
func flatten(in Iter, n *plan.Flatten) Iter {
	var parent Row
	var rows []field.Row
	i := 0
	return func() (Row, error) {
		for i >= len(rows) {
			r, err := in()
			if err != nil {
				return nil, err
			}
			parent, i = r, 0
			rows, _ = parent[n.SubCol].([]field.Row)
		}
		row := rows[i]
		i++
		out := make(Row, len(n.Columns))
		for j, code := range n.Columns {
			switch code {
			case catalog.ColID:
				out[j] = parent[n.IDCol]
			case catalog.ColRowID:
				out[j] = row.ID
			default:
				if cell, ok := row.Fields[code]; ok {
					out[j] = cell.Value
				}
			}
		}
		return out, nil
	}
}
