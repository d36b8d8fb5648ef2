package store

import (
	"testing"
	"time"
)

func TestAddEveryTypeRoundTrip(t *testing.T) {
	s := openMem(t)
	app := mustApp(t, s, allTypesSpec())
	key, err := s.Upload("a.txt", "text/plain", []byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	res := add(t, s, user, app, in(
		"text", `"hello"`,
		"memo", `"line1\nline2"`,
		"rich", `"<b>x</b>"`,
		"link", `"https://example.com/x"`,
		"num", `"1.5e1"`,
		"calc", `"999"`,
		"check", `["b","a"]`,
		"radio", `"r2"`,
		"drop", `"d2"`,
		"multi", `["m2"]`,
		"date", `"2015-7"`,
		"time", `"9:05"`,
		"dt", `"2012-03-22T14:00:59+09:00"`,
		"users", `[{"code":"sato"},{"code":"nobody"}]`,
		"orgs", `[{"code":"dev"}]`,
		"groups", `[{"code":"admins"}]`,
		"file", jsonOf([]map[string]string{{"fileKey": key}}),
		"items", `[{"value":{"item":{"value":"pen"},"qty":{"value":"3"},"price":{"value":"1.5"}}},{"value":{"item":{"value":"ink"},"qty":{"value":"x"}}}]`,
		"Record_number", `"77"`,
		"$id", `"99"`,
		"$revision", `"5"`,
		"Status", `"Done"`,
		"unknown", `"ignored"`,
	))
	deepEqual(t, "result", res, []IDRev{{ID: 1, Revision: 1}})
	r := record(t, s, app, 1)
	v := r.Values
	want := map[string]any{
		"text": "hello", "memo": "line1\nline2", "rich": "<b>x</b>", "link": "https://example.com/x",
		"num": "15", "calc": "30", "check": []string{"b", "a"}, "radio": "r2", "drop": "d2",
		"multi": []string{"m2"}, "date": "2015-07-01", "time": "09:05", "dt": "2012-03-22T05:00:00Z",
		"users":            []Entity{{Code: "sato", Name: "user:sato"}, {Code: "nobody", Name: "nobody"}},
		"orgs":             []Entity{{Code: "dev", Name: "organization:dev"}},
		"groups":           []Entity{{Code: "admins", Name: "group:admins"}},
		"Record_number":    "ALL-1",
		"Created_by":       Entity{Code: "sato", Name: "Sato"},
		"Updated_by":       Entity{Code: "sato", Name: "Sato"},
		"Created_datetime": "2024-03-22T05:07:00Z",
		"Updated_datetime": "2024-03-22T05:07:00Z",
	}
	for code, w := range want {
		deepEqual(t, code, v[code], w)
	}
	files := v["file"].([]FileRef)
	if len(files) != 1 || files[0].Name != "a.txt" || files[0].Size != 5 || files[0].ContentType != "text/plain" || files[0].FileKey == key {
		t.Fatalf("file = %+v (upload key %s)", files, key)
	}
	rows := v["items"].([]Row)
	if len(rows) != 2 || rows[0].ID != 1 || rows[1].ID != 2 {
		t.Fatalf("rows = %+v", rows)
	}
	deepEqual(t, "row 0", rows[0].Values, map[string]any{"item": "pen", "qty": "3", "price": "1.5", "sub": "4.5"})
	// A non-number inside a table is stored as "" without an error (B.1).
	deepEqual(t, "row 1", rows[1].Values, map[string]any{"item": "ink", "qty": "", "price": "", "sub": "0"})
	for _, code := range []string{"Status", "unknown", "$id"} {
		if _, ok := v[code]; ok {
			t.Errorf("value for %s stored", code)
		}
	}
}

func TestAddDefaults(t *testing.T) {
	s := openMem(t)
	spec := AppSpec{Name: "D", Fields: []*fieldProp{
		{Type: "SINGLE_LINE_TEXT", Code: "t", DefaultValue: "dflt"},
		{Type: "NUMBER", Code: "n", DefaultValue: "010"},
		{Type: "CHECK_BOX", Code: "c", Options: opts("x", "y"), DefaultValue: []any{"y"}},
		{Type: "RADIO_BUTTON", Code: "r", Options: opts("p", "q"), DefaultValue: "q"},
		{Type: "DROP_DOWN", Code: "dd", Options: opts("p", "q")},
		{Type: "DATE", Code: "d", DefaultNowValue: true},
		{Type: "DATE", Code: "d2", DefaultValue: "2020-02-03"},
		{Type: "TIME", Code: "tm", DefaultNowValue: true},
		{Type: "DATETIME", Code: "dt", DefaultNowValue: true},
		{Type: "DATETIME", Code: "dt2", DefaultValue: "2021-01-02T03:04"},
		{Type: "USER_SELECT", Code: "u", DefaultValue: []any{
			map[string]any{"code": "LOGINUSER()", "type": "FUNCTION"},
			map[string]any{"code": "kato", "type": "USER"},
		}},
		{Type: "ORGANIZATION_SELECT", Code: "o", DefaultValue: []any{map[string]any{"code": "PRIMARY_ORGANIZATION()", "type": "FUNCTION"}}},
		{Type: "FILE", Code: "f"},
		{Type: "SUBTABLE", Code: "tbl", Fields: map[string]*fieldProp{
			"it": {Type: "SINGLE_LINE_TEXT", Code: "it", DefaultValue: "row-default"},
		}},
	}}
	app := mustApp(t, s, spec)
	tokyo := user
	tokyo.Loc = tokyoLoc(t)
	tokyo.Now = testNow.Add(16 * time.Hour) // 2024-03-22T21:07Z is 03-23 06:07 in Tokyo
	err := s.Write(tokyo, func(tx *Tx) error {
		_, err := tx.Add(app, []Input{
			{},
			in("t", `""`, "c", `[]`, "r", `""`, "dd", `null`, "tbl", `[{"value":{}}, {"value":null}]`),
		}, false)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	v := record(t, s, app, 1).Values
	want := map[string]any{
		"t": "dflt", "n": "10", "c": []string{"y"}, "r": "q", "dd": "", "d": "2024-03-23", "d2": "2020-02-03",
		"tm": "06:07", "dt": "2024-03-22T21:07:00Z", "dt2": "2021-01-02T03:04:00Z",
		"u": []Entity{{Code: "sato", Name: "Sato"}, {Code: "kato", Name: "user:kato"}},
		"o": []Entity{}, "f": []FileRef{},
		"tbl": []Row{},
	}
	for code, w := range want {
		deepEqual(t, code, v[code], w)
	}
	// Explicit empty values are kept; a radio button's "" is its default.
	v = record(t, s, app, 2).Values
	deepEqual(t, "t", v["t"], "")
	deepEqual(t, "c", v["c"], []string{})
	deepEqual(t, "r", v["r"], "q")
	deepEqual(t, "dd", v["dd"], "")
	deepEqual(t, "tbl", v["tbl"], []Row{{ID: 1, Values: map[string]any{"it": "row-default"}}, {ID: 2, Values: map[string]any{"it": "row-default"}}})
}
