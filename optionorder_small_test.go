package kintone_test

import (
	"database/sql"
	"fmt"
	"slices"
	"testing"
)

// smallOptionStatements are ORDER BY an option field with a LIMIT: both
// kinds of field, both directions, NULLS FIRST and LAST, second keys
// Kintone sorts and keys Go sorts, OFFSET, conditions on the field.
var smallOptionStatements = []string{
	"SELECT $id, pri FROM OPTS ORDER BY pri LIMIT 2",
	"SELECT $id, pri FROM OPTS ORDER BY pri DESC LIMIT 2",
	"SELECT $id, pri FROM OPTS ORDER BY pri NULLS LAST LIMIT 5 OFFSET 3",
	"SELECT $id, pri FROM OPTS ORDER BY pri DESC NULLS FIRST LIMIT 7 OFFSET 40",
	"SELECT $id, pri, num FROM OPTS ORDER BY pri, num DESC LIMIT 30 OFFSET 200",
	"SELECT $id, pri, mark FROM OPTS ORDER BY pri DESC, mark LIMIT 4",
	"SELECT $id, pri FROM OPTS WHERE pri <> 'low' ORDER BY pri LIMIT 3",
	"SELECT $id, pri FROM OPTS WHERE pri IN ('low', 'high') ORDER BY pri DESC LIMIT 3 OFFSET 1",
	"SELECT $id, mark FROM OPTS ORDER BY mark LIMIT 2",
	"SELECT $id, mark FROM OPTS ORDER BY mark DESC LIMIT 2 OFFSET 60",
	"SELECT $id, mark, num FROM OPTS ORDER BY mark NULLS LAST, num, $id DESC LIMIT 9",
	"SELECT $id, mark FROM OPTS WHERE mark IN ('m', 'z') ORDER BY mark LIMIT 2",
	"SELECT $id, mark, title FROM OPTS WHERE title LIKE '%1%' ORDER BY mark DESC LIMIT 6",
}

// checkRequests runs query, compares its rows with those the sort in Go
// gives and its GET records requests with gets.
func checkRequests(t *testing.T, db *sql.DB, reqs func(func()) map[string]int64, query, what string, gets int64) {
	t.Helper()
	checkRequestsAgainst(t, db, db, reqs, query, what, gets)
}

// checkRequestsAgainst is checkRequests with the sort in Go run on ref.
func checkRequestsAgainst(t *testing.T, db, ref *sql.DB, reqs func(func()) map[string]int64, query, what string, gets int64) {
	t.Helper()
	want := firstRows(t, ref, query)
	var got []string
	n := reqs(func() { got = rowStrings(t, db, query) })
	if !slices.Equal(got, want) {
		t.Errorf("%s (%s):\n got %v\nwant %v (the sort in Go)", query, what, got, want)
	}
	if n["GET records"] != gets || len(n) != 1 {
		t.Errorf("%s (%s): requests %v, want %d GET records", query, what, n, gets)
	}
}

// An app of fewer than 500 records is one request for ORDER BY an option
// field with a LIMIT, as it was when the records were sorted in Go: its
// page of records by $id holds them all, and they are sorted from it.
// With empty values and values of options removed from the form among
// them, and with no record at all.
func TestOptionOrderSmallAppIsOneRequest(t *testing.T) {
	for _, n := range []int{0, 1, 2, 499} {
		t.Run(fmt.Sprint(n, " records"), func(t *testing.T) {
			srv := newEmulator(t)
			app := optionsApp(t, srv, n, cycle("old", "", "medium", "high", "low", "urgent"), cycle("gone", "", "z", "b", "m"))
			removeLastOptions(t, srv, app)
			db := openDB(t, srv.DSN())
			reqs := func(f func()) map[string]int64 { return recordRequests(srv, f) }
			for _, q := range smallOptionStatements {
				checkRequests(t, db, reqs, q, fmt.Sprint(n, " records"), 1)
			}
		})
	}
}

// A condition that leaves fewer than 500 records of a larger app is one
// request too; 500 records and more fill the page, which may not hold
// them all, and the reads per option follow: that page is the request
// more a large app pays. Each exact.
func TestOptionOrderSmallConditionIsOneRequest(t *testing.T) {
	srv := newEmulator(t)
	app := optionsApp(t, srv, 1200, cycle("old", "", "medium", "high", "low", "urgent"), cycle("gone", "", "z", "b", "m"))
	removeLastOptions(t, srv, app)
	db := openDB(t, srv.DSN())
	countRows(t, db, "SELECT $id FROM OPTS LIMIT 1")
	reqs := func(f func()) map[string]int64 { return recordRequests(srv, f) }
	for _, tc := range []struct {
		where string
		gets  int64
	}{
		{"$id > 5000", 1},
		{"$id = 7", 1},
		{"$id <= 2", 1},
		{"$id <= 499", 1},
		{"$id > 701", 1},
		{"pri IN ('high', 'low') AND $id <= 1000", 1},
		{"mark = 'b' AND num > 2", 1},
	} {
		for _, q := range []string{
			"SELECT $id, pri FROM OPTS WHERE %s ORDER BY pri LIMIT 3",
			"SELECT $id, pri, num FROM OPTS WHERE %s ORDER BY pri DESC, num LIMIT 4 OFFSET 7",
			"SELECT $id, mark FROM OPTS WHERE %s ORDER BY mark NULLS LAST LIMIT 2",
		} {
			checkRequests(t, db, reqs, fmt.Sprintf(q, tc.where), tc.where, tc.gets)
		}
	}
	// 500 records fill the page: it may not be every record, and the
	// reads per option answer: the page, the read of values no option
	// has, and the first read in SQL's order (the empty values
	// ascending, urgent descending). 501 likewise, and every record
	// (where the sort in Go read 3 pages).
	for _, where := range []string{"$id <= 500", "$id <= 501", "$id > 0"} {
		checkRequests(t, db, reqs, "SELECT $id, pri FROM OPTS WHERE "+where+" ORDER BY pri LIMIT 2", where, 3)
		checkRequests(t, db, reqs, "SELECT $id, pri FROM OPTS WHERE "+where+" ORDER BY pri DESC LIMIT 2", where, 3)
		// The page, the read of no option and its two counts, the
		// first option's (b).
		checkRequests(t, db, reqs, "SELECT $id, mark FROM OPTS WHERE "+where+" ORDER BY mark LIMIT 2", where, 5)
	}
	for _, q := range smallOptionStatements {
		want := firstRows(t, db, q)
		if got := rowStrings(t, db, q); !slices.Equal(got, want) {
			t.Errorf("%s:\n got %v\nwant %v (the sort in Go)", q, got, want)
		}
	}
}

// The page tried first is the DSN's page size: an app that fits in a
// page of 50 is one request, one of 50 records or more reads per option
// after it. Under maxBufferedRows, which the page's records are held
// against, the page is no longer than that.
func TestOptionOrderSmallPageSize(t *testing.T) {
	srv := newEmulator(t)
	app := optionsApp(t, srv, 120, cycle("old", "", "medium", "high", "low", "urgent"), cycle("gone", "", "z", "b", "m"))
	removeLastOptions(t, srv, app)
	db := openDB(t, srv.DSN()+"?pageSize=50")
	reqs := func(f func()) map[string]int64 { return recordRequests(srv, f) }
	checkRequests(t, db, reqs, "SELECT $id, pri FROM OPTS WHERE $id <= 49 ORDER BY pri LIMIT 2", "49 records", 1)
	checkRequests(t, db, reqs, "SELECT $id, pri FROM OPTS WHERE $id <= 50 ORDER BY pri LIMIT 2", "50 records", 3)
	checkRequests(t, db, reqs, "SELECT $id, pri FROM OPTS ORDER BY pri LIMIT 2", "120 records", 3)
	held := openDB(t, srv.DSN()+"?maxBufferedRows=10")
	countRows(t, held, "SELECT $id FROM OPTS LIMIT 1")
	checkRequestsAgainst(t, held, db, reqs, "SELECT $id, pri FROM OPTS WHERE $id <= 9 ORDER BY pri LIMIT 2", "9 records", 1)
	// The page, the read of no option, urgent's (one record) and
	// medium's.
	checkRequestsAgainst(t, held, db, reqs, "SELECT $id, pri FROM OPTS WHERE $id <= 10 ORDER BY pri DESC LIMIT 2", "10 records", 4)
	// The page, the read of no option, urgent's.
	checkRequestsAgainst(t, held, db, reqs, "SELECT $id, pri FROM OPTS ORDER BY pri DESC LIMIT 2", "120 records", 3)
}
