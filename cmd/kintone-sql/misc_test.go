package main

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"
)

func TestProgressLine(t *testing.T) {
	for _, tc := range []struct {
		n, total int64
		d        time.Duration
		want     string
	}{
		{3000, 12000, 2 * time.Second, "import t [#####---------------] 3,000/12,000 rows  1,500 rows/s  ETA 6s"},
		{12000, 12000, 4 * time.Second, "import t [####################] 12,000/12,000 rows  3,000 rows/s"},
		{1234567, -1, 10 * time.Second, "import t 1,234,567 rows  123,457 rows/s"},
		{0, 10, time.Second, "import t [--------------------] 0/10 rows  0 rows/s"},
	} {
		if got := progressLine("import t", tc.n, tc.total, tc.d); got != tc.want {
			t.Errorf("progressLine(%d, %d, %v) =\n%q, want\n%q", tc.n, tc.total, tc.d, got, tc.want)
		}
	}
}

// TestProgressDraws: nothing is drawn in the first second; after it, the
// line is drawn over itself and cleared at the end; nothing at all when
// stderr is not a terminal.
func TestProgressDraws(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	p := &progress{w: &buf, label: "export t", total: -1, now: func() time.Time { return now }, start: now}
	p.add(10)
	p.draw()
	if buf.Len() != 0 {
		t.Errorf("drawn before a second: %q", buf.String())
	}
	now = now.Add(2 * time.Second)
	p.draw()
	p.stop, p.done = make(chan struct{}), make(chan struct{})
	close(p.done)
	p.finish()
	if want := "\r\x1b[Kexport t 10 rows  5 rows/s\r\x1b[K"; buf.String() != want {
		t.Errorf("drawn %q, want %q", buf.String(), want)
	}

	ta := newTestApp(t)
	q := ta.startProgress("x", 5)
	q.add(1)
	q.finish()
	if q.w != nil || ta.err.Len() != 0 {
		t.Errorf("progress drawn on a stderr that is not a terminal")
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", -1234567: "-1,234,567"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q", n, got)
		}
	}
}

func TestDisplayWidth(t *testing.T) {
	for i := 1; i < len(wideRanges); i++ {
		if wideRanges[i][0] <= wideRanges[i-1][1] || wideRanges[i][0] > wideRanges[i][1] {
			t.Fatalf("wideRanges out of order at %#x", wideRanges[i][0])
		}
	}
	for s, want := range map[string]int{
		"abc": 3, "日本語": 6, "ｶﾀｶﾅ": 4, "ＡＢ": 4, "é": 1, "e\u0301": 1, "한국": 4, "🍵": 2, "": 0, "a\u200bb": 2,
	} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
	for _, tc := range []struct {
		s    string
		max  int
		want string
	}{
		{"abcdef", 4, "abc…"},
		{"abcd", 4, "abcd"},
		{"日本語です", 5, "日本…"},
		{"日本語です", 6, "日本…"},
		{"abc", 0, "abc"},
	} {
		if got := truncateWidth(tc.s, tc.max); got != tc.want {
			t.Errorf("truncateWidth(%q, %d) = %q, want %q", tc.s, tc.max, got, tc.want)
		}
	}
}

// TestInterruptReader: Ctrl-C becomes Enter and is remembered; the input
// before it is passed on first, the input after it next.
func TestInterruptReader(t *testing.T) {
	ir := &interruptReader{r: strings.NewReader("ab\x03cd")}
	var got []string
	buf := make([]byte, 16)
	for {
		n, err := ir.Read(buf)
		if n > 0 {
			s := string(buf[:n])
			if ir.take() {
				s += "<C>"
			}
			got = append(got, s)
		}
		if err == io.EOF {
			break
		}
	}
	if want := []string{"ab", "\r<C>", "cd"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("reads %q, want %q", got, want)
	}
}

func TestQuoteIdent(t *testing.T) {
	for in, want := range map[string]string{"Orders": "`Orders`", "a`b": "`a``b`", "`x`": "`x`", "42": "`42`"} {
		if got := quoteIdent(in); got != want {
			t.Errorf("quoteIdent(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPrintCaret(t *testing.T) {
	var b bytes.Buffer
	printCaret(&b, "SELECT a,\n  日本 FROM t", 2, 5)
	if want := "    日本 FROM t\n        ^\n"; b.String() != want {
		t.Errorf("%q, want %q", b.String(), want)
	}
}
