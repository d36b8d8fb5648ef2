package kintonetest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"
)

// TestDelayedWriteIsNotAppliedWhenItsClientGivesUp: a write delayed by a
// fault's Latency (or WithLatency) whose client gives up during the delay
// is dropped, as a delayed read is, rather than applied when the delay
// ends, seconds after the client was told it failed. (The server notices
// a closed connection only once it has read the request's body, so the
// delay reads it first.)
func TestDelayedWriteIsNotAppliedWhenItsClientGivesUp(t *testing.T) {
	for name, setup := range map[string]func() (*Server, func()){
		"fault latency": func() (*Server, func()) {
			srv := newServer(t)
			return srv, func() { srv.InjectFault(Fault{Method: "POST", Resource: "records", Times: 1, Latency: time.Second}) }
		},
		"server latency": func() (*Server, func()) {
			return newServer(t, WithLatency(time.Second)), func() {}
		},
	} {
		t.Run(name, func(t *testing.T) {
			srv, arm := setup()
			app := testApp(t, srv)
			c := adminClient(t, srv)
			arm()
			body, err := json.Marshal(map[string]any{"app": app, "records": numberedRecords(0, 3)})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, "POST", srv.URL+"/k/v1/records.json", bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header = c.header.Clone()
			req.Header.Set("Content-Type", "application/json")
			if res, err := http.DefaultClient.Do(req); err == nil {
				res.Body.Close()
				t.Fatalf("the delayed write answered %d before the client gave up", res.StatusCode)
			}
			deadline := time.Now().Add(30 * time.Second)
			for srv.gate.inFlight() > 0 {
				if time.Now().After(deadline) {
					t.Fatal("the delayed write is still in progress after 30s")
				}
				time.Sleep(5 * time.Millisecond)
			}
			if n := countRecords(t, c, app, ""); n != 0 {
				t.Fatalf("%d records: the write was applied after its client gave up", n)
			}
		})
	}
}
