package faultsuite

import (
	"fmt"
	"time"

	"github.com/kintone-sql/kintone/kintonetest"
	"github.com/kintone-sql/kintone/kintonetest/gateway"
)

// This file tells, from the gateway's and the emulator's logs, what
// became of the write whose answer was lost: the request that carried an
// unknown batch is the last write request of its statement (the driver
// sends nothing after a batch of unknown outcome), logged during the
// statement's window.

// window is the span of one statement, Commit or run of the command:
// the gateway's entries numbered after n0 up to n1 are the route's
// requests during it (a route's gateway serves one worker, which runs one
// thing at a time), and the emulator's entries that started between t0
// and t1 are the requests that reached it meanwhile.
type window struct {
	n0, n1 int
	t0, t1 time.Time
}

// lastEntry is the number of the last request the gateway logged, 0 for
// none.
func lastEntry(gw *gateway.Gateway) int {
	log := gw.Log()
	if len(log) == 0 {
		return 0
	}
	return log[len(log)-1].N
}

// open starts a window on the route.
func (e *env) open(r *route) window {
	w := window{t0: time.Now()}
	if r.gw != nil {
		w.n0 = lastEntry(r.gw)
	}
	return w
}

// close ends the window.
func (e *env) close(r *route, w window) window {
	w.t1 = time.Now()
	if r.gw != nil {
		w.n1 = lastEntry(r.gw)
	}
	return w
}

// lostVerdict says whether the write whose answer was lost during win
// was applied, and why; either when the logs cannot tell. It is called
// once no request of the route is in progress (settle), when the logs
// hold the requests' ends.
func (e *env) lostVerdict(r *route, win window) (verdict, string) {
	if r.gw == nil {
		if e.direct > 1 {
			// Several workers reach the emulator directly (no subtest
			// does so today): its log does not say whose request was
			// whose.
			return either, "several workers reach the emulator directly"
		}
		req, ok := e.lastWrite(win)
		if !ok {
			return either, "the emulator logged no write during the statement"
		}
		return emulatorVerdict(req)
	}
	var last *gateway.Entry
	for _, en := range r.gw.Log() {
		if en.N > win.n0 && en.N <= win.n1 && isWrite(en.Method, en.Resource) {
			last = &en
		}
	}
	switch {
	case last == nil:
		return either, "the gateway logged no write during the statement"
	case !last.Forwarded:
		return notApplied, fmt.Sprintf("the gateway did not forward its request (%s)", actionName(last.Action))
	case last.Applied():
		return applied, fmt.Sprintf("the emulator accepted its request (%d) and the gateway lost the answer (%s)", last.UpstreamStatus, actionName(last.Action))
	case last.UpstreamStatus != 0:
		return notApplied, fmt.Sprintf("the emulator refused its request (%d)", last.UpstreamStatus)
	}
	// Forwarded, and the emulator closed the connection without an
	// answer: one of its drop faults, which the gateway cannot tell apart.
	// The emulator's log can, but it does not say whose request each was:
	// when it dropped writes both before and after applying them during
	// the window, this one truly cannot be told.
	var before, after int
	for _, req := range e.srv.Requests() {
		if isWrite(req.Effective, req.Resource) && !req.Time.Before(win.t0) && !req.Time.After(win.t1) {
			switch req.Fault {
			case kintonetest.FaultDropBefore:
				before++
			case kintonetest.FaultDropAfter:
				after++
			}
		}
	}
	switch {
	case before > 0 && after == 0:
		return notApplied, "the emulator dropped its request before applying it"
	case after > 0 && before == 0:
		return applied, "the emulator dropped the connection after applying its request"
	}
	return either, fmt.Sprintf("the emulator dropped the request's connection, and meanwhile %d writes before applying them and %d after", before, after)
}

// lastWrite is the last write request that reached the emulator during
// win.
func (e *env) lastWrite(win window) (kintonetest.Request, bool) {
	var last kintonetest.Request
	found := false
	for _, req := range e.srv.Requests() {
		if isWrite(req.Effective, req.Resource) && !req.Time.Before(win.t0) && !req.Time.After(win.t1) &&
			(!found || req.Time.After(last.Time)) {
			last, found = req, true
		}
	}
	return last, found
}

// emulatorVerdict says whether the emulator applied a request, from its
// log entry.
func emulatorVerdict(req kintonetest.Request) (verdict, string) {
	switch req.Fault {
	case kintonetest.FaultDropBefore, kintonetest.FaultError, kintonetest.FaultAbandoned:
		return notApplied, "the emulator's fault stopped its request (" + req.Fault + ")"
	case kintonetest.FaultDropAfter:
		return applied, "the emulator applied its request and dropped the connection"
	}
	if req.Status/100 == 2 {
		return applied, fmt.Sprintf("the emulator applied its request (%d, fault %q) after the client gave up", req.Status, req.Fault)
	}
	return notApplied, fmt.Sprintf("the emulator refused its request (%d %s)", req.Status, req.Code)
}

// actionName names a gateway action for messages.
func actionName(a gateway.Action) string {
	if a == gateway.Pass {
		return "no fault"
	}
	return string(a)
}
