package txqueue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/internal/batch"
	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/rest"
)

// The driver's tests (tx_state_test.go, tx_test.go) run these rules
// through database/sql against the emulator; these run the queue alone,
// with a Getter that answers from a table of committed records.

// committed is a Getter: the committed records of each app, by $id, with
// their revision and their key field's value. It answers every lookup
// with all the records of the app, as a query matching them all would.
type committed struct {
	apps  map[int64][]stored
	gets  int
	query []string
}

type stored struct {
	id, rev int64
	code    string // the value of the key field "code"
}

func (c *committed) GetRecords(_ context.Context, req rest.GetRecordsRequest) (*rest.RecordsPage, error) {
	c.gets++
	c.query = append(c.query, req.Query)
	page := &rest.RecordsPage{}
	for _, s := range c.apps[req.App] {
		r := rest.Record{
			{Code: "$id", Type: field.ID, Value: json.RawMessage(fmt.Sprintf(`"%d"`, s.id))},
			{Code: "$revision", Type: field.Revision, Value: json.RawMessage(fmt.Sprintf(`"%d"`, s.rev))},
		}
		if len(req.Fields) > 2 {
			r = append(r, rest.Field{Code: req.Fields[2], Type: field.SingleLineText, Value: json.RawMessage(fmt.Sprintf("%q", s.code))})
		}
		page.Records = append(page.Records, r)
	}
	return page, nil
}

// rows returns n items numbered from row 1, each naming a record by $id
// from id on (none when id is 0) and writing field f.
func rows(n int, id int64, f string) []batch.Item {
	out := make([]batch.Item, n)
	for i := range out {
		out[i] = batch.Item{Row: int64(i + 1), Record: rest.Values{f: json.RawMessage(`"x"`)}}
		if id > 0 {
			out[i].ID = id + int64(i)
		}
	}
	return out
}

func TestAddFillsTheLastPostAndCountsStatements(t *testing.T) {
	var q Queue
	get := &committed{}
	ctx := context.Background()
	if n, err := q.Add(ctx, get, &Write{Op: batch.Add, App: 1}, rows(150, 0, "a")); err != nil || n != 150 {
		t.Fatalf("got %d, %v", n, err)
	}
	if n, err := q.Add(ctx, get, &Write{Op: batch.Add, App: 1}, rows(30, 0, "a")); err != nil || n != 30 {
		t.Fatalf("got %d, %v", n, err)
	}
	reqs := q.Requests()
	if len(reqs) != 2 || len(reqs[0].Items) != 100 || len(reqs[1].Items) != 80 || q.Statements() != 2 {
		t.Fatalf("%d requests, %d statements", len(reqs), q.Statements())
	}
	if s := reqs[1].Stmts; s[49] != 1 || s[50] != 2 || s[79] != 2 {
		t.Errorf("statements of the second request: %v", s)
	}
	bulk, n := q.Bulk()
	if len(bulk) != 2 || n != 180 {
		t.Errorf("Bulk: %d requests, %d rows", len(bulk), n)
	}
	if get.gets != 0 {
		t.Errorf("%d lookups for INSERTs", get.gets)
	}
	// A statement of no rows queues nothing and counts as none.
	if n, err := q.Add(ctx, get, &Write{Op: batch.Add, App: 1}, nil); err != nil || n != 0 || q.Statements() != 2 {
		t.Errorf("got %d, %v, %d statements", n, err, q.Statements())
	}
}

func TestAddByIDSkipsMissingRecordsAndSendsTheRevisionTheyWillHave(t *testing.T) {
	var q Queue
	get := &committed{apps: map[int64][]stored{2: {{id: 5, rev: 3}}}}
	ctx := context.Background()
	w := &Write{Op: batch.Update, App: 2, ByID: true}
	// Records 5 and 6: 6 does not exist, so the UPDATE affects one row.
	if n, err := q.Add(ctx, get, w, rows(2, 5, "a")); err != nil || n != 1 {
		t.Fatalf("got %d, %v", n, err)
	}
	if get.gets != 1 || !strings.Contains(get.query[0], "$id in (5, 6)") {
		t.Errorf("lookups: %q", get.query)
	}
	// Record 5 is known now: no more GETs. The revision given must be
	// the one it will have: 3 committed plus 1 queued PUT.
	items := rows(1, 5, "b")
	items[0].Revision = 4
	if n, err := q.Add(ctx, get, w, items); err != nil || n != 1 {
		t.Fatalf("got %d, %v", n, err)
	}
	items[0].Revision = 4
	_, err := q.Add(ctx, get, w, items)
	if err == nil || !strings.Contains(err.Error(), "will have revision 5 (3 committed, plus 2 updates queued before the statement), not 4") {
		t.Errorf("got %v", err)
	}
	if get.gets != 1 || q.Statements() != 2 {
		t.Errorf("%d GETs, %d statements", get.gets, q.Statements())
	}
	// A DELETE of it, then an UPDATE: 0 rows, as outside.
	if n, err := q.Add(ctx, get, &Write{Op: batch.Delete, App: 2, ByID: true}, rows(1, 5, "a")); err != nil || n != 1 {
		t.Fatalf("got %d, %v", n, err)
	}
	if n, err := q.Add(ctx, get, w, rows(1, 5, "a")); err != nil || n != 0 {
		t.Errorf("got %d, %v", n, err)
	}
}

func TestAddRefusesReadsOfQueuedWrites(t *testing.T) {
	ctx := context.Background()
	get := &committed{apps: map[int64][]stored{1: {{id: 1, rev: 1, code: "A"}}}}
	var q Queue
	if _, err := q.Add(ctx, get, &Write{Op: batch.Update, App: 1}, rows(1, 1, "price")); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		w    *Write
		want string
	}{
		{&Write{Op: batch.Update, App: 1, Reads: Reads{Fields: []string{"price"}}}, "it reads price (in its WHERE, ORDER BY, SET or SELECT), which statement 1"},
		{&Write{Op: batch.Delete, App: 1, Reads: Reads{Volatile: true}}, "Kintone changes when statement 1"},
		{&Write{Op: batch.Add, App: 2, Sources: []int64{1}, Reads: Reads{Fields: []string{"price"}}}, "which statement 1 of the transaction updates"},
	} {
		_, err := q.Add(ctx, get, tc.w, rows(1, 1, "label"))
		if !errors.Is(err, ErrQueuedWrite) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want ErrQueuedWrite saying %q", tc.w, err, tc.want)
		}
	}
	if q.Statements() != 1 {
		t.Errorf("%d statements queued", q.Statements())
	}
	// An upsert of a key no record has adds a record to app 1: a later
	// read of app 1 would miss it. The lookup happens then, once.
	var u Queue
	up := &Write{Op: batch.Upsert, App: 1, KeyField: "code", Columns: []string{"code", "label"}}
	items := rows(1, 0, "label")
	items[0].Key = rest.UpdateKey{Field: "code", Value: "B"}
	gets := get.gets
	if _, err := u.Add(ctx, get, up, items); err != nil || get.gets != gets {
		t.Fatalf("%v, %d lookups for an upsert", err, get.gets-gets)
	}
	_, err := u.Add(ctx, get, &Write{Op: batch.Delete, App: 1}, rows(1, 1, "a"))
	if !errors.Is(err, ErrQueuedWrite) || !strings.Contains(err.Error(), "its WHERE reads app 1, to which statement 1 of the transaction adds records") {
		t.Errorf("got %v", err)
	}
	if get.gets != gets+1 {
		t.Errorf("%d lookups, want 1", get.gets-gets)
	}
}

func TestAddRefusesWhatDoesNotFitOneBulkRequest(t *testing.T) {
	var q Queue
	ctx := context.Background()
	if _, err := q.Add(ctx, &committed{}, &Write{Op: batch.Add, App: 1}, rows(batch.MaxRecords-50, 0, "a")); err != nil {
		t.Fatal(err)
	}
	_, err := q.Add(ctx, &committed{}, &Write{Op: batch.Add, App: 2}, rows(51, 0, "a"))
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "writes 51 rows and 20 requests are queued") {
		t.Errorf("got %v", err)
	}
	if err := q.TooLarge(2001, true); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "writes more than 2000 rows") {
		t.Errorf("got %v", err)
	}
	if q.Statements() != 1 || len(q.Requests()) != 20 {
		t.Errorf("%d statements, %d requests", q.Statements(), len(q.Requests()))
	}
}
