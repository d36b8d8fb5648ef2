package faultsuite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	_ "github.com/kintone-sql/kintone" // the driver under test
	"github.com/kintone-sql/kintone/kintonetest"
	"github.com/kintone-sql/kintone/kintonetest/gateway"
)

// This file sets up one subtest's world: an emulator with the suite's
// apps, each worker's way to it (a gateway of its own, or none) with the
// driver opened that way, and a reader of the emulator's records over raw
// REST that goes neither through the driver nor through a gateway.

// pageSize is the driver's page size: small, so that an UPDATE's or a
// DELETE's read of its targets takes several pages.
const pageSize = 250

// appFields are the fields of the suite's apps by code: ROWS for the
// statements, SRC for INSERT ... SELECT, TXS for the transactions, IMPORTS
// for the command's inserts and UPSERTS for its upserts, whose key k is
// unique, as --upsert-key needs.
var appFields = map[string][]kintonetest.Field{
	"ROWS": rowFields, "SRC": rowFields,
	"TXS":     {{Code: "k", Type: "SINGLE_LINE_TEXT"}, {Code: "owner", Type: "SINGLE_LINE_TEXT"}, {Code: "n", Type: "NUMBER"}},
	"IMPORTS": {{Code: "k", Type: "SINGLE_LINE_TEXT"}, {Code: "owner", Type: "SINGLE_LINE_TEXT"}, {Code: "n", Type: "NUMBER"}, {Code: "note", Type: "MULTI_LINE_TEXT"}},
	"UPSERTS": {{Code: "k", Type: "SINGLE_LINE_TEXT", Unique: true}, {Code: "owner", Type: "SINGLE_LINE_TEXT"}, {Code: "n", Type: "NUMBER"}, {Code: "note", Type: "MULTI_LINE_TEXT"}},
}

// appCodes are the suite's apps in the order they are created.
var appCodes = []string{"ROWS", "SRC", "TXS", "IMPORTS", "UPSERTS"}

// rowFields are the fields of ROWS and SRC. In every app but UPSERTS the
// key k is deliberately not a unique field: Kintone would refuse a second
// record with the same key, and a write applied twice would go unseen.
var rowFields = []kintonetest.Field{
	{Code: "k", Type: "SINGLE_LINE_TEXT"}, {Code: "owner", Type: "SINGLE_LINE_TEXT"},
	{Code: "grp", Type: "SINGLE_LINE_TEXT"}, {Code: "n", Type: "NUMBER"}, {Code: "del", Type: "NUMBER"},
}

// env is a subtest's emulator and what reaches it.
type env struct {
	t   *testing.T
	fc  faultCase
	srv *kintonetest.Server
	// gateways are the workers' gateways, to count what their faults did.
	gateways []*gateway.Gateway
	// apps maps an app code to its id.
	apps map[string]int64
	cli  string // the kintone-sql binary
	dir  string // for the import files
	raw  *http.Client
	// direct counts the routes that reach the emulator without a gateway.
	direct int
}

// newEnv starts the emulator and creates the apps.
func newEnv(t *testing.T, fc faultCase, cli string) *env {
	t.Helper()
	srv, err := kintonetest.NewServer(kintonetest.WithSeed(fc.seed), kintonetest.WithRequestLogLimit(1<<20))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	e := &env{t: t, fc: fc, srv: srv, apps: map[string]int64{}, cli: cli, dir: t.TempDir(),
		raw: &http.Client{Timeout: time.Minute, Transport: &http.Transport{Proxy: nil}}}
	for _, code := range appCodes {
		id, err := srv.CreateApp(kintonetest.App{Name: code, Code: code, Fields: appFields[code]})
		if err != nil {
			t.Fatal(err)
		}
		e.apps[code] = id
	}
	return e
}

// route is how a worker reaches the emulator: through a gateway of its
// own when the subtest has gateway faults, else directly.
type route struct {
	gw  *gateway.Gateway // nil: direct
	dsn string           // for the driver and the command
	db  *sql.DB
}

// newRoute opens the driver for a worker; the worker's number seeds its
// gateway.
func (e *env) newRoute(n int) *route {
	t := e.t
	t.Helper()
	u, err := url.Parse(e.srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	r := &route{}
	if e.fc.gatewayBase != nil || len(e.fc.gateway) > 0 {
		r.gw, err = gateway.New(e.srv.URL, gateway.WithSeed(e.fc.seed*100+uint64(n)))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = r.gw.Close() })
		e.gateways = append(e.gateways, r.gw)
		g, err := url.Parse(r.gw.URL)
		if err != nil {
			t.Fatal(err)
		}
		u.Host = g.Host
	} else {
		e.direct++
	}
	u.RawQuery = url.Values{"timeout": {e.fc.timeout.String()}, "pageSize": {strconv.Itoa(pageSize)}}.Encode()
	r.dsn = u.String()
	r.db, err = sql.Open("kintone", r.dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.db.Close() })
	return r
}

// arm injects the subtest's faults into the gateways and the emulator.
func (e *env) arm() {
	for _, gw := range e.gateways {
		for _, f := range e.fc.gateway {
			gw.Add(f)
		}
	}
	for _, f := range e.fc.emulator {
		e.srv.InjectFault(f)
	}
}

// settle waits until none of the route's requests is still in progress
// upstream, as a careful user waits before looking up the rows of a write
// whose answer was lost: the write may still be being applied (a gateway
// forwards a request to the end after its client gave up, and Kintone
// finishes a request whose client went away). Through a gateway, that is
// when no request it forwarded is still unanswered; directly, when the
// emulator runs no request but the one asking (its
// X-ConcurrencyLimit-Running header), which holds when the route's
// worker is the only one.
func (e *env) settle(ctx context.Context, r *route) error {
	deadline := time.Now().Add(time.Minute)
	for {
		busy, err := e.busy(ctx, r)
		if err != nil || !busy {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("requests still in progress after a minute")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// busy reports whether a request of the route is in progress upstream.
func (e *env) busy(ctx context.Context, r *route) (bool, error) {
	if r.gw != nil {
		for _, l := range r.gw.Log() {
			// Forwarded, and neither the upstream's answer nor a failure
			// (which the gateway answers 502) is noted yet.
			if l.Forwarded && l.UpstreamStatus == 0 && l.Status == 0 {
				return true, nil
			}
		}
		return false, nil
	}
	q := url.Values{"app": {strconv.FormatInt(e.apps["ROWS"], 10)}, "query": {"limit 1"}}
	req, err := http.NewRequestWithContext(ctx, "GET", e.srv.URL+"/k/v1/records.json?"+q.Encode(), nil)
	if err != nil {
		return false, err
	}
	req.Header.Set("X-Cybozu-Authorization", "YWRtaW46YWRtaW4=") // admin:admin
	resp, err := e.raw.Do(req)
	if err != nil {
		return false, err
	}
	resp.Body.Close()
	running, err := strconv.Atoi(resp.Header.Get("X-ConcurrencyLimit-Running"))
	if err != nil {
		return false, fmt.Errorf("X-ConcurrencyLimit-Running %q: %w", resp.Header.Get("X-ConcurrencyLimit-Running"), err)
	}
	return running > 1, nil
}

// add writes records straight into the emulator, without faults: the
// fixtures that a workload starts from.
func (e *env) add(app string, recs []kintonetest.Record) {
	e.t.Helper()
	if _, err := e.srv.AddRecords(e.apps[app], recs...); err != nil {
		e.t.Fatal(err)
	}
}

// rawFields are the fields the checks read, by app.
var rawFields = map[string][]string{
	"ROWS":    {"$id", "k", "owner", "grp", "n", "del"},
	"TXS":     {"$id", "k", "owner", "n"},
	"IMPORTS": {"$id", "k", "owner", "n", "note"},
	"UPSERTS": {"$id", "k", "owner", "n", "note"},
}

// rawValue is a field of a record in Kintone's JSON, for the fields the
// checks read (text and numbers: a string).
type rawValue struct {
	Value string `json:"value"`
}

// rawRecord is a record as the emulator holds it.
type rawRecord struct {
	id     int64
	k, grp string
	n, del int64
	hasN   bool
	note   string
}

// records reads every record of app whose owner is owner, in $id order,
// over raw REST straight from the emulator: GET records.json, paging by
// $id. The emulator's faults never touch it (they are injected on writes
// only); the gateway is not on its way.
func (e *env) records(ctx context.Context, app, owner string) ([]rawRecord, error) {
	var out []rawRecord
	last := int64(0)
	for {
		q := url.Values{"app": {strconv.FormatInt(e.apps[app], 10)},
			"query": {fmt.Sprintf(`owner = "%s" and $id > %d order by $id asc limit 500`, owner, last)}}
		for i, f := range rawFields[app] {
			q.Set(fmt.Sprintf("fields[%d]", i), f)
		}
		req, err := http.NewRequestWithContext(ctx, "GET", e.srv.URL+"/k/v1/records.json?"+q.Encode(), nil)
		if err != nil {
			return nil, err
		}
		req.Header.Set("X-Cybozu-Authorization", "YWRtaW46YWRtaW4=") // admin:admin
		resp, err := e.raw.Do(req)
		if err != nil {
			return nil, fmt.Errorf("raw GET records of %s: %w", app, err)
		}
		var page struct {
			Records []struct {
				ID    rawValue `json:"$id"`
				K     rawValue `json:"k"`
				Owner rawValue `json:"owner"`
				Grp   rawValue `json:"grp"`
				N     rawValue `json:"n"`
				Del   rawValue `json:"del"`
				Note  rawValue `json:"note"`
			} `json:"records"`
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || err != nil {
			return nil, fmt.Errorf("raw GET records of %s: status %d, %v", app, resp.StatusCode, err)
		}
		for _, r := range page.Records {
			rec := rawRecord{k: r.K.Value, grp: r.Grp.Value, note: r.Note.Value}
			var err error
			if rec.id, err = strconv.ParseInt(r.ID.Value, 10, 64); err != nil {
				return nil, fmt.Errorf("raw GET records of %s: $id %q", app, r.ID.Value)
			}
			if r.N.Value != "" {
				rec.n, err = strconv.ParseInt(r.N.Value, 10, 64)
				rec.hasN = err == nil
			}
			if r.Del.Value != "" {
				rec.del, _ = strconv.ParseInt(r.Del.Value, 10, 64)
			}
			last = rec.id
			if r.Owner.Value == owner { // Kintone's = on text ignores case
				out = append(out, rec)
			}
		}
		if len(page.Records) < 500 {
			return out, nil
		}
	}
}
