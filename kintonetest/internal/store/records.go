package store

import (
	"encoding/json"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
)

// Add adds records to the app's live form and returns their IDs and
// revisions (1), in request order.
//
// Each Input maps field codes to the raw JSON of the field's "value". Codes
// that are not fields of the live form, and read-only fields (record
// number, CALC, STATUS, STATUS_ASSIGNEE, CATEGORY), are ignored. Fields
// left out get their defaults (B.4). Creator, modifier and created/updated
// times may be sent only when actor.Admin (else GAIA_BF02).
//
// single selects the error-key prefix: "record." for record.json,
// "records[i]." for records.json. Validation messages of all records are
// collected into one CB_VA01; other errors (GAIA_AP01, GAIA_BF02, GAIA_BL01
// for an unknown file key) end the call at once.
func (tx *Tx) Add(app int64, recs []Input, single bool) ([]IDRev, error) {
	if err := tx.check(); err != nil {
		return nil, err
	}
	ta, err := tx.app(app)
	if err != nil {
		return nil, err
	}
	sp := tx.save(ta)
	c := tx.newCall(ta)
	out := make([]IDRev, 0, len(recs))
	for i, in := range recs {
		r, err := c.add(keyPrefix(i, single, false), in)
		if err != nil {
			tx.rollback(sp)
			return nil, err
		}
		out = append(out, IDRev{ID: r.ID, Revision: r.Revision})
	}
	if err := validationOrNil(c.errs); err != nil {
		tx.rollback(sp)
		return nil, err
	}
	return out, nil
}

// add builds and stores one new record.
func (c *callCtx) add(prefix string, in Input) (*Record, error) {
	id := c.ta.nextID
	c.ta.nextID++
	w := c.writer(prefix, id, nil)
	vals, sent := w.build(in)
	if w.fatal != nil {
		return nil, w.fatal
	}
	w.stampSystem(vals)
	w.computeCalcs(vals)
	w.check(vals, sent)
	w.claimUnique(vals, sent)
	r := &Record{ID: id, Revision: 1, Values: vals}
	c.tx.setRecord(c.ta, id, r)
	c.ta.added = append(c.ta.added, id)
	return r, nil
}

// Update updates records by ID or update key; with upsert, an item that
// matches nothing is inserted (with a new ID, the given one being ignored,
// REST-API.md §4.2) and its Operation is "INSERT" (else "UPDATE"; "" when
// not upserting).
//
// Fields not sent keep their values; the record's revision grows by one
// and its modifier and updated time are set. Errors, in the order checked:
//
//   - GAIA_AP01: unknown app;
//   - GAIA_RE09: the same ID twice in items;
//   - per item, in order: GAIA_IQ11 (update key field unknown), GAIA_IQ27
//     (not a unique SINGLE_LINE_TEXT or NUMBER field), GAIA_RE01 (no
//     record with the ID), GAIA_RE20 (no record with the key value),
//     GAIA_CO02 (revision mismatch), GAIA_UN10 (creator, modifier or
//     created/updated time sent), GAIA_BL01 (unknown file key);
//   - CB_VA01 with the messages of all items, keyed "record.<code>..."
//     (single) or "records[i].record.<code>..." (the parameter path of
//     PUT records.json).
func (tx *Tx) Update(app int64, items []UpdateItem, upsert, single bool) ([]UpdateResult, error) {
	if err := tx.check(); err != nil {
		return nil, err
	}
	ta, err := tx.app(app)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for _, it := range items {
		if it.Key == nil && it.ID != 0 {
			if seen[it.ID] {
				return nil, apierr.DuplicateRecordID(itoa(it.ID))
			}
			seen[it.ID] = true
		}
	}
	sp := tx.save(ta)
	c := tx.newCall(ta)
	out := make([]UpdateResult, 0, len(items))
	for i, it := range items {
		res, err := c.update(keyPrefix(i, single, true), it, upsert)
		if err != nil {
			tx.rollback(sp)
			return nil, err
		}
		out = append(out, res)
	}
	if err := validationOrNil(c.errs); err != nil {
		tx.rollback(sp)
		return nil, err
	}
	return out, nil
}

// update applies one update item.
func (c *callCtx) update(prefix string, it UpdateItem, upsert bool) (UpdateResult, error) {
	var old *Record
	in := it.Record
	if it.Key != nil {
		k, err := c.resolveKey(it.Key)
		if err != nil {
			return UpdateResult{}, err
		}
		if _, has := in[k.Field]; !has {
			// An inserted record takes the key's value (as sent, so that it
			// is validated like any other value).
			in = withField(in, k.Field, it.Key.Value)
		}
		if id := c.ta.uniqueOwner(k.Field, k.Value); id != 0 && k.Value != "" {
			old = c.ta.find(id)
		}
		if old == nil && !upsert {
			return UpdateResult{}, apierr.UpdateKeyNoMatch()
		}
	} else {
		old = c.ta.find(it.ID)
		if old == nil && !upsert {
			return UpdateResult{}, apierr.RecordNotFound(itoa(it.ID))
		}
	}
	if old == nil {
		r, err := c.add(prefix, in)
		if err != nil {
			return UpdateResult{}, err
		}
		return UpdateResult{ID: r.ID, Revision: r.Revision, Operation: "INSERT"}, nil
	}
	if it.Revision != -1 && it.Revision != old.Revision {
		return UpdateResult{}, apierr.RevisionConflict()
	}
	w := c.writer(prefix, old.ID, old)
	vals, sent := w.build(it.Record)
	if w.fatal == nil && w.files {
		w.fatal = sharedAttachment(vals)
	}
	if w.fatal != nil {
		return UpdateResult{}, w.fatal
	}
	w.stampSystem(vals)
	w.computeCalcs(vals)
	w.check(vals, sent)
	w.claimUnique(vals, sent)
	if w.files {
		for _, k := range lostFiles(old.Values, vals) {
			c.tx.dropFile(k)
		}
	}
	r := &Record{ID: old.ID, Revision: old.Revision + 1, Values: vals}
	c.tx.setRecord(c.ta, old.ID, r)
	c.ta.touchedOld = c.ta.touchedOld || old.ID < c.ta.base.nextID
	res := UpdateResult{ID: r.ID, Revision: r.Revision}
	if upsert {
		res.Operation = "UPDATE"
	}
	return res, nil
}

// resolveKey checks an update key (REST-API.md §4.1) and returns it with
// the value normalized as the field stores it. A NUMBER key that is not a
// number matches nothing.
func (c *callCtx) resolveKey(k *UpdateKey) (UpdateKey, error) {
	p := c.form.Fields[k.Field]
	if p == nil {
		return UpdateKey{}, apierr.QueryFieldNotFound(k.Field)
	}
	if (p.Type != field.SingleLineText && p.Type != field.Number) || !p.Unique {
		return UpdateKey{}, apierr.UpdateKeyNotUnique(k.Field)
	}
	v := k.Value
	if p.Type == field.Number && v != "" {
		if n, ok := field.NormalizeNumber(v); ok {
			v = n
		}
	}
	return UpdateKey{Field: k.Field, Value: v}, nil
}

// Delete deletes records; revisions is nil or parallel to ids, -1 meaning
// no check. The whole call fails on the first problem: GAIA_AP01 (unknown
// app), GAIA_RE09 (an ID twice), GAIA_RE01 (no such record; REST-API.md
// §4.2 marks this unconfirmed and by analogy with PUT), GAIA_CO02
// (revision mismatch). A deleted record's attachments are deleted with it.
func (tx *Tx) Delete(app int64, ids []int64, revisions []int64) error {
	if err := tx.check(); err != nil {
		return err
	}
	ta, err := tx.app(app)
	if err != nil {
		return err
	}
	seen := make(map[int64]bool, len(ids))
	for _, id := range ids {
		if seen[id] {
			return apierr.DuplicateRecordID(itoa(id))
		}
		seen[id] = true
	}
	sp := tx.save(ta)
	uniques := uniqueFields(ta.base.live)
	for i, id := range ids {
		r := ta.find(id)
		if r == nil {
			tx.rollback(sp)
			return apierr.RecordNotFound(itoa(id))
		}
		if i < len(revisions) && revisions[i] != -1 && revisions[i] != r.Revision {
			tx.rollback(sp)
			return apierr.RevisionConflict()
		}
		for _, code := range uniques {
			if v, _ := r.Values[code].(string); v != "" && ta.uniqueOwner(code, v) == id {
				tx.setUnique(ta, code, v, 0)
			}
		}
		forEachFile(r.Values, func(f FileRef) { tx.dropFile(f.FileKey) })
		tx.setRecord(ta, id, nil)
		ta.touchedOld = ta.touchedOld || id < ta.base.nextID
	}
	return nil
}

// withField returns a copy of in with a string value set for code.
func withField(in Input, code, value string) Input {
	out := make(Input, len(in)+1)
	for k, v := range in {
		out[k] = v
	}
	b, _ := json.Marshal(value)
	out[code] = b
	return out
}

// sharedAttachment refuses a record that would hold one attachment twice:
// an update may move an attachment it holds to another field, but not copy
// it while the field it came from, left out of the request, keeps it.
func sharedAttachment(vals map[string]any) error {
	seen := map[string]bool{}
	var dup string
	forEachFile(vals, func(f FileRef) {
		if seen[f.FileKey] && dup == "" {
			dup = f.FileKey
		}
		seen[f.FileKey] = true
	})
	if dup != "" {
		return apierr.FileNotFound(dup)
	}
	return nil
}
