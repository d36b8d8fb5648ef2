package store

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
)

// skuInput is a record of keyedSpec with a subtable row, big enough for a
// few dozen to outgrow a 4 KiB journal.
func skuInput(i int) Input {
	return in("sku", jsonOf(fmt.Sprintf("k%05d", i)), "rows", `[{"value":{"x":{"value":"some text to grow the journal"}}}]`)
}

// TestWriteDuringCompactionIsNotBlocked holds a compaction after it wrote
// its snapshot (test hook) and checks that meanwhile the write lock is
// free and a write completes; then that the compaction finishes and a
// reopen holds every write.
func TestWriteDuringCompactionIsNotBlocked(t *testing.T) {
	dir := t.TempDir()
	s := openDir(t, dir, 4096)
	app := mustApp(t, s, keyedSpec())
	if err := s.waitCompaction(); err != nil { // one the app may have started
		t.Fatal(err)
	}

	var started atomic.Bool
	writerStopped := make(chan struct{})
	stopWriter := make(chan struct{})
	paused := make(chan struct{})
	release := make(chan struct{})
	s.compactHook = func(stage string) {
		switch stage {
		case "switched":
			started.Store(true)
			<-writerStopped // no write is running from here on
		case "written":
			close(paused)
			<-release
		}
	}
	written := atomic.Int64{}
	go func() {
		defer close(writerStopped)
		for i := 0; !started.Load(); i++ {
			select {
			case <-stopWriter:
				return
			default:
			}
			if err := tryAdd(s, user, app, true, skuInput(i)); err != nil {
				t.Error(err)
				return
			}
			written.Add(1)
		}
	}()
	<-paused
	lockFree := s.wmu.TryLock()
	if lockFree {
		s.wmu.Unlock()
	} else {
		t.Error("the write lock is held while the compaction writes its snapshot")
		close(stopWriter)
		close(release)
		<-writerStopped
		return
	}
	// A write completes while the compaction is held.
	add(t, s, user, app, skuInput(int(written.Load())))
	s.wmu.Lock()
	c := s.compacting
	s.wmu.Unlock()
	select {
	case <-c.done:
		t.Fatal("the compaction finished while it was held")
	default:
	}
	close(release)
	if err := s.waitCompaction(); err != nil {
		t.Fatal(err)
	}
	recs, _, _ := s.Records(app)
	if int64(len(recs)) != written.Load()+1 {
		t.Fatalf("%d records, want %d", len(recs), written.Load()+1)
	}
	crash(s)
	r := openDir(t, dir, 4096)
	defer r.Close()
	sameState(t, s, r)
}

// copyDir copies a store directory as a crash would leave it on disk.
func copyDir(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.Walk(from, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if info.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		src, err := os.Open(p)
		if err != nil {
			return err
		}
		defer src.Close()
		out, err := os.Create(dst)
		if err != nil {
			return err
		}
		defer out.Close()
		_, err = io.Copy(out, src)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestCrashDuringCompactionLosesNothing holds a compaction at each of its
// stages, writes meanwhile, and opens a copy of the directory taken there,
// as a crash at that point would leave it: every acknowledged write is in
// it. Then the compaction finishes and the directory itself reopens to the
// same state.
func TestCrashDuringCompactionLosesNothing(t *testing.T) {
	for _, stage := range []string{"switched", "writing", "written", "renamed"} {
		t.Run(stage, func(t *testing.T) {
			dir := t.TempDir()
			s := openDir(t, dir, 4096)
			app := mustApp(t, s, keyedSpec())
			fapp := mustApp(t, s, fileSpec())
			before := upload(t, s, "before.txt", "before")
			if err := s.waitCompaction(); err != nil { // one the app may have started
				t.Fatal(err)
			}
			paused := make(chan struct{})
			release := make(chan struct{})
			s.compactHook = func(at string) {
				if at == stage {
					close(paused)
					<-release
				}
			}
			gen := s.jr.gen
			i := 0
			for ; ; i++ {
				add(t, s, user, app, skuInput(i))
				s.wmu.Lock()
				switched := s.jr.gen > gen
				s.wmu.Unlock()
				if switched {
					break
				}
			}
			<-paused
			// Writes of every kind while the compaction is held there.
			for j := 0; j < 20; j++ {
				add(t, s, user, app, skuInput(i+1+j))
			}
			if _, err := update(s, user, app, false, true, UpdateItem{ID: 2, Revision: -1, Record: in("qty", `"9"`)}); err != nil {
				t.Fatal(err)
			}
			if err := s.Write(user, func(tx *Tx) error { return tx.Delete(app, []int64{3}, nil) }); err != nil {
				t.Fatal(err)
			}
			during := upload(t, s, "during.txt", "during")
			add(t, s, user, fapp, in("f", keys(before), "g", keys(during)))
			attached := filesOfRecord(t, s, fapp, 1, "f")[0].FileKey
			attached2 := filesOfRecord(t, s, fapp, 1, "g")[0].FileKey
			copied := t.TempDir()
			copyDir(t, dir, copied)
			c := openDir(t, copied, 4096)
			sameState(t, s, c)
			download(t, c, attached, "before")
			download(t, c, attached2, "during")
			if err := c.Close(); err != nil {
				t.Fatal(err)
			}

			close(release)
			if err := s.waitCompaction(); err != nil {
				t.Fatal(err)
			}
			names, _ := filepath.Glob(filepath.Join(dir, journalPrefix+"*"))
			if len(names) != 1 || names[0] != journalPath(dir, s.jr.gen) {
				t.Fatalf("journals after the compaction: %v (generation %d)", names, s.jr.gen)
			}
			crash(s)
			r := openDir(t, dir, 4096)
			defer r.Close()
			sameState(t, s, r)
			download(t, r, attached, "before")
			download(t, r, attached2, "during")
		})
	}
}

// TestReplayAllocatesLittlePerRecord counts what Open allocates to replay
// a journal of 3,000 records, and then a snapshot of them: record writes
// are decoded straight into records, not through encoding/json and the
// journal's intermediate forms, and the files are read frame by frame.
func TestReplayAllocatesLittlePerRecord(t *testing.T) {
	const n = 3000
	dir := t.TempDir()
	buildJournal(t, dir, n)
	measure := func(what string) {
		var before, after runtime.MemStats
		var s *Store
		runtime.GC()
		runtime.ReadMemStats(&before)
		s, err := Open(Options{Dir: dir, Clock: fixedClock})
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		recs, _, _ := s.Records(1)
		if len(recs) != n {
			t.Fatalf("%s: %d records, want %d", what, len(recs), n)
		}
		allocs := float64(after.Mallocs-before.Mallocs) / n
		bytes := float64(after.TotalAlloc-before.TotalAlloc) / n
		t.Logf("%s: %.1f allocations and %.0f bytes per record", what, allocs, bytes)
		if allocs > 60 || bytes > 4000 {
			t.Errorf("%s: %.1f allocations and %.0f bytes per record, want at most 60 and 4000", what, allocs, bytes)
		}
		if err := s.Close(); err != nil { // the next Open reads the snapshot
			t.Fatal(err)
		}
	}
	measure("journal")
	measure("snapshot")
}

// TestConcurrentWritesDuringCompactionsKeepEveryRecord writes from four
// goroutines into a store that compacts every few writes, so that
// snapshots are written while records are added: every record is there,
// live and after a reopen (and -race sees the snapshot writer and the
// writers share no memory unsafely).
func TestConcurrentWritesDuringCompactionsKeepEveryRecord(t *testing.T) {
	dir := t.TempDir()
	s := openDir(t, dir, 4096)
	app := mustApp(t, s, keyedSpec())
	const writers, each = 4, 60
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if err := tryAdd(s, user, app, true, skuInput(w*each+i)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := s.waitCompaction(); err != nil {
		t.Fatal(err)
	}
	if s.jr.gen < 3 {
		t.Fatalf("journal generation %d: too few compactions to test", s.jr.gen)
	}
	if recs, _, _ := s.Records(app); len(recs) != writers*each {
		t.Fatalf("%d records, want %d", len(recs), writers*each)
	}
	crash(s)
	r := openDir(t, dir, 4096)
	defer r.Close()
	sameState(t, s, r)
}
