package kintonetest

import (
	"testing"
)

func TestRecordsWriteLimits(t *testing.T) {
	srv := newServer(t)
	app := testApp(t, srv)
	c := adminClient(t, srv)

	got := c.ok("POST", "/k/v1/records.json", map[string]any{"app": app, "records": numberedRecords(0, 100)})
	if ids := got["ids"].([]any); len(ids) != 100 || ids[0] != "1" || got["revisions"].([]any)[0] != "1" {
		t.Fatalf("add 100: %v", got)
	}
	e := c.wantError("POST", "/k/v1/records.json", map[string]any{"app": app, "records": numberedRecords(100, 101)}, 400, "CB_VA01")
	if _, ok := e["errors"].(map[string]any)["records"]; !ok {
		t.Fatalf("101 records: errors not keyed by records: %v", e)
	}
	// An empty array is fine and adds nothing.
	got = c.ok("POST", "/k/v1/records.json", map[string]any{"app": app, "records": []any{}})
	if len(got["ids"].([]any)) != 0 {
		t.Fatalf("empty add: %v", got)
	}
	// GET: at most 500 per request, offset at most 10,000.
	c.wantError("GET", "/k/v1/records.json?app="+itoa(app)+"&query=limit%20501", nil, 400, "GAIA_QU01")
	c.wantError("GET", "/k/v1/records.json?app="+itoa(app)+"&query=offset%2010001", nil, 400, "GAIA_QU02")
	got = c.ok("GET", "/k/v1/records.json?app="+itoa(app)+"&query=limit%20500%20offset%2010000", nil)
	if len(got["records"].([]any)) != 0 {
		t.Fatalf("offset beyond the data: %v", got)
	}
	// Delete: at most 100 ids.
	ids := make([]int64, 101)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	c.wantError("DELETE", "/k/v1/records.json", map[string]any{"app": app, "ids": ids}, 400, "CB_VA01")
	if st := srv.Stats(); st.Count("POST", "records") != 3 || st.Count("DELETE", "records") != 1 || st.Errors != 4 {
		t.Fatalf("stats: %+v", st)
	}
}

func TestRecordsValidationIsAtomic(t *testing.T) {
	srv := newServer(t)
	app := testApp(t, srv)
	c := adminClient(t, srv)
	recs := numberedRecords(0, 3)
	recs[2]["num"] = map[string]any{"value": "twelve"}
	recs[1]["color"] = map[string]any{"value": "green"}
	e := c.wantError("POST", "/k/v1/records.json", map[string]any{"app": app, "records": recs}, 400, "CB_VA01")
	errs := e["errors"].(map[string]any)
	// A number that does not parse is keyed with brackets (REST-API.md §6.1).
	for _, key := range []string{"records[2][num].value", "records[1].color.value"} {
		if _, ok := errs[key]; !ok {
			t.Errorf("errors lack %s: %v", key, errs)
		}
	}
	if n := countRecords(t, c, app, ""); n != 0 {
		t.Fatalf("a failed add left %d records", n)
	}
	// A field that is not {"value": ...} is named in the error.
	e = c.wantError("POST", "/k/v1/record.json", map[string]any{"app": app, "record": map[string]any{"num": map[string]any{"value": "1"}, "title": "bare"}}, 400, "CB_VA01")
	if _, ok := e["errors"].(map[string]any)["record.title"]; !ok {
		t.Fatalf("malformed field: %v", e)
	}
	// Unique: a duplicate title in the same request or against stored data.
	c.ok("POST", "/k/v1/record.json", map[string]any{"app": app, "record": numberedRecords(0, 1)[0]})
	c.wantError("POST", "/k/v1/record.json", map[string]any{"app": app, "record": numberedRecords(0, 1)[0]}, 400, "CB_VA01")
}

func TestUpdateByKeyUpsertAndRevision(t *testing.T) {
	srv := newServer(t)
	app := testApp(t, srv)
	c := adminClient(t, srv)
	c.ok("POST", "/k/v1/records.json", map[string]any{"app": app, "records": numberedRecords(0, 2)})
	got := c.ok("PUT", "/k/v1/records.json", map[string]any{"app": app, "upsert": true, "records": []any{
		map[string]any{"updateKey": map[string]any{"field": "title", "value": "r1"}, "record": map[string]any{"num": map[string]any{"value": "10"}}},
		map[string]any{"updateKey": map[string]any{"field": "title", "value": "new"}, "record": map[string]any{"num": map[string]any{"value": "11"}}},
	}})
	recs := got["records"].([]any)
	if recs[0].(map[string]any)["operation"] != "UPDATE" || recs[1].(map[string]any)["operation"] != "INSERT" || recs[0].(map[string]any)["revision"] != "2" {
		t.Fatalf("upsert: %v", got)
	}
	// Without upsert a key that matches nothing is GAIA_RE20.
	c.wantError("PUT", "/k/v1/records.json", map[string]any{"app": app, "records": []any{
		map[string]any{"updateKey": map[string]any{"field": "title", "value": "ghost"}, "record": map[string]any{}},
	}}, 400, "GAIA_RE20")
	// A stale revision is 409 GAIA_CO02 and changes nothing.
	// (record 2, "r1", is at revision 2 after the upsert.)
	c.wantError("PUT", "/k/v1/record.json", map[string]any{"app": app, "id": 2, "revision": 1, "record": map[string]any{"num": map[string]any{"value": "99"}}}, 409, "GAIA_CO02")
	if n := countRecords(t, c, app, "num = 99"); n != 0 {
		t.Fatal("a conflicting update was applied")
	}
	// Delete with a stale revision is refused, with the right one accepted.
	c.wantError("DELETE", "/k/v1/records.json", map[string]any{"app": app, "ids": []int{2}, "revisions": []int{7}}, 409, "GAIA_CO02")
	c.ok("DELETE", "/k/v1/records.json", map[string]any{"app": app, "ids": []int{2}, "revisions": []any{nil}})
	if n := countRecords(t, c, app, ""); n != 2 {
		t.Fatalf("records left: %d", n)
	}
}

func countRecords(t testing.TB, c *client, app int64, cond string) int {
	t.Helper()
	got := c.ok("GET", "/k/v1/records.json", map[string]any{"app": app, "query": cond + " limit 1", "totalCount": true})
	n, err := atoiStrict(got["totalCount"].(string))
	if err != nil {
		t.Fatal(err)
	}
	return n
}
