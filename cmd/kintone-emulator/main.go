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
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

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

// run parses args, starts the server, writes its URL to stdout and serves
// until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("kintone-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	flags := kintonetest.RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	opts, err := flags.Options(stderr)
	if err != nil {
		return err
	}
	srv, err := kintonetest.NewServer(opts...)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, srv.URL)
	<-ctx.Done()
	return srv.Close()
}
