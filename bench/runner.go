package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/kintone-sql/kintone/kintonetest"
)

// side is who runs a job.
type side string

const (
	sideDriver side = "driver"
	sidePeer   side = "peer"
)

// env is one emulator with its apps loaded, and what both sides need to
// reach it.
type env struct {
	srv      *kintonetest.Server
	marks    *marks // where the sides mark a job's start and end, for the emulator's CPU time
	latency  time.Duration
	apps     map[int]int64 // app size -> app ID
	copies   map[int]int64 // app size -> the copy job's target app, empty between runs
	orders   map[int]int64 // app size -> the join jobs' orders app of that many records
	custs    map[int]int64 // app size -> its customers app
	dsn      string        // the driver's
	baseURL  string        // the official client's: http://localhost:PORT
	control  string        // http://127.0.0.1:PORT/_emulator/
	user     string
	password string
}

// startEnv starts an emulator with the given latency and loads, for each
// size, the apps the jobs read: the benchmark app of that many records
// (and its empty copy when the copy job runs), and for the join jobs an
// orders app of that many and its customers.
func startEnv(latency time.Duration, sizes []int, jobs []job, dsnOptions string, logw io.Writer) (*env, error) {
	srv, err := kintonetest.NewServer(kintonetest.WithLatency(latency))
	if err != nil {
		return nil, err
	}
	e := &env{srv: srv, latency: latency, apps: map[int]int64{}, copies: map[int]int64{}, orders: map[int]int64{}, custs: map[int]int64{}}
	if e.marks, err = startMarks(); err != nil {
		srv.Close()
		return nil, err
	}
	if err := e.connect(dsnOptions); err != nil {
		e.close()
		return nil, err
	}
	var plain, joins, copies bool
	for _, j := range jobs {
		plain = plain || !j.join
		joins = joins || j.join
		copies = copies || j.copy
	}
	for _, n := range sizes {
		if _, ok := e.apps[n]; ok || !plain {
			continue
		}
		start := time.Now()
		app, err := loadApp(srv, appName(n), n)
		if err != nil {
			e.close()
			return nil, err
		}
		e.apps[n] = app
		fmt.Fprintf(logw, "loaded %s records into app %d (%s) in %s\n", fmtCount(float64(n)), app, appName(n), time.Since(start).Round(time.Millisecond))
		if copies {
			if e.copies[n], err = loadApp(srv, copyName(n), 0); err != nil {
				e.close()
				return nil, err
			}
		}
	}
	for _, n := range sizes {
		if _, ok := e.orders[n]; ok || !joins {
			continue
		}
		start := time.Now()
		orders, custs, err := loadJoinApps(srv, n)
		if err != nil {
			e.close()
			return nil, err
		}
		e.orders[n], e.custs[n] = orders, custs
		fmt.Fprintf(logw, "loaded %s orders into app %d (%s) and %s customers into app %d (%s) in %s\n",
			fmtCount(float64(n)), orders, ordersName(n), fmtCount(float64(customerCount(n))), custs, customersName(n),
			time.Since(start).Round(time.Millisecond))
	}
	return e, nil
}

// close stops the emulator and the marks server.
func (e *env) close() error {
	merr := e.marks.close()
	if err := e.srv.Close(); err != nil {
		return err
	}
	return merr
}

// appName is the name (and so the SQL table) of the app of n records.
func appName(n int) string { return "bench_" + strconv.Itoa(n) }

// connect works out the addresses and credentials both sides use.
func (e *env) connect(dsnOptions string) error {
	u, err := url.Parse(e.srv.DSN())
	if err != nil {
		return fmt.Errorf("the emulator's DSN: %w", err)
	}
	e.user = u.User.Username()
	e.password, _ = u.User.Password()
	if e.dsn, err = withDSNOptions(u.String(), dsnOptions); err != nil {
		return fmt.Errorf("-dsn-options: %w", err)
	}
	base, err := url.Parse(e.srv.URL)
	if err != nil {
		return fmt.Errorf("the emulator's URL: %w", err)
	}
	e.control = base.String() + "/_emulator/"
	// The official client accepts plain http only for the host name
	// localhost; the emulator listens on 127.0.0.1, which Node reaches
	// under that name.
	base.Host = "localhost:" + base.Port()
	e.baseURL = base.String()
	return nil
}

// withDSNOptions returns dsn with the keys of options (URL query
// parameters) set, replacing any it has.
func withDSNOptions(dsn, options string) (string, error) {
	if options == "" {
		return dsn, nil
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "", err
	}
	extra, err := url.ParseQuery(options)
	if err != nil {
		return "", err
	}
	q := u.Query()
	for k, vs := range extra {
		q[k] = vs
	}
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// runAll runs every job of cfg at every latency and app size, and returns
// the results in table order. Progress goes to logw.
func runAll(ctx context.Context, cfg config, exe string, logw io.Writer) ([]result, error) {
	var all []result
	for _, lat := range cfg.latencies {
		e, err := startEnv(lat, cfg.records, cfg.jobs, cfg.dsnOptions, logw)
		if err != nil {
			return nil, err
		}
		for _, n := range cfg.records {
			rs, err := e.runSize(ctx, cfg, exe, n, logw)
			if err != nil {
				e.close()
				return nil, err
			}
			all = append(all, rs...)
		}
		if err := e.close(); err != nil {
			return nil, err
		}
	}
	return all, nil
}

// variant is one way of running every job: the sides that run it, and the
// driver's DSN. The comparison has one, both sides with -dsn-options; the
// concurrency table (-concurrency) one per value of the DSN's concurrency
// key, driver only, and the official client's runs as a reference.
type variant struct {
	label string // "" in the comparison; "concurrency=4" or "official client" in the concurrency table
	sides []side
	dsn   string // the driver's
}

// variants lists cfg's variants on e.
func (e *env) variants(cfg config) ([]variant, error) {
	var sides []side
	if cfg.driver {
		sides = append(sides, sideDriver)
	}
	if cfg.peer {
		sides = append(sides, sidePeer)
	}
	if len(cfg.concurrency) == 0 {
		return []variant{{sides: sides, dsn: e.dsn}}, nil
	}
	var vs []variant
	if cfg.driver {
		for _, c := range cfg.concurrency {
			dsn, err := withDSNOptions(e.dsn, url.Values{"concurrency": {c}}.Encode())
			if err != nil {
				return nil, err
			}
			vs = append(vs, variant{label: "concurrency=" + c, sides: []side{sideDriver}, dsn: dsn})
		}
	}
	if cfg.peer {
		vs = append(vs, variant{label: peerVariant, sides: []side{sidePeer}})
	}
	return vs, nil
}

// peerVariant labels the official client's runs in the concurrency table.
const peerVariant = "official client"

// runSize runs the rounds of every job on the app of records records.
func (e *env) runSize(ctx context.Context, cfg config, exe string, records int, logw io.Writer) ([]result, error) {
	n := max(1, int(float64(records)*cfg.writeRatio))
	vs, err := e.variants(cfg)
	if err != nil {
		return nil, err
	}
	// results[k*len(vs)+v] is job k's in variant v: the table's order.
	results := make([]result, len(cfg.jobs)*len(vs))
	for k, j := range cfg.jobs {
		for v, va := range vs {
			results[k*len(vs)+v] = result{latency: e.latency, records: records, n: n, job: j, variant: va.label,
				min: minRequests(j.key, records, n), floor: floorRequests(j.key, records, n), want: want(j.key, records, n)}
		}
	}
	for round := 1; round <= cfg.rounds; round++ {
		failedWrite := false
		for k, j := range cfg.jobs {
			// The variants take turns going first, and so do the sides.
			for i := range vs {
				v := (i + round - 1) % len(vs)
				va := vs[v]
				order := va.sides
				if (round+k)%2 == 0 && len(order) == 2 {
					order = []side{order[1], order[0]}
				}
				r := &results[k*len(vs)+v]
				for _, s := range order {
					t := e.task(j, s, records, n, round, r.want)
					if s == sideDriver {
						t.DSN = va.dsn
					}
					label := string(s)
					if va.label != "" && s == sideDriver {
						label = va.label
					}
					smp, err := e.runOne(ctx, cfg, exe, j, s, t)
					if err != nil {
						r.errs = append(r.errs, fmt.Sprintf("%s, round %d: %v", label, round, err))
						fmt.Fprintf(logw, "%s %s r%d %-24s %-6s error: %v\n", latencyLabel(e.latency), fmtCount(float64(records)), round, j.title, label, err)
						failedWrite = failedWrite || j.write
						if ctx.Err() != nil {
							return nil, ctx.Err()
						}
						continue
					}
					if s == sideDriver {
						r.driver = append(r.driver, smp)
					} else {
						r.peer = append(r.peer, smp)
					}
					fmt.Fprintf(logw, "%s %s r%d %-24s %-6s %8s ms %8s ms CPU %5d requests (%s)\n", latencyLabel(e.latency), fmtCount(float64(records)), round,
						j.title, label, fmtMs(smp.run.Wall), cpuLabel(smp.run), smp.requests, endpoints([]sample{smp}))
				}
			}
		}
		if failedWrite {
			// A failed write may have left rows behind: restore the seed
			// rows so that the next round reads the same app.
			removed, err := removeInserted(ctx, e, e.apps[records])
			if err != nil {
				return nil, fmt.Errorf("cleaning up after a failed write: %w", err)
			}
			fmt.Fprintf(logw, "removed %d rows a failed write left behind\n", removed)
		}
	}
	return results, nil
}

// latencyLabel prints a latency for the progress log.
func latencyLabel(d time.Duration) string {
	if d == 0 {
		return "0ms"
	}
	return d.String()
}

// cpuLabel prints a run's CPU time for the progress log.
func cpuLabel(r runResult) string {
	if !r.HasCPU {
		return "-"
	}
	return fmtMs(r.CPU)
}

// task builds side's task for job j in a round; want is the rows the job
// must read, count or change. The driver's DSN is e's.
func (e *env) task(j job, s side, records, n, round, want int) task {
	t := task{
		Job: j.key, Table: appName(records), App: e.apps[records], Records: records, N: n,
		Batch: string(s) + "-r" + strconv.Itoa(round), Want: want,
		BaseURL: e.baseURL, Control: e.control, Marks: e.marks.url, User: e.user, Password: e.password,
	}
	if j.join {
		t.Table, t.App = ordersName(records), e.orders[records]
		t.Customers, t.CustomersApp = customersName(records), e.custs[records]
	}
	if j.copy {
		t.Target, t.TargetApp = copyName(records), e.copies[records]
	}
	if s == sideDriver {
		t.DSN = e.dsn
	}
	t.kintoneQuery()
	return t
}

// runOne runs one task of job j, reads the emulator's counters and CPU
// time of it, and for the copy job checks and empties the copy.
func (e *env) runOne(ctx context.Context, cfg config, exe string, j job, s side, t task) (sample, error) {
	runCtx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	e.srv.ResetStats()
	e.marks.reset()
	var (
		res runResult
		err error
	)
	if s == sideDriver {
		res, err = runDriverChild(runCtx, exe, t)
	} else {
		res, err = runPeer(runCtx, cfg.node, cfg.peerDir, t)
	}
	var smp sample
	if err == nil {
		smp, err = e.measure(res)
	}
	// Whatever happened, the next run starts from an empty copy.
	switch {
	case !j.copy:
	case err != nil:
		if _, rerr := removeWhere(ctx, e, t.TargetApp, ""); rerr != nil {
			err = errors.Join(err, fmt.Errorf("emptying the copy: %w", rerr))
		}
	default:
		err = finishCopy(ctx, e, t.TargetApp, t.Want)
	}
	return smp, err
}

// measure reads the emulator's counters of the run that just ended (each
// side resets them right before its clock starts).
func (e *env) measure(res runResult) (sample, error) {
	st := e.srv.Stats()
	smp := sample{run: res, requests: st.Requests, endpoints: st.ByEndpoint, errors: st.Errors}
	if cpu, ok := e.marks.emulatorCPU(); ok {
		smp.emuCPU, smp.hasEmuCPU = ms(cpu.Seconds()), true
	}
	for _, r := range e.srv.Requests() {
		smp.serverTime += ms(r.Duration.Seconds())
	}
	if st.Errors > 0 {
		var codes []string
		for _, r := range e.srv.Requests() {
			if r.Status >= 400 {
				codes = append(codes, fmt.Sprintf("%s %s: %d %s", r.Effective, r.Resource, r.Status, r.Code))
			}
		}
		return smp, fmt.Errorf("%d requests failed: %s", st.Errors, strings.Join(codes, "; "))
	}
	return smp, nil
}
