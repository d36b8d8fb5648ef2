package search

import (
	"strconv"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// benchRecords returns n records shaped like a small real app.
func benchRecords(n int) []*store.Record {
	recs := make([]*store.Record, n)
	words := []string{"alpha", "beta", "gamma keyword", "delta 日本語", "epsilon"}
	for i := range recs {
		id := int64(i + 1)
		recs[i] = &store.Record{ID: id, Revision: 1, Values: map[string]any{
			"レコード番号": strconv.FormatInt(id, 10),
			"作成者":    store.Entity{Code: "user" + strconv.Itoa(i%50)},
			"更新日時":   "2024-05-" + strconv.Itoa(10+i%20) + "T03:30:00Z",
			"title":  words[i%len(words)] + " " + strconv.Itoa(i%1000),
			"num":    strconv.Itoa(i % 10007),
			"date":   "2024-05-" + strconv.Itoa(10+i%20),
			"check":  []string{"A", "B", "C"}[i%3 : i%3+1],
			"users":  []store.Entity{{Code: "user" + strconv.Itoa(i%50)}},
			"table": []store.Row{
				{ID: 1, Values: map[string]any{"name": "apple", "qty": strconv.Itoa(i % 100)}},
				{ID: 2, Values: map[string]any{"name": "orange", "qty": strconv.Itoa(i % 37)}},
			},
		}}
	}
	return recs
}

// TestMatchAllocs checks that Match allocates nothing per record for the
// common condition kinds.
func TestMatchAllocs(t *testing.T) {
	recs := benchRecords(10)
	for _, q := range []string{
		`title = "alpha 0"`,
		`title in ("a", "b", "c")`,
		`num > 5000 and num <= "9000.5"`,
		`$id > 5 or $id in (1, 2)`,
		`title like "keyword"`,
		`date = THIS_MONTH() and 更新日時 < NOW()`,
		`check in ("A", "B")`,
		`作成者 in (LOGINUSER()) or users not in ("user1")`,
		`name in ("apple") and qty > 50`,
		`qty not in (1, 2)`,
	} {
		p, err := Prepare(q, testForm(), testEnv(), false)
		if err != nil {
			t.Fatalf("Prepare(%q): %v", q, err)
		}
		n := testing.AllocsPerRun(20, func() {
			for _, r := range recs {
				p.Match(r)
			}
		})
		if n != 0 {
			t.Errorf("%s: %v allocations per 10 records, want 0", q, n)
		}
	}
}

var benchQueries = []struct{ name, query string }{
	{"all", ``},
	{"text-eq", `title = "alpha 0"`},
	{"number-range-sorted", `num > 5000 order by num asc limit 100`},
	{"like", `title like "keyword"`},
	{"subtable-same-row", `name in ("apple") and qty > 50`},
	{"date-func", `date = THIS_MONTH() and 更新日時 < NOW()`},
	{"order-text-offset", `order by title desc, $id asc limit 500 offset 10000`},
	{"id-paging", `$id > 50000 order by $id asc limit 500`},
}

// BenchmarkFind runs Find over 100,000 records, with totalCount.
func BenchmarkFind(b *testing.B) {
	recs := benchRecords(100_000)
	form := testForm()
	for _, bq := range benchQueries {
		b.Run(bq.name, func(b *testing.B) {
			p, err := Prepare(bq.query, form, testEnv(), false)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				p.Find(recs, true)
			}
		})
	}
}

// BenchmarkPrepare measures parsing and compiling a typical query.
func BenchmarkPrepare(b *testing.B) {
	form := testForm()
	q := `(title like "keyword" or num > 10) and date = THIS_MONTH() and name in ("apple") order by num asc, $id desc limit 100 offset 200`
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Prepare(q, form, testEnv(), false); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSeekRead is a whole read of 100,000 records the way the driver
// pages by $id: "(cond) and $id > last order by $id asc limit 500", each
// page prepared from its text, totalCount asked on the first page and on a
// page that the last total says may be the last (internal/scan.SeekEnd).
// One op is the whole read, 200 pages.
func BenchmarkSeekRead(b *testing.B) {
	recs := benchRecords(100_000)
	form := testForm()
	for _, bq := range []struct{ name, cond string }{
		{"all", ""},
		{"filtered", `(num >= 100 and check in ("A", "B")) and `},
	} {
		b.Run(bq.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				seekRead(b, recs, form, bq.cond)
			}
		})
	}
}

func seekRead(b *testing.B, recs []*store.Record, form *store.Form, cond string) {
	const limit = 500
	last, left := int64(0), int64(-1)
	for {
		p, err := Prepare(cond+"$id > "+strconv.FormatInt(last, 10)+" order by $id asc limit 500", form, testEnv(), false)
		if err != nil {
			b.Fatal(err)
		}
		page, total := p.FindSorted(recs, left < 0 || left <= limit)
		n := int64(len(page))
		if n < limit || total >= 0 && n >= total {
			return
		}
		if total >= 0 {
			left = total - n
		} else {
			left = max(left-n, 0)
		}
		last = page[n-1].ID
	}
}
