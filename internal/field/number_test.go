package field

import (
	"math/big"
	"strings"
	"testing"
)

func TestNormalizeNumber(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		// The documented examples (B.1).
		{"1.5e1", "15", true},
		{" 42 ", "42", true},
		// Signs.
		{"+7", "7", true},
		{"-7", "-7", true},
		{"-0", "0", true},
		{"+0", "0", true},
		{"-0.000", "0", true},
		{"-0e5", "0", true},
		{"-.5", "-0.5", true},
		// Leading and trailing zeros, bare points.
		{"007", "7", true},
		{"00.10", "0.1", true},
		{"1.50", "1.5", true},
		{"2.0", "2", true},
		{"5.", "5", true},
		{".5", "0.5", true},
		{"0", "0", true},
		{"000", "0", true},
		{"10", "10", true},
		{"100.001", "100.001", true},
		// Exponents.
		{"1.5e-3", "0.0015", true},
		{"1.5E+3", "1500", true},
		{"12e-1", "1.2", true},
		{"12e-2", "0.12", true},
		{"12e-3", "0.012", true},
		{"0.0012e4", "12", true},
		{"1e0", "1", true},
		{"1e-0", "1", true},
		{"1e00000000000000000000000000000003", "1000", true},
		{"0e999999999999999999999999", "0", true},
		{"-1.5e1", "-15", true},
		// White space.
		{"\t\r\n12\n", "12", true},
		// Bounds.
		{"1e999", "1" + strings.Repeat("0", 999), true},
		{"1e1000", "", false},
		{"1e999999999", "", false},
		{"1e99999999999999999999999", "", false},
		{"1e-998", "0." + strings.Repeat("0", 997) + "1", true},
		{"1e-999", "0." + strings.Repeat("0", 998) + "1", true},
		{"1e-1000", "", false},
		{"1e-999999999", "", false},
		{strings.Repeat("9", 1000), strings.Repeat("9", 1000), true},
		{strings.Repeat("9", 1001), "", false},
		{strings.Repeat("9", 1001) + "e-1", "", false},
		{"0." + strings.Repeat("0", 2000) + "e2000", "0", true},
		// Not numbers.
		{"", "", false},
		{" ", "", false},
		{".", "", false},
		{"-", "", false},
		{"+", "", false},
		{"e5", "", false},
		{".e5", "", false},
		{"1e", "", false},
		{"1e+", "", false},
		{"1e1.5", "", false},
		{"1.2.3", "", false},
		{"--1", "", false},
		{"+-1", "", false},
		{"- 1", "", false},
		{"1 000", "", false},
		{"1,000", "", false},
		{"0x10", "", false},
		{"NaN", "", false},
		{"Infinity", "", false},
		{"-Infinity", "", false},
		{"１２", "", false},             // full-width digits
		{"\u300012\u3000", "", false}, // ideographic spaces
		{"12abc", "", false},
		{"1_000", "", false},
	}
	for _, tt := range tests {
		got, ok := NormalizeNumber(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeNumber(%.40q) = %.40q, %v; want %.40q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestIsCanonicalDecimal(t *testing.T) {
	for _, s := range []string{"0", "1", "-1", "0.5", "-0.5", "10", "123.456", "-100"} {
		if !isCanonicalDecimal(s) {
			t.Errorf("isCanonicalDecimal(%q) = false", s)
		}
	}
	for _, s := range []string{"", "-", "-0", "+1", "01", "1.", ".5", "1.50", "1e5", "-0.0", "00", " 1", "0.", "1.0"} {
		if isCanonicalDecimal(s) {
			t.Errorf("isCanonicalDecimal(%q) = true", s)
		}
	}
}

func TestCompareDecimal(t *testing.T) {
	// Each group is ascending; entries inside a group are equal.
	order := [][]string{
		{"-1000"},
		{"-999.99"},
		{"-10", "-10.0", "-010"},
		{"-2"},
		{"-1.5"},
		{"-1"},
		{"-0.5", "-.5", "-0.50"},
		{"-0.05"},
		{"0", "-0", "+0", "0.0", "000", ".0", "-0.000"},
		{"0.0001"},
		{"0.1", ".1", "0.10"},
		{"0.5"},
		{"0.51"},
		{"1", "+1", "01", "1.0"},
		{"1.5"},
		{"2"},
		{"9.99999999999999999999999999"},
		{"10"},
		{"11"},
		{"100"},
		{"123456789012345678901234567890"},
		{"123456789012345678901234567890.1"},
	}
	for i, gi := range order {
		for j, gj := range order {
			want := 0
			switch {
			case i < j:
				want = -1
			case i > j:
				want = 1
			}
			for _, a := range gi {
				for _, b := range gj {
					if got := CompareDecimal(a, b); got != want {
						t.Errorf("CompareDecimal(%q, %q) = %d, want %d", a, b, got, want)
					}
				}
			}
		}
	}
}

func TestCompareDecimalGarbage(t *testing.T) {
	// Not decimals: the result is unspecified, but there is no panic and
	// the comparison is antisymmetric.
	junk := []string{"", "-", "+", ".", "abc", "1e5", "--1", "1.2.3", "\xff"}
	for _, a := range junk {
		for _, b := range junk {
			if CompareDecimal(a, b) != -CompareDecimal(b, a) {
				t.Errorf("CompareDecimal(%q, %q) not antisymmetric", a, b)
			}
		}
	}
}

func TestCompareDecimalAllocs(t *testing.T) {
	pairs := [][2]string{{"123.45", "123.5"}, {"-1", "1"}, {"0", "-0.0"}, {"99999999999999999999", "1e5"}}
	allocs := testing.AllocsPerRun(1000, func() {
		for _, p := range pairs {
			CompareDecimal(p[0], p[1])
		}
	})
	if allocs != 0 {
		t.Errorf("CompareDecimal allocates %v times per run, want 0", allocs)
	}
}

func BenchmarkCompareDecimal(b *testing.B) {
	pairs := [][2]string{
		{"123456.789", "123456.7891"},
		{"-42", "42"},
		{"1000000000000000000000", "999999999999999999999.99"},
		{"0.5", "0.05"},
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p := pairs[i%len(pairs)]
		CompareDecimal(p[0], p[1])
	}
}

func BenchmarkNormalizeNumber(b *testing.B) {
	for _, in := range []string{"42", "-123.45", " 1.5e1 ", "0.000123e-2", "007.500"} {
		b.Run(in, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				NormalizeNumber(in)
			}
		})
	}
}

// ratOf parses a plain decimal with math/big, for checking CompareDecimal.
func ratOf(t *testing.T, s string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("big.Rat cannot parse %q", s)
	}
	return r
}

// smallExponent reports whether the exponent written in s (if any) has at
// most four digits, so that math/big can evaluate s without building huge
// powers of ten.
func smallExponent(s string) bool {
	i := strings.IndexAny(s, "eE")
	if i < 0 {
		return true
	}
	e := strings.TrimLeft(s[i+1:], "+-")
	return len(strings.TrimLeft(e, "0")) <= 4
}

func FuzzNormalizeNumber(f *testing.F) {
	for _, s := range []string{"1.5e1", " 42 ", "-0", "0.001", "1e999", "1e1000", "-.5", "007.50", "1e-998", "abc", ""} {
		f.Add(s, "1")
	}
	f.Add("-1.5e1", "-15")
	f.Add("123456789012345678901234567890", "123456789012345678901234567891")
	f.Fuzz(func(t *testing.T, a, b string) {
		ca, okA := NormalizeNumber(a)
		cb, okB := NormalizeNumber(b)
		for _, c := range []struct {
			in, out string
			ok      bool
		}{{a, ca, okA}, {b, cb, okB}} {
			if !c.ok {
				continue
			}
			if !isCanonicalDecimal(c.out) {
				t.Fatalf("NormalizeNumber(%q) = %q, not canonical", c.in, c.out)
			}
			if again, ok := NormalizeNumber(c.out); !ok || again != c.out {
				t.Fatalf("NormalizeNumber(%q) = %q, %v; not idempotent", c.out, again, ok)
			}
			if in := trimASCIISpace(c.in); smallExponent(in) {
				if ratOf(t, in).Cmp(ratOf(t, c.out)) != 0 {
					t.Fatalf("NormalizeNumber(%q) = %q changes the value", c.in, c.out)
				}
			}
		}
		if okA && okB {
			want := ratOf(t, ca).Cmp(ratOf(t, cb))
			if got := CompareDecimal(ca, cb); got != want {
				t.Fatalf("CompareDecimal(%q, %q) = %d, big.Rat says %d", ca, cb, got, want)
			}
			if (want == 0) != (ca == cb) {
				t.Fatalf("%q and %q: equal values must have equal canonical texts", ca, cb)
			}
		}
		// Whatever the input, CompareDecimal must not panic.
		CompareDecimal(a, b)
	})
}
