package store

import (
	"time"

	"github.com/kintone-sql/kintone/internal/field"
)

// defaultStrings converts a CHECK_BOX or MULTI_SELECT defaultValue to
// []string: nil is empty, a JSON-decoded []any keeps its strings, and a
// lone string is a one-element list.
func defaultStrings(dv any) []string {
	switch v := dv.(type) {
	case []string:
		return append([]string{}, v...)
	case []any:
		out := make([]string, 0, len(v))
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case string:
		if v != "" {
			return []string{v}
		}
	}
	return []string{}
}

// defaultEntities converts a selection field's defaultValue to
// []field.DefaultEntity; JSON-decoded objects ({"code","type"}) are read
// by key.
func defaultEntities(dv any) []field.DefaultEntity {
	switch v := dv.(type) {
	case []field.DefaultEntity:
		return append([]field.DefaultEntity{}, v...)
	case []any:
		out := make([]field.DefaultEntity, 0, len(v))
		for _, e := range v {
			switch m := e.(type) {
			case map[string]any:
				code, _ := m["code"].(string)
				typ, _ := m["type"].(string)
				out = append(out, field.DefaultEntity{Code: code, Type: typ})
			case field.DefaultEntity:
				out = append(out, m)
			}
		}
		return out
	}
	return []field.DefaultEntity{}
}

// The FUNCTION defaults of the selection fields (B.4).
const (
	funcLoginUser   = "LOGINUSER()"
	funcPrimaryOrg  = "PRIMARY_ORGANIZATION()"
	entityFunction  = "FUNCTION"
	entityTypeUser  = "USER"
	entityTypeGroup = "GROUP"
	entityTypeOrg   = "ORGANIZATION"
)

// defaultValue returns the value a field gets on add when the request
// leaves it out (B.4 "Defaults on create"): defaultNowValue first for the
// date and time types, then defaultValue, normalized like a written value.
// A default that would not be accepted as a written value (a malformed
// date, a number that is not one) is dropped rather than stored, since
// form validation does not check defaults. The second result is false for
// fields that get no value at all (read-only and system fields).
func (w *recordWriter) defaultValue(p *field.Property) (any, bool) {
	now := w.now
	loc := w.tx.actor.Loc
	if loc == nil {
		loc = time.UTC
	}
	switch p.Type {
	case field.SingleLineText, field.MultiLineText, field.RichText, field.Link, field.RadioButton, field.DropDown:
		s, _ := p.DefaultValue.(string)
		return s, true
	case field.Number:
		s, _ := p.DefaultValue.(string)
		if n, ok := field.NormalizeNumber(s); ok {
			return n, true
		}
		return "", true
	case field.Date:
		if p.DefaultNowValue {
			return now.In(loc).Format("2006-01-02"), true
		}
		s, _ := p.DefaultValue.(string)
		d, _ := field.NormalizeDate(s)
		return d, true
	case field.Time:
		if p.DefaultNowValue {
			return now.In(loc).Format("15:04"), true
		}
		s, _ := p.DefaultValue.(string)
		t, _ := field.NormalizeTime(s)
		return t, true
	case field.DateTime:
		if p.DefaultNowValue {
			return stamp(now), true
		}
		s, _ := p.DefaultValue.(string)
		if s == "" {
			return "", true
		}
		// The form API writes DATETIME defaults as yyyy-MM-ddTHH:mm (B.2).
		if len(s) == len("2006-01-02T15:04") {
			s += ":00Z"
		}
		t, _ := field.NormalizeDateTime(s)
		return t, true
	case field.CheckBox, field.MultiSelect:
		return defaultStrings(p.DefaultValue), true
	case field.UserSelect, field.OrganizationSelect, field.GroupSelect:
		return w.defaultEntityList(p), true
	case field.File:
		return []FileRef{}, true
	case field.Subtable:
		// A record added without its table has no rows. Kintone's form
		// starts a new record with one row of inner defaults; whether POST
		// does the same is unconfirmed, and a default row would make every
		// add without the table fail when an inner field is required.
		return []Row{}, true
	}
	return nil, false
}

// defaultEntityList resolves a selection field's default entities.
// LOGINUSER() is the writing user; PRIMARY_ORGANIZATION() is skipped,
// because the store does not know organization memberships.
func (w *recordWriter) defaultEntityList(p *field.Property) []Entity {
	out := []Entity{}
	for _, d := range defaultEntities(p.DefaultValue) {
		switch {
		case d.Type == entityFunction && d.Code == funcLoginUser:
			if u := w.tx.actor.User; u.Code != "" {
				out = append(out, u)
			}
		case d.Type == entityFunction:
		case d.Code != "":
			out = append(out, Entity{Code: d.Code, Name: w.tx.s.entityName(entityKind(p.Type, d.Type), d.Code)})
		}
	}
	return out
}

// entityKind is the NameFunc kind of an entity of a selection field: the
// field's own kind, or for USER_SELECT the entity type when one is given.
func entityKind(t field.Type, entityType string) string {
	switch t {
	case field.OrganizationSelect:
		return KindOrganization
	case field.GroupSelect:
		return KindGroup
	}
	switch entityType {
	case entityTypeGroup:
		return KindGroup
	case entityTypeOrg:
		return KindOrganization
	}
	return KindUser
}

// stamp formats a time as record time stamps read: UTC, seconds zero.
func stamp(t time.Time) string {
	return t.UTC().Truncate(time.Minute).Format("2006-01-02T15:04:00Z")
}
