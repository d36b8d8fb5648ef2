package dsn

import (
	"maps"
	"slices"
	"time"
)

// Defaults and limits of Config. NewConfig uses the defaults; Validate
// enforces the limits.
const (
	DefaultTimeout          = 60 * time.Second
	DefaultMaxRetries       = 4
	DefaultRetryTimeout     = 30 * time.Second
	DefaultPageSize         = 500
	DefaultConcurrency      = 8
	DefaultMaxCursors       = 5
	DefaultMaxResponseBytes = 64 << 20

	// MaxAPITokens is how many API tokens Kintone accepts in one request.
	MaxAPITokens = 9
	// MaxPageSize is the most records Kintone returns per GET records.json or
	// per cursor page.
	MaxPageSize = 500
	// MaxConcurrency caps Concurrency well below Kintone's limit of 100
	// concurrent requests per domain, which every client of the domain shares.
	MaxConcurrency = 16
	// MaxMaxCursors caps MaxCursors at Kintone's limit of 10 open cursors
	// per domain, which every client of the domain shares.
	MaxMaxCursors = 10
	// MaxMaxRetries caps MaxRetries.
	MaxMaxRetries = 10
	// MaxFileBytes is the largest file that CAFile or ClientCert may name:
	// 4 MiB, over ten times the largest public CA bundle and a thousand
	// times a client certificate with its chain. A larger file, or a pipe
	// or device that gives more (/dev/zero), is refused after reading at
	// most this much.
	MaxFileBytes = 4 << 20
)

// AuthScheme selects which credentials are sent when several are configured.
type AuthScheme string

// Authentication schemes.
const (
	// AuthAuto sends password authentication if User and Password are set,
	// else the OAuth token if set, else the API tokens. Basic credentials are
	// sent in addition to any of them. The auth package's Choose is the one
	// place that implements this.
	AuthAuto AuthScheme = "auto"
	// AuthPassword sends X-Cybozu-Authorization built from User and Password.
	AuthPassword AuthScheme = "password"
	// AuthAPIToken sends X-Cybozu-API-Token with APITokens.
	AuthAPIToken AuthScheme = "apiToken"
	// AuthOAuth sends "Authorization: Bearer" with OAuthToken.
	AuthOAuth AuthScheme = "oauth"
)

// CertType is the format of the client certificate named by
// Config.ClientCert.
type CertType string

// Client certificate formats.
const (
	// CertAuto infers the format: inline PEM text is PEM, inline "base64:"
	// material is PKCS#12, a file ending in .pfx or .p12 is PKCS#12, a file
	// ending in .pem, .crt, .cer or .key is PEM, and any other file is PEM if
	// it contains "-----BEGIN" and PKCS#12 otherwise.
	CertAuto CertType = "auto"
	// CertPFX is a PKCS#12 (PFX) archive holding the certificate and its key.
	CertPFX CertType = "pfx"
	// CertPEM is PEM text holding the certificate and its private key.
	CertPEM CertType = "pem"
)

// CursorMode says when the cursor API is used to read records.
type CursorMode string

// Cursor modes.
const (
	// CursorAuto uses a cursor only when no plan without one exists: an
	// ORDER BY on a field other than $id and the creation time, over more
	// rows than Kintone's offset limit of 10,000.
	CursorAuto CursorMode = "auto"
	// CursorAlways reads every multi-page result through a cursor.
	CursorAlways CursorMode = "always"
	// CursorNever never creates a cursor; queries that would need one read
	// every matching record and sort in Go.
	CursorNever CursorMode = "never"
)

// Config is everything the driver needs to talk to one Kintone domain. It is a
// plain struct: build it with NewConfig and set fields in code, or get it from
// Parse. Validate fills zero fields that have no meaning of their own with
// their defaults and checks the whole; the connector calls it on a Clone, so
// a Config and a DSN behave the same.
//
// String, Format (every fmt verb), LogValue (log/slog), MarshalJSON and
// MarshalText (encoding/json, encoding/xml, slog's handlers) mask every
// secret; GobEncode refuses; FormatDSN does not mask (it is the way to
// serialize a Config). One path is out of any method's reach: fmt calls no
// method of a value it reaches through an unexported struct field, so it
// prints a Config held there field by field, and a *Config held there field
// by field for %s, %q, %x and %d. A struct that keeps a Config in an
// unexported field and may be printed needs a String or Format method of
// its own, as kintone.Connector has.
type Config struct {
	// BaseURL is the Kintone domain: scheme, host and optional port, such as
	// "https://example.cybozu.com" or, for the emulator,
	// "http://127.0.0.1:8080". Validate also accepts a missing scheme
	// (https), "kintone://" (https), a path "/", "/k/" or "/k/guest/<id>/" (the
	// guest space moves to GuestSpace), and rewrites the URL to its canonical
	// form: lower case, no default port, no path.
	BaseURL string
	// GuestSpace is the guest space that holds the apps, or 0. Requests then
	// go to /k/guest/<GuestSpace>/v1/.
	GuestSpace int64

	// User is the login name for password authentication.
	User string
	// Password is the password of User. Secret.
	Password string
	// APITokens are API tokens, at most MaxAPITokens, sent together. Each
	// token only opens its own app. Secret.
	APITokens []string
	// BasicAuthUser is the user name for a domain behind cybozu.com Basic
	// authentication; it is sent in addition to the other credentials.
	BasicAuthUser string
	// BasicAuthPassword is the password of BasicAuthUser. Secret.
	BasicAuthPassword string
	// OAuthToken is an OAuth 2.0 access token, sent as a bearer token. It
	// cannot be combined with Basic authentication (both use the
	// Authorization header). Secret.
	OAuthToken string
	// AuthScheme selects the credentials to send when several are set. The
	// zero value means AuthAuto.
	AuthScheme AuthScheme

	// ClientCert is the client certificate for cybozu.com Secure Access (the
	// ".s." host), given as a file path or inline: PEM text (anything
	// containing "-----BEGIN") or "base64:" followed by the standard base64
	// encoding of a PKCS#12 archive (or of PEM text when ClientCertType is
	// CertPEM). PEM must hold the certificate and its private key. Inline
	// material is secret. The auth package loads it (auth.ClientCertificate).
	ClientCert string
	// ClientCertType is the format of ClientCert. The zero value means
	// CertAuto.
	ClientCertType CertType
	// ClientCertPassword decrypts a PKCS#12 archive. Secret.
	ClientCertPassword string
	// ClientCertSubject picks a certificate from a PKCS#12 archive that holds
	// several: the first whose subject contains this text. Empty (or "*")
	// takes the first.
	ClientCertSubject string
	// CAFile is a PEM file of root certificates that replaces the system's.
	CAFile string
	// Proxy is the proxy URL (http, https, socks5 or socks5h scheme, with
	// optional user:password). Empty uses the environment (HTTPS_PROXY,
	// NO_PROXY); "direct" uses no proxy. The password is secret.
	Proxy string
	// AllowInsecureHTTP permits an http:// BaseURL on a host that is not
	// loopback. Credentials then cross the network in clear text.
	AllowInsecureHTTP bool

	// Timeout bounds each HTTP request (not a whole query); 0 means no bound
	// beyond the caller's context. A request that times out is retried
	// once at most.
	Timeout time.Duration
	// MaxRetries is how many times an idempotent request is retried after a
	// transport error or a 429/502/503/504; 0 disables retries. A write is
	// retried only when Kintone's own error proves it was not applied.
	MaxRetries int
	// RetryTimeout bounds the retries of one request: no retry starts, and
	// no wait before one ends, later than this after the request was first
	// sent. Each attempt is still bounded by Timeout. 0 means only
	// MaxRetries bounds them.
	RetryTimeout time.Duration
	// MaxResponseBytes caps the size of one response body; 0 means no cap.
	MaxResponseBytes int64
	// UserAgent replaces the driver's User-Agent header when set.
	UserAgent string

	// PageSize is the number of records per request, 1 to MaxPageSize. Zero
	// means DefaultPageSize.
	PageSize int
	// UseCursor says when the cursor API is used. The zero value means
	// CursorAuto.
	UseCursor CursorMode
	// MaxRows caps the rows a SELECT without LIMIT returns, as if it ended
	// with LIMIT MaxRows; 0 means no cap. Writes are never capped.
	MaxRows int64
	// MaxBufferedRows caps the rows a query holds in memory for a step the
	// driver does that must see every row first (an ORDER BY Kintone
	// cannot do, GROUP BY, DISTINCT); 0 means no cap.
	MaxBufferedRows int64
	// Concurrency is the most pages one read asks Kintone for at once, 1
	// to MaxConcurrency. A read by $id (with or without a condition, LIMIT
	// or ORDER BY $id, but not one that a LIMIT applied in Go may end after
	// any page) that has many pages to go after its first asks for
	// the rest several at once by offset, each page repeating the last
	// record of the one before so that the pages are checked to join up:
	// it does so only when that costs at most one request in fifty more
	// than reading page after page, with no more requests at once than
	// pages to go, than the connector's share of Kintone's 100 requests per
	// domain allows, or than half of what the domain admits leaves while
	// other clients run theirs. 1 reads page after page. Zero means
	// DefaultConcurrency.
	Concurrency int
	// MaxCursors is how many cursors the connections of one sql.DB may
	// hold open at once, 1 to MaxMaxCursors; a read that needs one more
	// waits for one to close (as long as its context allows). Kintone
	// allows 10 per domain, shared by every client, so the default,
	// DefaultMaxCursors, leaves some to others. Zero means
	// DefaultMaxCursors.
	MaxCursors int

	// Apps maps table names to app IDs, so that SQL can name an app that
	// cannot be found by listing apps (API tokens cannot call apps.json).
	// Names must not be empty, all digits, or contain ',' or ':'.
	Apps map[string]int64
	// AppIDs lists apps to expose as tables without listing apps: with API
	// tokens, SHOW TABLES and name lookups only know these and Apps. This is
	// what CData's AppId property means. An app can always be named by its ID.
	AppIDs []int64
	// Loc is the time zone in which DATE values and DATETIME values are
	// presented and DATE parameters are interpreted. Nil means UTC.
	Loc *time.Location
}

// NewConfig returns a Config with every default set and no domain or
// credentials.
func NewConfig() *Config {
	return &Config{
		AuthScheme:       AuthAuto,
		ClientCertType:   CertAuto,
		Timeout:          DefaultTimeout,
		MaxRetries:       DefaultMaxRetries,
		RetryTimeout:     DefaultRetryTimeout,
		MaxResponseBytes: DefaultMaxResponseBytes,
		PageSize:         DefaultPageSize,
		UseCursor:        CursorAuto,
		Concurrency:      DefaultConcurrency,
		MaxCursors:       DefaultMaxCursors,
		Loc:              time.UTC,
	}
}

// Clone returns a deep copy of c: its slices and map are copied, so changing
// the copy never changes c. The *time.Location is shared; it is immutable.
func (c *Config) Clone() *Config {
	if c == nil {
		return nil
	}
	cc := *c
	cc.APITokens = slices.Clone(c.APITokens)
	cc.AppIDs = slices.Clone(c.AppIDs)
	cc.Apps = maps.Clone(c.Apps)
	return &cc
}
