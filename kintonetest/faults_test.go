package kintonetest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
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
