package kintone_test

import (
	"context"
	"database/sql"
	"strings"
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
		if !company.Valid || !country.Valid {
			t.Fatalf("row %d: NULL company or country", n)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != 5 {
		t.Fatalf("%d rows", n)
	}
	// ORDER BY company is done by Kintone, LIMIT 5 too: one page.
	if got := srv.Stats().Count("GET", "records"); got != 1 {
		t.Fatalf("%d GET records, want 1: %v", got, srv.Stats().ByEndpoint)
	}
}

func TestSelectStarFollowsTheFormLayout(t *testing.T) {
	_, db := demoDB(t)
	rows, err := db.Query("SELECT * FROM CUSTOMERS LIMIT 1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	// The demo app's fields, in the order they were defined (the
	// emulator lays them out one per row), after $id.
	want := []string{"customer_code", "company", "industry", "country", "email", "website", "since", "notes"}
	got := strings.Join(cols, ",")
	if !strings.Contains(got, strings.Join(want, ",")) {
		t.Fatalf("SELECT * columns %s, want %s in that order", got, strings.Join(want, ","))
	}
}
