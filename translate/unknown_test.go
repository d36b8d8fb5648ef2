package translate

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// TestUnknownTableSuggestsTheNearestTables checks that a table name no app
// has gets the nearest known names as "did you mean", and else says where
// the names are listed, like an unknown DSN key.
func TestUnknownTableSuggestsTheNearestTables(t *testing.T) {
	tests := []struct {
		sql  string
		name string
		want []string // suggestions
		hint string
	}{
		{"SELECT * FROM Ordrs", "Ordrs", []string{"Orders"}, ""},
		{"SELECT * FROM ORDD", "ORDD", []string{"ORD"}, ""},
		{"SELECT * FROM Custmers", "Custmers", []string{"Customers"}, ""},
		{"SELECT * FROM Twins", "Twins", []string{"Twin"}, ""},
		{"SELECT * FROM xyzzy", "xyzzy", nil, "SHOW TABLES lists the tables"},
		{"SELECT * FROM ORD.itemz", "ORD.itemz", []string{"ORD.items"}, ""},
		{"SELECT * FROM ORD.lines", "ORD.lines", nil, "the subtables of ORD are items"},
		{"SELECT * FROM `7`.items", "7.items", nil, "7 has no subtable"},
		{"SELECT * FROM information_schema.tabels", "information_schema.tabels", []string{"information_schema.tables"}, ""},
		{"INSERT INTO Ordrs (title) VALUES ('a')", "Ordrs", []string{"Orders"}, ""},
		{"SHOW COLUMNS FROM Ordrs", "Ordrs", []string{"Orders"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			_, err := Translate(context.Background(), tt.sql, testSchema(), Options{}, nil)
			var ute *sqlerr.UnknownTableError
			if !errors.As(err, &ute) {
				t.Fatalf("got %T %v, want an *UnknownTableError", err, err)
			}
			if ute.Name != tt.name || !reflect.DeepEqual(ute.Suggestions, tt.want) || ute.Hint != tt.hint {
				t.Errorf("got name %q, suggestions %q, hint %q; want %q, %q, %q", ute.Name, ute.Suggestions, ute.Hint, tt.name, tt.want, tt.hint)
			}
			for _, s := range tt.want {
				if !strings.Contains(err.Error(), `did you mean "`+s+`"`) {
					t.Errorf("message %q does not suggest %q", err, s)
				}
			}
			if tt.hint != "" && !strings.HasSuffix(err.Error(), ": "+tt.hint) {
				t.Errorf("message %q does not end with the hint", err)
			}
		})
	}
}

// ownErrorSchema answers every name with an *UnknownTableError of its own,
// as the driver's schema does.
type ownErrorSchema struct{ fakeSchema }

func (s *ownErrorSchema) App(context.Context, string) (*catalog.App, error) {
	return nil, &sqlerr.UnknownTableError{Suggestions: []string{"orders"}, Hint: "name it with apps=x:1"}
}

// TestUnknownTableFromTheSchemaKeepsItsHint checks that the Schema's own
// *UnknownTableError (with the names it knows and its hint) is what the
// statement fails with, with the position added.
func TestUnknownTableFromTheSchemaKeepsItsHint(t *testing.T) {
	_, err := Translate(context.Background(), "SELECT *\nFROM Ordrs", &ownErrorSchema{}, Options{}, nil)
	var ute *sqlerr.UnknownTableError
	if !errors.As(err, &ute) {
		t.Fatalf("got %T %v", err, err)
	}
	want := `kintone: unknown table "Ordrs" (at line 2, column 6): did you mean "orders"?; name it with apps=x:1`
	if err.Error() != want {
		t.Errorf("got  %q\nwant %q", err, want)
	}
}

// TestSubtableNamesFollowTheColumnCaseRule checks that a subtable, like a
// column, matches its exact code first, then ignoring case when only one
// subtable matches, and that two that differ only in case are named.
func TestSubtableNamesFollowTheColumnCaseRule(t *testing.T) {
	sub := func(code string) *field.Property {
		return &field.Property{Code: code, Type: field.Subtable, Fields: map[string]*field.Property{"x": prop("x", field.Number)}}
	}
	schema := &fakeSchema{apps: []*catalog.App{
		ordersApp(),
		{ID: 5, Code: "TWO", Fields: map[string]*field.Property{"Lines": sub("Lines"), "LINES": sub("LINES")}},
	}}
	for sql, want := range map[string]string{
		"SELECT x FROM ORD.ITEMS":                     "", // one subtable matches ignoring case
		"SELECT * FROM TWO.LINES":                     "", // exact
		"SELECT * FROM TWO.Lines":                     "",
		"SELECT * FROM TWO.lines":                     `table "TWO.lines" is ambiguous: it matches subtables "LINES" and "Lines"; write it with the exact case`,
		"SELECT * FROM ORD.Items WHERE items.qty > 1": "",
	} {
		_, err := Translate(context.Background(), strings.Replace(sql, "SELECT x", "SELECT qty", 1), schema, Options{}, nil)
		switch {
		case want == "" && err != nil:
			t.Errorf("%s: %v", sql, err)
		case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
			t.Errorf("%s: got %v, want %q", sql, err, want)
		}
	}
}

// TestUnknownColumnSuggestsTheNearestColumns checks that an unknown column
// gets the nearest column names, or where the table's columns are.
func TestUnknownColumnSuggestsTheNearestColumns(t *testing.T) {
	tests := []struct{ sql, want string }{
		{"SELECT titel FROM ORD", `unknown column "titel" in table "ORD": did you mean "title"?`},
		{"SELECT title FROM ORD WHERE amont > 1", `unknown column "amont" in table "ORD": did you mean "amount"?`},
		{"SELECT 顧客 FROM ORD", `unknown column "顧客" in table "ORD": did you mean "顧客名"?`},
		{"INSERT INTO ORD (titl) VALUES ('a')", `unknown column "titl" in table "ORD": did you mean "title"?`},
		{"UPDATE ORD SET amout = 1", `did you mean "amount"?`},
		{"SELECT zzzzzz FROM ORD", `unknown column "zzzzzz" in table "ORD": SHOW COLUMNS FROM ORD lists them`},
		{"SELECT nope FROM Customers", `unknown column "nope" in table "Customers": its columns are $id, $revision, name`},
		{"SHOW COLUMNS FROM ORD WHERE Fild = 'a'", `did you mean "Field"?`},
		{"SELECT qtty FROM ORD.items", `did you mean "qty"?`},
		{"SELECT " + strings.Repeat("x", 300) + " FROM ORD", `unknown column "` + strings.Repeat("x", 60) + `... (300 characters)"`},
	}
	for _, tt := range tests {
		_, err := Translate(context.Background(), tt.sql, testSchema(), Options{}, nil)
		var e *sqlerr.Error
		if !errors.As(err, &e) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%.60s: got %v, want %q", tt.sql, err, tt.want)
		}
	}
	// Table qualifiers and aliases follow the same case rule.
	for _, sql := range []string{"SELECT ord.title FROM ORD", "SELECT O.title FROM ORD o", "SELECT ITEMS.qty FROM ORD.items"} {
		if _, err := Translate(context.Background(), sql, testSchema(), Options{}, nil); err != nil {
			t.Errorf("%s: %v", sql, err)
		}
	}
}

// TestBareKeywordNamesKeepTheirCase checks that a field code that is an SQL
// keyword, written without backquotes (Date, Status), resolves by its case
// as written: the parser lower-cases such words, which made Date read the
// field date.
func TestBareKeywordNamesKeepTheirCase(t *testing.T) {
	kw := &catalog.App{ID: 11, Code: "KW", Fields: map[string]*field.Property{
		"Date": prop("Date", field.Date), "date": prop("date", field.Date),
		"Status": prop("Status", field.SingleLineText),
	}, Order: []string{"Date", "date", "Status"}}
	schema := &fakeSchema{apps: []*catalog.App{kw}}
	ctx := context.Background()
	st, err := Translate(ctx, "SELECT Date, date, Status, KW.Date FROM KW WHERE Date = '2024-01-02' AND date = '2024-01-03'", schema, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := st.(*Select)
	var names []string
	for _, c := range s.Columns {
		names = append(names, c.Name+"="+c.Field)
	}
	if want := []string{"Date=Date", "date=date", "Status=Status", "Date=Date"}; !reflect.DeepEqual(names, want) {
		t.Errorf("columns %q, want %q", names, want)
	}
	if q := s.Read.Query.String(); !strings.Contains(q, `Date = "2024-01-02"`) || !strings.Contains(q, `date = "2024-01-03"`) {
		t.Errorf("query %s does not keep the fields apart", q)
	}
	st, err = Translate(ctx, "INSERT INTO KW (Date, Status) VALUES ('2024-01-02', 'a')", schema, Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cols := st.(*Insert).Columns; !reflect.DeepEqual(cols, []string{"Date", "Status"}) {
		t.Errorf("INSERT writes %q, want the fields Date and Status", cols)
	}
}
