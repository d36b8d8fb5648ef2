package search

import (
	"testing"

	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// TestSubtable checks conditions on fields inside a SUBTABLE (A.6.6): any
// row for positive conditions, every row (and at least one) for negative
// ones, never a record without rows, and the same-row rule for conditions
// joined by "and".
func TestSubtable(t *testing.T) {
	recs := []*store.Record{
		rec(1, v{"title": "t", "table": rows(v{"name": "apple", "qty": "100"}, v{"name": "orange", "qty": "200"})}),
		rec(2, v{"table": rows(v{"name": "apple", "qty": "200", "ResponseDate": "2022-09-29T05:00:00Z"})}),
		rec(3, v{"title": "t", "table": rows()}),
		rec(4, v{}),
		rec(5, v{"table": rows(
			v{"name": "banana", "qty": "300", "notes": "", "tcheck": []string{"A"}},
			v{"name": "banana", "qty": "50", "notes": "x", "tcheck": []string{"B"}})}),
		rec(6, v{"table": rows(v{"name": "", "qty": ""})}),
		rec(7, v{"table": rows(v{"name": "kiwi", "qty": "10", "notes": "y", "tusers": users("sato"), "tdate": "2024-05-15"})}),
	}
	runMatches(t, testEnv(), recs, []matchCase{
		// Positive conditions: at least one row.
		{`name in ("apple")`, ids(1, 2)},
		{`name in ("orange", "kiwi")`, ids(1, 7)},
		{`qty > 150`, ids(1, 2, 5)},
		{`qty < 60`, ids(5, 6, 7)}, // the empty qty of record 6 is minus infinity
		{`qty >= 300`, ids(5)},
		{`name like "apple"`, ids(1, 2)},
		{`notes is empty`, ids(1, 2, 5, 6)},
		{`tcheck in ("A")`, ids(5)},
		{`tusers in (LOGINUSER())`, ids(7)},
		{`tdate >= TODAY()`, ids(7)},
		{`tdate in (TODAY(), "2020-01-01")`, ids(7)},
		// in and not in stand in for = and != inside a table, on every type
		// that has = (A.4); this is the official example (A.6.4).
		{`ResponseDate in ("2022-09-29T05:00:00Z")`, ids(2)},
		{`ResponseDate in ("2022-09-29T14:00:00+09:00", "2000-01-01T00:00:00Z")`, ids(2)},
		{`ResponseDate not in ("2022-09-29T05:00:00Z")`, ids(1, 5, 6, 7)},
		{`ResponseDate >= "2022-09-29T05:00:00Z"`, ids(2)},
		// Zero rows never match, not even in ("").
		{`name in ("")`, ids(6)},
		// Negative conditions: at least one row, and every row passes.
		{`name not in ("apple")`, ids(5, 6, 7)},
		{`name not in ("banana")`, ids(1, 2, 6, 7)},
		{`name not like "apple"`, ids(5, 6, 7)},
		{`notes is not empty`, ids(7)},
		{`tcheck not in ("A")`, ids(1, 2, 6, 7)},
		{`tusers not in (LOGINUSER())`, ids(1, 2, 5, 6)},
		// The same-row rule (A.6.6's example).
		{`name in ("apple") and qty in ("100")`, ids(1)},
		{`name in ("apple") and qty in ("200")`, ids(2)},
		{`qty in ("200") and name in ("apple")`, ids(2)},
		{`name in ("banana") and qty > 100 and notes is empty`, ids(5)},
		{`name in ("banana") and qty < 100 and notes is empty`, nil},
		{`name in ("apple") and qty in ("100") and title = "t"`, ids(1)},
		{`title = "t" and name in ("apple") and qty in ("200")`, nil},
		// Parentheses and or: independent EXISTS tests [U].
		{`(name in ("apple")) and qty in ("200")`, ids(1, 2)},
		{`name in ("apple") and (qty in ("200"))`, ids(1, 2)},
		{`name in ("apple") or qty in (300)`, ids(1, 2, 5)},
		{`(name in ("apple") and qty in ("100")) or name in ("kiwi")`, ids(1, 7)},
		// A negative condition beside a same-row group keeps its every-row
		// meaning [U].
		{`name in ("apple") and qty not in ("100")`, ids(2)},
		{`name in ("banana") and notes is not empty`, nil},
	})
}
