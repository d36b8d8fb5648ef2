package kintonetest

import (
	"encoding/json"
	"strings"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// The form APIs of REST-API.md §4.6: read the live or preview fields and
// layout; add, change and delete preview fields, which a deploy makes live.

type formParams struct {
	App  Int `json:"app"`
	Lang Str `json:"lang"`
}

func isPreview(c *call) bool { return strings.HasPrefix(c.route.resource, "preview/") }

// formFor returns the live or preview form the route asks for.
func (s *Server) formFor(c *call, a *store.App) *store.Form {
	if isPreview(c) {
		return a.Preview
	}
	return s.liveForm(a)
}

func (s *Server) getFields(c *call) (any, *apierr.Error) {
	var p formParams
	if err := decodeParams(c.params, &p); err != nil {
		return nil, err
	}
	if p.Lang.Set {
		switch p.Lang.V {
		case "ja", "en", "zh", "user", "default":
		default:
			return nil, apierr.Invalid("lang", apierr.MsgEnum)
		}
	}
	a, err := s.appFor(c, "app", p.App, permSettingsRead)
	if err != nil {
		return nil, err
	}
	f := s.formFor(c, a)
	return map[string]any{"properties": f.Fields, "revision": itoa(f.Revision)}, nil
}

type layoutField struct {
	Type string            `json:"type"`
	Code string            `json:"code"`
	Size map[string]string `json:"size"`
}

type layoutRow struct {
	Type   string        `json:"type"`
	Code   string        `json:"code,omitempty"`
	Fields []layoutField `json:"fields"`
}

// getLayout answers the form layout. The emulator keeps no layout of its
// own: it lays the user fields out one per row in form order, subtables as
// SUBTABLE rows, which is a layout Kintone could have.
func (s *Server) getLayout(c *call) (any, *apierr.Error) {
	var p formParams
	if err := decodeParams(c.params, &p); err != nil {
		return nil, err
	}
	a, err := s.appFor(c, "app", p.App, permSettingsRead)
	if err != nil {
		return nil, err
	}
	f := s.formFor(c, a)
	rows := []layoutRow{}
	for _, code := range f.Order {
		prop := f.Fields[code]
		if prop == nil || prop.Type.IsSystem() || !prop.Type.HasValue() && prop.Type != field.Label && prop.Type != field.Spacer && prop.Type != field.HR {
			continue
		}
		switch prop.Type {
		case field.Status, field.StatusAssignee, field.Category:
			continue
		case field.Subtable:
			row := layoutRow{Type: "SUBTABLE", Code: code, Fields: []layoutField{}}
			for _, inner := range innerOrder(prop) {
				row.Fields = append(row.Fields, layoutField{Type: string(inner.Type), Code: inner.Code, Size: map[string]string{"width": "193"}})
			}
			rows = append(rows, row)
		default:
			rows = append(rows, layoutRow{Type: "ROW", Fields: []layoutField{{Type: string(prop.Type), Code: code, Size: map[string]string{"width": "193"}}}})
		}
	}
	return map[string]any{"layout": rows, "revision": itoa(f.Revision)}, nil
}

type fieldsWriteParams struct {
	App        Int                        `json:"app"`
	Properties map[string]json.RawMessage `json:"properties"`
	Revision   Int                        `json:"revision"`
}

func (s *Server) postFields(c *call) (any, *apierr.Error) { return s.writeFields(c, false) }
func (s *Server) putFields(c *call) (any, *apierr.Error)  { return s.writeFields(c, true) }

func (s *Server) writeFields(c *call, update bool) (any, *apierr.Error) {
	var p fieldsWriteParams
	if err := decodeParams(c.params, &p); err != nil {
		return nil, err
	}
	a, err := s.appFor(c, "app", p.App, permSettingsWrite)
	if err != nil {
		return nil, err
	}
	if len(p.Properties) == 0 {
		return nil, apierr.Invalid("properties", apierr.MsgRequiredParam)
	}
	props := make(map[string]*field.Property, len(p.Properties))
	for code, raw := range p.Properties {
		prop := &field.Property{}
		if json.Unmarshal(raw, prop) != nil {
			return nil, apierr.Invalid("properties["+code+"]", apierr.MsgInvalidJSONVal)
		}
		props[code] = prop
	}
	rev := revisionParam(p.Revision)
	var newRev int64
	var serr error
	if update {
		newRev, serr = s.store.UpdatePreviewFields(a.ID, props, rev)
	} else {
		newRev, serr = s.store.AddPreviewFields(a.ID, props, rev)
	}
	if serr != nil {
		return nil, asAPIError(serr)
	}
	return map[string]string{"revision": itoa(newRev)}, nil
}

type fieldsDeleteParams struct {
	App      Int      `json:"app"`
	Fields   []string `json:"fields"`
	Revision Int      `json:"revision"`
}

func (s *Server) deleteFields(c *call) (any, *apierr.Error) {
	var p fieldsDeleteParams
	if err := decodeParams(c.params, &p); err != nil {
		return nil, err
	}
	a, err := s.appFor(c, "app", p.App, permSettingsWrite)
	if err != nil {
		return nil, err
	}
	if len(p.Fields) == 0 {
		return nil, apierr.Validation().Add("fields", apierr.MsgRequiredParam).Add("fields", apierr.MsgFieldsSize)
	}
	if len(p.Fields) > 100 {
		return nil, apierr.Invalid("fields", apierr.MsgFieldsSize)
	}
	newRev, serr := s.store.DeletePreviewFields(a.ID, p.Fields, revisionParam(p.Revision))
	if serr != nil {
		return nil, asAPIError(serr)
	}
	return map[string]string{"revision": itoa(newRev)}, nil
}

// revisionParam is a settings revision: absent means -1, no check.
func revisionParam(n Int) int64 {
	if !n.Set || n.Bad {
		return -1
	}
	return n.V
}
