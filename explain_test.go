package kintone_test

import (
	"database/sql"
	"strconv"
	"strings"
	"testing"
)

// explainWrite runs EXPLAIN query and returns its write row by column.
func explainWrite(t *testing.T, db *sql.DB, query string, args ...any) map[string]any {
	t.Helper()
	rows, err := db.Query("EXPLAIN "+query, args...)
	if err != nil {
		t.Fatalf("EXPLAIN %.60s: %v", query, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var last map[string]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		last = map[string]any{}
		for i, c := range cols {
			last[c] = vals[i]
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if last == nil || last["step"] != "write" {
		t.Fatalf("EXPLAIN %.60s: no write row (%v)", query, last)
	}
	return last
}

// writeRequestCount is the number of write requests among counts.
func writeRequestCount(counts map[string]int64) int64 {
	return counts["POST records"] + counts["PUT records"] + counts["DELETE records"] + counts["POST bulkRequest"]
}

// TestExplainWritesPredictTheRequestsAndNeverWrite explains writes of
// every kind, checks that EXPLAIN sends nothing (and that Exec of an
// EXPLAIN is refused), then runs each write and compares the write
// requests it sent with those EXPLAIN announced.
func TestExplainWritesPredictTheRequestsAndNeverWrite(t *testing.T) {
	srv := newEmulator(t)
	ids := stockApp(t, srv, 2500)
	db := openDB(t, srv.DSN())
	countRows(t, db, "SELECT num FROM STOCK LIMIT 1")
	idList := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = strconv.FormatInt(ids[i], 10)
		}
		return out
	}
	for _, tc := range []struct {
		sql  string
		args []any
	}{
		{valuesSQL("STOCK", 10000, 1), nil},
		{valuesSQL("STOCK", 10000, 100), nil},
		{valuesSQL("STOCK", 10000, 101), nil},
		{valuesSQL("STOCK", 10000, 2001), nil},
		{valuesSQL("STOCK", 10000, 4250), nil},
		{"UPDATE STOCK SET label = 'by ids' WHERE $id IN (?)", []any{idList(150)}},
		{"UPDATE STOCK SET label = 'by key' WHERE sku = 'S-7'", nil},
		{"INSERT INTO STOCK (code, label) VALUES (1, 'up'), (2, 'up'), (99999, 'new') ON DUPLICATE KEY UPDATE label = VALUES(label)", nil},
		{"DELETE FROM STOCK WHERE $id IN (?)", []any{idList(2300)}},
		{"DELETE FROM STOCK WHERE num = NULL", nil},
	} {
		name := tc.sql
		if len(name) > 60 {
			name = name[:60]
		}
		t.Run(name, func(t *testing.T) {
			before := countRows(t, db, "SELECT $id FROM STOCK")
			var w map[string]any
			got := recordRequests(srv, func() { w = explainWrite(t, db, tc.sql, tc.args...) })
			wantCounts(t, "EXPLAIN", got, map[string]int64{})
			if _, err := db.Exec("EXPLAIN "+tc.sql, tc.args...); err == nil {
				t.Error("Exec of an EXPLAIN: no error")
			}
			if n := countRows(t, db, "SELECT $id FROM STOCK"); n != before {
				t.Fatalf("EXPLAIN changed the records: %d, then %d", before, n)
			}
			want, ok := w["requests"].(int64)
			if !ok {
				t.Fatalf("EXPLAIN does not say how many requests: %v", w)
			}
			got = recordRequests(srv, func() { exec(t, db, tc.sql, tc.args...) })
			if n := writeRequestCount(got); n != want {
				t.Errorf("%d write requests (%v), EXPLAIN said %d (%s)", n, got, want, w["batches"])
			}
		})
	}
}

// TestExplainUpdateNamesTheReadAndTheWrite is the case: EXPLAIN
// UPDATE said unknown table "UPDATE".
func TestExplainUpdateNamesTheReadAndTheWrite(t *testing.T) {
	srv := newEmulator(t)
	stockApp(t, srv, 3)
	db := openDB(t, srv.DSN()+"?useCursor=never")
	rows, err := db.Query("EXPLAIN UPDATE STOCK SET label = 'x' ORDER BY num LIMIT 2")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var step string
		var strategy sql.NullString
		var app, pageSize, maxRecords, rowsN, requests sql.NullInt64
		var query, fields, goSteps, tree, op, target, batches, revisions sql.NullString
		if err := rows.Scan(&step, &strategy, &app, &query, &fields, &pageSize, &maxRecords, &goSteps, &tree, &op, &target, &rowsN, &requests, &batches, &revisions); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, strings.Join([]string{step, strategy.String, query.String, op.String, revisions.String}, " | "))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"read | single | order by num asc, $id asc limit 2 |  | ",
		"write |  |  | PUT records.json | checked: the revision read (a record changed since is a conflict, GAIA_CO02)",
	}
	if strings.Join(steps, "\n") != strings.Join(want, "\n") {
		t.Errorf("EXPLAIN UPDATE:\n%s\nwant:\n%s", strings.Join(steps, "\n"), strings.Join(want, "\n"))
	}
}
