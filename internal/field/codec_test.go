package field

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"
)

func tokyo(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	return loc
}

// TestDecode follows the read shapes of QUERY-AND-FIELDS.md B.1, one row
// per type, including each type's empty value.
func TestDecode(t *testing.T) {
	loc := tokyo(t)
	c := Codec{Location: loc}
	tests := []struct {
		typ    Type
		format string
		value  string
		want   any
	}{
		{ID, "", `"12"`, int64(12)},
		{Revision, "", `"5"`, int64(5)},
		{RecordNumber, "", `"APPCODE-12"`, "APPCODE-12"},
		{SingleLineText, "", `"abc"`, "abc"},
		{SingleLineText, "", `""`, nil},
		{SingleLineText, "", `"a\"b\\c\n日本"`, "a\"b\\c\n日本"},
		{MultiLineText, "", `"line1\nline2"`, "line1\nline2"},
		{RichText, "", `"<b>x</b>"`, "<b>x</b>"},
		{Link, "", `"https://example.com"`, "https://example.com"},
		{Number, "", `"-12.50"`, Decimal("-12.50")},
		{Number, "", `""`, nil},
		{Number, "", `7`, Decimal("7")}, // unquoted numbers are tolerated
		{Calc, "NUMBER", `"1234"`, Decimal("1234")},
		{Calc, "NUMBER_DIGIT", `"1234"`, Decimal("1234")},
		{Calc, "DATE", `"2012-01-11"`, time.Date(2012, 1, 11, 0, 0, 0, 0, loc)},
		{Calc, "DATETIME", `"2012-01-11T11:30:00Z"`, time.Date(2012, 1, 11, 20, 30, 0, 0, loc)},
		{Calc, "TIME", `"11:30"`, time.Date(0, 1, 1, 11, 30, 0, 0, time.UTC)}, // a wall clock: no zone
		{Calc, "HOUR_MINUTE", `"49:30"`, "49:30"},
		{Calc, "", `"1.5"`, Decimal("1.5")},
		{Calc, "", `"49:30"`, "49:30"},
		{Calc, "NUMBER", `""`, nil},
		{CheckBox, "", `["opt1","opt2"]`, []string{"opt1", "opt2"}},
		{CheckBox, "", `[]`, []string{}}, // an empty list is a value, not NULL
		{CheckBox, "", `null`, []string{}},
		{Category, "", `[]`, []string{}},
		{MultiSelect, "", `["a"]`, []string{"a"}},
		{Category, "", `["cat1"]`, []string{"cat1"}},
		{RadioButton, "", `"opt3"`, "opt3"},
		{RadioButton, "", `null`, nil},
		{DropDown, "", `null`, nil},
		{DropDown, "", `"opt3"`, "opt3"},
		{Status, "", `"未処理"`, "未処理"},
		{Date, "", `"2012-01-11"`, time.Date(2012, 1, 11, 0, 0, 0, 0, loc)},
		{Date, "", `null`, nil},
		{Time, "", `"11:30"`, time.Date(0, 1, 1, 11, 30, 0, 0, time.UTC)},
		{Time, "", `null`, nil},
		{DateTime, "", `"2012-03-22T05:00:00Z"`, time.Date(2012, 3, 22, 14, 0, 0, 0, loc)},
		{DateTime, "", `"2012-02-03T09:00:00+0900"`, time.Date(2012, 2, 3, 9, 0, 0, 0, loc)},
		{DateTime, "", `""`, nil},
		{CreatedTime, "", `"2012-01-11T11:30:00Z"`, time.Date(2012, 1, 11, 20, 30, 0, 0, loc)},
		{UpdatedTime, "", `"2012-01-11T11:30:00Z"`, time.Date(2012, 1, 11, 20, 30, 0, 0, loc)},
		{Creator, "", `{"code":"sato","name":"Noboru Sato"}`, EntityRef{Code: "sato", Name: "Noboru Sato"}},
		{Modifier, "", `{"code":"","name":""}`, nil},
		{UserSelect, "", `[{"code":"sato","name":"Sato"},{"code":"kato","name":"Kato"}]`,
			[]EntityRef{{Code: "sato", Name: "Sato"}, {Code: "kato", Name: "Kato"}}},
		{UserSelect, "", `[]`, []EntityRef{}},
		{StatusAssignee, "", `null`, []EntityRef{}},
		{OrganizationSelect, "", `[{"code":"dev","name":"Dev"}]`, []EntityRef{{Code: "dev", Name: "Dev"}}},
		{GroupSelect, "", `[{"code":"g","name":"G"}]`, []EntityRef{{Code: "g", Name: "G"}}},
		{StatusAssignee, "", `[{"code":"a","name":"A"}]`, []EntityRef{{Code: "a", Name: "A"}}},
		{File, "", `[{"contentType":"text/plain","fileKey":"k1","name":"a.txt","size":"12"}]`,
			[]FileRef{{ContentType: "text/plain", FileKey: "k1", Name: "a.txt", Size: "12"}}},
		{File, "", `[]`, []FileRef{}},
		{Subtable, "", `[]`, []Row{}},
		{Subtable, "", `null`, []Row{}},
		{Type("NEW_TYPE"), "", `{"x":1}`, json.RawMessage(`{"x":1}`)},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s/%s", tt.typ, tt.format, tt.value), func(t *testing.T) {
			got, err := c.Decode(tt.typ, tt.format, json.RawMessage(tt.value))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if tm, ok := tt.want.(time.Time); ok {
				g, ok := got.(time.Time)
				if !ok || !g.Equal(tm) || g.Location() != tm.Location() {
					t.Fatalf("got %#v, want %v in %v", got, tm, tm.Location())
				}
				return
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

// TestDecodeDateAtMidnight checks that a DATE is midnight in the codec's
// location (DESIGN.md: DATE/DATETIME in the DSN's time zone), and UTC for
// the zero Codec.
func TestDecodeDateAtMidnight(t *testing.T) {
	loc := tokyo(t)
	got, err := Codec{Location: loc}.Decode(Date, "", json.RawMessage(`"2024-02-29"`))
	if err != nil {
		t.Fatal(err)
	}
	d := got.(time.Time)
	if d.Hour() != 0 || d.Minute() != 0 || d.Location() != loc || d.Day() != 29 {
		t.Fatalf("got %v", d)
	}
	got, err = Codec{}.Decode(DateTime, "", json.RawMessage(`"2024-02-29T23:59:00Z"`))
	if err != nil {
		t.Fatal(err)
	}
	if got.(time.Time).Location() != time.UTC {
		t.Fatalf("zero Codec gave %v", got.(time.Time).Location())
	}
}

func TestDecodeErrors(t *testing.T) {
	tests := []struct {
		typ   Type
		value string
	}{
		{ID, `"x"`},
		{SingleLineText, `{"a":1}`},
		{Number, `[1]`},
		{Date, `"2012-13-01"`},
		{Date, `"20120101"`},
		{Time, `"25:00"`},
		{DateTime, `"yesterday"`},
		{CheckBox, `"a"`},
		{UserSelect, `{"code":"x"}`},
		{Creator, `"sato"`},
		{File, `"k"`},
		{Subtable, `{"id":"1"}`},
		{Subtable, `[{"id":"x","value":{}}]`},
		{SingleLineText, `"unterminated`},
	}
	for _, tt := range tests {
		_, err := Codec{}.Decode(tt.typ, "", json.RawMessage(tt.value))
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Errorf("Decode(%s, %s) = %v, want a *DecodeError", tt.typ, tt.value, err)
			continue
		}
		if !strings.Contains(err.Error(), string(tt.typ)) {
			t.Errorf("error %q does not name the type %s", err, tt.typ)
		}
	}
}

const sampleRecord = `{
	"$id": {"type": "__ID__", "value": "7"},
	"$revision": {"type": "__REVISION__", "value": "3"},
	"name": {"type": "SINGLE_LINE_TEXT", "value": "Alice"},
	"price": {"type": "NUMBER", "value": "1200"},
	"total": {"type": "CALC", "value": "2024-05-01"},
	"tags": {"type": "CHECK_BOX", "value": ["a", "b"]},
	"due": {"type": "DATE", "value": null},
	"items": {"type": "SUBTABLE", "value": [
		{"id": "48290", "value": {
			"item": {"type": "SINGLE_LINE_TEXT", "value": "apple"},
			"qty": {"type": "NUMBER", "value": "3"},
			"when": {"type": "CALC", "value": "2024-05-02"}
		}},
		{"id": "48291", "value": {
			"item": {"type": "SINGLE_LINE_TEXT", "value": ""},
			"qty": {"type": "NUMBER", "value": ""},
			"when": {"type": "CALC", "value": ""}
		}}
	]}
}`

func sampleProps() map[string]*Property {
	return map[string]*Property{
		"total": {Type: Calc, Code: "total", Format: "DATE"},
		"items": {Type: Subtable, Code: "items", Fields: map[string]*Property{
			"item": {Type: SingleLineText, Code: "item"},
			"qty":  {Type: Number, Code: "qty"},
			"when": {Type: Calc, Code: "when", Format: "DATE"},
		}},
	}
}

func TestDecodeRecord(t *testing.T) {
	rec, err := Codec{}.DecodeRecord([]byte(sampleRecord), sampleProps())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"$id":       int64(7),
		"$revision": int64(3),
		"name":      "Alice",
		"price":     Decimal("1200"),
		"total":     time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC),
		"tags":      []string{"a", "b"},
		"due":       nil,
		"items": []Row{
			{ID: 48290, Fields: map[string]Cell{
				"item": {Type: SingleLineText, Value: "apple"},
				"qty":  {Type: Number, Value: Decimal("3")},
				"when": {Type: Calc, Format: "DATE", Value: time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC)},
			}},
			{ID: 48291, Fields: map[string]Cell{
				"item": {Type: SingleLineText},
				"qty":  {Type: Number},
				"when": {Type: Calc, Format: "DATE"},
			}},
		},
	}
	if !reflect.DeepEqual(rec, want) {
		t.Fatalf("got  %#v\nwant %#v", rec, want)
	}

	// Without properties a CALC is read by its shape: "2024-05-01" is not
	// a plain decimal, so it stays text.
	rec, err = Codec{}.DecodeRecord([]byte(sampleRecord), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rec["total"] != "2024-05-01" {
		t.Fatalf("total without props = %#v", rec["total"])
	}
}

// DecodeField gives, field by field, what DecodeRecord gives for the whole
// record.
func TestDecodeFieldMatchesDecodeRecord(t *testing.T) {
	whole, err := Codec{}.DecodeRecord([]byte(sampleRecord), sampleProps())
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]rawField
	if err := json.Unmarshal([]byte(sampleRecord), &raw); err != nil {
		t.Fatal(err)
	}
	for code, f := range raw {
		v, err := Codec{}.DecodeField(code, f.Type, f.Value, sampleProps())
		if err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		if !reflect.DeepEqual(v, whole[code]) {
			t.Errorf("%s: DecodeField %#v, DecodeRecord %#v", code, v, whole[code])
		}
	}
	_, err = Codec{}.DecodeField("due", Date, json.RawMessage(`"tomorrow"`), nil)
	var de *DecodeError
	if !errors.As(err, &de) || de.Code != "due" {
		t.Fatalf("a bad value: %v, want a *DecodeError naming the field", err)
	}
}

func TestDecodeRecordErrors(t *testing.T) {
	if _, err := (Codec{}).DecodeRecord([]byte(`[1]`), nil); err == nil {
		t.Fatal("an array decoded as a record")
	}
	_, err := Codec{}.DecodeRecord([]byte(`{"due": {"type": "DATE", "value": "tomorrow"}}`), nil)
	var de *DecodeError
	if !errors.As(err, &de) || de.Code != "due" || !strings.Contains(err.Error(), `"due"`) {
		t.Fatalf("got %v, want a *DecodeError naming the field", err)
	}
	_, err = Codec{}.DecodeRecord([]byte(`{"t": {"type": "SUBTABLE", "value": [{"id":"1","value":{"q":{"type":"NUMBER","value":[]}}}]}}`), nil)
	if !errors.As(err, &de) || de.Code != "q" {
		t.Fatalf("got %v, want a *DecodeError naming the inner field", err)
	}
}

func TestDriverValue(t *testing.T) {
	loc := tokyo(t)
	when := time.Date(2024, 5, 1, 9, 0, 0, 0, loc)
	tests := []struct {
		in   any
		want any
	}{
		{nil, nil},
		{int64(5), int64(5)},
		{"x", "x"},
		{Decimal("1.50"), "1.50"},
		{when, when},
		{[]string{"a", "<b>"}, []byte(`["a","<b>"]`)},
		{EntityRef{Code: "sato", Name: "Sato"}, []byte(`{"code":"sato","name":"Sato"}`)},
		{[]EntityRef{{Code: "a", Name: "A"}}, []byte(`[{"code":"a","name":"A"}]`)},
		{[]FileRef{{ContentType: "t", FileKey: "k", Name: "n", Size: "1"}},
			[]byte(`[{"contentType":"t","fileKey":"k","name":"n","size":"1"}]`)},
		{json.RawMessage(`{"x":1}`), []byte(`{"x":1}`)},
		{[]Row{{ID: 3, Fields: map[string]Cell{
			"d": {Type: Date, Value: time.Date(2024, 5, 1, 0, 0, 0, 0, loc)},
			"n": {Type: Number},
			"w": {Type: DateTime, Value: when},
			"c": {Type: Calc, Format: "TIME", Value: time.Date(0, 1, 1, 9, 5, 0, 0, loc)},
			"u": {Type: UserSelect},
			"r": {Type: DropDown},
		}}}, []byte(`[{"id":"3","value":{"c":{"type":"CALC","value":"09:05"},"d":{"type":"DATE","value":"2024-05-01"},"n":{"type":"NUMBER","value":""},"r":{"type":"DROP_DOWN","value":null},"u":{"type":"USER_SELECT","value":[]},"w":{"type":"DATETIME","value":"2024-05-01T00:00:00Z"}}}]`)},
	}
	for _, tt := range tests {
		got, err := DriverValue(tt.in)
		if err != nil {
			t.Errorf("DriverValue(%#v): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("DriverValue(%#v) = %s, want %s", tt.in, show(got), show(tt.want))
		}
	}
	if _, err := DriverValue(struct{}{}); err == nil {
		t.Error("DriverValue(struct{}{}) gave no error")
	}
}

func show(v any) string {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return fmt.Sprintf("%#v", v)
}

// TestDecodeRoundTrip decodes record JSON, converts it back with ReadJSON
// and decodes again: the structured values must survive.
func TestDecodeRoundTrip(t *testing.T) {
	c := Codec{Location: tokyo(t)}
	rec, err := c.DecodeRecord([]byte(sampleRecord), sampleProps())
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]Type{"$id": ID, "$revision": Revision, "name": SingleLineText, "price": Number,
		"total": Calc, "tags": CheckBox, "due": Date, "items": Subtable}
	back := map[string]jsonReadVal{}
	for code, v := range rec {
		back[code] = jsonReadVal{Type: types[code], Value: ReadJSON(types[code], calcFormat(sampleProps(), code), v)}
	}
	data, err := json.Marshal(back)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.DecodeRecord(data, sampleProps())
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if !reflect.DeepEqual(rec, again) {
		t.Fatalf("round trip changed the record:\n%#v\n%#v", rec, again)
	}
}

func TestEncode(t *testing.T) {
	loc := tokyo(t)
	c := Codec{Location: loc}
	tests := []struct {
		typ  Type
		in   any
		want string // JSON
	}{
		{SingleLineText, "abc", `"abc"`},
		{SingleLineText, nil, `""`},
		{SingleLineText, int64(12), `"12"`},
		{SingleLineText, []byte("raw"), `"raw"`},
		{MultiLineText, "a\nb", `"a\nb"`},
		{DropDown, nil, `""`},
		{Number, int64(-5), `"-5"`},
		{Number, 1.25, `"1.25"`},
		{Number, "1.5e1", `"15"`},
		{Number, Decimal("007"), `"7"`},
		{Number, true, `"1"`},
		{Number, nil, `""`},
		{Number, "", `""`},
		{Date, time.Date(2024, 5, 1, 23, 30, 0, 0, loc), `"2024-05-01"`},
		{Date, "2015-7", `"2015-07-01"`},
		{Date, nil, `null`},
		{Time, time.Date(0, 1, 1, 9, 5, 0, 0, loc), `"09:05"`},
		{Time, "9:05", `"09:05"`},
		{Time, nil, `null`},
		{DateTime, time.Date(2024, 5, 1, 9, 0, 0, 0, loc), `"2024-05-01T00:00:00Z"`},
		{DateTime, "2024-05-01T09:00:00+09:00", `"2024-05-01T00:00:00Z"`},
		{DateTime, "2024-05-01 09:00", `"2024-05-01T00:00:00Z"`},
		{DateTime, "2024-05-01 09:00:30", `"2024-05-01T00:00:00Z"`},                     // Kintone keeps minutes
		{DateTime, "2024-05-01 09:00:59.999", `"2024-05-01T00:00:00Z"`},                 // truncated, never rounded
		{DateTime, time.Date(2024, 5, 1, 9, 0, 59, 999, loc), `"2024-05-01T00:00:00Z"`}, // a time.Time too
		{DateTime, time.Time{}, `""`},                                                   // GORM's zero time: empty
		{Date, time.Time{}, `null`},
		{Time, time.Time{}, `null`},
		{Time, time.Date(2024, 5, 1, 23, 15, 59, 0, loc), `"23:15"`}, // the wall clock as given
		{Time, time.Date(0, 1, 1, 23, 15, 0, 0, loc), `"23:15"`},     // year 0 in Tokyo is +09:18:59: not converted
		{DateTime, nil, `""`},
		{CheckBox, []string{"a", "b"}, `["a","b"]`},
		{CheckBox, `["a"]`, `["a"]`},
		{CheckBox, nil, `[]`},
		{MultiSelect, []string(nil), `[]`},
		{UserSelect, []string{"sato"}, `[{"code":"sato"}]`},
		{UserSelect, `[{"code":"kato","name":"K"}]`, `[{"code":"kato"}]`},
		{OrganizationSelect, []EntityRef{{Code: "dev"}}, `[{"code":"dev"}]`},
		{GroupSelect, nil, `[]`},
		{Creator, "sato", `{"code":"sato"}`},
		{Modifier, EntityRef{Code: "kato"}, `{"code":"kato"}`},
		{File, []string{"k1"}, `[{"fileKey":"k1"}]`},
		{File, `[{"fileKey":"k2","name":"x"}]`, `[{"fileKey":"k2"}]`},
		{Subtable, `[{"value":{"q":{"value":"1"}}}]`, `[{"value":{"q":{"value":"1"}}}]`},
		{Subtable, nil, `[]`},
	}
	for _, tt := range tests {
		got, err := c.Encode(tt.typ, tt.in)
		if err != nil {
			t.Errorf("Encode(%s, %#v): %v", tt.typ, tt.in, err)
			continue
		}
		data, err := json.Marshal(got)
		if err != nil {
			t.Fatal(err)
		}
		if string(data) != tt.want {
			t.Errorf("Encode(%s, %#v) = %s, want %s", tt.typ, tt.in, data, tt.want)
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	tests := []struct {
		typ Type
		in  any
	}{
		{Calc, "1"},
		{RecordNumber, "1"},
		{Status, "x"},
		{ID, int64(1)},
		{Revision, int64(1)},
		{Category, []string{"a"}},
		{StatusAssignee, []string{"a"}},
		{Label, "x"},
		{Number, "abc"},
		{Number, []string{"1"}},
		{SingleLineText, []string{"a"}},
		{Date, "2024-02-30"},
		{Date, int64(3)},
		{Time, "24:00"},
		{DateTime, "2024-05-01T09:00"},
		{DateTime, 3.5},
		{CheckBox, "not json"},
		{CheckBox, int64(1)},
		{UserSelect, `{"code":"x"}`},
		{Creator, ""},
		{File, int64(3)},
		{Subtable, `{"value":{}}`},
		{Subtable, `[{"id":"1"}]`},
		{Subtable, int64(1)},
		{Number, math.NaN()},
		{Date, time.Date(999, 12, 31, 0, 0, 0, 0, time.UTC)},     // before Kintone's first day
		{DateTime, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}, // after its last
		{DateTime, "0999-12-31 23:00"},
	}
	for _, tt := range tests {
		_, err := Codec{}.Encode(tt.typ, tt.in)
		var ee *EncodeError
		if !errors.As(err, &ee) {
			t.Errorf("Encode(%s, %#v) = %v, want an *EncodeError", tt.typ, tt.in, err)
			continue
		}
		if !strings.Contains(err.Error(), string(tt.typ)) {
			t.Errorf("error %q does not name the type", err)
		}
	}
}

// page builds a records.json page of n records with the field types a
// typical app holds.
func page(n int) [][]byte {
	recs := make([][]byte, n)
	for i := range recs {
		recs[i] = []byte(fmt.Sprintf(`{
			"$id": {"type": "__ID__", "value": "%d"},
			"$revision": {"type": "__REVISION__", "value": "1"},
			"title": {"type": "SINGLE_LINE_TEXT", "value": "record number %d"},
			"note": {"type": "MULTI_LINE_TEXT", "value": "first line\nsecond line"},
			"price": {"type": "NUMBER", "value": "%d.25"},
			"due": {"type": "DATE", "value": "2024-05-%02d"},
			"at": {"type": "DATETIME", "value": "2024-05-01T%02d:30:00Z"},
			"tags": {"type": "CHECK_BOX", "value": ["a", "b"]},
			"owner": {"type": "USER_SELECT", "value": [{"code": "sato", "name": "Sato"}]},
			"status": {"type": "DROP_DOWN", "value": "open"}
		}`, i+1, i, i*3, i%28+1, i%24))
	}
	return recs
}

// BenchmarkDecodeRecord decodes a 500-record page (the API's page size)
// record by record, as the driver does.
func BenchmarkDecodeRecord(b *testing.B) {
	recs := page(500)
	c := Codec{Location: time.UTC}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, r := range recs {
			if _, err := c.DecodeRecord(r, nil); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkDriverValue converts decoded values of a page to driver values.
func BenchmarkDriverValue(b *testing.B) {
	c := Codec{}
	var vals []any
	for _, r := range page(500) {
		rec, err := c.DecodeRecord(r, nil)
		if err != nil {
			b.Fatal(err)
		}
		for _, v := range rec {
			vals = append(vals, v)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, v := range vals {
			if _, err := DriverValue(v); err != nil {
				b.Fatal(err)
			}
		}
	}
}
