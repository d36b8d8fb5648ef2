package kintonegorm

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/kintone-sql/kintone/kintonetest"
)

// Customer is a row of the customers app; Orders are its orders, by
// customer code.
type Customer struct {
	ID     int64       `gorm:"column:$id;primaryKey"`
	Code   string      `gorm:"column:code"`
	Name   string      `gorm:"column:name"`
	Region string      `gorm:"column:region"`
	Orders []ShopOrder `gorm:"foreignKey:CustomerCode;references:Code"`
}

// TableName is the app code.
func (Customer) TableName() string { return "customers" }

// ShopOrder is a row of the shop's orders app: it belongs to a Customer by
// code and has the rows of its items subtable.
type ShopOrder struct {
	ID           int64     `gorm:"column:$id;primaryKey"`
	OrderNo      string    `gorm:"column:order_no"`
	CustomerCode string    `gorm:"column:customer"`
	Amount       int64     `gorm:"column:amount"`
	Customer     *Customer `gorm:"foreignKey:CustomerCode;references:Code"`
	Items        []Item    `gorm:"foreignKey:OrderID"`
}

// TableName is the app code.
func (ShopOrder) TableName() string { return "orders" }

// Item is a row of the orders app's items subtable, the child table
// orders.items: OrderID is its order's $id.
type Item struct {
	OrderID int64  `gorm:"column:$id"`
	RowID   int64  `gorm:"column:$row_id;primaryKey"`
	Product string `gorm:"column:product"`
	Qty     int64  `gorm:"column:qty"`
}

// TableName is the child table.
func (Item) TableName() string { return "orders.items" }

// PlainOrder is ShopOrder with its Customer by value, not by pointer: an
// order without a customer has a zero Customer.
type PlainOrder struct {
	ID           int64    `gorm:"column:$id;primaryKey"`
	OrderNo      string   `gorm:"column:order_no"`
	CustomerCode string   `gorm:"column:customer"`
	Customer     Customer `gorm:"foreignKey:CustomerCode;references:Code"`
}

// TableName is the app code.
func (PlainOrder) TableName() string { return "orders" }

// shop is an emulator with customers and orders apps.
type shop struct {
	srv               *kintonetest.Server
	customers, orders int64 // app IDs
	db                *gorm.DB
}

// newShop starts an emulator with
//
//	customers: $id 1 c1 Ann east, 2 c2 Bob west, 3 c3 Cy east, 4 c4 Dee west
//	orders:    $id 1 O-1 c1 10 [pen×1, ink×2]
//	           $id 2 O-2 c1 20 []
//	           $id 3 O-3 c2  5 [pad×5]
//	           $id 4 O-4 c3 30 [pen×3]
//	           $id 5 O-5 c9  1 []          (no such customer)
//	           $id 6 O-6 c2 40 []
//
// and opens GORM on it.
func newShop(t *testing.T) *shop {
	t.Helper()
	srv, err := kintonetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	customers, err := srv.CreateApp(kintonetest.App{Name: "Customers", Code: "customers", Fields: []kintonetest.Field{
		{Code: "code", Type: "SINGLE_LINE_TEXT", Unique: true},
		{Code: "name", Type: "SINGLE_LINE_TEXT"},
		{Code: "region", Type: "DROP_DOWN", Options: []string{"east", "west"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	orders, err := srv.CreateApp(kintonetest.App{Name: "Orders", Code: "orders", Fields: []kintonetest.Field{
		{Code: "order_no", Type: "SINGLE_LINE_TEXT", Unique: true},
		{Code: "customer", Type: "SINGLE_LINE_TEXT"},
		{Code: "amount", Type: "NUMBER"},
		{Code: "items", Type: "SUBTABLE", Fields: []kintonetest.Field{
			{Code: "product", Type: "SINGLE_LINE_TEXT"},
			{Code: "qty", Type: "NUMBER"},
		}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.AddRecords(customers,
		kintonetest.Record{"code": "c1", "name": "Ann", "region": "east"},
		kintonetest.Record{"code": "c2", "name": "Bob", "region": "west"},
		kintonetest.Record{"code": "c3", "name": "Cy", "region": "east"},
		kintonetest.Record{"code": "c4", "name": "Dee", "region": "west"},
	); err != nil {
		t.Fatal(err)
	}
	items := func(rows ...kintonetest.Record) []kintonetest.Record { return rows }
	if _, err := srv.AddRecords(orders,
		kintonetest.Record{"order_no": "O-1", "customer": "c1", "amount": "10", "items": items(
			kintonetest.Record{"product": "pen", "qty": "1"}, kintonetest.Record{"product": "ink", "qty": "2"})},
		kintonetest.Record{"order_no": "O-2", "customer": "c1", "amount": "20"},
		kintonetest.Record{"order_no": "O-3", "customer": "c2", "amount": "5", "items": items(
			kintonetest.Record{"product": "pad", "qty": "5"})},
		kintonetest.Record{"order_no": "O-4", "customer": "c3", "amount": "30", "items": items(
			kintonetest.Record{"product": "pen", "qty": "3"})},
		kintonetest.Record{"order_no": "O-5", "customer": "c9", "amount": "1"},
		kintonetest.Record{"order_no": "O-6", "customer": "c2", "amount": "40"},
	); err != nil {
		t.Fatal(err)
	}
	db, err := gorm.Open(Open(srv.DSN()), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})
	return &shop{srv: srv, customers: customers, orders: orders, db: db}
}

// orderNos are the order numbers of orders, in order, joined by ",".
func orderNos(orders []ShopOrder) string {
	nos := make([]string, len(orders))
	for i, o := range orders {
		nos[i] = o.OrderNo
	}
	return strings.Join(nos, ",")
}

// reads counts the record reads (GET records, and POST records with the
// X-HTTP-Method-Override of a long query) since the last ResetStats.
func (s *shop) reads() int64 { return s.srv.Stats().Count("GET", "records") }

// queries are the Kintone queries of the record reads since the last
// ResetStats, decoded; "" for a read whose query went in a POST body.
func (s *shop) queries() []string {
	var out []string
	for _, r := range s.srv.Requests() {
		if r.Effective != "GET" || r.Resource != "records" {
			continue
		}
		v, _ := url.ParseQuery(r.Query)
		out = append(out, v.Get("query"))
	}
	return out
}

func TestJoins(t *testing.T) {
	s := newShop(t)
	tests := []struct {
		name string
		q    func() *gorm.DB
		want string
	}{
		// SELECT `orders`.`$id`,... FROM `orders` JOIN customers ON ...
		// WHERE customers.region = 'east'
		{"JOIN", func() *gorm.DB {
			return s.db.Joins("JOIN customers ON customers.code = orders.customer").Where("customers.region = ?", "east").Order("orders.`$id`")
		}, "O-1,O-2,O-4"},
		{"INNER JOIN with an alias", func() *gorm.DB {
			return s.db.Joins("INNER JOIN customers c ON c.code = orders.customer").Where("c.region = ?", "west").Order("amount DESC")
		}, "O-6,O-3"},
		{"JOIN with arguments", func() *gorm.DB {
			return s.db.Joins("JOIN customers c ON c.code = orders.customer AND c.name IN ?", []string{"Bob", "Cy"}).Order("amount")
		}, "O-3,O-4,O-6"},
		// The anti-join: the order whose customer does not exist.
		{"LEFT JOIN", func() *gorm.DB {
			return s.db.Joins("LEFT JOIN customers ON customers.code = orders.customer").Where("customers.`$id` IS NULL")
		}, "O-5"},
		{"LEFT JOIN keeps the unmatched", func() *gorm.DB {
			return s.db.Joins("LEFT JOIN customers c ON c.code = orders.customer AND c.region = ?", "east").
				Where("c.name IS NULL OR c.name <> ?", "Ann").Order("orders.`$id`")
		}, "O-3,O-4,O-5,O-6"},
		// Orders after another of the same customer.
		{"self-join", func() *gorm.DB {
			return s.db.Joins("JOIN orders p ON p.customer = orders.customer AND p.`$id` < orders.`$id`").Order("orders.`$id`")
		}, "O-2,O-6"},
		// The parent app and its subtable's rows, the child table
		// orders.items, joined on $id.
		{"subtable", func() *gorm.DB {
			return s.db.Distinct("orders.*").Joins("JOIN orders.items i ON i.`$id` = orders.`$id`").Where("i.product = ?", "pen").Order("orders.`$id`")
		}, "O-1,O-4"},
		// Each customer's largest order, by a join to a derived table.
		{"JOIN a subquery", func() *gorm.DB {
			top := s.db.Model(&ShopOrder{}).Select("customer, MAX(amount) AS top").Group("customer")
			return s.db.Joins("JOIN (?) AS t ON t.customer = orders.customer", top).Where("orders.amount = t.top").Order("orders.amount")
		}, "O-5,O-2,O-4,O-6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.srv.ResetStats()
			var got []ShopOrder
			if err := tt.q().Find(&got).Error; err != nil {
				t.Fatal(err)
			}
			if nos := orderNos(got); nos != tt.want {
				t.Errorf("orders %q, want %q", nos, tt.want)
			}
			// One read per table: the engine joins in Go. An app and
			// its own subtable are one table: one read.
			want := int64(2)
			if strings.Contains(tt.name, "subtable") {
				want = 1
			}
			if n := s.reads(); n != want {
				t.Errorf("GET records = %d, want %d", n, want)
			}
		})
	}

	// An empty side ends the join before the other side is read.
	s.srv.ResetStats()
	var none []ShopOrder
	if err := s.db.Joins("JOIN customers c ON c.code = orders.customer").Where("c.name = ?", "nobody").Find(&none).Error; err != nil {
		t.Fatal(err)
	}
	if len(none) != 0 || s.reads() != 1 {
		t.Errorf("JOIN of no customer: %d orders in %d reads, want 0 in 1", len(none), s.reads())
	}

	// A small side narrows the other side's read: the east customers'
	// codes become the orders' Kintone query.
	s.srv.ResetStats()
	var got []ShopOrder
	if err := s.db.Joins("JOIN customers c ON c.code = orders.customer").Where("c.region = ?", "east").Find(&got).Error; err != nil {
		t.Fatal(err)
	}
	if qs := s.queries(); len(qs) != 2 || !strings.Contains(qs[1], `customer in ("c1", "c3")`) {
		t.Errorf("Kintone queries %q, want the orders read narrowed to c1 and c3", qs)
	}

	// The driver's errors come through GORM, naming the table at fault.
	err := s.db.Joins("JOIN clients ON clients.code = orders.customer").Find(&[]ShopOrder{}).Error
	if err == nil || !strings.Contains(err.Error(), `unknown table "clients"`) {
		t.Errorf("JOIN of an unknown table: err = %v", err)
	}
}

// customerOf is o's customer's code and name, "-" for none.
func customerOf(o ShopOrder) string {
	if o.Customer == nil {
		return "-"
	}
	return o.Customer.Code + " " + o.Customer.Name
}

func TestJoinsAssociation(t *testing.T) {
	s := newShop(t)

	// GORM writes the belongs-to as a LEFT JOIN with the association's name
	// as a quoted alias, and its columns as Customer__code and the like.
	stmt := s.db.ToSQL(func(tx *gorm.DB) *gorm.DB { return tx.Joins("Customer").Find(&[]ShopOrder{}) })
	for _, want := range []string{
		"LEFT JOIN `customers` `Customer` ON `orders`.`customer` = `Customer`.`code`",
		"`Customer`.`$id` AS `Customer__$id`",
		"`Customer`.`code` AS `Customer__code`",
	} {
		if !strings.Contains(stmt, want) {
			t.Errorf("Joins(\"Customer\") writes\n %s\nwithout %s", stmt, want)
		}
	}

	tests := []struct {
		name string
		q    func() *gorm.DB
		want []string // order number and customerOf
	}{
		{"Joins", func() *gorm.DB { return s.db.Joins("Customer").Order("orders.`$id`") },
			[]string{"O-1 c1 Ann", "O-2 c1 Ann", "O-3 c2 Bob", "O-4 c3 Cy", "O-5 -", "O-6 c2 Bob"}},
		{"Joins Where", func() *gorm.DB {
			return s.db.Joins("Customer").Where("Customer.region = ?", "east").Order("amount DESC")
		}, []string{"O-4 c3 Cy", "O-2 c1 Ann", "O-1 c1 Ann"}},
		// The condition goes into ON: every order, the customer only when
		// in the east.
		{"Joins with a condition", func() *gorm.DB {
			return s.db.Joins("Customer", s.db.Where(&Customer{Region: "east"})).Order("orders.`$id`")
		}, []string{"O-1 c1 Ann", "O-2 c1 Ann", "O-3 -", "O-4 c3 Cy", "O-5 -", "O-6 -"}},
		{"InnerJoins", func() *gorm.DB {
			return s.db.InnerJoins("Customer").Order("amount")
		}, []string{"O-3 c2 Bob", "O-1 c1 Ann", "O-2 c1 Ann", "O-4 c3 Cy", "O-6 c2 Bob"}},
		{"Joins Limit Offset", func() *gorm.DB {
			return s.db.Joins("Customer").Order("amount DESC").Limit(2).Offset(1)
		}, []string{"O-4 c3 Cy", "O-2 c1 Ann"}},
		{"Joins Select", func() *gorm.DB {
			return s.db.Select("orders.order_no").Joins("Customer").Where("Customer.name = ?", "Bob").Order("orders.order_no")
		}, []string{"O-3 c2 Bob", "O-6 c2 Bob"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.srv.ResetStats()
			var got []ShopOrder
			if err := tt.q().Find(&got).Error; err != nil {
				t.Fatal(err)
			}
			rows := make([]string, len(got))
			for i, o := range got {
				rows[i] = o.OrderNo + " " + customerOf(o)
			}
			if !slices.Equal(rows, tt.want) {
				t.Errorf("got  %q\nwant %q", rows, tt.want)
			}
			if n := s.reads(); n != 2 {
				t.Errorf("GET records = %d, want 2", n)
			}
		})
	}

	var o ShopOrder
	if err := s.db.Joins("Customer").First(&o, 4).Error; err != nil {
		t.Fatal(err)
	}
	if o.OrderNo != "O-4" || o.Amount != 30 || o.Customer == nil ||
		o.Customer.ID != 3 || o.Customer.Code != "c3" || o.Customer.Name != "Cy" || o.Customer.Region != "east" {
		t.Errorf("Joins First: %+v, customer %+v", o, o.Customer)
	}
	var plain []PlainOrder
	if err := s.db.Joins("Customer").Where("orders.amount < ?", 10).Order("orders.`$id`").Find(&plain).Error; err != nil {
		t.Fatal(err)
	}
	if len(plain) != 2 || plain[0].OrderNo != "O-3" || plain[0].Customer.Name != "Bob" ||
		plain[1].OrderNo != "O-5" || plain[1].Customer.ID != 0 || plain[1].Customer.Code != "" {
		t.Errorf("Joins of a Customer by value: %+v", plain)
	}
	o = ShopOrder{}
	if err := s.db.Joins("Customer").Where("Customer.code IS NULL").Take(&o).Error; err != nil || o.OrderNo != "O-5" || o.Customer != nil {
		t.Errorf("Joins Take of the order without a customer: %+v, customer %+v, err %v", o, o.Customer, err)
	}
}

// withOrders prints each customer as its code and its orders, each order
// with its items: "c1 O-1(pen 1,ink 2) O-2".
func withOrders(cs []Customer) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Code
		for _, o := range c.Orders {
			out[i] += " " + o.OrderNo + itemsOf(o)
		}
	}
	return out
}

// itemsOf prints o's items as "(pen 1,ink 2)", "" for none.
func itemsOf(o ShopOrder) string {
	if len(o.Items) == 0 {
		return ""
	}
	items := make([]string, len(o.Items))
	for i, it := range o.Items {
		items[i] = fmt.Sprintf("%s %d", it.Product, it.Qty)
	}
	return "(" + strings.Join(items, ",") + ")"
}

func TestPreload(t *testing.T) {
	s := newShop(t)
	tests := []struct {
		name string
		q    func() *gorm.DB
		want []string
		// reads is the GET records: one per query, the customers and
		// one per preload.
		reads int64
	}{
		// SELECT * FROM `customers`; then
		// SELECT * FROM `orders` WHERE `orders`.`customer` IN ('c1','c2','c3','c4')
		{"Preload", func() *gorm.DB { return s.db.Preload("Orders") },
			[]string{"c1 O-1 O-2", "c2 O-3 O-6", "c3 O-4", "c4"}, 2},
		{"Preload with a condition", func() *gorm.DB { return s.db.Preload("Orders", "amount > ?", 5) },
			[]string{"c1 O-1 O-2", "c2 O-6", "c3 O-4", "c4"}, 2},
		{"Preload with a function", func() *gorm.DB {
			return s.db.Preload("Orders", func(db *gorm.DB) *gorm.DB { return db.Order("amount DESC") })
		}, []string{"c1 O-2 O-1", "c2 O-6 O-3", "c3 O-4", "c4"}, 2},
		{"Preload of a filtered parent", func() *gorm.DB {
			return s.db.Where("region = ?", "west").Preload("Orders", func(db *gorm.DB) *gorm.DB { return db.Order("amount") })
		}, []string{"c2 O-3 O-6", "c4"}, 2},
		// ... then SELECT * FROM `orders`.`items` WHERE `items`.`$id` IN (1,2,3,4,6)
		{"nested Preload of a subtable", func() *gorm.DB { return s.db.Preload("Orders.Items") },
			[]string{"c1 O-1(pen 1,ink 2) O-2", "c2 O-3(pad 5) O-6", "c3 O-4(pen 3)", "c4"}, 3},
		{"nested Preload with conditions", func() *gorm.DB {
			return s.db.Preload("Orders", "amount >= ?", 10).Preload("Orders.Items", "qty > ?", 1)
		}, []string{"c1 O-1(ink 2) O-2", "c2 O-6", "c3 O-4(pen 3)", "c4"}, 3},
		// A parent with no children: one read, no preload query.
		{"Preload of no parents", func() *gorm.DB { return s.db.Where("name = ?", "nobody").Preload("Orders") },
			[]string{}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.srv.ResetStats()
			var got []Customer
			if err := tt.q().Order("code").Find(&got).Error; err != nil {
				t.Fatal(err)
			}
			if rows := withOrders(got); !slices.Equal(rows, tt.want) {
				t.Errorf("got  %q\nwant %q", rows, tt.want)
			}
			if n := s.reads(); n != tt.reads {
				t.Errorf("GET records = %d, want %d", n, tt.reads)
			}
		})
	}

	// The preload's IN list is Kintone's query: the orders read is not
	// all the orders filtered in Go.
	s.srv.ResetStats()
	if err := s.db.Where("region = ?", "west").Preload("Orders").Find(&[]Customer{}).Error; err != nil {
		t.Fatal(err)
	}
	if qs := s.queries(); len(qs) != 2 || !strings.HasPrefix(qs[1], `customer in ("c2", "c4")`) {
		t.Errorf("Kintone queries %q, want the orders read by customer in (\"c2\", \"c4\")", qs)
	}

	// The belongs-to side: SELECT * FROM `customers` WHERE
	// `customers`.`code` IN ('c1','c2','c3','c9'), and the subtable of
	// each order.
	s.srv.ResetStats()
	var orders []ShopOrder
	if err := s.db.Preload("Customer").Preload("Items").Order("`$id`").Find(&orders).Error; err != nil {
		t.Fatal(err)
	}
	rows := make([]string, len(orders))
	for i, o := range orders {
		rows[i] = o.OrderNo + " " + customerOf(o) + itemsOf(o)
	}
	want := []string{"O-1 c1 Ann(pen 1,ink 2)", "O-2 c1 Ann", "O-3 c2 Bob(pad 5)", "O-4 c3 Cy(pen 3)", "O-5 -", "O-6 c2 Bob"}
	if !slices.Equal(rows, want) {
		t.Errorf("Preload Customer and Items:\n got  %q\n want %q", rows, want)
	}
	if n := s.reads(); n != 3 {
		t.Errorf("GET records = %d, want 3", n)
	}

	// Joins and Preload together: the join for the customer, a preload
	// for the items of the orders it kept.
	s.srv.ResetStats()
	orders = nil
	if err := s.db.Joins("Customer").Preload("Items").Where("Customer.region = ?", "east").Order("orders.`$id`").Find(&orders).Error; err != nil {
		t.Fatal(err)
	}
	rows = rows[:0]
	for _, o := range orders {
		rows = append(rows, o.OrderNo+" "+customerOf(o)+itemsOf(o))
	}
	want = []string{"O-1 c1 Ann(pen 1,ink 2)", "O-2 c1 Ann", "O-4 c3 Cy(pen 3)"}
	if !slices.Equal(rows, want) {
		t.Errorf("Joins Customer, Preload Items:\n got  %q\n want %q", rows, want)
	}
	if n := s.reads(); n != 3 {
		t.Errorf("GET records = %d, want 3", n)
	}
}

// TestPreloadManyParents preloads the orders of 1,204 customers: GORM's
// IN list of 1,204 codes is one query, read page by page (500 records a
// page), never a query per customer.
func TestPreloadManyParents(t *testing.T) {
	s := newShop(t)
	const n = 1200
	customers := make([]kintonetest.Record, n)
	orders := make([]kintonetest.Record, 3*n)
	for i := range customers {
		customers[i] = kintonetest.Record{"code": fmt.Sprintf("k%d", i), "name": fmt.Sprint("name ", i), "region": "west"}
	}
	for i := range orders {
		orders[i] = kintonetest.Record{"order_no": fmt.Sprintf("K-%d", i), "customer": fmt.Sprintf("k%d", i%n), "amount": fmt.Sprint(i)}
	}
	if _, err := s.srv.AddRecords(s.customers, customers...); err != nil {
		t.Fatal(err)
	}
	if _, err := s.srv.AddRecords(s.orders, orders...); err != nil {
		t.Fatal(err)
	}
	pages := func(records int64) int64 { return (records + 499) / 500 }

	s.srv.ResetStats()
	var got []Customer
	if err := s.db.Preload("Orders").Find(&got).Error; err != nil {
		t.Fatal(err)
	}
	if len(got) != n+4 {
		t.Fatalf("%d customers, want %d", len(got), n+4)
	}
	orderCount := 0
	for _, c := range got {
		if strings.HasPrefix(c.Code, "k") && len(c.Orders) != 3 {
			t.Errorf("customer %s has %d orders, want 3", c.Code, len(c.Orders))
		}
		orderCount += len(c.Orders)
	}
	if orderCount != 3*n+5 { // O-5's customer c9 does not exist
		t.Errorf("%d orders preloaded, want %d", orderCount, 3*n+5)
	}
	if got, want := s.reads(), pages(n+4)+pages(3*n+5); got != want {
		t.Errorf("GET records = %d, want %d (the pages of one read of each app)", got, want)
	}

	// A preload with a condition reads only what it keeps.
	s.srv.ResetStats()
	got = nil
	if err := s.db.Where("region = ?", "west").Limit(400).Preload("Orders", "amount >= ?", 2*n).Find(&got).Error; err != nil {
		t.Fatal(err)
	}
	orderCount = 0
	for _, c := range got {
		orderCount += len(c.Orders)
	}
	// The 400 west customers are c2, c4 and k0..k397; their orders of
	// 2,400 or more are K-2400..K-2797 (K-i is k(i mod 1200)).
	if len(got) != 400 || orderCount != 398 {
		t.Errorf("%d customers with %d orders, want 400 with 398", len(got), orderCount)
	}
	if got, want := s.reads(), pages(400)+pages(398); got != want {
		t.Errorf("GET records = %d, want %d", got, want)
	}
}

// inRegion is a scope that keeps the orders of customers of region, by a
// join.
func inRegion(region string) func(*gorm.DB) *gorm.DB {
	return func(d *gorm.DB) *gorm.DB {
		return d.Joins("JOIN customers c ON c.code = orders.customer").Where("c.region = ?", region)
	}
}

func TestJoinScopes(t *testing.T) {
	s := newShop(t)
	bigOrders := func(d *gorm.DB) *gorm.DB { return d.Where("orders.amount >= ?", 10) }

	var orders []ShopOrder
	if err := s.db.Scopes(inRegion("east"), bigOrders).Order("amount DESC").Find(&orders).Error; err != nil {
		t.Fatal(err)
	}
	if nos := orderNos(orders); nos != "O-4,O-2,O-1" {
		t.Errorf("Scopes: orders %q, want O-4,O-2,O-1", nos)
	}

	counts := []struct {
		name string
		q    func() *gorm.DB
		want int64
	}{
		// SELECT count(*) FROM `orders` JOIN customers c ON ... WHERE c.region = 'west'
		{"Count of a JOIN", func() *gorm.DB { return s.db.Model(&ShopOrder{}).Scopes(inRegion("west")) }, 2},
		{"Count of a LEFT JOIN", func() *gorm.DB {
			return s.db.Model(&ShopOrder{}).Joins("LEFT JOIN customers c ON c.code = orders.customer").Where("c.code IS NULL")
		}, 1},
		// SELECT count(*) FROM `orders` LEFT JOIN `customers` `Customer` ON ...
		{"Count of an association join", func() *gorm.DB {
			return s.db.Model(&ShopOrder{}).Joins("Customer").Where("Customer.region = ?", "east")
		}, 3},
		// SELECT COUNT(DISTINCT(`orders`.`customer`)) FROM `orders` JOIN ...
		{"Count Distinct of a join", func() *gorm.DB {
			return s.db.Model(&ShopOrder{}).Joins("JOIN customers c ON c.code = orders.customer").Distinct("orders.customer")
		}, 3},
		{"Count of a subtable join", func() *gorm.DB {
			return s.db.Table("orders").Joins("JOIN orders.items i ON i.`$id` = orders.`$id`").Where("i.qty >= ?", 2)
		}, 3},
	}
	for _, tt := range counts {
		t.Run(tt.name, func(t *testing.T) {
			s.srv.ResetStats()
			var n int64
			if err := tt.q().Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			if n != tt.want {
				t.Errorf("Count = %d, want %d", n, tt.want)
			}
			want := int64(2) // one read per app; an app and its subtable are one
			if strings.Contains(tt.name, "subtable") {
				want = 1
			}
			if r := s.reads(); r != want {
				t.Errorf("GET records = %d, want %d", r, want)
			}
		})
	}

	// Pluck of the joined table's column, by a JOIN clause and by the
	// association's alias.
	var names []string
	if err := s.db.Model(&ShopOrder{}).Scopes(inRegion("west")).Order("amount").Pluck("c.name", &names).Error; err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, []string{"Bob", "Bob"}) {
		t.Errorf("Pluck c.name = %q", names)
	}
	names = nil
	if err := s.db.Model(&ShopOrder{}).Joins("Customer").Where("amount >= ?", 20).Order("amount").Pluck("Customer.name", &names).Error; err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(names, []string{"Ann", "Cy", "Bob"}) {
		t.Errorf("Pluck Customer.name = %q", names)
	}
	var amounts []int64
	if err := s.db.Model(&ShopOrder{}).Distinct("orders.amount").Joins("JOIN orders.items i ON i.`$id` = orders.`$id`").
		Where("i.product = ?", "pen").Order("orders.amount").Pluck("orders.amount", &amounts).Error; err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(amounts, []int64{10, 30}) {
		t.Errorf("Pluck over the subtable join = %v, want [10 30]", amounts)
	}

	// Aggregates over a join into a struct.
	var totals []struct {
		Name  string
		Total int64
		N     int64
	}
	err := s.db.Model(&ShopOrder{}).Select("c.name, SUM(orders.amount) AS total, COUNT(*) AS n").
		Joins("JOIN customers c ON c.code = orders.customer").Group("c.name").
		Having("SUM(orders.amount) > ?", 25).Order("total DESC, c.name").Scan(&totals).Error
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(totals) != "[{Bob 45 2} {Ann 30 2} {Cy 30 1}]" {
		t.Errorf("totals by customer = %v", totals)
	}

	// FindInBatches pages a join by the orders' $id.
	var seen []string
	err = s.db.Joins("Customer").Where("Customer.region = ?", "east").FindInBatches(&[]ShopOrder{}, 2, func(tx *gorm.DB, _ int) error {
		for _, o := range *tx.Statement.Dest.(*[]ShopOrder) {
			seen = append(seen, o.OrderNo+" "+customerOf(o))
		}
		return nil
	}).Error
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"O-1 c1 Ann", "O-2 c1 Ann", "O-4 c3 Cy"}; !slices.Equal(seen, want) {
		t.Errorf("FindInBatches over a join: %q, want %q", seen, want)
	}
}

func TestSubqueries(t *testing.T) {
	s := newShop(t)
	tests := []struct {
		name string
		q    func() *gorm.DB
		want string
	}{
		// SELECT * FROM `orders` WHERE customer IN (SELECT code FROM `customers` WHERE region = 'west')
		{"IN a subquery", func() *gorm.DB {
			return s.db.Where("customer IN (?)", s.db.Table("customers").Select("code").Where("region = ?", "west")).Order("`$id`")
		}, "O-3,O-6"},
		{"NOT IN a subquery", func() *gorm.DB {
			return s.db.Where("customer NOT IN (?)", s.db.Model(&Customer{}).Select("code")).Order("`$id`")
		}, "O-5"},
		// SELECT * FROM `orders` WHERE amount > (SELECT AVG(amount) FROM `orders`)
		{"scalar subquery", func() *gorm.DB {
			return s.db.Where("amount > (?)", s.db.Model(&ShopOrder{}).Select("AVG(amount)")).Order("amount")
		}, "O-2,O-4,O-6"},
		{"correlated EXISTS", func() *gorm.DB {
			return s.db.Where("EXISTS (?)", s.db.Table("customers c").Select("1").Where("c.code = orders.customer AND c.region = ?", "east")).Order("amount")
		}, "O-1,O-2,O-4"},
		{"correlated NOT EXISTS", func() *gorm.DB {
			return s.db.Where("NOT EXISTS (?)", s.db.Table("customers").Select("1").Where("customers.code = orders.customer"))
		}, "O-5"},
		// Orders with items: the subtable as a subquery.
		{"IN the subtable", func() *gorm.DB {
			return s.db.Where("`$id` IN (?)", s.db.Table("orders.items").Select("`$id`").Where("qty >= ?", 2)).Order("`$id`")
		}, "O-1,O-3,O-4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.srv.ResetStats()
			var got []ShopOrder
			if err := tt.q().Find(&got).Error; err != nil {
				t.Fatal(err)
			}
			if nos := orderNos(got); nos != tt.want {
				t.Errorf("orders %q, want %q", nos, tt.want)
			}
			// The subquery is read once, not once per outer row.
			if n := s.reads(); n > 2 {
				t.Errorf("GET records = %d, want at most 2", n)
			}
		})
	}

	// A correlated subquery as a value runs once per distinct outer value
	// it reads: each customer's largest order, 1 read of the orders and
	// 1 per customer (c1, c2, c3, c9).
	s.srv.ResetStats()
	var top []ShopOrder
	err := s.db.Where("amount = (?)", s.db.Table("orders o2").Select("MAX(o2.amount)").Where("o2.customer = orders.customer")).Order("`$id`").Find(&top).Error
	if err != nil {
		t.Fatal(err)
	}
	if nos := orderNos(top); nos != "O-2,O-4,O-5,O-6" {
		t.Errorf("correlated scalar subquery: orders %q, want O-2,O-4,O-5,O-6", nos)
	}
	if n := s.reads(); n != 5 {
		t.Errorf("correlated scalar subquery: %d reads, want 5 (the orders, then one per distinct customer)", n)
	}

	// A derived table: SELECT * FROM (SELECT customer, SUM(amount) AS
	// total FROM `orders` GROUP BY `customer`) AS t WHERE total > 20.
	type total struct {
		Customer string
		Total    int64
	}
	var totals []total
	sums := s.db.Model(&ShopOrder{}).Select("customer, SUM(amount) AS total").Group("customer")
	if err := s.db.Table("(?) AS t", sums).Where("total > ?", 20).Order("customer").Find(&totals).Error; err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(totals) != "[{c1 30} {c2 45} {c3 30}]" {
		t.Errorf("Table((?) AS t) = %v", totals)
	}
	var n int64
	if err := s.db.Table("(?) AS t", sums).Where("total < ?", 40).Count(&n).Error; err != nil || n != 3 {
		t.Errorf("Count of a derived table = %d, %v; want 3", n, err)
	}

	// Set operations and WITH through Raw, the subqueries as GORM
	// builds them.
	var codes []string
	east := s.db.Table("customers").Select("code").Where("region = ?", "east")
	ordered := s.db.Table("orders").Select("customer")
	for _, c := range []struct {
		sql  string
		args []any
		want []string
	}{
		{"? UNION ? ORDER BY 1", []any{east, ordered}, []string{"c1", "c2", "c3", "c9"}},
		{"? UNION ALL ? ORDER BY 1", []any{east, s.db.Table("customers").Select("code").Where("name = ?", "Ann")}, []string{"c1", "c1", "c3"}},
		{"? INTERSECT ? ORDER BY 1", []any{east, ordered}, []string{"c1", "c3"}},
		{"? EXCEPT ? ORDER BY 1", []any{ordered, s.db.Table("customers").Select("code")}, []string{"c9"}},
		{"WITH big AS (?) SELECT DISTINCT c.code FROM customers c JOIN big ON big.customer = c.code ORDER BY 1",
			[]any{s.db.Table("orders").Select("customer").Where("amount >= ?", 20)}, []string{"c1", "c2", "c3"}},
	} {
		codes = nil
		if err := s.db.Raw(c.sql, c.args...).Scan(&codes).Error; err != nil {
			t.Errorf("%s: %v", c.sql, err)
			continue
		}
		if !slices.Equal(codes, c.want) {
			t.Errorf("%s = %q, want %q", c.sql, codes, c.want)
		}
	}
}
