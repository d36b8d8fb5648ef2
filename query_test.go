package kintone_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest"
)

func demoDB(t *testing.T) (*kintonetest.Server, *sql.DB) {
	t.Helper()
	srv := newEmulator(t, kintonetest.WithDemoData())
	return srv, openDB(t, srv.DSN())
}

func TestQueryDemo(t *testing.T) {
	srv, db := demoDB(t)
	ctx := context.Background()
	rows, err := db.QueryContext(ctx, "SELECT company, country FROM Customers WHERE industry = 'Software' ORDER BY company LIMIT 5")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var company, country sql.NullString
		if err := rows.Scan(&company, &country); err != nil {
			t.Fatal(err)
		}
		t.Log(company.String, country.String)
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 5 {
		t.Fatalf("%d rows", n)
	}
	t.Logf("%+v", srv.Stats().ByEndpoint)
}
