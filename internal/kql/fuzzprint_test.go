package kql

import (
	"reflect"
	"testing"

	"github.com/kintone-sql/kintone/internal/field"
)

// FuzzPrint builds trees from the fuzzer's bytes, well-formed or not, as a
// careless translator might, and checks String's guarantee: a well-formed
// tree prints to text that parses back to the same tree (up to what String
// documents, see reprinted), and any other tree prints to text that Parse
// rejects. No field code, operator, value or argument may smuggle query
// text into the result.
func FuzzPrint(f *testing.F) {
	for _, seed := range [][]byte{
		{}, {0}, {5, 2, 0, 0, 0, 0, 0}, {6, 3, 5, 2, 7, 0}, {255, 1, 2, 3},
		[]byte("a structured seed with several bytes of entropy 0123456789"),
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g := &treeGen{data: data}
		q := g.query()
		text := q.String()
		back, err := Parse(text)
		if !wellFormed(q) {
			if err == nil {
				t.Fatalf("ill-formed tree %s printed as %q, which parses as %s", sexpr(q), text, sexpr(back))
			}
			return
		}
		if err != nil {
			t.Fatalf("well-formed tree %s printed as %q: %v", sexpr(q), text, err)
		}
		if want, got := reprinted(q), unpos(back); !reflect.DeepEqual(got, want) {
			t.Fatalf("tree %s printed as %q parses as\n got %s\nwant %s", sexpr(q), text, sexpr(got), sexpr(want))
		}
		if again := back.String(); again != text {
			t.Fatalf("%q prints back as %q", text, again)
		}
	})
}

// treeGen turns bytes into a tree. Once the bytes run out every choice is
// 0, so every input gives a finite tree.
type treeGen struct {
	data  []byte
	depth int
}

func (g *treeGen) next() int {
	if len(g.data) == 0 {
		return 0
	}
	b := g.data[0]
	g.data = g.data[1:]
	return int(b)
}

func pick[T any](g *treeGen, xs ...T) T { return xs[g.next()%len(xs)] }

func (g *treeGen) query() *Query {
	q := &Query{}
	if g.next()%4 != 0 {
		q.Where = g.expr()
	}
	for n := g.next() % 3; n > 0; n-- {
		q.OrderBy = append(q.OrderBy, OrderKey{Field: g.field(), Desc: g.next()%2 == 1, Explicit: g.next()%2 == 1})
	}
	counts := []*int64{nil, nil, n64(0), n64(5), n64(500), n64(-1)}
	q.Limit = pick(g, counts...)
	q.Offset = pick(g, counts...)
	return q
}

func (g *treeGen) expr() Expr {
	g.depth++
	defer func() { g.depth-- }()
	choice := g.next()
	if g.depth > 4 {
		choice %= 5
	}
	switch choice % 9 {
	case 5, 6:
		terms := make([]Expr, g.next()%4)
		for i := range terms {
			terms[i] = g.expr()
		}
		if choice%9 == 5 {
			return &And{Terms: terms}
		}
		return &Or{Terms: terms}
	case 7:
		return &Paren{X: g.expr()}
	case 8:
		if choice == 255 {
			return nil
		}
	}
	c := &Cond{Field: g.field(), Op: g.op()}
	for n := g.valueCount(c.Op); n > 0; n-- {
		c.Values = append(c.Values, g.value())
	}
	return c
}

func (g *treeGen) field() string {
	return pick(g, "a", "数値_0", "＄金額", "$id", "$revision", "ref.x", "ref.$id",
		"order", "Desc", "a b", "", `x" or y = "1`, "1a", "ref.", "a.b.c", "$foo", "x)", g.text())
}

func (g *treeGen) op() field.Op {
	return pick(g, field.Eq, field.Ne, field.Lt, field.Le, field.Gt, field.Ge,
		field.In, field.NotIn, field.Like, field.NotLike, field.IsEmpty, field.IsNotEmpty,
		field.Eq, field.In, field.Like, field.IsEmpty, // weight the usual shapes
		"==", "", "NOT IN", "= 1 or a =")
}

// valueCount is usually the right number of values for op, sometimes not.
func (g *treeGen) valueCount(op field.Op) int {
	if c := g.next(); c%8 == 7 {
		return c % 3
	}
	switch op {
	case field.IsEmpty, field.IsNotEmpty:
		return 0
	case field.In, field.NotIn:
		return 1 + g.next()%3
	}
	return 1
}

func (g *treeGen) value() Value {
	switch g.next() % 7 {
	case 0, 1, 2:
		return Value{Kind: String, Text: g.text()}
	case 3, 4:
		return Value{Kind: Number, Text: pick(g, "1", "10", "-5", "1.5", "-0.25", "007", "1e5", "", ".5", "1 or a = 1")}
	case 5:
		v := Value{Kind: Func, Text: pick(g, "TODAY", "today", "FROM_TODAY", "THIS_MONTH", "LOGINUSER", "FOO", "", "TODAY()")}
		for n := g.next() % 3; n > 0; n-- {
			v.Args = append(v.Args, pick(g, "-30", "DAYS", "LAST", "15", "1.5", "", "in", "a b", "x)", `"q"`))
		}
		return v
	}
	return Value{Kind: ValueKind(3 + g.next()%2), Text: g.text()}
}

// text is a short string from the fuzzer's bytes, weighted towards the
// characters a literal has to escape.
func (g *treeGen) text() string {
	n := g.next() % 6
	b := make([]byte, 0, n)
	for i := 0; i < n; i++ {
		c := g.next()
		switch c % 4 {
		case 0:
			b = append(b, "\"\\\t\n\r"[c/4%5])
		default:
			b = append(b, byte(c))
		}
	}
	return string(b)
}

// wellFormed is the precondition of String's round-trip guarantee, as its
// doc comment states it.
func wellFormed(q *Query) bool {
	if q.Where != nil && !wellFormedExpr(q.Where) {
		return false
	}
	for _, k := range q.OrderBy {
		if !ValidFieldRef(k.Field) {
			return false
		}
	}
	return (q.Limit == nil || *q.Limit >= 0) && (q.Offset == nil || *q.Offset >= 0)
}

func wellFormedExpr(e Expr) bool {
	switch e := e.(type) {
	case *Cond:
		return e != nil && wellFormedCond(e)
	case *And:
		return e != nil && wellFormedTerms(e.Terms)
	case *Or:
		return e != nil && wellFormedTerms(e.Terms)
	case *Paren:
		return e != nil && e.X != nil && wellFormedExpr(e.X)
	}
	return false
}

func wellFormedTerms(ts []Expr) bool {
	for _, t := range ts {
		if !wellFormedExpr(t) {
			return false
		}
	}
	return len(ts) > 0
}

func wellFormedCond(c *Cond) bool {
	if !ValidFieldRef(c.Field) {
		return false
	}
	for _, v := range c.Values {
		if !wellFormedValue(v) {
			return false
		}
	}
	n := len(c.Values)
	switch c.Op {
	case field.Eq, field.Ne, field.Lt, field.Le, field.Gt, field.Ge:
		return n == 1
	case field.Like, field.NotLike:
		// A Number that String quotes is a string by then.
		v := c.Values
		return n == 1 && (v[0].Kind == String || v[0].Kind == Number && !isPlainNumber(v[0].Text))
	case field.In, field.NotIn:
		return n >= 1
	case field.IsEmpty, field.IsNotEmpty:
		return n == 0
	}
	return false
}

func wellFormedValue(v Value) bool {
	switch v.Kind {
	case String, Number:
		return true
	case Func:
		if functionName(v.Text) == "" {
			return false
		}
		for _, a := range v.Args {
			if !isNumber(a) && !isName(a) {
				return false
			}
		}
		return true
	}
	return false
}

// reprinted is the tree Parse must return for String(q) when q is well
// formed: positions zero, every sort key Explicit, Number values that are
// not unsigned decimals turned into strings, function names in upper case,
// a one-term group replaced by its term, and a Paren around every group
// that is a term of another group.
func reprinted(q *Query) *Query {
	out := &Query{Limit: q.Limit, Offset: q.Offset}
	if q.Where != nil {
		out.Where = reprintExpr(q.Where, false)
	}
	for _, k := range q.OrderBy {
		out.OrderBy = append(out.OrderBy, OrderKey{Field: k.Field, Desc: k.Desc, Explicit: true})
	}
	return out
}

func reprintExpr(e Expr, nested bool) Expr {
	switch e := e.(type) {
	case *Cond:
		c := &Cond{Field: e.Field, Op: e.Op}
		for _, v := range e.Values {
			c.Values = append(c.Values, reprintValue(v))
		}
		return c
	case *Paren:
		return &Paren{X: reprintExpr(e.X, false)}
	case *And:
		return reprintGroup(e.Terms, nested, func(ts []Expr) Expr { return &And{Terms: ts} })
	case *Or:
		return reprintGroup(e.Terms, nested, func(ts []Expr) Expr { return &Or{Terms: ts} })
	}
	panic("reprintExpr: not well formed")
}

func reprintGroup(terms []Expr, nested bool, mk func([]Expr) Expr) Expr {
	if len(terms) == 1 {
		return reprintExpr(terms[0], nested)
	}
	ts := make([]Expr, len(terms))
	for i, t := range terms {
		ts[i] = reprintExpr(t, true)
	}
	if nested {
		return &Paren{X: mk(ts)}
	}
	return mk(ts)
}

func reprintValue(v Value) Value {
	switch v.Kind {
	case Number:
		if !isPlainNumber(v.Text) {
			return Value{Kind: String, Text: v.Text}
		}
		return Value{Kind: Number, Text: v.Text}
	case Func:
		out := Value{Kind: Func, Text: functionName(v.Text)}
		if len(v.Args) > 0 {
			out.Args = append([]string(nil), v.Args...)
		}
		return out
	}
	return Value{Kind: v.Kind, Text: v.Text}
}
