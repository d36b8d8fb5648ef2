package kintonetest

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/kintone-sql/kintone/kintonetest/internal/search"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// Server is a running Kintone emulator.
type Server struct {
	// URL is the base URL, such as "http://127.0.0.1:41234", with no
	// trailing slash.
	URL string

	cfg     config
	store   *store.Store
	dir     *directory
	cursors *cursorTable
	// sorted keeps the sorted matches of the latest record reads in an
	// order other than by $id, for their next pages (search.Cache).
	sorted   search.Cache
	stats    *statsRecorder
	faults   *faultTable
	gate     *gate
	clock    atomic.Pointer[clockFunc]
	listener net.Listener
	http     *http.Server
	cert     *tls.Certificate
	reqSeq   atomic.Uint64
	closeMu  sync.Mutex
	closed   bool
	served   chan struct{}
	logMu    sync.Mutex // serializes the request logger
}

type clockFunc func() time.Time

// NewServer starts an emulator. With no options it listens on a free
// loopback port over plain HTTP, holds its data in memory, and has one admin
// user "admin" with password "admin". Close stops it.
func NewServer(opts ...Option) (*Server, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	if len(cfg.users) == 0 {
		cfg.users = []User{{Login: "admin", Password: "admin", Name: "Administrator", Admin: true}}
	}
	cfg.users[0].Admin = true
	s := &Server{
		cfg:     cfg,
		dir:     newDirectory(cfg.loc),
		stats:   newStatsRecorder(cfg.logLimit),
		faults:  newFaultTable(cfg.seed),
		gate:    newGate(cfg.concurrency),
		served:  make(chan struct{}),
		cursors: newCursorTable(cfg.cursorLimit, cfg.cursorIdle),
	}
	now := cfg.clock
	if now == nil {
		now = time.Now
	}
	s.SetClock(now)
	for _, u := range cfg.users {
		s.dir.addUser(u)
	}
	st, err := store.Open(store.Options{Dir: cfg.dataDir, Clock: s.now, Names: s.dir.displayName,
		CompactBytes: cfg.compactBytes, Logf: s.errorLogf()})
	if err != nil {
		return nil, fmt.Errorf("kintonetest: open data: %w", err)
	}
	s.store = st
	if cfg.demo && len(st.Apps()) == 0 {
		if err := s.SeedDemo(); err != nil {
			st.Close()
			return nil, fmt.Errorf("kintonetest: seed demo data: %w", err)
		}
	}
	if err := s.listen(); err != nil {
		st.Close()
		return nil, err
	}
	return s, nil
}

func (s *Server) listen() error {
	ln, err := net.Listen("tcp", s.cfg.addr)
	if err != nil {
		return fmt.Errorf("kintonetest: listen on %s: %w", s.cfg.addr, err)
	}
	scheme := "http"
	if s.cfg.useTLS {
		cert := s.cfg.tlsCert
		if cert == nil {
			c, err := selfSignedCertificate()
			if err != nil {
				ln.Close()
				return err
			}
			cert = &c
		}
		s.cert = cert
		tc := &tls.Config{Certificates: []tls.Certificate{*cert}, MinVersion: tls.VersionTLS12}
		if s.cfg.clientCAs != nil {
			tc.ClientCAs = s.cfg.clientCAs
			tc.ClientAuth = tls.RequireAndVerifyClientCert
		}
		ln = tls.NewListener(ln, tc)
		scheme = "https"
	}
	s.listener = ln
	s.URL = scheme + "://" + urlHost(ln.Addr().String())
	// Connection-level errors (a TLS client without a certificate, a
	// client that hangs up) go to the request logger when there is one and
	// are dropped otherwise: a test that provokes them on purpose should not
	// print them.
	errLog := io.Discard
	if s.cfg.logger != nil {
		errLog = &lockedWriter{mu: &s.logMu, w: s.cfg.logger}
	}
	s.http = &http.Server{Handler: s, ReadHeaderTimeout: 30 * time.Second, ErrorLog: log.New(errLog, "", log.LstdFlags)}
	go func() {
		defer close(s.served)
		_ = s.http.Serve(ln)
	}()
	return nil
}

// errorLogf returns the function that writes a problem met outside any
// request to the error logger (or the request logger), nil when there is
// neither.
func (s *Server) errorLogf() func(format string, args ...any) {
	w := s.cfg.errLogger
	if w == nil {
		w = s.cfg.logger
	}
	if w == nil {
		return nil
	}
	l := log.New(&lockedWriter{mu: &s.logMu, w: w}, "", log.LstdFlags)
	return l.Printf
}

// urlHost keeps the listener's address, writing an unspecified host as
// localhost.
func urlHost(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

// Close stops the server, closes idle connections, and closes the store
// (flushing the journal of a durable server). It is safe to call twice.
func (s *Server) Close() error {
	s.closeMu.Lock()
	defer s.closeMu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.http.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = s.http.Close()
	}
	<-s.served
	s.cursors.closeAll()
	return errors.Join(err, s.store.Close())
}

// Host returns the host:port the server listens on.
func (s *Server) Host() string {
	return strings.TrimPrefix(strings.TrimPrefix(s.URL, "https://"), "http://")
}

// SetClock replaces the emulator's clock.
func (s *Server) SetClock(now func() time.Time) {
	f := clockFunc(now)
	s.clock.Store(&f)
}

func (s *Server) now() time.Time { return (*s.clock.Load())() }

// AddUser adds an account (or replaces the one with the same login).
func (s *Server) AddUser(u User) { s.dir.addUser(u) }

// AddAPIToken generates an API token for app with the given permissions
// and returns it. The token works at once (as if the app had been updated
// after generating it).
func (s *Server) AddAPIToken(app int64, perms Permissions) string {
	return s.dir.addToken(app, perms, false)
}

// AddDraftAPIToken generates a token that stays a draft (GAIA_IA02) until
// the app is deployed again, as in Kintone.
func (s *Server) AddDraftAPIToken(app int64, perms Permissions) string {
	return s.dir.addToken(app, perms, true)
}

// AddOAuthToken returns a bearer token acting as the user login with the
// given scopes (ScopeRecordRead, ...).
func (s *Server) AddOAuthToken(login string, scopes ...string) string {
	return s.dir.addOAuth(login, scopes)
}

// OpenCursors returns how many cursors are open.
func (s *Server) OpenCursors() int { return s.cursors.count(s.now()) }

// lockedWriter serializes writes to w with the request logger's mutex.
type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
