package kintonetest

import (
	"maps"
	"sync"
	"time"
)

// Request is one API request as the emulator's request log keeps it.
type Request struct {
	Time time.Time `json:"time"`
	// Method is the HTTP method; Effective is the method after
	// X-HTTP-Method-Override.
	Method    string `json:"method"`
	Effective string `json:"effectiveMethod"`
	Path      string `json:"path"`
	// Resource is the API resource ("records", "records/cursor", ...), ""
	// for paths that are not an API.
	Resource string `json:"resource"`
	// Query is the raw query string.
	Query string `json:"query,omitempty"`
	// Status is the HTTP status, 0 for a connection dropped by a fault;
	// Code the Kintone error code, if any.
	Status int    `json:"status"`
	Code   string `json:"code,omitempty"`
	// Auth is how the request authenticated: password, apiToken, oauth or "".
	Auth string `json:"auth,omitempty"`
	// Fault is what a fault injected with InjectFault did to the request
	// ("" when none fired): FaultError, FaultDropBefore, FaultDropAfter,
	// FaultAbandoned or FaultDelayed.
	Fault    string        `json:"fault,omitempty"`
	Bytes    int64         `json:"bytes"`
	Duration time.Duration `json:"durationNs"`
}

// What an injected fault did to a request (Request.Fault).
const (
	// FaultError: the request was answered with the fault's error and
	// not handled.
	FaultError = "error"
	// FaultDropBefore: the connection was closed before the request was
	// handled.
	FaultDropBefore = "drop-before"
	// FaultDropAfter: the request was handled (a write applied), then the
	// connection was closed without the answer.
	FaultDropAfter = "drop-after"
	// FaultAbandoned: the client went away during the fault's latency, so
	// the request was not handled.
	FaultAbandoned = "abandoned"
	// FaultDelayed: the request was handled after the fault's latency
	// (whether its client was still there to read the answer or not).
	FaultDelayed = "delayed"
)

// Stats are the emulator's counters since it started or was last reset.
type Stats struct {
	// Requests counts every API request.
	Requests int64 `json:"requests"`
	// Errors counts requests answered with a status of 400 or more.
	Errors int64 `json:"errors"`
	// ByEndpoint counts requests by "METHOD resource" with the effective
	// method, e.g. "GET records" or "POST bulkRequest".
	ByEndpoint map[string]int64 `json:"byEndpoint"`
	// ByCode counts error answers by Kintone error code, e.g. "GAIA_TM12"
	// (the cursor limit) or "GAIA_CN01" (no such cursor).
	ByCode map[string]int64 `json:"byCode"`
	// ResponseBytes is the total size of response bodies.
	ResponseBytes int64 `json:"responseBytes"`
	// OpenCursors is the number of cursors open now (not reset by
	// ResetStats: it is state, not a counter).
	OpenCursors int `json:"openCursors"`
	// PeakOpenCursors is the most cursors that were open at once since the
	// server started or the stats were last reset (a reset starts it at the
	// number open then).
	PeakOpenCursors int `json:"peakOpenCursors"`
}

// Count returns the number of requests to the endpoint "METHOD resource".
func (st Stats) Count(method, resource string) int64 { return st.ByEndpoint[method+" "+resource] }

type requestRecord = Request

type statsRecorder struct {
	mu    sync.Mutex
	limit int
	log   []Request
	stats Stats
}

func newStatsRecorder(limit int) *statsRecorder {
	return &statsRecorder{limit: limit, stats: Stats{ByEndpoint: map[string]int64{}, ByCode: map[string]int64{}}}
}

func (r *statsRecorder) record(req Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stats.Requests++
	if req.Status >= 400 {
		r.stats.Errors++
	}
	r.stats.ResponseBytes += req.Bytes
	if req.Resource != "" {
		r.stats.ByEndpoint[req.Effective+" "+req.Resource]++
	}
	if req.Code != "" {
		r.stats.ByCode[req.Code]++
	}
	if r.limit <= 0 {
		return
	}
	if len(r.log) >= r.limit {
		n := copy(r.log, r.log[len(r.log)-r.limit+1:])
		r.log = r.log[:n]
	}
	r.log = append(r.log, req)
}

func (r *statsRecorder) snapshot() Stats {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.stats
	out.ByEndpoint = maps.Clone(r.stats.ByEndpoint)
	out.ByCode = maps.Clone(r.stats.ByCode)
	return out
}

func (r *statsRecorder) requests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Request(nil), r.log...)
}

func (r *statsRecorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.log = nil
	r.stats = Stats{ByEndpoint: map[string]int64{}, ByCode: map[string]int64{}}
}

// Stats returns the request counters.
func (s *Server) Stats() Stats {
	st := s.stats.snapshot()
	st.OpenCursors, st.PeakOpenCursors = s.cursors.usage(s.now())
	return st
}

// Requests returns the request log, oldest first.
func (s *Server) Requests() []Request { return s.stats.requests() }

// ResetStats clears the counters and the request log, and starts
// PeakOpenCursors again from the cursors open now.
func (s *Server) ResetStats() {
	s.stats.reset()
	s.cursors.resetPeak(s.now())
}
