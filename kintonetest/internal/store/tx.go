package store

import (
	"errors"
	"sort"
	"strconv"
	"time"

	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
)

// errTxDone is returned by a Tx method called after its Write returned.
var errTxDone = errors.New("store: transaction already finished")

// Write runs fn as one atomic write: if fn returns an error nothing of it is
// applied; otherwise every change is journaled (fsynced, when the store is
// durable) and published before Write returns nil. fn may call the Tx
// methods any number of times, on any apps; each call sees the effects of
// the calls before it. Each Tx method is atomic on its own as well: a call
// that fails leaves the transaction as it was before the call.
//
// actor.Now stamps created and updated times; zero means the store's clock.
// Writes are serialized: fn runs under the store's write lock, so it must
// not call other Store methods that write (reads are fine).
//
// A rolled-back write leaves nothing behind: no record, no unique value, no
// consumed upload, and no record or subtable-row ID (the next write gets
// the IDs the failed one would have used). Kintone's own behaviour for IDs
// is unconfirmed; not consuming them is the reading that makes "nothing
// applied" literally true.
func (s *Store) Write(actor Actor, fn func(tx *Tx) error) error {
	if err := s.beginChange(); err != nil {
		return err
	}
	defer s.wmu.Unlock()
	if actor.Now.IsZero() {
		actor.Now = s.now()
	}
	tx := &Tx{s: s, actor: actor, base: s.cur.Load(), apps: map[int64]*txApp{}}
	defer func() { tx.done = true }()
	if err := fn(tx); err != nil {
		return err
	}
	tx.done = true
	e, next, ok := tx.build()
	if !ok {
		return nil
	}
	if err := s.commitWith(e, next, tx.applyFiles); err != nil {
		return err
	}
	tx.applyIndexes()
	return nil
}

// Tx is a write in progress; see Store.Write. A Tx is only valid inside
// the function passed to Write and must not be used by other goroutines.
type Tx struct {
	s     *Store
	actor Actor
	base  *dbState
	apps  map[int64]*txApp
	order []int64 // apps in the order first touched, for a stable journal
	files txFiles
	undo  []func()
	done  bool
}

// txApp is the transaction's view of one app: the records it changed over
// the committed state, the IDs it allocated, and the unique values it
// claimed or released.
type txApp struct {
	base            *appState
	ix              *appIndex
	nextID, nextRow int64
	// changed maps a record ID to its new version; nil means deleted.
	changed map[int64]*Record
	// added lists the IDs of records this transaction created, ascending.
	added []int64
	// touchedOld is set once an existing record is changed or deleted.
	touchedOld bool
	// uniq overlays the committed unique index: code -> value -> owner
	// (0 = released).
	uniq map[string]map[string]int64
}

// check refuses calls after the transaction ended.
func (tx *Tx) check() error {
	if tx.done {
		return errTxDone
	}
	return nil
}

// app returns the transaction's view of an app, or GAIA_AP01.
func (tx *Tx) app(id int64) (*txApp, error) {
	if ta := tx.apps[id]; ta != nil {
		return ta, nil
	}
	a := tx.base.apps[id]
	if a == nil {
		return nil, appNotFound(id)
	}
	ta := &txApp{base: a, ix: tx.s.indexLocked(a), nextID: a.nextID, nextRow: a.nextRow,
		changed: map[int64]*Record{}, uniq: map[string]map[string]int64{}}
	tx.apps[id] = ta
	tx.order = append(tx.order, id)
	return ta, nil
}

// find returns the record as the transaction sees it, or nil.
func (ta *txApp) find(id int64) *Record {
	if r, ok := ta.changed[id]; ok {
		return r
	}
	return ta.base.find(id)
}

// uniqueOwner returns the ID of the record holding value v in the unique
// field code, or 0.
func (ta *txApp) uniqueOwner(code, v string) int64 {
	if id, ok := ta.uniq[code][v]; ok {
		return id
	}
	return ta.ix.byField[code][v]
}

// savepoint is the state a failed Tx call returns to.
type savepoint struct {
	ta              *txApp
	nextID, nextRow int64
	added           int
	touchedOld      bool
	undo            int
}

func (tx *Tx) save(ta *txApp) savepoint {
	return savepoint{ta: ta, nextID: ta.nextID, nextRow: ta.nextRow, added: len(ta.added),
		touchedOld: ta.touchedOld, undo: len(tx.undo)}
}

func (tx *Tx) rollback(sp savepoint) {
	for i := len(tx.undo) - 1; i >= sp.undo; i-- {
		tx.undo[i]()
	}
	tx.undo = tx.undo[:sp.undo]
	ta := sp.ta
	ta.nextID, ta.nextRow, ta.added, ta.touchedOld = sp.nextID, sp.nextRow, ta.added[:sp.added], sp.touchedOld
}

// setRecord records a new version of a record (nil deletes it).
func (tx *Tx) setRecord(ta *txApp, id int64, r *Record) {
	prev, had := ta.changed[id]
	ta.changed[id] = r
	tx.undo = append(tx.undo, func() {
		if had {
			ta.changed[id] = prev
		} else {
			delete(ta.changed, id)
		}
	})
}

// setUnique sets the owner of a unique value (0 releases it).
func (tx *Tx) setUnique(ta *txApp, code, v string, id int64) {
	m := ta.uniq[code]
	if m == nil {
		m = map[string]int64{}
		ta.uniq[code] = m
	}
	prev, had := m[v]
	m[v] = id
	tx.undo = append(tx.undo, func() {
		if had {
			m[v] = prev
		} else {
			delete(m, v)
		}
	})
}

// build turns the transaction into a journal entry and the next state; ok
// is false when nothing changed. A store without a journal never reads
// the entry's records, so they are only encoded for a durable one: for a
// bulk insert they were a tenth of the write's time.
func (tx *Tx) build() (e *entry, next *dbState, ok bool) {
	e = &entry{Op: opWrite, Time: tx.actor.Now.UTC()}
	apps := map[int64]*appState{}
	for _, id := range tx.order {
		ta := tx.apps[id]
		if len(ta.changed) == 0 {
			continue
		}
		a := ta.base.clone()
		a.recs = ta.mergedRecs()
		a.nextID, a.nextRow = ta.nextID, ta.nextRow
		apps[id] = a
		if tx.s.jr != nil {
			e.Recs = append(e.Recs, ta.journal())
		}
	}
	e.Files, e.Drop, e.Used = tx.files.journal()
	if len(apps) == 0 && len(e.Files) == 0 && len(e.Drop) == 0 && len(e.Used) == 0 {
		return nil, nil, false
	}
	return e, tx.base.withApps(apps), true
}

// mergedRecs returns the app's records after the transaction, in ID order.
// When the transaction only added records they are appended to the
// committed slice: readers hold slices of the old length and never look
// past it.
func (ta *txApp) mergedRecs() []*Record {
	if !ta.touchedOld {
		recs := ta.base.recs
		for _, id := range ta.added {
			if r := ta.changed[id]; r != nil {
				recs = append(recs, r)
			}
		}
		return recs
	}
	out := make([]*Record, 0, len(ta.base.recs)+len(ta.added))
	for _, r := range ta.base.recs {
		if c, ok := ta.changed[r.ID]; ok {
			if c != nil {
				out = append(out, c)
			}
			continue
		}
		out = append(out, r)
	}
	for _, id := range ta.added {
		if r := ta.changed[id]; r != nil {
			out = append(out, r)
		}
	}
	return out
}

// journal returns the app's part of the journal entry: every changed
// record's new version and the deleted IDs, in ID order.
func (ta *txApp) journal() recsJSON {
	rj := recsJSON{App: ta.base.meta.ID, NextID: ta.nextID, NextRow: ta.nextRow}
	ids := make([]int64, 0, len(ta.changed))
	for id := range ta.changed {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		if r := ta.changed[id]; r != nil {
			rj.Put = append(rj.Put, encodeRecord(r))
		} else if id < ta.base.nextID {
			rj.Del = append(rj.Del, id)
		}
	}
	return rj
}

// applyIndexes merges the committed unique values into the store's index.
func (tx *Tx) applyIndexes() {
	for _, ta := range tx.apps {
		for code, m := range ta.uniq {
			byValue := ta.ix.byField[code]
			if byValue == nil {
				byValue = map[string]int64{}
				ta.ix.byField[code] = byValue
			}
			for v, id := range m {
				if id == 0 {
					delete(byValue, v)
				} else {
					byValue[v] = id
				}
			}
		}
	}
}

// now is the write's time stamp.
func (tx *Tx) now() time.Time { return tx.actor.Now }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// keyPrefix is the error-key prefix of record i of a call: "record." for
// the single-record APIs, "records[i]." for the bulk ones; inner adds
// ".record" for the record of an update item ("records[i].record.").
func keyPrefix(i int, single, update bool) string {
	switch {
	case single:
		return "record"
	case update:
		return "records[" + strconv.Itoa(i) + "].record"
	}
	return "records[" + strconv.Itoa(i) + "]"
}

// validationOrNil returns e if it holds messages.
func validationOrNil(e *apierr.Error) error {
	if len(e.Errors) == 0 {
		return nil
	}
	return e
}
