package kintone

import (
	"errors"

	"github.com/kintone-sql/kintone/internal/rest"
	"github.com/kintone-sql/kintone/internal/txqueue"
	"github.com/kintone-sql/kintone/translate"
)

// APIError is an error answer from Kintone: HTTP status, Kintone's error
// code (such as "GAIA_IA02" or "CB_VA01"), the request ID to quote to
// Cybozu's support, the message, and for validation errors the messages by
// parameter path ("records[3].price.value"). Use errors.As to inspect it:
//
//	var ae *kintone.APIError
//	if errors.As(err, &ae) && ae.Code == "GAIA_CO02" { ... }
//
// Retryable reports whether sending the same request again may succeed
// (the concurrency limit, maintenance, a locked database).
type APIError = rest.APIError

// BulkError is the failure of one request of a bulkRequest (a transaction's
// commit or a large write): Index is the failing request's position and Err
// Kintone's answer to it. Nothing of the bulkRequest was applied.
type BulkError = rest.BulkError

// RetryError is the failure of a request that was attempted more than
// once, or whose retry a bound refused (maxRetries, retryTimeout, a
// Retry-After longer than the time left, the context's deadline): its
// message says how many attempts were made over how long, why each failed
// and why no more were made. It wraps the last attempt's error, so
// errors.As finds the *APIError and errors.Is context.DeadlineExceeded.
type RetryError = rest.RetryError

// ErrResponseTooLarge is returned when a response body exceeds the DSN's
// maxResponseBytes.
var ErrResponseTooLarge = rest.ErrResponseTooLarge

// ErrTxDone is returned by a write on a transaction that was committed or
// rolled back.
var ErrTxDone = errors.New("kintone: transaction already committed or rolled back")

// ErrRecordsChanged is returned by the rows of a read of several pages when
// records changed meanwhile in a way the read cannot follow without
// returning rows out of the SQL order, or skipping or repeating records
// (see translate.ErrRecordsChanged): a read never does that silently. The
// rows read so far were right; running the query again reads the records
// as they are then.
var ErrRecordsChanged = translate.ErrRecordsChanged

// ErrTxTooLarge is returned by a write in a transaction that would make
// the transaction larger than one bulkRequest: 20 requests of at most 100
// records each. Nothing was sent; the transaction stays open without the
// statement.
var ErrTxTooLarge = txqueue.ErrTooLarge

// ErrTxQueuedWrite is returned by an UPDATE or DELETE in a transaction
// whose outcome depends on a write queued by an earlier statement of the
// transaction, which the statement's read cannot see (reads in a
// transaction see committed data). Nothing was queued; the transaction
// goes on without the statement. Commit first, or write the records
// otherwise.
var ErrTxQueuedWrite = txqueue.ErrQueuedWrite
