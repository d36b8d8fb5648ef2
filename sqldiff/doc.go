// Package sqldiff holds the differential test of the kintone-sql driver
// against an independent SQL engine (SQLite, as modernc.org/sqlite, which
// needs no cgo): the same generated records go into the emulator of package
// kintonetest and into an in-memory SQLite database, and generated SELECT
// statements must return the same rows from both (issue 14, "Correctness
// first").
//
// It is a module of its own so that the driver's go.mod stays free of
// SQLite. The package has no API: everything is in its tests.
package sqldiff
