package kintone_test

// Subqueries, derived tables, set operations and WITH (issue 14, items
// 2, 3 and 6): their answers, what reaches Kintone (an uncorrelated
// IN (SELECT ...) becomes field in (...); a correlated EXISTS is a semi
// join whose side is looked up by the outer keys), and the constructs
// still refused, with their position.

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestSubqueryAnswers(t *testing.T) {
	srv := newEmulator(t)
	joinShop(t, srv)
	db := openDB(t, srv.DSN())
	// customers c1..c5; orders of c1, c1, c2, c3, c9 with amounts 1..5.
	fillShop(t, db, 5, []int{1, 1, 2, 3, 9})
	if _, err := db.Exec("INSERT INTO orders (customer, amount) VALUES (NULL, 6)"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		query string
		want  []string
	}{
		// Uncorrelated.
		{"SELECT amount FROM orders WHERE customer IN (SELECT code FROM customers WHERE name > 'name 2') ORDER BY 1", []string{"4"}},
		{"SELECT amount FROM orders WHERE customer NOT IN (SELECT code FROM customers WHERE name > 'name 2') ORDER BY 1", []string{"1", "2", "3", "5"}},
		// NOT IN a list holding NULL is never TRUE.
		{"SELECT code FROM customers WHERE code NOT IN (SELECT customer FROM orders)", nil},
		{"SELECT code FROM customers WHERE code NOT IN (SELECT customer FROM orders WHERE customer IS NOT NULL) ORDER BY 1", []string{"c4", "c5"}},
		// IN an empty result is FALSE, NOT IN TRUE, even for NULL.
		{"SELECT COUNT(*) FROM orders WHERE customer IN (SELECT code FROM customers WHERE 1 = 0)", []string{"0"}},
		{"SELECT COUNT(*) FROM orders WHERE customer NOT IN (SELECT code FROM customers WHERE 1 = 0)", []string{"6"}},
		{"SELECT amount, (SELECT COUNT(*) FROM customers) FROM orders WHERE amount = (SELECT MAX(amount) FROM orders)", []string{"6,5"}},
		{"SELECT (SELECT name FROM customers WHERE code = 'nobody')", []string{"NULL"}},
		{"SELECT COUNT(*) FROM orders WHERE EXISTS (SELECT 1 FROM customers WHERE code = 'c4')", []string{"6"}},
		{"SELECT COUNT(*) FROM orders WHERE NOT EXISTS (SELECT 1 FROM customers WHERE code = 'c4')", []string{"0"}},
		// Correlated: semi and anti joins.
		{"SELECT c.code FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer = c.code AND o.amount > 1) ORDER BY 1", []string{"c1", "c2", "c3"}},
		{"SELECT c.code FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer = c.code) ORDER BY 1", []string{"c4", "c5"}},
		{"SELECT c.code FROM customers c WHERE c.code IN (SELECT o.customer FROM orders o WHERE o.amount >= c.$id) ORDER BY 1", []string{"c1", "c2", "c3"}},
		{"SELECT c.code FROM customers c WHERE c.$id > 1 AND EXISTS (SELECT * FROM orders o WHERE o.customer = c.code) ORDER BY 1", []string{"c2", "c3"}},
		// Correlated, row by row: a value, NOT IN (NULLs kept), under OR.
		{"SELECT c.code, (SELECT COUNT(*) FROM orders o WHERE o.customer = c.code) FROM customers c ORDER BY 1", []string{"c1,2", "c2,1", "c3,1", "c4,0", "c5,0"}},
		{"SELECT o.amount, (SELECT name FROM customers c WHERE c.code = o.customer) FROM orders o ORDER BY 1", []string{"1,name 1", "2,name 1", "3,name 2", "4,name 3", "5,NULL", "6,NULL"}},
		{"SELECT c.code FROM customers c WHERE c.code NOT IN (SELECT o.customer FROM orders o WHERE o.amount >= c.$id) ORDER BY 1", nil},
		{"SELECT c.code FROM customers c WHERE c.code NOT IN (SELECT o.customer FROM orders o WHERE o.amount >= c.$id AND o.customer IS NOT NULL) ORDER BY 1", []string{"c4", "c5"}},
		{"SELECT c.code FROM customers c WHERE c.$id = 5 OR EXISTS (SELECT 1 FROM orders o WHERE o.customer = c.code) ORDER BY 1", []string{"c1", "c2", "c3", "c5"}},
		{"SELECT o.amount FROM orders o WHERE o.amount > (SELECT AVG(i.amount) FROM orders i WHERE i.customer = o.customer) ORDER BY 1", []string{"2"}},
		// Derived tables.
		{"SELECT d.customer, d.total FROM (SELECT customer, SUM(amount) AS total FROM orders GROUP BY customer) d WHERE d.total > 3 ORDER BY 1", []string{"NULL,6", "c3,4", "c9,5"}},
		{"SELECT c.name, d.n FROM customers c LEFT JOIN (SELECT customer, COUNT(*) n FROM orders GROUP BY customer) d ON d.customer = c.code ORDER BY 1", []string{"name 1,2", "name 2,1", "name 3,1", "name 4,NULL", "name 5,NULL"}},
		// Set operations.
		{"SELECT customer FROM orders UNION SELECT code FROM customers ORDER BY 1", []string{"NULL", "c1", "c2", "c3", "c4", "c5", "c9"}},
		{"SELECT customer FROM orders UNION ALL SELECT code FROM customers ORDER BY customer DESC LIMIT 3", []string{"c9", "c5", "c4"}},
		{"SELECT customer FROM orders INTERSECT SELECT code FROM customers ORDER BY 1", []string{"c1", "c2", "c3"}},
		{"SELECT customer FROM orders INTERSECT ALL SELECT 'c1' UNION ALL SELECT 'c1'", []string{"c1", "c1"}},
		{"SELECT code FROM customers EXCEPT SELECT customer FROM orders ORDER BY 1", []string{"c4", "c5"}},
		{"SELECT customer FROM orders EXCEPT ALL SELECT 'c1' ORDER BY 1", []string{"NULL", "c1", "c2", "c3", "c9"}},
		{"(SELECT amount FROM orders ORDER BY amount DESC LIMIT 2) UNION ALL (SELECT amount FROM orders ORDER BY amount LIMIT 1)", []string{"6", "5", "1"}},
		{"SELECT COUNT(*) FROM (SELECT customer FROM orders UNION SELECT code FROM customers) u", []string{"7"}},
		// WITH.
		{"WITH big AS (SELECT customer, amount FROM orders WHERE amount > 2) SELECT c.name, b.amount FROM customers c JOIN big b ON b.customer = c.code ORDER BY 2", []string{"name 2,3", "name 3,4"}},
		{"WITH t (x) AS (SELECT code FROM customers), u AS (SELECT x FROM t WHERE x > 'c2') SELECT COUNT(*) FROM u", []string{"3"}},
	} {
		got := rowStrings(t, db, c.query)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s\n got %q\nwant %q", c.query, got, c.want)
		}
	}
}

func TestSubqueryReachesKintone(t *testing.T) {
	srv := newEmulator(t)
	joinShop(t, srv)
	db := openDB(t, srv.DSN())
	var codes []int
	for i := 1; i <= 600; i++ {
		codes = append(codes, i)
	}
	fillShop(t, db, 600, codes)
	query := func(q string) []string {
		srv.ResetStats()
		countRows(t, db, q)
		var out []string
		for _, r := range srv.Requests() {
			if r.Resource == "records" {
				out = append(out, r.Query)
			}
		}
		return out
	}
	// A few values: the subquery's read, then one read of the orders with
	// customer in (...).
	got := query("SELECT amount FROM orders WHERE customer IN (SELECT code FROM customers WHERE $id <= 3)")
	if len(got) != 2 || !strings.Contains(got[1], "customer%20in%20%28%22c1%22%2C%20%22c2%22%2C%20%22c3%22%29") {
		t.Errorf("IN (SELECT ...) with 3 values: queries %q, want the customers, then customer in (c1, c2, c3)", got)
	}
	// 600 values are too many for one query: the orders are read whole
	// and the list checked in Go.
	got = query("SELECT amount FROM orders WHERE customer IN (SELECT code FROM customers)")
	if len(got) != 4 || strings.Contains(got[2], "customer%20in") {
		t.Errorf("IN (SELECT ...) with 600 values: queries %q, want 2 pages of customers, then 2 pages of every order", got)
	}
	if n := countRows(t, db, "SELECT amount FROM orders WHERE customer IN (SELECT code FROM customers)"); n != 600 {
		t.Errorf("%d rows, want 600", n)
	}
	// A correlated EXISTS narrowed on the outer side: the outer read,
	// then the orders of its keys.
	got = query("SELECT c.code FROM customers c WHERE c.$id <= 2 AND EXISTS (SELECT 1 FROM orders o WHERE o.customer = c.code)")
	if len(got) != 2 || !strings.Contains(got[1], "customer%20in%20%28%22c1%22%2C%20%22c2%22%29") {
		t.Errorf("correlated EXISTS: queries %q, want the 2 customers, then their orders by customer in (...)", got)
	}
}

func TestCorrelatedSubqueryRunsOncePerDistinctOuterValue(t *testing.T) {
	srv := newEmulator(t)
	joinShop(t, srv)
	db := openDB(t, srv.DSN())
	// 20 orders of 3 customers: the customers' names are looked up 3
	// times, not 20.
	var codes []int
	for i := 0; i < 20; i++ {
		codes = append(codes, 1+i%3)
	}
	fillShop(t, db, 5, codes)
	var n int
	reqs := recordRequests(srv, func() {
		n = countRows(t, db, "SELECT o.amount, (SELECT name FROM customers c WHERE c.code = o.customer) FROM orders o")
	})
	if n != 20 || reqs["GET records"] != 4 {
		t.Errorf("%d rows, requests %v; want 20 rows in 4 GET records (the orders, one per distinct customer)", n, reqs)
	}
}

func TestSubqueryErrors(t *testing.T) {
	srv := newEmulator(t)
	joinShop(t, srv)
	db := openDB(t, srv.DSN())
	fillShop(t, db, 3, []int{1, 1})
	for _, c := range []struct{ query, want string }{
		{"SELECT amount FROM orders WHERE amount = (SELECT amount FROM orders)", "a subquery used as a value returned 2 rows; it must return at most one (add LIMIT 1, or an aggregate) (at line 1, column 42)"},
		{"SELECT amount FROM orders WHERE customer IN (SELECT code, name FROM customers)", "the subquery returns 2 columns; here it must return one"},
		{"SELECT amount FROM orders UNION SELECT code, name FROM customers", "the queries of UNION return 1 and 2 columns"},
		{"SELECT * FROM (SELECT code, code FROM customers) d", `the derived table "d" has two columns named "code"`},
		{"WITH t (a, b) AS (SELECT code FROM customers) SELECT * FROM t", `"t" names 2 columns for a query of 1`},
		{"SELECT customer FROM orders UNION SELECT code FROM customers ORDER BY amount", `unknown column "amount"`},
	} {
		rows, err := db.QueryContext(context.Background(), c.query)
		if err == nil {
			for rows.Next() {
			}
			err = rows.Err()
			rows.Close()
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", c.query, err, c.want)
		}
	}
}

func TestInsertSelectFromAJoin(t *testing.T) {
	srv := newEmulator(t)
	joinShop(t, srv)
	db := openDB(t, srv.DSN())
	fillShop(t, db, 3, []int{1, 2, 2})
	res, err := db.Exec("INSERT INTO customers (code, name) SELECT CONCAT('x', o.$id), c.name FROM orders o JOIN customers c ON c.code = o.customer")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n != 3 {
		t.Errorf("RowsAffected %d, want 3", n)
	}
	got := rowStrings(t, db, "SELECT code, name FROM customers WHERE code LIKE 'x%' ORDER BY code")
	if want := []string{"x1,name 1", "x2,name 2", "x3,name 2"}; !slices.Equal(got, want) {
		t.Errorf("inserted %q, want %q", got, want)
	}
	// In a transaction, a SELECT reading an app an earlier statement
	// writes is refused before anything is sent.
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec("DELETE FROM orders WHERE amount = 1"); err != nil {
		t.Fatal(err)
	}
	_, err = tx.Exec("INSERT INTO customers (code, name) SELECT CONCAT('y', o.$id), c.name FROM customers c JOIN orders o ON c.code = o.customer")
	if err == nil || !strings.Contains(err.Error(), "deletes") {
		t.Errorf("INSERT ... SELECT of a join reading an app the transaction deletes from: %v", err)
	}
}
