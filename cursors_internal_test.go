package kintone

import (
	"context"
	"database/sql"
	"errors"
	"github.com/kintone-sql/kintone/internal/fetch"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/dsn"
	"github.com/kintone-sql/kintone/kintonetest"
	"github.com/kintone-sql/kintone/kintonetest/gateway"
)

// expiries captures the timers of a cursorBudget: the test fires them.
type expiries struct {
	mu  sync.Mutex
	d   []time.Duration
	fns []func()
}

func (e *expiries) after(d time.Duration, f func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.d = append(e.d, d)
	e.fns = append(e.fns, f)
}

func (e *expiries) fire() int {
	e.mu.Lock()
	fns := e.fns
	e.fns = nil
	e.mu.Unlock()
	for _, f := range fns {
		f()
	}
	return len(fns)
}

// cursorApp starts an emulator with an app of n records and a connector
// with a budget of maxCursors cursors whose expiry timers the test fires;
// it returns them with a DB that reads through cursors only (params are
// more DSN parameters, "&key=value...").
func cursorApp(t *testing.T, n, maxCursors int, params string) (*kintonetest.Server, *Connector, *expiries, *sql.DB) {
	t.Helper()
	srv, err := kintonetest.NewServer(kintonetest.WithClock(func() time.Time { return time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC) }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	app, err := srv.CreateApp(kintonetest.App{Name: "N", Code: "N", Fields: []kintonetest.Field{{Code: "num", Type: "NUMBER"}}})
	if err != nil {
		t.Fatal(err)
	}
	recs := make([]kintonetest.Record, n)
	for i := range recs {
		recs[i] = kintonetest.Record{"num": strconv.Itoa(i)}
	}
	if _, err := srv.AddRecords(app, recs...); err != nil {
		t.Fatal(err)
	}
	cfg, err := dsn.Parse(srv.DSN() + "?useCursor=always&pageSize=100&maxCursors=" + strconv.Itoa(maxCursors) + params)
	if err != nil {
		t.Fatal(err)
	}
	c := NewConnector(cfg)
	exp := &expiries{}
	c.cursors.AfterFunc = exp.after
	db := sql.OpenDB(c)
	t.Cleanup(func() { db.Close() })
	return srv, c, exp, db
}

func readAll(ctx context.Context, db *sql.DB, query string) (int, error) {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	return n, rows.Close()
}

// A cursor whose creation answer was lost (the connection dropped after
// Kintone created it) cannot be deleted, since nobody knows its ID: its slot
// stays taken until Kintone's ten-minute idle expiry has removed it, so that
// the budget never counts fewer cursors than Kintone does.
func TestLostCursorCreationKeepsItsSlotUntilKintoneExpiresIt(t *testing.T) {
	// 300 records are more than maxBufferedRows: a read that finds no
	// cursor free waits for one rather than sort them here.
	srv, _, exp, db := cursorApp(t, 300, 1, "&maxBufferedRows=100")
	const q = "SELECT num FROM N ORDER BY num"
	if _, err := readAll(context.Background(), db, "SELECT num FROM N LIMIT 1"); err != nil {
		t.Fatal(err)
	}
	srv.InjectFault(kintonetest.Fault{Method: "POST", Resource: "records/cursor", Times: 1, Drop: kintonetest.DropAfterApply})
	srv.ResetStats()
	if _, err := readAll(context.Background(), db, q); err == nil {
		t.Fatal("the read whose cursor creation was dropped succeeded")
	}
	if n := srv.OpenCursors(); n != 1 {
		t.Fatalf("%d cursors open on Kintone after the lost answer, want 1", n)
	}
	if len(exp.d) != 1 || exp.d[0] < 10*time.Minute {
		t.Fatalf("expiry timers %v, want one of at least Kintone's 10 minutes", exp.d)
	}
	// The slot is taken: the next read waits for it, as long as its
	// context allows, and says why.
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err := readAll(ctx, db, q)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "all 1 cursor slots of this sql.DB (DSN maxCursors) are taken") ||
		!strings.Contains(err.Error(), "1 are held until Kintone expires them") {
		t.Fatalf("error %v, want the wait for a slot explained", err)
	}
	// Kintone expires the cursor; so does the budget.
	srv.SetClock(func() time.Time { return time.Date(2026, 1, 5, 9, 11, 0, 0, time.UTC) })
	if n := srv.OpenCursors(); n != 0 {
		t.Fatalf("%d cursors open after Kintone's expiry", n)
	}
	if exp.fire() != 1 {
		t.Fatal("no expiry to fire")
	}
	if n, err := readAll(context.Background(), db, q); err != nil || n != 300 {
		t.Fatalf("after the expiry: %d rows, %v", n, err)
	}
	if n := srv.Stats().Count("POST", "records/cursor"); n != 2 {
		t.Fatalf("%d cursor creations, want 2 (the waiting read sent none)", n)
	}
}

// A read that needs a cursor when none is free, and whose records are too
// many to sort without one, waits for one; without a deadline, not for
// ever: the cursors may be held by the reads it runs inside.
func TestCursorWaitWithoutADeadlineEndsWithAClearError(t *testing.T) {
	srv, c, _, db := cursorApp(t, 300, 1, "&maxBufferedRows=100")
	c.cursors.WaitLimit = 20 * time.Millisecond
	outer, err := db.Query("SELECT num FROM N ORDER BY num")
	if err != nil {
		t.Fatal(err)
	}
	defer outer.Close()
	if !outer.Next() {
		t.Fatal(outer.Err())
	}
	srv.ResetStats()
	_, err = readAll(context.Background(), db, "SELECT num FROM N ORDER BY num DESC")
	if !errors.Is(err, fetch.ErrCursorWaitLimit) || !strings.Contains(err.Error(), "all 1 cursor slots of this sql.DB (DSN maxCursors) are taken") ||
		!strings.Contains(err.Error(), "maxBufferedRows") {
		t.Fatalf("error %v, want the bounded wait explained", err)
	}
	// It read one page by $id, saw that 300 records are too many to sort
	// here, and created no cursor.
	if st := srv.Stats(); st.Count("POST", "records/cursor") != 0 || st.Count("GET", "records") != 1 {
		t.Fatalf("%d cursors created, %d pages read; want none, and one", st.Count("POST", "records/cursor"), st.Count("GET", "records"))
	}
	// The outer read is unharmed, and once it is done the next read gets
	// its cursor.
	n := 1
	for outer.Next() {
		n++
	}
	if err := outer.Err(); err != nil || n != 300 {
		t.Fatalf("the outer read: %d rows, %v", n, err)
	}
	if n, err := readAll(context.Background(), db, "SELECT num FROM N ORDER BY num DESC"); err != nil || n != 300 {
		t.Fatalf("after the outer read: %d rows, %v", n, err)
	}
}

// Whether a failed cursor creation may have created the cursor is
// rest.MayHaveApplied's rule: an answer that proves nothing was done (a
// status a gateway gives before forwarding: 3xx, 401, 407, 413, 414, 431)
// gives the slot back at once; a 503 page, which a gateway also gives after
// forwarding, keeps it until Kintone's expiry. Before, every answer
// without Kintone's JSON error kept its slot for 10.5 minutes.
func TestCursorCreationRefusedBeforeForwardingGivesItsSlotBack(t *testing.T) {
	for _, tc := range []struct {
		status int
		held   bool
	}{
		{302, false}, {401, false}, {407, false}, {413, false}, {414, false}, {431, false},
		{503, true}, {502, true},
	} {
		t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
			srv, err := kintonetest.NewServer()
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { srv.Close() })
			app, err := srv.CreateApp(kintonetest.App{Name: "N", Code: "N", Fields: []kintonetest.Field{{Code: "num", Type: "NUMBER"}}})
			if err != nil {
				t.Fatal(err)
			}
			recs := make([]kintonetest.Record, 300)
			for i := range recs {
				recs[i] = kintonetest.Record{"num": strconv.Itoa(i)}
			}
			if _, err := srv.AddRecords(app, recs...); err != nil {
				t.Fatal(err)
			}
			gw := gateway.Start(t, srv.URL)
			u, _ := url.Parse(srv.DSN())
			g, _ := url.Parse(gw.URL)
			u.Host = g.Host
			cfg, err := dsn.Parse(u.String() + "?useCursor=always&pageSize=100&maxCursors=1&maxBufferedRows=100")
			if err != nil {
				t.Fatal(err)
			}
			c := NewConnector(cfg)
			exp := &expiries{}
			c.cursors.AfterFunc = exp.after
			db := sql.OpenDB(c)
			t.Cleanup(func() { db.Close() })
			if _, err := readAll(context.Background(), db, "SELECT num FROM N LIMIT 1"); err != nil {
				t.Fatal(err)
			}
			gw.Add(gateway.Fault{Method: "POST", Resource: "records/cursor", Action: gateway.Reject, Status: tc.status, Times: 1})
			if _, err := readAll(context.Background(), db, "SELECT num FROM N ORDER BY num"); err == nil {
				t.Fatalf("the read whose cursor creation got %d succeeded", tc.status)
			}
			open, _, taken := c.cursors.Counts()
			if held := taken == 1 && open == 1 && len(exp.d) == 1; held != tc.held {
				t.Fatalf("after a %d: %d slots taken, %d counted open, %d expiry timers; want held %v", tc.status, taken, open, len(exp.d), tc.held)
			}
		})
	}
}

// A cursor that could not be deleted when its rows closed early keeps its
// slot until Kintone's expiry; one deleted gives its slot back at once.
func TestUndeletedCursorKeepsItsSlotUntilKintoneExpiresIt(t *testing.T) {
	srv, c, exp, db := cursorApp(t, 1000, 2, "")
	stopEarly := func() error {
		rows, err := db.Query("SELECT num FROM N ORDER BY num")
		if err != nil {
			return err
		}
		if !rows.Next() {
			return rows.Err()
		}
		return rows.Close()
	}
	if err := stopEarly(); err != nil {
		t.Fatal(err)
	}
	open, _, _ := c.cursors.Counts()
	if open != 0 || len(exp.d) != 0 || srv.OpenCursors() != 0 {
		t.Fatalf("after a deleted cursor: budget holds %d, %d timers, %d open on Kintone", open, len(exp.d), srv.OpenCursors())
	}
	srv.InjectFault(kintonetest.Fault{Method: "DELETE", Resource: "records/cursor", Status: 500, Code: "GAIA_XX99", Times: 5})
	if err := stopEarly(); err == nil {
		t.Fatal("Close hid the failed DELETE")
	}
	open, lost, _ := c.cursors.Counts()
	if open != 1 || lost != 1 || len(exp.d) != 1 || srv.OpenCursors() != 1 {
		t.Fatalf("after a failed DELETE: budget holds %d (%d until expiry), %d timers, %d open on Kintone", open, lost, len(exp.d), srv.OpenCursors())
	}
	exp.fire()
	open, lost, taken := c.cursors.Counts()
	if open != 0 || lost != 0 || taken != 0 {
		t.Fatalf("after the expiry: budget holds %d (%d until expiry), %d slots taken", open, lost, taken)
	}
}

// waitTimers captures the timers of a cursorBudget's waits: the test fires
// them.
type waitTimers struct {
	mu  sync.Mutex
	fns []func()
	d   []time.Duration
}

func (w *waitTimers) after(d time.Duration, f func()) func() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.d = append(w.d, d)
	w.fns = append(w.fns, f)
	return func() bool { return true }
}

func (w *waitTimers) count() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.fns)
}

// fireAll fires every timer started so far.
func (w *waitTimers) fireAll() {
	w.mu.Lock()
	fns := slices.Clone(w.fns)
	w.mu.Unlock()
	for _, f := range fns {
		f()
	}
}

// A read without a deadline waits at most the budget's waitLimit for a
// cursor IN ALL: here it waits for a slot, gets one, is refused by Kintone
// (429 GAIA_TM12: the domain's ten are taken) and waits for one of the
// budget's own cursors to close. Both waits run on the one deadline set
// when the read began to wait: one timer, whose end ends the read with the
// bounded wait explained. (Before, each wait had a minute of its own.)
func TestCursorWaitsOfOneReadShareOneDeadline(t *testing.T) {
	srv, c, _, db := cursorApp(t, 300, 2, "&maxBufferedRows=100")
	timers := &waitTimers{}
	c.cursors.WaitTimer = timers.after
	var held []*sql.Rows
	for range 2 {
		rows, err := db.Query("SELECT num FROM N ORDER BY num")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		if !rows.Next() {
			t.Fatal(rows.Err())
		}
		held = append(held, rows)
	}
	srv.ResetStats()
	srv.InjectFault(kintonetest.Fault{Method: "POST", Resource: "records/cursor", Times: 1, Status: 429, Code: "GAIA_TM12"})
	errs := make(chan error, 1)
	go func() {
		_, err := readAll(context.Background(), db, "SELECT num FROM N ORDER BY num DESC")
		errs <- err
	}()
	deadline := time.Now().Add(10 * time.Second) // fail, not hang
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("never %s", what)
			}
			time.Sleep(time.Millisecond)
		}
	}
	waitFor("waited for a slot", func() bool { return timers.count() >= 1 })
	held[1].Close() // a slot frees; Kintone refuses the cursor
	waitFor("refused", func() bool { return srv.Stats().ByCode["GAIA_TM12"] >= 1 })
	var err error
	for done := false; !done; {
		timers.fireAll()
		select {
		case err = <-errs:
			done = true
		case <-time.After(5 * time.Millisecond):
			if time.Now().After(deadline) {
				t.Fatal("the read never ended")
			}
		}
	}
	if !errors.Is(err, fetch.ErrCursorWaitLimit) || !strings.Contains(err.Error(), "Kintone's 10 open cursors per domain are all taken, 1 of them by this sql.DB") {
		t.Fatalf("error %v, want the bounded wait for one of this sql.DB's cursors explained", err)
	}
	if n := timers.count(); n != 1 || timers.d[0] != c.cursors.WaitLimit {
		t.Fatalf("%d wait timers (%v), want one of the budget's waitLimit for both waits", n, timers.d)
	}
}

// A small LIMIT over many records, inside a read that holds the only
// cursor: sorting in Go would read every record (20 pages against 8
// requests through a cursor), so the read waits for the cursor, which its
// caller holds; without a deadline it fails after the wait, saying what
// would let it run.
func TestNestedSmallLimitReadWithEveryCursorTakenFailsClearly(t *testing.T) {
	srv, c, _, db := cursorApp(t, 2000, 1, "")
	c.cursors.WaitLimit = 20 * time.Millisecond
	outer, err := db.Query("SELECT num FROM N ORDER BY num")
	if err != nil {
		t.Fatal(err)
	}
	defer outer.Close()
	if !outer.Next() {
		t.Fatal(outer.Err())
	}
	srv.ResetStats()
	_, err = readAll(context.Background(), db, "SELECT num FROM N ORDER BY num DESC LIMIT 600")
	if !errors.Is(err, fetch.ErrCursorWaitLimit) || !strings.Contains(err.Error(), "take more than twice the requests of the cursor") ||
		!strings.Contains(err.Error(), "useCursor=never") {
		t.Fatalf("error %v, want the bounded wait and its way out explained", err)
	}
	if st := srv.Stats(); st.Count("GET", "records") != 1 || st.Count("POST", "records/cursor") != 0 {
		t.Fatalf("%d $id pages, %d cursors; want the one page whose total decided, and none", st.Count("GET", "records"), st.Count("POST", "records/cursor"))
	}
}
