package faultsuite

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/kintonetest"
	"github.com/kintone-sql/kintone/kintonetest/gateway"
)

// TestLostVerdictReadsTheLogs sends one write under each fault, through
// a gateway or straight to the emulator, and checks that lostVerdict
// tells from the logs what the records show: applied or not, or that it
// cannot tell.
func TestLostVerdictReadsTheLogs(t *testing.T) {
	type fault struct {
		gw  *gateway.Fault
		emu *kintonetest.Fault
	}
	const patience = 300 * time.Millisecond // the client's, where a fault holds the request
	tests := []struct {
		name    string
		direct  bool
		faults  []fault
		timeout time.Duration
		// extra, when set, sends a second write straight to the emulator
		// during the window, as another worker would.
		extra bool
		want  verdict
	}{
		{name: "gateway drops before forwarding", faults: []fault{{gw: &gateway.Fault{Action: gateway.DropBefore}}}, want: notApplied},
		{name: "gateway answers 503 without forwarding", faults: []fault{{gw: &gateway.Fault{Action: gateway.Reject}}}, want: notApplied},
		{name: "gateway never forwards", faults: []fault{{gw: &gateway.Fault{Action: gateway.Hang}}}, timeout: patience, want: notApplied},
		{name: "gateway drops after forwarding", faults: []fault{{gw: &gateway.Fault{Action: gateway.DropAfter}}}, want: applied},
		{name: "gateway answers 503 after forwarding", faults: []fault{{gw: &gateway.Fault{Action: gateway.Replace}}}, want: applied},
		{name: "gateway holds the answer", faults: []fault{{gw: &gateway.Fault{Action: gateway.HangAfter}}}, timeout: patience, want: applied},
		{name: "emulator error behind the gateway", faults: []fault{{emu: &kintonetest.Fault{Status: 503, Code: "GAIA_MA01"}}}, want: notApplied},
		{name: "emulator drops before applying behind the gateway", faults: []fault{{emu: &kintonetest.Fault{Drop: kintonetest.DropBeforeApply}}}, want: notApplied},
		{name: "emulator drops after applying behind the gateway", faults: []fault{{emu: &kintonetest.Fault{Drop: kintonetest.DropAfterApply}}}, want: applied},
		{name: "emulator latency behind the gateway", faults: []fault{{emu: &kintonetest.Fault{Latency: time.Second}}}, timeout: patience, want: applied},
		{name: "emulator drops after applying, another worker's write before", extra: true,
			faults: []fault{{emu: &kintonetest.Fault{Drop: kintonetest.DropAfterApply, Times: 1}}, {emu: &kintonetest.Fault{Drop: kintonetest.DropBeforeApply, Times: 1}}}, want: either},
		{name: "emulator latency, client gone", direct: true, faults: []fault{{emu: &kintonetest.Fault{Latency: 5 * time.Second}}}, timeout: patience, want: notApplied},
		{name: "emulator drops before applying", direct: true, faults: []fault{{emu: &kintonetest.Fault{Drop: kintonetest.DropBeforeApply}}}, want: notApplied},
		{name: "emulator drops after applying", direct: true, faults: []fault{{emu: &kintonetest.Fault{Drop: kintonetest.DropAfterApply}}}, want: applied},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			e := newEnv(t, faultCase{name: tt.name, seed: 1}, "")
			r := &route{}
			base := e.srv.URL
			if tt.direct {
				e.direct++
			} else {
				gw, err := gateway.New(e.srv.URL)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = gw.Close() })
				r.gw, base = gw, gw.URL
			}
			for _, f := range tt.faults {
				if f.gw != nil {
					f.gw.Method, f.gw.Resource = "POST", "records"
					r.gw.Add(*f.gw)
				}
				if f.emu != nil {
					f.emu.Method, f.emu.Resource = "POST", "records"
					e.srv.InjectFault(*f.emu)
				}
			}
			timeout := tt.timeout
			if timeout == 0 {
				timeout = 10 * time.Second
			}
			win := e.open(r)
			_ = postRecord(ctx, base, e.apps["ROWS"], "mine", timeout)
			if tt.extra {
				_ = postRecord(ctx, e.srv.URL, e.apps["ROWS"], "other", 10*time.Second)
			}
			win = e.close(r, win)
			if err := e.settle(ctx, r); err != nil {
				t.Fatal(err)
			}
			got, why := e.lostVerdict(r, win)
			if got != tt.want {
				t.Fatalf("verdict %v (%s), want %v", got, why, tt.want)
			}
			recs, err := e.records(ctx, "ROWS", "mine")
			if err != nil {
				t.Fatal(err)
			}
			if got != either && (len(recs) == 1) != (got == applied) {
				t.Fatalf("verdict %v (%s), but the write left %d records", got, why, len(recs))
			}
		})
	}
}

// postRecord writes one ROWS record of owner to base, giving up after
// timeout, and returns the transport's error, if any.
func postRecord(ctx context.Context, base string, app int64, owner string, timeout time.Duration) error {
	body, err := json.Marshal(map[string]any{"app": app, "records": []any{map[string]any{
		"k": map[string]string{"value": owner + "-1"}, "owner": map[string]string{"value": owner}}}})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, "POST", strings.TrimSuffix(base, "/")+"/k/v1/records.json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Cybozu-Authorization", "YWRtaW46YWRtaW4=") // admin:admin
	resp, err := (&http.Client{Transport: &http.Transport{Proxy: nil}}).Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
