package store

import (
	"sort"

	"github.com/kintone-sql/kintone/internal/field"
)

// dbState is the whole database at one commit. It is never modified once
// published: a change builds a new dbState sharing everything it does not
// touch.
type dbState struct {
	apps    map[int64]*appState
	nextApp int64
	// version counts the states: each one derived by withApps has the
	// next number, and stamps the apps it replaces or adds with it.
	version uint64
}

// withApp returns a copy of st with a replaced (or added) app.
func (st *dbState) withApp(a *appState) *dbState {
	return st.withApps(map[int64]*appState{a.meta.ID: a})
}

// withApps returns a copy of st with the given apps replaced or added.
func (st *dbState) withApps(apps map[int64]*appState) *dbState {
	next := &dbState{apps: make(map[int64]*appState, len(st.apps)+1), nextApp: st.nextApp, version: st.version + 1}
	for id, a := range st.apps {
		next.apps[id] = a
	}
	for id, a := range apps {
		a.version = next.version // a is new: no reader has it yet
		next.apps[id] = a
		if id >= next.nextApp {
			next.nextApp = id + 1
		}
	}
	return next
}

// appState is one app at one commit; immutable once published.
type appState struct {
	// meta holds the metadata; its Live and Preview are nil (see export).
	meta App
	// live is the form records follow. Before the first deploy it is the
	// system-only form the app was created with (deployed is false).
	live     *Form
	preview  *Form
	deployed bool
	// renames maps a preview code to the live code of the same field, for
	// fields renamed since the last deploy (top-level and inner fields).
	renames map[string]string
	// recs holds the records in ascending ID order. A commit that only adds
	// records appends to the same backing array (readers hold shorter
	// slices and never look past their length); any other change copies.
	recs    []*Record
	nextID  int64 // the next record ID; IDs are never reused
	nextRow int64 // the next subtable row ID
	// version is the version of the state that published this appState:
	// every change to the app publishes a new appState, so two reads of
	// the app with the same version see the same records and forms.
	version uint64
}

// clone returns a shallow copy for building the next version.
func (a *appState) clone() *appState {
	c := *a
	return &c
}

// find returns the record with the ID, or nil.
func (a *appState) find(id int64) *Record {
	i := sort.Search(len(a.recs), func(i int) bool { return a.recs[i].ID >= id })
	if i < len(a.recs) && a.recs[i].ID == id {
		return a.recs[i]
	}
	return nil
}

// export returns a deep copy of the app's metadata with its forms.
func (a *appState) export() *App {
	m := a.meta
	if a.deployed {
		m.Live = cloneForm(a.live)
	}
	m.Preview = cloneForm(a.preview)
	return &m
}

// cloneForm returns a deep copy of f.
func cloneForm(f *Form) *Form {
	if f == nil {
		return nil
	}
	c := &Form{Revision: f.Revision, Fields: make(map[string]*field.Property, len(f.Fields)),
		Order: append([]string(nil), f.Order...)}
	for k, p := range f.Fields {
		c.Fields[k] = cloneProperty(p)
	}
	return c
}

// cloneProperty returns a deep copy of p.
func cloneProperty(p *field.Property) *field.Property {
	if p == nil {
		return nil
	}
	c := *p
	switch dv := p.DefaultValue.(type) {
	// Empty lists stay empty, not nil: an API encodes them as [], not null.
	case []string:
		c.DefaultValue = append([]string{}, dv...)
	case []field.DefaultEntity:
		c.DefaultValue = append([]field.DefaultEntity{}, dv...)
	case []any:
		c.DefaultValue = append([]any{}, dv...)
	}
	if p.Options != nil {
		c.Options = make(map[string]field.Option, len(p.Options))
		for k, o := range p.Options {
			c.Options[k] = o
		}
	}
	if p.Entities != nil {
		c.Entities = append([]field.DefaultEntity{}, p.Entities...)
	}
	if p.Fields != nil {
		c.Fields = make(map[string]*field.Property, len(p.Fields))
		for k, f := range p.Fields {
			c.Fields[k] = cloneProperty(f)
		}
	}
	if p.Lookup != nil {
		l := *p.Lookup
		l.FieldMappings = append([]field.FieldMapping(nil), l.FieldMappings...)
		l.LookupPickerFields = append([]string(nil), l.LookupPickerFields...)
		c.Lookup = &l
	}
	if p.ReferenceTable != nil {
		r := *p.ReferenceTable
		r.DisplayFields = append([]string(nil), r.DisplayFields...)
		c.ReferenceTable = &r
	}
	return &c
}
