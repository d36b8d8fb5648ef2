package kintone_test

// maxRows caps the rows a SELECT without LIMIT returns, and only that
// (issue 12, item 12); maxBufferedRows bounds what a Go-side step holds.

import (
	"errors"
	"slices"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest"
	"github.com/kintone-sql/kintone/translate"
)

func TestMaxRowsCapsTheRowsASelectWithoutLimitReturns(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 1200)
	for _, tc := range []struct {
		dsn   string
		query string
		want  []int            // nil: check the count only
		rows  int              // the row count when want is nil
		reqs  map[string]int64 // nil: not checked
	}{
		// Pushed to Kintone as a limit: one GET of 100, or pages that
		// stop at the cap (500 + 200).
		{"?maxRows=100", "SELECT num FROM NUMBERS", numSeq(0, 99), 0, getReqs(1)},
		{"?maxRows=700", "SELECT num FROM NUMBERS", numSeq(0, 699), 0, getReqs(2)},
		{"?maxRows=100", "SELECT num FROM NUMBERS WHERE num >= 1150", numSeq(1150, 1199), 0, getReqs(1)},
		{"?maxRows=100", "SELECT num FROM NUMBERS ORDER BY num DESC", numSeq(1199, 1100), 0, getReqs(1)},
		{"?maxRows=600&useCursor=always", "SELECT num FROM NUMBERS ORDER BY num DESC", numSeq(1199, 600), 0, nil},
		// A sort, a filter or DISTINCT in Go: the cap applies to what
		// they return, the best rows of all.
		{"?maxRows=3", "SELECT num FROM NUMBERS ORDER BY CONCAT(label, '') DESC", []int{999, 998, 997}, 0, nil},
		{"?maxRows=4", "SELECT num FROM NUMBERS WHERE label LIKE '%7'", []int{7, 17, 27, 37}, 0, nil},
		{"?maxRows=2", "SELECT DISTINCT num % 3 FROM NUMBERS ORDER BY 1", []int{0, 1}, 0, nil},
		// Aggregates see every record; only the result rows are capped.
		{"?maxRows=1", "SELECT COUNT(*) FROM NUMBERS", []int{1200}, 0, getReqs(1)},
		{"?maxRows=5", "SELECT SUM(num) FROM NUMBERS", []int{719400}, 0, nil},
		{"?maxRows=3", "SELECT COUNT(*) FROM NUMBERS GROUP BY num % 10 ORDER BY 1", []int{120, 120, 120}, 0, nil},
		// An explicit LIMIT is the caller's: maxRows does not apply.
		{"?maxRows=100", "SELECT num FROM NUMBERS LIMIT 150", numSeq(0, 149), 0, getReqs(1)},
		{"?maxRows=100", "SELECT num FROM NUMBERS ORDER BY num LIMIT 5 OFFSET 300", numSeq(300, 304), 0, nil},
		// Metadata statements are not queries of records.
		{"?maxRows=1", "SHOW COLUMNS FROM NUMBERS", nil, 9, nil},
		{"?maxRows=1", "SELECT column_name FROM information_schema.columns WHERE table_name = 'NUMBERS'", nil, 9, nil},
		// 0 and CData's -1 mean no cap.
		{"?maxRows=-1", "SELECT num FROM NUMBERS", nil, 1200, nil},
		{"", "SELECT num FROM NUMBERS", nil, 1200, nil},
	} {
		db := openDB(t, srv.DSN()+tc.dsn)
		countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1") // warm the schema cache
		var got []int
		var n int
		reqs := recordRequests(srv, func() {
			if tc.want != nil {
				got = readNums(t, db, tc.query)
			} else {
				n = countRows(t, db, tc.query)
			}
		})
		switch {
		case tc.want != nil && !slices.Equal(got, tc.want):
			t.Errorf("%s %s: %d rows %v, want %d rows %v", tc.dsn, tc.query, len(got), head(got), len(tc.want), head(tc.want))
		case tc.want == nil && n != tc.rows:
			t.Errorf("%s %s: %d rows, want %d", tc.dsn, tc.query, n, tc.rows)
		}
		if tc.reqs != nil && !equalCounts(reqs, tc.reqs) {
			t.Errorf("%s %s: requests %v, want %v", tc.dsn, tc.query, reqs, tc.reqs)
		}
	}
	if srv.OpenCursors() != 0 {
		t.Errorf("%d cursors left open", srv.OpenCursors())
	}
}

// head is the first few of a list, for messages.
func head(v []int) []int { return v[:min(len(v), 5)] }

func TestMaxRowsDoesNotCapWrites(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 1200)
	if _, err := srv.CreateApp(kintonetest.App{Name: "Copy", Code: "COPY", Fields: []kintonetest.Field{{Code: "num", Type: "NUMBER"}}}); err != nil {
		t.Fatal(err)
	}
	db := openDB(t, srv.DSN()+"?maxRows=10")
	for _, w := range []struct {
		sql  string
		rows int64
	}{
		{"UPDATE NUMBERS SET label = 'seen' WHERE num >= 100", 1100},
		{"INSERT INTO COPY (num) SELECT num FROM NUMBERS WHERE label = 'seen'", 1100},
		{"DELETE FROM NUMBERS WHERE num < 600", 600},
		{"DELETE FROM COPY", 1100},
	} {
		res, err := db.Exec(w.sql)
		if err != nil {
			t.Fatalf("%s: %v", w.sql, err)
		}
		if n, _ := res.RowsAffected(); n != w.rows {
			t.Errorf("%s: %d rows affected, want %d", w.sql, n, w.rows)
		}
	}
	if n := scalarInt(t, db, "SELECT COUNT(*) FROM NUMBERS WHERE label = 'seen'"); n != 600 {
		t.Errorf("%d records left seen, want 600", n)
	}
}

func TestMaxBufferedRowsBoundsGoSideSteps(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 1200)
	// A sort Kintone cannot do holds every row: past the bound it fails
	// rather than return part of the answer.
	db := openDB(t, srv.DSN()+"?maxBufferedRows=500")
	for _, q := range []string{
		"SELECT num FROM NUMBERS ORDER BY CONCAT(label, '')",
		"SELECT DISTINCT label FROM NUMBERS",
		"SELECT label, COUNT(*) FROM NUMBERS GROUP BY label",
	} {
		rows, err := db.Query(q)
		if err == nil {
			for rows.Next() {
			}
			err = rows.Err()
			rows.Close()
		}
		if !errors.Is(err, translate.ErrTooManyRows) {
			t.Errorf("%s: %v, want ErrTooManyRows", q, err)
		}
	}
	// Within the bound, and with LIMIT (a bounded heap), it works.
	if n := countRows(t, db, "SELECT num FROM NUMBERS ORDER BY CONCAT(label, '') LIMIT 400"); n != 400 {
		t.Errorf("ORDER BY CONCAT(label, '') LIMIT 400: %d rows", n)
	}
	if n := countRows(t, db, "SELECT DISTINCT num % 7 FROM NUMBERS"); n != 7 {
		t.Errorf("DISTINCT num %% 7: %d rows", n)
	}
	// maxRows alone bounds a sort by its cap, as a LIMIT does.
	db = openDB(t, srv.DSN()+"?maxRows=10")
	if got := readNums(t, db, "SELECT num FROM NUMBERS ORDER BY CONCAT(label, '') DESC"); len(got) != 10 || got[0] != 999 {
		t.Errorf("ORDER BY CONCAT(label, '') DESC under maxRows=10: %v", got)
	}
}
