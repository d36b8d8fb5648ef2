package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest"
)

// restGet GETs a Kintone API path of srv as the admin, over raw REST
// (not through the driver), and decodes the answer into v.
func restGet(t *testing.T, srv *kintonetest.Server, path string, q url.Values, v any) {
	t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path+"?"+q.Encode(), nil)
	req.Header.Set("X-Cybozu-Authorization", base64.StdEncoding.EncodeToString([]byte("admin:admin")))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", path, res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// restTitles returns the titles of every record of the app with code
// appCode, sorted, read over raw REST.
func restTitles(t *testing.T, srv *kintonetest.Server, appCode string) []string {
	t.Helper()
	var apps struct{ Apps []struct{ AppID string } }
	restGet(t, srv, "/k/v1/apps.json", url.Values{"codes[0]": {appCode}}, &apps)
	if len(apps.Apps) != 1 {
		t.Fatalf("app %s: %d apps", appCode, len(apps.Apps))
	}
	var titles []string
	for offset := 0; ; offset += 500 {
		var page struct {
			Records []map[string]struct{ Value string }
		}
		restGet(t, srv, "/k/v1/records.json", url.Values{"app": {apps.Apps[0].AppID}, "fields[0]": {"title"},
			"query": {fmt.Sprintf("order by $id asc limit 500 offset %d", offset)}}, &page)
		for _, r := range page.Records {
			titles = append(titles, r["title"].Value)
		}
		if len(page.Records) < 500 {
			sort.Strings(titles)
			return titles
		}
	}
}

// importFile writes text to a file named name and imports it into DEST
// of srv with the extra arguments; it returns the exit status and stderr.
func importFile(t *testing.T, srv *kintonetest.Server, name, text string, args ...string) (string, int, string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	ta := newTestApp(t)
	code := ta.run(append([]string{"import", "DEST", file, "--dsn", srv.DSN(), "-q"}, args...)...)
	return file, code, ta.err.String()
}

// titleRows returns CSV lines "tN,N" for N in from..to.
func titleRows(from, to int) string {
	var b strings.Builder
	for i := from; i <= to; i++ {
		fmt.Fprintf(&b, "t%d,%d\n", i, i)
	}
	return b.String()
}

// TestImportErrorsNameTheFileLineAndColumn: an import that fails names the
// file, the line on which the record starts (counting the lines of
// multi-line fields and blank lines) and the column's header; never the
// generated statement's row, argument number or SQL position.
func TestImportErrorsNameTheFileLineAndColumn(t *testing.T) {
	for _, tc := range []struct {
		name, file, text string
		args             []string
		code             int
		want             []string
	}{
		{"duplicate in the second statement", "in.csv",
			"title,amount\n" + titleRows(1, 2300) + "t7,2301\n" + titleRows(2302, 2400), nil, exitPartial,
			[]string{`in.csv line 2302, column "title": This value already exists in another record.`,
				"2000 rows (lines 2-2001) were written, none from line 2002 on: go on with --from-line 2002"}},
		{"duplicate after multi-line fields, header in another case", "in.csv",
			"TITLE,notes\nx,\"one\r\ntwo\"\ny,\"\n\n\"\nx,z\n", nil, exitFailed,
			[]string{`in.csv line 7, column "TITLE": This value already exists in another record.`, "no rows were written"}},
		{"a date that is not one", "in.csv",
			"title,notes,day\na,\"multi\nline\",2024-01-01\nb,,2024-13-45\n", nil, exitFailed,
			[]string{`in.csv line 4, column "day": cannot write string "2024-13-45" to a DATE field`, "no rows were written"}},
		{"a number that is not one, in JSON lines", "in.jsonl",
			"{\"title\":\"a\",\"amount\":1}\n\n{\"title\":\"b\",\"amount\":\"abc\"}\n", nil, exitFailed,
			[]string{`in.jsonl line 3, column "amount": cannot write string "abc" to a NUMBER field`}},
		{"a number that is not one, in TSV", "in.tsv",
			"title\tamount\na\t1\nb\tx\\ty\n", nil, exitFailed,
			[]string{`in.tsv line 3, column "amount": cannot write string "x\ty" to a NUMBER field`}},
		{"a column the app does not have", "in.csv",
			"title,nope\na,1\n", nil, exitFailed,
			[]string{`in.csv line 1, column "nope": unknown column "nope"`}},
		{"a required field left empty", "in.csv",
			"title,amount\na,1\n,2\n", nil, exitFailed,
			[]string{`in.csv line 3, column "title": Required.`}},
		{"the upsert key missing from a record", "in.jsonl",
			"{\"title\":\"a\",\"amount\":1}\n{\"amount\":2}\n", []string{"--upsert-key", "title"}, exitUsage,
			[]string{`in.jsonl line 2: --upsert-key title: the file has no column "title"`, "no rows were written"}},
		{"CSV that does not parse", "in.csv",
			"title,notes\na,\"x\"y\n", nil, exitFailed,
			[]string{`in.csv line 2, column "notes": a quoted field must end with a quote`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newRoundTripServer(t, "DEST")
			_, code, msg := importFile(t, srv, tc.file, tc.text, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("stderr %q does not say %q", msg, w)
				}
			}
			for _, bad := range []string{"row ", "argument", "(at line", "column 8", "statement"} {
				if strings.Contains(msg, bad) {
					t.Errorf("stderr %q speaks of the generated SQL (%q)", msg, bad)
				}
			}
			if strings.Count(strings.TrimSuffix(msg, "Run 'kintone-sql -h' for usage.\n"), "\n") != 1 {
				t.Errorf("stderr %q is not one line", msg)
			}
		})
	}
}

// TestImportUnknownOutcomeExitsThreeAndNamesTheLines: when the answer to
// a statement is lost after Kintone applied it, the import does not say
// that nothing was written, and does not exit 1 (which tells a script
// that running again is safe): it exits 3, names the lines whose records
// may or may not be in Kintone, and the line to go on from, which then
// completes the import without a duplicate.
func TestImportUnknownOutcomeExitsThreeAndNamesTheLines(t *testing.T) {
	text := "title,amount\n" + titleRows(1, 6)
	all := strings.Fields(strings.Repeat("x ", 0))
	for i := 1; i <= 6; i++ {
		all = append(all, fmt.Sprintf("t%d", i))
	}
	sort.Strings(all)
	for _, tc := range []struct {
		name      string
		nth       int
		args      []string
		want      []string
		present   int
		next      []string
		nextAfter []string
	}{
		{"first statement", 1, nil, []string{
			"in.csv lines 2-3 were being written", "they may or may not have been written",
			"no rows were written before them, and nothing after line 3 was sent",
			"Once the write can no longer be in progress (Kintone may still finish one that timed out), check which records of lines 2-3 are in DEST before running again",
			"if all are, go on with --from-line 4; if none is (or once those that are are deleted), with --from-line 2"},
			2, []string{"--from-line", "4"}, nil},
		{"second statement", 2, nil, []string{
			"in.csv lines 4-5 were being written",
			"2 rows (lines 2-3) were written before them, and nothing after line 5 was sent",
			"if all are, go on with --from-line 6; if none is (or once those that are are deleted), with --from-line 4"},
			4, []string{"--from-line", "6"}, nil},
		{"upsert", 2, []string{"--upsert-key", "title"}, []string{
			"in.csv lines 4-5 were being written",
			"running with --from-line 4 and the same --upsert-key is safe"},
			4, []string{"--from-line", "4", "--upsert-key", "title"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newRoundTripServer(t, "DEST")
			// The statement is applied, then the connection drops
			// before its answer.
			srv.InjectFault(kintonetest.Fault{Nth: tc.nth, Resource: "records", Drop: kintonetest.DropAfterApply})
			_, code, msg := importFile(t, srv, "in.csv", text, append([]string{"--batch", "2"}, tc.args...)...)
			if code != exitUnknown {
				t.Errorf("exit %d, want %d (outcome unknown): %s", code, exitUnknown, msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("stderr %q does not say %q", msg, w)
				}
			}
			if got := restTitles(t, srv, "DEST"); len(got) != tc.present {
				t.Fatalf("%d records after the drop, want %d: %q", len(got), tc.present, got)
			}
			srv.ClearFaults()
			// Going on as the message says completes the import.
			_, code, msg = importFile(t, srv, "in.csv", text, append([]string{"--batch", "2"}, tc.next...)...)
			if code != exitOK {
				t.Fatalf("going on: exit %d: %s", code, msg)
			}
			if got := restTitles(t, srv, "DEST"); strings.Join(got, ",") != strings.Join(all, ",") {
				t.Errorf("after going on: %q, want %q", got, all)
			}
		})
	}
}

// TestImportPartialFailureGoesOnFromTheLineItNames: a statement Kintone
// refuses is not written; the earlier ones are; the exit status is 5;
// after fixing the file, --from-line with the line the message names
// writes exactly the records that were missing.
func TestImportPartialFailureGoesOnFromTheLineItNames(t *testing.T) {
	srv := newRoundTripServer(t, "DEST")
	bad := "title,amount\n" + titleRows(1, 14) + "t3,15\n" + titleRows(16, 25)
	_, code, msg := importFile(t, srv, "in.csv", bad, "--batch", "10")
	if code != exitPartial {
		t.Errorf("exit %d, want %d: %s", code, exitPartial, msg)
	}
	want := `in.csv line 16, column "title": This value already exists in another record.`
	if !strings.Contains(msg, want) || !strings.Contains(msg, "10 rows (lines 2-11) were written, none from line 12 on: go on with --from-line 12") {
		t.Errorf("stderr %q", msg)
	}
	if got := restTitles(t, srv, "DEST"); len(got) != 10 {
		t.Fatalf("%d records after the failure, want 10", len(got))
	}
	fixed := "title,amount\n" + titleRows(1, 25)
	if _, code, msg := importFile(t, srv, "in.csv", fixed, "--batch", "10", "--from-line", "12"); code != exitOK {
		t.Fatalf("going on: exit %d: %s", code, msg)
	}
	got := restTitles(t, srv, "DEST")
	want25 := strings.Split(strings.TrimSpace(strings.ReplaceAll(titleRows(1, 25), "\n", " ")), " ")
	for i := range want25 {
		want25[i], _, _ = strings.Cut(want25[i], ",")
	}
	sort.Strings(want25)
	if strings.Join(got, " ") != strings.Join(want25, " ") {
		t.Errorf("records %q, want %q", got, want25)
	}
}

// TestImportFromLine: --from-line skips the records that start before
// the line, counting the lines of multi-line fields; a line inside a
// record is a usage error that writes nothing.
func TestImportFromLine(t *testing.T) {
	text := "title,notes\na,x\nb,\"two\r\nlines\"\nc,y\n"
	srv := newRoundTripServer(t, "DEST")
	if _, code, msg := importFile(t, srv, "in.csv", text, "--from-line", "4"); code != exitUsage ||
		!strings.Contains(msg, "--from-line 4: line 4 is inside the record on lines 3-4") || !strings.Contains(msg, "give --from-line 3") {
		t.Errorf("exit %d: %s", code, msg)
	}
	if got := restTitles(t, srv, "DEST"); len(got) != 0 {
		t.Fatalf("a usage error wrote %q", got)
	}
	if _, code, msg := importFile(t, srv, "in.csv", text, "--from-line", "3"); code != exitOK {
		t.Fatalf("exit %d: %s", code, msg)
	}
	if got := restTitles(t, srv, "DEST"); strings.Join(got, ",") != "b,c" {
		t.Errorf("records %q, want b and c", got)
	}
}

// TestImportIntoAnUnknownTable: the failure keeps the driver's error in
// its chain, so the message gives the hint for an unknown table, with no
// position in the generated SQL.
func TestImportIntoAnUnknownTable(t *testing.T) {
	srv := newRoundTripServer(t)
	file := filepath.Join(t.TempDir(), "in.csv")
	if err := os.WriteFile(file, []byte("title\na\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ta := newTestApp(t)
	code := ta.run("import", "NOPE", file, "--dsn", srv.DSN(), "-q")
	msg := ta.err.String()
	if code != exitFailed || !strings.Contains(msg, `unknown table "NOPE"`) || !strings.Contains(msg, "SHOW TABLES lists the tables") ||
		strings.Contains(msg, "(at line") || !strings.Contains(msg, "no rows were written") {
		t.Errorf("exit %d: %s", code, msg)
	}
}

// TestCSVSyntaxErrorResumesFromTheRecordsStart: a syntax error found on a
// later line of a multi-line record stops the import at the line where the
// record starts, which nothing of was written: the advice must go on from
// there, or a user who fixes the record (and changes its lines) and goes
// on as told loses it without a word.
func TestCSVSyntaxErrorResumesFromTheRecordsStart(t *testing.T) {
	for _, tc := range []struct{ name, bad string }{
		{"text after a closing quote", "title,notes\na,x\nb,\"multi\nline\"junk\n"},
		{"bare quote after a multi-line field", "title,notes,amount\na,x,1\nb,\"multi\nline\",1\"2\n"},
		{"unclosed quote in a later field", "title,notes,amount\na,x,1\nb,\"multi\nline\",\"1\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newRoundTripServer(t, "DEST")
			_, code, msg := importFile(t, srv, "in.csv", tc.bad, "--batch", "1")
			if code != exitPartial || !strings.Contains(msg, "none from line 3 on: go on with --from-line 3") || !strings.Contains(msg, "in.csv line 4") {
				t.Errorf("exit %d, want 5, the problem at line 4 and --from-line 3 (the start of the unwritten record): %s", code, msg)
			}
			fixed := "title,notes\na,x\nb,multi line\n"
			_, code, msg = importFile(t, srv, "in.csv", fixed, "--from-line", "3")
			if got := restTitles(t, srv, "DEST"); strings.Join(got, ",") != "a,b" {
				t.Errorf("after going on with --from-line 3 (exit %d %q): records %q, want a,b", code, msg, got)
			}
		})
	}
}

// TestHeaderWithALineBreakIsRefused: a CSV or TSV file whose lines end
// with CR alone reads as one header line and no record; its column names
// then hold CRs, which no field code has. The import is refused (exit 2,
// naming the file's line) instead of importing nothing with exit 0.
func TestHeaderWithALineBreakIsRefused(t *testing.T) {
	for _, tc := range []struct{ name, file, text string }{
		{"CSV", "mac.csv", "title,amount\ra,1\rb,2\r"},
		{"TSV", "mac.tsv", "title\tamount\ra\t1\rb\t2\r"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newRoundTripServer(t, "DEST")
			_, code, msg := importFile(t, srv, tc.file, tc.text)
			if code != exitUsage || !strings.Contains(msg, tc.file+" line 1") || !strings.Contains(msg, "holds a line break") {
				t.Errorf("exit %d, want 2 (as for any bad header) and the line break named: %s", code, msg)
			}
			if got := restTitles(t, srv, "DEST"); len(got) != 0 {
				t.Errorf("records %q written", got)
			}
		})
	}
}
