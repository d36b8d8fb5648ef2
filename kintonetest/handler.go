package kintonetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
)

// maxURLBytes is Kintone's URL length limit: longer requests get 414 with a
// text body from the gateway (REST-API.md §3).
const maxURLBytes = 8 * 1024

// call is one API request on its way through the pipeline.
type call struct {
	w      http.ResponseWriter
	r      *http.Request
	method string // after X-HTTP-Method-Override
	route  route
	p      *principal
	lang   string
	id     string
	params []byte
	// fault is what an injected fault did (Request.Fault).
	fault string
}

// apiHandler serves one method of one resource. It returns the response
// object (encoded as JSON with status 200), or an error, or (nil, nil) when
// it wrote the response itself.
type apiHandler func(s *Server, c *call) (any, *apierr.Error)

// ServeHTTP implements http.Handler: the whole emulated domain.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, controlPrefix) {
		s.serveControl(w, r)
		return
	}
	start := time.Now()
	// Kintone dates its answers by the clock that stamps the records'
	// creation and update times; so does the emulator (WithClock).
	w.Header().Set("Date", s.now().UTC().Format(http.TimeFormat))
	rw := &responseRecorder{ResponseWriter: w, status: http.StatusOK}
	c := &call{w: rw, r: r, method: r.Method, id: s.requestID(), lang: acceptLanguage(r)}
	s.serveAPI(c)
	rec := requestRecord{
		Time:      start,
		Method:    r.Method,
		Effective: c.method,
		Path:      r.URL.Path,
		Resource:  c.route.resource,
		Query:     r.URL.RawQuery,
		Status:    rw.status,
		Code:      rw.code,
		Auth:      authKindOf(c.p),
		Fault:     c.fault,
		Bytes:     rw.bytes(),
		Duration:  time.Since(start),
	}
	if rw.drop {
		rec.Status = 0 // no answer: the connection was closed
	}
	s.stats.record(rec)
	if s.cfg.logger != nil {
		s.logRequest(rec)
	}
	rw.flush()
}

// logRequest writes rec as one line to the configured request logger.
func (s *Server) logRequest(rec requestRecord) {
	method := rec.Method
	if rec.Effective != rec.Method {
		method += "(" + rec.Effective + ")"
	}
	code := rec.Code
	if code == "" {
		code = "-"
	}
	line := fmt.Sprintf("%s %s %s %d %s %dB %s\n", rec.Time.UTC().Format("15:04:05.000"), method, rec.Path,
		rec.Status, code, rec.Bytes, rec.Duration.Round(time.Microsecond))
	s.logMu.Lock()
	defer s.logMu.Unlock()
	_, _ = io.WriteString(s.cfg.logger, line)
}

func (s *Server) serveAPI(c *call) {
	r := c.r
	if len(r.RequestURI) > maxURLBytes {
		c.w.Header().Set("Content-Type", "text/html")
		c.w.WriteHeader(http.StatusRequestURITooLong)
		_, _ = c.w.Write([]byte("<html><body><h1>414 Request-URI Too Large</h1></body></html>\n"))
		return
	}
	running, admitted := s.gate.enter()
	defer s.gate.leave(admitted)
	h := c.w.Header()
	h.Set("X-ConcurrencyLimit-Limit", strconv.Itoa(s.gate.limit))
	h.Set("X-ConcurrencyLimit-Running", strconv.Itoa(running))
	if !admitted {
		s.fail(c, apierr.ConcurrencyLimit())
		return
	}
	if d := s.cfg.latency; d > 0 {
		if !delay(r, d) {
			return
		}
	}
	if r.Method == http.MethodPost {
		if o := r.Header.Get("X-HTTP-Method-Override"); o != "" {
			switch o {
			case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete:
				c.method = o
			default:
				// Override values are upper case and case-sensitive (§3).
				s.fail(c, apierr.MethodNotAllowed())
				return
			}
		}
	}
	rt, err := parseRoute(r.URL.Path)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.route = rt
	handler, err := rt.handler(c.method)
	if err != nil {
		s.fail(c, err)
		return
	}
	f := s.faults.match(c.method, rt.resource)
	if f != nil {
		if f.Latency > 0 && !delay(r, f.Latency) {
			c.fault = FaultAbandoned
			return
		}
		switch {
		case f.Drop == DropBeforeApply:
			c.fault = FaultDropBefore
			dropConnection(c.w)
			return
		case f.Status != 0:
			c.fault = FaultError
			s.fail(c, f.apiError())
			return
		case f.Drop == DropAfterApply:
			c.fault = FaultDropAfter
		case f.Latency > 0:
			c.fault = FaultDelayed
		}
	}
	p, err := s.authenticate(r)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.p = p
	if p.user != nil && p.user.Language != "" {
		c.lang = p.user.Language
	}
	if f != nil && f.Drop == DropAfterApply {
		// Run the request to completion, then drop the connection before
		// the client reads the answer: the write happened, the client
		// cannot know.
		orig := c.w
		c.w = &discardWriter{header: http.Header{}}
		s.dispatch(c, handler)
		dropConnection(orig)
		return
	}
	s.dispatch(c, handler)
}

func (s *Server) dispatch(c *call, h apiHandler) {
	if c.method == http.MethodGet || c.method == http.MethodDelete || c.method == http.MethodPost || c.method == http.MethodPut {
		if !isMultipart(c.r) {
			params, err := readParams(c.r)
			if err != nil {
				s.fail(c, err)
				return
			}
			c.params = params
		}
	}
	resp, err := h(s, c)
	if err != nil {
		s.fail(c, err)
		return
	}
	if resp != nil {
		writeJSON(c.w, http.StatusOK, resp)
	}
}

// fail writes err as Kintone's JSON error body.
func (s *Server) fail(c *call, err *apierr.Error) {
	if rr, ok := c.w.(*responseRecorder); ok {
		rr.code = err.Code
	}
	err.Write(c.w, c.lang, c.id)
}

// writeJSON writes v as the JSON response. Pre-encoded bodies are written as
// they are.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	var body []byte
	switch b := v.(type) {
	case rawJSON:
		body = b
	default:
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(v)
		body = buf.Bytes()
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if rr, ok := w.(*responseRecorder); ok {
		rr.own(body) // body is not used again
		return
	}
	_, _ = w.Write(body)
}

// rawJSON is a response body encoded by hand (record pages).
type rawJSON []byte

// requestID returns a per-request identifier like Kintone's: 20 URL-safe
// characters.
func (s *Server) requestID() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	n := s.reqSeq.Add(1)*0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019
	var b [20]byte
	for i := range b {
		b[i] = alphabet[n%uint64(len(alphabet))]
		n = n/uint64(len(alphabet)) ^ (n << 7) ^ uint64(i)*0xBF58476D1CE4E5B9
	}
	return string(b[:])
}

// acceptLanguage picks "ja" when Japanese is the client's first choice;
// English otherwise. Observations disagree on the header-less default
// (REST-API.md §3); the emulator answers English then.
func acceptLanguage(r *http.Request) string {
	h := r.Header.Get("Accept-Language")
	if h == "" {
		return "en"
	}
	best, bestQ := "en", -1.0
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		lang := strings.ToLower(strings.SplitN(tag, "-", 2)[0])
		if q > bestQ && (lang == "ja" || lang == "en" || lang == "zh") {
			best, bestQ = lang, q
		}
	}
	if best == "zh" {
		// No Chinese texts: English is the closer fallback for a reader.
		return "en"
	}
	return best
}

func authKindOf(p *principal) string {
	if p == nil {
		return ""
	}
	return p.kind.String()
}
