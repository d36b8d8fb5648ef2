package kintone_test

// Window functions (issue 14, item 6): ranking, value and aggregate
// functions over partitions, computed after WHERE, GROUP BY and HAVING,
// before ORDER BY and LIMIT, with SQL's default frame.

import (
	"slices"
	"strings"
	"testing"
)

func TestWindowFunctions(t *testing.T) {
	srv := newEmulator(t)
	joinShop(t, srv)
	db := openDB(t, srv.DSN())
	// Orders of c1 (amounts 1, 2, 2), c2 (4), c3 (5, 6) and one without
	// a customer (7).
	if _, err := db.Exec("INSERT INTO orders (customer, amount) VALUES ('c1',1),('c1',2),('c1',2),('c2',4),('c3',5),('c3',6),(NULL,7)"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"SELECT amount, ROW_NUMBER() OVER (ORDER BY amount DESC) FROM orders ORDER BY amount DESC, $id LIMIT 3",
			[]string{"7,1", "6,2", "5,3"}},
		{"SELECT customer, amount, RANK() OVER (PARTITION BY customer ORDER BY amount), DENSE_RANK() OVER (PARTITION BY customer ORDER BY amount DESC) FROM orders WHERE customer = 'c1' ORDER BY amount, $id",
			[]string{"c1,1,1,2", "c1,2,2,1", "c1,2,2,1"}},
		// An aggregate with ORDER BY is running (peers together); without,
		// the whole partition.
		{"SELECT amount, SUM(amount) OVER (ORDER BY amount), SUM(amount) OVER (), COUNT(*) OVER (PARTITION BY customer) FROM orders WHERE customer = 'c1' ORDER BY $id",
			[]string{"1,1,5,3", "2,5,5,3", "2,5,5,3"}},
		{"SELECT amount, LAG(amount) OVER (ORDER BY $id), LEAD(amount, 2, 0) OVER (ORDER BY $id) FROM orders WHERE amount <= 4 ORDER BY $id",
			[]string{"1,NULL,2", "2,1,4", "2,2,0", "4,2,0"}},
		{"SELECT customer, FIRST_VALUE(amount) OVER (PARTITION BY customer ORDER BY amount DESC), LAST_VALUE(amount) OVER (PARTITION BY customer) FROM orders WHERE customer IN ('c2', 'c3') ORDER BY customer, amount",
			[]string{"c2,4,4", "c3,6,6", "c3,6,6"}},
		{"SELECT amount, NTILE(3) OVER (ORDER BY amount) FROM orders ORDER BY amount, $id",
			[]string{"1,1", "2,1", "2,1", "4,2", "5,2", "6,3", "7,3"}},
		{"SELECT amount, PERCENT_RANK() OVER (ORDER BY amount), CUME_DIST() OVER (ORDER BY amount) FROM orders WHERE amount <= 4 ORDER BY amount, $id",
			[]string{"1,0,0.25", "2,0.3333333333333333,0.75", "2,0.3333333333333333,0.75", "4,1,1"}},
		// Over a grouping: the window reads the groups.
		{"SELECT customer, SUM(amount), RANK() OVER (ORDER BY SUM(amount) DESC) FROM orders GROUP BY customer ORDER BY 3, 1",
			[]string{"c3,11,1", "NULL,7,2", "c1,5,3", "c2,4,4"}},
		// ORDER BY a window function, and over a join.
		{"SELECT o.amount, c.name FROM orders o JOIN customers c ON c.code = o.customer ORDER BY ROW_NUMBER() OVER (ORDER BY o.amount DESC) LIMIT 2",
			nil},
	} {
		got := rowStrings(t, db, c.query)
		if c.want != nil && !slices.Equal(got, c.want) {
			t.Errorf("%s\n got %q\nwant %q", c.query, got, c.want)
		}
	}
	for _, c := range []struct{ query, want string }{
		{"SELECT amount FROM orders WHERE ROW_NUMBER() OVER () > 1", "allowed only in the select list and ORDER BY"},
		{"SELECT ROW_NUMBER(amount) OVER () FROM orders", "ROW_NUMBER() takes 0 arguments, not 1"},
		{"SELECT STDDEV(amount) OVER () FROM orders", "window function STDDEV() is not supported"},
		{"SELECT SUM(amount) OVER (ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM orders", "window frame"},
		{"SELECT NTILE(0) OVER () FROM orders", "the number of buckets must be a positive integer"},
	} {
		rows, err := db.Query(c.query)
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
