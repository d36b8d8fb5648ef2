// Code generated from README.md by internal/readmecode; DO NOT EDIT.

package kintonegorm_test

import (
	"os"

	kintonegorm "github.com/kintone-sql/kintone/gorm"
	"gorm.io/gorm"

	"testing"
)

type Order struct {
	ID           int64  `gorm:"column:$id;primaryKey"` // the record number
	Revision     int64  `gorm:"column:$revision;->"`   // read-only
	OrderNo      string `gorm:"column:order_no"`
	CustomerCode string `gorm:"column:customer_code"`
	Total        int64  `gorm:"column:total"`
}

func (Order) TableName() string { return "orders" } // app code, name, ID or DSN alias

// runREADMESnippet runs the README's snippet, stopping at the first error it assigns.
func runREADMESnippet(t *testing.T) {
	db, err := gorm.Open(kintonegorm.Open(os.Getenv("KINTONE_DSN")), &gorm.Config{})
	if err != nil {
		t.Fatalf("README: %s: %v", "db, err := gorm.Open(kintonegorm.Open(os.Getenv(\"KINTONE_...", err)
	}
	// or over an open pool: gorm.Open(kintonegorm.OpenDB(sqlDB), &gorm.Config{})

	err = db.Create(&Order{OrderNo: "A-1", CustomerCode: "C0001", Total: 10}).Error // ID is filled in from the new $id
	if err != nil {
		t.Fatalf("README: %s: %v", "err = db.Create(&Order{OrderNo: \"A-1\", CustomerCode: \"C00...", err)
	}
	orders := []Order{{OrderNo: "A-2", CustomerCode: "C0002", Total: 20}, {OrderNo: "A-3", CustomerCode: "C0003", Total: 30}}
	err = db.CreateInBatches(orders, 2000).Error // one bulkRequest per batch
	if err != nil {
		t.Fatalf("README: %s: %v", "err = db.CreateInBatches(orders, 2000).Error", err)
	}
	var big []Order
	err = db.Where("total > ?", 100000).Order("total desc").Find(&big).Error
	if err != nil {
		t.Fatalf("README: %s: %v", "err = db.Where(\"total > ?\", 100000).Order(\"total desc\").F...", err)
	}
	var o Order
	err = db.First(&o, 42).Error
	if err != nil {
		t.Fatalf("README: %s: %v", "err = db.First(&o, 42).Error", err)
	}
	err = db.Model(&o).Updates(Order{Total: 20}).Error
	if err != nil {
		t.Fatalf("README: %s: %v", "err = db.Model(&o).Updates(Order{Total: 20}).Error", err)
	}
	err = db.Where("order_no IN ?", []string{"A-1", "A-2"}).Delete(&Order{}).Error
	if err != nil {
		t.Fatalf("README: %s: %v", "err = db.Where(\"order_no IN ?\", []string{\"A-1\", \"A-2\"}).D...", err)
	}
	var n int64
	err = db.Model(&Order{}).Where("total > ?", 100000).Count(&n).Error // one GET with totalCount
	if err != nil {
		t.Fatalf("README: %s: %v", "err = db.Model(&Order{}).Where(\"total > ?\", 100000).Count...", err)
	}

	checkREADMESnippet(t, db, orders, big, o, n)
}
