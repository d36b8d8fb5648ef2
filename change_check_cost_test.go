package kintone_test

import (
	"fmt"
	"testing"
)

// What the change check of an ordered read costs right after a bulk update
// of the records it reads (every record was changed in the minute the read
// begins, so all are in the check's window), as the README says: the rows
// returned are left out of the check by runs of $id, all of them when they
// form at most 30 runs, else the 30 longest; the others are read again, a
// request per 500. 5,000 records in pages of 500 (each page after the
// first overlaps the one before by a record); out of the WHERE:
//   - none: one run, the check costs one request;
//   - every 125th (40 runs of 124): the 30 longest are left out, the check
//     reads the 1,240 rows of the other 10 again, and costs 3 requests;
//   - every tenth (500 runs of 9): it reads 4,230 rows again, 9 requests,
//     about one per page.
func TestChangeCheckCostAfterABulkUpdate(t *testing.T) {
	for _, tc := range []struct {
		every, rows   int
		pages, checks int64
	}{
		{0, 5000, 11, 1},
		{125, 4960, 10, 3},
		{10, 4500, 10, 9},
	} {
		t.Run(fmt.Sprintf("every %d out", tc.every), func(t *testing.T) {
			srv := newEmulator(t)
			numbersApp(t, srv, 5000)
			db := openDB(t, srv.DSN())
			if tc.every > 0 {
				if _, err := db.Exec("UPDATE NUMBERS SET num = num + 100000 WHERE num % ? = ?", tc.every, tc.every-1); err != nil {
					t.Fatal(err)
				}
			} else if _, err := db.Exec("UPDATE NUMBERS SET label = CONCAT(label, '')"); err != nil {
				t.Fatal(err)
			}
			srv.ResetStats()
			if n := countRows(t, db, "SELECT $id, label FROM NUMBERS WHERE num < 100000 ORDER BY label"); n != tc.rows {
				t.Fatalf("%d rows, want %d", n, tc.rows)
			}
			if got := srv.Stats().Count("GET", "records"); got != tc.pages+tc.checks {
				t.Errorf("%d GET records, want %d pages and %d of the change check", got, tc.pages, tc.checks)
			}
		})
	}
}
