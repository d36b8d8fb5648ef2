package translate

import (
	"context"
	"database/sql/driver"
	"reflect"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/translate/catalog"
)

// explainRows runs EXPLAIN sql against writeSchema and returns its rows
// by column name.
func explainRows(t *testing.T, sql string, opts Options, vs ...any) []map[string]driver.Value {
	t.Helper()
	st, err := Translate(context.Background(), sql, writeSchema(), opts, args(vs...))
	if err != nil {
		t.Fatalf("Translate(%q): %v", sql, err)
	}
	s, ok := st.(*Select)
	if !ok || s.Read != nil {
		t.Fatalf("EXPLAIN plans %T, want a read of nothing", st)
	}
	names := s.Run(nil).Columns()
	want := []string{"step", "strategy", "app", "query", "fields", "page_size", "max_records", "go", "plan", "operation", "target", "rows", "requests", "batches", "revisions"}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("columns %v", names)
	}
	var out []map[string]driver.Value
	for _, r := range collect(t, s, nil) {
		m := map[string]driver.Value{}
		for i, n := range names {
			m[n] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func TestExplainWrites(t *testing.T) {
	tests := []struct {
		sql  string
		opts Options
		args []any
		// read is the read row's strategy, query and max_records ("" when
		// there is no read); the write row's fields follow.
		read                        string
		op, target                  string
		rows, requests              any
		batches, revisions, goSteps string
	}{
		{sql: "EXPLAIN INSERT INTO STOCK (sku, qty) VALUES ('a', 1), ('b', 2)",
			op: "POST records.json", target: "new records", rows: int64(2), requests: int64(1),
			batches: "1 records.json request of 2 records", revisions: "not checked"},
		{sql: "explain insert into STOCK (sku, qty) values (?, ?)" + strings.Repeat(", (?, ?)", 2499), args: make([]any, 5000),
			op: "POST records.json", target: "new records", rows: int64(2500), requests: int64(2),
			batches: "1 bulkRequest of 20 requests of 100 records, then 1 bulkRequest of 5 requests of 100 records; each request is applied all or nothing", revisions: "not checked"},
		{sql: "EXPLAIN INSERT INTO STOCK (sku) VALUES ('a')" + strings.Repeat(", ('a')", 2250),
			op: "POST records.json", target: "new records", rows: int64(2251), requests: int64(2),
			batches: "1 bulkRequest of 20 requests of 100 records, then 1 bulkRequest of 3 requests (2 of 100 records, the last of 51 records)", revisions: "not checked"},
		{sql: "EXPLAIN INSERT INTO STOCK (sku) VALUES ('a')" + strings.Repeat(", ('a')", 4000),
			op: "POST records.json", target: "new records", rows: int64(4001), requests: int64(3),
			batches: "2 bulkRequests of 20 requests of 100 records, then 1 records.json request of 1 record", revisions: "not checked"},
		{sql: "EXPLAIN INSERT INTO STOCK (code, name) VALUES (1, 'a') ON DUPLICATE KEY UPDATE name = VALUES(name)",
			op: "PUT records.json, upsert", target: "updateKey code: updates the record with the key, adds one when none has it", rows: int64(1), requests: int64(1),
			batches: "1 records.json request of 1 record", revisions: "not checked"},
		{sql: "EXPLAIN INSERT INTO STOCK (sku, qty) SELECT sku, qty + 1 FROM STOCK WHERE qty > 3",
			read: "seek|qty > 3 order by $id asc|", op: "POST records.json", target: "new records", rows: nil, requests: nil,
			batches: "as rows are read: batches of up to 2000 rows", revisions: "not checked",
			goSteps: "every row is read before the first record is written: the SELECT reads the app written"},
		{sql: "EXPLAIN UPDATE STOCK SET qty = 0 WHERE $id IN (1, 2, 3)",
			op: "PUT records.json", target: "by $id", rows: int64(3), requests: int64(1),
			batches: "1 records.json request of 3 records", revisions: "not checked", goSteps: "a $id with no record is skipped"},
		{sql: "EXPLAIN UPDATE STOCK SET qty = 0 WHERE $id = 4 AND $revision = 7",
			op: "PUT records.json", target: "by $id", rows: int64(1), requests: int64(1),
			batches: "1 records.json request of 1 record", revisions: "checked: $revision = 7 (GAIA_CO02 otherwise)", goSteps: "a $id with no record is skipped"},
		{sql: "EXPLAIN UPDATE STOCK SET qty = 0 WHERE sku = ?", args: []any{"S-1"},
			op: "PUT records.json", target: `updateKey sku = "S-1"`, rows: int64(1), requests: int64(1),
			batches: "1 records.json request of 1 record", revisions: "not checked", goSteps: "no record with the key writes nothing"},
		{sql: "EXPLAIN UPDATE STOCK SET qty = qty + 1 WHERE name = 'x'",
			read: "seek|name = \"x\" order by $id asc|", op: "PUT records.json", target: "by $id: the records the read finds",
			batches: "as rows are read", revisions: "checked: the revision read", goSteps: "records are written in batches as they are read"},
		{sql: "EXPLAIN DELETE FROM STOCK ORDER BY qty LIMIT 2500", opts: Options{Cursor: CursorNever},
			read: "seek|order by $id asc|", op: "DELETE records.json", target: "by $id: the records the read finds",
			batches: "as rows are read", revisions: "checked: the revision read", goSteps: "every record is read and sorted in Go before the first write"},
		{sql: "EXPLAIN DELETE FROM STOCK ORDER BY qty LIMIT 2500",
			read: "seek|order by $id asc|", op: "DELETE records.json", target: "by $id: the records the read finds",
			batches: "as rows are read", revisions: "checked: the revision read", goSteps: "every record is read and sorted in Go before the first write"},
		{sql: "EXPLAIN DELETE FROM STOCK WHERE qty > 1", opts: Options{Cursor: CursorAlways},
			read: "seek|qty > 1 order by $id asc|", op: "DELETE records.json", target: "by $id: the records the read finds",
			batches: "as rows are read", revisions: "checked: the revision read", goSteps: "records are written in batches as they are read"},
		{sql: "EXPLAIN DELETE FROM STOCK WHERE qty = NULL",
			read: "none||", op: "DELETE records.json", target: "by $id: the records the read finds", rows: int64(0), requests: int64(0),
			batches: "nothing to write: no request", revisions: "checked: the revision read"},
		{sql: "EXPLAIN DELETE FROM STOCK WHERE $id IN (?)", args: []any{[]string{"1", "2"}},
			op: "DELETE records.json", target: "by $id", rows: int64(2), requests: int64(1),
			batches: "1 records.json request of 2 records", revisions: "not checked", goSteps: "a $id with no record is skipped"},
	}
	for _, tt := range tests {
		name := tt.sql
		if len(name) > 80 {
			name = name[:80]
		}
		t.Run(name, func(t *testing.T) {
			rows := explainRows(t, tt.sql, tt.opts, tt.args...)
			w := rows[len(rows)-1]
			if tt.read == "" {
				if len(rows) != 1 {
					t.Fatalf("%d rows, want the write only: %v", len(rows), rows)
				}
			} else {
				if len(rows) != 2 || rows[0]["step"] != "read" {
					t.Fatalf("rows %v, want a read then a write", rows)
				}
				r := rows[0]
				maxRecords := ""
				if r["max_records"] != nil {
					maxRecords = itoaTest(r["max_records"].(int64))
				}
				query := ""
				if r["query"] != nil {
					query = r["query"].(string)
				}
				if got := r["strategy"].(string) + "|" + query + "|" + maxRecords; got != tt.read {
					t.Errorf("read %q, want %q", got, tt.read)
				}
			}
			if w["step"] != "write" || w["app"] != int64(50) || w["operation"] != tt.op || w["target"] != tt.target || w["rows"] != tt.rows || w["requests"] != tt.requests || w["revisions"] != nil && !strings.HasPrefix(w["revisions"].(string), tt.revisions) {
				t.Errorf("write row %v", w)
			}
			if b, _ := w["batches"].(string); !strings.HasPrefix(b, tt.batches) {
				t.Errorf("batches %q, want %q...", b, tt.batches)
			}
			if g, _ := w["go"].(string); !strings.HasPrefix(g, tt.goSteps) || (tt.goSteps == "") != (g == "") {
				t.Errorf("go %q, want %q...", g, tt.goSteps)
			}
		})
	}
}

// TestExplainWriteReadIsExplainSelect: the read row of EXPLAIN UPDATE is
// what EXPLAIN SELECT says of the same read, for a read the write cannot
// shift (by $id). An order by another field differs on purpose: a SELECT
// may page by offset, a write's read by cursor (TestExplainWrites).
func TestExplainWriteReadIsExplainSelect(t *testing.T) {
	rows := explainRows(t, "EXPLAIN UPDATE STOCK SET qty = 1 WHERE name LIKE '%x%' ORDER BY $id DESC LIMIT 10", Options{})
	st, err := Translate(context.Background(), "EXPLAIN SELECT $id, $revision FROM STOCK WHERE name LIKE '%x%' ORDER BY $id DESC LIMIT 10", writeSchema(), Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	sel := collect(t, st.(*Select), nil)[0]
	names := []string{"strategy", "app", "query", "fields", "page_size", "max_records", "go", "plan"}
	for i, n := range names {
		if rows[0][n] != sel[i] {
			t.Errorf("%s: EXPLAIN UPDATE says %v, EXPLAIN SELECT %v", n, rows[0][n], sel[i])
		}
	}
}

func itoaTest(n int64) string { return catalog.FormatInt(n) }

// TestExplainWriteErrors: EXPLAIN of a write fails as the write would,
// pointing into the statement after the EXPLAIN.
func TestExplainWriteErrors(t *testing.T) {
	for _, tc := range []struct{ sql, msg string }{
		{"EXPLAIN UPDATE Nope SET a = 1", `unknown table "Nope" (at line 1, column 16)`},
		{"EXPLAIN UPDATE STOCK SET nope = 1", `unknown column "nope" in table "STOCK": its columns are $id, $revision, code, sku, name, qty (at line 1, column 26)`},
		{"EXPLAIN INSERT INTO STOCK (qty) VALUES ('x')", "row 1, column qty: "},
		{"EXPLAIN REPLACE INTO STOCK (code, sku) VALUES (1, 'x')", "REPLACE with several unique fields (code, sku) is not supported (at line 1, column 9)"},
		{"EXPLAIN INSERT INTO STOCK VALUES (1)", "row 1 has 1 values for 4 columns: without a column list, INSERT INTO STOCK takes the app's writable fields in form order (code, sku, name, qty) (at line 1, column 34)"},
		{"EXPLAIN DELETE a FROM STOCK a", "multiple-table DELETE is not supported (at line 1, column 9)"},
	} {
		_, err := Translate(context.Background(), tc.sql, writeSchema(), Options{}, nil)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: got %v, want %q", tc.sql, err, tc.msg)
		}
	}
}

// TestExplainWritePlanIsTheTree: the plan column of EXPLAIN of a write is
// the write over the rows it writes: the VALUES, or the tree of the read
// that finds them (the read row's plan).
func TestExplainWritePlanIsTheTree(t *testing.T) {
	for _, tc := range []struct{ sql, plan string }{
		{"EXPLAIN INSERT INTO STOCK (sku, qty) VALUES ('a', 1), ('b', 2)",
			"insert into app 50: POST records.json, new records\n└─ 2 rows of VALUES"},
		{"EXPLAIN INSERT INTO STOCK (code, name) VALUES (1, 'a') ON DUPLICATE KEY UPDATE name = VALUES(name)",
			"upsert into app 50: PUT records.json, updateKey code, added when no record has the key\n└─ 1 row of VALUES"},
		{"EXPLAIN UPDATE STOCK SET qty = 0 WHERE $id = 4 AND $revision = 7",
			"update app 50: PUT records.json, by $id, revisions checked\n└─ 1 record named by the WHERE"},
		{"EXPLAIN DELETE FROM STOCK WHERE qty > 1",
			"delete from app 50: DELETE records.json, by $id, revisions checked\n└─ project $id, $revision\n   └─ kintone read of app 50 (seek)"},
		{"EXPLAIN DELETE FROM STOCK ORDER BY qty LIMIT 2500",
			"delete from app 50: DELETE records.json, by $id, revisions checked\n└─ limit 2500\n   └─ sort by qty keeping the first 2500 (holds 2500 rows)\n      └─ project $id, $revision, (qty)\n         └─ kintone read of app 50 (seek)"},
	} {
		rows := explainRows(t, tc.sql, Options{})
		w := rows[len(rows)-1]
		if w["plan"] != tc.plan {
			t.Errorf("%s: plan\n%v\nwant\n%s", tc.sql, w["plan"], tc.plan)
		}
		if len(rows) == 2 && !strings.HasSuffix(tc.plan, "\n└─ "+strings.ReplaceAll(rows[0]["plan"].(string), "\n", "\n   ")) {
			t.Errorf("%s: the write's input is not the read row's plan %q", tc.sql, rows[0]["plan"])
		}
	}
}

// The read of INSERT ... SELECT that reads several times (a join's
// sides, a read per option) shows a row per read, and the rows to write are not known
// before.
func TestExplainWriteShowsEachRead(t *testing.T) {
	for _, tc := range []struct {
		sql   string
		reads []string
	}{
		{"EXPLAIN INSERT INTO STOCK (sku) SELECT o.title FROM ORD o JOIN Customers c ON c.name = o.title", []string{
			`order by $id asc`, `order by $id asc`}},
		{"EXPLAIN INSERT INTO STOCK (sku) SELECT title FROM ORD ORDER BY status LIMIT 2", []string{
			`order by $id asc limit 500`,
			`status in ("") order by $id asc limit 2`,
			`status in ("closed") order by $id asc limit 2`,
			`status in ("on hold") order by $id asc limit 2`,
			`status in ("open") order by $id asc limit 2`,
			`status not in ("", "closed", "on hold", "open") order by $id asc`,
		}},
	} {
		rows := explainRows(t, tc.sql, Options{})
		var queries []string
		for _, r := range rows[:len(rows)-1] {
			if r["step"] != "read" {
				t.Fatalf("%s: rows %v, want the reads, then the write", tc.sql, rows)
			}
			queries = append(queries, r["query"].(string))
		}
		if !reflect.DeepEqual(queries, tc.reads) {
			t.Errorf("%s: queries %q, want %q", tc.sql, queries, tc.reads)
		}
		w := rows[len(rows)-1]
		if b, _ := w["batches"].(string); w["step"] != "write" || w["rows"] != nil || !strings.HasPrefix(b, "as rows are read") {
			t.Errorf("%s: write row %v, want the rows not known before the reads", tc.sql, w)
		}
	}
}
