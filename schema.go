package kintone

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/kintone-sql/kintone/auth"
	"github.com/kintone-sql/kintone/dsn"
	"github.com/kintone-sql/kintone/internal/rest"
	"github.com/kintone-sql/kintone/translate"
)

// schemaCache is the Connector's view of the apps, implementing
// translate.Schema: table names resolve to apps, apps carry their form
// fields. Entries live for a TTL, so a deployed form change is seen within
// it; errors are never cached.
//
// Name resolution, in order: a DSN alias (apps=orders:42), an app ID, an app
// code, the name of exactly one app. API tokens cannot list apps, so with
// them a code or name only resolves among the apps the DSN names (apps and
// appId).
type schemaCache struct {
	client *rest.Client
	cfg    *dsn.Config
	ttl    time.Duration
	now    func() time.Time

	mu    sync.Mutex
	byID  map[int64]cachedApp
	names map[string]cachedName
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

// AmbiguousTableError reports a table name that is the name of several apps.
type AmbiguousTableError struct {
	Name string
	IDs  []int64
}

// Error names the apps that share the name and how to tell them apart.
func (e *AmbiguousTableError) Error() string {
	return fmt.Sprintf("kintone: table %q is the name of %d apps (IDs %v); name one by its ID or app code, or map the name with the DSN key apps", e.Name, len(e.IDs), e.IDs)
}

func (s *schemaCache) clear() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.byID)
	clear(s.names)
}

// App resolves a table name; see schemaCache.
func (s *schemaCache) App(ctx context.Context, name string) (*translate.App, error) {
	id, known, err := s.resolve(ctx, name)
	if err != nil || id == 0 {
		return nil, err
	}
	return s.appByID(ctx, id, known)
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
	s.mu.Lock()
	n, ok := s.names[name]
	s.mu.Unlock()
	if ok && s.now().Before(n.expires) {
		return n.id, n.app, nil
	}
	app, err := s.lookupName(ctx, name)
	if err != nil {
		return 0, nil, err
	}
	n = cachedName{app: app, expires: s.now().Add(s.ttl)}
	if app != nil {
		n.id = app.ID
	}
	s.mu.Lock()
	s.names[name] = n
	s.mu.Unlock()
	return n.id, n.app, nil
}

// lookupName finds the app whose code, or else whose name, is name; nil
// when there is none.
func (s *schemaCache) lookupName(ctx context.Context, name string) (*translate.App, error) {
	if s.tokensOnly() {
		apps, err := s.Apps(ctx)
		if err != nil {
			return nil, err
		}
		return pickApp(name, apps)
	}
	byCode, err := s.client.Apps(ctx, rest.AppsQuery{Codes: []string{name}, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(byCode) == 1 {
		a := byCode[0]
		return &translate.App{ID: a.AppID, Code: a.Code, Name: a.Name}, nil
	}
	// apps.json's name filter is a partial match: keep the exact ones.
	partial, err := s.client.AllApps(ctx, rest.AppsQuery{Name: name})
	if err != nil {
		return nil, err
	}
	apps := make([]*translate.App, len(partial))
	for i, a := range partial {
		apps[i] = &translate.App{ID: a.AppID, Code: a.Code, Name: a.Name}
	}
	return pickApp(name, apps)
}

// pickApp returns the app whose code is name, or the only app whose name
// is name.
func pickApp(name string, apps []*translate.App) (*translate.App, error) {
	var named []*translate.App
	for _, a := range apps {
		if a.Code == name {
			return a, nil
		}
		if a.Name == name {
			named = append(named, a)
		}
	}
	switch len(named) {
	case 0:
		return nil, nil
	case 1:
		return named[0], nil
	}
	ids := make([]int64, len(named))
	for i, a := range named {
		ids[i] = a.ID
	}
	slices.Sort(ids)
	return nil, &AmbiguousTableError{Name: name, IDs: ids}
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
// app costs one round trip, not three.
func (s *schemaCache) appByID(ctx context.Context, id int64, known *translate.App) (*translate.App, error) {
	s.mu.Lock()
	e, ok := s.byID[id]
	s.mu.Unlock()
	if ok && s.now().Before(e.expires) {
		return e.app, nil
	}
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
		var out []*translate.App
		for _, id := range ids {
			a, err := s.client.App(ctx, id)
			if err != nil {
				if isNotFound(err) {
					continue
				}
				return nil, err
			}
			out = append(out, &translate.App{ID: a.AppID, Code: a.Code, Name: a.Name})
		}
		return out, nil
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

// isNotFound reports Kintone's answer for an app that does not exist.
func isNotFound(err error) bool {
	var ae *rest.APIError
	return errors.As(err, &ae) && ae.Status == http.StatusNotFound
}
