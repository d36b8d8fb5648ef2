package auth

import (
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/kintone-sql/kintone/dsn"
)

// APITokens authenticates with X-Cybozu-API-Token: the tokens joined by
// commas in one header, as @kintone/rest-api-client sends them.
//
// Each token opens only the app it was generated for, with the permissions
// chosen for it; a request touching several apps (a lookup, a bulkRequest)
// needs a token of each. Kintone accepts at most 9 tokens per request and
// refuses two tokens of the same app.
type APITokens struct {
	n      int
	header secret
}

// NewAPITokens returns an API-token authenticator. It refuses no tokens,
// more than dsn.MaxAPITokens, an empty token, a token with characters an
// HTTP header cannot carry or that Kintone tokens never have (space, comma,
// non-ASCII), and the same token twice.
func NewAPITokens(tokens ...string) (*APITokens, error) {
	switch {
	case len(tokens) == 0:
		return nil, newError(keyAPIToken, "no API token is given")
	case len(tokens) > dsn.MaxAPITokens:
		return nil, newError(keyAPIToken, strconv.Itoa(len(tokens))+" API tokens are given; Kintone accepts at most "+
			strconv.Itoa(dsn.MaxAPITokens)+" per request")
	}
	seen := make(map[string]bool, len(tokens))
	for i, t := range tokens {
		pos := "API token #" + strconv.Itoa(i+1)
		switch {
		case t == "":
			return nil, newError(keyAPIToken, pos+" is empty")
		case !visibleASCII(t) || strings.Contains(t, ","):
			return nil, newError(keyAPIToken, pos+" contains a space, comma, control or non-ASCII character")
		case seen[t]:
			return nil, newError(keyAPIToken, pos+" repeats an earlier token")
		}
		seen[t] = true
	}
	return &APITokens{n: len(tokens), header: newSecret(strings.Join(tokens, ","))}, nil
}

// Authenticate sets X-Cybozu-API-Token.
func (a *APITokens) Authenticate(r *http.Request) error {
	r.Header.Set(HeaderAPIToken, a.header.reveal())
	return nil
}

// Scheme returns dsn.AuthAPIToken.
func (a *APITokens) Scheme() dsn.AuthScheme { return dsn.AuthAPIToken }

// Len returns the number of tokens.
func (a *APITokens) Len() int { return a.n }

// String names the scheme and the number of tokens; the tokens are masked.
func (a *APITokens) String() string { return "apiToken(" + strconv.Itoa(a.n) + " tokens=***)" }

// GoString is String, so %#v does not print the tokens.
func (a *APITokens) GoString() string { return a.String() }

// Format prints String for every verb.
func (a *APITokens) Format(f fmt.State, _ rune) { formatMasked(f, a.String()) }

// LogValue logs the scheme and the number of tokens.
func (a *APITokens) LogValue() slog.Value {
	return slog.GroupValue(slog.String("scheme", string(dsn.AuthAPIToken)), slog.Int("tokens", a.n))
}
