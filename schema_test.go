package kintone_test

import (
	"database/sql"
	"errors"
	"fmt"
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

// barrierTransport holds each request for one of the paths in wait until
// all of them have arrived, so that a client sending them one after the
// other fails (after a few seconds) instead of passing.
type barrierTransport struct {
	next    http.RoundTripper
	wait    map[string]bool
	mu      sync.Mutex
	arrived int
	all     chan struct{}
}

func (b *barrierTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if b.wait[r.URL.Path] {
		b.mu.Lock()
		b.arrived++
		if b.arrived == len(b.wait) {
			close(b.all)
		}
		b.mu.Unlock()
		select {
		case <-b.all:
		case <-time.After(5 * time.Second):
			return nil, fmt.Errorf("%s was sent alone: the metadata requests did not go out together", r.URL.Path)
		}
	}
	return b.next.RoundTrip(r)
}

// Loading an app costs the fewest requests and one round trip: the code
// or name lookup already gives the app's code and name, so app.json is
// not asked, and the form's fields and layout (and app.json for an app
// named by ID) are asked at once.
func TestSchemaLoadsAnAppInOneRoundTrip(t *testing.T) {
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
	tests := []struct {
		table string
		wait  []string // requests that must be in flight together
		want  map[string]int64
	}{
		{"`Plain name`", []string{"/k/v1/app/form/fields.json", "/k/v1/app/form/layout.json"},
			map[string]int64{"GET apps": 2, "GET app/form/fields": 1, "GET app/form/layout": 1}},
		{"CODED", []string{"/k/v1/app/form/fields.json", "/k/v1/app/form/layout.json"},
			map[string]int64{"GET apps": 1, "GET app/form/fields": 1, "GET app/form/layout": 1}},
		{"`" + itoa(byID) + "`", []string{"/k/v1/app.json", "/k/v1/app/form/fields.json", "/k/v1/app/form/layout.json"},
			map[string]int64{"GET app": 1, "GET app/form/fields": 1, "GET app/form/layout": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.table, func(t *testing.T) {
			cfg, err := dsn.Parse(srv.DSN())
			if err != nil {
				t.Fatal(err)
			}
			bt := &barrierTransport{next: http.DefaultTransport, wait: map[string]bool{}, all: make(chan struct{})}
			for _, p := range tt.wait {
				bt.wait[p] = true
			}
			hc := &http.Client{Transport: bt}
			defer http.DefaultTransport.(*http.Transport).CloseIdleConnections()
			db := sql.OpenDB(kintone.NewConnector(cfg, kintone.WithHTTPClient(hc)))
			defer db.Close()
			srv.ResetStats()
			rows, err := db.Query("SELECT num FROM " + tt.table + " LIMIT 0")
			if err != nil {
				t.Fatal(err)
			}
			cols, err := rows.Columns()
			rows.Close()
			if err != nil || len(cols) != 1 {
				t.Fatalf("columns %v, %v", cols, err)
			}
			got := srv.Stats().ByEndpoint
			if len(got) != len(tt.want) {
				t.Errorf("requests %v, want %v", got, tt.want)
			}
			for k, v := range tt.want {
				if got[k] != v {
					t.Errorf("requests %v, want %v", got, tt.want)
					break
				}
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
