package kintone_test

import (
	"cmp"
	"slices"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/kintonetest"
)

// "Purge the oldest n": the records a DELETE ... ORDER BY the creation time
// LIMIT n writes are read by keyset pages on the creation time and $id,
// which no write moves, so the read asks for the n records only (two pages
// of 500 for 1,000 of 20,000), not for every record of the app to sort.
func TestDeleteOldestReadsOnlyThePagesItDeletes(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 20000)
	db := openDB(t, srv.DSN())
	countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1")
	srv.ResetStats()
	res, err := db.Exec("DELETE FROM NUMBERS ORDER BY Created_datetime, $id LIMIT 1000")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 1000 {
		t.Fatalf("%d rows deleted", n)
	}
	if g := srv.Stats().Count("GET", "records"); g != 2 {
		t.Errorf("%d GET records to find the 1,000 oldest of 20,000 records, want 2", g)
	}
	var lowest int
	if err := db.QueryRow("SELECT MIN(num) FROM NUMBERS").Scan(&lowest); err != nil || lowest != 1000 {
		t.Fatalf("the oldest record left has num %d (%v), want 1000", lowest, err)
	}
}

// UPDATE and DELETE ordered by the creation time (keyset pages, read while
// the write's batches go on) write exactly the first rows in that order,
// under every useCursor. The records were added at three times, the latest
// first, so that the creation time and $id disagree; the update moves its
// records out of its WHERE.
func TestWritesOrderedByCreationTimeChangeTheRightRows(t *testing.T) {
	type rec struct {
		id      int64
		created time.Time
	}
	for _, tc := range []struct {
		name, sql string
		desc      bool
		deletes   bool
	}{
		{"delete oldest", "DELETE FROM KS ORDER BY Created_datetime, $id LIMIT 2500", false, true},
		{"delete newest", "DELETE FROM KS ORDER BY Created_datetime DESC LIMIT 2500", true, true},
		{"update oldest out of the where", "UPDATE KS SET n = 2, label = 'done' WHERE n = 1 ORDER BY Created_datetime LIMIT 2500", false, false},
	} {
		for _, mode := range []string{"auto", "always", "never"} {
			t.Run(tc.name+"/"+mode, func(t *testing.T) {
				clock := time.Date(2026, 4, 1, 10, 2, 0, 0, time.UTC)
				srv := newEmulator(t, kintonetest.WithClock(func() time.Time { return clock }))
				app, err := srv.CreateApp(kintonetest.App{Name: "KS", Code: "KS", Fields: []kintonetest.Field{
					{Code: "label", Type: "SINGLE_LINE_TEXT"}, {Code: "n", Type: "NUMBER"},
				}})
				if err != nil {
					t.Fatal(err)
				}
				var model []rec
				for batch := range 3 {
					at := time.Date(2026, 4, 1, 10, 2-batch, 0, 0, time.UTC)
					srv.SetClock(func() time.Time { return at })
					recs := make([]kintonetest.Record, 900)
					for i := range recs {
						recs[i] = kintonetest.Record{"label": "todo", "n": "1"}
					}
					ids, err := srv.AddRecords(app, recs...)
					if err != nil {
						t.Fatal(err)
					}
					for _, id := range ids {
						model = append(model, rec{id, at})
					}
				}
				srv.SetClock(func() time.Time { return clock.Add(time.Hour) })
				slices.SortFunc(model, func(a, b rec) int {
					c := a.created.Compare(b.created)
					if tc.desc {
						c = -c
					}
					return cmp.Or(c, cmp.Compare(a.id, b.id))
				})
				want := map[int64]bool{}
				for _, r := range model[:2500] {
					want[r.id] = true
				}
				db := openDB(t, srv.DSN()+"?pageSize=100&useCursor="+mode)
				countRows(t, db, "SELECT label FROM KS LIMIT 1")
				srv.ResetStats()
				res, err := db.Exec(tc.sql)
				if err != nil {
					t.Fatal(err)
				}
				if n, _ := res.RowsAffected(); n != 2500 {
					t.Errorf("%d rows affected, want 2500", n)
				}
				if g := srv.Stats().Count("GET", "records"); g != 25 {
					t.Errorf("%d GET records, want the 25 pages of the rows written", g)
				}
				rows, err := db.Query("SELECT $id, label FROM KS")
				if err != nil {
					t.Fatal(err)
				}
				defer rows.Close()
				left := map[int64]string{}
				for rows.Next() {
					var id int64
					var label string
					if err := rows.Scan(&id, &label); err != nil {
						t.Fatal(err)
					}
					left[id] = label
				}
				if err := rows.Err(); err != nil {
					t.Fatal(err)
				}
				wrong := 0
				for _, r := range model {
					label, ok := left[r.id]
					var bad bool
					if tc.deletes {
						bad = ok == want[r.id]
					} else {
						bad = !ok || (label == "done") != want[r.id]
					}
					if bad {
						wrong++
						if wrong <= 3 {
							t.Errorf("record %d (created %s, among the first 2500: %v): present %v, label %q", r.id, r.created.Format("15:04"), want[r.id], ok, label)
						}
					}
				}
				if wrong > 0 {
					t.Fatalf("%s: %d records wrong", tc.sql, wrong)
				}
			})
		}
	}
}
