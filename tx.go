package kintone

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"

	"github.com/kintone-sql/kintone/internal/batch"
	"github.com/kintone-sql/kintone/internal/errmsg"
	"github.com/kintone-sql/kintone/internal/txqueue"
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
// RowsAffected included, or is refused at Exec (internal/txqueue): an UPDATE or
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
	queue    txqueue.Queue // the writes queued, and what they touch
	done     bool
}

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
	qw := queued(w, st)
	var items []batch.Item
	for {
		it, err := src.next()
		if err == io.EOF { // itself, not a failed read wrapping it (itemSource)
			break
		}
		if err != nil {
			return nil, err
		}
		if it.Key != nil {
			qw.KeyNumber = it.Key.Number
		}
		items = append(items, batchItem(it))
		if len(items) > batch.MaxRecords {
			return nil, t.queue.TooLarge(len(items), true)
		}
	}
	n, err := t.queue.Add(ctx, t.cn.c.client, qw, items)
	if err != nil {
		return nil, err
	}
	return result{affected: n, inTx: true}, nil
}

// queued describes a write plan to the transaction's queue: what it
// writes, and what finding its records reads.
func queued(w *batch.Writer, st translate.Statement) *txqueue.Write {
	qw := &txqueue.Write{Op: w.Op, App: w.App, ByID: w.ByID, ByKey: w.ByKey}
	var tg translate.Targets
	switch st := st.(type) {
	case *translate.Insert:
		qw.KeyField, qw.Columns = st.KeyField, st.Columns
		qw.Sources = st.Sources
		tg = st.Targets
	case *translate.Update:
		tg = st.Targets
	case *translate.Delete:
		tg = st.Targets
	}
	qw.Reads = txqueue.Reads{Fields: tg.Reads, Volatile: tg.Volatile, Limited: tg.Limited}
	return qw
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
	if len(t.queue.Requests()) == 0 {
		return nil
	}
	bulk, rows := t.queue.Bulk()
	if err := t.ctx.Err(); err != nil {
		return fmt.Errorf("kintone: commit: nothing was sent: %w", err)
	}
	_, err := t.cn.c.client.Bulk(t.ctx, bulk)
	if err == nil {
		return nil
	}
	if writeOutcome(err) {
		return fmt.Errorf("kintone: commit: %w", errmsg.Inner(&PartialWriteError{Batch: 1, FirstRow: 1, LastRow: int64(rows), Statements: t.queue.Statements(), Unknown: true, Err: err}))
	}
	return fmt.Errorf("kintone: commit: nothing was applied: %w", errmsg.Inner(rowError(err, t.queue.Requests())))
}

// Rollback drops the queued writes; nothing was sent.
func (t *tx) Rollback() error {
	if t.done {
		return ErrTxDone
	}
	t.done = true
	t.queue = txqueue.Queue{}
	t.cn.tx = nil
	return nil
}
