package kintone

import (
	"context"
	"database/sql/driver"
	"github.com/kintone-sql/kintone/internal/fetch"
	"log/slog"
	"net/http"
	"time"

	"github.com/kintone-sql/kintone/auth"
	"github.com/kintone-sql/kintone/dsn"
	"github.com/kintone-sql/kintone/internal/rest"
)

// Connector holds everything the connections of one sql.DB share: the
// validated configuration, one HTTP client (and so one pool of TCP
// connections), the authenticator and the cache of app metadata. Create it
// with NewConnector and hand it to sql.OpenDB; sql.DB.Close closes it.
//
// A Connector is safe for concurrent use.
type Connector struct {
	cfg     *dsn.Config
	err     error // a configuration error, returned by Connect
	client  *rest.Client
	schema  *schemaCache
	cursors *fetch.CursorBudget
	// requests bounds the requests its reads run beside their own.
	requests *fetch.RequestBudget
}

// Compile-time checks of the interfaces Connector implements.
var _ driver.Connector = (*Connector)(nil)

// Option customizes a Connector beyond what a DSN can say.
type Option func(*connectorOptions)

type connectorOptions struct {
	rest     rest.Options
	cacheTTL time.Duration
}

// WithLogger logs every HTTP attempt (method, path, status, duration,
// attempt, Kintone error code) to l. Headers, parameters and bodies are
// never logged, so no secret or record value reaches the log. The default
// is no logging.
func WithLogger(l *slog.Logger) Option { return func(o *connectorOptions) { o.rest.Logger = l } }

// WithHTTPClient sends every request through hc instead of a client built
// from the DSN (whose proxy and TLS settings then do not apply).
func WithHTTPClient(hc *http.Client) Option {
	return func(o *connectorOptions) { o.rest.HTTPClient = hc }
}

// WithRequestHook calls hook after every HTTP attempt, for metrics. It runs
// on the goroutine that made the attempt: the querying one, or one of the
// driver's own when a read fetches a page ahead or a write's batch is on
// its way while the next batch's rows are read. Calls may therefore come
// from several goroutines at once; hook must be safe for that and must
// not block.
func WithRequestHook(hook func(RequestInfo)) Option {
	return func(o *connectorOptions) { o.rest.Hook = rest.Hook(hook) }
}

// WithSchemaCacheTTL sets how long app metadata (form fields, app names and
// codes) is cached before it is read again; the default is one minute.
// Zero or less disables the cache, costing one more request per statement.
func WithSchemaCacheTTL(d time.Duration) Option {
	return func(o *connectorOptions) { o.cacheTTL = d }
}

// RequestInfo describes one HTTP attempt, as WithRequestHook sees it.
type RequestInfo = rest.RequestInfo

// defaultSchemaTTL is how long app metadata is trusted by default.
const defaultSchemaTTL = time.Minute

// NewConnector returns a Connector for cfg, for sql.OpenDB:
//
//	db := sql.OpenDB(kintone.NewConnector(cfg))
//
// cfg is copied and validated; a configuration error is returned by the
// first use of the DB (Ping, Query, ...), as database/sql reports errors of
// sql.Open. Check one early with (*dsn.Config).Validate.
func NewConnector(cfg *dsn.Config, opts ...Option) *Connector {
	o := connectorOptions{cacheTTL: defaultSchemaTTL}
	for _, opt := range opts {
		opt(&o)
	}
	c := &Connector{}
	if cfg == nil {
		c.err = &dsn.Error{Form: dsn.FormConfig, Msg: "no configuration (nil *dsn.Config)"}
		return c
	}
	c.cfg = cfg.Clone()
	if err := c.cfg.Validate(); err != nil {
		c.err = err
		return c
	}
	a, err := auth.New(c.cfg)
	if err != nil {
		c.err = err
		return c
	}
	c.client, err = rest.New(c.cfg, a, o.rest)
	if err != nil {
		c.err = err
		return c
	}
	c.schema = newSchemaCache(c.client, c.cfg, o.cacheTTL)
	c.cursors = fetch.NewCursorBudget(c.cfg.MaxCursors)
	c.requests = fetch.NewRequestBudget(fetch.DefaultRequestBudget)
	return c
}

// Connect returns a connection. Connections are cheap handles on the
// Connector's HTTP client: Connect makes no request (Ping does).
func (c *Connector) Connect(ctx context.Context) (driver.Conn, error) {
	if c.err != nil {
		return nil, c.err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &conn{c: c}, nil
}

// Driver returns the Driver.
func (c *Connector) Driver() driver.Driver { return Driver{} }

// Close finishes the deletion of cursors left by cancelled queries
// (waiting up to ten seconds for it), releases the HTTP client's idle
// connections and forgets the cached metadata. sql.DB.Close calls it.
func (c *Connector) Close() error {
	if c.cursors != nil {
		c.cursors.Close(fetch.CursorCleanupTimeout)
	}
	if c.client != nil {
		c.client.Close()
	}
	if c.schema != nil {
		c.schema.clear()
	}
	return nil
}

// Config returns a copy of the connector's validated configuration.
func (c *Connector) Config() *dsn.Config { return c.cfg.Clone() }
