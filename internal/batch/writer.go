package kintone

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/kintone-sql/kintone/internal/errmsg"
	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/internal/rest"
	"github.com/kintone-sql/kintone/translate"
)

// This file sends a write's records in the biggest batches Kintone
// allows: up to 100 records per POST, PUT or DELETE of records.json, and
// up to 20 such requests in one bulkRequest, which Kintone applies all or
// nothing. A batch is one HTTP request: records.json when it holds at most
// 100 records, a bulkRequest otherwise.

// writeOp is what a request does to its records.
type writeOp int

const (
	opAdd    writeOp = iota // POST records.json
	opUpdate                // PUT records.json
	opUpsert                // PUT records.json with upsert: true
	opDelete                // DELETE records.json
)

// batchRecords is the most records one batch writes: a bulkRequest of 20
// requests of 100 records.
const batchRecords = rest.MaxBulkRequests * rest.MaxRecordsPerWrite

// request is one write request: at most rest.MaxRecordsPerWrite records
// of one app.
type request struct {
	op    writeOp
	app   int64
	items []translate.WriteItem
	stmts []int // in a transaction, the statement of each item; nil otherwise
}

// split cuts items into requests of at most rest.MaxRecordsPerWrite.
func split(op writeOp, app int64, items []translate.WriteItem) []*request {
	var out []*request
	for len(items) > 0 {
		n := min(len(items), rest.MaxRecordsPerWrite)
		out = append(out, &request{op: op, app: app, items: items[:n:n]})
		items = items[n:]
	}
	return out
}

// updates returns the records of a PUT.
func (r *request) updates() rest.UpdateRecordsRequest {
	u := rest.UpdateRecordsRequest{App: r.app, Upsert: r.op == opUpsert, Records: make([]rest.RecordUpdate, len(r.items))}
	for i, it := range r.items {
		ru := rest.RecordUpdate{ID: it.ID, Record: rest.Values(it.Record), Revision: it.Revision}
		if it.Key != nil {
			ru.UpdateKey = &rest.UpdateKey{Field: it.Key.Field, Value: it.Key.Value}
		}
		u.Records[i] = ru
	}
	return u
}

// values returns the records of a POST.
func (r *request) values() []rest.Values {
	out := make([]rest.Values, len(r.items))
	for i, it := range r.items {
		out[i] = rest.Values(it.Record)
	}
	return out
}

// deletion returns the ids of a DELETE and their revisions (nil when no
// revision is checked).
func (r *request) deletion() (ids, revisions []int64) {
	ids = make([]int64, len(r.items))
	for i, it := range r.items {
		ids[i] = it.ID
		if it.Revision > 0 {
			if revisions == nil {
				revisions = make([]int64, len(r.items))
			}
			revisions[i] = it.Revision
		}
	}
	return ids, revisions
}

// bulk returns the request as a request of a bulkRequest.
func (r *request) bulk() rest.BulkRequest {
	switch r.op {
	case opAdd:
		return rest.BulkAddRecords(r.app, r.values())
	case opDelete:
		ids, revs := r.deletion()
		return rest.BulkDeleteRecords(r.app, ids, revs)
	}
	return rest.BulkUpdateRecords(r.updates())
}

// send writes reqs in one HTTP request and returns the ids of the records
// it added (POST, and upserts that inserted), in order.
func send(ctx context.Context, client *rest.Client, reqs []*request) ([]int64, error) {
	b, err := encodeBatch(client, reqs)
	if err != nil {
		return nil, err
	}
	return b.send(ctx, client)
}

// encodedBatch is a batch ready to send: a bulkRequest's body is built
// ahead (it is megabytes for 2,000 records), a single request's when it
// is sent.
type encodedBatch struct {
	reqs []*request
	bulk *rest.EncodedBulk // nil for a single request
}

// encodeBatch builds the body of reqs when they make a bulkRequest.
func encodeBatch(client *rest.Client, reqs []*request) (*encodedBatch, error) {
	if len(reqs) == 1 {
		return &encodedBatch{reqs: reqs}, nil
	}
	bulk := make([]rest.BulkRequest, len(reqs))
	for i, r := range reqs {
		bulk[i] = r.bulk()
	}
	eb, err := client.EncodeBulk(bulk)
	if err != nil {
		return nil, err // refused before sending: rest.ErrTooMany or rest.ErrNotEncoded
	}
	return &encodedBatch{reqs: reqs, bulk: eb}, nil
}

// send sends the batch; see the function send.
func (b *encodedBatch) send(ctx context.Context, client *rest.Client) ([]int64, error) {
	if b.bulk == nil {
		r := b.reqs[0]
		switch r.op {
		case opAdd:
			added, err := client.AddRecords(ctx, r.app, r.values())
			if err != nil {
				return nil, err
			}
			return added.IDs, nil
		case opDelete:
			ids, revs := r.deletion()
			return nil, client.DeleteRecords(ctx, r.app, ids, revs)
		}
		updated, err := client.UpdateRecords(ctx, r.updates())
		return insertedIDs(updated), err
	}
	results, err := client.SendBulk(ctx, b.bulk)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, res := range results {
		if res.Added != nil {
			ids = append(ids, res.Added.IDs...)
		}
		ids = append(ids, insertedIDs(res.Updated)...)
	}
	return ids, nil
}

// insertedIDs returns the ids of the records an upsert inserted.
func insertedIDs(updated []rest.UpdatedRecord) []int64 {
	var ids []int64
	for _, u := range updated {
		if u.Operation == "INSERT" {
			ids = append(ids, u.ID)
		}
	}
	return ids
}

// writer sends the items of one statement in batches of batchRecords,
// keeping count of what was committed.
type writer struct {
	client *rest.Client
	op     writeOp
	app    int64
	// byID: the items name existing records by $id. Kintone refuses a
	// whole request when one of them does not exist (GAIA_RE01); SQL
	// skips a row that is not there, so the batch is sent again with the
	// records that exist.
	byID bool
	// byKey: the one item names its record by update key; no match
	// (GAIA_RE20) writes nothing, as SQL's UPDATE of no row.
	byKey bool

	pending []translate.WriteItem
	batch   int   // batches sent
	done    int64 // rows committed
	firstID int64 // the first $id added, 0 when none
}

// add queues an item, sending a full batch.
func (w *writer) add(ctx context.Context, it translate.WriteItem) error {
	w.pending = append(w.pending, it)
	if len(w.pending) >= batchRecords {
		return w.flush(ctx)
	}
	return nil
}

// flush sends the queued items as one batch.
func (w *writer) flush(ctx context.Context) error {
	if len(w.pending) == 0 {
		return nil
	}
	items := w.pending
	w.pending = nil
	reqs := split(w.op, w.app, items)
	b, err := encodeBatch(w.client, reqs)
	if err != nil {
		w.batch++
		return w.fail(err, reqs, items)
	}
	return w.sendBatch(ctx, items, b)
}

// writeAll sends items, all known beforehand, in batches: while one batch
// is on its way, the next one's body is built, so that the time spent
// encoding hides behind the network's. Batches are still sent one at a
// time, in order: a failure leaves the rows before it committed and none
// after it (PartialWriteError).
func (w *writer) writeAll(ctx context.Context, items []translate.WriteItem) error {
	type encoded struct {
		items []translate.WriteItem
		b     *encodedBatch
		err   error
	}
	encode := func(items []translate.WriteItem) encoded {
		b, err := encodeBatch(w.client, split(w.op, w.app, items))
		return encoded{items, b, err}
	}
	cut := func() []translate.WriteItem {
		n := min(len(items), batchRecords)
		batch := items[:n:n]
		items = items[n:]
		return batch
	}
	if len(items) == 0 {
		return nil
	}
	cur := encode(cut())
	for {
		var next chan encoded
		if len(items) > 0 {
			next = make(chan encoded, 1)
			go func(batch []translate.WriteItem) { next <- encode(batch) }(cut())
		}
		var err error
		if cur.err != nil {
			w.batch++
			err = w.fail(cur.err, split(w.op, w.app, cur.items), cur.items)
		} else {
			err = w.sendBatch(ctx, cur.items, cur.b)
		}
		if next == nil {
			return err
		}
		following := <-next // wait, so that no goroutine outlives the write
		if err != nil {
			return err
		}
		cur = following
	}
}

// sendBatch sends one batch, b being items encoded, and counts what it
// committed.
func (w *writer) sendBatch(ctx context.Context, items []translate.WriteItem, b *encodedBatch) error {
	w.batch++
	reqs := b.reqs
	ids, err := b.send(ctx, w.client)
	if err != nil && !writeOutcome(err) {
		switch {
		case w.byID && hasCode(err, "GAIA_RE01"):
			kept, ferr := w.existing(ctx, items)
			if ferr != nil {
				return w.fail(fmt.Errorf("%w (and finding which records exist failed: %w)", err, errmsg.Inner(ferr)), reqs, items)
			}
			if len(kept) == 0 {
				return nil
			}
			items = kept
			reqs = split(w.op, w.app, items)
			ids, err = send(ctx, w.client, reqs)
		case w.byKey && hasCode(err, "GAIA_RE20"):
			return nil
		}
	}
	if err != nil {
		return w.fail(err, reqs, items)
	}
	w.done += int64(len(items))
	if w.firstID == 0 && len(ids) > 0 {
		w.firstID = ids[0]
	}
	return nil
}

// fail builds the error of a failed batch: Kintone's validation messages
// by row and column, inside a *PartialWriteError when rows were committed
// before it or the batch may have been applied.
func (w *writer) fail(err error, reqs []*request, items []translate.WriteItem) error {
	unknown := writeOutcome(err)
	err = rowError(err, reqs)
	if w.done == 0 && !unknown {
		return err // nothing was written
	}
	return &PartialWriteError{Committed: w.done, Batch: w.batch, FirstRow: items[0].Row,
		LastRow: items[len(items)-1].Row, Unknown: unknown, Err: err}
}

// stopped builds the error of a write whose rows could not be read or
// converted: nothing more is sent.
func (w *writer) stopped(err error, nextRow int64) error {
	if w.done == 0 {
		return err
	}
	if len(w.pending) > 0 {
		nextRow = w.pending[0].Row
	}
	return &PartialWriteError{Committed: w.done, Batch: w.batch + 1, FirstRow: nextRow, Err: err}
}

// existing returns the items whose records exist, reading their $id
// (one GET per 500 ids).
func (w *writer) existing(ctx context.Context, items []translate.WriteItem) ([]translate.WriteItem, error) {
	found := map[int64]bool{}
	for start := 0; start < len(items); start += translate.MaxPageSize {
		chunk := items[start:min(start+translate.MaxPageSize, len(items))]
		values := make([]kql.Value, len(chunk))
		for i, it := range chunk {
			values[i] = kql.Value{Kind: kql.Number, Text: fmt.Sprint(it.ID)}
		}
		limit := int64(translate.MaxPageSize)
		q := &kql.Query{Where: &kql.Cond{Field: "$id", Op: field.In, Values: values}, Limit: &limit}
		page, err := w.client.GetRecords(ctx, rest.GetRecordsRequest{App: w.app, Query: q.String(), Fields: []string{"$id"}})
		if err != nil {
			return nil, err
		}
		for _, r := range page.Records {
			id, err := r.ID()
			if err != nil {
				return nil, err
			}
			found[id] = true
		}
	}
	return slices.DeleteFunc(slices.Clone(items), func(it translate.WriteItem) bool { return !found[it.ID] }), nil
}

// hasCode reports whether err carries Kintone's error code.
func hasCode(err error, code string) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Code == code
}
