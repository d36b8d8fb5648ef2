package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/kintonetest"
)

// smokeEnv starts an emulator (no latency) with an app of n records, the
// way the command does.
func smokeEnv(t *testing.T, n int) *env {
	t.Helper()
	e, err := startEnv(0, []int{n}, jobs, "", &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.close() })
	return e
}

// testHooks are runDriverJob's hooks for a driver in the test's process:
// the emulator's counters read and reset directly, the marks posted.
func testHooks(e *env) hooks {
	return hooks{
		setup: func() (int64, error) { return e.srv.Stats().Requests, nil },
		reset: func() error { e.srv.ResetStats(); return nil },
		mark:  func(event string) error { return postMark(context.Background(), e.marks.url, event) },
	}
}

// TestDriverJobsSmoke runs every job once through the driver, in this
// process, on an app of 200 records: each reads, counts or changes the
// rows it must (runDriverJob checks), the emulator's counters see its
// requests and nothing else, CPU time is measured on both sides of the
// marks, the copy is checked and emptied, and the round leaves the app as
// it found it. The official client's side runs only from the command (it
// needs Node).
func TestDriverJobsSmoke(t *testing.T) {
	const records, n = 200, 20
	e := smokeEnv(t, records)
	db, err := sql.Open("kintone", e.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	_, cpuKnown := processCPU()
	var results []result
	for _, j := range jobs {
		r := result{records: records, n: n, job: j, min: minRequests(j.key, records, n),
			floor: floorRequests(j.key, records, n), want: want(j.key, records, n)}
		tk := e.task(j, sideDriver, records, n, 1, r.want)
		e.marks.reset()
		res, err := runDriverJob(ctx, db, tk, testHooks(e))
		if err != nil {
			t.Fatalf("%s: %v", j.key, err)
		}
		smp, err := e.measure(driverRunResult(res))
		if err != nil {
			t.Fatalf("%s: %v", j.key, err)
		}
		if smp.requests < 1 || smp.requests > int64(r.min)+1 {
			t.Errorf("%s: %d requests counted, want 1 to %d (the minimum %d, +1 for a cursor or a last empty page)",
				j.key, smp.requests, r.min+1, r.min)
		}
		if res.Mallocs == 0 || (j.key == "read-all" && res.HeapPeak == 0) {
			t.Errorf("%s: no memory measured: %+v", j.key, res)
		}
		if cpuKnown && (!smp.run.HasCPU || !smp.hasEmuCPU || smp.run.CPU <= 0 || smp.emuCPU < 0) {
			t.Errorf("%s: CPU time not measured: driver %v %.3f ms, emulator %v %.3f ms",
				j.key, smp.run.HasCPU, smp.run.CPU, smp.hasEmuCPU, smp.emuCPU)
		}
		if j.copy {
			if err := finishCopy(ctx, e, tk.TargetApp, tk.Want); err != nil {
				t.Fatalf("%s: %v", j.key, err)
			}
			if total, _, err := countRecords(ctx, e, tk.TargetApp, ""); err != nil || total != 0 {
				t.Errorf("%s: the copy holds %d records after it was emptied (%v)", j.key, total, err)
			}
		}
		if (j.key == "read-small" || j.key == "read-small-ordered") && smp.requests != 1 {
			t.Errorf("%s: %d requests (%s) for %d rows, want 1", j.key, smp.requests, endpoints([]sample{smp}), r.want)
		}
		r.driver = append(r.driver, smp)
		results = append(results, r)
	}
	var count int
	if err := db.QueryRow("SELECT COUNT(*) FROM " + appName(records)).Scan(&count); err != nil {
		t.Fatal(err)
	}
	if count != records {
		t.Errorf("after a round the app has %d records, want %d", count, records)
	}
	var table bytes.Buffer
	if err := writeText(&table, results); err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if title := r.title(); !strings.Contains(table.String(), title) {
			t.Errorf("the table has no row %q:\n%s", title, table.String())
		}
	}
}

// TestDriverJobWrongCount: a job that reads a number of rows other than it
// must is an error, not a figure.
func TestDriverJobWrongCount(t *testing.T) {
	e := smokeEnv(t, 30)
	db, err := sql.Open("kintone", e.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tk := e.task(jobs[0], sideDriver, 30, 3, 1, 31)
	_, err = runDriverJob(context.Background(), db, tk,
		hooks{setup: func() (int64, error) { return 0, nil }, reset: func() error { return nil }})
	if err == nil || !strings.Contains(err.Error(), "got 30 rows, want 31") {
		t.Fatalf("err = %v, want a row count mismatch", err)
	}
	_, err = runDriverJob(context.Background(), db, tk,
		hooks{setup: func() (int64, error) { return 0, nil }, reset: func() error { return errors.New("no reset") }})
	if err == nil || !strings.Contains(err.Error(), "no reset") {
		t.Fatalf("err = %v, want the reset's error", err)
	}
}

// TestRemoveInserted restores the seed rows after a write left some behind.
func TestRemoveInserted(t *testing.T) {
	e := smokeEnv(t, 10)
	app := e.apps[10]
	extra := make([]kintonetest.Record, 150)
	for i := range extra {
		extra[i] = kintonetest.Record{"title": "left", "batch": "driver-r1"}
	}
	if _, err := e.srv.AddRecords(app, extra...); err != nil {
		t.Fatal(err)
	}
	removed, err := removeInserted(context.Background(), e, app)
	if err != nil || removed != 150 {
		t.Fatalf("removed %d, %v; want 150", removed, err)
	}
	if removed, err := removeInserted(context.Background(), e, app); err != nil || removed != 0 {
		t.Fatalf("second pass removed %d, %v; want 0", removed, err)
	}
}

func TestMinRequests(t *testing.T) {
	tests := []struct {
		job        string
		records, n int
		want       int
	}{
		{"read-all", 10_000, 1000, 20},
		{"read-all", 100_000, 10_000, 200},
		{"read-all", 200, 20, 1},
		{"read-all", 501, 50, 2},
		{"read-ordered", 100_000, 10_000, 200},
		{"count", 100_000, 10_000, 1},
		{"insert", 10_000, 1000, 1},
		{"insert", 100_000, 10_000, 5},
		{"insert", 100_000, 10_001, 6},
		{"update", 100_000, 10_000, 20 + 5},
		{"delete", 10_000, 1000, 2 + 1},
		{"delete", 200, 20, 2},
		{"read-small", 100_000, 10_000, 1},
		{"read-small-ordered", 100_000, 10_000, 1},
		{"insert-select", 100_000, 10_000, 100 + 25},
		{"insert-select", 10_000, 1000, 10 + 3},
	}
	for _, tt := range tests {
		if got := minRequests(tt.job, tt.records, tt.n); got != tt.want {
			t.Errorf("minRequests(%s, %d, %d) = %d, want %d", tt.job, tt.records, tt.n, got, tt.want)
		}
	}
	filtered, red := filterMatches(10_000)
	if got := minRequests("read-filter", 10_000, 1000); got != ceilDiv(filtered, 500) {
		t.Errorf("read-filter minimum = %d for %d rows", got, filtered)
	}
	if red != 3334 || filtered < 1500 || filtered > 1800 {
		t.Errorf("filterMatches(10000) = %d, %d; want about a sixth and a third", filtered, red)
	}
}

func TestPickJobs(t *testing.T) {
	got, err := pickJobs("delete, insert,read-all")
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, j := range got {
		keys = append(keys, j.key)
	}
	if strings.Join(keys, ",") != "read-all,insert,delete" {
		t.Errorf("jobs = %v, want run order read-all,insert,delete", keys)
	}
	for _, bad := range []string{"read-al", "update", "delete,count"} {
		if _, err := pickJobs(bad); err == nil {
			t.Errorf("pickJobs(%q): no error", bad)
		}
	}
}

func TestInsertSQL(t *testing.T) {
	q, args := insertSQL("`t`", 3, "b")
	if got := strings.Count(q, "?"); got != 3*len(insertColumns) || len(args) != got {
		t.Fatalf("%d placeholders, %d arguments, want %d", got, len(args), 3*len(insertColumns))
	}
	if !strings.HasPrefix(q, "INSERT INTO `t` (title, num, ") || args[7] != "b" {
		t.Errorf("insertSQL = %.60s..., batch argument %v", q, args[7])
	}
}

// TestRunFlags: bad command lines fail before anything starts.
func TestRunFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-latency", "fast"}, "-latency"},
		{[]string{"-latency", "-5ms"}, "negative"},
		{[]string{"-records", "0"}, "at least 1"},
		{[]string{"-records", "ten"}, "-records"},
		{[]string{"-rounds", "0"}, "-rounds"},
		{[]string{"-write-ratio", "2"}, "-write-ratio"},
		{[]string{"-sides", "driver,jdbc"}, `unknown side "jdbc"`},
		{[]string{"-format", "html"}, "-format"},
		{[]string{"-jobs", "update"}, "name insert too"},
		{[]string{"-sides", "peer", "-peer-dir", t.TempDir()}, "peer.mjs"},
		{[]string{"extra"}, "unexpected arguments"},
		{[]string{"-concurrency", "1,,4"}, "-concurrency: an empty value"},
		{[]string{"-concurrency", "1,4", "-jobs", "read-all,insert"}, "reads only"},
		{[]string{"-concurrency", "1,4", "-jobs", "delete,insert"}, "reads only"},
	}
	for _, tt := range tests {
		var out, errw bytes.Buffer
		err := run(context.Background(), tt.args, strings.NewReader(""), &out, &errw)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("run(%q) = %v, want an error containing %q", tt.args, err, tt.want)
		}
	}
}

// TestReport: the table marks requests above the minimum and says by how
// much, the ratios are the medians', the floor is the floor requests times
// the latency, and the findings name every job above the minimum or slower
// than the official client, and every error.
func TestReport(t *testing.T) {
	walls := func(side string, ms ...float64) []sample {
		var out []sample
		for _, m := range ms {
			s := sample{run: runResult{Wall: m, CPU: m / 4, HasCPU: true}, requests: 21,
				endpoints: map[string]int64{"GET records": 21}, serverTime: m / 2, emuCPU: m / 10, hasEmuCPU: true}
			if side == "driver" {
				s.run.Driver = &driverResult{HeapPeak: 3 << 20, Mallocs: 1000}
			}
			out = append(out, s)
		}
		return out
	}
	results := []result{{
		latency: 50 * time.Millisecond, records: 10_000, n: 1000, job: jobs[0], min: 20, floor: 20, want: 10_000,
		driver: walls("driver", 300, 100, 200), peer: walls("peer", 100, 100, 80),
	}, {
		records: 10_000, n: 1000, job: jobByKey(t, "insert"), min: 1, floor: 1, want: 1000,
		errs: []string{"driver, round 1: boom"},
	}}
	var b bytes.Buffer
	if err := writeText(&b, results); err != nil {
		t.Fatal(err)
	}
	row := strings.Fields(strings.Split(b.String(), "\n")[1])
	for _, want := range []string{
		"21!",           // requests above the minimum of 20
		"+5.0%",         // 1 of 20 over it
		"200 (100–300)", // the driver's median and range
		"2.00",          // driver/peer: 200 / 100
		"1000",          // the floor: 20 requests × 50 ms
		"0.20 / 0.10",   // time ÷ floor: 200 / 1000, 100 / 1000
		"50.0 / 25.0",   // CPU medians
		"20.0 / 10.0",   // the emulator's CPU medians
		"100 / 50.0",    // outside requests
		"3.0 MB", "1,000", "insert 1,000",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
	}
	if n := len(strings.Split(strings.TrimSpace(b.String()), "\n")); n != 3 || len(row) == 0 {
		t.Errorf("%d lines, want 3:\n%s", n, b.String())
	}
	head, rows := table(results)
	if len(head) != len(headers) || len(rows[0]) != len(headers) || rows[0][14] != "2.00" || rows[1][14] != "-" {
		t.Errorf("CPU driver/peer cells %q, %q; want 2.00 and - (no runs)", rows[0][14], rows[1][14])
	}
	if rows[1][11] != "-" || rows[1][12] != "-" {
		t.Errorf("no latency: floor %q, ÷ floor %q, want -", rows[1][11], rows[1][12])
	}
	b.Reset()
	if err := writeFindings(&b, results); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"50ms latency, 10,000 records, read all: the driver made 21 requests, the API's minimum is 20 (GET records 21)",
		"the driver took 200 ms, the official client 100 ms",
		"no latency, 10,000 records, insert N: error: driver, round 1: boom",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("findings lack %q:\n%s", want, b.String())
		}
	}
	b.Reset()
	if err := writeMarkdown(&b, results[:1]); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(strings.TrimSpace(b.String()), "\n"); len(lines) != 3 || !strings.HasPrefix(lines[1], "|---|") {
		t.Errorf("markdown table:\n%s", b.String())
	}
}

func TestOverMinCell(t *testing.T) {
	for _, tt := range []struct {
		requests int64
		min      int
		want     string
	}{{200, 200, "0%"}, {201, 200, "+0.5%"}, {204, 200, "+2.0%"}, {26, 25, "+4.0%"}, {199, 200, "-0.5%"}} {
		if got := overMinCell(summary{runs: 1, maxRequests: tt.requests}, tt.min); got != tt.want {
			t.Errorf("overMinCell(%d over %d) = %q, want %q", tt.requests, tt.min, got, tt.want)
		}
	}
	if got := overMinCell(summary{}, 20); got != "-" {
		t.Errorf("no runs: %q, want -", got)
	}
}

// TestFloor: the floor is the API's minimum, one request after another,
// except for the copy, whose reads can overlap its bulkRequests.
func TestFloor(t *testing.T) {
	if got := want("insert-select", 100_000, 10_000); got != 50_000 {
		t.Errorf("the copy of 100,000 records copies %d, want 50,000", got)
	}
	if got := want("insert-select", 10_000, 1000); got != 5000 {
		t.Errorf("the copy of 10,000 records copies %d, want 5,000", got)
	}
	for _, tt := range []struct {
		job          string
		records, n   int
		min, floor   int
		floorMs      float64
		wallMs, dist float64
	}{
		{"read-all", 100_000, 10_000, 200, 200, 10_000, 5000, 0.5},
		{"insert-select", 100_000, 10_000, 100 + 25, 100 + 25, 6250, 1625, 0.26},
		{"insert-select", 201, 20, 1 + 1, 1 + 1, 100, 100, 1},
		{"read-small", 100_000, 10_000, 1, 1, 50, 55, 1.1},
		{"read-small-ordered", 200, 20, 1, 1, 50, 50, 1},
		{"update", 100_000, 10_000, 25, 25, 1250, 2500, 2},
	} {
		r := result{latency: 50 * time.Millisecond, min: minRequests(tt.job, tt.records, tt.n), floor: floorRequests(tt.job, tt.records, tt.n)}
		if r.min != tt.min || r.floor != tt.floor || r.floorMs() != tt.floorMs {
			t.Errorf("%s of %d: minimum %d, floor %d requests, %.0f ms; want %d, %d, %.0f",
				tt.job, tt.records, r.min, r.floor, r.floorMs(), tt.min, tt.floor, tt.floorMs)
		}
		if got := r.toFloor(summary{runs: 1, wall: []float64{tt.wallMs}}); got != tt.dist {
			t.Errorf("%s: %.0f ms over the floor = %v, want %v", tt.job, tt.wallMs, got, tt.dist)
		}
	}
	if got := want("read-small", 200, 20); got != 200 {
		t.Errorf("read-small of 200 records: %d rows, want 200", got)
	}
	r := result{floor: 200}
	if r.floorMs() != 0 || r.floorCell(summary{runs: 1, wall: []float64{5}}) != "-" {
		t.Errorf("no latency: floor %v, cell %q; want none", r.floorMs(), r.floorCell(summary{runs: 1, wall: []float64{5}}))
	}
}

// TestParsePeerResult reads peer.mjs's line, with and without CPU time.
func TestParsePeerResult(t *testing.T) {
	tk := task{Job: "read-all", Want: 3}
	r, err := parsePeerResult([]byte(`{"ms":12.5,"cpuMs":7.25,"rows":3,"peakRSS":1024}`+"\n"), tk)
	if err != nil || r.Wall != 12.5 || !r.HasCPU || r.CPU != 7.25 || r.MaxRSS != 1024 || r.Driver != nil {
		t.Errorf("parsePeerResult = %+v, %v", r, err)
	}
	r, err = parsePeerResult([]byte(`{"ms":12.5,"rows":3}`), tk)
	if err != nil || r.HasCPU {
		t.Errorf("no cpuMs: %+v, %v; want CPU unknown", r, err)
	}
	if _, err := parsePeerResult([]byte(`{"ms":1,"cpuMs":1,"rows":2}`), tk); err == nil || !strings.Contains(err.Error(), "got 2 rows, want 3") {
		t.Errorf("wrong rows: %v", err)
	}
	if _, err := parsePeerResult([]byte(`Error: boom`), tk); err == nil || !strings.Contains(err.Error(), "bad result") {
		t.Errorf("not JSON: %v", err)
	}
	d := driverRunResult(driverResult{Wall: 1500 * time.Microsecond, CPU: 2 * time.Millisecond, HasCPU: true, Rows: 3})
	if d.Wall != 1.5 || d.CPU != 2 || !d.HasCPU || d.Driver == nil {
		t.Errorf("driverRunResult = %+v", d)
	}
}

// TestMarks: the harness's CPU time between a job's marks, and none
// without both.
func TestMarks(t *testing.T) {
	if _, ok := processCPU(); !ok {
		t.Skip("no CPU time on this system")
	}
	m, err := startMarks()
	if err != nil {
		t.Fatal(err)
	}
	defer m.close()
	ctx := context.Background()
	if _, ok := m.emulatorCPU(); ok {
		t.Error("CPU time before any mark")
	}
	if err := postMark(ctx, m.url, "start"); err != nil {
		t.Fatal(err)
	}
	// Spin until this process has used 30 ms of CPU (not of wall time: on
	// a busy machine 30 ms of wall time may get much less).
	for start, _ := processCPU(); ; {
		if now, _ := processCPU(); now-start >= 30*time.Millisecond {
			break
		}
	}
	if _, ok := m.emulatorCPU(); ok {
		t.Error("CPU time before the end mark")
	}
	if err := postMark(ctx, m.url, "end"); err != nil {
		t.Fatal(err)
	}
	if cpu, ok := m.emulatorCPU(); !ok || cpu < 10*time.Millisecond {
		t.Errorf("emulatorCPU = %v, %v after 30 ms of CPU", cpu, ok)
	}
	m.reset()
	if _, ok := m.emulatorCPU(); ok {
		t.Error("CPU time after reset")
	}
	if err := postMark(ctx, m.url, "lunch"); err == nil {
		t.Error("an unknown mark was accepted")
	}
}

// TestFinishCopy: a copy that holds other records than it must is an
// error, and is emptied all the same.
func TestFinishCopy(t *testing.T) {
	e, err := startEnv(0, []int{10}, []job{jobByKey(t, "insert-select")}, "", &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	ctx := context.Background()
	app := e.copies[10]
	if app == 0 {
		t.Fatal("no copy app")
	}
	var recs []kintonetest.Record
	for i := range 10 {
		if i*7%1000 < 500 {
			recs = append(recs, seedRecord(i))
		}
	}
	if _, err := e.srv.AddRecords(app, recs...); err != nil {
		t.Fatal(err)
	}
	if err := finishCopy(ctx, e, app, len(recs)); err != nil {
		t.Fatalf("a right copy: %v", err)
	}
	recs[0]["batch"] = "other"
	if _, err := e.srv.AddRecords(app, recs...); err != nil {
		t.Fatal(err)
	}
	if err := finishCopy(ctx, e, app, len(recs)); err == nil || !strings.Contains(err.Error(), "held 10 records, 9 of them") {
		t.Errorf("a copy with a record not copied: %v", err)
	}
	if total, _, err := countRecords(ctx, e, app, ""); err != nil || total != 0 {
		t.Errorf("%d records left (%v)", total, err)
	}
}

// TestTargets: each of issue 15's bounds is checked where it applies,
// at latencies above 0 only.
func TestTargets(t *testing.T) {
	lat := 50 * time.Millisecond
	smp := func(wall float64, requests int64, heap uint64) []sample {
		return []sample{{run: runResult{Wall: wall, Driver: &driverResult{HeapPeak: heap}}, requests: requests}}
	}
	res := func(key string, records int, d, p []sample) result {
		j := jobByKey(t, key)
		w := want(key, records, records/10)
		return result{latency: lat, records: records, n: records / 10, job: j, want: w,
			min: minRequests(key, records, records/10), floor: floorRequests(key, records, records/10), driver: d, peer: p}
	}
	results := []result{
		res("read-all", 10_000, smp(300, 20, 8<<20), smp(1000, 21, 0)),                                       // 0.30, 0%
		res("read-all", 100_000, smp(4000, 205, 16<<20), smp(10_000, 201, 0)),                                // 0.40, +2.5%, heap doubled
		res("read-small-ordered", 100_000, smp(60, 2, 1<<20), smp(120, 2, 0)),                                // 2 requests
		res("read-small", 100_000, smp(55, 1, 1<<20), nil),                                                   // 1 request
		res("insert", 100_000, smp(900, 5, 0), smp(1000, 5, 0)),                                              // 0.90
		res("update", 100_000, smp(950, 25, 0), smp(1000, 25, 0)),                                            // 0.95
		res("insert-select", 100_000, smp(8000, 125, 0), smp(9000, 126, 0)),                                  // 8000 / 6250 = 1.28
		res("delete", 100_000, smp(5000, 25, 0), smp(1000, 25, 0)),                                           // no bound
		{records: 100_000, job: jobByKey(t, "read-all"), min: 200, driver: smp(1, 1, 0), peer: smp(9, 1, 0)}, // no latency
		{latency: lat, records: 100_000, job: jobByKey(t, "read-all"), variant: "concurrency=4", min: 200, driver: smp(1, 1, 0)},
	}
	var got []string
	for _, r := range targets(results) {
		got = append(got, strings.Join(r.cells(true), " | "))
	}
	want := []string{
		"driver/peer time | 50ms, 10,000 records, read all | 0.30 | ≤ 0.35 | yes",
		"requests over the minimum | 50ms, 10,000 records, read all | 0% | ≤ 2% | yes",
		"driver/peer time | 50ms, 100,000 records, read all | 0.40 | ≤ 0.35 | **no**",
		"requests over the minimum | 50ms, 100,000 records, read all | +2.5% | ≤ 2% | **no**",
		"a read of ≤ 500 rows is 1 request | 50ms, 100,000 records, read 300 by $id, ordered by num | 2 | 1 | **no**",
		"a read of ≤ 500 rows is 1 request | 50ms, 100,000 records, read 300 by $id | 1 | 1 | yes",
		"driver/peer time | 50ms, 100,000 records, insert 10,000 | 0.90 | ≤ 0.90 | yes",
		"driver/peer time | 50ms, 100,000 records, update 10,000 by a condition | 0.95 | ≤ 0.90 | **no**",
		"time ÷ floor | 50ms, 100,000 records, copy 50,000 by INSERT … SELECT | 1.28 | ≤ 1.30 | yes",
		"driver heap peak, largest ÷ smallest app | 50ms, read all: 10,000 to 100,000 records | 8.0 MB → 16.0 MB: 2.00 | ≤ 1.5 | **no**",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("targets:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestConcurrencyTable: with -concurrency the driver runs once per value
// of the DSN key, as given, the official client once as a reference, and
// the table has a row per job and variant.
func TestConcurrencyTable(t *testing.T) {
	e, err := startEnv(0, []int{10}, []job{jobByKey(t, "read-all")}, "pageSize=500", &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.close()
	vs, err := e.variants(config{driver: true, peer: true, concurrency: []string{"1", "auto"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(vs) != 3 || vs[0].label != "concurrency=1" || vs[1].label != "concurrency=auto" || vs[2].label != peerVariant ||
		!strings.Contains(vs[1].dsn, "concurrency=auto") || !strings.Contains(vs[1].dsn, "pageSize=500") ||
		len(vs[0].sides) != 1 || vs[0].sides[0] != sideDriver || vs[2].sides[0] != sidePeer {
		t.Errorf("variants = %+v", vs)
	}
	if vs, _ := e.variants(config{driver: true, peer: true}); len(vs) != 1 || len(vs[0].sides) != 2 || vs[0].dsn != e.dsn {
		t.Errorf("the comparison's variants = %+v", vs)
	}
	d := []sample{{run: runResult{Wall: 100, CPU: 40, HasCPU: true, Driver: &driverResult{HeapPeak: 2 << 20, Mallocs: 500}}, requests: 22}}
	p := []sample{{run: runResult{Wall: 300, CPU: 90, HasCPU: true}, requests: 21}}
	results := []result{
		{latency: 50 * time.Millisecond, records: 10_000, job: jobs[0], variant: "concurrency=4", min: 20, floor: 20, want: 10_000, driver: d},
		{latency: 50 * time.Millisecond, records: 10_000, job: jobs[0], variant: peerVariant, min: 20, floor: 20, want: 10_000, peer: p},
	}
	head, rows := table(results)
	if strings.Join(head, ",") != strings.Join(concurrencyHeaders, ",") {
		t.Fatalf("headers %v", head)
	}
	want := [][]string{
		{"50ms", "10,000", "read all", "4", "10,000", "20", "22!", "+10.0%", "100", "1000", "0.10", "40.0", "-", "100", "2.0 MB", "500", "-"},
		{"50ms", "10,000", "read all", "official client", "10,000", "20", "21!", "+5.0%", "300", "1000", "0.30", "90.0", "-", "300", "-", "-", "-"},
	}
	for i := range want {
		if strings.Join(rows[i], ",") != strings.Join(want[i], ",") {
			t.Errorf("row %d:\n%q\nwant\n%q", i, rows[i], want[i])
		}
	}
	js, err := concurrencyJobs(jobs, false)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, j := range js {
		keys = append(keys, j.key)
	}
	if strings.Join(keys, ",") != "read-all,read-filter,read-ordered,read-small,read-small-ordered,count,insert-select" {
		t.Errorf("the concurrency table's jobs: %v", keys)
	}
	if js, err := concurrencyJobs([]job{jobByKey(t, "join-all")}, true); err != nil || len(js) != 1 {
		t.Errorf("a join named: %v, %v", js, err)
	}
}

// jobByKey is the job of key.
func jobByKey(t *testing.T, key string) job {
	t.Helper()
	for _, j := range jobs {
		if j.key == key {
			return j
		}
	}
	t.Fatalf("no job %q", key)
	return job{}
}

// TestJoinJobs runs the join jobs through the driver on orders apps on
// either side of the engine's small-side bound (exec.SmallSide, 10,000
// rows): 2,000 orders, which the engine holds, looking their customers
// up by code, and 21,000, which it streams against the customers held.
// Each must read the rows it must in the API's minimum of GETs (the join
// that names the customers first: see slack).
func TestJoinJobs(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 23,000 orders")
	}
	var js []job
	for _, j := range jobs {
		if j.join {
			js = append(js, j)
		}
	}
	if len(js) != 6 {
		t.Fatalf("%d join jobs, want 6", len(js))
	}
	for _, n := range []int{2_000, 21_000} {
		e, err := startEnv(0, []int{n}, js, "", &bytes.Buffer{})
		if err != nil {
			t.Fatal(err)
		}
		if len(e.apps) != 0 || e.orders[n] == 0 || e.custs[n] == 0 {
			t.Errorf("%d orders: apps loaded %v, orders %v, customers %v; want the join apps only", n, e.apps, e.orders, e.custs)
		}
		db, err := sql.Open("kintone", e.dsn)
		if err != nil {
			t.Fatal(err)
		}
		for _, j := range js {
			tk := e.task(j, sideDriver, n, 1, 1, want(j.key, n, 1))
			res, err := runDriverJob(context.Background(), db, tk, testHooks(e))
			if err != nil {
				t.Errorf("%d orders, %s: %v", n, j.key, err)
				continue
			}
			smp, err := e.measure(driverRunResult(res))
			if err != nil {
				t.Errorf("%d orders, %s: %v", n, j.key, err)
				continue
			}
			m := minRequests(j.key, n, 1)
			slack := 0
			if j.key == "join-reversed" && customerCount(n) > 500 {
				// The customers come first, and the engine looks their
				// orders up, 500 codes a query, after a count of the
				// orders: one request more, and a short last page per
				// query.
				slack = 1 + ceilDiv(customerCount(n), 500)
			}
			if smp.requests < int64(m) || smp.requests > int64(m+slack) || smp.endpoints["GET records"] != smp.requests {
				t.Errorf("%d orders, %s: %d requests (%s), want %d to %d GET records", n, j.key, smp.requests, endpoints([]sample{smp}), m, m+slack)
			}
		}
		db.Close()
		e.close()
	}
}

func TestJoinCounts(t *testing.T) {
	c := countJoin(100_000)
	if c != (joinCounts{small: 50, smallMatched: 50, smallCodes: 50, matched: 95_250, regions: 5,
		regionCustomers: 1000, regionOrders: 19_050, regionPages: 20 + 19}) {
		t.Errorf("countJoin(100000) = %+v", c)
	}
	if customerCount(100_000) != 5000 || customersName(100_000) != "customers_5000" {
		t.Errorf("100,000 orders come with %d customers (%s), want 5,000", customerCount(100_000), customersName(100_000))
	}
	for _, tt := range []struct {
		job  string
		want int
	}{{"join-small", 2}, {"join-all", 210}, {"left-join", 210}, {"join-group", 210}, {"join-reversed", 210}, {"join-region", 2 + 39}} {
		if got := minRequests(tt.job, 100_000, 10_000); got != tt.want {
			t.Errorf("minRequests(%s, 100000) = %d, want %d", tt.job, got, tt.want)
		}
	}
	if got := want("left-join", 100_000, 10_000); got != 100_000 {
		t.Errorf("left join of 100,000 orders: want %d rows", got)
	}
	var tk task
	tk.Job, tk.Table, tk.Customers, tk.Records = "join-small", "orders_100000", "customers_5000", 100_000
	q, _ := driverSQL(tk)
	if q != "SELECT o.seq, o.amount, c.name FROM `orders_100000` o JOIN `customers_5000` c ON c.code = o.customer WHERE o.seq >= 50000 AND o.seq < 50050" {
		t.Errorf("join small: %s", q)
	}
	tk.kintoneQuery()
	if tk.Condition != "seq >= 50000 and seq < 50050" {
		t.Errorf("join small's condition for the official client: %s", tk.Condition)
	}
}
