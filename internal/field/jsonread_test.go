package field

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestReadStringsEscapes decodes every escape JSON has, surrogate pairs,
// lone surrogates and invalid UTF-8, checking the text and that
// encoding/json reads the same.
func TestReadStringsEscapes(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`"plain"`, "plain"},
		{`""`, ""},
		{`"\""`, `"`},
		{`"\\"`, `\`},
		{`"\/"`, "/"},
		{`"\b"`, "\b"},
		{`"\f"`, "\f"},
		{`"\n"`, "\n"},
		{`"\r"`, "\r"},
		{`"\t"`, "\t"},
		{`"a\"b\\c\/d\be\ff\ng\rh\ti"`, "a\"b\\c/d\be\ff\ng\rh\ti"},
		{`"\u0041\u00e9\u5c71"`, "Aé山"},
		{`"\u00E9\u00e9"`, "éé"},
		{`"\u0000"`, "\x00"},
		{`"\ud83d\ude00"`, "😀"},
		{`"\uD83D\uDE00x"`, "😀x"},
		{`"\ud83d"`, "\uFFFD"},              // lone high surrogate
		{`"\ude00"`, "\uFFFD"},              // lone low surrogate
		{`"\ud83dx"`, "\uFFFDx"},            // high surrogate, then no escape
		{`"\ud83d\u0041"`, "\uFFFDA"},       // high surrogate, then not a low one
		{`"\ud83d\ud83d\ude00"`, "\uFFFD😀"}, // two highs, then a low
		{`"\ud83d\n"`, "\uFFFD\n"},
		{"\"\xff\"", "\uFFFD"},                     // invalid UTF-8
		{"\"a\xc3\"", "a\uFFFD"},                   // truncated sequence
		{"\"\xed\xa0\x80\"", "\uFFFD\uFFFD\uFFFD"}, // UTF-8 encoded surrogate
		{"\"\xff\\n\"", "\uFFFD\n"},
		{`"日本語"`, "日本語"},
	} {
		got, err := readStrings([]byte("[" + tc.in + "]"))
		if err != nil || len(got) != 1 || got[0] != tc.want {
			t.Errorf("readStrings([%s]) = %q, %v; want [%q]", tc.in, got, err, tc.want)
		}
		var ref []string
		if err := json.Unmarshal([]byte("["+tc.in+"]"), &ref); err != nil || !reflect.DeepEqual(ref, got) {
			t.Errorf("encoding/json reads [%s] as %q, %v", tc.in, ref, err)
		}
		s, err := jsonString(SingleLineText, []byte(tc.in))
		if err != nil || s != tc.want {
			t.Errorf("jsonString(%s) = %q, %v; want %q", tc.in, s, err, tc.want)
		}
		e, err := readEntity([]byte(`{"code":` + tc.in + `,"name":` + tc.in + `}`))
		if err != nil || e.Code != tc.want || e.Name != tc.want {
			t.Errorf("readEntity with %s = %+v, %v", tc.in, e, err)
		}
	}
}

// TestReadStrings covers lists, nulls, white space and the documents the
// reader must refuse: types other than a list of strings and invalid JSON.
func TestReadStrings(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string // nil with err: an error
		err  string   // part of the error, "" for none
	}{
		{`[]`, []string{}, ""},
		{` [ ] `, []string{}, ""},
		{`null`, nil, ""},
		{`["a","b"]`, []string{"a", "b"}, ""},
		{"[ \"a\" ,\n\t\"b\" ]\r\n", []string{"a", "b"}, ""},
		{`[null]`, []string{""}, ""},
		{`["a",null,"c"]`, []string{"a", "", "c"}, ""},
		{`[1]`, nil, "expected a string, got a number"},
		{`["a",true]`, nil, "expected a string, got a boolean"},
		{`[{}]`, nil, "expected a string, got an object"},
		{`[["a"]]`, nil, "expected a string, got an array"},
		{`"a"`, nil, "expected an array of strings, got a string"},
		{`{"a":1}`, nil, "expected an array of strings, got an object"},
		{`12`, nil, "expected an array of strings, got a number"},
		{`[1,]`, nil, "invalid JSON"}, // a syntax error wins over a type error
		{``, nil, "invalid JSON"},
		{`[`, nil, "invalid JSON"},
		{`["a"`, nil, "invalid JSON"},
		{`["a",]`, nil, "invalid JSON"},
		{`[,"a"]`, nil, "invalid JSON"},
		{`["a" "b"]`, nil, "invalid JSON"},
		{`["a"]]`, nil, "invalid JSON"},
		{`["a"] x`, nil, "invalid JSON"},
		{`["a`, nil, "invalid JSON"},
		{`["a\`, nil, "invalid JSON"},
		{`["\q"]`, nil, "bad escape"},
		{`["\'"]`, nil, "bad escape"},
		{`["\u12"]`, nil, `bad \u escape`},
		{`["\u12G4"]`, nil, `bad \u escape`},
		{"[\"a\x01\"]", nil, "control character"},
		{"[\"a\nb\"]", nil, "control character"},
		{`[nul]`, nil, "bad literal"},
		{`[-]`, nil, "bad number"},
		{`[01]`, nil, "invalid JSON"},
		{`nulls`, nil, "invalid JSON"},
		{`[` + strings.Repeat(`[`, jsonMaxDepth+1) + strings.Repeat(`]`, jsonMaxDepth+2), nil, "nested too deeply"},
	} {
		got, err := readStrings([]byte(tc.in))
		switch {
		case tc.err == "" && (err != nil || !reflect.DeepEqual(got, tc.want)):
			t.Errorf("readStrings(%.40q) = %#v, %v; want %#v", tc.in, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("readStrings(%.40q) = %#v, %v; want an error with %q", tc.in, got, err, tc.err)
		}
		var ref []string
		if rerr := json.Unmarshal([]byte(tc.in), &ref); (rerr == nil) != (err == nil) || err == nil && !reflect.DeepEqual(ref, got) {
			t.Errorf("%.40q: encoding/json says %#v, %v", tc.in, ref, rerr)
		}
	}
}

// TestReadEntities covers entity objects and lists of them.
func TestReadEntities(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want EntityRef
		err  string
	}{
		{`{"code":"sato","name":"Sato"}`, EntityRef{"sato", "Sato"}, ""},
		{`{}`, EntityRef{}, ""},
		{`null`, EntityRef{}, ""},
		{`{"name":"N","code":"c","extra":[1,{"x":null}]}`, EntityRef{"c", "N"}, ""},
		{`{"CODE":"a","Name":"b"}`, EntityRef{"a", "b"}, ""}, // keys match in any case
		{`{"\u0063ode":"a"}`, EntityRef{Code: "a"}, ""},      // escaped key
		{`{"code":"a","code":"b"}`, EntityRef{Code: "b"}, ""},
		{`{"code":"a","code":null}`, EntityRef{Code: "a"}, ""}, // null leaves it
		{`{"code":null}`, EntityRef{}, ""},
		{`{"code":1}`, EntityRef{}, "expected a string, got a number"},
		{`{"name":["x"]}`, EntityRef{}, "expected a string, got an array"},
		{`[]`, EntityRef{}, "expected an object, got an array"},
		{`"sato"`, EntityRef{}, "expected an object, got a string"},
		{`{"code":1,"name":"x",}`, EntityRef{}, "invalid JSON"},
		{`{"code" "a"}`, EntityRef{}, "invalid JSON"},
		{`{code:"a"}`, EntityRef{}, "invalid JSON"},
		{`{"code":"a"`, EntityRef{}, "invalid JSON"},
		{`{"code":"a"}}`, EntityRef{}, "invalid JSON"},
		{`{"code":"a",}`, EntityRef{}, "invalid JSON"},
		{`{,"code":"a"}`, EntityRef{}, "invalid JSON"},
	} {
		got, err := readEntity([]byte(tc.in))
		switch {
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("readEntity(%s) = %+v, %v; want %+v", tc.in, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("readEntity(%s) = %+v, %v; want an error with %q", tc.in, got, err, tc.err)
		}
		var ref EntityRef
		if rerr := json.Unmarshal([]byte(tc.in), &ref); (rerr == nil) != (err == nil) || err == nil && ref != got {
			t.Errorf("%s: encoding/json says %+v, %v", tc.in, ref, rerr)
		}
		list := "[" + tc.in + "," + tc.in + "]"
		gotList, err := readEntities([]byte(list))
		if tc.err == "" && (err != nil || len(gotList) != 2 || gotList[1] != tc.want) || tc.err != "" && err == nil {
			t.Errorf("readEntities(%s) = %+v, %v", list, gotList, err)
		}
	}
	for _, in := range []string{`[]`, `null`, `[null]`, `[{"code":"a"},null,{}]`, `{}`, `[1]`, `["a"]`, `[[]]`, `[{},]`, `[{}`} {
		got, err := readEntities([]byte(in))
		var ref []EntityRef
		rerr := json.Unmarshal([]byte(in), &ref)
		if (rerr == nil) != (err == nil) || err == nil && !reflect.DeepEqual(ref, got) {
			t.Errorf("readEntities(%s) = %#v, %v; encoding/json says %#v, %v", in, got, err, ref, rerr)
		}
	}
}

// TestReadFiles covers FILE values, keys folded as encoding/json folds
// them included.
func TestReadFiles(t *testing.T) {
	for _, in := range []string{
		`[]`, `null`, `[null]`,
		`[{"contentType":"text/plain","fileKey":"k1","name":"a.txt","size":"12"}]`,
		`[{"CONTENTTYPE":"x","filekey":"k","NAME":"n","Size":"1","other":{}},{}]`,
		"[{\"\u017fize\":\"1\",\"file\u212aey\":\"k\"}]", // U+017F folds to s, U+212A to k
		`[{"\u017fize":"1","file\u212aey":"k"}]`,
		"[{\"\u0131d\":\"1\",\"siz\":\"2\",\"sizee\":\"3\"}]", // no fold: skipped
		`[{"size":12}]`, `[{"name":null}]`, `[1]`, `{}`, `[{"size":"1"},]`,
	} {
		got, err := readFiles([]byte(in))
		var ref []FileRef
		rerr := json.Unmarshal([]byte(in), &ref)
		if (rerr == nil) != (err == nil) || err == nil && !reflect.DeepEqual(ref, got) {
			t.Errorf("readFiles(%s) = %#v, %v; encoding/json says %#v, %v", in, got, err, ref, rerr)
		}
	}
	got, err := readFiles([]byte("[{\"\u017fize\":\"1\",\"file\u212aey\":\"k\"}]"))
	if err != nil || len(got) != 1 || got[0].Size != "1" || got[0].FileKey != "k" {
		t.Errorf("folded keys: %#v, %v", got, err)
	}
}

// TestDecodeRowsEdges decodes subtable values with repeated keys, nulls and
// keys in other cases as encoding/json did.
func TestDecodeRowsEdges(t *testing.T) {
	for _, in := range []string{
		`[]`,
		`[null]`,
		`[{}]`,
		`[{"id":"3","value":{}}]`,
		`[{"ID":"3","Value":{"a":{"Type":"NUMBER","VALUE":"1"}}}]`,
		`[{"id":"3","id":"4","value":{"a":{"type":"NUMBER","value":"1"}},"value":{"b":{"type":"SINGLE_LINE_TEXT","value":"x"}}}]`,
		`[{"id":"3","value":{"a":{"type":"NUMBER","value":"1"}},"value":null}]`,
		`[{"id":"3","value":{"a":{"type":"NUMBER","value":"x"},"a":{"type":"NUMBER","value":"2"}}}]`,
		`[{"id":"3","value":{"a":{"type":"NUMBER","value":"1"},"a":null}}]`,
		`[{"id":"3","value":{"a":{"type":"NUMBER","type":null,"value":"1"}}}]`,
		`[{"id":null,"value":{"a":{"type":"CHECK_BOX","value":["p","q"]},"u":{"type":"USER_SELECT","value":[{"code":"c","name":"n"}]}}}]`,
		`[{"id":"x"}]`,
		`[{"id":"1","value":[]}]`,
		`[{"id":"1","value":{"a":[]}}]`,
		`[{"id":"1","value":{"a":{"type":1}}}]`,
		`[{"id":"1","value":{"a":{"type":"NUMBER","value":[]}}}]`,
		`[1]`,
		`{}`,
		`"rows"`,
		`[{"id":"1",}]`,
		`[{"id":"1"}`,
	} {
		compareRows(t, []byte(in))
	}
}

// compareRows decodes a SUBTABLE value with the codec and with refDecodeRows.
func compareRows(t *testing.T, in []byte) {
	t.Helper()
	c := Codec{}
	props := map[string]*Property{"t": {Type: Subtable, Fields: map[string]*Property{"a": {Type: Calc, Format: "NUMBER"}}}}
	got, err := c.Decode(Subtable, "", in)
	if err == nil {
		got, err = c.decode(Subtable, "", in, props)
	}
	want, werr := refDecode(c, Subtable, in, props)
	if (err == nil) != (werr == nil) || err == nil && !reflect.DeepEqual(got, want) {
		t.Errorf("rows %q:\n got %#v, %v\nwant %#v, %v", in, got, err, want, werr)
	}
	var de *DecodeError
	if err != nil && !errors.As(err, &de) {
		t.Errorf("rows %q: error %v is not a *DecodeError", in, err)
	}
}

// refDecode is Codec.decode for the types the reader serves, as it was with
// encoding/json: the reference of the fuzz test.
func refDecode(c Codec, t Type, value []byte, props map[string]*Property) (any, error) {
	value = bytes.TrimSpace(value)
	if len(value) == 0 || string(value) == "null" {
		return EmptyValue(t), nil
	}
	switch t {
	case SingleLineText:
		var s string
		if value[0] == '"' {
			if err := json.Unmarshal(value, &s); err != nil {
				return nil, err
			}
		} else {
			var n json.Number
			if err := json.Unmarshal(value, &n); err != nil {
				return nil, err
			}
			s = string(n)
		}
		if s == "" {
			return nil, nil
		}
		return s, nil
	case CheckBox:
		var v []string
		if err := json.Unmarshal(value, &v); err != nil {
			return nil, err
		}
		if v == nil {
			v = []string{}
		}
		return v, nil
	case Creator:
		var v EntityRef
		if err := json.Unmarshal(value, &v); err != nil {
			return nil, err
		}
		if v.Code == "" {
			return nil, nil
		}
		return v, nil
	case UserSelect:
		var v []EntityRef
		if err := json.Unmarshal(value, &v); err != nil {
			return nil, err
		}
		if v == nil {
			v = []EntityRef{}
		}
		return v, nil
	case File:
		var v []FileRef
		if err := json.Unmarshal(value, &v); err != nil {
			return nil, err
		}
		if v == nil {
			v = []FileRef{}
		}
		return v, nil
	case Subtable:
		var raw []struct {
			ID    json.RawMessage     `json:"id"`
			Value map[string]rawField `json:"value"`
		}
		if err := json.Unmarshal(value, &raw); err != nil {
			return nil, err
		}
		if len(raw) == 0 {
			return []Row{}, nil
		}
		inner := map[string]*Property{}
		for _, p := range props {
			if p != nil && p.Type == Subtable {
				for code, q := range p.Fields {
					inner[code] = q
				}
			}
		}
		rows := make([]Row, len(raw))
		for i, r := range raw {
			id, err := c.decode(ID, "", r.ID, nil)
			if err != nil {
				return nil, err
			}
			n, _ := id.(int64)
			row := Row{ID: n, Fields: make(map[string]Cell, len(r.Value))}
			for code, f := range r.Value {
				format := calcFormat(inner, code)
				v, err := c.decode(f.Type, format, f.Value, nil)
				if err != nil {
					return nil, err
				}
				row.Fields[code] = Cell{Type: f.Type, Format: format, Value: v}
			}
			rows[i] = row
		}
		return rows, nil
	}
	return nil, fmt.Errorf("refDecode: type %s", t)
}

// FuzzJSONReader decodes the same bytes with the codec (its JSON reader)
// and with encoding/json (refDecode) as a string, a check box, a creator,
// a user selection, a file and a subtable, and wants the same value or an error
// from both. Its seeds are in testdata/fuzz/FuzzJSONReader and run with
// go test; go test -fuzz FuzzJSONReader ./internal/field/ looks further.
func FuzzJSONReader(f *testing.F) {
	c := Codec{}
	props := map[string]*Property{"t": {Type: Subtable, Fields: map[string]*Property{"a": {Type: Calc, Format: "NUMBER"}}}}
	f.Fuzz(func(t *testing.T, in []byte) {
		for _, typ := range []Type{SingleLineText, CheckBox, Creator, UserSelect, File, Subtable} {
			got, err := c.decode(typ, "", in, props)
			want, werr := refDecode(c, typ, in, props)
			if (err == nil) != (werr == nil) || err == nil && !reflect.DeepEqual(got, want) {
				t.Fatalf("%s %q:\n got %#v, %v\nwant %#v, %v", typ, in, got, err, want, werr)
			}
		}
	})
}
