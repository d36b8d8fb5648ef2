package kql

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

// addSeeds adds every query of the other tests to the fuzz corpus.
func addSeeds(f *testing.F) {
	for _, ex := range docExamples {
		f.Add(ex.query)
	}
	for _, r := range docRejects {
		f.Add(r.query)
	}
	for _, v := range validQueries {
		f.Add(v.query)
	}
	for _, q := range clientQueries(f) {
		f.Add(q)
	}
	f.Add(`a = "\"\\\t\n\r" and b in (-1, 2.5, TODAY(), FROM_TODAY(-3, DAYS)) or (c is not empty) order by a, b desc limit 5 offset 6`)
}

// FuzzParse checks that Parse never panics, that its errors are
// *SyntaxErrors inside the query, that every node's position points at the
// node's text, and that what parses prints to text that parses back to the
// same tree (up to what String documents: see printed) and prints
// identically again.
func FuzzParse(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, query string) {
		q, err := Parse(query)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse(%q) error %T, want *SyntaxError", query, err)
			}
			if se.Pos < 0 || se.Pos > len(query) || se.Msg == "" {
				t.Fatalf("Parse(%q): error at %d of %d: %q", query, se.Pos, len(query), se.Msg)
			}
			if q != nil {
				t.Fatalf("Parse(%q) returned a query with its error", query)
			}
			return
		}
		checkPositions(t, query, q)
		checkRoundTrip(t, query)
	})
}

// FuzzQuote checks that any string, quoted, parses back as itself.
func FuzzQuote(f *testing.F) {
	for _, s := range []string{"", `"`, `\`, "\t\n\r", `\n`, "字\u3000", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkQuoted(t, s)
	})
}

// checkPositions checks that every position in a parsed tree points at
// the text its node starts with.
func checkPositions(t *testing.T, src string, q *Query) {
	t.Helper()
	at := func(pos int, what, prefix string) {
		if pos < 0 || pos > len(src) || !strings.HasPrefix(src[pos:], prefix) {
			t.Fatalf("Parse(%q): %s at %d does not start with %q", src, what, pos, prefix)
		}
	}
	var walk func(e Expr)
	walk = func(e Expr) {
		switch e := e.(type) {
		case *Cond:
			at(e.At, "condition", e.Field)
			for _, v := range e.Values {
				switch v.Kind {
				case String:
					at(v.At, "string", `"`)
				case Number:
					at(v.At, "number", v.Text)
				case Func:
					// The name is upper-cased; compare case-insensitively.
					if v.At+len(v.Text) > len(src) || !strings.EqualFold(src[v.At:v.At+len(v.Text)], v.Text) {
						t.Fatalf("Parse(%q): function %s at %d", src, v.Text, v.At)
					}
				}
			}
		case *And:
			if e.At != e.Terms[0].Pos() || len(e.Terms) < 2 {
				t.Fatalf("Parse(%q): and group at %d with %d terms", src, e.At, len(e.Terms))
			}
			for _, x := range e.Terms {
				walk(x)
			}
		case *Or:
			if e.At != e.Terms[0].Pos() || len(e.Terms) < 2 {
				t.Fatalf("Parse(%q): or group at %d with %d terms", src, e.At, len(e.Terms))
			}
			for _, x := range e.Terms {
				walk(x)
			}
		case *Paren:
			at(e.At, "parenthesis", "(")
			walk(e.X)
		}
	}
	walk(q.Where)
	for _, k := range q.OrderBy {
		at(k.At, "sort key", k.Field)
	}
	if !utf8.ValidString(q.String()) && utf8.ValidString(src) {
		t.Fatalf("String() of valid UTF-8 %q is not valid UTF-8", src)
	}
}
