package kintone

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/kintone-sql/kintone/auth"
	"github.com/kintone-sql/kintone/dsn"
	"github.com/kintone-sql/kintone/internal/rest"
	"github.com/kintone-sql/kintone/internal/suggest"
	"github.com/kintone-sql/kintone/translate"
)

// schemaCache is the Connector's view of the apps, implementing
// translate.Schema: table names resolve to apps, apps carry their form
// fields. Entries live for a TTL, so a deployed form change is seen within
// it; errors are never cached.
//
// Name resolution, in order: a DSN alias (apps=orders:42), an app ID, an app
// code, the name of exactly one app, each spelled exactly; then, as for
// column names, the one app whose alias, code or name matches ignoring case
// (orders finds the app coded ORDERS; two apps that differ only in case are
// an *AmbiguousTableError naming both). API tokens cannot list apps, so with
// them a code or name only resolves among the apps the DSN names (apps and
// appId), and an unknown table says so.
type schemaCache struct {
	client *rest.Client
	cfg    *dsn.Config
	ttl    time.Duration
	now    func() time.Time

	mu    sync.Mutex
	byID  map[int64]cachedApp
	names map[string]cachedName

	// loads shares a name lookup or an app load among the statements
	// that need it at once, so that concurrent first queries of a table
	// cost the requests of one.
	loads flightGroup
}

type cachedApp struct {
	app     *translate.App
	expires time.Time
}

type cachedName struct {
	id      int64          // 0: no app has the name
	app     *translate.App // its ID, code and name when apps.json gave them, or nil
	expires time.Time
}

func newSchemaCache(client *rest.Client, cfg *dsn.Config, ttl time.Duration) *schemaCache {
	return &schemaCache{client: client, cfg: cfg, ttl: ttl, now: time.Now,
		byID: map[int64]cachedApp{}, names: map[string]cachedName{}}
}

var _ translate.Schema = (*schemaCache)(nil)

// AmbiguousTableError reports a table name that is the name of several
// apps, or that matches several apps when case is ignored.
type AmbiguousTableError struct {
	Name string
	IDs  []int64
	// IgnoringCase is set when no app has the name exactly and several
	// match it ignoring case; Matches then holds what matched (an app
	// code, name or DSN alias), in the order of IDs.
	IgnoringCase bool
	Matches      []string
}

// Error names the apps that share the name and how to tell them apart.
func (e *AmbiguousTableError) Error() string {
	if e.IgnoringCase {
		parts := make([]string, len(e.IDs))
		for i, id := range e.IDs {
			parts[i] = fmt.Sprintf("%q (app %d)", e.Matches[i], id)
		}
		return fmt.Sprintf("kintone: table %q matches %d apps when case is ignored: %s; write the name in its exact case, name the app by its ID, or map the name with the DSN key apps",
			e.Name, len(e.IDs), strings.Join(parts, ", "))
	}
	return fmt.Sprintf("kintone: table %q is the name of %d apps (IDs %v); name one by its ID or app code, or map the name with the DSN key apps", e.Name, len(e.IDs), e.IDs)
}

func (s *schemaCache) clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.byID)
	clear(s.names)
}

// App resolves a table name; see schemaCache. A name no app has is an
// *translate.UnknownTableError with the nearest names and, with API
// tokens, how to name apps.
func (s *schemaCache) App(ctx context.Context, name string) (*translate.App, error) {
	id, known, err := s.resolve(ctx, name)
	if err != nil {
		return nil, err
	}
	if id != 0 {
		app, err := s.appByID(ctx, id, known)
		if err != nil || app != nil {
			return app, err
		}
	}
	return nil, s.unknownTable(ctx, name)
}

// unknownTable is the error for a name no app has: the nearest aliases,
// codes and names (best effort: a failed list gives none) and, with API
// tokens, that only the apps the DSN names are known and how to name one.
func (s *schemaCache) unknownTable(ctx context.Context, name string) error {
	e := &translate.UnknownTableError{Name: name}
	var names []string
	for alias := range s.cfg.Apps {
		names = append(names, alias)
	}
	slices.Sort(names)
	if apps, err := s.Apps(ctx); err == nil {
		for _, a := range apps {
			names = append(names, a.TableName(), a.Name)
		}
	}
	e.Suggestions = suggest.Nearest(name, names, 3)
	_, numeric := strconv.ParseInt(name, 10, 64)
	switch {
	case numeric == nil:
		e.Suggestions = nil // near IDs are other apps, not typos
		e.Hint = "no app has this ID"
		if s.tokensOnly() {
			e.Hint = "no app with this ID can be read with these API tokens"
		}
	case s.tokensOnly():
		label := name
		if !validAlias(label) {
			label = "name"
		}
		e.Hint = fmt.Sprintf("API tokens cannot list apps, so only the apps the DSN names are tables; "+
			"name this one in the DSN with apps=%s:<app ID> or appId=<app ID>, or by its ID (FROM `<app ID>`)", label)
	case len(e.Suggestions) == 0:
		e.Hint = "SHOW TABLES lists the tables"
	}
	return e
}

// validAlias reports whether name can be written as a DSN alias as it is
// (dsn's rule for apps=name:id, and short enough to quote in a hint).
func validAlias(name string) bool {
	if name == "" || len(name) > 64 || strings.ContainsAny(name, ",:;&=%#?/ \t\r\n\"'`") {
		return false
	}
	_, err := strconv.ParseInt(name, 10, 64)
	return err != nil
}

// resolve returns the ID of the app a table name names (0 for none) and,
// when the lookup listed it, the app's ID, code and name (else nil).
func (s *schemaCache) resolve(ctx context.Context, name string) (int64, *translate.App, error) {
	if id, ok := s.cfg.Apps[name]; ok {
		return id, nil, nil
	}
	if id, err := strconv.ParseInt(name, 10, 64); err == nil {
		if id <= 0 {
			return 0, nil, nil
		}
		return id, nil, nil
	}
	if n, ok := s.cachedName(name); ok {
		return n.id, n.app, nil
	}
	n, err := share(ctx, &s.loads, "name:"+name, func(ctx context.Context) (cachedName, error) {
		if n, ok := s.cachedName(name); ok {
			return n, nil
		}
		id, app, err := s.lookupName(ctx, name)
		if err != nil {
			return cachedName{}, err
		}
		n := cachedName{id: id, app: app, expires: s.now().Add(s.ttl)}
		s.mu.Lock()
		s.names[name] = n
		s.mu.Unlock()
		return n, nil
	})
	if err != nil {
		return 0, nil, err
	}
	return n.id, n.app, nil
}

// cachedName returns the lookup of name in the cache, if it has not expired.
func (s *schemaCache) cachedName(name string) (cachedName, bool) {
	s.mu.Lock()
	n, ok := s.names[name]
	s.mu.Unlock()
	return n, ok && s.now().Before(n.expires)
}

// lookupName finds the app whose code, or else whose name, is name, then
// the one whose alias, code or name matches it ignoring case. It returns
// the app's ID (0 when there is none) and, when known, its code and name.
func (s *schemaCache) lookupName(ctx context.Context, name string) (int64, *translate.App, error) {
	if s.tokensOnly() {
		apps, err := s.Apps(ctx)
		if err != nil {
			return 0, nil, err
		}
		return pickApp(name, apps, s.cfg.Apps)
	}
	// apps.json filters combine with AND, so the code and the name are
	// two requests; they go out together, costing one round trip.
	var (
		wg               sync.WaitGroup
		byCode, partial  []rest.App
		codeErr, nameErr error
	)
	wg.Go(func() { byCode, codeErr = s.client.Apps(ctx, rest.AppsQuery{Codes: []string{name}, Limit: 1}) })
	// The name filter is a partial match: keep the exact ones.
	wg.Go(func() { partial, nameErr = s.client.AllApps(ctx, rest.AppsQuery{Name: name}) })
	wg.Wait()
	if codeErr != nil {
		return 0, nil, codeErr
	}
	if len(byCode) == 1 {
		// A code wins over a name, so the name's answer does not matter.
		a := byCode[0]
		return a.AppID, &translate.App{ID: a.AppID, Code: a.Code, Name: a.Name}, nil
	}
	if nameErr != nil {
		return 0, nil, nameErr
	}
	if id, app, err := pickExact(name, restApps(partial)); err != nil || id != 0 {
		return id, app, err
	}
	// No app has the name as written: match ignoring case, which needs
	// every app (codes match exactly in apps.json).
	all, err := s.client.AllApps(ctx, rest.AppsQuery{})
	if err != nil {
		return 0, nil, err
	}
	return pickApp(name, restApps(all), s.cfg.Apps)
}

// restApps converts apps.json's apps.
func restApps(in []rest.App) []*translate.App {
	out := make([]*translate.App, len(in))
	for i, a := range in {
		out[i] = &translate.App{ID: a.AppID, Code: a.Code, Name: a.Name}
	}
	return out
}

// pickApp returns the app whose code is name, or the only app whose name
// is name, or else the only app whose code, name or DSN alias matches name
// ignoring case.
func pickApp(name string, apps []*translate.App, aliases map[string]int64) (int64, *translate.App, error) {
	if id, app, err := pickExact(name, apps); err != nil || id != 0 {
		return id, app, err
	}
	type match struct {
		id   int64
		what string
		app  *translate.App
	}
	var found []match
	add := func(id int64, what string, app *translate.App) {
		for i, m := range found {
			if m.id == id {
				if found[i].app == nil {
					found[i].app = app
				}
				return
			}
		}
		found = append(found, match{id, what, app})
	}
	aliasNames := slices.Sorted(maps.Keys(aliases))
	for _, alias := range aliasNames {
		if strings.EqualFold(alias, name) {
			add(aliases[alias], alias, nil)
		}
	}
	for _, a := range apps {
		switch {
		case a.Code != "" && strings.EqualFold(a.Code, name):
			add(a.ID, a.Code, a)
		case strings.EqualFold(a.Name, name):
			add(a.ID, a.Name, a)
		}
	}
	switch len(found) {
	case 0:
		return 0, nil, nil
	case 1:
		return found[0].id, found[0].app, nil
	}
	slices.SortFunc(found, func(a, b match) int { return cmp.Compare(a.id, b.id) })
	e := &AmbiguousTableError{Name: name, IgnoringCase: true}
	for _, m := range found {
		e.IDs = append(e.IDs, m.id)
		e.Matches = append(e.Matches, m.what)
	}
	return 0, nil, e
}

// pickExact returns the app whose code is name, or the only app whose name
// is name.
func pickExact(name string, apps []*translate.App) (int64, *translate.App, error) {
	var named []*translate.App
	for _, a := range apps {
		if a.Code == name {
			return a.ID, a, nil
		}
		if a.Name == name {
			named = append(named, a)
		}
	}
	switch len(named) {
	case 0:
		return 0, nil, nil
	case 1:
		return named[0].ID, named[0], nil
	}
	ids := make([]int64, len(named))
	for i, a := range named {
		ids[i] = a.ID
	}
	slices.Sort(ids)
	return 0, nil, &AmbiguousTableError{Name: name, IDs: ids}
}

// tokensOnly reports whether requests authenticate with API tokens, which
// cannot list apps.
func (s *schemaCache) tokensOnly() bool {
	scheme, err := auth.Choose(s.cfg)
	return err == nil && scheme == dsn.AuthAPIToken
}

// appByID returns the app with its fields, from the cache or Kintone. An
// app that does not exist is (nil, nil). known is the app's ID, code and
// name when the name lookup already read them (app.json is then not
// asked); the requests it does need go out at once, so that loading an
// app costs one round trip, not three. Statements that load the same app
// at once share one load.
func (s *schemaCache) appByID(ctx context.Context, id int64, known *translate.App) (*translate.App, error) {
	if app, ok := s.cachedApp(id); ok {
		return app, nil
	}
	return share(ctx, &s.loads, "app:"+strconv.FormatInt(id, 10), func(ctx context.Context) (*translate.App, error) {
		if app, ok := s.cachedApp(id); ok {
			return app, nil
		}
		return s.loadApp(ctx, id, known)
	})
}

// cachedApp returns app id from the cache, if it has not expired.
func (s *schemaCache) cachedApp(id int64) (*translate.App, bool) {
	s.mu.Lock()
	e, ok := s.byID[id]
	s.mu.Unlock()
	return e.app, ok && s.now().Before(e.expires)
}

// loadApp reads app id's form and caches it; see appByID.
func (s *schemaCache) loadApp(ctx context.Context, id int64, known *translate.App) (*translate.App, error) {
	var (
		wg               sync.WaitGroup
		info             *rest.App
		form             *rest.FormFields
		order            []string
		infoErr, formErr error
		orderErr         error
	)
	if known == nil {
		wg.Go(func() { info, infoErr = s.client.App(ctx, id) })
	}
	wg.Go(func() { form, formErr = s.client.FormFields(ctx, id) })
	// The layout gives SELECT * the form's order; fields it does not place
	// follow in code order (translate.App.Order).
	wg.Go(func() { order, orderErr = s.client.FormLayout(ctx, id) })
	wg.Wait()
	if infoErr != nil {
		if isNotFound(infoErr) {
			return nil, nil
		}
		return nil, infoErr
	}
	if err := cmp.Or(formErr, orderErr); err != nil {
		return nil, err
	}
	app := &translate.App{ID: id, Fields: form.Properties, Order: order}
	if known != nil {
		app.Code, app.Name = known.Code, known.Name
	} else {
		app.Code, app.Name = info.Code, info.Name
	}
	s.mu.Lock()
	s.byID[id] = cachedApp{app: app, expires: s.now().Add(s.ttl)}
	s.mu.Unlock()
	return app, nil
}

// Apps lists the apps the connection can see: every app with a password or
// OAuth; with API tokens, the apps the DSN names.
func (s *schemaCache) Apps(ctx context.Context) ([]*translate.App, error) {
	if s.tokensOnly() {
		ids := slices.Clone(s.cfg.AppIDs)
		for _, id := range s.cfg.Apps {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		return s.appsByID(ctx, ids)
	}
	all, err := s.client.AllApps(ctx, rest.AppsQuery{})
	if err != nil {
		return nil, err
	}
	out := make([]*translate.App, len(all))
	for i, a := range all {
		out[i] = &translate.App{ID: a.AppID, Code: a.Code, Name: a.Name}
	}
	return out, nil
}

// appsAtOnce bounds the app.json requests appsByID has in flight.
const appsAtOnce = 8

// appsByID reads the summaries of the apps ids (app.json, which API tokens
// may call) appsAtOnce at a time rather than one after the other: a name
// lookup with API tokens lists the apps the DSN names, and would otherwise
// cost a round trip per app. Apps that do not exist are left out.
func (s *schemaCache) appsByID(ctx context.Context, ids []int64) ([]*translate.App, error) {
	apps := make([]*translate.App, len(ids))
	errs := make([]error, len(ids))
	sem := make(chan struct{}, appsAtOnce)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			a, err := s.client.App(ctx, id)
			if err != nil {
				if !isNotFound(err) {
					errs[i] = err
				}
				return
			}
			apps[i] = &translate.App{ID: a.AppID, Code: a.Code, Name: a.Name}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err // the first in ID order, as one by one gave
		}
	}
	var out []*translate.App
	for _, a := range apps {
		if a != nil {
			out = append(out, a)
		}
	}
	return out, nil
}

// isNotFound reports Kintone's answer for an app that does not exist.
func isNotFound(err error) bool {
	var ae *rest.APIError
	return errors.As(err, &ae) && ae.Status == http.StatusNotFound
}
