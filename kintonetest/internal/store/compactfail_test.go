package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// These tests inject failures into the file operations of a compaction
// (Store.fsHook) and check that none stops compaction for good or goes
// unreported, and that no directory they leave is refused by Open.

// injected is the error of an injected file-operation failure.
func injected(op, path string) error {
	return errors.New("injected " + op + " failure on " + filepath.Base(path))
}

// growUntil adds records to app until done reports true, at most limit
// records; it fails the test when done never does. *next numbers the
// records (their keys are unique).
func growUntil(t *testing.T, s *Store, app int64, next *int, limit int, done func() bool) {
	t.Helper()
	for i := 0; i < limit; i++ {
		add(t, s, user, app, skuInput(*next))
		*next++
		if done() {
			return
		}
	}
	t.Fatalf("the condition did not hold after %d writes", limit)
}

// journalsOnDisk lists the journal files of dir.
func journalsOnDisk(dir string) []string {
	names, _ := filepath.Glob(filepath.Join(dir, journalPrefix+"*"))
	return names
}

// TestStrayJournalOfAFailedCompactionStartDoesNotStopCompaction makes the
// start of a compaction fail (the new journal's fsync) and the removal of
// the new journal fail too, so that an empty journal-(G+1).log stays. The
// next write must start the compaction all the same, and the directory
// must reopen to the same state.
func TestStrayJournalOfAFailedCompactionStartDoesNotStopCompaction(t *testing.T) {
	for _, op := range []string{"sync", "syncdir"} {
		t.Run(op, func(t *testing.T) {
			dir := t.TempDir()
			s := openDir(t, dir, 4096)
			app := mustApp(t, s, keyedSpec())
			if err := s.waitCompaction(); err != nil {
				t.Fatal(err)
			}
			gen := s.jr.gen
			var failing atomic.Bool
			failing.Store(true)
			s.fsHook = func(o, path string) error {
				if failing.Load() && (o == op || o == "remove") {
					return injected(o, path)
				}
				return nil
			}
			stray := journalPath(dir, gen+1)
			next := 0
			growUntil(t, s, app, &next, 200, func() bool { return exists(stray) })
			failing.Store(false)
			add(t, s, user, app, skuInput(1000))
			if err := s.waitCompaction(); err != nil {
				t.Fatal(err)
			}
			s.wmu.Lock()
			now := s.jr.gen
			s.wmu.Unlock()
			if now <= gen {
				t.Fatalf("no compaction started after the failed one: the journal is still generation %d, %s stays (journals: %v)", now, stray, journalsOnDisk(dir))
			}
			if names := journalsOnDisk(dir); len(names) != 1 || names[0] != journalPath(dir, now) {
				t.Fatalf("journals after the compaction: %v (generation %d)", names, now)
			}
			crash(s)
			r := openDir(t, dir, 4096)
			defer r.Close()
			sameState(t, s, r)
		})
	}
}

// TestTornJournalBeforeAnEmptyNextJournalOpens is the directory a crash
// leaves when it tears the last frame of journal G while an empty
// journal-(G+1).log, left by a compaction that failed to start, is there:
// nothing was ever written to G+1, so G is the journal the crash tore,
// and Open must repair it as it repairs the last journal.
func TestTornJournalBeforeAnEmptyNextJournalOpens(t *testing.T) {
	dir := t.TempDir()
	s := openDir(t, dir, 0)
	app := mustApp(t, s, keyedSpec())
	add(t, s, user, app, in("sku", `"A"`))
	crash(s)
	journal := journalPath(dir, 0)
	st, err := os.Stat(journal)
	if err != nil {
		t.Fatal(err)
	}
	good := st.Size()
	b, err := frame(&entry{Op: opWrite, Recs: []recsJSON{{App: app, NextID: 3, NextRow: 1,
		Put: []recJSON{{ID: 2, Rev: 1, V: map[string]valJSON{"sku": {K: "s", S: "B"}}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(journal, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Write(b[:len(b)-3]); err != nil { // the crash cut the last write short
		t.Fatal(err)
	}
	f.Close()
	if err := os.WriteFile(journalPath(dir, 1), nil, 0o644); err != nil {
		t.Fatal(err)
	}

	r, err := Open(Options{Dir: dir, Clock: fixedClock, Names: testNames})
	if err != nil {
		t.Fatalf("Open refuses the directory: %v", err)
	}
	if recs, _, _ := r.Records(app); len(recs) != 1 {
		t.Fatalf("%d records, want the 1 acknowledged", len(recs))
	}
	if st, _ := os.Stat(journal); st.Size() != good {
		t.Fatalf("the torn frame was not truncated: %d bytes, want %d", st.Size(), good)
	}
	add(t, r, user, app, in("sku", `"Z"`))
	crash(r)
	again := openDir(t, dir, 0)
	defer again.Close()
	sameState(t, r, again)
}

// TestForeignNextJournalStopsWritesWithAClearError puts a journal-(G+1).log
// with content into the directory of a running store, as a second process
// writing to the same directory would: the store did not write it, and
// Open would replay it after journal G. When a compaction finds it, the
// next write and Close fail with an error naming it, instead of the store
// silently never compacting again.
func TestForeignNextJournalStopsWritesWithAClearError(t *testing.T) {
	dir := t.TempDir()
	s := openDir(t, dir, 4096)
	app := mustApp(t, s, keyedSpec())
	if err := s.waitCompaction(); err != nil {
		t.Fatal(err)
	}
	foreign := journalPath(dir, s.jr.gen+1)
	if err := os.WriteFile(foreign, []byte("not ours"), 0o644); err != nil {
		t.Fatal(err)
	}
	var werr error
	for i := 0; i < 200 && werr == nil; i++ {
		werr = tryAdd(s, user, app, true, skuInput(i))
	}
	if werr == nil || !strings.Contains(werr.Error(), foreign) {
		t.Fatalf("writes after the compaction met %s: %v, want an error naming it", foreign, werr)
	}
	if err := s.Close(); err == nil || !strings.Contains(err.Error(), foreign) {
		t.Fatalf("Close: %v, want an error naming %s", err, foreign)
	}
	if b, _ := os.ReadFile(foreign); string(b) != "not ours" {
		t.Fatalf("%s was changed: %q", foreign, b)
	}
}

// TestCloseReportsAJournalFailure breaks the journal (its file is closed
// underneath, so the next append fails): that write fails, and so must
// Close, which cannot compact a journal that may end in a partial frame.
func TestCloseReportsAJournalFailure(t *testing.T) {
	dir := t.TempDir()
	s := openDir(t, dir, 0)
	app := mustApp(t, s, keyedSpec())
	add(t, s, user, app, in("sku", `"A"`))
	s.wmu.Lock()
	_ = s.jr.f.Close()
	s.wmu.Unlock()
	werr := tryAdd(s, user, app, true, in("sku", `"B"`))
	if werr == nil {
		t.Fatal("a write to a closed journal succeeded")
	}
	err := s.Close()
	if err == nil || !strings.Contains(err.Error(), werr.Error()) {
		t.Fatalf("Close: %v, want the journal failure %q", err, werr)
	}
	r := openDir(t, dir, 0)
	defer r.Close()
	if recs, _, _ := r.Records(app); len(recs) != 1 {
		t.Fatalf("%d records after reopening, want the 1 acknowledged", len(recs))
	}
}

// logged collects what a store tells Options.Logf.
type logged struct {
	mu    sync.Mutex
	lines []string
}

func (l *logged) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logged) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

// TestCompactionFailuresAreLoggedAndCloseReturnsItsOwn fails a
// compaction's start several times, then the rename of a snapshot
// written in the background, then Close's own compaction: the first
// start failure and the compaction that ends the run are logged, so is
// the background failure, Close returns its own failure, and the
// directory reopens to the same state each time.
func TestCompactionFailuresAreLoggedAndCloseReturnsItsOwn(t *testing.T) {
	dir := t.TempDir()
	var log logged
	s, err := Open(Options{Dir: dir, Clock: fixedClock, Names: testNames, CompactBytes: 4096, Logf: log.logf})
	if err != nil {
		t.Fatal(err)
	}
	app := mustApp(t, s, keyedSpec())
	if err := s.waitCompaction(); err != nil {
		t.Fatal(err)
	}
	var fail atomic.Value // the op to fail, "" for none
	fail.Store("")
	attempts := atomic.Int64{}
	s.fsHook = func(op, path string) error {
		if op == "sync" && strings.HasSuffix(path, journalSuffix) {
			attempts.Add(1)
		}
		if fail.Load().(string) == op {
			return injected(op, path)
		}
		return nil
	}
	gen := func() int64 {
		s.wmu.Lock()
		defer s.wmu.Unlock()
		return s.jr.gen
	}

	// The start fails at three writes in a row, then succeeds.
	next := 0
	fail.Store("sync")
	before := gen()
	growUntil(t, s, app, &next, 300, func() bool { return attempts.Load() >= 3 })
	fail.Store("")
	growUntil(t, s, app, &next, 300, func() bool { return gen() > before })
	if err := s.waitCompaction(); err != nil {
		t.Fatal(err)
	}
	lines := log.all()
	if len(lines) != 2 || !strings.Contains(lines[0], "injected sync failure on "+filepath.Base(journalPath(dir, before+1))) ||
		!strings.Contains(lines[1], "started after 3 failed attempts") {
		t.Fatalf("logged %q, want the first start failure, naming it, then the start after 3 failed attempts", lines)
	}

	// The snapshot written in the background cannot be renamed.
	fail.Store("rename")
	before = gen()
	growUntil(t, s, app, &next, 300, func() bool { return gen() > before })
	if err := s.waitCompaction(); err == nil || !strings.Contains(err.Error(), "injected rename failure") {
		t.Fatalf("the compaction: %v, want the injected rename failure", err)
	}
	lines = log.all()
	if len(lines) != 3 || !strings.Contains(lines[2], "injected rename failure on "+snapshotTmp) {
		t.Fatalf("logged %q, want the rename failure last", lines)
	}
	copied := t.TempDir()
	copyDir(t, dir, copied)
	c := openDir(t, copied, 4096)
	sameState(t, s, c)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}

	// Close's own compaction fails to start.
	fail.Store("sync")
	err = s.Close()
	if err == nil || !strings.Contains(err.Error(), "injected sync failure") || !strings.Contains(err.Error(), "the next start replays") {
		t.Fatalf("Close: %v, want the injected failure and what it means for the data", err)
	}
	r := openDir(t, dir, 4096)
	defer r.Close()
	sameState(t, s, r)
}
