package main

import (
	"context"
	"fmt"

	"github.com/kintone-sql/kintone/kintonetest"
)

// The flags of serve are the emulator's own (kintonetest.RegisterFlags),
// the same as kintone-emulator's.

const serveUsage = `Usage:
  kintone-sql serve [flags]

Serves the Kintone emulator, as kintone-emulator does: the base URL is the
first line on stdout; it serves until Ctrl-C. Sign in as admin / admin
unless --user says otherwise.
`

// serveCmd runs `kintone-sql serve`.
func (a *app) serveCmd(ctx context.Context, args []string) error {
	fs := a.newFlagSet("serve", serveUsage)
	flags := kintonetest.RegisterFlags(fs.FlagSet)
	if err := fs.Parse(args); err != nil {
		return flagError(fs, err)
	}
	if fs.NArg() > 0 {
		return usageErrorf("serve: unexpected argument %q", fs.Arg(0))
	}
	opts, err := flags.Options(a.stderr)
	if err != nil {
		return withCode(exitUsage, err)
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
