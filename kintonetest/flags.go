package kintonetest

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kintone-sql/kintone/internal/readlimit"
)

// Flags are the command-line flags of a command that serves the emulator
// (kintone-emulator, kintone-sql serve), so that every such command takes
// the same flags with the same meaning. Define them with RegisterFlags,
// parse the FlagSet, then turn them into Options.
type Flags struct {
	users    userFlag
	listen   *string
	basic    *string
	certFile *string
	keyFile  *string
	caFile   *string
	demo     *bool
	dataDir  *string
	latency  *time.Duration
	zone     *string
	quiet    *bool
}

// RegisterFlags defines the emulator's flags on fs:
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
//	--quiet              do not log requests (problems, such as a failed
//	                     compaction of --data, are logged all the same)
func RegisterFlags(fs *flag.FlagSet) *Flags {
	f := &Flags{
		listen:   fs.String("listen", "localhost:8080", "address to listen on"),
		basic:    fs.String("basic-auth", "", "require this Basic-auth `USER:PASSWORD` layer"),
		certFile: fs.String("tls-cert", "", "serve HTTPS with this PEM certificate `file`"),
		keyFile:  fs.String("tls-key", "", "PEM private key `file` of --tls-cert"),
		caFile:   fs.String("client-ca", "", "require client certificates signed by the PEM CAs in `file`"),
		demo:     fs.Bool("demo", false, "seed the demo apps into an empty store"),
		dataDir:  fs.String("data", "", "keep data durably in `dir`"),
		latency:  fs.Duration("latency", 0, "add this delay to every request"),
		zone:     fs.String("time-zone", "UTC", "the users' time zone (IANA name)"),
		quiet:    fs.Bool("quiet", false, "do not log requests"),
	}
	fs.Var(&f.users, "user", "a user `LOGIN:PASSWORD`; repeatable; the first may manage apps (default admin:admin)")
	return f
}

// Options returns the server options the parsed flags ask for. Requests
// are logged to log unless --quiet; the problems the server meets outside
// any request (WithErrorLogger) always are. Errors name the flag at fault.
func (f *Flags) Options(log io.Writer) ([]Option, error) {
	loc, err := time.LoadLocation(*f.zone)
	if err != nil {
		return nil, fmt.Errorf("--time-zone: %w", err)
	}
	opts := []Option{WithAddr(*f.listen), WithTimeZone(loc), WithLatency(*f.latency)}
	for i, u := range f.users {
		u.TimeZone = loc
		u.Admin = i == 0
		opts = append(opts, WithUser(u))
	}
	if *f.basic != "" {
		u, p, ok := strings.Cut(*f.basic, ":")
		if !ok {
			return nil, errors.New("--basic-auth: want USER:PASSWORD")
		}
		opts = append(opts, WithBasicAuth(u, p))
	}
	if (*f.certFile == "") != (*f.keyFile == "") {
		return nil, errors.New("--tls-cert and --tls-key go together")
	}
	if *f.certFile != "" {
		certPEM, err := readPEMFile("--tls-cert", *f.certFile)
		if err != nil {
			return nil, err
		}
		keyPEM, err := readPEMFile("--tls-key", *f.keyFile)
		if err != nil {
			return nil, err
		}
		cert, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			return nil, fmt.Errorf("--tls-cert/--tls-key: %w", err)
		}
		opts = append(opts, WithTLSCertificate(cert))
	}
	if *f.caFile != "" {
		pem, err := readPEMFile("--client-ca", *f.caFile)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--client-ca: no PEM certificate in %s", *f.caFile)
		}
		opts = append(opts, WithTLS(), WithClientCAs(pool))
	}
	if *f.demo {
		opts = append(opts, WithDemoData())
	}
	if *f.dataDir != "" {
		opts = append(opts, WithDataDir(*f.dataDir))
	}
	if log != nil {
		opts = append(opts, WithErrorLogger(log))
		if !*f.quiet {
			opts = append(opts, WithRequestLogger(log))
		}
	}
	return opts, nil
}

// maxPEMFileBytes bounds the PEM files the flags name, as the driver's
// dsn.MaxFileBytes bounds its own: /dev/zero is refused after 4 MiB.
const maxPEMFileBytes = 4 << 20

// readPEMFile reads the file the flag names, at most maxPEMFileBytes.
func readPEMFile(flag, path string) ([]byte, error) {
	b, err := readlimit.File(path, maxPEMFileBytes)
	var tl *readlimit.TooLargeError
	switch {
	case errors.As(err, &tl):
		return nil, fmt.Errorf("%s: %s %w, the limit for a PEM file", flag, path, err)
	case err != nil:
		return nil, fmt.Errorf("%s: %w", flag, err) // os errors name the path
	}
	return b, nil
}

// userFlag is the repeatable --user flag.
type userFlag []User

func (l *userFlag) String() string { return fmt.Sprint(len(*l), " users") }

func (l *userFlag) Set(v string) error {
	login, pass, ok := strings.Cut(v, ":")
	if !ok || login == "" {
		return errors.New("want LOGIN:PASSWORD")
	}
	*l = append(*l, User{Login: login, Password: pass, Name: login})
	return nil
}
