package kintone_test

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/dsn"
	"github.com/kintone-sql/kintone/kintonetest"
	"github.com/kintone-sql/kintone/translate"
)

// The tests of this file check that a write whose rows are read as it
// goes (INSERT ... SELECT, UPDATE and DELETE by condition) reads the next
// batch's rows while a batch is on its way, and that what it reports when
// something fails is what a write reading nothing ahead reports. They hold
// a bulkRequest in the client's transport until the reader has started
// (or seen answered) a given number of GETs: a reader that waits for the
// batch never gets there, and the hold gives up after 10 s. Nothing is
// measured in time.

// aheadTransport passes the driver's requests to the emulator, counting
// the GETs of records.json and the bulkRequests, and calls beforeBulk
// before the n-th bulkRequest is sent. From the GET failGetsFrom on
// (unless 0), every GET of records.json fails with io.EOF, as when the
// connection is closed.
type aheadTransport struct {
	base         http.RoundTripper
	beforeBulk   func(req *http.Request, n int64)
	failGetsFrom int64

	gets     atomic.Int64 // GETs of records.json started
	answered atomic.Int64 // and answered
	bulks    atomic.Int64 // bulkRequests started
	inflight atomic.Int64 // bulkRequests on their way
	together atomic.Bool  // two bulkRequests were on their way at once
}

func (a *aheadTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	switch {
	case strings.HasSuffix(req.URL.Path, "/records.json") && (req.Method == "GET" || req.Header.Get("X-HTTP-Method-Override") == "GET"):
		n := a.gets.Add(1)
		defer a.answered.Add(1)
		if a.failGetsFrom > 0 && n >= a.failGetsFrom {
			return nil, io.EOF
		}
	case req.Method == "POST" && strings.HasSuffix(req.URL.Path, "/bulkRequest.json"):
		n := a.bulks.Add(1)
		if a.inflight.Add(1) > 1 {
			a.together.Store(true)
		}
		defer a.inflight.Add(-1)
		if a.beforeBulk != nil {
			a.beforeBulk(req, n)
		}
		if err := req.Context().Err(); err != nil {
			return nil, err
		}
	}
	return a.base.RoundTrip(req)
}

// waitFor waits until count reaches n, the request's context ends or
// 10 s pass, and reports whether count got there.
func waitFor(req *http.Request, count *atomic.Int64, n int64) bool {
	deadline := time.Now().Add(10 * time.Second)
	for count.Load() < n && time.Now().Before(deadline) && req.Context().Err() == nil {
		time.Sleep(time.Millisecond)
	}
	return count.Load() >= n
}

// aheadDB opens a DB of the DSN's parameters params ("" for none) whose
// requests go through a; the forms of SRC and DST are read before it is
// returned, and a's counters start at zero.
func aheadDB(t *testing.T, srv *kintonetest.Server, params string, a *aheadTransport) *sql.DB {
	t.Helper()
	cfg, err := dsn.Parse(srv.DSN() + params)
	if err != nil {
		t.Fatal(err)
	}
	base := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(base.CloseIdleConnections)
	a.base = base
	db := sql.OpenDB(kintone.NewConnector(cfg, kintone.WithHTTPClient(&http.Client{Transport: a})))
	t.Cleanup(func() { db.Close() })
	countRows(t, db, "SELECT num FROM SRC LIMIT 1")
	countRows(t, db, "SELECT num FROM DST LIMIT 1")
	a.gets.Store(0)
	a.answered.Store(0)
	return db
}

// aheadApps creates SRC, n records with num and txt the record's index
// (0 on), price 1, and DST, whose price is at most 100; change alters
// SRC's records before they are added.
func aheadApps(t *testing.T, srv *kintonetest.Server, n int, change func([]kintonetest.Record)) {
	t.Helper()
	src, err := srv.CreateApp(kintonetest.App{Name: "SRC", Code: "SRC", Fields: []kintonetest.Field{
		{Code: "num", Type: "NUMBER"},
		{Code: "txt", Type: "SINGLE_LINE_TEXT"},
		{Code: "price", Type: "NUMBER"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.CreateApp(kintonetest.App{Name: "DST", Code: "DST", Fields: []kintonetest.Field{
		{Code: "num", Type: "NUMBER"},
		{Code: "price", Type: "NUMBER", MaxValue: "100"},
	}}); err != nil {
		t.Fatal(err)
	}
	recs := make([]kintonetest.Record, n)
	for i := range recs {
		recs[i] = kintonetest.Record{"num": strconv.Itoa(i), "txt": strconv.Itoa(i), "price": "1"}
	}
	if change != nil {
		change(recs)
	}
	if _, err := srv.AddRecords(src, recs...); err != nil {
		t.Fatal(err)
	}
}

// writerGoroutines counts the goroutines running code of the driver's
// batch writer or its readers (packages internal/batch and
// internal/fetch).
func writerGoroutines() (batch, fetch int) {
	buf := make([]byte, 1<<22)
	for _, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
		if strings.Contains(g, "kintone/internal/batch.") {
			batch++
		}
		if strings.Contains(g, "kintone/internal/fetch.") {
			fetch++
		}
	}
	return batch, fetch
}

// checkNoWriterLeft fails the test when goroutines of the batch writer or
// of the readers are still running 5 s after the statement returned,
// counting against the numbers before it. (The writer waits for its batch
// before it returns, but the goroutine that sent it may not have quite
// exited yet.)
func checkNoWriterLeft(t *testing.T, batchBase, fetchBase int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		b, f := writerGoroutines()
		if b <= batchBase && f <= fetchBase {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d batch and %d reader goroutines after the statement returned, %d and %d before\n%s",
				b, f, batchBase, fetchBase, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// insertAll is the write of the tests: SRC's rows copied to DST, row n
// being SRC's record n-1.
const insertAll = "INSERT INTO DST (num, price) SELECT num, price FROM SRC"

// TestWriteReadsTheNextBatchWhileOneIsOnItsWay: while bulkRequest 1 is
// held, the reader reads the whole of batch 2 (pages 5 to 8 of 500 rows),
// and no further than that and the two pages the pager fetches ahead;
// the batches are still sent one at a time and the records are added in
// the order read.
func TestWriteReadsTheNextBatchWhileOneIsOnItsWay(t *testing.T) {
	const n = 7000 // 4 batches, 14 pages
	srv := newEmulator(t)
	aheadApps(t, srv, n, nil)
	var reached atomic.Bool
	var held atomic.Int64 // GETs started while bulkRequest 1 was held
	a := &aheadTransport{}
	a.beforeBulk = func(req *http.Request, k int64) {
		if k == 1 {
			reached.Store(waitFor(req, &a.gets, 8))
			time.Sleep(50 * time.Millisecond) // time for a reader that does not stop to go on
			held.Store(a.gets.Load())
		}
	}
	db := aheadDB(t, srv, "", a)
	batchBase, fetchBase := writerGoroutines()
	res, err := db.Exec(insertAll)
	if err != nil {
		t.Fatal(err)
	}
	checkNoWriterLeft(t, batchBase, fetchBase)
	t.Logf("%d GETs started while batch 1 was held", held.Load())
	if !reached.Load() {
		t.Errorf("%d GETs started while batch 1 was on its way, want the 8 of batches 1 and 2", held.Load())
	}
	if got := held.Load(); got > 10 {
		t.Errorf("%d GETs started while batch 1 was on its way: the reader went further than batch 2 and the pager's two pages ahead", got)
	}
	if affected, _ := res.RowsAffected(); affected != n {
		t.Errorf("RowsAffected %d", affected)
	}
	if a.bulks.Load() != 4 || a.together.Load() {
		t.Errorf("%d bulkRequests (two at once: %v), want 4 one after the other", a.bulks.Load(), a.together.Load())
	}
	got := nums(t, openDB(t, srv.DSN()), "SELECT num FROM DST ORDER BY $id")
	if len(got) != n {
		t.Fatalf("%d records in DST", len(got))
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("DST's record %d has num %d: the batches were not added in order", i+1, v)
		}
	}
}

// TestWriteAheadReportsWhatWasCommitted: a batch refused, a read that
// fails and a row that cannot be written, each met while a batch is held
// on its way, give the error a write reading nothing ahead gives (the same
// committed count, batch and rows), no batch after it is sent, and no
// goroutine is left.
func TestWriteAheadReportsWhatWasCommitted(t *testing.T) {
	// bulkFault fails bulkRequest nth with code.
	bulkFault := func(nth int, code string) kintonetest.Fault {
		return kintonetest.Fault{Method: "POST", Resource: "bulkRequest", Nth: nth, Status: 400, Code: code}
	}
	// getFault fails the nth GET of records.json (page nth) with code.
	getFault := func(nth int, code string) kintonetest.Fault {
		return kintonetest.Fault{Method: "GET", Resource: "records", Nth: nth, Status: 400, Code: code}
	}
	for _, tc := range []struct {
		name   string
		sql    string
		change func([]kintonetest.Record)
		faults []kintonetest.Fault
		// hold is the bulkRequest held until answered GETs reach gets.
		hold, gets int64
		want       *kintone.PartialWriteError // nil: the write fails whole
		code       string                     // Kintone's code of the cause, if any
		check      func(t *testing.T, err error)
		bulks      int64 // bulkRequests sent
		committed  int   // records in DST
	}{
		{
			name: "batch 2 refused while batch 3 is read", sql: insertAll,
			faults: []kintonetest.Fault{bulkFault(2, "GAIA_XX02")}, hold: 2, gets: 12,
			want: &kintone.PartialWriteError{Committed: 2000, Batch: 2, FirstRow: 2001, LastRow: 4000},
			code: "GAIA_XX02", bulks: 2, committed: 2000,
		},
		{
			name: "a row of batch 2 refused", sql: insertAll,
			change: func(recs []kintonetest.Record) { recs[2600]["price"] = "500" }, hold: 2, gets: 12,
			want: &kintone.PartialWriteError{Committed: 2000, Batch: 2, FirstRow: 2001, LastRow: 4000},
			code: "CB_VA01", bulks: 2, committed: 2000,
			check: func(t *testing.T, err error) {
				var re *kintone.RowError
				if !errors.As(err, &re) || re.Row != 2601 || re.Column != "price" {
					t.Errorf("error %v, want a *RowError of row 2601, column price", err)
				}
			},
		},
		{
			name: "read fails while batch 1 is on its way", sql: insertAll,
			faults: []kintonetest.Fault{getFault(6, "GAIA_XX01")}, hold: 1, gets: 6,
			want: &kintone.PartialWriteError{Committed: 2000, Batch: 2, FirstRow: 2001},
			code: "GAIA_XX01", bulks: 1, committed: 2000,
			check: func(t *testing.T, err error) {
				if !strings.Contains(err.Error(), "write stopped while preparing batch 2 (from row 2001): 2000 rows were committed in 1 batch,") {
					t.Errorf("message %q", err)
				}
			},
		},
		{
			name: "read fails while batch 1 is on its way and batch 1 fails", sql: insertAll,
			faults: []kintonetest.Fault{bulkFault(1, "GAIA_XX02"), getFault(6, "GAIA_XX01")}, hold: 1, gets: 6,
			code: "GAIA_XX02", bulks: 1,
		},
		{
			name: "read fails while batch 2 is on its way", sql: insertAll,
			faults: []kintonetest.Fault{getFault(10, "GAIA_XX01")}, hold: 2, gets: 10,
			want: &kintone.PartialWriteError{Committed: 4000, Batch: 3, FirstRow: 4001},
			code: "GAIA_XX01", bulks: 2, committed: 4000,
		},
		{
			name:   "a row that cannot be converted while batch 1 is on its way",
			sql:    "INSERT INTO DST (num) SELECT txt FROM SRC",
			change: func(recs []kintonetest.Record) { recs[2600]["txt"] = "x" }, hold: 1, gets: 6,
			want: &kintone.PartialWriteError{Committed: 2000, Batch: 2, FirstRow: 2001}, bulks: 1, committed: 2000,
			check: func(t *testing.T, err error) {
				var ve *translate.ValueError
				if !errors.As(err, &ve) || ve.Row != 2601 || ve.Column != "num" {
					t.Errorf("error %v, want a *translate.ValueError of row 2601, column num", err)
				}
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newEmulator(t)
			aheadApps(t, srv, 7000, tc.change)
			var reached atomic.Bool
			a := &aheadTransport{}
			a.beforeBulk = func(req *http.Request, k int64) {
				if k == tc.hold {
					reached.Store(waitFor(req, &a.answered, tc.gets))
				}
			}
			db := aheadDB(t, srv, "", a)
			for _, f := range tc.faults {
				srv.InjectFault(f)
			}
			batchBase, fetchBase := writerGoroutines()
			_, err := db.Exec(tc.sql)
			checkNoWriterLeft(t, batchBase, fetchBase)
			var pe *kintone.PartialWriteError
			switch {
			case err == nil:
				t.Fatal("no error")
			case tc.want == nil && errors.As(err, &pe):
				t.Fatalf("error %v, want one of a write of nothing", err)
			case tc.want != nil && !errors.As(err, &pe):
				t.Fatalf("error %v, want a *PartialWriteError", err)
			case tc.want != nil:
				want := *tc.want
				want.Err = pe.Err
				if *pe != want {
					t.Fatalf("error %+v, want %+v", *pe, want)
				}
			}
			if tc.code != "" {
				wantCode(t, err, tc.code)
			}
			if tc.check != nil {
				tc.check(t, err)
			}
			if !reached.Load() {
				t.Errorf("%d GETs answered while batch %d was on its way, want %d", a.answered.Load(), tc.hold, tc.gets)
			}
			if a.bulks.Load() != tc.bulks {
				t.Errorf("%d bulkRequests, want %d", a.bulks.Load(), tc.bulks)
			}
			if n := countRows(t, openDB(t, srv.DSN()), "SELECT num FROM DST"); n != tc.committed {
				t.Errorf("%d records in DST, want %d", n, tc.committed)
			}
		})
	}
}

// TestCancelledWriteAheadStopsBoth: a context cancelled while batch 2 is
// on its way and batch 3 is being read stops the write there, reporting
// the 2,000 rows of batch 1; neither the writer's goroutine nor a reader
// is left running.
func TestCancelledWriteAheadStopsBoth(t *testing.T) {
	srv := newEmulator(t)
	aheadApps(t, srv, 7000, nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	a := &aheadTransport{}
	a.beforeBulk = func(req *http.Request, k int64) {
		if k == 2 {
			waitFor(req, &a.gets, 10) // batch 3 is being read
			cancel()
			<-req.Context().Done()
		}
	}
	db := aheadDB(t, srv, "", a)
	batchBase, fetchBase := writerGoroutines()
	_, err := db.ExecContext(ctx, insertAll)
	checkNoWriterLeft(t, batchBase, fetchBase)
	var pe *kintone.PartialWriteError
	if !errors.As(err, &pe) || pe.Committed != 2000 || pe.Batch != 2 || pe.FirstRow != 2001 || !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v", err)
	}
	if a.bulks.Load() != 2 {
		t.Errorf("%d bulkRequests, want 2", a.bulks.Load())
	}
	if n := countRows(t, openDB(t, srv.DSN()), "SELECT num FROM DST"); n != 2000 {
		t.Errorf("%d records in DST, want 2000", n)
	}
}

// TestWriteStopsAtAReadWhoseConnectionClosed: a read that fails because
// its connection was closed returns an error wrapping io.EOF, which is not
// the end of the rows: the write fails saying what was committed, where
// it used to succeed with the rows read so far (none, or 2,500 here), and
// a transaction's statement fails instead of queuing part of its rows.
func TestWriteStopsAtAReadWhoseConnectionClosed(t *testing.T) {
	for _, tc := range []struct {
		name      string
		from      int64                      // the first GET that fails
		want      *kintone.PartialWriteError // nil: the write fails whole
		committed int
	}{
		{"first page", 1, nil, 0},
		{"page 6, in batch 2", 6, &kintone.PartialWriteError{Committed: 2000, Batch: 2, FirstRow: 2001}, 2000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newEmulator(t)
			aheadApps(t, srv, 7000, nil)
			a := &aheadTransport{}
			db := aheadDB(t, srv, "?maxRetries=0", a)
			a.failGetsFrom = tc.from
			_, err := db.Exec(insertAll)
			var pe *kintone.PartialWriteError
			switch {
			case !errors.Is(err, io.EOF):
				t.Fatalf("error %v, want the read's, wrapping io.EOF", err)
			case tc.want == nil && errors.As(err, &pe):
				t.Fatalf("error %v, want one of a write of nothing", err)
			case tc.want != nil && !errors.As(err, &pe):
				t.Fatalf("error %v, want a *PartialWriteError", err)
			case tc.want != nil:
				want := *tc.want
				want.Err = pe.Err
				if *pe != want {
					t.Fatalf("error %+v, want %+v", *pe, want)
				}
			}
			if n := countRows(t, openDB(t, srv.DSN()), "SELECT num FROM DST"); n != tc.committed {
				t.Errorf("%d records in DST, want %d", n, tc.committed)
			}
		})
	}
	t.Run("in a transaction", func(t *testing.T) {
		srv := newEmulator(t)
		aheadApps(t, srv, 1500, nil)
		a := &aheadTransport{}
		db := aheadDB(t, srv, "?maxRetries=0", a)
		a.failGetsFrom = 2
		tx, err := db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if _, err := tx.Exec(insertAll); !errors.Is(err, io.EOF) {
			t.Fatalf("error %v, want the read's, wrapping io.EOF", err)
		}
	})
}
