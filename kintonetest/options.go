package kintonetest

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"time"
)

// User is an account of the emulated Kintone domain.
type User struct {
	// Login is the login name (the user code in record JSON).
	Login string
	// Password authenticates X-Cybozu-Authorization.
	Password string
	// Name is the display name; empty means Login.
	Name string
	// TimeZone is the user's time-zone preference: TODAY() and the other
	// day-based query functions are calendar days there. Nil means the
	// server's time zone (WithTimeZone).
	TimeZone *time.Location
	// Admin lets the user create apps and set creator and created-time
	// fields on add. The first user of a server is an admin.
	Admin bool
	// PrimaryOrganization is the code PRIMARY_ORGANIZATION() expands to; empty
	// means none (such a condition is then ignored, as Kintone does).
	PrimaryOrganization string
	// Language is "ja" or "en": the language of error messages for this
	// user. Empty means "follow Accept-Language" (English without it).
	Language string
}

// Permissions are what an API token may do on its app (REST-API.md §2.1).
type Permissions struct {
	View, Add, Edit, Delete bool
	// Manage is the app-management permission: settings read and write,
	// preview fields and deploy.
	Manage bool
}

// AllPermissions allows everything.
func AllPermissions() Permissions {
	return Permissions{View: true, Add: true, Edit: true, Delete: true, Manage: true}
}

// ReadOnly allows viewing records only.
func ReadOnly() Permissions { return Permissions{View: true} }

// Option configures a Server.
type Option func(*config)

type config struct {
	logger      io.Writer
	errLogger   io.Writer
	addr        string
	users       []User
	basicUser   string
	basicPass   string
	tlsCert     *tls.Certificate
	useTLS      bool
	clientCAs   *x509.CertPool
	clock       func() time.Time
	loc         *time.Location
	latency     time.Duration
	dataDir     string
	concurrency int
	cursorLimit int
	cursorIdle  time.Duration
	seed        uint64
	demo        bool
	logLimit    int
	// compactBytes is the store's Options.CompactBytes (0: its default);
	// only tests set it.
	compactBytes int64
}

func defaultConfig() config {
	return config{
		addr:        "127.0.0.1:0",
		loc:         time.UTC,
		concurrency: 100,
		cursorLimit: 10,
		cursorIdle:  10 * time.Minute,
		seed:        1,
		logLimit:    10000,
	}
}

// WithAddr sets the listen address. The default, "127.0.0.1:0", picks a free
// loopback port. The emulator is a test tool: listen on loopback only.
func WithAddr(addr string) Option { return func(c *config) { c.addr = addr } }

// WithUser adds an account. Without any, the server has one admin user
// "admin" with password "admin".
func WithUser(u User) Option { return func(c *config) { c.users = append(c.users, u) } }

// WithBasicAuth turns on the domain's extra Basic-authentication layer:
// every request must carry Authorization: Basic for this pair in addition to
// its Kintone credentials.
func WithBasicAuth(user, password string) Option {
	return func(c *config) { c.basicUser, c.basicPass = user, password }
}

// WithTLS serves HTTPS with a generated self-signed certificate for
// 127.0.0.1 and localhost (see Server.Certificate and Server.Client).
func WithTLS() Option { return func(c *config) { c.useTLS = true } }

// WithTLSCertificate serves HTTPS with the given certificate.
func WithTLSCertificate(cert tls.Certificate) Option {
	return func(c *config) { c.useTLS, c.tlsCert = true, &cert }
}

// WithClientCAs requires and verifies a TLS client certificate signed by one
// of pool's authorities, as Kintone's Secure Access host does. It implies TLS.
func WithClientCAs(pool *x509.CertPool) Option {
	return func(c *config) { c.useTLS, c.clientCAs = true, pool }
}

// WithClock sets the emulator's clock (record time stamps, date query
// functions, cursor expiry, the Date header of its answers). The default
// is time.Now.
func WithClock(now func() time.Time) Option { return func(c *config) { c.clock = now } }

// WithTimeZone sets the domain's default time zone, used for users without
// one and for API-token requests. The default is UTC.
func WithTimeZone(loc *time.Location) Option { return func(c *config) { c.loc = loc } }

// WithLatency adds d to every API request, to model a network in benchmarks.
// A request whose client goes away during the delay is dropped unhandled.
func WithLatency(d time.Duration) Option { return func(c *config) { c.latency = d } }

// WithDataDir makes the emulator durable: every acknowledged write is
// journaled under dir and survives a crash; a server started on the same
// dir finds its apps and records again. When the journal passes 64 MiB it
// is compacted into a snapshot in the background, while writes go on
// (they wait only for a new journal file to be created); Close waits for
// that and writes a last snapshot. A compaction that fails is written to
// the error logger (see WithErrorLogger) and tried again.
func WithDataDir(dir string) Option { return func(c *config) { c.dataDir = dir } }

// WithConcurrencyLimit sets how many API requests may run at once before the
// server answers 429 GAIA_TO04 (Kintone: 100 per domain).
func WithConcurrencyLimit(n int) Option { return func(c *config) { c.concurrency = n } }

// WithCursorLimit sets how many cursors may be open at once (Kintone: 10 per
// domain) and how long an idle cursor lives (Kintone: 10 minutes).
func WithCursorLimit(n int, idle time.Duration) Option {
	return func(c *config) { c.cursorLimit, c.cursorIdle = n, idle }
}

// WithSeed seeds the random choices of fault injection, so that a test
// failing a fraction of requests fails the same ones on every run.
func WithSeed(seed uint64) Option { return func(c *config) { c.seed = seed } }

// WithDemoData seeds the demo apps (see Demo) when the server starts with no
// apps.
func WithDemoData() Option { return func(c *config) { c.demo = true } }

// WithRequestLogger writes one line per API request to w: time, method
// (with the override), path, status, Kintone error code, response bytes and
// duration. Credentials and query strings are never written. Writes to w are
// serialized.
func WithRequestLogger(w io.Writer) Option { return func(c *config) { c.logger = w } }

// WithErrorLogger writes to w, one line each, the problems the emulator
// meets outside any request. With WithDataDir, that is a compaction of
// the journal that failed to start or to finish: writes go on, each
// durable in the journal, which grows until a compaction succeeds, and
// Close returns the error if its own last compaction fails too. A
// journal file the emulator did not write, found where a compaction
// starts the next one, stops every later write with an error naming it.
// Without WithErrorLogger these lines go to the request logger, if any.
// Writes to w are serialized with the request logger's.
func WithErrorLogger(w io.Writer) Option { return func(c *config) { c.errLogger = w } }

// WithRequestLogLimit bounds how many requests the request log keeps (the
// oldest are dropped; counters are never dropped). The default is 10,000.
func WithRequestLogLimit(n int) Option { return func(c *config) { c.logLimit = n } }
