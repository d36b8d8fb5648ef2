package scan

import "errors"

// The errors a scan's rows end with, matched with errors.Is. Package
// translate's sqlerr and the driver re-export them under the same names.
var (
	// ErrOrderMismatch is returned by a plan's rows when Kintone sent
	// records in an order that differs from SQL's for a sort the plan
	// left to Kintone (see the package documentation of translate on
	// ORDER BY): the rows read so far were right, but the rest cannot be
	// trusted, so the read stops instead of returning a wrong order.
	ErrOrderMismatch = errors.New("kintone: Kintone returned records out of the SQL order")
	// ErrRecordsChanged is returned by a plan's rows when records changed
	// while a read of several pages was under way in a way the read cannot
	// follow without returning rows out of the SQL order, or skipping or
	// repeating records: a sort key of a record a cursor had yet to return
	// changed (a cursor fixes its records and their order when it is
	// created but reads their values page by page), every record of the
	// page an offset read returned last changed or moved too far, or an
	// edit moved a record an offset read had yet to reach among the rows
	// it had returned (its change check, after the last row, finds it).
	// The rows read so far were right; nothing is wrong with the query, and
	// running it again reads the records as they are then.
	ErrRecordsChanged = errors.New("kintone: records changed while the rows were being read; run the query again")
	// ErrTooManyRows is returned by a plan's rows when a step that holds
	// rows in memory (sorting, grouping, DISTINCT, a read sorted without a
	// cursor) would hold more than it may (the DSN's maxBufferedRows).
	ErrTooManyRows = errors.New("kintone: too many rows to hold in memory")
)
