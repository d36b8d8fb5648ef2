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
