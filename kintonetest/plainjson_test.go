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
	got, ok := plainRecordInput(raw, codeSet{})
	if ok && (!wantOK || !reflect.DeepEqual(got, want)) {
		t.Errorf("plainRecordInput(%s) = %q; encoding/json says %q, %v", raw, got, want, wantOK)
	}
	// decodeRecordInput as a whole: the same input, or an error exactly
	// when encoding/json fails.
	in, err := decodeRecordInput(raw, "record", nil)
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

var paramsCases = []string{
	`{}`, `{"requests":[]}`, `{"requests":null}`, `{"requests":{}}`, `{"requests":[null]}`,
	`{"requests":[{"method":"POST","api":"/k/v1/records.json","payload":{"app":1,"records":[{"a":{"value":"x"}}]}}]}`,
	`{"requests":[{"method":"PUT","api":"/k/v1/record.json","payload":{"app":"1","id":2,"record":{}}},{"method":"DELETE","api":"/k/v1/records.json","payload":{"app":1,"ids":[1]}}]}`,
	`{"requests":[{"method":1,"api":"x","payload":{}}]}`, `{"requests":[{"method":"POST","api":"x","payload":null}]}`,
	`{"requests":[{"method":"POST","api":"x","payload":[]}]}`, `{"requests":[{"Method":"POST"}]}`,
	`{"requests":[{"method":"POST","method":"PUT"}]}`, `{"requests":[{"method":"P\u004fST"}]}`,
	`{"Requests":[]}`, `{"requests":[],"requests":[{"method":"POST"}]}`, `{"other":1,"requests":[{"x":[1,{"y":"]"}]}]}`,
	`{"app":1,"records":[]}`, `{"app":"1","records":[{"a":{"value":"x"}},null,{}]}`, `{"app":null,"records":null}`,
	`{"app":[1],"records":[1,"x",true]}`, `{"APP":1}`, `{"app":1,"app":2}`, `{"ａpp":1}`, `{"appı":1}`,
	`{"app":1,"upsert":true,"records":[{"id":1,"record":{"a":{"value":"x"}},"revision":3}]}`,
	`{"app":1,"upsert":"false","records":[{"updateKey":{"field":"k","value":"v"},"record":{}}]}`,
	`{"app":1,"records":[{"updateKey":null,"record":{}}]}`, `{"app":1,"records":[{"updateKey":{"field":1,"value":null}}]}`,
	`{"app":1,"records":[{"updateKey":{"field":"k","Field":"j"}}]}`, `{"app":1,"records":[{"id":"x","revision":-1,"record":null}]}`,
	`{"app":1,"records":[{"record":"x"}]}`, `{"app":1,"records":[null]}`, `{"app":1,"records":[{"ıd":1}]}`,
	`{"app":1,"records":[{"ID":1}]}`, `{"app":1,"records":[{"id":1,"id":2}]}`, `{"upsert":1}`,
	` { "app" : 1 , "records" : [ { "id" : 1 , "record" : { } } ] } `,
}

// TestPlainParams checks that the plain reading of the write parameters
// is encoding/json's.
func TestPlainParams(t *testing.T) {
	for _, c := range paramsCases {
		checkPlainParams(t, []byte(c))
	}
}

func checkPlainParams(t *testing.T, raw []byte) {
	t.Helper()
	if !json.Valid(raw) {
		return // decodeParams only sees valid JSON
	}
	for _, mk := range []func() any{
		func() any { return new(bulkParams) },
		func() any { return new(addRecordsParams) },
		func() any { return new(updateRecordsParams) },
	} {
		got, want := mk(), mk()
		werr := json.Unmarshal(raw, want)
		if plainParams(raw, got) && (werr != nil || !reflect.DeepEqual(got, want)) {
			t.Errorf("plainParams(%s, %T) = %+v; encoding/json says %+v, %v", raw, got, got, want, werr)
		}
	}
}

// FuzzPlainParams compares the plain reading of the write parameters
// with encoding/json's on any valid JSON.
func FuzzPlainParams(f *testing.F) {
	for _, c := range paramsCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, raw []byte) { checkPlainParams(t, raw) })
}

// TestPlainUsual checks that the usual forms take the plain path, which
// would otherwise be dead without any test failing.
func TestPlainUsual(t *testing.T) {
	if _, ok := plainRecordInput([]byte(`{"a":{"value":"x"},"b":{"value":["1","2"]},"c":null,"d":{"value":[{"code":"u"}]}}`), nil); !ok {
		t.Error("a usual record is not read plainly")
	}
	for _, c := range []struct {
		dst any
		raw string
	}{
		{new(bulkParams), `{"requests":[{"method":"POST","api":"/k/v1/records.json","payload":{"app":1,"records":[]}}]}`},
		{new(addRecordsParams), `{"app":1,"records":[{"a":{"value":"x"}}]}`},
		{new(updateRecordsParams), `{"app":"1","upsert":true,"records":[{"id":1,"revision":2,"record":{}},{"updateKey":{"field":"k","value":"v"},"record":{}}]}`},
	} {
		if !plainParams([]byte(c.raw), c.dst) {
			t.Errorf("%T %s is not read plainly", c.dst, c.raw)
		}
	}
}
