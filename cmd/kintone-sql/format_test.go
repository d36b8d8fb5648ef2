package main

import (
	"strings"
	"testing"
	"time"

	"github.com/DATA-DOG/go-sqlmock"
)

// TestOutputFormats prints the same rows, holding every kind of value the
// driver returns, in every format.
func TestOutputFormats(t *testing.T) {
	for _, tc := range []struct {
		format, want, stderr string
	}{
		{formatTable, `` +
			` $id | company   | total  | since      | tags       | owner      | items                  | notes
-----+-----------+--------+------------+------------+------------+------------------------+-------------------
   1 | Acme | Co | 1200.5 | 2024-05-06 | Rush, Gift | Alice, Bob | {product: Tea, qty: 2} | line one↵line two
  12 | 富士商事  |   NULL | NULL       | NULL       | NULL       | NULL                   | NULL
`, "(2 rows, 0 ms)\n"},
		{formatCSV, `$id,company,total,since,tags,owner,items,notes
1,Acme | Co,1200.5,2024-05-06,"[""Rush"",""Gift""]","[{""code"":""alice"",""name"":""Alice""},{""code"":""bob"",""name"":""Bob""}]","[{""id"":""7"",""value"":{""product"":{""type"":""SINGLE_LINE_TEXT"",""value"":""Tea""},""qty"":{""type"":""NUMBER"",""value"":""2""}}}]","line one
line two"
12,富士商事,,,,,,
`, ""},
		{formatTSV, "$id\tcompany\ttotal\tsince\ttags\towner\titems\tnotes\n" +
			"1\tAcme | Co\t1200.5\t2024-05-06\t[\"Rush\",\"Gift\"]\t[{\"code\":\"alice\",\"name\":\"Alice\"},{\"code\":\"bob\",\"name\":\"Bob\"}]\t" +
			`[{"id":"7","value":{"product":{"type":"SINGLE_LINE_TEXT","value":"Tea"},"qty":{"type":"NUMBER","value":"2"}}}]` + "\tline one\\nline two\n" +
			"12\t富士商事\t\t\t\t\t\t\n", ""},
		{formatJSONL, `{"$id":1,"company":"Acme | Co","total":1200.5,"since":"2024-05-06","tags":["Rush","Gift"],"owner":[{"code":"alice","name":"Alice"},{"code":"bob","name":"Bob"}],"items":[{"id":"7","value":{"product":{"type":"SINGLE_LINE_TEXT","value":"Tea"},"qty":{"type":"NUMBER","value":"2"}}}],"notes":"line one\nline two"}
{"$id":12,"company":"富士商事","total":null,"since":null,"tags":null,"owner":null,"items":null,"notes":null}
`, ""},
		{formatMarkdown, `| $id | company    | total  | since      | tags       | owner      | items                  | notes                |
| --: | ---------- | -----: | ---------- | ---------- | ---------- | ---------------------- | -------------------- |
|   1 | Acme \| Co | 1200.5 | 2024-05-06 | Rush, Gift | Alice, Bob | {product: Tea, qty: 2} | line one<br>line two |
|  12 | 富士商事   |   NULL | NULL       | NULL       | NULL       | NULL                   | NULL                 |
`, ""},
	} {
		t.Run(tc.format, func(t *testing.T) {
			ta := newTestApp(t)
			mock := ta.useMock(t)
			mock.ExpectQuery("SELECT * FROM t").WillReturnRows(sampleRows())
			if code := ta.run("--dsn", mockDSN, "--format", tc.format, "SELECT * FROM t"); code != 0 {
				t.Fatalf("exit %d: %s", code, ta.err.String())
			}
			if got := ta.out.String(); got != tc.want {
				t.Errorf("stdout:\n%s\nwant:\n%s", got, tc.want)
			}
			if got := ta.err.String(); got != tc.stderr {
				t.Errorf("stderr %q, want %q", got, tc.stderr)
			}
			if err := mock.ExpectationsWereMet(); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestOutputDefaults: a table on a terminal, cut to 60 columns; TSV when
// piped; --header=false; --max-width.
func TestOutputDefaults(t *testing.T) {
	long := strings.Repeat("x", 70)
	rows := func() *sqlmock.Rows { return sqlmock.NewRows([]string{"a", "n"}).AddRow(long, int64(5)) }
	for _, tc := range []struct {
		name string
		tty  bool
		args []string
		want string
	}{
		{"terminal", true, nil, " a" + strings.Repeat(" ", 59) + " | n\n" + strings.Repeat("-", 62) + "+---\n " + strings.Repeat("x", 59) + "… | 5\n"},
		{"pipe", false, nil, "a\tn\n" + long + "\t5\n"},
		{"no header", false, []string{"--header=false", "--format", "csv"}, long + ",5\n"},
		{"max width", true, []string{"--max-width", "4"}, " a    | n\n------+---\n xxx… | 5\n"},
		{"no limit", true, []string{"--max-width=0"}, " a" + strings.Repeat(" ", 69) + " | n\n" + strings.Repeat("-", 72) + "+---\n " + long + " | 5\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ta := newTestApp(t)
			ta.stdoutTTY = tc.tty
			mock := ta.useMock(t)
			mock.ExpectQuery("SELECT a, n FROM t").WillReturnRows(rows())
			args := append([]string{"--dsn", mockDSN, "SELECT a, n FROM t"}, tc.args...)
			if code := ta.run(args...); code != 0 {
				t.Fatalf("exit %d: %s", code, ta.err.String())
			}
			if got := ta.out.String(); got != tc.want {
				t.Errorf("stdout:\n%q\nwant:\n%q", got, tc.want)
			}
		})
	}
}

// TestExecAndScript: statements run in order, writes print rows affected
// in table mode, and a blank line separates the outputs of statements.
func TestExecAndScript(t *testing.T) {
	ta := newTestApp(t)
	mock := ta.useMock(t)
	mock.ExpectExec("UPDATE t SET a = 'x;y' WHERE b = 1").WillReturnResult(sqlmock.NewResult(0, 3))
	mock.ExpectQuery("SELECT 1 AS one").WillReturnRows(sqlmock.NewRows([]string{"one"}).AddRow(int64(1)))
	mock.ExpectExec("DELETE FROM t").WillReturnResult(sqlmock.NewErrorResult(errTest))
	code := ta.run("--dsn", mockDSN, "--format", "table", "-e", "UPDATE t SET a = 'x;y' WHERE b = 1; SELECT 1 AS one", "-e", "DELETE FROM t")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, ta.err.String())
	}
	if want := "\n one\n-----\n   1\n\n"; ta.out.String() != want {
		t.Errorf("stdout %q, want %q", ta.out.String(), want)
	}
	if want := "(3 rows affected, 0 ms)\n(1 row, 0 ms)\n(done, 0 ms)\n"; ta.err.String() != want {
		t.Errorf("stderr %q, want %q", ta.err.String(), want)
	}
	if err := mock.ExpectationsWereMet(); err != nil {
		t.Error(err)
	}
}

func TestFormatTime(t *testing.T) {
	tokyo := time.FixedZone("JST", 9*3600)
	for _, tc := range []struct {
		t      time.Time
		dbType string
		want   string
	}{
		{time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC), "DATE", "2024-05-06"},
		{time.Date(0, 1, 1, 9, 30, 0, 0, time.UTC), "TIME", "09:30"},
		{time.Date(0, 1, 1, 9, 30, 15, 0, time.UTC), "", "09:30:15"},
		{time.Date(2024, 5, 6, 9, 30, 0, 0, tokyo), "DATETIME", "2024-05-06T09:30:00+09:00"},
		{time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC), "", "2024-05-06T00:00:00Z"},
	} {
		if got := formatTime(tc.t, tc.dbType); got != tc.want {
			t.Errorf("formatTime(%v, %q) = %q, want %q", tc.t, tc.dbType, got, tc.want)
		}
	}
}

func TestReadableJSON(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`["a","b"]`, "a, b"},
		{`[]`, ""},
		{`{"code":"alice","name":""}`, "alice"},
		{`[{"contentType":"text/plain","fileKey":"k1","name":"a.txt","size":"3"}]`, "a.txt"},
		{`[{"id":"1","value":{"b":{"type":"CHECK_BOX","value":["x","y"]},"a":{"type":"NUMBER","value":"1"}}},{"id":"2","value":{}}]`, "{a: 1, b: [x, y]}; {}"},
		{`{"z":1,"a":[true,null]}`, "{a: [true, NULL], z: 1}"},
	} {
		got, ok := readableJSON([]byte(tc.in))
		if !ok || got != tc.want {
			t.Errorf("readableJSON(%s) = %q, %v; want %q", tc.in, got, ok, tc.want)
		}
	}
	if _, ok := readableJSON([]byte("not json")); ok {
		t.Error("readableJSON accepted text that is not JSON")
	}
}

func TestValuesOfUnknownType(t *testing.T) {
	c := column{name: "x"}
	for _, tc := range []struct {
		v                 any
		display, text, js string
	}{
		{[]byte(`["a"]`), "a", `["a"]`, `["a"]`},
		{[]byte(`plain`), "plain", "plain", `"plain"`},
		{float64(1e21), "1e+21", "1e+21", "1e+21"},
		{float64(0.25), "0.25", "0.25", "0.25"},
		{true, "true", "true", "true"},
		{"tab\there", "tab here", "tab\there", `"tab\there"`},
		{"<&>", "<&>", "<&>", `"<&>"`},
	} {
		if got := displayValue(tc.v, c); got != tc.display {
			t.Errorf("displayValue(%v) = %q, want %q", tc.v, got, tc.display)
		}
		if got, _ := textValue(tc.v, c); got != tc.text {
			t.Errorf("textValue(%v) = %q, want %q", tc.v, got, tc.text)
		}
		if got := string(jsonValue(tc.v, c)); got != tc.js {
			t.Errorf("jsonValue(%v) = %s, want %s", tc.v, got, tc.js)
		}
	}
	// A NUMBER whose text is not a JSON number stays a string.
	if got := string(jsonValue("1.", column{dbType: "NUMBER"})); got != `"1."` {
		t.Errorf("jsonValue(1.) = %s", got)
	}
}
