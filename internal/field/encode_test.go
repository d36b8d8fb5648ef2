package field

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// items is a SUBTABLE with a number, a user selection and a CALC.
var items = &Property{Type: Subtable, Code: "items", Fields: map[string]*Property{
	"qty":   {Type: Number, Code: "qty"},
	"owner": {Type: UserSelect, Code: "owner"},
	"total": {Type: Calc, Code: "total", Format: "NUMBER"},
	"due":   {Type: Date, Code: "due"},
}}

func encodeJSON(t *testing.T, v any, err error) string {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestEncodeFieldSubtable(t *testing.T) {
	c := Codec{Location: time.UTC}
	// Rows in read form, as a driver value of a SUBTABLE column holds them.
	read := `[{"id":"41","value":{"qty":{"type":"NUMBER","value":"1.50"},
		"owner":{"type":"USER_SELECT","value":[{"code":"sato","name":"Sato"}]},
		"total":{"type":"CALC","value":"3"},
		"due":{"type":"DATE","value":null}}}]`
	tests := []struct {
		name   string
		v      any
		create bool
		want   string
	}{
		{"update keeps row ids", read, false,
			`[{"id":"41","value":{"due":{"value":null},"owner":{"value":[{"code":"sato"}]},"qty":{"value":"1.5"}}}]`},
		{"create drops row ids", read, true,
			`[{"value":{"due":{"value":null},"owner":{"value":[{"code":"sato"}]},"qty":{"value":"1.5"}}}]`},
		{"write form, typed by the form", `[{"value":{"qty":{"value":"2e1"},"note":{"value":"kept as is"}}}]`, false,
			`[{"value":{"note":{"value":"kept as is"},"qty":{"value":"20"}}}]`},
		{"numeric id", `[{"id":7,"value":{}}]`, false, `[{"id":"7","value":{}}]`},
		{"structured rows", []Row{{ID: 9, Fields: map[string]Cell{
			"qty":   {Type: Number, Value: Decimal("3")},
			"total": {Type: Calc, Value: Decimal("9")},
			"owner": {Type: UserSelect, Value: []EntityRef{{Code: "kato", Name: "Kato"}}},
		}}}, false, `[{"id":"9","value":{"owner":{"value":[{"code":"kato"}]},"qty":{"value":"3"}}}]`},
		{"no rows", nil, true, `[]`},
		{"empty array", `[]`, true, `[]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := c.EncodeField(items, tt.v, tt.create)
			if s := encodeJSON(t, got, err); s != tt.want {
				t.Errorf("got  %s\nwant %s", s, tt.want)
			}
		})
	}
}

func TestEncodeFieldErrors(t *testing.T) {
	c := Codec{}
	tests := []struct {
		p      *Property
		v      any
		create bool
		want   string // in the message
	}{
		{items, `[{"value":{"qty":{"value":"many"}}}]`, true, "row 1, field qty (NUMBER): not a number"},
		{items, `[{"value":{}},{"value":{"due":{"value":"2024-13-01"}}}]`, false, "row 2, field due (DATE)"},
		{items, `[{"id":"x1","value":{}}]`, false, "row 1 has a bad id"},
		{items, `[1]`, false, "row 1 is not an object"},
		{items, `{"value":{}}`, false, "want a JSON array of rows"},
		{&Property{Type: Creator, Code: "by"}, "sato", false, "only when a record is created"},
		{&Property{Type: CreatedTime, Code: "at"}, time.Now(), false, "only when a record is created"},
	}
	for _, tt := range tests {
		_, err := c.EncodeField(tt.p, tt.v, tt.create)
		var ee *EncodeError
		if !errors.As(err, &ee) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("EncodeField(%s, %v): %v, want an *EncodeError containing %q", tt.p.Code, tt.v, err, tt.want)
		}
	}
	// On create, the create-only fields are writable.
	got, err := c.EncodeField(&Property{Type: Creator, Code: "by"}, `{"code":"sato","name":"Sato"}`, true)
	if s := encodeJSON(t, got, err); s != `{"code":"sato"}` {
		t.Errorf("creator from JSON text: %s", s)
	}
}

func TestEncodeStructuredValues(t *testing.T) {
	c := Codec{}
	tests := []struct {
		typ  Type
		in   any
		want string
	}{
		{File, []FileRef{{FileKey: "k1", Name: "a.txt"}}, `[{"fileKey":"k1"}]`},
		{File, `[]`, `[]`},
		{UserSelect, []byte(`[{"code":"a","name":"A"},{"code":"b","name":"B"}]`), `[{"code":"a"},{"code":"b"}]`},
		{CheckBox, []byte(`["x","y"]`), `["x","y"]`},
		{Number, Decimal("-0.50"), `"-0.5"`},
		{RadioButton, "b", `"b"`},
	}
	for _, tt := range tests {
		got, err := c.Encode(tt.typ, tt.in)
		if s := encodeJSON(t, got, err); s != tt.want {
			t.Errorf("Encode(%s, %#v) = %s, want %s", tt.typ, tt.in, s, tt.want)
		}
	}
}
