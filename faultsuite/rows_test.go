package faultsuite

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/kintone-sql/kintone/kintonetest"
)

// This file is the statements' workload on ROWS: multi-row INSERTs in
// the three ways the driver sends them, an UPDATE of every row and one of
// a few, and a DELETE of most, each UPDATE and DELETE reading its targets
// in pages. Each statement runs until done as a careful user runs it: the
// INSERT's rows found missing are inserted again, the UPDATE and the
// DELETE run again (their WHERE skips the rows already done).

// form is how an INSERT carries its rows.
type form int

const (
	literal      form = iota // VALUES of literals
	placeholders             // VALUES of ? with arguments: the bulk-load path
	selected                 // INSERT ... SELECT from SRC: rows streamed from a read
)

// segment is one INSERT: rows from to from+n-1 of the owner's rows.
type segment struct {
	form    form
	from, n int
}

// segments lays out INSERTs of the given sizes one after the other.
func segments(forms []form, sizes []int) []segment {
	var out []segment
	next := 0
	for i, n := range sizes {
		out = append(out, segment{forms[i], next, n})
		next += n
	}
	return out
}

// rowKey, rowGroup and rowDeleted give row i of an owner its key, its
// group (a few are "b", updated twice) and whether the DELETE removes it
// (seven in eight).
func rowKey(owner string, i int) string { return fmt.Sprintf("%s-r%05d", owner, i) }
func rowGroup(i int) string {
	if i%50 == 7 {
		return "b"
	}
	return "a"
}
func rowDeleted(i int) int {
	if i%8 == 0 {
		return 0
	}
	return 1
}

// rowsFixture adds the SRC records of the INSERT ... SELECT segments.
func (w *worker) rowsFixture(segs []segment) {
	for _, s := range segs {
		if s.form != selected {
			continue
		}
		recs := make([]kintonetest.Record, s.n)
		for j := range recs {
			i := s.from + j
			recs[j] = kintonetest.Record{"k": rowKey(w.owner, i), "owner": w.owner, "grp": rowGroup(i), "n": "0", "del": fmt.Sprint(rowDeleted(i))}
		}
		w.e.add("SRC", recs)
	}
}

// insertSQL is the INSERT of rows idx in the given form, with its arguments.
func (w *worker) insertSQL(f form, idx []int) (string, []any) {
	var b strings.Builder
	var args []any
	b.WriteString("INSERT INTO ROWS (k, owner, grp, n, del) ")
	if f == selected {
		b.WriteString("SELECT k, owner, grp, n, del FROM SRC WHERE owner = ? ORDER BY $id")
		return b.String(), []any{w.owner}
	}
	b.WriteString("VALUES ")
	for j, i := range idx {
		if j > 0 {
			b.WriteString(", ")
		}
		if f == placeholders {
			b.WriteString("(?, ?, ?, ?, ?)")
			args = append(args, rowKey(w.owner, i), w.owner, rowGroup(i), 0, rowDeleted(i))
			continue
		}
		fmt.Fprintf(&b, "(%s, %s, %s, 0, %d)", quote(rowKey(w.owner, i)), quote(w.owner), quote(rowGroup(i)), rowDeleted(i))
	}
	return b.String(), args
}

// rowsWorkload runs the INSERTs of segs, the UPDATEs and the DELETE, and
// checks the end state.
func (w *worker) rowsWorkload(ctx context.Context, segs []segment) {
	l := newLedger("ROWS "+w.owner, w.e.fc.lost)
	// The third POST of records is the second batch of the INSERT of
	// 2,050 rows (after those of 1 and 40 rows): 2,000 rows are then
	// written and 50 unknown (or not written).
	w.e.sure(w.r, "POST", "records", 3)
	var all []int
	for _, s := range segs {
		idx := make([]int, s.n)
		keys := make([]string, s.n)
		for j := range idx {
			idx[j] = s.from + j
			keys[j] = rowKey(w.owner, idx[j])
		}
		all = append(all, idx...)
		query, args := w.insertSQL(s.form, idx)
		w.exec(ctx, l, opInsert, keys, query, args...)
	}
	recs := w.check(ctx, "ROWS", l)
	for round := 1; !w.failed; round++ {
		var missing []int
		var keys []string
		for _, i := range all {
			if c, _ := l.count(rowKey(w.owner, i)); c == 0 {
				missing = append(missing, i)
				keys = append(keys, rowKey(w.owner, i))
			}
		}
		if len(missing) == 0 {
			break
		}
		if round > maxRounds {
			w.violation("%d rows still missing after %d INSERTs of the missing rows", len(missing), maxRounds)
			return
		}
		w.tally.extra++
		query, args := w.insertSQL(placeholders, missing)
		w.exec(ctx, l, opInsert, keys, query, args...)
		recs = w.check(ctx, "ROWS", l)
	}
	// The UPDATE's first batch: its rows unknown, the rest (read, not
	// sent) not written.
	w.e.sure(w.r, "POST", "bulkRequest", 1)
	recs = w.untilDone(ctx, l, recs, opUpdate, "UPDATE ROWS SET n = n + 1 WHERE owner = ? AND n = 0",
		func(r rawRecord) bool { return r.hasN && r.n == 0 })
	recs = w.untilDone(ctx, l, recs, opUpdate, "UPDATE ROWS SET n = n + 1 WHERE owner = ? AND grp = 'b' AND n = 1",
		func(r rawRecord) bool { return r.grp == "b" && r.hasN && r.n == 1 })
	recs = w.deleteByID(ctx, l, recs)
	// The DELETE's second batch (of 23 rows, a DELETE of records.json)
	// after its first (a bulkRequest of 2,000).
	w.e.sure(w.r, "DELETE", "records", 1)
	recs = w.untilDone(ctx, l, recs, opDelete, "DELETE FROM ROWS WHERE owner = ? AND del = 1",
		func(r rawRecord) bool { return r.del == 1 })
	if w.failed {
		return
	}
	// Nothing lost, nothing doubled: the records are exactly those meant.
	want := map[string]int64{}
	for _, i := range all {
		if rowDeleted(i) == 0 {
			want[rowKey(w.owner, i)] = map[bool]int64{true: 2, false: 1}[rowGroup(i) == "b"]
		}
	}
	for _, r := range recs {
		n, ok := want[r.k]
		switch {
		case !ok:
			w.violation("ROWS %s: key %s ($id %d) is there, want it deleted or there once", w.owner, r.k, r.id)
		case r.n != n:
			w.violation("ROWS %s: key %s has n %d, want %d", w.owner, r.k, r.n, n)
		}
		delete(want, r.k)
	}
	if len(want) > 0 {
		w.violation("ROWS %s: %d rows lost, such as %s", w.owner, len(want), keyList(mapKeys(want)))
	}
}

// untilDone runs an UPDATE or DELETE of the owner's records until it
// succeeds: its targets are the records that match (the statement's
// WHERE, in Go), in $id order, the order in which the driver reads and
// writes them. It returns the records as they are then.
func (w *worker) untilDone(ctx context.Context, l *ledger, recs []rawRecord, op opKind, query string, match func(rawRecord) bool) []rawRecord {
	for round := 0; !w.failed; round++ {
		var targets []string
		for _, r := range recs {
			if match(r) {
				targets = append(targets, r.k)
			}
		}
		if round > 0 {
			if len(targets) == 0 {
				break // the rows of unknown outcome were all applied
			}
			if round > maxRounds {
				w.violation("%q still has %d rows to write after %d runs", query, len(targets), maxRounds)
				break
			}
			w.tally.extra++
		}
		ok := w.exec(ctx, l, op, targets, query, w.owner)
		recs = w.check(ctx, "ROWS", l)
		if ok {
			break
		}
	}
	return recs
}

// deleteByID deletes every other row to delete by its $id (DELETE ...
// WHERE $id IN (...), which the driver sends without reading), and runs
// the same statement again until it succeeds: Kintone refuses a request
// naming a record that no longer exists (GAIA_RE01), so the driver then
// sends the records that do. It returns the records as they are then.
func (w *worker) deleteByID(ctx context.Context, l *ledger, recs []rawRecord) []rawRecord {
	var ids, keys []string
	for i, r := range slices.DeleteFunc(slices.Clone(recs), func(r rawRecord) bool { return r.del != 1 }) {
		if i%2 == 0 {
			ids = append(ids, strconv.FormatInt(r.id, 10))
			keys = append(keys, r.k)
		}
	}
	query := "DELETE FROM ROWS WHERE $id IN (" + strings.Join(ids, ", ") + ")"
	w.e.sure(w.r, "POST", "bulkRequest", 1) // its batch
	for round := 0; !w.failed; round++ {
		if round > maxRounds {
			w.violation("%q still fails after %d runs", abbreviate(query), maxRounds)
			break
		}
		if round > 0 {
			w.tally.extra++
		}
		present := 0
		for _, k := range keys {
			if c, _ := l.count(k); c > 0 {
				present++
			}
		}
		ok := w.execRows(ctx, l, opDelete, keys, present, true, query)
		recs = w.check(ctx, "ROWS", l)
		if ok {
			break
		}
	}
	return recs
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
