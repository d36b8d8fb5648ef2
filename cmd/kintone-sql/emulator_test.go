package main

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest"
)

// These tests run the command against the emulator through the real
// driver.

// TestDSNLessRunPrintsDemoData: with no --dsn and no $KINTONE_DSN, the
// command starts the built-in emulator, says so in one line on stderr, and
// answers from the demo apps, as the README's quick start promises.
func TestDSNLessRunPrintsDemoData(t *testing.T) {
	want := demoCustomers(t, 3)
	for _, tc := range []struct {
		name string
		env  string
		args []string
	}{
		{"no DSN", "", nil},
		{"--demo over $KINTONE_DSN", "https://alice:pw@example.cybozu.com/", []string{"--demo"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ta := newTestApp(t)
			ta.env[dsnEnv] = tc.env
			args := append([]string{"--format", "csv", "SELECT customer_code, company FROM Customers ORDER BY customer_code LIMIT 3"}, tc.args...)
			if code := ta.run(args...); code != exitOK {
				t.Fatalf("exit %d: %s", code, ta.err.String())
			}
			if got := ta.out.String(); got != want {
				t.Errorf("stdout:\n%s\nwant:\n%s", got, want)
			}
			notice := strings.Split(strings.TrimSuffix(ta.err.String(), "\n"), "\n")
			if len(notice) != 1 || !strings.Contains(notice[0], "using the built-in emulator at http://127.0.0.1:") ||
				!strings.Contains(notice[0], "Customers, Orders and Tasks") {
				t.Errorf("stderr %q, want one line about the emulator", ta.err.String())
			}
		})
	}
}

// demoCustomers returns the first n demo customers by customer code as
// CSV, read from a second emulator over Kintone's REST API (not through
// the driver): the demo data is the same on every server.
func demoCustomers(t *testing.T, n int) string {
	t.Helper()
	srv, err := kintonetest.NewServer(kintonetest.WithDemoData())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	q := url.Values{"app": {"1"}, "query": {"order by customer_code asc limit " + itoa(n)}, "fields[0]": {"customer_code"}, "fields[1]": {"company"}}
	req, _ := http.NewRequest("GET", srv.URL+"/k/v1/records.json?"+q.Encode(), nil)
	req.Header.Set("X-Cybozu-Authorization", base64.StdEncoding.EncodeToString([]byte("admin:admin")))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Records []map[string]struct{ Value string }
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil || len(body.Records) != n {
		t.Fatalf("demo customers: %v, %d records", err, len(body.Records))
	}
	csv := "customer_code,company\n"
	for _, r := range body.Records {
		csv += r["customer_code"].Value + "," + r["company"].Value + "\n"
	}
	return csv
}

func itoa(n int) string { return thousands(int64(n)) }

// TestDriverErrors: SQL errors come through as one line with their
// position, unknown tables with a hint; the exit status is 1.
func TestDriverErrors(t *testing.T) {
	srv, err := kintonetest.NewServer(kintonetest.WithDemoData())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, tc := range []struct {
		sql  string
		want []string
	}{
		{"SELEC company FROM Customers", []string{"syntax error", "line 1, column 1"}},
		{"SELECT company FROM Customers WHERE", []string{"syntax error", "line 1"}},
		{"SELECT * FROM Nope", []string{`unknown table "Nope"`, "line 1, column 15", "SHOW TABLES lists the tables"}},
		{"SELECT nope FROM Customers", []string{"nope", "line 1, column 8"}},
	} {
		t.Run(tc.sql, func(t *testing.T) {
			ta := newTestApp(t)
			code := ta.run("--dsn", srv.DSN(), tc.sql)
			if code != exitFailed {
				t.Errorf("exit %d, want %d", code, exitFailed)
			}
			msg := ta.err.String()
			if strings.Count(msg, "\n") != 1 || !strings.HasPrefix(msg, "kintone-sql: ") || strings.Contains(msg, "kintone: ") {
				t.Errorf("stderr %q is not one clean line", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("stderr %q does not say %q", msg, w)
				}
			}
		})
	}
}

// roundTripApp is an app with a field of each kind that export writes and
// import reads back.
var roundTripApp = kintonetest.App{
	Fields: []kintonetest.Field{
		{Code: "title", Type: "SINGLE_LINE_TEXT", Required: true, Unique: true},
		{Code: "amount", Type: "NUMBER"},
		{Code: "day", Type: "DATE"},
		{Code: "at", Type: "DATETIME"},
		{Code: "tags", Type: "CHECK_BOX", Options: []string{"a", "b", "c"}},
		{Code: "owner", Type: "USER_SELECT"},
		{Code: "notes", Type: "MULTI_LINE_TEXT"},
		{Code: "lines", Type: "SUBTABLE", Fields: []kintonetest.Field{
			{Code: "item", Type: "SINGLE_LINE_TEXT"},
			{Code: "qty", Type: "NUMBER"},
		}},
	},
}

// newRoundTripServer returns an emulator with the source app SRC, holding
// three records, and the empty apps named by copies.
func newRoundTripServer(t *testing.T, copies ...string) *kintonetest.Server {
	t.Helper()
	srv, err := kintonetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	for _, code := range append([]string{"SRC"}, copies...) {
		a := roundTripApp
		a.Name, a.Code = code, code
		id, err := srv.CreateApp(a)
		if err != nil {
			t.Fatal(err)
		}
		if code != "SRC" {
			continue
		}
		_, err = srv.AddRecords(id,
			kintonetest.Record{"title": "one", "amount": "1200.5", "day": "2024-05-06", "at": "2024-05-06T09:30:00Z",
				"tags": []string{"a", "c"}, "owner": []map[string]string{{"code": "admin"}}, "notes": "line, \"quoted\"\nsecond line",
				"lines": []kintonetest.Record{{"item": "tea", "qty": "2"}, {"item": "cups", "qty": "4"}}},
			kintonetest.Record{"title": "二つ目", "amount": "-3"},
			kintonetest.Record{"title": "three"},
		)
		if err != nil {
			t.Fatal(err)
		}
	}
	return srv
}

// TestExportImportRoundTrip exports an app as CSV and as JSON lines,
// imports each into an empty app of the same form, and exports the copies:
// every field that import writes comes back the same.
func TestExportImportRoundTrip(t *testing.T) {
	srv := newRoundTripServer(t, "COPY_CSV", "COPY_JSONL")
	dir := t.TempDir()
	export := func(table, format string) string {
		t.Helper()
		ta := newTestApp(t)
		file := filepath.Join(dir, table+"."+format)
		if code := ta.run("export", table, "--format", format, "--dsn", srv.DSN(), "-o", file); code != exitOK {
			t.Fatalf("export %s: exit %d: %s", table, code, ta.err.String())
		}
		if want := "kintone-sql: exported 3 rows from " + table + " to " + file; !strings.HasPrefix(ta.err.String(), want) {
			t.Errorf("export summary %q, want %q", ta.err.String(), want)
		}
		return file
	}
	want := comparable(t, export("SRC", "jsonl"))
	for _, format := range []string{"csv", "jsonl"} {
		t.Run(format, func(t *testing.T) {
			file := export("SRC", format)
			copyApp := "COPY_" + strings.ToUpper(format)
			ta := newTestApp(t)
			if code := ta.run("import", copyApp, file, "--dsn", srv.DSN()); code != exitOK {
				t.Fatalf("import: exit %d: %s", code, ta.err.String())
			}
			if !strings.Contains(ta.err.String(), "kintone-sql: imported 3 rows into "+copyApp) {
				t.Errorf("import summary %q", ta.err.String())
			}
			if got := comparable(t, export(copyApp, "jsonl")); got != want {
				t.Errorf("copy:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// comparable reads an export in JSON lines and returns it without the
// fields Kintone computes and without subtable row IDs, one record a line.
func comparable(t *testing.T, file string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("%s: %v", line, err)
		}
		for k := range rec {
			if strings.HasPrefix(k, "$") || strings.HasPrefix(k, "Created") || strings.HasPrefix(k, "Updated") || k == "Record_number" {
				delete(rec, k)
			}
		}
		if rows, ok := rec["lines"].([]any); ok {
			for _, r := range rows {
				delete(r.(map[string]any), "id")
			}
		}
		s, _ := json.Marshal(rec) // maps marshal in key order
		out = append(out, string(s))
	}
	sort.Strings(out)
	return strings.Join(out, "\n")
}

// TestImportUpsert: with --upsert-key, importing the same records twice
// updates them instead of adding more.
func TestImportUpsert(t *testing.T) {
	srv := newRoundTripServer(t, "DEST")
	file := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(file, []byte("{\"title\":\"x\",\"amount\":1}\n{\"title\":\"y\",\"amount\":2}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		ta := newTestApp(t)
		if code := ta.run("import", "DEST", file, "--upsert-key", "title", "--dsn", srv.DSN()); code != exitOK {
			t.Fatalf("import %d: exit %d: %s", i, code, ta.err.String())
		}
	}
	ta := newTestApp(t)
	if code := ta.run("--dsn", srv.DSN(), "--format", "csv", "SELECT title, amount FROM DEST ORDER BY title"); code != exitOK || ta.out.String() != "title,amount\nx,1\ny,2\n" {
		t.Errorf("exit %d, %q %s", code, ta.out.String(), ta.err.String())
	}
}

// TestExportIgnoresMaxRows: the DSN's maxRows caps SELECTs without a
// LIMIT; an export still writes every record.
func TestExportIgnoresMaxRows(t *testing.T) {
	srv := newRoundTripServer(t)
	ta := newTestApp(t)
	file := filepath.Join(t.TempDir(), "src.jsonl")
	if code := ta.run("export", "SRC", "--format", "jsonl", "--dsn", srv.DSN()+"?maxRows=1", "-o", file); code != exitOK {
		t.Fatalf("export: exit %d: %s", code, ta.err.String())
	}
	if !strings.HasPrefix(ta.err.String(), "kintone-sql: exported 3 rows from SRC") {
		t.Errorf("export summary %q, want 3 rows", ta.err.String())
	}
}
