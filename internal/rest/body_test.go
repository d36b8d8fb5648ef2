package rest

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// viaEncodingJSON is what encoding/json writes for a body, the types'
// own appenders aside: the reference the write bodies must match.
func viaEncodingJSON(t *testing.T, v any) string {
	t.Helper()
	type plainUpdate UpdateRecordsRequest // no appendJSON method
	type plainAdd addRecordsBody
	switch x := v.(type) {
	case UpdateRecordsRequest:
		v = plainUpdate(x)
	case addRecordsBody:
		v = plainAdd(x)
	case bulkBody:
		wire := make([]bulkWireRequest, len(x))
		for i, r := range x {
			wire[i] = r
			switch p := r.Payload.(type) {
			case UpdateRecordsRequest:
				wire[i].Payload = plainUpdate(p)
			case addRecordsBody:
				wire[i].Payload = plainAdd(p)
			}
		}
		v = struct {
			Requests []bulkWireRequest `json:"requests"`
		}{wire}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func TestWriteBodiesMatchEncodingJSON(t *testing.T) {
	rec := Values{"title": json.RawMessage(`"<a&b>\n"`), "tags": json.RawMessage(`["x","y"]`), "日付": json.RawMessage(`null`)}
	update := UpdateRecordsRequest{App: 7, Upsert: true, Records: []RecordUpdate{
		{ID: 5, Record: rec, Revision: 3},
		{UpdateKey: &UpdateKey{Field: "code", Value: `k"1`}, Record: Values{"n": json.RawMessage(`"1"`)}},
		{ID: 6}, // nothing to change: {"id":6}
	}}
	bodies := map[string]any{
		"add": addRecordsBody{App: 12, Records: []Values{rec, rec, {}, {"a": json.RawMessage(`{"code":"u"}`)},
			{"b": json.RawMessage(`"1"`), "a": json.RawMessage(`"2"`)}, {"a": json.RawMessage(`"3"`), "c": json.RawMessage(`"4"`)}, rec}},
		"update":       update,
		"empty update": UpdateRecordsRequest{App: 1, Records: []RecordUpdate{{}}},
		"bulk": bulkBody{
			{Method: "POST", API: "/k/v1/records.json", Payload: addRecordsBody{App: 1, Records: []Values{rec}}},
			{Method: "PUT", API: "/k/guest/3/v1/records.json", Payload: update},
			{Method: "DELETE", API: "/k/v1/records.json", Payload: deleteBody{App: 1, IDs: []int64{1, 2}, Revisions: []int64{4, 5}}},
		},
	}
	for name, body := range bodies {
		got, err := marshal(body)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if want := viaEncodingJSON(t, body); string(got) != want {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
		// The size hint is enough for the whole body: one allocation.
		if hint := body.(sizer).sizeJSON(); hint < len(got) || hint > 2*len(got)+256 {
			t.Errorf("%s: size hint %d for a body of %d bytes", name, hint, len(got))
		}
	}
}

func TestWriteBodiesRefuseInvalidValues(t *testing.T) {
	bad := Values{"ok": json.RawMessage(`"x"`), "broken": json.RawMessage(`{"value"`)}
	for name, body := range map[string]any{
		"add":    addRecordsBody{App: 1, Records: []Values{{}, bad}},
		"update": UpdateRecordsRequest{App: 1, Records: []RecordUpdate{{ID: 1}, {ID: 2, Record: bad}}},
		"bulk":   bulkBody{{Method: "POST", API: "/k/v1/records.json", Payload: addRecordsBody{App: 1, Records: []Values{bad}}}},
	} {
		_, err := marshal(body)
		if err == nil || !strings.Contains(err.Error(), `field "broken"`) || !strings.Contains(err.Error(), "records[") {
			t.Errorf("%s: err = %v, want one naming the record and the field", name, err)
		}
	}
}

// TestParamsJSONMatchesEncodingJSON checks the JSON form of GET and DELETE
// parameters, every kind of them, against encoding/json's.
func TestParamsJSONMatchesEncodingJSON(t *testing.T) {
	p := &params{}
	p.id("app", 12)
	p.str("query", `title like "<a&b>" and x = "\u2028"`+"\n")
	p.flag("totalCount", true)
	p.list("fields", []string{"$id", "日付", `q"uote`})
	p.ints("ids", []int64{1, -2, 3})
	want := `{"app":"12","query":` + viaEncodingJSON(t, `title like "<a&b>" and x = "\u2028"`+"\n") +
		`,"totalCount":true,"fields":` + viaEncodingJSON(t, []string{"$id", "日付", `q"uote`}) + `,"ids":[1,-2,3]}`
	if got := string(p.json()); got != want {
		t.Errorf("params.json() =\n %s\nwant\n %s", got, want)
	}
}
