package translate

import (
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
)

// changingKintone answers the pages of an offset read over records whose
// amounts the test changes between pages: each page sorts them as they
// are at that moment, as Kintone does.
type changingKintone struct {
	t        *testing.T
	recs     []Record
	requests int
}

func (k *changingKintone) page(req PageRequest) ([]Record, int64) {
	k.requests++
	q, err := kql.Parse(req.Query)
	if err != nil {
		k.t.Fatalf("query %q: %v", req.Query, err)
	}
	if q.Offset != nil && *q.Offset > MaxOffset || q.Limit == nil || *q.Limit > MaxPageSize {
		k.t.Fatalf("query %q breaks the API's limits", req.Query)
	}
	all := append([]Record(nil), k.recs...)
	sort.SliceStable(all, func(i, j int) bool {
		c, _ := compareValues(all[i]["amount"], all[j]["amount"], time.UTC)
		if c != 0 {
			return c < 0
		}
		return all[i]["$id"].(int64) < all[j]["$id"].(int64)
	})
	off := int64(0)
	if q.Offset != nil {
		off = *q.Offset
	}
	off = min(off, int64(len(all)))
	end := min(off+*q.Limit, int64(len(all)))
	out := make([]Record, 0, end-off)
	for _, r := range all[off:end] {
		out = append(out, Record{"$id": r["$id"], "amount": r["amount"]})
	}
	return out, int64(len(all))
}

func (k *changingKintone) set(id int64, amount string) {
	for _, r := range k.recs {
		if r["$id"] == id {
			r["amount"] = field.Decimal(amount)
			return
		}
	}
	k.t.Fatalf("no record %d", id)
}

func (k *changingKintone) remove(id int64) {
	for i, r := range k.recs {
		if r["$id"] == id {
			k.recs = append(k.recs[:i], k.recs[i+1:]...)
			return
		}
	}
	k.t.Fatalf("no record %d", id)
}

// TestPagingFollowsChangesBetweenPages reads 1,000 records by amount (the
// amount of $id i is i) in pages of 100, changing records after the first
// page, and checks that the rows stay in order, that every record that did
// not change comes exactly once, and how many requests that took.
func TestPagingFollowsChangesBetweenPages(t *testing.T) {
	for _, tc := range []struct {
		name     string
		after    int // pages read before the change
		change   func(k *changingKintone)
		changed  []int64
		requests int
		err      error
	}{
		// 100 records a page, then 100 + 1 overlapping the anchor: 10.
		{"nothing", 1, func(*changingKintone) {}, nil, 10, nil},
		// Records added before the anchor: it is found further on in
		// the page, no request more (but that page brings two fewer).
		{"added before", 1, func(k *changingKintone) {
			k.recs = append(k.recs, Record{"$id": int64(2001), "amount": field.Decimal("5.5")}, Record{"$id": int64(2002), "amount": field.Decimal("6.5")})
		}, []int64{2001, 2002}, 11, nil},
		// A record read is deleted: the anchor is one place back, found
		// in the page before (one request more).
		{"deleted before", 1, func(k *changingKintone) { k.remove(10) }, []int64{10}, 11, nil},
		// A record not read yet moves back, before the anchor: the
		// anchor is one further on, and the record is not read.
		{"moved back", 1, func(k *changingKintone) { k.set(500, "20.5") }, []int64{500}, 10, nil},
		// A record read moves on: the rest shift back by one, and it
		// comes again at its new place.
		{"moved on", 1, func(k *changingKintone) { k.set(20, "700.5") }, []int64{20}, 11, nil},
		// The anchor changes or goes: the record before it anchors the
		// read instead, found in the page before (one request more).
		{"anchor changed", 1, func(k *changingKintone) { k.set(100, "99.5") }, []int64{100}, 11, nil},
		{"anchor changed and moved on", 1, func(k *changingKintone) { k.set(100, "500.5") }, []int64{100}, 11, nil},
		{"anchor deleted", 1, func(k *changingKintone) { k.remove(100) }, []int64{100}, 11, nil},
		// Every record of the last page changed: nothing anchors it.
		{"last page changed", 2, func(k *changingKintone) {
			for id := int64(101); id <= 200; id++ {
				k.set(id, formatInt(5000+id))
			}
		}, nil, 4, ErrRecordsChanged},
		// More records than a page move from before the anchor to
		// after it: the anchor moved more than a page back.
		{"moved too far", 3, func(k *changingKintone) {
			for id := int64(1); id <= 150; id++ {
				k.set(id, formatInt(2000+id))
			}
		}, nil, 5, ErrRecordsChanged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := &changingKintone{t: t}
			for i := range 1000 {
				k.recs = append(k.recs, Record{"$id": int64(i + 1), "amount": field.Decimal(formatInt(int64(i + 1)))})
			}
			r := &Read{Strategy: StrategyOffset, PageSize: 100, codec: field.Codec{Location: time.UTC},
				Query: &kql.Query{OrderBy: []kql.OrderKey{{Field: "amount", Explicit: true}, {Field: "$id", Explicit: true}}}}
			pg := r.Paging()
			var got []Record
			var err error
			for pages := 0; ; pages++ {
				req, more := pg.Next()
				if !more {
					break
				}
				recs, total := k.page(req)
				var out []Record
				out, err = pg.Accept(recs, total)
				if err != nil {
					break
				}
				got = append(got, out...)
				if pages == tc.after-1 {
					tc.change(k)
				}
			}
			if !errors.Is(err, tc.err) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			if k.requests != tc.requests {
				t.Errorf("%d requests, want %d", k.requests, tc.requests)
			}
			if tc.err != nil {
				return
			}
			seen := map[int64]int{}
			for i, rec := range got {
				seen[rec["$id"].(int64)]++
				if i > 0 && r.compareOrder(got[i-1], rec) >= 0 {
					t.Fatalf("row %d out of order: %v after %v", i, rec, got[i-1])
				}
			}
			skip := map[int64]bool{}
			for _, id := range tc.changed {
				skip[id] = true
			}
			for _, rec := range k.recs {
				if id := rec["$id"].(int64); !skip[id] && seen[id] != 1 {
					t.Errorf("record %d came %d times", id, seen[id])
				}
			}
		})
	}
}

// TestPagingFallsBackToACursor checks the first page of a read that may
// pass the offset limit: its total decides.
func TestPagingFallsBackToACursor(t *testing.T) {
	r := &Read{Strategy: StrategyOffset, PageSize: 500, CursorFallback: true, codec: field.Codec{Location: time.UTC},
		Query: &kql.Query{OrderBy: []kql.OrderKey{{Field: "amount", Explicit: true}, {Field: "$id", Explicit: true}}}}
	page := []Record{{"$id": int64(1), "amount": field.Decimal("1")}}
	for _, tc := range []struct {
		offset, max, total int64
		fallback           bool
	}{
		{0, 0, 10000, false},
		{0, 0, 10001, true},
		{9000, 0, 10000, false},
		{9000, 0, 10001, true},
		{9000, 1000, 20000, false},
		{9000, 1001, 20000, true},
		{9000, 1001, 9500, false},
	} {
		r.Offset, r.MaxRecords = tc.offset, tc.max
		pg := r.Paging()
		out, err := pg.Accept(page, tc.total)
		if err != nil || pg.Fallback() != tc.fallback || tc.fallback && out != nil {
			t.Errorf("offset %d, max %d, total %d: fallback %v, %d records, %v", tc.offset, tc.max, tc.total, pg.Fallback(), len(out), err)
		}
		if _, more := pg.Next(); more && tc.fallback {
			t.Errorf("offset %d, max %d, total %d: more pages after falling back", tc.offset, tc.max, tc.total)
		}
	}
}

// TestKeysetQuery checks the query of a keyset page: the read's condition
// and the records after the last one's sort keys, with < for descending
// keys, and an error rather than a query for a key it cannot print.
func TestKeysetQuery(t *testing.T) {
	s := plan(t, "SELECT title FROM ORD WHERE amount >= 10 ORDER BY 作成日時 DESC", Options{})
	if s.Strategy() != StrategyKeyset {
		t.Fatalf("strategy %s", s.Strategy())
	}
	at := time.Date(2024, 1, 2, 3, 4, 0, 0, time.FixedZone("+09:00", 9*3600))
	got, err := s.Read.keysetQuery(Record{"作成日時": at, "$id": int64(7)}, 500)
	want := `amount >= 10 and (作成日時 < "2024-01-01T18:04:00Z" or (作成日時 = "2024-01-01T18:04:00Z" and $id > 7)) order by 作成日時 desc, $id asc limit 500`
	if err != nil || got != want {
		t.Fatalf("keyset query\n got %s (%v)\nwant %s", got, err, want)
	}
	if _, err := s.Read.keysetQuery(Record{"作成日時": nil, "$id": int64(7)}, 500); err == nil {
		t.Fatal("a keyset page after an empty key: no error")
	}
	if !strings.Contains(plan(t, "SELECT title FROM ORD ORDER BY amount", Options{}).Explain(), "cursor instead: when the first page's total shows the read passes offset 10000") {
		t.Error("EXPLAIN does not say when an offset read falls back to a cursor")
	}
}
