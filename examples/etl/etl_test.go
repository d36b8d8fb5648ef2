package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest"
)

// The fields of the test apps: src and dst share all but one each.
var (
	shared = []kintonetest.Field{
		{Code: "title", Type: "SINGLE_LINE_TEXT", Required: true},
		{Code: "qty", Type: "NUMBER"},
		{Code: "price", Type: "NUMBER"},
		{Code: "due", Type: "DATE"},
		{Code: "at", Type: "DATETIME"},
		{Code: "tags", Type: "CHECK_BOX", Options: []string{"red", "green", "blue"}},
		{Code: "notes", Type: "MULTI_LINE_TEXT"},
		{Code: "lines", Type: "SUBTABLE", Fields: []kintonetest.Field{
			{Code: "product", Type: "SINGLE_LINE_TEXT"},
			{Code: "units", Type: "NUMBER"},
		}},
	}
	sharedCodes = "title, qty, price, due, at, tags, notes, lines"
	srcFields   = append(append([]kintonetest.Field{}, shared...), kintonetest.Field{Code: "only_src", Type: "SINGLE_LINE_TEXT"})
	dstFields   = append(append([]kintonetest.Field{}, shared...), kintonetest.Field{Code: "only_dst", Type: "SINGLE_LINE_TEXT"})
)

// record is the i-th record of src: every kind of value, empty ones, and
// text that needs CSV quoting.
func record(i int) kintonetest.Record {
	r := kintonetest.Record{
		"title":    fmt.Sprintf("item %05d", i),
		"qty":      strconv.Itoa(i % 7),
		"price":    fmt.Sprintf("%d.%d", i, i%10),
		"only_src": "not copied",
	}
	if i%3 != 0 {
		r["due"] = fmt.Sprintf("2024-%02d-%02d", i%12+1, i%28+1)
	}
	if i%4 != 0 {
		r["at"] = fmt.Sprintf("2025-01-%02dT%02d:%02d:00Z", i%28+1, i%24, i%60)
	}
	if i%5 != 0 {
		r["tags"] = [][]string{{"red"}, {"green", "blue"}, {"blue", "red", "green"}, {}}[i%4]
	}
	if i%2 == 0 {
		r["notes"] = fmt.Sprintf("line one, \"quoted\"\nline two of %d", i)
	}
	if i%6 == 2 || i%6 == 5 {
		r["lines"] = []kintonetest.Record{
			{"product": fmt.Sprintf("p%d", i), "units": strconv.Itoa(i % 5)},
			{"product": "second"},
		}[:i%6/2]
	}
	return r
}

// fixture is an emulator with the apps src (n records) and dst (empty),
// and a *sql.DB on it for checking.
type fixture struct {
	srv *kintonetest.Server
	db  *sql.DB
}

func newFixture(t *testing.T, n int) *fixture {
	t.Helper()
	srv, err := kintonetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	src, err := srv.CreateApp(kintonetest.App{Name: "Source", Code: "src", Fields: srcFields})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.CreateApp(kintonetest.App{Name: "Destination", Code: "dst", Fields: dstFields}); err != nil {
		t.Fatal(err)
	}
	recs := make([]kintonetest.Record, n)
	for i := range recs {
		recs[i] = record(i + 1)
	}
	if _, err := srv.AddRecords(src, recs...); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("kintone", srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &fixture{srv: srv, db: db}
}

// etl runs the program with args and the fixture's DSN in KINTONE_DSN.
func (f *fixture) etl(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut, getenv: func(k string) string {
		if k == "KINTONE_DSN" {
			return f.srv.DSN()
		}
		return ""
	}}
	code = run(context.Background(), args, e)
	return code, out.String(), errOut.String()
}

// counts are the record requests served since the last ResetStats.
type counts struct{ reads, writes int64 }

func (f *fixture) counts() counts {
	st := f.srv.Stats()
	return counts{
		reads:  st.Count("GET", "records") + st.Count("POST", "records/cursor") + st.Count("GET", "records/cursor"),
		writes: st.Count("POST", "records") + st.Count("PUT", "records") + st.Count("POST", "bulkRequest"),
	}
}

// minimum is the fewest requests for n records: pages of 500 (one GET
// even for none; the first page's total tells the driver a full last page
// was the last), and bulkRequests of 2,000.
func minimum(n int, read, write bool) counts {
	var c counts
	if read {
		c.reads = int64(max((n+499)/500, 1))
	}
	if write {
		c.writes = int64((n + 1999) / 2000)
	}
	return c
}

// rowsOf reads the columns of table in $id order as printable values.
func (f *fixture) rowsOf(t *testing.T, table, cols string) [][]string {
	t.Helper()
	rows, err := f.db.Query("SELECT " + cols + " FROM " + table + " ORDER BY `$id`")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for rows.Next() {
		vals := make([]any, len(types))
		ptrs := make([]any, len(types))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(vals))
		for i, v := range vals {
			typ := types[i].DatabaseTypeName()
			row[i] = fmt.Sprintf("%T:%s", v, csvValue(v, typ))
			if typ == "SUBTABLE" && v != nil {
				row[i] = withoutRowIDs(t, v.([]byte))
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// withoutRowIDs returns a SUBTABLE's JSON without the rows' ids, which
// Kintone gives anew to the rows of a copied record.
func withoutRowIDs(t *testing.T, b []byte) string {
	t.Helper()
	var rows []map[string]any
	if err := json.Unmarshal(b, &rows); err != nil {
		t.Fatalf("subtable %s: %v", b, err)
	}
	for _, r := range rows {
		if r["id"] == nil || r["id"] == "" {
			t.Fatalf("subtable %s: a row without an id", b)
		}
		delete(r, "id")
	}
	out, err := json.Marshal(rows)
	if err != nil {
		t.Fatal(err)
	}
	return "SUBTABLE:" + string(out)
}

// sameRows fails the test unless got and want are equal, naming the first
// difference.
func sameRows(t *testing.T, what string, got, want [][]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d rows, want %d", what, len(got), len(want))
	}
	for i := range got {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("%s: row %d is\n %q\nwant\n %q", what, i+1, got[i], want[i])
		}
	}
}

func TestCopy(t *testing.T) {
	tests := []struct {
		mode string
		n    int
	}{
		{modeInsertSelect, 0},
		{modeInsertSelect, 1},
		{modeInsertSelect, 2345},
		{modeStream, 0},
		{modeStream, 1},
		{modeStream, 500},
		{modeStream, 2345},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%d", tt.mode, tt.n), func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, tt.n)
			f.srv.ResetStats()
			code, _, stderr := f.etl(t, "", "--from", "src", "--to", "Destination", "--mode", tt.mode)
			if code != exitOK {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if want := fmt.Sprintf("copied %d records from src to Destination", tt.n); !strings.Contains(stderr, want) {
				t.Errorf("stderr %q does not say %q", stderr, want)
			}
			if got, want := f.counts(), minimum(tt.n, true, true); got != want {
				t.Errorf("requests = %+v, want %+v", got, want)
			}
			sameRows(t, "dst", f.rowsOf(t, "dst", sharedCodes), f.rowsOf(t, "src", sharedCodes))
			if tt.n > 0 {
				var ids, empty int64
				if err := f.db.QueryRow("SELECT MAX(`$id`), COUNT(*) FROM dst WHERE only_dst IS NULL").Scan(&ids, &empty); err != nil {
					t.Fatal(err)
				}
				if ids != int64(tt.n) || empty != int64(tt.n) {
					t.Errorf("dst: max $id %d, %d records without only_dst; want %d and %d", ids, empty, tt.n, tt.n)
				}
			}
		})
	}
}

func TestCSVRoundTrip(t *testing.T) {
	const n = 1234
	f := newFixture(t, n)
	dir := t.TempDir()
	file := filepath.Join(dir, "src.csv")

	f.srv.ResetStats()
	code, _, stderr := f.etl(t, "", "--from", "src", "--csv", file)
	if code != exitOK {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, fmt.Sprintf("exported %d records from src", n)) {
		t.Errorf("export stderr = %q", stderr)
	}
	if got, want := f.counts(), minimum(n, true, false); got != want {
		t.Errorf("export requests = %+v, want %+v", got, want)
	}
	exported, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(exported)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != n+1 {
		t.Fatalf("%d CSV records, want a header and %d", len(recs), n)
	}
	wantHeader := []string{"title", "qty", "price", "due", "at", "tags", "notes", "lines", "only_src"}
	if !reflect.DeepEqual(recs[0], wantHeader) {
		t.Errorf("header = %q, want %q", recs[0], wantHeader)
	}
	// Record 2: a check box as JSON, in its order; notes with a comma,
	// quotes and a line break; a subtable as record JSON, which the
	// import takes back (Kintone gives the rows new ids).
	want2 := []string{"item 00002", "2", "2.2", "2024-03-03", "2025-01-03T02:02:00Z", `["blue","red","green"]`, "line one, \"quoted\"\nline two of 2",
		`[{"id":"1","value":{"product":{"type":"SINGLE_LINE_TEXT","value":"p2"},"units":{"type":"NUMBER","value":"2"}}}]`,
		"not copied"}
	if len(recs) > 2 && !reflect.DeepEqual(recs[2], want2) {
		t.Errorf("record 2 = %q, want %q", recs[2], want2)
	}
	// Record 60: no date, no date-time, no tags, notes.
	if len(recs) > 60 {
		r := recs[60]
		if r[3] != "" || r[4] != "" || (r[5] != "" && r[5] != "[]") {
			t.Errorf("record 60 = %q: want empty due, at and tags", r)
		}
	}

	// Import into an app with the same fields.
	if _, err := f.srv.CreateApp(kintonetest.App{Name: "Copy", Code: "copy", Fields: srcFields}); err != nil {
		t.Fatal(err)
	}
	f.srv.ResetStats()
	code, _, stderr = f.etl(t, "", "--csv", file, "--to", "copy")
	if code != exitOK {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, fmt.Sprintf("imported %d records into copy", n)) {
		t.Errorf("import stderr = %q", stderr)
	}
	if got, want := f.counts(), minimum(n, false, true); got != want {
		t.Errorf("import requests = %+v, want %+v", got, want)
	}
	all := sharedCodes + ", only_src"
	sameRows(t, "copy", f.rowsOf(t, "copy", all), f.rowsOf(t, "src", all))

	// Exporting the copy gives the same file back.
	code, stdout, stderr := f.etl(t, "", "--from", "copy", "--csv", "-")
	if code != exitOK {
		t.Fatalf("export of the copy: exit %d: %s", code, stderr)
	}
	if stdout != string(exported) {
		t.Error("the copy exports differently from the source")
	}
}

func TestImportFromStdin(t *testing.T) {
	f := newFixture(t, 0)
	in := "title,qty,due,tags\nfirst,1,2024-02-29,\"[\"\"red\"\"]\"\n\"second, with comma\",,,\n"
	f.srv.ResetStats()
	code, _, stderr := f.etl(t, in, "--csv", "-", "--to", "dst")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if got, want := f.counts(), minimum(2, false, true); got != want {
		t.Errorf("requests = %+v, want %+v", got, want)
	}
	got := f.rowsOf(t, "dst", "title, qty, due, tags")
	want := [][]string{
		{"string:first", "string:1", "time.Time:2024-02-29", `[]uint8:["red"]`},
		{"string:second, with comma", "<nil>:", "<nil>:", "[]uint8:[]"}, // no tags: the empty list
	}
	sameRows(t, "dst", got, want)
}

func TestUsageErrors(t *testing.T) {
	f := newFixture(t, 0)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"one table", []string{"--from", "src"}, "give two of --from, --to and --csv"},
		{"three", []string{"--from", "src", "--to", "dst", "--csv", "x.csv"}, "give two of"},
		{"bad mode", []string{"--from", "src", "--to", "dst", "--mode", "fast"}, `--mode: want insert-select or stream, not "fast"`},
		{"batch too big", []string{"--from", "src", "--to", "dst", "--batch", "2001"}, "--batch: want 1 to 2000, not 2001"},
		{"batch zero", []string{"--csv", "-", "--to", "dst", "--batch", "0"}, "--batch: want 1 to 2000, not 0"},
		{"argument", []string{"--from", "src", "--to", "dst", "extra"}, `unexpected argument "extra"`},
		{"unknown flag", []string{"--form", "src"}, "flag provided but not defined: -form"},
		{"bad DSN", []string{"--dsn", "https://example.cybozu.com/?nosuchkey=1", "--from", "src", "--to", "dst"}, "nosuchkey"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := f.etl(t, "", tt.args...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, exitUsage, tt.want)
			}
		})
	}
	t.Run("no DSN", func(t *testing.T) {
		var errOut bytes.Buffer
		code := run(context.Background(), []string{"--from", "a", "--to", "b"},
			env{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &errOut, getenv: func(string) string { return "" }})
		if code != exitUsage || !strings.Contains(errOut.String(), "no DSN: give --dsn or set KINTONE_DSN") {
			t.Errorf("exit %d, stderr %q", code, errOut.String())
		}
	})
	if st := f.srv.Stats(); st.Count("POST", "records")+st.Count("POST", "bulkRequest") != 0 {
		t.Errorf("usage errors wrote: %v", st.ByEndpoint)
	}
}

func TestFailures(t *testing.T) {
	f := newFixture(t, 3)
	if _, err := f.srv.CreateApp(kintonetest.App{Name: "Strict", Code: "strict", Fields: []kintonetest.Field{
		{Code: "title", Type: "SINGLE_LINE_TEXT"},
		{Code: "owner", Type: "SINGLE_LINE_TEXT", Required: true},
	}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.srv.CreateApp(kintonetest.App{Name: "Other", Code: "other", Fields: []kintonetest.Field{
		{Code: "something", Type: "SINGLE_LINE_TEXT"},
	}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  []string
	}{
		{"same app by name", "", []string{"--from", "src", "--to", "Source"}, []string{"same app"}},
		{"same app twice", "", []string{"--from", "src", "--to", "src"}, []string{"same app, src"}},
		{"unknown source", "", []string{"--from", "nosuch", "--to", "dst"}, []string{"nosuch"}},
		{"nothing in common", "", []string{"--from", "src", "--to", "other", "--mode", "stream"}, []string{"no writable field code in common"}},
		{"required field missing, stream", "", []string{"--from", "src", "--to", "strict", "--mode", "stream"}, []string{"owner", "0 written before them): record 1: "}},
		{"required field missing, insert-select", "", []string{"--from", "src", "--to", "strict"}, []string{"owner"}},
		{"unknown CSV column", "title,colour\nx,red\n", []string{"--csv", "-", "--to", "dst"}, []string{`CSV column 2, "colour", is not a writable field of dst`}},
		{"computed CSV column", "$id,title\n1,x\n", []string{"--csv", "-", "--to", "dst"}, []string{`"$id"`}},
		{"empty CSV", "", []string{"--csv", "-", "--to", "dst"}, []string{"the CSV is empty"}},
		{"ragged CSV", "title,qty\nx,1\ny\n", []string{"--csv", "-", "--to", "dst"}, []string{"wrong number of fields", "0 records written before"}},
		{"missing file", "", []string{"--csv", filepath.Join(t.TempDir(), "none.csv"), "--to", "dst"}, []string{"none.csv"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := f.etl(t, tt.stdin, tt.args...)
			if code != exitFail {
				t.Errorf("exit %d, want %d (stderr %q)", code, exitFail, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not say %q", stderr, w)
				}
			}
		})
	}
	var n int64
	if err := f.db.QueryRow("SELECT COUNT(*) FROM dst").Scan(&n); err != nil || n != 0 {
		t.Errorf("dst holds %d records after failures (%v), want 0", n, err)
	}
}

func TestImportFailsPartWay(t *testing.T) {
	f := newFixture(t, 0)
	var in strings.Builder
	in.WriteString("title,qty\n")
	for i := 1; i <= 2500; i++ {
		qty := strconv.Itoa(i)
		if i == 2100 {
			qty = "many"
		}
		fmt.Fprintf(&in, "t%d,%s\n", i, qty)
	}
	f.srv.ResetStats()
	code, _, stderr := f.etl(t, in.String(), "--csv", "-", "--to", "dst")
	if code != exitFail {
		t.Fatalf("exit %d, want %d: %s", code, exitFail, stderr)
	}
	// The first batch of 2,000 was written; the second (records 2001 to
	// 2500) failed as a whole: the driver checks the values against the
	// field types before it sends anything.
	for _, w := range []string{"writing records 2001 to 2500 into dst (2000 written before them): record 2100:", "qty", `"many"`} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr %q does not say %q", stderr, w)
		}
	}
	var n int64
	if err := f.db.QueryRow("SELECT COUNT(*) FROM dst").Scan(&n); err != nil || n != 2000 {
		t.Errorf("dst holds %d records (%v), want 2000", n, err)
	}
	if got := f.counts().writes; got != 1 {
		t.Errorf("%d write requests, want 1", got)
	}
}

// TestMaxRowsInTheDSNDoesNotCutCopiesShort: the DSN's maxRows is a LIMIT
// for a SELECT without one; the export and the streamed copy read every
// record all the same.
func TestMaxRowsInTheDSNDoesNotCutCopiesShort(t *testing.T) {
	const n = 30
	f := newFixture(t, n)
	withMaxRows := f.srv.DSN() + "?maxRows=7"
	run1 := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		e := env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(k string) string {
			if k == "KINTONE_DSN" {
				return withMaxRows
			}
			return ""
		}}
		if code := run(context.Background(), args, e); code != exitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errOut.String())
		}
		return errOut.String()
	}
	file := filepath.Join(t.TempDir(), "src.csv")
	if stderr := run1("--from", "src", "--csv", file); !strings.Contains(stderr, fmt.Sprintf("exported %d records", n)) {
		t.Errorf("export with maxRows=7: %q", stderr)
	}
	if stderr := run1("--from", "src", "--to", "dst", "--mode", modeStream); !strings.Contains(stderr, fmt.Sprintf("copied %d records", n)) {
		t.Errorf("streamed copy with maxRows=7: %q", stderr)
	}
	var copied int
	if err := f.db.QueryRow("SELECT COUNT(*) FROM dst").Scan(&copied); err != nil || copied != n {
		t.Errorf("dst holds %d records (%v), want %d", copied, err, n)
	}
}
