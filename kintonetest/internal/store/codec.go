package store

import (
	"time"

	"github.com/kintone-sql/kintone/internal/field"
)

// The journal's JSON forms of apps, forms and records. They are the
// store's own format, independent of the API's JSON: every value carries
// its kind, so that records decode without their form, and properties are
// encoded field by field, so that a custom JSON form of field.Property
// cannot change what the journal holds.

// appJSON is an app without its records.
type appJSON struct {
	ID           int64             `json:"id"`
	Code         string            `json:"code,omitempty"`
	Name         string            `json:"name"`
	Description  string            `json:"description,omitempty"`
	SpaceID      int64             `json:"spaceId,omitempty"`
	ThreadID     int64             `json:"threadId,omitempty"`
	GuestSpaceID int64             `json:"guestSpaceId,omitempty"`
	CreatedAt    time.Time         `json:"createdAt"`
	ModifiedAt   time.Time         `json:"modifiedAt"`
	Creator      Entity            `json:"creator"`
	Modifier     Entity            `json:"modifier"`
	DeployStatus string            `json:"deployStatus,omitempty"`
	Live         *formJSON         `json:"live"`
	Preview      *formJSON         `json:"preview"`
	Deployed     bool              `json:"deployed,omitempty"`
	Renames      map[string]string `json:"renames,omitempty"`
	NextID       int64             `json:"nextId"`
	NextRow      int64             `json:"nextRow"`
}

// encodeAppHeader returns the journal form of a's metadata and forms.
func encodeAppHeader(a *appState) *appJSON {
	m := a.meta
	return &appJSON{ID: m.ID, Code: m.Code, Name: m.Name, Description: m.Description,
		SpaceID: m.SpaceID, ThreadID: m.ThreadID, GuestSpaceID: m.GuestSpaceID,
		CreatedAt: m.CreatedAt, ModifiedAt: m.ModifiedAt, Creator: m.Creator, Modifier: m.Modifier,
		DeployStatus: m.DeployStatus, Live: encodeForm(a.live), Preview: encodeForm(a.preview),
		Deployed: a.deployed, Renames: a.renames, NextID: a.nextID, NextRow: a.nextRow}
}

// decode returns the app (without records) that j describes.
func (j *appJSON) decode() *appState {
	a := &appState{
		meta: App{ID: j.ID, Code: j.Code, Name: j.Name, Description: j.Description,
			SpaceID: j.SpaceID, ThreadID: j.ThreadID, GuestSpaceID: j.GuestSpaceID,
			CreatedAt: j.CreatedAt, ModifiedAt: j.ModifiedAt, Creator: j.Creator, Modifier: j.Modifier,
			DeployStatus: j.DeployStatus},
		live: j.Live.decode(), preview: j.Preview.decode(), deployed: j.Deployed,
		renames: j.Renames, nextID: j.NextID, nextRow: j.NextRow,
	}
	if a.live == nil {
		a.live = a.preview
	}
	return a
}

// formJSON is a Form with its fields in form order.
type formJSON struct {
	Revision int64      `json:"revision"`
	Order    []string   `json:"order"`
	Fields   []propJSON `json:"fields"`
}

// plainProp has field.Property's fields and JSON tags but none of its
// methods.
type plainProp field.Property

// propJSON is a property with its inner fields (SUBTABLE) listed apart.
type propJSON struct {
	P     plainProp   `json:"p"`
	Inner []plainProp `json:"inner,omitempty"`
}

func encodeForm(f *Form) *formJSON {
	if f == nil {
		return nil
	}
	j := &formJSON{Revision: f.Revision, Order: f.Order, Fields: make([]propJSON, 0, len(f.Fields))}
	for _, code := range sortedKeys(f.Fields) {
		p := f.Fields[code]
		pj := propJSON{P: plainProp(*p)}
		pj.P.Fields = nil
		for _, ic := range sortedKeys(p.Fields) {
			ip := plainProp(*p.Fields[ic])
			ip.Fields = nil
			pj.Inner = append(pj.Inner, ip)
		}
		j.Fields = append(j.Fields, pj)
	}
	return j
}

func (j *formJSON) decode() *Form {
	if j == nil {
		return nil
	}
	f := &Form{Revision: j.Revision, Order: j.Order, Fields: make(map[string]*field.Property, len(j.Fields))}
	if f.Order == nil {
		f.Order = []string{}
	}
	for _, pj := range j.Fields {
		p := decodeProp(pj.P)
		if pj.Inner != nil {
			p.Fields = make(map[string]*field.Property, len(pj.Inner))
			for _, ip := range pj.Inner {
				q := decodeProp(ip)
				p.Fields[q.Code] = q
			}
		}
		f.Fields[p.Code] = p
	}
	return f
}

// decodeProp restores a property, giving defaultValue its Go type again
// (JSON decodes lists as []any).
func decodeProp(pp plainProp) *field.Property {
	p := field.Property(pp)
	p.DefaultValue = normalizeDefault(p.Type, p.DefaultValue)
	return &p
}

// recsJSON is one app's part of a record write: the new versions of the
// records it wrote and the IDs it deleted, with the app's counters after
// the write.
type recsJSON struct {
	App     int64     `json:"app"`
	NextID  int64     `json:"nextId"`
	NextRow int64     `json:"nextRow"`
	Put     []recJSON `json:"put,omitempty"`
	Del     []int64   `json:"del,omitempty"`

	// recs are the records of Put, when decodeEntry built them directly
	// (decoded); Put is then empty.
	recs    []*Record
	decoded bool
}

type recJSON struct {
	ID  int64              `json:"id"`
	Rev int64              `json:"rev"`
	V   map[string]valJSON `json:"v"`
}

// valJSON is one value tagged with its kind: "s" string, "l" []string,
// "e" Entity, "es" []Entity, "f" []FileRef, "r" []Row.
type valJSON struct {
	K  string    `json:"k"`
	S  string    `json:"s,omitempty"`
	L  []string  `json:"l,omitempty"`
	E  *Entity   `json:"e,omitempty"`
	Es []Entity  `json:"es,omitempty"`
	F  []FileRef `json:"f,omitempty"`
	R  []rowJSON `json:"r,omitempty"`
}

type rowJSON struct {
	ID int64              `json:"id"`
	V  map[string]valJSON `json:"v"`
}

func encodeRecord(r *Record) recJSON {
	return recJSON{ID: r.ID, Rev: r.Revision, V: encodeValues(r.Values)}
}

func encodeValues(vals map[string]any) map[string]valJSON {
	out := make(map[string]valJSON, len(vals))
	for k, v := range vals {
		switch x := v.(type) {
		case string:
			out[k] = valJSON{K: "s", S: x}
		case []string:
			out[k] = valJSON{K: "l", L: x}
		case Entity:
			e := x
			out[k] = valJSON{K: "e", E: &e}
		case []Entity:
			out[k] = valJSON{K: "es", Es: x}
		case []FileRef:
			out[k] = valJSON{K: "f", F: x}
		case []Row:
			rows := make([]rowJSON, len(x))
			for i, r := range x {
				rows[i] = rowJSON{ID: r.ID, V: encodeValues(r.Values)}
			}
			out[k] = valJSON{K: "r", R: rows}
		}
	}
	return out
}

func (j recJSON) decode() *Record {
	return &Record{ID: j.ID, Revision: j.Rev, Values: decodeValues(j.V)}
}

func decodeValues(vals map[string]valJSON) map[string]any {
	out := make(map[string]any, len(vals))
	for k, v := range vals {
		switch v.K {
		case "s":
			out[k] = v.S
		case "l":
			out[k] = append([]string{}, v.L...)
		case "e":
			if v.E != nil {
				out[k] = *v.E
			} else {
				out[k] = Entity{}
			}
		case "es":
			out[k] = append([]Entity{}, v.Es...)
		case "f":
			out[k] = append([]FileRef{}, v.F...)
		case "r":
			rows := make([]Row, len(v.R))
			for i, r := range v.R {
				rows[i] = Row{ID: r.ID, Values: decodeValues(r.V)}
			}
			out[k] = rows
		}
	}
	return out
}
