package kintone_test

import (
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/dsn"
	"github.com/kintone-sql/kintone/kintonetest"
	"github.com/kintone-sql/kintone/translate"
)

// Table names resolve by alias, ID, app code and unique name; a name two
// apps share is an error naming both, and with API tokens only the apps the
// DSN names can be found by name.
func TestTableNameResolution(t *testing.T) {
	srv := newEmulator(t)
	fields := []kintonetest.Field{{Code: "num", Type: "NUMBER"}}
	a, err := srv.CreateApp(kintonetest.App{Name: "Twin", Code: "TWIN_A", Fields: fields})
	if err != nil {
		t.Fatal(err)
	}
	b, err := srv.CreateApp(kintonetest.App{Name: "Twin", Fields: fields})
	if err != nil {
		t.Fatal(err)
	}
	solo, err := srv.CreateApp(kintonetest.App{Name: "Solo app", Fields: fields})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.AddRecords(a, kintonetest.Record{"num": "1"}); err != nil {
		t.Fatal(err)
	}
	db := openDB(t, srv.DSN()+"?apps=mine:"+itoa(a))
	for _, name := range []string{"mine", "`" + itoa(a) + "`", "TWIN_A"} {
		if n := countRows(t, db, "SELECT num FROM "+name); n != 1 {
			t.Errorf("%s: %d rows, want app %d's 1", name, n, a)
		}
	}
	if n := countRows(t, db, "SELECT num FROM `Solo app`"); n != 0 {
		t.Errorf("Solo app: %d rows", n)
	}
	_, err = db.Query("SELECT num FROM Twin")
	var amb *kintone.AmbiguousTableError
	if !errors.As(err, &amb) || len(amb.IDs) != 2 || amb.IDs[0] != a || amb.IDs[1] != b {
		t.Fatalf("a shared name: %v, want an *AmbiguousTableError naming apps %d and %d", err, a, b)
	}
	_, err = db.Query("SELECT num FROM Nowhere")
	if !errors.Is(err, translate.ErrUnknownTable) || !strings.Contains(err.Error(), "Nowhere") {
		t.Fatalf("an unknown name: %v", err)
	}

	// API tokens cannot list apps: names resolve among the apps the DSN names.
	tok := srv.AddAPIToken(solo, kintonetest.ReadOnly())
	tdb := openDB(t, srv.TokenDSN(tok)+"&appId="+itoa(solo))
	if n := countRows(t, tdb, "SELECT num FROM `Solo app`"); n != 0 {
		t.Errorf("by name with a token: %d rows", n)
	}
	if _, err := tdb.Query("SELECT num FROM TWIN_A"); !errors.Is(err, translate.ErrUnknownTable) {
		t.Fatalf("an app the DSN does not name, with a token: %v", err)
	}
}

// phaseTransport holds the requests of each phase, a multiset of paths,
// until all of them have arrived, so that a client sending them one after
// the other fails (after a few seconds) instead of passing. A request joins
// the first phase still waiting for its path; requests no phase names pass.
// The failures are kept in errs too, as the driver may retry the request.
type phaseTransport struct {
	next   http.RoundTripper
	mu     sync.Mutex
	phases []*phase
	errs   []error
}

type phase struct {
	want map[string]int
	left int
	all  chan struct{}
}

func newPhaseTransport(phases ...[]string) *phaseTransport {
	t := &phaseTransport{next: http.DefaultTransport}
	for _, paths := range phases {
		p := &phase{want: map[string]int{}, left: len(paths), all: make(chan struct{})}
		for _, path := range paths {
			p.want[path]++
		}
		t.phases = append(t.phases, p)
	}
	return t
}

func (t *phaseTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.mu.Lock()
	var joined *phase
	for _, p := range t.phases {
		if p.want[r.URL.Path] > 0 {
			p.want[r.URL.Path]--
			if p.left--; p.left == 0 {
				close(p.all)
			}
			joined = p
			break
		}
	}
	t.mu.Unlock()
	if joined != nil {
		select {
		case <-joined.all:
		case <-time.After(5 * time.Second):
			err := fmt.Errorf("%s was sent without the rest of its round trip: the metadata requests did not go out together", r.URL.Path)
			t.mu.Lock()
			t.errs = append(t.errs, err)
			t.mu.Unlock()
			return nil, err
		}
	}
	return t.next.RoundTrip(r)
}

// A first query costs the fewest requests in the fewest round trips. A
// table named by name or code costs two apps.json requests sent together
// (apps.json's filters combine with AND), which give the app's ID, code and
// name; then the form's fields and layout, sent together. A table named by
// ID or DSN alias costs no lookup: app.json, for its code and name, goes
// with the form's two requests. Then the records.
func TestFirstQueryRequestsAndRoundTrips(t *testing.T) {
	srv := newEmulator(t)
	fields := []kintonetest.Field{{Code: "num", Type: "NUMBER"}}
	if _, err := srv.CreateApp(kintonetest.App{Name: "Plain name", Fields: fields}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.CreateApp(kintonetest.App{Name: "Coded", Code: "CODED", Fields: fields}); err != nil {
		t.Fatal(err)
	}
	byID, err := srv.CreateApp(kintonetest.App{Name: "By ID", Fields: fields})
	if err != nil {
		t.Fatal(err)
	}
	lookup := []string{"/k/v1/apps.json", "/k/v1/apps.json"}
	form := []string{"/k/v1/app/form/fields.json", "/k/v1/app/form/layout.json"}
	appForm := append([]string{"/k/v1/app.json"}, form...)
	tests := []struct {
		table  string
		phases [][]string // the round trips before the records', each sent at once
		want   map[string]int64
	}{
		{"`Plain name`", [][]string{lookup, form},
			map[string]int64{"GET apps": 2, "GET app/form/fields": 1, "GET app/form/layout": 1, "GET records": 1}},
		{"CODED", [][]string{lookup, form},
			map[string]int64{"GET apps": 2, "GET app/form/fields": 1, "GET app/form/layout": 1, "GET records": 1}},
		{"`" + itoa(byID) + "`", [][]string{appForm},
			map[string]int64{"GET app": 1, "GET app/form/fields": 1, "GET app/form/layout": 1, "GET records": 1}},
		{"mine", [][]string{appForm},
			map[string]int64{"GET app": 1, "GET app/form/fields": 1, "GET app/form/layout": 1, "GET records": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.table, func(t *testing.T) {
			cfg, err := dsn.Parse(srv.DSN() + "?apps=mine:" + itoa(byID))
			if err != nil {
				t.Fatal(err)
			}
			pt := newPhaseTransport(tt.phases...)
			hc := &http.Client{Transport: pt}
			defer http.DefaultTransport.(*http.Transport).CloseIdleConnections()
			db := sql.OpenDB(kintone.NewConnector(cfg, kintone.WithHTTPClient(hc)))
			defer db.Close()
			srv.ResetStats()
			if n := countRows(t, db, "SELECT num FROM "+tt.table); n != 0 {
				t.Errorf("%d rows of an empty app", n)
			}
			pt.mu.Lock()
			defer pt.mu.Unlock()
			for _, err := range pt.errs {
				t.Error(err)
			}
			got := srv.Stats().ByEndpoint
			if !maps.Equal(got, tt.want) {
				t.Errorf("requests %v, want %v", got, tt.want)
			}
		})
	}
}

// The concurrent metadata requests fail as the sequential ones did: an app
// ID that does not exist is an unknown table (app.json's 404 wins over the
// form's), and a failing form request fails the statement and is not
// cached.
func TestSchemaLoadErrors(t *testing.T) {
	srv := newEmulator(t)
	app, err := srv.CreateApp(kintonetest.App{Name: "Plain name", Fields: []kintonetest.Field{{Code: "num", Type: "NUMBER"}}})
	if err != nil {
		t.Fatal(err)
	}
	db := openDB(t, srv.DSN())
	if _, err := db.Query("SELECT num FROM `99999`"); !errors.Is(err, translate.ErrUnknownTable) {
		t.Fatalf("an app ID that does not exist: %v, want ErrUnknownTable", err)
	}
	srv.InjectFault(kintonetest.Fault{Method: "GET", Resource: "app/form/layout", Status: 500, Times: 1})
	_, err = db.Query("SELECT num FROM `Plain name`")
	var ae *kintone.APIError
	if !errors.As(err, &ae) || ae.Status != 500 {
		t.Fatalf("a failing layout request: %v, want its *APIError", err)
	}
	if n := countRows(t, db, "SELECT num FROM `Plain name`"); n != 0 {
		t.Errorf("after the failure: %d rows of app %d", n, app)
	}
}

// With API tokens a name resolves among the apps the DSN names, which
// app.json reads one app at a time: the three requests go out together,
// one round trip, then the form's two.
func TestTokenNameLookupReadsTheDSNAppsAtOnce(t *testing.T) {
	srv := newEmulator(t)
	fields := []kintonetest.Field{{Code: "num", Type: "NUMBER"}}
	var ids, tokens []string
	for _, name := range []string{"First", "Second", "Third"} {
		app, err := srv.CreateApp(kintonetest.App{Name: name, Fields: fields})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, itoa(app))
		tokens = append(tokens, srv.AddAPIToken(app, kintonetest.ReadOnly()))
	}
	cfg, err := dsn.Parse(srv.TokenDSN(tokens...) + "&apps=a:" + ids[0] + ",b:" + ids[1] + ",c:" + ids[2])
	if err != nil {
		t.Fatal(err)
	}
	pt := newPhaseTransport([]string{"/k/v1/app.json", "/k/v1/app.json", "/k/v1/app.json"},
		[]string{"/k/v1/app/form/fields.json", "/k/v1/app/form/layout.json"})
	defer http.DefaultTransport.(*http.Transport).CloseIdleConnections()
	db := sql.OpenDB(kintone.NewConnector(cfg, kintone.WithHTTPClient(&http.Client{Transport: pt})))
	defer db.Close()
	srv.ResetStats()
	if n := countRows(t, db, "SELECT num FROM Second"); n != 0 {
		t.Errorf("%d rows of an empty app", n)
	}
	pt.mu.Lock()
	defer pt.mu.Unlock()
	for _, err := range pt.errs {
		t.Error(err)
	}
	want := map[string]int64{"GET app": 3, "GET app/form/fields": 1, "GET app/form/layout": 1, "GET records": 1}
	if got := srv.Stats().ByEndpoint; !maps.Equal(got, want) {
		t.Errorf("requests %v, want %v", got, want)
	}
}
