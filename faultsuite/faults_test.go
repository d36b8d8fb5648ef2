package faultsuite

import (
	"time"

	"github.com/kintone-sql/kintone/kintonetest"
	"github.com/kintone-sql/kintone/kintonetest/gateway"
)

// This file is the table of faults: each runs as a subtest.

// verdict is what became of writes whose answer was lost. Each unknown
// batch gets its own, from the logs of the request that carried it (see
// lostVerdict); the fault case's (faultCase.lost) stands where the logs
// cannot tell.
type verdict int

const (
	// either: the fault may or may not let a write through.
	either verdict = iota
	// applied: the fault let every such write through (the gateway
	// forwarded it, the emulator applied it) and lost only the answer.
	applied
	// notApplied: the fault stopped every such write before it was
	// applied, though the client cannot know.
	notApplied
)

func (v verdict) String() string {
	return [...]string{"either", "applied", "not applied"}[v]
}

// probability is the share of the requests a fault hits.
const probability = 0.10

// The driver's per-request timeout (the DSN's timeout): slowTimeout where
// a fault holds a request without an answer; longTimeout elsewhere, so
// that no answer is lost but by the fault.
const (
	slowTimeout = time.Second
	longTimeout = time.Minute
)

// faultCase is one subtest's faults.
type faultCase struct {
	name string
	seed uint64
	// gateway and emulator are the faults that hit requests at random;
	// gatewayBase and emulatorBase the fault the workloads aim at chosen
	// requests (sure).
	gateway      []gateway.Fault
	emulator     []kintonetest.Fault
	gatewayBase  *gateway.Fault
	emulatorBase *kintonetest.Fault
	// timeout is the DSN's timeout.
	timeout time.Duration
	// lost is what became of the writes whose answer the fault lost, where
	// the logs cannot tell of one of them (see lostVerdict).
	lost verdict
	// retried: the fault is Kintone's own error, which proves that
	// nothing was applied, so the driver retries and every write
	// succeeds.
	retried bool
	// refused: the fault is Kintone's own error that is not transient:
	// the writes it hits fail, are not sent again, and are reported as not
	// written (never as of unknown outcome).
	refused bool
	// inEmulator: the case has emulator faults, which the emulator's
	// request log names (Request.Fault); gateway faults are named by the
	// gateway's log.
	inEmulator bool
}

// writeEndpoints are the requests that write records: method and API
// resource.
var writeEndpoints = [][2]string{{"POST", "records"}, {"PUT", "records"}, {"DELETE", "records"}, {"POST", "bulkRequest"}}

// isWrite reports whether method and resource write records.
func isWrite(method, resource string) bool {
	for _, w := range writeEndpoints {
		if w[0] == method && w[1] == resource {
			return true
		}
	}
	return false
}

// viaGateway is a gateway fault on every request (writesOnly: on the
// writes) at probability; each workload adds it to its first requests of
// some kind too (see sure).
func viaGateway(name string, f gateway.Fault, lost verdict, writesOnly bool, timeout time.Duration) faultCase {
	base := f
	fc := faultCase{name: name, gatewayBase: &base, timeout: timeout, lost: lost}
	if !writesOnly {
		f.Probability = probability
		fc.gateway = append(fc.gateway, f)
		return fc
	}
	for _, w := range writeEndpoints {
		g := f
		g.Method, g.Resource, g.Probability = w[0], w[1], probability
		fc.gateway = append(fc.gateway, g)
	}
	return fc
}

// inEmulator is an emulator fault on the writes at probability; each
// workload adds it to its first requests of some kind too (see sure).
// (Not on reads: the suite's own raw reads of the records go to the
// emulator.)
func inEmulator(name string, f kintonetest.Fault, lost verdict, retried bool, timeout time.Duration) faultCase {
	base := f
	fc := faultCase{name: name, emulatorBase: &base, timeout: timeout, lost: lost, retried: retried, inEmulator: true}
	for _, w := range writeEndpoints {
		g := f
		g.Method, g.Resource, g.Probability = w[0], w[1], probability
		fc.emulator = append(fc.emulator, g)
	}
	return fc
}

// sure makes the fault hit the nth request of method and resource from
// now on of the worker's route: each workload aims it at a request that
// matters (a multi-batch statement's second batch, a Commit, an import's
// second statement), so that no subtest passes without the fault having
// hit what it tests. The mixed case has no sure faults.
func (e *env) sure(r *route, method, resource string, nth int) {
	switch {
	case e.fc.gatewayBase != nil && r.gw != nil:
		f := *e.fc.gatewayBase
		f.Method, f.Resource, f.Nth = method, resource, nth
		r.gw.Add(f)
	case e.fc.emulatorBase != nil:
		f := *e.fc.emulatorBase
		f.Method, f.Resource, f.Nth = method, resource, nth
		e.srv.InjectFault(f)
	}
}

// refusing marks a case as Kintone's final refusal.
func refusing(fc faultCase) faultCase {
	fc.refused = true
	return fc
}

// faultCases are the subtests, one per fault.
func faultCases() []faultCase {
	cases := []faultCase{
		viaGateway("gateway 503 text-html after forwarding", gateway.Fault{Action: gateway.Replace, Status: 503}, applied, false, longTimeout),
		viaGateway("gateway 502 after forwarding", gateway.Fault{Action: gateway.Replace, Status: 502, ContentType: "text/plain", Body: "upstream connect error"}, applied, false, longTimeout),
		viaGateway("gateway 504 after forwarding", gateway.Fault{Action: gateway.Replace, Status: 504}, applied, false, longTimeout),
		viaGateway("gateway 500 html after forwarding", gateway.Fault{Action: gateway.Replace, Status: 500}, applied, false, longTimeout),
		viaGateway("gateway 503 without forwarding", gateway.Fault{Action: gateway.Reject, Status: 503}, notApplied, false, longTimeout),
		viaGateway("gateway answer truncated", gateway.Fault{Action: gateway.Truncate}, applied, false, longTimeout),
		viaGateway("gateway answer cut off", gateway.Fault{Action: gateway.CutOff}, applied, false, longTimeout),
		viaGateway("gateway answer garbled", gateway.Fault{Action: gateway.Garble}, applied, false, longTimeout),
		viaGateway("gateway drops after forwarding", gateway.Fault{Action: gateway.DropAfter}, applied, false, longTimeout),
		viaGateway("gateway drops before forwarding", gateway.Fault{Action: gateway.DropBefore}, notApplied, false, longTimeout),
		// A write the gateway holds is forwarded and applied; but with a
		// short timeout, any slow answer may be lost too, and that write
		// is applied as well.
		viaGateway("gateway holds the answer", gateway.Fault{Action: gateway.HangAfter}, applied, true, slowTimeout),
		inEmulator("kintone 503 GAIA_MA01", kintonetest.Fault{Status: 503, Code: "GAIA_MA01", Message: "Under maintenance."}, notApplied, true, longTimeout),
		inEmulator("kintone 429 GAIA_TO04", kintonetest.Fault{Status: 429}, notApplied, true, longTimeout),
		inEmulator("kintone 500 GAIA_RE18 lock", kintonetest.Fault{Status: 500, Code: "GAIA_RE18", Message: "The database is locked."}, notApplied, true, longTimeout),
		refusing(inEmulator("kintone 409 GAIA_CO02 refusal", kintonetest.Fault{Status: 409, Code: "GAIA_CO02", Message: "The revision is not the latest. Someone may update a record."}, notApplied, false, longTimeout)),
		inEmulator("kintone drops before applying", kintonetest.Fault{Drop: kintonetest.DropBeforeApply}, notApplied, false, longTimeout),
		inEmulator("kintone drops after applying", kintonetest.Fault{Drop: kintonetest.DropAfterApply}, applied, false, longTimeout),
		// The emulator drops a delayed request when the client gives up;
		// a slow answer (under load) that the client gives up on is
		// applied all the same. The emulator's log tells them apart
		// (Request.Fault), so each gets its verdict (lostVerdict).
		inEmulator("kintone latency beyond the timeout", kintonetest.Fault{Latency: 3 * slowTimeout}, either, false, slowTimeout),
	}
	for i := range cases {
		cases[i].seed = uint64(i + 1)
	}
	return cases
}

// mixedCase injects every fault at once, each at a share of probability
// so that about as many requests fail as in the other subtests. Lost
// answers may be of writes applied or not; the logs tell which of each
// (lostVerdict), but for a write that the gateway forwarded and the
// emulator dropped at a moment when it dropped other workers' writes
// both before and after applying them.
func mixedCase() faultCase {
	fc := faultCase{name: "every fault at once", seed: 99, timeout: slowTimeout, lost: either, inEmulator: true}
	all := faultCases()
	share := 2 * probability / float64(len(all))
	for _, c := range all {
		for _, f := range c.gateway {
			f.Probability = share
			fc.gateway = append(fc.gateway, f)
		}
		for _, f := range c.emulator {
			f.Probability = share
			fc.emulator = append(fc.emulator, f)
		}
	}
	fc.gateway = append(fc.gateway, gateway.Fault{Action: gateway.Hang, Method: "POST", Resource: "bulkRequest", Probability: share})
	return fc
}

// fired counts the requests the subtest's faults hit: writes and others.
func (e *env) fired() (writes, others int) {
	count := func(write bool) {
		if write {
			writes++
		} else {
			others++
		}
	}
	for _, gw := range e.gateways {
		for _, l := range gw.Log() {
			if l.Fault >= 0 && l.Action != gateway.Pass {
				count(isWrite(l.Method, l.Resource))
			}
		}
	}
	if e.fc.inEmulator {
		for _, r := range e.srv.Requests() {
			if r.Fault != "" {
				count(isWrite(r.Effective, r.Resource))
			}
		}
	}
	return writes, others
}
