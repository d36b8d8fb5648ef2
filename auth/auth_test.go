package auth

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/dsn"
)

// Secrets used across the tests; none may appear in any output.
const (
	secretPassword = "s3cret"
	secretToken1   = "TOKEN-A"
	secretToken2   = "TOKEN-B"
	secretOAuth    = "OAUTH-XYZ"
	secretBasic    = "basic-pass"
)

func headersFor(t *testing.T, a Authenticator) http.Header {
	t.Helper()
	r, err := http.NewRequest(http.MethodGet, "https://example.cybozu.com/k/v1/records.json", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Authenticate(r); err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	return r.Header
}

// TestHeaders checks each scheme against the headers the official
// @kintone/rest-api-client sent in client-transcripts/rest-auth-variants.jsonl.
func TestHeaders(t *testing.T) {
	tests := []struct {
		name   string
		cfg    dsn.Config
		scheme dsn.AuthScheme
		want   map[string]string // header -> value; "" means absent
	}{
		{
			name:   "password",
			cfg:    dsn.Config{User: "alice", Password: secretPassword},
			scheme: dsn.AuthPassword,
			want:   map[string]string{HeaderPassword: "YWxpY2U6czNjcmV0", HeaderAPIToken: "", HeaderAuthorization: ""},
		},
		{
			name:   "one token",
			cfg:    dsn.Config{APITokens: []string{secretToken1}},
			scheme: dsn.AuthAPIToken,
			want:   map[string]string{HeaderAPIToken: "TOKEN-A", HeaderPassword: "", HeaderAuthorization: ""},
		},
		{
			name:   "two tokens",
			cfg:    dsn.Config{APITokens: []string{secretToken1, secretToken2}},
			scheme: dsn.AuthAPIToken,
			want:   map[string]string{HeaderAPIToken: "TOKEN-A,TOKEN-B"},
		},
		{
			name:   "oauth",
			cfg:    dsn.Config{OAuthToken: secretOAuth},
			scheme: dsn.AuthOAuth,
			want:   map[string]string{HeaderAuthorization: "Bearer OAUTH-XYZ", HeaderPassword: "", HeaderAPIToken: ""},
		},
		{
			name:   "basic + token",
			cfg:    dsn.Config{APITokens: []string{secretToken1}, BasicAuthUser: "basic-user", BasicAuthPassword: secretBasic},
			scheme: dsn.AuthAPIToken,
			want:   map[string]string{HeaderAuthorization: "Basic YmFzaWMtdXNlcjpiYXNpYy1wYXNz", HeaderAPIToken: "TOKEN-A"},
		},
		{
			name:   "basic + password",
			cfg:    dsn.Config{User: "alice", Password: secretPassword, BasicAuthUser: "basic-user", BasicAuthPassword: secretBasic},
			scheme: dsn.AuthPassword,
			want:   map[string]string{HeaderAuthorization: "Basic YmFzaWMtdXNlcjpiYXNpYy1wYXNz", HeaderPassword: "YWxpY2U6czNjcmV0"},
		},
		{
			name:   "basic with empty password",
			cfg:    dsn.Config{APITokens: []string{"t"}, BasicAuthUser: "bu"},
			scheme: dsn.AuthAPIToken,
			want:   map[string]string{HeaderAuthorization: "Basic YnU6", HeaderAPIToken: "t"},
		},
		{
			name:   "utf-8 password",
			cfg:    dsn.Config{User: "太郎", Password: "パス"},
			scheme: dsn.AuthPassword,
			want:   map[string]string{HeaderPassword: "5aSq6YOOOuODkeOCuQ=="},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := New(&tt.cfg)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if got := a.Scheme(); got != tt.scheme {
				t.Errorf("Scheme() = %q, want %q", got, tt.scheme)
			}
			h := headersFor(t, a)
			for name, want := range tt.want {
				if got := h.Get(name); got != want {
					t.Errorf("%s = %q, want %q", name, got, want)
				}
				if want != "" && len(h.Values(name)) != 1 {
					t.Errorf("%s sent %d times, want once", name, len(h.Values(name)))
				}
			}
		})
	}
}

// TestAuthenticateReplaces checks that a retried request (the same
// *http.Request decorated twice) carries each header once.
func TestAuthenticateReplaces(t *testing.T) {
	a, err := New(&dsn.Config{APITokens: []string{"a", "b"}, BasicAuthUser: "u", BasicAuthPassword: "p"})
	if err != nil {
		t.Fatal(err)
	}
	r, _ := http.NewRequest(http.MethodGet, "https://example.cybozu.com/", nil)
	r.Header.Set(HeaderAPIToken, "stale")
	for range 2 {
		if err := a.Authenticate(r); err != nil {
			t.Fatal(err)
		}
	}
	if got := r.Header.Values(HeaderAPIToken); len(got) != 1 || got[0] != "a,b" {
		t.Errorf("token header = %q", got)
	}
	if got := r.Header.Values(HeaderAuthorization); len(got) != 1 {
		t.Errorf("Authorization sent %d times", len(got))
	}
}

func TestChoose(t *testing.T) {
	pw := func(c *dsn.Config) { c.User, c.Password = "alice", secretPassword }
	tok := func(c *dsn.Config) { c.APITokens = []string{secretToken1} }
	oa := func(c *dsn.Config) { c.OAuthToken = secretOAuth }
	build := func(scheme dsn.AuthScheme, set ...func(*dsn.Config)) *dsn.Config {
		c := &dsn.Config{AuthScheme: scheme}
		for _, f := range set {
			f(c)
		}
		return c
	}
	tests := []struct {
		name    string
		cfg     *dsn.Config
		want    dsn.AuthScheme
		wantKey string // error key when an error is expected
	}{
		{"auto: password over oauth and tokens", build(dsn.AuthAuto, pw, tok, oa), dsn.AuthPassword, ""},
		{"auto: oauth over tokens", build(dsn.AuthAuto, tok, oa), dsn.AuthOAuth, ""},
		{"auto: tokens alone", build(dsn.AuthAuto, tok), dsn.AuthAPIToken, ""},
		{"empty scheme means auto", build("", pw, tok), dsn.AuthPassword, ""},
		{"auto: user without password falls to tokens", build(dsn.AuthAuto, tok, func(c *dsn.Config) { c.User = "alice" }), dsn.AuthAPIToken, ""},
		{"auto: user without password alone", build(dsn.AuthAuto, func(c *dsn.Config) { c.User = "alice" }), "", keyPassword},
		{"auto: password without user alone", build(dsn.AuthAuto, func(c *dsn.Config) { c.Password = secretPassword }), "", keyUser},
		{"auto: nothing", build(dsn.AuthAuto), "", keyUser},
		{"password forced over tokens", build(dsn.AuthPassword, pw, tok), dsn.AuthPassword, ""},
		{"apiToken forced over password", build(dsn.AuthAPIToken, pw, tok), dsn.AuthAPIToken, ""},
		{"oauth forced over password", build(dsn.AuthOAuth, pw, oa), dsn.AuthOAuth, ""},
		{"password forced, missing", build(dsn.AuthPassword, tok), "", keyUser},
		{"password forced, no password", build(dsn.AuthPassword, func(c *dsn.Config) { c.User = "alice" }), "", keyPassword},
		{"apiToken forced, missing", build(dsn.AuthAPIToken, pw), "", keyAPIToken},
		{"oauth forced, missing", build(dsn.AuthOAuth, pw), "", keyOAuthToken},
		{"unknown scheme", build("kerberos", pw), "", keyAuthScheme},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Choose(tt.cfg)
			if tt.wantKey != "" {
				assertKeyError(t, err, tt.wantKey)
				if _, err := New(tt.cfg); err == nil {
					t.Errorf("New succeeded where Choose failed")
				}
				return
			}
			if err != nil {
				t.Fatalf("Choose: %v", err)
			}
			if got != tt.want {
				t.Errorf("Choose = %q, want %q", got, tt.want)
			}
			a, err := New(tt.cfg)
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if a.Scheme() != tt.want {
				t.Errorf("New(...).Scheme() = %q, want %q", a.Scheme(), tt.want)
			}
		})
	}
}

func TestNewErrors(t *testing.T) {
	many := make([]string, dsn.MaxAPITokens+1)
	for i := range many {
		many[i] = fmt.Sprintf("tok%d", i)
	}
	tests := []struct {
		name string
		cfg  dsn.Config
		key  string
		msg  string
	}{
		{"basic + oauth", dsn.Config{OAuthToken: secretOAuth, BasicAuthUser: "u", BasicAuthPassword: secretBasic}, keyBasicAuthUser, "cannot be combined with oauthToken"},
		{"basic password without user", dsn.Config{APITokens: []string{secretToken1}, BasicAuthPassword: secretBasic}, keyBasicAuthUser, "user is empty"},
		{"basic user with colon", dsn.Config{APITokens: []string{secretToken1}, BasicAuthUser: "a:b"}, keyBasicAuthUser, "':'"},
		{"login with colon", dsn.Config{User: "a:b", Password: secretPassword}, keyUser, "':'"},
		{"too many tokens", dsn.Config{APITokens: many}, keyAPIToken, "at most 9"},
		{"empty token", dsn.Config{APITokens: []string{secretToken1, ""}}, keyAPIToken, "#2 is empty"},
		{"token with space", dsn.Config{APITokens: []string{"TOK EN-A"}}, keyAPIToken, "#1 contains"},
		{"token with comma", dsn.Config{APITokens: []string{"A,B"}}, keyAPIToken, "#1 contains"},
		{"duplicate token", dsn.Config{APITokens: []string{secretToken1, secretToken1}}, keyAPIToken, "#2 repeats"},
		{"oauth with newline", dsn.Config{OAuthToken: "OAUTH\r\nX-Evil: 1"}, keyOAuthToken, "contains"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(&tt.cfg)
			assertKeyError(t, err, tt.key)
			if err != nil && !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error %q does not say %q", err, tt.msg)
			}
			assertNoSecret(t, err.Error(), secretsOf(&tt.cfg)...)
		})
	}
	if _, err := NewBasic("u", "p", nil); err == nil {
		t.Error("NewBasic with nil next succeeded")
	}
}

// TestMasked checks that no way of printing or logging an authenticator
// shows a secret.
func TestMasked(t *testing.T) {
	cfgs := []*dsn.Config{
		{User: "alice", Password: secretPassword, BasicAuthUser: "bu", BasicAuthPassword: secretBasic},
		{APITokens: []string{secretToken1, secretToken2}},
		{OAuthToken: secretOAuth},
	}
	for _, cfg := range cfgs {
		a, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%q"} {
			out = append(out, fmt.Sprintf(verb, a))
		}
		var buf bytes.Buffer
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("auth", "a", a)
		slog.New(slog.NewTextHandler(&buf, nil)).Info("auth", "a", a)
		out = append(out, buf.String())
		for _, s := range out {
			assertNoSecret(t, s, secretsOf(cfg)...)
		}
		if !strings.Contains(fmt.Sprint(a), "***") {
			t.Errorf("String() = %q does not show a mask", fmt.Sprint(a))
		}
	}
}

func secretsOf(c *dsn.Config) []string {
	s := append([]string{}, c.APITokens...)
	for _, v := range []string{c.Password, c.OAuthToken, c.BasicAuthPassword, c.ClientCertPassword} {
		if v != "" {
			s = append(s, v)
		}
	}
	return s
}

func assertKeyError(t *testing.T, err error, key string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one for key %q", key)
	}
	var ae *Error
	if !errors.As(err, &ae) {
		t.Fatalf("error %q is %T, not *auth.Error", err, err)
	}
	if ae.Key != key {
		t.Errorf("error key = %q, want %q (%v)", ae.Key, key, err)
	}
	if !errors.Is(err, dsn.ErrInvalidDSN) {
		t.Errorf("error %q does not wrap dsn.ErrInvalidDSN", err)
	}
	if !strings.Contains(err.Error(), key) {
		t.Errorf("error %q does not name %q", err, key)
	}
}

func assertNoSecret(t *testing.T, s string, secrets ...string) {
	t.Helper()
	for _, sec := range secrets {
		if sec != "" && strings.Contains(s, sec) {
			t.Errorf("output contains secret %q: %s", sec, s)
		}
	}
}
