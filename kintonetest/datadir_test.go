package kintonetest

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// withCompactBytes makes the store compact its journal past n bytes
// instead of 64 MiB, so that tests reach a compaction with a few writes.
func withCompactBytes(n int64) Option { return func(c *config) { c.compactBytes = n } }

// syncBuffer is a bytes.Buffer safe for the store's background writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestDataDirCompactionProblemIsLoggedAndReturned puts a journal the
// emulator did not write where its next compaction starts the next
// journal (as a second emulator on the same --data directory would): the
// error logger gets a line naming the file, the writes after it fail with
// that error, and so does Close, which is what kintone-emulator exits
// with.
func TestDataDirCompactionProblemIsLoggedAndReturned(t *testing.T) {
	dir := t.TempDir()
	var errLog syncBuffer
	srv, err := NewServer(WithDataDir(dir), WithErrorLogger(&errLog), withCompactBytes(4096))
	if err != nil {
		t.Fatal(err)
	}
	app := testApp(t, srv)
	journals, _ := filepath.Glob(filepath.Join(dir, "journal-*.log"))
	var last int
	for _, j := range journals {
		var g int
		if _, err := fmt.Sscanf(filepath.Base(j), "journal-%d.log", &g); err == nil && g > last {
			last = g
		}
	}
	foreign := filepath.Join(dir, fmt.Sprintf("journal-%d.log", last+1))
	if err := os.WriteFile(foreign, []byte("another emulator's journal"), 0o644); err != nil {
		t.Fatal(err)
	}
	var werr error
	for i := 0; i < 2000 && werr == nil; i++ {
		_, werr = srv.AddRecords(app, Record{"title": fmt.Sprintf("r%d", i), "num": fmt.Sprint(i)})
	}
	if werr == nil || !strings.Contains(werr.Error(), foreign) {
		t.Fatalf("writes: %v, want an error naming %s", werr, foreign)
	}
	if got := errLog.String(); !strings.Contains(got, foreign) || strings.Count(got, "\n") != 1 {
		t.Fatalf("error log %q, want one line naming %s", got, foreign)
	}
	if err := srv.Close(); err == nil || !strings.Contains(err.Error(), foreign) {
		t.Fatalf("Close: %v, want an error naming %s", err, foreign)
	}
}

// TestFlagsQuietKeepsTheErrorLog checks that --quiet silences the
// request log only: the problems the server meets outside any request
// still reach the log.
func TestFlagsQuietKeepsTheErrorLog(t *testing.T) {
	for _, quiet := range []bool{false, true} {
		fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
		fl := RegisterFlags(fs)
		if err := fs.Parse([]string{fmt.Sprintf("--quiet=%v", quiet), "--data", t.TempDir()}); err != nil {
			t.Fatal(err)
		}
		var log bytes.Buffer
		opts, err := fl.Options(&log)
		if err != nil {
			t.Fatal(err)
		}
		cfg := defaultConfig()
		for _, o := range opts {
			o(&cfg)
		}
		if cfg.errLogger != &log {
			t.Errorf("--quiet=%v: the error logger is %v, want the log", quiet, cfg.errLogger)
		}
		if (cfg.logger == nil) != quiet {
			t.Errorf("--quiet=%v: request logger %v", quiet, cfg.logger)
		}
	}
}
