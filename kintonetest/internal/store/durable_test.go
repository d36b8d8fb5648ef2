package store

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
)

func openDir(t *testing.T, dir string, compact int64) *Store {
	t.Helper()
	s, err := Open(Options{Dir: dir, Clock: fixedClock, Names: testNames, CompactBytes: compact})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// crash abandons a store as a killed process would: the journal file is
// closed without compaction.
func crash(s *Store) {
	_ = s.waitCompaction()
	s.wmu.Lock()
	_ = s.jr.close()
	s.closed = true
	s.wmu.Unlock()
}

// populate makes changes of every kind and returns the app IDs and an
// attachment key.
func populate(t *testing.T, s *Store) (apps []int64, attachment, pending string) {
	t.Helper()
	app := mustApp(t, s, allTypesSpec())
	keyed := mustApp(t, s, keyedSpec())
	prev, err := s.CreatePreviewApp(AppSpec{Name: "Preview only", GuestSpaceID: 3})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddPreviewFields(prev.ID, map[string]*fieldProp{"p": {Type: "CHECK_BOX", Options: opts("x"), DefaultValue: []string{"x"}}}, -1); err != nil {
		t.Fatal(err)
	}
	up := upload(t, s, "doc.txt", "document")
	pending = upload(t, s, "later.txt", "later")
	add(t, s, user, app, in("text", `"t1"`, "num", `"12"`, "file", keys(up), "users", `[{"code":"sato"}]`,
		"items", `[{"value":{"item":{"value":"pen"},"qty":{"value":"2"},"price":{"value":"3"}}}]`))
	add(t, s, admin, keyed, in("sku", `"A"`, "Created_by", `{"code":"imp"}`), in("sku", `"B"`), in("sku", `"C"`))
	if _, err := update(s, user, keyed, false, false, UpdateItem{Key: &UpdateKey{Field: "sku", Value: "B"}, Revision: -1, Record: in("qty", `"5"`)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(user, func(tx *Tx) error { return tx.Delete(keyed, []int64{3}, nil) }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdatePreviewFields(app, map[string]*fieldProp{"text": {Code: "title"}}, -1); err != nil {
		t.Fatal(err)
	}
	if err := s.Deploy([]int64{app}, false); err != nil {
		t.Fatal(err)
	}
	attachment = filesOfRecord(t, s, app, 1, "file")[0].FileKey
	return []int64{app, keyed, prev.ID}, attachment, pending
}

// sameState asserts that two stores hold the same apps and records.
func sameState(t *testing.T, a, b *Store) {
	t.Helper()
	if !reflect.DeepEqual(a.Apps(), b.Apps()) {
		t.Fatalf("apps differ after reopen:\n%+v\n%+v", a.Apps(), b.Apps())
	}
	for _, app := range a.Apps() {
		ra, fa, _ := a.Records(app.ID)
		rb, fb, _ := b.Records(app.ID)
		if !reflect.DeepEqual(fa, fb) {
			t.Fatalf("live form of app %d differs", app.ID)
		}
		if len(ra) != len(rb) {
			t.Fatalf("app %d: %d records, reopened %d", app.ID, len(ra), len(rb))
		}
		for i := range ra {
			if !reflect.DeepEqual(ra[i], rb[i]) {
				t.Fatalf("app %d record %d differs:\n%+v\n%+v", app.ID, ra[i].ID, ra[i], rb[i])
			}
		}
		if a.cur.Load().apps[app.ID].nextID != b.cur.Load().apps[app.ID].nextID {
			t.Fatalf("app %d: next ID differs", app.ID)
		}
	}
}

func TestReopenReplaysJournal(t *testing.T) {
	for _, viaClose := range []bool{false, true} {
		t.Run(fmt.Sprintf("close=%v", viaClose), func(t *testing.T) {
			dir := t.TempDir()
			s := openDir(t, dir, 0)
			apps, attachment, pending := populate(t, s)
			if viaClose {
				if err := s.Close(); err != nil {
					t.Fatal(err)
				}
				if _, err := os.Stat(filepath.Join(dir, snapshotName)); err != nil {
					t.Fatalf("Close wrote no snapshot: %v", err)
				}
			} else {
				crash(s)
			}
			r := openDir(t, dir, 0)
			defer r.Close()
			sameState(t, s, r)
			download(t, r, attachment, "document")
			// The unique index is rebuilt, IDs continue, the pending upload
			// can still be attached.
			keyed := apps[1]
			wantCode(t, tryAdd(r, user, keyed, true, in("sku", `"A"`)), "CB_VA01")
			res := add(t, r, user, keyed, in("sku", `"C"`))
			deepEqual(t, "next id", res, []IDRev{{ID: 4, Revision: 1}})
			add(t, r, user, apps[0], in("file", keys(pending)))
			add(t, r, user, apps[2], Input{})
		})
	}
}

func TestCompaction(t *testing.T) {
	dir := t.TempDir()
	s := openDir(t, dir, 4096)
	app := mustApp(t, s, keyedSpec())
	for i := 0; i < 60; i++ {
		add(t, s, user, app, in("sku", jsonOf(fmt.Sprintf("k%03d", i)), "rows", `[{"value":{"x":{"value":"some text to grow the journal"}}}]`))
	}
	if err := s.waitCompaction(); err != nil {
		t.Fatal(err)
	}
	if s.jr.gen < 2 {
		t.Fatalf("journal generation %d: no compaction happened", s.jr.gen)
	}
	names, _ := filepath.Glob(filepath.Join(dir, journalPrefix+"*"))
	if len(names) != 1 || names[0] != journalPath(dir, s.jr.gen) {
		t.Fatalf("journals on disk: %v (generation %d)", names, s.jr.gen)
	}
	crash(s)
	r := openDir(t, dir, 4096)
	sameState(t, s, r)
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestOpenCleansStaleFiles(t *testing.T) {
	dir := t.TempDir()
	s := openDir(t, dir, 0)
	mustApp(t, s, AppSpec{Name: "x"})
	if err := s.Close(); err != nil { // snapshot gen 1, journal-1.log
		t.Fatal(err)
	}
	stale := []string{snapshotTmp, journalPrefix + "0" + journalSuffix, journalPrefix + "7" + journalSuffix, "files/orphan"}
	for _, n := range stale {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("junk"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := openDir(t, dir, 0)
	defer r.Close()
	if len(r.Apps()) != 1 {
		t.Fatalf("%d apps", len(r.Apps()))
	}
	for _, n := range stale {
		if _, err := os.Stat(filepath.Join(dir, n)); !os.IsNotExist(err) {
			t.Errorf("%s was not removed", n)
		}
	}
}

func TestTornAndCorruptJournal(t *testing.T) {
	prepare := func(t *testing.T) (dir, journal string, size int64) {
		dir = t.TempDir()
		s := openDir(t, dir, 0)
		app := mustApp(t, s, keyedSpec())
		add(t, s, user, app, in("sku", `"A"`))
		crash(s)
		journal = journalPath(dir, 0)
		st, err := os.Stat(journal)
		if err != nil {
			t.Fatal(err)
		}
		return dir, journal, st.Size()
	}
	appendBytes := func(t *testing.T, path string, b []byte) {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	goodEntry := func(t *testing.T) []byte {
		b, err := frame(&entry{Op: opWrite, Recs: []recsJSON{{App: 1, NextID: 3, NextRow: 1,
			Put: []recJSON{{ID: 2, Rev: 1, V: map[string]valJSON{"sku": {K: "s", S: "B"}}}}}}})
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	torn := map[string]func([]byte) []byte{
		"header cut":     func(b []byte) []byte { return b[:5] },
		"payload cut":    func(b []byte) []byte { return b[:len(b)-3] },
		"bad checksum":   func(b []byte) []byte { c := append([]byte{}, b...); c[len(c)-2] ^= 0xff; return c },
		"zeros":          func(b []byte) []byte { return make([]byte, 40) },
		"complete entry": func(b []byte) []byte { return b },
	}
	for name, damage := range torn {
		t.Run(name, func(t *testing.T) {
			dir, journal, size := prepare(t)
			appendBytes(t, journal, damage(goodEntry(t)))
			s := openDir(t, dir, 0)
			defer s.Close()
			recs, _, _ := s.Records(1)
			want := 1
			if name == "complete entry" {
				want = 2
			}
			if len(recs) != want {
				t.Fatalf("%d records, want %d", len(recs), want)
			}
			if want == 1 {
				if st, _ := os.Stat(journal); st.Size() != size {
					t.Fatalf("torn entry not truncated: size %d, want %d", st.Size(), size)
				}
			}
			// Writing after the repair appends cleanly.
			add(t, s, user, 1, in("sku", `"Z"`))
			crash(s)
			r := openDir(t, dir, 0)
			defer r.Close()
			recs, _, _ = r.Records(1)
			if len(recs) != want+1 || recs[len(recs)-1].Values["sku"] != "Z" {
				t.Fatalf("after repair: %d records", len(recs))
			}
		})
	}

	t.Run("corrupt middle", func(t *testing.T) {
		dir, journal, _ := prepare(t)
		appendBytes(t, journal, goodEntry(t))
		data, _ := os.ReadFile(journal)
		data[frameHeader+2] ^= 0xff // inside the first entry, which is followed by others
		if err := os.WriteFile(journal, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Open(Options{Dir: dir})
		if err == nil || !strings.Contains(err.Error(), journal) || !strings.Contains(err.Error(), "offset 0") {
			t.Fatalf("Open: %v", err)
		}
	})
	t.Run("impossible length", func(t *testing.T) {
		dir, journal, size := prepare(t)
		b := goodEntry(t)
		b[3] = 0x7f // a length no entry has, not the prefix of a write
		appendBytes(t, journal, b)
		_, err := Open(Options{Dir: dir})
		if err == nil || !strings.Contains(err.Error(), "offset "+strconv.FormatInt(size, 10)) {
			t.Fatalf("Open: %v", err)
		}
	})
	t.Run("unknown app in entry", func(t *testing.T) {
		dir, journal, size := prepare(t)
		b, _ := frame(&entry{Op: opWrite, Recs: []recsJSON{{App: 99}}})
		appendBytes(t, journal, append(b, goodEntry(t)...))
		_, err := Open(Options{Dir: dir})
		if err == nil || !strings.Contains(err.Error(), "offset "+strconv.FormatInt(size, 10)) || !strings.Contains(err.Error(), "app 99") {
			t.Fatalf("Open: %v", err)
		}
	})
	t.Run("corrupt snapshot", func(t *testing.T) {
		dir := t.TempDir()
		s := openDir(t, dir, 0)
		mustApp(t, s, AppSpec{Name: "x"})
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
		snap := filepath.Join(dir, snapshotName)
		data, _ := os.ReadFile(snap)
		if err := os.WriteFile(snap, data[:len(data)-1], 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Open(Options{Dir: dir})
		if err == nil || !strings.Contains(err.Error(), snap) {
			t.Fatalf("Open: %v", err)
		}
	})
}

// crashEnv names the directory a crash child writes to; crashStageEnv,
// when set, the compaction stage at which the child's first compaction
// stops for good (the child goes on writing).
const (
	crashEnv      = "STORE_CRASH_CHILD_DIR"
	crashStageEnv = "STORE_CRASH_CHILD_STAGE"
)

// lockedWriter serializes the child's lines from its two goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  *bufio.Writer
}

func (l *lockedWriter) println(a ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintln(l.w, a...)
	l.w.Flush()
}

// TestCrashChild is the child process of TestKillNine and
// TestKillNineDuringCompaction: it writes records until it is killed,
// printing "ack <id> <sku>" after each acknowledged write, and "paused
// <stage>" when its compaction stops at $STORE_CRASH_CHILD_STAGE. It does
// nothing in a normal test run.
func TestCrashChild(t *testing.T) {
	dir := os.Getenv(crashEnv)
	if dir == "" {
		t.Skip("only runs as the child of TestKillNine")
	}
	s, err := Open(Options{Dir: dir, CompactBytes: 32 << 10})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	out := &lockedWriter{w: bufio.NewWriter(os.Stdout)}
	if stage := os.Getenv(crashStageEnv); stage != "" {
		s.compactHook = func(at string) {
			if at == stage {
				out.println("paused", at)
				select {} // until killed
			}
		}
	}
	app, err := s.CreateApp(keyedSpec())
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	for i := 0; ; i++ {
		sku := fmt.Sprintf("sku-%05d", i)
		var ids []IDRev
		err := s.Write(user, func(tx *Tx) error {
			var err error
			ids, err = tx.Add(app.ID, []Input{in("sku", jsonOf(sku), "rows", `[{"value":{"x":{"value":"row"}}}]`)}, false)
			return err
		})
		if err != nil {
			out.println("error", err)
			os.Exit(2)
		}
		out.println("ack", ids[0].ID, sku)
	}
}

func TestKillNine(t *testing.T) {
	if os.Getenv(crashEnv) != "" {
		t.Skip("in the child")
	}
	dir := t.TempDir()
	for round := 0; round < 2; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashEnv+"="+dir)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		acked := map[int64]string{}
		sc := bufio.NewScanner(stdout)
		for sc.Scan() && len(acked) < 120 {
			var id int64
			var sku string
			if _, err := fmt.Sscanf(sc.Text(), "ack %d %s", &id, &sku); err != nil {
				_ = cmd.Process.Kill()
				t.Fatalf("child said %q", sc.Text())
			}
			acked[id] = sku
		}
		if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		if len(acked) < 120 {
			t.Fatalf("child stopped after %d acknowledgements", len(acked))
		}
		s := openDir(t, dir, 32<<10)
		if s.jr.gen == 0 {
			t.Fatal("the child never compacted: the crash did not exercise compaction")
		}
		app := s.Apps()[round].ID
		for id, sku := range acked {
			r, ok := s.Record(app, id)
			if !ok || r.Values["sku"] != sku {
				t.Fatalf("round %d: acknowledged record %d (%s) lost after kill -9", round, id, sku)
			}
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestKillNineDuringCompaction kills a writing process with SIGKILL while
// its compaction is stopped at each stage (and the process has gone on
// writing past it): every acknowledged write is found after reopening.
func TestKillNineDuringCompaction(t *testing.T) {
	if os.Getenv(crashEnv) != "" {
		t.Skip("in the child")
	}
	for _, stage := range []string{"switched", "writing", "written", "renamed"} {
		t.Run(stage, func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
			cmd.Env = append(os.Environ(), crashEnv+"="+dir, crashStageEnv+"="+stage)
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			acked := map[int64]string{}
			afterPause := -1 // acknowledgements since the pause
			sc := bufio.NewScanner(stdout)
			for afterPause < 60 && sc.Scan() {
				line := sc.Text()
				if line == "paused "+stage {
					afterPause = 0
					continue
				}
				var id int64
				var sku string
				if _, err := fmt.Sscanf(line, "ack %d %s", &id, &sku); err != nil {
					_ = cmd.Process.Kill()
					_ = cmd.Wait()
					t.Fatalf("child said %q", line)
				}
				acked[id] = sku
				if afterPause >= 0 {
					afterPause++
				}
			}
			if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			_ = cmd.Wait()
			if afterPause < 60 {
				t.Fatalf("the child stopped %d acknowledgements after the pause at %s", afterPause, stage)
			}
			s := openDir(t, dir, 32<<10)
			defer s.Close()
			app := s.Apps()[0].ID
			for id, sku := range acked {
				r, ok := s.Record(app, id)
				if !ok || r.Values["sku"] != sku {
					t.Fatalf("acknowledged record %d (%s) lost after kill -9 at %s", id, sku, stage)
				}
			}
			recs, _, _ := s.Records(app)
			if len(recs) < len(acked) {
				t.Fatalf("%d records, %d acknowledged", len(recs), len(acked))
			}
		})
	}
}
