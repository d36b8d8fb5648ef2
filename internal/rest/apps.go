package rest

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// MaxAppsPerPage is the most apps one apps.json call returns, and the most
// IDs, codes or space IDs it filters on.
const MaxAppsPerPage = 100

// App is an app's settings summary (app.json, apps.json).
type App struct {
	AppID       int64
	Code        string // "" when the app has no code
	Name        string
	Description string
	SpaceID     int64 // 0 outside a space
	ThreadID    int64 // 0 outside a space
	CreatedAt   time.Time
	Creator     Entity
	ModifiedAt  time.Time
	Modifier    Entity
}

// Entity is a user reference: login name (code) and display name.
type Entity struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

type wireApp struct {
	AppID       decimalString `json:"appId"`
	Code        string        `json:"code"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	SpaceID     decimalString `json:"spaceId"`
	ThreadID    decimalString `json:"threadId"`
	CreatedAt   time.Time     `json:"createdAt"`
	Creator     Entity        `json:"creator"`
	ModifiedAt  time.Time     `json:"modifiedAt"`
	Modifier    Entity        `json:"modifier"`
}

func (w *wireApp) app() App {
	return App{
		AppID: int64(w.AppID), Code: w.Code, Name: w.Name, Description: w.Description,
		SpaceID: int64(w.SpaceID), ThreadID: int64(w.ThreadID),
		CreatedAt: w.CreatedAt, Creator: w.Creator, ModifiedAt: w.ModifiedAt, Modifier: w.Modifier,
	}
}

// AppsQuery filters apps.json. Filters combine with AND; empty ones are
// not sent.
type AppsQuery struct {
	// IDs lists app IDs (at most MaxAppsPerPage).
	IDs []int64
	// Codes lists app codes, matched exactly and case-sensitively (at most
	// MaxAppsPerPage).
	Codes []string
	// Name matches app names partially, case-insensitively.
	Name string
	// SpaceIDs lists spaces (at most MaxAppsPerPage).
	SpaceIDs []int64
	// Limit is the page size, 1 to MaxAppsPerPage; zero means 100.
	Limit int
	// Offset skips that many apps.
	Offset int
}

func (q *AppsQuery) params() (*params, error) {
	switch {
	case len(q.IDs) > MaxAppsPerPage, len(q.Codes) > MaxAppsPerPage, len(q.SpaceIDs) > MaxAppsPerPage:
		return nil, fmt.Errorf("more than %d ids, codes or spaceIds: %w", MaxAppsPerPage, ErrTooMany)
	case q.Limit < 0 || q.Limit > MaxAppsPerPage:
		return nil, fmt.Errorf("limit %d is outside 1 to %d", q.Limit, MaxAppsPerPage)
	case q.Offset < 0:
		return nil, fmt.Errorf("offset %d is negative", q.Offset)
	}
	p := &params{}
	if len(q.IDs) > 0 {
		p.ints("ids", q.IDs)
	}
	if len(q.Codes) > 0 {
		p.list("codes", q.Codes)
	}
	if q.Name != "" {
		p.str("name", q.Name)
	}
	if len(q.SpaceIDs) > 0 {
		p.ints("spaceIds", q.SpaceIDs)
	}
	if q.Limit > 0 {
		p.id("limit", int64(q.Limit))
	}
	if q.Offset > 0 {
		p.id("offset", int64(q.Offset))
	}
	return p, nil
}

// Apps lists one page of apps (GET apps.json). API tokens cannot call it:
// Kintone answers 403 GAIA_NO01. Through a guest-space client only that
// space's apps are listed.
func (c *Client) Apps(ctx context.Context, q AppsQuery) ([]App, error) {
	p, err := q.params()
	if err != nil {
		return nil, fmt.Errorf("kintone: GET %s: %w", c.Path("apps.json"), err)
	}
	var ans struct {
		Apps []wireApp `json:"apps"`
	}
	if err := c.do(ctx, &call{method: http.MethodGet, resource: "apps.json", params: p, safety: idempotent}, decodeJSON(&ans)); err != nil {
		return nil, err
	}
	apps := make([]App, len(ans.Apps))
	for i := range ans.Apps {
		apps[i] = ans.Apps[i].app()
	}
	return apps, nil
}

// AllApps lists every app matching q's filters, from q.Offset on, one page
// of MaxAppsPerPage at a time until a short page.
func (c *Client) AllApps(ctx context.Context, q AppsQuery) ([]App, error) {
	q.Limit = MaxAppsPerPage
	var all []App
	for {
		page, err := c.Apps(ctx, q)
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < MaxAppsPerPage {
			return all, nil
		}
		q.Offset += len(page)
	}
}

// App reads one app's summary (GET app.json). API tokens of the app may
// call it.
func (c *Client) App(ctx context.Context, id int64) (*App, error) {
	p := &params{}
	p.id("id", id)
	var w wireApp
	if err := c.do(ctx, &call{method: http.MethodGet, resource: "app.json", params: p, safety: idempotent}, decodeJSON(&w)); err != nil {
		return nil, err
	}
	app := w.app()
	return &app, nil
}
