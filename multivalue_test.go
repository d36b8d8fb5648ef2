package kintone_test

// Multi-valued fields (check boxes, multi-selects, user, organization and
// group selections, files, subtables, creator and modifier): every SQL
// operator against Kintone's own query on the same records, empty values
// included (issue 12, items 4, 13 and 20).

import (
	"bytes"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest"
)

// mvLists are the list columns of the MV app and the values a record may
// hold in each (user codes for owners, organization and group codes).
var mvLists = []struct {
	code  string
	vocab []string
}{
	{"tags", []string{"a", "b", "c"}},
	{"tech", []string{"go", "js"}},
	{"owners", []string{"admin", "u1", "u2"}},
	{"orgs", []string{"dev", "ops", "qa"}},
	{"groups", []string{"g1", "g2"}},
}

// uploadFile uploads a file to the emulator and returns its upload key.
func uploadFile(t *testing.T, srv *kintonetest.Server, name string) string {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, err := w.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	part.Write([]byte("content of " + name))
	w.Close()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/k/v1/file.json", &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("X-Cybozu-Authorization", base64.StdEncoding.EncodeToString([]byte("admin:admin")))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var out struct{ FileKey string }
	if err := json.Unmarshal(data, &out); err != nil || out.FileKey == "" {
		t.Fatalf("upload: %d %s", resp.StatusCode, data)
	}
	return out.FileKey
}

// mvApp creates the MV app with 60 records whose list fields are often
// empty (a third of the records have nothing at all) and returns its ID.
func mvApp(t *testing.T, srv *kintonetest.Server) int64 {
	t.Helper()
	for _, u := range []string{"u1", "u2"} {
		srv.AddUser(kintonetest.User{Login: u, Password: u + "-pass", Name: "User " + u})
	}
	app, err := srv.CreateApp(kintonetest.App{Name: "Multi", Code: "MV", Fields: []kintonetest.Field{
		{Code: "label", Type: "SINGLE_LINE_TEXT", Required: true},
		{Code: "tags", Type: "CHECK_BOX", Options: []string{"a", "b", "c"}},
		{Code: "tech", Type: "MULTI_SELECT", Options: []string{"go", "js"}},
		{Code: "owners", Type: "USER_SELECT"},
		{Code: "orgs", Type: "ORGANIZATION_SELECT"},
		{Code: "groups", Type: "GROUP_SELECT"},
		{Code: "files", Type: "FILE"},
		{Code: "lines", Type: "SUBTABLE", Fields: []kintonetest.Field{
			{Code: "item", Type: "SINGLE_LINE_TEXT"},
			{Code: "marks", Type: "CHECK_BOX", Options: []string{"x", "y"}},
		}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(12, 4))
	recs := make([]kintonetest.Record, 60)
	for i := range recs {
		rec := kintonetest.Record{"label": fmt.Sprintf("r%d", i)}
		bare := i%3 == 0 // nothing in any list
		for _, l := range mvLists {
			var vals []string
			for _, v := range l.vocab {
				if !bare && rng.IntN(2) == 0 {
					vals = append(vals, v)
				}
			}
			switch l.code {
			case "tags", "tech":
				rec[l.code] = append([]string{}, vals...)
			default:
				ents := []map[string]string{}
				for _, v := range vals {
					ents = append(ents, map[string]string{"code": v})
				}
				rec[l.code] = ents
			}
		}
		files := []map[string]string{}
		for j := 0; !bare && j < rng.IntN(3); j++ {
			files = append(files, map[string]string{"fileKey": uploadFile(t, srv, fmt.Sprintf("f%d-%d.txt", i, j))})
		}
		rec["files"] = files
		lines := []kintonetest.Record{}
		for j := 0; !bare && j < rng.IntN(3); j++ {
			marks := []string{}
			if rng.IntN(2) == 0 {
				marks = append(marks, "x")
			}
			lines = append(lines, kintonetest.Record{"item": fmt.Sprintf("i%d", j), "marks": marks})
		}
		rec["lines"] = lines
		recs[i] = rec
	}
	if _, err := srv.AddRecords(app, recs...); err != nil {
		t.Fatal(err)
	}
	return app
}

// kqlList prints values as a Kintone query list: ("a", "b").
func kqlList(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = strconv.Quote(v)
	}
	return "(" + strings.Join(q, ", ") + ")"
}

// sqlList prints values as an SQL list: ('a', 'b').
func sqlList(vals []string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = "'" + v + "'"
	}
	return "(" + strings.Join(q, ", ") + ")"
}

// driverIDs runs a query whose first column is $id and returns the ids.
func driverIDs(t *testing.T, db *sql.DB, query string, args ...any) []int64 {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatalf("%s %v: %v", query, args, err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return out
}

func TestMultiValuedOperatorsMatchKintone(t *testing.T) {
	srv := newEmulator(t)
	app := mvApp(t, srv)
	db := openDB(t, srv.DSN())
	// The value lists each column is tested with: single values, several,
	// the whole vocabulary, and a code no record holds.
	cases := []struct {
		code  string
		lists [][]string
	}{
		{"tags", [][]string{{"a"}, {"b", "c"}, {"a", "b", "c"}}},
		{"tech", [][]string{{"go"}, {"go", "js"}}},
		{"owners", [][]string{{"admin"}, {"u1", "u2"}, {"admin", "u1", "u2"}, {"nobody"}}},
		{"orgs", [][]string{{"dev"}, {"ops", "qa"}, {"nobody"}}},
		{"groups", [][]string{{"g1"}, {"g1", "g2"}}},
		{"Created_by", [][]string{{"admin"}, {"u1"}}},
		{"Updated_by", [][]string{{"admin", "u2"}}},
	}
	for _, c := range cases {
		// The records Kintone has with nothing in the field.
		empties := 0
		for _, v := range rawValues(t, srv, app, "order by $id asc limit 500", c.code) {
			if v == "[]" {
				empties++
			}
		}
		if strings.HasSuffix(c.code, "_by") != (empties == 0) {
			t.Fatalf("%s: %d empty values: the data does not test what it should", c.code, empties)
		}
		for _, vals := range c.lists {
			for _, not := range []bool{false, true} {
				sqlOp, kqlOp := "IN", "in"
				if not {
					sqlOp, kqlOp = "NOT IN", "not in"
				}
				want := rawIDs(t, srv, app, fmt.Sprintf("%s %s %s order by $id asc limit 500", c.code, kqlOp, kqlList(vals)))
				_, total := rawQuery(t, srv, app, fmt.Sprintf("%s %s %s", c.code, kqlOp, kqlList(vals)))
				if not && len(want) < empties {
					t.Fatalf("Kintone's %s not in %v leaves out records with nothing in it", c.code, vals)
				}
				queries := []struct {
					sql  string
					args []any
				}{
					{fmt.Sprintf("SELECT $id FROM MV WHERE %s %s %s ORDER BY $id", c.code, sqlOp, sqlList(vals)), nil},
					{fmt.Sprintf("SELECT $id FROM MV WHERE %s %s (?) ORDER BY $id", c.code, sqlOp), []any{vals}},
					{fmt.Sprintf("SELECT $id FROM MV WHERE label LIKE 'r%%' AND %s %s %s ORDER BY $id", c.code, sqlOp, sqlList(vals)), nil},
				}
				neg := fmt.Sprintf("SELECT $id FROM MV WHERE NOT (%s %s %s) ORDER BY $id", c.code, map[bool]string{true: "IN", false: "NOT IN"}[not], sqlList(vals))
				queries = append(queries, struct {
					sql  string
					args []any
				}{neg, nil})
				for _, q := range queries {
					if got := driverIDs(t, db, q.sql, q.args...); !slices.Equal(got, want) {
						t.Errorf("%s %v:\n got  %v\n want %v (Kintone's %s %s %v)", q.sql, q.args, got, want, c.code, kqlOp, vals)
					}
				}
				count := fmt.Sprintf("SELECT COUNT(*) FROM MV WHERE %s %s %s", c.code, sqlOp, sqlList(vals))
				if n := scalarInt(t, db, count); n != int64(total) {
					t.Errorf("%s = %d, Kintone's totalCount %d", count, n, total)
				}
			}
		}
	}

	// Emptiness: JSON_LENGTH, against the values Kintone holds and, for
	// FILE, against Kintone's own is empty.
	emptyFiles := 0
	for _, code := range []string{"tags", "tech", "owners", "orgs", "groups", "files", "lines"} {
		raw := rawValues(t, srv, app, "order by $id asc limit 500", code)
		var empty, full []int64
		for id, v := range raw {
			if v == "[]" {
				empty = append(empty, id)
			} else {
				full = append(full, id)
			}
		}
		slices.Sort(empty)
		slices.Sort(full)
		if len(empty) == 0 || len(full) == 0 {
			t.Fatalf("%s: %d empty, %d not: the data does not test emptiness", code, len(empty), len(full))
		}
		for _, q := range []struct {
			where string
			want  []int64
		}{
			{"JSON_LENGTH(%s) = 0", empty},
			{"0 = JSON_LENGTH(%s)", empty},
			{"JSON_LENGTH(%s) < 1", empty},
			{"JSON_LENGTH(%s) > 0", full},
			{"JSON_LENGTH(%s) <> 0", full},
			{"NOT (JSON_LENGTH(%s) = 0)", full},
		} {
			sqlText := "SELECT $id FROM MV WHERE " + fmt.Sprintf(q.where, code) + " ORDER BY $id"
			if got := driverIDs(t, db, sqlText); !slices.Equal(got, q.want) {
				t.Errorf("%s:\n got  %v\n want %v", sqlText, got, q.want)
			}
		}
		if code == "files" {
			emptyFiles = len(empty)
			if want := rawIDs(t, srv, app, "files is empty order by $id asc limit 500"); !slices.Equal(want, empty) {
				t.Errorf("Kintone's files is empty: %v, want %v", want, empty)
			}
			if want := rawIDs(t, srv, app, "files is not empty order by $id asc limit 500"); !slices.Equal(want, full) {
				t.Errorf("Kintone's files is not empty: %v, want %v", want, full)
			}
		}
	}
	// Kintone answers JSON_LENGTH(files) = 0 itself: one request for the
	// count.
	got := recordRequests(srv, func() {
		if n := scalarInt(t, db, "SELECT COUNT(*) FROM MV WHERE JSON_LENGTH(files) = 0"); n != int64(emptyFiles) {
			t.Errorf("COUNT of empty files = %d, want %d", n, emptyFiles)
		}
	})
	if !equalCounts(got, getReqs(1)) {
		t.Errorf("COUNT(*) WHERE JSON_LENGTH(files) = 0: requests %v, want one GET", got)
	}

	// A child table: a row with no marks is NOT IN, as on the parent.
	rows := driverIDs(t, db, "SELECT $row_id FROM MV.lines WHERE marks NOT IN ('x') ORDER BY $row_id")
	all := driverIDs(t, db, "SELECT $row_id FROM MV.lines WHERE JSON_LENGTH(marks) = 0 ORDER BY $row_id")
	if len(all) == 0 || !slices.Equal(rows, all) {
		t.Errorf("child rows: marks NOT IN ('x') %v, JSON_LENGTH(marks) = 0 %v", rows, all)
	}

	// The operators SQL has no meaning for on a list are refused, with a
	// message that says what to write instead.
	for _, code := range []string{"tags", "owners", "files", "lines"} {
		for _, where := range []string{"%s IS NULL", "%s IS NOT NULL", "%s = 'a'", "%s <> 'a'", "%s < 'a'", "%s LIKE 'a'"} {
			q := "SELECT $id FROM MV WHERE " + fmt.Sprintf(where, code)
			_, err := db.Query(q)
			if err == nil {
				t.Errorf("%s: no error", q)
				continue
			}
			if strings.Contains(where, "NULL") && !strings.Contains(err.Error(), "JSON_LENGTH("+code+")") {
				t.Errorf("%s: %v does not say how to test emptiness", q, err)
			}
		}
	}
	for _, q := range []string{"SELECT $id FROM MV WHERE files IN ('x')", "SELECT $id FROM MV WHERE lines NOT IN ('x')"} {
		if _, err := db.Query(q); err == nil || !strings.Contains(err.Error(), "cannot be used with IN") {
			t.Errorf("%s: %v", q, err)
		}
	}
}

func TestEmptyMultiValuedFieldsScanAsTheirDocumentedTypes(t *testing.T) {
	srv := newEmulator(t)
	app := mvApp(t, srv)
	db := openDB(t, srv.DSN())
	cols := []string{"tags", "tech", "owners", "orgs", "groups", "files", "lines", "Created_by"}
	raw, _ := rawQuery(t, srv, app, "order by $id asc limit 500", cols...)
	q := "SELECT " + strings.Join(cols, ", ") + " FROM MV ORDER BY $id"
	// json.RawMessage, as the README advises.
	rows, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	types, err := rows.ColumnTypes()
	if err != nil {
		t.Fatal(err)
	}
	for i, ct := range types {
		if nullable, ok := ct.Nullable(); !ok || nullable {
			t.Errorf("%s: ColumnTypeNullable = %v, %v; a list is never NULL", cols[i], nullable, ok)
		}
		if ct.ScanType() != reflect.TypeOf([]byte(nil)) {
			t.Errorf("%s: ScanType %v", cols[i], ct.ScanType())
		}
	}
	n := 0
	for ; rows.Next(); n++ {
		asRaw := make([]json.RawMessage, len(cols))
		dest := make([]any, len(cols))
		for i := range dest {
			dest[i] = &asRaw[i]
		}
		if err := rows.Scan(dest...); err != nil {
			t.Fatalf("row %d: %v", n, err)
		}
		for i, c := range cols {
			if !json.Valid(asRaw[i]) {
				t.Errorf("row %d, %s: %q is not JSON", n, c, asRaw[i])
			}
			if c != "lines" && !jsonEqual(asRaw[i], raw[n][c].Value) {
				t.Errorf("row %d, %s: %s, Kintone holds %s", n, c, asRaw[i], raw[n][c].Value)
			}
		}
		if n%3 == 0 {
			for i, c := range cols[:7] {
				if string(asRaw[i]) != "[]" {
					t.Errorf("row %d, %s: %s, want [] for nothing", n, c, asRaw[i])
				}
			}
		}
	}
	if err := rows.Close(); err != nil || n != 60 {
		t.Fatalf("%d rows: %v", n, err)
	}
	// []byte and string too.
	var b []byte
	var s string
	if err := db.QueryRow("SELECT tags, owners FROM MV WHERE label = 'r0'").Scan(&b, &s); err != nil {
		t.Fatal(err)
	}
	if string(b) != "[]" || s != "[]" {
		t.Errorf("[]byte %q, string %q, want [] and []", b, s)
	}
}

// jsonEqual compares two JSON texts by value.
func jsonEqual(a, b []byte) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y)
}

func TestDescribeAndColumnTypesReportRequiredFieldsAndRecordNumbers(t *testing.T) {
	srv := newEmulator(t)
	mvApp(t, srv)
	db := openDB(t, srv.DSN())
	rows, err := db.Query("DESCRIBE MV")
	if err != nil {
		t.Fatal(err)
	}
	null := map[string]string{}
	typ := map[string]string{}
	for rows.Next() {
		var field, ty, nul, key, extra string
		var def sql.NullString
		if err := rows.Scan(&field, &ty, &nul, &key, &def, &extra); err != nil {
			t.Fatal(err)
		}
		null[field], typ[field] = nul, ty
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	for f, want := range map[string]string{"label": "NO", "tags": "NO", "files": "NO", "lines": "NO", "Record_number": "NO", "Created_by": "NO"} {
		if null[f] != want {
			t.Errorf("DESCRIBE: %s Null = %q, want %q", f, null[f], want)
		}
	}
	var n string
	if err := db.QueryRow("SELECT is_nullable FROM information_schema.columns WHERE table_name = 'MV' AND column_name = 'label'").Scan(&n); err != nil || n != "NO" {
		t.Errorf("information_schema: label is_nullable %q, %v", n, err)
	}
	// The record number is text ("MV-1"), and says so.
	r, err := db.Query("SELECT Record_number, label FROM MV ORDER BY $id LIMIT 1")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cts, _ := r.ColumnTypes()
	if cts[0].DatabaseTypeName() != "RECORD_NUMBER" || cts[0].ScanType() != reflect.TypeOf("") || typ["Record_number"] != "RECORD_NUMBER" {
		t.Errorf("record number: %s %v", cts[0].DatabaseTypeName(), cts[0].ScanType())
	}
	if nullable, ok := cts[1].Nullable(); !ok || nullable {
		t.Errorf("a required field: ColumnTypeNullable = %v, %v", nullable, ok)
	}
	var num, label string
	if !r.Next() {
		t.Fatal(r.Err())
	}
	if err := r.Scan(&num, &label); err != nil || !strings.HasPrefix(num, "MV-") {
		t.Errorf("record number %q, %v", num, err)
	}
}

// The issue's own example: the demo's Tasks, where Kintone's not in counts
// the tasks with nothing checked.
func TestNotInOnTheDemoCheckBoxCountsWhatKintoneCounts(t *testing.T) {
	srv, db := demoDB(t)
	var app int64
	if err := db.QueryRow("SELECT app_id FROM information_schema.tables WHERE table_name = 'TASKS'").Scan(&app); err != nil {
		t.Fatal(err)
	}
	for _, q := range []struct{ sql, kintone string }{
		{"SELECT COUNT(*) FROM Tasks WHERE done NOT IN ('Done')", `done not in ("Done")`},
		{"SELECT COUNT(*) FROM Tasks WHERE done IN ('Done')", `done in ("Done")`},
		{"SELECT COUNT(*) FROM Tasks WHERE NOT (done IN ('Done'))", `done not in ("Done")`},
	} {
		_, want := rawQuery(t, srv, app, q.kintone)
		if got := scalarInt(t, db, q.sql); got != int64(want) || want == 0 {
			t.Errorf("%s = %d, Kintone's %s counts %d", q.sql, got, q.kintone, want)
		}
	}
}
