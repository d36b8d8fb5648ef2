package store

import "github.com/kintone-sql/kintone/internal/field"

// appIndex holds, for each unique field of an app's live form, which record
// has which value. It is only used by writers (under the store's write
// lock) and is derived data: it is rebuilt from the records whenever it is
// missing, which is how a deploy and a replay reset it.
type appIndex struct {
	// byField maps a unique field's code to value -> record ID. Values are
	// stored normalized (canonical numbers, normalized dates); "" is never
	// indexed, since an empty value is never a duplicate (B.5).
	byField map[string]map[string]int64
}

// uniqueFields returns the codes of the form's unique fields.
func uniqueFields(f *Form) []string {
	var codes []string
	for _, code := range f.Order {
		if p := f.Fields[code]; p != nil && p.Unique && uniqueType(p.Type) {
			codes = append(codes, code)
		}
	}
	return codes
}

// uniqueType reports the types on which "unique" has an effect (REST-API.md
// §4.6).
func uniqueType(t field.Type) bool {
	switch t {
	case field.SingleLineText, field.Number, field.Link, field.Date, field.DateTime:
		return true
	}
	return false
}

// buildIndex indexes the records of a. Duplicates (which a deploy refuses,
// so only a hand-made journal could hold them) keep the lowest ID.
func buildIndex(a *appState) *appIndex {
	ix := &appIndex{byField: map[string]map[string]int64{}}
	for _, code := range uniqueFields(a.live) {
		m := make(map[string]int64, len(a.recs))
		for _, r := range a.recs {
			if v, _ := r.Values[code].(string); v != "" {
				if _, dup := m[v]; !dup {
					m[v] = r.ID
				}
			}
		}
		ix.byField[code] = m
	}
	return ix
}

// indexLocked returns the unique index of app, building it if needed.
// The caller holds s.wmu.
func (s *Store) indexLocked(a *appState) *appIndex {
	ix := s.indexes[a.meta.ID]
	if ix == nil {
		ix = buildIndex(a)
		s.indexes[a.meta.ID] = ix
	}
	return ix
}
