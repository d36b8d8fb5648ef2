package batch

import (
	"context"
	"errors"
	"fmt"
	"io"
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

	batch   int   // batches sent
	done    int64 // rows committed
	firstID int64 // the first $id added, 0 when none
}

// Write sends the items next yields (io.EOF itself after the last) in
// batches of MaxRecords, and returns once every batch it sent is
// answered.
//
// While one batch is on its way, next is called for the items of the
// following one, which is then encoded, so that reading the rows (the
// GETs of an INSERT ... SELECT, an UPDATE or DELETE by condition) and
// building the body hide behind the network. The read-ahead is bounded:
// at most one batch is held beside the one on its way (once it is full,
// next is not called again until the batch on its way is answered), so
// Write keeps no more than 2 × MaxRecords items, besides what next reads
// ahead itself.
//
// Batches are still sent one at a time, in order, each once the one
// before it was acknowledged: a batch that fails leaves the rows before
// it committed and none after it, and the error is a *Failure. An error
// of next (a read that fails, a row that cannot be made an item), or an
// item that cannot be encoded, is reported only once the batch on its way
// is answered, and as the write that sends each batch before reading the
// next would report it: that batch's own *Failure if it failed; otherwise
// a *Failure naming the batch that was being prepared (LastRow 0 when
// next failed), or next's error as it is when nothing was committed.
// Once the batch on its way has failed, next is not called again: the
// rows read ahead are dropped.
//
// A context that ends stops the batch on its way (its *Failure says
// whether it may have been applied) and, if next reads with the same
// context, the reading.
func (w *Writer) Write(ctx context.Context, next func() (Item, error)) error {
	var inflight chan error // the answer of the batch on its way; nil when none
	wait := func() error {
		if inflight == nil {
			return nil
		}
		err := <-inflight
		inflight = nil
		return err
	}
	defer func() { _ = wait() }() // no request outlives Write, even on a panic of next
	var pending []Item
	var last int64 // the row of the last item read
	for {
		it, err := next()
		end := err == io.EOF // itself: an error wrapping it (a connection closed mid-read) is a failure
		if err != nil && !end {
			if ferr := wait(); ferr != nil {
				return ferr
			}
			return w.stopped(err, pending, last+1)
		}
		if !end {
			last = it.Row
			pending = append(pending, it)
			if len(pending) < MaxRecords {
				if inflight != nil {
					select {
					case err := <-inflight: // answered: stop at once if it failed
						inflight = nil
						if err != nil {
							return err
						}
					default:
					}
				}
				continue
			}
		}
		if len(pending) > 0 {
			items := pending
			pending = nil // the batch's items are the sender's from here on
			reqs := Split(w.Op, w.App, items)
			b, encErr := encodeBatch(w.Client, reqs)
			if err := wait(); err != nil {
				return err
			}
			if encErr != nil {
				w.batch++
				return w.fail(encErr, reqs, items)
			}
			answer := make(chan error, 1)
			inflight = answer
			go func() { answer <- w.sendBatch(ctx, items, b) }()
		}
		if end {
			return wait()
		}
	}
}

// WriteAll is Write of items, all known beforehand.
func (w *Writer) WriteAll(ctx context.Context, items []Item) error {
	return w.Write(ctx, func() (Item, error) {
		if len(items) == 0 {
			return Item{}, io.EOF
		}
		it := items[0]
		items = items[1:]
		return it, nil
	})
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

// stopped returns the Failure of a write whose items could not all be
// read, err, the items read since the last batch sent being pending and
// the next row nextRow: nothing more is sent. It returns err as it is
// when nothing was written.
func (w *Writer) stopped(err error, pending []Item, nextRow int64) error {
	if w.done == 0 {
		return err
	}
	if len(pending) > 0 {
		nextRow = pending[0].Row
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
