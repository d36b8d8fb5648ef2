package kintonetest

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// slowRecordInput is what encoding/json makes of a record, as
// decodeRecordInput read it before plainRecordInput.
func slowRecordInput(raw []byte) (store.Input, bool) {
	var fields map[string]struct {
		Value json.RawMessage `json:"value"`
	}
	if json.Unmarshal(raw, &fields) != nil {
		return nil, false
	}
	in := make(store.Input, len(fields))
	for code, fv := range fields {
		if fv.Value != nil {
			in[code] = fv.Value
		}
	}
	return in, true
}

var recordInputCases = []string{
	`{}`, ` { } `, `{"a":{"value":"x"}}`, `{"a":{"value":"x"},"b":{"value":12}}`,
	`{"a":{"value":null}}`, `{"a":null}`, `{"a":{}}`, `{"a":{"other":1}}`,
	`{"a":{"value":"x"},"a":null}`, `{"a":{"value":"x"},"a":{"value":"y"}}`, `{"a":null,"a":{"value":1}}`,
	`{"a":{"value":"x","value":"y"}}`, `{"a":{"Value":"x"}}`, `{"a":{"VALUE":"x","value":"y"}}`,
	`{"a":{"value":"y","VALUE":"x"}}`, `{"a":{"valu\u0065":"x"}}`, `{"\u0061":{"value":"x"}}`,
	`{"a":"x"}`, `{"a":1}`, `{"a":[]}`, `{"a":true}`, `[]`, `"x"`, `1`, `null`,
	`{"a":{"value":[{"code":"u1"},{"code":"u2"}]}}`, `{"a":{"value":{"x":[1,2,{"y":"}"}]}}}`,
	`{"t":{"value":[{"id":"1","value":{"c":{"value":"a\"b"}}}]}}`,
	"{\n \"a\" : { \"value\" : \"x\" } ,\n \"b\":{\"value\":\"y\"}\n}",
	"{\"\xff\":{\"value\":1}}", `{"日本":{"value":"語"}}`, `{"a":{"x":"\\","value":"\\\""}}`,
	`{"a":{"value":-1.5e3,"k":false}}`, `{"a":{"value":"x"}} `,
}

// TestPlainRecordInput checks that the plain reading of a record is
// encoding/json's.
func TestPlainRecordInput(t *testing.T) {
	for _, c := range recordInputCases {
		checkPlainRecordInput(t, []byte(c))
	}
}

func checkPlainRecordInput(t *testing.T, raw []byte) {
	t.Helper()
	if !json.Valid(raw) {
		return // decodeRecordInput only sees valid JSON
	}
	want, wantOK := slowRecordInput(raw)
	got, ok := plainRecordInput(raw)
	if ok && (!wantOK || !reflect.DeepEqual(got, want)) {
		t.Errorf("plainRecordInput(%s) = %q; encoding/json says %q, %v", raw, got, want, wantOK)
	}
	// decodeRecordInput as a whole: the same input, or an error exactly
	// when encoding/json fails.
	in, err := decodeRecordInput(raw, "record")
	if string(raw) == "null" {
		return
	}
	if (err == nil) != wantOK || wantOK && !reflect.DeepEqual(in, want) {
		t.Errorf("decodeRecordInput(%s) = %q, %v; encoding/json says %q, %v", raw, in, err, want, wantOK)
	}
}

// FuzzPlainRecordInput compares the plain reading of a record with
// encoding/json's on any valid JSON.
func FuzzPlainRecordInput(f *testing.F) {
	for _, c := range recordInputCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, raw []byte) { checkPlainRecordInput(t, raw) })
}
