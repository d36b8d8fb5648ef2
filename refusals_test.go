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
