package kintone_test

// Joins (issue 14, item 1): each kind's answer over a small shop, the
// requests each plan costs (a small side's keys narrow the other side's
// read), and the errors that name the table or column at fault.

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest"
)

// joinShop creates customers (code unique, name, region) and orders
// (customer, amount, an items subtable of product and qty).
func joinShop(t *testing.T, srv *kintonetest.Server) {
	t.Helper()
	if _, err := srv.CreateApp(kintonetest.App{Name: "customers", Code: "customers", Fields: []kintonetest.Field{
		{Code: "code", Type: "SINGLE_LINE_TEXT", Unique: true},
		{Code: "name", Type: "SINGLE_LINE_TEXT"},
		{Code: "region", Type: "DROP_DOWN", Options: []string{"east", "west"}},
	}}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.CreateApp(kintonetest.App{Name: "orders", Code: "orders", Fields: []kintonetest.Field{
		{Code: "customer", Type: "SINGLE_LINE_TEXT"},
		{Code: "amount", Type: "NUMBER"},
		{Code: "items", Type: "SUBTABLE", Fields: []kintonetest.Field{
			{Code: "product", Type: "SINGLE_LINE_TEXT"},
			{Code: "qty", Type: "NUMBER"},
		}},
	}}); err != nil {
		t.Fatal(err)
	}
}

// rowStrings runs query and prints each row's values joined by ",",
// NULL for NULL.
func rowStrings(t *testing.T, db *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []string
	for rows.Next() {
		vals := make([]sql.RawBytes, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = string(v)
			if v == nil {
				parts[i] = "NULL"
			}
		}
		out = append(out, strings.Join(parts, ","))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return out
}

func TestJoinAnswers(t *testing.T) {
	srv := newEmulator(t)
	joinShop(t, srv)
	db := openDB(t, srv.DSN())
	for _, q := range []string{
		"INSERT INTO customers (code, name, region) VALUES ('c1','Ann','east'),('c2','Bob','west'),('c3','Cy',NULL)",
		`INSERT INTO orders (customer, amount, items) VALUES ('c1',10,'[{"value":{"product":{"value":"pen"},"qty":{"value":"1"}}},{"value":{"product":{"value":"ink"},"qty":{"value":"2"}}}]'),
			('c1',20,NULL),('c2',5,'[{"value":{"product":{"value":"pad"},"qty":{"value":"5"}}}]'),('c9',1,NULL),(NULL,2,NULL)`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"SELECT o.amount, c.name FROM orders o JOIN customers c ON c.code = o.customer ORDER BY o.amount",
			[]string{"5,Bob", "10,Ann", "20,Ann"}},
		{"SELECT o.amount, c.name FROM orders o INNER JOIN customers c ON o.customer = c.code WHERE c.region = 'east' ORDER BY 1",
			[]string{"10,Ann", "20,Ann"}},
		{"SELECT o.amount, c.name FROM orders o LEFT JOIN customers c ON c.code = o.customer ORDER BY o.amount",
			[]string{"1,NULL", "2,NULL", "5,Bob", "10,Ann", "20,Ann"}},
		{"SELECT o.amount, c.name FROM orders o LEFT OUTER JOIN customers c ON c.code = o.customer AND c.region = 'west' ORDER BY o.amount",
			[]string{"1,NULL", "2,NULL", "5,Bob", "10,NULL", "20,NULL"}},
		// WHERE on the right side of a LEFT JOIN rejects its NULLs: an inner join.
		{"SELECT o.amount FROM orders o LEFT JOIN customers c ON c.code = o.customer WHERE c.region = 'west'",
			[]string{"5"}},
		// The anti-join: orders without a customer.
		{"SELECT o.amount FROM orders o LEFT JOIN customers c ON c.code = o.customer WHERE c.$id IS NULL ORDER BY 1",
			[]string{"1", "2"}},
		{"SELECT c.name, o.amount FROM orders o RIGHT JOIN customers c ON c.code = o.customer ORDER BY c.name, o.amount",
			[]string{"Ann,10", "Ann,20", "Bob,5", "Cy,NULL"}},
		{"SELECT c.name, o.amount FROM orders o FULL OUTER JOIN customers c ON c.code = o.customer ORDER BY c.name, o.amount",
			[]string{"NULL,1", "NULL,2", "Ann,10", "Ann,20", "Bob,5", "Cy,NULL"}},
		{"SELECT COUNT(*) FROM orders CROSS JOIN customers", []string{"15"}},
		{"SELECT COUNT(*) FROM orders, customers WHERE customers.code = orders.customer", []string{"3"}},
		{"SELECT c.name, SUM(o.amount), COUNT(*) FROM orders o JOIN customers c ON c.code = o.customer GROUP BY c.name ORDER BY 2 DESC",
			[]string{"Ann,30,2", "Bob,5,1"}},
		// A condition that is not an equality: a nested loop.
		{"SELECT a.amount, b.amount FROM orders a JOIN orders b ON a.amount * 2 = b.amount OR a.amount > 15 AND b.amount < 2 ORDER BY 1, 2",
			[]string{"1,2", "5,10", "10,20", "20,1"}},
		// A self-join and three tables.
		{"SELECT a.amount, b.amount FROM orders a JOIN orders b ON a.customer = b.customer AND a.$id < b.$id",
			[]string{"10,20"}},
		{"SELECT c.name, i.product FROM customers c JOIN orders o ON o.customer = c.code JOIN orders.items i ON i.$id = o.$id ORDER BY i.product",
			[]string{"Ann,ink", "Bob,pad", "Ann,pen"}},
		// A parent and its subtable rows; LEFT keeps the orders without rows.
		{"SELECT o.$id, i.product, i.qty FROM orders o LEFT JOIN orders.items i ON i.$id = o.$id ORDER BY o.$id, i.product",
			[]string{"1,ink,2", "1,pen,1", "2,NULL,NULL", "3,pad,5", "4,NULL,NULL", "5,NULL,NULL"}},
		{"SELECT o.$id, i.product FROM orders o JOIN orders.items i ON i.$id = o.$id WHERE i.qty > 1 ORDER BY 1",
			[]string{"1,ink", "3,pad"}},
		// USING merges the column: * lists it once, an unqualified name reads it.
		{"SELECT $id, o.amount, p.amount FROM orders o JOIN orders p USING ($id) WHERE $id < 3 ORDER BY $id",
			[]string{"1,10,10", "2,20,20"}},
		{"SELECT COUNT(*) FROM orders o JOIN orders p USING ($id, customer)", []string{"4"}},
		{"SELECT c.*, o.amount FROM customers c JOIN orders o ON o.customer = c.code WHERE o.amount = 5",
			nil}, // checked below by its columns
		// Parenthesized table expressions.
		{"SELECT COUNT(*) FROM (orders o, customers c) WHERE o.customer = c.code", []string{"3"}},
		{"SELECT COUNT(*) FROM orders o JOIN (customers c) ON o.customer = c.code", []string{"3"}},
		// ORDER BY and LIMIT over the joined rows.
		{"SELECT o.amount FROM orders o JOIN customers c ON c.code = o.customer ORDER BY o.amount DESC LIMIT 2",
			[]string{"20", "10"}},
		// An empty side.
		{"SELECT COUNT(*) FROM orders o JOIN customers c ON c.code = o.customer WHERE c.name = 'nobody'", []string{"0"}},
		{"SELECT COUNT(*) FROM orders o LEFT JOIN customers c ON c.code = o.customer AND 1 = 0", []string{"5"}},
	} {
		got := rowStrings(t, db, c.query)
		if c.want == nil {
			continue
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s\n got %q\nwant %q", c.query, got, c.want)
		}
	}
	rows, err := db.Query("SELECT * FROM orders o JOIN customers c ON c.code = o.customer LIMIT 1")
	if err != nil {
		t.Fatal(err)
	}
	cols, _ := rows.Columns()
	rows.Close()
	if len(cols) < 6 || cols[0] != "$id" || !slices.Contains(cols, "amount") || !slices.Contains(cols, "name") {
		t.Errorf("SELECT * of a join: columns %q, want both tables'", cols)
	}
	types, _ := mustColumnTypes(t, db, "SELECT c.$id, o.$id FROM orders o LEFT JOIN customers c ON c.code = o.customer")
	if n, ok := types[0].Nullable(); !ok || !n {
		t.Errorf("c.$id of a LEFT JOIN's right side: nullable %v, want true", n)
	}
	if n, ok := types[1].Nullable(); !ok || n {
		t.Errorf("o.$id of a LEFT JOIN's left side: nullable %v, want false", n)
	}
}

// mustColumnTypes returns the column types of query.
func mustColumnTypes(t *testing.T, db *sql.DB, query string) ([]*sql.ColumnType, error) {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	return rows.ColumnTypes()
}

// fillShop adds customers c1..cN and orders for the customers of codes,
// in bulk.
func fillShop(t *testing.T, db *sql.DB, customers int, orderCustomers []int) {
	t.Helper()
	var b strings.Builder
	flush := func(prefix string) {
		if b.Len() == 0 {
			return
		}
		if _, err := db.Exec(prefix + b.String()); err != nil {
			t.Fatal(err)
		}
		b.Reset()
	}
	for i := 1; i <= customers; i++ {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "('c%d','name %d')", i, i)
		if i%2000 == 0 {
			flush("INSERT INTO customers (code, name) VALUES ")
		}
	}
	flush("INSERT INTO customers (code, name) VALUES ")
	for i, c := range orderCustomers {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "('c%d',%d)", c, i+1)
		if (i+1)%2000 == 0 {
			flush("INSERT INTO orders (customer, amount) VALUES ")
		}
	}
	flush("INSERT INTO orders (customer, amount) VALUES ")
}

func TestJoinReadsTheSmallSideFirstAndLooksTheOtherUp(t *testing.T) {
	srv := newEmulator(t)
	joinShop(t, srv)
	db := openDB(t, srv.DSN())
	var fifty []int
	for i := 0; i < 50; i++ {
		fifty = append(fifty, 1+i*37%1000)
	}
	fillShop(t, db, 1000, fifty)
	for _, c := range []struct {
		query string
		rows  int
		reqs  map[string]int64
	}{
		// 50 orders (one page), then one customer code in (...) request,
		// not the 2 pages of all customers.
		{"SELECT o.amount, c.name FROM orders o JOIN customers c ON c.code = o.customer", 50, map[string]int64{"GET records": 2}},
		{"SELECT o.amount, c.name FROM orders o LEFT JOIN customers c ON c.code = o.customer", 50, map[string]int64{"GET records": 2}},
		// The customers side is narrowed by its own condition and read
		// first; the orders are looked up by its codes.
		{"SELECT o.amount FROM customers c JOIN orders o ON c.code = o.customer WHERE c.name = 'name 38'", 1, map[string]int64{"GET records": 2}},
		// A FULL JOIN reads both whole: 1 page of orders, 2 of customers.
		{"SELECT o.amount, c.name FROM orders o FULL JOIN customers c ON c.code = o.customer", 1000, map[string]int64{"GET records": 3}},
		// An empty first side: the other is not read at all.
		{"SELECT o.amount FROM orders o JOIN customers c ON c.code = o.customer WHERE o.amount > 1000", 0, map[string]int64{"GET records": 1}},
	} {
		var n int
		reqs := recordRequests(srv, func() { n = countRows(t, db, c.query) })
		if n != c.rows {
			t.Errorf("%s: %d rows, want %d", c.query, n, c.rows)
		}
		if fmt.Sprint(reqs) != fmt.Sprint(c.reqs) {
			t.Errorf("%s: requests %v, want %v", c.query, reqs, c.reqs)
		}
	}
	// The lookup's query lists the keys and the side's own condition.
	srv.ResetStats()
	countRows(t, db, "SELECT o.amount FROM orders o JOIN customers c ON c.code = o.customer AND c.name <> 'x' WHERE o.amount <= 3")
	var queries []string
	for _, r := range srv.Requests() {
		if r.Resource == "records" {
			queries = append(queries, r.Query)
		}
	}
	if len(queries) != 2 || !strings.Contains(queries[0], "amount") || !strings.Contains(queries[1], "code%20in%20%28") {
		t.Errorf("queries %q: want the orders' condition, then code in (...)", queries)
	}
}

func TestJoinLookupInBatchesOnlyWhenCheaperThanAWholeRead(t *testing.T) {
	srv := newEmulator(t)
	joinShop(t, srv)
	db := openDB(t, srv.DSN())
	// 1,200 orders of 1,200 distinct customers among 5,000: three
	// batches of 500 keys against 10 pages of customers.
	var codes []int
	for i := 0; i < 1200; i++ {
		codes = append(codes, 1+i*4)
	}
	fillShop(t, db, 5000, codes)
	var n int
	reqs := recordRequests(srv, func() {
		n = countRows(t, db, "SELECT o.amount, c.name FROM orders o JOIN customers c ON c.code = o.customer")
	})
	// 3 pages of orders, a count of the customers, 3 lookups.
	if n != 1200 || reqs["GET records"] != 7 {
		t.Errorf("%d rows, requests %v; want 1200 rows in 7 GET records (3 pages, a count, 3 batches)", n, reqs)
	}
	// Customers narrowed to fewer pages than the batches: the count says
	// read them whole (1 page) instead. (A LEFT JOIN reads the orders
	// first; an inner join would read the narrowed customers first and
	// look the orders up.)
	reqs = recordRequests(srv, func() {
		n = countRows(t, db, "SELECT o.amount, c.name FROM orders o LEFT JOIN customers c ON c.code = o.customer AND c.$id <= 400")
	})
	if n != 1200 || reqs["GET records"] != 5 {
		t.Errorf("%d rows, requests %v; want 1200 rows in 5 GET records (3 pages, a count, 1 page)", n, reqs)
	}
	reqs = recordRequests(srv, func() {
		n = countRows(t, db, "SELECT o.amount, c.name FROM orders o JOIN customers c ON c.code = o.customer AND c.$id <= 400")
	})
	if n != 100 || reqs["GET records"] != 2 {
		t.Errorf("%d rows, requests %v; want 100 rows in 2 GET records (the 400 customers, then the orders of their codes)", n, reqs)
	}
}

func TestJoinErrorsNameTheTableOrColumn(t *testing.T) {
	srv := newEmulator(t)
	joinShop(t, srv)
	db := openDB(t, srv.DSN())
	for _, c := range []struct{ query, want string }{
		{"SELECT $id FROM orders o JOIN customers c ON c.code = o.customer", `column "$id" is ambiguous: it is "o.$id" or "c.$id"`},
		{"SELECT x.amount FROM orders o JOIN customers c ON c.code = o.customer", `unknown table "x" in column reference x.amount`},
		{"SELECT amount FROM orders JOIN orders ON 1 = 1", `table "orders" is named twice in FROM`},
		{"SELECT amount FROM orders o JOIN customers c USING (amount)", `USING column "amount" is not in the right side`},
		{"SELECT amount FROM orders o JOIN customers c ON c.nope = o.customer", `unknown column "nope"`},
		{"SELECT amount FROM orders o JOIN customers c ON COUNT(*) > 1", "aggregate COUNT() is not allowed here"},
		{"SELECT amount FROM orders o JOIN customers c ON o.customer = c.code OR c.Created_datetime > TODAY()", "TODAY() in a condition evaluated outside Kintone"},
		{"SELECT amount FROM orders o LEFT JOIN customers c", "expected ON or USING"},
	} {
		_, err := db.Query(c.query)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err %v, want %q", c.query, err, c.want)
		}
	}
}

func TestExplainJoinShowsEachRead(t *testing.T) {
	srv := newEmulator(t)
	joinShop(t, srv)
	db := openDB(t, srv.DSN())
	got := rowStrings(t, db, "EXPLAIN SELECT o.amount, c.name FROM orders o JOIN customers c ON c.code = o.customer WHERE o.amount > 5 AND c.region = 'east'")
	if len(got) != 2 {
		t.Fatalf("EXPLAIN of a join: %d rows %q, want one per read", len(got), got)
	}
	if !strings.Contains(got[0], "amount > 5") || !strings.Contains(got[0], "inner join by hash on o.customer = c.code") {
		t.Errorf("first read: %q", got[0])
	}
	if !strings.Contains(got[1], `region in ("east")`) || !strings.Contains(got[1], "read by code in (the keys of the other side)") {
		t.Errorf("second read: %q", got[1])
	}
}

func TestParentAndItsSubtableAreOneRead(t *testing.T) {
	srv := newEmulator(t)
	joinShop(t, srv)
	db := openDB(t, srv.DSN())
	if _, err := db.Exec(`INSERT INTO orders (customer, amount, items) VALUES
		('c1', 10, '[{"value":{"product":{"value":"pen"},"qty":{"value":"1"}}},{"value":{"product":{"value":"ink"},"qty":{"value":"2"}}}]'),
		('c2', 20, NULL),
		('c3', 30, '[{"value":{"product":{"value":"pad"},"qty":{"value":"5"}}},{"value":{"product":{"value":"pen"},"qty":{"value":"7"}}}]')`); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		query  string
		want   []string
		query2 string // the Kintone query of the one read, a part of it
	}{
		{"SELECT o.amount, i.product FROM orders o JOIN orders.items i ON i.$id = o.$id ORDER BY 1, 2",
			[]string{"10,ink", "10,pen", "30,pad", "30,pen"}, ""},
		{"SELECT o.amount, i.product FROM orders o LEFT JOIN orders.items i ON i.$id = o.$id AND i.qty > 1 ORDER BY 1, 2",
			[]string{"10,ink", "20,NULL", "30,pad", "30,pen"}, ""},
		// The child table's condition narrows the read: Kintone's
		// subtable in, checked again row by row.
		{"SELECT o.amount, i.qty FROM orders o JOIN orders.items i ON i.$id = o.$id WHERE i.product = 'pen' ORDER BY 1",
			[]string{"10,1", "30,7"}, "product%20in%20%28%22pen%22%29"},
		{"SELECT o.amount FROM orders o WHERE EXISTS (SELECT 1 FROM orders.items i WHERE i.$id = o.$id AND i.product = 'pen' AND i.qty > 5)",
			[]string{"30"}, "product%20in%20%28%22pen%22%29"},
		{"SELECT o.amount FROM orders o WHERE NOT EXISTS (SELECT 1 FROM orders.items i WHERE i.$id = o.$id AND i.product = 'pen') ORDER BY 1",
			[]string{"20"}, ""},
		{"SELECT COUNT(*) FROM orders.items i LEFT JOIN orders o ON o.$id = i.$id", []string{"4"}, ""},
	} {
		srv.ResetStats()
		got := rowStrings(t, db, c.query)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s\n got %q\nwant %q", c.query, got, c.want)
		}
		var reads []string
		for _, r := range srv.Requests() {
			if r.Resource == "records" {
				reads = append(reads, r.Query)
			}
		}
		if len(reads) != 1 || !strings.Contains(reads[0], c.query2) {
			t.Errorf("%s: reads %q, want one read of orders (with %q)", c.query, reads, c.query2)
		}
	}
}

func TestOuterJoinLimitReadsOnlyThatManyPreservedRows(t *testing.T) {
	srv := newEmulator(t)
	joinShop(t, srv)
	db := openDB(t, srv.DSN())
	var codes []int
	for i := 0; i < 1200; i++ {
		codes = append(codes, 1+i%40)
	}
	fillShop(t, db, 30, codes) // customers c1..c30; orders of c1..c40, amounts 1..1200
	for _, c := range []struct {
		query string
		want  []string
		reqs  int64
	}{
		// 3 orders (one GET with limit 3), then their customers.
		{"SELECT o.amount, c.name FROM orders o LEFT JOIN customers c ON c.code = o.customer ORDER BY o.amount DESC LIMIT 3",
			[]string{"1200,NULL", "1199,NULL", "1198,NULL"}, 2},
		{"SELECT o.amount, c.name FROM orders o LEFT JOIN customers c ON c.code = o.customer ORDER BY o.amount LIMIT 2 OFFSET 1",
			[]string{"2,name 2", "3,name 3"}, 2},
		{"SELECT o.amount, c.name FROM customers c RIGHT JOIN orders o ON c.code = o.customer ORDER BY o.amount LIMIT 2",
			[]string{"1,name 1", "2,name 2"}, 2},
		// A condition above the join, or an order by the other side, needs
		// every order.
		{"SELECT o.amount FROM orders o LEFT JOIN customers c ON c.code = o.customer WHERE c.name IS NULL ORDER BY o.amount LIMIT 2",
			[]string{"31", "32"}, 0},
	} {
		var got []string
		reqs := recordRequests(srv, func() { got = rowStrings(t, db, c.query) })
		if !slices.Equal(got, c.want) {
			t.Errorf("%s\n got %q\nwant %q", c.query, got, c.want)
		}
		if c.reqs > 0 && reqs["GET records"] != c.reqs {
			t.Errorf("%s: requests %v, want %d GET records", c.query, reqs, c.reqs)
		}
		if c.reqs == 0 && reqs["GET records"] < 3 {
			t.Errorf("%s: requests %v, want every order read", c.query, reqs)
		}
	}
}

func TestThreeTablesReadAnAppAndItsSubtableOnce(t *testing.T) {
	srv := newEmulator(t)
	joinShop(t, srv)
	db := openDB(t, srv.DSN())
	if _, err := db.Exec("INSERT INTO customers (code, name) VALUES ('c1','Ann'),('c2','Bob')"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO orders (customer, amount, items) VALUES
		('c1', 10, '[{"value":{"product":{"value":"pen"},"qty":{"value":"1"}}},{"value":{"product":{"value":"ink"},"qty":{"value":"2"}}}]'),
		('c2', 20, '[{"value":{"product":{"value":"pad"},"qty":{"value":"5"}}}]'), ('c3', 30, NULL)`); err != nil {
		t.Fatal(err)
	}
	var got []string
	reqs := recordRequests(srv, func() {
		got = rowStrings(t, db, "SELECT c.name, i.product FROM customers c JOIN orders o ON o.customer = c.code JOIN orders.items i ON i.$id = o.$id AND i.qty > 1 ORDER BY i.product")
	})
	if want := []string{"Ann,ink", "Bob,pad"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	// customers, then orders with their items in one read (looked up by
	// the customers' codes): 2, not 3.
	if reqs["GET records"] != 2 {
		t.Errorf("requests %v, want 2 GET records", reqs)
	}
}
