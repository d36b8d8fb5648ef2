package kintonetest

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// appJSON is the App object of apps.json and app.json (REST-API.md §4.5).
type appJSON struct {
	AppID       string       `json:"appId"`
	Code        string       `json:"code"`
	Name        string       `json:"name"`
	Description string       `json:"description"`
	SpaceID     *string      `json:"spaceId"`
	ThreadID    *string      `json:"threadId"`
	CreatedAt   string       `json:"createdAt"`
	Creator     store.Entity `json:"creator"`
	ModifiedAt  string       `json:"modifiedAt"`
	Modifier    store.Entity `json:"modifier"`
}

func toAppJSON(a *store.App) appJSON {
	out := appJSON{
		AppID: itoa(a.ID), Code: a.Code, Name: a.Name, Description: a.Description,
		CreatedAt: jsTime(a.CreatedAt), Creator: a.Creator,
		ModifiedAt: jsTime(a.ModifiedAt), Modifier: a.Modifier,
	}
	if a.SpaceID != 0 {
		v := itoa(a.SpaceID)
		out.SpaceID = &v
	}
	if a.ThreadID != 0 {
		v := itoa(a.ThreadID)
		out.ThreadID = &v
	}
	return out
}

// jsTime formats a time as the app APIs do: "2024-01-01T00:00:00.000Z".
func jsTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

type getAppParams struct {
	ID Int `json:"id"`
}

func (s *Server) getApp(c *call) (any, *apierr.Error) {
	var p getAppParams
	if err := decodeParams(c.params, &p); err != nil {
		return nil, err
	}
	a, err := s.appFor(c, "id", p.ID, permSettingsRead)
	if err != nil {
		return nil, err
	}
	return toAppJSON(a), nil
}

type getAppsParams struct {
	IDs      []Int    `json:"ids"`
	Codes    []string `json:"codes"`
	Name     Str      `json:"name"`
	SpaceIDs []Int    `json:"spaceIds"`
	Offset   Int      `json:"offset"`
	Limit    Int      `json:"limit"`
}

// getApps lists apps (§4.5). API tokens cannot call it (GAIA_NO01);
// through a guest path only that guest space's apps are listed; results are
// in ascending app ID (the order is unconfirmed).
func (s *Server) getApps(c *call) (any, *apierr.Error) {
	if err := c.p.refuseToken(); err != nil {
		return nil, err
	}
	var p getAppsParams
	if err := decodeParams(c.params, &p); err != nil {
		return nil, err
	}
	e := apierr.Validation()
	for key, n := range map[string]int{"ids": len(p.IDs), "codes": len(p.Codes), "spaceIds": len(p.SpaceIDs)} {
		if n > 100 {
			e.Add(key, apierr.MsgIDsSize)
		}
	}
	limit := int64(100)
	if p.Limit.Set {
		switch {
		case p.Limit.Bad:
			e.Add("limit", apierr.MsgInteger)
		case p.Limit.V < 1:
			e.Add("limit", apierr.MsgMin1)
		case p.Limit.V > 100:
			e.Add("limit", apierr.MsgLimit100)
		}
		limit = p.Limit.V
	}
	offset := int64(0)
	if p.Offset.Set {
		if p.Offset.Bad || p.Offset.V < 0 {
			e.Add("offset", apierr.Text{En: "must be greater than or equal to 0", Ja: "最小でも0以上です。"})
		}
		offset = p.Offset.V
	}
	if utf8.RuneCountInString(p.Name.V) > 64 {
		e.Add("name", apierr.MsgNameLength)
	}
	if err := orNil(e); err != nil {
		return nil, err
	}
	ids := setOf(p.IDs)
	spaces := setOf(p.SpaceIDs)
	codes := map[string]bool{}
	for _, code := range p.Codes {
		codes[code] = true
	}
	name := strings.ToLower(p.Name.V)
	out := []appJSON{}
	skipped := int64(0)
	for _, a := range s.store.Apps() {
		switch {
		case a.GuestSpaceID != c.route.guest:
		case len(ids) > 0 && !ids[a.ID]:
		case len(codes) > 0 && !codes[a.Code]:
		case len(spaces) > 0 && !spaces[a.SpaceID]:
		case name != "" && !strings.Contains(strings.ToLower(a.Name), name):
		case skipped < offset:
			skipped++
		case int64(len(out)) < limit:
			out = append(out, toAppJSON(a))
		}
	}
	return map[string][]appJSON{"apps": out}, nil
}

func setOf(ns []Int) map[int64]bool {
	m := make(map[int64]bool, len(ns))
	for _, n := range ns {
		m[n.V] = true
	}
	return m
}

type postAppParams struct {
	Name   Str `json:"name"`
	Space  Int `json:"space"`
	Thread Int `json:"thread"`
}

// postApp creates an app in preview (§4.7 step 1): only the system fields,
// not live until deployed. API tokens cannot call it; the user needs the
// right to create apps (admins in the emulator).
func (s *Server) postApp(c *call) (any, *apierr.Error) {
	if err := c.p.refuseToken(); err != nil {
		return nil, err
	}
	if c.p.user == nil || !c.p.user.Admin {
		return nil, apierr.NoPrivilege()
	}
	var p postAppParams
	if err := decodeParams(c.params, &p); err != nil {
		return nil, err
	}
	if n := utf8.RuneCountInString(p.Name.V); !p.Name.Set || n < 1 || n > 64 {
		return nil, apierr.Invalid("name", apierr.MsgNameLength)
	}
	spec := store.AppSpec{
		Name: p.Name.V, SpaceID: p.Space.V, ThreadID: p.Thread.V, GuestSpaceID: c.route.guest,
		Creator: store.Entity{Code: c.p.user.Login, Name: c.p.user.Name},
	}
	if spec.GuestSpaceID != 0 && spec.SpaceID == 0 {
		spec.SpaceID = spec.GuestSpaceID
	}
	a, err := s.store.CreatePreviewApp(spec)
	if err != nil {
		return nil, asAPIError(err)
	}
	return map[string]string{"app": itoa(a.ID), "revision": itoa(a.Preview.Revision)}, nil
}

type deployParams struct {
	Apps []struct {
		App      Int `json:"app"`
		Revision Int `json:"revision"`
	} `json:"apps"`
	Revert Bool `json:"revert"`
}

const maxDeployApps = 300

// postDeploy makes preview settings live (§4.7 step 3). The emulator deploys
// synchronously: the status is SUCCESS or FAIL by the time it answers, which
// a client polling the status cannot tell from a fast deploy.
func (s *Server) postDeploy(c *call) (any, *apierr.Error) {
	var p deployParams
	if err := decodeParams(c.params, &p); err != nil {
		return nil, err
	}
	if len(p.Apps) == 0 {
		return nil, apierr.Invalid("apps", apierr.MsgRequiredParam)
	}
	if len(p.Apps) > maxDeployApps {
		return nil, apierr.Invalid("apps", apierr.MsgDeploySize)
	}
	ids := make([]int64, len(p.Apps))
	for i, item := range p.Apps {
		key := "apps[" + itoa(int64(i)) + "].app"
		a, err := s.appFor(c, key, item.App, permSettingsWrite)
		if err != nil {
			return nil, err
		}
		if item.Revision.Set && item.Revision.V != -1 && item.Revision.V != a.Preview.Revision {
			return nil, apierr.SettingsRevisionConflict(itoa(a.ID))
		}
		ids[i] = a.ID
	}
	if err := s.store.Deploy(ids, p.Revert.V); err != nil {
		return nil, asAPIError(err)
	}
	// A deploy that fails (a field made unique over duplicate values) is
	// reported through the deploy status, as Kintone does; only a
	// successful one activates the apps' draft tokens.
	for _, id := range ids {
		if a, ok := s.store.App(id); ok && a.DeployStatus == "SUCCESS" {
			s.dir.activateTokens(id)
		}
	}
	return struct{}{}, nil
}

type deployStatusParams struct {
	Apps []Int `json:"apps"`
}

func (s *Server) getDeploy(c *call) (any, *apierr.Error) {
	var p deployStatusParams
	if err := decodeParams(c.params, &p); err != nil {
		return nil, err
	}
	if len(p.Apps) == 0 {
		return nil, apierr.Invalid("apps", apierr.MsgRequiredParam)
	}
	if len(p.Apps) > maxDeployApps {
		return nil, apierr.Invalid("apps", apierr.MsgDeploySize)
	}
	type status struct {
		App    string `json:"app"`
		Status string `json:"status"`
	}
	out := make([]status, 0, len(p.Apps))
	for i, id := range p.Apps {
		a, err := s.appFor(c, "apps["+itoa(int64(i))+"]", id, permSettingsRead)
		if err != nil {
			return nil, err
		}
		st := a.DeployStatus
		if st == "" {
			st = "SUCCESS"
		}
		out = append(out, status{App: itoa(a.ID), Status: st})
	}
	return map[string]any{"apps": out}, nil
}
