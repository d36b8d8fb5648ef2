package batch

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/kintone-sql/kintone/internal/errmsg"
	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/internal/rest"
)

// Writer sends the items of one statement in batches of MaxRecords,
// keeping count of what was committed.
type Writer struct {
	// Client sends the requests.
	Client *rest.Client
	// Op is what the statement does to its records.
	Op Op
	// App is the app written.
	App int64
	// ByID reports that the items name existing records by $id. Kintone
	// refuses a whole request when one of them does not exist
	// (GAIA_RE01); SQL skips a row that is not there, so the batch is sent
	// again with the records that exist.
	ByID bool
	// ByKey reports that the one item names its record by update key; no
	// match (GAIA_RE20) writes nothing, as SQL's UPDATE of no row.
	ByKey bool

	pending []Item
	batch   int   // batches sent
	done    int64 // rows committed
	firstID int64 // the first $id added, 0 when none
}

// Add queues an item, sending a full batch.
func (w *Writer) Add(ctx context.Context, it Item) error {
	w.pending = append(w.pending, it)
	if len(w.pending) >= MaxRecords {
		return w.Flush(ctx)
	}
	return nil
}

// Flush sends the queued items as one batch.
func (w *Writer) Flush(ctx context.Context) error {
	if len(w.pending) == 0 {
		return nil
	}
	items := w.pending
	w.pending = nil
	reqs := Split(w.Op, w.App, items)
	b, err := encodeBatch(w.Client, reqs)
	if err != nil {
		w.batch++
		return w.fail(err, reqs, items)
	}
	return w.sendBatch(ctx, items, b)
}

// WriteAll sends items, all known beforehand, in batches: while one batch
// is on its way, the next one's body is built, so that the time spent
// encoding hides behind the network's. Batches are still sent one at a
// time, in order: a failure leaves the rows before it committed and none
// after it (PartialWriteError).
func (w *Writer) WriteAll(ctx context.Context, items []Item) error {
	type encoded struct {
		items []Item
		b     *encodedBatch
		err   error
	}
	encode := func(items []Item) encoded {
		b, err := encodeBatch(w.Client, Split(w.Op, w.App, items))
		return encoded{items, b, err}
	}
	cut := func() []Item {
		n := min(len(items), MaxRecords)
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
			go func(batch []Item) { next <- encode(batch) }(cut())
		}
		var err error
		if cur.err != nil {
			w.batch++
			err = w.fail(cur.err, Split(w.Op, w.App, cur.items), cur.items)
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
func (w *Writer) sendBatch(ctx context.Context, items []Item, b *encodedBatch) error {
	w.batch++
	reqs := b.reqs
	ids, err := b.send(ctx, w.Client)
	if err != nil && !rest.MayHaveApplied(err) {
		switch {
		case w.ByID && hasCode(err, "GAIA_RE01"):
			kept, ferr := w.existing(ctx, items)
			if ferr != nil {
				return w.fail(fmt.Errorf("%w (and finding which records exist failed: %w)", err, errmsg.Inner(ferr)), reqs, items)
			}
			if len(kept) == 0 {
				return nil
			}
			items = kept
			reqs = Split(w.Op, w.App, items)
			ids, err = send(ctx, w.Client, reqs)
		case w.ByKey && hasCode(err, "GAIA_RE20"):
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

// fail returns the Failure of a batch, reqs being items as sent (or about
// to be).
func (w *Writer) fail(err error, reqs []*Request, items []Item) error {
	return &Failure{Committed: w.done, Batch: w.batch, FirstRow: items[0].Row,
		LastRow: items[len(items)-1].Row, Unknown: rest.MayHaveApplied(err), Requests: reqs, Err: err}
}

// Stopped returns the Failure of a write whose rows could not be read or
// converted, err, the next row being nextRow: nothing more is sent. It
// returns err as it is when nothing was written.
func (w *Writer) Stopped(err error, nextRow int64) error {
	if w.done == 0 {
		return err
	}
	if len(w.pending) > 0 {
		nextRow = w.pending[0].Row
	}
	return &Failure{Committed: w.done, Batch: w.batch + 1, FirstRow: nextRow, Err: err}
}

// Done is the number of rows committed.
func (w *Writer) Done() int64 { return w.done }

// FirstID is the first $id added, 0 when none.
func (w *Writer) FirstID() int64 { return w.firstID }

// existing returns the items whose records exist, reading their $id
// (one GET per 500 ids).
func (w *Writer) existing(ctx context.Context, items []Item) ([]Item, error) {
	found := map[int64]bool{}
	for start := 0; start < len(items); start += maxIDsPerGet {
		chunk := items[start:min(start+maxIDsPerGet, len(items))]
		values := make([]kql.Value, len(chunk))
		for i, it := range chunk {
			values[i] = kql.Value{Kind: kql.Number, Text: fmt.Sprint(it.ID)}
		}
		limit := int64(maxIDsPerGet)
		q := &kql.Query{Where: &kql.Cond{Field: "$id", Op: field.In, Values: values}, Limit: &limit}
		page, err := w.Client.GetRecords(ctx, rest.GetRecordsRequest{App: w.App, Query: q.String(), Fields: []string{"$id"}})
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
	return slices.DeleteFunc(slices.Clone(items), func(it Item) bool { return !found[it.ID] }), nil
}

// maxIDsPerGet is the most $ids one GET asks for: a page of records.json.
const maxIDsPerGet = 500

// hasCode reports whether err carries Kintone's error code.
func hasCode(err error, code string) bool {
	var ae *rest.APIError
	return errors.As(err, &ae) && ae.Code == code
}
