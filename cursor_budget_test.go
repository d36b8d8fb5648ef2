package kintone_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/kintonetest"
)

// otherClientCursor creates a cursor over app as another client of the
// domain would (raw REST, outside the driver), and returns its ID.
func otherClientCursor(t *testing.T, srv *kintonetest.Server, app int64) string {
	t.Helper()
	u, err := url.Parse(srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	pw, _ := u.User.Password()
	body, _ := json.Marshal(map[string]any{"app": app, "query": "order by num asc"})
	req, err := http.NewRequest("POST", srv.URL+"/k/v1/records/cursor.json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Cybozu-Authorization", base64.StdEncoding.EncodeToString([]byte(u.User.Username()+":"+pw)))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var ans struct{ ID string }
	if err := json.NewDecoder(res.Body).Decode(&ans); err != nil || res.StatusCode != 200 || ans.ID == "" {
		t.Fatalf("another client's cursor: status %d, %v", res.StatusCode, err)
	}
	return ans.ID
}

// readNums reads every num of an ordered query and checks that they run
// 0, 1, 2, ... n-1.
func readCounting(ctx context.Context, db *sql.DB, query string, n int) error {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	i := 0
	for rows.Next() {
		var num int
		if err := rows.Scan(&num); err != nil {
			return err
		}
		if num != i {
			return errors.New("row " + strconv.Itoa(i) + " has num " + strconv.Itoa(num))
		}
		i++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if i != n {
		return errors.New("read " + strconv.Itoa(i) + " rows, want " + strconv.Itoa(n))
	}
	return rows.Close()
}

// Many goroutines reading in an order only a cursor serves all succeed:
// the connector holds at most maxCursors (default 5) of the domain's ten at
// once and the others wait for one (their 1,201 records are more than
// maxBufferedRows lets them sort without one), so Kintone never refuses
// one with 429 GAIA_TM12.
func TestConcurrentCursorReadsAllSucceedWithinTheCursorBudget(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 1201)
	db := openDB(t, srv.DSN()+"?useCursor=always&pageSize=200&maxBufferedRows=1000")
	countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1") // warm the schema cache
	// Each page takes a while, so that the reads overlap.
	srv.InjectFault(kintonetest.Fault{Method: "GET", Resource: "records/cursor", Latency: 3 * time.Millisecond})
	srv.ResetStats()

	const readers = 16
	start := make(chan struct{})
	errs := make(chan error, readers)
	var wg sync.WaitGroup
	for range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs <- readCounting(context.Background(), db, "SELECT num FROM NUMBERS ORDER BY num", 1201)
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	st := srv.Stats()
	if st.PeakOpenCursors > 5 || st.ByCode["GAIA_TM12"] != 0 || st.Count("POST", "records/cursor") != readers || st.OpenCursors != 0 {
		t.Fatalf("peak %d cursors open (budget 5), %d refused with GAIA_TM12, %d created (want %d), %d left open",
			st.PeakOpenCursors, st.ByCode["GAIA_TM12"], st.Count("POST", "records/cursor"), readers, st.OpenCursors)
	}
}

// While this sql.DB's reads hold all its cursors, more reads in an order
// only a cursor serves, with records few enough to sort without one, read
// by $id and sort here instead of waiting: each of them reads its 1,201
// records in 7 pages of $id and creates no cursor.
func TestCursorReadsBeyondTheBudgetReadWithoutOne(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 1201)
	db := openDB(t, srv.DSN()+"?useCursor=always&pageSize=200")
	countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1")
	srv.ResetStats()
	var held []*sql.Rows
	for range 5 {
		rows, err := db.Query("SELECT num FROM NUMBERS ORDER BY num DESC")
		if err != nil {
			t.Fatal(err)
		}
		if !rows.Next() {
			t.Fatal(rows.Err())
		}
		held = append(held, rows)
	}
	const readers = 11
	errs := make(chan error, readers)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second) // fail, not hang
	defer cancel()
	for range readers {
		go func() { errs <- readCounting(ctx, db, "SELECT num FROM NUMBERS ORDER BY num", 1201) }()
	}
	for range readers {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	for _, rows := range held {
		rows.Close()
	}
	st := srv.Stats()
	if created, sorted := st.Count("POST", "records/cursor"), st.Count("GET", "records"); created != 5 || sorted != readers*7 || st.PeakOpenCursors > 5 || st.OpenCursors != 0 {
		t.Fatalf("%d cursors created (peak %d, %d left open), %d $id pages; want the 5 held, and %d pages", created, st.PeakOpenCursors, st.OpenCursors, sorted, readers*7)
	}
}

// Twelve goroutines reading ORDER BY a text field at once (the issue: two
// of them failed with 429 GAIA_TM12) all succeed, and need no cursor at
// all: a read that ends within Kintone's offset limit pages by offset.
func TestConcurrentOrderedReadsNeedNoCursor(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 1201)
	db := openDB(t, srv.DSN()+"?pageSize=200")
	countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1")
	srv.InjectFault(kintonetest.Fault{Method: "GET", Resource: "records", Latency: 3 * time.Millisecond})
	srv.ResetStats()
	const readers = 12
	start := make(chan struct{})
	errs := make(chan error, readers)
	for range readers {
		go func() {
			<-start
			errs <- func() error {
				rows, err := db.Query("SELECT label FROM NUMBERS ORDER BY label")
				if err != nil {
					return err
				}
				defer rows.Close()
				var prev string
				n := 0
				for rows.Next() {
					var label string
					if err := rows.Scan(&label); err != nil {
						return err
					}
					if n > 0 && label <= prev {
						return errors.New(label + " after " + prev)
					}
					prev = label
					n++
				}
				if err := rows.Err(); err != nil {
					return err
				}
				if n != 1201 {
					return errors.New("read " + strconv.Itoa(n) + " rows, want 1201")
				}
				return nil
			}()
		}()
	}
	close(start)
	for range readers {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if st := srv.Stats(); st.Count("POST", "records/cursor") != 0 || st.ByCode["GAIA_TM12"] != 0 || st.Count("GET", "records") != readers*8 {
		t.Fatalf("%d cursors created, %d refused, %d pages read (want %d: 200, then 199 + 1 each, and the change check)",
			st.Count("POST", "records/cursor"), st.ByCode["GAIA_TM12"], st.Count("GET", "records"), readers*8)
	}
}

// Cancelling ordered reads at any early point (while waiting for a slot,
// while the cursor is being created, between its creation and its first
// page, amid the pages) or closing their rows leaves no cursor open on
// Kintone, and later reads still get cursors.
func TestCancelledCursorReadsLeaveNoCursorOpen(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 1201)
	db := openDB(t, srv.DSN()+"?useCursor=always&pageSize=100")
	countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1")
	srv.InjectFault(kintonetest.Fault{Method: "POST", Resource: "records/cursor", Latency: 4 * time.Millisecond})
	srv.InjectFault(kintonetest.Fault{Method: "GET", Resource: "records/cursor", Latency: 2 * time.Millisecond})
	srv.ResetStats()

	rng := rand.New(rand.NewPCG(12, 40))
	var wg sync.WaitGroup
	for i := range 40 {
		after := time.Duration(rng.IntN(13)) * time.Millisecond
		byClose := i%2 == 1
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			rows, err := db.QueryContext(ctx, "SELECT num FROM NUMBERS ORDER BY num DESC")
			if err != nil {
				t.Error(err)
				return
			}
			stop := time.AfterFunc(after, func() {
				if byClose {
					rows.Close()
				} else {
					cancel()
				}
			})
			defer stop.Stop()
			for rows.Next() {
			}
			rows.Close()
		}()
	}
	wg.Wait()
	// Later reads succeed: the budget got every slot back.
	if err := readCounting(context.Background(), db, "SELECT num FROM NUMBERS ORDER BY num", 1201); err != nil {
		t.Fatal(err)
	}
	// Closing the DB finishes the deletions still on their way.
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	st := srv.Stats()
	if st.OpenCursors != 0 || st.ByCode["GAIA_TM12"] != 0 {
		t.Fatalf("after cancelling 40 reads: %d cursors open, %d refused with GAIA_TM12 (created %d, deleted %d)",
			st.OpenCursors, st.ByCode["GAIA_TM12"], st.Count("POST", "records/cursor"), st.Count("DELETE", "records/cursor"))
	}
}

// When the domain's ten cursors are all taken by other clients, a read
// that needs one reads by $id and sorts the records here, if they are few
// enough (maxBufferedRows); else it fails at once with an error naming the
// limit (after asking once more, having read the first $id page: a
// refused creation is not resent blindly).
func TestCursorLimitTakenByOtherClientsFailsClearly(t *testing.T) {
	srv := newEmulator(t)
	app := numbersApp(t, srv, 1201)
	db := openDB(t, srv.DSN()+"?useCursor=always&maxBufferedRows=1000")
	countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1")
	for range 10 {
		otherClientCursor(t, srv, app)
	}
	srv.ResetStats()
	err := readCounting(context.Background(), db, "SELECT num FROM NUMBERS ORDER BY num", 1201)
	var ae *kintone.APIError
	if !errors.As(err, &ae) || ae.Code != "GAIA_TM12" || !strings.Contains(err.Error(), "10 open cursors per domain are all taken by other clients") {
		t.Fatalf("error %v, want GAIA_TM12 explained", err)
	}
	if st := srv.Stats(); st.Count("POST", "records/cursor") != 2 || st.Count("GET", "records") != 1 {
		t.Fatalf("%d cursor creations and %d $id pages, want 2 and 1", st.Count("POST", "records/cursor"), st.Count("GET", "records"))
	}

	fits := openDB(t, srv.DSN()+"?useCursor=always")
	countRows(t, fits, "SELECT num FROM NUMBERS LIMIT 1")
	srv.ResetStats()
	if err := readCounting(context.Background(), fits, "SELECT num FROM NUMBERS ORDER BY num", 1201); err != nil {
		t.Fatalf("a read of records few enough to sort without a cursor: %v", err)
	}
	if st := srv.Stats(); st.Count("POST", "records/cursor") != 1 || st.Count("GET", "records") != 3 {
		t.Fatalf("%d cursor creations and %d $id pages, want 1 and 3", st.Count("POST", "records/cursor"), st.Count("GET", "records"))
	}
}

// An ordered read that needs a cursor while the caller's own open reads
// hold every slot of the budget (a read nested in another, with
// maxCursors=1) reads without one instead of waiting for ever: before, it
// waited as long as its context allowed, which with db.Query is for ever.
func TestNestedOrderedReadWithEveryCursorTakenReadsWithoutOne(t *testing.T) {
	srv := newEmulator(t)
	stockApp(t, srv, 30)
	db := openDB(t, srv.DSN()+"?useCursor=always&pageSize=10&maxCursors=1")
	outer, err := db.Query("SELECT sku FROM STOCK ORDER BY sku")
	if err != nil {
		t.Fatal(err)
	}
	defer outer.Close()
	if !outer.Next() {
		t.Fatal(outer.Err())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	inner, err := db.QueryContext(ctx, "SELECT label, num FROM STOCK ORDER BY num DESC")
	if err != nil {
		t.Fatal(err)
	}
	want := 29
	for inner.Next() {
		var label string
		var num int
		if err := inner.Scan(&label, &num); err != nil {
			t.Fatal(err)
		}
		if num != want {
			t.Fatalf("row with num %d, want %d: out of order", num, want)
		}
		want--
	}
	if err := inner.Err(); err != nil {
		t.Fatalf("nested ordered read: %v", err)
	}
	inner.Close()
	if want != -1 {
		t.Fatalf("the nested read stopped at num %d", want+1)
	}
	n := 1
	for outer.Next() {
		n++
	}
	if err := outer.Err(); err != nil || n != 30 {
		t.Fatalf("the outer read: %d rows, %v", n, err)
	}
	if st := srv.Stats(); st.Count("POST", "records/cursor") != 1 || st.OpenCursors != 0 {
		t.Fatalf("%d cursors created, %d left open; want the outer read's one", st.Count("POST", "records/cursor"), st.OpenCursors)
	}
}

// The reviewer's case as written: the nested read (ordered by a text field,
// through a cursor) must not fail only when its context ends.
func TestNestedCursorReadsDoNotDeadlockOnTheBudget(t *testing.T) {
	srv := newEmulator(t)
	stockApp(t, srv, 30)
	db := openDB(t, srv.DSN()+"?useCursor=always&pageSize=10&maxCursors=1")
	outer, err := db.Query("SELECT sku FROM STOCK ORDER BY sku")
	if err != nil {
		t.Fatal(err)
	}
	defer outer.Close()
	if !outer.Next() {
		t.Fatal(outer.Err())
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	inner, err := db.QueryContext(ctx, "SELECT label FROM STOCK ORDER BY label")
	if err == nil {
		for inner.Next() {
		}
		err = inner.Err()
		inner.Close()
	}
	if err != nil {
		t.Errorf("nested ordered read failed only when its context ended: %v", err)
	}
}

// When the domain's cursors are taken partly by other clients and partly
// by this sql.DB, a read refused with 429 GAIA_TM12 waits for one of this
// sql.DB's own cursors to close and then gets one.
func TestCursorLimitRefusalWaitsForOwnCursor(t *testing.T) {
	srv := newEmulator(t)
	app := numbersApp(t, srv, 1201)
	db := openDB(t, srv.DSN()+"?useCursor=always&pageSize=100&maxBufferedRows=1000")
	countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1")
	for range 8 {
		otherClientCursor(t, srv, app)
	}
	srv.ResetStats()
	// Two reads of ours take the last two cursors and hold them (reading
	// a page at a time, they do not reach the end).
	var held []*sql.Rows
	for range 2 {
		rows, err := db.Query("SELECT num FROM NUMBERS ORDER BY num DESC")
		if err != nil {
			t.Fatal(err)
		}
		if !rows.Next() {
			t.Fatal(rows.Err())
		}
		held = append(held, rows)
	}
	// Two more are refused and wait.
	errs := make(chan error, 2)
	for range 2 {
		go func() { errs <- readCounting(context.Background(), db, "SELECT num FROM NUMBERS ORDER BY num", 1201) }()
	}
	deadline := time.Now().Add(2 * time.Second)
	for srv.Stats().ByCode["GAIA_TM12"] < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("the reads were never refused: %+v", srv.Stats())
		}
		time.Sleep(time.Millisecond)
	}
	select {
	case err := <-errs:
		t.Fatalf("a refused read ended before any cursor of ours closed: %v", err)
	default:
	}
	for _, rows := range held {
		rows.Close()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.OpenCursors(); n != 8 {
		t.Fatalf("%d cursors open, want the other client's 8", n)
	}
}
