package search

import (
	"strings"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// The system identifiers of QUERY-AND-FIELDS.md A.2.
const (
	idCode       = "$id"
	revisionCode = "$revision"
)

// fieldRef is a field named in a query, resolved against the form.
type fieldRef struct {
	// code is the field code as the query wrote it.
	code string
	typ  field.Type
	// prop is the field's settings; nil for $id and $revision.
	prop *field.Property
	// table is the code of the SUBTABLE holding the field, "" for a
	// top-level field.
	table string
}

// label is the name GAIA_IS02 shows: the field's label, or its code when
// it has none (the system identifiers).
func (f fieldRef) label() string {
	if f.prop != nil && f.prop.Label != "" {
		return f.prop.Label
	}
	return f.code
}

// resolver finds field codes in a form: top-level fields first, then the
// inner fields of every SUBTABLE (inner codes are unique across an app,
// A.6.6).
type resolver struct {
	form  *store.Form
	inner map[string]fieldRef
}

func newResolver(form *store.Form) *resolver {
	r := &resolver{form: form}
	if form == nil {
		return r
	}
	for code, p := range form.Fields {
		if p == nil || p.Type != field.Subtable {
			continue
		}
		for inner, ip := range p.Fields {
			if ip == nil {
				continue
			}
			if r.inner == nil {
				r.inner = map[string]fieldRef{}
			}
			r.inner[inner] = fieldRef{code: inner, typ: ip.Type, prop: ip, table: code}
		}
	}
	return r
}

// resolve returns the field a query names, or the error Kintone gives for
// it: GAIA_IQ11 for an unknown code, GAIA_IR02 for a dotted path on a
// SUBTABLE, GAIA_ST02 for the process-management fields while process
// management is disabled.
func (r *resolver) resolve(code string) (fieldRef, error) {
	switch code {
	case idCode:
		return fieldRef{code: code, typ: field.ID}, nil
	case revisionCode:
		// $revision exists but no operator applies to it and it does not
		// sort (A.5 lists it as not queryable [U]); its type in the field
		// table has no operators, so conditions get GAIA_IQ03 and order by
		// gets GAIA_IS02, rather than the misleading "field not found".
		return fieldRef{code: code, typ: field.Revision}, nil
	}
	if i := strings.IndexByte(code, '.'); i >= 0 {
		// A field code cannot contain '.', so this is a related-records
		// path "ref.code" (A.2).
		if p := r.top(code[:i]); p != nil && p.Type == field.Subtable {
			return fieldRef{}, apierr.QueryDottedSubtable(code)
		}
		// Related-records conditions need the related app's records, which
		// the emulator's search does not receive: such a path is reported
		// as an unknown field. (Noted as a gap, not a Kintone behaviour.)
		return fieldRef{}, apierr.QueryFieldNotFound(code)
	}
	if p := r.top(code); p != nil {
		f := fieldRef{code: code, typ: p.Type, prop: p}
		return f, checkProcess(f)
	}
	if f, ok := r.inner[code]; ok {
		return f, checkProcess(f)
	}
	return fieldRef{}, apierr.QueryFieldNotFound(code)
}

func (r *resolver) top(code string) *field.Property {
	if r.form == nil {
		return nil
	}
	return r.form.Fields[code]
}

// checkProcess refuses STATUS and STATUS_ASSIGNEE while process management
// is disabled: GAIA_ST02 (A.6.5, [T]). The form lists both with Enabled
// false then (store.Form).
func checkProcess(f fieldRef) error {
	if (f.typ == field.Status || f.typ == field.StatusAssignee) && f.prop != nil && !f.prop.Enabled {
		return apierr.ProcessDisabled()
	}
	return nil
}
