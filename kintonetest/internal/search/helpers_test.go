package search

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// The tests build store.Form and store.Record values directly: they are
// plain structs, and the search package must not depend on how the store
// fills them.

func prop(code string, t field.Type) *field.Property {
	return &field.Property{Code: code, Type: t, Label: "L_" + code}
}

func withOptions(p *field.Property, keys ...string) *field.Property {
	p.Options = map[string]field.Option{}
	for i, k := range keys {
		p.Options[k] = field.Option{Label: k, Index: strconv.Itoa(i)}
	}
	return p
}

func withFormat(p *field.Property, format string) *field.Property {
	p.Format = format
	return p
}

func enabled(p *field.Property, on bool) *field.Property {
	p.Enabled = on
	return p
}

// testForm is an app holding one field of every queryable type, a
// SUBTABLE, the system fields under Japanese codes (as a Japanese
// environment names them) and process management switched on.
func testForm() *store.Form {
	table := prop("table", field.Subtable)
	table.Fields = map[string]*field.Property{}
	for _, p := range []*field.Property{
		prop("name", field.SingleLineText),
		prop("qty", field.Number),
		prop("ResponseDate", field.DateTime),
		prop("notes", field.MultiLineText),
		withOptions(prop("tcheck", field.CheckBox), "A", "B"),
		prop("tusers", field.UserSelect),
		prop("tdate", field.Date),
	} {
		table.Fields[p.Code] = p
	}
	ps := []*field.Property{
		prop("レコード番号", field.RecordNumber),
		prop("作成者", field.Creator),
		prop("作成日時", field.CreatedTime),
		prop("更新者", field.Modifier),
		prop("更新日時", field.UpdatedTime),
		enabled(prop("Status", field.Status), true),
		enabled(prop("作業者", field.StatusAssignee), true),
		enabled(prop("カテゴリー", field.Category), true),
		prop("title", field.SingleLineText),
		prop("link", field.Link),
		prop("memo", field.MultiLineText),
		prop("rich", field.RichText),
		prop("num", field.Number),
		prop("数値", field.Number),
		prop("数値_0", field.Number),
		prop("calc", field.Calc),
		withFormat(prop("calcDate", field.Calc), "DATE"),
		withFormat(prop("calcTime", field.Calc), "TIME"),
		withFormat(prop("calcDT", field.Calc), "DATETIME"),
		withFormat(prop("calcDur", field.Calc), "HOUR_MINUTE"),
		withOptions(prop("check", field.CheckBox), "A", "B", "C"),
		withOptions(prop("multi", field.MultiSelect), "x", "y"),
		withOptions(prop("radio", field.RadioButton), "r1", "r2", "r3"),
		// Option order differs from key order, to test sorting by option.
		withOptions(prop("drop", field.DropDown), "c", "a", "b"),
		prop("file", field.File),
		prop("date", field.Date),
		prop("time", field.Time),
		prop("dt", field.DateTime),
		prop("users", field.UserSelect),
		prop("orgs", field.OrganizationSelect),
		prop("groups", field.GroupSelect),
		table,
		prop("ref", field.ReferenceTable),
		prop("grp", field.Group),
		prop("lbl", field.Label),
	}
	f := &store.Form{Revision: 1, Fields: map[string]*field.Property{}}
	for _, p := range ps {
		f.Fields[p.Code] = p
		f.Order = append(f.Order, p.Code)
	}
	return f
}

// processOff is testForm with process management disabled: STATUS and
// STATUS_ASSIGNEE are listed with Enabled false.
func processOff() *store.Form {
	f := testForm()
	for _, code := range []string{"Status", "作業者"} {
		p := *f.Fields[code]
		p.Enabled = false
		f.Fields[code] = &p
	}
	return f
}

// v is the values of a record; rec fills the system fields a store would.
type v map[string]any

func rec(id int64, vals v) *store.Record {
	r := &store.Record{ID: id, Revision: 1, Values: map[string]any{
		"レコード番号": strconv.FormatInt(id, 10),
		"作成者":    store.Entity{Code: "sato", Name: "Sato"},
		"更新者":    store.Entity{Code: "sato", Name: "Sato"},
		"作成日時":   "2024-01-01T00:00:00Z",
		"更新日時":   "2024-01-01T00:00:00Z",
	}}
	for k, x := range vals {
		r.Values[k] = x
	}
	return r
}

func rows(rs ...v) []store.Row {
	out := make([]store.Row, len(rs))
	for i, r := range rs {
		out[i] = store.Row{ID: int64(100 + i), Values: r}
	}
	return out
}

func users(codes ...string) []store.Entity {
	out := make([]store.Entity, len(codes))
	for i, c := range codes {
		out[i] = store.Entity{Code: c, Name: c}
	}
	return out
}

func files(names ...string) []store.FileRef {
	out := make([]store.FileRef, len(names))
	for i, n := range names {
		out[i] = store.FileRef{ContentType: "text/plain", FileKey: "k" + n, Name: n, Size: 1}
	}
	return out
}

// testNow is the fixed clock of the tests: a Wednesday.
var testNow = time.Date(2024, 5, 15, 3, 30, 45, 0, time.UTC)

func testEnv() Env {
	return Env{Now: testNow, Loc: time.UTC, LoginUser: "sato", PrimaryOrganization: "sales"}
}

// matchIDs runs query over recs and returns the matching IDs in ascending
// order.
func matchIDs(t *testing.T, form *store.Form, env Env, recs []*store.Record, query string) []int64 {
	t.Helper()
	p, err := Prepare(query, form, env, false)
	if err != nil {
		t.Fatalf("Prepare(%q): %v", query, err)
	}
	var got []int64
	for _, r := range recs {
		if p.Match(r) {
			got = append(got, r.ID)
		}
	}
	return got
}

// findIDs runs query with Find and returns the page's IDs in page order.
func findIDs(t *testing.T, form *store.Form, env Env, recs []*store.Record, query string, wantTotal bool) ([]int64, int64) {
	t.Helper()
	p, err := Prepare(query, form, env, false)
	if err != nil {
		t.Fatalf("Prepare(%q): %v", query, err)
	}
	page, total := p.Find(recs, wantTotal)
	if page == nil {
		t.Fatalf("Find(%q) returned a nil page", query)
	}
	return recIDs(page), total
}

func recIDs(rs []*store.Record) []int64 {
	out := []int64{}
	for _, r := range rs {
		out = append(out, r.ID)
	}
	return out
}

// errCode returns the Kintone code of the error Prepare gives for query,
// or "" when it compiles.
func errCode(t *testing.T, form *store.Form, env Env, query string, forCursor bool) (string, *apierr.Error) {
	t.Helper()
	p, err := Prepare(query, form, env, forCursor)
	if err == nil {
		if p == nil {
			t.Fatalf("Prepare(%q) returned no plan and no error", query)
		}
		return "", nil
	}
	if p != nil {
		t.Fatalf("Prepare(%q) returned a plan with an error", query)
	}
	e, ok := apierr.As(err)
	if !ok {
		t.Fatalf("Prepare(%q) error %v (%T) is not an *apierr.Error", query, err, err)
	}
	return e.Code, e
}

func ids(n ...int64) []int64 {
	if n == nil {
		return nil
	}
	return n
}

func sameIDs(a, b []int64) bool {
	return slices.Equal(a, b) || len(a) == 0 && len(b) == 0
}

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("time zone %s: %v", name, err)
	}
	return loc
}
