package store

import (
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
)

// CreateApp creates an app and deploys spec.Fields at once (for fixtures and
// the Go API). It returns the new app's metadata. The fields are checked as
// AddPreviewFields checks them; the errors are keyed "properties[CODE]...".
// Both forms start at settings revision 1 and the deploy status is SUCCESS.
func (s *Store) CreateApp(spec AppSpec) (*App, error) {
	return s.createApp(spec, true)
}

// CreatePreviewApp creates an app the way POST preview/app.json does: only
// the system fields, not yet deployed (Live is nil, settings revision 1).
// spec.Fields, if any, are added to the preview form.
//
// Records APIs on such an app behave as on a freshly deployed app with only
// the system fields: Records returns the system-only form as the live form
// and writes follow it. (Whether Kintone serves records of an app that was
// never deployed is unconfirmed, REST-API.md §10.10; answering like an empty
// app is the least surprising choice.)
func (s *Store) CreatePreviewApp(spec AppSpec) (*App, error) {
	return s.createApp(spec, false)
}

func (s *Store) createApp(spec AppSpec, deploy bool) (*App, error) {
	if err := s.beginChange(); err != nil {
		return nil, err
	}
	defer s.wmu.Unlock()
	st := s.cur.Load()
	a, err := newApp(st.nextApp, spec, s.now())
	if err != nil {
		return nil, err
	}
	if len(spec.Fields) > 0 {
		props := make(map[string]*field.Property, len(spec.Fields))
		order := make([]string, 0, len(spec.Fields))
		for _, p := range spec.Fields {
			if p == nil {
				continue
			}
			if _, dup := props[p.Code]; dup {
				return nil, apierr.Invalid("properties["+p.Code+"].code", msgCodeInUse)
			}
			props[p.Code] = p
			order = append(order, p.Code)
		}
		pf, err := addFields(a.preview, props, order)
		if err != nil {
			return nil, err
		}
		pf.Revision = a.preview.Revision
		a.preview = pf
	}
	if deploy {
		a.live = a.preview
		a.deployed = true
		a.meta.DeployStatus = deploySuccess
	}
	next := st.withApp(a)
	if err := s.commitLocked(&entry{Op: opApp, App: encodeAppHeader(a)}, next); err != nil {
		return nil, err
	}
	return a.export(), nil
}

// newApp builds an app with only the system fields, in both forms; the
// live one counts as not deployed.
func newApp(id int64, spec AppSpec, now time.Time) (*appState, error) {
	sys := spec.System
	if sys == (SystemCodes{}) {
		sys = DefaultSystemCodes()
	}
	form := systemForm(sys)
	now = now.UTC()
	a := &appState{
		meta: App{
			ID: id, Code: spec.Code, Name: spec.Name, Description: spec.Description,
			SpaceID: spec.SpaceID, ThreadID: spec.ThreadID, GuestSpaceID: spec.GuestSpaceID,
			CreatedAt: now, ModifiedAt: now, Creator: spec.Creator, Modifier: spec.Creator,
		},
		live: form, preview: form, nextID: 1, nextRow: 1,
	}
	return a, nil
}

// systemForm returns the form of a new app: the built-in fields only, at
// settings revision 1. The order puts the record number first and the
// other built-in fields last, as Kintone lists them (client-transcripts,
// rest-getFormFields); user fields go in between.
func systemForm(c SystemCodes) *Form {
	f := &Form{Revision: 1, Fields: map[string]*field.Property{}}
	add := func(t field.Type, code, label string) {
		p := &field.Property{Type: t, Code: code, Label: label}
		f.Fields[code] = p
		f.Order = append(f.Order, code)
	}
	add(field.RecordNumber, c.RecordNumber, "Record number")
	add(field.Creator, c.Creator, "Created by")
	add(field.CreatedTime, c.CreatedTime, "Created datetime")
	add(field.Modifier, c.Modifier, "Updated by")
	add(field.UpdatedTime, c.UpdatedTime, "Updated datetime")
	add(field.Category, c.Category, "Categories")
	add(field.Status, c.Status, "Status")
	add(field.StatusAssignee, c.Assignee, "Assignee")
	return f
}

// insertPos is where user fields go in Order: after the record number and
// the user fields before them, before the built-in fields that follow.
func insertPos(f *Form) int {
	for i := len(f.Order); i > 0; i-- {
		p := f.Fields[f.Order[i-1]]
		if p == nil || !trailingSystem(p.Type) {
			return i
		}
	}
	return 0
}

// trailingSystem reports the built-in types listed after the user fields.
func trailingSystem(t field.Type) bool {
	switch t {
	case field.Creator, field.CreatedTime, field.Modifier, field.UpdatedTime,
		field.Category, field.Status, field.StatusAssignee:
		return true
	}
	return false
}
