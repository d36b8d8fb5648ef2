package kintone_test

import (
	"database/sql"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/internal/scan"
	"github.com/kintone-sql/kintone/kintonetest"
)

// leapWorld is an app of NUMBERS records under random edits, with what the
// reads of "WHERE num < 5000" may and must return: the records that
// matched throughout must come, and only records that matched at some
// time may.
type leapWorld struct {
	t     *testing.T
	srv   *kintonetest.Server
	other *sql.DB // straight to srv, for the edits

	mu       sync.Mutex
	rng      *rand.Rand
	matching map[int64]bool // the live records, and whether they match
	start    map[int64]bool // the records that matched when the read began
	touched  map[int64]bool // records whose match changed or that went
	ever     map[int64]bool // records that matched at some time
	edits    int
	ps       int  // the page size, for edits near the ends
	all      bool // the read has no condition: every record matches
}

// leapWorldOf makes an app of n records, num i at the i-th, a record in
// twenty out of the condition (num 9999).
func leapWorldOf(t *testing.T, rng *rand.Rand, n, ps int, opts ...kintonetest.Option) *leapWorld {
	t.Helper()
	srv := newEmulator(t, opts...)
	app, err := srv.CreateApp(kintonetest.App{Name: "Numbers", Code: "NUMBERS", Fields: []kintonetest.Field{
		{Code: "num", Type: "NUMBER"},
		{Code: "label", Type: "SINGLE_LINE_TEXT"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	recs := make([]kintonetest.Record, n)
	out := make([]bool, n)
	for i := range recs {
		num := i % 5000
		if rng.IntN(20) == 0 {
			num, out[i] = 9999, true
		}
		recs[i] = kintonetest.Record{"num": strconv.Itoa(num), "label": "row " + strconv.Itoa(i)}
	}
	ids, err := srv.AddRecords(app, recs...)
	if err != nil {
		t.Fatal(err)
	}
	w := &leapWorld{t: t, srv: srv, other: openDB(t, srv.DSN()), rng: rng, ps: ps,
		matching: map[int64]bool{}, start: map[int64]bool{}, touched: map[int64]bool{}, ever: map[int64]bool{}}
	for i, id := range ids {
		w.matching[id] = !out[i]
		if !out[i] {
			w.start[id], w.ever[id] = true, true
		}
	}
	return w
}

// pick returns a live record, matching or not as match says; 0 when none.
func (w *leapWorld) pick(match bool) int64 {
	var ids []int64
	for id, m := range w.matching {
		if m == match {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return 0
	}
	slices.Sort(ids)
	// Mostly near either end, where the pages end and the totals count.
	near := min(len(ids), 3*w.ps)
	switch w.rng.IntN(4) {
	case 0:
		return ids[w.rng.IntN(near)]
	case 1:
		return ids[len(ids)-1-w.rng.IntN(near)]
	}
	return ids[w.rng.IntN(len(ids))]
}

// edit makes one random edit, and keeps the books.
func (w *leapWorld) edit() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.edits++
	run := func(q string, args ...any) sql.Result {
		res, err := w.other.Exec(q, args...)
		if err != nil {
			w.t.Errorf("edit %s: %v", q, err)
		}
		return res
	}
	switch w.rng.IntN(6) {
	case 0: // delete a record, matching or not
		if id := w.pick(w.rng.IntN(4) != 0); id != 0 {
			run("DELETE FROM NUMBERS WHERE $id = ?", id)
			delete(w.matching, id)
			w.touched[id] = true
		}
	case 1: // edit a record out
		if id := w.pick(true); id != 0 && !w.all {
			run("UPDATE NUMBERS SET num = 9999 WHERE $id = ?", id)
			w.matching[id] = false
			w.touched[id] = true
		}
	case 2: // edit a record in
		if id := w.pick(false); id != 0 && !w.all {
			run("UPDATE NUMBERS SET num = ? WHERE $id = ?", w.rng.IntN(5000), id)
			w.matching[id] = true
			w.touched[id], w.ever[id] = true, true
		}
	case 3, 4: // add a record at the end, mostly one that matches
		num := w.rng.IntN(5000)
		if w.rng.IntN(4) == 0 {
			num = 9999
		}
		res := run("INSERT INTO NUMBERS (num, label) VALUES (?, 'added')", num)
		if res == nil {
			return
		}
		id, err := res.LastInsertId()
		if err != nil {
			w.t.Errorf("insert: %v", err)
			return
		}
		w.matching[id] = num < 5000 || w.all
		w.touched[id] = true
		if w.matching[id] {
			w.ever[id] = true
		}
	default: // change what the condition does not look at
		if id := w.pick(true); id != 0 {
			run("UPDATE NUMBERS SET label = 'edited' WHERE $id = ?", id)
		}
	}
}

// begin starts the books of a read: what matches now is what must come if
// nothing touches it.
func (w *leapWorld) begin() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.start, w.touched, w.ever = map[int64]bool{}, map[int64]bool{}, map[int64]bool{}
	for id, m := range w.matching {
		if m {
			w.start[id], w.ever[id] = true, true
		}
	}
}

// leapProxy is a proxy in front of the world's emulator that delays each
// GET records.json of a read by a random time (so that answers come out
// of order), runs random edits after Kintone answered some of them, and
// answers one of them, the failAt-th (0: none), with an error.
type leapProxy struct {
	w        *leapWorld
	dsn      string
	pEdit    float64
	failAt   int32
	seen     atomic.Int32
	failed   atomic.Bool
	jitter   time.Duration
	rngMu    sync.Mutex
	rng      *rand.Rand
	disabled atomic.Bool
}

func newLeapProxy(t *testing.T, w *leapWorld, seed uint64) *leapProxy {
	t.Helper()
	u, err := url.Parse(w.srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	lp := &leapProxy{w: w, rng: rand.New(rand.NewPCG(seed, 7))}
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: u.Scheme, Host: u.Host})
	rp.ErrorLog = log.New(io.Discard, "", 0) // the requests the driver cancels
	reading := func(req *http.Request) bool {
		return !lp.disabled.Load() && req.Method == http.MethodGet && strings.HasSuffix(req.URL.Path, "/records.json")
	}
	base := http.DefaultTransport
	rp.Transport = roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if reading(req) && lp.jitter > 0 {
			lp.rngMu.Lock()
			d := time.Duration(lp.rng.Int64N(int64(lp.jitter)))
			lp.rngMu.Unlock()
			time.Sleep(d)
		}
		return base.RoundTrip(req)
	})
	rp.ModifyResponse = func(resp *http.Response) error {
		if !reading(resp.Request) {
			return nil
		}
		// Read the answer whole first: Kintone read its records before
		// the edits.
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		resp.Body = io.NopCloser(strings.NewReader(string(body)))
		if n := lp.seen.Add(1); n == lp.failAt {
			lp.failed.Store(true)
			msg := `{"code":"GAIA_IQ11","id":"fuzz","message":"Injected failure."}`
			resp.StatusCode, resp.Status = http.StatusBadRequest, "400 Bad Request"
			resp.Body = io.NopCloser(strings.NewReader(msg))
			resp.ContentLength = int64(len(msg))
			resp.Header.Set("Content-Length", strconv.Itoa(len(msg)))
			return nil
		}
		lp.rngMu.Lock()
		edits := 0
		for lp.rng.Float64() < lp.pEdit && edits < 3 {
			edits++
		}
		lp.rngMu.Unlock()
		for range edits {
			w.edit()
		}
		return nil
	}
	ps := httptest.NewServer(rp)
	t.Cleanup(ps.Close)
	pu, err := url.Parse(ps.URL)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = pu.Host
	lp.dsn = u.String()
	return lp
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// readIDs runs query and returns the $ids of its rows, and the error that
// ended them.
func readIDs(db *sql.DB, query string) ([]int64, error) {
	rows, err := db.Query(query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id, num int64
		if err := rows.Scan(&id, &num); err != nil {
			return out, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// checkLeapRows checks the rows of a read of the world: in $id order, each
// once, only records that matched at some time, and every record that
// matched throughout up to the last row (to the end when complete).
func (w *leapWorld) checkLeapRows(got []int64, desc, complete bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	before := func(a, b int64) bool { return a < b != desc }
	for i, id := range got {
		if i > 0 && !before(got[i-1], id) {
			return fmt.Errorf("row %d: $id %d after %d", i, id, got[i-1])
		}
		if !w.ever[id] {
			return fmt.Errorf("row %d: $id %d never matched", i, id)
		}
	}
	in := map[int64]bool{}
	for _, id := range got {
		in[id] = true
	}
	var missing []int64
	for id := range w.start {
		if w.touched[id] || in[id] {
			continue
		}
		if complete || len(got) > 0 && before(id, got[len(got)-1]) {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		return fmt.Errorf("%d records that matched throughout missing: %v", len(missing), missing[:min(len(missing), 10)])
	}
	return nil
}

// A leap read under random edits, fired as random answers come back,
// answers out of order, random page sizes, record counts, concurrency,
// LIMITs and failures: every record that matched throughout comes, once, in
// $id order (up to the failure, when one is injected); no reader is left
// running. LEAPFUZZ=n runs n cases (default 40).
func TestLeapReadFuzz(t *testing.T) {
	cases := 40
	if testing.Short() {
		cases = 10
	}
	if s := os.Getenv("LEAPFUZZ"); s != "" {
		cases, _ = strconv.Atoi(s)
	}
	// A fixed seed, so that CI runs the same cases every time;
	// LEAPFUZZSEED=random explores new ones (a failure prints its seed).
	seed0 := uint64(20261207)
	switch s := os.Getenv("LEAPFUZZSEED"); s {
	case "":
	case "random":
		seed0 = uint64(time.Now().UnixNano())
	default:
		seed0, _ = strconv.ParseUint(s, 10, 64)
	}
	base := readerGoroutines()
	leaped, restarted := 0, 0
	for c := range cases {
		seed := seed0 + uint64(c)
		rng := rand.New(rand.NewPCG(seed, 1))
		ps := []int{3, 4, 7, 10, 51, 60, 100, 137, 500}[rng.IntN(9)]
		// A count whose pages leap, mostly.
		sp := &scan.Spec{PageSize: ps}
		n := 0
		for range 50 {
			n = ps*2 + 1 + rng.IntN(min(ps*40, 3000))
			leap, seek := sp.LeapCost(int64(n))
			if leap-seek <= seek/50 {
				break
			}
		}
		conc := 2 + rng.IntN(7)
		if rng.IntN(12) == 0 {
			// Past a block of offsets.
			ps = []int{100, 500}[rng.IntN(2)]
			sp = &scan.Spec{PageSize: ps}
			n = int(sp.LeapBlockSize()) - 5 + rng.IntN(1500)
		}
		w := leapWorldOf(t, rng, n, ps)
		lp := newLeapProxy(t, w, seed)
		lp.pEdit = []float64{0, 0.1, 0.3, 0.6}[rng.IntN(4)]
		lp.jitter = time.Duration(rng.IntN(3)) * time.Millisecond
		desc := rng.IntN(3) == 0
		// Without a condition, LIMIT bounds the read (Spec.MaxRecords); with
		// one, which Go checks too (num IS NOT NULL), LIMIT is applied in Go.
		w.all = rng.IntN(2) == 0
		if w.all {
			for id := range w.matching {
				w.matching[id] = true
			}
		}
		query := "SELECT $id, num FROM NUMBERS WHERE num < 5000 ORDER BY $id"
		if w.all {
			query = "SELECT $id, num FROM NUMBERS ORDER BY $id"
		}
		if desc {
			query += " DESC"
		}
		limit := -1
		if rng.IntN(3) == 0 {
			limit = ps + 2 + rng.IntN(n)
			if rng.IntN(2) == 0 { // on a page boundary of the leap
				limit = ps + (ps-1)*(1+rng.IntN(max(n/ps, 1)))
			}
			query += " LIMIT " + strconv.Itoa(limit)
		}
		if rng.IntN(5) == 0 {
			lp.failAt = int32(2 + rng.IntN(max(n/ps, 1)))
		}
		name := fmt.Sprintf("seed %d: %d records, pageSize=%d concurrency=%d edits %.1f jitter %v fail at %d: %s",
			seed, n, ps, conc, lp.pEdit, lp.jitter, lp.failAt, query)
		db := openDB(t, lp.dsn+fmt.Sprintf("?pageSize=%d&concurrency=%d", ps, conc))
		lp.disabled.Store(true)
		if _, err := readIDs(db, "SELECT $id, num FROM NUMBERS LIMIT 1"); err != nil { // the schema
			t.Fatal(err)
		}
		lp.disabled.Store(false)
		w.begin()
		w.srv.ResetStats()
		got, err := readIDs(db, query)
		lp.disabled.Store(true)
		var queries []string
		for _, r := range w.srv.Requests() {
			if r.Resource == "records" && r.Effective == "GET" {
				v, _ := url.ParseQuery(r.Query)
				queries = append(queries, v.Get("query")+" total="+v.Get("totalCount"))
			}
		}
		gets, offsets, anchored := len(queries), 0, 0
		for _, q := range queries {
			switch {
			case strings.Contains(q, " offset "):
				offsets++
			case strings.Contains(q, "$id > ") || strings.Contains(q, "$id < "):
				anchored++ // a block's first page: after a restart, a total or a block
			}
		}
		if offsets > 0 {
			leaped++
			restarted += min(anchored, 1)
		}
		if os.Getenv("LEAPFUZZLOG") != "" {
			t.Logf("%s: %d GETs, %d by offset, %d anchored seeks, %d edits, err %v", name, gets, offsets, anchored, w.edits, err)
		}
		if most := mostAtOnce(w.srv); most > conc {
			t.Errorf("%s: %d GETs at once", name, most)
		}
		if err != nil && !lp.failed.Load() {
			t.Fatalf("%s: %v", name, err)
		}
		if lp.failed.Load() && err == nil {
			// The failed page may have been one that the read dropped.
			t.Logf("%s: no error", name)
		}
		complete := err == nil && (limit < 0 || len(got) < limit)
		if limit >= 0 && len(got) > limit {
			t.Fatalf("%s: %d rows", name, len(got))
		}
		if cerr := w.checkLeapRows(got, desc, complete); cerr != nil {
			t.Fatalf("%s (%d edits, %d rows, err %v): %v", name, w.edits, len(got), err, cerr)
		}
		if w.edits == 0 && err == nil && offsets > 0 && (limit < 0 || w.all) {
			// Nothing moved: the read made the requests it was planned
			// with.
			want, _ := sp.LeapCost(int64(len(got)))
			if gets != int(want) {
				t.Errorf("%s: %d rows in %d GETs, planned %d:\n%s", name, len(got), gets, want, strings.Join(queries, "\n"))
			}
		}
		db.Close()
	}
	t.Logf("%d of %d reads leaped, %d with a block after an anchor", leaped, cases, restarted)
	if leaped < cases/3 {
		t.Errorf("only %d of %d reads leaped", leaped, cases)
	}
	waitReaderGoroutines(t, base)
}
