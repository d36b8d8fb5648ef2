package kintone_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/kintonetest"
)

// begin starts a transaction on db.
func begin(t *testing.T, db *sql.DB, opts *sql.TxOptions) *sql.Tx {
	t.Helper()
	tx, err := db.BeginTx(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return tx
}

// txExec runs a write in tx and returns RowsAffected.
func txExec(t *testing.T, tx *sql.Tx, query string, args ...any) int64 {
	t.Helper()
	res, err := tx.Exec(query, args...)
	if err != nil {
		t.Fatalf("%.80s: %v", query, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := res.LastInsertId(); err == nil {
		t.Error("LastInsertId in a transaction: no error")
	}
	return n
}

func TestTransactionCommitsInOneBulkRequest(t *testing.T) {
	srv := newEmulator(t)
	ids := stockApp(t, srv, 5)
	db := openDB(t, srv.DSN())
	countRows(t, db, "SELECT num FROM STOCK LIMIT 1")
	got := recordRequests(srv, func() {
		tx := begin(t, db, nil)
		// A read-based UPDATE before the INSERTs: after them it would be
		// refused (its read cannot see the records they add).
		if n := txExec(t, tx, "UPDATE STOCK SET num = num + 1000 WHERE num >= 3"); n != 2 {
			t.Errorf("UPDATE with a read: RowsAffected %d", n)
		}
		if n := txExec(t, tx, "INSERT INTO STOCK (label, num) VALUES ('new', 100), ('new', 101)"); n != 2 {
			t.Errorf("INSERT: RowsAffected %d", n)
		}
		for i := range 150 { // merged into the INSERT's request, then a second one
			txExec(t, tx, "INSERT INTO STOCK (label, num) VALUES ('one by one', ?)", 200+i)
		}
		if n := txExec(t, tx, "UPDATE STOCK SET label = 'changed' WHERE $id IN (?, ?)", ids[0], ids[1]); n != 2 {
			t.Errorf("UPDATE: RowsAffected %d", n)
		}
		txExec(t, tx, "DELETE FROM STOCK WHERE $id = ?", ids[2])
		// Reads see committed data only.
		var n int
		if err := tx.QueryRow("SELECT COUNT(*) FROM STOCK WHERE label = 'new'").Scan(&n); err != nil || n != 0 {
			t.Errorf("a read in the transaction sees %d queued records (%v)", n, err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	})
	// The reads: the UPDATE's and the COUNT, and a lookup of the records
	// each statement by $id names (ids[2] was not among those the UPDATE
	// read). The writes: one bulkRequest (PUT 2, POST 100, POST 52, PUT
	// 2, DELETE 1).
	wantCounts(t, "transaction", got, map[string]int64{"GET records": 4, "POST bulkRequest": 1})
	for q, want := range map[string]int{
		"label = 'new'":         2,
		"label = 'one by one'":  150,
		"label = 'changed'":     2,
		"num >= 1003":           2,
		"$id = " + itoa(ids[2]): 0,
	} {
		if n := countRows(t, db, "SELECT $id FROM STOCK WHERE "+q); n != want {
			t.Errorf("%d records with %s, want %d", n, q, want)
		}
	}
	reqs := srv.Requests()
	if last := reqs[len(reqs)-1]; last.Resource != "records" || last.Effective != "GET" {
		t.Logf("last request %+v", last)
	}
}

func TestTransactionRollbackSendsNothing(t *testing.T) {
	srv := newEmulator(t)
	ids := stockApp(t, srv, 3)
	db := openDB(t, srv.DSN())
	countRows(t, db, "SELECT num FROM STOCK LIMIT 1")
	got := recordRequests(srv, func() {
		tx := begin(t, db, nil)
		txExec(t, tx, "INSERT INTO STOCK (label) VALUES ('never')")
		txExec(t, tx, "DELETE FROM STOCK WHERE $id = ?", ids[0])
		if err := tx.Rollback(); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); !errors.Is(err, sql.ErrTxDone) {
			t.Errorf("Commit after Rollback: %v", err)
		}
	})
	// The DELETE looked its record up at Exec; nothing was written.
	wantCounts(t, "rolled back", got, map[string]int64{"GET records": 1})
	if n := countRows(t, db, "SELECT $id FROM STOCK"); n != 3 {
		t.Fatalf("%d records", n)
	}
	// The connection is usable outside a transaction again.
	if affected, _ := exec(t, db, "DELETE FROM STOCK WHERE $id = ?", ids[0]); affected != 1 {
		t.Fatal("after the rollback, a DELETE deleted nothing")
	}
}

func TestTransactionOverflowIsRefusedBeforeSending(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 2400) // the fifth page is the last: the read cannot run ahead
	db := openDB(t, srv.DSN())
	countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1")
	var err error
	got := recordRequests(srv, func() {
		tx := begin(t, db, nil)
		txExec(t, tx, valuesSQL("NUMBERS", 10000, 1550))   // 16 requests
		txExec(t, tx, valuesSQL("NUMBERS", 20000, 50))     // fills the 16th
		_, err = tx.Exec(valuesSQL("NUMBERS", 30000, 401)) // 5 more: 21
		if !errors.Is(err, kintone.ErrTxTooLarge) || !strings.Contains(err.Error(), "Nothing was sent") {
			t.Errorf("overflow: %v", err)
		}
		txExec(t, tx, valuesSQL("NUMBERS", 30000, 400)) // 4 more: 20, fits
		// A statement reading more than a bulkRequest holds stops reading.
		_, err = tx.Exec("UPDATE NUMBERS SET label = 'all'")
		if !errors.Is(err, kintone.ErrTxTooLarge) {
			t.Errorf("overflow by reading: %v", err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	})
	// The UPDATE read 5 pages (2,001 rows are more than fit) and sent nothing.
	wantCounts(t, "overflow", got, map[string]int64{"GET records": 5, "POST bulkRequest": 1})
	if n := countRows(t, db, "SELECT num FROM NUMBERS"); n != 2400+2000 {
		t.Fatalf("%d records", n)
	}
	if n := countRows(t, db, "SELECT num FROM NUMBERS WHERE label = 'all'"); n != 0 {
		t.Fatalf("%d records updated by the refused statement", n)
	}
}

func TestTransactionCommitFailureNamesTheStatement(t *testing.T) {
	srv := newEmulator(t)
	stockApp(t, srv, 2)
	db := openDB(t, srv.DSN())
	tx := begin(t, db, nil)
	txExec(t, tx, "INSERT INTO STOCK (label, price) VALUES ('ok', 1)")
	txExec(t, tx, "UPDATE STOCK SET label = 'ok too' WHERE sku = 'S-1'")
	txExec(t, tx, "INSERT INTO STOCK (label, price) VALUES ('ok', 2), ('too dear', 500)")
	err := tx.Commit()
	var re *kintone.RowError
	if !errors.As(err, &re) || re.Statement != 3 || re.Row != 2 || re.Column != "price" {
		t.Fatalf("got %v, want statement 3, row 2, column price", err)
	}
	if !strings.Contains(err.Error(), "nothing was applied") || !strings.Contains(err.Error(), "statement 3, row 2, column price") {
		t.Errorf("message %q", err)
	}
	if n := countRows(t, db, "SELECT $id FROM STOCK WHERE label IN ('ok', 'ok too')"); n != 0 {
		t.Fatalf("%d records of a failed commit", n)
	}
}

func TestTransactionRevisionsAreCheckedAtCommit(t *testing.T) {
	srv := newEmulator(t)
	ids := stockApp(t, srv, 3)
	db := openDB(t, srv.DSN())
	other := openDB(t, srv.DSN())

	// A record changed by someone else between the read and Commit: the
	// whole transaction fails.
	tx := begin(t, db, nil)
	txExec(t, tx, "UPDATE STOCK SET label = 'tx' WHERE num < 2")
	txExec(t, tx, "INSERT INTO STOCK (label) VALUES ('in tx')")
	exec(t, other, "UPDATE STOCK SET label = 'other' WHERE $id = ?", ids[1])
	err := tx.Commit()
	wantCode(t, err, "GAIA_CO02")
	if countRows(t, db, "SELECT $id FROM STOCK WHERE label IN ('tx', 'in tx')") != 0 {
		t.Fatal("a failed commit applied something")
	}

	// A record the transaction already writes, read again for a revision:
	// the revision sent is the one the record has once the first update
	// is applied, so the Commit succeeds, as the statements would outside.
	tx = begin(t, db, nil)
	txExec(t, tx, "UPDATE STOCK SET label = 'first' WHERE $id = ?", ids[0])
	if n := txExec(t, tx, "UPDATE STOCK SET num = num + 1 WHERE num = 0"); n != 1 {
		t.Fatalf("RowsAffected %d", n)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if countRows(t, db, "SELECT $id FROM STOCK WHERE label = 'first' AND num = 1") != 1 {
		t.Fatal("the two statements were not both committed")
	}
}

func TestReadOnlyTransaction(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 3)
	db := openDB(t, srv.DSN())
	tx := begin(t, db, &sql.TxOptions{ReadOnly: true})
	if n := countRows(t, db, "SELECT num FROM NUMBERS"); n != 3 {
		t.Fatalf("%d rows", n)
	}
	var n int
	if err := tx.QueryRow("SELECT COUNT(*) FROM NUMBERS").Scan(&n); err != nil || n != 3 {
		t.Fatalf("a read: %d, %v", n, err)
	}
	if _, err := tx.Exec("DELETE FROM NUMBERS"); err == nil || !strings.Contains(err.Error(), "read-only") {
		t.Fatalf("a write in a read-only transaction: %v", err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := db.BeginTx(context.Background(), &sql.TxOptions{Isolation: sql.LevelSerializable}); err == nil {
		t.Fatal("a serializable transaction was begun")
	}
}

// TestCommitLostConnection drops the connection after Kintone applied the
// commit: the error says the outcome is unknown, and nothing is resent.
func TestCommitLostConnection(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 0)
	db := openDB(t, srv.DSN())
	countRows(t, db, "SELECT num FROM NUMBERS")
	tx := begin(t, db, nil)
	txExec(t, tx, valuesSQL("NUMBERS", 0, 150))
	srv.InjectFault(kintonetest.Fault{Method: "POST", Resource: "bulkRequest", Drop: kintonetest.DropAfterApply, Times: 1})
	var err error
	got := recordRequests(srv, func() { err = tx.Commit() })
	var pe *kintone.PartialWriteError
	if !errors.As(err, &pe) || !pe.Unknown || pe.LastRow != 150 {
		t.Fatalf("got %v, want an unknown outcome", err)
	}
	wantCounts(t, "commit", got, map[string]int64{"POST bulkRequest": 1})
	if n := countRows(t, db, "SELECT num FROM NUMBERS"); n != 150 {
		t.Fatalf("%d records", n)
	}
}

func TestPreparedInsertInATransaction(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 0)
	db := openDB(t, srv.DSN())
	countRows(t, db, "SELECT num FROM NUMBERS")
	got := recordRequests(srv, func() {
		tx := begin(t, db, nil)
		stmt, err := tx.Prepare("INSERT INTO NUMBERS (num, label) VALUES (?, ?)")
		if err != nil {
			t.Fatal(err)
		}
		for i := range 250 {
			if _, err := stmt.Exec(i, "prepared"); err != nil {
				t.Fatal(err)
			}
		}
		stmt.Close()
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
	})
	// 250 one-row statements: three POSTs of one bulkRequest.
	wantCounts(t, "prepared", got, map[string]int64{"POST bulkRequest": 1})
	if n := nums(t, db, "SELECT num FROM NUMBERS WHERE label = 'prepared'"); len(n) != 250 || n[249] != 249 {
		t.Fatalf("%d records", len(n))
	}
}
