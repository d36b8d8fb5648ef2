package kintone_test

import (
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/kintonetest"
)

// leapQueries returns the queries of the GET records.json that f makes.
func leapQueries(t *testing.T, srv *kintonetest.Server, f func()) []string {
	t.Helper()
	srv.ResetStats()
	f()
	var out []string
	for _, r := range srv.Requests() {
		if r.Resource != "records" || r.Effective != "GET" {
			continue
		}
		v, err := url.ParseQuery(r.Query)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v.Get("query"))
	}
	return out
}

// withOffset counts the queries that page by offset.
func withOffset(queries []string) int {
	n := 0
	for _, q := range queries {
		if strings.Contains(q, " offset ") {
			n++
		}
	}
	return n
}

// mostAtOnce is how many GET records.json of the request log ran at once
// at most.
func mostAtOnce(srv *kintonetest.Server) int {
	type edge struct {
		at time.Time
		d  int
	}
	var edges []edge
	for _, r := range srv.Requests() {
		if r.Resource == "records" && r.Effective == "GET" {
			edges = append(edges, edge{r.Time, 1}, edge{r.Time.Add(r.Duration), -1})
		}
	}
	sort.Slice(edges, func(i, j int) bool {
		if !edges[i].at.Equal(edges[j].at) {
			return edges[i].at.Before(edges[j].at)
		}
		return edges[i].d < edges[j].d
	})
	n, most := 0, 0
	for _, e := range edges {
		n += e.d
		most = max(most, n)
	}
	return most
}

// A read by $id of many pages asks for them several at once by offset (a
// leap read), with the default DSN: the rows come in $id order, each
// once, for the requests a page-by-page read makes when each page's
// repeated record costs none, and with concurrency=1 page after page.
func TestLeapReadsEveryRecordOnceInOrder(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 2345)
	// Gaps in $id.
	if _, err := openDB(t, srv.DSN()).Exec("DELETE FROM NUMBERS WHERE num >= 1000 AND num < 1300"); err != nil {
		t.Fatal(err)
	}
	var all, big []int
	for i := range 2345 {
		if i < 1000 || i >= 1300 {
			all = append(all, i)
			if i >= 100 {
				big = append(big, i)
			}
		}
	}
	desc := slices.Clone(all)
	slices.Reverse(desc)
	for _, params := range []string{"", "?concurrency=1", "?concurrency=2", "?concurrency=3"} {
		db := openDB(t, srv.DSN()+params)
		nums(t, db, "SELECT num FROM NUMBERS LIMIT 1") // warm the schema cache
		for _, tc := range []struct {
			query string
			want  []int
		}{
			{"SELECT num FROM NUMBERS", all},
			{"SELECT num FROM NUMBERS WHERE num >= 100", big},
			{"SELECT num FROM NUMBERS ORDER BY $id", all},
			{"SELECT num FROM NUMBERS ORDER BY $id DESC", desc},
			// LIMIT: the last page asks for no more than the rows taken.
			{"SELECT num FROM NUMBERS LIMIT 1600", all[:1600]},
		} {
			var got []int
			queries := leapQueries(t, srv, func() { got = nums(t, db, tc.query) })
			if !slices.Equal(got, tc.want) {
				t.Fatalf("%s %s: %d rows, want %d in $id order", params, tc.query, len(got), len(tc.want))
			}
			minimum := (len(tc.want) + 499) / 500
			if len(queries) != minimum {
				t.Errorf("%s %s: %d GETs, minimum %d:\n%s", params, tc.query, len(queries), minimum, strings.Join(queries, "\n"))
			}
			if leaped := withOffset(queries); (params == "?concurrency=1") != (leaped == 0) {
				t.Errorf("%s %s: %d pages by offset:\n%s", params, tc.query, leaped, strings.Join(queries, "\n"))
			}
		}
	}
}

// A read whose pages a leap read would cost more than one request in fifty
// above a page-by-page read (here 2 pages to go, of 500 records, 3 as a
// leap) is read page by page; as is the read of the records a DELETE
// removes, which its own batches would shift.
func TestLeapOnlyWhereItPays(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 1500)
	db := openDB(t, srv.DSN())
	nums(t, db, "SELECT num FROM NUMBERS LIMIT 1")
	queries := leapQueries(t, srv, func() { nums(t, db, "SELECT num FROM NUMBERS") })
	if len(queries) != 3 || withOffset(queries) != 0 {
		t.Errorf("1,500 records: %d GETs, %d by offset:\n%s", len(queries), withOffset(queries), strings.Join(queries, "\n"))
	}
	srv2 := newEmulator(t)
	numbersApp(t, srv2, 2345)
	db2 := openDB(t, srv2.DSN())
	nums(t, db2, "SELECT num FROM NUMBERS LIMIT 1")
	queries = leapQueries(t, srv2, func() {
		if _, err := db2.Exec("DELETE FROM NUMBERS WHERE num >= 5"); err != nil {
			t.Fatal(err)
		}
	})
	if withOffset(queries) != 0 {
		t.Errorf("the read of a DELETE paged by offset:\n%s", strings.Join(queries, "\n"))
	}
	if n := countRows(t, db2, "SELECT num FROM NUMBERS"); n != 5 {
		t.Errorf("%d records left, want 5", n)
	}
}

// An edit during a leap read shifts the pages read after it: a record
// deleted (or edited out of the WHERE) before their offset moves them on by
// one, and one edited in moves them back. Each page must begin with the
// last record of the page before; one that does not is not used, and the
// read goes on from the last record it took. Every record that matches
// throughout comes once, in $id order. Pages of 100, 1,090 records: 11
// pages either way, so the read leaps; the edit runs when the answer of
// the second page arrives, while no later page may be asked for yet (at
// most concurrency+1 pages are held and none is handed over before it).
func TestLeapReadSurvivesShiftingPages(t *testing.T) {
	for _, tc := range []struct {
		name, edit string
		gone       int // the num of a record that may or may not come
	}{
		{"a record before the pages deleted", "DELETE FROM NUMBERS WHERE num = 5", 5},
		{"a record before the pages edited out", "UPDATE NUMBERS SET num = 9999 WHERE num = 7", 7},
		{"a record before the pages edited in", "UPDATE NUMBERS SET num = 3 WHERE num = 9999", 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newEmulator(t)
			n := 1090
			if tc.gone == 3 {
				n = 1091 // num 3 is out at the start, edited in during the read
			}
			numbersApp(t, srv, n)
			other := openDB(t, srv.DSN())
			if tc.gone == 3 {
				if _, err := other.Exec("UPDATE NUMBERS SET num = 9999 WHERE num = 3"); err != nil {
					t.Fatal(err)
				}
			}
			proxied, fired := editOnAnswer(t, srv, other, "offset 99", 1, tc.edit)
			db := openDB(t, proxied+"?pageSize=100&concurrency=4")
			var got []int
			queries := leapQueries(t, srv, func() { got = nums(t, db, "SELECT num FROM NUMBERS WHERE num < 5000") })
			if !fired.Load() {
				t.Fatalf("the edit never ran:\n%s", strings.Join(queries, "\n"))
			}
			var want []int
			for i := range n {
				if i != tc.gone {
					want = append(want, i)
				}
			}
			got = slices.DeleteFunc(got, func(n int) bool { return n == tc.gone })
			if !slices.Equal(got, want) {
				t.Fatalf("%d rows, want the %d that matched throughout, in $id order, each once", len(got), len(want))
			}
			if len(queries) <= 11 {
				t.Errorf("%d GETs: no page was seen to shift:\n%s", len(queries), strings.Join(queries, "\n"))
			}
		})
	}
}

// A read of more records than one block of offsets reaches (10,480 at pages
// of 500) anchors each block on the last record of the one before: 30,000
// records in 61 requests (60 page by page: one in fifty more), in $id
// order, with no more requests at once than concurrency.
func TestLeapReadAcrossBlocks(t *testing.T) {
	srv := newEmulator(t, kintonetest.WithLatency(5*time.Millisecond))
	numbersApp(t, srv, 30000)
	db := openDB(t, srv.DSN()+"?concurrency=4")
	nums(t, db, "SELECT num FROM NUMBERS LIMIT 1")
	var got []int
	queries := leapQueries(t, srv, func() { got = nums(t, db, "SELECT num FROM NUMBERS") })
	for i, n := range got {
		if n != i {
			t.Fatalf("row %d is %d", i, n)
		}
	}
	if len(got) != 30000 || len(queries) != 61 {
		t.Errorf("%d rows in %d GETs, want 30,000 in 61", len(got), len(queries))
	}
	if most := mostAtOnce(srv); most > 4 || most < 2 {
		t.Errorf("%d GETs at once, want 2 to 4", most)
	}
	anchored := 0
	for _, q := range queries {
		if strings.Contains(q, "$id > ") {
			anchored++
		}
	}
	if anchored != 61-21 {
		t.Errorf("%d queries after an anchor, want the 40 of the second and third blocks", anchored)
	}
}

// A leap read runs no more requests at once than half of what the domain
// admits leaves, as Kintone's X-ConcurrencyLimit headers report it.
func TestLeapReadLeavesTheDomainRoom(t *testing.T) {
	srv := newEmulator(t, kintonetest.WithLatency(5*time.Millisecond), kintonetest.WithConcurrencyLimit(6))
	numbersApp(t, srv, 10000)
	db := openDB(t, srv.DSN()+"?concurrency=16")
	nums(t, db, "SELECT num FROM NUMBERS LIMIT 1")
	srv.ResetStats()
	if n := len(nums(t, db, "SELECT num FROM NUMBERS")); n != 10000 {
		t.Fatalf("%d rows", n)
	}
	if most := mostAtOnce(srv); most > 3 {
		t.Errorf("%d GETs at once: the domain admits 6", most)
	}
	if st := srv.Stats(); st.Errors != 0 {
		t.Errorf("%d errors: %v", st.Errors, st.ByCode)
	}
}

// Closing the rows of a leap read early stops every page in flight.
func TestLeapReadClosedEarly(t *testing.T) {
	srv := newEmulator(t, kintonetest.WithLatency(2*time.Millisecond))
	numbersApp(t, srv, 10000)
	db := openDB(t, srv.DSN())
	nums(t, db, "SELECT num FROM NUMBERS")
	base := readerGoroutines()
	rows, err := db.Query("SELECT num FROM NUMBERS")
	if err != nil {
		t.Fatal(err)
	}
	for range 1200 {
		rows.Next()
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	waitReaderGoroutines(t, base)
}

// A LIMIT that Go applies to the records as they come (here after the
// check of num IS NOT NULL that a comparison of a number adds) may end the
// read after any page, however many records match: pages asked for ahead
// of it, several at once, would be wasted. Such a read pages one page
// after another, as it did before leap reads: 2 requests for LIMIT 600
// over 4,800 records (3 with the one asked ahead), not 9. A LIMIT that Kintone is told of
// (Spec.MaxRecords) still leaps, asking for no more than it takes.
func TestLeapNotForALimitAppliedInGo(t *testing.T) {
	srv := newEmulator(t, kintonetest.WithLatency(5*time.Millisecond))
	numbersApp(t, srv, 4800)
	db := openDB(t, srv.DSN())
	nums(t, db, "SELECT num FROM NUMBERS LIMIT 1")
	for _, q := range []string{
		"SELECT num FROM NUMBERS WHERE num < 5000 LIMIT 600",
		"SELECT num FROM NUMBERS WHERE num < 5000 ORDER BY $id DESC LIMIT 600",
	} {
		queries := leapQueries(t, srv, func() {
			if n := len(nums(t, db, q)); n != 600 {
				t.Fatalf("%s: %d rows", q, n)
			}
			settled(srv) // the requests cancelled in flight reach the log
		})
		if len(queries) > 3 || withOffset(queries) > 0 {
			t.Errorf("%s: %d GETs, want 2 page after page (3 with one asked ahead):\n%s", q, len(queries), strings.Join(queries, "\n"))
		}
	}
	queries := leapQueries(t, srv, func() { nums(t, db, "SELECT num FROM NUMBERS LIMIT 2400") })
	if len(queries) != 5 || withOffset(queries) == 0 {
		t.Errorf("LIMIT 2400 pushed to Kintone: %d GETs, want 5 by offset:\n%s", len(queries), strings.Join(queries, "\n"))
	}
}

// settled waits until the emulator's request log has stopped growing (no
// new entry for 30 ms, 2 s at most): a request the driver cancelled in
// flight is logged when the emulator is done with it, after the read has
// returned, and a count taken before would miss it.
func settled(srv *kintonetest.Server) {
	n, still := len(srv.Requests()), time.Now()
	for deadline := time.Now().Add(2 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if m := len(srv.Requests()); m != n {
			n, still = m, time.Now()
		} else if time.Since(still) >= 30*time.Millisecond {
			return
		}
	}
}
