package kintonetest

import (
	"context"
	"net/http"
	"testing"
	"time"
)

func TestCursorLifecycleAndLimits(t *testing.T) {
	start := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	now := start
	srv := newServer(t, WithClock(func() time.Time { return now }))
	app := testApp(t, srv)
	var recs []Record
	for i := range 1200 {
		recs = append(recs, Record{"title": "t" + itoa(int64(i)), "num": itoa(int64(i))})
	}
	if _, err := srv.AddRecords(app, recs...); err != nil {
		t.Fatal(err)
	}
	c := adminClient(t, srv)

	cur := c.ok("POST", "/k/v1/records/cursor.json", map[string]any{"app": app, "fields": []string{"num"}, "query": "num >= 100 order by num desc", "size": 500})
	if cur["totalCount"] != "1100" {
		t.Fatalf("cursor: %v", cur)
	}
	id := cur["id"].(string)
	var got []string
	for {
		page := c.ok("GET", "/k/v1/records/cursor.json?id="+id, nil)
		for _, r := range page["records"].([]any) {
			got = append(got, r.(map[string]any)["num"].(map[string]any)["value"].(string))
		}
		if page["next"] != true {
			break
		}
	}
	if len(got) != 1100 || got[0] != "1199" || got[1099] != "100" {
		t.Fatalf("read %d records, first %v", len(got), got[:1])
	}
	// The last page deleted the cursor.
	c.wantError("GET", "/k/v1/records/cursor.json?id="+id, nil, 404, "GAIA_CN01")
	c.wantError("DELETE", "/k/v1/records/cursor.json", map[string]any{"id": id}, 404, "GAIA_CN01")

	// Ten cursors may be open; the eleventh is 429 GAIA_TM12.
	var ids []string
	for range 10 {
		ids = append(ids, c.ok("POST", "/k/v1/records/cursor.json", map[string]any{"app": app})["id"].(string))
	}
	c.wantError("POST", "/k/v1/records/cursor.json", map[string]any{"app": app}, 429, "GAIA_TM12")
	c.ok("DELETE", "/k/v1/records/cursor.json", map[string]any{"id": ids[0]})
	ids[0] = c.ok("POST", "/k/v1/records/cursor.json", map[string]any{"app": app})["id"].(string)
	if srv.OpenCursors() != 10 {
		t.Fatalf("open cursors = %d", srv.OpenCursors())
	}
	// A cursor used within 10 minutes lives on; idle for longer it expires.
	now = now.Add(9 * time.Minute)
	c.ok("GET", "/k/v1/records/cursor.json?id="+ids[1], nil)
	now = now.Add(2 * time.Minute)
	if n := srv.OpenCursors(); n != 1 {
		t.Fatalf("after expiry %d cursors are open, want 1", n)
	}
	c.wantError("GET", "/k/v1/records/cursor.json?id="+ids[2], nil, 404, "GAIA_CN01")

	// Cursor queries may not carry limit or offset; size is 1..500.
	c.wantError("POST", "/k/v1/records/cursor.json", map[string]any{"app": app, "query": "limit 5"}, 400, "CB_VA01")
	c.wantError("POST", "/k/v1/records/cursor.json", map[string]any{"app": app, "size": 501}, 400, "CB_VA01")
}

// The stats say how many cursors are open, the most that were open at once
// and how often the limit refused one, so that tests of clients can check
// that they stay within the limit and leave nothing open.
func TestStatsCountCursorsAndTheLimit(t *testing.T) {
	srv := newServer(t, WithCursorLimit(3, 10*time.Minute))
	app := testApp(t, srv)
	c := adminClient(t, srv)
	var ids []string
	for range 3 {
		ids = append(ids, c.ok("POST", "/k/v1/records/cursor.json", map[string]any{"app": app})["id"].(string))
	}
	c.wantError("POST", "/k/v1/records/cursor.json", map[string]any{"app": app}, 429, "GAIA_TM12")
	c.ok("DELETE", "/k/v1/records/cursor.json", map[string]any{"id": ids[0]})
	c.wantError("DELETE", "/k/v1/records/cursor.json", map[string]any{"id": ids[0]}, 404, "GAIA_CN01")
	st := srv.Stats()
	if st.OpenCursors != 2 || st.PeakOpenCursors != 3 || st.ByCode["GAIA_TM12"] != 1 || st.ByCode["GAIA_CN01"] != 1 {
		t.Fatalf("stats: open %d, peak %d, by code %v", st.OpenCursors, st.PeakOpenCursors, st.ByCode)
	}
	// A reset starts the peak again from the cursors open now.
	srv.ResetStats()
	if st := srv.Stats(); st.PeakOpenCursors != 2 || len(st.ByCode) != 0 {
		t.Fatalf("after a reset: peak %d, by code %v", st.PeakOpenCursors, st.ByCode)
	}
	// The control API serves the same numbers.
	got := c.ok("GET", "/_emulator/stats", nil)
	if got["openCursors"] != float64(2) || got["peakOpenCursors"] != float64(2) {
		t.Fatalf("GET /_emulator/stats: %v", got)
	}
}

func TestBulkRequestIsAtomic(t *testing.T) {
	srv := newServer(t)
	app := testApp(t, srv)
	c := adminClient(t, srv)
	ok := map[string]any{"method": "POST", "api": "/k/v1/records.json", "payload": map[string]any{"app": app, "records": numberedRecords(0, 100)}}
	bad := map[string]any{"method": "POST", "api": "/k/v1/records.json", "payload": map[string]any{"app": app, "records": []any{
		map[string]any{"num": map[string]any{"value": "x"}},
	}}}
	e := c.wantError("POST", "/k/v1/bulkRequest.json", map[string]any{"requests": []any{ok, bad}}, 400, "")
	results, _ := e["results"].([]any)
	if len(results) != 2 || len(results[0].(map[string]any)) != 0 || results[1].(map[string]any)["code"] != "CB_VA01" {
		t.Fatalf("bulk failure results: %v", e)
	}
	if n := countRecords(t, c, app, ""); n != 0 {
		t.Fatalf("a failed bulkRequest left %d records", n)
	}
	// Later requests see earlier ones: add, then update the added record.
	upd := map[string]any{"method": "PUT", "api": "/k/v1/record.json", "payload": map[string]any{"app": app, "id": 1, "record": map[string]any{"num": map[string]any{"value": "-5"}}}}
	got := c.ok("POST", "/k/v1/bulkRequest.json", map[string]any{"requests": []any{ok, upd}})
	if rs := got["results"].([]any); len(rs) != 2 || rs[1].(map[string]any)["revision"] != "2" {
		t.Fatalf("bulk results: %v", got)
	}
	if countRecords(t, c, app, "num = -5") != 1 {
		t.Fatal("the update inside the bulkRequest did not see the add")
	}
	// At most 20 requests.
	var many []any
	for range 21 {
		many = append(many, upd)
	}
	c.wantError("POST", "/k/v1/bulkRequest.json", map[string]any{"requests": many}, 400, "CB_VA01")
}

func TestFaultsAndConcurrency(t *testing.T) {
	srv := newServer(t, WithConcurrencyLimit(1))
	app := testApp(t, srv)
	c := adminClient(t, srv)

	// A write dropped after it was applied: the client sees a broken
	// connection, the records are there.
	srv.InjectFault(Fault{Method: "POST", Resource: "records", Times: 1, Drop: DropAfterApply})
	if err := c.send("POST", "/k/v1/records.json", map[string]any{"app": app, "records": numberedRecords(0, 3)}); err == nil {
		t.Fatal("want a dropped connection")
	}
	if n := countRecords(t, c, app, ""); n != 3 {
		t.Fatalf("a write dropped after it was applied left %d records, want 3", n)
	}
	// Dropped before: nothing is applied.
	srv.InjectFault(Fault{Method: "POST", Resource: "records", Times: 1, Drop: DropBeforeApply})
	if err := c.send("POST", "/k/v1/records.json", map[string]any{"app": app, "records": numberedRecords(3, 3)}); err == nil {
		t.Fatal("want a dropped connection")
	}
	if n := countRecords(t, c, app, ""); n != 3 {
		t.Fatalf("a write dropped before it was applied left %d records, want 3", n)
	}
	// An injected status answers once, then the fault is spent.
	srv.InjectFault(Fault{Method: "GET", Resource: "records", Times: 1, Status: 503, Code: "GAIA_TE01", Message: "maintenance"})
	c.wantError("GET", "/k/v1/records.json?app="+itoa(app), nil, 503, "GAIA_TE01")
	c.ok("GET", "/k/v1/records.json?app="+itoa(app), nil)

	// With a concurrency limit of 1, a request arriving while another is in
	// flight is 429 GAIA_TO04.
	srv.InjectFault(Fault{Method: "GET", Resource: "app", Times: 1, Latency: time.Hour})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	slow := make(chan error, 1)
	go func() {
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/k/v1/app.json?id="+itoa(app), nil)
		req.Header = c.header.Clone()
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			res.Body.Close()
		}
		slow <- err
	}()
	deadline := time.Now().Add(10 * time.Second)
	for srv.gate.inFlight() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the slow request never started")
		}
		time.Sleep(time.Millisecond)
	}
	r := c.do("GET", "/k/v1/records.json?app="+itoa(app), nil)
	if r.Status != 429 || r.Code() != "GAIA_TO04" || r.Header.Get("X-ConcurrencyLimit-Limit") != "1" {
		t.Fatalf("over the concurrency limit: %d %s %v", r.Status, r.Body, r.Header)
	}
	cancel()
	if err := <-slow; err == nil {
		t.Fatal("the slow request finished despite its hour of latency")
	}
}
