package field

import (
	"slices"
	"strings"
	"testing"
)

// ops parses a space-separated operator list as the doc tables write it,
// with the two-word operators joined by '_'.
func ops(s string) []Op {
	var out []Op
	for _, w := range strings.Fields(s) {
		out = append(out, Op(strings.ReplaceAll(w, "_", " ")))
	}
	return out
}

// TestOperatorsA5 transcribes QUERY-AND-FIELDS.md A.5 row by row.
func TestOperatorsA5(t *testing.T) {
	want := map[Type][]Op{
		ID:                 ops("= != > < >= <= in not_in"),
		RecordNumber:       ops("= != > < >= <= in not_in"),
		Creator:            ops("in not_in"),
		Modifier:           ops("in not_in"),
		CreatedTime:        ops("= != > < >= <="),
		UpdatedTime:        ops("= != > < >= <="),
		SingleLineText:     ops("= != in not_in like not_like"),
		Link:               ops("= != in not_in like not_like"),
		Number:             ops("= != > < >= <= in not_in"),
		Calc:               ops("= != > < >= <= in not_in"),
		MultiLineText:      ops("like not_like is_empty is_not_empty"),
		RichText:           ops("like not_like"),
		CheckBox:           ops("in not_in"),
		RadioButton:        ops("in not_in"),
		DropDown:           ops("in not_in"),
		MultiSelect:        ops("in not_in"),
		File:               ops("like not_like is_empty is_not_empty"),
		Date:               ops("= != > < >= <="),
		Time:               ops("= != > < >= <="),
		DateTime:           ops("= != > < >= <="),
		UserSelect:         ops("in not_in"),
		OrganizationSelect: ops("in not_in"),
		GroupSelect:        ops("in not_in"),
		Status:             ops("= != in not_in"),
		StatusAssignee:     ops("in not_in"),
		// Not queryable: CATEGORY, GROUP ("なし"), $revision, layout types,
		// REFERENCE_TABLE and SUBTABLE themselves.
		Category: nil, Group: nil, Revision: nil, Label: nil, Spacer: nil, HR: nil,
		ReferenceTable: nil, Subtable: nil,
	}
	all := ops("= != > < >= <= in not_in like not_like is_empty is_not_empty")
	for _, typ := range Types() {
		w, ok := want[typ]
		if !ok {
			t.Errorf("%s: no expectation transcribed", typ)
			continue
		}
		if got := typ.Info().Ops; !slices.Equal(got, w) {
			t.Errorf("%s: Ops = %q, want %q", typ, got, w)
		}
		if typ.Queryable() != (len(w) > 0) {
			t.Errorf("%s: Queryable = %v", typ, typ.Queryable())
		}
		for _, op := range all {
			allowed := slices.Contains(w, op)
			if got := typ.Allows(op, false); got != allowed {
				t.Errorf("%s.Allows(%q, false) = %v, want %v", typ, op, got, allowed)
			}
			// Inside a subtable = and != give GAIA_IQ07; everything else
			// the type allows stays allowed.
			inSub := allowed && op != Eq && op != Ne
			if got := typ.Allows(op, true); got != inSub {
				t.Errorf("%s.Allows(%q, true) = %v, want %v", typ, op, got, inSub)
			}
		}
	}
}

// TestFunctionsA5 checks the function column of A.5 and the "allowed on"
// column of A.7.
func TestFunctionsA5(t *testing.T) {
	dateFns := strings.Fields("TODAY YESTERDAY TOMORROW FROM_TODAY THIS_WEEK LAST_WEEK NEXT_WEEK " +
		"THIS_MONTH LAST_MONTH NEXT_MONTH THIS_YEAR LAST_YEAR NEXT_YEAR")
	want := map[Type][]string{
		Creator:            {"LOGINUSER"},
		Modifier:           {"LOGINUSER"},
		UserSelect:         {"LOGINUSER"},
		StatusAssignee:     {"LOGINUSER"},
		OrganizationSelect: {"PRIMARY_ORGANIZATION"},
		CreatedTime:        append([]string{"NOW"}, dateFns...),
		UpdatedTime:        append([]string{"NOW"}, dateFns...),
		DateTime:           append([]string{"NOW"}, dateFns...),
		Date:               dateFns, // everything except NOW()
	}
	every := append([]string{"LOGINUSER", "PRIMARY_ORGANIZATION", "NOW"}, dateFns...)
	for _, typ := range Types() {
		for _, fn := range every {
			if got, w := typ.AllowsFunc(fn), slices.Contains(want[typ], fn); got != w {
				t.Errorf("%s.AllowsFunc(%q) = %v, want %v", typ, fn, got, w)
			}
		}
		if typ.AllowsFunc("now") || typ.AllowsFunc("NOW()") {
			t.Errorf("%s: AllowsFunc takes upper-case names without parentheses only", typ)
		}
	}
}

// TestSortableA8 transcribes the sortable and unsortable lists of A.8.
func TestSortableA8(t *testing.T) {
	sortable := []Type{RecordNumber, ID, Creator, Modifier, CreatedTime, UpdatedTime,
		SingleLineText, Number, Calc, RadioButton, DropDown, Date, Time, DateTime, Link, Status}
	unsortable := []Type{MultiLineText, RichText, CheckBox, MultiSelect, UserSelect,
		OrganizationSelect, GroupSelect, StatusAssignee, Category, File, Subtable,
		ReferenceTable, Group}
	for _, typ := range sortable {
		if !typ.Sortable() {
			t.Errorf("%s: Sortable = false; A.8 lists it as sortable", typ)
		}
	}
	for _, typ := range unsortable {
		if typ.Sortable() {
			t.Errorf("%s: Sortable = true; A.8 lists it as not sortable", typ)
		}
	}
	// Types neither list names hold no sortable value.
	for _, typ := range []Type{Revision, Label, Spacer, HR} {
		if typ.Sortable() {
			t.Errorf("%s: Sortable = true", typ)
		}
	}
}

// TestWriteRulesB1 transcribes the W column, the value shapes and the
// "Empty on read" column of B.1.
func TestWriteRulesB1(t *testing.T) {
	tests := []struct {
		typ   Type
		write Write
		shape Shape
		null  bool
	}{
		{ID, ReadOnly, Scalar, false},
		{Revision, ReadOnly, Scalar, false},
		{RecordNumber, ReadOnly, Scalar, false},
		{Creator, CreateOnly, Entity, false},
		{Modifier, CreateOnly, Entity, false},
		{CreatedTime, CreateOnly, Scalar, false},
		{UpdatedTime, CreateOnly, Scalar, false},
		{SingleLineText, Writable, Scalar, false},
		{MultiLineText, Writable, Scalar, false},
		{RichText, Writable, Scalar, false},
		{Link, Writable, Scalar, false},
		{Number, Writable, Scalar, false},
		{Calc, ReadOnly, Scalar, false},
		{CheckBox, Writable, Strings, false},
		{MultiSelect, Writable, Strings, false},
		{RadioButton, Writable, Scalar, true},
		{DropDown, Writable, Scalar, true},
		{Date, Writable, Scalar, true},
		{Time, Writable, Scalar, true},
		{DateTime, Writable, Scalar, false},
		{UserSelect, Writable, Entities, false},
		{OrganizationSelect, Writable, Entities, false},
		{GroupSelect, Writable, Entities, false},
		{File, Writable, Files, false},
		{Subtable, Writable, Rows, false},
		{Category, ReadOnly, Strings, false},
		{Status, ReadOnly, Scalar, false},
		{StatusAssignee, ReadOnly, Entities, false},
		{ReferenceTable, ReadOnly, NoValue, false},
		{Label, ReadOnly, NoValue, false},
		{Spacer, ReadOnly, NoValue, false},
		{HR, ReadOnly, NoValue, false},
		{Group, ReadOnly, NoValue, false},
	}
	if len(tests) != len(Types()) {
		t.Errorf("%d rows for %d types", len(tests), len(Types()))
	}
	for _, tt := range tests {
		info, ok := Lookup(tt.typ)
		if !ok || !tt.typ.Known() {
			t.Errorf("%s: not known", tt.typ)
			continue
		}
		if info.Write != tt.write || info.Shape != tt.shape || info.NullWhenEmpty != tt.null {
			t.Errorf("%s: Write, Shape, NullWhenEmpty = %v, %v, %v; want %v, %v, %v",
				tt.typ, info.Write, info.Shape, info.NullWhenEmpty, tt.write, tt.shape, tt.null)
		}
		if tt.typ.HasValue() != (tt.shape != NoValue) {
			t.Errorf("%s: HasValue = %v", tt.typ, tt.typ.HasValue())
		}
		multi := tt.shape == Strings || tt.shape == Entities || tt.shape == Files || tt.shape == Rows
		if tt.typ.MultiValued() != multi {
			t.Errorf("%s: MultiValued = %v", tt.typ, tt.typ.MultiValued())
		}
	}
}

// TestInSubtable lists the types a table may hold (the js-sdk's
// FieldPropertyInSubtable union; lookups are SINGLE_LINE_TEXT or NUMBER).
func TestInSubtable(t *testing.T) {
	in := []Type{SingleLineText, Number, Calc, MultiLineText, RichText, Link, CheckBox,
		RadioButton, DropDown, MultiSelect, File, Date, Time, DateTime, UserSelect,
		OrganizationSelect, GroupSelect}
	for _, typ := range Types() {
		if got, want := typ.Info().InSubtable, slices.Contains(in, typ); got != want {
			t.Errorf("%s: InSubtable = %v, want %v", typ, got, want)
		}
	}
}

func TestTypeClasses(t *testing.T) {
	system := []Type{ID, Revision, RecordNumber, Creator, Modifier, CreatedTime, UpdatedTime}
	notAddable := append(slices.Clone(system), Status, StatusAssignee, Category, Label, Spacer, HR)
	for _, typ := range Types() {
		if got, want := typ.IsSystem(), slices.Contains(system, typ); got != want {
			t.Errorf("%s: IsSystem = %v, want %v", typ, got, want)
		}
		if got, want := typ.UserAddable(), !slices.Contains(notAddable, typ); got != want {
			t.Errorf("%s: UserAddable = %v, want %v", typ, got, want)
		}
	}
	unknown := Type("NOPE")
	if unknown.Known() || unknown.Queryable() || unknown.Sortable() || unknown.HasValue() ||
		unknown.UserAddable() || unknown.Allows(In, false) {
		t.Error("an unknown type must have the zero Info")
	}
	if _, ok := Lookup(unknown); ok {
		t.Error("Lookup of an unknown type reports ok")
	}
	seen := map[Type]bool{}
	for _, typ := range Types() {
		if seen[typ] {
			t.Errorf("Types lists %s twice", typ)
		}
		seen[typ] = true
	}
}
