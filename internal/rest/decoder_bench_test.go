package rest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
)

// The decoder benchmark (issue 15): one op turns one 500-record page of 20
// fields of mixed types into Go values, two ways:
//
//   - driver: what a read does with a page, the page scanner
//     (decodeRecordsPage) and then Codec.DecodeField on every field into a
//     map per record, as internal/fetch's Pager.decode does;
//   - json-typed: encoding/json of the same page into a typed Go struct
//     (strings, []string, EntityRef, []EntityRef, subtable rows), the
//     comparison the issue sets as the target.
//
// ns/row is wall time per record; cpu-ns/row is the process's CPU time per
// record (user+system from getrusage, so it counts the garbage collector's
// background work, which wall time on a single goroutine hides).
//
//	go test -run '^$' -bench Decoder -benchmem -count 5 ./internal/rest/

const decoderPageRecords = 500

// decoderPage is a page of 20 fields per record: system fields, text with
// escapes, numbers, a CALC, a date and a date and time, a drop-down, a
// check box, a multi-select, a user selection, creator and modifier, a
// link and a two-row subtable.
func decoderPage() []byte {
	var b bytes.Buffer
	b.WriteString(`{"records":[`)
	for i := range decoderPageRecords {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"$id":{"type":"__ID__","value":"%d"},"$revision":{"type":"__REVISION__","value":"3"},`+
			`"Record_number":{"type":"RECORD_NUMBER","value":"%d"},`+
			`"Created_by":{"type":"CREATOR","value":{"code":"alice","name":"Alice Liddell"}},`+
			`"Updated_by":{"type":"MODIFIER","value":{"code":"bob","name":"Bob \u5c71\u7530"}},`+
			`"Created_datetime":{"type":"CREATED_TIME","value":"2026-04-23T14:11:00Z"},`+
			`"Updated_datetime":{"type":"UPDATED_TIME","value":"2026-04-%02dT09:%02d:00Z"},`+
			`"title":{"type":"SINGLE_LINE_TEXT","value":"record number %d with some text"},`+
			`"memo":{"type":"MULTI_LINE_TEXT","value":"line one\nline two \"quoted\""},`+
			`"num":{"type":"NUMBER","value":"%d.25"},`+
			`"price":{"type":"CALC","value":"1234.5"},`+
			`"day":{"type":"DATE","value":"2026-%02d-%02d"},`+
			`"at":{"type":"DATETIME","value":"2026-04-23T10:%02d:00Z"},`+
			`"status":{"type":"DROP_DOWN","value":"open"},`+
			`"tags":{"type":"CHECK_BOX","value":["sample","urgent"]},`+
			`"regions":{"type":"MULTI_SELECT","value":["Tokyo","Osaka","Nagoya"]},`+
			`"owner":{"type":"USER_SELECT","value":[{"code":"bob","name":"Bob"},{"code":"carol","name":"Carol"}]},`+
			`"link":{"type":"LINK","value":"https://example.com/r/%d"},`+
			`"empty":{"type":"SINGLE_LINE_TEXT","value":""},`+
			`"items":{"type":"SUBTABLE","value":[{"id":"%d","value":{"item":{"type":"SINGLE_LINE_TEXT","value":"x"},"qty":{"type":"NUMBER","value":"2"}}},`+
			`{"id":"%d","value":{"item":{"type":"SINGLE_LINE_TEXT","value":"y"},"qty":{"type":"NUMBER","value":"3"}}}]}}`,
			i+1, i+1, 1+i%28, i%60, i+1, i, 1+i%12, 1+i%28, i%60, i, 2*i+1, 2*i+2)
	}
	b.WriteString(`],"totalCount":"500"}`)
	return b.Bytes()
}

// decoderProps are the page's app's properties, as a read passes them.
func decoderProps() map[string]*field.Property {
	return map[string]*field.Property{
		"price": {Type: field.Calc, Code: "price", Format: "NUMBER"},
		"items": {Type: field.Subtable, Code: "items", Fields: map[string]*field.Property{
			"item": {Type: field.SingleLineText, Code: "item"},
			"qty":  {Type: field.Number, Code: "qty"},
		}},
	}
}

// The typed struct of the comparison.
type (
	tStr  struct{ Type, Value string }
	tStrs struct {
		Type  string
		Value []string
	}
	tEntity struct {
		Type  string
		Value field.EntityRef
	}
	tEntities struct {
		Type  string
		Value []field.EntityRef
	}
	tSubtable struct {
		Type  string
		Value []struct {
			ID    string `json:"id"`
			Value struct {
				Item tStr `json:"item"`
				Qty  tStr `json:"qty"`
			} `json:"value"`
		}
	}
	tRecord struct {
		ID              tStr      `json:"$id"`
		Revision        tStr      `json:"$revision"`
		RecordNumber    tStr      `json:"Record_number"`
		CreatedBy       tEntity   `json:"Created_by"`
		UpdatedBy       tEntity   `json:"Updated_by"`
		CreatedDatetime tStr      `json:"Created_datetime"`
		UpdatedDatetime tStr      `json:"Updated_datetime"`
		Title           tStr      `json:"title"`
		Memo            tStr      `json:"memo"`
		Num             tStr      `json:"num"`
		Price           tStr      `json:"price"`
		Day             tStr      `json:"day"`
		At              tStr      `json:"at"`
		Status          tStr      `json:"status"`
		Tags            tStrs     `json:"tags"`
		Regions         tStrs     `json:"regions"`
		Owner           tEntities `json:"owner"`
		Link            tStr      `json:"link"`
		Empty           tStr      `json:"empty"`
		Items           tSubtable `json:"items"`
	}
	tPage struct {
		Records    []tRecord `json:"records"`
		TotalCount *string   `json:"totalCount"`
	}
)

// driverDecode decodes a page as a read does.
func driverDecode(c field.Codec, page []byte, props map[string]*field.Property) ([]map[string]any, error) {
	p, err := decodeRecordsPage(bytes.NewReader(page), int64(len(page)))
	if err != nil {
		return nil, err
	}
	out := make([]map[string]any, len(p.Records))
	for i, r := range p.Records {
		rec := make(map[string]any, len(r))
		for _, f := range r {
			v, err := c.DecodeField(f.Code, f.Type, f.Value, props)
			if err != nil {
				return nil, err
			}
			rec[f.Code] = v
		}
		out[i] = rec
	}
	return out, nil
}

func BenchmarkDecoder(b *testing.B) {
	page := decoderPage()
	props := decoderProps()
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		loc = time.UTC
	}
	c := field.Codec{Location: loc}
	b.Run("driver", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		perRecord(b, decoderPageRecords, func() error {
			recs, err := driverDecode(c, page, props)
			if err == nil && len(recs) != decoderPageRecords {
				err = fmt.Errorf("%d records", len(recs))
			}
			return err
		})
	})
	b.Run("json-typed", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		perRecord(b, decoderPageRecords, func() error {
			var p tPage
			err := json.NewDecoder(bytes.NewReader(page)).Decode(&p)
			if err == nil && len(p.Records) != decoderPageRecords {
				err = fmt.Errorf("%d records", len(p.Records))
			}
			return err
		})
	})
}

// perRecord runs op under b.Loop and reports wall time, CPU time,
// allocations and bytes per record.
func perRecord(b *testing.B, recordsPerOp int, op func() error) {
	b.ReportAllocs()
	cpu0 := processCPU()
	for b.Loop() {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
	cpu := processCPU() - cpu0
	n := float64(b.N * recordsPerOp)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/row")
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/n, "cpu-ns/row")
	}
}

// TestDecoderPage keeps the benchmark's input honest: the driver decodes
// every field, the typed decode fills every field, and they agree.
func TestDecoderPage(t *testing.T) {
	page := decoderPage()
	recs, err := driverDecode(field.Codec{}, page, decoderProps())
	if err != nil {
		t.Fatal(err)
	}
	var p tPage
	if err := json.Unmarshal(page, &p); err != nil {
		t.Fatal(err)
	}
	if len(recs) != decoderPageRecords || len(p.Records) != decoderPageRecords {
		t.Fatalf("%d and %d records", len(recs), len(p.Records))
	}
	r, w := recs[7], p.Records[7]
	if len(r) != 20 {
		t.Fatalf("%d fields, want 20", len(r))
	}
	check := func(code string, got, want any) {
		t.Helper()
		if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", want) {
			t.Errorf("%s = %#v, want %#v", code, got, want)
		}
	}
	check("$id", r["$id"], int64(8))
	check("title", r["title"], w.Title.Value)
	check("memo", r["memo"], w.Memo.Value)
	check("num", r["num"], field.Decimal(w.Num.Value))
	check("price", r["price"], field.Decimal(w.Price.Value))
	check("tags", r["tags"], w.Tags.Value)
	check("regions", r["regions"], w.Regions.Value)
	check("Created_by", r["Created_by"], w.CreatedBy.Value)
	check("Updated_by", r["Updated_by"], w.UpdatedBy.Value)
	check("owner", r["owner"], w.Owner.Value)
	check("empty", r["empty"], nil)
	rows, _ := r["items"].([]field.Row)
	if len(rows) != 2 || rows[1].ID != 16 || rows[1].Fields["qty"].Value != field.Decimal("3") {
		t.Errorf("items = %#v", r["items"])
	}
	if w.Items.Value[1].ID != "16" || w.Items.Value[1].Value.Qty.Value != "3" {
		t.Errorf("typed items = %#v", w.Items.Value)
	}
}
