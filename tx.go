package kintone

import (
	"context"
	"errors"
	"fmt"

	"github.com/kintone-sql/kintone/internal/rest"
)

// tx is a transaction. Kintone has no transactions across requests, but one
// bulkRequest (at most 20 requests of at most 100 records each) is applied
// all or nothing. So a transaction's writes are not sent as they are
// executed: they are queued, and Commit sends them as one bulkRequest.
//
// Reads inside a transaction go to Kintone at once and do not see the
// queued writes (read committed).
type tx struct {
	cn       *conn
	readOnly bool
	queue    []rest.BulkRequest
	done     bool
}

// Commit sends the queued writes as one bulkRequest. On error nothing was
// applied (Kintone rolls the bulkRequest back), unless the connection broke
// after the request was sent: then the outcome is unknown and the error
// says so.
func (t *tx) Commit() error {
	if t.done {
		return ErrTxDone
	}
	t.done = true
	t.cn.tx = nil
	if len(t.queue) == 0 {
		return nil
	}
	_, err := t.cn.c.client.Bulk(context.Background(), t.queue)
	if err != nil {
		var te *rest.TransportError
		if errors.As(err, &te) && te.MaybeSent {
			return fmt.Errorf("kintone: commit: the connection failed after the bulkRequest was sent; it may or may not have been applied: %w", err)
		}
		return fmt.Errorf("kintone: commit: nothing was applied: %w", err)
	}
	return nil
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
