package kintonegorm

import (
	"errors"
	"testing"

	"gorm.io/gorm"
)

func TestFirstTakeLast(t *testing.T) {
	f := newFixture(t, 5)
	tests := []struct {
		name string
		run  func(*Order) *gorm.DB
		want Order
	}{
		// SELECT * FROM `orders` ORDER BY `orders`.`$id` LIMIT ?
		{"First", func(o *Order) *gorm.DB { return f.db.First(o) }, seedOrder(1)},
		// ... WHERE `orders`.`$id` = ? ...
		{"First by id", func(o *Order) *gorm.DB { return f.db.First(o, 4) }, seedOrder(4)},
		{"First by id string", func(o *Order) *gorm.DB { return f.db.First(o, "`$id` = ?", "2") }, seedOrder(2)},
		{"First with Where", func(o *Order) *gorm.DB { return f.db.Where("customer = ? AND amount > ?", "c1", 10).First(o) }, seedOrder(4)},
		{"Take", func(o *Order) *gorm.DB { return f.db.Take(o, "order_no = ?", "O-0003") }, seedOrder(3)},
		{"Last", func(o *Order) *gorm.DB { return f.db.Last(o) }, seedOrder(5)},
		{"Last with Where", func(o *Order) *gorm.DB { return f.db.Where("amount < ?", 35).Last(o) }, seedOrder(3)},
		{"First of a struct condition", func(o *Order) *gorm.DB { return f.db.Where(&Order{Customer: "c2"}).First(o) }, seedOrder(2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var o Order
			if err := tt.run(&o).Error; err != nil {
				t.Fatal(err)
			}
			sameOrders(t, []Order{o}, []Order{tt.want})
		})
	}

	var o Order
	if err := f.db.First(&o, 99).Error; !errors.Is(err, gorm.ErrRecordNotFound) {
		t.Errorf("First of a missing id: err = %v, want gorm.ErrRecordNotFound", err)
	}
	if err := f.db.First(&o, "nickname = ?", "x").Error; err == nil || errors.Is(err, gorm.ErrRecordNotFound) {
		t.Errorf("First with an unknown column: err = %v, want the driver's error", err)
	}
}

func TestFind(t *testing.T) {
	f := newFixture(t, 7)
	tests := []struct {
		name string
		q    func() *gorm.DB
		want []Order
	}{
		{"all", func() *gorm.DB { return f.db.Order("`$id`") }, seedOrders(1, 2, 3, 4, 5, 6, 7)},
		{"Where", func() *gorm.DB { return f.db.Where("amount >= ?", 50).Order("amount desc") }, seedOrders(7, 6, 5)},
		{"Where IN", func() *gorm.DB { return f.db.Where("customer IN ?", []string{"c2", "c3"}).Order("`$id`") }, seedOrders(2, 3, 5, 6)},
		{"Where map", func() *gorm.DB { return f.db.Where(map[string]any{"customer": "c1"}) }, seedOrders(1, 4, 7)},
		{"Not", func() *gorm.DB { return f.db.Not("customer = ?", "c1").Order("`$id`") }, seedOrders(2, 3, 5, 6)},
		{"Or", func() *gorm.DB { return f.db.Where("amount < ?", 20).Or("amount > ?", 60).Order("`$id`") }, seedOrders(1, 7)},
		{"IS NULL", func() *gorm.DB { return f.db.Where("ordered_on IS NULL").Order("`$id`") }, seedOrders(2, 4, 6)},
		{"LIKE", func() *gorm.DB {
			return f.db.Where("order_no LIKE ?", "O-000_").Where("amount BETWEEN ? AND ?", 20, 40)
		}, seedOrders(2, 3, 4)},
		{"primary keys", func() *gorm.DB { return f.db.Where([]int64{6, 2}) }, seedOrders(2, 6)},
		{"Limit Offset", func() *gorm.DB { return f.db.Order("amount desc").Limit(2).Offset(1) }, seedOrders(6, 5)},
		{"QueryFields", func() *gorm.DB {
			return f.db.Session(&gorm.Session{QueryFields: true}).Where("customer = ?", "c3")
		}, seedOrders(3, 6)},
		{"Select", func() *gorm.DB { return f.db.Select("`$id`", "order_no").Where("amount = ?", 20) }, []Order{{ID: 2, OrderNo: "O-0002"}}},
		{"none", func() *gorm.DB { return f.db.Where("amount > ?", 1000) }, []Order{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []Order
			if err := tt.q().Find(&got).Error; err != nil {
				t.Fatal(err)
			}
			sameOrders(t, got, tt.want)
		})
	}
}

func TestFindInBatches(t *testing.T) {
	f := newFixture(t, 1200)
	f.srv.ResetStats()
	var seen, batches int
	err := f.db.Where("amount > ?", 0).FindInBatches(&[]Order{}, 500, func(tx *gorm.DB, batch int) error {
		seen += int(tx.RowsAffected)
		batches++
		return nil
	}).Error
	if err != nil {
		t.Fatal(err)
	}
	if seen != 1200 || batches != 3 {
		t.Errorf("FindInBatches saw %d rows in %d batches, want 1200 in 3", seen, batches)
	}
	// Each batch is WHERE ... AND `$id` > last ORDER BY `$id` LIMIT 500:
	// one GET per batch.
	if n := f.srv.Stats().Count("GET", "records"); n != 3 {
		t.Errorf("GET records = %d, want 3", n)
	}
}

func TestCount(t *testing.T) {
	f := newFixture(t, 1200)
	tests := []struct {
		name string
		q    func() *gorm.DB
		want int64
		gets int64
	}{
		{"all", func() *gorm.DB { return f.db.Model(&Order{}) }, 1200, 1},
		{"Where", func() *gorm.DB { return f.db.Model(&Order{}).Where("customer = ?", "c2") }, 400, 1},
		{"Table", func() *gorm.DB { return f.db.Table("orders").Where("amount > ?", 11000) }, 100, 1},
		{"Distinct", func() *gorm.DB { return f.db.Model(&Order{}).Distinct("customer") }, 3, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.srv.ResetStats()
			var n int64
			if err := tt.q().Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			if n != tt.want {
				t.Errorf("Count = %d, want %d", n, tt.want)
			}
			// A COUNT(*) Kintone can answer is one GET with totalCount;
			// COUNT(DISTINCT) reads the column page by page.
			if got := f.srv.Stats().Count("GET", "records"); got != tt.gets {
				t.Errorf("GET records = %d, want %d", got, tt.gets)
			}
		})
	}
}

func TestPluckAndScan(t *testing.T) {
	f := newFixture(t, 6)
	var nos []string
	if err := f.db.Model(&Order{}).Where("customer = ?", "c1").Order("order_no desc").Pluck("order_no", &nos).Error; err != nil {
		t.Fatal(err)
	}
	if len(nos) != 2 || nos[0] != "O-0004" || nos[1] != "O-0001" {
		t.Errorf("Pluck = %q", nos)
	}
	var sums []struct {
		Customer string
		Total    int64
	}
	err := f.db.Model(&Order{}).Select("customer, SUM(amount) AS total").Group("customer").Order("customer").Scan(&sums).Error
	if err != nil {
		t.Fatal(err)
	}
	if len(sums) != 3 || sums[0].Customer != "c1" || sums[0].Total != 50 || sums[2].Total != 90 {
		t.Errorf("sums = %+v", sums)
	}
}
