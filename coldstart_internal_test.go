package kintone

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/dsn"
	"github.com/kintone-sql/kintone/kintonetest"
)

// gateTransport calls gate before sending each request; an error from gate
// is the request's.
type gateTransport struct {
	gate func(r *http.Request) error
}

func (g *gateTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := g.gate(r); err != nil {
		return nil, err
	}
	return http.DefaultTransport.RoundTrip(r)
}

// waitFor polls cond until it holds, failing after a few seconds: the
// bound only turns a hang into an error, it is not a timing assertion.
func waitFor(ctx context.Context, what string, cond func() bool) error {
	deadline := time.After(5 * time.Second)
	for !cond() {
		select {
		case <-deadline:
			return fmt.Errorf("%s: never happened", what)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Millisecond):
		}
	}
	return nil
}

// openGated returns a DB on a connector to srv (its DSN plus query) whose
// requests pass through gate, which may read the connector.
func openGated(t *testing.T, srv *kintonetest.Server, query string, gate func(c *Connector, r *http.Request) error) *sql.DB {
	t.Helper()
	cfg, err := dsn.Parse(srv.DSN() + query)
	if err != nil {
		t.Fatal(err)
	}
	var c *Connector
	hc := &http.Client{Transport: &gateTransport{gate: func(r *http.Request) error { return gate(c, r) }}}
	c = NewConnector(cfg, WithHTTPClient(hc))
	db := sql.OpenDB(c)
	t.Cleanup(func() {
		db.Close()
		http.DefaultTransport.(*http.Transport).CloseIdleConnections()
	})
	return db
}

// Twelve first queries of one table at once cost the metadata requests of
// one: the name lookup and the form are each asked once, and each query
// reads its records. The transport holds the lookup, and then the form,
// until the eleven other queries wait for it, so the queries really overlap
// (without the shared load they would send their own and the test would
// fail, not pass by luck).
func TestConcurrentFirstQueriesShareOneLoad(t *testing.T) {
	const n = 12
	srv, err := kintonetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	app, err := srv.CreateApp(kintonetest.App{Name: "Shared", Fields: []kintonetest.Field{{Code: "num", Type: "NUMBER"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.AddRecords(app, kintonetest.Record{"num": "1"}); err != nil {
		t.Fatal(err)
	}
	appKey := "app:" + strconv.FormatInt(app, 10)
	for _, tt := range []struct {
		table string
		held  map[string]string // path: the load key the others must wait on
		want  map[string]int64
	}{
		{"Shared",
			map[string]string{"/k/v1/apps.json": "name:Shared", "/k/v1/app/form/fields.json": appKey},
			map[string]int64{"GET apps": 2, "GET app/form/fields": 1, "GET app/form/layout": 1, "GET records": n}},
		{"mine",
			map[string]string{"/k/v1/app/form/fields.json": appKey},
			map[string]int64{"GET app": 1, "GET app/form/fields": 1, "GET app/form/layout": 1, "GET records": n}},
	} {
		t.Run(tt.table, func(t *testing.T) {
			// No retries: a held request that gives up fails the query.
			db := openGated(t, srv, "?maxRetries=0&apps=mine:"+strconv.FormatInt(app, 10), func(c *Connector, r *http.Request) error {
				key, ok := tt.held[r.URL.Path]
				if !ok {
					return nil
				}
				return waitFor(r.Context(), fmt.Sprintf("%d queries waiting for %s", n-1, key), func() bool {
					return c.schema.loads.waiting(key) == n-1
				})
			})
			db.SetMaxIdleConns(n)
			srv.ResetStats()
			start := make(chan struct{})
			var ready, done sync.WaitGroup
			errs := make(chan error, n)
			for range n {
				ready.Add(1)
				done.Go(func() {
					ready.Done()
					<-start
					rows, err := readAll(context.Background(), db, "SELECT num FROM "+tt.table)
					if err == nil && rows != 1 {
						err = fmt.Errorf("%d rows, want 1", rows)
					}
					errs <- err
				})
			}
			ready.Wait()
			close(start)
			done.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			if got := srv.Stats().ByEndpoint; !maps.Equal(got, tt.want) {
				t.Errorf("requests %v, want %v", got, tt.want)
			}
		})
	}
}

// A query that waits for another's load of the same app does not fail
// when that other query is cancelled: it loads the app itself.
func TestSharedLoadSurvivesTheLeadersCancellation(t *testing.T) {
	srv, err := kintonetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	app, err := srv.CreateApp(kintonetest.App{Name: "Shared", Fields: []kintonetest.Field{{Code: "num", Type: "NUMBER"}}})
	if err != nil {
		t.Fatal(err)
	}
	key := "app:" + strconv.FormatInt(app, 10)
	ctxA, cancelA := context.WithCancel(context.Background())
	defer cancelA()
	arrived := make(chan struct{})
	var once sync.Once
	db := openGated(t, srv, "", func(c *Connector, r *http.Request) error {
		if r.URL.Path != "/k/v1/app/form/fields.json" {
			return nil
		}
		first := false
		once.Do(func() { first = true })
		if !first {
			return nil
		}
		// A's request: hold it until B waits for A's load, then cancel A.
		close(arrived)
		if err := waitFor(r.Context(), "B waiting for A's load", func() bool { return c.schema.loads.waiting(key) == 1 }); err != nil {
			return err
		}
		cancelA()
		<-r.Context().Done()
		return r.Context().Err()
	})
	query := "SELECT num FROM `" + strconv.FormatInt(app, 10) + "`"
	errA := make(chan error, 1)
	go func() {
		_, err := readAll(ctxA, db, query)
		errA <- err
	}()
	<-arrived
	if _, err := readAll(context.Background(), db, query); err != nil {
		t.Fatalf("B, waiting for A's cancelled load: %v", err)
	}
	if err := <-errA; !errors.Is(err, context.Canceled) {
		t.Errorf("A: %v, want context.Canceled", err)
	}
}

// A load that panics releases the goroutines waiting for it, which then
// run it themselves.
func TestShareReleasesWaitersWhenTheLoadPanics(t *testing.T) {
	var g flightGroup
	ctx := context.Background()
	started, release := make(chan struct{}), make(chan struct{})
	go func() {
		defer func() { _ = recover() }()
		_, _ = share(ctx, &g, "k", func(context.Context) (int, error) {
			close(started)
			<-release
			panic("boom")
		})
	}()
	<-started
	type result struct {
		v   int
		err error
	}
	got := make(chan result, 1)
	go func() {
		v, err := share(ctx, &g, "k", func(context.Context) (int, error) { return 7, nil })
		got <- result{v, err}
	}()
	if err := waitFor(ctx, "a waiter", func() bool { return g.waiting("k") == 1 }); err != nil {
		t.Fatal(err)
	}
	close(release)
	if r := <-got; r.v != 7 || r.err != nil {
		t.Errorf("the waiter got %d, %v; want its own load's 7, nil", r.v, r.err)
	}
}
