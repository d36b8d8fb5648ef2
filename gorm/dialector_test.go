package kintonegorm

import (
	"database/sql"
	"errors"
	"strings"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	kintone "github.com/kintone-sql/kintone"
)

func TestOpenDB(t *testing.T) {
	f := newFixture(t, 2)
	sqlDB, err := sql.Open(kintone.DriverName, f.srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	db, err := gorm.Open(OpenDB(sqlDB), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if got := db.Dialector.Name(); got != "kintone" {
		t.Errorf("Name = %q", got)
	}
	if inner, err := db.DB(); err != nil || inner != sqlDB {
		t.Errorf("db.DB() = %p, %v; want the *sql.DB given", inner, err)
	}
	var n int64
	if err := db.Model(&Order{}).Count(&n).Error; err != nil || n != 2 {
		t.Errorf("Count = %d, %v", n, err)
	}
}

func TestConfig(t *testing.T) {
	f := newFixture(t, 0)
	// Whatever the caller asks for, GORM's own transactions are off.
	db, err := gorm.Open(Open(f.srv.DSN()), &gorm.Config{Logger: logger.Discard, SkipDefaultTransaction: false})
	if err != nil {
		t.Fatal(err)
	}
	if !db.Config.SkipDefaultTransaction || !db.Config.DisableNestedTransaction {
		t.Errorf("SkipDefaultTransaction %v, DisableNestedTransaction %v; want both", db.Config.SkipDefaultTransaction, db.Config.DisableNestedTransaction)
	}
	if db.Config.NowFunc == nil {
		t.Error("NowFunc not set")
	}
	sp, ok := db.Dialector.(gorm.SavePointerDialectorInterface)
	if !ok {
		t.Fatalf("%T has no SavePoint", db.Dialector)
	}
	if err := sp.SavePoint(db, "sp"); !errors.Is(err, ErrSavepoint) {
		t.Errorf("SavePoint: err = %v", err)
	}
	if err := sp.RollbackTo(db, "sp"); !errors.Is(err, ErrSavepoint) {
		t.Errorf("RollbackTo: err = %v", err)
	}
	// GORM's SQL for MySQL, with backquotes and ? placeholders.
	sql := db.ToSQL(func(tx *gorm.DB) *gorm.DB { return tx.Where("amount > ?", 5).First(&Order{}) })
	if want := "SELECT * FROM `orders` WHERE amount > 5 ORDER BY `orders`.`$id` LIMIT 1"; sql != want {
		t.Errorf("ToSQL = %q, want %q", sql, want)
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name, dsn, want string
	}{
		{"bad DSN", "https://example.cybozu.com/?nosuchkey=1", "nosuchkey"},
		{"refused login", "", "CB_WA01"},
	}
	f := newFixture(t, 0)
	tests[1].dsn = f.srv.DSNFor("admin", "wrong")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := gorm.Open(Open(tt.dsn), &gorm.Config{Logger: logger.Discard})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one that says %s", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "wrong") {
				t.Errorf("err %q shows the password", err)
			}
		})
	}
}
