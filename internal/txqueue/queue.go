// Package txqueue is a transaction's queue of writes: the requests of the
// one bulkRequest that Commit sends, and what the transaction knows of
// the existing records they touch.
//
// It takes each write statement of the transaction as plain data (a
// Write: the operation, the app, what finding the records reads) with its
// items (batch.Item), and a Getter to look committed records up through
// REST (the driver's client; the queue holds none). It gives the rows the
// statement affects, as outside a transaction, or refuses the statement
// before anything is queued: ErrQueuedWrite when its outcome depends on a
// write queued before it, ErrTooLarge when the queue would not fit in one
// bulkRequest. Commit sends Bulk; Requests are what a failed Commit's
// messages name (batch.Locate). It knows nothing of SQL.
package txqueue

import (
	"context"
	"errors"
	"fmt"

	"github.com/kintone-sql/kintone/internal/batch"
	"github.com/kintone-sql/kintone/internal/rest"
)

// ErrTooLarge is returned by a write that would make the transaction
// larger than one bulkRequest: 20 requests of at most 100 records each.
// Nothing was queued.
var ErrTooLarge = errors.New("kintone: the transaction would not fit in one bulkRequest")

// Queue is the writes a transaction queued for its Commit. The zero
// value is an empty queue.
type Queue struct {
	reqs  []*batch.Request
	stmts int   // statements queued
	state state // the existing records the queue touches (admit.go)
}

// Write is a write statement, as the queue needs to know it.
type Write struct {
	// Op is what the statement does to its records.
	Op batch.Op
	// App is the app written.
	App int64
	// ByID reports that the items name existing records by $id.
	ByID bool
	// ByKey reports that the one item names its record by unique key.
	ByKey bool
	// KeyField is the unique field of an upsert; Columns are the fields
	// it writes (the key may be among them).
	KeyField string
	Columns  []string
	// KeyNumber reports that the unique field naming the records (of an
	// upsert or an UPDATE by key) is a NUMBER: "11" and "11.0" are one
	// key.
	KeyNumber bool
	// Sources are, for INSERT ... SELECT, the apps its SELECT reads
	// (several for a join, a subquery or a set operation); nil otherwise.
	Sources []int64
	// Reads is what finding the records reads: the WHERE, ORDER BY and SET
	// values of an UPDATE or DELETE, the SELECT of an INSERT ... SELECT.
	Reads Reads
}

// Reads is what a statement's read of committed records reads.
type Reads struct {
	// Fields are the field codes read, $id and $revision left out.
	Fields []string
	// Volatile reports a field Kintone changes on every update of a
	// record: $revision, the updated time, the modifier, a CALC field.
	Volatile bool
	// Limited reports a LIMIT: which records the statement writes then
	// depends on which others match.
	Limited bool
}

// Add checks a statement's items against the writes queued before it,
// looking committed records up through get when it must, and queues
// those it writes: the last queued POST of the same app is filled before
// requests are added. It returns the rows the statement affects. On error
// nothing was queued and the queue goes on without the statement.
func (q *Queue) Add(ctx context.Context, get Getter, w *Write, items []batch.Item) (int64, error) {
	// Checked even when the read found nothing: outside the transaction
	// it might have found a record an earlier statement changes.
	a, err := q.admit(ctx, get, w, items)
	if err != nil {
		return 0, err
	}
	items = a.items
	if len(items) == 0 {
		return 0, nil
	}
	stmt := q.stmts + 1

	// Fill the last queued POST of the same app before adding requests.
	var tail *batch.Request
	fill := 0
	if n := len(q.reqs); n > 0 && w.Op == batch.Add {
		if last := q.reqs[n-1]; last.Op == batch.Add && last.App == w.App {
			tail, fill = last, min(rest.MaxRecordsPerWrite-len(last.Items), len(items))
		}
	}
	reqs := batch.Split(w.Op, w.App, items[fill:])
	if len(q.reqs)+len(reqs) > rest.MaxBulkRequests {
		return 0, q.TooLarge(len(items), false)
	}
	if fill > 0 {
		tail.Items = append(tail.Items, items[:fill]...)
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
	q.reqs = append(q.reqs, reqs...)
	q.stmts = stmt
	q.apply(w, stmt, a)
	return int64(len(items)), nil
}

// TooLarge is the error of a statement of rows rows that does not fit
// the queue; more reports that the statement has more than rows-1 rows,
// its read having stopped there.
func (q *Queue) TooLarge(rows int, more bool) error {
	n := fmt.Sprint(rows)
	if more {
		n = "more than " + fmt.Sprint(rows-1)
	}
	return fmt.Errorf("%w: the statement writes %s rows and %d requests are queued; Kintone applies at most %d requests of %d records at once. "+
		"Nothing was sent and the transaction goes on without the statement: commit first, or write large batches outside a transaction",
		ErrTooLarge, n, len(q.reqs), rest.MaxBulkRequests, rest.MaxRecordsPerWrite)
}

// Bulk returns the queued requests as one bulkRequest, and the number of
// rows they write.
func (q *Queue) Bulk() (bulk []rest.BulkRequest, rows int) {
	bulk = make([]rest.BulkRequest, len(q.reqs))
	for i, r := range q.reqs {
		bulk[i] = r.Bulk()
		rows += len(r.Items)
	}
	return bulk, rows
}

// Requests are the queued requests, in order, each item with its
// statement (Request.Stmts).
func (q *Queue) Requests() []*batch.Request { return q.reqs }

// Statements is the number of statements queued.
func (q *Queue) Statements() int { return q.stmts }
