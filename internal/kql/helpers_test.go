package kql

import (
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/internal/field"
)

// This file holds the helpers the tests share: tree builders, a compact
// S-expression dump for readable tables and failure messages, and the
// normalisation under which String is documented to round-trip.

func str(s string) Value { return Value{Kind: String, Text: s} }
func num(s string) Value { return Value{Kind: Number, Text: s} }
func fn(name string, args ...string) Value {
	return Value{Kind: Func, Text: name, Args: args}
}

func cond(f string, op field.Op, vs ...Value) *Cond {
	return &Cond{Field: f, Op: op, Values: vs}
}

func and(xs ...Expr) *And   { return &And{Terms: xs} }
func or(xs ...Expr) *Or     { return &Or{Terms: xs} }
func paren(x Expr) *Paren   { return &Paren{X: x} }
func n64(n int64) *int64    { return &n }
func asc(f string) OrderKey { return OrderKey{Field: f, Explicit: true} }
func desc(f string) OrderKey {
	return OrderKey{Field: f, Desc: true, Explicit: true}
}

// sexpr renders a query compactly and unambiguously: conditions as
// (field op value) with in lists in brackets, strings Go-quoted, numbers
// with a leading #, and/or groups as (and ...) and (or ...), parentheses as
// {...}, then the clauses. An implicit sort direction is marked with *.
func sexpr(q *Query) string {
	if q == nil {
		return "<nil>"
	}
	var parts []string
	if q.Where != nil {
		parts = append(parts, exprS(q.Where))
	}
	if q.OrderBy != nil {
		keys := make([]string, len(q.OrderBy))
		for i, k := range q.OrderBy {
			dir := "asc"
			if k.Desc {
				dir = "desc"
			}
			if !k.Explicit {
				dir += "*"
			}
			keys[i] = k.Field + " " + dir
		}
		parts = append(parts, "order["+strings.Join(keys, ", ")+"]")
	}
	if q.Limit != nil {
		parts = append(parts, "limit="+strconv.FormatInt(*q.Limit, 10))
	}
	if q.Offset != nil {
		parts = append(parts, "offset="+strconv.FormatInt(*q.Offset, 10))
	}
	return strings.Join(parts, " ")
}

func exprS(e Expr) string {
	switch e := e.(type) {
	case *Cond:
		s := "(" + e.Field + " " + string(e.Op)
		switch e.Op {
		case field.In, field.NotIn:
			vs := make([]string, len(e.Values))
			for i, v := range e.Values {
				vs[i] = valueS(v)
			}
			s += " [" + strings.Join(vs, ", ") + "]"
		default:
			for _, v := range e.Values {
				s += " " + valueS(v)
			}
		}
		return s + ")"
	case *And:
		return groupS("and", e.Terms)
	case *Or:
		return groupS("or", e.Terms)
	case *Paren:
		return "{" + exprS(e.X) + "}"
	}
	return fmt.Sprintf("<%T>", e)
}

func groupS(op string, terms []Expr) string {
	s := "(" + op
	for _, t := range terms {
		s += " " + exprS(t)
	}
	return s + ")"
}

func valueS(v Value) string {
	switch v.Kind {
	case String:
		return strconv.Quote(v.Text)
	case Number:
		return "#" + v.Text
	case Func:
		return v.Text + "(" + strings.Join(v.Args, ",") + ")"
	}
	return fmt.Sprintf("<kind %d %q>", v.Kind, v.Text)
}

// unpos returns a deep copy of q with every position set to zero.
func unpos(q *Query) *Query {
	if q == nil {
		return nil
	}
	c := *q
	c.Where = unposExpr(q.Where)
	if q.OrderBy != nil {
		c.OrderBy = make([]OrderKey, len(q.OrderBy))
		for i, k := range q.OrderBy {
			k.At = 0
			c.OrderBy[i] = k
		}
	}
	return &c
}

func unposExpr(e Expr) Expr {
	switch e := e.(type) {
	case *Cond:
		c := *e
		c.At = 0
		if e.Values != nil {
			c.Values = make([]Value, len(e.Values))
			for i, v := range e.Values {
				v.At = 0
				c.Values[i] = v
			}
		}
		return &c
	case *And:
		return &And{Terms: unposTerms(e.Terms)}
	case *Or:
		return &Or{Terms: unposTerms(e.Terms)}
	case *Paren:
		return &Paren{X: unposExpr(e.X)}
	}
	return e
}

func unposTerms(ts []Expr) []Expr {
	if ts == nil {
		return nil
	}
	out := make([]Expr, len(ts))
	for i, t := range ts {
		out[i] = unposExpr(t)
	}
	return out
}

// printed returns what String documents a parsed tree to come back as
// after printing and parsing again: positions dropped, every sort key
// Explicit (String always writes the direction), Number values that are not
// an unsigned decimal (negative ones) turned into String values (String
// quotes them), and a Paren around every and/or group that is a term of
// another group (String never leaves and/or precedence to Kintone, so
// "a or b and c" prints as "a or (b and c)").
func printed(q *Query) *Query {
	c := unpos(q)
	for i := range c.OrderBy {
		c.OrderBy[i].Explicit = true
	}
	c.Where = parenthesise(quoteNumbers(c.Where), false)
	return c
}

// parenthesise wraps every group nested in another group in a Paren, as
// String prints it. nested tells that e is a term of a group.
func parenthesise(e Expr, nested bool) Expr {
	wrap := func(g Expr) Expr {
		if nested {
			return &Paren{X: g}
		}
		return g
	}
	switch e := e.(type) {
	case *And:
		for i, t := range e.Terms {
			e.Terms[i] = parenthesise(t, true)
		}
		return wrap(e)
	case *Or:
		for i, t := range e.Terms {
			e.Terms[i] = parenthesise(t, true)
		}
		return wrap(e)
	case *Paren:
		e.X = parenthesise(e.X, false)
	}
	return e
}

func quoteNumbers(e Expr) Expr {
	switch e := e.(type) {
	case *Cond:
		for i, v := range e.Values {
			if v.Kind == Number && !isPlainNumber(v.Text) {
				e.Values[i].Kind = String
			}
		}
	case *And:
		for _, t := range e.Terms {
			quoteNumbers(t)
		}
	case *Or:
		for _, t := range e.Terms {
			quoteNumbers(t)
		}
	case *Paren:
		quoteNumbers(e.X)
	}
	return e
}

// mustParse parses query or fails the test.
func mustParse(t testing.TB, query string) *Query {
	t.Helper()
	q, err := Parse(query)
	if err != nil {
		t.Fatalf("Parse(%q): %v", query, err)
	}
	return q
}
