package kintone_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/dsn"
	"github.com/kintone-sql/kintone/kintonetest"
	"github.com/kintone-sql/kintone/translate"
)

// shopApp creates an app with a field of most writable types and two
// unique fields, code (NUMBER) and sku (SINGLE_LINE_TEXT).
func shopApp(t testing.TB, srv *kintonetest.Server, code string) int64 {
	t.Helper()
	app, err := srv.CreateApp(kintonetest.App{Name: code, Code: code, Fields: []kintonetest.Field{
		{Code: "code", Type: "NUMBER", Unique: true},
		{Code: "sku", Type: "SINGLE_LINE_TEXT", Unique: true},
		{Code: "label", Type: "SINGLE_LINE_TEXT"},
		{Code: "num", Type: "NUMBER"},
		{Code: "price", Type: "NUMBER", MaxValue: "100"},
		{Code: "due", Type: "DATE"},
		{Code: "at", Type: "DATETIME"},
		{Code: "alarm", Type: "TIME"},
		{Code: "tags", Type: "CHECK_BOX", Options: []string{"a", "b", "c"}},
		{Code: "tech", Type: "MULTI_SELECT", Options: []string{"go", "js"}},
		{Code: "owner", Type: "USER_SELECT"},
		{Code: "items", Type: "SUBTABLE", Fields: []kintonetest.Field{
			{Code: "item", Type: "SINGLE_LINE_TEXT"},
			{Code: "qty", Type: "NUMBER"},
		}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return app
}

// valuesSQL builds "INSERT INTO table (num, label) VALUES (from, 'row
// from'), ..." for n rows.
func valuesSQL(table string, from, n int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "INSERT INTO %s (num, label) VALUES ", table)
	for i := from; i < from+n; i++ {
		if i > from {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "(%d,'row %d')", i, i)
	}
	return b.String()
}

// nums reads num of every record in $id order.
func nums(t *testing.T, db *sql.DB, query string, args ...any) []int {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return intRows(t, rows, nil)
}

// exec runs a write and returns its result's two numbers.
func exec(t *testing.T, db *sql.DB, query string, args ...any) (affected, lastID int64) {
	t.Helper()
	res, err := db.Exec(query, args...)
	if err != nil {
		t.Fatalf("%.80s: %v", query, err)
	}
	affected, err = res.RowsAffected()
	if err != nil {
		t.Fatal(err)
	}
	lastID, err = res.LastInsertId()
	if err != nil {
		t.Fatal(err)
	}
	return affected, lastID
}

// wantCounts checks the write's requests.
func wantCounts(t *testing.T, what string, got, want map[string]int64) {
	t.Helper()
	if !equalCounts(got, want) {
		t.Errorf("%s: requests %v, want %v", what, got, want)
	}
}

func TestInsertUsesTheBiggestBatches(t *testing.T) {
	srv := newEmulator(t)
	db := openDB(t, srv.DSN())
	for _, tc := range []struct {
		n    int
		want map[string]int64
	}{
		{1, map[string]int64{"POST records": 1}},
		{100, map[string]int64{"POST records": 1}},
		{101, map[string]int64{"POST bulkRequest": 1}},
		{2000, map[string]int64{"POST bulkRequest": 1}},
		{2001, map[string]int64{"POST bulkRequest": 1, "POST records": 1}},
		{10000, map[string]int64{"POST bulkRequest": 5}},
	} {
		t.Run(strconv.Itoa(tc.n), func(t *testing.T) {
			code := "INS" + strconv.Itoa(tc.n)
			shopApp(t, srv, code)
			countRows(t, db, "SELECT COUNT(*) FROM "+code) // load the schema
			query := valuesSQL(code, 0, tc.n)
			var affected, first int64
			got := recordRequests(srv, func() { affected, first = exec(t, db, query) })
			wantCounts(t, query[:40], got, tc.want)
			if affected != int64(tc.n) {
				t.Errorf("RowsAffected %d, want %d", affected, tc.n)
			}
			// Every row is there, in order, and the first id is the first new one.
			if got := nums(t, db, "SELECT num FROM "+code); len(got) != tc.n || got[0] != 0 || got[tc.n-1] != tc.n-1 {
				t.Fatalf("read back %d rows", len(got))
			}
			var firstID int64
			var label string
			if err := db.QueryRow("SELECT $id, label FROM "+code+" ORDER BY $id LIMIT 1").Scan(&firstID, &label); err != nil {
				t.Fatal(err)
			}
			if first != firstID || label != "row 0" {
				t.Errorf("LastInsertId %d, first record %d %q", first, firstID, label)
			}
		})
	}
}

func TestInsertConvertsGoValues(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skip(err)
	}
	srv := newEmulator(t)
	shopApp(t, srv, "SHOP")
	db := openDB(t, srv.DSN()+"?loc=Asia%2FTokyo")
	at := time.Date(2024, 5, 1, 9, 30, 0, 0, tokyo)
	_, err = db.Exec("INSERT INTO SHOP (label, num, due, at, alarm, tags, tech, owner, items) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?), ('json', 2.50, '2024-06-30', '2024-06-30 23:59', '07:05', '[\"c\"]', '[]', '[]', NULL)",
		"go", int64(7), at, at, at, []string{"a", "b"}, `["go","js"]`, []string{"admin"},
		`[{"value":{"item":{"value":"bolt"},"qty":{"value":"3"}}},{"value":{"item":{"value":"nut"},"qty":{"value":"1e1"}}}]`)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := db.Query("SELECT label, num, due, at, alarm, tags, tech, owner, items FROM SHOP ORDER BY $id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	type rec struct {
		label, num              string
		due, at, alarm          time.Time
		tags, tech, owner, item sql.NullString
	}
	var got []rec
	for rows.Next() {
		var r rec
		if err := rows.Scan(&r.label, &r.num, &r.due, &r.at, &r.alarm, &r.tags, &r.tech, &r.owner, &r.item); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if err := rows.Err(); err != nil || len(got) != 2 {
		t.Fatalf("%d rows: %v", len(got), err)
	}
	g := got[0]
	if g.num != "7" || g.due.Format(time.DateOnly) != "2024-05-01" || !g.at.Equal(at) || g.alarm.Format("15:04") != "09:30" {
		t.Errorf("scalars: %+v", g)
	}
	if g.tags.String != `["a","b"]` || g.tech.String != `["go","js"]` || !strings.Contains(g.owner.String, `"code":"admin"`) {
		t.Errorf("lists: %s %s %s", g.tags.String, g.tech.String, g.owner.String)
	}
	if !strings.Contains(g.item.String, `"bolt"`) || !strings.Contains(g.item.String, `"qty":{"type":"NUMBER","value":"10"}`) {
		t.Errorf("subtable: %s", g.item.String)
	}
	g = got[1]
	if g.num != "2.5" || g.due.Format(time.DateOnly) != "2024-06-30" || g.at.In(tokyo).Format("15:04") != "23:59" || g.alarm.Format("15:04") != "07:05" || g.tags.String != `["c"]` || g.tech.String != "[]" || g.item.String != "[]" {
		t.Errorf("literals: %+v", g)
	}
}

func TestInsertValidationNamesRowAndColumn(t *testing.T) {
	srv := newEmulator(t)
	shopApp(t, srv, "SHOP")
	db := openDB(t, srv.DSN())
	// One POST: Kintone's records[2].price.value is row 3.
	_, err := db.Exec("INSERT INTO SHOP (label, price) VALUES ('a', 1), ('b', 2), ('c', 1000)")
	var re *kintone.RowError
	if !errors.As(err, &re) || re.Row != 3 || re.Column != "price" || re.Statement != 0 {
		t.Fatalf("got %v, want a *RowError for row 3, column price", err)
	}
	if !strings.Contains(err.Error(), "row 3, column price: ") || !strings.Contains(err.Error(), "CB_VA01") {
		t.Errorf("message %q", err)
	}
	wantCode(t, err, "CB_VA01")
	var pe *kintone.PartialWriteError
	if errors.As(err, &pe) {
		t.Errorf("a failure of the only batch is not partial: %v", err)
	}
	// A bulkRequest: request 1, records[29] is row 130.
	var b strings.Builder
	b.WriteString("INSERT INTO SHOP (label, price) VALUES ")
	for i := 1; i <= 150; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		price := 1
		if i == 130 || i == 140 {
			price = 101
		}
		fmt.Fprintf(&b, "('r%d', %d)", i, price)
	}
	_, err = db.Exec(b.String())
	if !errors.As(err, &re) || re.Row != 130 || re.Column != "price" {
		t.Fatalf("got %v, want a *RowError for row 130", err)
	}
	var be *kintone.BulkError
	if !errors.As(err, &be) || be.Index != 1 {
		t.Errorf("the bulkRequest's error: %v", err)
	}
	// A value the driver cannot convert is refused before any request.
	got := recordRequests(srv, func() {
		_, err = db.Exec("INSERT INTO SHOP (label, num) VALUES ('a', 1), ('b', ?)", "many")
	})
	var ve *translate.ValueError
	if !errors.As(err, &ve) || ve.Row != 2 || ve.Column != "num" || len(got) != 0 {
		t.Fatalf("got %v after requests %v, want a *translate.ValueError for row 2", err, got)
	}
	if n := countRows(t, db, "SELECT $id FROM SHOP"); n != 0 {
		t.Fatalf("%d records written", n)
	}
}

func TestInsertSelectStreamsBetweenApps(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 2500)
	shopApp(t, srv, "COPY")
	db := openDB(t, srv.DSN())
	countRows(t, db, "SELECT num FROM COPY LIMIT 1")
	countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1")
	var affected, first int64
	got := recordRequests(srv, func() {
		affected, first = exec(t, db, "INSERT INTO COPY (num, label, price) SELECT num, CONCAT('copy of ', label), num % 100 FROM NUMBERS")
	})
	// 2,500 records read by $id in 5 full pages (the total from the first
	// ends them); written in a bulkRequest of 2,000 and one of 500.
	wantCounts(t, "INSERT ... SELECT", got, map[string]int64{"GET records": 5, "POST bulkRequest": 2})
	if affected != 2500 || first == 0 {
		t.Errorf("RowsAffected %d, LastInsertId %d", affected, first)
	}
	copied := nums(t, db, "SELECT num FROM COPY WHERE label = 'copy of row 2499' AND price = 99")
	if len(copied) != 1 || copied[0] != 2499 {
		t.Fatalf("copied %v", copied)
	}
	if n := countRows(t, db, "SELECT num FROM COPY"); n != 2500 {
		t.Fatalf("%d records copied", n)
	}
	// Reading the app written reads it whole first: the new records are
	// not read again.
	affected, _ = exec(t, db, "INSERT INTO NUMBERS (num, label) SELECT num + 10000, label FROM NUMBERS WHERE num < 2100")
	if affected != 2100 || countRows(t, db, "SELECT num FROM NUMBERS") != 4600 {
		t.Fatalf("self copy: %d rows", affected)
	}
}

// faultedInsert inserts 5,000 rows (batches of 2,000, 2,000 and 1,000)
// with a fault on the second bulkRequest.
func faultedInsert(t *testing.T, f kintonetest.Fault) (*kintonetest.Server, *sql.DB, *kintone.PartialWriteError, map[string]int64) {
	srv := newEmulator(t)
	numbersApp(t, srv, 0)
	db := openDB(t, srv.DSN())
	countRows(t, db, "SELECT num FROM NUMBERS")
	srv.InjectFault(f)
	var err error
	got := recordRequests(srv, func() { _, err = db.Exec(valuesSQL("NUMBERS", 0, 5000)) })
	var pe *kintone.PartialWriteError
	if !errors.As(err, &pe) {
		t.Fatalf("got %v, want a *PartialWriteError", err)
	}
	if errors.Is(err, driver.ErrBadConn) {
		t.Fatalf("a write that reached Kintone is reported as ErrBadConn: %v", err)
	}
	srv.ClearFaults()
	return srv, db, pe, got
}

func TestFaultInTheMiddleOfABatchedWrite(t *testing.T) {
	t.Run("error answer", func(t *testing.T) {
		_, db, pe, got := faultedInsert(t, kintonetest.Fault{Method: "POST", Resource: "bulkRequest", Nth: 2, Status: 500})
		if pe.Committed != 2000 || pe.Batch != 2 || pe.FirstRow != 2001 || pe.LastRow != 4000 || pe.Unknown {
			t.Fatalf("error %+v", pe)
		}
		msg := pe.Error()
		if !strings.Contains(msg, "batch 2 (rows 2001 to 4000) failed and was not written") || !strings.Contains(msg, "2000 rows were committed before it") {
			t.Errorf("message %q", msg)
		}
		wantCounts(t, "after the fault", got, map[string]int64{"POST bulkRequest": 2})
		// Exactly the acknowledged rows are there.
		if n := nums(t, db, "SELECT num FROM NUMBERS"); len(n) != 2000 || n[0] != 0 || n[1999] != 1999 {
			t.Fatalf("%d records after the failure", len(n))
		}
	})
	t.Run("connection lost after applying", func(t *testing.T) {
		_, db, pe, got := faultedInsert(t, kintonetest.Fault{Method: "POST", Resource: "bulkRequest", Nth: 2, Drop: kintonetest.DropAfterApply})
		if pe.Committed != 2000 || pe.Batch != 2 || pe.FirstRow != 2001 || pe.LastRow != 4000 || !pe.Unknown {
			t.Fatalf("error %+v", pe)
		}
		if !strings.Contains(pe.Error(), "may or may not have been written") {
			t.Errorf("message %q", pe)
		}
		// Not sent again: the emulator applied it once.
		wantCounts(t, "after the drop", got, map[string]int64{"POST bulkRequest": 2})
		if n := nums(t, db, "SELECT num FROM NUMBERS"); len(n) != 4000 || n[3999] != 3999 {
			t.Fatalf("%d records after the drop", len(n))
		}
	})
	t.Run("dropped before applying", func(t *testing.T) {
		_, db, pe, _ := faultedInsert(t, kintonetest.Fault{Method: "POST", Resource: "bulkRequest", Nth: 2, Drop: kintonetest.DropBeforeApply})
		if pe.Committed != 2000 || !pe.Unknown {
			t.Fatalf("error %+v", pe)
		}
		if n := countRows(t, db, "SELECT num FROM NUMBERS"); n != 2000 {
			t.Fatalf("%d records", n)
		}
	})
}

// hookedDB opens a DB whose every HTTP attempt goes through hook.
func hookedDB(t *testing.T, srv *kintonetest.Server, hook func(kintone.RequestInfo)) *sql.DB {
	t.Helper()
	cfg, err := dsn.Parse(srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(kintone.NewConnector(cfg, kintone.WithRequestHook(hook)))
	t.Cleanup(func() { db.Close() })
	return db
}

func TestExecRefusesQueries(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 1)
	db := openDB(t, srv.DSN())
	if _, err := db.Exec("SELECT num FROM NUMBERS"); err == nil {
		t.Fatal("Exec of a SELECT: no error")
	}
	rows, err := db.QueryContext(context.Background(), "DELETE FROM NUMBERS")
	if err == nil {
		rows.Close()
		t.Fatal("Query of a DELETE: no error")
	}
	if countRows(t, db, "SELECT num FROM NUMBERS") != 1 {
		t.Fatal("the DELETE given to Query ran")
	}
}

// TestWriteStopsWhereItFails checks the failures between batches: a
// cancelled context stops before the next batch, and a read that fails
// while an INSERT ... SELECT is under way stops the write; both say what
// was committed, and nothing after it is written.
func TestWriteStopsWhereItFails(t *testing.T) {
	t.Run("cancelled between batches", func(t *testing.T) {
		srv := newEmulator(t)
		numbersApp(t, srv, 0)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		db := hookedDB(t, srv, func(info kintone.RequestInfo) {
			if strings.HasSuffix(info.Path, "/bulkRequest.json") {
				cancel() // after the first batch is acknowledged
			}
		})
		countRows(t, db, "SELECT num FROM NUMBERS")
		var err error
		got := recordRequests(srv, func() { _, err = db.ExecContext(ctx, valuesSQL("NUMBERS", 0, 5000)) })
		var pe *kintone.PartialWriteError
		if !errors.As(err, &pe) || pe.Committed != 2000 || pe.Batch != 2 || pe.Unknown || !errors.Is(err, context.Canceled) {
			t.Fatalf("got %v", err)
		}
		wantCounts(t, "cancelled", got, map[string]int64{"POST bulkRequest": 1})
		if n := countRows(t, db, "SELECT num FROM NUMBERS"); n != 2000 {
			t.Fatalf("%d records", n)
		}
	})
	t.Run("read fails", func(t *testing.T) {
		srv := newEmulator(t)
		numbersApp(t, srv, 2600)
		shopApp(t, srv, "COPY")
		// Pages one after another, so that the fifth GET is the fifth page.
		db := openDB(t, srv.DSN()+"?concurrency=1")
		countRows(t, db, "SELECT num FROM COPY LIMIT 1")
		countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1")
		srv.InjectFault(kintonetest.Fault{Method: "GET", Resource: "records", Nth: 5, Status: 400, Code: "GAIA_XX01"})
		_, err := db.Exec("INSERT INTO COPY (num) SELECT num FROM NUMBERS")
		var pe *kintone.PartialWriteError
		if !errors.As(err, &pe) || pe.Committed != 2000 || pe.Batch != 2 || pe.FirstRow != 2001 || pe.LastRow != 0 {
			t.Fatalf("got %v", err)
		}
		wantCode(t, err, "GAIA_XX01")
		if !strings.Contains(err.Error(), "write stopped while preparing batch 2 (from row 2001): 2000 rows were committed in 1 batch,") {
			t.Errorf("message %q", err)
		}
		if n := countRows(t, db, "SELECT num FROM COPY"); n != 2000 {
			t.Fatalf("%d records", n)
		}
	})
}
