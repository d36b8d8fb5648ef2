package auth

import (
	"fmt"
	"log/slog"
	"net/http"

	"github.com/kintone-sql/kintone/dsn"
)

// OAuth authenticates with an OAuth 2.0 access token: Authorization: Bearer
// <token>. What the request may do depends on the token's scopes
// (k:app_record:read, k:app_settings:read, ...). Obtaining and refreshing
// the token is the caller's business.
type OAuth struct {
	header secret
}

// NewOAuth returns a bearer-token authenticator. The token must be non-empty
// printable ASCII without spaces.
func NewOAuth(token string) (*OAuth, error) {
	if token == "" {
		return nil, newError(keyOAuthToken, "the OAuth token is empty")
	}
	if !visibleASCII(token) {
		return nil, newError(keyOAuthToken, "the OAuth token contains a space, control or non-ASCII character")
	}
	return &OAuth{header: newSecret("Bearer " + token)}, nil
}

// Authenticate sets Authorization: Bearer.
func (o *OAuth) Authenticate(r *http.Request) error {
	r.Header.Set(HeaderAuthorization, o.header.reveal())
	return nil
}

// Scheme returns dsn.AuthOAuth.
func (o *OAuth) Scheme() dsn.AuthScheme { return dsn.AuthOAuth }

// String names the scheme; the token is masked.
func (o *OAuth) String() string { return "oauth(token=***)" }

// GoString is String, so %#v does not print the token.
func (o *OAuth) GoString() string { return o.String() }

// Format prints String for every verb.
func (o *OAuth) Format(f fmt.State, _ rune) { formatMasked(f, o.String()) }

// LogValue logs the scheme only.
func (o *OAuth) LogValue() slog.Value {
	return slog.GroupValue(slog.String("scheme", string(dsn.AuthOAuth)))
}
