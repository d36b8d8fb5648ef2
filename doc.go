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
// a field code; $id and $revision are columns too.
//
// # How a statement runs
//
// SQL is translated (package translate) into a Kintone query and a Go
// pipeline. WHERE, ORDER BY and LIMIT go to Kintone wherever Kintone gives
// the same answer as SQL; the rest (LIKE with wildcards, NULL logic where
// Kintone's differs, expressions, aggregates, GROUP BY) is done in Go on
// the rows Kintone returns. Reads use the cheapest plan the API allows: one
// GET for a small LIMIT, a count with totalCount, $id seek paging for
// unordered scans, a cursor for other orders. Rows stream page by page: the
// next page is fetched while the current one is read, so memory stays at
// about two pages however large the app.
//
// # Errors
//
// Errors from Kintone are *APIError values carrying Kintone's code, request
// ID and, for validation errors, the messages by parameter. No error or log
// line contains a password, token or key material.
package kintone
