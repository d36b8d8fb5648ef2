package kintonetest

import (
	"bytes"
	"encoding/json"
	"testing"
)

// encoderJSON is what writeJSON wrote for v before the write answers were
// encoded by hand: json.Encoder without HTML escaping.
func encoderJSON(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestWriteAnswerBytes checks the answers of the record writes byte for
// byte against encoding/json's encoding of the values they used to be.
func TestWriteAnswerBytes(t *testing.T) {
	srv := newServer(t)
	app := testApp(t, srv)
	c := adminClient(t, srv)
	type updateResult struct {
		ID        string `json:"id"`
		Revision  string `json:"revision"`
		Operation string `json:"operation,omitempty"`
	}
	cases := []struct {
		method, path string
		body         any
		want         any
	}{
		{"POST", "/k/v1/record.json", map[string]any{"app": app, "record": numberedRecords(1, 1)[0]},
			map[string]string{"id": "1", "revision": "1"}},
		{"POST", "/k/v1/records.json", map[string]any{"app": app, "records": numberedRecords(2, 3)},
			map[string][]string{"ids": {"2", "3", "4"}, "revisions": {"1", "1", "1"}}},
		{"POST", "/k/v1/records.json", map[string]any{"app": app, "records": []any{}},
			map[string][]string{"ids": {}, "revisions": {}}},
		{"PUT", "/k/v1/record.json", map[string]any{"app": app, "id": 1, "record": numberedRecords(10, 1)[0]},
			map[string]string{"revision": "2"}},
		{"PUT", "/k/v1/records.json", map[string]any{"app": app, "records": []any{
			map[string]any{"id": 2, "record": numberedRecords(11, 1)[0]},
			map[string]any{"id": 3, "revision": 1, "record": numberedRecords(12, 1)[0]},
		}}, map[string][]updateResult{"records": {{ID: "2", Revision: "2"}, {ID: "3", Revision: "2"}}}},
		{"PUT", "/k/v1/records.json", map[string]any{"app": app, "upsert": true, "records": []any{
			map[string]any{"updateKey": map[string]any{"field": "title", "value": "r11"}, "record": map[string]any{}},
			map[string]any{"updateKey": map[string]any{"field": "title", "value": "new"}, "record": map[string]any{}},
		}}, map[string][]updateResult{"records": {{ID: "2", Revision: "3", Operation: "UPDATE"}, {ID: "5", Revision: "1", Operation: "INSERT"}}}},
		{"PUT", "/k/v1/records.json", map[string]any{"app": app, "records": []any{}},
			map[string][]updateResult{"records": {}}},
		{"DELETE", "/k/v1/records.json", map[string]any{"app": app, "ids": []int{4}}, struct{}{}},
		{"POST", "/k/v1/bulkRequest.json", map[string]any{"requests": []any{
			map[string]any{"method": "POST", "api": "/k/v1/records.json", "payload": map[string]any{"app": app, "records": numberedRecords(20, 2)}},
			map[string]any{"method": "PUT", "api": "/k/v1/record.json", "payload": map[string]any{"app": app, "id": 1, "record": map[string]any{}}},
			map[string]any{"method": "DELETE", "api": "/k/v1/records.json", "payload": map[string]any{"app": app, "ids": []int{5}}},
			map[string]any{"method": "POST", "api": "/k/v1/record.json", "payload": map[string]any{"app": app, "record": map[string]any{}}},
		}}, map[string][]any{"results": {
			map[string][]string{"ids": {"6", "7"}, "revisions": {"1", "1"}},
			map[string]string{"revision": "3"},
			struct{}{},
			map[string]string{"id": "8", "revision": "1"},
		}}},
	}
	for _, tc := range cases {
		r := c.do(tc.method, tc.path, tc.body)
		if want := encoderJSON(t, tc.want); string(r.Body) != want || r.Status != 200 {
			t.Errorf("%s %s: %d %q, want %q", tc.method, tc.path, r.Status, r.Body, want)
		}
	}
}
