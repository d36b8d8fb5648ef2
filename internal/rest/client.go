package rest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/kintone-sql/kintone/auth"
	"github.com/kintone-sql/kintone/dsn"
)

// Client calls one Kintone domain's REST API over one *http.Client. It is
// safe for concurrent use; a connector makes one and shares it.
type Client struct {
	base      string // scheme://host[:port], no trailing slash
	prefix    string // /k/v1/ or /k/guest/<id>/v1/
	hc        *http.Client
	ownTr     *http.Transport // the transport New built, closed by Close; nil otherwise
	auth      auth.Authenticator
	userAgent string
	timeout   time.Duration
	retries   int
	retryFor  time.Duration // retryTimeout; 0 for no bound
	maxBytes  int64
	logger    *slog.Logger
	hook      Hook
	sleep     func(context.Context, time.Duration) error
	now       func() time.Time
	jitter    func(time.Duration) time.Duration
	minDelay  time.Duration
	maxDelay  time.Duration
}

// Options carries what a DSN cannot: the logger, the hook, and test
// doubles. The zero value is the production setting.
type Options struct {
	// HTTPClient, when set, sends every request. The Client uses a copy that
	// refuses redirects (a redirect would carry the credential headers to
	// wherever it points). Transport-level settings of cfg (proxy, TLS) are
	// then the caller's business.
	HTTPClient *http.Client
	// Transport, when set and HTTPClient is nil, is wrapped in a new
	// *http.Client. When both are nil, New builds one with NewTransport.
	Transport http.RoundTripper
	// Logger receives one record per HTTP attempt: method, path, status,
	// duration, attempt, bytes, and Kintone's error code and request ID.
	// Never headers, query values or bodies. Nil logs nothing.
	Logger *slog.Logger
	// Hook is called after every HTTP attempt. Nil calls nothing.
	Hook Hook
	// Sleep waits d or until ctx is done, returning ctx.Err() then. Nil uses
	// a timer. Tests inject one to avoid waiting.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now tells the time by which the retries of a request are bounded
	// (Config.RetryTimeout) and timed in errors. Nil uses time.Now. Tests
	// inject a clock that Sleep advances.
	Now func() time.Time
	// Jitter returns a duration in [0, limit]. Nil draws uniformly at random
	// (full jitter).
	Jitter func(limit time.Duration) time.Duration
	// MinBackoff is the ceiling of the first retry's delay; each retry
	// doubles it up to MaxBackoff. Zero means DefaultMinBackoff.
	MinBackoff time.Duration
	// MaxBackoff caps the exponential delay. Zero means DefaultMaxBackoff.
	MaxBackoff time.Duration
}

// Backoff defaults.
const (
	DefaultMinBackoff = 500 * time.Millisecond
	DefaultMaxBackoff = 30 * time.Second
	// MaxRetryAfter is the longest Retry-After the client waits for; a
	// longer one (a maintenance window) ends the retries at once, as does
	// one beyond what is left of Config.RetryTimeout.
	MaxRetryAfter = 2 * time.Minute
)

// Hook observes one HTTP attempt. It runs on the calling goroutine and
// must not block.
type Hook func(RequestInfo)

// RequestInfo describes one HTTP attempt.
type RequestInfo struct {
	// Method is the API method (GET for a long GET sent as POST).
	Method string
	// HTTPMethod is the method on the wire.
	HTTPMethod string
	// Path is the URL path, without the query.
	Path string
	// Attempt counts from 1.
	Attempt int
	// Status is the HTTP status, or 0 when no answer came.
	Status int
	// Bytes is the number of response-body bytes read.
	Bytes int64
	// Duration runs from sending to the end of reading the body.
	Duration time.Duration
	// Err is the attempt's error, or nil.
	Err error
}

// New returns a Client for cfg, which should have passed
// (*dsn.Config).Validate: BaseURL canonical, limits in range. a decorates
// every request. Requests go to cfg.BaseURL under /k/v1/, or
// /k/guest/<GuestSpace>/v1/ when cfg.GuestSpace is set.
func New(cfg *dsn.Config, a auth.Authenticator, o Options) (*Client, error) {
	if cfg == nil || a == nil {
		return nil, errors.New("kintone: rest.New: nil config or authenticator")
	}
	base, err := baseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if cfg.GuestSpace < 0 {
		return nil, fmt.Errorf("kintone: guestSpace: must not be negative: %w", dsn.ErrInvalidDSN)
	}
	c := &Client{
		base:      base,
		prefix:    "/k/v1/",
		auth:      a,
		userAgent: cfg.UserAgent,
		timeout:   cfg.Timeout,
		retries:   max(cfg.MaxRetries, 0),
		retryFor:  max(cfg.RetryTimeout, 0),
		maxBytes:  cfg.MaxResponseBytes,
		logger:    o.Logger,
		hook:      o.Hook,
		sleep:     o.Sleep,
		now:       o.Now,
		jitter:    o.Jitter,
		minDelay:  o.MinBackoff,
		maxDelay:  o.MaxBackoff,
	}
	if cfg.GuestSpace > 0 {
		c.prefix = "/k/guest/" + strconv.FormatInt(cfg.GuestSpace, 10) + "/v1/"
	}
	if c.userAgent == "" {
		c.userAgent = DefaultUserAgent()
	}
	if c.sleep == nil {
		c.sleep = sleep
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.jitter == nil {
		c.jitter = func(limit time.Duration) time.Duration { return rand.N(limit + 1) }
	}
	if c.minDelay <= 0 {
		c.minDelay = DefaultMinBackoff
	}
	if c.maxDelay <= 0 {
		c.maxDelay = DefaultMaxBackoff
	}
	c.minDelay = min(c.minDelay, c.maxDelay)

	switch {
	case o.HTTPClient != nil:
		hc := *o.HTTPClient
		c.hc = &hc
	case o.Transport != nil:
		c.hc = &http.Client{Transport: o.Transport}
	default:
		tr, err := NewTransport(cfg)
		if err != nil {
			return nil, err
		}
		c.ownTr = tr
		c.hc = &http.Client{Transport: tr}
	}
	c.hc.CheckRedirect = refuseRedirect
	return c, nil
}

// refuseRedirect stops at a redirect: Kintone's API does not redirect, and
// following one would send X-Cybozu-Authorization or the API tokens to
// another address. The 3xx answer becomes an *APIError.
func refuseRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// baseURL checks and trims the configured base URL. Errors do not echo it.
func baseURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
		u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.Trim(u.Path, "/") != "" {
		return "", fmt.Errorf("kintone: baseURL: want scheme://host[:port] with http or https and nothing else "+
			"(run the config through (*dsn.Config).Validate): %w", dsn.ErrInvalidDSN)
	}
	return u.Scheme + "://" + u.Host, nil
}

// Close releases idle connections of the transport New built. The Client
// can still be used; it opens new connections as needed.
func (c *Client) Close() {
	if c.ownTr != nil {
		c.ownTr.CloseIdleConnections()
	}
}

// Path returns the path of an API resource for this client's space, such
// as "/k/guest/5/v1/records.json" for "records.json". bulkRequest names its
// requests with these paths.
func (c *Client) Path(resource string) string { return c.prefix + resource }

// DefaultUserAgent is the User-Agent sent unless Config.UserAgent replaces
// it, in the official clients' style: "Go/go1.26.0(linux) kintone-sql/v1.2.3".
func DefaultUserAgent() string {
	return "Go/" + runtime.Version() + "(" + runtime.GOOS + ") kintone-sql/" + moduleVersion()
}

// modulePath is this module's import path.
const modulePath = "github.com/kintone-sql/kintone"

// moduleVersion is the driver's version as the build recorded it.
func moduleVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if bi.Main.Path == modulePath && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	for _, d := range bi.Deps {
		if d.Path == modulePath {
			return d.Version
		}
	}
	return "devel"
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
