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
		"SELECT c.code FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer = c.code AND o.amount > 1)",
		"SELECT c.code FROM customers c WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer = c.code)",
		"SELECT c.code FROM customers c WHERE c.code IN (SELECT o.customer FROM orders o WHERE o.amount >= c.$id)",
		"SELECT c.code FROM customers c WHERE c.code NOT IN (SELECT o.customer FROM orders o WHERE o.amount >= c.$id)",
		"SELECT c.code, (SELECT COUNT(*) FROM orders o WHERE o.customer = c.code) FROM customers c",
	} {
		srv.ResetStats()
		rows, err := db.Query(q)
		if err != nil {
			t.Log(q, err)
			continue
		}
		rows.Close()
		t.Log(q, rowStrings(t, db, q))
		for _, r := range srv.Requests() {
			t.Log("   ", r.Resource, r.Query)
		}
	}
}
