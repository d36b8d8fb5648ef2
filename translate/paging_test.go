package translate

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
)

// bigApp makes n records with a never-empty creation time (three records
// per minute, so that the sort has ties), equal to the update time, an
// amount and a title.
func bigApp(n int) []catalog.Record {
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	recs := make([]catalog.Record, n)
	for i := range recs {
		id := int64(i + 1)
		at := base.Add(time.Duration(id/3) * time.Minute)
		recs[i] = catalog.Record{
			"$id":       id,
			"$revision": int64(1),
			"作成日時":      at,
			"更新日時":      at,
			"amount":    field.Decimal(catalog.FormatInt(id % 100)),
			"title":     "t" + catalog.FormatInt(id%7),
		}
	}
	return recs
}

// TestPaging reads large apps and counts requests per strategy: seek
// pages of 500 (one more when the count is a multiple of 500), cursors
// (create, pages, a DELETE when stopping early), offset pages, one GET for
// small limits, one count for COUNT(*).
func TestPaging(t *testing.T) {
	big := bigApp(10500)
	byCreatedDesc := append([]catalog.Record(nil), big...)
	sort.SliceStable(byCreatedDesc, func(i, j int) bool {
		a, b := byCreatedDesc[i]["作成日時"].(time.Time), byCreatedDesc[j]["作成日時"].(time.Time)
		if !a.Equal(b) {
			return a.After(b)
		}
		return byCreatedDesc[i]["$id"].(int64) < byCreatedDesc[j]["$id"].(int64)
	})
	ids := func(recs []catalog.Record) []int64 {
		out := make([]int64, len(recs))
		for i, r := range recs {
			out[i] = r["$id"].(int64)
		}
		return out
	}
	tests := []struct {
		name     string
		recs     []catalog.Record
		sql      string
		opts     Options
		strategy Strategy
		requests int
		deleted  int
		want     []int64
	}{
		{"seek 1000", big[:1000], "SELECT $id FROM ORD", Options{}, StrategySeek, 3, 0, ids(big[:1000])},
		{"seek 1001", big[:1001], "SELECT $id FROM ORD", Options{}, StrategySeek, 3, 0, ids(big[:1001])},
		{"seek 10500", big, "SELECT $id FROM ORD", Options{}, StrategySeek, 22, 0, ids(big)},
		{"seek small pages", big[:1000], "SELECT $id FROM ORD", Options{PageSize: 300}, StrategySeek, 4, 0, ids(big[:1000])},
		{"seek desc", big, "SELECT $id FROM ORD ORDER BY $id DESC LIMIT 700", Options{}, StrategySeek, 2, 0, reverse(ids(big))[:700]},
		{"limit 501", big, "SELECT $id FROM ORD LIMIT 501", Options{}, StrategySeek, 2, 0, ids(big[:501])},
		{"single at the edge", big, "SELECT $id FROM ORD LIMIT 500 OFFSET 9500", Options{}, StrategySingle, 1, 0, ids(big[9500:10000])},
		{"past the edge", big, "SELECT $id FROM ORD LIMIT 500 OFFSET 9501", Options{}, StrategySeek, 21, 0, ids(big[9501:10001])},
		{"beyond 10,000", big, "SELECT $id FROM ORD LIMIT 10 OFFSET 10490", Options{}, StrategySeek, 21, 0, ids(big[10490:10500])},
		{"filtered", big, "SELECT $id FROM ORD WHERE amount >= 99", Options{}, StrategySeek, 1, 0, everyHundredth(big)},
		{"filtered in Go", big, "SELECT $id FROM ORD WHERE title = 't3' AND amount >= 99 LIMIT 3", Options{}, StrategySeek, 1, 0, firstWhere(big, 3, func(r catalog.Record) bool {
			return r["title"] == "t3" && r["amount"] == field.Decimal("99")
		})},
		{"keyset", big, "SELECT $id FROM ORD ORDER BY 作成日時 DESC", Options{}, StrategyKeyset, 21, 0, ids(byCreatedDesc)},
		{"keyset stopped early", big, "SELECT $id FROM ORD ORDER BY 作成日時 DESC LIMIT 600", Options{}, StrategyKeyset, 2, 0, ids(byCreatedDesc[:600])},
		{"keyset without cursors", big, "SELECT $id FROM ORD ORDER BY 作成日時 DESC LIMIT 600 OFFSET 9401", Options{Cursor: CursorNever}, StrategyKeyset, 21, 0, ids(byCreatedDesc[9401:10001])},
		{"cursor for every page", big[:1000], "SELECT $id FROM ORD", Options{Cursor: CursorAlways}, StrategyCursor, 3, 0, ids(big[:1000])},
		{"cursor when asked", big[:1000], "SELECT $id FROM ORD ORDER BY amount DESC", Options{Cursor: CursorAlways}, StrategyCursor, 3, 0, ids(byAmountDesc(big[:1000]))},
		{"cursor beyond offset 10,000", big, "SELECT $id FROM ORD ORDER BY amount DESC LIMIT 5 OFFSET 10000", Options{}, StrategyCursor, 22, 0, ids(byAmountDesc(big)[10000:10005])},
		// Offset pages overlap by one record, the last one read; a read
		// of several ends with the change check (nothing changed: one
		// request).
		{"offset pages", big, "SELECT $id FROM ORD ORDER BY amount DESC LIMIT 600 OFFSET 100", Options{}, StrategyOffset, 3, 0, ids(byAmountDesc(big)[100:700])},
		{"offset pages of a total that fits", big[:3000], "SELECT $id FROM ORD ORDER BY amount DESC", Options{}, StrategyOffset, 8, 0, ids(byAmountDesc(big[:3000]))},
		{"offset pages of one page", big[:300], "SELECT $id FROM ORD ORDER BY amount DESC", Options{}, StrategyOffset, 1, 0, ids(byAmountDesc(big[:300]))},
		// Past offset 10,000 an order by a number goes on by offsets
		// counted from the last record read (internal/scan's rebase.go),
		// one by text through a cursor.
		{"offset pages past the limit", big, "SELECT $id FROM ORD ORDER BY amount DESC", Options{}, StrategyOffset, 24, 0, ids(byAmountDesc(big))},
		{"offset pages past the limit from the offset", big, "SELECT $id FROM ORD ORDER BY amount DESC LIMIT 600 OFFSET 9800", Options{}, StrategyOffset, 3, 0, ids(byAmountDesc(big)[9800:10400])},
		{"offset pages, then a cursor", big, "SELECT $id FROM ORD ORDER BY title DESC", Options{}, StrategyOffset, 23, 0, ids(byTitleDesc(big))},
		{"offset pages, then a cursor from the offset", big, "SELECT $id FROM ORD ORDER BY title DESC LIMIT 600 OFFSET 9800", Options{}, StrategyOffset, 23, 0, ids(byTitleDesc(big)[9800:10400])},
		{"offset pages without cursors", big, "SELECT $id FROM ORD ORDER BY 作成日時 DESC LIMIT 600 OFFSET 100", Options{Cursor: CursorNever}, StrategyOffset, 3, 0, ids(byCreatedDesc[100:700])},
		{"offset pages at the edge", big, "SELECT $id FROM ORD ORDER BY 作成日時 DESC LIMIT 600 OFFSET 9400", Options{Cursor: CursorNever}, StrategyOffset, 3, 0, ids(byCreatedDesc[9400:10000])},
		{"sorted in Go without cursors", big, "SELECT $id FROM ORD ORDER BY amount DESC LIMIT 600 OFFSET 9401", Options{Cursor: CursorNever}, StrategySeek, 22, 0, ids(byAmountDesc(big)[9401:10001])},
		{"count", big, "SELECT COUNT(*) FROM ORD WHERE amount > 5", Options{}, StrategyCount, 1, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := planOf(t, tt.sql, tt.opts)
			if s.Strategy() != tt.strategy {
				t.Fatalf("strategy = %s, want %s\n%s", s.Strategy(), tt.strategy, s.Explain())
			}
			k := &kintone{t: t, recs: tt.recs, props: ordersApp().Fields, loc: time.UTC}
			rows, err := k.run(s)
			if err != nil {
				t.Fatal(err)
			}
			if k.requests != tt.requests {
				t.Errorf("%d requests, want %d", k.requests, tt.requests)
			}
			if k.deleted != tt.deleted {
				t.Errorf("%d cursors deleted, want %d", k.deleted, tt.deleted)
			}
			if tt.strategy == StrategyCount {
				if len(rows) != 1 || rows[0][0] != int64(10500-6*105) {
					t.Errorf("count = %v", rows)
				}
				return
			}
			if len(rows) != len(tt.want) {
				t.Fatalf("%d rows, want %d", len(rows), len(tt.want))
			}
			for i, r := range rows {
				if r[0] != tt.want[i] {
					t.Fatalf("row %d = %v, want %d", i, r[0], tt.want[i])
				}
			}
		})
	}
}

// byAmountDesc sorts records by amount descending, then $id.
func byAmountDesc(recs []catalog.Record) []catalog.Record {
	out := append([]catalog.Record(nil), recs...)
	sort.SliceStable(out, func(i, j int) bool {
		if c, _ := expr.CompareValues(out[i]["amount"], out[j]["amount"], time.UTC); c != 0 {
			return c > 0
		}
		return out[i]["$id"].(int64) < out[j]["$id"].(int64)
	})
	return out
}

func byTitleDesc(recs []catalog.Record) []catalog.Record {
	out := append([]catalog.Record(nil), recs...)
	sort.SliceStable(out, func(i, j int) bool {
		if a, b := out[i]["title"].(string), out[j]["title"].(string); a != b {
			return a > b
		}
		return out[i]["$id"].(int64) < out[j]["$id"].(int64)
	})
	return out
}

func reverse(xs []int64) []int64 {
	out := make([]int64, len(xs))
	for i, x := range xs {
		out[len(xs)-1-i] = x
	}
	return out
}

func everyHundredth(recs []catalog.Record) []int64 {
	var out []int64
	for _, r := range recs {
		if r["amount"] == field.Decimal("99") {
			out = append(out, r["$id"].(int64))
		}
	}
	return out
}

func firstWhere(recs []catalog.Record, n int, keep func(catalog.Record) bool) []int64 {
	var out []int64
	for _, r := range recs {
		if keep(r) && len(out) < n {
			out = append(out, r["$id"].(int64))
		}
	}
	return out
}

// EXPLAIN of an offset read says when it falls back to a cursor and what
// its change check costs (the check itself is package scan's).
func TestOffsetReadExplain(t *testing.T) {
	if ex := planOf(t, "SELECT title FROM ORD ORDER BY title", Options{}).Explain(); !strings.Contains(ex, "cursor instead: when the first page's total shows the read passes offset 10000") {
		t.Errorf("EXPLAIN does not say when an offset read falls back to a cursor:\n%s", ex)
	}
	for _, c := range []struct{ sql, want string }{
		{"SELECT title FROM ORD ORDER BY amount", "past offset 10000: offsets counted from the last record read (amount > K or (amount = K and $id >= I)); a cursor instead when the first page ends with an empty amount and so does the record at offset 10000"},
		{"SELECT title FROM ORD ORDER BY amount DESC", "past offset 10000: offsets counted from the last record read (amount < K or (amount = K and $id >= I)), then the records with an empty amount by $id"},
		{"SELECT title FROM ORD ORDER BY 更新日時 DESC", "past offset 10000: offsets counted from the last record read (更新日時 < K or (更新日時 = K and $id >= I))\n"},
	} {
		if ex := planOf(t, c.sql, Options{}).Explain(); !strings.Contains(ex, c.want) {
			t.Errorf("%s: EXPLAIN does not say what the read does past the offset limit:\n%s", c.sql, ex)
		}
	}
	ex := planOf(t, "SELECT title FROM ORD ORDER BY amount", Options{}).Explain()
	if !strings.Contains(ex, "change check: after two pages or more, the records changed since the read began (更新日時 >= its minute), one GET per 500 of those that match, the rows returned among them unless in their 30 longest runs of $id") {
		t.Errorf("EXPLAIN does not show an offset read's change check:\n%s", ex)
	}
}
