package kintone_test

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest"
)

// This file tests the statements MySQL accepts that blocked whole
// scripts before (issue 14, item 5): SELECT ALL and f(ALL x), INSERT
// without a column list, SET of one column twice and SET reading a
// column assigned before it, and REPLACE.

// TestSelectAll: ALL is MySQL's default, in SELECT and in aggregates.
func TestSelectAll(t *testing.T) {
	srv := newEmulator(t)
	app := shopApp(t, srv, "ALLS")
	if _, err := srv.AddRecords(app,
		kintonetest.Record{"code": "1", "num": "5", "label": "x"},
		kintonetest.Record{"code": "2", "num": "5", "label": "x"},
		kintonetest.Record{"code": "3", "label": "y"},
	); err != nil {
		t.Fatal(err)
	}
	db := openDB(t, srv.DSN())
	for _, tc := range []struct{ sql, want string }{
		{"SELECT ALL label FROM ALLS ORDER BY $id", "x,x,y"},
		{"SELECT ALL COUNT(ALL num), COUNT(ALL *), SUM(ALL num), MAX(ALL num), COUNT(DISTINCT num) FROM ALLS", "2,3,10,5,1"},
		{"SELECT label, COUNT(ALL num) FROM ALLS GROUP BY label ORDER BY label", "x,2,y,0"},
	} {
		if got := joinRows(t, db, tc.sql); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.sql, got, tc.want)
		}
	}
}

// joinRows reads every row of query as text (NULL as "NULL"), the values
// joined by commas.
func joinRows(t *testing.T, db *sql.DB, query string, args ...any) string {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if !v.Valid {
				out = append(out, "NULL")
				continue
			}
			out = append(out, v.String)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return strings.Join(out, ",")
}

// defaultsApp creates an app whose form holds a computed field between
// writable ones, and fields with defaults.
func defaultsApp(t *testing.T, srv *kintonetest.Server, code string) int64 {
	t.Helper()
	app, err := srv.CreateApp(kintonetest.App{Name: code, Code: code, Fields: []kintonetest.Field{
		{Code: "sku", Type: "SINGLE_LINE_TEXT", Unique: true},
		{Code: "qty", Type: "NUMBER", Default: "1"},
		{Code: "twice", Type: "CALC", Expression: "qty*2"},
		{Code: "label", Type: "SINGLE_LINE_TEXT", Default: "none"},
		{Code: "tags", Type: "CHECK_BOX", Options: []string{"a", "b"}, Default: []string{"a"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return app
}

// TestInsertWithoutColumnListRuns inserts by position into the writable
// fields, as DESCRIBE lists them, one row, several, and by placeholders
// (the VALUES fast path), and a row of defaults with () VALUES ().
func TestInsertWithoutColumnListRuns(t *testing.T) {
	srv := newEmulator(t)
	defaultsApp(t, srv, "POS")
	db := openDB(t, srv.DSN())
	var fields []string
	for _, f := range strings.Split(joinRows(t, db, "SELECT COLUMN_NAME FROM information_schema.columns WHERE TABLE_NAME = 'POS'"), ",") {
		if f == "sku" || f == "qty" || f == "twice" || f == "label" || f == "tags" {
			fields = append(fields, f)
		}
	}
	if strings.Join(fields, ",") != "sku,qty,twice,label,tags" { // form order
		t.Fatalf("the app's columns: %v", fields)
	}
	got := recordRequests(srv, func() {
		exec(t, db, "INSERT INTO POS VALUES ('s1', 5, 'five', '[\"b\"]')")
		exec(t, db, "INSERT INTO POS VALUES (?, ?, ?, ?), (?, ?, ?, ?), (?, ?, ?, ?)",
			"s2", 6, "six", []string{}, "s3", nil, "seven", []string{"a", "b"}, "s4", 8, "eight", []string{"a"})
	})
	wantCounts(t, "inserts", got, map[string]int64{"POST records": 2})
	if affected, _ := exec(t, db, "INSERT INTO POS () VALUES ()"); affected != 1 {
		t.Errorf("() VALUES (): RowsAffected %d", affected)
	}
	if affected, _ := exec(t, db, "INSERT INTO POS VALUES (), ()"); affected != 2 {
		t.Errorf("VALUES (), (): RowsAffected %d", affected)
	}
	want := "s1,5,10,five,[\"b\"]," +
		"s2,6,12,six,[]," +
		"s3,NULL,0,seven,[\"a\",\"b\"]," +
		"s4,8,16,eight,[\"a\"]," +
		"NULL,1,2,none,[\"a\"],NULL,1,2,none,[\"a\"],NULL,1,2,none,[\"a\"]"
	if got := joinRows(t, db, "SELECT sku, qty, twice, label, tags FROM POS ORDER BY $id"); got != want {
		t.Errorf("rows:\n%s\nwant\n%s", got, want)
	}
	_, err := db.Exec("INSERT INTO POS VALUES ('s9', 1, 'x', '[]'),\n ('s10', 2, 'y')")
	if err == nil || !strings.Contains(err.Error(), "row 2 has 3 values for 4 columns: without a column list, INSERT INTO POS takes the app's writable fields in form order (sku, qty, label, tags)") ||
		!strings.Contains(err.Error(), "line 2, column 2") {
		t.Errorf("a short row: %v", err)
	}
}

// TestUpdateAssignsInOrderRuns: SET x = 3, x = 4 writes 4, and SET a =
// a + 1, b = a gives b the new a, as MySQL does; the WHERE still reads
// the records as they were.
func TestUpdateAssignsInOrderRuns(t *testing.T) {
	srv := newEmulator(t)
	stockApp(t, srv, 3) // code 1..3, num 0..2
	db := openDB(t, srv.DSN())
	countRows(t, db, "SELECT num FROM STOCK LIMIT 1")
	got := recordRequests(srv, func() {
		if n, _ := exec(t, db, "UPDATE STOCK SET num = 3, num = 4 WHERE code = 1"); n != 1 {
			t.Errorf("RowsAffected %d", n)
		}
	})
	wantCounts(t, "by key", got, map[string]int64{"PUT records": 1})
	got = recordRequests(srv, func() {
		if n, _ := exec(t, db, "UPDATE STOCK SET num = num + 1, price = num, label = 'x', label = CONCAT(label, '!') WHERE num >= 1 AND num <= 2"); n != 2 {
			t.Errorf("RowsAffected %d", n)
		}
	})
	wantCounts(t, "read and write", got, map[string]int64{"GET records": 1, "PUT records": 1})
	if got, want := joinRows(t, db, "SELECT code, num, price, label FROM STOCK ORDER BY code"), "1,4,NULL,old,2,2,2,x!,3,3,3,x!"; got != want {
		t.Errorf("rows %s, want %s", got, want)
	}
	if _, err := db.Exec("UPDATE STOCK SET due = '2024-05-01', label = due WHERE code = 1"); err == nil ||
		!strings.Contains(err.Error(), "reading due after SET due = '2024-05-01' is not supported (at line 1, column 46)") {
		t.Errorf("a value Kintone converts, read back: %v", err)
	}
}

// TestReplace: REPLACE is Kintone's upsert by the unique field among the
// columns, with every other writable field set to its default, so that
// the record holds the new row and nothing of the old one; without a
// unique field it is an INSERT. What the upsert cannot do exactly is
// refused, with its position.
func TestReplace(t *testing.T) {
	srv := newEmulator(t)
	app := defaultsApp(t, srv, "REP")
	ids, err := srv.AddRecords(app, kintonetest.Record{"sku": "s1", "qty": "5", "label": "five", "tags": []string{"b"}})
	if err != nil {
		t.Fatal(err)
	}
	if ids[0] != 1 {
		t.Fatalf("the first record is %d: the rows below name it 1", ids[0])
	}
	db := openDB(t, srv.DSN())
	countRows(t, db, "SELECT sku FROM REP")
	rows := func() string { return joinRows(t, db, "SELECT $id, sku, qty, label, tags FROM REP ORDER BY $id") }
	steps := []struct {
		sql      string
		args     []any
		affected int64
		requests map[string]int64
		rows     string // after the statement; $id 1 is the record added first
	}{
		{"REPLACE INTO REP (sku, label) VALUES ('s1', 'new'), ('s2', 'two')", nil, 2, map[string]int64{"PUT records": 1},
			"1,s1,1,new,[\"a\"],2,s2,1,two,[\"a\"]"},
		{"REPLACE INTO REP (qty, tags, sku, label) VALUES (9, '[]', 's1', DEFAULT)", nil, 1, map[string]int64{"PUT records": 1},
			"1,s1,9,none,[],2,s2,1,two,[\"a\"]"},
		{"REPLACE INTO REP (sku, label) VALUES (?, ?), (?, ?), (?, ?)", []any{"s2", "p2", "s3", "p3", "s1", "p1"}, 3, map[string]int64{"PUT records": 1},
			"1,s1,1,p1,[\"a\"],2,s2,1,p2,[\"a\"],3,s3,1,p3,[\"a\"]"},
		{"REPLACE INTO REP VALUES ('s3', 3, 'three', '[\"b\"]')", nil, 1, map[string]int64{"PUT records": 1},
			"1,s1,1,p1,[\"a\"],2,s2,1,p2,[\"a\"],3,s3,3,three,[\"b\"]"},
		// No unique field among the columns: no record can have the
		// row's key, and REPLACE adds the record as INSERT does.
		{"REPLACE INTO REP (label) VALUES ('plain')", nil, 1, map[string]int64{"POST records": 1},
			"1,s1,1,p1,[\"a\"],2,s2,1,p2,[\"a\"],3,s3,3,three,[\"b\"],4,NULL,1,plain,[\"a\"]"},
		{"REPLACE INTO REP (sku, qty) SELECT CONCAT(sku, 'x'), qty + 1 FROM REP WHERE sku = 's3'", nil, 1, map[string]int64{"GET records": 1, "PUT records": 1},
			"1,s1,1,p1,[\"a\"],2,s2,1,p2,[\"a\"],3,s3,3,three,[\"b\"],4,NULL,1,plain,[\"a\"],5,s3x,4,none,[\"a\"]"},
	}
	for _, st := range steps {
		var affected int64
		got := recordRequests(srv, func() { affected, _ = exec(t, db, st.sql, st.args...) })
		wantCounts(t, st.sql, got, st.requests)
		if affected != st.affected {
			t.Errorf("%s: RowsAffected %d, want %d", st.sql, affected, st.affected)
		}
		if got := rows(); got != st.rows {
			t.Errorf("%s: rows\n%s\nwant\n%s", st.sql, got, st.rows)
		}
	}
	if got := joinRows(t, db, "EXPLAIN REPLACE INTO REP (sku) VALUES ('x')"); !strings.Contains(got, "upsert into app") || !strings.Contains(got, "updateKey sku") {
		t.Errorf("EXPLAIN REPLACE by key: %s", got)
	}
	if got := joinRows(t, db, "EXPLAIN REPLACE INTO REP (label) VALUES ('x')"); !strings.Contains(got, "POST records.json,new records") {
		t.Errorf("EXPLAIN REPLACE without a key: %s", got)
	}

	// What the upsert cannot do with MySQL's meaning.
	if _, err := srv.CreateApp(kintonetest.App{Name: "REPN", Code: "REPN", Fields: []kintonetest.Field{
		{Code: "sku", Type: "SINGLE_LINE_TEXT", Unique: true},
		{Code: "code", Type: "NUMBER", Unique: true},
		{Code: "day", Type: "DATE", DefaultNow: true},
		{Code: "who", Type: "USER_SELECT", Default: []string{"LOGINUSER()"}},
	}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ sql, want string }{
		{"REPLACE INTO REPN (sku, code, day, who) VALUES ('a', 1, '2024-05-01', '[]')",
			"REPLACE with several unique fields (sku, code) is not supported (at line 1, column 1)"},
		{"REPLACE INTO REPN (sku, who) VALUES ('a', '[]')",
			"REPLACE setting day to its default is not supported (at line 1, column 1): its default is the time of the write"},
		{"REPLACE INTO REPN (sku, day, who) VALUES ('a', '2024-05-01', '[]'),\n ('b', '2024-05-02', DEFAULT)",
			"REPLACE setting who to its default is not supported (at line 2, column 22): its default is computed from the user who writes"},
	} {
		if _, err := db.Exec(tc.sql); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.sql, err, tc.want)
		}
	}
	if n := countRows(t, db, "SELECT $id FROM REPN"); n != 0 {
		t.Errorf("%d records written by refused statements", n)
	}
}

// TestUpsertDefaultSetsTheDefault: in MySQL, DEFAULT in a row of INSERT
// ... ON DUPLICATE KEY UPDATE col = VALUES(col) sets the record found to
// the column's default. Kintone's upsert updates only the fields sent, so
// the driver sends the default; a default only Kintone computes (the
// time of the write) cannot be sent, and the statement is refused before
// anything is written.
func TestUpsertDefaultSetsTheDefault(t *testing.T) {
	srv := newEmulator(t)
	app, err := srv.CreateApp(kintonetest.App{Name: "UPD", Code: "UPD", Fields: []kintonetest.Field{
		{Code: "sku", Type: "SINGLE_LINE_TEXT", Unique: true},
		{Code: "qty", Type: "NUMBER", Default: "1"},
		{Code: "label", Type: "SINGLE_LINE_TEXT", Default: "none"},
		{Code: "seen", Type: "DATETIME", DefaultNow: true},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.AddRecords(app, kintonetest.Record{"sku": "s1", "qty": "9", "label": "nine"}); err != nil {
		t.Fatal(err)
	}
	db := openDB(t, srv.DSN())
	rows := func() string { return joinRows(t, db, "SELECT sku, qty, label FROM UPD ORDER BY $id") }
	rows() // the schema is cached: the counts below are the write's
	got := recordRequests(srv, func() {
		exec(t, db, "INSERT INTO UPD (sku, qty, label) VALUES ('s1', DEFAULT, 'kept'), ('s2', 4, DEFAULT) "+
			"ON DUPLICATE KEY UPDATE qty = VALUES(qty), label = VALUES(label)")
	})
	wantCounts(t, "upsert", got, map[string]int64{"PUT records": 1})
	// s1 existed: qty back to its default 1, label given; s2 is added:
	// qty given, label its default.
	if got, want := rows(), "s1,1,kept,s2,4,none"; got != want {
		t.Errorf("rows %s, want %s", got, want)
	}
	_, err = db.Exec("INSERT INTO UPD (sku, seen) VALUES ('s1', DEFAULT) ON DUPLICATE KEY UPDATE seen = VALUES(seen)")
	if err == nil || !strings.Contains(err.Error(), "DEFAULT for seen in an upsert") || !strings.Contains(err.Error(), "column 43") {
		t.Errorf("DEFAULT of a time of the write: %v", err)
	}
	if got, want := rows(), "s1,1,kept,s2,4,none"; got != want {
		t.Errorf("a refused upsert wrote: rows %s, want %s", got, want)
	}
}
