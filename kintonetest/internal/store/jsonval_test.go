package store

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// slowScalar is jsonScalar without its plain path: what encoding/json
// makes of the value.
func slowScalar(raw []byte) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", true
	}
	switch c := raw[0]; {
	case c == '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	case c == '-' || ('0' <= c && c <= '9'):
		var n json.Number
		if json.Unmarshal(raw, &n) != nil {
			return "", false
		}
		return n.String(), true
	}
	return "", false
}

// slowStrings is jsonStrings without its plain path.
func slowStrings(raw []byte) ([]string, bool) {
	if isNull(raw) {
		return []string{}, true
	}
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil, false
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		if isNull(it) {
			return nil, false
		}
		s, ok := slowScalar(it)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

var scalarCases = []string{
	`"abc"`, `""`, `"a\"b"`, `"a\\b"`, `"\u0041"`, `"日本語"`, "\"\xff\"", "\"a\tb\"", `"a"b"`,
	`"`, `""""`, `12`, `-0`, `0.5`, `1e3`, `1E+3`, `-1.25e-7`, `01`, `1.`, `.5`, `-`, `1e`, `1e+`,
	`+1`, `1x`, `12 `, ` "x" `, `null`, `true`, `[1]`, `{}`, `1.5e1`, `"\u00e9"`, "\"\u2028\"",
	"\"\x7f\"", `"12"`, `"-"`, "\u00a0\"x\"", `9007199254740993`, `1_000`, `0x10`, `Infinity`,
}

// TestPlainScalar checks jsonScalar's plain path against encoding/json.
func TestPlainScalar(t *testing.T) {
	for _, c := range scalarCases {
		got, gotOK := jsonScalar([]byte(c))
		want, wantOK := slowScalar([]byte(c))
		if got != want || gotOK != wantOK {
			t.Errorf("jsonScalar(%q) = %q, %v; encoding/json says %q, %v", c, got, gotOK, want, wantOK)
		}
	}
}

// TestPlainStrings checks jsonStrings' plain path against encoding/json.
func TestPlainStrings(t *testing.T) {
	cases := []string{
		`[]`, `[ ]`, `["a"]`, `["a","b"]`, ` [ "a" , "b" ] `, `["a",]`, `[,"a"]`, `["a" "b"]`,
		`["a\"b"]`, `["a\\"]`, `[1,2.5,"x"]`, `[null]`, `[true]`, `[["a"]]`, `[{"a":1}]`,
		`["a"],["b"]`, `["a"] ]`, `"a"`, `null`, ``, `[`, `]`, `["日本語","\u0041"]`, "[\"\xff\"]",
		`["a"`, `[01]`, `[1e]`, `["a",,"b"]`, "[\n\"a\"\n]", `[ "a" , ]`,
	}
	for _, c := range cases {
		got, gotOK := jsonStrings([]byte(c))
		want, wantOK := slowStrings([]byte(c))
		if gotOK != wantOK || !reflect.DeepEqual(got, want) {
			t.Errorf("jsonStrings(%q) = %q, %v; encoding/json says %q, %v", c, got, gotOK, want, wantOK)
		}
	}
}

// FuzzPlainScalar compares jsonScalar with encoding/json on any bytes.
func FuzzPlainScalar(f *testing.F) {
	for _, c := range scalarCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, gotOK := jsonScalar(raw)
		want, wantOK := slowScalar(raw)
		if got != want || gotOK != wantOK {
			t.Errorf("jsonScalar(%q) = %q, %v; encoding/json says %q, %v", raw, got, gotOK, want, wantOK)
		}
		gl, gotOK := jsonStrings(raw)
		wl, wantOK := slowStrings(raw)
		if gotOK != wantOK || !reflect.DeepEqual(gl, wl) {
			t.Errorf("jsonStrings(%q) = %q, %v; encoding/json says %q, %v", raw, gl, gotOK, wl, wantOK)
		}
	})
}
