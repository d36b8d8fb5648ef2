package kintonetest

import "testing"

func TestCreateAppPreviewAndDeploy(t *testing.T) {
	srv := newServer(t)
	c := adminClient(t, srv)
	created := c.ok("POST", "/k/v1/preview/app.json", map[string]any{"name": "Made by API"})
	app := created["app"].(string)
	c.ok("POST", "/k/v1/preview/app/form/fields.json", map[string]any{"app": app, "properties": map[string]any{
		"title": map[string]any{"type": "SINGLE_LINE_TEXT", "code": "title", "label": "Title"},
	}})
	// Before the deploy the live form has no "title".
	if _, ok := c.ok("GET", "/k/v1/app/form/fields.json?app="+app, nil)["properties"].(map[string]any)["title"]; ok {
		t.Fatal("an undeployed field is live")
	}
	c.ok("POST", "/k/v1/preview/app/deploy.json", map[string]any{"apps": []any{map[string]any{"app": app}}})
	st := c.ok("GET", "/k/v1/preview/app/deploy.json?apps[0]="+app, nil)["apps"].([]any)[0].(map[string]any)
	if st["status"] != "SUCCESS" {
		t.Fatalf("deploy status: %v", st)
	}
	props := c.ok("GET", "/k/v1/app/form/fields.json?app="+app, nil)["properties"].(map[string]any)
	if props["title"].(map[string]any)["type"] != "SINGLE_LINE_TEXT" {
		t.Fatalf("fields after deploy: %v", props)
	}
	c.ok("POST", "/k/v1/record.json", map[string]any{"app": app, "record": map[string]any{"title": map[string]any{"value": "dup"}}})
	c.ok("POST", "/k/v1/record.json", map[string]any{"app": app, "record": map[string]any{"title": map[string]any{"value": "dup"}}})

	// Making "title" unique over duplicate values fails the deploy; the
	// failure shows in the status, the live form is unchanged, and a draft
	// token of the app stays a draft.
	draft := srv.AddDraftAPIToken(mustAtoi(t, app), ReadOnly())
	c.ok("PUT", "/k/v1/preview/app/form/fields.json", map[string]any{"app": app, "properties": map[string]any{
		"title": map[string]any{"unique": true},
	}})
	c.ok("POST", "/k/v1/preview/app/deploy.json", map[string]any{"apps": []any{map[string]any{"app": app}}})
	st = c.ok("GET", "/k/v1/preview/app/deploy.json?apps[0]="+app, nil)["apps"].([]any)[0].(map[string]any)
	if st["status"] != "FAIL" {
		t.Fatalf("deploy over duplicates: %v", st)
	}
	if c.ok("GET", "/k/v1/app/form/fields.json?app="+app, nil)["properties"].(map[string]any)["title"].(map[string]any)["unique"] == true {
		t.Fatal("a failed deploy changed the live form")
	}
	tokenClient(t, srv, draft).wantError("GET", "/k/v1/records.json?app="+app, nil, 400, "GAIA_IA02")
}

func mustAtoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := atoiStrict(s)
	if err != nil {
		t.Fatal(err)
	}
	return int64(n)
}
