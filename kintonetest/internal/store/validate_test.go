package store

import (
	"testing"
)

// validationSpec has a field for every validation rule of B.5.
func validationSpec() AppSpec {
	return AppSpec{Name: "V", Fields: []*fieldProp{
		{Type: "SINGLE_LINE_TEXT", Code: "title", Required: true},
		{Type: "SINGLE_LINE_TEXT", Code: "code", Unique: true},
		{Type: "SINGLE_LINE_TEXT", Code: "short", MinLength: "2", MaxLength: "4"},
		{Type: "LINK", Code: "web", Protocol: "WEB"},
		{Type: "LINK", Code: "mail", Protocol: "MAIL"},
		{Type: "NUMBER", Code: "price", MinValue: "0", MaxValue: "100.5"},
		{Type: "NUMBER", Code: "qty", Required: true, DefaultValue: "1"},
		{Type: "NUMBER", Code: "serial", Unique: true},
		{Type: "CHECK_BOX", Code: "tags", Options: opts("a", "b")},
		{Type: "MULTI_SELECT", Code: "ms", Required: true, Options: opts("x"), DefaultValue: []string{"x"}},
		{Type: "DROP_DOWN", Code: "dd", Options: opts("d1")},
		{Type: "RADIO_BUTTON", Code: "rb", Options: opts("r1"), DefaultValue: "r1"},
		{Type: "DATE", Code: "day"},
		{Type: "DATE", Code: "uday", Unique: true},
		{Type: "TIME", Code: "at"},
		{Type: "DATETIME", Code: "when"},
		{Type: "USER_SELECT", Code: "owner", Required: true, DefaultValue: []any{map[string]any{"code": "LOGINUSER()", "type": "FUNCTION"}}},
		{Type: "FILE", Code: "att", Required: false},
		{Type: "SUBTABLE", Code: "lines", Fields: map[string]*fieldProp{
			"name": {Type: "SINGLE_LINE_TEXT", Code: "name", Required: true, MaxLength: "3"},
			"n":    {Type: "NUMBER", Code: "n", MaxValue: "10"},
			"opt":  {Type: "DROP_DOWN", Code: "opt", Options: opts("o1")},
		}},
	}}
}

// ok is a record that passes every rule.
var ok = []string{"title", `"T"`, "short", `"ab"`}

func withOK(pairs ...string) Input { return in(append(append([]string{}, ok...), pairs...)...) }

func TestAddValidation(t *testing.T) {
	cases := []struct {
		name string
		rec  Input
		want map[string][]string
	}{
		{"required missing", in("short", `"ab"`), map[string][]string{"record.title.value": {"Required."}}},
		{"required empty", in("title", `""`, "short", `"ab"`), map[string][]string{"record.title.value": {"Required."}}},
		{"required null", in("title", `null`, "short", `"ab"`), map[string][]string{"record.title.value": {"Required."}}},
		{"required number empty", withOK("qty", `""`), map[string][]string{"record.qty.value": {"Required."}}},
		{"required array empty", withOK("ms", `[]`), map[string][]string{"record.ms.values": {"Required."}}},
		{"required entities empty", withOK("owner", `[]`), map[string][]string{"record.owner.values.value": {"Required."}}},
		{"max length", withOK("short", `"abcde"`), map[string][]string{"record.short.value": {"Enter less than 5 characters."}}},
		{"max length utf16", withOK("short", `"abc😀"`), map[string][]string{"record.short.value": {"Enter less than 5 characters."}}},
		{"min length", withOK("short", `"a"`), map[string][]string{"record.short.value": {"Enter more than 1 characters."}}},
		{"min length empty", withOK("short", `""`), map[string][]string{"record.short.value": {"Enter more than 1 characters."}}},
		{"min length missing", in("title", `"T"`), map[string][]string{"record.short.value": {"Enter more than 1 characters."}}},
		{"length ok", withOK("short", `"ab😀"`), nil},
		{"unique text too long", withOK("code", jsonOf(string(make([]byte, 65)))), map[string][]string{"record.code.value": {"Enter less than 65 characters."}}},
		{"bad web link", withOK("web", `"ftp://x"`), map[string][]string{"record.web.value": {"Invalid URL format."}}},
		{"bad mail link", withOK("mail", `"nobody"`), map[string][]string{"record.mail.value": {"Invalid URL format."}}},
		{"good links", withOK("web", `"http://a.b/c"`, "mail", `"a@b"`), nil},
		{"not a number", withOK("price", `"12abc"`), map[string][]string{"record[price].value": {"Only numbers are allowed."}}},
		{"not a number required", withOK("qty", `"x"`), map[string][]string{"record[qty].value": {"Only numbers are allowed."}, "record.qty.value": {"Required."}}},
		{"number as JSON number", withOK("price", `12.50`), nil},
		{"max value", withOK("price", `"100.51"`), map[string][]string{"record.price.value": {"The value must be 100.5 or less."}}},
		{"min value", withOK("price", `"-1e-3"`), map[string][]string{"record.price.value": {"The value must be 0 or more."}}},
		{"bad option", withOK("dd", `"zz"`), map[string][]string{"record.dd.value": {`The value, "zz", is not in options.`}}},
		{"bad radio", withOK("rb", `"zz"`), map[string][]string{"record.rb.value": {`The value, "zz", is not in options.`}}},
		{"bad checkbox", withOK("tags", `["a","zz","yy"]`), map[string][]string{
			"record.tags.values[1].value": {`The value, "zz", is not in options.`},
			"record.tags.values[2].value": {`The value, "yy", is not in options.`}}},
		{"bad date", withOK("day", `"2023-02-30"`), map[string][]string{"record.day.value": {"Invalid date format."}}},
		{"bad time", withOK("at", `"24:00"`), map[string][]string{"record.at.value": {"Invalid time format."}}},
		{"bad datetime", withOK("when", `"2012-01-11T11:30"`), map[string][]string{"record.when.value": {"Invalid date and time format."}}},
		{"wrong JSON kind", withOK("short", `{"a":1}`, "tags", `"a"`, "owner", `"sato"`), map[string][]string{
			"record.short.value": {"Invalid value.", "Enter more than 1 characters."}, "record.tags.values": {"Invalid value."},
			"record.owner.values": {"Invalid value."}, "record.owner.values.value": {"Required."}}},
		{"entity without code", withOK("owner", `[{"name":"x"}]`), map[string][]string{
			"record.owner.values[0].code": {"Required field."}, "record.owner.values.value": {"Required."}}},
		{"table rows", withOK("lines", `[{"value":{"name":{"value":"ok"}}},{"value":{"name":{"value":"toolong"},"n":{"value":"11"},"opt":{"value":"bad"}}},{"value":{}}]`),
			map[string][]string{
				"record.lines.value[1].value.name.value": {"Enter less than 4 characters."},
				"record.lines.value[1].value.n.value":    {"The value must be 10 or less."},
				"record.lines.value[1].value.opt.value":  {`The value, "bad", is not in options.`},
				"record.lines.value[2].value.name.value": {"Required."},
			}},
		{"table malformed", withOK("lines", `{"value":1}`), map[string][]string{"record.lines.value": {"Invalid value."}}},
		{"many at once", in("title", `""`, "price", `"1000"`, "day", `"x"`), map[string][]string{
			"record.title.value": {"Required."}, "record.short.value": {"Enter more than 1 characters."}, "record.price.value": {"The value must be 100.5 or less."},
			"record.day.value": {"Invalid date format."}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := openMem(t)
			app := mustApp(t, s, validationSpec())
			err := tryAdd(s, user, app, true, c.rec)
			if c.want == nil {
				if err != nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			wantErrors(t, err, c.want)
			if recs, _, _ := s.Records(app); len(recs) != 0 {
				t.Fatalf("%d records stored by a failed add", len(recs))
			}
		})
	}
}

func TestBulkKeysAndAllErrors(t *testing.T) {
	s := openMem(t)
	app := mustApp(t, s, validationSpec())
	err := tryAdd(s, user, app, false,
		withOK(),
		in("title", `""`, "short", `"ab"`),
		withOK("price", `"abc"`, "lines", `[{"value":{"name":{"value":"abcd"}}}]`),
	)
	wantErrors(t, err, map[string][]string{
		"records[1].title.value":                     {"Required."},
		"records[2][price].value":                    {"Only numbers are allowed."},
		"records[2].lines.value[0].value.name.value": {"Enter less than 4 characters."},
	})
	if recs, _, _ := s.Records(app); len(recs) != 0 {
		t.Fatalf("bulk add is not all-or-nothing: %d records", len(recs))
	}
	// Update keys carry the item's "record" parameter.
	add(t, s, user, app, withOK())
	_, err = update(s, user, app, false, false,
		UpdateItem{ID: 1, Revision: -1, Record: in("price", `"-5"`)})
	wantErrors(t, err, map[string][]string{"records[0].record.price.value": {"The value must be 0 or more."}})
}

func TestUniqueValues(t *testing.T) {
	s := openMem(t)
	app := mustApp(t, s, validationSpec())
	add(t, s, user, app, withOK("code", `"A"`, "serial", `"1.0"`, "uday", `"2024-1-2"`))
	cases := []struct {
		name string
		recs []Input
		want map[string][]string
	}{
		{"text", []Input{withOK("code", `"A"`)}, map[string][]string{"records[0].code.value": {"This value already exists in another record."}}},
		{"number by value", []Input{withOK("serial", `"1e0"`)}, map[string][]string{"records[0].serial.value": {"This value already exists in another record."}}},
		{"date normalized", []Input{withOK("uday", `"2024-01-02"`)}, map[string][]string{"records[0].uday.value": {"This value already exists in another record."}}},
		{"within the request", []Input{withOK("code", `"B"`), withOK("code", `"B"`)}, map[string][]string{"records[1].code.value": {"This value already exists in another record."}}},
		{"case differs", []Input{withOK("code", `"a"`)}, nil},
		{"empty is never a duplicate", []Input{withOK("code", `""`), withOK("code", `""`)}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := s.Write(user, func(tx *Tx) error {
				_, err := tx.Add(app, c.recs, false)
				if err == nil {
					return errRollback // keep the store as it was
				}
				return err
			})
			if c.want == nil {
				if err != errRollback {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			wantErrors(t, err, c.want)
		})
	}
}
