package rest

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// TestScannerRejectsInvalidJSON feeds the scanner documents that are
// invalid in every part it walks: keys, record values, skipped values.
func TestScannerRejectsInvalidJSON(t *testing.T) {
	bad := []string{
		``, ` `, `{`, `{"records"`, `{"records":`, `{"records":[`, `{"records":[{`,
		`{"records":[]`, `{"records":[]}}`, `{"records":[]} x`, `{"records":[],}`, `{"records":[,]}`,
		`{"records":[{"a":{"type":"NUMBER","value":"1"},}]}`, `{"records":[{"a":{"type":"NUMBER" "value":"1"}}]}`,
		`{records:[]}`, `{"records" []}`, `{"x":01}`, `{"x":1.}`, `{"x":-}`, `{"x":.5}`, `{"x":1e}`, `{"x":+1}`,
		`{"x":tru}`, `{"x":nul}`, `{"x":True}`, `{"x":"a\x01b"}`, `{"x":"\q"}`, `{"x":"\u12G4"}`, `{"x":"\u12"}`,
		`{"x":"unterminated}`, `{"x":[1 2]}`, `{"x":{"a" 1}}`, `{"x":{"a":1 "b":2}}`, `{"x":[1,]}`, `{"x":{1:2}}`,
		`{"records":[{"a":{"type":"NUMBER","value":[1,}}]}`, `{"records":[{"a":{"type":"NUMBER","value":"\x1f"}}]}`,
		`{"totalCount":"1",}`, `{"next":tru}`, `{"a":1}{"b":2}`, "{\"x\":\"\\",
		strings.Repeat("[", maxDepth+2),
		`{"x":` + strings.Repeat("[", maxDepth+1) + strings.Repeat("]", maxDepth+1) + `}`,
	}
	for _, in := range bad {
		if json.Valid([]byte(in)) {
			t.Fatalf("test case is valid JSON: %q", in)
		}
		if _, err := decodeRecordsPage(strings.NewReader(in), 0); err == nil {
			t.Errorf("accepted invalid JSON %.60q", in)
		}
	}
	good := []string{
		`{"x":[1,-0,0.5,-1.25e+10,2E-3,true,false,null,"\"\\\/\b\f\n\r\t\u00e9",{},[],{"a":[{}]}],"records":[]}`,
		"\t{ \"records\" : [ ] , \"next\" : false }\n",
		`{"records":[{"a":{"value":{"deep":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `},"type":"X"}}]}`,
	}
	for _, in := range good {
		if _, err := decodeRecordsPage(strings.NewReader(in), 0); err != nil {
			t.Errorf("rejected %q: %v", in, err)
		}
	}
}

// FuzzDecodeRecordsPage checks that the scanner never panics and never
// accepts what encoding/json calls invalid, and that on a records page both
// agree on every field.
func FuzzDecodeRecordsPage(f *testing.F) {
	f.Add([]byte(samplePage))
	f.Add([]byte(`{"records":[],"next":true}`))
	f.Add([]byte(`{"record":{"a":{"type":"NUMBER","value":"1"}}}`))
	f.Add([]byte(`{"x":"\u00e9\\"}`))
	f.Add([]byte(`{"records":[{"\u30bf":{"type":"SUBTABLE","value":[{"id":"1","value":{}}]}}],"totalCount":"3"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		page, err := decodeRecordsPage(bytes.NewReader(in), 0)
		if err != nil {
			return
		}
		if !json.Valid(in) {
			t.Fatalf("accepted invalid JSON %q", in)
		}
		var want struct {
			Records []map[string]struct {
				Type  json.RawMessage `json:"type"`
				Value json.RawMessage `json:"value"`
			} `json:"records"`
		}
		if json.Unmarshal(in, &want) != nil || len(want.Records) != len(page.Records) {
			return // another shape (a "record" answer, duplicate keys, ...)
		}
		for i, r := range page.Records {
			for _, fl := range r {
				w, ok := want.Records[i][fl.Code]
				if !ok {
					t.Fatalf("record %d: field %q not found by encoding/json", i, fl.Code)
				}
				if len(w.Value) > 0 && !bytes.Equal(w.Value, fl.Value) && len(r) == len(want.Records[i]) {
					t.Fatalf("record %d field %q: value %s, encoding/json %s", i, fl.Code, fl.Value, w.Value)
				}
			}
		}
	})
}

// TestScannerPresizeUnevenRecords reads pages whose first record is much
// smaller or much larger than the rest: presizing from the first record
// misses, and the records must still come out whole and in order.
func TestScannerPresizeUnevenRecords(t *testing.T) {
	small := `{"a":{"type":"NUMBER","value":"1"}}`
	big := `{"a":{"type":"NUMBER","value":"2"},"b":{"type":"SINGLE_LINE_TEXT","value":"` + strings.Repeat("x", 500) + `"},"c":{"type":"NUMBER","value":"3"}}`
	for _, recs := range [][]string{
		{small, big, big, big, big},
		{big, small, small, small, small, small, small, small, small, small, small, small},
		{small},
		{`{}`, small, `{}`, big},
	} {
		page := `{"records":[` + strings.Join(recs, ",") + `]}`
		got, err := decodeRecordsPage(strings.NewReader(page), 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Records) != len(recs) {
			t.Fatalf("%d records, want %d", len(got.Records), len(recs))
		}
		for i, r := range got.Records {
			var want map[string]json.RawMessage
			if err := json.Unmarshal([]byte(recs[i]), &want); err != nil {
				t.Fatal(err)
			}
			if len(r) != len(want) || len(r) > 0 && string(r[0].Code) != "a" {
				t.Errorf("record %d = %v, want %d fields", i, r, len(want))
			}
		}
	}
}
