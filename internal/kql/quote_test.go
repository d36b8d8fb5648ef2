package kql

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestQuote(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"", `""`},
		{"plain", `"plain"`},
		{`say "hi"`, `"say \"hi\""`},
		{`C:\dir\`, `"C:\\dir\\"`},
		{`\"`, `"\\\""`},
		{"a\tb", `"a\tb"`},
		{"a\nb", `"a\nb"`},
		{"a\rb", `"a\rb"`},
		{"\r\n", `"\r\n"`},
		{`\n`, `"\\n"`}, // a backslash and an n, not a newline
		{"'single'", `"'single'"`},
		{"`back`", "\"`back`\""},
		{"%_*", `"%_*"`},
		{"and or ) order by", `"and or ) order by"`},
		{"完了", `"完了"`},
		{"全角\u3000空白", "\"全角\u3000空白\""},
		{"😀", `"😀"`},
		// No escape is documented for other control characters; they are
		// copied, and cannot end the literal.
		{"\x00\x01\x1f\x7f", "\"\x00\x01\x1f\x7f\""},
		{"\u2028\u0085", "\"\u2028\u0085\""},
		{"\xff\xfe", "\"\xff\xfe\""},
	}
	for _, tt := range tests {
		if got := Quote(tt.in); got != tt.want {
			t.Errorf("Quote(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// checkQuoted checks that Quote(s) holds no raw TAB, CR or LF (A.2: Kintone
// rejects them) and that Parse reads it back as exactly the string s.
func checkQuoted(t testing.TB, s string) {
	t.Helper()
	lit := Quote(s)
	if strings.ContainsAny(lit, "\t\r\n") {
		t.Fatalf("Quote(%q) = %q holds a raw TAB, CR or LF", s, lit)
	}
	q, err := Parse("f = " + lit)
	if err != nil {
		t.Fatalf("Quote(%q) = %q does not parse: %v", s, lit, err)
	}
	c, ok := q.Where.(*Cond)
	if !ok || len(c.Values) != 1 || c.Values[0].Kind != String || c.Values[0].Text != s {
		t.Fatalf("Quote(%q) = %q parses as %s", s, lit, sexpr(q))
	}
}

// TestQuoteRoundTrip checks every byte alone, every pair of bytes, and
// random strings weighted towards the special characters.
func TestQuoteRoundTrip(t *testing.T) {
	for b := 0; b < 256; b++ {
		checkQuoted(t, string([]byte{byte(b)}))
		for c := 0; c < 256; c++ {
			checkQuoted(t, string([]byte{byte(b), byte(c)}))
		}
	}
	alphabet := []string{`"`, `\`, "\t", "\n", "\r", "a", " ", "\u3000", "字", "\xff", "\x00", "n", "t", ")", "'"}
	rng := rand.New(rand.NewPCG(1, 2)) // fixed seed: the same strings every run
	for i := 0; i < 2000; i++ {
		var b strings.Builder
		for n := rng.IntN(20); n > 0; n-- {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		checkQuoted(t, b.String())
	}
}

// TestStringEscapeSet checks which backslash sequences a literal may hold:
// exactly \" \\ \t \n and \r, each decoded to its character. Every other
// byte after a backslash is a syntax error at the backslash.
func TestStringEscapeSet(t *testing.T) {
	decoded := map[byte]string{'"': `"`, '\\': `\`, 't': "\t", 'n': "\n", 'r': "\r"}
	for b := 0; b < 256; b++ {
		query := `f = "x\` + string([]byte{byte(b)}) + `y"`
		q, err := Parse(query)
		want, ok := decoded[byte(b)]
		if !ok {
			se, isSyntax := err.(*SyntaxError)
			if !isSyntax || se.Pos != 6 {
				t.Errorf("Parse(%q) = %s, %v; want a syntax error at 6", query, sexpr(q), err)
			}
			continue
		}
		if err != nil {
			t.Errorf("Parse(%q): %v", query, err)
			continue
		}
		if got := q.Where.(*Cond).Values[0].Text; got != "x"+want+"y" {
			t.Errorf("Parse(%q) value %q, want %q", query, got, "x"+want+"y")
		}
	}
}
