package kintonegorm

import (
	"database/sql"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/kintone-sql/kintone/kintonetest"
)

// Order is the model of the orders app, with the struct tags the package
// documents.
type Order struct {
	ID       int64        `gorm:"column:$id;primaryKey"`
	Revision int64        `gorm:"column:$revision;->"`
	OrderNo  string       `gorm:"column:order_no"`
	Customer string       `gorm:"column:customer"`
	Amount   int64        `gorm:"column:amount"`
	Ordered  sql.NullTime `gorm:"column:ordered_on"`
}

// TableName is the app code.
func (Order) TableName() string { return "orders" }

// fixture is an emulator with the orders app.
type fixture struct {
	srv *kintonetest.Server
	app int64
	db  *gorm.DB
}

// newFixture starts an emulator with the orders app holding n orders
// (order_no O-0001..., customer c1 to c3 in turn, amount 10 * i, $id i)
// and opens GORM on it.
func newFixture(t *testing.T, n int) *fixture {
	t.Helper()
	srv, err := kintonetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	app, err := srv.CreateApp(kintonetest.App{Name: "Orders", Code: "orders", Fields: []kintonetest.Field{
		{Code: "order_no", Type: "SINGLE_LINE_TEXT", Required: true, Unique: true},
		{Code: "customer", Type: "SINGLE_LINE_TEXT"},
		{Code: "amount", Type: "NUMBER"},
		{Code: "ordered_on", Type: "DATE"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	recs := make([]kintonetest.Record, n)
	for i := range recs {
		o := seedOrder(i + 1)
		recs[i] = kintonetest.Record{"order_no": o.OrderNo, "customer": o.Customer, "amount": fmt.Sprint(o.Amount)}
		if o.Ordered.Valid {
			recs[i]["ordered_on"] = o.Ordered.Time.Format("2006-01-02")
		}
	}
	if _, err := srv.AddRecords(app, recs...); err != nil {
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
	return &fixture{srv: srv, app: app, db: db}
}

// seedOrder is the i-th order newFixture adds: odd orders have a date.
func seedOrder(i int) Order {
	o := Order{ID: int64(i), Revision: 1, OrderNo: fmt.Sprintf("O-%04d", i), Customer: fmt.Sprintf("c%d", (i-1)%3+1), Amount: int64(10 * i)}
	if i%2 == 1 {
		o.Ordered = sql.NullTime{Time: time.Date(2024, 1, i%28+1, 0, 0, 0, 0, time.UTC), Valid: true}
	}
	return o
}

// seedOrders are seedOrder(i) for each i.
func seedOrders(is ...int) []Order {
	out := make([]Order, len(is))
	for i, n := range is {
		out[i] = seedOrder(n)
	}
	return out
}

// writes counts the write requests served since the last ResetStats.
func (f *fixture) writes() int64 {
	st := f.srv.Stats()
	var n int64
	for _, m := range []string{"POST", "PUT", "DELETE"} {
		n += st.Count(m, "records") + st.Count(m, "record")
	}
	return n + st.Count("POST", "bulkRequest")
}

// sameOrders compares orders, dates by day (the driver returns them in the
// DSN's time zone).
func sameOrders(t *testing.T, got, want []Order) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d orders, want %d:\n got  %+v\n want %+v", len(got), len(want), got, want)
	}
	for i := range got {
		g, w := got[i], want[i]
		if g.Ordered.Valid {
			g.Ordered.Time = time.Date(g.Ordered.Time.Year(), g.Ordered.Time.Month(), g.Ordered.Time.Day(), 0, 0, 0, 0, time.UTC)
		}
		if g != w {
			t.Errorf("order %d:\n got  %+v\n want %+v", i, g, w)
		}
	}
}

// all reads every order in $id order.
func (f *fixture) all(t *testing.T) []Order {
	t.Helper()
	var got []Order
	if err := f.db.Order("`$id`").Find(&got).Error; err != nil {
		t.Fatal(err)
	}
	return got
}
