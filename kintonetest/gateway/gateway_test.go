package gateway

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// upstream is a server that counts requests and answers 200 JSON naming
// the method, path and body it got.
func upstream(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		b, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Upstream", "yes")
		_, _ = io.WriteString(w, `{"method":"`+r.Method+`","path":"`+r.URL.RequestURI()+`","body":"`+string(b)+`"}`)
	}))
	t.Cleanup(s.Close)
	return s, &n
}

// call sends a request through g and returns the status and body, or the
// error.
func call(t *testing.T, g *Gateway, method, path, body string, header ...string) (int, http.Header, string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, g.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b), err
}

func TestPassRelaysTheUpstreamAnswer(t *testing.T) {
	up, n := upstream(t)
	g := Start(t, up.URL)
	status, h, body, err := call(t, g, "POST", "/k/v1/records.json?app=1", "x", "X-HTTP-Method-Override", "GET")
	if err != nil || status != 200 || h.Get("X-Upstream") != "yes" ||
		body != `{"method":"POST","path":"/k/v1/records.json?app=1","body":"x"}` {
		t.Fatalf("status %d, header %v, body %q, err %v", status, h, body, err)
	}
	if n.Load() != 1 {
		t.Fatalf("upstream saw %d requests", n.Load())
	}
	want := Entry{N: 1, Method: "GET", Path: "/k/v1/records.json", Resource: "records", Fault: -1,
		Forwarded: true, UpstreamStatus: 200, Status: 200}
	if log := g.Log(); len(log) != 1 || log[0] != want {
		t.Fatalf("log %+v, want %+v", log, want)
	}
}

func TestReplaceForwardsThenAnswersInstead(t *testing.T) {
	up, n := upstream(t)
	g := Start(t, up.URL, Fault{Method: "POST", Resource: "records", Action: Replace, Header: http.Header{"Retry-After": {"3"}}})
	status, h, body, err := call(t, g, "POST", "/k/v1/records.json", "{}")
	if err != nil || status != 503 || !strings.HasPrefix(h.Get("Content-Type"), "text/html") ||
		h.Get("Retry-After") != "3" || h.Get("X-Upstream") != "" || !strings.Contains(body, "503 Service Unavailable") {
		t.Fatalf("status %d, header %v, body %q, err %v", status, h, body, err)
	}
	if n.Load() != 1 {
		t.Fatalf("upstream saw %d requests, want 1", n.Load())
	}
	e := g.Log()[0]
	if !e.Forwarded || !e.Applied() || e.UpstreamStatus != 200 || e.Status != 503 || e.Fault != 0 || e.Action != Replace {
		t.Fatalf("entry %+v", e)
	}
	if g.Applied("POST", "records") != 1 || g.Requests("", "") != 1 {
		t.Fatalf("applied %d, requests %d", g.Applied("POST", "records"), g.Requests("", ""))
	}
}

func TestRejectAnswersWithoutForwarding(t *testing.T) {
	up, n := upstream(t)
	g := Start(t, up.URL, Fault{Action: Reject, Status: 502, ContentType: "text/plain", Body: "upstream connect error"})
	status, h, body, err := call(t, g, "PUT", "/k/guest/4/v1/records.json", "{}")
	if err != nil || status != 502 || h.Get("Content-Type") != "text/plain" || body != "upstream connect error" {
		t.Fatalf("status %d, header %v, body %q, err %v", status, h, body, err)
	}
	if n.Load() != 0 {
		t.Fatalf("upstream saw %d requests, want 0", n.Load())
	}
	if e := g.Log()[0]; e.Forwarded || e.Applied() || e.Status != 502 || e.Resource != "records" {
		t.Fatalf("entry %+v", e)
	}
}

func TestBodyFaults(t *testing.T) {
	const full = `{"method":"POST","path":"/k/v1/records.json","body":"abc"}`
	for _, tt := range []struct {
		name    string
		f       Fault
		body    string
		readErr bool
	}{
		{"truncate half", Fault{Action: Truncate}, full[:len(full)/2], false},
		{"truncate to 5", Fault{Action: Truncate, Keep: 5}, full[:5], false},
		{"cut off", Fault{Action: CutOff, Keep: 10}, full[:10], true},
		{"garble given", Fault{Action: Garble, Body: `{"ids":[]}`}, `{"ids":[]}`, false},
		{"garble", Fault{Action: Garble}, string(garble([]byte(full))), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			up, n := upstream(t)
			g := Start(t, up.URL, tt.f)
			status, _, body, err := call(t, g, "POST", "/k/v1/records.json", "abc")
			if status != 200 || body != tt.body || (err != nil) != tt.readErr {
				t.Fatalf("status %d, body %q, err %v; want 200, %q", status, body, err, tt.body)
			}
			if tt.readErr && !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Fatalf("err %v, want unexpected EOF", err)
			}
			if n.Load() != 1 || !g.Log()[0].Applied() {
				t.Fatalf("upstream saw %d requests, log %+v", n.Load(), g.Log())
			}
		})
	}
}

func TestDrops(t *testing.T) {
	for _, tt := range []struct {
		action    Action
		forwarded int64
	}{{DropAfter, 1}, {DropBefore, 0}} {
		t.Run(string(tt.action), func(t *testing.T) {
			up, n := upstream(t)
			g := Start(t, up.URL, Fault{Action: tt.action})
			if _, _, _, err := call(t, g, "DELETE", "/k/v1/records.json", ""); err == nil {
				t.Fatal("the request got an answer")
			}
			e := g.Log()[0]
			if n.Load() != tt.forwarded || e.Forwarded != (tt.forwarded == 1) || e.Status != 0 {
				t.Fatalf("upstream saw %d, entry %+v", n.Load(), e)
			}
		})
	}
}

func TestHangEndsWhenTheClientGivesUpOrTheGatewayCloses(t *testing.T) {
	for _, action := range []Action{Hang, HangAfter} {
		t.Run(string(action), func(t *testing.T) {
			up, n := upstream(t)
			g := Start(t, up.URL, Fault{Action: action})
			ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
			defer cancel()
			req, _ := http.NewRequestWithContext(ctx, "GET", g.URL+"/k/v1/app.json", nil)
			if _, err := http.DefaultClient.Do(req); !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("err %v, want the client's deadline", err)
			}
			want := int64(0)
			if action == HangAfter {
				want = 1
			}
			if n.Load() != want {
				t.Fatalf("upstream saw %d requests, want %d", n.Load(), want)
			}

			// A hang the client does not give up ends when the gateway closes.
			done := make(chan error, 1)
			go func() {
				_, _, _, err := call(t, g, "GET", "/k/v1/app.json", "")
				done <- err
			}()
			for g.Requests("", "") < 2 {
				time.Sleep(time.Millisecond)
			}
			_ = g.Close()
			if err := <-done; err == nil {
				t.Fatal("a hung request got an answer")
			}
		})
	}
}

func TestDelayThenForward(t *testing.T) {
	up, n := upstream(t)
	g := Start(t, up.URL, Fault{Delay: 20 * time.Millisecond})
	if status, _, _, err := call(t, g, "GET", "/k/v1/app.json", ""); err != nil || status != 200 || n.Load() != 1 {
		t.Fatalf("status %d, err %v, upstream %d", status, err, n.Load())
	}
}

func TestFaultSelection(t *testing.T) {
	up, _ := upstream(t)
	g := Start(t, up.URL,
		Fault{Method: "POST", Resource: "bulkRequest", Nth: 2, Action: Reject, Status: 504},
		Fault{Method: "GET", Resource: "records", Times: 2, Action: Reject, Status: 500},
	)
	var got []int
	for _, r := range []struct{ method, path string }{
		{"POST", "/k/v1/bulkRequest.json"}, // seen 1: passes
		{"GET", "/k/v1/records.json"},      // fires 1
		{"POST", "/k/v1/bulkRequest.json"}, // seen 2: fires
		{"GET", "/k/v1/records.json"},      // fires 2
		{"POST", "/k/v1/bulkRequest.json"}, // seen 3: passes
		{"GET", "/k/v1/records.json"},      // times used up: passes
		{"POST", "/k/v1/records.json"},     // no fault for it
	} {
		status, _, _, err := call(t, g, r.method, r.path, "")
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, status)
	}
	want := []int{200, 500, 504, 500, 200, 200, 200}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("statuses %v, want %v", got, want)
	}
	g.Clear()
	if status, _, _, _ := call(t, g, "GET", "/k/v1/records.json", ""); status != 200 {
		t.Fatalf("after Clear: %d", status)
	}
}

func TestProbabilityIsSeeded(t *testing.T) {
	up, _ := upstream(t)
	run := func() string {
		g, err := New(up.URL, WithSeed(7))
		if err != nil {
			t.Fatal(err)
		}
		defer g.Close()
		g.Add(Fault{Probability: 0.5, Action: Reject})
		var got []int
		for range 20 {
			status, _, _, err := call(t, g, "GET", "/k/v1/records.json", "")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, status)
		}
		return fmt.Sprint(got)
	}
	a, b := run(), run()
	if a != b || !strings.Contains(a, "503") || !strings.Contains(a, "200") {
		t.Fatalf("runs %s and %s: want the same mix of 503 and 200", a, b)
	}
}

func TestNewRefusesABadUpstream(t *testing.T) {
	for _, u := range []string{"", "127.0.0.1:80", "ftp://x", "http://"} {
		if _, err := New(u); err == nil {
			t.Errorf("New(%q) succeeded", u)
		}
	}
}

func TestAddPanicsOnAnUnknownAction(t *testing.T) {
	up, _ := upstream(t)
	g := Start(t, up.URL)
	defer func() {
		if recover() == nil {
			t.Fatal("no panic")
		}
	}()
	g.Add(Fault{Action: "explode"})
}

func TestResourceOf(t *testing.T) {
	for path, want := range map[string]string{
		"/k/v1/records.json":              "records",
		"/k/v1/records/cursor.json":       "records/cursor",
		"/k/guest/12/v1/bulkRequest.json": "bulkRequest",
		"/k/v1/records":                   "/k/v1/records",
		"/_emulator/faults":               "/_emulator/faults",
		"/k/guest/12":                     "/k/guest/12",
	} {
		if got := resourceOf(path); got != want {
			t.Errorf("resourceOf(%q) = %q, want %q", path, got, want)
		}
	}
}

// TestClosingGatewayDropsTheRequestsItIsForwarding: Close ends a request
// whose forwarding is in progress without an answer, as it ends a hang,
// rather than answering 502 as for an upstream that failed (which made
// the hang-after case of TestHangEndsWhenTheClientGivesUpOrTheGatewayCloses
// fail when Close came before the upstream's answer).
func TestClosingGatewayDropsTheRequestsItIsForwarding(t *testing.T) {
	for _, action := range []Action{Pass, HangAfter, Replace} {
		t.Run(cmp.Or(string(action), "pass"), func(t *testing.T) {
			arrived := make(chan struct{})
			up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.ReadAll(r.Body) // so that the server notices the gateway going away
				close(arrived)
				<-r.Context().Done() // answers only when the gateway gives up
			}))
			t.Cleanup(up.Close)
			g := Start(t, up.URL, Fault{Action: action})
			done := make(chan error, 1)
			go func() {
				status, _, body, err := call(t, g, "POST", "/k/v1/records.json", "{}")
				if err == nil {
					done <- fmt.Errorf("the client got %d %q", status, body)
					return
				}
				done <- nil
			}()
			<-arrived
			_ = g.Close()
			if err := <-done; err != nil {
				t.Fatalf("%v, want the connection closed without an answer", err)
			}
		})
	}
}
