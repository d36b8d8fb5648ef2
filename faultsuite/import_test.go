package faultsuite

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/kintone-sql/kintone/kintonetest"
)

// This file is the command's workload: `kintone-sql import` of a CSV, a
// TSV and a JSON-lines file into IMPORTS, and an import with
// --upsert-key into UPSERTS (some of whose records are there before),
// through the gateway, read back as a careful user reads the command's
// answer. Exit status 0 says every line was written; 1 (and 4, when
// Kintone could not be reached) none; 5 the lines before the --from-line
// it names, none after; 3 the lines before the range it names, the
// range's own lines all or none (a statement is one bulkRequest), none
// after. The user then goes on from where the message says: for an
// insert after looking the range's keys up, for an upsert at once, as the
// message advises (upserting a record again changes nothing).

// The exit statuses of kintone-sql (cmd/kintone-sql/errors.go).
const (
	exitOK      = 0
	exitFailed  = 1
	exitUnknown = 3
	exitConnect = 4
	exitPartial = 5
)

// importJob is one import of a worker.
type importJob struct {
	format  string // csv, tsv or jsonl: the file's extension, which names it
	upsert  bool   // --upsert-key k into UPSERTS; else inserts into IMPORTS
	records int
	batch   int // --batch
}

// tag names the job in keys, owners and file names.
func (j importJob) tag() string {
	if j.upsert {
		return j.format + "-upsert"
	}
	return j.format
}

// app is the app the job writes.
func (j importJob) app() string {
	if j.upsert {
		return "UPSERTS"
	}
	return "IMPORTS"
}

// op is what the job does to a row.
func (j importJob) op() opKind {
	if j.upsert {
		return opUpsert
	}
	return opInsert
}

// fileRecord is a record of the import file: its key, its note and the
// lines it spans.
type fileRecord struct {
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

// preexisting reports whether record i of an upsert is in UPSERTS before
// the import (which then updates it, else inserts it).
func preexisting(i int) bool { return i%3 == 0 }

// tsvEscape escapes a TSV field as kintone-sql export writes it.
var tsvEscape = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`)

// writeImportFile writes the job's records of owner to file, in the job's
// format, and returns them. Each has counter n 0, or upsertN for an
// upsert.
func (w *worker) writeImportFile(file, owner string, job importJob) []fileRecord {
	n := 0
	if job.upsert {
		n = upsertN
	}
	var b strings.Builder
	line := 1
	switch job.format {
	case "csv":
		b.WriteString("k,owner,n,note\r\n")
		line = 2
	case "tsv":
		b.WriteString("k\towner\tn\tnote\n")
		line = 2
	}
	out := make([]fileRecord, job.records)
	for i := range out {
		r := fileRecord{key: fmt.Sprintf("%s-i%05d", owner, i), note: importNote(i), start: line}
		switch job.format {
		case "csv":
			r.end = line + strings.Count(strings.ReplaceAll(r.note, "\r\n", "\n"), "\n")
			fmt.Fprintf(&b, "%s,%s,%d,\"%s\"\r\n", r.key, owner, n, r.note)
		case "tsv":
			r.end = line
			fmt.Fprintf(&b, "%s\t%s\t%d\t%s\n", r.key, owner, n, tsvEscape.Replace(r.note))
		case "jsonl":
			r.end = line
			obj, err := json.Marshal(map[string]any{"k": r.key, "owner": owner, "n": n, "note": r.note})
			if err != nil {
				w.violation("encoding a JSON line: %v", err)
			}
			b.Write(obj)
			b.WriteByte('\n')
		}
		line = r.end + 1
		out[i] = r
	}
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		w.violation("writing %s: %v", file, err)
	}
	return out
}

// unknownLines finds the lines of unknown outcome in the message of exit
// status 3, resumeLine the line to go on from in that of exit status 5,
// rerunUpsert the line an upsert's exit status 3 says to run again from.
var (
	unknownLines = regexp.MustCompile(`while the rows of .+? lines? (\d+)(?:-(\d+))? were being written`)
	resumeLine   = regexp.MustCompile(`go on with --from-line (\d+)`)
	rerunUpsert  = regexp.MustCompile(`running with --from-line (\d+) and the same --upsert-key is safe`)
)

// importWorkload runs the job until every record is in, and checks the
// end state.
func (w *worker) importWorkload(ctx context.Context, job importJob) {
	owner := w.owner + "-" + job.tag()
	app := job.app()
	l := newLedger(app+" "+owner, w.e.fc.lost)
	file := filepath.Join(w.e.dir, owner+"."+job.format)
	recs := w.writeImportFile(file, owner, job)
	before := map[string]int64{} // the $id of each record an upsert finds
	if job.upsert {
		var seed []kintonetest.Record
		var keys []string
		for i, r := range recs {
			if preexisting(i) {
				seed = append(seed, kintonetest.Record{"k": r.key, "owner": owner, "n": "0", "note": "before the import"})
				keys = append(keys, r.key)
			}
		}
		ids, err := w.e.srv.AddRecords(w.e.apps[app], seed...)
		if err != nil {
			w.violation("adding the records the upsert finds: %v", err)
			return
		}
		for i, k := range keys {
			before[k] = ids[i]
			l.exists(k, 0)
		}
	}
	// The second statement of the first run (each is a bulkRequest), after
	// a first one committed.
	w.e.sure(w.r, "POST", "bulkRequest", 2)
	from := 0
	for run := 1; !w.failed; run++ {
		if run > maxRounds {
			w.violation("%s import still not done after %d runs", job.tag(), maxRounds)
			return
		}
		if run > 1 {
			w.tally.extra++
		}
		win := w.e.open(w.r)
		code, stderr := w.runImport(ctx, file, job, from)
		win = w.e.close(w.r, win)
		w.tally.statements++
		if w.tally.imports == nil {
			w.tally.imports = map[int]int{}
		}
		w.tally.imports[code]++
		var scope []fileRecord
		for _, r := range recs {
			if r.start >= from {
				scope = append(scope, r)
			}
		}
		what := fmt.Sprintf("%s import run %d (--from-line %d): exit %d: %s", job.tag(), run, from, code, abbreviateLong(stderr))
		next, ok := w.importOutcome(l, job, code, stderr, scope, win, what)
		if !ok {
			return
		}
		w.checkOwner(ctx, app, owner, l)
		if code == exitOK || w.failed {
			break
		}
		if code == exitUnknown && !job.upsert {
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
	got, err := w.e.records(ctx, app, owner)
	if err != nil {
		w.violation("reading %s: %v", app, err)
		return
	}
	byKey := map[string][]rawRecord{}
	for _, r := range got {
		byKey[r.k] = append(byKey[r.k], r)
	}
	for _, r := range recs {
		g := byKey[r.key]
		switch {
		case len(g) == 0:
			w.violation("%s %s: line %d (key %s) is lost", app, owner, r.start, r.key)
		case len(g) > 1:
			w.violation("%s %s: line %d (key %s) is there %d times (%s)", app, owner, r.start, r.key, len(g), ids(g))
		case g[0].note != r.note:
			w.violation("%s %s: line %d (key %s): note %q, want %q", app, owner, r.start, r.key, g[0].note, r.note)
		case job.upsert && g[0].n != upsertN:
			w.violation("%s %s: line %d (key %s): n %d, want %d: the upsert did not write it", app, owner, r.start, r.key, g[0].n, upsertN)
		case job.upsert && before[r.key] != 0 && g[0].id != before[r.key]:
			w.violation("%s %s: line %d (key %s) is record $id %d, but the upsert should have updated $id %d", app, owner, r.start, r.key, g[0].id, before[r.key])
		}
	}
	if len(got) != len(recs) {
		w.violation("%s %s: %d records, want %d", app, owner, len(got), len(recs))
	}
}

// runImport runs the command and returns its exit status and stderr.
func (w *worker) runImport(ctx context.Context, file string, job importJob, from int) (int, string) {
	args := []string{"import", job.app(), file, "--batch", strconv.Itoa(job.batch), "--quiet"}
	if job.upsert {
		args = append(args, "--upsert-key", "k")
	}
	if from > 0 {
		args = append(args, "--from-line", strconv.Itoa(from))
	}
	cmd := exec.CommandContext(ctx, w.e.cli, args...)
	cmd.Env = append(os.Environ(), "KINTONE_DSN="+w.r.dsn, "GORACE="+goraceNoExitSleep())
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

// goraceNoExitSleep is $GORACE with the race detector's sleep of a
// second before a program exits turned off: the command runs a hundred
// times or so, and it reports races with a non-zero exit status all the
// same.
func goraceNoExitSleep() string {
	return strings.TrimSpace(os.Getenv("GORACE") + " atexit_sleep_ms=0")
}

// importOutcome records what a run's exit status and message say of the
// records of scope (those from its --from-line on), and returns the line
// to go on from; ok is false when the answer breaks the command's rules.
func (w *worker) importOutcome(l *ledger, job importJob, code int, stderr string, scope []fileRecord, win window, what string) (next int, ok bool) {
	op := job.op()
	keys := func(recs []fileRecord) []string {
		out := make([]string, len(recs))
		for i, r := range recs {
			out[i] = r.key
		}
		return out
	}
	before := func(line int) ([]fileRecord, []fileRecord) {
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
		l.record(keys(scope), op, written, 0, what)
		return 0, true
	case exitFailed, exitConnect:
		w.tally.none++
		l.record(keys(scope), op, notWritten, 0, what)
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
		l.record(keys(done), op, written, 0, what)
		l.record(keys(rest), op, notWritten, 0, what)
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
		group := l.group()
		l.sentIn(group, win)
		l.record(keys(done), op, written, 0, what)
		l.record(keys(mid), op, unknown, group, what)
		l.record(keys(after), op, notWritten, 0, what)
		if !job.upsert {
			return 0, true // the user looks the rows up first
		}
		// Upserting the range again is safe, and the message says so:
		// the user follows it without looking anything up.
		m = rerunUpsert.FindStringSubmatch(stderr)
		if m == nil {
			w.violation("%s: exit 3 of an --upsert-key import without the advice to run again with --from-line and the same --upsert-key", what)
			return 0, false
		}
		n, _ := strconv.Atoi(m[1])
		if n != a {
			w.violation("%s: exit 3 advises running again from line %d, but the lines of unknown outcome start at line %d", what, n, a)
			return 0, false
		}
		return n, true
	}
	w.violation("%s: an exit status that says nothing of what was written", what)
	return 0, false
}

// through splits recs before the first record that starts after line.
func through(recs []fileRecord, line int) ([]fileRecord, []fileRecord) {
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
func firstFrom(scope []fileRecord, line int) fileRecord {
	for _, r := range scope {
		if r.start >= line {
			return r
		}
	}
	return fileRecord{}
}

// abbreviateLong shortens a message for a ledger's history.
func abbreviateLong(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 400 {
		return s[:400] + "..."
	}
	return s
}
