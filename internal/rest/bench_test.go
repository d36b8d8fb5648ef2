package rest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
)

// benchPage is a 500-record page with the field mix of a typical app:
// system fields, text, numbers, dates, a checkbox, a user selection and a
// two-row subtable.
func benchPage() []byte {
	var b bytes.Buffer
	b.WriteString(`{"records":[`)
	for i := range 500 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"$id":{"type":"__ID__","value":"%d"},"$revision":{"type":"__REVISION__","value":"3"},`+
			`"Record_number":{"type":"RECORD_NUMBER","value":"%d"},`+
			`"Created_by":{"type":"CREATOR","value":{"code":"alice","name":"Alice"}},`+
			`"Created_datetime":{"type":"CREATED_TIME","value":"2026-04-23T14:11:00Z"},`+
			`"Updated_datetime":{"type":"UPDATED_TIME","value":"2026-04-23T14:11:00Z"},`+
			`"title":{"type":"SINGLE_LINE_TEXT","value":"record number %d with some text"},`+
			`"memo":{"type":"MULTI_LINE_TEXT","value":"line one\nline two \"quoted\""},`+
			`"num":{"type":"NUMBER","value":"%d.25"},`+
			`"price":{"type":"CALC","value":"1234.5"},`+
			`"day":{"type":"DATE","value":"2026-04-23"},`+
			`"status":{"type":"DROP_DOWN","value":"open"},`+
			`"tags":{"type":"CHECK_BOX","value":["a","b"]},`+
			`"owner":{"type":"USER_SELECT","value":[{"code":"bob","name":"Bob"}]},`+
			`"items":{"type":"SUBTABLE","value":[{"id":"1","value":{"item":{"type":"SINGLE_LINE_TEXT","value":"x"},"qty":{"type":"NUMBER","value":"2"}}},`+
			`{"id":"2","value":{"item":{"type":"SINGLE_LINE_TEXT","value":"y"},"qty":{"type":"NUMBER","value":"3"}}}]}}`,
			i+1, i+1, i+1, i)
	}
	b.WriteString(`],"totalCount":null}`)
	return b.Bytes()
}

// BenchmarkDecodeRecordsPage compares the page scanner with decoding the
// same page into maps with encoding/json.
func BenchmarkDecodeRecordsPage(b *testing.B) {
	page := benchPage()
	b.Run("scanner", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for b.Loop() {
			p, err := decodeRecordsPage(bytes.NewReader(page), int64(len(page)))
			if err != nil || len(p.Records) != 500 {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json-maps", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		b.ReportAllocs()
		for b.Loop() {
			var p struct {
				Records []map[string]struct {
					Type  string          `json:"type"`
					Value json.RawMessage `json:"value"`
				} `json:"records"`
			}
			if err := json.NewDecoder(bytes.NewReader(page)).Decode(&p); err != nil || len(p.Records) != 500 {
				b.Fatal(err)
			}
		}
	})
}

// TestScannerMatchesEncodingJSON decodes the benchmark page both ways and
// compares every field.
func TestScannerMatchesEncodingJSON(t *testing.T) {
	page := benchPage()
	got, err := decodeRecordsPage(bytes.NewReader(page), 0)
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		Records []map[string]struct {
			Type  string          `json:"type"`
			Value json.RawMessage `json:"value"`
		} `json:"records"`
	}
	if err := json.Unmarshal(page, &want); err != nil {
		t.Fatal(err)
	}
	if len(got.Records) != len(want.Records) {
		t.Fatalf("%d records, want %d", len(got.Records), len(want.Records))
	}
	for i, r := range got.Records {
		if len(r) != len(want.Records[i]) {
			t.Fatalf("record %d: %d fields, want %d", i, len(r), len(want.Records[i]))
		}
		for _, f := range r {
			w := want.Records[i][f.Code]
			if string(f.Type) != w.Type || !bytes.Equal(f.Value, w.Value) {
				t.Fatalf("record %d field %s: {%s %s}, want {%s %s}", i, f.Code, f.Type, f.Value, w.Type, w.Value)
			}
		}
	}
}
