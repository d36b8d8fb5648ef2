package gateway

import (
	"net/http"
	"time"
)

// Action is what a fault does with a request.
type Action string

// The actions.
const (
	// Pass forwards the request and relays the upstream's answer. With a
	// Delay it makes a slow gateway.
	Pass Action = ""
	// Replace forwards the request, then answers Status, ContentType and
	// Body instead of the upstream's answer.
	Replace Action = "replace"
	// Reject answers Status, ContentType and Body without forwarding.
	Reject Action = "reject"
	// Truncate forwards the request and relays the upstream's status with
	// the first Keep bytes of its body, as a complete answer (its
	// Content-Length is the short length).
	Truncate Action = "truncate"
	// CutOff forwards the request and relays the upstream's status and
	// Content-Length, sends the first Keep bytes of the body and closes the
	// connection.
	CutOff Action = "cutoff"
	// Garble forwards the request and relays the upstream's status with
	// Body, or, when Body is empty, the upstream's body with every eighth
	// byte (from the first) replaced by 0xFF, which no JSON parser accepts.
	Garble Action = "garble"
	// DropAfter forwards the request, then closes the connection without
	// answering.
	DropAfter Action = "drop-after"
	// DropBefore closes the connection without forwarding or answering.
	DropBefore Action = "drop-before"
	// Hang neither forwards nor answers until the client gives up or the
	// gateway closes.
	Hang Action = "hang"
	// HangAfter forwards the request, then holds the answer until the
	// client gives up or the gateway closes.
	HangAfter Action = "hang-after"
)

// known reports whether the action is one of the constants above.
func (a Action) known() bool {
	switch a {
	case Pass, Replace, Reject, Truncate, CutOff, Garble, DropAfter, DropBefore, Hang, HangAfter:
		return true
	}
	return false
}

// Fault selects requests and says what to do with them.
type Fault struct {
	// Method selects by the method after X-HTTP-Method-Override ("GET"
	// for a POST overridden to GET); empty matches any.
	Method string
	// Resource selects by API resource, the path between v1/ and .json
	// ("records", "record", "bulkRequest", "records/cursor"), or the
	// whole path for other paths; empty matches any.
	Resource string
	// Nth, when positive, fires on the Nth matching request only (1-based,
	// counted from when the fault was added). Otherwise Probability (0 to
	// 1) picks matching requests at random with the gateway's seed, and a
	// Probability of 0 fires on every match.
	Nth         int
	Probability float64
	// Times limits how often the fault fires; 0 means no limit.
	Times int

	// Action is what to do; Pass (the zero value) forwards and relays.
	Action Action
	// Delay waits before acting (before forwarding, for the actions that
	// forward).
	Delay time.Duration

	// Status is the status of Replace and Reject; 0 means 503.
	Status int
	// ContentType is the Content-Type of Replace and Reject; empty means
	// "text/html; charset=utf-8".
	ContentType string
	// Body is the body of Replace and Reject (empty means a small HTML page
	// naming the status) and of Garble (empty means the upstream's body
	// garbled).
	Body string
	// Header adds headers to the answer of Replace and Reject, such as
	// Retry-After.
	Header http.Header
	// Keep is how many bytes of the upstream's body Truncate and CutOff
	// send; 0 means half of it.
	Keep int
}

// entry is a fault in the table with its counters.
type entry struct {
	Fault
	index int
	seen  int
	fired int
}

// match reports whether the entry fires for a request; draw returns the
// next random number in [0, 1). The caller holds the gateway's lock.
func (e *entry) match(method, resource string, draw func() float64) bool {
	if (e.Method != "" && e.Method != method) || (e.Resource != "" && e.Resource != resource) {
		return false
	}
	if e.Times > 0 && e.fired >= e.Times {
		return false
	}
	e.seen++
	fire := true
	switch {
	case e.Nth > 0:
		fire = e.seen == e.Nth
	case e.Probability > 0:
		fire = draw() < e.Probability
	}
	if fire {
		e.fired++
	}
	return fire
}
