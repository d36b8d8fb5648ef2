package kql

import (
	"reflect"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/internal/field"
)

func TestStringDocExamples(t *testing.T) {
	for _, ex := range docExamples {
		want := ex.canon
		if want == "" {
			want = ex.query
		}
		if got := mustParse(t, ex.query).String(); got != want {
			t.Errorf("%s: String() of %q\n got %q\nwant %q", ex.section, ex.query, got, want)
		}
	}
}

// TestStringBuilt prints trees built as the driver builds them. Each text
// must also parse and print back unchanged.
func TestStringBuilt(t *testing.T) {
	a1 := cond("a", field.Eq, num("1"))
	b2 := cond("b", field.Eq, num("2"))
	c3 := cond("c", field.Eq, num("3"))
	tests := []struct {
		name string
		q    *Query
		want string
	}{
		{"nil query", nil, ``},
		{"empty query", &Query{}, ``},
		{"every comparison", &Query{Where: and(
			cond("a", field.Eq, str("x")), cond("a", field.Ne, str("x")),
			cond("n", field.Lt, num("1")), cond("n", field.Le, num("1")),
			cond("n", field.Gt, num("1")), cond("n", field.Ge, num("1")),
		)}, `a = "x" and a != "x" and n < 1 and n <= 1 and n > 1 and n >= 1`},
		{"lists", &Query{Where: or(
			cond("s", field.In, str("a"), str("b")), cond("s", field.NotIn, str("")),
		)}, `s in ("a", "b") or s not in ("")`},
		{"like", &Query{Where: and(cond("t", field.Like, str("k")), cond("t", field.NotLike, str("k")))},
			`t like "k" and t not like "k"`},
		{"empty tests", &Query{Where: or(cond("m", field.IsEmpty), cond("m", field.IsNotEmpty))},
			`m is empty or m is not empty`},
		{"functions upper-cased", &Query{Where: or(
			cond("d", field.Eq, fn("today")), cond("d", field.Gt, fn("from_today", "-30", "DAYS")),
			cond("u", field.In, fn("LOGINUSER")), cond("d", field.Eq, fn("THIS_MONTH", "LAST")),
		)}, `d = TODAY() or d > FROM_TODAY(-30, DAYS) or u in (LOGINUSER()) or d = THIS_MONTH(LAST)`},
		{"numbers", &Query{Where: cond("n", field.In, num("10"), num("1.5"), num("007"))},
			`n in (10, 1.5, 007)`},
		{"negative number quoted", &Query{Where: cond("n", field.Gt, num("-5"))}, `n > "-5"`},
		{"exponent quoted", &Query{Where: cond("n", field.Eq, num("1e5"))}, `n = "1e5"`},
		{"number text is never code", &Query{Where: cond("n", field.Eq, num(`1 or x = "1`))},
			`n = "1 or x = \"1"`},

		// Grouping: parentheses around every and/or group inside another.
		{"or in and", &Query{Where: and(a1, or(b2, c3))}, `a = 1 and (b = 2 or c = 3)`},
		{"and in or", &Query{Where: or(a1, and(b2, c3))}, `a = 1 or (b = 2 and c = 3)`},
		{"or in or", &Query{Where: or(or(a1, b2), c3)}, `(a = 1 or b = 2) or c = 3`},
		{"and in and", &Query{Where: and(a1, and(b2, c3))}, `a = 1 and (b = 2 and c = 3)`},
		{"paren not doubled", &Query{Where: and(a1, paren(or(b2, c3)))}, `a = 1 and (b = 2 or c = 3)`},
		{"paren at top", &Query{Where: paren(a1)}, `(a = 1)`},
		{"paren of paren", &Query{Where: paren(paren(and(a1, b2)))}, `((a = 1 and b = 2))`},
		{"one-term group is its term", &Query{Where: and(or(a1), b2)}, `a = 1 and b = 2`},
		{"one-term group of a group", &Query{Where: and(and(or(a1, b2)), c3)}, `(a = 1 or b = 2) and c = 3`},

		// Clauses.
		{"zero key sorts asc", &Query{OrderBy: []OrderKey{{Field: "a"}}}, `order by a asc`},
		{"implicit desc printed", &Query{OrderBy: []OrderKey{{Field: "a", Desc: true}}}, `order by a desc`},
		{"several keys", &Query{OrderBy: []OrderKey{desc("n"), asc("$id")}}, `order by n desc, $id asc`},
		{"limit zero", &Query{Limit: n64(0)}, `limit 0`},
		{"offset only", &Query{Offset: n64(20)}, `offset 20`},
		{"all clauses", &Query{Where: a1, OrderBy: []OrderKey{asc("$id")}, Limit: n64(500), Offset: n64(10000)},
			`a = 1 order by $id asc limit 500 offset 10000`},
		{"seek page", &Query{
			Where:   and(paren(or(cond("num", field.Ge, num("10")), cond("title", field.Eq, str("seed-00001")))), cond("$id", field.Gt, num("558"))),
			OrderBy: []OrderKey{asc("$id")}, Limit: n64(500),
		}, `(num >= 10 or title = "seed-00001") and $id > 558 order by $id asc limit 500`},
		{"system and related fields", &Query{Where: and(
			cond("$revision", field.Gt, num("1")), cond("ref.$id", field.In, num("2")), cond("ref.名前", field.Like, str("x")),
		), OrderBy: []OrderKey{asc("ref.$id")}}, `$revision > 1 and ref.$id in (2) and ref.名前 like "x" order by ref.$id asc`},
		{"unicode field code", &Query{Where: cond("＄金額・税込＿1", field.Ge, str("1"))}, `＄金額・税込＿1 >= "1"`},
	}
	for _, tt := range tests {
		got := tt.q.String()
		if got != tt.want {
			t.Errorf("%s: String()\n got %q\nwant %q", tt.name, got, tt.want)
			continue
		}
		again, err := Parse(got)
		if err != nil {
			t.Errorf("%s: Parse(%q): %v", tt.name, got, err)
			continue
		}
		if s := again.String(); s != got {
			t.Errorf("%s: printed text does not print back\n got %q\nwant %q", tt.name, s, got)
		}
	}
}

// TestStringEscapes prints a value holding every character Quote escapes,
// and the characters next to them that it must leave alone.
func TestStringEscapes(t *testing.T) {
	value := "\"\\\t\n\r\r\n'`$%_\x00\x1f\x7f\u3000\u2028é😀"
	q := &Query{Where: cond("f", field.Eq, str(value))}
	want := "f = \"\\\"\\\\\\t\\n\\r\\r\\n'`$%_\x00\x1f\x7f\u3000\u2028é😀\""
	got := q.String()
	if got != want {
		t.Fatalf("String()\n got %q\nwant %q", got, want)
	}
	if strings.ContainsAny(got, "\t\r\n") {
		t.Errorf("String() %q holds a raw TAB, CR or LF", got)
	}
	back := mustParse(t, got)
	if v := back.Where.(*Cond).Values[0]; v.Kind != String || v.Text != value {
		t.Errorf("value came back as %v %q, want %q", v.Kind, v.Text, value)
	}
}

// TestStringIllFormed prints trees the printer's contract calls ill-formed.
// Each must print to text that Parse rejects as a whole; none may turn into
// a different, valid query (a field code, operator or argument carrying
// query text must not be spliced in).
func TestStringIllFormed(t *testing.T) {
	a1 := cond("a", field.Eq, num("1"))
	var nilCond *Cond
	tests := []struct {
		name string
		q    *Query
		want string
	}{
		{"empty field", &Query{Where: cond("", field.Eq, num("1"))}, `"" = 1`},
		{"field with space", &Query{Where: cond("a b", field.Eq, num("1"))}, `"a b" = 1`},
		{"keyword field", &Query{Where: cond("order", field.Eq, num("1"))}, `"order" = 1`},
		{"field injection", &Query{Where: cond(`x = 1 or y`, field.Eq, num("1"))}, `"x = 1 or y" = 1`},
		{"field quote injection", &Query{Where: cond(`x" or y = "1`, field.Eq, num("1"))}, `"x\" or y = \"1" = 1`},
		{"unknown operator", &Query{Where: cond("a", field.Op("=="), num("1"))}, `a "==" 1`},
		{"empty operator", &Query{Where: cond("a", field.Op(""), num("1"))}, `a "" 1`},
		{"operator injection", &Query{Where: cond("a", field.Op("= 1 or b ="), num("1"))}, `a "= 1 or b =" 1`},
		{"no value", &Query{Where: cond("a", field.Eq)}, `a =`},
		{"no value inside", &Query{Where: and(cond("a", field.Eq), a1)}, `a = and a = 1`},
		{"two values", &Query{Where: cond("a", field.Eq, num("1"), num("2"))}, `a = 1, 2`},
		{"empty list", &Query{Where: cond("a", field.In)}, `a in ()`},
		{"is empty with value", &Query{Where: cond("a", field.IsEmpty, str("x"))}, `a is empty "x"`},
		{"like number", &Query{Where: cond("a", field.Like, num("1"))}, `a like 1`},
		{"like function", &Query{Where: cond("a", field.NotLike, fn("TODAY"))}, `a not like TODAY()`},
		{"unknown function", &Query{Where: cond("a", field.Eq, fn("FOO"))}, `a = "FOO"()`},
		{"argument injection", &Query{Where: cond("a", field.Eq, fn("TODAY", `1) or b = TODAY(`))},
			`a = "TODAY"("1) or b = TODAY(")`},
		{"keyword argument", &Query{Where: cond("a", field.Eq, fn("THIS_WEEK", "in"))}, `a = "THIS_WEEK"("in")`},
		{"empty argument", &Query{Where: cond("a", field.Eq, fn("FROM_TODAY", "", "DAYS"))}, `a = "FROM_TODAY"("", "DAYS")`},
		{"unknown kind", &Query{Where: cond("a", field.Eq, Value{Kind: 99, Text: "x"})}, `a = "x"()`},
		{"nil where term", &Query{Where: and(a1, nil)}, `a = 1 and ()`},
		{"typed nil cond", &Query{Where: nilCond}, `()`},
		{"typed nil and", &Query{Where: (*And)(nil)}, `()`},
		{"typed nil or", &Query{Where: or(a1, (*Or)(nil))}, `a = 1 or ()`},
		{"typed nil paren", &Query{Where: (*Paren)(nil)}, `()`},
		{"empty and", &Query{Where: and()}, `()`},
		{"empty or inside", &Query{Where: and(a1, or())}, `a = 1 and ()`},
		{"paren of nil", &Query{Where: paren(nil)}, `(())`},
		{"negative limit", &Query{Limit: n64(-1)}, `limit -1`},
		{"negative offset", &Query{Offset: n64(-1)}, `offset -1`},
		{"bad sort field", &Query{OrderBy: []OrderKey{asc("a b")}}, `order by "a b" asc`},
		{"sort injection", &Query{OrderBy: []OrderKey{asc("a asc limit 1")}}, `order by "a asc limit 1" asc`},
	}
	for _, tt := range tests {
		got := tt.q.String()
		if got != tt.want {
			t.Errorf("%s: String()\n got %q\nwant %q", tt.name, got, tt.want)
		}
		if q, err := Parse(got); err == nil {
			t.Errorf("%s: String() = %q parses as %s; want a syntax error", tt.name, got, sexpr(q))
		}
	}
}

// TestStringRoundTrip prints every valid query of the parser tests and
// parses the text again: the tree must come back as String documents
// (printed), and printing must be idempotent.
func TestStringRoundTrip(t *testing.T) {
	var queries []string
	for _, ex := range docExamples {
		queries = append(queries, ex.query)
	}
	for _, v := range validQueries {
		queries = append(queries, v.query)
	}
	queries = append(queries, clientQueries(t)...)
	for _, query := range queries {
		checkRoundTrip(t, query)
	}
}

// checkRoundTrip checks the printer's guarantee for one query that must
// parse.
func checkRoundTrip(t testing.TB, query string) {
	t.Helper()
	q := mustParse(t, query)
	text := q.String()
	again, err := Parse(text)
	if err != nil {
		t.Fatalf("Parse(%q) = %s\nString() = %q does not parse: %v", query, sexpr(q), text, err)
	}
	if want, got := printed(q), unpos(again); !reflect.DeepEqual(got, want) {
		t.Fatalf("round trip of %q through %q\n got %s\nwant %s", query, text, sexpr(got), sexpr(want))
	}
	if text2 := again.String(); text2 != text {
		t.Fatalf("String() is not idempotent for %q:\nfirst  %q\nsecond %q", query, text, text2)
	}
}
