package rest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/dsn"
)

// This file checks the bounds of a request's retries (issue 12, item 10):
// a hung server, maxRetries, retryTimeout, Retry-After, the caller's
// deadline, and what the final error says.

// fakeClock is a clock that Sleep advances instead of waiting.
type fakeClock struct {
	mu     sync.Mutex
	slept  time.Duration
	sleeps []time.Duration
}

func (f *fakeClock) install(o *Options) {
	o.Now = func() time.Time {
		f.mu.Lock()
		defer f.mu.Unlock()
		return time.Now().Add(f.slept)
	}
	o.Sleep = func(ctx context.Context, d time.Duration) error {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.slept += d
		f.sleeps = append(f.sleeps, d)
		return ctx.Err()
	}
}

func (f *fakeClock) delays() []time.Duration {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]time.Duration(nil), f.sleeps...)
}

// defaults returns a modifier that gives the client the DSN defaults
// (with its address and token), as the driver has them.
func defaults(t *testing.T) func(*dsn.Config, *Options) {
	def, err := dsn.Parse("https://example.cybozu.com/?apiToken=t")
	if err != nil {
		t.Fatal(err)
	}
	return func(cfg *dsn.Config, _ *Options) {
		d := *def
		d.BaseURL, d.APITokens = cfg.BaseURL, cfg.APITokens
		*cfg = d
	}
}

// hang holds every request until the client gives up.
func hang(_ http.ResponseWriter, r *http.Request, _ int) { <-r.Context().Done() }

func TestHungServerGivesUpAfterASecondTimeout(t *testing.T) {
	s := newServer(t, hang)
	c, p := newClient(t, s, func(cfg *dsn.Config, _ *Options) { cfg.Timeout, cfg.MaxRetries = 50*time.Millisecond, 4 })
	err := calls["GET records"](c)
	if p.attempts() != 2 || len(p.delays()) != 1 {
		t.Fatalf("%d attempts, delays %v: want 2 attempts, one wait", p.attempts(), p.delays())
	}
	var re *RetryError
	if !errors.As(err, &re) || re.Attempts != 2 || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error %v, want a RetryError of 2 attempts wrapping context.DeadlineExceeded", err)
	}
	for _, want := range []string{"kintone: GET /k/v1/records.json: gave up after 2 attempts in ",
		"(a second per-request timeout: the server is not answering): each timed out after 50ms (timeout=50ms)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

func TestWriteTimeoutSaysItTimedOut(t *testing.T) {
	s := newServer(t, hang)
	c, p := newClient(t, s, func(cfg *dsn.Config, _ *Options) { cfg.Timeout = 50 * time.Millisecond })
	err := calls["POST records"](c)
	var te *TransportError
	if p.attempts() != 1 || !errors.As(err, &te) || !te.MaybeSent || !errors.Is(err, context.DeadlineExceeded) || !MayHaveApplied(err) {
		t.Fatalf("error %v after %d attempts: want one sent attempt that timed out", err, p.attempts())
	}
	if want := "kintone: POST /k/v1/records.json: timed out after 50ms (timeout=50ms)"; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

func TestRetryTimeoutBoundsTheWholeSequence(t *testing.T) {
	s := newServer(t, script(status(503, "")))
	clock := &fakeClock{}
	c, p := newClient(t, s, func(cfg *dsn.Config, o *Options) {
		cfg.MaxRetries, cfg.RetryTimeout = 10, 10*time.Second
		o.MinBackoff, o.MaxBackoff = time.Second, time.Minute
		clock.install(o)
	})
	err := calls["GET records"](c)
	// Waits of 1s, 2s and 4s fit in 10s; the next, 8s, would end at 15s.
	if got, want := clock.delays(), []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}; !equalDurations(got, want) || p.attempts() != 4 {
		t.Fatalf("delays %v after %d attempts, want %v after 4", got, p.attempts(), want)
	}
	var re *RetryError
	var ae *APIError
	if !errors.As(err, &re) || re.Attempts != 4 || re.Elapsed < 7*time.Second || len(re.Failures) != 4 ||
		!errors.As(err, &ae) || ae.Status != 503 {
		t.Fatalf("error %#v, want a RetryError of 4 attempts over 7s or more, wrapping the 503", err)
	}
	if want := "(retryTimeout=10s leaves no time for another attempt): each 503: Service Unavailable (not a Kintone error body)"; !strings.Contains(err.Error(), want) {
		t.Errorf("error %q does not say %q", err, want)
	}
}

func TestMaxRetriesErrorSaysWhatHappened(t *testing.T) {
	s := newServer(t, script(status(429, CodeConcurrencyLimit), status(429, CodeConcurrencyLimit), status(503, "GAIA_MA01")))
	c, p := newClient(t, s, func(cfg *dsn.Config, _ *Options) { cfg.MaxRetries = 3 })
	err := calls["POST records"](c)
	var re *RetryError
	if p.attempts() != 4 || !errors.As(err, &re) || re.Attempts != 4 || MayHaveApplied(err) {
		t.Fatalf("error %v after %d attempts, want a RetryError after 4, not applied", err, p.attempts())
	}
	want := "kintone: POST /k/v1/records.json: gave up after 4 attempts in "
	wantEnd := " (maxRetries=3): attempts 1-2: 429 GAIA_TO04: message of GAIA_TO04; attempts 3-4: 503 GAIA_MA01: message of GAIA_MA01"
	if msg := err.Error(); !strings.HasPrefix(msg, want) || !strings.HasSuffix(msg, wantEnd) {
		t.Errorf("error %q, want %q...%q", msg, want, wantEnd)
	}
}

func TestRetriedWriteEndingUnknownSaysSo(t *testing.T) {
	s := newServer(t, script(status(429, CodeConcurrencyLimit), status(503, "")))
	c, p := newClient(t, s, nil)
	err := calls["POST records"](c)
	var re *RetryError
	if p.attempts() != 2 || !errors.As(err, &re) || re.Stop != "" || !MayHaveApplied(err) {
		t.Fatalf("error %v after %d attempts: want a RetryError of 2 attempts whose last may have applied the write", err, p.attempts())
	}
	if want := ": attempt 1: 429 GAIA_TO04: message of GAIA_TO04; attempt 2: 503: Service Unavailable (not a Kintone error body)"; !strings.Contains(err.Error(), want) ||
		!strings.Contains(err.Error(), "failed after 2 attempts") {
		t.Errorf("error %q", err)
	}
}

func TestRetryAfterBeyondRetryTimeoutEndsAtOnce(t *testing.T) {
	s := newServer(t, script(withRetryAfter("100", status(503, "GAIA_MA01")), okAnswer))
	c, p := newClient(t, s, defaults(t))
	err := calls["POST records"](c)
	if p.attempts() != 1 || len(p.delays()) != 0 {
		t.Fatalf("%d attempts, delays %v: a Retry-After past retryTimeout must end the retries at once", p.attempts(), p.delays())
	}
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != 503 {
		t.Fatalf("error %v, want the 503", err)
	}
	if want := "gave up after 1 attempt in "; !strings.Contains(err.Error(), want) ||
		!strings.Contains(err.Error(), "(Retry-After 1m40s is beyond the ") || !strings.Contains(err.Error(), " left of retryTimeout=30s): 503 GAIA_MA01") {
		t.Errorf("error %q", err)
	}
}

func TestRetryAfterWithinRetryTimeoutIsWaited(t *testing.T) {
	s := newServer(t, script(withRetryAfter("20", status(503, "GAIA_MA01")), okAnswer))
	c, p := newClient(t, s, defaults(t))
	if err := calls["POST records"](c); err != nil {
		t.Fatal(err)
	}
	if p.attempts() != 2 || !equalDurations(p.delays(), []time.Duration{20 * time.Second}) {
		t.Fatalf("%d attempts, delays %v: want 2 after 20s", p.attempts(), p.delays())
	}
}

// TestCallerDeadlineComesBeforeRetryTimeout: the context's deadline ends
// the retries though retryTimeout would allow more.
func TestCallerDeadlineComesBeforeRetryTimeout(t *testing.T) {
	s := newServer(t, script(withRetryAfter("5", status(503, "GAIA_MA01")), okAnswer))
	c, p := newClient(t, s, defaults(t))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_, err := c.GetRecords(ctx, GetRecordsRequest{App: 1})
	var ae *APIError
	if p.attempts() != 1 || len(p.delays()) != 0 || !errors.As(err, &ae) ||
		!strings.Contains(err.Error(), "the caller's deadline comes before the next retry (in 5s)") {
		t.Fatalf("error %v after %d attempts, delays %v", err, p.attempts(), p.delays())
	}
}

// TestWaitEndedByTheContextUnwrapsToBoth: a context that ends a wait
// between attempts is in the error's chain, and so is the last failure.
func TestWaitEndedByTheContextUnwrapsToBoth(t *testing.T) {
	s := newServer(t, script(status(503, "")))
	ctx, cancel := context.WithCancel(context.Background())
	c, _ := newClient(t, s, func(_ *dsn.Config, o *Options) {
		o.Sleep = func(ctx context.Context, _ time.Duration) error { cancel(); return ctx.Err() }
	})
	_, err := c.GetRecords(ctx, GetRecordsRequest{App: 1})
	var re *RetryError
	var ae *APIError
	if !errors.As(err, &re) || !errors.Is(err, context.Canceled) || !errors.As(err, &ae) ||
		!strings.Contains(err.Error(), "(context canceled while waiting to retry)") {
		t.Fatalf("error %v", err)
	}
}

func TestSummarize(t *testing.T) {
	for _, tt := range []struct {
		in   []string
		want string
	}{
		{[]string{"a"}, "a"},
		{[]string{"a", "a", "a"}, "each a"},
		{[]string{"a", "b", "b", "a"}, "attempt 1: a; attempts 2-3: b; attempt 4: a"},
	} {
		if got := summarize(tt.in); got != tt.want {
			t.Errorf("summarize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
