package translate

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
)

// writeSchema is the test schema plus an app with two unique fields.
func writeSchema() *fakeSchema {
	s := testSchema()
	s.apps = append(s.apps, &catalog.App{ID: 50, Code: "STOCK", Name: "Stock", Fields: map[string]*field.Property{
		"code": {Code: "code", Type: field.Number, Unique: true},
		"sku":  {Code: "sku", Type: field.SingleLineText, Unique: true},
		"name": prop("name", field.SingleLineText),
		"qty":  prop("qty", field.Number),
	}, Order: []string{"code", "sku", "name", "qty"}})
	return s
}

// translateWrite translates a write statement against writeSchema.
func translateWrite(t *testing.T, sql string, opts Options, vs ...any) Statement {
	t.Helper()
	st, err := Translate(context.Background(), sql, writeSchema(), opts, args(vs...))
	if err != nil {
		t.Fatalf("Translate(%q): %v", sql, err)
	}
	return st
}

// writeJSON prints a record with sorted keys.
func writeJSON(t *testing.T, r WriteRecord) string {
	t.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func TestInsertValues(t *testing.T) {
	loc := tokyo(t)
	at := time.Date(2024, 5, 1, 9, 30, 45, 0, loc)
	tests := []struct {
		sql  string
		args []any
		want []string // each item's record
	}{
		{"INSERT INTO ORD (title, amount) VALUES ('a', 1), ('b', -2.50)", nil,
			[]string{`{"amount":"1","title":"a"}`, `{"amount":"-2.5","title":"b"}`}},
		{"INSERT INTO ORD (title, amount, due) VALUES (?, ?, ?)", []any{"x", int64(7), at},
			[]string{`{"amount":"7","due":"2024-05-01","title":"x"}`}},
		{"INSERT INTO ORD (at, alarm) VALUES (?, ?)", []any{at, at},
			[]string{`{"alarm":"09:30","at":"2024-05-01T00:30:00Z"}`}}, // Kintone keeps minutes
		{"INSERT INTO ORD (at, due) VALUES ('2024-05-01 09:30', '2024-5-1')", nil,
			[]string{`{"at":"2024-05-01T00:30:00Z","due":"2024-05-01"}`}},
		{"INSERT INTO ORD (tags, tech, owner) VALUES (?, ?, ?)", []any{[]string{"a", "b"}, `["go"]`, []string{"sato"}},
			[]string{`{"owner":[{"code":"sato"}],"tags":["a","b"],"tech":["go"]}`}},
		{"INSERT INTO ORD (tags, tech, owner) VALUES (?, ?, ?)", []any{[]any{"a", int64(2)}, []optionName{"go"}, []any{"sato"}},
			[]string{`{"owner":[{"code":"sato"}],"tags":["a","2"],"tech":["go"]}`}},
		{"INSERT INTO ORD (title, amount, due, tags) VALUES (NULL, NULL, NULL, NULL)", nil,
			[]string{`{"amount":"","due":null,"tags":[],"title":""}`}},
		{"INSERT INTO ORD (title, amount) VALUES ('kept', DEFAULT)", nil,
			[]string{`{"title":"kept"}`}},
		{"INSERT INTO ORD (amount) VALUES (1 + 2 * 3)", nil, []string{`{"amount":"7"}`}},
		{"INSERT INTO ORD (items) VALUES (?)", []any{`[{"id":"5","value":{"qty":{"type":"NUMBER","value":"2"},"price":{"value":"1e2"}}}]`},
			[]string{`{"items":[{"value":{"price":{"value":"100"},"qty":{"value":"2"}}}]}`}},
		{"INSERT INTO ORD (作成者, 作成日時) VALUES ('sato', '2024-01-02 03:04')", nil,
			[]string{`{"作成日時":"2024-01-01T18:04:00Z","作成者":{"code":"sato"}}`}},
		{"INSERT INTO ORD (body) VALUES ('<b>&</b>')", nil, []string{`{"body":"<b>&</b>"}`}},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			ins := translateWrite(t, tt.sql, Options{Location: loc}, tt.args...).(*Insert)
			if ins.App != 42 || ins.Select != nil || ins.Upsert() {
				t.Fatalf("plan: app %d, select %v, upsert %v", ins.App, ins.Select, ins.Upsert())
			}
			if len(ins.Items) != len(tt.want) {
				t.Fatalf("%d items, want %d", len(ins.Items), len(tt.want))
			}
			for i, it := range ins.Items {
				if it.Row != int64(i+1) || it.ID != 0 || it.Key != nil {
					t.Errorf("item %d: %+v", i, it)
				}
				if got := writeJSON(t, it.Record); got != tt.want[i] {
					t.Errorf("row %d: %s, want %s", i+1, got, tt.want[i])
				}
			}
		})
	}
}

func TestUpsertPlan(t *testing.T) {
	ins := translateWrite(t, "INSERT INTO STOCK (code, name, qty) VALUES (?, 'a', 1), (20, 'b', 2) ON DUPLICATE KEY UPDATE name = VALUES(name), qty = VALUES(qty)",
		Options{}, "010").(*Insert)
	if ins.KeyField != "code" || !ins.Upsert() {
		t.Fatalf("key %q", ins.KeyField)
	}
	want := []struct{ key, rec string }{{"10", `{"name":"a","qty":"1"}`}, {"20", `{"name":"b","qty":"2"}`}}
	for i, it := range ins.Items {
		if it.Key == nil || it.Key.Field != "code" || it.Key.Value != want[i].key || !it.Key.Number {
			t.Errorf("row %d key %+v, want code=%s", i+1, it.Key, want[i].key)
		}
		if got := writeJSON(t, it.Record); got != want[i].rec {
			t.Errorf("row %d record %s, want %s", i+1, got, want[i].rec)
		}
	}
	// With two unique fields, the key is the one not assigned.
	ins = translateWrite(t, "INSERT INTO STOCK (code, sku, qty) VALUES (1, 'S-1', 5) ON DUPLICATE KEY UPDATE code = VALUES(code), qty = VALUES(qty)", Options{}).(*Insert)
	if ins.KeyField != "sku" || ins.Items[0].Key.Value != "S-1" || ins.Items[0].Key.Number || writeJSON(t, ins.Items[0].Record) != `{"code":"1","qty":"5"}` {
		t.Fatalf("key %q, item %+v", ins.KeyField, ins.Items[0])
	}
	// INSERT ... SELECT upserts row by row.
	ins = translateWrite(t, "INSERT INTO STOCK (sku, name) SELECT title, note FROM ORD ON DUPLICATE KEY UPDATE name = VALUES(name)", Options{}).(*Insert)
	it, err := ins.Item(3, []driver.Value{"T-3", nil})
	if err != nil || it.Key.Value != "T-3" || writeJSON(t, it.Record) != `{"name":""}` || it.Row != 3 {
		t.Fatalf("item %+v, %v", it, err)
	}
}

func TestInsertSelect(t *testing.T) {
	loc := tokyo(t)
	ins := translateWrite(t, "INSERT INTO STOCK (name, qty) SELECT title, amount * 2 FROM ORD WHERE amount > ?", Options{Location: loc}, 5).(*Insert)
	if ins.Items != nil || ins.Select == nil || ins.SameApp {
		t.Fatalf("plan %+v", ins)
	}
	if got := ins.Select.Read.Query.String(); got != "amount > 5 order by $id asc" {
		t.Errorf("query %q", got)
	}
	if got := strings.Join(ins.Select.Read.Fields, ","); got != "$id,title,amount" {
		t.Errorf("fields %q", got)
	}
	it, err := ins.Item(1, []driver.Value{"t", "14"})
	if err != nil || writeJSON(t, it.Record) != `{"name":"t","qty":"14"}` {
		t.Fatalf("item %+v, %v", it, err)
	}
	_, err = ins.Item(2, []driver.Value{"t", "x"})
	var ve *ValueError
	if !errors.As(err, &ve) || ve.Row != 2 || ve.Column != "qty" || !strings.Contains(err.Error(), "row 2, column qty:") {
		t.Fatalf("a bad value: %v", err)
	}
	// Reading the app written.
	ins = translateWrite(t, "INSERT INTO ORD (title, due) SELECT title, due FROM ORD", Options{Location: loc}).(*Insert)
	if !ins.SameApp {
		t.Fatal("SameApp is false")
	}
	it, err = ins.Item(1, []driver.Value{"x", time.Date(2024, 5, 1, 0, 0, 0, 0, loc)})
	if err != nil || writeJSON(t, it.Record) != `{"due":"2024-05-01","title":"x"}` {
		t.Fatalf("item %+v, %v", it, err)
	}
	// Subtable rows lose their ids on the way to a new record.
	ins = translateWrite(t, "INSERT INTO ORD (items) SELECT items FROM ORD", Options{}).(*Insert)
	it, err = ins.Item(1, []driver.Value{[]byte(`[{"id":"9","value":{"qty":{"type":"NUMBER","value":"3"}}}]`)})
	if err != nil || writeJSON(t, it.Record) != `{"items":[{"value":{"qty":{"value":"3"}}}]}` {
		t.Fatalf("item %+v, %v", it, err)
	}
}

func TestUpdatePlans(t *testing.T) {
	tests := []struct {
		sql    string
		args   []any
		ids    []int64 // direct by $id
		rev    int64
		key    string // direct by key: "field=value"
		query  string // read: the query
		fields string
	}{
		{sql: "UPDATE ORD SET amount = 1 WHERE $id = 3", ids: []int64{3}},
		{sql: "UPDATE ORD SET amount = ? WHERE $id = ?", args: []any{1, "4"}, ids: []int64{4}},
		{sql: "UPDATE ORD SET amount = 1 WHERE 5 = $id", ids: []int64{5}},
		{sql: "UPDATE ORD SET amount = 1 WHERE $id IN (3, 1, 3)", ids: []int64{3, 1}},
		{sql: "UPDATE ORD SET amount = 1 WHERE $id IN (?)", args: []any{[]string{"8", "9"}}, ids: []int64{8, 9}},
		{sql: "UPDATE ORD SET amount = 1 WHERE $id = 3 AND $revision = 7", ids: []int64{3}, rev: 7},
		{sql: "UPDATE ORD SET amount = 1 WHERE $revision = ? AND $id = ?", args: []any{2, 9}, ids: []int64{9}, rev: 2},
		{sql: "UPDATE ORD SET amount = 1 WHERE title = ?", args: []any{"T-1"}, key: "title=T-1"},
		{sql: "UPDATE STOCK SET qty = 0 WHERE code = '007'", key: "code=7"},
		{sql: "UPDATE STOCK SET qty = 0 WHERE sku = 'A' AND qty = 1", query: `sku = "A" and qty = 1 order by $id asc`, fields: "$id,$revision,sku"},
		{sql: "UPDATE STOCK SET qty = 0 WHERE name = 'A'", query: `name = "A" order by $id asc`, fields: "$id,$revision,name"},
		{sql: "UPDATE STOCK SET qty = qty + 1 WHERE $id = 3", query: "$id = 3 order by $id asc", fields: "$id,$revision,qty"},
		{sql: "UPDATE STOCK SET qty = 1 WHERE $id = 3 LIMIT 1", query: "$id = 3 order by $id asc limit 1", fields: "$id,$revision"},
		{sql: "UPDATE STOCK SET qty = 1 WHERE $id = 0", query: "$id = 0 order by $id asc", fields: "$id,$revision"},
		{sql: "UPDATE STOCK SET qty = 1 WHERE $id NOT IN (1)", query: "$id not in (1) order by $id asc", fields: "$id,$revision"},
		{sql: "UPDATE STOCK SET qty = 1", query: "order by $id asc", fields: "$id,$revision"},
		{sql: "UPDATE STOCK SET qty = 1 WHERE name LIKE '%x%' ORDER BY qty DESC LIMIT 10", query: "order by $id asc", fields: "$id,$revision,name,qty"}, // sorted in Go: a write reads by $id
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			u := translateWrite(t, tt.sql, Options{}, tt.args...).(*Update)
			switch {
			case tt.ids != nil:
				if !u.ByID || u.Select != nil || len(u.Items) != len(tt.ids) {
					t.Fatalf("want a direct update of %v, got %+v", tt.ids, u)
				}
				for i, it := range u.Items {
					if it.ID != tt.ids[i] || it.Revision != tt.rev || it.Key != nil || it.Row != int64(i+1) {
						t.Errorf("item %d: %+v", i, it)
					}
				}
			case tt.key != "":
				if !u.ByKey || u.Select != nil || len(u.Items) != 1 {
					t.Fatalf("want an update by key, got %+v", u)
				}
				if k := u.Items[0].Key; k == nil || k.Field+"="+k.Value != tt.key || u.Items[0].ID != 0 || k.Number != (k.Field == "code") {
					t.Errorf("key %+v, want %s", k, tt.key)
				}
			default:
				if u.Select == nil || u.Items != nil {
					t.Fatalf("want a read, got %+v", u)
				}
				if got := u.Select.Read.Query.String(); got != tt.query {
					t.Errorf("query %q, want %q", got, tt.query)
				}
				if got := strings.Join(u.Select.Read.Fields, ","); got != tt.fields {
					t.Errorf("fields %q, want %q", got, tt.fields)
				}
			}
		})
	}
}

func TestUpdateItem(t *testing.T) {
	// note reads title after SET title = 'fixed': the new value, as in
	// MySQL, so it is a constant too; body reads the record's 顧客名.
	u := translateWrite(t, "UPDATE ORD SET title = 'fixed', amount = amount * 2, note = CONCAT(title, '!'), body = CONCAT(`顧客名`, '!') WHERE amount > 1", Options{}).(*Update)
	if len(u.Select.Columns) != 4 {
		t.Fatalf("columns %+v", u.Select.Columns)
	}
	it, err := u.Item(2, []driver.Value{int64(17), int64(4), "3.5", "T!"})
	if err != nil {
		t.Fatal(err)
	}
	if it.ID != 17 || it.Revision != 4 || it.Row != 2 || it.Key != nil {
		t.Errorf("item %+v", it)
	}
	if got := writeJSON(t, it.Record); got != `{"amount":"3.5","body":"T!","note":"fixed!","title":"fixed"}` {
		t.Errorf("record %s", got)
	}
	// The constant part is shared by the rows, never changed by Item.
	if writeJSON(t, u.consts) != `{"note":"fixed!","title":"fixed"}` {
		t.Errorf("constants changed: %s", writeJSON(t, u.consts))
	}
	// A computed value of the wrong kind names the row, the record and the column.
	u = translateWrite(t, "UPDATE ORD SET due = title WHERE amount > 1", Options{}).(*Update)
	_, err = u.Item(3, []driver.Value{int64(5), int64(1), "soon"})
	var ve *ValueError
	if !errors.As(err, &ve) || ve.Row != 3 || ve.ID != 5 || ve.Column != "due" || !strings.Contains(err.Error(), "row 3 ($id 5), column due: ") {
		t.Fatalf("got %v", err)
	}
	if _, err := u.Item(1, []driver.Value{nil, nil, "x"}); err == nil {
		t.Fatal("a row without $id: no error")
	}
}

func TestDeletePlans(t *testing.T) {
	d := translateWrite(t, "DELETE FROM ORD WHERE $id IN (4, 5)", Options{}).(*Delete)
	if d.Select != nil || len(d.Items) != 2 || d.Items[1].ID != 5 || d.Items[1].Row != 2 {
		t.Fatalf("direct delete %+v", d)
	}
	d = translateWrite(t, "DELETE FROM ORD WHERE $id = 4 AND $revision = 2", Options{}).(*Delete)
	if len(d.Items) != 1 || d.Items[0].Revision != 2 {
		t.Fatalf("optimistic delete %+v", d)
	}
	d = translateWrite(t, "DELETE FROM ORD WHERE title = 'x'", Options{}).(*Delete)
	if d.Items != nil || d.Select == nil || strings.Join(d.Select.Read.Fields, ",") != "$id,$revision,title" {
		t.Fatalf("delete by reading %+v", d)
	}
	it, err := d.Item(1, []driver.Value{int64(8), int64(3), "x"})
	if err == nil {
		t.Fatalf("3 values for a delete: %+v", it)
	}
	d = translateWrite(t, "DELETE FROM ORD WHERE amount > 3", Options{}).(*Delete)
	it, err = d.Item(1, []driver.Value{int64(8), int64(3)})
	if err != nil || it.ID != 8 || it.Revision != 3 || it.Record != nil {
		t.Fatalf("item %+v, %v", it, err)
	}
	d = translateWrite(t, "DELETE FROM ORD WHERE amount = NULL", Options{}).(*Delete)
	if d.Select == nil || d.Select.Strategy() != StrategyNone {
		t.Fatalf("a WHERE that never holds: %+v", d.Select)
	}
}

// TestWriteErrors checks the statements refused, at Prepare or at Bind,
// before anything could be sent.
func TestWriteErrors(t *testing.T) {
	tests := []struct {
		sql  string
		args []any
		want string
	}{
		{"INSERT INTO ORD VALUES ('x')", nil, "row 1 has 1 values for 19 columns: without a column list, INSERT INTO ORD takes the app's writable fields in form order (title, note,"},
		{"INSERT INTO ORD (nope) VALUES (1)", nil, `unknown column "nope"`},
		{"INSERT INTO ORD (total) VALUES (1)", nil, "column total (CALC) cannot be written"},
		{"INSERT INTO ORD ($id) VALUES (1)", nil, "column $id (__ID__) cannot be written"},
		{"INSERT INTO ORD (ステータス) VALUES ('x')", nil, "cannot be written"},
		{"INSERT INTO ORD (title, TITLE) VALUES (1, 2)", nil, "column title is listed twice"},
		{"INSERT INTO ORD (title, amount) VALUES (1)", nil, "row 1 has 1 values for 2 columns"},
		{"INSERT INTO ORD (title) VALUES (note)", nil, "cannot refer to columns"},
		{"INSERT INTO ORD (amount) VALUES ('1'), ('ten')", nil, "row 2, column amount: cannot write string \"ten\" to a NUMBER field: not a number"},
		{"INSERT INTO ORD (amount) VALUES (?)", []any{"ten"}, "row 1, column amount: argument 1 (at line 1, column 34): cannot write"},
		{"INSERT INTO ORD (title) VALUES (?)", []any{[]int{1}}, "argument 1"},
		{"INSERT INTO ORD (due) VALUES (TODAY())", nil, "TODAY() outside WHERE"},
		{"INSERT INTO information_schema.tables (table_name) VALUES ('x')", nil, "INSERT cannot write to information_schema.tables"},
		{"INSERT INTO ORD.items (qty) VALUES (1)", nil, "INSERT on a child table is not supported"},
		{"INSERT INTO ORD (title) SELECT title, note FROM ORD", nil, "the SELECT gives 2 columns for 1 inserted columns"},
		{"INSERT INTO ORD (title) SELECT 1 UNION SELECT 2, 3", nil, "return 1 and 2 columns"},
		{"INSERT INTO ORD (note) VALUES ('x') ON DUPLICATE KEY UPDATE note = VALUES(note)", nil, "needs a unique key among the inserted columns"},
		{"INSERT INTO STOCK (code, name, qty) VALUES (1, 'a', 2) ON DUPLICATE KEY UPDATE name = VALUES(name)", nil, "missing: qty"},
		{"INSERT INTO STOCK (code, name) VALUES (1, 'a') ON DUPLICATE KEY UPDATE name = 'b'", nil, "write name = VALUES(name)"},
		{"INSERT INTO STOCK (code, sku) VALUES (1, 'a') ON DUPLICATE KEY UPDATE qty = VALUES(qty)", nil, "can only assign inserted columns"},
		{"INSERT INTO STOCK (code, sku, name) VALUES (1, 'a', 'n') ON DUPLICATE KEY UPDATE name = VALUES(name)", nil, "several unique fields (code, sku)"},
		{"UPDATE ORD SET total = 1", nil, "column total (CALC) cannot be written"},
		{"UPDATE ORD SET 作成者 = 'sato'", nil, "can only be set when a record is added"},
		{"UPDATE ORD SET due = '2024-05-01', title = due", nil, "reading due after SET due = '2024-05-01'"},
		{"UPDATE ORD SET amount = ?, title = amount", []any{"x"}, "reading amount after SET amount = ?"},
		{"UPDATE ORD SET amount = 'many', amount = 2 WHERE $id = 1", nil, "amount"},
		{"UPDATE ORD SET nope = 1", nil, `unknown column "nope"`},
		{"UPDATE ORD SET due = 'tomorrow' WHERE $id = 1", nil, "column due: cannot write"},
		{"UPDATE ORD SET due = ? WHERE $id = 1", []any{int64(3)}, "column due: argument 1"},
		{"UPDATE ORD SET amount = SUM(amount)", nil, "aggregate SUM() is not allowed here"},
		{"UPDATE ORD SET amount = 1 WHERE due < TODAY() OR title LIKE 'a%'", nil, "TODAY() in a condition evaluated outside Kintone"},
		{"UPDATE ORD SET amount = 1 ORDER BY tags", nil, "cannot sort by a list of options"},
		{"UPDATE ORD SET amount = 1 WHERE $id IN (?)", []any{[]string{}}, "an empty list cannot stand for IN (?)"},
		{"UPDATE ORD, Customers SET amount = 1", nil, "join (tables separated by commas)"},
		{"DELETE FROM ORD WHERE amount = 'x'", nil, `"x" is not a number`},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			_, err := Translate(context.Background(), tt.sql, writeSchema(), Options{}, args(tt.args...))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// TestWriteValueErrorsAtPrepare checks that a bad literal fails at
// Prepare, not at the first execution.
func TestWriteValueErrorsAtPrepare(t *testing.T) {
	_, err := Prepare(context.Background(), "INSERT INTO ORD (title, due) VALUES (?, '2024-02-30')", writeSchema(), Options{})
	var ve *ValueError
	if !errors.As(err, &ve) || ve.Row != 1 || ve.Column != "due" {
		t.Fatalf("got %v, want a *ValueError for row 1, column due", err)
	}
	p, err := Prepare(context.Background(), "UPDATE ORD SET due = ?, title = 'x' WHERE $id = ?", writeSchema(), Options{})
	if err != nil || p.NumInput() != 2 {
		t.Fatalf("Prepare: %v", err)
	}
	for _, ok := range []bool{true, false} {
		due := any("2024-02-01")
		if !ok {
			due = "never"
		}
		st, err := p.Bind(context.Background(), args(due, 3))
		if ok != (err == nil) {
			t.Fatalf("Bind(%v): %v", due, err)
		}
		if ok && writeJSON(t, st.(*Update).Items[0].Record) != `{"due":"2024-02-01","title":"x"}` {
			t.Fatalf("record %s", writeJSON(t, st.(*Update).Items[0].Record))
		}
	}
}

// TestWriteTargets checks what an UPDATE or DELETE says it reads to find
// its records and compute their values: a transaction refuses a statement
// that reads a field an earlier statement updates.
func TestWriteTargets(t *testing.T) {
	tests := []struct {
		sql      string
		reads    string
		volatile bool
		limited  bool
	}{
		{"UPDATE ORD SET amount = 1 WHERE $id = 3", "", false, false},
		{"UPDATE ORD SET amount = 1 WHERE $id = 3 AND $revision = 2", "", true, false},
		{"UPDATE ORD SET amount = 1 WHERE title = 'T'", "title", false, false},
		{"UPDATE ORD SET note = CONCAT(title, url), amount = 2 WHERE amount > 1 OR color = 'red' ORDER BY due LIMIT 3", "title,url,amount,color,due", false, true},
		{"UPDATE ORD SET amount = 1 WHERE 更新日時 > '2024-01-01'", "更新日時", true, false},
		{"UPDATE ORD SET amount = 1 WHERE total > 3", "total", true, false},
		{"UPDATE ORD SET amount = 1 WHERE 更新者 IN ('admin')", "更新者", true, false},
		{"DELETE FROM ORD WHERE due IS NULL ORDER BY at", "due,at", false, false},
		{"DELETE FROM ORD WHERE $revision > 1 LIMIT 1", "", true, true},
		{"DELETE FROM ORD", "", false, false},
		{"INSERT INTO STOCK (sku, qty) SELECT title, amount + 1 FROM ORD WHERE at > '2024-01-01' ORDER BY due LIMIT 5", "title,amount,due,at", false, true},
		{"INSERT INTO STOCK (sku, qty) SELECT item, SUM(qty) FROM ORD.items GROUP BY item HAVING SUM(price) > 1", "items", false, false},
		{"INSERT INTO STOCK (sku) VALUES ('x')", "", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			var tg Targets
			switch st := translateWrite(t, tt.sql, Options{}).(type) {
			case *Update:
				tg = st.Targets
			case *Delete:
				tg = st.Targets
			case *Insert:
				tg = st.Targets
			}
			if got := strings.Join(tg.Reads, ","); got != tt.reads || tg.Volatile != tt.volatile || tg.Limited != tt.limited {
				t.Errorf("reads %q, volatile %v, limited %v; want %q, %v, %v", got, tg.Volatile, tg.Limited, tt.reads, tt.volatile, tt.limited)
			}
		})
	}
}

// TestUpdateItemsShareConstantValues: an UPDATE whose SET values are the
// same for every row does not copy them per record (a write that reads
// every target first, under offset paging, holds up to 10,000 items).
func TestUpdateItemsShareConstantValues(t *testing.T) {
	u := translateWrite(t, "UPDATE ORD SET title = 'fixed' WHERE amount > 1", Options{}).(*Update)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := u.Item(1, []driver.Value{int64(17), int64(4)}); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per item", allocs)
	}
	it, _ := u.Item(1, []driver.Value{int64(17), int64(4)})
	if it.ID != 17 || it.Revision != 4 || writeJSON(t, it.Record) != `{"title":"fixed"}` {
		t.Errorf("item %+v", it)
	}
}

// The records an UPDATE or DELETE writes are read by keys no change moves,
// whatever Options.Cursor says: keyset pages for an order by the creation
// time and $id (the rows are found page by page, a LIMIT reads no more
// than it writes), $id pages otherwise, sorted in Go for any other order
// (the update time among them: every write moves it).
func TestWriteTargetsPageByKeysNoChangeMoves(t *testing.T) {
	for _, tc := range []struct {
		sql, strategy, query string
		max                  int64
	}{
		{"DELETE FROM ORD ORDER BY 作成日時 LIMIT 2500", "keyset", "order by 作成日時 asc, $id asc", 2500},
		{"DELETE FROM ORD WHERE amount > 5 ORDER BY 作成日時 DESC, $id DESC LIMIT 700", "keyset", "amount > 5 order by 作成日時 desc, $id desc", 700},
		{"UPDATE ORD SET title = 'x' ORDER BY 作成日時 LIMIT 10", "single", "order by 作成日時 asc, $id asc limit 10", 0}, // one page, one request
		{"DELETE FROM ORD ORDER BY $id DESC LIMIT 2500", "seek", "order by $id desc", 2500},
		{"DELETE FROM ORD ORDER BY 更新日時 LIMIT 2500", "seek", "order by $id asc", 0},
		{"UPDATE ORD SET title = 'x' ORDER BY amount LIMIT 2500", "seek", "order by $id asc", 0},
	} {
		for _, mode := range []CursorMode{CursorAuto, CursorAlways, CursorNever} {
			st := translateWrite(t, tc.sql, Options{Cursor: mode})
			var sel *Select
			switch w := st.(type) {
			case *Update:
				sel = w.Select
			case *Delete:
				sel = w.Select
			}
			if sel == nil || sel.Read == nil {
				t.Fatalf("%s: no read", tc.sql)
			}
			r := sel.Read
			if r.Strategy.String() != tc.strategy || r.Query.String() != tc.query || r.MaxRecords != tc.max {
				t.Errorf("%s (cursor %v): %s %q, max %d; want %s %q, max %d", tc.sql, mode, r.Strategy, r.Query.String(), r.MaxRecords, tc.strategy, tc.query, tc.max)
			}
		}
	}
}
