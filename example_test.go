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

// Join two apps. The orders' own condition goes into their Kintone
// query; the customers of those orders are then read by
// customer_code in (...), not all of them.
func Example_join() {
	srv, err := kintonetest.NewServer(kintonetest.WithDemoData())
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	db, err := sql.Open("kintone", srv.DSN())
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()

	rows, err := db.Query(`SELECT c.company, COUNT(*), SUM(o.total)
		FROM Orders o JOIN Customers c ON c.customer_code = o.customer_code
		WHERE o.status = 'Shipped' AND c.country = 'Japan'
		GROUP BY c.company ORDER BY 3 DESC LIMIT 3`)
	if err != nil {
		log.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var company, total string
		var orders int64
		if err := rows.Scan(&company, &orders, &total); err != nil {
			log.Fatal(err)
		}
		fmt.Println(company, orders, total)
	}
	if err := rows.Err(); err != nil {
		log.Fatal(err)
	}
	// Output:
	// Tanaka Logistics 74 7 470400
	// Orion Labs 118 7 343600
	// Fuji Trading 60 3 342400
}
