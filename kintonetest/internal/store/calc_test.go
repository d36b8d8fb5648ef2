package store

import (
	"math/big"
	"testing"
)

func TestCalc(t *testing.T) {
	cases := []struct {
		expr, format string
		want         string
	}{
		{"a + b * 2", "", "7"},
		{"(a + b) * 2", "NUMBER", "8"},
		{"a / 3", "NUMBER_DIGIT", "0.3333"},
		{"2 / 3", "", "0.6667"},
		{"0.00005", "", "0"},      // half to even at 4 places
		{"0.00015", "", "0.0002"}, // half to even at 4 places
		{"a ^ 3 - -b", "", "4"},
		{"2 ^ -2", "", "0.25"},
		{"empty + 1", "", "1"}, // an empty NUMBER counts as 0
		{"SUM(q)", "", "6"},    // a table column
		{"SUM(a, b, 10)", "", "14"},
		{"ROUND(1.25, 1)", "", "1.3"},
		{"ROUNDUP(-1.21, 1)", "", "-1.3"},
		{"ROUNDDOWN(1.29)", "", "1"},
		{"ROUND(1234, -2)", "", "1200"},
		{"IF(a > b, 1, 2)", "", "2"},
		{"IF(AND(a = 1, NOT(b <> 3)), 10, 20)", "", "10"},
		{"IF(OR(a >= 2, b <= 2), 10, 20)", "", "20"},
		{"other * 2", "", "14"}, // another CALC field
		{"a / 0", "", ""},
		{"a & b", "", ""},
		{`"text"`, "", ""},
		{"DATE_FORMAT(a, 1)", "", ""},
		{"nosuch + 1", "", ""},
		{"t + 1", "", ""}, // a text field
		{"a +", "", ""},
		{"a ! b", "", ""},
		{"IF(a, 1, 2)", "", ""},
		{"2 ^ 1000", "", ""},
		{"self + 1", "", ""}, // a cycle
		{"a", "DATE", ""},    // only number formats are computed
	}
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			s := openMem(t)
			app := mustApp(t, s, AppSpec{Name: "C", Fields: []*fieldProp{
				{Type: "NUMBER", Code: "a"},
				{Type: "NUMBER", Code: "b"},
				{Type: "NUMBER", Code: "empty"},
				{Type: "SINGLE_LINE_TEXT", Code: "t"},
				{Type: "CALC", Code: "other", Expression: "a + b + b"},
				{Type: "CALC", Code: "self", Expression: c.expr, Format: c.format},
				{Type: "SUBTABLE", Code: "tbl", Fields: map[string]*fieldProp{
					"q": {Type: "NUMBER", Code: "q"},
				}},
			}})
			add(t, s, user, app, in("a", `"1"`, "b", `"3"`, "t", `"x"`,
				"tbl", `[{"value":{"q":{"value":"1"}}},{"value":{"q":{"value":"5"}}},{"value":{}}]`))
			deepEqual(t, "self", record(t, s, app, 1).Values["self"], c.want)
		})
	}
}

func TestCalcInTableAndOnUpdate(t *testing.T) {
	s := openMem(t)
	app := mustApp(t, s, AppSpec{Name: "C", Fields: []*fieldProp{
		{Type: "NUMBER", Code: "rate"},
		{Type: "SUBTABLE", Code: "lines", Fields: map[string]*fieldProp{
			"qty":  {Type: "NUMBER", Code: "qty"},
			"line": {Type: "CALC", Code: "line", Expression: "qty * rate"},
		}},
		{Type: "CALC", Code: "total", Expression: "SUM(line)"},
	}})
	add(t, s, user, app, in("rate", `"2"`, "lines", `[{"value":{"qty":{"value":"3"},"line":{"value":"999"}}},{"value":{"qty":{"value":"4"}}}]`))
	r := record(t, s, app, 1)
	deepEqual(t, "lines", r.Values["lines"], []Row{
		{ID: 1, Values: map[string]any{"qty": "3", "line": "6"}},
		{ID: 2, Values: map[string]any{"qty": "4", "line": "8"}},
	})
	deepEqual(t, "total", r.Values["total"], "14")
	// Changing a top-level input recomputes the rows without touching the
	// old record's rows.
	if _, err := update(s, user, app, false, true, UpdateItem{ID: 1, Revision: -1, Record: in("rate", `"10"`)}); err != nil {
		t.Fatal(err)
	}
	deepEqual(t, "total after", record(t, s, app, 1).Values["total"], "70")
	deepEqual(t, "old rows", r.Values["lines"].([]Row)[0].Values["line"], "6")
}

func TestRoundRat(t *testing.T) {
	cases := []struct {
		in    string
		scale int
		mode  int
		want  string
	}{
		{"2.5", 0, roundHalfEven, "2"},
		{"3.5", 0, roundHalfEven, "4"},
		{"-2.5", 0, roundHalfEven, "-2"},
		{"2.5", 0, roundHalfUp, "3"},
		{"-2.5", 0, roundHalfUp, "-3"},
		{"2.1", 0, roundUp, "3"},
		{"-2.1", 0, roundUp, "-3"},
		{"2.9", 0, roundDown, "2"},
		{"-2.9", 0, roundDown, "-2"},
		{"155", -1, roundHalfEven, "160"},
		{"145", -1, roundHalfEven, "140"},
	}
	for _, c := range cases {
		r, _ := new(big.Rat).SetString(c.in)
		got := roundRat(r, c.scale, c.mode).RatString()
		if got != c.want {
			t.Errorf("roundRat(%s, %d, %d) = %s, want %s", c.in, c.scale, c.mode, got, c.want)
		}
	}
}
