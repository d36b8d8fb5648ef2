package kintone_test

import (
	"testing"
)

func TestDerivedSmoke(t *testing.T) {
	srv := newEmulator(t)
	joinShop(t, srv)
	db := openDB(t, srv.DSN())
	fillShop(t, db, 5, []int{1, 1, 2, 3, 9})
	for _, q := range []string{
		"SELECT customer FROM orders UNION SELECT code FROM customers ORDER BY 1",
		"SELECT customer FROM orders UNION ALL SELECT code FROM customers ORDER BY customer DESC LIMIT 3",
		"SELECT customer FROM orders INTERSECT SELECT code FROM customers",
		"SELECT code FROM customers EXCEPT SELECT customer FROM orders",
		"SELECT customer FROM orders INTERSECT ALL SELECT 'c1'",
		"(SELECT amount FROM orders ORDER BY amount DESC LIMIT 2) UNION ALL (SELECT amount FROM orders ORDER BY amount LIMIT 1)",
		"WITH big AS (SELECT customer, amount FROM orders WHERE amount > 2) SELECT c.name, b.amount FROM customers c JOIN big b ON b.customer = c.code",
		"WITH t (x) AS (SELECT code FROM customers) SELECT COUNT(*) FROM t WHERE x > 'c2'",
		"SELECT COUNT(*) FROM (SELECT customer FROM orders UNION SELECT code FROM customers) u",
		"SELECT amount FROM orders UNION SELECT code, name FROM customers",
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Log(q, err)
			continue
		}
		rows.Close()
		t.Log(q, rowStrings(t, db, q))
	}
}
