package scan

import (
	"errors"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/internal/field"
)

// A read by $id ends at a short page or at a page that holds its own
// total, never on the total of an earlier page; and it asks for a total
// only on its first page and on a page that may be the last.
func TestSeekEndStopsOnlyOnThePagesOwnTotal(t *testing.T) {
	type page struct {
		n     int
		total int64 // -1: not asked
	}
	for _, tc := range []struct {
		name  string
		limit int
		pages []page
		ask   []bool // AskTotal before each page
		last  int    // the index of the page that ends the read
	}{
		{"one full page that holds its total", 100, []page{{100, 100}}, []bool{true}, 0},
		{"a short page", 100, []page{{40, 40}}, []bool{true}, 0},
		{"ten full pages", 100, []page{{100, 1000}, {100, -1}, {100, -1}, {100, -1}, {100, -1}, {100, -1}, {100, -1}, {100, -1}, {100, -1}, {100, 100}},
			[]bool{true, false, false, false, false, false, false, false, false, true}, 9},
		// A record came in after the first page: the page the first total
		// said was the last is not, by its own total; the next one asks
		// again and ends the read.
		{"a record came in", 100, []page{{100, 300}, {100, -1}, {100, 101}, {1, 1}}, []bool{true, false, true, true}, 3},
		// Records went: the read ends at a short page.
		{"records went", 100, []page{{100, 300}, {100, -1}, {50, 50}}, []bool{true, false, true}, 2},
		// Records went so that a full page was all: one empty page more.
		{"records went, a full page was all", 100, []page{{100, 400}, {100, -1}, {0, -1}}, []bool{true, false, false}, 2},
		// No total at all (Kintone left it out): short pages end the read.
		{"no total", 100, []page{{100, -1}, {100, -1}, {10, -1}}, []bool{true, true, true}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := NewSeekEnd()
			for i, pg := range tc.pages {
				if got := e.AskTotal(tc.limit); got != tc.ask[i] {
					t.Fatalf("page %d: AskTotal %v, want %v", i, got, tc.ask[i])
				}
				last := e.Last(pg.n, tc.limit, pg.total)
				if last != (i == tc.last) {
					t.Fatalf("page %d: Last %v, want the read to end at page %d", i, last, tc.last)
				}
			}
		})
	}
}

// The change check pages by $id too: each of its pages ends it only by
// that page's own total. A record changed into the check's window after
// its first page (its update time is in the window) counts in no earlier
// total; stopping on the first total would leave out the last record of
// the window, here one that an edit moved among the rows read.
func TestChangeCheckStopsOnlyOnThePagesOwnTotal(t *testing.T) {
	k := newChangingKintone(t, 1000)
	r := amountRead()
	pg := r.Paging()
	var req PageRequest
	for {
		var more bool
		if req, more = pg.Next(); !more {
			t.Fatal("the read ended without a change check")
		}
		if req.Check {
			break
		}
		recs, total := k.page(req)
		pg.Began(k.now)
		if _, err := pg.Accept(recs, total); err != nil {
			t.Fatal(err)
		}
	}
	// Records added during the read (revision 1: no concern of the
	// check), 1,000 in the window when its first page is read.
	added := func(from, n int64) []Record {
		var out []Record
		for id := from; id < from+n; id++ {
			out = append(out, Record{"$id": id, "$revision": int64(1), "更新日時": k.now, "amount": field.Decimal("5000")})
		}
		return out
	}
	if _, err := pg.Accept(added(2001, 500), 1000); err != nil {
		t.Fatal(err)
	}
	if req, more := pg.Next(); !more || !strings.Contains(req.Query, "$id > 2500") {
		t.Fatalf("after the check's first page: %q, %v", req.Query, more)
	}
	// One more came into the window meanwhile: 501 follow $id 2500.
	if _, err := pg.Accept(added(2501, 500), 501); err != nil {
		t.Fatal(err)
	}
	req, more := pg.Next()
	if !more || !strings.Contains(req.Query, "$id > 3000") {
		t.Fatalf("the check stopped at 1,000 records, on its first page's total; its second page said 501 follow (%q, %v)", req.Query, more)
	}
	moved := Record{"$id": int64(3001), "$revision": int64(2), "更新日時": k.now, "amount": field.Decimal("20.5")}
	if _, err := pg.Accept([]Record{moved}, 1); !errors.Is(err, ErrRecordsChanged) {
		t.Fatalf("a record moved among the rows read, in the check's last page: %v, want ErrRecordsChanged", err)
	}
}
