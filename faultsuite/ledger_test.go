package faultsuite

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// This file is the ledger: what the driver (or the command) said of each
// row, and the check of the records against it.

// opKind is what a statement does to a row.
type opKind int

const (
	opInsert opKind = iota
	opUpdate        // n = n + 1
	opDelete
	opUpsert // n = upsertN: the record inserted with it, or set to it
)

func (o opKind) String() string { return [...]string{"INSERT", "UPDATE", "DELETE", "UPSERT"}[o] }

// upsertN is the counter an upsert writes; the records it updates have
// another before.
const upsertN = 1

// outcome is a row's fate as reported.
type outcome int

const (
	written outcome = iota
	notWritten
	unknown
)

func (o outcome) String() string { return [...]string{"written", "not written", "unknown"}[o] }

// event is one statement's report about one row.
type event struct {
	op  opKind
	out outcome
	// group numbers the atomic unit of an unknown outcome (one request,
	// one bulkRequest, one transaction): its rows were applied all or
	// none. 0 for known outcomes.
	group int
	what  string // the statement and the report, for messages
}

func (ev event) String() string { return fmt.Sprintf("%s %s: %s", ev.op, ev.out, ev.what) }

// row is the ledger's knowledge of one key.
type row struct {
	// lo and hi bound the number of records with the key.
	lo, hi int
	// nLo and nHi bound its counter n (the UPDATEs applied to it).
	nLo, nHi int64
	// pending are the events since the last check, history every event.
	pending []event
	history []event
}

// ledger is the rows of one owner in one app. It is used by one goroutine.
type ledger struct {
	name   string // "ROWS w1"
	rows   map[string]*row
	order  []string // keys in the order first seen
	groups int
	// expect is what became of writes whose answer was lost, as the
	// subtest's fault says; verdicts, for some groups, what the logs say
	// of the request that carried them (and why), which takes precedence.
	expect   verdict
	verdicts map[int]verdict
	why      map[int]string
	// probes are the unknown groups whose verdict the logs have not been
	// asked for yet, with the windows of their statements.
	probes []probe
	// unknowns counts the unknown groups checked, how many of them were
	// applied, and how many had a verdict from the logs.
	unknowns, unknownApplied, unknownByLog int
}

// probe is an unknown group and the window of the statement that sent it.
type probe struct {
	group int
	win   window
}

func newLedger(name string, expect verdict) *ledger {
	return &ledger{name: name, rows: map[string]*row{}, expect: expect, verdicts: map[int]verdict{}, why: map[int]string{}}
}

// sentIn notes the window of the statement that sent an unknown group.
func (l *ledger) sentIn(group int, win window) {
	l.probes = append(l.probes, probe{group, win})
}

// resolve asks for the verdict of each unknown group noted by sentIn
// since the last call.
func (l *ledger) resolve(verdictOf func(window) (verdict, string)) {
	for _, p := range l.probes {
		if v, why := verdictOf(p.win); v != either {
			l.verdicts[p.group], l.why[p.group] = v, why
		}
	}
	l.probes = nil
}

// expectation is what became of an unknown group, and why it is known.
func (l *ledger) expectation(group int) (verdict, string) {
	if v, ok := l.verdicts[group]; ok {
		return v, l.why[group]
	}
	switch l.expect {
	case applied:
		return applied, "the fault lets every write through"
	case notApplied:
		return notApplied, "the fault stops every write it hits"
	}
	return either, ""
}

// row returns the key's row, a new one (no record) when it is not known.
func (l *ledger) row(key string) *row {
	r, ok := l.rows[key]
	if !ok {
		r = &row{}
		l.rows[key] = r
		l.order = append(l.order, key)
	}
	return r
}

// exists records a fixture: the key is there once with counter n.
func (l *ledger) exists(key string, n int64) {
	r := l.row(key)
	r.lo, r.hi, r.nLo, r.nHi = 1, 1, n, n
}

// group returns the number of a new atomic unit.
func (l *ledger) group() int {
	l.groups++
	return l.groups
}

// record notes a statement's report about keys.
func (l *ledger) record(keys []string, op opKind, out outcome, group int, what string) {
	ev := event{op: op, out: out, group: group, what: what}
	for _, k := range keys {
		r := l.row(k)
		switch {
		case op == opInsert && out == written:
			r.lo, r.hi, r.nLo, r.nHi = r.lo+1, r.hi+1, 0, 0
		case op == opInsert && out == unknown:
			r.hi++
			if r.lo == 0 {
				r.nLo, r.nHi = 0, 0
			}
		case op == opUpdate && out == written:
			r.nLo, r.nHi = r.nLo+1, r.nHi+1
		case op == opUpdate && out == unknown:
			r.nHi++
		case op == opDelete && out == written:
			r.lo, r.hi = 0, 0
		case op == opDelete && out == unknown:
			r.lo = 0
		case op == opUpsert && out == written:
			r.lo, r.hi, r.nLo, r.nHi = 1, 1, upsertN, upsertN
		case op == opUpsert && out == unknown:
			r.hi, r.nHi = 1, upsertN
		}
		r.pending = append(r.pending, ev)
		r.history = append(r.history, ev)
	}
}

// count is the number of records with a key and the counter of the first.
func (l *ledger) count(key string) (int, int64) {
	r := l.rows[key]
	if r == nil {
		return 0, 0
	}
	return r.lo, r.nLo
}

// check compares the records of the ledger's owner with the ledger and
// returns the violations. Then it settles every row on what the records
// show, as a careful user does who looks the unknown rows up by key.
func (l *ledger) check(recs []rawRecord) []string {
	byKey := map[string][]rawRecord{}
	for _, rec := range recs {
		byKey[rec.k] = append(byKey[rec.k], rec)
	}
	var bad []string
	report := func(key string, r *row, format string, args ...any) {
		msg := fmt.Sprintf("%s: key %s: ", l.name, key) + fmt.Sprintf(format, args...)
		if r != nil {
			msg += fmt.Sprintf("; ledger: %d to %d records, n %d to %d; what the driver reported of it, oldest first:\n\t%s",
				r.lo, r.hi, r.nLo, r.nHi, strings.Join(eventStrings(r.history), "\n\t"))
		}
		bad = append(bad, msg)
	}
	type groupVerdicts struct {
		applied, notApplied []string
		what                string
	}
	groups := map[int]*groupVerdicts{}
	for _, key := range l.order {
		r := l.rows[key]
		got := byKey[key]
		delete(byKey, key)
		var n int64
		if len(got) > 0 {
			n = got[0].n
		}
		switch {
		case len(got) > 1:
			report(key, r, "%d records (%s): written more than once", len(got), ids(got))
		case len(got) < r.lo:
			report(key, r, "no record: the row is lost")
		case len(got) > r.hi && r.hi == 0:
			report(key, r, "a record (%s) though it was reported as not written", ids(got))
		case len(got) > r.hi:
			report(key, r, "%d records (%s), want at most %d", len(got), ids(got), r.hi)
		case len(got) == 1 && (n < r.nLo || n > r.nHi):
			report(key, r, "n is %d: updated %d times, want %d to %d", n, n, r.nLo, r.nHi)
		default:
			if ev, ok := soleUnknown(r.pending); ok {
				did, known := appliedBy(ev, r, len(got), n)
				if known {
					g := groups[ev.group]
					if g == nil {
						g = &groupVerdicts{what: ev.what}
						groups[ev.group] = g
					}
					if did {
						g.applied = append(g.applied, key)
					} else {
						g.notApplied = append(g.notApplied, key)
					}
				}
			}
		}
		r.lo, r.hi = len(got), len(got)
		r.nLo, r.nHi = n, n
		r.pending = nil
	}
	for _, key := range slices.Sorted(maps.Keys(byKey)) {
		got := byKey[key]
		report(key, nil, "%d records (%s) that no statement wrote", len(got), ids(got))
	}
	for _, id := range slices.Sorted(maps.Keys(groups)) {
		g := groups[id]
		l.unknowns++
		if len(g.applied) > 0 {
			l.unknownApplied++
		}
		expect, why := l.expectation(id)
		if _, ok := l.verdicts[id]; ok {
			l.unknownByLog++
		}
		switch {
		case len(g.applied) > 0 && len(g.notApplied) > 0:
			bad = append(bad, fmt.Sprintf("%s: %s: applied in part, though it is one atomic request: applied to %s, not to %s",
				l.name, g.what, keyList(g.applied), keyList(g.notApplied)))
		case expect == applied && len(g.notApplied) > 0:
			bad = append(bad, fmt.Sprintf("%s: %s: not applied (%s), but %s: the rows reported unknown are not the ones whose answer was lost",
				l.name, g.what, keyList(g.notApplied), why))
		case expect == notApplied && len(g.applied) > 0:
			bad = append(bad, fmt.Sprintf("%s: %s: applied (%s), but %s: the rows reported unknown are not the ones whose answer was lost",
				l.name, g.what, keyList(g.applied), why))
		}
	}
	return bad
}

// soleUnknown returns the one unknown event among a row's pending ones,
// when there is exactly one.
func soleUnknown(pending []event) (event, bool) {
	var found []event
	for _, ev := range pending {
		if ev.out == unknown {
			found = append(found, ev)
		}
	}
	if len(found) != 1 {
		return event{}, false
	}
	return found[0], true
}

// appliedBy tells, from the records, whether a row's one unknown event was
// applied; known is false when the records cannot tell.
func appliedBy(ev event, r *row, count int, n int64) (did, known bool) {
	switch ev.op {
	case opInsert:
		return count == r.hi, r.hi == r.lo+1
	case opDelete:
		return count == 0, r.hi == 1
	case opUpsert:
		// Known unless an earlier write had set the counter already.
		return count == 1 && n == upsertN, r.hi == 1 && r.nLo != upsertN && r.nHi == upsertN
	}
	return n == r.nHi, count == 1 && r.nHi == r.nLo+1
}

func eventStrings(evs []event) []string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = ev.String()
	}
	return out
}

func ids(recs []rawRecord) string {
	s := make([]string, len(recs))
	for i, r := range recs {
		s[i] = fmt.Sprintf("$id %d", r.id)
	}
	return strings.Join(s, ", ")
}

// keyList names up to five keys.
func keyList(keys []string) string {
	if len(keys) <= 5 {
		return strings.Join(keys, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(keys[:5], ", "), len(keys)-5)
}
