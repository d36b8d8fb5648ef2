package kintone

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"github.com/kintone-sql/kintone/internal/batch"
	"io"

	"github.com/kintone-sql/kintone/internal/errmsg"
	"github.com/kintone-sql/kintone/internal/rest"
	"github.com/kintone-sql/kintone/translate"
)

// tx is a transaction. Kintone has no transactions across requests, but one
// bulkRequest (at most 20 requests of at most 100 records each) is applied
// all or nothing. So a transaction's writes are not sent as they are
// executed: they are queued, and Commit sends them as one bulkRequest. A
// statement that would make the queue longer than one bulkRequest is
// refused (ErrTxTooLarge) before anything is sent, and the transaction
// goes on without it.
//
// Reads inside a transaction go to Kintone at once and do not see the
// queued writes (read committed). An UPDATE or DELETE whose WHERE needs a
// read finds its records, and their revisions, in the committed data: if
// one of them changes before Commit, the whole transaction fails with
// GAIA_CO02 and nothing is applied.
//
// Each statement otherwise does what it would do outside the transaction,
// RowsAffected included, or is refused at Exec (txstate.go): an UPDATE or
// DELETE by $id or by unique key looks its records up at Exec and skips
// those that do not exist or that an earlier statement deletes; a record
// written by several statements is sent with the revision it will have
// when its turn comes; a statement whose read would need to see a value
// or a record an earlier statement queued (an updated field, a record
// added to the app it reads) is refused with ErrTxQueuedWrite.
type tx struct {
	cn *conn
	// ctx is BeginTx's context: driver.Tx's Commit takes none, and
	// database/sql hands the transaction's context to BeginTx only. It
	// bounds the Commit's bulkRequest.
	ctx      context.Context
	readOnly bool
	queue    []*batch.Request
	stmts    int     // statements queued
	state    txState // the existing records the queue touches (txstate.go)
	done     bool
}

// recordRef names a record of an app.
type recordRef struct{ app, id int64 }

// exec queues a write of the transaction.
func (t *tx) exec(ctx context.Context, st translate.Statement) (driver.Result, error) {
	if t.done {
		return nil, ErrTxDone
	}
	if t.readOnly {
		return nil, errors.New("kintone: the transaction is read-only: it cannot write")
	}
	w, src, err := t.cn.plan(ctx, st)
	if err != nil {
		return nil, err
	}
	defer src.close()
	var items []translate.WriteItem
	for {
		it, err := src.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		items = append(items, it)
		if len(items) > batch.MaxRecords {
			return nil, t.tooLarge(len(items), true)
		}
	}
	// Checked even when the read found nothing: outside the transaction
	// it might have found a record an earlier statement changes.
	a, err := t.admit(ctx, w, st, items)
	if err != nil {
		return nil, err
	}
	items = a.items
	if len(items) == 0 {
		return result{inTx: true}, nil
	}
	stmt := t.stmts + 1

	// Fill the last queued POST of the same app before adding requests.
	var tail *batch.Request
	fill := 0
	if n := len(t.queue); n > 0 && w.Op == batch.Add {
		if last := t.queue[n-1]; last.Op == batch.Add && last.App == w.App {
			tail, fill = last, min(rest.MaxRecordsPerWrite-len(last.Items), len(items))
		}
	}
	reqs := batch.Split(w.Op, w.App, batchItems(items[fill:]))
	if len(t.queue)+len(reqs) > rest.MaxBulkRequests {
		return nil, t.tooLarge(len(items), false)
	}
	if fill > 0 {
		tail.Items = append(tail.Items, batchItems(items[:fill])...)
		for range fill {
			tail.Stmts = append(tail.Stmts, stmt)
		}
	}
	for _, r := range reqs {
		r.Stmts = make([]int, len(r.Items))
		for i := range r.Stmts {
			r.Stmts[i] = stmt
		}
	}
	t.queue = append(t.queue, reqs...)
	t.stmts = stmt
	t.apply(w, stmt, a)
	return result{affected: int64(len(items)), inTx: true}, nil
}

// tooLarge is the error of a statement that does not fit the transaction.
func (t *tx) tooLarge(rows int, more bool) error {
	n := fmt.Sprint(rows)
	if more {
		n = "more than " + fmt.Sprint(rows-1)
	}
	return fmt.Errorf("%w: the statement writes %s rows and %d requests are queued; Kintone applies at most %d requests of %d records at once. "+
		"Nothing was sent and the transaction goes on without the statement: commit first, or write large batches outside a transaction",
		ErrTxTooLarge, n, len(t.queue), rest.MaxBulkRequests, rest.MaxRecordsPerWrite)
}

// Commit sends the queued writes as one bulkRequest, bounded by the
// context given to BeginTx. On error nothing was applied (Kintone rolls
// the bulkRequest back) and a validation error names the statement, row
// and column; unless the request was sent and no answer from Kintone says
// whether it was applied (rest.MayHaveApplied), the context having ended
// after sending included: then the error is a *PartialWriteError with
// Unknown set. A context ended before Commit sends nothing.
func (t *tx) Commit() error {
	if t.done {
		return ErrTxDone
	}
	t.done = true
	t.cn.tx = nil
	if len(t.queue) == 0 {
		return nil
	}
	bulk := make([]rest.BulkRequest, len(t.queue))
	rows := 0
	for i, r := range t.queue {
		bulk[i] = r.Bulk()
		rows += len(r.Items)
	}
	if err := t.ctx.Err(); err != nil {
		return fmt.Errorf("kintone: commit: nothing was sent: %w", err)
	}
	_, err := t.cn.c.client.Bulk(t.ctx, bulk)
	if err == nil {
		return nil
	}
	if writeOutcome(err) {
		return fmt.Errorf("kintone: commit: %w", errmsg.Inner(&PartialWriteError{Batch: 1, FirstRow: 1, LastRow: int64(rows), Statements: t.stmts, Unknown: true, Err: err}))
	}
	return fmt.Errorf("kintone: commit: nothing was applied: %w", errmsg.Inner(rowError(err, t.queue)))
}

// Rollback drops the queued writes; nothing was sent.
func (t *tx) Rollback() error {
	if t.done {
		return ErrTxDone
	}
	t.done = true
	t.queue = nil
	t.cn.tx = nil
	return nil
}
