package kintonetest

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
)

func TestPasswordAuth(t *testing.T) {
	srv := newServer(t, WithUser(User{Login: "admin", Password: "admin"}), WithUser(User{Login: "sato", Password: "s3cret", Name: "Sato"}))
	app := testApp(t, srv)
	path := "/k/v1/records.json?app=" + itoa(app)

	(&client{t: t, srv: srv, header: http.Header{}, http: &http.Client{}}).wantError("GET", path, nil, 401, "CB_AU01")
	passwordClient(t, srv, "sato", "wrong").wantError("GET", path, nil, 401, "CB_WA01")
	passwordClient(t, srv, "nobody", "x").wantError("GET", path, nil, 401, "CB_WA01")
	bad := &client{t: t, srv: srv, header: http.Header{"X-Cybozu-Authorization": {"%%%"}}, http: &http.Client{}}
	bad.wantError("GET", path, nil, 401, "CB_WA01")

	sato := passwordClient(t, srv, "sato", "s3cret")
	sato.ok("GET", path, nil)
	// A user who is not an admin may not change app settings.
	sato.wantError("POST", "/k/v1/preview/app/form/fields.json", map[string]any{
		"app": app, "properties": map[string]any{"x": map[string]any{"type": "NUMBER", "code": "x", "label": "x"}},
	}, 403, "CB_NO02")
	// A record written by sato carries sato as creator, with his name.
	res := sato.ok("POST", "/k/v1/record.json", map[string]any{"app": app, "record": map[string]any{"title": map[string]any{"value": "mine"}}})
	rec := sato.ok("GET", "/k/v1/record.json?app="+itoa(app)+"&id="+res["id"].(string), nil)["record"].(map[string]any)
	creator := rec["Created_by"].(map[string]any)["value"].(map[string]any)
	if creator["code"] != "sato" || creator["name"] != "Sato" {
		t.Fatalf("creator = %v", creator)
	}
	if len(srv.Requests()) == 0 || srv.Requests()[len(srv.Requests())-1].Auth != "password" {
		t.Fatalf("request log auth kind: %+v", srv.Requests())
	}
}

func TestBasicAuthLayer(t *testing.T) {
	srv := newServer(t, WithBasicAuth("gate", "keeper"))
	app := testApp(t, srv)
	path := "/k/v1/records.json?app=" + itoa(app)
	c := adminClient(t, srv)
	body := c.wantError("GET", path, nil, 401, "CB_AU01")
	if body == nil {
		t.Fatal("no body")
	}
	if r := c.do("GET", path, nil); r.Header.Get("WWW-Authenticate") == "" {
		t.Fatal("401 of the Basic layer has no WWW-Authenticate challenge")
	}
	c.header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("gate:wrong")))
	c.wantError("GET", path, nil, 401, "CB_AU01")
	c.header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte("gate:keeper")))
	c.ok("GET", path, nil)
}

func TestAPITokens(t *testing.T) {
	srv := newServer(t)
	app := testApp(t, srv)
	other := testApp2(t, srv)
	view := srv.AddAPIToken(app, ReadOnly())
	all := srv.AddAPIToken(other, AllPermissions())
	draft := srv.AddDraftAPIToken(app, AllPermissions())
	path := "/k/v1/records.json?app=" + itoa(app)
	add := map[string]any{"app": app, "records": numberedRecords(0, 1)}

	tokenClient(t, srv, view).ok("GET", path, nil)
	tokenClient(t, srv, view).wantError("POST", "/k/v1/records.json", add, 403, "GAIA_NO01")
	tokenClient(t, srv, all).wantError("GET", path, nil, 403, "GAIA_NO01")
	tokenClient(t, srv, "unknown").wantError("GET", path, nil, 400, "GAIA_IA02")
	tokenClient(t, srv, draft).wantError("GET", path, nil, 400, "GAIA_IA02")
	tokenClient(t, srv, view, srv.AddAPIToken(app, ReadOnly())).wantError("GET", path, nil, 400, "GAIA_DA03")
	// Two tokens of two apps open both, comma-separated or repeated.
	tokenClient(t, srv, view+","+all).ok("GET", "/k/v1/records.json?app="+itoa(other), nil)
	tokenClient(t, srv, view, all).ok("GET", path, nil)
	// Ten tokens are one too many.
	ten := make([]string, 10)
	for i := range ten {
		ten[i] = "t"
	}
	tokenClient(t, srv, strings.Join(ten, ",")).wantError("GET", path, nil, 400, "CB_VA01")
	// apps.json and preview/app.json refuse tokens.
	tokenClient(t, srv, view).wantError("GET", "/k/v1/apps.json", nil, 403, "GAIA_NO01")
	tokenClient(t, srv, all).wantError("POST", "/k/v1/preview/app.json", map[string]any{"name": "x"}, 403, "GAIA_NO01")
	// The settings getters accept any token of the app.
	tokenClient(t, srv, view).ok("GET", "/k/v1/app/form/fields.json?app="+itoa(app), nil)
	// Deploying activates a draft token.
	adminClient(t, srv).ok("POST", "/k/v1/preview/app/deploy.json", map[string]any{"apps": []map[string]any{{"app": app}}})
	tokenClient(t, srv, draft).ok("GET", path, nil)
}

func TestOAuthScopes(t *testing.T) {
	srv := newServer(t)
	app := testApp(t, srv)
	tok := srv.AddOAuthToken("admin", ScopeRecordRead)
	c := &client{t: t, srv: srv, header: http.Header{"Authorization": {"Bearer " + tok}}, http: &http.Client{}}
	c.ok("GET", "/k/v1/records.json?app="+itoa(app), nil)
	c.wantError("POST", "/k/v1/records.json", map[string]any{"app": app, "records": numberedRecords(0, 1)}, 403, "CB_NO02")
	c.header.Set("Authorization", "Bearer nope")
	c.wantError("GET", "/k/v1/records.json?app="+itoa(app), nil, 401, "CB_AU01")
}

func testApp2(t testing.TB, srv *Server) int64 {
	t.Helper()
	id, err := srv.CreateApp(App{Name: "Other", Fields: []Field{{Code: "title", Type: "SINGLE_LINE_TEXT"}, {Code: "num", Type: "NUMBER"}}})
	if err != nil {
		t.Fatal(err)
	}
	return id
}
