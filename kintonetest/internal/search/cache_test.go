package search

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// cacheRecords returns n records with many equal sort keys (num repeats
// every 37 records, title every 11, some are empty), so that the $id
// tie-breaker and the empty-value rule both decide orders.
func cacheRecords(n int) []*store.Record {
	recs := make([]*store.Record, n)
	for i := range recs {
		id := int64(i + 1)
		vals := v{
			"title":   "t" + strconv.Itoa(i%11),
			"num":     strconv.Itoa(i % 37),
			"date":    fmt.Sprintf("2024-05-%02d", 1+i%28),
			"radio":   []string{"r1", "r2", "r3", ""}[i%4],
			"更新日時":    fmt.Sprintf("2024-05-%02dT%02d:00:00Z", 1+i%28, i%24),
			"check":   []string{"A", "B", "C"}[i%3 : i%3+1],
			"数値":      "",
			"memo":    "",
			"calcDur": "",
		}
		if i%13 == 0 {
			vals["num"] = ""
			vals["title"] = ""
		}
		recs[i] = rec(id, vals)
	}
	return recs
}

// cacheQueries are conditions and orders a driver's reads use, and a few
// others; each is run at several offsets and limits.
var cacheQueries = []string{
	`order by num desc, $id asc`,
	`order by num asc`,
	`order by title asc, num desc`,
	`num > 10 order by num desc, $id asc`,
	`num > 10 and check in ("A", "B") order by title desc, $id asc`,
	`更新日時 < "2024-05-20T00:00:00Z" or (更新日時 = "2024-05-20T00:00:00Z" and $id >= 135) order by 更新日時 desc, $id asc`,
	`date = THIS_MONTH() order by date asc, $id desc`,
	`date < TODAY() order by radio asc`,
	`title = "nothing" order by num asc`,
	`order by レコード番号 desc`,
	`$id > 100 order by num asc`,
	`num > 10 order by $id asc`,
	`num > 10 and $id > 135 order by $id desc`,
	`check in ("A") and $id < 700 order by $id asc`,
}

// TestFindCachedIsFind checks that every page a cache serves, through its
// three stages (a miss, a hit before the full sort, a hit after it), is
// the page Find answers, with the same total.
func TestFindCachedIsFind(t *testing.T) {
	recs := cacheRecords(1000)
	form, env := testForm(), testEnv()
	for _, q := range cacheQueries {
		for _, limit := range []int{1, 100, 500} {
			var c Cache
			// Offsets as a driver's pages go (each page overlaps the
			// last by one), then back and beyond the end.
			offsets := []int{}
			for o := 0; o <= 1100; o += max(limit-1, 37) {
				offsets = append(offsets, o)
			}
			offsets = append(offsets, 0, 3, 999, 1000, 10000)
			for i, off := range offsets {
				query := fmt.Sprintf("%s limit %d offset %d", q, limit, off)
				p, err := Prepare(query, form, env, false)
				if err != nil {
					t.Fatalf("Prepare(%q): %v", query, err)
				}
				wantTotal := i%2 == 0
				want, wantN := p.FindSorted(recs, wantTotal)
				got, gotN := p.FindCached(&c, 1, 1, recs, wantTotal)
				if !slices.Equal(recIDs(got), recIDs(want)) || gotN != wantN || got == nil {
					t.Fatalf("%s (total %v): cached %v %d, uncached %v %d", query, wantTotal, recIDs(got), gotN, recIDs(want), wantN)
				}
			}
		}
	}
}

// TestFindCachedSeesWrites checks that a new version of an app's records
// is never answered from the entry of an older one, and that the older
// entries go.
func TestFindCachedSeesWrites(t *testing.T) {
	form, env := testForm(), testEnv()
	recs := cacheRecords(300)
	var c Cache
	page := func(recs []*store.Record, version uint64, off int) ([]int64, int64) {
		t.Helper()
		p, err := Prepare("num >= 5 order by num desc, $id asc limit 50 offset "+strconv.Itoa(off), form, env, false)
		if err != nil {
			t.Fatal(err)
		}
		got, n := p.FindCached(&c, 7, version, recs, true)
		want, wantN := p.FindSorted(recs, true)
		if !slices.Equal(recIDs(got), recIDs(want)) || n != wantN {
			t.Fatalf("version %d offset %d: cached %v %d, uncached %v %d", version, off, recIDs(got), n, recIDs(want), wantN)
		}
		return recIDs(got), n
	}
	page(recs, 1, 0)
	page(recs, 1, 49)
	first, _ := page(recs, 1, 98)

	// An edit moves a record of that page to the top; a delete and an
	// insert change the total.
	edited := slices.Clone(recs)
	moved := rec(first[0], v{"num": "99", "title": "moved"})
	edited[first[0]-1] = moved
	edited = slices.Delete(edited, 0, 1)
	edited = append(edited, rec(301, v{"num": "98"}))
	got, n := page(edited, 2, 0)
	if got[0] != moved.ID || got[1] != 301 {
		t.Errorf("the first page after the writes starts %v, want %d then 301", got[:2], moved.ID)
	}
	page(edited, 2, 49)
	if _, n2 := page(edited, 2, 98); n2 != n {
		t.Errorf("totals of one version differ: %d, %d", n, n2)
	}
	for _, e := range c.entries {
		if e.key.app == 7 && e.key.version < 2 {
			t.Errorf("an entry of version %d is kept after version 2 came in", e.key.version)
		}
	}
}

// TestFindCachedKeys checks that what a condition depends on beyond its
// text keeps caches apart: the caller, the time zone, the clock, the app,
// and that limit and offset do not.
func TestFindCachedKeys(t *testing.T) {
	form := testForm()
	recs := cacheRecords(400)
	for i, r := range recs {
		r.Values["作成者"] = store.Entity{Code: []string{"sato", "suzuki"}[i%2]}
		r.Values["users"] = users([]string{"sato", "suzuki", "tanaka"}[i%3])
		if i%5 == 0 {
			// NOW() at the clock's minute, and a minute later, differ
			// on these.
			r.Values["更新日時"] = "2024-05-15T03:30:00Z"
		}
	}
	tokyo := mustLoc(t, "Asia/Tokyo")
	base := testEnv()
	envs := []Env{
		base,
		{Now: testNow, Loc: time.UTC, LoginUser: "suzuki", PrimaryOrganization: "sales"},
		{Now: testNow, Loc: tokyo, LoginUser: "sato", PrimaryOrganization: "sales"},
		{Now: testNow.AddDate(0, 0, 3), Loc: time.UTC, LoginUser: "sato", PrimaryOrganization: "sales"},
		{Now: testNow.Add(time.Minute), Loc: time.UTC, LoginUser: "sato", PrimaryOrganization: "sales"},
	}
	for _, q := range []string{
		`作成者 in (LOGINUSER()) order by num asc`,
		`users in (LOGINUSER()) or num < 3 order by title asc`,
		`更新日時 = TODAY() order by num desc`,
		`更新日時 < NOW() order by num desc`,
		`更新日時 > "2024-05-10" order by num desc`,
		`date = FROM_TODAY(-2, DAYS) order by num desc`,
	} {
		var c Cache
		for round := range 2 {
			for _, env := range envs {
				for _, app := range []int64{1, 2} {
					query := q + " limit 20 offset " + strconv.Itoa(round*7)
					p, err := Prepare(query, form, env, false)
					if err != nil {
						t.Fatalf("Prepare(%q): %v", query, err)
					}
					appRecs := recs
					if app == 2 {
						appRecs = recs[:200]
					}
					got, n := p.FindCached(&c, app, 1, appRecs, true)
					want, wantN := p.FindSorted(appRecs, true)
					if !slices.Equal(recIDs(got), recIDs(want)) || n != wantN {
						t.Fatalf("%s, %+v, app %d: cached %v %d, uncached %v %d", query, env, app, recIDs(got), n, recIDs(want), wantN)
					}
				}
			}
		}
	}

	// Limit and offset are not part of the key; the condition and the
	// order are.
	key := func(q string) cacheKey {
		t.Helper()
		p, err := Prepare(q, form, base, false)
		if err != nil {
			t.Fatal(err)
		}
		if !p.cacheable {
			t.Fatalf("%q is not cacheable", q)
		}
		return p.key
	}
	if key("num > 1 order by num asc limit 5 offset 10") != key("num > 1 order by num asc") {
		t.Error("limit and offset change the key")
	}
	for _, pair := range [][2]string{
		{`num > 1 order by num asc`, `num > 1 order by num desc`},
		{`num > 1 order by num asc`, `num >= 1 order by num asc`},
		{`num > 1 order by num asc`, `num > "1" order by num asc`},
		{`title = "a" or title = "b" order by num asc`, `title = "a" and title = "b" order by num asc`},
		{`title in ("a,b") order by num asc`, `title in ("a", "b") order by num asc`},
		{`(num > 1) order by num asc`, `num > 1 order by num asc`},
		{`order by num asc, title asc`, `order by num asc`},
		{`order by num`, `order by num desc`},
	} {
		if key(pair[0]) == key(pair[1]) {
			t.Errorf("%q and %q have the same key", pair[0], pair[1])
		}
	}
	for _, q := range []string{`order by $id asc`, `num > 1`, `order by 作成者 asc`, `order by 更新者 desc, num asc`} {
		p, err := Prepare(q, form, base, false)
		if err != nil {
			t.Fatal(err)
		}
		if p.cacheable {
			t.Errorf("%q is cacheable", q)
		}
	}
}

// TestQueryKeyCoversTheTree guards queryKey: it encodes every field of the
// query tree's types but positions, so a field added to one of them must
// be added there too (or listed here as one that does not change an
// answer).
func TestQueryKeyCoversTheTree(t *testing.T) {
	want := map[reflect.Type][]string{
		reflect.TypeFor[kql.Query]():    {"Where", "OrderBy", "Limit", "Offset"},
		reflect.TypeFor[kql.And]():      {"Terms", "At"},
		reflect.TypeFor[kql.Or]():       {"Terms", "At"},
		reflect.TypeFor[kql.Paren]():    {"X", "At"},
		reflect.TypeFor[kql.Cond]():     {"Field", "Op", "Values", "At"},
		reflect.TypeFor[kql.Value]():    {"Kind", "Text", "Args", "At"},
		reflect.TypeFor[kql.OrderKey](): {"Field", "Desc", "Explicit", "At"},
	}
	for typ, fields := range want {
		var got []string
		for i := range typ.NumField() {
			got = append(got, typ.Field(i).Name)
		}
		if !slices.Equal(got, fields) {
			t.Errorf("%v has fields %v; queryKey knows %v", typ, got, fields)
		}
	}
}

// TestFindCachedConcurrent reads pages of several versions from many
// goroutines at once, for the race detector, checking each answer.
func TestFindCachedConcurrent(t *testing.T) {
	form, env := testForm(), testEnv()
	versions := [][]*store.Record{cacheRecords(600), cacheRecords(700), cacheRecords(500)}
	for i, r := range versions[1] {
		r.Values["num"] = strconv.Itoa(700 - i)
	}
	var c Cache
	var wg sync.WaitGroup
	errs := make(chan string, 16)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 60 {
				ver := (g + i/20) % len(versions)
				q := []string{`order by num desc, $id asc`, `num > 5 order by title asc`}[g%2]
				query := fmt.Sprintf("%s limit 50 offset %d", q, (i%20)*49)
				p, err := Prepare(query, form, env, false)
				if err != nil {
					errs <- err.Error()
					return
				}
				got, n := p.FindCached(&c, 1, uint64(ver+1), versions[ver], true)
				want, wantN := p.FindSorted(versions[ver], true)
				if !slices.Equal(recIDs(got), recIDs(want)) || n != wantN {
					errs <- fmt.Sprintf("%s version %d: cached %v %d, uncached %v %d", query, ver, recIDs(got), n, recIDs(want), wantN)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
