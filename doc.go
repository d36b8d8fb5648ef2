// Package kintone is a database/sql driver for Kintone, Cybozu's cloud
// database. It registers itself as "kintone":
//
//	import _ "github.com/kintone-sql/kintone"
//
//	db, err := sql.Open("kintone", "https://alice:s3cret@example.cybozu.com/")
//	rows, err := db.QueryContext(ctx,
//		"SELECT order_no, total FROM Orders WHERE status = ? ORDER BY total DESC LIMIT 10", "Paid")
//
// or, with a configuration built in code, sql.OpenDB(kintone.NewConnector(cfg)).
// The DSN and every setting are described in package dsn.
//
// # Tables and columns
//
// A table is an app, named by its ID (`42`), its app code, its name when
// exactly one app has it, or an alias from the DSN (apps=orders:42; API
// tokens cannot list apps, so name their apps there or use IDs). A column is
// a field code; $id and $revision are columns too. Table and column names
// match as written first, then ignoring case when only one matches (orders
// is the app coded ORDERS); an unknown one is an error suggesting the
// nearest names.
//
// # How a statement runs
//
// SQL is translated (package translate) into a Kintone query and a Go
// pipeline. WHERE, ORDER BY and LIMIT go to Kintone wherever Kintone gives
// the same answer as SQL; the rest (LIKE with wildcards, NULL logic where
// Kintone's differs, expressions, aggregates, GROUP BY) is done in Go on
// the rows Kintone returns. Reads use the cheapest plan the API allows: one
// GET for a small LIMIT, a count with totalCount, $id seek paging for
// unordered scans, offset pages for other orders while the read ends within
// Kintone's offset limit of 10,000, a cursor beyond. Rows stream page by
// page: the next page is fetched while the current one is read, so memory
// stays at about two pages however large the app.
//
// # Writing
//
// INSERT (with a column list), INSERT ... SELECT, UPDATE, DELETE and
// INSERT ... ON DUPLICATE KEY UPDATE are sent in the biggest batches the
// API allows: up to 100 records per POST, PUT or DELETE of records.json,
// and more as bulkRequests of up to 20 x 100 = 2,000 records, each applied
// by Kintone all or nothing. So 1 to 100 rows take one request, 101 to
// 2,000 one bulkRequest, 10,000 five. Batches are sent one at a time, in
// order; while one is on its way the rows of the next are read (INSERT
// ... SELECT, UPDATE and DELETE by condition) and its body built, holding
// at most that one batch besides the one sent. Arguments are converted
// per field type: time.Time to DATE, TIME and DATETIME (in the DSN's time
// zone), []string or JSON text to checkboxes, multi-selects and user,
// organization and group selections, JSON rows to subtables.
//
//   - UPDATE and DELETE with WHERE $id = ? or $id IN (...) write directly;
//     UPDATE with WHERE unique_field = ? uses Kintone's updateKey. Any other
//     WHERE reads the records' $id and $revision first, and the writes carry
//     the revisions: a record changed in between makes Kintone refuse the
//     batch (GAIA_CO02) rather than lose the other change. WHERE $id = ? AND
//     $revision = ? is optimistic locking: a stale revision is the same
//     GAIA_CO02 error.
//   - ON DUPLICATE KEY UPDATE on a unique SINGLE_LINE_TEXT or NUMBER field
//     becomes Kintone's upsert; every inserted column but the key must be
//     assigned VALUES(col), since Kintone writes the same record whether it
//     adds or updates.
//   - LastInsertId is the first new $id, RowsAffected the rows written.
//
// A write that fails sends nothing more. Kintone's validation errors come
// back as a *RowError naming the statement's row and column. A write of
// several batches that fails after some were committed returns a
// *PartialWriteError saying how many rows were committed and which batch
// failed; with no *PartialWriteError in the chain, nothing was written. A
// request that may have reached Kintone is never sent again by the driver,
// nor reported as driver.ErrBadConn (which would make database/sql send it
// again).
//
// # Transactions
//
// Kintone applies one bulkRequest atomically, and nothing larger. A
// transaction's writes are therefore queued and sent at Commit as one
// bulkRequest; Rollback drops them. A statement that would take the
// transaction past 20 requests of 100 records is refused at its Exec
// (ErrTxTooLarge) before anything is sent. Reads inside a transaction see
// committed data only, not the queued writes (the default isolation level
// and sql.LevelReadCommitted are accepted, others refused); an UPDATE or
// DELETE that reads its records checks their revisions at Commit, so a
// record changed meanwhile fails the whole transaction. Otherwise each
// statement affects what it would outside the transaction: UPDATE and
// DELETE by $id or unique key look their records up at Exec and skip those
// that do not exist or that an earlier statement deletes, a record written
// twice is sent with the revision it will have by then, and a statement
// whose read would need a value or a record an earlier statement queued
// (an updated field, a record added to the app it reads) is refused
// (ErrTxQueuedWrite). Commit runs within the context given to BeginTx.
// LastInsertId is not known before Commit. Read-only transactions refuse
// writes.
//
// # Errors
//
// Errors from Kintone are *APIError values carrying Kintone's code, request
// ID and, for validation errors, the messages by parameter. No error or log
// line contains a password, token or key material.
package kintone
