package kintonetest

import (
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
)

// Drop says when a fault closes the connection instead of answering.
type Drop string

// The drop points.
const (
	// DropBeforeApply closes the connection before the request is handled:
	// nothing happened, but the client cannot know.
	DropBeforeApply Drop = "before"
	// DropAfterApply handles the request (a write is applied and
	// acknowledged in the store) and closes the connection before the
	// client reads the answer.
	DropAfterApply Drop = "after"
)

// Fault makes the emulator misbehave on purpose, for tests of retries and
// failure handling.
type Fault struct {
	// Method and Resource select requests (effective method, API resource
	// such as "records" or "bulkRequest"); empty matches any.
	Method   string `json:"method,omitempty"`
	Resource string `json:"resource,omitempty"`
	// Nth, when set, fires on the Nth matching request only (1-based),
	// counted from when the fault was added. Otherwise Probability (0..1)
	// picks matching requests at random (with the server's seed), and a
	// Probability of 0 fires on every match.
	Nth         int     `json:"nth,omitempty"`
	Probability float64 `json:"probability,omitempty"`
	// Times limits how often the fault fires; 0 means no limit.
	Times int `json:"times,omitempty"`
	// Latency delays the request. A request whose client goes away during
	// the delay is dropped unhandled: a write is not applied.
	Latency time.Duration `json:"latencyNs,omitempty"`
	// Status and Code answer with a Kintone error instead of handling the
	// request (Message defaults to a description of the fault; Code to
	// DefaultFaultCode). Status 429 with no Code is the concurrency limit,
	// GAIA_TO04; RetryAfter adds a Retry-After header. A client that tells
	// Kintone's answers from a gateway's by the form of the code (as the
	// driver does) needs a code of Kintone's form: two to four capitals,
	// "_", two capitals and two digits.
	Status     int    `json:"status,omitempty"`
	Code       string `json:"code,omitempty"`
	Message    string `json:"message,omitempty"`
	RetryAfter int    `json:"retryAfterSeconds,omitempty"`
	// Drop closes the connection before or after applying the request.
	Drop Drop `json:"drop,omitempty"`
}

// DefaultFaultCode is the code of an injected fault that names none: of
// Kintone's form, so that clients read it as Kintone's own answer, and
// used by no real Kintone error.
const DefaultFaultCode = "GAIA_EM01"

func (f *Fault) apiError() *apierr.Error {
	var e *apierr.Error
	switch {
	case f.Status == http.StatusTooManyRequests && f.Code == "":
		e = apierr.ConcurrencyLimit()
	default:
		msg := f.Message
		if msg == "" {
			msg = "Injected fault."
		}
		code := f.Code
		if code == "" {
			code = DefaultFaultCode
		}
		e = apierr.New(f.Status, code, apierr.Text{En: msg, Ja: msg})
	}
	if f.RetryAfter > 0 {
		e.Header = http.Header{"Retry-After": {strconv.Itoa(f.RetryAfter)}}
	}
	return e
}

type faultEntry struct {
	Fault
	seen  int
	fired int
}

type faultTable struct {
	mu      sync.Mutex
	entries []*faultEntry
	rng     *rand.Rand
}

func newFaultTable(seed uint64) *faultTable {
	return &faultTable{rng: rand.New(rand.NewPCG(seed, seed^0x9E3779B97F4A7C15))}
}

// match returns the first fault that fires for the request, if any.
func (t *faultTable) match(method, resource string) *Fault {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, e := range t.entries {
		if (e.Method != "" && e.Method != method) || (e.Resource != "" && e.Resource != resource) {
			continue
		}
		if e.Times > 0 && e.fired >= e.Times {
			continue
		}
		e.seen++
		fire := true
		switch {
		case e.Nth > 0:
			fire = e.seen == e.Nth
		case e.Probability > 0:
			fire = t.rng.Float64() < e.Probability
		}
		if fire {
			e.fired++
			f := e.Fault
			return &f
		}
	}
	return nil
}

func (t *faultTable) add(f Fault) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.entries = append(t.entries, &faultEntry{Fault: f})
}

func (t *faultTable) clear() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.entries = nil
}

func (t *faultTable) list() []Fault {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Fault, len(t.entries))
	for i, e := range t.entries {
		out[i] = e.Fault
	}
	return out
}

// InjectFault adds a fault; faults are checked in the order added.
func (s *Server) InjectFault(f Fault) { s.faults.add(f) }

// ClearFaults removes every fault.
func (s *Server) ClearFaults() { s.faults.clear() }
