package batch

import (
	"github.com/kintone-sql/kintone/internal/rest"
)

// Op is what a request does to its records.
type Op int

// The operations.
const (
	Add    Op = iota // POST records.json
	Update           // PUT records.json
	Upsert           // PUT records.json with upsert: true
	Delete           // DELETE records.json
)

// MaxRecords is the most records one batch writes: a bulkRequest of 20
// requests of 100 records.
const MaxRecords = rest.MaxBulkRequests * rest.MaxRecordsPerWrite

// Item is one record a write adds, updates or deletes.
type Item struct {
	// Row is the 1-based row of the statement, which errors name.
	Row int64
	// ID is the record's $id; 0 for a record being added or named by Key.
	ID int64
	// Revision, when positive, is the revision the record must still
	// have: Kintone refuses the write with GAIA_CO02 otherwise.
	Revision int64
	// Key names the record by a unique field (an update by key, or an
	// upsert); its Field is "" otherwise.
	Key rest.UpdateKey
	// Record holds the fields to write; nil for a DELETE. Items may share
	// it: it is not modified.
	Record rest.Values
}

// Request is one write request: at most rest.MaxRecordsPerWrite records
// of one app.
type Request struct {
	// Op is what the request does.
	Op Op
	// App is the app written.
	App int64
	// Items are the request's records, in order.
	Items []Item
	// Stmts is, in a transaction, the statement of each item; nil
	// otherwise.
	Stmts []int
}

// Split cuts items into requests of at most rest.MaxRecordsPerWrite.
func Split(op Op, app int64, items []Item) []*Request {
	var out []*Request
	for len(items) > 0 {
		n := min(len(items), rest.MaxRecordsPerWrite)
		out = append(out, &Request{Op: op, App: app, Items: items[:n:n]})
		items = items[n:]
	}
	return out
}

// updates returns the records of a PUT.
func (r *Request) updates() rest.UpdateRecordsRequest {
	u := rest.UpdateRecordsRequest{App: r.App, Upsert: r.Op == Upsert, Records: make([]rest.RecordUpdate, len(r.Items))}
	for i, it := range r.Items {
		ru := rest.RecordUpdate{ID: it.ID, Record: it.Record, Revision: it.Revision}
		if it.Key.Field != "" {
			ru.UpdateKey = &rest.UpdateKey{Field: it.Key.Field, Value: it.Key.Value}
		}
		u.Records[i] = ru
	}
	return u
}

// values returns the records of a POST.
func (r *Request) values() []rest.Values {
	out := make([]rest.Values, len(r.Items))
	for i, it := range r.Items {
		out[i] = it.Record
	}
	return out
}

// deletion returns the ids of a DELETE and their revisions (nil when no
// revision is checked).
func (r *Request) deletion() (ids, revisions []int64) {
	ids = make([]int64, len(r.Items))
	for i, it := range r.Items {
		ids[i] = it.ID
		if it.Revision > 0 {
			if revisions == nil {
				revisions = make([]int64, len(r.Items))
			}
			revisions[i] = it.Revision
		}
	}
	return ids, revisions
}

// Bulk returns the request as a request of a bulkRequest.
func (r *Request) Bulk() rest.BulkRequest {
	switch r.Op {
	case Add:
		return rest.BulkAddRecords(r.App, r.values())
	case Delete:
		ids, revs := r.deletion()
		return rest.BulkDeleteRecords(r.App, ids, revs)
	}
	return rest.BulkUpdateRecords(r.updates())
}
