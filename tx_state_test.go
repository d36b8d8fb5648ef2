package kintone_test

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone"
)

// execer is what runs a statement: a *sql.DB or a *sql.Tx.
type execer interface {
	Exec(query string, args ...any) (sql.Result, error)
}

// stockDump lists every record of STOCK with its revision.
func stockDump(t *testing.T, db *sql.DB) []string {
	t.Helper()
	rows, err := db.Query("SELECT $id, $revision, code, sku, label, num, price FROM STOCK ORDER BY $id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, rev int64
		var code, sku, label, num, price sql.NullString
		if err := rows.Scan(&id, &rev, &code, &sku, &label, &num, &price); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprintf("%d r%d %v %v %v %v %v", id, rev, code.String, sku.String, label.String, num.String, price.String))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTransactionStatementsAffectWhatTheyWouldOutside runs the same
// statements outside a transaction on one emulator and in one
// transaction on another: every statement reports the same RowsAffected,
// the Commit succeeds, and the records end up the same (revisions
// included). Records named twice (by $id, by key, by a read), records
// deleted earlier in the transaction and records that do not exist are
// among them.
func TestTransactionStatementsAffectWhatTheyWouldOutside(t *testing.T) {
	steps := []struct {
		sql  string
		args func(ids []int64) []any
		// lookups are the GETs the statement costs in the transaction.
		lookups int64
	}{
		{"UPDATE STOCK SET label = 'by key' WHERE sku = 'S-1'", nil, 1},
		{"DELETE FROM STOCK WHERE sku = 'S-1'", nil, 1}, // a read; the revision sent is one more
		{"UPDATE STOCK SET label = 'again' WHERE sku = 'S-1'", nil, 1},
		{"DELETE FROM STOCK WHERE $id = 99999", nil, 1},
		{"UPDATE STOCK SET label = 'none' WHERE $id = 99999", nil, 1},
		{"UPDATE STOCK SET label = 'none' WHERE sku = 'nope'", nil, 1},
		{"UPDATE STOCK SET label = 'twice' WHERE sku = 'S-2'", nil, 1},
		{"UPDATE STOCK SET num = 100 WHERE code = 2", nil, 1},
		{"UPDATE STOCK SET price = 7 WHERE code >= 2 AND code <= 2", nil, 1},
		{"DELETE FROM STOCK WHERE $id = ?", func(ids []int64) []any { return []any{ids[2]} }, 1},
		{"DELETE FROM STOCK WHERE $id = ?", func(ids []int64) []any { return []any{ids[2]} }, 0},
		{"UPDATE STOCK SET label = 'gone' WHERE $id IN (?, ?)", func(ids []int64) []any { return []any{ids[2], ids[3]} }, 1},
		// Upserts of keys that exist: they add no record, so the reads
		// after them go on (they are looked up first, one GET).
		{"INSERT INTO STOCK (sku, label) VALUES ('S-5', 'upserted'), ('S-6', 'also') ON DUPLICATE KEY UPDATE label = VALUES(label)", nil, 0},
		{"DELETE FROM STOCK WHERE code = 5", nil, 2},
		{"INSERT INTO STOCK (code, label) VALUES (4, 'number upsert'), (6, 'number upsert too') ON DUPLICATE KEY UPDATE label = VALUES(label)", nil, 0},
		// The upsert's keys are looked up (one GET); 6 is known to exist.
		{"UPDATE STOCK SET price = 3 WHERE code = 6.0", nil, 1},
		// Record 4 is updated twice before: by $id, and by the upsert.
		{"DELETE FROM STOCK WHERE code >= 4 AND code <= 4", nil, 1},
		{"UPDATE STOCK SET label = 'optimistic' WHERE $id = ? AND $revision = 1", func(ids []int64) []any { return []any{ids[6]} }, 1},
		{"UPDATE STOCK SET label = 'optimistic again' WHERE $id = ? AND $revision = 2", func(ids []int64) []any { return []any{ids[6]} }, 0},
		// An upsert that adds S-9: the UPDATE by that key looks the
		// upsert's keys up (one GET) and knows S-9 exists at that point (a
		// read-based statement would now be refused:
		// TestTransactionRefusesReadsOfAnAppItAddsTo).
		{"INSERT INTO STOCK (sku, label) VALUES ('S-9', 'new') ON DUPLICATE KEY UPDATE label = VALUES(label)", nil, 0},
		{"UPDATE STOCK SET label = 'after upsert' WHERE sku = 'S-9'", nil, 1},
	}
	run := func(t *testing.T, inTx bool) (affected []int64, dump []string, lookups []int64) {
		srv := newEmulator(t)
		ids := stockApp(t, srv, 7)
		db := openDB(t, srv.DSN())
		countRows(t, db, "SELECT num FROM STOCK LIMIT 1")
		var ex execer = db
		var tx *sql.Tx
		if inTx {
			tx = begin(t, db, nil)
			ex = tx
		}
		for _, st := range steps {
			var args []any
			if st.args != nil {
				args = st.args(ids)
			}
			var res sql.Result
			var err error
			got := recordRequests(srv, func() { res, err = ex.Exec(st.sql, args...) })
			if err != nil {
				t.Fatalf("%s: %v", st.sql, err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				t.Fatal(err)
			}
			affected = append(affected, n)
			lookups = append(lookups, got["GET records"])
			if inTx && len(got) > 0 && (len(got) > 1 || got["GET records"] == 0) {
				t.Errorf("%s: requests %v at Exec in a transaction", st.sql, got)
			}
		}
		if inTx {
			got := recordRequests(srv, func() {
				if err := tx.Commit(); err != nil {
					t.Fatalf("Commit: %v", err)
				}
			})
			wantCounts(t, "Commit", got, map[string]int64{"POST bulkRequest": 1})
		}
		return affected, stockDump(t, db), lookups
	}
	wantAffected, wantDump, _ := run(t, false)
	gotAffected, gotDump, lookups := run(t, true)
	for i, st := range steps {
		if gotAffected[i] != wantAffected[i] {
			t.Errorf("statement %d, %s: RowsAffected %d in a transaction, %d outside", i+1, st.sql, gotAffected[i], wantAffected[i])
		}
		if lookups[i] != st.lookups {
			t.Errorf("statement %d, %s: %d GETs at Exec, want %d", i+1, st.sql, lookups[i], st.lookups)
		}
	}
	if strings.Join(gotDump, "\n") != strings.Join(wantDump, "\n") {
		t.Errorf("after the transaction:\n%s\nafter the same statements outside one:\n%s", strings.Join(gotDump, "\n"), strings.Join(wantDump, "\n"))
	}
}

// TestTransactionRefusesStatementsThatReadQueuedWrites: a statement
// whose read would need a value queued by an earlier statement is
// refused at Exec with ErrTxQueuedWrite; the transaction goes on without
// it.
func TestTransactionRefusesStatementsThatReadQueuedWrites(t *testing.T) {
	srv := newEmulator(t)
	ids := stockApp(t, srv, 4)
	numbersApp(t, srv, 2)
	db := openDB(t, srv.DSN())
	tx := begin(t, db, nil)
	txExec(t, tx, "UPDATE STOCK SET num = 50 WHERE $id = ?", ids[0])
	txExec(t, tx, "DELETE FROM STOCK WHERE $id = ?", ids[1])
	for _, tc := range []struct{ sql, msg string }{
		// Outside, the first statement's num = 50 would be read.
		{"UPDATE STOCK SET label = 'x' WHERE num = 0", "reads num (in its WHERE, ORDER BY, SET or SELECT), which statement 1 of the transaction updates"},
		{"UPDATE STOCK SET label = CONCAT(label, num) WHERE code > 0", "reads num"},
		{"DELETE FROM STOCK ORDER BY num DESC LIMIT 1", "reads num"},
		// Outside, the LIMIT would pick the next record instead of the deleted one.
		{"DELETE FROM STOCK WHERE code >= 1 ORDER BY code LIMIT 2", "is deleted by an earlier statement"},
		// The first statement changes the revision of record 1.
		{"UPDATE STOCK SET label = 'x' WHERE $revision >= 1", "Kintone changes when statement 1"},
		// sku = 'S-1' would still find record 1, but its num moved.
		{"UPDATE STOCK SET label = 'x' WHERE num = 50", "reads num"},
		// INSERT ... SELECT: the same for the app it reads.
		{"INSERT INTO STOCK (label, price) SELECT label, num FROM STOCK WHERE code > 0", "reads num"},
		{"INSERT INTO STOCK (label) SELECT sku FROM STOCK", "whose records statement 2 of the transaction deletes"},
	} {
		_, err := tx.Exec(tc.sql)
		if !errors.Is(err, kintone.ErrTxQueuedWrite) || !strings.Contains(err.Error(), tc.msg) || !strings.Contains(err.Error(), "commit first") {
			t.Errorf("%s: got %v, want ErrTxQueuedWrite saying %q", tc.sql, err, tc.msg)
		}
	}
	// A revision that is not the committed one fails at Exec, not at Commit.
	_, err := tx.Exec("UPDATE STOCK SET label = 'stale' WHERE $id = ? AND $revision = 2", ids[2])
	if err == nil || !strings.Contains(err.Error(), "will have revision 1, not 2") {
		t.Errorf("a wrong revision: %v", err)
	}
	// Record 1 has revision 1 in committed data, 2 once the first
	// statement's update is applied: as outside, 1 is stale.
	_, err = tx.Exec("UPDATE STOCK SET label = 'stale' WHERE $id = ? AND $revision = 1", ids[0])
	if err == nil || !strings.Contains(err.Error(), "will have revision 2 (1 committed, plus 1 updates queued before the statement), not 1") {
		t.Errorf("a stale revision: %v", err)
	}
	// Statements that read no queued value go on.
	if n := txExec(t, tx, "UPDATE STOCK SET label = 'fine' WHERE code >= 1"); n != 3 {
		t.Errorf("RowsAffected %d, want the 3 records left", n)
	}
	if n := txExec(t, tx, "INSERT INTO STOCK (label) SELECT label FROM NUMBERS"); n != 2 {
		t.Errorf("INSERT ... SELECT from another app: RowsAffected %d", n)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	dump := stockDump(t, db)
	want := []string{
		itoa(ids[0]) + " r3 1 S-1 fine 50 ",
		itoa(ids[2]) + " r2 3 S-3 fine 2 ",
		itoa(ids[3]) + " r2 4 S-4 fine 3 ",
		itoa(ids[3]+1) + " r1   row 0  ",
		itoa(ids[3]+2) + " r1   row 1  ",
	}
	if strings.Join(dump, "\n") != strings.Join(want, "\n") {
		t.Errorf("records:\n%s\nwant:\n%s", strings.Join(dump, "\n"), strings.Join(want, "\n"))
	}
}

// TestTransactionUpdatesByKeyThenWritesTheRecordAgain is the issue's
// case: an UPDATE by unique key, then a DELETE or UPDATE that reads the
// same record, failed the Commit with GAIA_CO02 though nobody else wrote.
func TestTransactionUpdatesByKeyThenWritesTheRecordAgain(t *testing.T) {
	srv := newEmulator(t)
	ids := stockApp(t, srv, 3)
	db := openDB(t, srv.DSN())
	tx := begin(t, db, nil)
	txExec(t, tx, "UPDATE STOCK SET label = 'by key' WHERE sku = 'S-1'")
	if n := txExec(t, tx, "DELETE FROM STOCK WHERE sku = 'S-1'"); n != 1 {
		t.Errorf("DELETE: RowsAffected %d", n)
	}
	txExec(t, tx, "UPDATE STOCK SET label = 'by key' WHERE code = 2")
	if n := txExec(t, tx, "UPDATE STOCK SET price = 9 WHERE code > 1 AND code < 3"); n != 1 {
		t.Errorf("UPDATE: RowsAffected %d", n)
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	want := []string{itoa(ids[1]) + " r3 2 S-2 by key 1 9", itoa(ids[2]) + " r1 3 S-3 old 2 "}
	if got := stockDump(t, db); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestTransactionWriteOfAMissingRecordAffectsNoRows is the other
// case: DELETE ... WHERE $id = 99999 in a transaction reported 1 row and
// failed the whole Commit with GAIA_RE01; outside it affects 0 rows.
func TestTransactionWriteOfAMissingRecordAffectsNoRows(t *testing.T) {
	srv := newEmulator(t)
	ids := stockApp(t, srv, 2)
	db := openDB(t, srv.DSN())
	tx := begin(t, db, nil)
	txExec(t, tx, "UPDATE STOCK SET label = 'kept' WHERE $id = ?", ids[0])
	for _, q := range []string{
		"DELETE FROM STOCK WHERE $id = 99999",
		"UPDATE STOCK SET label = 'x' WHERE $id IN (99998, 99999)",
		"UPDATE STOCK SET label = 'x' WHERE sku = 'nope'",
	} {
		if n := txExec(t, tx, q); n != 0 {
			t.Errorf("%s: RowsAffected %d, want 0", q, n)
		}
	}
	if n := txExec(t, tx, "DELETE FROM STOCK WHERE $id IN (?, 99999)", ids[1]); n != 1 {
		t.Errorf("DELETE of one record that exists and one that does not: RowsAffected %d", n)
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if got := stockDump(t, db); len(got) != 1 || got[0] != itoa(ids[0])+" r2 1 S-1 kept 0 " {
		t.Errorf("records %q", got)
	}
}

// TestTransactionRefusesReadsOfAnAppItAddsTo: records an earlier statement
// of the transaction adds are not in committed data, so a later statement
// whose read finds records of that app would find other records than it
// would outside (DELETE ... ORDER BY $id DESC LIMIT 1 would delete the
// newest committed record, not the new one). It is refused at Exec; a
// statement that names its records by $id, and reads of other apps, go on.
func TestTransactionRefusesReadsOfAnAppItAddsTo(t *testing.T) {
	srv := newEmulator(t)
	ids := stockApp(t, srv, 2)
	numbersApp(t, srv, 2)
	db := openDB(t, srv.DSN())
	for _, first := range []string{
		"INSERT INTO STOCK (sku, label) VALUES ('S-NEW', 'fresh')",
		"INSERT INTO STOCK (code, label) VALUES (9, 'fresh') ON DUPLICATE KEY UPDATE label = VALUES(label)",
	} {
		tx := begin(t, db, nil)
		txExec(t, tx, first)
		for _, sql := range []string{
			"DELETE FROM STOCK ORDER BY $id DESC LIMIT 1",
			"DELETE FROM STOCK WHERE label = 'fresh'",
			"UPDATE STOCK SET label = 'x' WHERE code >= 0",
			"INSERT INTO NUMBERS (label) SELECT label FROM STOCK",
		} {
			_, err := tx.Exec(sql)
			if !errors.Is(err, kintone.ErrTxQueuedWrite) || !strings.Contains(err.Error(), "to which statement 1 of the transaction adds records") {
				t.Errorf("after %q: %s: got %v, want ErrTxQueuedWrite", first, sql, err)
			}
		}
		if n := txExec(t, tx, "UPDATE STOCK SET label = 'by id' WHERE $id = ?", ids[0]); n != 1 {
			t.Errorf("after %q: an UPDATE by $id: RowsAffected %d, want 1", first, n)
		}
		if n := txExec(t, tx, "INSERT INTO STOCK (label) SELECT label FROM NUMBERS"); n != 2 {
			t.Errorf("after %q: INSERT ... SELECT from another app: RowsAffected %d, want 2", first, n)
		}
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
	}
	if dump := stockDump(t, db); len(dump) != 2 {
		t.Errorf("rolled back transactions changed STOCK: %q", dump)
	}
}
