package main

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/DATA-DOG/go-sqlmock"
	"github.com/kintone-sql/kintone"
)

// writeFile writes text to a file named name in a temporary directory.
func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// expectColumns expects SHOW COLUMNS FROM `t` and answers with the field
// codes and types given as code, type, code, type, ...
func expectColumns(mock sqlmock.Sqlmock, codesAndTypes ...string) {
	rows := sqlmock.NewRows([]string{"Field", "Type", "Null"})
	for i := 0; i < len(codesAndTypes); i += 2 {
		rows.AddRow(codesAndTypes[i], codesAndTypes[i+1], "YES")
	}
	mock.ExpectQuery("SHOW COLUMNS FROM `t`").WillReturnRows(rows)
}

// TestImportBatches: rows go as multi-row INSERTs of --batch rows with
// placeholders; computed columns are left out; empty fields are NULL; a
// check box's JSON becomes a list.
func TestImportBatches(t *testing.T) {
	file := writeFile(t, "in.csv", "\uFEFF$id,a,tags,Created_by\n1,x,\"[\"\"p\"\",\"\"q\"\"]\",{}\n2,,[],{}\n3,z,,{}\n")
	ta := newTestApp(t)
	mock := ta.useMock(t)
	expectColumns(mock, "$id", "__ID__", "a", "SINGLE_LINE_TEXT", "tags", "CHECK_BOX", "Created_by", "CREATOR")
	mock.ExpectExec("INSERT INTO `t` (`a`, `tags`) VALUES (?, ?), (?, ?)").
		WithArgs("x", []string{"p", "q"}, nil, nil).WillReturnResult(sqlmock.NewResult(1, 2))
	mock.ExpectExec("INSERT INTO `t` (`a`, `tags`) VALUES (?, ?)").
		WithArgs("z", nil).WillReturnResult(sqlmock.NewResult(3, 1))
	if code := ta.run("import", "t", file, "--batch", "2", "--dsn", mockDSN); code != exitOK {
		t.Fatalf("exit %d: %s", code, ta.err.String())
	}
	want := "kintone-sql: leaving out columns that Kintone computes: $id, Created_by\n" +
		"kintone-sql: imported 3 rows into t in 0 ms (2 statements)\n"
	if ta.err.String() != want {
		t.Errorf("stderr %q, want %q", ta.err.String(), want)
	}
	if err := mock.ExpectationsWereMet(); err != nil {
		t.Error(err)
	}
}

// TestImportFailures: the summary says exactly what was written, and the
// exit status is 5 (partial) only when something was.
func TestImportFailures(t *testing.T) {
	rows := "a\n1\n2\n3\n4\n5\n"
	for _, tc := range []struct {
		name   string
		file   string
		expect func(sqlmock.Sqlmock)
		code   int
		want   string
	}{
		{"second batch", rows, func(m sqlmock.Sqlmock) {
			m.ExpectExec("INSERT INTO `t` (`a`) VALUES (?), (?)").WithArgs("1", "2").WillReturnResult(sqlmock.NewResult(1, 2))
			m.ExpectExec("INSERT INTO `t` (`a`) VALUES (?), (?)").WithArgs("3", "4").WillReturnError(errTest)
		}, exitPartial, "kintone-sql: import into t failed at in.csv lines 4-5: test failure; 2 rows (lines 2-3) were written, none from line 4 on: go on with --from-line 4\n"},
		{"first batch", rows, func(m sqlmock.Sqlmock) {
			m.ExpectExec("INSERT INTO `t` (`a`) VALUES (?), (?)").WithArgs("1", "2").WillReturnError(errTest)
		}, exitFailed, "kintone-sql: import into t failed at in.csv lines 2-3: test failure; no rows were written\n"},
		{"bad CSV after a batch", "a\n1\n2\n3,extra\n", func(m sqlmock.Sqlmock) {
			m.ExpectExec("INSERT INTO `t` (`a`) VALUES (?), (?)").WithArgs("1", "2").WillReturnResult(sqlmock.NewResult(1, 2))
		}, exitPartial, "kintone-sql: import into t failed at in.csv line 4: 2 fields, where the header has 1; 2 rows (lines 2-3) were written, none from line 4 on: go on with --from-line 4\n"},
		{"interrupted between statements", rows, func(m sqlmock.Sqlmock) {
			m.ExpectExec("INSERT INTO `t` (`a`) VALUES (?), (?)").WithArgs("1", "2").WillReturnResult(sqlmock.NewResult(1, 2))
			m.ExpectExec("INSERT INTO `t` (`a`) VALUES (?), (?)").WithArgs("3", "4").WillReturnError(context.Canceled)
		}, exitInterrupted, "kintone-sql: import into t interrupted at in.csv lines 4-5: context canceled; 2 rows (lines 2-3) were written, none from line 4 on: go on with --from-line 4\n"},
		{"interrupted while a statement was on its way", rows, func(m sqlmock.Sqlmock) {
			m.ExpectExec("INSERT INTO `t` (`a`) VALUES (?), (?)").WithArgs("1", "2").WillReturnError(
				&kintone.PartialWriteError{Batch: 1, FirstRow: 1, LastRow: 2, Unknown: true, Err: context.Canceled})
		}, exitUnknown, "kintone-sql: import into t was interrupted while the rows of in.csv lines 2-3 were being written: context canceled; " +
			"they may or may not have been written (no clear answer came back); no rows were written before them, and nothing after line 3 was sent. " +
			"Once the write can no longer be in progress (Kintone may still finish one that timed out), check which records of lines 2-3 are in t before running again: if all are, go on with --from-line 4; if none is (or once those that are are deleted), with --from-line 2\n"},
		{"outcome unknown after rows of the statement were committed", "a\n1\n2\n\n3\n", func(m sqlmock.Sqlmock) {
			m.ExpectExec("INSERT INTO `t` (`a`) VALUES (?), (?), (?)").WithArgs("1", "2", "3").WillReturnError(
				&kintone.PartialWriteError{Committed: 1, Batch: 2, FirstRow: 2, LastRow: 2, Unknown: true, Err: errTest})
		}, exitUnknown, "kintone-sql: import into t failed while the rows of in.csv lines 3-4 were being written: test failure; " +
			"they may or may not have been written (no clear answer came back); 1 row (line 2) was written before them, and nothing after line 4 was sent. " +
			"Once the write can no longer be in progress (Kintone may still finish one that timed out), check which records of lines 3-4 are in t before running again: if all are, go on with --from-line 5; if none is (or once those that are are deleted), with --from-line 3\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "in.csv")
			if err := os.WriteFile(file, []byte(tc.file), 0o600); err != nil {
				t.Fatal(err)
			}
			ta := newTestApp(t)
			t.Chdir(dir)
			mock := ta.useMock(t)
			mock.ExpectQuery("SHOW COLUMNS FROM `t`").WillReturnError(errTest)
			tc.expect(mock)
			batch := "2"
			if strings.Contains(tc.name, "committed") {
				batch = "3"
			}
			code := ta.run("import", "t", "in.csv", "--batch", batch, "--dsn", mockDSN, "-q")
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			if ta.err.String() != tc.want {
				t.Errorf("stderr %q\nwant   %q", ta.err.String(), tc.want)
			}
			if err := mock.ExpectationsWereMet(); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestImportUpsertStatement: --upsert-key sends INSERT ... ON DUPLICATE
// KEY UPDATE of the other columns; a key the file lacks is a usage error.
func TestImportUpsertStatement(t *testing.T) {
	file := writeFile(t, "in.csv", "k,v,$revision\na,1,5\n")
	ta := newTestApp(t)
	mock := ta.useMock(t)
	mock.ExpectQuery("SHOW COLUMNS FROM `t`").WillReturnError(errTest)
	mock.ExpectExec("INSERT INTO `t` (`k`, `v`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `v` = VALUES(`v`)").
		WithArgs("a", "1").WillReturnResult(sqlmock.NewResult(0, 2))
	if code := ta.run("import", "t", file, "--upsert-key", "k", "--dsn", mockDSN, "-q"); code != exitOK {
		t.Fatalf("exit %d: %s", code, ta.err.String())
	}
	if err := mock.ExpectationsWereMet(); err != nil {
		t.Error(err)
	}

	ta = newTestApp(t)
	mock = ta.useMock(t)
	mock.ExpectQuery("SHOW COLUMNS FROM `t`").WillReturnError(errTest)
	if code := ta.run("import", "t", file, "--upsert-key", "nope", "--dsn", mockDSN, "-q"); code != exitUsage {
		t.Errorf("missing key: exit %d: %s", code, ta.err.String())
	}
	if !strings.Contains(ta.err.String(), `--upsert-key nope: the file has no column "nope"`) {
		t.Errorf("stderr %q", ta.err.String())
	}
}

// TestImportJSONLines: each record's keys are its columns; records with
// other keys start another statement; values keep their exact text.
func TestImportJSONLines(t *testing.T) {
	file := writeFile(t, "in.jsonl", `{"a":"x","n":1.50,"ok":true}
{"a":null,"n":-2,"ok":false}

{"users":[{"code":"u1","name":"U"}],"tags":["p"],"rows":[{"id":"9","value":{"q":{"type":"NUMBER","value":"1"}}}]}
`)
	ta := newTestApp(t)
	mock := ta.useMock(t)
	expectColumns(mock, "a", "SINGLE_LINE_TEXT", "n", "NUMBER", "ok", "", "users", "USER_SELECT", "tags", "CHECK_BOX", "rows", "SUBTABLE")
	mock.ExpectExec("INSERT INTO `t` (`a`, `n`, `ok`) VALUES (?, ?, ?), (?, ?, ?)").
		WithArgs("x", "1.50", true, nil, "-2", false).WillReturnResult(sqlmock.NewResult(1, 2))
	mock.ExpectExec("INSERT INTO `t` (`users`, `tags`, `rows`) VALUES (?, ?, ?)").
		WithArgs([]string{"u1"}, []string{"p"}, `[{"value":{"q":{"type":"NUMBER","value":"1"}}}]`).WillReturnResult(sqlmock.NewResult(3, 1))
	if code := ta.run("import", "t", file, "--dsn", mockDSN, "-q"); code != exitOK {
		t.Fatalf("exit %d: %s", code, ta.err.String())
	}
	if err := mock.ExpectationsWereMet(); err != nil {
		t.Error(err)
	}
}

func TestImportBadJSON(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{`[1]`, "line 1: want a JSON object per line"},
		{`{"a":1,"a":2}`, `line 1: key "a" appears twice`},
		{`{"a":1} {"b":2}`, "line 1: want one JSON object per line"},
		{`{"a":`, "line 1: not JSON"},
	} {
		src := newJSONLSource(strings.NewReader(tc.line))
		if _, _, err := src.next(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.line, err, tc.want)
		}
	}
}

func TestImportValue(t *testing.T) {
	for _, tc := range []struct {
		raw  any
		typ  string
		want any
	}{
		{nil, "", nil},
		{"text", "SINGLE_LINE_TEXT", "text"},
		{`["a","b"]`, "MULTI_SELECT", []string{"a", "b"}},
		{`["a","b"]`, "", `["a","b"]`}, // unknown type: text stays text
		{`[{"code":"g1","name":"G"}]`, "GROUP_SELECT", []string{"g1"}},
		{`not json [`, "CHECK_BOX", `not json [`},
		{json.RawMessage(`"s"`), "", "s"},
		{json.RawMessage(`12345678901234567890.5`), "NUMBER", "12345678901234567890.5"},
		{json.RawMessage(`[]`), "CHECK_BOX", nil},
		{json.RawMessage(`{"code":"alice","name":"A"}`), "", "alice"},
		{json.RawMessage(`{"x":1}`), "", `{"x":1}`},
		{json.RawMessage(`[1,2]`), "", `[1,2]`},
	} {
		got, err := importValue(tc.raw, tc.typ)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("importValue(%v, %q) = %#v, %v; want %#v", tc.raw, tc.typ, got, err, tc.want)
		}
	}
}

func TestCountRecords(t *testing.T) {
	long := `{"a":"` + strings.Repeat("x", 100000) + `"}`
	for _, tc := range []struct {
		format, text string
		from         int
		want         int64
	}{
		{formatCSV, "a,b\n1,2\n\"multi\nline\",3\n", 0, 2},
		{formatCSV, "a,b\n1,2\n\"multi\nline\",3\n4,5\n", 3, 2},
		{formatCSV, "a,b\n1,2\n\"multi\nline\",3\n4,5\n", 4, 1},
		{formatCSV, "a\n", 0, 0},
		{formatCSV, "", 0, -1},
		{formatJSONL, "{}\n\n{}\n" + long + "\n" + long, 0, 4},
		{formatJSONL, "{}\n\n{}\n" + long + "\n" + long, 3, 3},
		{formatJSONL, "{}\n\n{}\n" + long + "\n" + long, 5, 1},
		{formatJSONL, "", 0, 0},
		{formatTSV, "a\tb\n1\t2\n\t\n3\t4", 0, 3},
		{formatTSV, "a\tb\n1\t2\n\t\n3\t4", 3, 2},
		{formatTSV, "a\n", 0, 0},
		{formatTSV, "", 0, 0},
	} {
		if got := countRecords(strings.NewReader(tc.text), tc.format, tc.from); got != tc.want {
			t.Errorf("%s %.20q from line %d: %d, want %d", tc.format, tc.text, tc.from, got, tc.want)
		}
	}
}

// TestTSVSourceReadsWhatExportWrote: the escapes of export's TSV come back
// as the characters, a CRLF line end is a line end, an empty field is
// NULL, and an unknown escape or a wrong number of fields is an error
// naming the line and the column.
func TestTSVSourceReadsWhatExportWrote(t *testing.T) {
	src, err := newTSVSource(strings.NewReader("\uFEFFa\tb\\\\c\r\n" + `x\r\ny\t\\n` + "\t\r\n\tz\n"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range [][]any{{"x\r\ny\t\\n", nil}, {nil, "z"}} {
		cols, vals, err := src.next()
		if err != nil || !reflect.DeepEqual(cols, []string{"a", "b\\c"}) || !reflect.DeepEqual(vals, want) {
			t.Errorf("next() = %q, %#v, %v; want %#v", cols, vals, err, want)
		}
	}
	if _, _, err := src.next(); err != io.EOF {
		t.Errorf("at the end: %v", err)
	}
	for _, tc := range []struct{ text, want string }{
		{"a\tb\nx\\q\ty\n", `line 2, column "a": unknown escape \q`},
		{"a\tb\nx\ty\\\n", `line 2, column "b": a backslash at the end of a field`},
		{"a\tb\nx\n", "line 2: 1 field, where the header has 2"},
		{"a\tb\nx\ty\tz\n", "line 2: 3 fields, where the header has 2"},
	} {
		src, err := newTSVSource(strings.NewReader(tc.text))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := src.next(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.text, err, tc.want)
		}
	}
}
