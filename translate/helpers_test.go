package translate

import (
	"context"
	"database/sql/driver"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
)

// fakeSchema resolves tables from a fixed list of apps, the way the
// driver's metadata cache would.
type fakeSchema struct {
	apps  []*catalog.App
	calls int // App calls
	fail  error
}

func (s *fakeSchema) App(_ context.Context, name string) (*catalog.App, error) {
	s.calls++
	if s.fail != nil {
		return nil, s.fail
	}
	var byName []*catalog.App
	for _, a := range s.apps {
		if strconv.FormatInt(a.ID, 10) == name || a.Code != "" && a.Code == name {
			return a, nil
		}
		if a.Name == name {
			byName = append(byName, a)
		}
	}
	switch len(byName) {
	case 0:
		return nil, nil
	case 1:
		return byName[0], nil
	}
	return nil, errors.New("ambiguous app name " + name)
}

func (s *fakeSchema) Apps(context.Context) ([]*catalog.App, error) {
	if s.fail != nil {
		return nil, s.fail
	}
	out := make([]*catalog.App, len(s.apps))
	for i, a := range s.apps {
		c := *a
		c.Fields = nil // as the app list returns them
		out[i] = &c
	}
	return out, nil
}

func options(keys ...string) map[string]field.Option {
	m := map[string]field.Option{}
	for i, k := range keys {
		m[k] = field.Option{Label: k, Index: strconv.Itoa(i)}
	}
	return m
}

func prop(code string, t field.Type) *field.Property {
	return &field.Property{Code: code, Type: t, Label: code + " label"}
}

// ordersApp is an app with a field of every type the translator treats
// differently.
func ordersApp() *catalog.App {
	fields := []*field.Property{
		prop("レコード番号", field.RecordNumber),
		prop("作成者", field.Creator),
		prop("更新者", field.Modifier),
		prop("作成日時", field.CreatedTime),
		prop("更新日時", field.UpdatedTime),
		{Code: "title", Type: field.SingleLineText, Label: "Title", Unique: true},
		prop("note", field.MultiLineText),
		prop("body", field.RichText),
		prop("url", field.Link),
		prop("amount", field.Number),
		{Code: "total", Type: field.Calc, Format: "NUMBER", Expression: "amount*2"},
		{Code: "due_calc", Type: field.Calc, Format: "DATE"},
		{Code: "tags", Type: field.CheckBox, Options: options("a", "b", "c")},
		{Code: "color", Type: field.RadioButton, Options: options("red", "green", "blue")},
		{Code: "status", Type: field.DropDown, Options: options("open", "closed", "on hold")},
		{Code: "tech", Type: field.MultiSelect, Options: options("go", "js")},
		prop("due", field.Date),
		prop("at", field.DateTime),
		prop("alarm", field.Time),
		prop("owner", field.UserSelect),
		prop("dept", field.OrganizationSelect),
		prop("grp", field.GroupSelect),
		prop("files", field.File),
		{Code: "items", Type: field.Subtable, Fields: map[string]*field.Property{
			"item":  prop("item", field.SingleLineText),
			"qty":   prop("qty", field.Number),
			"price": prop("price", field.Number),
			"when":  prop("when", field.Date),
			"kind":  {Code: "kind", Type: field.DropDown, Options: options("x", "y")},
		}},
		prop("顧客名", field.SingleLineText),
		{Code: "ステータス", Type: field.Status, Enabled: true},
		{Code: "作業者", Type: field.StatusAssignee, Enabled: true},
		{Code: "カテゴリー", Type: field.Category, Enabled: false},
		prop("Limit", field.Number),
		prop("ref", field.ReferenceTable),
		prop("grp1", field.Group),
	}
	app := &catalog.App{ID: 42, Code: "ORD", Name: "Orders", Fields: map[string]*field.Property{}}
	for _, f := range fields {
		app.Fields[f.Code] = f
		app.Order = append(app.Order, f.Code)
	}
	app.Order = append(app.Order, "item", "qty", "price", "when", "kind")
	return app
}

func testSchema() *fakeSchema {
	return &fakeSchema{apps: []*catalog.App{
		ordersApp(),
		{ID: 7, Name: "Customers", Fields: map[string]*field.Property{"name": prop("name", field.SingleLineText)}, Order: []string{"name"}},
		{ID: 8, Name: "Twin", Fields: map[string]*field.Property{}},
		{ID: 9, Name: "Twin", Fields: map[string]*field.Property{}},
	}}
}

func tokyo(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skipf("no time zone database: %v", err)
	}
	return loc
}

// args turns values into positional driver arguments.
func args(vs ...any) []driver.NamedValue {
	out := make([]driver.NamedValue, len(vs))
	for i, v := range vs {
		out[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return out
}

// plan translates sql against the test schema and returns the *Select.
func planOf(t testing.TB, sql string, opts Options, vs ...any) *Select {
	t.Helper()
	st, err := Translate(context.Background(), sql, testSchema(), opts, args(vs...))
	if err != nil {
		t.Fatalf("Translate(%q): %v", sql, err)
	}
	return st.(*Select)
}

// namedArg is a :name argument.
func namedArg(name string, v any) driver.NamedValue { return driver.NamedValue{Name: name, Value: v} }
