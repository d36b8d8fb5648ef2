package kintonetest

import (
	"net/http"
	"strings"
	"testing"
)

func TestRoutingErrors(t *testing.T) {
	srv := newServer(t)
	app := testApp(t, srv)
	guestApp, err := srv.CreateApp(App{Name: "Guest", GuestSpace: 5, Fields: []Field{{Code: "t", Type: "SINGLE_LINE_TEXT"}}})
	if err != nil {
		t.Fatal(err)
	}
	c := adminClient(t, srv)
	tests := []struct {
		name, method, path string
		status             int
		code               string
	}{
		{"unknown resource", "GET", "/k/v1/nothing.json", 404, "CB_NF01"},
		{"no .json", "GET", "/k/v1/records", 404, "CB_NF01"},
		{"bad guest id", "GET", "/k/guest/x/v1/records.json?app=1", 404, "CB_NF01"},
		{"method not allowed", "PATCH", "/k/v1/records.json", 405, "CB_IL02"},
		{"delete on record.json", "DELETE", "/k/v1/record.json", 405, "CB_IL02"},
		{"guest app through /k/v1/", "GET", "/k/v1/records.json?app=" + itoa(guestApp), 400, "GAIA_IL23"},
		{"missing app", "GET", "/k/v1/records.json?app=999", 404, "GAIA_AP01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c.t = t
			c.wantError(tt.method, tt.path, nil, tt.status, tt.code)
		})
	}
	c.t = t
	// The guest app answers through its guest path, the normal app does not.
	got := c.ok("GET", "/k/guest/5/v1/records.json?app="+itoa(guestApp), nil)
	if _, ok := got["records"]; !ok {
		t.Fatalf("guest records: %v", got)
	}
	if r := c.do("GET", "/k/guest/5/v1/records.json?app="+itoa(app), nil); r.Status == 200 {
		t.Fatalf("a normal app answered through a guest path: %s", r.Body)
	}
}

func TestParamsQueryStringAndBody(t *testing.T) {
	srv := newServer(t)
	app := testApp(t, srv)
	if _, err := srv.AddRecords(app, Record{"title": "a", "num": "1"}, Record{"title": "b", "num": "2"}); err != nil {
		t.Fatal(err)
	}
	c := adminClient(t, srv)
	// Percent-encoded brackets, as @kintone/rest-api-client sends them.
	q := "/k/v1/records.json?app=" + itoa(app) + "&fields%5B0%5D=title&fields%5B1%5D=%24id&query=num%20%3E%201&totalCount=true"
	got := c.ok("GET", q, nil)
	recs := got["records"].([]any)
	if len(recs) != 1 || got["totalCount"] != "1" {
		t.Fatalf("query string form: %v", got)
	}
	rec := recs[0].(map[string]any)
	if len(rec) != 2 || rec["title"] == nil || rec["$id"] == nil {
		t.Fatalf("fields filter: %v", rec)
	}
	// The same as a JSON body on GET (the Go SDK does this), with numbers
	// given as JSON numbers and strings alike.
	got = c.ok("GET", "/k/v1/records.json", map[string]any{"app": app, "fields": []string{"title"}, "query": "num > 1", "totalCount": true})
	if got["totalCount"] != "1" {
		t.Fatalf("JSON body form: %v", got)
	}
	// POST with X-HTTP-Method-Override: GET.
	c.header.Set("X-HTTP-Method-Override", "GET")
	got = c.ok("POST", "/k/v1/records.json", map[string]any{"app": itoa(app), "query": "num >= 1", "totalCount": "true"})
	if got["totalCount"] != "2" {
		t.Fatalf("method override: %v", got)
	}
	c.header.Set("X-HTTP-Method-Override", "get")
	c.wantError("POST", "/k/v1/records.json", map[string]any{"app": app}, 405, "CB_IL02")
	c.header.Del("X-HTTP-Method-Override")
	// A body that is not JSON.
	req, _ := http.NewRequest("POST", srv.URL+"/k/v1/records.json", strings.NewReader("{not json"))
	req.Header = c.header.Clone()
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 400 {
		t.Fatalf("invalid JSON: status %d", res.StatusCode)
	}
}

func TestURLLimit(t *testing.T) {
	srv := newServer(t)
	app := testApp(t, srv)
	c := adminClient(t, srv)
	long := "/k/v1/records.json?app=" + itoa(app) + "&query=" + strings.Repeat("x", 8*1024)
	r := c.do("GET", long, nil)
	if r.Status != http.StatusRequestURITooLong {
		t.Fatalf("8 KB URL: status %d", r.Status)
	}
	// Just under the limit is served (as a query error, since the query is garbage).
	short := "/k/v1/records.json?app=" + itoa(app) + "&query=" + strings.Repeat("x", 7*1024)
	if r := c.do("GET", short, nil); r.Status == http.StatusRequestURITooLong {
		t.Fatal("7 KB URL refused")
	}
}
