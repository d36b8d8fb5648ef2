package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// sample is one side's run of one job in one round.
type sample struct {
	run        runResult
	requests   int64            // API requests the emulator served during the job
	endpoints  map[string]int64 // the same by "METHOD resource"
	errors     int64            // of which answered with an error status
	serverTime float64          // milliseconds the emulator spent on them, latency included
	emuCPU     float64          // milliseconds of the harness's CPU time during the job: the emulator's (marks.go)
	hasEmuCPU  bool             // whether emuCPU was measured
}

// outside is the client's time outside API requests: wall time minus the
// time the emulator spent answering. For a client that sends one request
// at a time it is the client's own work that did not overlap a request
// (decoding, building requests); fetching ahead drives it towards zero,
// and parallel requests can make it negative.
func (s sample) outside() float64 { return s.run.Wall - s.serverTime }

// result gathers one job's samples of both sides at one latency and app
// size (in the concurrency table: of one variant).
type result struct {
	latency time.Duration
	records int // the app's seed size
	n       int // rows the write jobs insert, update and delete
	job     job
	variant string // "" in the comparison; the variant's label in the concurrency table
	min     int    // the fewest requests the API allows
	floor   int    // the requests whose latencies bound the job's time (floorRequests)
	want    int    // rows read, counted or changed
	driver  []sample
	peer    []sample
	errs    []string
}

// side's summary figures over the rounds.
type summary struct {
	runs        int
	maxRequests int64
	wall        []float64 // sorted
	outside     float64   // median
	heapPeak    float64   // median, bytes (driver only)
	mallocs     float64   // median (driver only)
	rss         float64   // median, bytes
	cpu         float64   // median of the runs that measured it, ms
	cpuRuns     int       // runs that measured CPU
	emuCPU      float64   // median of the emulator's CPU time, ms
	emuCPURuns  int       // runs that measured it
}

func summarize(samples []sample) summary {
	s := summary{runs: len(samples)}
	if len(samples) == 0 {
		return s
	}
	var outside, heap, mallocs, rss, cpu, emu []float64
	for _, x := range samples {
		s.maxRequests = max(s.maxRequests, x.requests)
		if x.run.HasCPU {
			cpu = append(cpu, x.run.CPU)
		}
		if x.hasEmuCPU {
			emu = append(emu, x.emuCPU)
		}
		s.wall = append(s.wall, x.run.Wall)
		outside = append(outside, x.outside())
		rss = append(rss, float64(x.run.MaxRSS))
		if d := x.run.Driver; d != nil {
			heap = append(heap, float64(d.HeapPeak))
			mallocs = append(mallocs, float64(d.Mallocs))
		}
	}
	slices.Sort(s.wall)
	s.outside = median(outside)
	s.heapPeak = median(heap)
	s.mallocs = median(mallocs)
	s.rss = median(rss)
	s.cpu, s.cpuRuns = median(cpu), len(cpu)
	s.emuCPU, s.emuCPURuns = median(emu), len(emu)
	return s
}

// medianWall is the median of the side's wall times.
func (s summary) medianWall() float64 { return median(slices.Clone(s.wall)) }

// median of xs (which it sorts); 0 for none.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	m := len(xs) / 2
	if len(xs)%2 == 1 {
		return xs[m]
	}
	return (xs[m-1] + xs[m]) / 2
}

// timeCell prints a median wall time with its range over the rounds.
func (s summary) timeCell() string {
	if s.runs == 0 {
		return "-"
	}
	med := s.medianWall()
	if s.runs == 1 {
		return fmtMs(med)
	}
	return fmtMs(med) + " (" + fmtMs(s.wall[0]) + "–" + fmtMs(s.wall[len(s.wall)-1]) + ")"
}

// fmtMs prints milliseconds with precision that suits their size.
func fmtMs(v float64) string {
	switch a := max(v, -v); {
	case a >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// fmtMB prints bytes as megabytes.
func fmtMB(b float64) string {
	if b == 0 {
		return "-"
	}
	return strconv.FormatFloat(b/(1<<20), 'f', 1, 64) + " MB"
}

// fmtCount prints a count with thousands separators.
func fmtCount(v float64) string {
	s := strconv.FormatInt(int64(v+0.5), 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// requestsCell prints the most requests a side made in any round, marked
// with "!" when above the API's minimum.
func requestsCell(s summary, min int) string {
	if s.runs == 0 {
		return "-"
	}
	c := strconv.FormatInt(s.maxRequests, 10)
	if s.maxRequests > int64(min) {
		c += "!"
	}
	return c
}

// ratioCell is the driver's median wall time over the peer's.
func ratioCell(d, p summary) string {
	if d.runs == 0 || p.runs == 0 {
		return "-"
	}
	return fmtRatio(d.medianWall(), p.medianWall())
}

// cpuRatioCell is the driver's median CPU time over the peer's.
func cpuRatioCell(d, p summary) string {
	if d.cpuRuns == 0 || p.cpuRuns == 0 {
		return "-"
	}
	return fmtRatio(d.cpu, p.cpu)
}

// fmtRatio prints a/b, "-" when b is 0.
func fmtRatio(a, b float64) string {
	if b == 0 {
		return "-"
	}
	return strconv.FormatFloat(a/b, 'f', 2, 64)
}

// overMin is how far a side's most requests in a round are above the
// API's minimum, in percent of it (negative below it, which means the
// minimum is miscounted).
func overMin(s summary, min int) float64 {
	return float64(s.maxRequests-int64(min)) / float64(min) * 100
}

// overMinCell prints overMin: "0%" at the minimum, else signed with one
// decimal.
func overMinCell(s summary, min int) string {
	if s.runs == 0 || min == 0 {
		return "-"
	}
	p := overMin(s, min)
	if p == 0 {
		return "0%"
	}
	c := strconv.FormatFloat(p, 'f', 1, 64) + "%"
	if p > 0 {
		c = "+" + c
	}
	return c
}

// floorMs is the job's floor: its floor requests one after another, each
// taking the latency; 0 without latency.
func (r result) floorMs() float64 {
	return float64(r.floor) * ms(r.latency.Seconds())
}

// toFloor is a side's median wall time over the job's floor (0: no floor).
func (r result) toFloor(s summary) float64 {
	f := r.floorMs()
	if s.runs == 0 || f == 0 {
		return 0
	}
	return s.medianWall() / f
}

// floorCell prints toFloor.
func (r result) floorCell(s summary) string {
	v := r.toFloor(s)
	if v == 0 {
		return "-"
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}

// cpuCell prints a side's median CPU time.
func cpuCell(s summary) string {
	if s.cpuRuns == 0 {
		return "-"
	}
	return fmtMs(s.cpu)
}

// emuCPUCell prints the emulator's median CPU time over a side's runs.
func emuCPUCell(s summary) string {
	if s.emuCPURuns == 0 {
		return "-"
	}
	return fmtMs(s.emuCPU)
}

// pair prints two sides' cells as "driver / peer", "-" when neither ran.
func pair(d, p summary, cell func(summary) string) string {
	if d.runs == 0 && p.runs == 0 {
		return "-"
	}
	return orDash(d.runs, cell(d)) + " / " + orDash(p.runs, cell(p))
}

// title is the job's title with its rows for N.
func (r result) title() string {
	return strings.Replace(r.job.title, "N", fmtCount(float64(r.want)), 1)
}

// latencyCell prints the latency for the table.
func latencyCell(d time.Duration) string {
	if d == 0 {
		return "0"
	}
	return d.String()
}

// headers of the comparison table, in order.
var headers = []string{
	"latency", "records", "job", "rows", "API min", "req driver", "req peer", "req over min driver / peer",
	"ms driver (range)", "ms peer (range)", "driver/peer", "floor ms", "÷ floor driver / peer",
	"CPU ms driver / peer", "CPU driver/peer", "emulator CPU ms driver / peer",
	"ms outside requests driver / peer", "driver heap peak", "driver allocs", "peak RSS driver / peer",
}

// cells returns r's row of the comparison table.
func (r result) cells() []string {
	d, p := summarize(r.driver), summarize(r.peer)
	floor := "-"
	if f := r.floorMs(); f > 0 {
		floor = fmtMs(f)
	}
	allocs := "-"
	if d.runs > 0 {
		allocs = fmtCount(d.mallocs)
	}
	return []string{
		latencyCell(r.latency), fmtCount(float64(r.records)), r.title(),
		fmtCount(float64(r.want)), strconv.Itoa(r.min), requestsCell(d, r.min), requestsCell(p, r.min),
		pair(d, p, func(s summary) string { return overMinCell(s, r.min) }),
		d.timeCell(), p.timeCell(), ratioCell(d, p), floor,
		pair(d, p, r.floorCell),
		pair(d, p, cpuCell), cpuRatioCell(d, p), pair(d, p, emuCPUCell),
		pair(d, p, func(s summary) string { return fmtMs(s.outside) }),
		fmtMB(d.heapPeak), allocs, pair(d, p, func(s summary) string { return fmtMB(s.rss) }),
	}
}

// concurrencyHeaders are the headers of the concurrency table: one row
// per job and variant, the official client's runs as a variant of their own.
var concurrencyHeaders = []string{
	"latency", "records", "job", "concurrency", "rows", "API min", "requests", "req over min",
	"ms (range)", "floor ms", "÷ floor", "CPU ms", "emulator CPU ms", "ms outside requests",
	"heap peak", "allocs", "peak RSS",
}

// concurrencyCells returns r's row of the concurrency table.
func (r result) concurrencyCells() []string {
	s := summarize(r.driver)
	if r.variant == peerVariant {
		s = summarize(r.peer)
	}
	floor := "-"
	if f := r.floorMs(); f > 0 {
		floor = fmtMs(f)
	}
	allocs := "-"
	if s.mallocs > 0 {
		allocs = fmtCount(s.mallocs)
	}
	return []string{
		latencyCell(r.latency), fmtCount(float64(r.records)), r.title(), strings.TrimPrefix(r.variant, "concurrency="),
		fmtCount(float64(r.want)), strconv.Itoa(r.min), requestsCell(s, r.min), overMinCell(s, r.min),
		s.timeCell(), floor, r.floorCell(s), cpuCell(s), emuCPUCell(s), orDash(s.runs, fmtMs(s.outside)),
		fmtMB(s.heapPeak), allocs, fmtMB(s.rss),
	}
}

func orDash(runs int, s string) string {
	if runs == 0 {
		return "-"
	}
	return s
}

// table returns the headers and rows of results: the concurrency table
// when they are variants, else the comparison.
func table(results []result) (head []string, rows [][]string) {
	concurrency := slices.ContainsFunc(results, func(r result) bool { return r.variant != "" })
	head = headers
	if concurrency {
		head = concurrencyHeaders
	}
	for _, r := range results {
		if concurrency {
			rows = append(rows, r.concurrencyCells())
		} else {
			rows = append(rows, r.cells())
		}
	}
	return head, rows
}

// writeText prints the results as an aligned text table.
func writeText(w io.Writer, results []result) error {
	head, rows := table(results)
	return writeTextRows(w, head, rows)
}

// writeMarkdown prints the results as a Markdown table.
func writeMarkdown(w io.Writer, results []result) error {
	head, rows := table(results)
	return writeMarkdownRows(w, head, rows)
}

// writeTextRows prints a table aligned in columns.
func writeTextRows(w io.Writer, head []string, rows [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, row := range rows {
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	return tw.Flush()
}

// writeMarkdownRows prints a table in Markdown.
func writeMarkdownRows(w io.Writer, head []string, rows [][]string) error {
	var b strings.Builder
	b.WriteString("| " + strings.Join(head, " | ") + " |\n")
	b.WriteString(strings.Repeat("|---", len(head)) + "|\n")
	for _, row := range rows {
		b.WriteString("| " + strings.Join(row, " | ") + " |\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeFindings lists every job where the driver made more requests than
// the API's minimum or was slower than the official client, with the
// requests by endpoint, and every error.
func writeFindings(w io.Writer, results []result) error {
	var b strings.Builder
	for _, r := range results {
		d, p := summarize(r.driver), summarize(r.peer)
		where := fmt.Sprintf("%s, %s records, %s", latencyName(r.latency), fmtCount(float64(r.records)), r.job.title)
		if r.variant != "" {
			where += " (" + r.variant + ")"
		}
		if d.runs > 0 && d.maxRequests > int64(r.min) {
			fmt.Fprintf(&b, "- %s: the driver made %d requests, the API's minimum is %d (%s)\n",
				where, d.maxRequests, r.min, endpoints(r.driver))
		}
		if d.runs > 0 && p.runs > 0 && d.medianWall() > p.medianWall() {
			fmt.Fprintf(&b, "- %s: the driver took %s ms, the official client %s ms (requests: driver %s; peer %s)\n",
				where, fmtMs(d.medianWall()), fmtMs(p.medianWall()), endpoints(r.driver), endpoints(r.peer))
		}
		for _, e := range r.errs {
			fmt.Fprintf(&b, "- %s: error: %s\n", where, e)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// latencyName prints a latency for prose.
func latencyName(d time.Duration) string {
	if d == 0 {
		return "no latency"
	}
	return d.String() + " latency"
}

// endpoints prints the requests of the first sample by endpoint.
func endpoints(samples []sample) string {
	if len(samples) == 0 {
		return ""
	}
	keys := make([]string, 0, len(samples[0].endpoints))
	for k := range samples[0].endpoints {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, samples[0].endpoints[k])
	}
	return strings.Join(parts, ", ")
}
