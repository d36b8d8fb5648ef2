package search

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// orderCase is a query and the IDs of the whole result in order.
type orderCase struct {
	query string
	want  []int64
}

func runOrders(t *testing.T, env Env, recs []*store.Record, cases []orderCase) {
	t.Helper()
	form := testForm()
	for _, tt := range cases {
		p, err := Prepare(tt.query, form, env, false)
		if err != nil {
			t.Errorf("Prepare(%q): %v", tt.query, err)
			continue
		}
		if got := recIDs(p.All(recs)); !sameIDs(got, tt.want) {
			t.Errorf("All(%q): %v, want %v", tt.query, got, tt.want)
		}
		page, _ := p.Find(recs, false)
		if got := recIDs(page); !sameIDs(got, tt.want) {
			t.Errorf("Find(%q): %v, want %v", tt.query, got, tt.want)
		}
	}
}

// TestOrderText checks text collation (A.8): UTF-8 byte order, which is
// code-point order, without case, width or normalization folding; empty
// values first in ascending order; ties broken by $id in the direction of
// the last key.
func TestOrderText(t *testing.T) {
	recs := []*store.Record{
		rec(1, v{"title": "2", "link": "b", "Status": "完了"}),
		rec(2, v{"title": "10", "link": "a", "Status": "未処理"}),
		rec(3, v{"title": "1", "link": "", "Status": "処理中"}),
		rec(4, v{"title": "11"}),
		rec(5, v{"title": "B"}),
		rec(6, v{"title": "a"}),
		rec(7, v{"title": ""}),
		rec(8, v{}),
		rec(9, v{"title": "\u00e9"}),   // é, NFC
		rec(10, v{"title": "e\u0301"}), // é, NFD: sorts before NFC
		rec(11, v{"title": "ｂ"}),       // full-width b: after every ASCII letter
		rec(12, v{"title": "a"}),
	}
	runOrders(t, testEnv(), recs, []orderCase{
		{`order by title asc`, ids(7, 8, 3, 2, 4, 1, 5, 6, 12, 10, 9, 11)},
		{`order by title desc`, ids(11, 9, 10, 12, 6, 5, 1, 4, 2, 3, 8, 7)},
		{`order by title`, ids(11, 9, 10, 12, 6, 5, 1, 4, 2, 3, 8, 7)}, // no direction: descending (A.8 [T])
		{`title in ("1", "10", "11", "2") order by title asc`, ids(3, 2, 4, 1)},
		{`title in ("B", "a") order by title asc`, ids(5, 6, 12)},
		{`title in ("a") order by title asc`, ids(6, 12)},
		{`title in ("a") order by title desc`, ids(12, 6)},
		{`title in ("a") order by title asc, $id desc`, ids(12, 6)},
		{`link != "" order by link asc`, ids(2, 1)},
		{`$id <= 3 order by Status asc`, ids(3, 1, 2)}, // 処 < 完 < 未 in code-point order
	})
}

// TestOrderNumbers checks NUMBER, CALC, RECORD_NUMBER and $id order:
// numeric, exact, empty first in ascending order.
func TestOrderNumbers(t *testing.T) {
	recs := []*store.Record{
		rec(1, v{"num": "10", "calc": "100"}),
		rec(2, v{"num": "9.5", "calc": "-1"}),
		rec(3, v{"num": "-3", "calc": "12345678901234567890"}),
		rec(4, v{"num": ""}),
		rec(5, v{"num": "100", "calc": "12345678901234567891"}),
		rec(6, v{"num": "9.50", "calc": "0.001"}),
	}
	recs[0].Values["レコード番号"] = "APP-10"
	recs[1].Values["レコード番号"] = "APP-2"
	recs[2].Values["レコード番号"] = "APP-1"
	runOrders(t, testEnv(), recs, []orderCase{
		{`order by num asc`, ids(4, 3, 2, 6, 1, 5)},
		{`order by num desc`, ids(5, 1, 6, 2, 3, 4)},
		{`order by calc asc`, ids(4, 2, 6, 1, 3, 5)},
		{`order by $id asc`, ids(1, 2, 3, 4, 5, 6)},
		{`order by $id desc`, ids(6, 5, 4, 3, 2, 1)},
		{``, ids(6, 5, 4, 3, 2, 1)},
		{`num > 0`, ids(6, 5, 2, 1)},
		{`$id <= 3 order by レコード番号 asc`, ids(3, 2, 1)},
		{`order by レコード番号 desc`, ids(1, 6, 5, 4, 2, 3)},
		{`order by num asc, $id desc`, ids(4, 3, 6, 2, 1, 5)},
	})
}

// TestOrderDates checks DATE, TIME, DATETIME, CREATED_TIME, UPDATED_TIME
// and the CALC formats: chronological, empty first in ascending order.
func TestOrderDates(t *testing.T) {
	recs := []*store.Record{
		rec(1, v{"date": "2024-05-15", "time": "10:30", "dt": "2024-05-15T03:30:00Z", "calcDur": "49:30", "calcDate": "2024-01-02", "calcTime": "23:00", "calcDT": "2024-01-01T00:00:00Z"}),
		rec(2, v{"date": "2023-12-31", "time": "09:00", "dt": "2024-05-15T03:29:00Z", "calcDur": "1:05", "calcDate": "2024-01-01", "calcTime": "00:00", "calcDT": "2023-01-01T00:00:00Z"}),
		rec(3, v{"date": "", "time": "", "dt": "", "calcDur": "-2:00"}),
		rec(4, v{"date": "2024-05-16", "time": "23:59", "dt": "2025-01-01T00:00:00Z", "calcDur": "100:00"}),
	}
	recs[0].Values["作成日時"] = "2024-02-01T00:00:00Z"
	recs[1].Values["作成日時"] = "2024-03-01T00:00:00Z"
	recs[0].Values["更新日時"] = "2024-04-01T00:00:00Z"
	runOrders(t, testEnv(), recs, []orderCase{
		{`order by date asc`, ids(3, 2, 1, 4)},
		{`order by date desc`, ids(4, 1, 2, 3)},
		{`order by time asc`, ids(3, 2, 1, 4)},
		{`order by dt asc`, ids(3, 2, 1, 4)},
		{`order by dt desc`, ids(4, 1, 2, 3)},
		{`order by calcDur asc`, ids(3, 2, 1, 4)},
		{`order by calcDate asc`, ids(3, 4, 2, 1)},
		{`order by calcTime desc`, ids(1, 2, 4, 3)},
		{`order by calcDT asc`, ids(3, 4, 2, 1)},
		{`order by 作成日時 desc`, ids(2, 1, 4, 3)},
		{`order by 更新日時 asc, $id asc`, ids(2, 3, 4, 1)},
	})
}

// TestOrderOptionsAndUsers checks RADIO_BUTTON and DROP_DOWN (option
// order, [U]) and CREATOR / MODIFIER (the hidden user ID, A.8).
func TestOrderOptionsAndUsers(t *testing.T) {
	recs := []*store.Record{
		rec(1, v{"drop": "a", "radio": "r3"}),
		rec(2, v{"drop": "b", "radio": "r1"}),
		rec(3, v{"drop": "c", "radio": "r2"}),
		rec(4, v{"drop": ""}),
		rec(5, v{"drop": "zz"}), // an option deleted since: after every option
	}
	for i, u := range []string{"tanaka", "sato", "suzuki", "sato", "abe"} {
		recs[i].Values["作成者"] = store.Entity{Code: u, Name: u}
		recs[i].Values["更新者"] = store.Entity{Code: u, Name: u}
	}
	runOrders(t, testEnv(), recs, []orderCase{
		{`order by drop asc`, ids(4, 3, 1, 2, 5)}, // options are c, a, b
		{`order by drop desc`, ids(5, 2, 1, 3, 4)},
		{`order by radio asc`, ids(4, 5, 2, 3, 1)},
		{`order by 作成者 asc`, ids(5, 2, 4, 3, 1)}, // by code without UserOrder
	})
	env := testEnv()
	hidden := map[string]int64{"suzuki": 1, "tanaka": 2, "sato": 3, "abe": 4}
	env.UserOrder = func(code string) int64 { return hidden[code] }
	runOrders(t, env, recs, []orderCase{
		{`order by 作成者 asc`, ids(3, 1, 2, 4, 5)},
		{`order by 更新者 desc`, ids(5, 4, 2, 1, 3)},
		{`order by 作成者 asc, drop desc`, ids(3, 1, 2, 4, 5)},
	})
}

// TestOrderKeys checks several keys and ties.
func TestOrderKeys(t *testing.T) {
	recs := []*store.Record{
		rec(1, v{"title": "a", "num": "1"}),
		rec(2, v{"title": "b", "num": "1"}),
		rec(3, v{"title": "a", "num": "2"}),
		rec(4, v{"title": "b", "num": "2"}),
		rec(5, v{"title": "a", "num": "2"}),
	}
	runOrders(t, testEnv(), recs, []orderCase{
		{`order by title asc, num desc`, ids(5, 3, 1, 4, 2)}, // ties: $id desc, as the last key
		{`order by title asc, num asc`, ids(1, 3, 5, 2, 4)},
		{`order by num desc, title asc`, ids(3, 5, 4, 1, 2)}, // ties: $id asc, as the last key
		{`order by title desc, num asc`, ids(2, 4, 1, 3, 5)},
		{`order by title asc, num desc, $id asc`, ids(3, 5, 1, 4, 2)},
		{`order by $id asc, title desc`, ids(1, 2, 3, 4, 5)},
		{`order by $id desc, title asc`, ids(5, 4, 3, 2, 1)},
		{`order by title asc, $id desc, num asc`, ids(5, 3, 1, 4, 2)},
		{`title = "a" order by num asc`, ids(1, 3, 5)},
	})
}

// numbered returns n records with IDs 1..n and num = ID mod 7.
func numbered(n int) []*store.Record {
	recs := make([]*store.Record, n)
	for i := range recs {
		id := int64(i + 1)
		recs[i] = &store.Record{ID: id, Values: map[string]any{"num": strconv.FormatInt(id%7, 10), "title": "t"}}
	}
	return recs
}

func seq(from, to int64) []int64 {
	var out []int64
	step := int64(1)
	if to < from {
		step = -1
	}
	for i := from; ; i += step {
		out = append(out, i)
		if i == to {
			return out
		}
	}
}

// TestPaging checks limit (default 100), offset and totalCount (A.8,
// REST-API.md 4): the count ignores limit and offset and is -1 unless
// asked for.
func TestPaging(t *testing.T) {
	recs := numbered(250)
	form := testForm()
	tests := []struct {
		query     string
		wantTotal bool
		page      []int64
		total     int64
	}{
		{``, false, seq(250, 151), -1},
		{``, true, seq(250, 151), 250},
		{`limit 10`, true, seq(250, 241), 250},
		{`limit 10 offset 5`, false, seq(245, 236), -1},
		{`order by $id asc limit 3 offset 247`, true, ids(248, 249, 250), 250},
		{`order by $id asc limit 500`, true, seq(1, 250), 250},
		{`offset 250`, true, nil, 250},
		{`offset 10000`, false, nil, -1},
		{`limit 0`, true, nil, 250},
		{`limit 0`, false, nil, -1},
		{`$id > 100 limit 5`, true, seq(250, 246), 150},
		{`$id > 100 order by $id asc limit 5`, false, seq(101, 105), -1},
		{`num = 0 order by $id asc limit 2 offset 1`, true, ids(14, 21), 35},
		{`num = 0 limit 2 offset 1`, true, ids(238, 231), 35},
		{`order by num desc limit 3`, true, ids(244, 237, 230), 250},
		{`order by num asc, $id asc limit 2 offset 35`, true, ids(1, 8), 250},
		{`title = "none"`, true, nil, 0},
	}
	for _, tt := range tests {
		page, total := findIDs(t, form, testEnv(), recs, tt.query, tt.wantTotal)
		if !sameIDs(page, tt.page) || total != tt.total {
			t.Errorf("Find(%q, %v): %v, %d; want %v, %d", tt.query, tt.wantTotal, page, total, tt.page, tt.total)
		}
	}
}

// TestPagingByID follows the paging the official clients use past 10,000
// records: `$id > last order by $id asc limit 500` (A.8).
func TestPagingByID(t *testing.T) {
	recs := numbered(1234)
	var got []int64
	last := int64(0)
	for range 10 {
		page, _ := findIDs(t, testForm(), testEnv(), recs, "$id > "+strconv.FormatInt(last, 10)+" order by $id asc limit 500", false)
		if len(page) == 0 {
			break
		}
		got = append(got, page...)
		last = page[len(page)-1]
	}
	if !slices.Equal(got, seq(1, 1234)) {
		t.Errorf("paged %d records, want 1..1234", len(got))
	}
}

// TestUnsortedInput checks that records handed over in any order give the
// same answers as records in ID order.
func TestUnsortedInput(t *testing.T) {
	recs := numbered(300)
	shuffled := slices.Clone(recs)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	for _, q := range []string{``, `order by $id asc limit 7 offset 3`, `num > 3 limit 20`, `order by num asc limit 50 offset 100`} {
		a, at := findIDs(t, testForm(), testEnv(), recs, q, true)
		b, bt := findIDs(t, testForm(), testEnv(), shuffled, q, true)
		if !slices.Equal(a, b) || at != bt {
			t.Errorf("%q: sorted input %v (%d), shuffled input %v (%d)", q, a, at, b, bt)
		}
		p, _ := Prepare(q, testForm(), testEnv(), false)
		if !slices.Equal(recIDs(p.All(recs)), recIDs(p.All(shuffled))) {
			t.Errorf("%q: All differs between sorted and shuffled input", q)
		}
	}
}

// TestAllIgnoresPaging checks that All returns every match in order.
func TestAllIgnoresPaging(t *testing.T) {
	recs := numbered(700)
	p, err := Prepare(`num = 1 order by $id asc`, testForm(), testEnv(), false)
	if err != nil {
		t.Fatal(err)
	}
	got := recIDs(p.All(recs))
	if len(got) != 100 || got[0] != 1 || got[99] != 694 {
		t.Errorf("All: %d records from %d to %d, want 100 from 1 to 694", len(got), got[0], got[len(got)-1])
	}
	if all := p.All(nil); all == nil || len(all) != 0 {
		t.Errorf("All(nil) = %v, want an empty slice", all)
	}
}

// TestFindMatchesAll checks that every page Find returns, through the
// bounded-heap selection or the full sort, is the matching window of All.
func TestFindMatchesAll(t *testing.T) {
	recs := numbered(600)
	rng := rand.New(rand.NewPCG(3, 4))
	for i, r := range recs {
		r.Values["title"] = strconv.Itoa(rng.IntN(40))
		if i%9 == 0 {
			r.Values["title"] = ""
		}
	}
	for _, order := range []string{`order by num asc`, `order by title desc, num asc`, `order by title asc`, `order by num desc, title desc`} {
		p, err := Prepare(order, testForm(), testEnv(), false)
		if err != nil {
			t.Fatal(err)
		}
		all := recIDs(p.All(recs))
		for _, w := range [][2]int{{0, 0}, {0, 1}, {0, 100}, {3, 7}, {250, 50}, {299, 1}, {0, 500}, {595, 10}, {700, 5}} {
			q := order + " limit " + strconv.Itoa(w[1]) + " offset " + strconv.Itoa(w[0])
			page, total := findIDs(t, testForm(), testEnv(), recs, q, true)
			lo := min(w[0], len(all))
			hi := min(lo+w[1], len(all))
			if !sameIDs(page, all[lo:hi]) || total != 600 {
				t.Errorf("%s: %v (total %d), want %v (600)", q, page, total, all[lo:hi])
			}
		}
	}
}

// TestConcurrentFind checks that one Plan serves concurrent requests (run
// with -race).
func TestConcurrentFind(t *testing.T) {
	recs := numbered(500)
	p, err := Prepare(`num > 2 order by num desc limit 10 offset 5`, testForm(), testEnv(), false)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := p.Find(recs, true)
	done := make(chan []int64)
	for range 4 {
		go func() {
			page, _ := p.Find(recs, true)
			done <- recIDs(page)
		}()
	}
	for range 4 {
		if got := <-done; !slices.Equal(got, recIDs(want)) {
			t.Errorf("concurrent Find: %v, want %v", got, recIDs(want))
		}
	}
}

var decimalCases = []string{
	"0", "-0", "+0", "0.0", "00", "1", "-1", "+1", "01", "1.0", "1.50", "1.5", "-1.5", "999999999",
	"1000000000", "-999999999.999999999", "999999999.999999999", "0.000000001", "0.0000000001",
	"123456789.123456789", "123456789.1234567891", ".5", "5.", "-", "+", "", "abc", "1e5", "1.2.3",
	"--1", "+-1", "12a", "0x10", "٣", "1,000", " 1", "-.5", "-5.", "100", "99", "-100", "-99",
}

// TestDecimalKeyIsCompareDecimal checks that sorting by decimalKey's keys
// orders every pair of texts as field.CompareDecimal does.
func TestDecimalKeyIsCompareDecimal(t *testing.T) {
	for _, a := range decimalCases {
		for _, b := range decimalCases {
			checkDecimalKey(t, a, b)
		}
	}
}

func checkDecimalKey(t *testing.T, a, b string) {
	t.Helper()
	ka, kb := sortKey{s: a}, sortKey{s: b}
	ka.n, ka.fixed = fixedDecimal(a)
	kb.n, kb.fixed = fixedDecimal(b)
	if got, want := cmpDecimal(&ka, &kb), field.CompareDecimal(a, b); got != want {
		t.Errorf("cmpDecimal(%q, %q) = %d, CompareDecimal says %d", a, b, got, want)
	}
}

// FuzzDecimalKey compares decimalKey's order with field.CompareDecimal on
// any two texts.
func FuzzDecimalKey(f *testing.F) {
	for i, a := range decimalCases {
		f.Add(a, decimalCases[(i*7+3)%len(decimalCases)])
	}
	f.Fuzz(checkDecimalKey)
}
