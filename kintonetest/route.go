package kintonetest

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// route is a parsed API path: /k/v1/{resource}.json or
// /k/guest/{id}/v1/{resource}.json (REST-API.md §1).
type route struct {
	// guest is the guest space of a /k/guest/{id}/ path, 0 otherwise.
	guest int64
	// resource is the path between v1/ and .json, e.g. "records/cursor"
	// or "preview/app/form/fields".
	resource string
}

// routes maps a resource to its handlers by method. A path Kintone does not
// have is 404 and a method it lacks is 405, both with a JSON body: the real
// answers are undocumented (REST-API.md §10.3).
func routes(resource string) map[string]apiHandler {
	switch resource {
	case "record":
		return map[string]apiHandler{http.MethodGet: (*Server).getRecord, http.MethodPost: (*Server).postRecord, http.MethodPut: (*Server).putRecord}
	case "records":
		return map[string]apiHandler{http.MethodGet: (*Server).getRecords, http.MethodPost: (*Server).postRecords, http.MethodPut: (*Server).putRecords, http.MethodDelete: (*Server).deleteRecords}
	case "records/cursor":
		return map[string]apiHandler{http.MethodGet: (*Server).getCursor, http.MethodPost: (*Server).postCursor, http.MethodDelete: (*Server).deleteCursor}
	case "bulkRequest":
		return map[string]apiHandler{http.MethodPost: (*Server).postBulk}
	case "apps":
		return map[string]apiHandler{http.MethodGet: (*Server).getApps}
	case "app":
		return map[string]apiHandler{http.MethodGet: (*Server).getApp}
	case "app/form/fields":
		return map[string]apiHandler{http.MethodGet: (*Server).getFields}
	case "preview/app/form/fields":
		return map[string]apiHandler{http.MethodGet: (*Server).getFields, http.MethodPost: (*Server).postFields, http.MethodPut: (*Server).putFields, http.MethodDelete: (*Server).deleteFields}
	case "app/form/layout", "preview/app/form/layout":
		return map[string]apiHandler{http.MethodGet: (*Server).getLayout}
	case "preview/app":
		return map[string]apiHandler{http.MethodPost: (*Server).postApp}
	case "preview/app/deploy":
		return map[string]apiHandler{http.MethodGet: (*Server).getDeploy, http.MethodPost: (*Server).postDeploy}
	case "file":
		return map[string]apiHandler{http.MethodGet: (*Server).getFile, http.MethodPost: (*Server).postFile}
	}
	return nil
}

func parseRoute(path string) (route, *apierr.Error) {
	rest, ok := strings.CutPrefix(path, "/k/")
	if !ok {
		return route{}, apierr.UnknownPath()
	}
	var rt route
	if g, ok := strings.CutPrefix(rest, "guest/"); ok {
		id, after, ok := strings.Cut(g, "/")
		n, err := strconv.ParseInt(id, 10, 64)
		if !ok || err != nil || n < 1 {
			return route{}, apierr.UnknownPath()
		}
		rt.guest, rest = n, after
	}
	rest, ok = strings.CutPrefix(rest, "v1/")
	if !ok {
		return route{}, apierr.UnknownPath()
	}
	rt.resource, ok = strings.CutSuffix(rest, ".json")
	if !ok || routes(rt.resource) == nil {
		return route{}, apierr.UnknownPath()
	}
	return rt, nil
}

func (rt route) handler(method string) (apiHandler, *apierr.Error) {
	h, ok := routes(rt.resource)[method]
	if !ok {
		return nil, apierr.MethodNotAllowed()
	}
	return h, nil
}

// app looks an app up and applies the guest-space routing rules of
// REST-API.md §1: a guest app through /k/v1/ is 400 GAIA_IL23; a normal app
// through a guest path, or a guest app through another guest space's path,
// is 403 CB_NO02. A missing app is 404 GAIA_AP01.
func (s *Server) app(rt route, id int64) (*store.App, *apierr.Error) {
	a, ok := s.store.App(id)
	if !ok {
		return nil, apierr.AppNotFound(strconv.FormatInt(id, 10))
	}
	switch {
	case a.GuestSpaceID != 0 && rt.guest == 0:
		return nil, apierr.GuestPathRequired()
	case a.GuestSpaceID != rt.guest:
		return nil, apierr.NoPrivilege()
	}
	return a, nil
}

// appFor checks the app parameter, finds the app, and authorizes perm on it.
func (s *Server) appFor(c *call, key string, id Int, perm permission) (*store.App, *apierr.Error) {
	e := apierr.Validation()
	requireID(e, key, id)
	if err := orNil(e); err != nil {
		return nil, err
	}
	a, err := s.app(c.route, id.V)
	if err != nil {
		return nil, err
	}
	if err := c.p.authorize(a.ID, perm); err != nil {
		return nil, err
	}
	return a, nil
}
