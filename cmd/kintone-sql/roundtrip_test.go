package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest"
)

// everyTypeApp has a field of each type that export writes and import
// writes back, options that need quoting, and a subtable with text inside.
var everyTypeApp = kintonetest.App{
	Fields: []kintonetest.Field{
		{Code: "title", Type: "SINGLE_LINE_TEXT", Unique: true},
		{Code: "amount", Type: "NUMBER"},
		{Code: "day", Type: "DATE"},
		{Code: "clock", Type: "TIME"},
		{Code: "at", Type: "DATETIME"},
		{Code: "tags", Type: "CHECK_BOX", Options: []string{"a", `b, "quoted"`, "c\td"}},
		{Code: "pick", Type: "RADIO_BUTTON", Options: []string{"x", "y, z"}},
		{Code: "drop", Type: "DROP_DOWN", Options: []string{"p", `"q"`}},
		{Code: "multi", Type: "MULTI_SELECT", Options: []string{"m1", "m 2"}},
		{Code: "owner", Type: "USER_SELECT"},
		{Code: "org", Type: "ORGANIZATION_SELECT"},
		{Code: "grp", Type: "GROUP_SELECT"},
		{Code: "notes", Type: "MULTI_LINE_TEXT"},
		{Code: "rich", Type: "RICH_TEXT"},
		{Code: "link", Type: "LINK", Protocol: "WEB"},
		{Code: "lines", Type: "SUBTABLE", Fields: []kintonetest.Field{
			{Code: "item", Type: "SINGLE_LINE_TEXT"},
			{Code: "qty", Type: "NUMBER"},
			{Code: "memo", Type: "MULTI_LINE_TEXT"},
		}},
	},
}

// trickyTexts are multi-line texts that a CSV, TSV or JSON-lines file must
// carry unchanged: every kind of line break, at the start, in the middle
// and at the end, quotes, separators, backslashes, blanks at either end.
var trickyTexts = []string{
	"windows\r\nline breaks\r\n",
	"\r\nstarts with CRLF",
	"old mac\rline break",
	"unix\nline break\n",
	"mixed\r\n\n\r\r\nbreaks",
	`"quoted", with a comma`,
	`ends with a quote"`,
	"  leading and trailing blanks  ",
	"tab\there\tand\\backslash\\n not a break",
	"NULL",
	"\\N",
	"日本語の\r\n改行",
}

// newEveryTypeServer returns an emulator with the app SRC holding a record
// per tricky text (plus one with every field empty), and the empty apps
// named by copies, of the same form.
func newEveryTypeServer(t *testing.T, copies ...string) *kintonetest.Server {
	t.Helper()
	srv, err := kintonetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	for _, code := range append([]string{"SRC"}, copies...) {
		a := everyTypeApp
		a.Name, a.Code = code, code
		id, err := srv.CreateApp(a)
		if err != nil {
			t.Fatal(err)
		}
		if code != "SRC" {
			continue
		}
		recs := []kintonetest.Record{{"title": "empty"}}
		for i, text := range trickyTexts {
			recs = append(recs, kintonetest.Record{
				"title": "t" + itoa(i) + ` "x", y `, "amount": "-1234.500", "day": "2024-02-29", "clock": "23:15",
				"at": "2024-05-06T09:30:00Z", "tags": []string{"a", `b, "quoted"`, "c\td"}, "pick": "y, z",
				"drop": `"q"`, "multi": []string{"m 2"}, "owner": []map[string]string{{"code": "admin"}},
				"org": []map[string]string{{"code": "sales, east"}}, "grp": []map[string]string{{"code": `"g"`}},
				"notes": text, "rich": "<div>" + text + "</div>", "link": "https://example.com/a,b?c=\"d\"",
				"lines": []kintonetest.Record{{"item": text, "qty": "2", "memo": text}, {"item": "second"}},
			})
		}
		if _, err := srv.AddRecords(id, recs...); err != nil {
			t.Fatal(err)
		}
	}
	return srv
}

// TestExportImportRoundTripIsExactForEveryFieldType exports an app with a
// field of every type and texts holding CRLF, CR, LF, quotes, separators
// and blanks, imports each export into an empty app of the same form, and
// exports the copy: it must be the source's export, value for value, in
// every format that import reads.
func TestExportImportRoundTripIsExactForEveryFieldType(t *testing.T) {
	formats := []string{"csv", "tsv", "jsonl"}
	var copies []string
	for _, f := range formats {
		copies = append(copies, "COPY_"+strings.ToUpper(f))
	}
	srv := newEveryTypeServer(t, copies...)
	dir := t.TempDir()
	export := func(table, format string) string {
		t.Helper()
		ta := newTestApp(t)
		file := filepath.Join(dir, table+"."+format)
		if code := ta.run("export", table, "--format", format, "--dsn", srv.DSN(), "-o", file, "-q"); code != exitOK {
			t.Fatalf("export %s: exit %d: %s", table, code, ta.err.String())
		}
		return file
	}
	want := comparable(t, export("SRC", "jsonl"))
	for _, text := range trickyTexts {
		if !strings.Contains(want, jsonText(text)) {
			t.Fatalf("the source's export lost %q:\n%s", text, want)
		}
	}
	for _, format := range formats {
		t.Run(format, func(t *testing.T) {
			file := export("SRC", format)
			copyApp := "COPY_" + strings.ToUpper(format)
			ta := newTestApp(t)
			if code := ta.run("import", copyApp, file, "--dsn", srv.DSN(), "-q"); code != exitOK {
				t.Fatalf("import: exit %d: %s", code, ta.err.String())
			}
			got := comparable(t, export(copyApp, "jsonl"))
			if got != want {
				gl, wl := strings.Split(got, "\n"), strings.Split(want, "\n")
				for i := range min(len(gl), len(wl)) {
					if gl[i] != wl[i] {
						t.Errorf("record %d of the copy:\n%s\nwant:\n%s", i, gl[i], wl[i])
					}
				}
				if len(gl) != len(wl) {
					t.Errorf("%d records in the copy, want %d", len(gl), len(wl))
				}
			}
		})
	}
}

// jsonText is s as a JSON string, as comparable prints it.
func jsonText(s string) string {
	b := jsonString(s)
	return strings.NewReplacer(`<`, `\u003c`, `>`, `\u003e`, `&`, `\u0026`).Replace(string(b))
}
