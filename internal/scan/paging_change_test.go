package scan

import (
	"cmp"
	"errors"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
)

// changingKintone answers the pages of an offset read over records whose
// amounts the test changes between pages: each page sorts them as they
// are at that moment, as Kintone does. Every change sets the record's
// update time to the clock's minute and adds one to its revision; the
// change check's pages (ordered by $id) select by update time and $id.
type changingKintone struct {
	t        *testing.T
	recs     []Record
	now      time.Time
	nextID   int64
	requests int
	checks   int // requests of the change check
}

func newChangingKintone(t *testing.T, n int) *changingKintone {
	k := &changingKintone{t: t, now: time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC), nextID: int64(n + 1)}
	for i := range n {
		k.recs = append(k.recs, Record{"$id": int64(i + 1), "$revision": int64(1), "更新日時": k.now,
			"amount": field.Decimal(fmtInt(int64(i + 1)))})
	}
	// The read runs an hour after the records were written.
	k.now = k.now.Add(time.Hour)
	return k
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
	all := slices.Clone(k.recs)
	if q.OrderBy[0].Field == "$id" {
		k.checks++
		all = k.changedSince(q)
	} else {
		sort.SliceStable(all, func(i, j int) bool {
			c, _ := compareValues(all[i]["amount"], all[j]["amount"])
			if c != 0 {
				return c < 0
			}
			return all[i]["$id"].(int64) < all[j]["$id"].(int64)
		})
	}
	off := int64(0)
	if q.Offset != nil {
		off = *q.Offset
	}
	off = min(off, int64(len(all)))
	end := min(off+*q.Limit, int64(len(all)))
	out := make([]Record, 0, end-off)
	for _, r := range all[off:end] {
		p := Record{}
		for _, f := range req.Fields {
			if v, ok := r[f]; ok {
				p[f] = v
			}
		}
		if req.Fields == nil {
			p = Record{"$id": r["$id"], "amount": r["amount"]}
		}
		out = append(out, p)
	}
	return out, int64(len(all))
}

// changedSince answers a change check's query: the records that pass its
// condition (on the update time and $id only, with and and or), by $id.
func (k *changingKintone) changedSince(q *kql.Query) []Record {
	if !strings.Contains(q.String(), "更新日時 >= ") {
		k.t.Fatalf("change check %q without the update time", q.String())
	}
	var out []Record
	for _, r := range k.recs {
		if k.holds(q.Where, r) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b Record) int { return cmp.Compare(a["$id"].(int64), b["$id"].(int64)) })
	return out
}

// holds evaluates a change check's condition on r.
func (k *changingKintone) holds(e kql.Expr, r Record) bool {
	switch x := e.(type) {
	case *kql.Paren:
		return k.holds(x.X, r)
	case *kql.And:
		for _, t := range x.Terms {
			if !k.holds(t, r) {
				return false
			}
		}
		return true
	case *kql.Or:
		for _, t := range x.Terms {
			if k.holds(t, r) {
				return true
			}
		}
		return false
	case *kql.Cond:
		switch {
		case x.Field == "更新日時" && x.Op == field.Ge:
			since, err := time.Parse(time.RFC3339, x.Values[0].Text)
			if err != nil {
				k.t.Fatalf("update time %q: %v", x.Values[0].Text, err)
			}
			return !r["更新日時"].(time.Time).Before(since)
		case x.Field == "$id" && (x.Op == field.Gt || x.Op == field.Lt):
			v, _ := strconv.ParseInt(x.Values[0].Text, 10, 64)
			if x.Op == field.Gt {
				return r["$id"].(int64) > v
			}
			return r["$id"].(int64) < v
		}
	}
	k.t.Fatalf("change check: unexpected condition %#v", e)
	return false
}

func (k *changingKintone) set(id int64, amount string) {
	for _, r := range k.recs {
		if r["$id"] == id {
			r["amount"] = field.Decimal(amount)
			r["更新日時"] = k.now.Truncate(time.Minute)
			r["$revision"] = r["$revision"].(int64) + 1
			return
		}
	}
	k.t.Fatalf("no record %d", id)
}

func (k *changingKintone) add(amount string) {
	k.recs = append(k.recs, Record{"$id": k.nextID, "$revision": int64(1), "更新日時": k.now.Truncate(time.Minute), "amount": field.Decimal(amount)})
	k.nextID++
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

// snapshot returns each record's amount by $id.
func (k *changingKintone) snapshot() map[int64]any {
	out := map[int64]any{}
	for _, r := range k.recs {
		out[r["$id"].(int64)] = r["amount"]
	}
	return out
}

// amountRead is an offset read of k's records by amount in pages of 100.
func amountRead() *Spec {
	return &Spec{Strategy: Offset, PageSize: 100, Location: time.UTC, UpdateTime: "更新日時",
		Compare: compareNullsFirst, Describe: describeKeys,
		Fields: []string{"$id", "amount"},
		Query:  &kql.Query{OrderBy: []kql.OrderKey{{Field: "amount", Explicit: true}, {Field: "$id", Explicit: true}}}}
}

// readChanging reads r's pages from k as the driver does (the first answer
// dated by k's clock), running change after the after-th answer.
func readChanging(k *changingKintone, r *Spec, after int, change func(*changingKintone)) ([]Record, error) {
	pg := r.Paging()
	var got []Record
	for answers := 0; ; answers++ {
		req, more := pg.Next()
		if !more {
			return got, nil
		}
		recs, total := k.page(req)
		pg.Began(k.now)
		out, err := pg.Accept(recs, total)
		if err != nil {
			return got, err
		}
		if pg.Fallback() {
			return got, errFellBack
		}
		got = append(got, out...)
		if answers == after-1 {
			change(k)
		}
	}
}

var errFellBack = errors.New("the read went on through a cursor")

// TestPagingFollowsChangesBetweenPages reads 1,000 records by amount (the
// amount of $id i is i) in pages of 100, changing records after the first
// pages, and checks that the rows come in order, no record twice, and that
// every record there before and after the read comes exactly once, or that
// the read fails with ErrRecordsChanged where it cannot know that; and how
// many requests that took (the last of them is the change check).
func TestPagingFollowsChangesBetweenPages(t *testing.T) {
	for _, tc := range []struct {
		name     string
		after    int // pages read before the change
		change   func(k *changingKintone)
		requests int
		err      error
	}{
		// 100 records a page, then 100 + 1 overlapping the anchor: 10,
		// and the change check.
		{"nothing", 1, func(*changingKintone) {}, 11, nil},
		// Records added before the anchor: it is found further on in
		// the page, no request more (but that page brings two fewer).
		// The added records were missed, which the check allows.
		{"added before", 1, func(k *changingKintone) { k.add("5.5"); k.add("6.5") }, 12, nil},
		// A record read is deleted: the anchor is one place back, found
		// in the page before (one request more).
		{"deleted before", 1, func(k *changingKintone) { k.remove(10) }, 12, nil},
		// A record not read yet moves back, before the anchor: the
		// anchor is one further on, and the record is missed: the change
		// check finds it.
		{"moved back", 1, func(k *changingKintone) { k.set(500, "20.5") }, 11, ErrRecordsChanged},
		// A record added, then edited: the check cannot tell it from one
		// that was there, and says that records changed.
		{"added before, then changed", 1, func(k *changingKintone) { k.add("5.5"); k.set(1001, "6.5") }, 12, ErrRecordsChanged},
		// A record not read moves back, but not as far as the read went.
		{"moved back, not read yet", 1, func(k *changingKintone) { k.set(900, "300.5") }, 11, nil},
		// A record read moves on: the rest shift back by one, and it is
		// met again at its new place, and left out.
		{"moved on", 1, func(k *changingKintone) { k.set(20, "700.5") }, 12, nil},
		// The anchor changes or goes: the record before it anchors the
		// read instead, found in the page before (one request more).
		{"anchor changed", 1, func(k *changingKintone) { k.set(100, "99.5") }, 12, nil},
		{"anchor changed and moved on", 1, func(k *changingKintone) { k.set(100, "500.5") }, 12, nil},
		{"anchor deleted", 1, func(k *changingKintone) { k.remove(100) }, 12, nil},
		// Every record of the last page changed: nothing anchors it.
		{"last page changed", 2, func(k *changingKintone) {
			for id := int64(101); id <= 200; id++ {
				k.set(id, fmtInt(5000+id))
			}
		}, 4, ErrRecordsChanged},
		// More records than a page move from before the anchor to
		// after it: the anchor moved more than a page back.
		{"moved too far", 3, func(k *changingKintone) {
			for id := int64(1); id <= 150; id++ {
				k.set(id, fmtInt(2000+id))
			}
		}, 5, ErrRecordsChanged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := newChangingKintone(t, 1000)
			before := k.snapshot()
			r := amountRead()
			got, err := readChanging(k, r, tc.after, tc.change)
			if !errors.Is(err, tc.err) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			if k.requests != tc.requests {
				t.Errorf("%d requests, want %d", k.requests, tc.requests)
			}
			if tc.err != nil {
				return
			}
			after := k.snapshot()
			seen := map[int64]int{}
			for i, rec := range got {
				seen[rec["$id"].(int64)]++
				if i > 0 && r.CompareOrder(got[i-1], rec) >= 0 {
					t.Fatalf("row %d out of order: %v after %v", i, rec, got[i-1])
				}
			}
			for id, n := range seen {
				if n > 1 {
					t.Errorf("record %d came %d times", id, n)
				}
			}
			for id := range before {
				if _, ok := after[id]; ok && seen[id] != 1 {
					t.Errorf("record %d came %d times", id, seen[id])
				}
			}
		})
	}
}

// The change check asks for the update time: when the first page shows
// that Kintone leaves it out (the user may not view the field), a read of
// several pages goes on through a cursor before handing anything on; a
// read of one page needs no check.
func TestPagingWithoutTheUpdateTimeGoesOnThroughACursor(t *testing.T) {
	for _, n := range []int{1000, 50} {
		k := newChangingKintone(t, n)
		for _, rec := range k.recs {
			delete(rec, "更新日時")
		}
		r := amountRead()
		got, err := readChanging(k, r, 1, func(*changingKintone) {})
		if n > r.PageSize && (!errors.Is(err, errFellBack) || len(got) != 0 || k.requests != 1) {
			t.Fatalf("%d records: %d rows, %d requests, %v; want a cursor after one request, nothing handed on", n, len(got), k.requests, err)
		}
		if n <= r.PageSize && (err != nil || len(got) != n || k.requests != 1) {
			t.Fatalf("%d records: %d rows, %d requests, %v; want one page", n, len(got), k.requests, err)
		}
	}
}

// The change check covers what the reader took: a reader that stops (a
// LIMIT applied after the read) gets the check of the rows up to its last
// one, and a record moved beyond them does not fail it.
func TestPagingStopChecksTheRowsTaken(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(k *changingKintone)
		take   int
		err    error
		checks int
	}{
		{"moved among the rows taken", func(k *changingKintone) { k.set(500, "20.5") }, 250, ErrRecordsChanged, 1},
		{"moved back, beyond the rows taken", func(k *changingKintone) { k.set(500, "270.5") }, 250, nil, 1},
		{"rows of the first page only", func(k *changingKintone) { k.set(500, "20.5") }, 80, nil, 0},
		{"nothing taken", func(k *changingKintone) { k.set(500, "20.5") }, 0, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := newChangingKintone(t, 1000)
			r := amountRead()
			pg := r.Paging()
			var got []Record
			for answers := 0; answers < 3; answers++ {
				req, _ := pg.Next()
				recs, total := k.page(req)
				pg.Began(k.now)
				out, err := pg.Accept(recs, total)
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, out...)
				if answers == 0 {
					tc.change(k)
				}
			}
			var last Record
			if tc.take > 0 {
				last = got[tc.take-1]
			}
			pg.Stop(last)
			var err error
			for {
				req, more := pg.Next()
				if !more {
					break
				}
				recs, total := k.page(req)
				if out, aerr := pg.Accept(recs, total); aerr != nil || len(out) != 0 {
					err = aerr
					break
				}
			}
			if !errors.Is(err, tc.err) || k.checks != tc.checks {
				t.Fatalf("error %v after %d check requests, want %v after %d", err, k.checks, tc.err, tc.checks)
			}
		})
	}
}

// TestPagingFallsBackToACursor checks the first page of a read that may
// pass the offset limit: its total decides.
func TestPagingFallsBackToACursor(t *testing.T) {
	r := &Spec{Strategy: Offset, PageSize: 500, CursorFallback: true, Location: time.UTC,
		Compare: compareNullsFirst, Describe: describeKeys,
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
	// SELECT title FROM ORD WHERE amount >= 10 ORDER BY 作成日時 DESC
	r := ordSpec(t, Keyset, "amount >= 10 order by 作成日時 desc, $id asc", []string{"$id", "作成日時", "title"}, false)
	at := time.Date(2024, 1, 2, 3, 4, 0, 0, time.FixedZone("+09:00", 9*3600))
	got, err := r.keysetQuery(Record{"作成日時": at, "$id": int64(7)}, 500)
	want := `amount >= 10 and (作成日時 < "2024-01-01T18:04:00Z" or (作成日時 = "2024-01-01T18:04:00Z" and $id > 7)) order by 作成日時 desc, $id asc limit 500`
	if err != nil || got != want {
		t.Fatalf("keyset query\n got %s (%v)\nwant %s", got, err, want)
	}
	if _, err := r.keysetQuery(Record{"作成日時": nil, "$id": int64(7)}, 500); err == nil {
		t.Fatal("a keyset page after an empty key: no error")
	}
}

// Right after an import every record was updated in the minute the read
// begins, so the change check's window holds them all. When the $ids
// handed on leave few gaps, the check asks only for the others: one
// request, which still finds a record that moved back among the rows read.
// When they leave many (a condition that matches every other record), it
// asks for every recent record, a request per 500.
func TestChangeCheckAfterAnImport(t *testing.T) {
	for _, tc := range []struct {
		name   string
		n      int
		sparse bool // every other record deleted before the read
		change func(k *changingKintone)
		checks int
		err    error
	}{
		{"dense", 1000, false, func(*changingKintone) {}, 1, nil},
		{"dense, a record moved back", 1000, false, func(k *changingKintone) { k.set(500, "20.5") }, 1, ErrRecordsChanged},
		{"sparse", 2400, true, func(*changingKintone) {}, 3, nil},
		{"sparse, a record moved back", 2400, true, func(k *changingKintone) { k.set(1501, "20.5") }, 2, ErrRecordsChanged},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := newChangingKintone(t, tc.n)
			k.now = k.now.Add(-time.Hour) // the records were written this minute
			if tc.sparse {
				for id := int64(2); id <= int64(tc.n); id += 2 {
					k.remove(id)
				}
			}
			r := amountRead()
			got, err := readChanging(k, r, 1, tc.change)
			if !errors.Is(err, tc.err) || k.checks != tc.checks {
				t.Fatalf("error %v after %d check requests, want %v after %d", err, k.checks, tc.err, tc.checks)
			}
			if err == nil && len(got) != len(k.recs) {
				t.Fatalf("%d rows, want %d", len(got), len(k.recs))
			}
		})
	}
}

// TestChangeCheckQuery checks the change check's request: the read's
// condition, the update time since the minute of the first answer less
// changeMargin, the $ids not handed on (as ranges, when few), the first
// sort key up to the last row's where Kintone compares it exactly, by $id;
// and the fields it needs: $id, $revision, the update time, the sort keys.
func TestChangeCheckQuery(t *testing.T) {
	began := time.Date(2026, 3, 2, 10, 30, 10, 0, time.UTC)
	last := time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC)
	for _, tc := range []struct {
		sql    string
		read   *Spec // as the planner makes it for sql
		bound  Record
		seen   []int64
		query  string
		fields []string
	}{
		{"SELECT title FROM ORD WHERE amount >= 10 ORDER BY 更新日時 DESC LIMIT 600",
			limited(ordSpec(t, Offset, "amount >= 10 order by 更新日時 desc, $id asc", []string{"$id", "更新日時", "title"}, false), 600), Record{"更新日時": last, "$id": int64(9)}, []int64{3, 4, 5, 9},
			`amount >= 10 and 更新日時 >= "2026-03-02T10:29:00Z" and ($id < 3 or ($id > 5 and $id < 9) or $id > 9) and 更新日時 >= "2026-03-02T09:15:00Z" order by $id asc limit 500`,
			[]string{"$id", "$revision", "更新日時"}},
		// Ascending, an empty amount sorts first: no bound on it.
		{"SELECT title FROM ORD ORDER BY amount, title",
			ordSpec(t, Offset, "order by amount asc, title asc, $id asc", []string{"$id", "title", "amount"}, false), Record{"amount": field.Decimal("12.5"), "title": "x", "$id": int64(9)}, []int64{9},
			`更新日時 >= "2026-03-02T10:29:00Z" and ($id < 9 or $id > 9) order by $id asc limit 500`,
			[]string{"$id", "$revision", "更新日時", "amount", "title"}},
		{"SELECT title FROM ORD ORDER BY amount DESC",
			ordSpec(t, Offset, "order by amount desc, $id asc", []string{"$id", "title", "amount"}, false), Record{"amount": field.Decimal("12.5"), "$id": int64(9)}, []int64{9},
			`更新日時 >= "2026-03-02T10:29:00Z" and ($id < 9 or $id > 9) and amount >= 12.5 order by $id asc limit 500`,
			[]string{"$id", "$revision", "更新日時", "amount"}},
		// A condition partly evaluated in Go: the check reads what it needs.
		{"SELECT amount FROM ORD WHERE title LIKE '%a%' ORDER BY amount DESC",
			ordSpec(t, Offset, "order by amount desc, $id asc", []string{"$id", "title", "amount"}, true), Record{"amount": field.Decimal("1"), "$id": int64(9)}, nil,
			`更新日時 >= "2026-03-02T10:29:00Z" and amount >= 1 order by $id asc limit 500`,
			[]string{"$id", "title", "amount", "$revision", "更新日時"}},
	} {
		pg := tc.read.Paging()
		pg.Began(began)
		pg.answers = 2
		for _, id := range tc.seen {
			pg.seen.add(id)
		}
		c := pg.newChangeCheck(tc.bound)
		if c == nil || c.req.Query != tc.query || !slices.Equal(c.req.Fields, tc.fields) {
			t.Errorf("%s: change check\n got %+v\nwant %s %v", tc.sql, c.req, tc.query, tc.fields)
		}
	}
}

// When the $ids handed on form more runs than the check's query names,
// it leaves out the longest runs, so that it reads the fewest records
// again; every $id not handed on still passes the condition.
func TestChangeCheckLeavesOutTheLongestRuns(t *testing.T) {
	pg := amountRead().Paging()
	seen := map[int64]bool{}
	for k := int64(1); k <= MaxCheckGaps; k++ {
		for id := 10 * k; id < 10*k+3; id++ {
			seen[id] = true
		}
	}
	seen[5000] = true // a run of one: the shortest, named no more
	for id := range seen {
		pg.seen.add(id)
	}
	cond := pg.unseenIDs()
	if cond == nil {
		t.Fatal("no condition")
	}
	q := cond.(*kql.Or)
	if len(q.Terms) != MaxCheckGaps+1 || strings.Contains(kqlString(cond), "5000") {
		t.Fatalf("%d terms: %s; want the %d runs of three named, not the run of one", len(q.Terms), kqlString(cond), MaxCheckGaps)
	}
	k := newChangingKintone(t, 0)
	for id := int64(1); id <= 5100; id++ {
		if !seen[id] && !k.holds(cond, Record{"$id": id}) {
			t.Fatalf("$id %d, not handed on, fails %s", id, kqlString(cond))
		}
	}
}

// limited is r reading at most n records (a LIMIT Kintone applies).
func limited(r *Spec, n int64) *Spec {
	r.MaxRecords, r.CursorFallback = n, false
	return r
}

func kqlString(e kql.Expr) string {
	return (&kql.Query{Where: e}).String()
}
