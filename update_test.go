package kintone_test

import (
	"errors"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/kintonetest"
)

// stockApp creates an app of n records: code (a unique NUMBER) and sku (a
// unique SINGLE_LINE_TEXT) run 1..n, num 0..n-1.
func stockApp(t *testing.T, srv *kintonetest.Server, n int) (ids []int64) {
	t.Helper()
	app := shopApp(t, srv, "STOCK")
	recs := make([]kintonetest.Record, n)
	for i := range recs {
		recs[i] = kintonetest.Record{"code": strconv.Itoa(i + 1), "sku": "S-" + strconv.Itoa(i+1), "num": strconv.Itoa(i), "label": "old"}
	}
	ids, err := srv.AddRecords(app, recs...)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestUpdatePlans(t *testing.T) {
	srv := newEmulator(t)
	ids := stockApp(t, srv, 1200)
	db := openDB(t, srv.DSN())
	countRows(t, db, "SELECT num FROM STOCK LIMIT 1")
	id := strconv.FormatInt(ids[0], 10)
	for _, tc := range []struct {
		sql      string
		args     []any
		affected int64
		want     map[string]int64
		check    string // a query that must count affected rows
	}{
		{"UPDATE STOCK SET label = 'by id' WHERE $id = ?", []any{ids[0]}, 1,
			map[string]int64{"PUT records": 1}, "label = 'by id' AND $id = " + id},
		{"UPDATE STOCK SET label = 'by ids', num = ? WHERE $id IN (?)", []any{-1, []string{id, strconv.FormatInt(ids[5], 10), id}}, 2,
			map[string]int64{"PUT records": 1}, "label = 'by ids' AND num = -1"},
		{"UPDATE STOCK SET label = 'by text key' WHERE sku = ?", []any{"S-10"}, 1,
			map[string]int64{"PUT records": 1}, "label = 'by text key' AND num = 9"},
		{"UPDATE STOCK SET label = 'by number key' WHERE code = 11", nil, 1,
			map[string]int64{"PUT records": 1}, "label = 'by number key' AND num = 10"},
		{"UPDATE STOCK SET label = 'none' WHERE sku = 'nope'", nil, 0,
			map[string]int64{"PUT records": 1}, "label = 'none'"},
		// Any other WHERE: read $id and $revision (500 per page), then PUT
		// with the revisions: 600 records in one bulkRequest of 6 PUTs.
		{"UPDATE STOCK SET label = 'many' WHERE num >= 600", nil, 600,
			map[string]int64{"GET records": 2, "POST bulkRequest": 1}, "label = 'many'"},
		// 500 records: one page, whose totalCount says it is all.
		{"UPDATE STOCK SET num = num + 10000, label = CONCAT(label, '+') WHERE label = 'many' AND num < 1100", nil, 500,
			map[string]int64{"GET records": 1, "POST bulkRequest": 1}, "num >= 10600 AND label = 'many+'"},
		{"UPDATE STOCK SET label = 'first 3' ORDER BY num DESC LIMIT 3", nil, 3,
			map[string]int64{"GET records": 1, "PUT records": 1}, "label = 'first 3' AND num >= 11097"},
		{"UPDATE STOCK SET label = 'nothing' WHERE num = NULL", nil, 0, map[string]int64{}, "label = 'nothing'"},
	} {
		t.Run(tc.sql, func(t *testing.T) {
			var affected int64
			got := recordRequests(srv, func() { affected, _ = exec(t, db, tc.sql, tc.args...) })
			wantCounts(t, tc.sql, got, tc.want)
			if affected != tc.affected {
				t.Errorf("RowsAffected %d, want %d", affected, tc.affected)
			}
			if n := countRows(t, db, "SELECT $id FROM STOCK WHERE "+tc.check); n != int(tc.affected) {
				t.Errorf("%d records have %s, want %d", n, tc.check, tc.affected)
			}
		})
	}
}

func TestUpdateAcrossBatches(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 2600)
	db := openDB(t, srv.DSN())
	countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1")
	var affected int64
	got := recordRequests(srv, func() { affected, _ = exec(t, db, "UPDATE NUMBERS SET num = num * 2 WHERE num >= 100") })
	// 2,500 records: 5 full pages (the first page's totalCount says when
	// to stop); a bulkRequest of 2,000 and one of 500.
	wantCounts(t, "2,500 updates", got, map[string]int64{"GET records": 5, "POST bulkRequest": 2})
	if affected != 2500 {
		t.Fatalf("RowsAffected %d", affected)
	}
	if n := nums(t, db, "SELECT num FROM NUMBERS WHERE label = 'row 2599'"); len(n) != 1 || n[0] != 5198 {
		t.Fatalf("num of row 2599 is %v", n)
	}
	if n := countRows(t, db, "SELECT num FROM NUMBERS WHERE num < 100"); n != 100 {
		t.Fatalf("%d records below 100", n)
	}
}

func TestUpdateSkipsMissingIDs(t *testing.T) {
	srv := newEmulator(t)
	ids := stockApp(t, srv, 3)
	db := openDB(t, srv.DSN())
	countRows(t, db, "SELECT num FROM STOCK LIMIT 1")
	exec(t, db, "DELETE FROM STOCK WHERE $id = ?", ids[1])
	var affected int64
	got := recordRequests(srv, func() {
		affected, _ = exec(t, db, "UPDATE STOCK SET label = 'x' WHERE $id IN (?, ?, ?)", ids[0], ids[1], ids[2])
	})
	// Kintone refuses the whole PUT for the missing record; the driver
	// finds which exist and sends the PUT again without it.
	wantCounts(t, "missing id", got, map[string]int64{"PUT records": 2, "GET records": 1})
	if affected != 2 || countRows(t, db, "SELECT $id FROM STOCK WHERE label = 'x'") != 2 {
		t.Fatalf("RowsAffected %d", affected)
	}
	affected, _ = exec(t, db, "DELETE FROM STOCK WHERE $id IN (?, ?)", ids[1], ids[2])
	if affected != 1 || countRows(t, db, "SELECT $id FROM STOCK") != 1 {
		t.Fatalf("delete: RowsAffected %d", affected)
	}
	if affected, _ = exec(t, db, "UPDATE STOCK SET label = 'y' WHERE $id = ?", ids[1]); affected != 0 {
		t.Fatalf("update of a deleted record: RowsAffected %d", affected)
	}
}

func TestOptimisticLocking(t *testing.T) {
	srv := newEmulator(t)
	ids := stockApp(t, srv, 2)
	db := openDB(t, srv.DSN())
	var rev int64
	if err := db.QueryRow("SELECT $revision FROM STOCK WHERE $id = ?", ids[0]).Scan(&rev); err != nil {
		t.Fatal(err)
	}
	var affected int64
	got := recordRequests(srv, func() {
		affected, _ = exec(t, db, "UPDATE STOCK SET label = 'mine' WHERE $id = ? AND $revision = ?", ids[0], rev)
	})
	wantCounts(t, "optimistic update", got, map[string]int64{"PUT records": 1})
	if affected != 1 {
		t.Fatalf("RowsAffected %d", affected)
	}
	// The revision read is stale now: a conflict, and nothing written.
	_, err := db.Exec("UPDATE STOCK SET label = 'theirs' WHERE $id = ? AND $revision = ?", ids[0], rev)
	wantCode(t, err, "GAIA_CO02")
	_, err = db.Exec("DELETE FROM STOCK WHERE $id = ? AND $revision = ?", ids[0], rev)
	wantCode(t, err, "GAIA_CO02")
	if n := countRows(t, db, "SELECT $id FROM STOCK WHERE label = 'mine'"); n != 1 {
		t.Fatalf("%d records kept the first update", n)
	}
	if affected, _ = exec(t, db, "DELETE FROM STOCK WHERE $id = ? AND $revision = ?", ids[0], rev+1); affected != 1 {
		t.Fatalf("delete at the right revision: RowsAffected %d", affected)
	}
}

func TestDeletePlans(t *testing.T) {
	srv := newEmulator(t)
	ids := stockApp(t, srv, 3000)
	db := openDB(t, srv.DSN())
	countRows(t, db, "SELECT num FROM STOCK LIMIT 1")
	for _, tc := range []struct {
		sql      string
		args     []any
		affected int64
		want     map[string]int64
		left     int
	}{
		{"DELETE FROM STOCK WHERE $id = ?", []any{ids[0]}, 1, map[string]int64{"DELETE records": 1}, 2999},
		{"DELETE FROM STOCK WHERE $id IN (?, ?)", []any{ids[1], ids[2]}, 2, map[string]int64{"DELETE records": 1}, 2997},
		{"DELETE FROM STOCK WHERE sku = ?", []any{"S-4"}, 1, map[string]int64{"GET records": 1, "DELETE records": 1}, 2996},
		// 700 records: 2 pages, one bulkRequest of 7 DELETEs with revisions.
		{"DELETE FROM STOCK WHERE num < 704", nil, 700, map[string]int64{"GET records": 2, "POST bulkRequest": 1}, 2296},
		// 2,296 records: 5 pages; 2 bulkRequests.
		{"DELETE FROM STOCK", nil, 2296, map[string]int64{"GET records": 5, "POST bulkRequest": 2}, 0},
	} {
		t.Run(tc.sql, func(t *testing.T) {
			var affected int64
			got := recordRequests(srv, func() { affected, _ = exec(t, db, tc.sql, tc.args...) })
			wantCounts(t, tc.sql, got, tc.want)
			if affected != tc.affected {
				t.Errorf("RowsAffected %d, want %d", affected, tc.affected)
			}
			if n := countRows(t, db, "SELECT $id FROM STOCK"); n != tc.left {
				t.Errorf("%d records left, want %d", n, tc.left)
			}
		})
	}
}

func TestUpsert(t *testing.T) {
	srv := newEmulator(t)
	stockApp(t, srv, 3)
	db := openDB(t, srv.DSN())
	countRows(t, db, "SELECT num FROM STOCK LIMIT 1")
	var affected, first int64
	got := recordRequests(srv, func() {
		affected, first = exec(t, db, "INSERT INTO STOCK (sku, label, num) VALUES ('S-2', 'updated', 20), ('S-9', 'new', 90), ('S-3', 'updated', 30) "+
			"ON DUPLICATE KEY UPDATE label = VALUES(label), num = VALUES(num)")
	})
	wantCounts(t, "upsert", got, map[string]int64{"PUT records": 1})
	if affected != 3 {
		t.Errorf("RowsAffected %d", affected)
	}
	var newID int64
	if err := db.QueryRow("SELECT $id FROM STOCK WHERE sku = 'S-9' AND label = 'new' AND num = 90").Scan(&newID); err != nil || newID != first {
		t.Fatalf("the new record %d, LastInsertId %d: %v", newID, first, err)
	}
	if n := nums(t, db, "SELECT num FROM STOCK WHERE label = 'updated'"); len(n) != 2 || n[0] != 20 || n[1] != 30 {
		t.Fatalf("updated %v", n)
	}
	// More than 100 rows: a bulkRequest of PUTs with upsert.
	var b strings.Builder
	b.WriteString("INSERT INTO STOCK (code, label) VALUES ")
	for i := 1; i <= 250; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		b.WriteString("(" + strconv.Itoa(i) + ", 'bulk')")
	}
	b.WriteString(" ON DUPLICATE KEY UPDATE label = VALUES(label)")
	got = recordRequests(srv, func() { affected, _ = exec(t, db, b.String()) })
	wantCounts(t, "bulk upsert", got, map[string]int64{"POST bulkRequest": 1})
	if affected != 250 || countRows(t, db, "SELECT $id FROM STOCK WHERE label = 'bulk'") != 250 || countRows(t, db, "SELECT $id FROM STOCK") != 251 {
		t.Fatalf("RowsAffected %d", affected)
	}
}

// TestConcurrentEditIsAConflict edits a record after the UPDATE read it
// and before its PUT (in a hook on the read, which runs before the read's
// page is handed over): Kintone refuses the stale revision and the other
// edit survives.
func TestConcurrentEditIsAConflict(t *testing.T) {
	srv := newEmulator(t)
	ids := numbersApp2(t, srv, 2400)
	other := openDB(t, srv.DSN())
	var reads, editAt atomic.Int32 // editAt: the read after which to edit
	var editID atomic.Int64
	db := hookedDB(t, srv, func(info kintone.RequestInfo) {
		if info.Method != "GET" || !strings.HasSuffix(info.Path, "/records.json") || reads.Add(1) != editAt.Load() {
			return
		}
		if _, err := other.Exec("UPDATE NUMBERS SET label = 'edited meanwhile' WHERE $id = ?", editID.Load()); err != nil {
			t.Errorf("the concurrent edit: %v", err)
		}
	})
	countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1")

	// One batch: the edit after the first page is read.
	reads.Store(0)
	editAt.Store(1)
	editID.Store(ids[10])
	_, err := db.Exec("UPDATE NUMBERS SET label = 'mass update' WHERE num < 300")
	wantCode(t, err, "GAIA_CO02")
	var pe *kintone.PartialWriteError
	if errors.As(err, &pe) {
		t.Fatalf("nothing was committed, yet %v", err)
	}
	if n := countRows(t, db, "SELECT $id FROM NUMBERS WHERE label = 'mass update'"); n != 0 {
		t.Fatalf("%d records written by the failed batch", n)
	}

	// Two batches: the edit hits a record of the second, after the last
	// page is read; the first batch stays committed.
	reads.Store(0)
	editAt.Store(5)
	editID.Store(ids[2100])
	_, err = db.Exec("UPDATE NUMBERS SET label = 'mass update'")
	if !errors.As(err, &pe) || pe.Committed != 2000 || pe.Batch != 2 || pe.FirstRow != 2001 || pe.LastRow != 2400 || pe.Unknown {
		t.Fatalf("got %v, want a partial write of 2,000 rows", err)
	}
	wantCode(t, err, "GAIA_CO02")
	if n := countRows(t, db, "SELECT $id FROM NUMBERS WHERE label = 'mass update'"); n != 2000 {
		t.Fatalf("%d records updated, want the first batch's 2,000", n)
	}
	var label string
	if err := db.QueryRow("SELECT label FROM NUMBERS WHERE $id = ?", ids[2100]).Scan(&label); err != nil || label != "edited meanwhile" {
		t.Fatalf("the concurrent edit was overwritten: %q, %v", label, err)
	}
}

// numbersApp2 is numbersApp returning the record ids.
func numbersApp2(t *testing.T, srv *kintonetest.Server, n int) []int64 {
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
	ids, err := srv.AddRecords(app, recs...)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func TestUpdateValidationNamesTheRecord(t *testing.T) {
	srv := newEmulator(t)
	ids := stockApp(t, srv, 5)
	db := openDB(t, srv.DSN())
	_, err := db.Exec("UPDATE STOCK SET price = num * 40 WHERE num < 5")
	var re *kintone.RowError
	// num 3 gives 120, over the maximum of 100: the fourth record read.
	if !errors.As(err, &re) || re.Row != 4 || re.ID != ids[3] || re.Column != "price" {
		t.Fatalf("got %v, want a *RowError for row 4", err)
	}
	if !strings.Contains(err.Error(), "row 4 ($id "+strconv.FormatInt(ids[3], 10)+"), column price: ") {
		t.Errorf("message %q", err)
	}
	if n := countRows(t, db, "SELECT $id FROM STOCK WHERE price IS NOT NULL"); n != 0 {
		t.Fatalf("%d records updated", n)
	}
}
