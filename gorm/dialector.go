package kintonegorm

import (
	"database/sql"

	"gorm.io/driver/mysql"
	"gorm.io/gorm"

	kintone "github.com/kintone-sql/kintone"
)

// Dialector is GORM's MySQL dialector with the Kintone driver underneath:
// the SQL GORM writes for MySQL (backquoted names, ? placeholders, LIMIT,
// ON DUPLICATE KEY UPDATE) is the dialect the driver translates. What
// Kintone lacks is switched off or refused here: default and nested
// transactions, savepoints, and schema changes (see Migrator).
type Dialector struct {
	mysql.Dialector
}

// Config says how to reach Kintone: a DSN (see package
// github.com/kintone-sql/kintone/dsn), or a connection pool that is already
// open, such as the *sql.DB of sql.Open("kintone", dsn). Conn wins when
// both are set.
type Config struct {
	DSN  string
	Conn gorm.ConnPool
}

// Open returns a dialector that opens the Kintone driver with dsn:
//
//	db, err := gorm.Open(kintonegorm.Open("https://alice:s3cret@example.cybozu.com/"), &gorm.Config{})
func Open(dsn string) gorm.Dialector {
	return New(Config{DSN: dsn})
}

// OpenDB returns a dialector over a *sql.DB already opened with the Kintone
// driver (sql.Open("kintone", dsn) or sql.OpenDB(kintone.NewConnector(cfg))).
// GORM does not close it; the caller does.
func OpenDB(db *sql.DB) gorm.Dialector {
	return New(Config{Conn: db})
}

// New returns a dialector for cfg.
func New(cfg Config) gorm.Dialector {
	return &Dialector{Dialector: mysql.Dialector{Config: &mysql.Config{
		DriverName: kintone.DriverName,
		DSN:        cfg.DSN,
		Conn:       cfg.Conn,
		// There is no server version to ask for: SELECT VERSION() means
		// nothing to Kintone.
		SkipInitializeWithVersion: true,
		// Kintone answers writes with ids and revisions, never with rows.
		DisableWithReturning: true,
	}}}
}

// Name is "kintone".
func (Dialector) Name() string { return kintone.DriverName }

// Apply adjusts GORM's configuration to what Kintone can do before GORM
// initializes:
//
//   - SkipDefaultTransaction: a transaction of the driver queues its writes
//     until Commit, so an INSERT inside one cannot report the $id it
//     creates, and GORM could not fill in the primary key. Single
//     statements already run atomically (one request or one bulkRequest).
//   - DisableNestedTransaction: Kintone has no savepoints.
//
// Explicit transactions (db.Transaction, db.Begin) still work: their writes
// are sent as one atomic bulkRequest at Commit.
func (d Dialector) Apply(cfg *gorm.Config) error {
	cfg.SkipDefaultTransaction = true
	cfg.DisableNestedTransaction = true
	return d.Dialector.Apply(cfg)
}

// Migrator returns a migrator that reads what Kintone holds (tables,
// columns and their types) and refuses every schema change with
// ErrSchemaChange: apps and fields are made in Kintone, not by SQL.
func (d Dialector) Migrator(db *gorm.DB) gorm.Migrator {
	return Migrator{db: db, dialector: d}
}

// SavePoint fails: Kintone has no savepoints, and Apply turns GORM's
// nested transactions off so that GORM never asks for one.
func (Dialector) SavePoint(*gorm.DB, string) error { return ErrSavepoint }

// RollbackTo fails like SavePoint.
func (Dialector) RollbackTo(*gorm.DB, string) error { return ErrSavepoint }
