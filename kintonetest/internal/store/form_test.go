package store

import (
	"testing"

	"github.com/kintone-sql/kintone/internal/field"
)

func TestAddPreviewFields(t *testing.T) {
	s := openMem(t)
	app := mustApp(t, s, AppSpec{Name: "F", Fields: []*fieldProp{{Type: "SINGLE_LINE_TEXT", Code: "a"}}})
	rev, err := s.AddPreviewFields(app, map[string]*fieldProp{
		"n":   {Type: "NUMBER", MinValue: "1e1", MaxValue: "20"},
		"cb":  {Type: "CHECK_BOX", Unique: true, Options: map[string]field.Option{"x": {}, "y": {Label: "Why"}}},
		"tbl": {Type: "SUBTABLE", Required: true, Fields: map[string]*fieldProp{"in": {Type: "SINGLE_LINE_TEXT", Unique: true}}},
	}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if rev != 2 {
		t.Fatalf("revision %d", rev)
	}
	a, _ := s.App(app)
	p := a.Preview.Fields
	if p["n"].Label != "n" || p["n"].MinValue != "10" || p["n"].DefaultValue != "" {
		t.Errorf("n normalized to %+v", p["n"])
	}
	if p["cb"].Unique || p["cb"].Options["x"].Label != "x" || p["cb"].Options["y"].Label != "Why" {
		t.Errorf("cb normalized to %+v", p["cb"])
	}
	deepEqual(t, "cb default", p["cb"].DefaultValue, []string{})
	if p["tbl"].Required || p["tbl"].Fields["in"].Unique {
		t.Errorf("tbl normalized to %+v", p["tbl"])
	}
	if a.Live.Fields["n"] != nil {
		t.Error("preview change reached the live form")
	}
	// User fields go before the trailing built-in fields.
	order := a.Preview.Order
	if order[0] != "Record_number" || order[1] != "a" || order[len(order)-1] != "Assignee" {
		t.Errorf("order %v", order)
	}

	cases := []struct {
		name  string
		props map[string]*fieldProp
		rev   int64
		code  string
		key   string
	}{
		{"stale revision", map[string]*fieldProp{"z": {Type: "NUMBER"}}, 1, "GAIA_CO03", ""},
		{"built-in type", map[string]*fieldProp{"z": {Type: "STATUS"}}, -1, "GAIA_UN10", ""},
		{"layout type", map[string]*fieldProp{"z": {Type: "LABEL"}}, -1, "CB_VA01", "properties[z].type"},
		{"unknown type", map[string]*fieldProp{"z": {Type: "NOPE"}}, -1, "CB_VA01", "properties[z].type"},
		{"table type in table", map[string]*fieldProp{"z": {Type: "SUBTABLE", Fields: map[string]*fieldProp{"zz": {Type: "SUBTABLE"}}}}, -1, "CB_VA01", "properties[z].fields[zz].type"},
		{"code in use", map[string]*fieldProp{"a": {Type: "NUMBER"}}, -1, "CB_VA01", "properties[a].code"},
		{"inner code in use", map[string]*fieldProp{"z": {Type: "SUBTABLE", Fields: map[string]*fieldProp{"in": {Type: "NUMBER"}}}}, -1, "CB_VA01", "properties[z].fields[in].code"},
		{"code differs from key", map[string]*fieldProp{"z": {Type: "NUMBER", Code: "y"}}, -1, "CB_VA01", "properties[z].code"},
		{"reserved code", map[string]*fieldProp{"Status": {Type: "NUMBER"}}, -1, "CB_VA01", "properties[Status].code"},
		{"bad code", map[string]*fieldProp{"1abc": {Type: "NUMBER"}}, -1, "CB_VA01", "properties[1abc].code"},
		{"table without fields", map[string]*fieldProp{"z": {Type: "SUBTABLE"}}, -1, "CB_VA01", "properties[z].fields"},
		{"bad length", map[string]*fieldProp{"z": {Type: "SINGLE_LINE_TEXT", MaxLength: "x"}}, -1, "CB_VA01", "properties[z].maxLength"},
		{"bad value", map[string]*fieldProp{"z": {Type: "NUMBER", MinValue: "x"}}, -1, "CB_VA01", "properties[z].minValue"},
		{"nil property", map[string]*fieldProp{"z": nil}, -1, "CB_VA01", "properties[z]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.AddPreviewFields(app, c.props, c.rev)
			e := wantCode(t, err, c.code)
			if c.key != "" && e.Errors[c.key] == nil {
				t.Fatalf("no message under %s: %v", c.key, e)
			}
		})
	}
	_, err = s.AddPreviewFields(99, map[string]*fieldProp{"z": {Type: "NUMBER"}}, -1)
	wantCode(t, err, "GAIA_AP01")
	if a, _ := s.App(app); a.Preview.Revision != 2 {
		t.Fatalf("failed changes moved the revision to %d", a.Preview.Revision)
	}
}

func TestUpdateAndDeletePreviewFields(t *testing.T) {
	s := openMem(t)
	app := mustApp(t, s, AppSpec{Name: "F", Fields: []*fieldProp{
		{Type: "SINGLE_LINE_TEXT", Code: "a", Label: "A"},
		{Type: "NUMBER", Code: "b"},
		{Type: "SUBTABLE", Code: "t", Fields: map[string]*fieldProp{"x": {Type: "NUMBER", Code: "x"}}},
	}})
	if _, err := s.UpdatePreviewFields(app, map[string]*fieldProp{
		"a":             {Required: true},
		"Created_by":    {Label: "Author", Code: "author", Required: true},
		"t":             {Fields: map[string]*fieldProp{"x": {MaxValue: "9"}, "y": {Type: "DATE"}}},
		"Record_number": {Label: "No."},
	}, -1); err != nil {
		t.Fatal(err)
	}
	a, _ := s.App(app)
	p := a.Preview.Fields
	if !p["a"].Required || p["a"].Label != "A" {
		t.Errorf("a = %+v", p["a"])
	}
	if au := p["author"]; au == nil || au.Label != "Author" || au.Required || p["Created_by"] != nil {
		t.Errorf("creator = %+v", au)
	}
	if p["t"].Fields["x"].MaxValue != "9" || p["t"].Fields["y"] == nil {
		t.Errorf("table = %+v", p["t"].Fields)
	}
	if p["Record_number"].Label != "No." {
		t.Errorf("record number label %q", p["Record_number"].Label)
	}

	cases := []struct {
		name  string
		props map[string]*fieldProp
		code  string
		key   string
	}{
		{"unknown code", map[string]*fieldProp{"zz": {}}, "GAIA_FC01", ""},
		{"type change", map[string]*fieldProp{"a": {Type: "NUMBER"}}, "CB_VA01", "properties[a].type"},
		{"status", map[string]*fieldProp{"Status": {Label: "S"}}, "GAIA_UN10", ""},
		{"rename onto another", map[string]*fieldProp{"a": {Code: "b"}}, "CB_VA01", "properties[a].code"},
		{"rename built-in onto another", map[string]*fieldProp{"author": {Code: "b"}}, "CB_VA01", "properties[author].code"},
		{"built-in bad code", map[string]*fieldProp{"author": {Code: "a b"}}, "CB_VA01", "properties[author].code"},
		{"inner error", map[string]*fieldProp{"t": {Fields: map[string]*fieldProp{"x": {MinValue: "no"}}}}, "CB_VA01", "properties[t].fields[x].minValue"},
		{"nil", map[string]*fieldProp{"a": nil}, "CB_VA01", "properties[a]"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.UpdatePreviewFields(app, c.props, -1)
			e := wantCode(t, err, c.code)
			if c.key != "" && e.Errors[c.key] == nil {
				t.Fatalf("no message under %s: %v", c.key, e)
			}
		})
	}

	_, err := s.DeletePreviewFields(app, []string{"zz"}, -1)
	wantCode(t, err, "GAIA_FC01")
	_, err = s.DeletePreviewFields(app, []string{"author"}, -1)
	wantCode(t, err, "GAIA_UN10")
	if _, err := s.DeletePreviewFields(app, []string{"b", "y"}, -1); err != nil {
		t.Fatal(err)
	}
	a, _ = s.App(app)
	if a.Preview.Fields["b"] != nil || a.Preview.Fields["t"].Fields["y"] != nil {
		t.Fatal("fields not deleted")
	}
	for _, c := range a.Preview.Order {
		if c == "b" {
			t.Fatal("deleted field still in the order")
		}
	}
}
