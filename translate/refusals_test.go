package translate

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// lookupSchema is writeSchema with an app whose customer field is a
// lookup that copies into customer_name.
func lookupSchema() *fakeSchema {
	s := writeSchema()
	s.apps = append(s.apps, &catalog.App{ID: 60, Code: "LK", Name: "Lookups", Fields: map[string]*field.Property{
		"no":            prop("no", field.RecordNumber),
		"customer":      {Code: "customer", Type: field.SingleLineText, Lookup: &field.LookupSetting{FieldMappings: []field.FieldMapping{{Field: "customer_name", RelatedField: "name"}}}},
		"customer_name": prop("customer_name", field.SingleLineText),
		"qty":           prop("qty", field.Number),
		"creator":       prop("creator", field.Creator),
	}, Order: []string{"no", "customer", "customer_name", "qty", "creator"}})
	return s
}

// TestInsertWithoutColumnList: the columns are the app's writable fields
// in form order, and a row of another length names the row, the counts
// and the columns, at the row.
func TestInsertWithoutColumnList(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		sql, want string // want: the records, or the error
		line, col int    // the error's position
	}{
		{sql: "INSERT INTO STOCK VALUES (1, 's1', 'one', 10), (2, 's2', DEFAULT, NULL)",
			want: `{"code":"1","name":"one","qty":"10","sku":"s1"} {"code":"2","qty":"","sku":"s2"}`},
		{sql: "INSERT INTO LK VALUES ('c1', 3)", want: `{"customer":"c1","qty":"3"}`},
		{sql: "INSERT INTO STOCK VALUES (1, 's1', 'one', 10),\n  (2, 's2', 'two')", line: 2, col: 3,
			want: "row 2 has 3 values for 4 columns: without a column list, INSERT INTO STOCK takes the app's writable fields in form order (code, sku, name, qty)"},
		// The record number, CALC fields, STATUS, creator and the rest are
		// left out; so is a lookup's copy target.
		{sql: "INSERT INTO LK VALUES ('c1', 'name', 3)", line: 1, col: 23,
			want: "row 1 has 3 values for 2 columns: without a column list, INSERT INTO LK takes the app's writable fields in form order (customer, qty)"},
		{sql: "INSERT INTO ORD VALUES (1)", line: 1, col: 24,
			want: "row 1 has 1 values for 19 columns: without a column list, INSERT INTO ORD takes the app's writable fields in form order (title, note, body, url, amount, tags, color, status, tech, due, at, alarm, owner, dept, grp, files, items, 顧客名, Limit"},
		{sql: "INSERT INTO LK SELECT name FROM Customers", line: 1, col: 16,
			want: "the SELECT gives 1 columns for 2 inserted columns: without a column list, INSERT INTO LK takes the app's writable fields in form order (customer, qty)"},
		// () VALUES () and VALUES (): a record of defaults, as MySQL
		// inserts a row of defaults.
		{sql: "INSERT INTO STOCK () VALUES (), ()", want: `{} {}`},
		{sql: "INSERT INTO STOCK VALUES ()", want: `{}`},
		{sql: "INSERT INTO STOCK () VALUES (1)", line: 1, col: 29, want: "row 1 has 1 values for 0 columns"},
		{sql: "INSERT INTO STOCK VALUES (), (1)", line: 1, col: 30, want: "row 2 has 1 values for 0 columns"},
	} {
		st, err := Translate(ctx, tc.sql, lookupSchema(), Options{}, nil)
		if tc.line > 0 {
			var se *sqlerr.Error
			if !errors.As(err, &se) || !strings.Contains(se.Msg, tc.want) || se.Pos.Line != tc.line || se.Pos.Column != tc.col {
				t.Errorf("%s: err = %v, want %q at %d:%d", tc.sql, err, tc.want, tc.line, tc.col)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.sql, err)
			continue
		}
		var recs []string
		for _, it := range st.(*Insert).Items {
			recs = append(recs, writeJSON(t, it.Record))
		}
		if got := strings.Join(recs, " "); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.sql, got, tc.want)
		}
	}
}

// TestUpdateAssignsInOrder: MySQL applies SET left to right. The last
// assignment to a column wins, and a later expression reads the value an
// earlier one gave.
func TestUpdateAssignsInOrder(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		sql      string
		args     []any
		consts   string // the values every record gets
		rowDep   string // the columns computed per record, and their expressions' first column
		err      string
		errAt    int // the error's column
		noDirect bool
	}{
		{sql: "UPDATE STOCK SET qty = 3, qty = 4 WHERE $id = 1", consts: `{"qty":"4"}`},
		{sql: "UPDATE STOCK SET name = ?, sku = name, name = 'b' WHERE $id = 1", args: []any{"a"}, consts: `{"name":"b","sku":"a"}`},
		{sql: "UPDATE STOCK SET qty = ?, code = qty + 1 WHERE $id = 1", args: []any{int64(5)}, consts: `{"code":"6","qty":"5"}`},
		{sql: "UPDATE STOCK SET qty = NULL, code = qty WHERE $id = 1", consts: `{"code":"","qty":""}`},
		{sql: "UPDATE STOCK SET qty = qty + 1, code = qty WHERE $id = 1", consts: `{}`, rowDep: "qty=qty,code=qty", noDirect: true},
		{sql: "UPDATE STOCK SET qty = 1, qty = qty + 1 WHERE $id = 1", consts: `{"qty":"2"}`},
		// A value Kintone converts cannot be read back by SQL's rules.
		{sql: "UPDATE STOCK SET qty = '7', code = qty WHERE $id = 1", err: "reading qty after SET qty = '7'", errAt: 36},
		{sql: "UPDATE STOCK SET qty = ?, code = qty WHERE $id = 1", args: []any{"7"}, err: "reading qty after SET qty = ?", errAt: 34},
		// An overwritten value is still checked, as MySQL's strict mode does.
		{sql: "UPDATE STOCK SET qty = 'many', qty = 2 WHERE $id = 1", err: "qty"},
	} {
		st, err := Translate(ctx, tc.sql, writeSchema(), Options{}, args(tc.args...))
		if tc.err != "" {
			var ue *sqlerr.UnsupportedError
			switch {
			case err == nil || !strings.Contains(err.Error(), tc.err):
				t.Errorf("%s: err = %v, want %q", tc.sql, err, tc.err)
			case tc.errAt > 0 && (!errors.As(err, &ue) || ue.Pos.Column != tc.errAt):
				t.Errorf("%s: err = %v, want it at column %d", tc.sql, err, tc.errAt)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.sql, err)
			continue
		}
		u := st.(*Update)
		if got := writeJSON(t, u.consts); got != tc.consts {
			t.Errorf("%s: constants %s, want %s", tc.sql, got, tc.consts)
		}
		var dep []string
		for _, s := range u.set {
			dep = append(dep, s.col.Name+"="+firstColumn(s.e).Col.Name)
		}
		if got := strings.Join(dep, ","); got != tc.rowDep {
			t.Errorf("%s: computed %s, want %s", tc.sql, got, tc.rowDep)
		}
		if direct := u.Select == nil; direct == tc.noDirect {
			t.Errorf("%s: written without reading: %v", tc.sql, direct)
		}
	}
}
