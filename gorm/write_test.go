package kintonegorm

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/logger"

	kintone "github.com/kintone-sql/kintone"
)

func TestCreate(t *testing.T) {
	f := newFixture(t, 3)
	f.srv.ResetStats()
	o := Order{OrderNo: "N-1", Customer: "c9", Amount: 77, Ordered: sql.NullTime{Time: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC), Valid: true}}
	res := f.db.Create(&o)
	if res.Error != nil {
		t.Fatal(res.Error)
	}
	if o.ID != 4 || res.RowsAffected != 1 {
		t.Errorf("Create: ID = %d, RowsAffected = %d; want 4, 1", o.ID, res.RowsAffected)
	}
	// One INSERT, one request: no BEGIN/COMMIT around it.
	if n := f.writes(); n != 1 {
		t.Errorf("%d write requests, want 1", n)
	}

	many := []Order{{OrderNo: "N-2", Amount: 1}, {OrderNo: "N-3", Customer: "c1", Amount: 2}, {OrderNo: "N-4", Amount: 3}}
	f.srv.ResetStats()
	res = f.db.Create(&many)
	if res.Error != nil {
		t.Fatal(res.Error)
	}
	if res.RowsAffected != 3 || many[0].ID != 5 || many[1].ID != 6 || many[2].ID != 7 {
		t.Errorf("Create of 3: RowsAffected = %d, IDs %d %d %d; want 3, 5 6 7", res.RowsAffected, many[0].ID, many[1].ID, many[2].ID)
	}
	if n := f.writes(); n != 1 {
		t.Errorf("%d write requests for a 3-row Create, want 1", n)
	}

	o.Revision = 1
	for i := range many {
		many[i].Revision = 1
	}
	sameOrders(t, f.all(t), append(seedOrders(1, 2, 3), append([]Order{o}, many...)...))
}

func TestCreateInBatches(t *testing.T) {
	f := newFixture(t, 0)
	orders := make([]Order, 450)
	for i := range orders {
		orders[i] = Order{OrderNo: fmt.Sprintf("B-%04d", i), Customer: "batch", Amount: int64(i)}
	}
	res := f.db.CreateInBatches(&orders, 200)
	if res.Error != nil {
		t.Fatal(res.Error)
	}
	if res.RowsAffected != 450 {
		t.Errorf("RowsAffected = %d, want 450", res.RowsAffected)
	}
	// 200 + 200 + 50 rows: two bulkRequests of 2 x 100 and one POST.
	if st := f.srv.Stats(); st.Count("POST", "bulkRequest") != 2 || st.Count("POST", "records") != 1 {
		t.Errorf("writes = %v, want 2 POST bulkRequest and 1 POST records", st.ByEndpoint)
	}
	// GORM filled each ID in from LastInsertId plus the row's index: they
	// must be the ids Kintone gave.
	got := f.all(t)
	if len(got) != len(orders) {
		t.Fatalf("%d records, want %d", len(got), len(orders))
	}
	for i := range got {
		if got[i].ID != orders[i].ID || got[i].OrderNo != orders[i].OrderNo {
			t.Fatalf("record %d is $id %d %s; GORM set ID %d on %s", i, got[i].ID, got[i].OrderNo, orders[i].ID, orders[i].OrderNo)
		}
	}
}

func TestCreateErrors(t *testing.T) {
	f := newFixture(t, 2)
	// A duplicate of a unique field fails the whole statement.
	dup := []Order{{OrderNo: "N-1"}, {OrderNo: "O-0002"}}
	err := f.db.Create(&dup).Error
	if err == nil {
		t.Fatal("Create of a duplicate order_no: no error")
	}
	if dup[0].ID != 0 {
		t.Errorf("failed Create set ID %d", dup[0].ID)
	}
	// Required field left empty.
	if err := f.db.Create(&Order{Customer: "c1"}).Error; err == nil {
		t.Error("Create without order_no: no error")
	}
	sameOrders(t, f.all(t), seedOrders(1, 2))
}

func TestUpsert(t *testing.T) {
	f := newFixture(t, 2)
	// INSERT ... ON DUPLICATE KEY UPDATE `customer`=VALUES(`customer`),...
	// on the unique order_no: PUT records.json with upsert and updateKey.
	rows := []Order{{OrderNo: "O-0002", Customer: "c2", Amount: 999}, {OrderNo: "N-1", Customer: "c7", Amount: 5}}
	f.srv.ResetStats()
	err := f.db.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "order_no"}}, UpdateAll: true}).Create(&rows).Error
	if err != nil {
		t.Fatal(err)
	}
	if n := f.writes(); n != 1 {
		t.Errorf("%d write requests for an upsert of 2, want 1", n)
	}
	want := seedOrders(1, 2)
	want[1].Amount, want[1].Revision, want[1].Ordered = 999, 2, rows[0].Ordered
	want = append(want, Order{ID: 3, Revision: 1, OrderNo: "N-1", Customer: "c7", Amount: 5})
	sameOrders(t, f.all(t), want)

	// Without Columns, the driver finds the unique field among the
	// inserted columns itself.
	if err := f.db.Clauses(clause.OnConflict{UpdateAll: true}).Create(&Order{OrderNo: "N-1", Customer: "c8", Amount: 6}).Error; err != nil {
		t.Fatal(err)
	}
	want[2].Customer, want[2].Amount, want[2].Revision = "c8", 6, 2
	sameOrders(t, f.all(t), want)

	// Kintone's upsert writes the same values whether it adds or
	// updates: updating some columns only is refused before any request.
	f.srv.ResetStats()
	err = f.db.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "order_no"}},
		DoUpdates: clause.AssignmentColumns([]string{"amount"}),
	}).Create(&Order{OrderNo: "O-0001", Amount: 1}).Error
	if err == nil || !strings.Contains(err.Error(), "ON DUPLICATE KEY UPDATE") {
		t.Errorf("upsert of amount only: err = %v, want the driver's refusal", err)
	}
	if n := f.writes(); n != 0 {
		t.Errorf("%d write requests for a refused upsert", n)
	}
}

func TestUpdates(t *testing.T) {
	f := newFixture(t, 6)
	o := seedOrder(2)
	// UPDATE `orders` SET `amount`=? WHERE `$id` = ?
	res := f.db.Model(&o).Updates(Order{Amount: 250, Customer: "c9"})
	if res.Error != nil || res.RowsAffected != 1 {
		t.Fatalf("Updates by primary key: RowsAffected %d, err %v", res.RowsAffected, res.Error)
	}
	// A map writes zero values too.
	res = f.db.Model(&Order{ID: 3}).Updates(map[string]any{"amount": 0, "ordered_on": nil})
	if res.Error != nil || res.RowsAffected != 1 {
		t.Fatalf("Updates with a map: RowsAffected %d, err %v", res.RowsAffected, res.Error)
	}
	// An expression over the record's own column, on every match.
	res = f.db.Model(&Order{}).Where("customer = ?", "c1").Update("amount", gorm.Expr("amount + ?", 1))
	if res.Error != nil || res.RowsAffected != 2 {
		t.Fatalf("Update with an expression: RowsAffected %d, err %v", res.RowsAffected, res.Error)
	}
	// Save writes every field but the read-only $revision.
	six := seedOrder(6)
	six.Customer = "saved"
	if err := f.db.Save(&six).Error; err != nil {
		t.Fatal(err)
	}
	// GORM refuses an UPDATE without WHERE before sending anything.
	f.srv.ResetStats()
	if err := f.db.Model(&Order{}).Update("amount", 1).Error; !errors.Is(err, gorm.ErrMissingWhereClause) {
		t.Errorf("Update without WHERE: err = %v, want gorm.ErrMissingWhereClause", err)
	}
	if n := f.writes(); n != 0 {
		t.Errorf("%d writes for a refused Update", n)
	}
	// Nothing matches: no error, nothing affected.
	res = f.db.Model(&Order{}).Where("customer = ?", "nobody").Update("amount", 1)
	if res.Error != nil || res.RowsAffected != 0 {
		t.Errorf("Update of nothing: RowsAffected %d, err %v", res.RowsAffected, res.Error)
	}

	want := seedOrders(1, 2, 3, 4, 5, 6)
	want[0].Amount, want[0].Revision = 11, 2
	want[1].Amount, want[1].Customer, want[1].Revision = 250, "c9", 2
	want[2].Amount, want[2].Ordered, want[2].Revision = 0, sql.NullTime{}, 2
	want[3].Amount, want[3].Revision = 41, 2
	want[5].Customer, want[5].Revision = "saved", 2
	sameOrders(t, f.all(t), want)
}

func TestDelete(t *testing.T) {
	f := newFixture(t, 8)
	o := seedOrder(1)
	res := f.db.Delete(&o)
	if res.Error != nil || res.RowsAffected != 1 {
		t.Fatalf("Delete of a model: RowsAffected %d, err %v", res.RowsAffected, res.Error)
	}
	res = f.db.Delete(&Order{}, []int64{2, 3})
	if res.Error != nil || res.RowsAffected != 2 {
		t.Fatalf("Delete by ids: RowsAffected %d, err %v", res.RowsAffected, res.Error)
	}
	res = f.db.Where("customer = ? AND amount > ?", "c2", 50).Delete(&Order{})
	if res.Error != nil || res.RowsAffected != 1 {
		t.Fatalf("Delete with Where: RowsAffected %d, err %v", res.RowsAffected, res.Error)
	}
	res = f.db.Delete(&Order{}, 99)
	if res.Error != nil || res.RowsAffected != 0 {
		t.Errorf("Delete of a missing id: RowsAffected %d, err %v", res.RowsAffected, res.Error)
	}
	if err := f.db.Delete(&Order{}).Error; !errors.Is(err, gorm.ErrMissingWhereClause) {
		t.Errorf("Delete without WHERE: err = %v, want gorm.ErrMissingWhereClause", err)
	}
	sameOrders(t, f.all(t), seedOrders(4, 5, 6, 7))
}

func TestTransaction(t *testing.T) {
	f := newFixture(t, 3)
	// Commit: the writes go in one bulkRequest at the end.
	f.srv.ResetStats()
	err := f.db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&Order{ID: 1}).Update("amount", 1).Error; err != nil {
			return err
		}
		if err := tx.Delete(&Order{}, 2).Error; err != nil {
			return err
		}
		if n := f.writes(); n != 0 {
			t.Errorf("%d writes before Commit", n)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if st := f.srv.Stats(); st.Count("POST", "bulkRequest") != 1 {
		t.Errorf("writes = %v, want one POST bulkRequest", st.ByEndpoint)
	}
	// Rollback: nothing is sent.
	f.srv.ResetStats()
	errStop := errors.New("stop")
	err = f.db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&Order{ID: 3}).Update("amount", 3).Error; err != nil {
			return err
		}
		return errStop
	})
	if !errors.Is(err, errStop) {
		t.Fatalf("Transaction: err = %v, want %v", err, errStop)
	}
	if n := f.writes(); n != 0 {
		t.Errorf("%d writes for a rolled-back transaction", n)
	}
	// A nested transaction would need a savepoint: it runs in the outer
	// one instead (DisableNestedTransaction).
	err = f.db.Transaction(func(tx *gorm.DB) error {
		return tx.Transaction(func(tx2 *gorm.DB) error {
			return tx2.Model(&Order{ID: 3}).Update("amount", 33).Error
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	want := seedOrders(1, 3)
	want[0].Amount, want[0].Revision = 1, 2
	want[1].Amount, want[1].Revision = 33, 2
	sameOrders(t, f.all(t), want)
}

func TestTranslateError(t *testing.T) {
	f := newFixture(t, 1)
	sqlDB, err := f.db.DB()
	if err != nil {
		t.Fatal(err)
	}
	db, err := gorm.Open(OpenDB(sqlDB), &gorm.Config{Logger: logger.Discard, TranslateError: true})
	if err != nil {
		t.Fatal(err)
	}
	err = db.Create(&Order{OrderNo: "O-0001"}).Error
	if !errors.Is(err, gorm.ErrDuplicatedKey) {
		t.Errorf("duplicate order_no with TranslateError: err = %v, want gorm.ErrDuplicatedKey", err)
	}
	var ae *kintone.APIError
	if !errors.As(err, &ae) || ae.Code != "CB_VA01" {
		t.Errorf("the translated error lost the driver's: %v", err)
	}
	// Other errors pass through.
	err = db.Create(&Order{Customer: "no order_no"}).Error
	if err == nil || errors.Is(err, gorm.ErrDuplicatedKey) {
		t.Errorf("missing required field: err = %v", err)
	}
}

func TestCreateInTransaction(t *testing.T) {
	f := newFixture(t, 1)
	// The driver adds a transaction's records at Commit, so it cannot
	// say their $id when GORM asks: Create fails and the transaction is
	// rolled back, nothing sent.
	f.srv.ResetStats()
	o := Order{OrderNo: "T-1"}
	err := f.db.Transaction(func(tx *gorm.DB) error { return tx.Create(&o).Error })
	if err == nil || !strings.Contains(err.Error(), "LastInsertId") {
		t.Errorf("Create in a transaction: err = %v, want the driver's LastInsertId error", err)
	}
	if n := f.writes(); n != 0 {
		t.Errorf("%d write requests", n)
	}
	sameOrders(t, f.all(t), seedOrders(1))
}

func TestUpdateOrderLimit(t *testing.T) {
	f := newFixture(t, 5)
	// UPDATE ... ORDER BY amount DESC LIMIT 2 and DELETE ... ORDER BY
	// amount LIMIT 1, as MySQL has them.
	res := f.db.Model(&Order{}).Where("amount > ?", 0).Order("amount desc").Limit(2).Update("customer", "top")
	if res.Error != nil || res.RowsAffected != 2 {
		t.Fatalf("Update with Order and Limit: RowsAffected %d, err %v", res.RowsAffected, res.Error)
	}
	res = f.db.Where("amount > ?", 0).Order("amount").Limit(1).Delete(&Order{})
	if res.Error != nil || res.RowsAffected != 1 {
		t.Fatalf("Delete with Order and Limit: RowsAffected %d, err %v", res.RowsAffected, res.Error)
	}
	want := seedOrders(2, 3, 4, 5)
	want[2].Customer, want[2].Revision = "top", 2
	want[3].Customer, want[3].Revision = "top", 2
	sameOrders(t, f.all(t), want)
}

func TestOptimisticLocking(t *testing.T) {
	f := newFixture(t, 2)
	// WHERE `$revision` = ? sends the revision: a record changed since it
	// was read is a conflict (GAIA_CO02), not a lost update.
	var o Order
	if err := f.db.First(&o, 2).Error; err != nil {
		t.Fatal(err)
	}
	res := f.db.Model(&Order{}).Where("`$id` = ? AND `$revision` = ?", o.ID, o.Revision).Update("amount", 7)
	if res.Error != nil || res.RowsAffected != 1 {
		t.Fatalf("first update: RowsAffected %d, err %v", res.RowsAffected, res.Error)
	}
	err := f.db.Model(&Order{}).Where("`$id` = ? AND `$revision` = ?", o.ID, o.Revision).Update("amount", 8).Error
	var ae *kintone.APIError
	if !errors.As(err, &ae) || ae.Code != "GAIA_CO02" {
		t.Errorf("stale update: err = %v, want GAIA_CO02", err)
	}
	want := seedOrders(1, 2)
	want[1].Amount, want[1].Revision = 7, 2
	sameOrders(t, f.all(t), want)
}

func TestFirstOrCreate(t *testing.T) {
	f := newFixture(t, 2)
	var got Order
	if err := f.db.Where(Order{OrderNo: "O-0002"}).FirstOrCreate(&got).Error; err != nil {
		t.Fatal(err)
	}
	sameOrders(t, []Order{got}, seedOrders(2))
	got = Order{}
	if err := f.db.Where(Order{OrderNo: "N-1"}).Attrs(Order{Amount: 3}).FirstOrCreate(&got).Error; err != nil {
		t.Fatal(err)
	}
	if got.ID != 3 || got.Amount != 3 {
		t.Errorf("FirstOrCreate of a new order: %+v, want ID 3, amount 3", got)
	}
}

func TestUnsupported(t *testing.T) {
	f := newFixture(t, 2)
	tests := []struct {
		name string
		run  func() error
		want string
	}{
		// Joins and subqueries are no longer refused: join_test.go.
		{"FOR UPDATE", func() error {
			return f.db.Clauses(clause.Locking{Strength: "UPDATE"}).Find(&[]Order{}).Error
		}, "FOR UPDATE is not supported"},
		// MySQL's "do nothing" is ON DUPLICATE KEY UPDATE `$id`=`$id`;
		// Kintone has no insert-if-absent.
		{"OnConflict DoNothing", func() error {
			return f.db.Clauses(clause.OnConflict{DoNothing: true}).Create(&Order{OrderNo: "O-0001"}).Error
		}, "ON DUPLICATE KEY UPDATE can only assign inserted columns"},
	}
	f.srv.ResetStats()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.run(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one that says %q", err, tt.want)
			}
		})
	}
	if st := f.srv.Stats(); st.Count("GET", "records")+f.writes() != 0 {
		t.Errorf("refused statements sent requests: %v", st.ByEndpoint)
	}
	sameOrders(t, f.all(t), seedOrders(1, 2))
}
