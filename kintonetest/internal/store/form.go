package store

import (
	"sort"
	"strconv"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
)

// AddPreviewFields adds fields to the preview form. revision is the expected
// settings revision, or -1. It returns the new settings revision.
//
// Errors: GAIA_AP01 for an unknown app, GAIA_CO03 for a revision mismatch,
// GAIA_UN10 for the built-in types (record number, creator, status, ...),
// and CB_VA01 keyed "properties[CODE].type" (not a user field type),
// "properties[CODE].code" (malformed, reserved, in use, or not the key) or
// "properties[CODE].fields" (a SUBTABLE without fields) and the numeric
// settings. The settings are stored as sent, with these normalizations:
// an empty code is the key, an empty label is the code, "unique" is dropped
// where Kintone drops it (types other than SINGLE_LINE_TEXT, NUMBER, LINK,
// DATE and DATETIME, and inside tables), required and unique are dropped on
// a SUBTABLE, and a nil defaultValue becomes "" or [] by type.
func (s *Store) AddPreviewFields(app int64, props map[string]*field.Property, revision int64) (int64, error) {
	return s.changePreview(app, revision, func(a *appState) (*Form, error) {
		codes := sortedKeys(props)
		f, err := addFields(a.preview, props, codes)
		if err != nil {
			return nil, err
		}
		a.renames = copyRenames(a.renames)
		for _, p := range f.Fields {
			markNew(a, p, props)
		}
		return f, nil
	})
}

// markNew records that fields just added (top-level or inner) are new even
// if a live field has the same code, so that a deploy does not carry the
// old field's values into them.
func markNew(a *appState, p *field.Property, added map[string]*field.Property) {
	if _, ok := added[p.Code]; ok {
		if liveHas(a.live, p.Code) {
			a.renames[p.Code] = ""
		}
		for c := range p.Fields {
			if liveHas(a.live, c) {
				a.renames[c] = ""
			}
		}
	}
}

// UpdatePreviewFields changes preview fields keyed by their current codes
// (a different Code inside renames the field).
//
// A property replaces the field's settings, except that an empty Type,
// Code or Label keeps the current one. The type cannot change (CB_VA01
// "properties[CODE].type"). The record-number, creator, modifier and
// created/updated-time fields accept only a new label, noLabel and code;
// STATUS, STATUS_ASSIGNEE and CATEGORY give GAIA_UN10 (the process and
// category settings have APIs of their own). A SUBTABLE's Fields update the
// inner fields listed (by current inner code) and add new ones; inner fields
// not listed are kept. An unknown code is GAIA_FC01.
func (s *Store) UpdatePreviewFields(app int64, props map[string]*field.Property, revision int64) (int64, error) {
	return s.changePreview(app, revision, func(a *appState) (*Form, error) {
		f := cloneForm(a.preview)
		a.renames = copyRenames(a.renames)
		for _, key := range sortedKeys(props) {
			if err := updateField(a, f, key, props[key]); err != nil {
				return nil, err
			}
		}
		return f, nil
	})
}

// DeletePreviewFields removes preview fields by code: top-level fields, or
// fields inside a SUBTABLE by their own code. An unknown code is GAIA_FC01;
// a built-in field is GAIA_UN10.
func (s *Store) DeletePreviewFields(app int64, codes []string, revision int64) (int64, error) {
	return s.changePreview(app, revision, func(a *appState) (*Form, error) {
		f := cloneForm(a.preview)
		a.renames = copyRenames(a.renames)
		for _, code := range codes {
			if p := f.Fields[code]; p != nil {
				if builtin(p.Type) {
					return nil, apierr.CannotUpdateField(string(p.Type))
				}
				delete(f.Fields, code)
				f.Order = removeString(f.Order, code)
				delete(a.renames, code)
				for c := range p.Fields {
					delete(a.renames, c)
				}
				continue
			}
			table := parentTable(f, code)
			if table == nil {
				return nil, apierr.FieldNotFound(code)
			}
			delete(table.Fields, code)
			delete(a.renames, code)
		}
		return f, nil
	})
}

// changePreview runs change on a copy of the app and publishes the preview
// form it returns with the next settings revision.
func (s *Store) changePreview(app int64, revision int64, change func(a *appState) (*Form, error)) (int64, error) {
	if err := s.beginChange(); err != nil {
		return 0, err
	}
	defer s.wmu.Unlock()
	st := s.cur.Load()
	old := st.apps[app]
	if old == nil {
		return 0, appNotFound(app)
	}
	if revision != -1 && revision != old.preview.Revision {
		return 0, apierr.SettingsRevisionConflict(strconv.FormatInt(app, 10))
	}
	a := old.clone()
	f, err := change(a)
	if err != nil {
		return 0, err
	}
	f.Revision = old.preview.Revision + 1
	a.preview = f
	a.meta.ModifiedAt = s.now().UTC()
	if err := s.commitLocked(&entry{Op: opApp, App: encodeAppHeader(a)}, st.withApp(a)); err != nil {
		return 0, err
	}
	return f.Revision, nil
}

// addFields returns a copy of f with props added, in the order of codes.
func addFields(f *Form, props map[string]*field.Property, codes []string) (*Form, error) {
	nf := cloneForm(f)
	used := allCodes(nf)
	pos := insertPos(nf)
	var added []string
	for _, key := range codes {
		p, err := checkNewProperty(key, props[key], false, used)
		if err != nil {
			return nil, err
		}
		nf.Fields[p.Code] = p
		added = append(added, p.Code)
	}
	order := make([]string, 0, len(nf.Order)+len(added))
	order = append(order, nf.Order[:pos]...)
	order = append(order, added...)
	order = append(order, nf.Order[pos:]...)
	nf.Order = order
	return nf, nil
}

// checkNewProperty validates and normalizes a property to add under key.
// used holds every code of the form (inner codes included) and receives the
// new ones.
func checkNewProperty(key string, in *field.Property, inTable bool, used map[string]bool) (*field.Property, error) {
	at := propKey(key)
	if in == nil {
		return nil, apierr.Invalid(at, apierr.MsgRequiredParam)
	}
	p := cloneProperty(in)
	if p.Code == "" {
		p.Code = key
	}
	if err := checkType(at, p.Type, inTable); err != nil {
		return nil, err
	}
	if p.Code != key {
		return nil, apierr.Invalid(at+".code", msgCodeNotKey)
	}
	if err := checkCode(at, p.Code, used); err != nil {
		return nil, err
	}
	used[p.Code] = true
	if err := normalizeProperty(at, p, inTable); err != nil {
		return nil, err
	}
	if p.Type == field.Subtable {
		if len(in.Fields) == 0 {
			return nil, apierr.Invalid(at+".fields", apierr.MsgRequiredParam)
		}
		p.Fields = make(map[string]*field.Property, len(in.Fields))
		for _, ik := range sortedKeys(in.Fields) {
			ip, err := checkNewProperty(ik, in.Fields[ik], true, used)
			if err != nil {
				return nil, prefixErr(err, at+".fields")
			}
			p.Fields[ik] = ip
		}
	}
	return p, nil
}

// checkType refuses types that cannot be added.
func checkType(at string, t field.Type, inTable bool) error {
	if builtin(t) {
		return apierr.CannotUpdateField(string(t))
	}
	switch t {
	case field.ID, field.Revision, field.Label, field.Spacer, field.HR:
		return apierr.Invalid(at+".type", apierr.MsgEnum)
	}
	if !t.Known() {
		return apierr.Invalid(at+".type", apierr.MsgEnum)
	}
	if inTable && !t.Info().InSubtable {
		return apierr.Invalid(at+".type", apierr.MsgEnum)
	}
	return nil
}

// checkCode validates a user field's code and that it is free.
func checkCode(at, code string, used map[string]bool) error {
	if !field.ValidFieldCode(code) || field.ReservedFieldCode(code) {
		return apierr.Invalid(at+".code", msgBadCode)
	}
	if used[code] {
		return apierr.Invalid(at+".code", msgCodeInUse)
	}
	return nil
}

// normalizeProperty checks the numeric settings and applies the
// normalizations documented on AddPreviewFields.
func normalizeProperty(at string, p *field.Property, inTable bool) error {
	if p.Label == "" {
		p.Label = p.Code
	}
	for _, c := range []struct {
		name, v string
	}{{"minLength", p.MinLength}, {"maxLength", p.MaxLength}} {
		if c.v == "" {
			continue
		}
		if n, err := strconv.Atoi(c.v); err != nil || n < 0 {
			return apierr.Invalid(at+"."+c.name, apierr.MsgInteger)
		}
	}
	for _, c := range []struct {
		name string
		v    *string
	}{{"minValue", &p.MinValue}, {"maxValue", &p.MaxValue}} {
		if *c.v == "" {
			continue
		}
		n, ok := field.NormalizeNumber(*c.v)
		if !ok {
			return apierr.Invalid(at+"."+c.name, apierr.MsgNotNumber)
		}
		*c.v = n
	}
	switch p.Type {
	case field.SingleLineText, field.Number, field.Link, field.Date, field.DateTime:
		if inTable {
			p.Unique = false
		}
	default:
		p.Unique = false
	}
	if p.Type == field.Subtable {
		p.Required = false
	}
	if p.Options != nil {
		opts := make(map[string]field.Option, len(p.Options))
		for _, k := range sortedKeys(p.Options) {
			o := p.Options[k]
			if o.Label == "" {
				o.Label = k
			}
			if o.Index == "" {
				o.Index = strconv.Itoa(len(opts))
			}
			opts[k] = o
		}
		p.Options = opts
	}
	p.DefaultValue = normalizeDefault(p.Type, p.DefaultValue)
	return nil
}

// normalizeDefault gives defaultValue the Go type of its field type: a
// string, []string (CHECK_BOX, MULTI_SELECT) or []field.DefaultEntity (the
// selection types). Values decoded from JSON as []any are converted.
func normalizeDefault(t field.Type, dv any) any {
	switch t {
	case field.CheckBox, field.MultiSelect:
		return defaultStrings(dv)
	case field.UserSelect, field.OrganizationSelect, field.GroupSelect:
		return defaultEntities(dv)
	}
	if t.Info().Write != field.Writable {
		return dv
	}
	switch v := dv.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return dv
}

// updateField applies one entry of UpdatePreviewFields to f.
func updateField(a *appState, f *Form, key string, in *field.Property) error {
	at := propKey(key)
	if in == nil {
		return apierr.Invalid(at, apierr.MsgRequiredParam)
	}
	old := f.Fields[key]
	var table *field.Property
	if old == nil {
		table = parentTable(f, key)
		if table == nil {
			return apierr.FieldNotFound(key)
		}
		old = table.Fields[key]
	}
	switch old.Type {
	case field.Status, field.StatusAssignee, field.Category:
		return apierr.CannotUpdateField(string(old.Type))
	}
	if in.Type != "" && in.Type != old.Type {
		return apierr.Invalid(at+".type", msgTypeChange)
	}
	var p *field.Property
	if builtin(old.Type) {
		p = cloneProperty(old)
		if in.Label != "" {
			p.Label = in.Label
		}
		p.NoLabel = in.NoLabel
		if in.Code != "" {
			p.Code = in.Code
		}
	} else {
		p = cloneProperty(in)
		p.Type = old.Type
		if p.Code == "" {
			p.Code = key
		}
		if p.Label == "" {
			p.Label = old.Label
		}
		if err := normalizeProperty(at, p, table != nil); err != nil {
			return err
		}
		if old.Type == field.Subtable {
			inner, err := updateInner(a, f, at, old, in)
			if err != nil {
				return err
			}
			p.Fields = inner
		}
	}
	if p.Code != key {
		used := allCodes(f)
		delete(used, key)
		if builtin(p.Type) {
			if !field.ValidFieldCode(p.Code) {
				return apierr.Invalid(at+".code", msgBadCode)
			}
			if used[p.Code] {
				return apierr.Invalid(at+".code", msgCodeInUse)
			}
		} else if err := checkCode(at, p.Code, used); err != nil {
			return err
		}
		rename(a, key, p.Code)
	}
	if table != nil {
		delete(table.Fields, key)
		table.Fields[p.Code] = p
		return nil
	}
	delete(f.Fields, key)
	f.Fields[p.Code] = p
	for i, c := range f.Order {
		if c == key {
			f.Order[i] = p.Code
		}
	}
	return nil
}

// updateInner returns a SUBTABLE's inner fields after an update: the listed
// ones updated (or added when new), the others kept.
func updateInner(a *appState, f *Form, at string, old, in *field.Property) (map[string]*field.Property, error) {
	inner := make(map[string]*field.Property, len(old.Fields)+len(in.Fields))
	for c, p := range old.Fields {
		inner[c] = p
	}
	if len(in.Fields) == 0 {
		return inner, nil
	}
	holder := &field.Property{Type: field.Subtable, Code: old.Code, Fields: inner}
	tmp := &Form{Fields: map[string]*field.Property{}}
	for c, p := range f.Fields {
		tmp.Fields[c] = p
	}
	tmp.Fields[old.Code] = holder
	for _, ik := range sortedKeys(in.Fields) {
		ip := in.Fields[ik]
		if _, ok := inner[ik]; ok {
			if err := updateField(a, tmp, ik, ip); err != nil {
				return nil, prefixErr(err, at+".fields")
			}
			continue
		}
		np, err := checkNewProperty(ik, ip, true, allCodes(tmp))
		if err != nil {
			return nil, prefixErr(err, at+".fields")
		}
		inner[ik] = np
		if liveHas(a.live, ik) {
			a.renames[ik] = ""
		}
	}
	return inner, nil
}

// rename records that the preview field old is now called code.
func rename(a *appState, old, code string) {
	origin, ok := a.renames[old]
	if !ok && liveHas(a.live, old) {
		origin, ok = old, true
	}
	delete(a.renames, old)
	if ok {
		a.renames[code] = origin
	}
}

// builtin reports the types of the fields every app has.
func builtin(t field.Type) bool {
	switch t {
	case field.RecordNumber, field.Creator, field.CreatedTime, field.Modifier, field.UpdatedTime,
		field.Status, field.StatusAssignee, field.Category:
		return true
	}
	return false
}

// allCodes returns every code of f, inner codes included.
func allCodes(f *Form) map[string]bool {
	used := make(map[string]bool, len(f.Fields))
	for c, p := range f.Fields {
		used[c] = true
		for ic := range p.Fields {
			used[ic] = true
		}
	}
	return used
}

// parentTable returns the SUBTABLE holding the inner field code, or nil.
func parentTable(f *Form, code string) *field.Property {
	for _, p := range f.Fields {
		if p.Type == field.Subtable && p.Fields[code] != nil {
			return p
		}
	}
	return nil
}

// liveHas reports whether f has a field (top-level or inner) with the code.
func liveHas(f *Form, code string) bool {
	return f.Fields[code] != nil || parentTable(f, code) != nil
}

func copyRenames(m map[string]string) map[string]string {
	c := make(map[string]string, len(m)+1)
	for k, v := range m {
		c[k] = v
	}
	return c
}

func propKey(code string) string { return "properties[" + code + "]" }

// prefixErr re-keys a CB_VA01 error of an inner property under prefix
// ("properties[T].fields"); other errors pass unchanged.
func prefixErr(err error, prefix string) error {
	e, ok := apierr.As(err)
	if !ok || len(e.Errors) == 0 {
		return err
	}
	out := apierr.Validation()
	for k, msgs := range e.Errors {
		for _, m := range msgs {
			out.Add(prefix+k[len("properties"):], m)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func removeString(list []string, s string) []string {
	out := list[:0:0]
	for _, v := range list {
		if v != s {
			out = append(out, v)
		}
	}
	return out
}
