package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// endless is a reader that never ends, giving fill over and over, and
// counting what it gave.
type endless struct {
	fill []byte
	n    int64
}

func (e *endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = e.fill[(e.n+int64(i))%int64(len(e.fill))]
	}
	e.n += int64(len(p))
	return len(p), nil
}

// TestImportRecordsAboveTheLimitAreRefused: a CSV record with a quote
// left open, and a JSON or TSV line that never ends, on an endless input, fail
// with a message naming the limit after reading about that much; many
// small records that add up to far more than the limit all pass.
func TestImportRecordsAboveTheLimitAreRefused(t *testing.T) {
	const limit = 64 << 10
	csvIn := &endless{fill: []byte("no closing quote, ")}
	cs, err := newCSVSourceLimit(io.MultiReader(strings.NewReader("a,b\n1,\"open "), csvIn), limit)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = cs.next()
	var tl *recordTooLargeError
	if !errors.As(err, &tl) || !strings.Contains(err.Error(), "larger than 64 KiB") {
		t.Errorf("CSV: err = %v, want a record larger than 64 KiB", err)
	}
	// The error names the line on which the record starts.
	var ie *inputError
	if !errors.As(err, &ie) || ie.line != 2 {
		t.Errorf("CSV: err = %#v, want an inputError at line 2", err)
	}
	if csvIn.n > 2*limit {
		t.Errorf("CSV: read %d bytes of an endless record, want about %d", csvIn.n, limit)
	}

	jsonIn := &endless{fill: []byte(`{"a":"no newline ever `)}
	js := newJSONLSourceLimit(jsonIn, limit)
	_, _, err = js.next()
	if !errors.As(err, &tl) {
		t.Errorf("JSON lines: err = %v, want a record larger than the limit", err)
	}
	if !errors.As(err, &ie) || ie.line != 1 {
		t.Errorf("JSON lines: err = %#v, want an inputError at line 1", err)
	}
	if jsonIn.n > 2*limit+64<<10 {
		t.Errorf("JSON lines: read %d bytes of an endless line, want about %d", jsonIn.n, limit)
	}

	tsvIn := &endless{fill: []byte("no line end\t")}
	ts, err := newTSVSourceLimit(io.MultiReader(strings.NewReader("a\tb\n1\t"), tsvIn), limit)
	if err != nil {
		t.Fatal(err)
	}
	_, _, err = ts.next()
	if !errors.As(err, &tl) {
		t.Errorf("TSV: err = %v, want a record larger than the limit", err)
	}
	if !errors.As(err, &ie) || ie.line != 2 {
		t.Errorf("TSV: err = %#v, want an inputError at line 2", err)
	}
	if tsvIn.n > 2*limit+64<<10 {
		t.Errorf("TSV: read %d bytes of an endless line, want about %d", tsvIn.n, limit)
	}

	// Records well under the limit, adding up to 16 times it, all pass.
	var csvText, jsonText, tsvText strings.Builder
	csvText.WriteString("a,b\n")
	tsvText.WriteString("a\tb\n")
	for i := 0; csvText.Len() < 16*limit; i++ {
		fmt.Fprintf(&csvText, "%d,\"x\ny\"\n", i)
		fmt.Fprintf(&jsonText, "{\"a\":%d}\n", i)
		fmt.Fprintf(&tsvText, "%d\tx\\ny\n", i)
	}
	for name, next := range map[string]func() ([]string, []any, error){
		"CSV":        must(newCSVSourceLimit(strings.NewReader(csvText.String()), limit)).next,
		"JSON lines": newJSONLSourceLimit(strings.NewReader(jsonText.String()), limit).next,
		"TSV":        must(newTSVSourceLimit(strings.NewReader(tsvText.String()), limit)).next,
	} {
		n := 0
		for {
			_, _, err := next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: record %d: %v", name, n+1, err)
			}
			n++
		}
		if n < 16*limit/12 {
			t.Errorf("%s: read %d records", name, n)
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestScriptsAboveTheLimitAreRefused: -f naming a file above 64 MiB
// (sparse: nothing is written) is refused from its size, and an endless
// stdin after the limit, both with status 2 and a message naming the
// limit; a script within the limit runs.
func TestScriptsAboveTheLimitAreRefused(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.sql")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(maxScriptBytes + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	ta := newTestApp(t)
	ta.open = nil // no connection may be attempted
	if code := ta.run("-f", big); code != exitUsage || !strings.Contains(ta.err.String(), "larger than 64 MiB, the limit for an SQL script") {
		t.Errorf("-f of %d bytes: exit %d, stderr %q", maxScriptBytes+1, code, ta.err.String())
	}

	for _, args := range [][]string{{"-f", "-"}, {}} {
		ta := newTestApp(t)
		ta.open = nil
		ta.maxScript = 1 << 20
		in := &endless{fill: []byte("SELECT 1;\n")}
		ta.stdin = in
		if code := ta.run(args...); code != exitUsage || !strings.Contains(ta.err.String(), "stdin is larger than 1 MiB") {
			t.Errorf("%v on endless stdin: exit %d, stderr %q", args, code, ta.err.String())
		}
		if in.n > ta.maxScript+1 {
			t.Errorf("%v: read %d bytes of stdin, want at most %d", args, in.n, ta.maxScript+1)
		}
	}
}

// TestHistoryReadsOnlyItsTail: a history file far larger than what the
// history keeps is read from its tail: the last historyMax entries, whole
// (the line cut by the seek is dropped), newest first.
func TestHistoryReadsOnlyItsTail(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history")
	var b strings.Builder
	n := 0
	for ; b.Len() < 2*maxHistoryBytes; n++ {
		fmt.Fprintf(&b, "SELECT %d;\n", n)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	h := loadHistory(path, redactor{})
	if h.Len() != historyMax {
		t.Fatalf("kept %d entries, want %d", h.Len(), historyMax)
	}
	for i := 0; i < historyMax; i++ {
		if want := fmt.Sprintf("SELECT %d;", n-1-i); h.At(i) != want {
			t.Fatalf("entry %d is %q, want %q", i, h.At(i), want)
		}
	}
}
