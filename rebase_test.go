package kintone_test

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/kintonetest"
)

// updatedApp is an app of n records added in batches of 1,000 a minute
// apart on the emulator's clock (so Updated_datetime is the same within a
// batch), read an hour after the last.
func updatedApp(t *testing.T, n int) *kintonetest.Server {
	t.Helper()
	var mu sync.Mutex
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	advance := func(d time.Duration) {
		mu.Lock()
		now = now.Add(d)
		mu.Unlock()
	}
	srv := newEmulator(t, kintonetest.WithClock(func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}))
	app := numbersApp(t, srv, 0)
	for from := 0; from < n; from += 1000 {
		var recs []kintonetest.Record
		for i := from; i < min(from+1000, n); i++ {
			recs = append(recs, kintonetest.Record{"num": strconv.Itoa(i), "label": "row " + strconv.Itoa(i)})
		}
		if _, err := srv.AddRecords(app, recs...); err != nil {
			t.Fatal(err)
		}
		advance(time.Minute)
	}
	advance(time.Hour)
	return srv
}

// A read ordered by the update time goes past Kintone's offset limit of
// 10,000 without a cursor: each page past it counts its offset from the
// last record handed on ("Updated_datetime < T or (Updated_datetime = T
// and $id >= I)"), and must begin with it. Every record comes once, in the
// SQL order (ties by $id), for the pages of an offset read, one or two
// where the offsets start again, and the change check.
func TestOrderedByUpdateTimeGoesPastTheOffsetLimit(t *testing.T) {
	const n = 12345
	srv := updatedApp(t, n)
	desc := make([]int, 0, n)
	for from := (n - 1) / 1000 * 1000; from >= 0; from -= 1000 {
		for i := from; i < min(from+1000, n); i++ {
			desc = append(desc, i)
		}
	}
	asc := make([]int, n)
	for i := range asc {
		asc[i] = i
	}
	for _, params := range []string{"", "?concurrency=1"} {
		db := openDB(t, srv.DSN()+params)
		nums(t, db, "SELECT num FROM NUMBERS LIMIT 1")
		for _, tc := range []struct {
			query string
			want  []int
		}{
			{"SELECT num FROM NUMBERS ORDER BY Updated_datetime DESC", desc},
			{"SELECT num FROM NUMBERS ORDER BY Updated_datetime", asc},
			{"SELECT num FROM NUMBERS WHERE num >= 100 ORDER BY Updated_datetime DESC LIMIT 11000", slices.DeleteFunc(slices.Clone(desc), func(v int) bool { return v < 100 })[:11000]},
		} {
			var got []int
			queries := leapQueries(t, srv, func() { got = nums(t, db, tc.query) })
			if !slices.Equal(got, tc.want) {
				t.Fatalf("%s %s: %d rows, want %d in order", params, tc.query, len(got), len(tc.want))
			}
			st := srv.Stats()
			if st.ByEndpoint["POST records/cursor"] != 0 {
				t.Errorf("%s %s: a cursor", params, tc.query)
			}
			pages := (len(tc.want) + 498) / 499
			if len(queries) > pages+2 {
				t.Errorf("%s %s: %d GETs for %d pages:\n%s", params, tc.query, len(queries), pages, strings.Join(queries, "\n"))
			}
			rebased := 0
			for _, q := range queries {
				if strings.Contains(q, "$id >= ") {
					rebased++
				}
			}
			if rebased == 0 || rebased == len(queries) {
				t.Errorf("%s %s: %d of %d pages count from an anchor", params, tc.query, rebased, len(queries))
			}
		}
	}
}

// A record edited during such a read moves to the front of an order by the
// update time: into the part already read. The read fails after its last
// row with ErrRecordsChanged, as below the offset limit: never silently.
func TestOrderedByUpdateTimePastTheLimitSaysRecordsChanged(t *testing.T) {
	srv := updatedApp(t, 12000)
	other := openDB(t, srv.DSN())
	proxied, fired := editOnAnswer(t, srv, other, "$id >= ", 1, "UPDATE NUMBERS SET label = 'moved' WHERE num = 500")
	db := openDB(t, proxied+"?concurrency=1")
	rows, err := db.Query("SELECT num FROM NUMBERS ORDER BY Updated_datetime DESC")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		n++
	}
	if !fired.Load() {
		t.Fatal("the edit never ran")
	}
	if err := rows.Err(); !errors.Is(err, kintone.ErrRecordsChanged) || n != 11999 {
		t.Errorf("%d rows, then %v; want the 11,999 that did not move, then ErrRecordsChanged", n, err)
	}
}
