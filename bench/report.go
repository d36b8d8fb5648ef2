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
}

// outside is the client's time outside API requests: wall time minus the
// time the emulator spent answering. For a client that sends one request
// at a time it is the client's own work that did not overlap a request
// (decoding, building requests); fetching ahead drives it towards zero,
// and parallel requests can make it negative.
func (s sample) outside() float64 { return s.run.Wall - s.serverTime }

// result gathers one job's samples of both sides at one latency and app size.
type result struct {
	latency time.Duration
	records int // the app's seed size
	n       int // rows the write jobs insert, update and delete
	job     job
	min     int // the fewest requests the API allows
	want    int // rows read, counted or changed
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
}

func summarize(samples []sample) summary {
	s := summary{runs: len(samples)}
	if len(samples) == 0 {
		return s
	}
	var outside, heap, mallocs, rss []float64
	for _, x := range samples {
		s.maxRequests = max(s.maxRequests, x.requests)
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
	return s
}

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
	med := median(slices.Clone(s.wall))
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
	pm := median(slices.Clone(p.wall))
	if pm == 0 {
		return "-"
	}
	return strconv.FormatFloat(median(slices.Clone(d.wall))/pm, 'f', 2, 64)
}

// headers of the table, in order.
var headers = []string{
	"latency", "records", "job", "rows", "API min", "req driver", "req peer",
	"ms driver (range)", "ms peer (range)", "driver/peer",
	"ms outside requests driver / peer", "driver heap peak", "driver allocs", "peak RSS driver / peer",
}

// cells returns r's row of the table.
func (r result) cells() []string {
	d, p := summarize(r.driver), summarize(r.peer)
	lat := "0"
	if r.latency > 0 {
		lat = r.latency.String()
	}
	outside := "-"
	if d.runs > 0 || p.runs > 0 {
		outside = orDash(d.runs, fmtMs(d.outside)) + " / " + orDash(p.runs, fmtMs(p.outside))
	}
	rss := "-"
	if d.runs > 0 || p.runs > 0 {
		rss = fmtMB(d.rss) + " / " + fmtMB(p.rss)
	}
	allocs := "-"
	if d.runs > 0 {
		allocs = fmtCount(d.mallocs)
	}
	return []string{
		lat, fmtCount(float64(r.records)), strings.Replace(r.job.title, "N", fmtCount(float64(r.n)), 1),
		fmtCount(float64(r.want)), strconv.Itoa(r.min), requestsCell(d, r.min), requestsCell(p, r.min),
		d.timeCell(), p.timeCell(), ratioCell(d, p),
		outside, fmtMB(d.heapPeak), allocs, rss,
	}
}

func orDash(runs int, s string) string {
	if runs == 0 {
		return "-"
	}
	return s
}

// writeText prints the results as an aligned text table.
func writeText(w io.Writer, results []result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(headers, "\t"))
	for _, r := range results {
		fmt.Fprintln(tw, strings.Join(r.cells(), "\t"))
	}
	return tw.Flush()
}

// writeMarkdown prints the results as a Markdown table.
func writeMarkdown(w io.Writer, results []result) error {
	var b strings.Builder
	b.WriteString("| " + strings.Join(headers, " | ") + " |\n")
	b.WriteString(strings.Repeat("|---", len(headers)) + "|\n")
	for _, r := range results {
		b.WriteString("| " + strings.Join(r.cells(), " | ") + " |\n")
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
		if d.runs > 0 && d.maxRequests > int64(r.min) {
			fmt.Fprintf(&b, "- %s: the driver made %d requests, the API's minimum is %d (%s)\n",
				where, d.maxRequests, r.min, endpoints(r.driver))
		}
		if d.runs > 0 && p.runs > 0 && median(slices.Clone(d.wall)) > median(slices.Clone(p.wall)) {
			fmt.Fprintf(&b, "- %s: the driver took %s ms, the official client %s ms (requests: driver %s; peer %s)\n",
				where, fmtMs(median(slices.Clone(d.wall))), fmtMs(median(slices.Clone(p.wall))), endpoints(r.driver), endpoints(r.peer))
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
