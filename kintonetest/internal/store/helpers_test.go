package store

import (
	"encoding/json"
	"errors"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
)

// testNow is the fixed time of the test clock.
var testNow = time.Date(2024, 3, 22, 5, 7, 42, 0, time.UTC)

func fixedClock() time.Time { return testNow }

// openMem opens an in-memory store with the fixed clock and a name resolver
// that prefixes codes.
func openMem(t *testing.T) *Store {
	t.Helper()
	s, err := Open(Options{Clock: fixedClock, Names: testNames})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func testNames(kind, code string) string {
	if code == "nobody" {
		return ""
	}
	return strings.ToLower(kind) + ":" + code
}

var admin = Actor{User: Entity{Code: "admin", Name: "Admin"}, Admin: true}
var user = Actor{User: Entity{Code: "sato", Name: "Sato"}}

// opts builds an options map.
func opts(keys ...string) map[string]field.Option {
	m := map[string]field.Option{}
	for i, k := range keys {
		m[k] = field.Option{Label: k, Index: itoa(int64(i))}
	}
	return m
}

// allTypesSpec is an app with one field of every writable type.
func allTypesSpec() AppSpec {
	return AppSpec{Name: "All", Code: "ALL", Fields: []*field.Property{
		{Type: field.SingleLineText, Code: "text"},
		{Type: field.MultiLineText, Code: "memo"},
		{Type: field.RichText, Code: "rich"},
		{Type: field.Link, Code: "link", Protocol: field.ProtocolWeb},
		{Type: field.Number, Code: "num"},
		{Type: field.Calc, Code: "calc", Expression: "num * 2", Format: "NUMBER"},
		{Type: field.CheckBox, Code: "check", Options: opts("a", "b", "c")},
		{Type: field.RadioButton, Code: "radio", Options: opts("r1", "r2"), DefaultValue: "r1"},
		{Type: field.DropDown, Code: "drop", Options: opts("d1", "d2")},
		{Type: field.MultiSelect, Code: "multi", Options: opts("m1", "m2")},
		{Type: field.Date, Code: "date"},
		{Type: field.Time, Code: "time"},
		{Type: field.DateTime, Code: "dt"},
		{Type: field.UserSelect, Code: "users"},
		{Type: field.OrganizationSelect, Code: "orgs"},
		{Type: field.GroupSelect, Code: "groups"},
		{Type: field.File, Code: "file"},
		{Type: field.Subtable, Code: "items", Fields: map[string]*field.Property{
			"item":  {Type: field.SingleLineText, Code: "item"},
			"qty":   {Type: field.Number, Code: "qty"},
			"price": {Type: field.Number, Code: "price"},
			"sub":   {Type: field.Calc, Code: "sub", Expression: "qty*price", Format: "NUMBER"},
		}},
	}}
}

func mustApp(t *testing.T, s *Store, spec AppSpec) int64 {
	t.Helper()
	a, err := s.CreateApp(spec)
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// in builds an Input from code/JSON pairs.
func in(pairs ...string) Input {
	m := Input{}
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i]] = []byte(pairs[i+1])
	}
	return m
}

// jsonOf marshals v for Input values.
func jsonOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func add(t *testing.T, s *Store, actor Actor, app int64, recs ...Input) []IDRev {
	t.Helper()
	var out []IDRev
	err := s.Write(actor, func(tx *Tx) error {
		var err error
		out, err = tx.Add(app, recs, false)
		return err
	})
	if err != nil {
		t.Fatalf("add: %v", err)
	}
	return out
}

func tryAdd(s *Store, actor Actor, app int64, single bool, recs ...Input) error {
	return s.Write(actor, func(tx *Tx) error {
		_, err := tx.Add(app, recs, single)
		return err
	})
}

func update(s *Store, actor Actor, app int64, upsert, single bool, items ...UpdateItem) ([]UpdateResult, error) {
	var out []UpdateResult
	err := s.Write(actor, func(tx *Tx) error {
		var err error
		out, err = tx.Update(app, items, upsert, single)
		return err
	})
	return out, err
}

func record(t *testing.T, s *Store, app, id int64) *Record {
	t.Helper()
	r, ok := s.Record(app, id)
	if !ok {
		t.Fatalf("record %d of app %d not found", id, app)
	}
	return r
}

// wantCode asserts err is an *apierr.Error with the code.
func wantCode(t *testing.T, err error, code string) *apierr.Error {
	t.Helper()
	e, ok := apierr.As(err)
	if !ok {
		t.Fatalf("error %v (%T) is not an *apierr.Error with code %s", err, err, code)
	}
	if e.Code != code {
		t.Fatalf("error code %s (%v), want %s", e.Code, e, code)
	}
	return e
}

// errorMap returns key -> English messages of a CB_VA01 error.
func errorMap(t *testing.T, err error) map[string][]string {
	t.Helper()
	e := wantCode(t, err, "CB_VA01")
	out := map[string][]string{}
	for k, msgs := range e.Errors {
		for _, m := range msgs {
			out[k] = append(out[k], m.En)
		}
		sort.Strings(out[k])
	}
	return out
}

func wantErrors(t *testing.T, err error, want map[string][]string) {
	t.Helper()
	got := errorMap(t, err)
	for k := range want {
		sort.Strings(want[k])
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("errors\n got %v\nwant %v", got, want)
	}
}

func deepEqual(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s = %#v, want %#v", what, got, want)
	}
}

// fieldProp shortens field.Property in test tables.
type fieldProp = field.Property

func tokyoLoc(t *testing.T) *time.Location {
	t.Helper()
	return time.FixedZone("JST", 9*3600)
}

// errRollback makes a Write roll back on purpose.
var errRollback = errors.New("rollback on purpose")
