package auth

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/kintone-sql/kintone/dsn"
)

// Basic adds cybozu.com Basic authentication (Authorization: Basic) in front
// of another authenticator. Domains with Basic authentication enabled check
// it as a gateway before the Kintone credentials, which are still required.
type Basic struct {
	user   string
	header secret
	next   Authenticator
}

// NewBasic returns next wrapped in a Basic layer. The user must be non-empty
// and free of ':' (RFC 7617); the password may be empty. next must not be an
// OAuth authenticator: both would need the Authorization header.
func NewBasic(user, password string, next Authenticator) (*Basic, error) {
	switch {
	case next == nil:
		return nil, errors.New("kintone: auth.NewBasic: next authenticator is nil")
	case user == "":
		return nil, newError(keyBasicAuthUser, "the Basic authentication user is empty")
	case strings.Contains(user, ":"):
		return nil, newError(keyBasicAuthUser, "the Basic authentication user contains ':', which Basic authentication cannot carry")
	case next.Scheme() == dsn.AuthOAuth:
		return nil, newError(keyBasicAuthUser, "Basic authentication cannot be combined with oauthToken: "+
			"both use the Authorization header; use password or API-token authentication behind Basic")
	}
	return &Basic{
		user:   user,
		header: newSecret("Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))),
		next:   next,
	}, nil
}

// Authenticate sets Authorization: Basic and then the wrapped credentials.
func (b *Basic) Authenticate(r *http.Request) error {
	r.Header.Set(HeaderAuthorization, b.header.reveal())
	return b.next.Authenticate(r)
}

// Scheme returns the wrapped authenticator's scheme.
func (b *Basic) Scheme() dsn.AuthScheme { return b.next.Scheme() }

// Unwrap returns the wrapped authenticator.
func (b *Basic) Unwrap() Authenticator { return b.next }

// String names the Basic user and the wrapped authenticator; passwords are
// masked.
func (b *Basic) String() string {
	inner := "?"
	if s, ok := b.next.(fmt.Stringer); ok {
		inner = s.String()
	}
	return "basic(user=" + strconv.Quote(b.user) + ", password=***) + " + inner
}

// GoString is String, so %#v does not print the password.
func (b *Basic) GoString() string { return b.String() }

// Format prints String for every verb.
func (b *Basic) Format(f fmt.State, _ rune) { formatMasked(f, b.String()) }

// LogValue logs the Basic user and the wrapped authenticator.
func (b *Basic) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("basicUser", b.user)}
	if lv, ok := b.next.(slog.LogValuer); ok {
		attrs = append(attrs, slog.Any("inner", lv))
	} else {
		attrs = append(attrs, slog.String("scheme", string(b.next.Scheme())))
	}
	return slog.GroupValue(attrs...)
}
