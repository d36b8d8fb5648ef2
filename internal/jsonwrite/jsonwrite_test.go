package jsonwrite

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// reference is encoding/json with HTML escaping off, without the newline.
func reference(t testing.TB, v any) string {
	t.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

var samples = []string{
	"", "plain", `quote " and \ backslash`, "<b>&amp;</b>", "tab\tline\nreturn\r",
	"\b\f\x00\x01\x1f\x7f", "日本語テキスト", "line\u2028para\u2029end", "bad \xff\xfe utf8 \xe3\x81",
	"emoji 😀 and ̈ combining", "\"", "\\",
}

func TestStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range samples {
		if got, want := string(String(nil, s)), reference(t, s); got != want {
			t.Errorf("String(%q) = %s, want %s", s, got, want)
		}
	}
}

func TestValueMatchesEncodingJSON(t *testing.T) {
	values := []any{
		nil, "text <&>", []string{"a", "b\n"}, []string(nil), []string{}, true, false, int64(-42),
		map[string]string{"code": "sato"}, []map[string]string{{"fileKey": "k"}},
		time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC), 1.5,
	}
	for _, v := range values {
		got, err := Value([]byte("prefix:"), v)
		if err != nil {
			t.Fatalf("Value(%#v): %v", v, err)
		}
		want := reference(t, v)
		if _, isNil := v.([]string); isNil && v.([]string) == nil {
			want = "[]" // Kintone's empty list, where encoding/json writes null
		}
		if string(got) != "prefix:"+want {
			t.Errorf("Value(%#v) = %s, want prefix:%s", v, got, want)
		}
	}
	if got, _ := Value(nil, json.RawMessage(` {"a": 1} `)); string(got) != `{"a":1}` {
		t.Errorf("Value(RawMessage) = %s, want it compacted as encoding/json does", got)
	}
	if got, _ := Value(nil, json.RawMessage(nil)); string(got) != "null" {
		t.Errorf("Value(nil RawMessage) = %s", got)
	}
	if got, err := Value(nil, json.RawMessage{}); err == nil {
		t.Errorf("Value(empty RawMessage) = %s, want encoding/json's error", got)
	}
	if _, err := Value(nil, make(chan int)); err == nil {
		t.Error("Value(chan) succeeded, want encoding/json's error")
	}
}

func FuzzString(f *testing.F) {
	for _, s := range samples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := String(nil, s)
		if want := reference(t, s); string(got) != want {
			t.Fatalf("String(%q) = %s, want %s", s, got, want)
		}
	})
}

func BenchmarkString(b *testing.B) {
	s := "value 1234 of a text field, with some length to it"
	b.ReportAllocs()
	var buf []byte
	for b.Loop() {
		buf = String(buf[:0], s)
	}
}
