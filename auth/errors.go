package auth

import "github.com/kintone-sql/kintone/dsn"

// DSN keys named by errors, in the URL form's spelling.
const (
	keyUser               = "user"
	keyPassword           = "password"
	keyAPIToken           = "apiToken"
	keyOAuthToken         = "oauthToken"
	keyBasicAuthUser      = "basicAuthUser"
	keyBasicAuthPassword  = "basicAuthPassword"
	keyAuthScheme         = "authScheme"
	keyClientCert         = "clientCert"
	keyClientCertType     = "clientCertType"
	keyClientCertPassword = "clientCertPassword"
	keyClientCertSubject  = "clientCertSubject"
	keyCAFile             = "caFile"
)

// Error reports a credential or certificate setting that cannot be used.
//
// Its message names the DSN key and the problem, never a secret: no
// password, token or inline certificate material is ever part of Msg, and
// Err is only set to causes whose text holds none (parser and file-system
// errors).
type Error struct {
	// Key is the DSN key at fault, in the URL form's spelling, such as
	// "clientCertPassword".
	Key string
	// Msg says what is wrong and, where it is not obvious, how to fix it.
	Msg string
	// Err is the underlying cause, or nil.
	Err error
}

// Error implements the error interface.
func (e *Error) Error() string {
	s := "kintone: " + e.Key + ": " + e.Msg
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns dsn.ErrInvalidDSN, so that errors.Is(err, dsn.ErrInvalidDSN)
// holds for every configuration problem, and the cause if there is one.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{dsn.ErrInvalidDSN}
	}
	return []error{dsn.ErrInvalidDSN, e.Err}
}

func newError(key, msg string) *Error { return &Error{Key: key, Msg: msg} }
