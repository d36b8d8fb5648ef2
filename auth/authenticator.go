package auth

import (
	"net/http"

	"github.com/kintone-sql/kintone/dsn"
)

// Authenticator adds credentials to an outgoing request.
//
// The implementations in this package are immutable and safe for concurrent
// use; Authenticate is called once per HTTP attempt, retries included.
type Authenticator interface {
	// Authenticate sets the credential headers on r. It replaces any value
	// those headers already have.
	Authenticate(r *http.Request) error
	// Scheme reports the Kintone scheme the credentials belong to: password,
	// apiToken or oauth. A Basic layer reports the scheme it wraps.
	Scheme() dsn.AuthScheme
}

// Header names Kintone reads credentials from.
const (
	HeaderPassword      = "X-Cybozu-Authorization"
	HeaderAPIToken      = "X-Cybozu-API-Token"
	HeaderAuthorization = "Authorization"
)
