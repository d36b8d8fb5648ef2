package faultsuite

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone"
)

// These tests check the suite's own judge: a ledger that let a lost or
// doubled row pass would make every subtest pass vacuously.

// TestLedgerReportsLostDoubledAndMisreportedRows feeds the ledger records
// that break each promise and checks that each is reported, and that
// records that keep them are not.
func TestLedgerReportsLostDoubledAndMisreportedRows(t *testing.T) {
	rec := func(id int64, k string, n int64) rawRecord { return rawRecord{id: id, k: k, n: n, hasN: true} }
	tests := []struct {
		name   string
		expect verdict
		setup  func(l *ledger)
		recs   []rawRecord
		want   []string // a substring of each violation, in order; none for no violation
	}{
		{name: "written once", setup: func(l *ledger) { l.record([]string{"a", "b"}, opInsert, written, 0, "INSERT") },
			recs: []rawRecord{rec(1, "a", 0), rec(2, "b", 0)}},
		{name: "written row lost", setup: func(l *ledger) { l.record([]string{"a", "b"}, opInsert, written, 0, "INSERT") },
			recs: []rawRecord{rec(1, "a", 0)}, want: []string{"key b: no record: the row is lost"}},
		{name: "written twice", setup: func(l *ledger) { l.record([]string{"a"}, opInsert, written, 0, "INSERT") },
			recs: []rawRecord{rec(1, "a", 0), rec(7, "a", 0)}, want: []string{"key a: 2 records ($id 1, $id 7): written more than once"}},
		{name: "unknown written twice", setup: func(l *ledger) { l.record([]string{"a"}, opInsert, unknown, l.group(), "INSERT") },
			recs: []rawRecord{rec(1, "a", 0), rec(7, "a", 0)}, want: []string{"key a: 2 records"}},
		{name: "reported not written, but there", setup: func(l *ledger) { l.record([]string{"a"}, opInsert, notWritten, 0, "INSERT") },
			recs: []rawRecord{rec(3, "a", 0)}, want: []string{"key a: a record ($id 3) though it was reported as not written"}},
		{name: "unknown either way", setup: func(l *ledger) {
			l.record([]string{"a"}, opInsert, unknown, l.group(), "INSERT 1")
			l.record([]string{"b"}, opInsert, unknown, l.group(), "INSERT 2")
		}, recs: []rawRecord{rec(1, "a", 0)}},
		{name: "unknown batch applied in part", setup: func(l *ledger) {
			l.record([]string{"a", "b", "c"}, opInsert, unknown, l.group(), "INSERT rows 1-3 unknown")
		}, recs: []rawRecord{rec(1, "a", 0), rec(2, "c", 0)}, want: []string{"INSERT rows 1-3 unknown: applied in part, though it is one atomic request: applied to a, c, not to b"}},
		{name: "unknown rows not applied where the fault applies them", expect: applied, setup: func(l *ledger) {
			l.record([]string{"a"}, opInsert, unknown, l.group(), "INSERT")
		}, want: []string{"INSERT: not applied (a), but the fault lets every write through"}},
		{name: "unknown rows applied where the fault stops them", expect: notApplied, setup: func(l *ledger) {
			l.exists("a", 0)
			l.record([]string{"a"}, opDelete, unknown, l.group(), "DELETE")
		}, want: []string{"DELETE: applied (a), but the fault stops every write it hits"}},
		{name: "update applied", setup: func(l *ledger) {
			l.exists("a", 1)
			l.record([]string{"a"}, opUpdate, written, 0, "UPDATE")
		}, recs: []rawRecord{rec(1, "a", 2)}},
		{name: "update lost", setup: func(l *ledger) {
			l.exists("a", 1)
			l.record([]string{"a"}, opUpdate, written, 0, "UPDATE")
		}, recs: []rawRecord{rec(1, "a", 1)}, want: []string{"key a: n is 1: updated 1 times, want 2 to 2"}},
		{name: "update applied twice", setup: func(l *ledger) {
			l.exists("a", 0)
			l.record([]string{"a"}, opUpdate, unknown, l.group(), "UPDATE")
		}, recs: []rawRecord{rec(1, "a", 2)}, want: []string{"key a: n is 2: updated 2 times, want 0 to 1"}},
		{name: "update reported not written, but applied", setup: func(l *ledger) {
			l.exists("a", 0)
			l.record([]string{"a"}, opUpdate, notWritten, 0, "UPDATE")
		}, recs: []rawRecord{rec(1, "a", 1)}, want: []string{"key a: n is 1: updated 1 times, want 0 to 0"}},
		{name: "deleted row still there", setup: func(l *ledger) {
			l.exists("a", 0)
			l.record([]string{"a"}, opDelete, written, 0, "DELETE")
		}, recs: []rawRecord{rec(1, "a", 0)}, want: []string{"key a: a record ($id 1) though it was reported as not written"}},
		{name: "a record nobody wrote", recs: []rawRecord{rec(9, "z", 0)}, want: []string{"key z: 1 records ($id 9) that no statement wrote"}},
		{name: "upsert applied to a record there", setup: func(l *ledger) {
			l.exists("a", 0)
			l.record([]string{"a", "b"}, opUpsert, unknown, l.group(), "UPSERT")
		}, recs: []rawRecord{rec(1, "a", upsertN), rec(2, "b", upsertN)}},
		{name: "upsert not applied", setup: func(l *ledger) {
			l.exists("a", 0)
			l.record([]string{"a", "b"}, opUpsert, unknown, l.group(), "UPSERT")
		}, recs: []rawRecord{rec(1, "a", 0)}},
		{name: "upsert applied to one row of its batch", setup: func(l *ledger) {
			l.exists("a", 0)
			l.record([]string{"a", "b"}, opUpsert, unknown, l.group(), "UPSERT rows 1-2")
		}, recs: []rawRecord{rec(1, "a", 0), rec(2, "b", upsertN)}, want: []string{"UPSERT rows 1-2: applied in part"}},
		{name: "upsert reported written, not applied", setup: func(l *ledger) {
			l.exists("a", 0)
			l.record([]string{"a"}, opUpsert, written, 0, "UPSERT")
		}, recs: []rawRecord{rec(1, "a", 0)}, want: []string{"key a: n is 0: updated 0 times, want 1 to 1"}},
		{name: "upsert of a new row lost", setup: func(l *ledger) { l.record([]string{"a"}, opUpsert, written, 0, "UPSERT") },
			want: []string{"key a: no record: the row is lost"}},
		{name: "upsert reported not written, but applied", setup: func(l *ledger) {
			l.exists("a", 0)
			l.record([]string{"a"}, opUpsert, notWritten, 0, "UPSERT")
		}, recs: []rawRecord{rec(1, "a", upsertN)}, want: []string{"key a: n is 1: updated 1 times, want 0 to 0"}},
		{name: "the logs say the unknown batch was stopped, but it was applied", expect: applied, setup: func(l *ledger) {
			g := l.group()
			l.record([]string{"a"}, opInsert, unknown, g, "INSERT")
			l.sentIn(g, window{n0: 7})
			l.resolve(func(w window) (verdict, string) {
				if w.n0 != 7 {
					t.Errorf("resolve was given window %+v, want the one noted", w)
				}
				return notApplied, "the gateway did not forward its request"
			})
		}, recs: []rawRecord{rec(1, "a", 0)}, want: []string{"INSERT: applied (a), but the gateway did not forward its request"}},
		{name: "the logs cannot tell: the fault case's verdict stands", expect: applied, setup: func(l *ledger) {
			g := l.group()
			l.record([]string{"a"}, opInsert, unknown, g, "INSERT")
			l.sentIn(g, window{})
			l.resolve(func(window) (verdict, string) { return either, "no idea" })
		}, want: []string{"INSERT: not applied (a), but the fault lets every write through"}},
		{name: "the history names the statement", setup: func(l *ledger) {
			l.record([]string{"a"}, opInsert, written, 0, "INSERT of 1 rows: ok")
		}, want: []string{"INSERT written: INSERT of 1 rows: ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLedger("ROWS w1", tt.expect)
			if tt.setup != nil {
				tt.setup(l)
			}
			got := l.check(tt.recs)
			if len(got) != len(tt.want) {
				t.Fatalf("violations:\n%s\nwant %d: %q", strings.Join(got, "\n"), len(tt.want), tt.want)
			}
			for i, v := range got {
				if !strings.Contains(v, tt.want[i]) {
					t.Errorf("violation %q, want one with %q", v, tt.want[i])
				}
			}
			// Then the ledger holds what the records show (a key twice, or
			// one no statement wrote, is wrong whatever the ledger holds).
			if again := l.check(tt.recs); slices.ContainsFunc(again, func(v string) bool {
				return !strings.Contains(v, "no statement wrote") && !strings.Contains(v, "more than once")
			}) {
				t.Errorf("a second check of the same records: %q", again)
			}
		})
	}
}

// TestOutcomesReadsTheDriversAnswerAsDocumented maps each form of the
// driver's answer to the rows' outcomes, and refuses a
// PartialWriteError that breaks its own rules.
func TestOutcomesReadsTheDriversAnswerAsDocumented(t *testing.T) {
	cause := errors.New("cause")
	pwe := func(p kintone.PartialWriteError) error {
		p.Err = cause
		return fmt.Errorf("wrapped: %w", &p)
	}
	tests := []struct {
		name  string
		err   error
		skips bool   // by $id
		want  string // describe's text, or the error's start
	}{
		{"success", nil, false, "rows 1-10 written"},
		{"error without PartialWriteError", cause, false, "rows 1-10 not written"},
		{"first batch unknown", pwe(kintone.PartialWriteError{Batch: 1, FirstRow: 1, LastRow: 4, Unknown: true}), false, "rows 1-4 unknown, rows 5-10 not written"},
		{"last batch unknown", pwe(kintone.PartialWriteError{Committed: 6, Batch: 2, FirstRow: 7, LastRow: 10, Unknown: true}), false, "rows 1-6 written, rows 7-10 unknown"},
		{"middle batch refused", pwe(kintone.PartialWriteError{Committed: 4, Batch: 2, FirstRow: 5, LastRow: 8}), false, "rows 1-4 written, rows 5-10 not written"},
		{"stopped while reading", pwe(kintone.PartialWriteError{Committed: 4, Batch: 2, FirstRow: 5}), false, "rows 1-4 written, rows 5-10 not written"},
		{"FirstRow outside", pwe(kintone.PartialWriteError{Committed: 10, Batch: 2, FirstRow: 11, LastRow: 12, Unknown: true}), false, "FirstRow 11 is outside"},
		{"Committed not the rows before", pwe(kintone.PartialWriteError{Committed: 3, Batch: 2, FirstRow: 5, LastRow: 8}), false, "Committed 3, but 4 rows come before"},
		{"by $id, rows before skipped", pwe(kintone.PartialWriteError{Committed: 3, Batch: 2, FirstRow: 5, LastRow: 8}), true, "rows 1-4 written, rows 5-10 not written"},
		{"by $id, more committed than rows before", pwe(kintone.PartialWriteError{Committed: 5, Batch: 2, FirstRow: 5, LastRow: 8}), true, "Committed 5, but only 4 rows come before"},
		{"unknown without its rows", pwe(kintone.PartialWriteError{Committed: 4, Batch: 2, FirstRow: 5, Unknown: true}), false, "an unknown batch of rows 5-0"},
		{"nothing written, nothing unknown", pwe(kintone.PartialWriteError{Batch: 1, FirstRow: 1, LastRow: 4}), false, "a PartialWriteError that says nothing was written"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spans, err := outcomes(10, tt.skips, tt.err)
			got := ""
			if err != nil {
				got = err.Error()
			} else {
				got = describe(spans)
			}
			if !strings.HasPrefix(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}
