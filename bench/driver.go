package main

import (
	"context"
	"database/sql"
	"fmt"
	"runtime"
	"runtime/metrics"
	"sync"
	"time"

	_ "github.com/kintone-sql/kintone" // the driver under test
)

// driverResult is what one driver run measured.
type driverResult struct {
	Wall          time.Duration `json:"wallNs"`
	Rows          int           `json:"rows"`          // rows read, the count, or rows affected
	HeapPeak      uint64        `json:"heapPeak"`      // high-water of heap objects (live or unswept) above the heap at the start, bytes
	Mallocs       uint64        `json:"mallocs"`       // heap allocations during the job
	AllocBytes    uint64        `json:"allocBytes"`    // bytes allocated during the job
	SetupRequests int64         `json:"setupRequests"` // requests the warm-up made (schema), not counted in the job
	PeakRSS       int64         `json:"peakRSS"`       // the process's peak resident set, bytes (0: unknown)
	CPU           time.Duration `json:"cpuNs"`         // the process's CPU time (user and system) during the job
	HasCPU        bool          `json:"hasCPU"`        // whether CPU could be measured
}

// hooks are what runDriverJob calls outside the job's clock.
type hooks struct {
	// setup reports how many requests the warm-up made (-1: unknown).
	setup func() (int64, error)
	// reset zeroes the emulator's counters.
	reset func() error
	// mark, when not nil, is told "start" right before the clock starts
	// and "end" right after it stops (marks.go).
	mark func(event string) error
}

// runDriverJob runs t through db and measures it. Before the clock starts
// it warms the connector's schema cache with a statement that reads no
// records (a program that runs queries pays for the schema once) and
// calls h.reset, which zeroes the emulator's counters. The result is an
// error when the job read, counted or changed a number of rows other than
// t.Want.
func runDriverJob(ctx context.Context, db *sql.DB, t task, h hooks) (driverResult, error) {
	var res driverResult
	query, args := driverSQL(t)
	// LIMIT 0 resolves the table and its fields without reading records
	// (both tables of a join, the source and target of a copy).
	for _, table := range []string{t.Table, t.Customers, t.Target} {
		if table == "" {
			continue
		}
		warm, err := db.QueryContext(ctx, "SELECT * FROM `"+table+"` LIMIT 0")
		if err != nil {
			return res, fmt.Errorf("warm-up: %w", err)
		}
		if err := warm.Close(); err != nil {
			return res, fmt.Errorf("warm-up: %w", err)
		}
	}
	var err error
	if res.SetupRequests, err = h.setup(); err != nil {
		return res, err
	}
	if err := h.reset(); err != nil {
		return res, err
	}

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	// The heap at the start holds what the job was given (an INSERT's
	// arguments) and the connector's schema: the peak counts what the job
	// added.
	peak := startHeapSampler()
	if h.mark != nil {
		if err := h.mark("start"); err != nil {
			return res, err
		}
	}
	cpu0, cpuOK0 := processCPU()
	start := time.Now()
	switch t.Job {
	case "insert", "update", "delete", "insert-select":
		res.Rows, err = execJob(ctx, db, query, args)
	case "count":
		res.Rows, err = countJob(ctx, db, query)
	default:
		res.Rows, err = readJob(ctx, db, query)
	}
	res.Wall = time.Since(start)
	cpu1, cpuOK1 := processCPU()
	res.CPU, res.HasCPU = cpu1-cpu0, cpuOK0 && cpuOK1
	if h.mark != nil {
		if merr := h.mark("end"); merr != nil && err == nil {
			err = merr
		}
	}
	if p := peak(); p > before.HeapAlloc {
		res.HeapPeak = p - before.HeapAlloc
	}
	runtime.ReadMemStats(&after)
	res.Mallocs = after.Mallocs - before.Mallocs
	res.AllocBytes = after.TotalAlloc - before.TotalAlloc
	res.PeakRSS = peakRSS()
	if err != nil {
		return res, fmt.Errorf("%s: %w", t.Job, err)
	}
	if res.Rows != t.Want {
		return res, fmt.Errorf("%s: the driver got %d rows, want %d", t.Job, res.Rows, t.Want)
	}
	return res, nil
}

// readJob reads every row of query into generic values, as a program that
// does not know the columns would.
func readJob(ctx context.Context, db *sql.DB, query string) (int, error) {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	return n, rows.Close()
}

// countJob runs a COUNT(*) query.
func countJob(ctx context.Context, db *sql.DB, query string) (int, error) {
	var n int
	err := db.QueryRowContext(ctx, query).Scan(&n)
	return n, err
}

// execJob runs a write and returns the rows it affected.
func execJob(ctx context.Context, db *sql.DB, query string, args []any) (int, error) {
	r, err := db.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	n, err := r.RowsAffected()
	return int(n), err
}

// heapMetric is the runtime/metrics name of HeapAlloc: bytes of heap
// objects, live or not yet swept. Reading it does not stop the world, so
// it can be sampled often without slowing the job.
const heapMetric = "/memory/classes/heap/objects:bytes"

// heapSampleEvery is how often the sampler reads the heap size. A page of
// 500 records takes milliseconds to decode, so a peak between two samples
// is a small fraction of a page.
const heapSampleEvery = time.Millisecond

// startHeapSampler samples the heap size until the returned function is
// called, which stops the sampler and returns the highest size seen.
func startHeapSampler() (stop func() uint64) {
	sample := []metrics.Sample{{Name: heapMetric}}
	read := func() uint64 {
		metrics.Read(sample)
		if sample[0].Value.Kind() != metrics.KindUint64 {
			return 0 // not reported by this runtime
		}
		return sample[0].Value.Uint64()
	}
	var (
		mu   sync.Mutex
		peak = read()
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	observe := func() {
		v := read()
		mu.Lock()
		peak = max(peak, v)
		mu.Unlock()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(heapSampleEvery)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				observe()
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		observe()
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}
