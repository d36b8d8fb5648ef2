package kintone_test

import (
	"database/sql"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/dsn"
)

// TestWriteDoesNotTouchARecordEditedOutOfItsWhere: the read that finds
// an UPDATE's or DELETE's records must see each record's membership and
// values at once. A cursor fixes which records it returns when it is
// created and reads their values later, so a record edited out of the
// WHERE meanwhile would still come, and be written (its revision read is
// the new one, so the revision check passes). Under every useCursor, a
// record moved out of the WHERE between two pages of the read is left
// alone.
func TestWriteDoesNotTouchARecordEditedOutOfItsWhere(t *testing.T) {
	for _, params := range []string{"?pageSize=100", "?pageSize=100&useCursor=always", "?pageSize=100&useCursor=never"} {
		for _, stmt := range []string{
			"DELETE FROM NUMBERS WHERE num < 1000 ORDER BY label LIMIT 900",
			"UPDATE NUMBERS SET label = CONCAT(label, '+') WHERE num < 1000 ORDER BY label LIMIT 900",
			"DELETE FROM NUMBERS WHERE num < 1000",
			// Keyset pages on keys no change moves.
			"DELETE FROM NUMBERS WHERE num < 1000 ORDER BY Created_datetime, $id LIMIT 900",
			"UPDATE NUMBERS SET label = CONCAT(label, '+') WHERE num < 1000 ORDER BY Created_datetime DESC LIMIT 950",
		} {
			t.Run(params+" "+stmt, func(t *testing.T) {
				srv := newEmulator(t)
				numbersApp(t, srv, 1200)
				other := openDB(t, srv.DSN())
				cfg, err := dsn.Parse(srv.DSN() + params)
				if err != nil {
					t.Fatal(err)
				}
				// "row 890" sorts among the last of the 900 by label
				// ("row 0", "row 1", "row 10", ...) and has the
				// largest $ids but a few: read on a late page whatever
				// the plan.
				var pages atomic.Int32
				var armed, edited atomic.Bool
				hook := func(info kintone.RequestInfo) {
					if !armed.Load() || info.Method != "GET" || !strings.HasSuffix(info.Path, "/records.json") && !strings.HasSuffix(info.Path, "/records/cursor.json") {
						return
					}
					if pages.Add(1) == 2 && edited.CompareAndSwap(false, true) {
						if _, err := other.Exec("UPDATE NUMBERS SET num = 5000 WHERE num = 890"); err != nil {
							t.Errorf("the edit between pages: %v", err)
						}
					}
				}
				db := sql.OpenDB(kintone.NewConnector(cfg, kintone.WithRequestHook(hook)))
				t.Cleanup(func() { db.Close() })
				countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1")
				armed.Store(true)
				if _, err := db.Exec(stmt); err != nil {
					t.Fatal(err)
				}
				if !edited.Load() {
					t.Fatal("the read had fewer than 2 pages: the edit never ran")
				}
				var label string
				if err := other.QueryRow("SELECT label FROM NUMBERS WHERE num = 5000").Scan(&label); err != nil {
					t.Fatalf("the record edited out of the WHERE: %v", err)
				}
				if label != "row 890" {
					t.Errorf("the record edited out of the WHERE was updated: label %q", label)
				}
			})
		}
	}
}
