package rest

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
)

const samplePage = `{
  "records": [
    {
      "$id": {"type": "__ID__", "value": "12"},
      "$revision": {"type": "__REVISION__", "value": "3"},
      "title": {"type": "SINGLE_LINE_TEXT", "value": "a \"quoted\" \\ title, with [brackets] and {braces}"},
      "\u30bf\u30a4\u30c8\u30eb": {"value": "unicode code", "type": "SINGLE_LINE_TEXT"},
      "day": {"type": "DATE", "value": null},
      "tags": {"type": "CHECK_BOX", "value": ["a", "b"]},
      "who": {"type": "USER_SELECT", "value": [{"code": "u1", "name": "User \u00e9"}]},
      "table": {"type": "SUBTABLE", "value": [{"id": "368", "value": {"inner": {"type": "NUMBER", "value": "1.5"}}}]},
      "Created_by": {"type": "CREATOR", "value": {"code": "alice", "name": "Alice"}},
      "extra": {"type": "NUMBER", "value": "7", "unknownKey": {"nested": [1, 2, {"x": "y"}]}}
    },
    {"$id": {"type": "__ID__", "value": "13"}, "title": {"type": "SINGLE_LINE_TEXT", "value": ""}}
  ],
  "totalCount": "1092",
  "unknown": [true, false, null, -1.5e3]
}`

func TestDecodeRecordsPage(t *testing.T) {
	page, err := decodeRecordsPage(strings.NewReader(samplePage), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Records) != 2 || !page.HasTotalCount || page.TotalCount != 1092 || page.Next {
		t.Fatalf("page: %d records, total %d/%v, next %v", len(page.Records), page.TotalCount, page.HasTotalCount, page.Next)
	}
	r := page.Records[0]
	want := []struct {
		code  string
		typ   field.Type
		value string
	}{
		{"$id", "__ID__", `"12"`},
		{"$revision", "__REVISION__", `"3"`},
		{"title", field.SingleLineText, `"a \"quoted\" \\ title, with [brackets] and {braces}"`},
		{"タイトル", field.SingleLineText, `"unicode code"`},
		{"day", field.Date, `null`},
		{"tags", field.CheckBox, `["a", "b"]`},
		{"who", field.UserSelect, `[{"code": "u1", "name": "User \u00e9"}]`},
		{"table", field.Subtable, `[{"id": "368", "value": {"inner": {"type": "NUMBER", "value": "1.5"}}}]`},
		{"Created_by", field.Creator, `{"code": "alice", "name": "Alice"}`},
		{"extra", field.Number, `"7"`},
	}
	if len(r) != len(want) {
		t.Fatalf("record has %d fields, want %d", len(r), len(want))
	}
	for i, w := range want {
		if r[i].Code != w.code || r[i].Type != w.typ || string(r[i].Value) != w.value {
			t.Errorf("field %d = {%q %q %s}, want {%q %q %s}", i, r[i].Code, r[i].Type, r[i].Value, w.code, w.typ, w.value)
		}
	}
	if id, err := r.ID(); err != nil || id != 12 {
		t.Errorf("ID() = %d, %v", id, err)
	}
	if rev, err := r.Revision(); err != nil || rev != 3 {
		t.Errorf("Revision() = %d, %v", rev, err)
	}
	if f, ok := r.Field("タイトル"); !ok || string(f.Value) != `"unicode code"` {
		t.Errorf("Field(タイトル) = %v, %v", f, ok)
	}
	if _, ok := r.Field("nope"); ok {
		t.Error("Field(nope) found")
	}
	var title string
	if f, _ := r.Field("title"); json.Unmarshal(f.Value, &title) != nil || title != `a "quoted" \ title, with [brackets] and {braces}` {
		t.Errorf("title decodes to %q", title)
	}
	r2 := page.Records[1]
	if id, _ := r2.ID(); id != 13 || len(r2) != 2 {
		t.Errorf("second record %v", r2)
	}
	if _, err := r2.Revision(); err == nil || !strings.Contains(err.Error(), "$revision") {
		t.Errorf("Revision() of a record without it: %v", err)
	}
	// Appending to a record must not clobber the next one.
	_ = append(page.Records[0], Field{Code: "x"})
	if page.Records[1][0].Code != "$id" {
		t.Error("records share capacity")
	}
}

func TestDecodeRecordsPageShapes(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		ok         bool
		check      func(*RecordsPage) bool
	}{
		{"cursor page", `{"records":[],"next":true}`, true, func(p *RecordsPage) bool { return p.Next && !p.HasTotalCount }},
		{"cursor last page", `{"next":false,"records":[{"$id":{"type":"__ID__","value":"1"}}]}`, true,
			func(p *RecordsPage) bool { return !p.Next && len(p.Records) == 1 }},
		{"null total", `{"records":[],"totalCount":null}`, true, func(p *RecordsPage) bool { return !p.HasTotalCount }},
		{"numeric total", `{"records":[],"totalCount":5}`, true, func(p *RecordsPage) bool { return p.TotalCount == 5 }},
		{"single record", `{"record":{"a":{"type":"NUMBER","value":"1"}}}`, true, func(p *RecordsPage) bool { return len(p.Records) == 1 }},
		{"empty object", ` {} `, false, nil}, // a gateway's {} must not read as "no records"
		{"no records", `{"next":false,"totalCount":"0"}`, false, nil},
		{"not JSON", `<html>`, false, nil},
		{"truncated", `{"records":[{"a":{"type":"NUMBER","value":"1"}}`, false, nil},
		{"array", `[]`, false, nil},
		{"records not an array", `{"records":{}}`, false, nil},
		{"record not an object", `{"records":[1]}`, false, nil},
		{"field not an object", `{"records":[{"a":"1"}]}`, false, nil},
		{"type not a string", `{"records":[{"a":{"type":1,"value":"1"}}]}`, false, nil},
		{"bad total", `{"records":[],"totalCount":"many"}`, false, nil},
		{"record and records", `{"record":{},"records":[{}]}`, false, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := decodeRecordsPage(strings.NewReader(tt.body), int64(len(tt.body)))
			if tt.ok != (err == nil) {
				t.Fatalf("err = %v, want ok=%v", err, tt.ok)
			}
			if tt.ok && !tt.check(p) {
				t.Errorf("unexpected page %+v", p)
			}
		})
	}
}

func TestGetRecordsMalformed(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "text/html")
		_, _ = w.Write([]byte("<html>login page</html>"))
	})
	c, p := newClient(t, s, nil)
	_, err := c.GetRecords(context.Background(), GetRecordsRequest{App: 1})
	if err == nil || !strings.Contains(err.Error(), "GET /k/v1/records.json: gave up after 2 attempts") ||
		!strings.Contains(err.Error(), "each malformed response") {
		t.Errorf("error %v", err)
	}
	if p.attempts() != 2 { // a read is asked once more, then gives up
		t.Errorf("attempts = %d", p.attempts())
	}
}

func TestGetRecord(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		reply(w, 200, `{"record":{"$id":{"type":"__ID__","value":"1"},"$revision":{"type":"__REVISION__","value":"4"}}}`)
	})
	c, _ := newClient(t, s, nil)
	r, err := c.GetRecord(context.Background(), 1, 1)
	if err != nil {
		t.Fatal(err)
	}
	if rev, _ := r.Revision(); rev != 4 {
		t.Errorf("revision %d", rev)
	}
	s2 := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) { reply(w, 200, `{}`) })
	c2, _ := newClient(t, s2, nil)
	if _, err := c2.GetRecord(context.Background(), 1, 1); err == nil {
		t.Error("an answer without record succeeded")
	}
}

func TestGetRecordsTotalCount(t *testing.T) {
	s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
		reply(w, 200, `{"records":[{"$id":{"type":"__ID__","value":"3005"}}],"totalCount":"3"}`)
	})
	c, _ := newClient(t, s, nil)
	page, err := c.GetRecords(context.Background(), GetRecordsRequest{App: 1, TotalCount: true, Query: "limit 1"})
	if err != nil {
		t.Fatal(err)
	}
	if !page.HasTotalCount || page.TotalCount != 3 || len(page.Records) != 1 {
		t.Errorf("page %+v", page)
	}
	if got := s.last(t).RawQuery; got != "app=1&query=limit%201&totalCount=true" {
		t.Errorf("query %q", got)
	}
}

// A page carries the server's clock from the answer's Date header (the
// driver dates an ordered read's start by it), and zero without one.
func TestGetRecordsDate(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 30, 17, 0, time.UTC)
	for _, tc := range []struct {
		header []string
		want   time.Time
	}{
		{[]string{at.Format(http.TimeFormat)}, at},
		{nil, time.Time{}},
		{[]string{"yesterday"}, time.Time{}},
	} {
		s := newServer(t, func(w http.ResponseWriter, _ *http.Request, _ int) {
			w.Header()["Date"] = tc.header // nil: the server sends no Date
			reply(w, 200, `{"records":[],"totalCount":"0"}`)
		})
		c, _ := newClient(t, s, nil)
		for _, get := range []func() (*RecordsPage, error){
			func() (*RecordsPage, error) { return c.GetRecords(context.Background(), GetRecordsRequest{App: 1}) },
			func() (*RecordsPage, error) { return c.GetCursorPage(context.Background(), "c1") },
		} {
			page, err := get()
			if err != nil {
				t.Fatal(err)
			}
			if !page.Date.Equal(tc.want) {
				t.Errorf("Date header %q: page dated %v, want %v", tc.header, page.Date, tc.want)
			}
		}
	}
}

func TestRecordsPageTotal(t *testing.T) {
	if got := (&RecordsPage{TotalCount: 0, HasTotalCount: true}).Total(); got != 0 {
		t.Errorf("a total of 0 is %d", got)
	}
	if got := (&RecordsPage{TotalCount: 7}).Total(); got != -1 {
		t.Errorf("no total asked for is %d, want -1", got)
	}
}
