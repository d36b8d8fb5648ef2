package rest

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/dsn"
)

// step is one scripted answer.
type step func(w http.ResponseWriter, r *http.Request)

func status(code int, kintoneCode string) step {
	return func(w http.ResponseWriter, _ *http.Request) {
		if kintoneCode == "" {
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(code)
			_, _ = io.WriteString(w, http.StatusText(code))
			return
		}
		kintoneError(w, code, kintoneCode)
	}
}

// jsonStatus answers status with a JSON body.
func jsonStatus(code int, body string) step {
	return func(w http.ResponseWriter, _ *http.Request) { reply(w, code, body) }
}

func withRetryAfter(v string, s step) step {
	return func(w http.ResponseWriter, r *http.Request) { w.Header().Set("Retry-After", v); s(w, r) }
}

var (
	dropConn step = func(w http.ResponseWriter, _ *http.Request) { drop(w) }
	okAnswer step = func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut {
			reply(w, 200, `{"records":[{"id":"1","revision":"2"}]}`)
			return
		}
		reply(w, 200, `{"records":[],"next":false,"ids":["1"],"revisions":["1"],"results":[{"ids":["1"],"revisions":["1"]}],"id":"c","totalCount":"1"}`)
	}
)

// script answers request n with steps[n-1], and the last step after that.
func script(steps ...step) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, r *http.Request, n int) {
		steps[min(n, len(steps))-1](w, r)
	}
}

// kinds of call in the retry matrix.
var calls = map[string]func(*Client) error{
	"GET records": func(c *Client) error {
		_, err := c.GetRecords(context.Background(), GetRecordsRequest{App: 1})
		return err
	},
	"POST records": func(c *Client) error {
		_, err := c.AddRecords(context.Background(), 1, []Values{{"a": []byte(`"x"`)}})
		return err
	},
	"PUT records": func(c *Client) error {
		_, err := c.UpdateRecords(context.Background(), UpdateRecordsRequest{App: 1, Records: []RecordUpdate{{ID: 1}}})
		return err
	},
	"DELETE records": func(c *Client) error { return c.DeleteRecords(context.Background(), 1, []int64{1}, nil) },
	"bulkRequest": func(c *Client) error {
		_, err := c.Bulk(context.Background(), []BulkRequest{BulkAddRecords(1, []Values{{"a": []byte(`"x"`)}})})
		return err
	},
	"POST cursor": func(c *Client) error {
		_, err := c.CreateCursor(context.Background(), CreateCursorRequest{App: 1})
		return err
	},
	"GET cursor": func(c *Client) error {
		_, err := c.GetCursorPage(context.Background(), "c")
		return err
	},
	"DELETE cursor": func(c *Client) error { return c.DeleteCursor(context.Background(), "c") },
}

// TestRetryMatrix checks, per kind of call and failure, how many attempts
// the client makes. MaxRetries is 3, so "always failing" is 4 attempts.
func TestRetryMatrix(t *testing.T) {
	reads := []string{"GET records", "DELETE cursor"}
	once := []string{"POST records", "PUT records", "DELETE records", "bulkRequest", "POST cursor", "GET cursor"}
	type row struct {
		name     string
		steps    []step
		attempts map[string]int // per call kind; a missing kind uses def
		def      int
		ok       bool
	}
	all := func(n int, kinds ...string) map[string]int {
		m := map[string]int{}
		for _, k := range kinds {
			m[k] = n
		}
		return m
	}
	rows := []row{
		{name: "429 concurrency limit, then success", steps: []step{status(429, CodeConcurrencyLimit), okAnswer}, def: 2, ok: true},
		{name: "429 without a Kintone body, then success", steps: []step{status(429, ""), okAnswer}, attempts: all(1, once...), def: 2},
		{name: "503 text, then success", steps: []step{status(503, ""), okAnswer}, attempts: all(1, once...), def: 2},
		{name: "503 with a Kintone code, then success", steps: []step{status(503, "GAIA_MA01"), okAnswer}, def: 2, ok: true},
		{name: "503 JSON of another form, then success", steps: []step{jsonStatus(503, `{"code":"unavailable","message":"no upstream"}`), okAnswer},
			attempts: all(1, once...), def: 2},
		{name: "database lock, then success", steps: []step{status(500, "GAIA_RE18"), okAnswer}, def: 2, ok: true},
		{name: "502 then success", steps: []step{status(502, ""), okAnswer}, attempts: all(1, once...), def: 2},
		{name: "504 then success", steps: []step{status(504, ""), okAnswer}, attempts: all(1, once...), def: 2},
		{name: "connection dropped after the request, then success", steps: []step{dropConn, okAnswer}, attempts: all(1, once...), def: 2},
		{name: "always 503", steps: []step{status(503, "")}, attempts: all(4, reads...), def: 1},
		{name: "always 503 with a Kintone code", steps: []step{status(503, "GAIA_MA01")}, def: 4},
		{name: "always 502", steps: []step{status(502, "")}, attempts: all(4, reads...), def: 1},
		{name: "500", steps: []step{status(500, "")}, def: 1},
		{name: "400 CB_VA01", steps: []step{status(400, "CB_VA01")}, def: 1},
		{name: "401 CB_WA01", steps: []step{status(401, "CB_WA01")}, def: 1},
		{name: "409 GAIA_CO02", steps: []step{status(409, "GAIA_CO02")}, def: 1},
		{name: "429 cursor pool", steps: []step{status(429, CodeCursorLimit)}, def: 1},
	}
	for _, r := range rows {
		for kind, call := range calls {
			want := r.def
			if n, ok := r.attempts[kind]; ok {
				want = n
			}
			t.Run(r.name+"/"+kind, func(t *testing.T) {
				s := newServer(t, script(r.steps...))
				c, p := newClient(t, s, nil)
				err := call(c)
				if got := p.attempts(); got != want {
					t.Errorf("attempts = %d, want %d (err %v)", got, want, err)
				}
				if got := len(s.requests()); got != want {
					t.Errorf("server saw %d requests, want %d", got, want)
				}
				wantOK := r.ok || (want == 2 && r.def == 2)
				if wantOK && err != nil {
					t.Errorf("error %v, want success", err)
				}
				if !wantOK && err == nil {
					t.Error("success, want an error")
				}
			})
		}
	}
}

// TestRetryUnsent checks that a request that never left the process (the
// connection was refused) is retried for every kind of call, and reports
// MaybeSent false.
func TestRetryUnsent(t *testing.T) {
	dead := deadAddress(t)
	for kind, call := range calls {
		t.Run(kind, func(t *testing.T) {
			c, p := newClient(t, nil, func(cfg *dsn.Config, _ *Options) { cfg.BaseURL = dead })
			err := call(c)
			if p.attempts() != 4 {
				t.Errorf("attempts = %d, want 4", p.attempts())
			}
			var te *TransportError
			if !errors.As(err, &te) || te.MaybeSent {
				t.Fatalf("error %#v, want a TransportError with MaybeSent false", err)
			}
			if !strings.Contains(err.Error(), "kintone: ") || strings.Contains(err.Error(), "?") {
				t.Errorf("error %q", err)
			}
		})
	}
}

func TestMaybeSent(t *testing.T) {
	s := newServer(t, script(dropConn))
	c, p := newClient(t, s, nil)
	err := calls["POST records"](c)
	var te *TransportError
	if !errors.As(err, &te) || !te.MaybeSent || te.Method != "POST" || te.Path != "/k/v1/records.json" {
		t.Fatalf("error %#v, want a TransportError with MaybeSent for POST /k/v1/records.json", err)
	}
	if p.attempts() != 1 {
		t.Errorf("attempts = %d, want 1", p.attempts())
	}
}

func TestBackoff(t *testing.T) {
	t.Run("exponential, capped", func(t *testing.T) {
		s := newServer(t, script(status(503, "")))
		c, p := newClient(t, s, func(cfg *dsn.Config, o *Options) {
			cfg.MaxRetries = 6
			o.MinBackoff, o.MaxBackoff = 100*time.Millisecond, time.Second
		})
		_ = calls["GET records"](c)
		want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond, time.Second, time.Second}
		if got := p.delays(); !equalDurations(got, want) {
			t.Errorf("delays = %v, want %v", got, want)
		}
	})
	t.Run("full jitter stays under the ceiling", func(t *testing.T) {
		s := newServer(t, script(status(503, "")))
		var limits []time.Duration
		c, p := newClient(t, s, func(cfg *dsn.Config, o *Options) {
			o.Jitter = nil // the real one
			o.MinBackoff = time.Second
		})
		_ = calls["GET records"](c)
		limits = []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}
		for i, d := range p.delays() {
			if d < 0 || d > limits[i] {
				t.Errorf("delay %d = %v, outside [0, %v]", i, d, limits[i])
			}
		}
	})
	t.Run("Retry-After seconds", func(t *testing.T) {
		s := newServer(t, script(withRetryAfter("7", status(429, CodeConcurrencyLimit)), okAnswer))
		c, p := newClient(t, s, nil)
		if err := calls["POST records"](c); err != nil {
			t.Fatal(err)
		}
		if got := p.delays(); !equalDurations(got, []time.Duration{7 * time.Second}) {
			t.Errorf("delays = %v, want [7s]", got)
		}
	})
	t.Run("Retry-After date", func(t *testing.T) {
		date := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
		s := newServer(t, script(withRetryAfter(date, status(503, "")), okAnswer))
		c, p := newClient(t, s, nil)
		_ = calls["GET records"](c)
		// An hour is past MaxRetryAfter: no retry at all.
		if p.attempts() != 1 || len(p.delays()) != 0 {
			t.Errorf("attempts %d, delays %v: want one attempt, no wait", p.attempts(), p.delays())
		}
	})
	t.Run("Retry-After past the deadline", func(t *testing.T) {
		s := newServer(t, script(withRetryAfter("60", status(503, "")), okAnswer))
		c, p := newClient(t, s, nil)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err := c.GetRecords(ctx, GetRecordsRequest{App: 1})
		var ae *APIError
		if !errors.As(err, &ae) || ae.Status != 503 {
			t.Errorf("error %v, want the 503", err)
		}
		if p.attempts() != 1 || len(p.delays()) != 0 {
			t.Errorf("attempts %d, delays %v: want no wait past the deadline", p.attempts(), p.delays())
		}
	})
	t.Run("retries disabled", func(t *testing.T) {
		s := newServer(t, script(status(503, "")))
		c, p := newClient(t, s, func(cfg *dsn.Config, _ *Options) { cfg.MaxRetries = 0 })
		_ = calls["GET records"](c)
		if p.attempts() != 1 {
			t.Errorf("attempts = %d, want 1", p.attempts())
		}
	})
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		in   string
		want time.Duration
	}{
		{"", -1},
		{"0", 0},
		{" 12 ", 12 * time.Second},
		{"-3", -1},
		{"1.5", -1},
		{"Thu, 01 Jan 2026 00:00:30 GMT", 30 * time.Second},
		{"Wed, 31 Dec 2025 23:59:00 GMT", 0},
		{"soon", -1},
		{"99999999999999999999", 1 << 31 * time.Second},
	} {
		if got := parseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestCancelDuringBackoff cancels the context while the client waits to
// retry, with the real timer and an hour-long delay.
func TestCancelDuringBackoff(t *testing.T) {
	s := newServer(t, script(status(503, "")))
	waiting := make(chan struct{})
	c, p := newClient(t, s, func(_ *dsn.Config, o *Options) {
		o.MinBackoff = time.Hour
		o.Sleep = func(ctx context.Context, d time.Duration) error {
			close(waiting)
			return sleep(ctx, d)
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-waiting; cancel() }()
	_, err := c.GetRecords(ctx, GetRecordsRequest{App: 1})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 503 {
		t.Errorf("error %v does not carry the last failure", err)
	}
	if p.attempts() != 1 {
		t.Errorf("attempts = %d, want 1", p.attempts())
	}
}

// TestCancelDuringRequest cancels while the server holds the request.
func TestCancelDuringRequest(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	arrived := make(chan struct{}, 4)
	s := newServer(t, func(w http.ResponseWriter, r *http.Request, _ int) {
		arrived <- struct{}{}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	c, p := newClient(t, s, nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-arrived; cancel() }()
	_, err := c.GetRecords(ctx, GetRecordsRequest{App: 1})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if p.attempts() != 1 || len(p.delays()) != 0 {
		t.Errorf("attempts %d, delays %v: a cancelled call must not retry", p.attempts(), p.delays())
	}
}

// TestTimeout checks that cfg.Timeout bounds each attempt: a read is asked
// again, a write is not (it may have been applied).
func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	handler := func(w http.ResponseWriter, r *http.Request, n int) {
		if n == 1 {
			select {
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		okAnswer(w, r)
	}
	withTimeout := func(cfg *dsn.Config, _ *Options) { cfg.Timeout = 50 * time.Millisecond }

	s := newServer(t, handler)
	c, p := newClient(t, s, withTimeout)
	if err := calls["GET records"](c); err != nil {
		t.Errorf("GET: %v", err)
	}
	if p.attempts() != 2 {
		t.Errorf("GET attempts = %d, want 2", p.attempts())
	}

	s2 := newServer(t, handler)
	c2, p2 := newClient(t, s2, withTimeout)
	err := calls["POST records"](c2)
	var te *TransportError
	if !errors.As(err, &te) || !te.MaybeSent || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("POST error %v, want a sent TransportError with DeadlineExceeded", err)
	}
	if p2.attempts() != 1 {
		t.Errorf("POST attempts = %d, want 1", p2.attempts())
	}
}

// TestBodyCutShort checks a 200 whose body breaks off: a read is asked
// again, a cursor GET is not (the cursor has moved on).
func TestBodyCutShort(t *testing.T) {
	cut := func(w http.ResponseWriter, r *http.Request, n int) {
		if n > 1 {
			okAnswer(w, r)
			return
		}
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(200)
		_, _ = io.WriteString(w, `{"records":[`)
		w.(http.Flusher).Flush()
		drop(w)
	}
	for _, tt := range []struct {
		kind     string
		attempts int
	}{{"GET records", 2}, {"GET cursor", 1}} {
		t.Run(tt.kind, func(t *testing.T) {
			s := newServer(t, cut)
			c, p := newClient(t, s, nil)
			err := calls[tt.kind](c)
			if p.attempts() != tt.attempts {
				t.Errorf("attempts = %d, want %d", p.attempts(), tt.attempts)
			}
			if tt.attempts == 1 {
				var te *TransportError
				if !errors.As(err, &te) || !te.MaybeSent {
					t.Errorf("error %v, want a sent TransportError", err)
				}
			} else if err != nil {
				t.Errorf("error %v", err)
			}
		})
	}
}

// TestMalformedReadAnswerIsAskedOnceMore: a 200 whose body a gateway
// garbled or cut short is asked again by a read, once: a second malformed
// answer ends the retries with a RetryError that says so. A write whose
// answer is malformed is never resent (its outcome is unknown).
func TestMalformedReadAnswerIsAskedOnceMore(t *testing.T) {
	garbled := func(w http.ResponseWriter, _ *http.Request) { reply(w, 200, `{"records":[{"a":`) }
	html := func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(200)
		_, _ = io.WriteString(w, "<html>sign in</html>")
	}
	for _, tt := range []struct {
		name     string
		kind     string
		steps    []step
		attempts int
		ok       bool
	}{
		{"garbled once", "GET records", []step{garbled, okAnswer}, 2, true},
		{"an HTML page once", "GET records", []step{html, okAnswer}, 2, true},
		{"garbled every time", "GET records", []step{garbled}, 2, false},
		{"garbled cursor DELETE", "DELETE cursor", []step{html, okAnswer}, 2, true},
		{"garbled cursor GET", "GET cursor", []step{garbled, okAnswer}, 1, false},
		{"garbled write", "POST records", []step{garbled, okAnswer}, 1, false},
		{"garbled bulkRequest", "bulkRequest", []step{html, okAnswer}, 1, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(t, script(tt.steps...))
			c, p := newClient(t, s, nil)
			err := calls[tt.kind](c)
			if p.attempts() != tt.attempts {
				t.Errorf("attempts = %d, want %d", p.attempts(), tt.attempts)
			}
			if tt.ok != (err == nil) {
				t.Fatalf("error %v, want success %v", err, tt.ok)
			}
			if err == nil {
				return
			}
			if !strings.Contains(err.Error(), "malformed response") {
				t.Errorf("error %q does not say the answer was malformed", err)
			}
			var re *RetryError
			if tt.attempts == 2 && (!errors.As(err, &re) || !strings.Contains(err.Error(), "a second malformed answer")) {
				t.Errorf("error %q, want a RetryError ending at the second malformed answer", err)
			}
			if tt.kind != "GET records" && !MayHaveApplied(err) {
				t.Errorf("MayHaveApplied(%v) = false for a call whose answer was malformed", err)
			}
		})
	}
}

// TestGatewayJSONErrorIsNotKintones: a gateway that forwarded a write and
// then answers 503 with a JSON error of its own (a code not of Kintone's
// form, or Kintone's form without the request ID Kintone always sends)
// proves nothing: the write is not sent again and its outcome is unknown.
func TestGatewayJSONErrorIsNotKintones(t *testing.T) {
	for _, body := range []string{
		`{"code":"SERVICE_UNAVAILABLE","message":"upstream went away"}`,
		`{"code":"GATEWAY_TIMEOUT","id":"abc","message":"upstream timed out"}`,
		`{"code":"UPSTREAM_RESET","message":"reset"}`,
		`{"code":"GAIA_TO04","message":"a copy of Kintone's code without its request ID"}`,
	} {
		s := newServer(t, script(jsonStatus(http.StatusServiceUnavailable, body), okAnswer))
		c, p := newClient(t, s, nil)
		_, err := c.AddRecords(context.Background(), 1, []Values{{"a": []byte(`"x"`)}})
		if p.attempts() != 1 {
			t.Errorf("%s: the write was sent %d times; its outcome was unknown after the first", body, p.attempts())
		}
		if err == nil || !MayHaveApplied(err) {
			t.Errorf("%s: error %v, MayHaveApplied false: want an unknown outcome", body, err)
		}
	}
	// Kintone's own body (code and ID) still proves the write was not
	// applied, and 429 GAIA_TO04 is sent again.
	s := newServer(t, script(jsonStatus(http.StatusTooManyRequests, `{"code":"GAIA_TO04","id":"r1","message":"m"}`), okAnswer))
	c, p := newClient(t, s, nil)
	if _, err := c.AddRecords(context.Background(), 1, []Values{{"a": []byte(`"x"`)}}); err != nil || p.attempts() != 2 {
		t.Errorf("Kintone's 429 GAIA_TO04: error %v after %d attempts, want success after 2", err, p.attempts())
	}
}
