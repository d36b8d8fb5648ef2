package fetch

import "github.com/kintone-sql/kintone/internal/rest"

// RequestBudget bounds the extra requests that the reads of one Connector
// run at once beside their own (the lanes of leap reads): a read takes what
// is free, never waits for more, and gives it back when it ends. Kintone
// admits 100 requests at once per domain, every client of the domain
// counted; a connector's reads take at most DefaultRequestBudget of them,
// and a read takes no lane while the domain is half busy (domainShare).
type RequestBudget struct {
	slots chan struct{} // one token per slot taken
}

// DefaultRequestBudget is the most extra requests the reads of one
// Connector run at once: a third of Kintone's 100 per domain, so that two
// busy services and the domain's other clients still find room.
const DefaultRequestBudget = 32

// NewRequestBudget returns a budget of n extra requests.
func NewRequestBudget(n int) *RequestBudget {
	return &RequestBudget{slots: make(chan struct{}, max(n, 0))}
}

// take takes up to n slots, as many as are free, and returns how many it
// took. A nil budget has none.
func (b *RequestBudget) take(n int) int {
	if b == nil {
		return 0
	}
	got := 0
	for got < n {
		select {
		case b.slots <- struct{}{}:
			got++
		default:
			return got
		}
	}
	return got
}

// give returns n slots that take took.
func (b *RequestBudget) give(n int) {
	for range n {
		<-b.slots
	}
}

// domainShare bounds the lanes of a read by the domain's load as Kintone
// last reported it: the read adds requests only while the domain runs less
// than half of what it admits, leaving the rest to other clients, and at
// most up to that half. It returns how many requests the read may run at
// once (at least 1).
func domainShare(load rest.Load, want int) int {
	if !load.Known() {
		return want
	}
	return max(1, min(want, load.Limit/2-load.Running+1))
}
