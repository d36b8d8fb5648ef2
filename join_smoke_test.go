package kintone_test

import (
	"fmt"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest"
)

func TestJoinSmoke(t *testing.T) {
	srv := newEmulator(t)
	if _, err := srv.CreateApp(kintonetest.App{Name: "customers", Code: "customers", Fields: []kintonetest.Field{
		{Code: "code", Type: "SINGLE_LINE_TEXT", Unique: true},
		{Code: "name", Type: "SINGLE_LINE_TEXT"},
	}}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.CreateApp(kintonetest.App{Name: "orders", Code: "orders", Fields: []kintonetest.Field{
		{Code: "customer", Type: "SINGLE_LINE_TEXT"},
		{Code: "amount", Type: "NUMBER"},
	}}); err != nil {
		t.Fatal(err)
	}
	db := openDB(t, srv.DSN())
	if _, err := db.Exec("INSERT INTO customers (code, name) VALUES ('c1','Ann'),('c2','Bob'),('c3','Cy')"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO orders (customer, amount) VALUES ('c1',10),('c1',20),('c2',5),('c9',1),(NULL,2)"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"SELECT o.amount, c.name FROM orders o JOIN customers c ON c.code = o.customer ORDER BY o.amount",
		"SELECT o.amount, c.name FROM orders o LEFT JOIN customers c ON c.code = o.customer ORDER BY o.amount",
		"SELECT o.amount, c.name FROM orders o RIGHT JOIN customers c ON c.code = o.customer ORDER BY c.name, o.amount",
		"SELECT o.amount, c.name FROM orders o FULL JOIN customers c ON c.code = o.customer ORDER BY c.name, o.amount",
		"SELECT c.name, SUM(o.amount) FROM orders o, customers c WHERE c.code = o.customer GROUP BY c.name ORDER BY 1",
		"SELECT * FROM orders o JOIN customers c ON c.code = o.customer WHERE o.amount > 5",
		"EXPLAIN SELECT o.amount, c.name FROM orders o JOIN customers c ON c.code = o.customer WHERE o.amount > 5",
	} {
		srv.ResetStats()
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		cols, _ := rows.Columns()
		fmt.Println(q, cols)
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					vals[i] = string(b)
				}
			}
			fmt.Println("  ", vals)
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		for _, r := range srv.Requests() {
			fmt.Println("   req", r.Effective, r.Resource, r.Query)
		}
	}
}
