package fetch

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/auth"
	"github.com/kintone-sql/kintone/dsn"
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/internal/rest"
	"github.com/kintone-sql/kintone/internal/scan"
	"github.com/kintone-sql/kintone/kintonetest"
)

// leapRig is an emulator app of NUMBERS records (num i at $id i+1) and a
// REST client to it whose transport counts the GET records.json in
// flight, may hold some back (delay) and runs onAnswer after Kintone
// answered one, before the pager sees the answer.
type leapRig struct {
	t        *testing.T
	srv      *kintonetest.Server
	app      int64
	client   *rest.Client
	inflight atomic.Int32
	most     atomic.Int32 // the most GET records.json in flight at once
	tr       *http.Transport
	mu       sync.Mutex
	delay    func(query string) time.Duration
	onAnswer func(query string)
	fail     func(query string) bool // answer 400 instead
	queries  []string
}

func newLeapRig(t *testing.T, n int) *leapRig {
	t.Helper()
	srv, err := kintonetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	app, err := srv.CreateApp(kintonetest.App{Name: "Numbers", Code: "NUMBERS", Fields: []kintonetest.Field{{Code: "num", Type: "NUMBER"}}})
	if err != nil {
		t.Fatal(err)
	}
	recs := make([]kintonetest.Record, n)
	for i := range recs {
		recs[i] = kintonetest.Record{"num": strconv.Itoa(i)}
	}
	if _, err := srv.AddRecords(app, recs...); err != nil {
		t.Fatal(err)
	}
	cfg, err := dsn.Parse(srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	a, err := auth.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := &leapRig{t: t, srv: srv, app: app, tr: http.DefaultTransport.(*http.Transport).Clone()}
	t.Cleanup(r.tr.CloseIdleConnections) // before the server closes
	r.client, err = rest.New(cfg, a, rest.Options{Transport: roundTripper(r.roundTrip)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

func (r *leapRig) roundTrip(req *http.Request) (*http.Response, error) {
	query := ""
	if strings.HasSuffix(req.URL.Path, "/records.json") && req.Method == http.MethodGet {
		query = req.URL.Query().Get("query")
	}
	if query == "" {
		return r.tr.RoundTrip(req)
	}
	for n, m := r.inflight.Add(1), r.most.Load(); n > m && !r.most.CompareAndSwap(m, n); m = r.most.Load() {
	}
	defer r.inflight.Add(-1)
	r.mu.Lock()
	r.queries = append(r.queries, query)
	delay, onAnswer, fail := r.delay, r.onAnswer, r.fail
	r.mu.Unlock()
	if delay != nil {
		if d := delay(query); d > 0 {
			select {
			case <-time.After(d):
			case <-req.Context().Done():
				return nil, req.Context().Err()
			}
		}
	}
	if fail != nil && fail(query) {
		body := `{"code":"GAIA_IQ11","id":"leap","message":"Injected failure."}`
		return &http.Response{StatusCode: http.StatusBadRequest, Status: "400 Bad Request", Request: req, ContentLength: int64(len(body)),
			Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body))}, nil
	}
	resp, err := r.tr.RoundTrip(req)
	if err != nil || onAnswer == nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(strings.NewReader(string(body)))
	onAnswer(query)
	return resp, nil
}

// exec runs SQL-free edits on the emulator: it deletes the records of
// $id in ids through the REST client.
func (r *leapRig) deleteIDs(ids ...int64) {
	r.t.Helper()
	if err := r.client.DeleteRecords(context.Background(), r.app, ids, nil); err != nil {
		r.t.Errorf("delete: %v", err)
	}
}

// spec is a seek read of every record by $id.
func (r *leapRig) spec(pageSize int, desc bool, maxRecords int64) *scan.Spec {
	return &scan.Spec{
		App: r.app, Strategy: scan.Seek, Fields: []string{"$id", "num"}, PageSize: pageSize, MaxRecords: maxRecords,
		Desc: desc, Parallel: true,
		Query: &kql.Query{OrderBy: []kql.OrderKey{{Field: "$id", Desc: desc}}},
	}
}

// ids reads the pager to its end and returns the $ids, and the error
// that ended it (nil at io.EOF).
func ids(p *Pager) ([]int64, error) {
	var out []int64
	for {
		rec, err := p.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		id, err := strconv.ParseInt(fmt.Sprint(rec["$id"]), 10, 64)
		if err != nil {
			return out, err
		}
		out = append(out, id)
	}
}

// A leap read that ends with pages still asked for (here the fourth page
// comes back short, records having been deleted at the end after the first
// page, while the fifth is slow) stops them when it ends: no request of
// the read outlives the slots of the connector's RequestBudget that it
// took for its lanes, and the pager's fetcher is done with the read.
func TestLeapReadEndsItsRequestsBeforeGivingBackItsLanes(t *testing.T) {
	r := newLeapRig(t, 1090)
	var once sync.Once
	r.onAnswer = func(query string) {
		if strings.Contains(query, "offset") {
			return
		}
		once.Do(func() {
			// After the first page: the records of num 350 and up go.
			for id := int64(351); id <= 1090; id += 100 {
				var batch []int64
				for i := id; i < min(id+100, 1091); i++ {
					batch = append(batch, i)
				}
				r.deleteIDs(batch...)
			}
		})
	}
	r.delay = func(query string) time.Duration {
		if strings.Contains(query, "offset 396") {
			return 3 * time.Second
		}
		return 0
	}
	budget := NewRequestBudget(3)
	p := Start(context.Background(), r.client, r.spec(100, false, 0), Limits{Parallel: 4, Requests: budget})
	defer p.Close()
	got, err := ids(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 350 || got[0] != 1 || got[349] != 350 {
		t.Fatalf("%d records", len(got))
	}
	if !strings.Contains(strings.Join(r.queries, "\n"), "offset 396") {
		t.Fatalf("the fifth page was never asked for:\n%s", strings.Join(r.queries, "\n"))
	}
	if n, free := r.inflight.Load(), cap(budget.slots)-len(budget.slots); n > 0 && free > 0 {
		t.Errorf("the read ended with %d requests in flight and gave %d lanes back", n, free)
	}
	select {
	case <-p.done:
	case <-time.After(time.Second):
		t.Errorf("the fetcher still waits for a request of a read that ended")
	}
	if len(budget.slots) != 0 {
		t.Errorf("%d slots still taken", len(budget.slots))
	}
}

// A leap read asks for the pages after the first as soon as the first has
// come, as a page-by-page read asks for its second: not once the consumer
// has taken the first page, which would leave the network idle while it
// is decoded and read.
func TestLeapReadAsksForItsPagesBeforeHandingOverTheFirst(t *testing.T) {
	r := newLeapRig(t, 2345)
	p := Start(context.Background(), r.client, r.spec(500, false, 0), Limits{Parallel: 4, Requests: NewRequestBudget(3)})
	defer p.Close()
	asked := func() int {
		r.mu.Lock()
		defer r.mu.Unlock()
		return len(r.queries)
	}
	deadline := time.Now().Add(2 * time.Second)
	for asked() < 4 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if n := asked(); n < 4 {
		t.Errorf("%d pages asked for while the first waits to be taken, want the first and 3 more", n)
	}
	got, err := ids(p)
	if err != nil || len(got) != 2345 {
		t.Fatalf("%d records, %v", len(got), err)
	}
}

// leapLanes leaps only where the walk of the leap's pages costs at most a
// request in fifty more than a page-by-page read (a table against a walk
// page by page), with no more lanes than pages to go, than the DSN's
// concurrency, or than half of what the domain admits leaves.
func TestLeapLanesAgainstAWalkOfThePages(t *testing.T) {
	walk := func(ps int, n int64) (pages int64) {
		step := int64(ps - 1)
		var covered int64
		for covered < n {
			for j := int64(0); j*step <= scan.MaxOffset && covered < n; j++ {
				covered += step
				if j == 0 {
					covered++
				}
				pages++
			}
		}
		return pages
	}
	for _, ps := range []int{1, 2, 3, 7, 51, 100, 500} {
		for _, parallel := range []int{1, 2, 8, 16} {
			for _, load := range []rest.Load{{}, {Running: 1, Limit: 100}, {Running: 48, Limit: 100}, {Running: 50, Limit: 100}, {Running: 1, Limit: 6}} {
				for _, n := range []int64{int64(ps) + 1, 2*int64(ps) + 1, 3*int64(ps) + 1, 7, 15, 2345, 2500, 2501, 10480, 10481, 30000, 100000} {
					read := int64(ps)
					p := &Pager{read: &scan.Spec{PageSize: ps, Parallel: true}, parallel: parallel}
					got := p.leapLanes(n, read, load)
					want := 0
					if ps >= 2 && n > read+int64(ps) {
						seek := (n + int64(ps) - 1) / int64(ps)
						leap := walk(ps, n)
						if leap-seek <= seek/50 {
							want = int(min(int64(parallel), leap-1))
							if load.Limit > 0 {
								want = min(want, load.Limit/2-load.Running+1)
							}
							if want < 2 {
								want = 0
							}
						}
					}
					if got != want {
						t.Errorf("pageSize %d concurrency %d load %+v, %d records: %d lanes, want %d", ps, parallel, load, n, got, want)
					}
				}
			}
		}
	}
}

// A read of at most MaxRecords (a LIMIT) that found fewer when it began
// asks for no more records than that when records are added meanwhile, as
// a page-by-page read does: here 2,345 records of a LIMIT 2400, 3,000
// added after the first page, read in 5 pages of 500 either way; the
// leap read's last planned page shows the added records with its total,
// and the read goes on to the 2,400th record, not to the 5,345th.
func TestLeapReadStopsAtMaxRecordsWhenRecordsAreAdded(t *testing.T) {
	r := newLeapRig(t, 2345)
	var once sync.Once
	r.onAnswer = func(query string) {
		if strings.Contains(query, "offset") {
			return
		}
		once.Do(func() {
			recs := make([]kintonetest.Record, 3000)
			for i := range recs {
				recs[i] = kintonetest.Record{"num": strconv.Itoa(2345 + i)}
			}
			if _, err := r.srv.AddRecords(r.app, recs...); err != nil {
				t.Error(err)
			}
		})
	}
	p := Start(context.Background(), r.client, r.spec(500, false, 2400), Limits{Parallel: 4, Requests: NewRequestBudget(3)})
	defer p.Close()
	got, err := ids(p)
	if err != nil {
		t.Fatal(err)
	}
	for i, id := range got {
		if id != int64(i+1) {
			t.Fatalf("record %d: $id %d", i, id)
		}
	}
	leaped := strings.Contains(strings.Join(r.queries, "\n"), "offset")
	if len(got) != 2400 || len(r.queries) > 6 || !leaped {
		t.Errorf("%d records in %d GETs, want 2,400 in at most 6, by offset:\n%s", len(got), len(r.queries), strings.Join(r.queries, "\n"))
	}
}

// A leap read holds few pages however slow its consumer, across blocks
// too: besides the pages taken, at most lanes+1 pages asked for (answered
// and waiting, or in flight).
func TestLeapReadHoldsFewPagesForASlowConsumer(t *testing.T) {
	r := newLeapRig(t, 12000)
	const lanes = 4
	p := Start(context.Background(), r.client, r.spec(100, false, 0), Limits{Parallel: lanes, Requests: NewRequestBudget(lanes - 1)})
	defer p.Close()
	asked := func() int {
		r.mu.Lock()
		defer r.mu.Unlock()
		return len(r.queries)
	}
	taken := 0
	for i := 0; ; i++ {
		rec, err := p.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if id := fmt.Sprint(rec["$id"]); id != strconv.Itoa(i+1) {
			t.Fatalf("record %d: $id %s", i, id)
		}
		if p.i == 1 { // the first record of a page
			taken++
			if taken%10 == 1 {
				time.Sleep(20 * time.Millisecond) // slow: every page asked for has come
			}
			if n := asked(); n > taken+lanes+1 {
				t.Fatalf("%d pages asked for, %d taken", n, taken)
			}
		}
	}
	if taken < 100 {
		t.Fatalf("%d pages", taken)
	}
}

// A block's last page, asked for first to anchor the next block, may come
// back short or empty when records at the end went meanwhile: the read
// then ends where its pages end, with no next block and nothing missing.
// Here 10,600 records (a block of 10,480 and 120), the last ones deleted
// once the first page came: down to 10,000 (the last page of the block
// short), to 9,900 (it comes back empty, the page before short), and to
// 10,480 (it comes back full, the next block empty).
func TestLeapReadBlockEndsShort(t *testing.T) {
	for _, desc := range []bool{false, true} {
		for _, keep := range []int64{10000, 9900, 10480, 10479, 10481} {
			t.Run(fmt.Sprintf("desc=%v/%d", desc, keep), func(t *testing.T) {
				r := newLeapRig(t, 10600)
				// The end: the highest $ids, the lowest for a read down.
				lo, hi := keep+1, int64(10600)
				if desc {
					lo, hi = 1, 10600-keep
				}
				var once sync.Once
				r.onAnswer = func(query string) {
					if strings.Contains(query, "offset") {
						return
					}
					once.Do(func() {
						for id := lo; id <= hi; id += 100 {
							var batch []int64
							for i := id; i < min(id+100, hi+1); i++ {
								batch = append(batch, i)
							}
							r.deleteIDs(batch...)
						}
					})
				}
				p := Start(context.Background(), r.client, r.spec(500, desc, 0), Limits{Parallel: 8, Requests: NewRequestBudget(7)})
				defer p.Close()
				got, err := ids(p)
				if err != nil {
					t.Fatal(err)
				}
				for i, id := range got {
					want := int64(i + 1)
					if desc {
						want = 10600 - int64(i)
					}
					if id != want {
						t.Fatalf("record %d: $id %d, want %d", i, id, want)
					}
				}
				if int64(len(got)) != keep {
					t.Fatalf("%d records, want %d:\n%s", len(got), keep, strings.Join(r.queries, "\n"))
				}
			})
		}
	}
}

// A page that fails while others are in flight or answered fails the read
// in its place: every record before it comes first, in order, then the
// error; none after it. The anchoring page of a block fails so too,
// though it was asked for first. 11,400 records: a block of 10,480, then
// one of two pages.
func TestLeapReadFailsInOrder(t *testing.T) {
	for _, tc := range []struct {
		failing  string
		anchored bool // a page of the second block
		before   int
	}{
		{"offset 1497", false, 500 + 2*499},
		{"offset 499", false, 500},
		{"offset 9980", false, 500 + 19*499}, // the last page of the first block
		{"limit 500", true, 10480},
		{"offset 499", true, 10480 + 500},
	} {
		t.Run(fmt.Sprint(tc.failing, tc.anchored), func(t *testing.T) {
			r := newLeapRig(t, 11400)
			r.fail = func(query string) bool {
				return strings.HasSuffix(query, tc.failing) && strings.Contains(query, "$id > ") == tc.anchored
			}
			p := Start(context.Background(), r.client, r.spec(500, false, 0), Limits{Parallel: 8, Requests: NewRequestBudget(7)})
			defer p.Close()
			got, err := ids(p)
			if err == nil || !strings.Contains(err.Error(), "GAIA_IQ11") {
				t.Fatalf("%d records, error %v:\n%s", len(got), err, strings.Join(r.queries, "\n"))
			}
			for i, id := range got {
				if id != int64(i+1) {
					t.Fatalf("record %d: $id %d", i, id)
				}
			}
			if len(got) != tc.before {
				t.Fatalf("%d records before the error, want %d", len(got), tc.before)
			}
		})
	}
}

// Cancelling the query's context during a leap read ends it with the
// context's error, never as if the records had ended, and its requests
// with it.
func TestLeapReadCancelled(t *testing.T) {
	r := newLeapRig(t, 8900)
	r.delay = func(query string) time.Duration {
		if strings.Contains(query, "offset 2994") {
			return 5 * time.Second
		}
		return 0
	}
	ctx, cancel := context.WithCancel(context.Background())
	budget := NewRequestBudget(7)
	p := Start(ctx, r.client, r.spec(500, false, 0), Limits{Parallel: 8, Requests: budget})
	defer p.Close()
	n := 0
	for ; n < 2000; n++ {
		if _, err := p.Next(); err != nil {
			t.Fatal(err)
		}
	}
	go func() {
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	for {
		_, err := p.Next()
		if err == io.EOF {
			t.Fatalf("io.EOF after %d records", n)
		}
		if err != nil {
			if err != context.Canceled {
				t.Errorf("%v after %d records, want context.Canceled", err, n)
			}
			break
		}
		n++
	}
	if n > 500+5*499 {
		t.Errorf("%d records: the page at offset 2994 never held the read back", n)
	}
	select {
	case <-p.done:
	case <-time.After(time.Second):
		t.Fatal("the fetcher still runs")
	}
	if len(budget.slots) != 0 || r.inflight.Load() != 0 {
		t.Errorf("%d slots taken, %d requests in flight", len(budget.slots), r.inflight.Load())
	}
}

// A leap read runs the lanes its RequestBudget gives, fewer than the DSN's
// concurrency when other reads hold the rest, and none beyond its own
// request when the budget has none left (it then reads page by page).
func TestLeapReadTakesWhatTheBudgetHas(t *testing.T) {
	for _, free := range []int{0, 1, 3} {
		r := newLeapRig(t, 4900)
		r.delay = func(string) time.Duration { return 3 * time.Millisecond }
		budget := NewRequestBudget(4)
		held := budget.take(4 - free) // other reads'
		p := Start(context.Background(), r.client, r.spec(500, false, 0), Limits{Parallel: 8, Requests: budget})
		got, err := ids(p)
		p.Close()
		if err != nil || len(got) != 4900 {
			t.Fatalf("%d free: %d records, %v", free, len(got), err)
		}
		leaped := strings.Contains(strings.Join(r.queries, "\n"), "offset")
		if most := int(r.most.Load()); most > free+1 || leaped != (free > 0) {
			t.Errorf("%d free: %d requests at once, by offset %v", free, most, leaped)
		}
		if len(budget.slots) != held {
			t.Errorf("%d free: %d slots taken after the read, want the %d others hold", free, len(budget.slots), held)
		}
	}
}
