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
// ErrSchemaChange. db.Transaction still works for updates and deletes: its
// writes go to Kintone at Commit as one atomic bulkRequest. Create inside a
// transaction fails, since the new $id is known only after Commit.
//
// # Joins, preloads and subqueries
//
// The driver joins apps in Go, reading each app once (a small side's keys
// narrow the other's Kintone query), so GORM's Joins, InnerJoins,
// association joins (LEFT JOIN `customers` `Customer` ...), Scopes that
// join, Count and Pluck over a join work as in MySQL. A subtable is the
// child table app.subtable, whose rows carry the parent's $id: a has-many
// with foreignKey on a column:$id field preloads it.
//
//	type Order struct {
//		ID           int64     `gorm:"column:$id;primaryKey"`
//		CustomerCode string    `gorm:"column:customer"`
//		Customer     *Customer `gorm:"foreignKey:CustomerCode;references:Code"`
//		Items        []Item    `gorm:"foreignKey:OrderID"`
//	}
//
//	type Item struct {
//		OrderID int64  `gorm:"column:$id"`
//		RowID   int64  `gorm:"column:$row_id;primaryKey"`
//		Product string `gorm:"column:product"`
//	}
//
//	func (Item) TableName() string { return "orders.items" }
//
//	db.Joins("Customer").Preload("Items").Where("Customer.region = ?", "east").Find(&orders)
//
// GORM joins belongs-to and has-one associations only: preload a has-many.
// Preload is one read per association (WHERE key IN (...), paged).
// Subqueries given as a *gorm.DB argument (IN, EXISTS, scalars, derived
// tables with Table("(?) AS t", q)) run too; a correlated subquery used as
// a value runs once per distinct outer value it reads (a join with a
// derived table grouped by the key is cheaper over many keys).
//
// # Upserts and locking
//
// Kintone's upsert (PUT records.json with upsert and updateKey) writes the
// same values whether it adds or updates, so an ON DUPLICATE KEY UPDATE
// must assign every inserted column; the key is a unique field:
//
//	db.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "order_no"}}, UpdateAll: true}).Create(&orders)
//
// A condition on $revision is optimistic locking: a record changed since it
// was read makes the write fail with Kintone's GAIA_CO02.
//
// # Errors
//
// With gorm.Config{TranslateError: true}, a duplicate value in a unique
// field is gorm.ErrDuplicatedKey (see Translate); the driver's error stays
// wrapped in it.
package kintonegorm
