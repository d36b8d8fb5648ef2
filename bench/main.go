// Command bench runs the same jobs through the kintone-sql driver and
// through Cybozu's official JavaScript client, @kintone/rest-api-client,
// against the emulator, and prints one table: API requests against the
// minimum the API allows, wall time (median and range over the rounds),
// the ratio driver/peer, the distance to the floor (wall time over the
// floor requests times the latency), CPU time of each side's process and
// of the emulator over the job, and the driver's peak heap and
// allocations. After it, a table checks issue 15's bounds on the runs
// with latency.
//
//	(cd bench/peer && npm ci)
//	go run ./bench -latency 0,50ms -records 10000,100000 -rounds 3
//
// The emulator runs in this process, with the chosen latency added to every
// request; both sides run each job in a process of their own (the driver in
// a copy of this program), alternating which goes first, and time the job
// alone. The jobs: read all, read with a filter, read ordered by a field
// other than $id, read 300 records by $id (unordered and ordered), count,
// joins of an orders app of that many records with its customers (50
// orders, all of them, a LEFT JOIN, a GROUP BY), copy half the app into an
// empty app (INSERT ... SELECT), insert N, update N by a condition, delete
// N by a condition (N is -write-ratio of the app's records).
//
// With -concurrency 1,4,16 it prints the concurrency table instead: the
// driver's reads once per value of the DSN's concurrency key, each a row.
// BENCHMARKS.md shows runs and what they found.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// config is the command line.
type config struct {
	latencies  []time.Duration
	records    []int
	rounds     int
	writeRatio float64
	jobs       []job
	driver     bool
	peer       bool
	node       string
	peerDir    string
	dsnOptions string
	// concurrency, when set, makes the run the concurrency table: the
	// driver runs the reads once per value, given as the DSN's
	// concurrency key as it stands.
	concurrency []string
	targets     bool // print the bounds, checked (targets.go)
	format      string
	timeout     time.Duration
	args        []string // as given, for the command line printed with the table
}

// run is the command: args are the arguments after the program's name.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		latencies = fs.String("latency", "0,50ms", "comma-separated latencies the emulator adds to every request")
		records   = fs.String("records", "10000,100000", "comma-separated app sizes, in records")
		rounds    = fs.Int("rounds", 3, "runs of each job by each side")
		ratio     = fs.Float64("write-ratio", 0.1, "rows the write jobs insert, update and delete, as a fraction of the app's records")
		jobList   = fs.String("jobs", "all", "comma-separated jobs: "+jobKeys())
		sides     = fs.String("sides", "driver,peer", "who runs the jobs: driver, peer or both")
		node      = fs.String("node", "node", "the Node.js executable")
		peerDir   = fs.String("peer-dir", "bench/peer", "the official client's directory (peer.mjs and its node_modules)")
		dsnOpts   = fs.String("dsn-options", "", "extra DSN keys for the driver, as URL query parameters (concurrency=1&pageSize=500)")
		conc      = fs.String("concurrency", "", "comma-separated values of the DSN's concurrency key (1,2,4,8,16): print the concurrency table instead: the driver's reads and the copy (the joins too when -jobs names them; never insert, update or delete) once per value, the official client's runs as a reference")
		tgts      = fs.Bool("targets", true, "after the comparison, check issue 15's bounds on the runs at latencies above 0")
		format    = fs.String("format", "text", "table format: text or markdown")
		timeout   = fs.Duration("timeout", 10*time.Minute, "bound on one job's run")
		child     = fs.Bool(childFlag, false, "internal: run one driver task from stdin")
	)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *child {
		return serveDriverChild(ctx, stdin, stdout)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	cfg := config{rounds: *rounds, writeRatio: *ratio, node: *node, peerDir: *peerDir,
		dsnOptions: *dsnOpts, targets: *tgts, format: *format, timeout: *timeout, args: args}
	var err error
	if cfg.latencies, err = parseDurations(*latencies); err != nil {
		return fmt.Errorf("-latency: %w", err)
	}
	if cfg.records, err = parseInts(*records); err != nil {
		return fmt.Errorf("-records: %w", err)
	}
	if cfg.jobs, err = pickJobs(*jobList); err != nil {
		return fmt.Errorf("-jobs: %w", err)
	}
	if *conc != "" {
		if cfg.concurrency, err = parseList(*conc); err != nil {
			return fmt.Errorf("-concurrency: %w", err)
		}
		named := false
		fs.Visit(func(f *flag.Flag) { named = named || f.Name == "jobs" })
		if cfg.jobs, err = concurrencyJobs(cfg.jobs, named); err != nil {
			return fmt.Errorf("-concurrency: %w", err)
		}
	}
	for _, s := range strings.Split(*sides, ",") {
		switch strings.TrimSpace(s) {
		case "driver":
			cfg.driver = true
		case "peer":
			cfg.peer = true
		default:
			return fmt.Errorf("-sides: unknown side %q (driver, peer)", s)
		}
	}
	switch {
	case cfg.rounds < 1:
		return errors.New("-rounds must be at least 1")
	case cfg.writeRatio <= 0 || cfg.writeRatio > 1:
		return errors.New("-write-ratio must be more than 0 and at most 1")
	case cfg.format != "text" && cfg.format != "markdown":
		return fmt.Errorf("-format: %q is neither text nor markdown", cfg.format)
	}
	if cfg.peer {
		if err := checkPeer(cfg.node, cfg.peerDir); err != nil {
			return err
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("finding this program to run the driver's side: %w", err)
	}
	results, err := runAll(ctx, cfg, exe, stderr)
	if err != nil {
		return err
	}
	return report(stdout, cfg, results)
}

// report prints the table, the command that made it, and the findings.
func report(w io.Writer, cfg config, results []result) error {
	fmt.Fprintf(w, "\ncommand: go run ./bench %s\n\n", strings.Join(cfg.args, " "))
	write := writeText
	if cfg.format == "markdown" {
		write = writeMarkdown
	}
	if err := write(w, results); err != nil {
		return err
	}
	fmt.Fprintln(w)
	if rows := targets(results); cfg.targets && len(rows) > 0 {
		fmt.Fprint(w, "Issue 15's bounds (set at 50 ms per request with the default DSN)")
		if cfg.dsnOptions != "" {
			fmt.Fprintf(w, "; this run's DSN adds %s", cfg.dsnOptions)
		}
		fmt.Fprint(w, ":\n\n")
		cells := make([][]string, len(rows))
		for i, t := range rows {
			cells[i] = t.cells(cfg.format == "markdown")
		}
		writeRows := writeTextRows
		if cfg.format == "markdown" {
			writeRows = writeMarkdownRows
		}
		if err := writeRows(w, targetHeaders, cells); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	if err := writeFindings(w, results); err != nil {
		return err
	}
	for _, r := range results {
		if len(r.errs) > 0 {
			return errors.New("some runs failed (listed above)")
		}
	}
	return nil
}

// parseList reads a comma-separated list of non-empty values.
func parseList(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			return nil, fmt.Errorf("an empty value in %q", s)
		}
		out = append(out, f)
	}
	return out, nil
}

// parseDurations reads a comma-separated list of durations; a bare 0 is
// allowed.
func parseDurations(s string) ([]time.Duration, error) {
	var out []time.Duration
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "0" {
			out = append(out, 0)
			continue
		}
		d, err := time.ParseDuration(f)
		if err != nil {
			return nil, err
		}
		if d < 0 {
			return nil, fmt.Errorf("negative latency %s", f)
		}
		out = append(out, d)
	}
	return out, nil
}

// parseInts reads a comma-separated list of positive integers; an
// underscore or comma-free thousands separator is not needed.
func parseInts(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, err
		}
		if n < 1 {
			return nil, fmt.Errorf("%d records: want at least 1", n)
		}
		out = append(out, n)
	}
	return out, nil
}
