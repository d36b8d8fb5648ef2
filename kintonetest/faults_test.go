package kintonetest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestFaultNthAndThrottle(t *testing.T) {
	srv := newServer(t)
	app := testApp(t, srv)
	c := adminClient(t, srv)
	path := "/k/v1/records.json?app=" + itoa(app)
	srv.InjectFault(Fault{Method: "GET", Resource: "records", Nth: 3, Status: 500, Code: "GAIA_XX99"})
	var statuses []int
	for range 5 {
		statuses = append(statuses, c.do("GET", path, nil).Status)
	}
	if want := []int{200, 200, 500, 200, 200}; !slices.Equal(statuses, want) {
		t.Fatalf("statuses %v, want %v", statuses, want)
	}
	srv.ClearFaults()
	// 429 without a code is the concurrency limit, with Retry-After.
	srv.InjectFault(Fault{Status: 429, RetryAfter: 2, Times: 1})
	r := c.do("GET", path, nil)
	if r.Status != 429 || r.Code() != "GAIA_TO04" || r.Header.Get("Retry-After") != "2" {
		t.Fatalf("throttle: %d %s %v", r.Status, r.Body, r.Header)
	}
	c.ok("GET", path, nil)
}

// A fraction of requests fails, and the same seed fails the same ones.
func TestFaultProbabilityIsSeeded(t *testing.T) {
	run := func(seed uint64) []int {
		srv := newServer(t, WithSeed(seed))
		app := testApp(t, srv)
		c := adminClient(t, srv)
		srv.InjectFault(Fault{Resource: "records", Probability: 0.3, Status: 503, Code: "GAIA_TE01"})
		var failed []int
		for i := range 200 {
			if c.do("GET", "/k/v1/records.json?app="+itoa(app), nil).Status == 503 {
				failed = append(failed, i)
			}
		}
		return failed
	}
	a, b := run(7), run(7)
	if !slices.Equal(a, b) {
		t.Fatalf("same seed, different failures:\n%v\n%v", a, b)
	}
	if len(a) < 30 || len(a) > 90 {
		t.Fatalf("%d of 200 failed with probability 0.3", len(a))
	}
	if slices.Equal(a, run(8)) {
		t.Fatal("a different seed failed exactly the same requests")
	}
}

func TestControlAPI(t *testing.T) {
	srv := newServer(t)
	app := testApp(t, srv)
	post := func(path, body string) *http.Response {
		t.Helper()
		res, err := http.Post(srv.URL+path, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { res.Body.Close() })
		return res
	}
	var tok struct{ Token string }
	res := post("/_emulator/tokens", `{"app":`+itoa(app)+`,"permissions":{"view":true}}`)
	if err := json.NewDecoder(res.Body).Decode(&tok); err != nil || tok.Token == "" {
		t.Fatalf("token: %v %v", err, tok)
	}
	tokenClient(t, srv, tok.Token).ok("GET", "/k/v1/records.json?app="+itoa(app), nil)
	if res := post("/_emulator/tokens", `{"app":999}`); res.StatusCode != 404 {
		t.Fatalf("token for a missing app: %d", res.StatusCode)
	}
	if res := post("/_emulator/users", `{"login":"kato","password":"pw","timeZone":"Asia/Tokyo"}`); res.StatusCode != 200 {
		t.Fatalf("add user: %d", res.StatusCode)
	}
	passwordClient(t, srv, "kato", "pw").ok("GET", "/k/v1/records.json?app="+itoa(app), nil)
	if res := post("/_emulator/users", `{"login":"x","timeZone":"Nowhere/Land"}`); res.StatusCode != 400 {
		t.Fatalf("bad time zone: %d", res.StatusCode)
	}
	if res := post("/_emulator/faults", `{"resource":"records","status":503,"times":1}`); res.StatusCode != 200 {
		t.Fatalf("add fault: %d", res.StatusCode)
	}
	adminClient(t, srv).wantError("GET", "/k/v1/records.json?app="+itoa(app), nil, 503, DefaultFaultCode)
	// Control requests are not counted; API requests are, by endpoint.
	res2, err := http.Get(srv.URL + "/_emulator/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer res2.Body.Close()
	var st Stats
	if err := json.NewDecoder(res2.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	if st.Requests != 3 || st.Count("GET", "records") != 3 || st.Errors != 1 {
		t.Fatalf("stats: %+v", st)
	}
}

// TestRequestLogSaysWhatTheFaultDid injects each kind of fault on one
// write and checks that the request log tells what it did, so that a test
// can tell a write the fault stopped from one it applied.
func TestRequestLogSaysWhatTheFaultDid(t *testing.T) {
	srv := newServer(t)
	app := testApp(t, srv)
	c := adminClient(t, srv)
	n := 0
	body := func() map[string]any {
		n++
		return map[string]any{"app": app, "records": numberedRecords(n*10, 1)}
	}
	last := func() Request {
		log := srv.Requests()
		return log[len(log)-1]
	}
	tests := []struct {
		name    string
		fault   Fault
		send    func()
		want    string
		applied bool
	}{
		{"none", Fault{}, func() { c.ok("POST", "/k/v1/records.json", body()) }, "", true},
		{"error", Fault{Status: 503, Code: "GAIA_MA01"}, func() { c.do("POST", "/k/v1/records.json", body()) }, FaultError, false},
		{"drop before", Fault{Drop: DropBeforeApply}, func() { _ = c.send("POST", "/k/v1/records.json", body()) }, FaultDropBefore, false},
		{"drop after", Fault{Drop: DropAfterApply}, func() { _ = c.send("POST", "/k/v1/records.json", body()) }, FaultDropAfter, true},
		{"delayed", Fault{Latency: 10 * time.Millisecond}, func() { c.ok("POST", "/k/v1/records.json", body()) }, FaultDelayed, true},
		{"abandoned", Fault{Latency: 5 * time.Second}, func() {
			b, err := json.Marshal(body())
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, "POST", srv.URL+"/k/v1/records.json", bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			req.Header = c.header.Clone()
			req.Header.Set("Content-Type", "application/json")
			if res, err := http.DefaultClient.Do(req); err == nil {
				res.Body.Close()
				t.Fatalf("the delayed write answered %d before the client gave up", res.StatusCode)
			}
			for srv.gate.inFlight() > 0 {
				time.Sleep(5 * time.Millisecond)
			}
		}, FaultAbandoned, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.fault != (Fault{}) {
				tt.fault.Method, tt.fault.Resource, tt.fault.Times = "POST", "records", 1
				srv.InjectFault(tt.fault)
			}
			before := countRecords(t, c, app, "")
			tt.send()
			got := last()
			if got.Effective != "POST" || got.Resource != "records" || got.Fault != tt.want {
				t.Fatalf("logged %s %s with fault %q, want POST records with %q", got.Effective, got.Resource, got.Fault, tt.want)
			}
			if applied := countRecords(t, c, app, "") > before; applied != tt.applied {
				t.Fatalf("applied: %v, want %v", applied, tt.applied)
			}
		})
	}
}
