package kintone_test

import (
	"cmp"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/kintonetest"
)

// emptyRow is one record of emptiesApp: its $id, num and day (nil when
// empty).
type emptyRow struct {
	id  int64
	num *int
	day *string
}

// emptiesApp is an app EMPTIES of n records ($id 1..n) whose num and day
// are what val returns for record i (0-based; "" leaves it empty), added
// on an emulator clock an hour before the reads (so that the change check
// finds nothing updated during them).
func emptiesApp(t *testing.T, n int, val func(i int) (num, day string)) (*kintonetest.Server, []emptyRow) {
	t.Helper()
	var mu sync.Mutex
	now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
	srv := newEmulator(t, kintonetest.WithClock(func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		return now
	}))
	app, err := srv.CreateApp(kintonetest.App{Name: "Empties", Code: "EMPTIES", Fields: []kintonetest.Field{
		{Code: "num", Type: "NUMBER"},
		{Code: "day", Type: "DATE"},
		{Code: "label", Type: "SINGLE_LINE_TEXT"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	recs := make([]kintonetest.Record, n)
	rows := make([]emptyRow, n)
	for i := range recs {
		num, day := val(i)
		recs[i] = kintonetest.Record{"label": "row " + strconv.Itoa(i)}
		rows[i].id = int64(i + 1)
		if num != "" {
			recs[i]["num"] = num
			v, _ := strconv.Atoi(num)
			rows[i].num = &v
		}
		if day != "" {
			recs[i]["day"] = day
			rows[i].day = &day
		}
	}
	if _, err := srv.AddRecords(app, recs...); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	now = now.Add(time.Hour)
	mu.Unlock()
	return srv, rows
}

// sortedIDs returns the $ids of rows in SQL's order by num or day (empty
// first ascending, last descending), ties by $id.
func sortedIDs(rows []emptyRow, key string, desc bool) []int64 {
	rows = slices.Clone(rows)
	slices.SortStableFunc(rows, func(a, b emptyRow) int {
		var c int
		if key == "num" {
			c = cmpEmpty(a.num, b.num)
		} else {
			c = cmpEmpty(a.day, b.day)
		}
		if desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = r.id
	}
	return out
}

func cmpEmpty[T cmp.Ordered](a, b *T) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return cmp.Compare(*a, *b)
}

// ids reads the $ids a query returns.
func idRows(t *testing.T, db *sql.DB, query string) ([]int64, error) {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// checkEmptiesRead reads query through db, and through ref (a cursor),
// and checks the rows against want, the requests (no cursor, at most the
// pages of read records and three more) and that some pages went past the
// offset limit.
func checkEmptiesRead(t *testing.T, srv *kintonetest.Server, db, ref *sql.DB, query string, want []int64, read int) []string {
	t.Helper()
	var got []int64
	var err error
	queries := leapQueries(t, srv, func() { got, err = idRows(t, db, query) })
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	if st := srv.Stats(); st.ByEndpoint["POST records/cursor"] != 0 {
		t.Errorf("%s: a cursor", query)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("%s: %d rows, want %d in order (first difference at %d)", query, len(got), len(want), firstDiff(got, want))
	}
	viaCursor, err := idRows(t, ref, query)
	if err != nil {
		t.Fatalf("%s through a cursor: %v", query, err)
	}
	if !slices.Equal(viaCursor, want) {
		t.Fatalf("%s through a cursor: %d rows, want %d in order", query, len(viaCursor), len(want))
	}
	pages := (read + 498) / 499
	if len(queries) > pages+3 {
		t.Errorf("%s: %d GETs for %d pages:\n%s", query, len(queries), pages, strings.Join(queries, "\n"))
	}
	rebased := 0
	for _, q := range queries {
		if strings.Contains(q, "$id >= ") {
			rebased++
		}
	}
	if rebased == 0 && !strings.Contains(strings.Join(queries, "\n"), "$id > ") {
		t.Errorf("%s: no page went past the offset limit:\n%s", query, strings.Join(queries, "\n"))
	}
	return queries
}

func firstDiff(a, b []int64) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// mixedEmpties is record i of an app with empty values scattered through
// the $ids (one num in ten, one day in ten) and ties.
func mixedEmpties(i int) (num, day string) {
	if i%10 != 3 {
		num = strconv.Itoa(i * 37 % 4000)
	}
	if i%10 != 7 {
		day = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i*13%2000).Format("2006-01-02")
	}
	return num, day
}

// An order by a NUMBER or DATE field that may be empty goes past Kintone's
// offset limit without a cursor, whatever Kintone does with empty values
// in < and >: the emulator takes an empty NUMBER for minus infinity (a
// descending read meets its empties in the pages that count from an
// anchor, and one more page shows there are no others) and lets an empty
// DATE pass no comparison (a descending read reads them after, by $id).
func TestOrderByMayBeEmptyKeyGoesPastTheOffsetLimit(t *testing.T) {
	const n = 12000
	srv, rows := emptiesApp(t, n, mixedEmpties)
	ref := openDB(t, srv.DSN()+"?useCursor=always")
	for _, params := range []string{"", "?concurrency=1"} {
		db := openDB(t, srv.DSN()+params)
		for _, key := range []string{"num", "day"} {
			for _, desc := range []bool{false, true} {
				dir := ""
				if desc {
					dir = " DESC"
				}
				want := sortedIDs(rows, key, desc)
				queries := checkEmptiesRead(t, srv, db, ref, "SELECT $id FROM EMPTIES ORDER BY "+key+dir, want, n)
				if desc {
					// The emulator lets an empty num pass "num < K", and an
					// empty day pass no comparison: a descending read by num
					// reads its empty values in the rebased pages, and only
					// makes sure there are no more (one record); one by day
					// reads them all in its tail.
					tail := 0
					for _, q := range queries {
						if strings.Contains(q, "order by "+key+" asc, $id asc") {
							tail++
							if short := strings.HasSuffix(q, " limit 1"); short != (key == "num") {
								t.Errorf("%s: tail page %q", key, q)
							}
						}
					}
					if want := map[string]int{"num": 1, "day": 3}[key]; tail != want {
						t.Errorf("%s: %d tail pages, want %d", key, tail, want)
					}
				}
				// A condition, and a LIMIT that ends among the empty values
				// (descending) or past the limit (ascending).
				checkEmptiesRead(t, srv, db, ref, "SELECT $id FROM EMPTIES WHERE label NOT LIKE '%0' ORDER BY "+key+dir, filterLabel(want), n)
				q := checkEmptiesRead(t, srv, db, ref, "SELECT $id FROM EMPTIES WHERE $id > 5 ORDER BY "+key+dir,
					slices.DeleteFunc(slices.Clone(want), func(id int64) bool { return id <= 5 }), n-5)
				if !strings.Contains(q[0], "$id > 5") {
					t.Errorf("the condition was not sent: %s", q[0])
				}
				checkEmptiesRead(t, srv, db, ref, "SELECT $id FROM EMPTIES ORDER BY "+key+dir+" LIMIT 11500", want[:11500], 11500)
				// A LIMIT after a condition evaluated in Go: the reader stops
				// the read (Paging.Stop), in the tail when descending.
				checkEmptiesRead(t, srv, db, ref, "SELECT $id FROM EMPTIES WHERE label NOT LIKE '%0' ORDER BY "+key+dir+" LIMIT 10500", filterLabel(want)[:10500], n)
			}
		}
	}
}

// filterLabel keeps the $ids whose label ("row i", i = $id-1) does not end
// in 0.
func filterLabel(ids []int64) []int64 {
	var out []int64
	for _, id := range ids {
		if (id-1)%10 != 0 {
			out = append(out, id)
		}
	}
	return out
}

// With more empty values than Kintone's offset limit, a descending read
// finds an empty value at the limit and reads the rest by $id; an
// ascending one, whose empties come first, cannot say where they end
// without a cursor: it takes one before it hands on any row.
func TestOrderByMayBeEmptyKeyMostlyEmpty(t *testing.T) {
	const n = 11600
	srv, rows := emptiesApp(t, n, func(i int) (string, string) {
		if i%12 == 5 {
			return strconv.Itoa(i % 50), "2021-03-04"
		}
		return "", ""
	})
	ref := openDB(t, srv.DSN()+"?useCursor=always")
	db := openDB(t, srv.DSN())
	for _, key := range []string{"num", "day"} {
		queries := checkEmptiesRead(t, srv, db, ref, "SELECT $id FROM EMPTIES ORDER BY "+key+" DESC", sortedIDs(rows, key, true), n)
		if strings.Contains(strings.Join(queries, "\n"), "$id >= ") {
			t.Errorf("%s: a page counted from an empty anchor:\n%s", key, strings.Join(queries, "\n"))
		}
		want := sortedIDs(rows, key, false)
		got, err := idRows(t, db, "SELECT $id FROM EMPTIES ORDER BY "+key)
		if err != nil || !slices.Equal(got, want) {
			t.Fatalf("ascending %s: %d rows, %v", key, len(got), err)
		}
		if srv.Stats().ByEndpoint["POST records/cursor"] == 0 {
			t.Errorf("ascending %s: no cursor", key)
		}
	}
}

// A record edited during the tail of a descending read (the records with
// an empty key, read by $id) so that it moves among the rows already
// returned makes the read fail after its last row, as below the limit.
func TestOrderByMayBeEmptyKeyTailSaysRecordsChanged(t *testing.T) {
	srv, rows := emptiesApp(t, 12000, mixedEmpties)
	other := openDB(t, srv.DSN())
	// Record $id 11998, of an empty day, moves to the front of the order
	// once the tail's first page was read.
	if rows[11997].day != nil {
		t.Fatal("the test's record has a day")
	}
	proxied, fired := editOnAnswer(t, srv, other, "order by day asc", 1, "UPDATE EMPTIES SET day = '2099-01-01' WHERE $id = 11998")
	db := openDB(t, proxied+"?concurrency=1")
	got, err := idRows(t, db, "SELECT $id FROM EMPTIES ORDER BY day DESC")
	if !fired.Load() {
		t.Fatal("the edit never ran")
	}
	if !errors.Is(err, kintone.ErrRecordsChanged) || len(got) != 11999 {
		t.Errorf("%d rows, then %v; want the 11,999 that did not move, then ErrRecordsChanged", len(got), err)
	}
}

// rewriteQueries puts a reverse proxy in front of srv that rewrites the
// query of every GET records.json with rewrite, and returns the proxy's
// DSN and how many queries it changed.
func rewriteQueries(t *testing.T, srv *kintonetest.Server, rewrite func(string) string) (string, *atomic.Int32) {
	t.Helper()
	u, err := url.Parse(srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	var changed atomic.Int32
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: u.Scheme, Host: u.Host})
	direct := rp.Director
	rp.Director = func(req *http.Request) {
		direct(req)
		if req.Method != http.MethodGet || !strings.HasSuffix(req.URL.Path, "/records.json") {
			return
		}
		v := req.URL.Query()
		if q := v.Get("query"); rewrite(q) != q {
			v.Set("query", rewrite(q))
			req.URL.RawQuery = v.Encode()
			changed.Add(1)
		}
	}
	ps := httptest.NewServer(rp)
	t.Cleanup(ps.Close)
	pu, err := url.Parse(ps.URL)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = pu.Host
	return u.String(), &changed
}

var numCmp = regexp.MustCompile(`num ([<>]) ("[^"]*"|[-0-9.]+)`)

// emptyNumAs rewrites the comparisons num < X and num > X of a query so
// that an empty num passes none of them ("none"), or is above every
// value ("high").
func emptyNumAs(how string) func(string) string {
	return func(q string) string {
		return numCmp.ReplaceAllStringFunc(q, func(m string) string {
			if how == "high" && strings.HasPrefix(m, "num >") {
				return `(` + m + ` or num = "")`
			}
			return `(` + m + ` and num != "")`
		})
	}
}

// However Kintone compares an empty NUMBER, an order by it past the offset
// limit is exact: the emulator takes it for minus infinity; a proxy makes
// it pass no comparison (a descending read's tail reads every empty value)
// or sit above every value (an ascending read's rebased page begins with
// the empty values, before the anchor).
func TestOrderByMayBeEmptyNumberWhateverKintoneCompares(t *testing.T) {
	const n = 12000
	for _, tc := range []struct {
		how   string
		every int // one num in every empty
	}{{"none", 10}, {"high", 60}} {
		srv, rows := emptiesApp(t, n, func(i int) (string, string) {
			if i%tc.every == 3 {
				return "", ""
			}
			return strconv.Itoa(i * 37 % 4000), ""
		})
		ref := openDB(t, srv.DSN()+"?useCursor=always")
		proxied, changed := rewriteQueries(t, srv, emptyNumAs(tc.how))
		db := openDB(t, proxied)
		for _, dir := range []string{"", " DESC"} {
			changed.Store(0)
			want := sortedIDs(rows, "num", dir != "")
			checkEmptiesRead(t, srv, db, ref, "SELECT $id FROM EMPTIES ORDER BY num"+dir, want, n)
			if changed.Load() == 0 {
				t.Errorf("%s%s: no query rewritten", tc.how, dir)
			}
			checkEmptiesRead(t, srv, db, ref, "SELECT $id FROM EMPTIES WHERE $id > 5 ORDER BY num"+dir+" LIMIT 11900",
				slices.DeleteFunc(slices.Clone(want), func(id int64) bool { return id <= 5 })[:11900], 11900)
		}
	}
}

// Empty values above every other in a comparison, more than a page of
// them: the rebased page of an ascending read begins with them, and its
// anchor is not there. The read fails after the rows it read, never
// silently.
func TestOrderByMayBeEmptyNumberHighFailsLoudly(t *testing.T) {
	srv, rows := emptiesApp(t, 12000, mixedEmpties)
	proxied, _ := rewriteQueries(t, srv, emptyNumAs("high"))
	db := openDB(t, proxied)
	want := sortedIDs(rows, "num", false)
	got, err := idRows(t, db, "SELECT $id FROM EMPTIES ORDER BY num")
	if err == nil {
		t.Fatalf("%d rows and no error", len(got))
	}
	if !slices.Equal(got, want[:len(got)]) {
		t.Errorf("%d rows, not the first of the order", len(got))
	}
	if !strings.Contains(err.Error(), "useCursor=always") {
		t.Errorf("the error does not say what to do: %v", err)
	}
}

// An edit during a read by a key that may be empty, once its pages count
// from an anchor, ends as it would below the limit: a record moved into
// the part already read makes the read fail after its last row with
// ErrRecordsChanged; one moved on (into the empty values a descending
// read reads last) comes once, and the read succeeds.
func TestOrderByMayBeEmptyKeyEditedPastTheLimit(t *testing.T) {
	const n = 12000
	for _, tc := range []struct {
		name, query, edit string
		rows              int
		changed           bool
	}{
		// $id 11994, of an empty num, is among the last records read.
		{"desc, moved back", "SELECT $id FROM EMPTIES ORDER BY num DESC", "UPDATE EMPTIES SET num = 9999 WHERE $id = 11994", n - 1, true},
		{"desc, emptied", "SELECT $id FROM EMPTIES ORDER BY num DESC", "UPDATE EMPTIES SET num = NULL WHERE $id = 1", n, false},
		{"asc, emptied", "SELECT $id FROM EMPTIES ORDER BY num", "UPDATE EMPTIES SET num = NULL WHERE $id = 4000", n - 1, true},
		{"asc, moved on", "SELECT $id FROM EMPTIES ORDER BY num", "UPDATE EMPTIES SET num = 9999 WHERE $id = 1", n, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _ := emptiesApp(t, n, mixedEmpties)
			other := openDB(t, srv.DSN())
			proxied, fired := editOnAnswer(t, srv, other, "$id >= ", 1, tc.edit)
			db := openDB(t, proxied+"?concurrency=1")
			got, err := idRows(t, db, tc.query)
			if !fired.Load() {
				t.Fatal("the edit never ran")
			}
			if tc.changed != errors.Is(err, kintone.ErrRecordsChanged) || !tc.changed && err != nil || len(got) != tc.rows {
				t.Fatalf("%d rows, then %v; want %d rows, ErrRecordsChanged %v", len(got), err, tc.rows, tc.changed)
			}
			seen := map[int64]bool{}
			for _, id := range got {
				if seen[id] {
					t.Fatalf("$id %d twice", id)
				}
				seen[id] = true
			}
		})
	}
}

// The other kinds that may be empty, DATETIME and TIME, go past the offset
// limit alike: the literals of the rebased condition are exact, and the
// rows are those a cursor reads.
func TestOrderByMayBeEmptyTimeKinds(t *testing.T) {
	const n = 11000
	srv := newEmulator(t)
	app, err := srv.CreateApp(kintonetest.App{Name: "Times", Code: "TIMES", Fields: []kintonetest.Field{
		{Code: "at", Type: "DATETIME"},
		{Code: "tm", Type: "TIME"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	recs := make([]kintonetest.Record, n)
	for i := range recs {
		recs[i] = kintonetest.Record{}
		if i%9 != 4 {
			recs[i]["at"] = base.Add(time.Duration(i*7%3000) * time.Minute).Format("2006-01-02T15:04:05Z")
		}
		if i%8 != 1 {
			m := i * 11 % 1440
			recs[i]["tm"] = fmt.Sprintf("%02d:%02d", m/60, m%60)
		}
	}
	if _, err := srv.AddRecords(app, recs...); err != nil {
		t.Fatal(err)
	}
	ref := openDB(t, srv.DSN()+"?useCursor=always")
	db := openDB(t, srv.DSN())
	for _, order := range []string{"at", "at DESC", "tm", "tm DESC"} {
		query := "SELECT $id FROM TIMES ORDER BY " + order
		want, err := idRows(t, ref, query)
		if err != nil || len(want) != n {
			t.Fatalf("%s through a cursor: %d rows, %v", query, len(want), err)
		}
		checkEmptiesRead(t, srv, db, ref, query, want, n)
	}
}
