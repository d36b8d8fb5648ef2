package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"net/url"

	"github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/dsn"
	"github.com/kintone-sql/kintone/kintonetest"
)

// dsnEnv is the environment variable that holds the DSN when --dsn is not
// given.
const dsnEnv = "KINTONE_DSN"

// connOpts are the flags that say where to connect.
type connOpts struct {
	dsn  string
	demo bool
}

// addConnFlags defines --dsn and --demo on fs.
func addConnFlags(fs *flag.FlagSet, o *connOpts) {
	fs.StringVar(&o.dsn, "dsn", o.dsn, "the `DSN` to connect with (default $"+dsnEnv+"; prefer the variable: a command line is visible to other users)")
	fs.BoolVar(&o.demo, "demo", o.demo, "query the built-in emulator with the demo apps, even when $"+dsnEnv+" is set")
}

// session is an open connection pool and what belongs to it.
type session struct {
	db  *sql.DB
	red redactor
	// host is the Kintone domain, for messages; never secret.
	host  string
	close func()
	// maxRows is the DSN's maxRows: the rows a SELECT without LIMIT
	// returns at most (0: no cap).
	maxRows int64
}

// connect opens the database the options name: --dsn, else $KINTONE_DSN,
// else (or with --demo) the built-in emulator seeded with the demo apps. It
// pings, so that a wrong password or an unreachable domain is reported
// before any statement runs. The returned session's redactor is also set
// on a, so that every later message is masked.
func (a *app) connect(ctx context.Context, o connOpts) (*session, error) {
	source, text := "--dsn", o.dsn
	if text == "" && !o.demo {
		source, text = "$"+dsnEnv, a.getenv(dsnEnv)
	}
	s := &session{close: func() {}}
	if o.demo || text == "" {
		srv, err := kintonetest.NewServer(kintonetest.WithDemoData())
		if err != nil {
			return nil, fmt.Errorf("starting the built-in emulator: %w", err)
		}
		s.close = func() { srv.Close() }
		text = srv.DSN()
		why := "no --dsn or $" + dsnEnv
		if o.demo {
			why = "--demo"
		}
		if !a.quiet {
			fmt.Fprintf(a.stderr, "kintone-sql: %s: using the built-in emulator at %s with the demo apps Customers, Orders and Tasks (in memory, gone on exit)\n", why, srv.URL)
		}
	}
	cfg, err := dsn.Parse(text)
	a.red = newRedactor(text, cfg)
	if err != nil {
		s.close()
		return nil, withCode(exitUsage, fmt.Errorf("%s: %w", source, err))
	}
	s.red = a.red
	s.host = hostOf(cfg.BaseURL)
	s.maxRows = cfg.MaxRows
	db, err := a.open(kintone.DriverName, text)
	if err != nil {
		s.close()
		return nil, withCode(exitUsage, fmt.Errorf("%s: %w", source, err))
	}
	emu := s.close
	s.db = db
	s.close = func() { db.Close(); emu() }
	if err := db.PingContext(ctx); err != nil {
		s.close()
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, withCode(exitConnect, connectError(s.host, err))
	}
	return s, nil
}

// connectError explains a failed ping: a refused login, another answer
// from Kintone, or no answer.
func connectError(host string, err error) error {
	var ae *kintone.APIError
	switch {
	case errors.As(err, &ae) && ae.Status == 401:
		return fmt.Errorf("login refused by %s (check the user and password or API token): %w", host, err)
	case errors.As(err, &ae) && ae.Status == 403:
		return fmt.Errorf("%s refused access (the credentials work but may not do this): %w", host, err)
	case errors.As(err, &ae):
		return fmt.Errorf("%s answered the connection check with an error: %w", host, err)
	}
	return fmt.Errorf("cannot reach %s: %w", host, err)
}

// hostOf returns the host of a base URL, or the URL when it does not parse.
func hostOf(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return baseURL
	}
	return u.Host
}
