package rest

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/auth"
	"github.com/kintone-sql/kintone/dsn"
)

// seen is a request as the test server received it.
type seen struct {
	Method   string
	Path     string
	RawQuery string
	Header   http.Header
	Body     string
}

// server is a scripted Kintone stand-in on 127.0.0.1 that records every
// request. handle gets the 1-based request number.
type server struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []seen
}

func newServer(t *testing.T, handle func(w http.ResponseWriter, r *http.Request, n int)) *server {
	t.Helper()
	s := &server{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, seen{r.Method, r.URL.Path, r.URL.RawQuery, r.Header.Clone(), string(body)})
		n := len(s.reqs)
		s.mu.Unlock()
		handle(w, r, n)
	}))
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") {
		t.Fatalf("test server not on 127.0.0.1: %s", s.URL)
	}
	t.Cleanup(s.Close)
	return s
}

func (s *server) requests() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seen(nil), s.reqs...)
}

func (s *server) last(t *testing.T) seen {
	t.Helper()
	r := s.requests()
	if len(r) == 0 {
		t.Fatal("no request reached the server")
	}
	return r[len(r)-1]
}

// reply writes a JSON answer.
func reply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// kintoneError writes a Kintone error body.
func kintoneError(w http.ResponseWriter, status int, code string) {
	reply(w, status, `{"code":"`+code+`","id":"req-`+code+`","message":"message of `+code+`"}`)
}

// drop closes the connection without an answer, after the request was read.
func drop(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

// probe records hook calls and the delays the client asked to sleep.
type probe struct {
	mu     sync.Mutex
	infos  []RequestInfo
	sleeps []time.Duration
}

func (p *probe) attempts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.infos)
}

func (p *probe) delays() []time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]time.Duration(nil), p.sleeps...)
}

// testConfig is a token configuration for url.
func testConfig(url string) *dsn.Config {
	return &dsn.Config{
		BaseURL:          url,
		APITokens:        []string{"TOKEN-A"},
		MaxRetries:       3,
		MaxResponseBytes: 64 << 20,
	}
}

// newClient builds a client for s (nil: an address nobody listens on) with
// a probe: the hook records attempts, Sleep records delays without waiting,
// and Jitter returns its limit so delays are predictable.
func newClient(t *testing.T, s *server, mod func(*dsn.Config, *Options)) (*Client, *probe) {
	t.Helper()
	url := "http://127.0.0.1:1"
	if s != nil {
		url = s.URL
	}
	cfg := testConfig(url)
	p := &probe{}
	o := Options{
		Hook: func(i RequestInfo) {
			p.mu.Lock()
			p.infos = append(p.infos, i)
			p.mu.Unlock()
		},
		Sleep: func(ctx context.Context, d time.Duration) error {
			p.mu.Lock()
			p.sleeps = append(p.sleeps, d)
			p.mu.Unlock()
			return ctx.Err()
		},
		Jitter: func(limit time.Duration) time.Duration { return limit },
	}
	if mod != nil {
		mod(cfg, &o)
	}
	a, err := auth.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c, err := New(cfg, a, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c, p
}

// deadAddress returns a loopback address with nothing listening.
func deadAddress(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return "http://" + addr
}

func mustAuth(t *testing.T) auth.Authenticator {
	t.Helper()
	a, err := auth.New(&dsn.Config{APITokens: []string{"TOKEN-A"}})
	if err != nil {
		t.Fatal(err)
	}
	return a
}
