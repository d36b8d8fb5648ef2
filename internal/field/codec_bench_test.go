package field

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"testing"
	"time"
)

// The row decoder's cost per record, next to a plain encoding/json decode
// of the same page. One op is one page of 500 records of 20 fields (the
// app of the comparison harness in bench/); ns/row, allocs/row and B/row
// divide by the records decoded, so benchstat can compare them across
// variants and runs:
//
//	go test -run='^$' -bench=DecodePage -count=6 ./internal/field/ | tee new.txt
//	benchstat old.txt new.txt

const benchPageRecords = 500

// benchRecord is one record of 20 fields in record JSON, with the field mix
// of the harness's app: system fields, text, numbers, a date and a date
// and time, a drop-down, a checkbox, a link and a creator.
func benchRecord(i int) []byte {
	return fmt.Appendf(nil, `{"$id":{"type":"__ID__","value":"%d"},`+
		`"$revision":{"type":"__REVISION__","value":"1"},`+
		`"Record_number":{"type":"RECORD_NUMBER","value":"%d"},`+
		`"Created_by":{"type":"CREATOR","value":{"code":"admin","name":"Administrator"}},`+
		`"Created_datetime":{"type":"CREATED_TIME","value":"2026-04-23T14:11:00Z"},`+
		`"Updated_datetime":{"type":"UPDATED_TIME","value":"2026-04-23T14:11:00Z"},`+
		`"title":{"type":"SINGLE_LINE_TEXT","value":"record %d"},`+
		`"num":{"type":"NUMBER","value":"%d"},`+
		`"amount":{"type":"NUMBER","value":"%d.25"},`+
		`"color":{"type":"DROP_DOWN","value":"red"},`+
		`"day":{"type":"DATE","value":"2026-%02d-%02d"},`+
		`"at":{"type":"DATETIME","value":"2026-04-%02dT10:%02d:00Z"},`+
		`"tags":{"type":"CHECK_BOX","value":["a","b"]},`+
		`"batch":{"type":"SINGLE_LINE_TEXT","value":"seed"},`+
		`"notes":{"type":"MULTI_LINE_TEXT","value":"line one\nline two"},`+
		`"link":{"type":"LINK","value":"https://example.com/r/%d"},`+
		`"text10":{"type":"SINGLE_LINE_TEXT","value":"value %d"},`+
		`"text11":{"type":"SINGLE_LINE_TEXT","value":"value %d"},`+
		`"text12":{"type":"SINGLE_LINE_TEXT","value":"value %d"},`+
		`"text13":{"type":"SINGLE_LINE_TEXT","value":""}}`,
		i+1, i+1, i, i%1000, i, 1+i%12, 1+i%28, 1+i%28, i%60, i, i*10%9973, i*11%9973, i*12%9973)
}

// benchRecords returns the records of one page, each on its own, as the
// driver hands them to the codec, and the page as Kintone sends it.
func benchRecords() (recs [][]byte, page []byte) {
	var b bytes.Buffer
	b.WriteString(`{"records":[`)
	recs = make([][]byte, benchPageRecords)
	for i := range recs {
		recs[i] = benchRecord(i)
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(recs[i])
	}
	b.WriteString(`],"totalCount":null}`)
	return recs, b.Bytes()
}

// perRow runs op under b.Loop and reports time, allocations and bytes per
// decoded record.
func perRow(b *testing.B, rowsPerOp int, op func() error) {
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for b.Loop() {
		if err := op(); err != nil {
			b.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	rows := float64(b.N * rowsPerOp)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/rows, "ns/row")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/rows, "allocs/row")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/rows, "B/row")
}

// rawValue is what a plain encoding/json decode of record JSON yields: the
// type and the undecoded value of each field.
type rawValue struct {
	Type  string          `json:"type"`
	Value json.RawMessage `json:"value"`
}

// splitField is one field of a record already split by a page scanner (as
// internal/rest's is): its code, type and undecoded value.
type splitField struct {
	code  string
	typ   Type
	value json.RawMessage
}

// splitRecords splits each record into its fields, in a fixed order.
func splitRecords(recs [][]byte) ([][]splitField, error) {
	out := make([][]splitField, len(recs))
	for i, r := range recs {
		var m map[string]rawField
		if err := json.Unmarshal(r, &m); err != nil {
			return nil, err
		}
		for code, f := range m {
			out[i] = append(out[i], splitField{code: code, typ: f.Type, value: f.Value})
		}
	}
	return out, nil
}

// BenchmarkDecodePage decodes one 500-record page five ways:
//
//   - codec: Codec.DecodeRecord on each record, the driver's decoder
//     (structured Go values: int64, Decimal, time.Time, []string, ...);
//   - codec+driver-values: the same, then DriverValue on every field, what
//     database/sql finally receives;
//   - codec-per-field: Codec.Decode on each field of records a page
//     scanner has already split (internal/rest's Record), into a slice per
//     record: the same values without DecodeRecord's encoding/json pass
//     and map;
//   - json-rawmap-record: encoding/json on each record into
//     map[string]struct{Type string; Value json.RawMessage}, values left
//     undecoded (the floor for any map-per-record decoder);
//   - json-rawmap-page: encoding/json on the whole page into
//     []map[string]struct{Type string; Value json.RawMessage}.
func BenchmarkDecodePage(b *testing.B) {
	recs, page := benchRecords()
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		loc = time.UTC // no zone database: decoding cost is the same
	}
	c := Codec{Location: loc}
	b.Run("codec", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		perRow(b, len(recs), func() error {
			for _, r := range recs {
				if _, err := c.DecodeRecord(r, nil); err != nil {
					return err
				}
			}
			return nil
		})
	})
	b.Run("codec+driver-values", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		perRow(b, len(recs), func() error {
			for _, r := range recs {
				m, err := c.DecodeRecord(r, nil)
				if err != nil {
					return err
				}
				for _, v := range m {
					if _, err := DriverValue(v); err != nil {
						return err
					}
				}
			}
			return nil
		})
	})
	split, err := splitRecords(recs)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("codec-per-field", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		perRow(b, len(split), func() error {
			for _, fields := range split {
				row := make([]any, len(fields))
				for k, f := range fields {
					v, err := c.Decode(f.typ, "", f.value)
					if err != nil {
						return err
					}
					row[k] = v
				}
			}
			return nil
		})
	})
	b.Run("json-rawmap-record", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		perRow(b, len(recs), func() error {
			for _, r := range recs {
				var m map[string]rawValue
				if err := json.Unmarshal(r, &m); err != nil {
					return err
				}
			}
			return nil
		})
	})
	b.Run("json-rawmap-page", func(b *testing.B) {
		b.SetBytes(int64(len(page)))
		perRow(b, len(recs), func() error {
			var p struct {
				Records []map[string]rawValue `json:"records"`
			}
			if err := json.Unmarshal(page, &p); err != nil {
				return err
			}
			if len(p.Records) != benchPageRecords {
				return fmt.Errorf("decoded %d records, want %d", len(p.Records), benchPageRecords)
			}
			return nil
		})
	})
}

// TestBenchRecordDecodes keeps the benchmark's input honest: every field of
// the record decodes, to the type the codec promises.
func TestBenchRecordDecodes(t *testing.T) {
	m, err := Codec{}.DecodeRecord(benchRecord(6), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(m) != 20 {
		t.Fatalf("record has %d fields, want 20", len(m))
	}
	want := map[string]any{
		"$id":       int64(7),
		"num":       Decimal("6"),
		"color":     "red",
		"tags":      []string{"a", "b"},
		"text13":    nil,
		"day":       time.Date(2026, 7, 7, 0, 0, 0, 0, time.UTC),
		"at":        time.Date(2026, 4, 7, 10, 6, 0, 0, time.UTC),
		"notes":     "line one\nline two",
		"link":      "https://example.com/r/6",
		"batch":     "seed",
		"amount":    Decimal("6.25"),
		"title":     "record 6",
		"text10":    "value 60",
		"$revision": int64(1),
	}
	for code, w := range want {
		if got := m[code]; fmt.Sprint(got) != fmt.Sprint(w) || fmt.Sprintf("%T", got) != fmt.Sprintf("%T", w) {
			t.Errorf("%s = %#v, want %#v", code, got, w)
		}
	}
	if _, ok := m["Created_by"].(EntityRef); !ok {
		t.Errorf("Created_by = %#v, want an EntityRef", m["Created_by"])
	}
}
