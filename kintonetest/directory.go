package kintonetest

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"

	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// directory holds the domain's accounts and credentials: users, API tokens
// and OAuth access tokens. It is configuration, not data: it is not
// journaled, and a durable server gets it again from its options.
type directory struct {
	mu     sync.RWMutex
	users  map[string]*userEntry
	order  []string // logins in creation order
	tokens map[string]*apiToken
	oauth  map[string]*oauthGrant
	loc    *time.Location
}

type userEntry struct {
	User
	// seq is the hidden numeric user ID Kintone sorts CREATOR and MODIFIER by.
	seq int64
}

type apiToken struct {
	value string
	app   int64
	perms Permissions
	draft bool
}

type oauthGrant struct {
	login  string
	scopes map[string]bool
}

// The OAuth scopes of REST-API.md §2.1.
const (
	ScopeRecordRead    = "k:app_record:read"
	ScopeRecordWrite   = "k:app_record:write"
	ScopeSettingsRead  = "k:app_settings:read"
	ScopeSettingsWrite = "k:app_settings:write"
	ScopeFileRead      = "k:file:read"
	ScopeFileWrite     = "k:file:write"
)

// tokenUser is who records show for writes made with an API token
// (REST-API.md §2.1: "recorded as user Administrator").
var tokenUser = store.Entity{Code: "Administrator", Name: "Administrator"}

func newDirectory(loc *time.Location) *directory {
	return &directory{
		users:  map[string]*userEntry{},
		tokens: map[string]*apiToken{},
		oauth:  map[string]*oauthGrant{},
		loc:    loc,
	}
}

func (d *directory) addUser(u User) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if u.Name == "" {
		u.Name = u.Login
	}
	if e, ok := d.users[u.Login]; ok {
		e.User = u
		return
	}
	d.users[u.Login] = &userEntry{User: u, seq: int64(len(d.order) + 1)}
	d.order = append(d.order, u.Login)
}

func (d *directory) user(login string) (*userEntry, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	u, ok := d.users[login]
	return u, ok
}

// userOrder returns the hidden user ID for sorting; unknown codes
// (Administrator, deleted users) sort after every known user.
func (d *directory) userOrder(code string) int64 {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if u, ok := d.users[code]; ok {
		return u.seq
	}
	return int64(len(d.order)) + 1
}

// displayName resolves the code of a user written to an entity field to
// the user's name. Organizations and groups are not modelled: their code
// doubles as their name (the store's rule for an empty result).
func (d *directory) displayName(kind, code string) string {
	if kind != store.KindUser {
		return ""
	}
	d.mu.RLock()
	defer d.mu.RUnlock()
	if u, ok := d.users[code]; ok {
		return u.Name
	}
	return ""
}

func (d *directory) firstUser() (User, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	if len(d.order) == 0 {
		return User{}, false
	}
	return d.users[d.order[0]].User, true
}

func (d *directory) addToken(app int64, perms Permissions, draft bool) string {
	v := randomToken()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.tokens[v] = &apiToken{value: v, app: app, perms: perms, draft: draft}
	return v
}

// activateTokens ends the draft state of an app's tokens, as updating
// (deploying) the app does in Kintone.
func (d *directory) activateTokens(app int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, t := range d.tokens {
		if t.app == app {
			t.draft = false
		}
	}
}

func (d *directory) token(v string) (*apiToken, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	t, ok := d.tokens[v]
	return t, ok
}

func (d *directory) addOAuth(login string, scopes []string) string {
	v := randomToken()
	g := &oauthGrant{login: login, scopes: map[string]bool{}}
	for _, s := range scopes {
		g.scopes[s] = true
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.oauth[v] = g
	return v
}

func (d *directory) oauthGrant(v string) (*oauthGrant, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	g, ok := d.oauth[v]
	return g, ok
}

// randomToken returns a 40-character token like Kintone's.
func randomToken() string {
	var b [20]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
