package store

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"
)

// benchRecords is how many records the compaction and replay benchmarks
// build: $STORE_BENCH_RECORDS, or 20,000 (the issue measured 694,000).
func benchRecords(b *testing.B) int {
	if v := os.Getenv("STORE_BENCH_RECORDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatal(err)
		}
		return n
	}
	return 20_000
}

// buildJournal writes a journal of n records to dir: an app, then adds of
// 100 records as the driver batches them. The first record is added
// through the store; the others are copies of it with their own ID and
// sku, framed directly, which takes a fraction of the time validation
// would.
func buildJournal(b testing.TB, dir string, n int) {
	b.Helper()
	s, err := Open(Options{Dir: dir, Clock: fixedClock, CompactBytes: 1 << 40})
	if err != nil {
		b.Fatal(err)
	}
	a, err := s.CreateApp(keyedSpec())
	if err != nil {
		b.Fatal(err)
	}
	err = s.Write(user, func(tx *Tx) error {
		_, err := tx.Add(a.ID, []Input{in("sku", `"sku-0000000"`, "plain", `"some plain text"`,
			"qty", `"1"`, "dd", `"a"`, "cb", `["b"]`,
			"rows", `[{"value":{"x":{"value":"row text"},"y":{"value":"7"}}}]`)}, false)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	model, _ := s.Record(a.ID, 1)
	s.wmu.Lock()
	defer s.wmu.Unlock()
	for i := 2; i <= n; i += 100 {
		rj := recsJSON{App: a.ID}
		for id := int64(i); id < int64(min(i+100, n+1)); id++ {
			r := &Record{ID: id, Revision: 1, Values: map[string]any{}}
			for k, v := range model.Values {
				r.Values[k] = v
			}
			r.Values["sku"] = fmt.Sprintf("sku-%07d", id)
			rows := append([]Row(nil), model.Values["rows"].([]Row)...)
			rows[0].ID = id
			r.Values["rows"] = rows
			rj.Put = append(rj.Put, encodeRecord(r))
			rj.NextID, rj.NextRow = id+1, id+1
		}
		if err := s.jr.append(&entry{Op: opWrite, Time: testNow, Recs: []recsJSON{rj}}); err != nil {
			b.Fatal(err)
		}
	}
	_ = s.jr.close()
	s.closed = true
}

// BenchmarkReplayJournal measures Open of a journal of benchRecords
// records (no snapshot).
func BenchmarkReplayJournal(b *testing.B) {
	dir := b.TempDir()
	buildJournal(b, dir, benchRecords(b))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := Open(Options{Dir: dir, Clock: fixedClock, CompactBytes: 1 << 40})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.wmu.Lock()
		_ = s.jr.close()
		s.closed = true
		s.wmu.Unlock()
		b.StartTimer()
	}
}

// BenchmarkReplaySnapshot measures Open of a snapshot of benchRecords
// records (an empty journal).
func BenchmarkReplaySnapshot(b *testing.B) {
	dir := b.TempDir()
	buildJournal(b, dir, benchRecords(b))
	s, err := Open(Options{Dir: dir, Clock: fixedClock})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Close(); err != nil { // writes the snapshot
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := Open(Options{Dir: dir, Clock: fixedClock, CompactBytes: 1 << 40})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.wmu.Lock()
		_ = s.jr.close()
		s.closed = true
		s.wmu.Unlock()
		b.StartTimer()
	}
}

// BenchmarkWriteDuringCompaction reports how long writes wait while a
// compaction of benchRecords records runs: the write that triggers it and
// the slowest of the writes made meanwhile by another goroutine (a first
// write, outside the measure, builds the unique index).
func BenchmarkWriteDuringCompaction(b *testing.B) {
	dir := b.TempDir()
	buildJournal(b, dir, benchRecords(b))
	for i := 0; i < b.N; i++ {
		s, err := Open(Options{Dir: dir, Clock: fixedClock, CompactBytes: 1 << 40})
		if err != nil {
			b.Fatal(err)
		}
		// A first write builds the unique index, which is not the
		// compaction's cost; then any write compacts.
		if err := s.Write(user, func(tx *Tx) error { _, err := tx.Add(1, []Input{in("plain", `"warm"`)}, false); return err }); err != nil {
			b.Fatal(err)
		}
		s.wmu.Lock()
		s.opts.CompactBytes = 1
		s.wmu.Unlock()
		var (
			wg      sync.WaitGroup
			stop    = make(chan struct{})
			slowest time.Duration
			writes  int
		)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; ; k++ {
				select {
				case <-stop:
					return
				default:
				}
				t0 := time.Now()
				err := s.Write(user, func(tx *Tx) error {
					_, err := tx.Add(1, []Input{in("plain", `"side"`)}, false)
					return err
				})
				if err != nil {
					b.Error(err)
					return
				}
				slowest = max(slowest, time.Since(t0))
				writes++
			}
		}()
		t0 := time.Now()
		if err := s.Write(user, func(tx *Tx) error { _, err := tx.Add(1, []Input{in("plain", `"trigger"`)}, false); return err }); err != nil {
			b.Fatal(err)
		}
		trigger := time.Since(t0)
		s.waitCompaction()
		close(stop)
		wg.Wait()
		b.ReportMetric(float64(trigger.Milliseconds()), "trigger-ms")
		b.ReportMetric(float64(slowest.Milliseconds()), "slowest-ms")
		b.ReportMetric(float64(writes), "side-writes")
		b.StopTimer()
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// BenchmarkCloseCompacts measures Close of a store of benchRecords
// records: it writes the whole snapshot.
func BenchmarkCloseCompacts(b *testing.B) {
	dir := b.TempDir()
	buildJournal(b, dir, benchRecords(b))
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := Open(Options{Dir: dir, Clock: fixedClock})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
