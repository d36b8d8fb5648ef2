package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/kintone-sql/kintone/internal/readlimit"
)

// app is one run of the command: its standard streams, environment and
// what it found out about them. Tests build one with fakes.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// stdinTTY, stdoutTTY and stderrTTY report which streams are
	// terminals.
	stdinTTY, stdoutTTY, stderrTTY bool
	// open opens a database; sql.Open outside tests.
	open func(driverName, dsn string) (*sql.DB, error)
	// now is the clock for timings and progress.
	now func() time.Time
	// notifySignals relays SIGINT and SIGTERM to c until stop is called;
	// tests leave it nil.
	notifySignals func(c chan<- os.Signal) (stop func())

	// maxScript bounds an SQL script read whole (-f, stdin); 0 means
	// maxScriptBytes. Tests lower it.
	maxScript int64

	quiet bool
	// red masks the DSN's secrets in messages, once a DSN was seen.
	red redactor
}

// newApp returns the app for a process's standard streams.
func newApp(stdin, stdout, stderr *os.File) *app {
	return &app{
		stdin: stdin, stdout: stdout, stderr: stderr,
		getenv:   os.Getenv,
		stdinTTY: isTerminal(stdin), stdoutTTY: isTerminal(stdout), stderrTTY: isTerminal(stderr),
		open: sql.Open,
		now:  time.Now,
		notifySignals: func(c chan<- os.Signal) func() {
			signal.Notify(c, os.Interrupt, syscall.SIGTERM)
			return func() { signal.Stop(c) }
		},
	}
}

// run runs the command with args and returns its exit status, having
// printed any error as one line on stderr.
func (a *app) run(ctx context.Context, args []string) (code int) {
	defer func() {
		// A bug must not print a stack trace (which could hold a
		// secret) instead of a message.
		if p := recover(); p != nil {
			fmt.Fprintf(a.stderr, "kintone-sql: internal error: %s (please report it)\n", a.red.clean(fmt.Sprint(p)))
			code = exitFailed
		}
	}()
	err := a.dispatch(ctx, args)
	code = exitCode(err)
	switch {
	case err == nil || errors.Is(err, flag.ErrHelp):
	case code == exitUsage:
		fmt.Fprintf(a.stderr, "kintone-sql: %s\nRun 'kintone-sql -h' for usage.\n", message(err, a.red))
	default:
		fmt.Fprintf(a.stderr, "kintone-sql: %s\n", message(err, a.red))
	}
	return code
}

// mainOpts are the flags of the main command.
type mainOpts struct {
	conn     connOpts
	exprs    stringList
	file     string
	format   string
	header   bool
	maxWidth optionalInt
}

// optionalInt is an int flag that knows whether it was set.
type optionalInt struct {
	n   int
	set bool
}

func (o *optionalInt) String() string {
	if o == nil || !o.set {
		return ""
	}
	return strconv.Itoa(o.n)
}

func (o *optionalInt) Set(v string) error {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return errors.New("want a whole number, 0 or more")
	}
	o.n, o.set = n, true
	return nil
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, "; ") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// cmdFlags is a flag set with its usage text. Parsing neither prints nor
// exits; flagError prints the usage for -h.
type cmdFlags struct {
	*flag.FlagSet
	usage  string
	stderr io.Writer
}

// newFlagSet returns the flag set of a command.
func (a *app) newFlagSet(name, usage string) *cmdFlags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &cmdFlags{FlagSet: fs, usage: usage, stderr: a.stderr}
}

// flagError turns an error of parsing into the command's error: -h
// prints the usage text and ends the command with status 0; any other is
// a usage error.
func flagError(fs *cmdFlags, err error) error {
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(fs.stderr, fs.usage)
		fmt.Fprintln(fs.stderr, "\nFlags:")
		fs.SetOutput(fs.stderr)
		fs.PrintDefaults()
		return err
	}
	return &usageError{msg: err.Error()}
}

const mainUsage = `Usage:
  kintone-sql [flags] [SQL]              run SQL, or start the shell on a terminal
  kintone-sql export TABLE [flags]       write a table's records (csv, tsv, jsonl) to stdout
  kintone-sql import TABLE FILE [flags]  insert or upsert records from a CSV, TSV or JSON-lines file
  kintone-sql serve [flags]              serve the emulator, as kintone-emulator does

The DSN comes from --dsn or $KINTONE_DSN; with neither, kintone-sql uses the
built-in emulator with the demo apps Customers, Orders and Tasks.

Exit codes: 0 ok; 1 failed, nothing written; 2 usage; 3 a write's outcome is
unknown (its rows may be in Kintone: check before running again); 4 cannot
connect or login refused; 5 partial write (the message says what was
written); 130 interrupted.
`

// dispatch parses the main flags and runs the subcommand or the SQL.
func (a *app) dispatch(ctx context.Context, args []string) error {
	var o mainOpts
	fs := a.newFlagSet("kintone-sql", mainUsage)
	addConnFlags(fs.FlagSet, &o.conn)
	fs.Var(&o.exprs, "e", "run this `SQL` (repeatable)")
	fs.StringVar(&o.file, "f", "", "run the SQL in `file` (\"-\": stdin)")
	fs.StringVar(&o.format, "format", "", "output `format`: "+strings.Join(formats, ", ")+" (default: table on a terminal, tsv otherwise)")
	fs.BoolVar(&o.header, "header", true, "write the header line of csv and tsv")
	fs.Var(&o.maxWidth, "max-width", "cut table cells to `N` columns; 0: no limit (default 60 on a terminal)")
	fs.BoolVar(&a.quiet, "quiet", false, "print no row counts, timings or notices on stderr")
	fs.BoolVar(&a.quiet, "q", false, "short for --quiet")
	if err := fs.Parse(args); err != nil {
		return flagError(fs, err)
	}
	if fs.NArg() > 0 {
		rest := fs.Args()[1:]
		switch fs.Arg(0) {
		case "export":
			return a.exportCmd(ctx, o.conn, rest)
		case "import":
			return a.importCmd(ctx, o.conn, rest)
		case "serve":
			return a.serveCmd(ctx, rest)
		}
	}
	sqlArgs := fs.Args()
	if consumed := len(args) - fs.NArg(); consumed == 0 || args[consumed-1] != "--" {
		var err error
		if sqlArgs, err = parseInterspersed(fs.FlagSet, sqlArgs); err != nil {
			return flagError(fs, err)
		}
	}
	return a.sqlCmd(ctx, o, sqlArgs)
}

// parseInterspersed parses flags that follow positional arguments too, as
// in `kintone-sql "SELECT 1" --format csv`, and returns the positional
// arguments. After "--" everything is positional.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for len(args) > 0 {
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		if !strings.HasPrefix(args[0], "-") || args[0] == "-" {
			pos = append(pos, args[0])
			args = args[1:]
			continue
		}
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		consumed := len(args) - fs.NArg()
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, fs.Args()...), nil
		}
		args = fs.Args()
	}
	return pos, nil
}

// sqlCmd runs the main command: SQL from the arguments, -e, -f or stdin,
// or the interactive shell.
func (a *app) sqlCmd(ctx context.Context, o mainOpts, args []string) error {
	sources := 0
	for _, given := range []bool{len(args) > 0, len(o.exprs) > 0, o.file != ""} {
		if given {
			sources++
		}
	}
	if sources > 1 {
		return usageErrorf("give the SQL one way: as an argument, with -e, or with -f")
	}
	out, err := a.outputOptions(o)
	if err != nil {
		return err
	}
	var script, what string
	switch {
	case len(args) > 0:
		script, what = strings.Join(args, " "), "the argument"
	case len(o.exprs) > 0:
		script, what = strings.Join(o.exprs, ";\n"), "-e"
	case o.file == "-":
		script, what, err = a.readAll(a.stdin, "stdin")
	case o.file != "":
		var b []byte
		b, err = readlimit.File(o.file, a.scriptLimit())
		if err != nil {
			return withCode(exitUsage, fmt.Errorf("-f: %w", a.scriptError(o.file, err)))
		}
		script, what = string(b), o.file
	case !a.stdinTTY:
		script, what, err = a.readAll(a.stdin, "stdin")
	default:
		return a.shellCmd(ctx, o, out)
	}
	if err != nil {
		return err
	}
	stmts := splitStatements(script).all()
	if len(stmts) == 0 {
		if what == "the argument" || what == "-e" {
			return usageErrorf("no SQL statement in %s", what)
		}
		return nil
	}
	ctx, stop := a.interruptible(ctx)
	defer stop()
	s, err := a.connect(ctx, o.conn)
	if err != nil {
		return err
	}
	defer s.close()
	return a.runScript(ctx, s, stmts, out)
}

// readAll reads a script of at most scriptLimit bytes.
func (a *app) readAll(r io.Reader, what string) (string, string, error) {
	b, err := readlimit.All(r, a.scriptLimit())
	if err != nil {
		return "", what, withCode(exitUsage, fmt.Errorf("reading %s: %w", what, a.scriptError(what, err)))
	}
	return string(b), what, nil
}

// maxScriptBytes bounds an SQL script, which is read whole before its
// statements are split (-f /dev/zero must not take the machine's memory):
// 64 MiB, four times the largest statement the translator takes and far
// more SQL than Kintone's request rate lets a script run in a day. Data
// goes through import, which streams.
const maxScriptBytes = 64 << 20

// scriptLimit is the bound of a script read whole.
func (a *app) scriptLimit() int64 {
	if a.maxScript > 0 {
		return a.maxScript
	}
	return maxScriptBytes
}

// scriptError words a too-large script; other errors pass unchanged.
func (a *app) scriptError(what string, err error) error {
	var tl *readlimit.TooLargeError
	if errors.As(err, &tl) {
		return fmt.Errorf("%s %w, the limit for an SQL script (load data with kintone-sql import, which streams)", what, err)
	}
	return err
}

// outputOptions resolves --format, --header and --max-width against the
// terminal.
func (a *app) outputOptions(o mainOpts) (outOpts, error) {
	out := outOpts{format: formatTSV, header: o.header}
	if a.stdoutTTY {
		out.format = formatTable
	}
	if o.format != "" {
		f, err := checkFormat(o.format, formats)
		if err != nil {
			return out, err
		}
		out.format = f
	}
	switch {
	case o.maxWidth.set:
		out.maxWidth = o.maxWidth.n
	case a.stdoutTTY:
		out.maxWidth = 60
	}
	return out, nil
}

// interruptible returns a context that SIGINT and SIGTERM cancel.
func (a *app) interruptible(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	if a.notifySignals == nil {
		return ctx, cancel
	}
	c := make(chan os.Signal, 1)
	stopSignals := a.notifySignals(c)
	done := make(chan struct{})
	go func() {
		select {
		case <-c:
			cancel()
		case <-done:
		}
	}()
	return ctx, func() { stopSignals(); close(done); cancel() }
}
