package faultsuite

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// This file is the command's workload: `kintone-sql import` of a CSV file
// into IMPORTS through the gateway, read back as a careful user reads the
// command's answer. Exit status 0 says every line was written; 1 (and 4,
// when Kintone could not be reached) none; 5 the lines before the
// --from-line it names, none after; 3 the lines before the range it names,
// the range's own lines all or none (a statement is one bulkRequest),
// none after. The user then goes on from where the message says, after
// looking the range's keys up when it was 3.

// The exit statuses of kintone-sql (cmd/kintone-sql/errors.go).
const (
	exitOK      = 0
	exitFailed  = 1
	exitUnknown = 3
	exitConnect = 4
	exitPartial = 5
)

// csvRecord is a record of the import file: its key, its note and the
// lines it spans.
type csvRecord struct {
	key, note  string
	start, end int
}

// importNote is record i's note: some span lines, with CRLF or LF inside.
func importNote(i int) string {
	switch {
	case i%7 == 3:
		return fmt.Sprintf("note %d\r\nsecond line, CRLF", i)
	case i%11 == 5:
		return fmt.Sprintf("note %d\nb\nc", i)
	}
	return fmt.Sprintf("note %d, plain", i)
}

// writeCSV writes n records to file and returns them.
func (w *worker) writeCSV(file string, n int) []csvRecord {
	var b strings.Builder
	b.WriteString("k,owner,n,note\r\n")
	line := 2
	out := make([]csvRecord, n)
	for i := range out {
		r := csvRecord{key: fmt.Sprintf("%s-i%05d", w.owner, i), note: importNote(i), start: line}
		r.end = line + strings.Count(strings.ReplaceAll(r.note, "\r\n", "\n"), "\n")
		line = r.end + 1
		fmt.Fprintf(&b, "%s,%s,0,\"%s\"\r\n", r.key, w.owner, r.note)
		out[i] = r
	}
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		w.violation("writing %s: %v", file, err)
	}
	return out
}

// unknownLines finds the lines of unknown outcome in the message of exit
// status 3, resumeLine the line to go on from in that of exit status 5.
var (
	unknownLines = regexp.MustCompile(`while the rows of .+? lines? (\d+)(?:-(\d+))? were being written`)
	resumeLine   = regexp.MustCompile(`go on with --from-line (\d+)`)
)

// importWorkload imports n records in statements of batch rows until
// every one is in, and checks the end state.
func (w *worker) importWorkload(ctx context.Context, n, batch int) {
	l := newLedger("IMPORTS "+w.owner, w.e.fc.lost)
	file := filepath.Join(w.e.dir, w.owner+".csv")
	recs := w.writeCSV(file, n)
	// The second statement of the first run (each is a bulkRequest), after
	// a first one committed.
	w.e.sure(w.r, "POST", "bulkRequest", 2)
	from := 0
	for run := 1; !w.failed; run++ {
		if run > maxRounds {
			w.violation("import still not done after %d runs", maxRounds)
			return
		}
		if run > 1 {
			w.tally.extra++
		}
		code, stderr := w.runImport(ctx, file, batch, from)
		w.tally.statements++
		if w.tally.imports == nil {
			w.tally.imports = map[int]int{}
		}
		w.tally.imports[code]++
		var scope []csvRecord
		for _, r := range recs {
			if r.start >= from {
				scope = append(scope, r)
			}
		}
		what := fmt.Sprintf("import run %d (--from-line %d): exit %d: %s", run, from, code, abbreviateLong(stderr))
		next, ok := w.importOutcome(l, code, stderr, scope, what)
		if !ok {
			return
		}
		w.check(ctx, "IMPORTS", l)
		if code == exitOK || w.failed {
			break
		}
		if code == exitUnknown {
			// Look the range's keys up (the check did): all in, go on
			// after them; none in, go on from them.
			m := unknownLines.FindStringSubmatch(stderr)
			a, _ := strconv.Atoi(m[1])
			b := rangeEnd(m)
			first := firstFrom(scope, a)
			if c, _ := l.count(first.key); c > 0 {
				next = b + 1
			} else {
				next = a
			}
		}
		from = next
	}
	if w.failed {
		return
	}
	got, err := w.e.records(ctx, "IMPORTS", w.owner)
	if err != nil {
		w.violation("reading IMPORTS: %v", err)
		return
	}
	byKey := map[string]rawRecord{}
	for _, r := range got {
		byKey[r.k] = r
	}
	for _, r := range recs {
		g, ok := byKey[r.key]
		switch {
		case !ok:
			w.violation("IMPORTS %s: line %d (key %s) is lost", w.owner, r.start, r.key)
		case g.note != r.note:
			w.violation("IMPORTS %s: line %d (key %s): note %q, want %q", w.owner, r.start, r.key, g.note, r.note)
		}
	}
	if len(got) != len(recs) {
		w.violation("IMPORTS %s: %d records, want %d", w.owner, len(got), len(recs))
	}
}

// runImport runs the command and returns its exit status and stderr.
func (w *worker) runImport(ctx context.Context, file string, batch, from int) (int, string) {
	args := []string{"import", "IMPORTS", file, "--batch", strconv.Itoa(batch), "--quiet"}
	if from > 0 {
		args = append(args, "--from-line", strconv.Itoa(from))
	}
	cmd := exec.CommandContext(ctx, w.e.cli, args...)
	cmd.Env = append(os.Environ(), "KINTONE_DSN="+w.r.dsn)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return exitOK, stderr.String()
	case errors.As(err, &ee) && ee.ExitCode() > 0:
		return ee.ExitCode(), stderr.String()
	}
	w.violation("kintone-sql %s: %v; stderr: %s", strings.Join(args, " "), err, stderr.String())
	return -1, stderr.String()
}

// importOutcome records what a run's exit status and message say of the
// records of scope (those from its --from-line on), and returns the line
// to go on from; ok is false when the answer breaks the command's rules.
func (w *worker) importOutcome(l *ledger, code int, stderr string, scope []csvRecord, what string) (next int, ok bool) {
	keys := func(recs []csvRecord) []string {
		out := make([]string, len(recs))
		for i, r := range recs {
			out[i] = r.key
		}
		return out
	}
	before := func(line int) ([]csvRecord, []csvRecord) {
		for i, r := range scope {
			if r.start >= line {
				return scope[:i], scope[i:]
			}
		}
		return scope, nil
	}
	switch code {
	case exitOK:
		w.tally.ok++
		l.record(keys(scope), opInsert, written, 0, what)
		return 0, true
	case exitFailed, exitConnect:
		w.tally.none++
		l.record(keys(scope), opInsert, notWritten, 0, what)
		if len(scope) > 0 {
			return scope[0].start, true
		}
		return 0, true
	case exitPartial:
		m := resumeLine.FindStringSubmatch(stderr)
		if m == nil {
			w.violation("%s: exit 5 without a --from-line to go on with", what)
			return 0, false
		}
		n, _ := strconv.Atoi(m[1])
		done, rest := before(n)
		if len(done) == 0 || len(rest) == 0 || rest[0].start != n {
			w.violation("%s: exit 5 names --from-line %d, which is not the start of a record after a written one", what, n)
			return 0, false
		}
		w.tally.partial++
		l.record(keys(done), opInsert, written, 0, what)
		l.record(keys(rest), opInsert, notWritten, 0, what)
		return n, true
	case exitUnknown:
		m := unknownLines.FindStringSubmatch(stderr)
		if m == nil {
			w.violation("%s: exit 3 without the lines of unknown outcome", what)
			return 0, false
		}
		a, _ := strconv.Atoi(m[1])
		b := rangeEnd(m)
		done, rest := before(a)
		mid, after := through(rest, b)
		if len(rest) == 0 || rest[0].start != a || len(mid) == 0 || mid[len(mid)-1].end != b {
			w.violation("%s: exit 3 names lines %d-%d, which are not whole records", what, a, b)
			return 0, false
		}
		w.tally.unknown++
		l.record(keys(done), opInsert, written, 0, what)
		l.record(keys(mid), opInsert, unknown, l.group(), what)
		l.record(keys(after), opInsert, notWritten, 0, what)
		return 0, true
	}
	w.violation("%s: an exit status that says nothing of what was written", what)
	return 0, false
}

// through splits recs before the first record that starts after line.
func through(recs []csvRecord, line int) ([]csvRecord, []csvRecord) {
	for i, r := range recs {
		if r.start > line {
			return recs[:i], recs[i:]
		}
	}
	return recs, nil
}

// rangeEnd is the last line of a "line a" or "lines a-b" match.
func rangeEnd(m []string) int {
	if m[2] == "" {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	n, _ := strconv.Atoi(m[2])
	return n
}

// firstFrom is the first record of scope that starts at line or later.
func firstFrom(scope []csvRecord, line int) csvRecord {
	for _, r := range scope {
		if r.start >= line {
			return r
		}
	}
	return csvRecord{}
}

// abbreviateLong shortens a message for a ledger's history.
func abbreviateLong(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 400 {
		return s[:400] + "..."
	}
	return s
}
