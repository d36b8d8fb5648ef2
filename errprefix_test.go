package kintone_test

import (
	"context"
	"database/sql"
	"net/url"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest"
	"github.com/kintone-sql/kintone/kintonetest/gateway"
)

// TestErrorsSayKintoneOnce: an error that wraps another names the driver
// once, at its start: "kintone: commit: nothing was applied: row 2, ..."
// rather than "kintone: commit: nothing was applied: kintone: row 2, ...".
func TestErrorsSayKintoneOnce(t *testing.T) {
	srv := newEmulator(t, kintonetest.WithDemoData())
	gw := gateway.Start(t, srv.URL)
	u, _ := url.Parse(srv.DSN())
	g, _ := url.Parse(gw.URL)
	u.Host = g.Host
	u.RawQuery = "timeout=2s&retryTimeout=3s&maxRetries=1"
	dsnText := u.String()
	db := openDB(t, dsnText)
	ctx := context.Background()

	check := func(name string, err error) {
		t.Helper()
		if err == nil {
			t.Errorf("%s: no error", name)
			return
		}
		// database/sql puts its own words in front of some errors.
		msg := strings.TrimPrefix(err.Error(), "sql: converting argument $1 type: ")
		if !strings.HasPrefix(msg, "kintone: ") || strings.Count(msg, "kintone: ") != 1 {
			t.Errorf("%s: %q names the driver %d times, want once at the start", name, msg, strings.Count(msg, "kintone: "))
		}
	}
	inTx := func(f func(tx *sql.Tx) error) error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if err := f(tx); err != nil {
			_ = tx.Rollback()
			return err
		}
		return tx.Commit()
	}

	srv.InjectFault(kintonetest.Fault{Resource: "bulkRequest", Status: 400, Code: "CB_VA01", Times: 1})
	check("commit refused by Kintone", inTx(func(tx *sql.Tx) error {
		_, err := tx.Exec("INSERT INTO Orders (order_no) VALUES ('E-1')")
		return err
	}))
	check("commit failed in a request of the bulkRequest", inTx(func(tx *sql.Tx) error {
		if _, err := tx.Exec("INSERT INTO Orders (order_no) VALUES ('E-3')"); err != nil {
			return err
		}
		_, err := tx.Exec("UPDATE Orders SET order_no = 'E-4' WHERE $id = 1 AND $revision = 1")
		if err == nil {
			srv.InjectFault(kintonetest.Fault{Resource: "bulkRequest", Status: 409, Code: "GAIA_CO02", Times: 1})
		}
		return err
	}))
	gw.Add(gateway.Fault{Resource: "bulkRequest", Nth: 1, Action: gateway.DropAfter})
	check("commit of unknown outcome", inTx(func(tx *sql.Tx) error {
		_, err := tx.Exec("INSERT INTO Orders (order_no) VALUES ('E-2')")
		return err
	}))
	gw.Clear()
	check("argument of an unusable type", func() error { _, err := db.Exec("SELECT 1 FROM Orders WHERE total = ?", struct{}{}); return err }())
	check("aggregate of text", func() error {
		var s any
		return db.QueryRow("SELECT SUM(order_no) FROM Orders").Scan(&s)
	}())
	gw.Add(gateway.Fault{Method: "GET", Resource: "apps", Action: gateway.Reject, Status: 500, ContentType: "text/html", Body: "<html>oops</html>"})
	check("table lookup that fails", func() error { _, err := db.Exec("DELETE FROM NoSuchApp WHERE x = 1"); return err }())
	gw.Clear()
	gw.Add(gateway.Fault{Method: "GET", Resource: "records", Action: gateway.Reject, Status: 503, ContentType: "text/html", Body: "<html>busy</html>"})
	check("read retried until it gives up", func() error {
		rows, err := db.QueryContext(ctx, "SELECT order_no FROM Orders")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
		}
		return rows.Err()
	}())
	gw.Clear()
	gw.Add(gateway.Fault{Method: "GET", Resource: "records", Action: gateway.Reject, Status: 500, ContentType: "text/html", Body: "<html>oops</html>"})
	check("transaction's lookup of the records it names", inTx(func(tx *sql.Tx) error {
		_, err := tx.Exec("UPDATE Orders SET total = 1 WHERE $id = 1")
		return err
	}))
}
