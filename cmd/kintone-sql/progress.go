package main

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progress counts rows and, when it draws, shows on one line of a
// terminal: a bar when the total is known, rows done, rows per second and
// the time left. It starts drawing only after a second, so quick work
// leaves no trace.
type progress struct {
	w     io.Writer // nil: count only
	label string
	total int64 // -1: unknown
	now   func() time.Time
	start time.Time

	mu    sync.Mutex
	n     int64
	drawn bool

	stop chan struct{}
	done chan struct{}
}

// progressDelay is how long work runs before progress is drawn, and
// progressTick how often it is redrawn.
const (
	progressDelay = time.Second
	progressTick  = 200 * time.Millisecond
)

// startProgress returns a progress for label. It draws on the app's
// stderr only when that is a terminal and --quiet is off; total < 0 means
// unknown.
func (a *app) startProgress(label string, total int64) *progress {
	p := &progress{label: label, total: total, now: a.now, start: a.now()}
	if !a.stderrTTY || a.quiet {
		return p
	}
	p.w = a.stderr
	p.stop, p.done = make(chan struct{}), make(chan struct{})
	go p.loop()
	return p
}

func (p *progress) loop() {
	defer close(p.done)
	t := time.NewTicker(progressTick)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.draw()
		}
	}
}

// add counts n more rows.
func (p *progress) add(n int64) {
	p.mu.Lock()
	p.n += n
	p.mu.Unlock()
}

// draw redraws the line, once the work has run for progressDelay.
func (p *progress) draw() {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := p.now().Sub(p.start)
	if d < progressDelay {
		return
	}
	fmt.Fprintf(p.w, "\r\x1b[K%s", progressLine(p.label, p.n, p.total, d))
	p.drawn = true
}

// finish stops drawing and clears the line.
func (p *progress) finish() {
	if p.stop == nil {
		return
	}
	close(p.stop)
	<-p.done
	p.stop = nil
	if p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}

// progressLine renders the progress of n rows of total (< 0: unknown)
// after d:
//
//	import Orders [########------------] 12,000/30,000 rows  3,000 rows/s  ETA 6s
func progressLine(label string, n, total int64, d time.Duration) string {
	var b strings.Builder
	b.WriteString(label)
	if total > 0 {
		const width = 20
		filled := int(min(n, total) * width / total)
		fmt.Fprintf(&b, " [%s%s] %s/%s rows", strings.Repeat("#", filled), strings.Repeat("-", width-filled),
			thousands(n), thousands(total))
	} else {
		fmt.Fprintf(&b, " %s rows", thousands(n))
	}
	rate := 0.0
	if d > 0 {
		rate = float64(n) / d.Seconds()
	}
	fmt.Fprintf(&b, "  %s rows/s", thousands(int64(rate+0.5)))
	if total > 0 && n < total && rate > 0 {
		left := time.Duration(float64(total-n) / rate * float64(time.Second))
		fmt.Fprintf(&b, "  ETA %s", left.Round(time.Second))
	}
	return b.String()
}

// thousands prints n with commas between groups of three digits.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
