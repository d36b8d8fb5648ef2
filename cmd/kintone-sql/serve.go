package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/kintone-sql/kintone/kintonetest"
)

// The flags of serve are those of cmd/kintone-emulator, wired the same way.
// They are repeated here rather than shared: kintone-emulator is a finished
// command of its own, and a package main cannot be imported.

const serveUsage = `Usage:
  kintone-sql serve [flags]

Serves the Kintone emulator, as kintone-emulator does: the base URL is the
first line on stdout; it serves until Ctrl-C. Sign in as admin / admin
unless --user says otherwise.
`

// userList is a repeatable --user flag.
type userList []kintonetest.User

func (l *userList) String() string { return fmt.Sprint(len(*l), " users") }

func (l *userList) Set(v string) error {
	login, pass, ok := strings.Cut(v, ":")
	if !ok || login == "" {
		return errors.New("want LOGIN:PASSWORD")
	}
	*l = append(*l, kintonetest.User{Login: login, Password: pass, Name: login})
	return nil
}

// serveCmd runs `kintone-sql serve`.
func (a *app) serveCmd(ctx context.Context, args []string) error {
	fs := a.newFlagSet("serve", serveUsage)
	var (
		users     userList
		listen    = fs.String("listen", "localhost:8080", "address to listen on")
		basic     = fs.String("basic-auth", "", "require this Basic-auth `USER:PASSWORD` layer")
		certFile  = fs.String("tls-cert", "", "serve HTTPS with this PEM certificate `file`")
		keyFile   = fs.String("tls-key", "", "PEM private key `file` of --tls-cert")
		caFile    = fs.String("client-ca", "", "require client certificates signed by the PEM CAs in `file`")
		demo      = fs.Bool("demo", false, "seed the demo apps into an empty store")
		dataDir   = fs.String("data", "", "keep data durably in `dir`")
		latency   = fs.Duration("latency", 0, "add this delay to every request")
		zone      = fs.String("time-zone", "UTC", "the users' time zone (IANA name)")
		quietLogs = fs.Bool("quiet", false, "do not log requests to stderr")
	)
	fs.Var(&users, "user", "a user `LOGIN:PASSWORD`; repeatable; the first may manage apps (default admin:admin)")
	if err := fs.Parse(args); err != nil {
		return flagError(fs, err)
	}
	if fs.NArg() > 0 {
		return usageErrorf("serve: unexpected argument %q", fs.Arg(0))
	}
	loc, err := time.LoadLocation(*zone)
	if err != nil {
		return usageErrorf("--time-zone: %v", err)
	}
	opts := []kintonetest.Option{kintonetest.WithAddr(*listen), kintonetest.WithTimeZone(loc), kintonetest.WithLatency(*latency)}
	for i, u := range users {
		u.TimeZone = loc
		u.Admin = i == 0
		opts = append(opts, kintonetest.WithUser(u))
	}
	if *basic != "" {
		u, p, ok := strings.Cut(*basic, ":")
		if !ok {
			return usageErrorf("--basic-auth: want USER:PASSWORD")
		}
		opts = append(opts, kintonetest.WithBasicAuth(u, p))
	}
	if (*certFile == "") != (*keyFile == "") {
		return usageErrorf("--tls-cert and --tls-key go together")
	}
	if *certFile != "" {
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			return withCode(exitUsage, fmt.Errorf("--tls-cert/--tls-key: %w", err))
		}
		opts = append(opts, kintonetest.WithTLSCertificate(cert))
	}
	if *caFile != "" {
		pem, err := os.ReadFile(*caFile)
		if err != nil {
			return withCode(exitUsage, fmt.Errorf("--client-ca: %w", err))
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return usageErrorf("--client-ca: no PEM certificate in %s", *caFile)
		}
		opts = append(opts, kintonetest.WithTLS(), kintonetest.WithClientCAs(pool))
	}
	if *demo {
		opts = append(opts, kintonetest.WithDemoData())
	}
	if *dataDir != "" {
		opts = append(opts, kintonetest.WithDataDir(*dataDir))
	}
	if !*quietLogs {
		opts = append(opts, kintonetest.WithRequestLogger(a.stderr))
	}
	ctx, stop := a.interruptible(ctx)
	defer stop()
	srv, err := kintonetest.NewServer(opts...)
	if err != nil {
		return err
	}
	fmt.Fprintln(a.stdout, srv.URL)
	<-ctx.Done()
	return srv.Close()
}
