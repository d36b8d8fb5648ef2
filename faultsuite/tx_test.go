package faultsuite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/kintonetest"
)

// This file is the transactions' workload on TXS. Transaction r updates
// the counter of its own record u, deletes its own record d and inserts
// its own rows: Commit sends them as one bulkRequest, so the records must
// show all three effects or none. A transaction that did not apply runs
// again until it does.

// txKeys are the keys of transaction r: its update target, its delete
// target and the m rows it inserts.
func txKeys(owner string, r, m int) (upd, del string, ins []string) {
	for j := range m {
		ins = append(ins, fmt.Sprintf("%s-t%02d-%03d", owner, r, j))
	}
	return fmt.Sprintf("%s-u%02d", owner, r), fmt.Sprintf("%s-d%02d", owner, r), ins
}

// txFixture adds the records the transactions update and delete, and
// returns the ledger that knows them.
func (w *worker) txFixture(sizes []int) *ledger {
	l := newLedger("TXS "+w.owner, w.e.fc.lost)
	var recs []kintonetest.Record
	for r := range sizes {
		upd, del, _ := txKeys(w.owner, r, 0)
		for _, k := range []string{upd, del} {
			recs = append(recs, kintonetest.Record{"k": k, "owner": w.owner, "n": "0"})
			l.exists(k, 0)
		}
	}
	w.e.add("TXS", recs)
	return l
}

// txWorkload runs transactions of the given INSERT sizes until each has
// applied once; l is txFixture's ledger.
func (w *worker) txWorkload(ctx context.Context, l *ledger, sizes []int) {
	w.e.sure(w.r, "POST", "bulkRequest", 3) // the third Commit
	pending := make([]int, len(sizes))
	for r := range pending {
		pending[r] = r
	}
	for round := 0; len(pending) > 0 && !w.failed; round++ {
		if round > maxRounds {
			w.violation("TXS %s: transactions %v still not applied after %d attempts", w.owner, pending, maxRounds)
			return
		}
		if round > 0 {
			w.tally.extra += len(pending)
		}
		for _, r := range pending {
			w.txRound(ctx, l, r, sizes[r])
		}
		w.check(ctx, "TXS", l)
		var left []int
		for _, r := range pending {
			_, del, _ := txKeys(w.owner, r, 0)
			if c, _ := l.count(del); c > 0 {
				left = append(left, r)
			}
		}
		pending = left
	}
	if w.failed {
		return
	}
	for r, m := range sizes {
		upd, del, ins := txKeys(w.owner, r, m)
		if c, n := l.count(upd); c != 1 || n != 1 {
			w.violation("TXS %s: transaction %d: its update target %s: %d records, n %d; want 1 record, n 1", w.owner, r, upd, c, n)
		}
		if c, _ := l.count(del); c != 0 {
			w.violation("TXS %s: transaction %d: its delete target %s is still there", w.owner, r, del)
		}
		for _, k := range ins {
			if c, _ := l.count(k); c != 1 {
				w.violation("TXS %s: transaction %d: row %s: %d records, want 1", w.owner, r, k, c)
			}
		}
	}
}

// txRound runs transaction r once and records what the driver reported.
func (w *worker) txRound(ctx context.Context, l *ledger, r, m int) {
	upd, del, ins := txKeys(w.owner, r, m)
	w.tally.statements++
	what := fmt.Sprintf("transaction %d (UPDATE %s, DELETE %s, INSERT of %d rows)", r, upd, del, m)
	win := w.e.open(w.r)
	out, report := w.runTx(ctx, upd, del, ins)
	win = w.e.close(w.r, win)
	group := 0
	switch out {
	case written:
		w.tally.ok++
	case notWritten:
		w.tally.none++
	case unknown:
		w.tally.unknown++
		w.tally.txUnknown++
		group = l.group()
		l.sentIn(group, win)
	}
	what += ": " + report
	l.record([]string{upd}, opUpdate, out, group, what)
	l.record([]string{del}, opDelete, out, group, what)
	l.record(ins, opInsert, out, group, what)
}

// runTx runs the transaction's statements and commits, and says what the
// driver reported: Commit's success applied all; an Exec's error (then
// rolled back) or Commit's error without a PartialWriteError applied
// nothing; Commit's PartialWriteError, which must be Unknown and name every
// row, leaves it unknown.
func (w *worker) runTx(ctx context.Context, upd, del string, ins []string) (outcome, string) {
	tx, err := w.r.db.BeginTx(ctx, nil)
	if err != nil {
		return notWritten, "BeginTx: " + brief(err)
	}
	var values []string
	for _, k := range ins {
		values = append(values, fmt.Sprintf("(%s, %s, 0)", quote(k), quote(w.owner)))
	}
	steps := []struct {
		query string
		args  []any
		rows  int64
	}{
		{"UPDATE TXS SET n = n + 1 WHERE owner = ? AND k = ?", []any{w.owner, upd}, 1},
		{"DELETE FROM TXS WHERE owner = ? AND k = ?", []any{w.owner, del}, 1},
		{"INSERT INTO TXS (k, owner, n) VALUES " + strings.Join(values, ", "), nil, int64(len(ins))},
	}
	for _, s := range steps {
		res, err := tx.ExecContext(ctx, s.query, s.args...)
		if err != nil {
			_ = tx.Rollback()
			var pe *kintone.PartialWriteError
			if errors.As(err, &pe) {
				w.violation("%q in a transaction: a PartialWriteError, though nothing is sent before Commit: %v", abbreviate(s.query), err)
			}
			return notWritten, "Exec failed, rolled back: " + brief(err)
		}
		if n, err := res.RowsAffected(); err != nil || n != s.rows {
			w.violation("%q in a transaction: RowsAffected %d (%v), want %d", abbreviate(s.query), n, err, s.rows)
		}
	}
	err = tx.Commit()
	if err == nil {
		return written, "committed"
	}
	var pe *kintone.PartialWriteError
	if !errors.As(err, &pe) {
		if errors.Is(err, sql.ErrTxDone) {
			w.violation("Commit: %v", err)
		}
		return notWritten, "Commit failed, nothing applied: " + brief(err)
	}
	if rows := int64(len(ins) + 2); !pe.Unknown || pe.Committed != 0 || pe.FirstRow != 1 || pe.LastRow != rows {
		w.violation("Commit: %+v, want Unknown with rows 1-%d (a transaction is one bulkRequest): %v", *pe, rows, err)
	}
	return unknown, "Commit's outcome unknown: " + brief(err)
}
