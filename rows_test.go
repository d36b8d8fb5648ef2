package kintone_test

import (
	"context"
	"database/sql"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/kintonetest"
)

// numbersApp creates an app of n records whose num runs 0..n-1.
func numbersApp(t testing.TB, srv *kintonetest.Server, n int) int64 {
	t.Helper()
	app, err := srv.CreateApp(kintonetest.App{Name: "Numbers", Code: "NUMBERS", Fields: []kintonetest.Field{
		{Code: "num", Type: "NUMBER"},
		{Code: "label", Type: "SINGLE_LINE_TEXT"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	recs := make([]kintonetest.Record, n)
	for i := range recs {
		recs[i] = kintonetest.Record{"num": strconv.Itoa(i), "label": "row " + strconv.Itoa(i)}
	}
	if _, err := srv.AddRecords(app, recs...); err != nil {
		t.Fatal(err)
	}
	return app
}

// recordRequests counts the record-reading requests a function makes (the
// metadata requests of the schema cache aside).
func recordRequests(srv *kintonetest.Server, f func()) map[string]int64 {
	srv.ResetStats()
	f()
	got := map[string]int64{}
	for k, v := range srv.Stats().ByEndpoint {
		switch k {
		case "GET app", "GET app/form/fields", "GET apps":
			continue
		}
		got[k] = v
	}
	return got
}

func countRows(t *testing.T, db *sql.DB, query string, args ...any) int {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func TestReadPlansUseTheFewestRequests(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 1201)
	db := openDB(t, srv.DSN())
	countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1") // warm the schema cache

	for _, tc := range []struct {
		query string
		rows  int
		want  map[string]int64
	}{
		{"SELECT COUNT(*) FROM NUMBERS WHERE num >= 100", 1, map[string]int64{"GET records": 1}},
		{"SELECT num FROM NUMBERS WHERE num < 50 LIMIT 10", 10, map[string]int64{"GET records": 1}},
		{"SELECT num, label FROM NUMBERS", 1201, map[string]int64{"GET records": 3}},
		{"SELECT num FROM NUMBERS WHERE num >= 201", 1000, map[string]int64{"GET records": 2}}, // 500 and 500: the first page's totalCount says that is all
		// Offset pages 500, 499 + 1, 202 + 1, and the change check: no cursor.
		{"SELECT num FROM NUMBERS ORDER BY num DESC", 1201, map[string]int64{"GET records": 4}},
	} {
		var n int
		got := recordRequests(srv, func() { n = countRows(t, db, tc.query) })
		if n != tc.rows {
			t.Errorf("%s: %d rows, want %d", tc.query, n, tc.rows)
		}
		if !equalCounts(got, tc.want) {
			t.Errorf("%s: requests %v, want %v", tc.query, got, tc.want)
		}
	}
	if srv.OpenCursors() != 0 {
		t.Fatalf("%d cursors left open", srv.OpenCursors())
	}
}

func TestEarlyCloseDeletesTheCursor(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 1201)
	db := openDB(t, srv.DSN()+"?useCursor=always")
	got := recordRequests(srv, func() {
		rows, err := db.Query("SELECT num FROM NUMBERS ORDER BY num DESC")
		if err != nil {
			t.Fatal(err)
		}
		if !rows.Next() {
			t.Fatal(rows.Err())
		}
		var num int
		if err := rows.Scan(&num); err != nil || num != 1200 {
			t.Fatalf("first row %d, %v", num, err)
		}
		if err := rows.Close(); err != nil {
			t.Fatal(err)
		}
	})
	if srv.OpenCursors() != 0 || got["DELETE records/cursor"] != 1 {
		t.Fatalf("after an early Close: %d cursors open, requests %v", srv.OpenCursors(), got)
	}
	// No goroutine outlives the rows: the count comes back to what it was
	// with the connection pool warm.
	base := readerGoroutines()
	for range 5 {
		rows, err := db.Query("SELECT num FROM NUMBERS ORDER BY num DESC")
		if err != nil {
			t.Fatal(err)
		}
		rows.Next()
		rows.Close()
	}
	waitReaderGoroutines(t, base)
	// A cancelled context stops the read and still frees the cursor.
	ctx, cancel := context.WithCancel(context.Background())
	rows, err := db.QueryContext(ctx, "SELECT num FROM NUMBERS ORDER BY num DESC")
	if err != nil {
		t.Fatal(err)
	}
	rows.Next()
	cancel()
	for rows.Next() {
	}
	if rows.Err() == nil {
		t.Fatal("reading on after cancel: no error")
	}
	rows.Close()
	if srv.OpenCursors() != 0 {
		t.Fatalf("after a cancel: %d cursors open", srv.OpenCursors())
	}
}

// Reading 100,000 records keeps the driver's memory at a few pages: the
// live heap after reading 90% of them is not larger than after 10% by more
// than the size of a few pages.
func TestReadingStaysFlat(t *testing.T) {
	const n = 100_000
	srv := newEmulator(t)
	numbersApp(t, srv, n)
	db := openDB(t, srv.DSN())
	rows, err := db.Query("SELECT num, label FROM NUMBERS")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	heap := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	var at10, at90 uint64
	i := 0
	for rows.Next() {
		var num int
		var label string
		if err := rows.Scan(&num, &label); err != nil {
			t.Fatal(err)
		}
		if num != i {
			t.Fatalf("row %d has num %d", i, num)
		}
		i++
		switch i {
		case n / 10:
			at10 = heap()
		case n * 9 / 10:
			at90 = heap()
		}
	}
	if err := rows.Err(); err != nil || i != n {
		t.Fatalf("read %d rows: %v", i, err)
	}
	// 80,000 records of this app are about 10 MB decoded; a few pages are
	// well under 4 MB.
	if at90 > at10+4<<20 {
		t.Fatalf("heap grew from %d to %d bytes while streaming", at10, at90)
	}
}

func equalCounts(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// intRows reads the single integer column of rows (err is the error of the
// query that made them).
func intRows(t *testing.T, rows *sql.Rows, err error) []int {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// readerGoroutines counts the goroutines running the driver's readers
// (package internal/fetch): not the HTTP connections' own, which the pool
// opens and keeps as it likes (counting every goroutine made these tests
// fail when a closing request took a fresh connection).
func readerGoroutines() int {
	buf := make([]byte, 1<<22)
	n := 0
	for _, g := range strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n") {
		if strings.Contains(g, "kintone/internal/fetch.") {
			n++
		}
	}
	return n
}

// waitReaderGoroutines waits up to 5 s for the readers to be back to
// base, and fails with every goroutine's stack otherwise.
func waitReaderGoroutines(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for readerGoroutines() > base {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d reader goroutines after closing the rows, %d before\n%s", readerGoroutines(), base, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}
