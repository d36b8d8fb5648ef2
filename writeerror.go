package kintone

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kintone-sql/kintone/internal/batch"
	"github.com/kintone-sql/kintone/internal/errmsg"
	"github.com/kintone-sql/kintone/internal/rest"
)

// This file holds the errors of writes: what a write that failed part way
// had committed, and Kintone's validation messages by SQL row and column.
//
// The rule for callers: when a write fails and no *PartialWriteError is in
// the error's chain, nothing of the statement was written.

// PartialWriteError is the failure of a write sent in several batches
// (requests of up to 2,000 records; DESIGN.md "Writing") after some of
// them were committed. The rows before FirstRow (in VALUES order, or in
// the order the rows were read) are written, Committed of them (fewer
// when an UPDATE or DELETE by $id skipped records that no longer exist);
// the rows from FirstRow on were not, unless Unknown is set, in which case
// the batch FirstRow..LastRow may or may not have been applied and nothing
// after it was sent. The driver never sends such a batch again by itself.
type PartialWriteError struct {
	// Committed is the number of rows written and acknowledged by Kintone
	// before the failure.
	Committed int64
	// Batch is the 1-based number of the batch that failed, counting every
	// request the statement sent (or was about to send).
	Batch int
	// FirstRow and LastRow are the statement rows of the failed batch.
	// LastRow is 0 when the batch was never sent: reading or converting
	// its rows failed.
	FirstRow, LastRow int64
	// Statements is, for a transaction's Commit, the number of statements
	// the transaction queued, sent as one bulkRequest that Kintone applies
	// whole or not at all; FirstRow and LastRow then number the rows of
	// all of them in statement order. It is 0 for a statement's write.
	Statements int
	// Unknown reports that the batch was sent and no answer from Kintone
	// says whether it was applied: the connection failed, something in
	// front of Kintone answered in its place (a gateway's 503 page, a 502),
	// or the answer was cut short or garbled. Check the records (by their
	// key fields) before writing the batch again, and after a timeout give
	// the request time to end first: Kintone, or a gateway in front of it,
	// may still be applying it after the client has given up.
	Unknown bool
	// Err is the cause: an *APIError, a *RowError, a transport error, a
	// *translate.ValueError, a read error, ...
	Err error
}

// Error says what was committed, what failed and why.
func (e *PartialWriteError) Error() string {
	committed := "no row was committed before it"
	if e.Committed > 0 {
		committed = fmt.Sprintf("%d rows were committed before it", e.Committed)
	}
	cause := errmsg.Text(e.Err)
	switch {
	case e.Unknown && e.Statements > 0:
		return fmt.Sprintf("kintone: the transaction (%d %s, %d %s) may or may not have been applied, as a whole: its bulkRequest was sent and no answer from Kintone says whether it was applied: %s",
			e.Statements, plural(e.Statements, "statement", "statements"), e.LastRow, plural(int(e.LastRow), "row", "rows"), cause)
	case e.Unknown:
		return fmt.Sprintf("kintone: batch %d (rows %d to %d) may or may not have been written: it was sent and no answer from Kintone says whether it was applied; %s, nothing after it was sent: %s",
			e.Batch, e.FirstRow, e.LastRow, committed, cause)
	case e.LastRow == 0:
		batches := "batches"
		if e.Batch == 2 {
			batches = "batch"
		}
		return fmt.Sprintf("kintone: write stopped while preparing batch %d (from row %d): %s in %d %s, nothing after them was written: %s",
			e.Batch, e.FirstRow, strings.TrimSuffix(committed, " before it"), e.Batch-1, batches, cause)
	}
	return fmt.Sprintf("kintone: batch %d (rows %d to %d) failed and was not written; %s: %s",
		e.Batch, e.FirstRow, e.LastRow, committed, cause)
}

// Unwrap returns the cause.
func (e *PartialWriteError) Unwrap() error { return e.Err }

// plural picks the word for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// RowError is Kintone's refusal of a write's values (CB_VA01 and its
// messages by parameter path, such as records[2].price.value), named by
// the SQL statement's row and column. Err keeps Kintone's whole answer,
// with every message.
type RowError struct {
	// Statement is, for a transaction's Commit, the 1-based number of the
	// statement of the transaction; 0 otherwise.
	Statement int
	// Row is the statement's 1-based row: of VALUES or the SELECT for an
	// INSERT, the n-th record found for an UPDATE or DELETE.
	Row int64
	// ID is the record's $id when the write named it by $id, 0 otherwise.
	ID int64
	// Column is the field code the messages are about, "" when they are
	// about the record itself (its id, update key or revision).
	Column string
	// Path is Kintone's parameter path, such as
	// "records[2].items.value[0].value.qty.value" for a subtable's field.
	Path string
	// Messages are Kintone's messages for Path.
	Messages []string
	// Err is Kintone's answer.
	Err *APIError

	cause error // the error as the request returned it (a *BulkError, ...)
}

// Error names the statement, row and column, then Kintone's messages.
func (e *RowError) Error() string {
	var b strings.Builder
	b.WriteString("kintone: ")
	if e.Statement > 0 {
		fmt.Fprintf(&b, "statement %d, ", e.Statement)
	}
	fmt.Fprintf(&b, "row %d", e.Row)
	if e.ID > 0 {
		fmt.Fprintf(&b, " ($id %d)", e.ID)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ", column %s", e.Column)
	}
	fmt.Fprintf(&b, ": %s (%s", strings.Join(e.Messages, " "), e.Err.Code)
	if n := len(e.Err.Errors) - 1; n > 0 {
		// The others are in e.Err.Errors; listing them all could make a
		// line of kilobytes (a 2,000-record write).
		fmt.Fprintf(&b, "; %d more messages in the answer", n)
	}
	if e.Err.ID != "" {
		fmt.Fprintf(&b, ", id: %s", e.Err.ID)
	}
	b.WriteByte(')')
	return b.String()
}

// Unwrap returns the request's error, so errors.As finds the *APIError
// (and the *BulkError of a bulkRequest).
func (e *RowError) Unwrap() error {
	if e.cause != nil {
		return e.cause
	}
	return e.Err
}

// errLastIDInTx is LastInsertId's error inside a transaction.
var errLastIDInTx = errors.New("kintone: LastInsertId is not known before the transaction commits (the records are added at Commit)")

// rowError maps a Kintone error about a request's records back to the SQL
// rows: reqs are the requests sent (one, or the requests of a
// bulkRequest); batch.Locate finds the record. An error that names no
// record is returned as it is.
func rowError(err error, reqs []*batch.Request) error {
	f, ok := batch.Locate(err, reqs)
	if !ok {
		return err
	}
	req := reqs[f.Request]
	it := req.Items[f.Item]
	re := &RowError{Row: it.Row, ID: it.ID, Column: f.Column, Path: f.Path, Messages: f.Messages, Err: f.Err, cause: err}
	if req.Stmts != nil {
		re.Statement = req.Stmts[f.Item]
	}
	return re
}

// writeError turns a batch.Failure into the driver's errors: Kintone's
// validation messages by row and column (rowError), inside a
// *PartialWriteError when rows were committed before the failed batch or
// it may have been applied. Any other error is returned as it is.
func writeError(err error) error {
	f, ok := err.(*batch.Failure)
	if !ok {
		return err
	}
	cause := rowError(f.Err, f.Requests)
	if f.Committed == 0 && !f.Unknown {
		return cause // nothing was written
	}
	return &PartialWriteError{Committed: f.Committed, Batch: f.Batch, FirstRow: f.FirstRow,
		LastRow: f.LastRow, Unknown: f.Unknown, Err: cause}
}

// writeOutcome reports whether a failed write request may have been
// applied: rest.MayHaveApplied, the one place where that rule lives (the
// REST client's retries follow it too).
func writeOutcome(err error) (unknown bool) { return rest.MayHaveApplied(err) }
