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
	t.Cleanup(func() { e.srv.Close() })
	return e
}

// TestDriverJobsSmoke runs every job once through the driver, in this
// process, on an app of 200 records: each reads, counts or changes the
// rows it must (runDriverJob checks), the emulator's counters see its
// requests and nothing else, and the round leaves the app as it found it.
// The official client's side runs only from the command (it needs Node).
func TestDriverJobsSmoke(t *testing.T) {
	const records, n = 200, 20
	e := smokeEnv(t, records)
	db, err := sql.Open("kintone", e.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	setup := func() (int64, error) { return e.srv.Stats().Requests, nil }
	reset := func() error { e.srv.ResetStats(); return nil }
	var results []result
	for _, j := range jobs {
		r := result{records: records, n: n, job: j, min: minRequests(j.key, records, n), want: want(j.key, records, n)}
		tk := e.task(j, sideDriver, records, n, 1, r.want)
		res, err := runDriverJob(ctx, db, tk, setup, reset)
		if err != nil {
			t.Fatalf("%s: %v", j.key, err)
		}
		smp, err := e.measure(runResult{Wall: ms(res.Wall.Seconds()), Rows: res.Rows, Driver: &res})
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
	for _, j := range jobs {
		title := strings.Replace(j.title, "N", "20", 1)
		if !strings.Contains(table.String(), title) {
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
		func() (int64, error) { return 0, nil }, func() error { return nil })
	if err == nil || !strings.Contains(err.Error(), "got 30 rows, want 31") {
		t.Fatalf("err = %v, want a row count mismatch", err)
	}
	_, err = runDriverJob(context.Background(), db, tk,
		func() (int64, error) { return 0, nil }, func() error { return errors.New("no reset") })
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
	}
	for _, tt := range tests {
		var out, errw bytes.Buffer
		err := run(context.Background(), tt.args, strings.NewReader(""), &out, &errw)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("run(%q) = %v, want an error containing %q", tt.args, err, tt.want)
		}
	}
}

// TestReport: the table marks requests above the minimum, the ratio is the
// medians', and the findings name every such job and every error.
func TestReport(t *testing.T) {
	walls := func(side string, ms ...float64) []sample {
		var out []sample
		for _, m := range ms {
			s := sample{run: runResult{Wall: m}, requests: 21, endpoints: map[string]int64{"GET records": 21}, serverTime: m / 2}
			if side == "driver" {
				s.run.Driver = &driverResult{HeapPeak: 3 << 20, Mallocs: 1000}
			}
			out = append(out, s)
		}
		return out
	}
	results := []result{{
		latency: 50 * time.Millisecond, records: 10_000, n: 1000, job: jobs[0], min: 20, want: 10_000,
		driver: walls("driver", 300, 100, 200), peer: walls("peer", 100, 100, 100),
	}, {
		records: 10_000, n: 1000, job: jobByKey(t, "insert"), min: 1, want: 1000,
		errs: []string{"driver, round 1: boom"},
	}}
	var b bytes.Buffer
	if err := writeText(&b, results); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"21!", "200 (100–300)", "2.00", "100 / 50.0", "3.0 MB", "1,000", "insert 1,000"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, b.String())
		}
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

// jobByKey is the job of key.
func jobByKey(t *testing.T, key string) job {
	t.Helper()
	js, err := pickJobs(key)
	if err != nil || len(js) != 1 {
		t.Fatalf("pickJobs(%q) = %v, %v", key, js, err)
	}
	return js[0]
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
			res, err := runDriverJob(context.Background(), db, tk,
				func() (int64, error) { return e.srv.Stats().Requests, nil },
				func() error { e.srv.ResetStats(); return nil })
			if err != nil {
				t.Errorf("%d orders, %s: %v", n, j.key, err)
				continue
			}
			smp, err := e.measure(runResult{Wall: ms(res.Wall.Seconds()), Rows: res.Rows, Driver: &res})
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
		e.srv.Close()
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
