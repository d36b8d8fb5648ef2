package exec

import (
	"io"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
)

// records reads the records of the Kintone read.
func records(src func() (catalog.Record, error)) Iter {
	if src == nil {
		return func() (Row, error) { return Row{}, io.EOF }
	}
	return func() (Row, error) {
		rec, err := src()
		return Row{Rec: rec}, err
	}
}

// metadata returns the rows of a metadata table.
func metadata(rows []catalog.Record) Iter {
	i := 0
	return func() (Row, error) {
		if i >= len(rows) {
			return Row{}, io.EOF
		}
		i++
		return Row{Rec: rows[i-1]}, nil
	}
}

// flatten turns each record into the rows of its SUBTABLE: the parent's
// $id, the row's id as $row_id, and the inner fields.
func flatten(in Iter, sub string) Iter {
	var parent catalog.Record
	var rows []field.Row
	i := 0
	return func() (Row, error) {
		for i >= len(rows) {
			r, err := in()
			if err != nil {
				return Row{}, err
			}
			parent, i = r.Rec, 0
			rows, _ = parent[sub].([]field.Row)
		}
		row := rows[i]
		i++
		out := make(catalog.Record, len(row.Fields)+2)
		out[catalog.ColID] = parent[catalog.ColID]
		out[catalog.ColRowID] = row.ID
		for code, cell := range row.Fields {
			out[code] = cell.Value
		}
		return Row{Rec: out}, nil
	}
}
