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
		"SELECT d.customer, d.total FROM (SELECT customer, SUM(amount) AS total FROM orders GROUP BY customer) d WHERE d.total > 2 ORDER BY 1",
		"SELECT amount FROM orders WHERE customer IN (SELECT code FROM customers WHERE name > 'name 2')",
		"SELECT amount FROM orders WHERE customer NOT IN (SELECT code FROM customers WHERE name > 'name 2')",
		"SELECT amount, (SELECT COUNT(*) FROM customers) FROM orders WHERE amount = (SELECT MAX(amount) FROM orders)",
		"SELECT COUNT(*) FROM orders WHERE EXISTS (SELECT 1 FROM customers WHERE code = 'c4')",
		"EXPLAIN SELECT amount FROM orders WHERE customer IN (SELECT code FROM customers WHERE name > 'name 2')",
	} {
		srv.ResetStats()
		t.Log(q, rowStrings(t, db, q))
		for _, r := range srv.Requests() {
			t.Log("   ", r.Resource, r.Query)
		}
	}
}
