package kintonegorm

import (
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

// shop is an emulator with customers and orders apps.
type shop struct {
	srv *kintonetest.Server
	db  *gorm.DB
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
	return &shop{srv: srv, db: db}
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
			// One read per table: the engine joins in Go.
			if n := s.reads(); n != 2 {
				t.Errorf("GET records = %d, want 2", n)
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
	o = ShopOrder{}
	if err := s.db.Joins("Customer").Where("Customer.code IS NULL").Take(&o).Error; err != nil || o.OrderNo != "O-5" || o.Customer != nil {
		t.Errorf("Joins Take of the order without a customer: %+v, customer %+v, err %v", o, o.Customer, err)
	}
}
