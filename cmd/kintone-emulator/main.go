// Command kintone-emulator serves an in-memory Kintone (package kintonetest)
// over HTTP, for trying the driver, testing Kintone integrations offline and
// benchmarking.
//
// Usage:
//
//	kintone-emulator [flags]
//
// It prints the base URL as the first line on stdout, then serves until
// SIGINT or SIGTERM. Flags:
//
//	--listen ADDR        address to listen on (default localhost:8080)
//	--user LOGIN:PASS    a user; repeatable; the first may manage apps (default admin:admin)
//	--basic-auth U:P     require this extra Basic-auth layer
//	--tls-cert FILE      serve HTTPS with this PEM certificate (with --tls-key)
//	--tls-key FILE       the certificate's PEM private key
//	--client-ca FILE     require client certificates signed by these PEM CAs
//	--demo               seed the demo apps (Customers, Orders, Tasks) into an empty store
//	--data DIR           keep the data durably in DIR (journal + snapshot)
//	--latency DURATION   add this delay to every request
//	--time-zone NAME     the users' time zone (default UTC)
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/kintone-sql/kintone/kintonetest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "kintone-emulator:", err)
		}
		os.Exit(2)
	}
}

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

// run parses args, starts the server, writes its URL to stdout and serves
// until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("kintone-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
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
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	loc, err := time.LoadLocation(*zone)
	if err != nil {
		return fmt.Errorf("--time-zone: %w", err)
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
			return errors.New("--basic-auth: want USER:PASSWORD")
		}
		opts = append(opts, kintonetest.WithBasicAuth(u, p))
	}
	if (*certFile == "") != (*keyFile == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	if *certFile != "" {
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			return fmt.Errorf("--tls-cert/--tls-key: %w", err)
		}
		opts = append(opts, kintonetest.WithTLSCertificate(cert))
	}
	if *caFile != "" {
		pem, err := os.ReadFile(*caFile)
		if err != nil {
			return fmt.Errorf("--client-ca: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return fmt.Errorf("--client-ca: no PEM certificate in %s", *caFile)
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
		opts = append(opts, kintonetest.WithRequestLogger(stderr))
	}
	srv, err := kintonetest.NewServer(opts...)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, srv.URL)
	<-ctx.Done()
	return srv.Close()
}
