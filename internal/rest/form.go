package rest

import (
	"context"
	"net/http"

	"github.com/kintone-sql/kintone/internal/field"
)

// FormFields are an app's live field settings.
type FormFields struct {
	// Properties maps field codes to settings. System fields (record
	// number, creator, ...) are included; $id and $revision are not.
	Properties map[string]*field.Property
	// Revision is the app settings' revision.
	Revision int64
}

// FormFields reads an app's fields (GET app/form/fields.json). API tokens
// of the app may call it.
func (c *Client) FormFields(ctx context.Context, app int64) (*FormFields, error) {
	p := &params{}
	p.id("app", app)
	var ans struct {
		Properties map[string]*field.Property `json:"properties"`
		Revision   decimalString              `json:"revision"`
	}
	cl := &call{method: http.MethodGet, resource: "app/form/fields.json", params: p, safety: idempotent}
	if err := c.do(ctx, cl, decodeJSON(&ans)); err != nil {
		return nil, err
	}
	if ans.Properties == nil {
		ans.Properties = map[string]*field.Property{}
	}
	return &FormFields{Properties: ans.Properties, Revision: int64(ans.Revision)}, nil
}

// FormLayout reads the order of an app's fields on its form (GET
// app/form/layout.json) and returns their codes top to bottom, left to
// right: the fields of rows, of subtables (the subtable's code, then its
// inner fields) and of groups (the group's rows). Labels, spacers and
// lines, which have no code, are left out. API tokens of the app may call
// it.
func (c *Client) FormLayout(ctx context.Context, app int64) ([]string, error) {
	p := &params{}
	p.id("app", app)
	var ans struct {
		Layout []layoutItem `json:"layout"`
	}
	cl := &call{method: http.MethodGet, resource: "app/form/layout.json", params: p, safety: idempotent}
	if err := c.do(ctx, cl, decodeJSON(&ans)); err != nil {
		return nil, err
	}
	var codes []string
	var walk func(items []layoutItem)
	walk = func(items []layoutItem) {
		for _, it := range items {
			switch it.Type {
			case "SUBTABLE":
				codes = append(codes, it.Code)
			case "GROUP":
				walk(it.Layout)
				continue
			}
			for _, f := range it.Fields {
				if f.Code != "" {
					codes = append(codes, f.Code)
				}
			}
		}
	}
	walk(ans.Layout)
	return codes, nil
}

// layoutItem is a row, subtable or group of app/form/layout.json.
type layoutItem struct {
	Type   string `json:"type"`
	Code   string `json:"code"`
	Fields []struct {
		Code string `json:"code"`
	} `json:"fields"`
	Layout []layoutItem `json:"layout"`
}
