package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	_ "github.com/kintone-sql/kintone" // registers the "kintone" driver
)

// Exit statuses.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// maxBatch is the most rows one INSERT carries: a bulkRequest of 20
// requests of 100 records, the most Kintone applies atomically.
const maxBatch = 2000

// env is the program's outside world, so that tests can run it.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

// options are the parsed flags.
type options struct {
	dsn      string
	from, to string
	csvFile  string
	mode     string
	batch    int
}

// errUsage marks errors that are the caller's: bad or missing flags.
var errUsage = errors.New("usage")

// parseArgs reads the flags and checks that they name one job.
func parseArgs(args []string, e env) (options, error) {
	var o options
	fs := flag.NewFlagSet("etl", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&o.dsn, "dsn", "", "the Kintone `DSN` (default $KINTONE_DSN)")
	fs.StringVar(&o.from, "from", "", "the source `table` (app)")
	fs.StringVar(&o.to, "to", "", "the destination `table` (app)")
	fs.StringVar(&o.csvFile, "csv", "", "export to or import from this CSV `file` (\"-\": stdout or stdin)")
	fs.StringVar(&o.mode, "mode", modeInsertSelect, "how to copy: insert-select (the driver) or stream (SELECT, then batched INSERTs)")
	fs.IntVar(&o.batch, "batch", maxBatch, "rows per INSERT for --mode stream and imports, 1 to 2000")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, "Usage:\n  etl --from SRC --to DST [--mode insert-select|stream] [--batch N]\n  etl --from SRC --csv FILE\n  etl --csv FILE --to DST\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, fmt.Errorf("%w: %w", errUsage, err)
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if o.dsn == "" {
		o.dsn = e.getenv("KINTONE_DSN")
	}
	if o.dsn == "" {
		return o, fmt.Errorf("%w: no DSN: give --dsn or set KINTONE_DSN (for a local emulator, run kintone-sql serve)", errUsage)
	}
	jobs := 0
	for _, s := range []string{o.from, o.to, o.csvFile} {
		if s != "" {
			jobs++
		}
	}
	if jobs != 2 {
		return o, fmt.Errorf("%w: give two of --from, --to and --csv: --from and --to copy, --from and --csv export, --csv and --to import", errUsage)
	}
	if o.mode != modeInsertSelect && o.mode != modeStream {
		return o, fmt.Errorf("%w: --mode: want insert-select or stream, not %q", errUsage, o.mode)
	}
	if o.batch < 1 || o.batch > maxBatch {
		return o, fmt.Errorf("%w: --batch: want 1 to %d, not %d", errUsage, maxBatch, o.batch)
	}
	return o, nil
}

// run runs the program and returns its exit status.
func run(ctx context.Context, args []string, e env) int {
	o, err := parseArgs(args, e)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "etl: %v\n", err)
		return exitUsage
	}
	db, err := sql.Open("kintone", o.dsn)
	if err != nil {
		fmt.Fprintf(e.stderr, "etl: %v\n", err)
		return exitUsage
	}
	defer db.Close()

	n, err := o.do(ctx, db, e)
	if err != nil {
		fmt.Fprintf(e.stderr, "etl: %v\n", err)
		return exitFail
	}
	switch {
	case o.csvFile == "":
		fmt.Fprintf(e.stderr, "etl: copied %d records from %s to %s\n", n, o.from, o.to)
	case o.from != "":
		fmt.Fprintf(e.stderr, "etl: exported %d records from %s\n", n, o.from)
	default:
		fmt.Fprintf(e.stderr, "etl: imported %d records into %s\n", n, o.to)
	}
	return exitOK
}

// do runs the job o names and returns how many records it moved.
func (o options) do(ctx context.Context, db *sql.DB, e env) (int64, error) {
	switch {
	case o.csvFile == "":
		return copyRecords(ctx, db, o.from, o.to, o.mode, o.batch)
	case o.from != "":
		w := e.stdout
		if o.csvFile != "-" {
			f, err := os.Create(o.csvFile)
			if err != nil {
				return 0, err
			}
			n, err := exportCSV(ctx, db, o.from, f)
			if cerr := f.Close(); err == nil && cerr != nil {
				err = cerr
			}
			return n, err
		}
		return exportCSV(ctx, db, o.from, w)
	default:
		r := e.stdin
		if o.csvFile != "-" {
			f, err := os.Open(o.csvFile)
			if err != nil {
				return 0, err
			}
			defer f.Close()
			r = f
		}
		return importCSV(ctx, db, o.to, r, o.batch)
	}
}
