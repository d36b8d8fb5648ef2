package translate

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/internal/scan"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// A cursor read done without a cursor reads by $id and sorts in Go: in the
// SQL order, the rows a cursor would hand on (after Read.Offset, at most
// Read.MaxRecords), holding only those when there is a LIMIT, and refusing
// (Fits, then ErrTooManyRows) to hold more than maxBufferedRows, or
// scan.NoCursorHold when that is not set.
func TestSortedReadWithoutACursor(t *testing.T) {
	big := bigApp(3000)
	for _, tc := range []struct {
		sql   string
		opts  Options
		total int64
		fits  bool
		want  []int64
	}{
		{"SELECT $id FROM ORD ORDER BY amount DESC", Options{Cursor: CursorAlways}, 3000, true, ids(byAmountDesc(big))},
		// A cursor read leaves OFFSET and LIMIT to the pipeline, reading
		// offset + limit records (Read.MaxRecords).
		{"SELECT $id FROM ORD ORDER BY amount DESC LIMIT 5 OFFSET 10000", Options{}, 3000, true, ids(byAmountDesc(big))},
		{"SELECT $id FROM ORD ORDER BY amount DESC LIMIT 700 OFFSET 20", Options{Cursor: CursorAlways}, 3000, true, ids(byAmountDesc(big)[:720])},
		// An offset read that would go on through a cursor skips its
		// Read.Offset records.
		{"SELECT $id FROM ORD ORDER BY amount DESC LIMIT 600 OFFSET 100", Options{}, 3000, true, ids(byAmountDesc(big)[100:700])},
		{"SELECT $id FROM ORD ORDER BY amount DESC", Options{Cursor: CursorAlways, MaxBufferedRows: 2999}, 3000, false, nil},
		{"SELECT $id FROM ORD ORDER BY amount DESC LIMIT 700", Options{Cursor: CursorAlways, MaxBufferedRows: 1000}, 3000, true, ids(byAmountDesc(big)[:700])},
		{"SELECT $id FROM ORD ORDER BY amount DESC", Options{Cursor: CursorAlways}, scan.NoCursorHold + 1, false, nil},
		// Every matching record is read for a LIMIT: at most twice the
		// requests of the cursor it would wait for (create, two pages,
		// delete: 4), so 8 pages of 500.
		{"SELECT $id FROM ORD ORDER BY amount DESC LIMIT 600", Options{Cursor: CursorAlways}, 3000, true, ids(byAmountDesc(big)[:600])},
		{"SELECT $id FROM ORD ORDER BY amount DESC LIMIT 600", Options{Cursor: CursorAlways}, 4000, true, ids(byAmountDesc(big)[:600])},
		{"SELECT $id FROM ORD ORDER BY amount DESC LIMIT 600", Options{Cursor: CursorAlways}, 4001, false, nil},
		{"SELECT $id FROM ORD ORDER BY amount DESC LIMIT 600", Options{Cursor: CursorAlways}, 20000, false, nil},
		// useCursor=never (an offset read whose update time is hidden):
		// no cursor to wait for, only what it may hold counts.
		{"SELECT $id FROM ORD ORDER BY amount DESC LIMIT 600", Options{Cursor: CursorNever}, 20000, true, ids(byAmountDesc(big)[:600])},
		{"SELECT $id FROM ORD ORDER BY amount DESC LIMIT 700", Options{Cursor: CursorNever, MaxBufferedRows: 600}, 3000, false, nil},
	} {
		s := planOf(t, tc.sql, tc.opts)
		if s.Strategy() != StrategyCursor && s.Strategy() != StrategyOffset {
			t.Fatalf("%s: strategy %s", tc.sql, s.Strategy())
		}
		srt := s.Read.Sorted()
		if srt.Fits(tc.total) != tc.fits {
			t.Errorf("%s: Fits(%d) = %v", tc.sql, tc.total, !tc.fits)
		}
		if !tc.fits {
			continue
		}
		// Pages in $id order, as Query asks.
		var after int64
		for i := 0; i < len(big); i += 500 {
			q, limit := srt.Query(after)
			want := "order by $id asc limit 500"
			if after > 0 {
				want = "$id > " + catalog.FormatInt(after) + " " + want
			}
			if q != want || limit != 500 {
				t.Fatalf("%s: query %q, limit %d", tc.sql, q, limit)
			}
			if err := srt.Add(slices.Clone(big[i : i+500])); err != nil {
				t.Fatal(err)
			}
			if keep, all := srt.Held(); s.Read.MaxRecords > 0 && (int64(keep) > s.Read.Offset+s.Read.MaxRecords || all > 0) {
				t.Fatalf("%s: holds %d records, keeping %d", tc.sql, keep+all, s.Read.Offset+s.Read.MaxRecords)
			}
			after = big[i+499]["$id"].(int64)
		}
		got := ids(srt.Rows())
		if !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("%s: %d rows, want %d", tc.sql, len(got), len(tc.want))
		}
	}
	// Records added after the total was read: past the cap, the read fails.
	s := planOf(t, "SELECT $id FROM ORD ORDER BY amount DESC", Options{Cursor: CursorAlways, MaxBufferedRows: 600})
	srt := s.Read.Sorted()
	if err := srt.Add(big[:500]); err != nil {
		t.Fatal(err)
	}
	if err := srt.Add(big[500:1000]); !errors.Is(err, sqlerr.ErrTooManyRows) {
		t.Fatalf("holding 1000 of at most 600: %v", err)
	}
	if !strings.Contains(planOf(t, "SELECT $id FROM ORD ORDER BY amount DESC", Options{Cursor: CursorAlways, MaxBufferedRows: 600}).Explain(),
		"no cursor free: $id pages sorted in Go when they hold at most 600 records and take at most 2 times the requests of a cursor, else wait for one") {
		t.Error("EXPLAIN does not say what a cursor read does without a cursor")
	}
	never := planOf(t, "SELECT $id FROM ORD ORDER BY amount DESC LIMIT 700", Options{Cursor: CursorNever, MaxBufferedRows: 600})
	if !never.Read.NoCursor || !strings.Contains(never.Explain(), "update time hidden (no change check): $id pages sorted in Go when they hold at most 600 records, else fail (useCursor=never)") {
		t.Errorf("EXPLAIN does not say what a useCursor=never offset read does when the update time is hidden:\n%s", never.Explain())
	}
	if err := never.Read.Sorted().TooMany(3000); !errors.Is(err, sqlerr.ErrTooManyRows) || !strings.Contains(err.Error(), "3000 records") {
		t.Errorf("TooMany: %v", err)
	}
}

func ids(recs []catalog.Record) []int64 {
	out := make([]int64, len(recs))
	for i, r := range recs {
		out[i] = r["$id"].(int64)
	}
	return out
}

// With a LIMIT, a sorted read without a cursor keeps its rows in a bounded
// heap: once it holds them, a page costs no allocation (before, each page
// allocated a merged copy of every row kept: pages times LIMIT), and the
// rows are the first in the SQL order.
func TestSortedReadWithALimitAllocatesNothingPerPage(t *testing.T) {
	s := planOf(t, "SELECT $id, title FROM ORD ORDER BY title DESC LIMIT 1000", Options{Cursor: CursorAlways})
	if s.Strategy() != StrategyCursor {
		t.Fatalf("strategy %s", s.Strategy())
	}
	big := bigApp(3000)
	srt := s.Read.Sorted()
	for i := 0; i < 1500; i += 500 {
		if err := srt.Add(big[i : i+500]); err != nil {
			t.Fatal(err)
		}
	}
	page := big[1500:2000]
	if allocs := testing.AllocsPerRun(20, func() {
		if err := srt.Add(page); err != nil {
			t.Fatal(err)
		}
	}); allocs != 0 {
		t.Errorf("%.0f allocations per page of 500 with 1,000 rows kept, want 0", allocs)
	}
	srt = s.Read.Sorted()
	for i := 0; i < len(big); i += 500 {
		if err := srt.Add(big[i : i+500]); err != nil {
			t.Fatal(err)
		}
	}
	want := slices.Clone(big)
	slices.SortStableFunc(want, s.Read.CompareOrder)
	if got := ids(srt.Rows()); !slices.Equal(got, ids(want[:1000])) {
		t.Errorf("rows by title desc, $id: got %v..., want %v...", got[:5], ids(want[:5]))
	}
}
