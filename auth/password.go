package auth

import (
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/kintone-sql/kintone/dsn"
)

// Password authenticates as a Kintone user with X-Cybozu-Authorization:
// base64(login ":" password), the password taken as UTF-8.
//
// The request then has that user's app, record and field permissions. Users
// with 2-step verification cannot use it (Kintone answers CB_TW02).
type Password struct {
	login  string
	header secret // base64(login:password); as secret as the password
}

// NewPassword returns a password authenticator. The login must be non-empty
// and free of ':' (Kintone splits the header at the first colon), and the
// password non-empty (Kintone refuses an empty one).
func NewPassword(login, password string) (*Password, error) {
	switch {
	case login == "":
		return nil, newError(keyUser, "the login name is empty")
	case strings.Contains(login, ":"):
		return nil, newError(keyUser, `the login name contains ':', which X-Cybozu-Authorization cannot carry`)
	case password == "":
		return nil, newError(keyPassword, "the password is empty")
	}
	return &Password{
		login:  login,
		header: newSecret(base64.StdEncoding.EncodeToString([]byte(login + ":" + password))),
	}, nil
}

// Authenticate sets X-Cybozu-Authorization.
func (p *Password) Authenticate(r *http.Request) error {
	r.Header.Set(HeaderPassword, p.header.reveal())
	return nil
}

// Scheme returns dsn.AuthPassword.
func (p *Password) Scheme() dsn.AuthScheme { return dsn.AuthPassword }

// Login returns the login name.
func (p *Password) Login() string { return p.login }

// String names the scheme and login; the password is masked.
func (p *Password) String() string {
	return "password(login=" + strconv.Quote(p.login) + ", password=***)"
}

// GoString is String, so %#v does not print the password.
func (p *Password) GoString() string { return p.String() }

// Format prints String for every verb.
func (p *Password) Format(f fmt.State, _ rune) { formatMasked(f, p.String()) }

// LogValue logs the scheme and login, never the password.
func (p *Password) LogValue() slog.Value {
	return slog.GroupValue(slog.String("scheme", string(dsn.AuthPassword)), slog.String("login", p.login))
}
