// Package kintonegorm is a GORM dialector for Kintone, over the kintone-sql
// database/sql driver (github.com/kintone-sql/kintone). It is a module of
// its own, so that the driver's go.mod stays free of GORM.
//
//	db, err := gorm.Open(kintonegorm.Open("https://alice:s3cret@example.cybozu.com/"), &gorm.Config{})
//
// or, over a *sql.DB that is already open:
//
//	sqlDB, err := sql.Open("kintone", dsn)
//	db, err := gorm.Open(kintonegorm.OpenDB(sqlDB), &gorm.Config{})
//
// # Models
//
// A table is an app (by app code, unique name, ID or DSN alias: give the
// model a TableName method), a column a field code. The record number is
// the primary key, $id; the revision is read-only:
//
//	type Order struct {
//		ID       int64  `gorm:"column:$id;primaryKey"`
//		Revision int64  `gorm:"column:$revision;->"`
//		Title    string `gorm:"column:title"`
//		Amount   int64  `gorm:"column:amount"`
//	}
//
//	func (Order) TableName() string { return "orders" }
//
// Create fills ID in from the new $id (CreateInBatches too: Kintone gives
// the records of one request consecutive ids, which GORM relies on). Fields
// Kintone computes (record number, creator, created and updated times,
// CALC) must be read-only ("->") so that GORM does not send them.
//
// # What the dialector changes
//
// GORM's MySQL dialect writes the SQL, and the driver translates it. This
// package names the dialect "kintone", turns GORM's default transaction off
// (a transaction of the driver queues its writes until Commit, so an INSERT
// in one cannot return its $id) and nested transactions with it (Kintone
// has no savepoints), and refuses schema changes: AutoMigrate and the rest
// of the Migrator's changes fail with a *SchemaError wrapping
// ErrSchemaChange. db.Transaction still works: its writes go to Kintone at
// Commit as one atomic bulkRequest.
package kintonegorm
