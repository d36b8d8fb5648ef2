// Code generated from README.md by internal/readmecode; DO NOT EDIT.

package sqlxexample

import (
	"database/sql"
	"os"

	"github.com/jmoiron/sqlx"
	_ "github.com/kintone-sql/kintone"

	"testing"
)

type Customer struct {
	ID       int64          `db:"$id"`
	Revision int64          `db:"$revision"`
	Code     string         `db:"customer_code"`
	Company  string         `db:"company"`
	Country  sql.NullString `db:"country"` // an empty Kintone value is NULL
	Since    sql.NullTime   `db:"since"`
}

// runREADMESnippet runs the README's snippet, stopping at the first error it assigns.
func runREADMESnippet(t *testing.T) {
	sqlx.BindDriver("kintone", sqlx.QUESTION)
	db, err := sqlx.Open("kintone", os.Getenv("KINTONE_DSN"))
	if err != nil {
		t.Fatalf("README: %s: %v", "db, err := sqlx.Open(\"kintone\", os.Getenv(\"KINTONE_DSN\"))", err)
	}

	var japan []Customer
	err = db.Select(&japan, "SELECT `$id`, `$revision`, customer_code, company, country, since FROM customers WHERE country = ? ORDER BY since DESC", "Japan")
	if err != nil {
		t.Fatalf("README: %s: %v", "err = db.Select(&japan, \"SELECT `$id`, `$revision`, custo...", err)
	}

	var c Customer
	err = db.Get(&c, "SELECT `$id`, `$revision`, customer_code, company, country, since FROM customers WHERE `$id` = ?", 42)
	if err != nil {
		t.Fatalf("README: %s: %v", "err = db.Get(&c, \"SELECT `$id`, `$revision`, customer_cod...", err)
	}

	var names []string
	q, args, err := sqlx.In("SELECT company FROM customers WHERE country IN (?)", []string{"France", "Japan"})
	if err != nil {
		t.Fatalf("README: %s: %v", "q, args, err := sqlx.In(\"SELECT company FROM customers WH...", err)
	}
	err = db.Select(&names, db.Rebind(q), args...)
	if err != nil {
		t.Fatalf("README: %s: %v", "err = db.Select(&names, db.Rebind(q), args...)", err)
	}

	// A slice becomes one multi-row INSERT: one request (up to 2,000 rows, atomic).
	newCustomers := []Customer{{Code: "C9001", Company: "Kite Labs"}, {Code: "C9002", Company: "Fuji Foods"}}
	_, err = db.NamedExec("INSERT INTO customers (customer_code, company, country) VALUES (:customer_code, :company, :country)", newCustomers)
	if err != nil {
		t.Fatalf("README: %s: %v", "_, err = db.NamedExec(\"INSERT INTO customers (customer_co...", err)
	}
	_, err = db.NamedExec("UPDATE customers SET country = :country WHERE `$id` = :id", map[string]any{"country": "Japan", "id": 42})
	if err != nil {
		t.Fatalf("README: %s: %v", "_, err = db.NamedExec(\"UPDATE customers SET country = :co...", err)
	}

	checkREADMESnippet(t, db, japan, c, names)
}
