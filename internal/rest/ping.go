package rest

import (
	"context"
	"errors"
	"net/http"

	"github.com/kintone-sql/kintone/dsn"
)

// Ping makes one cheap authenticated request and reports whether Kintone
// accepted the credentials. app is an app the credentials are meant for,
// or 0 when none is known.
//
// Which request, and why:
//
//   - Password and OAuth: GET apps.json?limit=1. It needs no app, returns
//     at most one small object, and every signed-in user may call it.
//   - API tokens with a known app: GET app.json?id=<app>. Tokens open
//     nothing but their own app, and the settings getters accept a token of
//     the app whatever its permissions (cli-kintone reads them with
//     record-only tokens), so a wrong token fails there with 400
//     GAIA_IA02.
//   - API tokens and no app: GET apps.json?limit=1, which Kintone refuses
//     to every token. It checks the token string first (an unknown or
//     draft token is 400 GAIA_IA02, REST-API.md §2.3) and only then refuses
//     the API (403 GAIA_NO01), so GAIA_NO01 proves the token was accepted.
//     A records.json GET without an app would prove as much (Kintone and
//     the emulator authenticate before validating parameters) but reads an
//     app's records when one is given by mistake and costs a records API
//     call; apps.json counts against no app.
//
// In every case a 403 from Kintone (GAIA_NO01 or CB_NO02: authenticated,
// not authorized, such as an OAuth token without k:app_settings:read)
// counts as success: Ping checks that the domain answers and the
// credentials are valid, not what they may do. Wrong credentials fail with
// Kintone's code (401 CB_WA01, 401 CB_AU01, 400 GAIA_IA02); an unknown app
// fails with 404 GAIA_AP01. Reads are retried like any other.
func (c *Client) Ping(ctx context.Context, app int64) error {
	p := &params{}
	resource := "apps.json"
	if c.auth.Scheme() == dsn.AuthAPIToken && app > 0 {
		resource = "app.json"
		p.id("id", app)
	} else {
		p.id("limit", 1)
	}
	err := c.do(ctx, &call{method: http.MethodGet, resource: resource, params: p, safety: idempotent}, nil)
	var ae *APIError
	if errors.As(err, &ae) && ae.Status == http.StatusForbidden &&
		(ae.Code == CodeNoPermission || ae.Code == CodeNoPrivilege) {
		return nil
	}
	return err
}
