package kintone_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log"

	"github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/dsn"
	"github.com/kintone-sql/kintone/kintonetest"
)

// Query a Kintone app with SQL. Here the app lives in the emulator, seeded
// with the demo apps; with a real domain the DSN is all that changes.
func Example() {
	srv, err := kintonetest.NewServer(kintonetest.WithDemoData())
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	db, err := sql.Open("kintone", srv.DSN()) // e.g. "https://alice:s3cret@example.cybozu.com/"
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	rows, err := db.QueryContext(context.Background(),
		"SELECT customer_code, company FROM Customers WHERE industry = ? ORDER BY customer_code LIMIT 3", "Software")
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var code, company string
		if err := rows.Scan(&code, &company); err != nil {
			log.Fatal(err)
		}
		fmt.Println(code, company)
	}
	if err := rows.Err(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// C0024 Northwind Works 24
	// C0032 Sakura Logistics 32
	// C0035 Blue River Logistics 35
}

// A Connector built from a Config in code, for sql.OpenDB.
func ExampleNewConnector() {
	srv, err := kintonetest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	cfg := dsn.NewConfig()
	cfg.BaseURL = srv.URL
	cfg.User, cfg.Password = "admin", "admin"
	db := sql.OpenDB(kintone.NewConnector(cfg))
	defer db.Close()
	fmt.Println(db.Ping())
	// Output: <nil>
}

// Kintone's errors carry its code; secrets never appear in them.
func ExampleAPIError() {
	srv, err := kintonetest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	db, err := sql.Open("kintone", srv.DSNFor("admin", "wrong password"))
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	var ae *kintone.APIError
	if err := db.Ping(); errors.As(err, &ae) {
		fmt.Println(ae.Status, ae.Code)
	}
	// Output: 401 CB_WA01
}
