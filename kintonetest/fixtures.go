package kintonetest

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// App describes an app for CreateApp: its name, optional app code, where it
// lives, and its fields in form order. The system fields (record number,
// creator, created time, modifier, updated time) are added automatically.
type App struct {
	Name        string
	Code        string
	Description string
	// Space is the space the app belongs to; GuestSpace, when set, puts the
	// app in that guest space (it is then reachable only through
	// /k/guest/{GuestSpace}/v1/).
	Space      int64
	GuestSpace int64
	Fields     []Field
}

// Field describes one field of an App, with the settings of the form-fields
// API (QUERY-AND-FIELDS.md B.4). Type is a Kintone field type such as
// "SINGLE_LINE_TEXT", "NUMBER", "DATE", "CHECK_BOX" or "SUBTABLE".
type Field struct {
	Code  string
	Type  string
	Label string // empty means Code

	Required bool
	Unique   bool
	// Default is the defaultValue: a string, or []string for CHECK_BOX and
	// MULTI_SELECT, or []string of user codes for USER_SELECT (the string
	// "LOGINUSER()" names the function).
	Default    any
	DefaultNow bool

	MinLength, MaxLength int    // 0 means unset
	MinValue, MaxValue   string // "" means unset

	// Options lists the choices of CHECK_BOX, RADIO_BUTTON, DROP_DOWN and
	// MULTI_SELECT, in display order.
	Options []string

	// Expression and Format are a CALC field's formula and result format.
	Expression string
	Format     string
	// Protocol is a LINK field's WEB, CALL or MAIL.
	Protocol string
	// Fields are a SUBTABLE's inner fields.
	Fields []Field
}

func (f Field) property() *field.Property {
	p := &field.Property{
		Type: field.Type(f.Type), Code: f.Code, Label: f.Label,
		Required: f.Required, Unique: f.Unique, DefaultNowValue: f.DefaultNow,
		MinValue: f.MinValue, MaxValue: f.MaxValue,
		Expression: f.Expression, Format: f.Format, Protocol: f.Protocol,
	}
	if p.Label == "" {
		p.Label = f.Code
	}
	if f.MinLength > 0 {
		p.MinLength = strconv.Itoa(f.MinLength)
	}
	if f.MaxLength > 0 {
		p.MaxLength = strconv.Itoa(f.MaxLength)
	}
	if p.Type == field.Link && p.Protocol == "" {
		p.Protocol = "WEB"
	}
	if p.Type == field.Calc && p.Format == "" {
		p.Format = "NUMBER"
	}
	if len(f.Options) > 0 {
		p.Options = make(map[string]field.Option, len(f.Options))
		for i, o := range f.Options {
			p.Options[o] = field.Option{Label: o, Index: strconv.Itoa(i)}
		}
	}
	switch d := f.Default.(type) {
	case nil:
	case []string:
		switch p.Type {
		case field.UserSelect, field.OrganizationSelect, field.GroupSelect:
			ents := make([]field.DefaultEntity, len(d))
			for i, code := range d {
				typ := map[field.Type]string{field.UserSelect: "USER", field.OrganizationSelect: "ORGANIZATION", field.GroupSelect: "GROUP"}[p.Type]
				if code == "LOGINUSER()" || code == "PRIMARY_ORGANIZATION()" {
					typ = "FUNCTION"
				}
				ents[i] = field.DefaultEntity{Code: code, Type: typ}
			}
			p.DefaultValue = ents
		default:
			p.DefaultValue = d
		}
	default:
		p.DefaultValue = fmt.Sprint(d)
	}
	if len(f.Fields) > 0 {
		p.Fields = make(map[string]*field.Property, len(f.Fields))
		for _, inner := range f.Fields {
			p.Fields[inner.Code] = inner.property()
		}
	}
	return p
}

// CreateApp creates an app with its fields already deployed and returns its
// ID. To create apps the way Kintone's API does (preview, then deploy), use
// the REST endpoints.
func (s *Server) CreateApp(a App) (int64, error) {
	first, _ := s.dir.firstUser()
	spec := store.AppSpec{
		Name: a.Name, Code: a.Code, Description: a.Description,
		SpaceID: a.Space, GuestSpaceID: a.GuestSpace,
		Creator: store.Entity{Code: first.Login, Name: first.Name},
	}
	if spec.GuestSpaceID != 0 && spec.SpaceID == 0 {
		spec.SpaceID = spec.GuestSpaceID
	}
	for _, f := range a.Fields {
		spec.Fields = append(spec.Fields, f.property())
	}
	app, err := s.store.CreateApp(spec)
	if err != nil {
		return 0, fmt.Errorf("kintonetest: create app %q: %w", a.Name, err)
	}
	return app.ID, nil
}

// Record is a record for AddRecords: field code to the field's value. A
// value is what the "value" of record JSON holds (QUERY-AND-FIELDS.md B.1):
// a string for text, number, date and the like, []string for CHECK_BOX and
// MULTI_SELECT, []map[string]string{{"code": "sato"}} for user selections.
// Two conveniences: a time.Time is written in the field's DATE, TIME or
// DATETIME form, and a SUBTABLE value may be given as []Record, one per row.
type Record map[string]any

// fixtureBatch is how many records AddRecords writes per store transaction.
const fixtureBatch = 5000

// AddRecords adds records directly to the store, validated as POST
// records.json validates them but with no HTTP and no 100-record limit, and
// returns their IDs. They are recorded as created by the first user.
func (s *Server) AddRecords(app int64, recs ...Record) ([]int64, error) {
	a, ok := s.store.App(app)
	if !ok {
		return nil, fmt.Errorf("kintonetest: app %d not found", app)
	}
	form := s.liveForm(a)
	first, _ := s.dir.firstUser()
	actor := store.Actor{User: store.Entity{Code: first.Login, Name: first.Name}, Admin: true, Now: s.now(), Loc: s.cfg.loc}
	ids := make([]int64, 0, len(recs))
	for start := 0; start < len(recs); start += fixtureBatch {
		batch := recs[start:min(start+fixtureBatch, len(recs))]
		ins := make([]store.Input, len(batch))
		for i, r := range batch {
			in, err := r.input(form)
			if err != nil {
				return ids, fmt.Errorf("kintonetest: record %d: %w", start+i, err)
			}
			ins[i] = in
		}
		err := s.store.Write(actor, func(tx *store.Tx) error {
			res, err := tx.Add(app, ins, false)
			for _, r := range res {
				ids = append(ids, r.ID)
			}
			return err
		})
		if err != nil {
			return ids[:start], fmt.Errorf("kintonetest: add records %d..%d: %w", start, start+len(batch)-1, err)
		}
	}
	return ids, nil
}

func (r Record) input(form *store.Form) (store.Input, error) {
	in := make(store.Input, len(r))
	for code, v := range r {
		v = fixtureValue(form.Fields[code], v)
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", code, err)
		}
		in[code] = b
	}
	return in, nil
}

// fixtureValue turns the conveniences of Record into record JSON values.
func fixtureValue(p *field.Property, v any) any {
	switch v := v.(type) {
	case time.Time:
		typ := field.DateTime
		if p != nil {
			typ = p.Type
		}
		return timeValue(typ, v)
	case []Record:
		rows := make([]map[string]any, len(v))
		for i, row := range v {
			cells := make(map[string]any, len(row))
			for code, cv := range row {
				var inner *field.Property
				if p != nil {
					inner = p.Fields[code]
				}
				cells[code] = map[string]any{"value": fixtureValue(inner, cv)}
			}
			rows[i] = map[string]any{"value": cells}
		}
		return rows
	}
	return v
}

// timeValue writes t in the form a field of type typ takes.
func timeValue(typ field.Type, t time.Time) string {
	switch typ {
	case field.Date:
		return t.Format("2006-01-02")
	case field.Time:
		return t.Format("15:04")
	}
	return t.UTC().Format(time.RFC3339)
}
