package txqueue

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/kintone-sql/kintone/internal/batch"
	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/internal/rest"
	"github.com/kintone-sql/kintone/internal/scan"
)

// This file makes each statement of a transaction do what it would do
// outside the transaction, or refuses it at Exec. Kintone applies the
// transaction's bulkRequest in order, checking each revision sent against
// the record as the requests before it left it (each PUT adds 1), and
// fails the whole of it when one request names a record that does not
// exist then (GAIA_RE01, GAIA_RE20). The statements' reads see committed
// data only. So the transaction keeps, for the existing records its queued
// writes touch, how many PUTs are queued on each, which are deleted, and
// which fields the PUTs set, and checks every UPDATE and DELETE against
// that at Exec:
//
//   - by $id: the ids are looked up (one GET per 500 ids not seen before
//     in the transaction); an id with no record, or whose record an
//     earlier statement deletes, is skipped (0 rows, as outside).
//   - by unique key: the key is looked up (one GET, none when an earlier
//     statement of the transaction adds or upserts that key); no record,
//     or one an earlier statement deletes, is 0 rows.
//   - with a read: records an earlier statement deletes are skipped.
//   - a revision read is sent as the record will have it at that point:
//     the committed one plus the PUTs queued on it before. One given ($id
//     = n AND $revision = r) must be that one, as outside; any other is
//     refused at Exec rather than failing the Commit with GAIA_CO02.
//   - a statement whose WHERE, ORDER BY or SET values read a field that
//     an earlier statement updates on an existing record of the app (or
//     a field Kintone changes on every update, or whose LIMIT would pick
//     other records for one deleted before), a statement whose read
//     finds records of an app to which an earlier statement adds records
//     (INSERT, upsert), and an INSERT ... SELECT reading such a field or
//     such an app, or an app whose records an earlier statement deletes,
//     are refused with ErrQueuedWrite: the read cannot see the queued
//     value or record.
//
// Upserts (INSERT ... ON DUPLICATE KEY UPDATE) cost nothing at Exec: the
// records they update are looked up only when a later UPDATE or DELETE of
// the same app needs to know (one GET per 500 keys).

// ErrQueuedWrite is returned by a statement of a transaction whose
// outcome depends on a write queued by an earlier statement of the
// transaction, which the statement's read cannot see (reads in a
// transaction see committed data). Nothing was queued; the transaction
// goes on without the statement.
var ErrQueuedWrite = errors.New("kintone: the statement depends on a write queued earlier in the transaction")

// recordRef names a record of an app.
type recordRef struct{ app, id int64 }

// state is what a transaction knows of the existing records its queued
// writes touch.
type state struct {
	known   map[recordRef]int64 // committed revision of records looked up or read
	puts    map[recordRef]int64 // PUTs queued on existing records
	deleted map[recordRef]bool  // existing records a queued DELETE removes
	// written maps an app to the fields queued PUTs set on its existing
	// records, each with the first statement that sets it; updated
	// holds the apps with such a PUT.
	written map[int64]map[string]int
	updated map[int64]int
	removed map[int64]int // apps with deleted records: the first statement deleting
	added   map[int64]int // apps a queued INSERT adds records to: the first such statement
	keyed   []*keyWrite   // upserts and updates by key, in statement order
}

// keyWrite is a queued statement that names records by a unique field:
// an upsert, or an UPDATE by key. ids maps each key (normalized) to the
// committed record it names, 0 for none (an upsert then adds a record);
// nil until looked up.
type keyWrite struct {
	stmt    int
	upsert  bool // an upsert, which adds a record for a key none has
	app     int64
	field   string
	number  bool
	values  []string
	columns []string // the fields written, the key aside for an upsert
	ids     map[string]int64
}

// keyNorm is the form of a key value that equal keys share.
func keyNorm(number bool, v string) string {
	if number {
		if c, ok := field.NormalizeNumber(v); ok {
			return c
		}
	}
	return v
}

func (s *state) init() {
	if s.known == nil {
		s.known, s.puts, s.deleted = map[recordRef]int64{}, map[recordRef]int64{}, map[recordRef]bool{}
		s.written, s.updated, s.removed = map[int64]map[string]int{}, map[int64]int{}, map[int64]int{}
		s.added = map[int64]int{}
	}
}

// admitted is a statement's items as the transaction will queue them,
// with what queuing them changes in the state.
type admitted struct {
	items   []batch.Item
	targets []int64   // the existing record of each item, 0 when none or unknown
	keyed   *keyWrite // an upsert or an UPDATE by key on no known record
}

// admit checks a statement's items against the writes queued before it
// (see the file comment). It may read Kintone (lookups), and records what
// it learns of committed data; the state of the queue changes only in
// apply, once the statement is queued.
func (q *Queue) admit(ctx context.Context, get Getter, w *Write, items []batch.Item) (*admitted, error) {
	s := &q.state
	s.init()
	stmt := q.stmts + 1
	for _, app := range w.Sources {
		// INSERT ... SELECT: the SELECT must not need a queued value. The
		// fields read are checked against each app read (a join's: a
		// field of one app that another writes counts too, which errs
		// on the safe side).
		if err := q.resolveKeyed(ctx, get, app); err != nil {
			return nil, err
		}
		if err := s.checkReads(app, w.Reads); err != nil {
			return nil, err
		}
		if n, ok := s.removed[app]; ok {
			return nil, queuedWriteError(fmt.Sprintf("its SELECT reads app %d, whose records statement %d of the transaction deletes", app, n))
		}
		if err := s.checkAdded(app, "its SELECT"); err != nil {
			return nil, err
		}
	}
	switch w.Op {
	case batch.Add:
		return &admitted{items: items, targets: make([]int64, len(items))}, nil
	case batch.Upsert:
		kw := &keyWrite{stmt: stmt, upsert: true, app: w.App, field: w.KeyField, number: w.KeyNumber}
		for _, c := range w.Columns {
			if c != w.KeyField {
				kw.columns = append(kw.columns, c)
			}
		}
		for _, it := range items {
			kw.values = append(kw.values, it.Key.Value)
		}
		return &admitted{items: items, targets: make([]int64, len(items)), keyed: kw}, nil
	}
	// UPDATE and DELETE: what the upserts and updates by key queued
	// before touch must be known first.
	if err := q.resolveKeyed(ctx, get, w.App); err != nil {
		return nil, err
	}
	switch {
	case w.ByKey && len(items) == 1:
		return q.admitByKey(ctx, get, w, items[0])
	case w.ByID:
		return q.admitByID(ctx, get, w, items)
	}
	tg := w.Reads
	if err := s.checkReads(w.App, tg); err != nil {
		return nil, err
	}
	if err := s.checkAdded(w.App, "its WHERE"); err != nil {
		return nil, err
	}
	out := &admitted{}
	for _, it := range items {
		ref := recordRef{w.App, it.ID}
		if _, ok := s.known[ref]; !ok {
			s.known[ref] = it.Revision
		}
		if s.deleted[ref] {
			if tg.Limited {
				return nil, fmt.Errorf("%w: row %d: record %d of app %d, which the statement's LIMIT picks, is deleted by an earlier statement; "+
					"the statement's read sees committed data, so its LIMIT would not pick the records it picks outside the transaction. "+
					"Nothing was queued and the transaction goes on without the statement: commit first", ErrQueuedWrite, it.Row, it.ID, w.App)
			}
			continue // gone at that point: not found, as outside
		}
		it.Revision += s.puts[ref]
		out.items = append(out.items, it)
		out.targets = append(out.targets, it.ID)
	}
	return out, nil
}

// checkReads refuses a statement that reads a field queued PUTs change on
// existing records of app.
func (s *state) checkReads(app int64, tg Reads) error {
	for _, code := range tg.Fields {
		if n, ok := s.written[app][code]; ok {
			return queuedWriteError(fmt.Sprintf("it reads %s (in its WHERE, ORDER BY, SET or SELECT), which statement %d of the transaction updates", code, n))
		}
	}
	if n, ok := s.updated[app]; ok && tg.Volatile {
		return queuedWriteError(fmt.Sprintf("it reads $revision, the updated time, the modifier or a CALC field, which Kintone changes when statement %d of the transaction updates a record", n))
	}
	return nil
}

// checkAdded refuses a statement whose read (what names: its WHERE, its
// SELECT) finds records of app when an earlier statement queues records
// to add to app: outside the transaction the read would find them too (a
// DELETE ... ORDER BY $id DESC LIMIT 1 would delete the new record, not
// the newest committed one).
// The upserts of app must have been looked up (resolveKeyed): one adds a
// record only for a key that no committed record has.
func (s *state) checkAdded(app int64, what string) error {
	n, ok := s.added[app]
	for _, kw := range s.keyed {
		if kw.app != app || !kw.upsert || ok && kw.stmt >= n {
			continue
		}
		for _, v := range kw.values {
			if kw.ids[keyNorm(kw.number, v)] == 0 {
				n, ok = kw.stmt, true
				break
			}
		}
	}
	if ok {
		return queuedWriteError(fmt.Sprintf("%s reads app %d, to which statement %d of the transaction adds records", what, app, n))
	}
	return nil
}

// queuedWriteError is the refusal of a statement that would read a
// queued write.
func queuedWriteError(why string) error {
	return fmt.Errorf("%w: %s; the statement's read sees committed data, not the queued values. "+
		"Nothing was queued and the transaction goes on without the statement: commit first", ErrQueuedWrite, why)
}

// admitByID checks the items of an UPDATE or DELETE by $id: records that
// do not exist at that point of the transaction are skipped.
func (q *Queue) admitByID(ctx context.Context, get Getter, w *Write, items []batch.Item) (*admitted, error) {
	s := &q.state
	var unknown []int64
	for _, it := range items {
		ref := recordRef{w.App, it.ID}
		if _, ok := s.known[ref]; !ok && !s.deleted[ref] {
			unknown = append(unknown, it.ID)
		}
	}
	for start := 0; start < len(unknown); start += scan.MaxPageSize {
		chunk := unknown[start:min(start+scan.MaxPageSize, len(unknown))]
		values := make([]kql.Value, len(chunk))
		for i, id := range chunk {
			values[i] = kql.Value{Kind: kql.Number, Text: strconv.FormatInt(id, 10)}
		}
		recs, err := lookup(ctx, get, w.App, &kql.Cond{Field: "$id", Op: field.In, Values: values})
		if err != nil {
			return nil, err
		}
		for _, r := range recs {
			s.known[recordRef{w.App, r.id}] = r.rev
		}
	}
	out := &admitted{}
	for _, it := range items {
		ref := recordRef{w.App, it.ID}
		rev, ok := s.known[ref]
		if !ok || s.deleted[ref] {
			continue // no such record at that point: 0 rows, as outside
		}
		if want := rev + s.puts[ref]; it.Revision > 0 && it.Revision != want {
			// $id = n AND $revision = r: r is the revision the record
			// has at that point, as outside the transaction.
			queued := ""
			if n := s.puts[ref]; n > 0 {
				queued = fmt.Sprintf(" (%d committed, plus %d updates queued before the statement)", rev, n)
			}
			return nil, fmt.Errorf("kintone: row %d: record %d of app %d will have revision %d%s, not %d, when the statement's turn comes: "+
				"the write would fail at Commit (GAIA_CO02) and fail the whole transaction. "+
				"Nothing was queued and the transaction goes on without the statement", it.Row, it.ID, w.App, want, queued, it.Revision)
		}
		out.items = append(out.items, it)
		out.targets = append(out.targets, it.ID)
	}
	return out, nil
}

// admitByKey checks an UPDATE by unique key: 0 rows when no record has
// the key at that point of the transaction.
func (q *Queue) admitByKey(ctx context.Context, get Getter, w *Write, it batch.Item) (*admitted, error) {
	s := &q.state
	key := it.Key
	if n, ok := s.written[w.App][key.Field]; ok {
		return nil, queuedWriteError(fmt.Sprintf("it finds its record by %s, which statement %d of the transaction updates", key.Field, n))
	}
	norm := keyNorm(w.KeyNumber, key.Value)
	kw := &keyWrite{stmt: q.stmts + 1, app: w.App, field: key.Field, number: w.KeyNumber, values: []string{key.Value}, columns: recordFields(it.Record)}
	// An earlier statement that adds or upserts the key makes the record
	// exist, whether or not it did before.
	if q.addsKey(w.App, key.Field, w.KeyNumber, norm) {
		kw.ids = map[string]int64{norm: 0}
		for _, k := range s.keyed {
			if k.app == w.App && k.field == key.Field && k.ids[norm] > 0 && !s.deleted[recordRef{w.App, k.ids[norm]}] {
				kw.ids[norm] = k.ids[norm] // an upsert updated a committed record
			}
		}
		return &admitted{items: []batch.Item{it}, targets: []int64{kw.ids[norm]}, keyed: kw}, nil
	}
	recs, err := lookup(ctx, get, w.App, keyCond(key.Field, w.KeyNumber, []string{key.Value}), key.Field)
	if err != nil {
		return nil, err
	}
	for _, r := range recs {
		if r.key != norm {
			continue // Kintone's text = may fold case; the key matches exactly
		}
		ref := recordRef{w.App, r.id}
		s.known[ref] = r.rev
		if s.deleted[ref] {
			break
		}
		return &admitted{items: []batch.Item{it}, targets: []int64{r.id}}, nil
	}
	return &admitted{}, nil // no record has the key: 0 rows, as outside
}

// addsKey reports whether a queued POST or upsert of app writes the
// unique field code (a NUMBER when number) with the normalized value
// norm.
func (q *Queue) addsKey(app int64, code string, number bool, norm string) bool {
	for _, r := range q.reqs {
		if r.App != app || r.Op != batch.Add && r.Op != batch.Upsert {
			continue
		}
		for _, it := range r.Items {
			if it.Key.Field != "" && it.Key.Field == code && keyNorm(number, it.Key.Value) == norm {
				return true
			}
			var v string
			if raw, ok := it.Record[code]; ok && json.Unmarshal(raw, &v) == nil && keyNorm(number, v) == norm {
				return true
			}
		}
	}
	return false
}

// isNumberText reports whether v reads as a number, so that "11" and
// "11.0" written to a NUMBER key compare equal.
func isNumberText(v string) bool {
	_, ok := field.NormalizeNumber(v)
	return ok && v != ""
}

// recordFields lists the fields of a record to write.
func recordFields(r rest.Values) []string {
	out := make([]string, 0, len(r))
	for code := range r {
		out = append(out, code)
	}
	return out
}

// resolveKeyed looks up the committed records that the queued upserts
// and updates by key of app name, once: one GET per 500 keys.
func (q *Queue) resolveKeyed(ctx context.Context, get Getter, app int64) error {
	s := &q.state
	for _, kw := range s.keyed {
		if kw.app != app || kw.ids != nil {
			continue
		}
		if n, ok := s.written[app][kw.field]; ok && n < kw.stmt {
			return queuedWriteError(fmt.Sprintf("statement %d of the transaction names records by %s, which statement %d updates, so which records it writes is known only at Commit", kw.stmt, kw.field, n))
		}
		ids := map[string]int64{}
		for start := 0; start < len(kw.values); start += scan.MaxPageSize {
			chunk := kw.values[start:min(start+scan.MaxPageSize, len(kw.values))]
			recs, err := lookup(ctx, get, app, keyCond(kw.field, kw.number, chunk), kw.field)
			if err != nil {
				return err
			}
			for _, r := range recs {
				ids[r.key] = r.id
				ref := recordRef{app, r.id}
				if _, ok := s.known[ref]; !ok {
					s.known[ref] = r.rev
				}
			}
		}
		kw.ids = ids
		for _, v := range kw.values {
			if id := ids[keyNorm(kw.number, v)]; id > 0 {
				s.put(recordRef{app, id}, kw.stmt, kw.columns)
			}
		}
	}
	return nil
}

// put records a queued PUT of statement stmt setting fields on an
// existing record.
func (s *state) put(ref recordRef, stmt int, fields []string) {
	s.puts[ref]++
	if _, ok := s.updated[ref.app]; !ok {
		s.updated[ref.app] = stmt
	}
	w := s.written[ref.app]
	if w == nil {
		w = map[string]int{}
		s.written[ref.app] = w
	}
	for _, f := range fields {
		if _, ok := w[f]; !ok {
			w[f] = stmt
		}
	}
}

// apply records a queued statement's effect on existing records.
func (q *Queue) apply(w *Write, stmt int, a *admitted) {
	s := &q.state
	if _, ok := s.added[w.App]; !ok && w.Op == batch.Add {
		s.added[w.App] = stmt // an upsert's are known once it is looked up: checkAdded
	}
	if a.keyed != nil {
		s.keyed = append(s.keyed, a.keyed)
		if a.keyed.ids == nil {
			return // an upsert: looked up when needed
		}
	}
	for i, it := range a.items {
		id := a.targets[i]
		if id == 0 {
			continue // a record added, or updated after being added
		}
		ref := recordRef{w.App, id}
		switch w.Op {
		case batch.Delete:
			s.deleted[ref] = true
			if _, ok := s.removed[ref.app]; !ok {
				s.removed[ref.app] = stmt
			}
		case batch.Update:
			s.put(ref, stmt, recordFields(it.Record))
		}
	}
}
