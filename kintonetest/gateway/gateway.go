package gateway

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Gateway is a running reverse proxy. Its methods are safe for concurrent
// use.
type Gateway struct {
	// URL is the gateway's base URL, http://127.0.0.1:<port>: point the
	// client under test at it instead of the upstream.
	URL string

	upstream *url.URL
	srv      *httptest.Server
	tr       *http.Transport
	// stop is closed by Close: it ends hangs and delays, and cancels
	// requests to the upstream.
	stop      chan struct{}
	stopCtx   context.Context
	cancel    context.CancelFunc
	closeOnce sync.Once

	mu      sync.Mutex
	faults  []*entry
	added   int // faults ever added, for Entry.Fault
	rng     *rand.Rand
	log     []Entry
	counter int
}

// Option configures New.
type Option func(*config)

type config struct {
	seed uint64
}

// WithSeed seeds the generator of Fault.Probability (default 1), so that a
// run can be repeated.
func WithSeed(seed uint64) Option { return func(c *config) { c.seed = seed } }

// New starts a gateway on 127.0.0.1 in front of upstream, a base URL such
// as a kintonetest.Server's URL (http or https; an https upstream's
// certificate is not verified, as a test fixture's is self-signed). Close
// stops it.
func New(upstream string, opts ...Option) (*Gateway, error) {
	u, err := url.Parse(upstream)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("gateway: upstream %q is not an http or https base URL", upstream)
	}
	cfg := config{seed: 1}
	for _, o := range opts {
		o(&cfg)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true} // a test fixture's certificate is self-signed
	g := &Gateway{
		upstream: u,
		tr:       tr,
		stop:     make(chan struct{}),
		rng:      rand.New(rand.NewPCG(cfg.seed, cfg.seed^0x9E3779B97F4A7C15)),
	}
	g.stopCtx, g.cancel = context.WithCancel(context.Background())
	g.srv = httptest.NewServer(http.HandlerFunc(g.serve))
	g.URL = g.srv.URL
	return g, nil
}

// Start is New for a test: it fails the test if the gateway cannot start,
// adds faults, and closes the gateway when the test ends.
func Start(t testing.TB, upstream string, faults ...Fault) *Gateway {
	t.Helper()
	g, err := New(upstream)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = g.Close() })
	for _, f := range faults {
		g.Add(f)
	}
	return g
}

// Close stops the gateway: it ends every hang and delay and cancels the
// requests it is forwarding (their clients get no answer), waits for the
// requests in progress, and closes its connections. It may be called more
// than once.
func (g *Gateway) Close() error {
	g.closeOnce.Do(func() {
		close(g.stop)
		g.cancel()
		g.srv.Close()
		g.tr.CloseIdleConnections()
	})
	return nil
}

// Add appends a fault to the table. For each request the first fault that
// fires, in the order added, decides what happens. Add panics on an
// Action this package does not define, a mistake in the test.
func (g *Gateway) Add(f Fault) {
	if !f.Action.known() {
		panic(fmt.Sprintf("gateway: unknown action %q", f.Action))
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.faults = append(g.faults, &entry{Fault: f, index: g.added})
	g.added++
}

// Clear removes every fault: the gateway then forwards everything.
func (g *Gateway) Clear() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.faults = nil
}

// Entry is what the gateway did with one request.
type Entry struct {
	// N numbers the requests from 1.
	N int
	// Method is the method after X-HTTP-Method-Override; Path the URL
	// path; Resource the API resource as Fault.Resource names it.
	Method, Path, Resource string
	// Fault is the index of the fault that fired (0 for the first ever
	// added), -1 when none did.
	Fault int
	// Action is what the gateway did.
	Action Action
	// Forwarded reports that the request was sent to the upstream.
	Forwarded bool
	// UpstreamStatus is the upstream's status, 0 when the request was not
	// forwarded or the upstream did not answer.
	UpstreamStatus int
	// Status is the status the client was sent, 0 when the connection was
	// closed without an answer or the client went away first.
	Status int
}

// Applied reports that the upstream accepted the request (answered 2xx):
// for a write to Kintone, that it was applied, whatever the client was
// told.
func (e Entry) Applied() bool { return e.UpstreamStatus/100 == 2 }

// Log returns what the gateway did with every request so far, in the
// order they arrived.
func (g *Gateway) Log() []Entry {
	g.mu.Lock()
	defer g.mu.Unlock()
	return append([]Entry(nil), g.log...)
}

// Requests counts the requests that reached the gateway for method and
// resource (empty matches any).
func (g *Gateway) Requests(method, resource string) int {
	return g.count(method, resource, func(Entry) bool { return true })
}

// Applied counts the requests for method and resource (empty matches any)
// that the upstream accepted.
func (g *Gateway) Applied(method, resource string) int {
	return g.count(method, resource, Entry.Applied)
}

func (g *Gateway) count(method, resource string, ok func(Entry) bool) int {
	n := 0
	for _, e := range g.Log() {
		if (method == "" || e.Method == method) && (resource == "" || e.Resource == resource) && ok(e) {
			n++
		}
	}
	return n
}

// ResetLog forgets the requests logged so far; numbering goes on.
func (g *Gateway) ResetLog() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.log = nil
}

// begin logs a new request and picks its fault. It returns the entry's
// position in the log and its number, for update.
func (g *Gateway) begin(method, path, resource string) (int, int, *Fault) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.counter++
	e := Entry{N: g.counter, Method: method, Path: path, Resource: resource, Fault: -1}
	var f *Fault
	for _, fe := range g.faults {
		if fe.match(method, resource, g.rng.Float64) {
			e.Fault, e.Action = fe.index, fe.Action
			c := fe.Fault
			f = &c
			break
		}
	}
	g.log = append(g.log, e)
	return len(g.log) - 1, e.N, f
}

// update changes the request's entry, if the log was not reset meanwhile.
func (g *Gateway) update(i, n int, change func(*Entry)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if i < len(g.log) && g.log[i].N == n {
		change(&g.log[i])
	}
}

// serve handles one request.
func (g *Gateway) serve(w http.ResponseWriter, r *http.Request) {
	method := r.Method
	if o := r.Header.Get("X-HTTP-Method-Override"); o != "" && r.Method == http.MethodPost {
		method = strings.ToUpper(o)
	}
	i, n, f := g.begin(method, r.URL.Path, resourceOf(r.URL.Path))
	note := func(change func(*Entry)) { g.update(i, n, change) }
	if f == nil {
		f = &Fault{}
	}

	// The request body is read whole first, as a buffering gateway does.
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return // the client went away
	}
	if f.Delay > 0 && !g.wait(r.Context(), f.Delay) {
		closeConnection(w) // the client went away, or the gateway closes
		return
	}
	switch f.Action {
	case DropBefore:
		closeConnection(w)
		return
	case Hang:
		g.wait(r.Context(), -1)
		closeConnection(w) // never an answer, even when the gateway closes
		return
	case Reject:
		g.answer(w, f, note)
		return
	}

	note(func(e *Entry) { e.Forwarded = true })
	resp, err := g.forward(r, body)
	if err != nil && g.stopCtx.Err() != nil {
		closeConnection(w) // the gateway closes: no answer, as for a hang
		return
	}
	if err != nil {
		// As a gateway does when the upstream fails: 502.
		note(func(e *Entry) { e.Status = http.StatusBadGateway })
		writeBody(w, http.StatusBadGateway, "text/plain; charset=utf-8", nil, []byte("gateway: upstream failed\n"))
		return
	}
	note(func(e *Entry) { e.UpstreamStatus = resp.status })

	switch f.Action {
	case Replace:
		g.answer(w, f, note)
	case DropAfter:
		closeConnection(w)
	case HangAfter:
		g.wait(r.Context(), -1)
		closeConnection(w)
	case Truncate:
		note(func(e *Entry) { e.Status = resp.status })
		writeBody(w, resp.status, "", resp.header, resp.body[:keep(f.Keep, len(resp.body))])
	case CutOff:
		note(func(e *Entry) { e.Status = resp.status })
		copyHeader(w.Header(), resp.header)
		w.Header().Set("Content-Length", strconv.Itoa(len(resp.body)))
		w.WriteHeader(resp.status)
		_, _ = w.Write(resp.body[:keep(f.Keep, len(resp.body))])
		_ = http.NewResponseController(w).Flush()
		closeConnection(w)
	case Garble:
		note(func(e *Entry) { e.Status = resp.status })
		b := []byte(f.Body)
		if f.Body == "" {
			b = garble(resp.body)
		}
		writeBody(w, resp.status, "", resp.header, b)
	default:
		note(func(e *Entry) { e.Status = resp.status })
		writeBody(w, resp.status, "", resp.header, resp.body)
	}
}

// answer writes the fault's own answer.
func (g *Gateway) answer(w http.ResponseWriter, f *Fault, note func(func(*Entry))) {
	status := f.Status
	if status == 0 {
		status = http.StatusServiceUnavailable
	}
	ct, body := f.ContentType, []byte(f.Body)
	if ct == "" {
		ct = "text/html; charset=utf-8"
	}
	if f.Body == "" {
		text := strconv.Itoa(status) + " " + http.StatusText(status)
		body = []byte("<html><head><title>" + text + "</title></head><body><h1>" + text + "</h1></body></html>\n")
	}
	note(func(e *Entry) { e.Status = status })
	for k, v := range f.Header {
		w.Header()[k] = append([]string(nil), v...)
	}
	writeBody(w, status, ct, nil, body)
}

// wait waits d (forever when negative) or until the client goes away or
// the gateway closes; it reports whether d passed.
func (g *Gateway) wait(ctx context.Context, d time.Duration) bool {
	var timeout <-chan time.Time
	if d >= 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-timeout:
		return true
	case <-ctx.Done():
	case <-g.stop:
	}
	return false
}

// upstreamAnswer is the upstream's answer, read whole.
type upstreamAnswer struct {
	status int
	header http.Header
	body   []byte
}

// forward sends the request upstream and reads the answer. It is not
// cancelled when the client goes away, only when the gateway closes: a
// forwarded write is carried out to the end.
func (g *Gateway) forward(r *http.Request, body []byte) (*upstreamAnswer, error) {
	u := *g.upstream
	u.Path, u.RawPath, u.RawQuery = r.URL.Path, r.URL.RawPath, r.URL.RawQuery
	out, err := http.NewRequestWithContext(g.stopCtx, r.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	copyHeader(out.Header, r.Header)
	// The upstream's answer is read plain (the transport asks for gzip and
	// decompresses it), so that Truncate and Garble work on its JSON.
	out.Header.Del("Accept-Encoding")
	out.Header.Set("X-Forwarded-For", "127.0.0.1")
	resp, err := g.tr.RoundTrip(out)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &upstreamAnswer{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// hopHeaders are not forwarded in either direction (RFC 9110 §7.6.1), and
// the length is set by the gateway.
var hopHeaders = map[string]bool{
	"Connection": true, "Keep-Alive": true, "Proxy-Connection": true, "Proxy-Authenticate": true,
	"Proxy-Authorization": true, "Te": true, "Trailer": true, "Transfer-Encoding": true, "Upgrade": true,
	"Content-Length": true,
}

func copyHeader(dst, src http.Header) {
	for k, v := range src {
		if !hopHeaders[k] {
			dst[k] = append([]string(nil), v...)
		}
	}
}

// writeBody writes an answer with a Content-Length; contentType, when
// set, replaces the one in header.
func writeBody(w http.ResponseWriter, status int, contentType string, header http.Header, body []byte) {
	copyHeader(w.Header(), header)
	if contentType != "" {
		w.Header().Set("Content-Type", contentType)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// keep is the number of bytes of an n-byte body that Truncate and CutOff
// send.
func keep(k, n int) int {
	if k <= 0 {
		return n / 2
	}
	return min(k, n)
}

// garble replaces every eighth byte of b, from the first, with 0xFF.
func garble(b []byte) []byte {
	out := bytes.Clone(b)
	for i := 0; i < len(out); i += 8 {
		out[i] = 0xFF
	}
	if len(out) == 0 {
		out = []byte{0xFF}
	}
	return out
}

// closeConnection closes the client's connection without an answer.
func closeConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

// resourceOf is the API resource of a path: "records" for
// /k/v1/records.json and /k/guest/3/v1/records.json, the path itself for
// other paths.
func resourceOf(path string) string {
	rest, ok := strings.CutPrefix(path, "/k/")
	if !ok {
		return path
	}
	if g, ok := strings.CutPrefix(rest, "guest/"); ok {
		_, after, found := strings.Cut(g, "/")
		if !found {
			return path
		}
		rest = after
	}
	res, ok := strings.CutPrefix(rest, "v1/")
	if !ok {
		return path
	}
	if r, ok := strings.CutSuffix(res, ".json"); ok {
		return r
	}
	return path
}
