package rest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/dsn"
	"github.com/kintone-sql/kintone/kintonetest"
	"github.com/kintone-sql/kintone/kintonetest/gateway"
)

// This file runs the client's writes through a misbehaving reverse proxy
// (kintonetest/gateway) in front of the emulator, and checks by reading
// the records directly from the emulator afterwards that no write was
// applied twice.

// rig is an emulator with an app of three records, a gateway in front of
// it, a client through the gateway and one straight to the emulator.
type rig struct {
	srv   *kintonetest.Server
	gw    *gateway.Gateway
	c     *Client // through the gateway
	p     *probe
	raw   *Client // straight to the emulator
	app   int64
	ids   []int64
	token string
}

func newRig(t *testing.T, mod func(*dsn.Config, *Options)) *rig {
	t.Helper()
	srv, err := kintonetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	app, err := srv.CreateApp(kintonetest.App{Name: "Items", Fields: []kintonetest.Field{{Code: "title", Type: "SINGLE_LINE_TEXT"}}})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := srv.AddRecords(app, kintonetest.Record{"title": "a"}, kintonetest.Record{"title": "b"}, kintonetest.Record{"title": "c"})
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{srv: srv, gw: gateway.Start(t, srv.URL), app: app, ids: ids, token: srv.AddAPIToken(app, kintonetest.AllPermissions())}
	r.c, r.p = newClient(t, nil, func(cfg *dsn.Config, o *Options) {
		cfg.BaseURL, cfg.APITokens = r.gw.URL, []string{r.token}
		if mod != nil {
			mod(cfg, o)
		}
	})
	r.raw, _ = newClient(t, nil, func(cfg *dsn.Config, _ *Options) {
		cfg.BaseURL, cfg.APITokens, cfg.MaxRetries = srv.URL, []string{r.token}, 0
	})
	return r
}

// state is the number of records and the sum of their revisions, read
// from the emulator directly.
func (r *rig) state(t *testing.T) (count, revisions int64) {
	t.Helper()
	page, err := r.raw.GetRecords(context.Background(), GetRecordsRequest{App: r.app, Fields: []string{"$id", "$revision"}, Query: "limit 500"})
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range page.Records {
		rev, err := rec.Revision()
		if err != nil {
			t.Fatal(err)
		}
		revisions += rev
	}
	return int64(len(page.Records)), revisions
}

// writePath is a write of the client and the state it leaves when applied
// once (the rig starts at 3 records of revision 1).
type writePath struct {
	method, resource string // as the gateway names them
	run              func(ctx context.Context, r *rig) error
	count, revisions int64
	// wrongShape is a 200 answer of the wrong shape for this write.
	wrongShape string
}

var writePaths = map[string]writePath{
	"POST records": {method: "POST", resource: "records", count: 5, revisions: 5,
		wrongShape: `{"ids":["9"],"revisions":["1"]}`,
		run: func(ctx context.Context, r *rig) error {
			_, err := r.c.AddRecords(ctx, r.app, []Values{{"title": []byte(`"x"`)}, {"title": []byte(`"y"`)}})
			return err
		}},
	"PUT records": {method: "PUT", resource: "records", count: 3, revisions: 5,
		wrongShape: `{"records":[]}`,
		run: func(ctx context.Context, r *rig) error {
			_, err := r.c.UpdateRecords(ctx, UpdateRecordsRequest{App: r.app, Records: []RecordUpdate{
				{ID: r.ids[0], Record: Values{"title": []byte(`"A"`)}},
				{ID: r.ids[1], Record: Values{"title": []byte(`"B"`)}},
			}})
			return err
		}},
	"DELETE records": {method: "DELETE", resource: "records", count: 1, revisions: 1,
		wrongShape: `[]`,
		run: func(ctx context.Context, r *rig) error {
			return r.c.DeleteRecords(ctx, r.app, r.ids[:2], nil)
		}},
	"bulkRequest": {method: "POST", resource: "bulkRequest", count: 5, revisions: 6,
		wrongShape: `{"results":[{"ids":["9","10"],"revisions":["1","1"]}]}`,
		run: func(ctx context.Context, r *rig) error {
			_, err := r.c.Bulk(ctx, []BulkRequest{
				BulkAddRecords(r.app, []Values{{"title": []byte(`"x"`)}, {"title": []byte(`"y"`)}}),
				BulkUpdateRecords(UpdateRecordsRequest{App: r.app, Records: []RecordUpdate{{ID: r.ids[2], Record: Values{"title": []byte(`"C"`)}}}}),
			})
			return err
		}},
}

// gatewayFault is a misbehaviour of the gateway, firing once.
type gatewayFault struct {
	name string
	f    func(w writePath) gateway.Fault
	// timeout is the client's per-request timeout, 0 for the default.
	timeout time.Duration
}

func firstOnly(f gateway.Fault) func(writePath) gateway.Fault {
	return func(w writePath) gateway.Fault {
		f.Method, f.Resource, f.Times = w.method, w.resource, 1
		return f
	}
}

var gatewayFaults = []gatewayFault{
	{name: "503 text/html after forwarding", f: firstOnly(gateway.Fault{Action: gateway.Replace, Status: 503})},
	{name: "502 text/plain after forwarding", f: firstOnly(gateway.Fault{Action: gateway.Replace, Status: 502, ContentType: "text/plain", Body: "upstream reset"})},
	{name: "504 after forwarding", f: firstOnly(gateway.Fault{Action: gateway.Replace, Status: 504})},
	{name: "500 after forwarding", f: firstOnly(gateway.Fault{Action: gateway.Replace, Status: 500})},
	{name: "403 text/html after forwarding", f: firstOnly(gateway.Fault{Action: gateway.Replace, Status: 403})},
	{name: "503 JSON without a Kintone code after forwarding", f: firstOnly(gateway.Fault{Action: gateway.Replace, Status: 503,
		ContentType: "application/json", Body: `{"message":"no healthy upstream","code":"unavailable"}`})},
	{name: "503 text/html with Retry-After without forwarding", f: firstOnly(gateway.Fault{Action: gateway.Reject, Status: 503,
		Header: http.Header{"Retry-After": {"1"}}})},
	{name: "200 text/html login page without forwarding", f: firstOnly(gateway.Fault{Action: gateway.Reject, Status: 200})},
	{name: "2xx body truncated", f: firstOnly(gateway.Fault{Action: gateway.Truncate, Keep: 1})},
	{name: "2xx body cut off", f: firstOnly(gateway.Fault{Action: gateway.CutOff, Keep: 1})},
	{name: "2xx body garbled", f: firstOnly(gateway.Fault{Action: gateway.Garble})},
	{name: "2xx body of the wrong shape", f: func(w writePath) gateway.Fault {
		return firstOnly(gateway.Fault{Action: gateway.Garble, Body: w.wrongShape})(w)
	}},
	{name: "connection dropped after forwarding", f: firstOnly(gateway.Fault{Action: gateway.DropAfter})},
	{name: "connection dropped without forwarding", f: firstOnly(gateway.Fault{Action: gateway.DropBefore})},
	{name: "answer held past the timeout", f: firstOnly(gateway.Fault{Action: gateway.HangAfter}), timeout: 100 * time.Millisecond},
}

// TestWriteThroughAMisbehavingGatewayIsNeverResent checks every write
// against every gateway fault: one attempt only (the write may have been
// applied, or proof that it was not is missing), an error, and the records
// show the write applied exactly as often as the gateway forwarded it.
func TestWriteThroughAMisbehavingGatewayIsNeverResent(t *testing.T) {
	for _, gf := range gatewayFaults {
		for name, w := range writePaths {
			t.Run(gf.name+"/"+name, func(t *testing.T) {
				r := newRig(t, func(cfg *dsn.Config, _ *Options) {
					if gf.timeout > 0 {
						cfg.Timeout = gf.timeout
					}
				})
				r.gw.Add(gf.f(w))
				err := w.run(context.Background(), r)
				_ = r.gw.Close() // waits for the forwarded request to finish
				if err == nil {
					t.Fatal("the write succeeded")
				}
				if got := r.gw.Requests(w.method, w.resource); got != 1 || r.p.attempts() != 1 {
					t.Fatalf("%d requests reached the gateway, %d attempts: want 1 (error: %v)", got, r.p.attempts(), err)
				}
				if !MayHaveApplied(err) {
					t.Fatalf("MayHaveApplied(%v) is false: nothing proves the write was not applied", err)
				}
				wantCount, wantRevs := int64(3), int64(3)
				if r.gw.Applied(w.method, w.resource) == 1 {
					wantCount, wantRevs = w.count, w.revisions
				}
				if count, revs := r.state(t); count != wantCount || revs != wantRevs {
					t.Fatalf("%d records, revisions summing to %d; want %d and %d (error: %v)", count, revs, wantCount, wantRevs, err)
				}
			})
		}
	}
}

// TestGatewayRefusalsThatHTTPSaysWereNotProcessed: a gateway's 413, 414,
// 401 or 407 page, or a redirect, says by HTTP's own definition that the
// request was not processed. The write is not retried (sending it again
// cannot help) and is reported as not applied.
func TestGatewayRefusalsThatHTTPSaysWereNotProcessed(t *testing.T) {
	for _, status := range []int{413, 414, 401, 407, 302} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			r := newRig(t, nil)
			w := writePaths["bulkRequest"]
			r.gw.Add(gateway.Fault{Method: w.method, Resource: w.resource, Action: gateway.Reject, Status: status,
				Header: http.Header{"Location": {"https://sso.example.com/login"}}})
			err := w.run(context.Background(), r)
			var ae *APIError
			if !errors.As(err, &ae) || ae.Status != status || MayHaveApplied(err) || r.p.attempts() != 1 {
				t.Fatalf("error %v, MayHaveApplied %v, %d attempts: want the %d, not applied, 1 attempt",
					err, MayHaveApplied(err), r.p.attempts(), status)
			}
			if count, revs := r.state(t); count != 3 || revs != 3 {
				t.Fatalf("%d records, revisions %d", count, revs)
			}
		})
	}
}

// TestKintoneTransientErrorsAreRetriedAndWriteOnce checks that a Kintone
// JSON error that proves nothing was done (503 with a code, 429 GAIA_TO04,
// a database lock) is still retried through the gateway, and the write is
// applied exactly once.
func TestKintoneTransientErrorsAreRetriedAndWriteOnce(t *testing.T) {
	for _, kf := range []kintonetest.Fault{
		{Status: 503, Code: "GAIA_MA01", Message: "Under maintenance."},
		{Status: 429}, // GAIA_TO04
		{Status: 500, Code: "GAIA_RE18"},
	} {
		for name, w := range writePaths {
			t.Run(fmt.Sprintf("%d %s/%s", kf.Status, kf.Code, name), func(t *testing.T) {
				r := newRig(t, nil)
				kf.Method, kf.Resource, kf.Times = w.method, w.resource, 1
				r.srv.InjectFault(kf)
				if err := w.run(context.Background(), r); err != nil {
					t.Fatal(err)
				}
				if got := r.gw.Requests(w.method, w.resource); got != 2 || r.p.attempts() != 2 {
					t.Fatalf("%d requests, %d attempts: want 2", got, r.p.attempts())
				}
				if count, revs := r.state(t); count != w.count || revs != w.revisions {
					t.Fatalf("%d records, revisions summing to %d; want %d and %d", count, revs, w.count, w.revisions)
				}
			})
		}
	}
}

// TestCursorCallsThroughAMisbehavingGatewayAreNotResent: a cursor POST
// answered 503 text/html may have created a cursor, a cursor GET may have
// advanced it; neither is sent again. A records GET is.
func TestCursorCallsThroughAMisbehavingGatewayAreNotResent(t *testing.T) {
	html503 := gateway.Fault{Action: gateway.Replace, Status: 503, Times: 1}
	t.Run("POST cursor", func(t *testing.T) {
		r := newRig(t, nil)
		f := html503
		f.Method, f.Resource = "POST", "records/cursor"
		r.gw.Add(f)
		_, err := r.c.CreateCursor(context.Background(), CreateCursorRequest{App: r.app})
		_ = r.gw.Close()
		if err == nil || r.p.attempts() != 1 || r.srv.OpenCursors() != 1 {
			t.Fatalf("error %v, %d attempts, %d open cursors: want an error, 1 attempt, the 1 cursor the gateway let through",
				err, r.p.attempts(), r.srv.OpenCursors())
		}
	})
	t.Run("GET cursor", func(t *testing.T) {
		r := newRig(t, nil)
		cur, err := r.c.CreateCursor(context.Background(), CreateCursorRequest{App: r.app, Size: 1})
		if err != nil {
			t.Fatal(err)
		}
		f := html503
		f.Method, f.Resource = "GET", "records/cursor"
		r.gw.Add(f)
		before := r.p.attempts()
		_, err = r.c.GetCursorPage(context.Background(), cur.ID)
		if err == nil || r.p.attempts()-before != 1 {
			t.Fatalf("error %v, %d attempts: want an error after 1 attempt", err, r.p.attempts()-before)
		}
	})
	t.Run("GET records", func(t *testing.T) {
		r := newRig(t, nil)
		f := html503
		f.Method, f.Resource = "GET", "records"
		r.gw.Add(f)
		page, err := r.c.GetRecords(context.Background(), GetRecordsRequest{App: r.app})
		if err != nil || len(page.Records) != 3 || r.p.attempts() != 2 {
			t.Fatalf("error %v, %d attempts: want 3 records after 2 attempts", err, r.p.attempts())
		}
	})
}
