package faultsuite

import (
	"context"
	"fmt"
	"strings"
	"sync"
)

// This file is a worker: one owner's workloads, run one statement at a
// time, with its tally and its violations.

// maxRounds bounds a careful user's attempts to finish a workload: with a
// tenth of the requests failing, a few are enough.
const maxRounds = 30

// maxReported bounds the violations reported by one check: a batch
// misreported is thousands of rows alike.
const maxReported = 10

// tally counts what a worker's statements reported.
type tally struct {
	statements, ok, none, partial, unknown int
	// extra counts the statements run again to finish a workload.
	extra int
	// txUnknown counts the Commits of unknown outcome.
	txUnknown int
	// imports counts the command's runs by exit status.
	imports map[int]int
	// unknownBatches and unknownApplied count the atomic units of unknown
	// outcome checked, and those of them that were applied;
	// unknownByLog those whose fate the logs told (see lostVerdict).
	unknownBatches, unknownApplied, unknownByLog int
}

func (t *tally) add(o tally) {
	t.statements += o.statements
	t.ok += o.ok
	t.none += o.none
	t.partial += o.partial
	t.unknown += o.unknown
	t.extra += o.extra
	t.txUnknown += o.txUnknown
	t.unknownBatches += o.unknownBatches
	t.unknownApplied += o.unknownApplied
	t.unknownByLog += o.unknownByLog
	for k, v := range o.imports {
		if t.imports == nil {
			t.imports = map[int]int{}
		}
		t.imports[k] += v
	}
}

func (t tally) String() string {
	return fmt.Sprintf("%d statements, transactions and imports (%d ok, %d wrote nothing, %d in part, %d of unknown outcome, %d of them Commits), %d run again, %d unknown batches checked (%d applied, %d told by the logs), import exit statuses %v",
		t.statements, t.ok, t.none, t.partial, t.unknown, t.txUnknown, t.extra, t.unknownBatches, t.unknownApplied, t.unknownByLog, t.imports)
}

// worker runs one owner's workloads.
type worker struct {
	e     *env
	r     *route
	owner string
	tally tally
	// failed is set by the first violation: the worker stops, as every
	// later check would report its consequences.
	failed bool
	mu     *sync.Mutex // guards the subtest's log of violations
}

// violation reports a broken promise of the driver or the command.
func (w *worker) violation(format string, args ...any) {
	w.failed = true
	w.mu.Lock()
	defer w.mu.Unlock()
	w.e.t.Errorf("[%s, worker %s] %s", w.e.fc.name, w.owner, fmt.Sprintf(format, args...))
}

// check reads the worker's records of app over raw REST, compares them
// with the ledger, and returns them.
func (w *worker) check(ctx context.Context, app string, l *ledger) []rawRecord {
	return w.checkOwner(ctx, app, w.owner, l)
}

// checkOwner is check of the records of owner.
func (w *worker) checkOwner(ctx context.Context, app, owner string, l *ledger) []rawRecord {
	if w.failed {
		return nil // the first violation says it; the rest would follow from it
	}
	if err := w.e.settle(ctx, w.r); err != nil {
		w.violation("waiting for the writes in progress to end: %v", err)
		return nil
	}
	recs, err := w.e.records(ctx, app, owner)
	if err != nil {
		w.violation("reading the records to check them: %v", err)
		return nil
	}
	l.resolve(func(win window) (verdict, string) { return w.e.lostVerdict(w.r, win) })
	u, a, b := l.unknowns, l.unknownApplied, l.unknownByLog
	bad := l.check(recs)
	for i, v := range bad {
		if i == maxReported {
			w.violation("and %d more violations in %s", len(bad)-i, l.name)
			break
		}
		w.violation("%s", v)
	}
	w.tally.unknownBatches += l.unknowns - u
	w.tally.unknownApplied += l.unknownApplied - a
	w.tally.unknownByLog += l.unknownByLog - b
	return recs
}

// exec runs a write of the rows keys (in the statement's row order) and
// records in l what the driver reported of each. It returns whether the
// statement succeeded.
func (w *worker) exec(ctx context.Context, l *ledger, op opKind, keys []string, query string, args ...any) bool {
	return w.execRows(ctx, l, op, keys, len(keys), false, query, args...)
}

// execRows is exec of a statement that affects present of its rows; byID:
// it names them by $id, and skips those that are not there.
func (w *worker) execRows(ctx context.Context, l *ledger, op opKind, keys []string, present int, byID bool, query string, args ...any) bool {
	w.tally.statements++
	stmt := fmt.Sprintf("%s of %d rows %q", op, len(keys), abbreviate(query))
	win := w.e.open(w.r)
	res, err := w.r.db.ExecContext(ctx, query, args...)
	win = w.e.close(w.r, win)
	if err == nil {
		n, aerr := res.RowsAffected()
		if aerr != nil || n != int64(present) {
			w.violation("%s: RowsAffected %d (%v), want %d", stmt, n, aerr, present)
		}
	}
	spans, serr := outcomes(len(keys), byID, err)
	if serr != nil {
		w.violation("%s: %v (error: %v)", stmt, serr, err)
		return false
	}
	switch {
	case err == nil:
		w.tally.ok++
	case len(spans) == 1 && spans[0].out == notWritten:
		w.tally.none++
	case spans[len(spans)-1].out == unknown || (len(spans) > 1 && spans[len(spans)-2].out == unknown):
		w.tally.unknown++
	default:
		w.tally.partial++
	}
	report := "ok"
	if err != nil {
		report = describe(spans) + ": " + brief(err)
	}
	for _, s := range spans {
		group := 0
		if s.out == unknown {
			group = l.group()
			l.sentIn(group, win)
		}
		l.record(keys[s.from-1:s.to], op, s.out, group, stmt+": "+report)
	}
	return err == nil
}

// abbreviate shortens a statement for messages.
func abbreviate(query string) string {
	if len(query) > 90 {
		return query[:90] + "..."
	}
	return query
}

// quote is a SQL string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
