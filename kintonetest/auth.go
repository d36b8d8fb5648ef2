package kintonetest

import (
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// Authentication follows REST-API.md §2 and the checklist of §9: the Basic
// layer first (it is a gateway in front of Kintone), then the password
// header, then API tokens, then an OAuth bearer token; nothing at all is
// 401 CB_AU01.
//
// When a request carries both X-Cybozu-Authorization and
// X-Cybozu-API-Token, the server's behaviour is unconfirmed (§2.2); the
// emulator follows the documents' recommendation: the password wins and the
// tokens are ignored. The official clients never send both.

type authKind int

const (
	authPassword authKind = iota + 1
	authToken
	authOAuth
)

func (k authKind) String() string {
	switch k {
	case authPassword:
		return "password"
	case authToken:
		return "apiToken"
	case authOAuth:
		return "oauth"
	}
	return "none"
}

// principal is who a request acts as.
type principal struct {
	kind   authKind
	user   *userEntry  // password and OAuth
	tokens []*apiToken // API tokens
	oauth  *oauthGrant // OAuth
}

// maxTokensPerRequest is Kintone's limit on API tokens in one request.
const maxTokensPerRequest = 9

func (s *Server) authenticate(r *http.Request) (*principal, *apierr.Error) {
	if s.cfg.basicUser != "" {
		u, p, ok := basicFromHeader(r.Header.Get("Authorization"))
		if !ok || !secretEqual(u, s.cfg.basicUser) || !secretEqual(p, s.cfg.basicPass) {
			return nil, apierr.BasicAuthFailed()
		}
	}
	if h := r.Header.Get("X-Cybozu-Authorization"); h != "" {
		return s.passwordAuth(h)
	}
	if hs := r.Header.Values("X-Cybozu-API-Token"); len(hs) > 0 {
		return s.tokenAuth(hs)
	}
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		g, ok := s.dir.oauthGrant(strings.TrimSpace(strings.TrimPrefix(h, "Bearer ")))
		if !ok {
			// Kintone's code for an unknown OAuth token is not documented;
			// a 401 is what every OAuth resource server answers.
			return nil, apierr.LoginRequired()
		}
		u, ok := s.dir.user(g.login)
		if !ok {
			return nil, apierr.LoginRequired()
		}
		return &principal{kind: authOAuth, user: u, oauth: g}, nil
	}
	return nil, apierr.LoginRequired()
}

func (s *Server) passwordAuth(h string) (*principal, *apierr.Error) {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h))
	if err != nil {
		return nil, apierr.PasswordFailed()
	}
	login, pass, ok := strings.Cut(string(raw), ":")
	if !ok || pass == "" {
		return nil, apierr.PasswordFailed()
	}
	u, found := s.dir.user(login)
	if !found || !secretEqual(pass, u.Password) {
		return nil, apierr.PasswordFailed()
	}
	return &principal{kind: authPassword, user: u}, nil
}

// tokenAuth checks every token of the request: several may come
// comma-separated in one header or in repeated headers; a space after the
// comma is accepted (§2.1).
func (s *Server) tokenAuth(headers []string) (*principal, *apierr.Error) {
	var values []string
	for _, h := range headers {
		for _, v := range strings.Split(h, ",") {
			values = append(values, strings.TrimSpace(v))
		}
	}
	if len(values) > maxTokensPerRequest {
		return nil, apierr.TooManyTokens()
	}
	p := &principal{kind: authToken}
	seenApp := map[int64]bool{}
	for _, v := range values {
		t, ok := s.dir.token(v)
		if !ok || t.draft {
			return nil, apierr.TokenMismatch()
		}
		if seenApp[t.app] {
			return nil, apierr.TokenDuplicate()
		}
		seenApp[t.app] = true
		p.tokens = append(p.tokens, t)
	}
	return p, nil
}

// permission is what an operation needs on its app.
type permission int

const (
	permView permission = iota
	permAdd
	permEdit
	permDelete
	permSettingsRead
	permSettingsWrite
	permFileRead
	permFileWrite
)

// authorize checks that p may perform an operation needing perm on app (0
// for operations not bound to an app).
func (p *principal) authorize(app int64, perm permission) *apierr.Error {
	switch p.kind {
	case authToken:
		if perm == permFileRead || perm == permFileWrite {
			// Files are not bound to an app; any valid token may move them.
			return nil
		}
		for _, t := range p.tokens {
			if t.app != app {
				continue
			}
			if t.allows(perm) {
				return nil
			}
			return apierr.TokenNoPermission()
		}
		return apierr.TokenNoPermission()
	case authOAuth:
		if !p.oauth.scopes[scopeFor(perm)] {
			// The code Kintone uses for a missing OAuth scope is not in the
			// documents; 403 CB_NO02 says "no privilege", which it is.
			return apierr.NoPrivilege()
		}
	}
	if (perm == permSettingsWrite) && p.user != nil && !p.user.Admin {
		return apierr.NoPrivilege()
	}
	return nil
}

// tokenCapable is false for the APIs that refuse API tokens (apps.json,
// preview/app.json): 403 GAIA_NO01 (§2.1).
func (p *principal) refuseToken() *apierr.Error {
	if p.kind == authToken {
		return apierr.TokenNoPermission()
	}
	return nil
}

func (t *apiToken) allows(perm permission) bool {
	switch perm {
	case permView:
		return t.perms.View
	case permAdd:
		return t.perms.Add
	case permEdit:
		return t.perms.Edit
	case permDelete:
		return t.perms.Delete
	case permSettingsRead:
		// The settings getters (app, form fields, layout) accept any token
		// of the app: the official CLI reads them with a record-only token
		// (REST-API.md §2.1 lists the getters among the token APIs).
		return true
	case permSettingsWrite:
		return t.perms.Manage
	}
	return false
}

func scopeFor(perm permission) string {
	switch perm {
	case permView:
		return ScopeRecordRead
	case permAdd, permEdit, permDelete:
		return ScopeRecordWrite
	case permSettingsRead:
		return ScopeSettingsRead
	case permSettingsWrite:
		return ScopeSettingsWrite
	case permFileRead:
		return ScopeFileRead
	}
	return ScopeFileWrite
}

// actor is who a write is recorded as.
func (s *Server) actor(p *principal) store.Actor {
	a := store.Actor{Now: s.now(), Loc: s.cfg.loc}
	if p.user != nil {
		a.User = store.Entity{Code: p.user.Login, Name: p.user.Name}
		a.Admin = p.user.Admin
		if p.user.TimeZone != nil {
			a.Loc = p.user.TimeZone
		}
	} else {
		a.User = tokenUser
		// Token requests act as "Administrator", who may set the creator
		// fields (cli-kintone imports them with tokens).
		a.Admin = true
	}
	return a
}

// location is the time zone of the caller's day-based query functions.
func (s *Server) location(p *principal) *time.Location {
	if p.user != nil && p.user.TimeZone != nil {
		return p.user.TimeZone
	}
	return s.cfg.loc
}

func basicFromHeader(h string) (user, pass string, ok bool) {
	const prefix = "Basic "
	if len(h) < len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(h[len(prefix):]))
	if err != nil {
		return "", "", false
	}
	return strings.Cut(string(raw), ":")
}

func secretEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}
