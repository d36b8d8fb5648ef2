package translate

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/translate/catalog"
)

// expr is a node of the translator's expression tree: the statement's
// expressions with columns resolved and placeholders marked. at is the byte
// offset in the original statement where the node's text starts, or -1.
type expr interface {
	offset() int
}

// colRef reads a column of the current row.
type colRef struct {
	col *catalog.Column
	at  int
}

// constExpr is a value known before any row is read: a literal, a bound
// argument, or a folded subexpression. v is nil for NULL.
type constExpr struct {
	v   any
	k   catalog.Kind
	at  int
	arg *paramRef // the placeholder the value came from, for error messages
}

// paramExpr is a placeholder not bound yet.
type paramExpr struct {
	ref paramRef
	at  int
}

// kfuncExpr is a Kintone query function (TODAY(), LOGINUSER(), ...). It can
// only be compared with a field, and only Kintone evaluates it.
type kfuncExpr struct {
	v  kql.Value
	at int
}

// unaryExpr is -x or NOT x.
type unaryExpr struct {
	op string // "-" or "not"
	x  expr
	at int
}

// binaryExpr is arithmetic: + - * / div %.
type binaryExpr struct {
	op   string
	l, r expr
	at   int
}

// cmpExpr is a comparison: = != < <= > >= <=>.
type cmpExpr struct {
	op   string
	l, r expr
	at   int
}

// logicExpr is AND or OR over two or more terms.
type logicExpr struct {
	and   bool
	terms []expr
	at    int
}

// inExpr is x [NOT] IN (list).
type inExpr struct {
	x    expr
	list []expr
	not  bool
	at   int
}

// betweenExpr is x [NOT] BETWEEN lo AND hi.
type betweenExpr struct {
	x, lo, hi expr
	not       bool
	at        int
}

// likeExpr is x [NOT] LIKE pat [ESCAPE esc].
type likeExpr struct {
	x, pat expr
	esc    expr // nil: backslash
	not    bool
	at     int
}

// isNullExpr is x IS [NOT] NULL.
type isNullExpr struct {
	x   expr
	not bool
	at  int
}

// isBoolExpr is x IS [NOT] TRUE / FALSE.
type isBoolExpr struct {
	x   expr
	val bool
	not bool
	at  int
}

// caseExpr is CASE [operand] WHEN ... THEN ... [ELSE ...] END.
type caseExpr struct {
	operand expr
	whens   []whenClause
	els     expr
	at      int
}

// whenClause is one WHEN cond THEN val.
type whenClause struct{ cond, val expr }

// callExpr is a call of a scalar function evaluated in Go.
type callExpr struct {
	fn   *scalarFunc
	args []expr
	at   int
}

// aggExpr is an aggregate call. arg is nil for COUNT(*); COUNT(DISTINCT a,
// b) has several args.
type aggExpr struct {
	fn       string // count, sum, avg, min, max
	args     []expr
	distinct bool
	at       int
}

// slotExpr reads a value computed by the grouping step: a group key or an
// aggregate result.
type slotExpr struct {
	slot int
	k    catalog.Kind
	at   int
}

func (e *colRef) offset() int      { return e.at }
func (e *constExpr) offset() int   { return e.at }
func (e *paramExpr) offset() int   { return e.at }
func (e *kfuncExpr) offset() int   { return e.at }
func (e *unaryExpr) offset() int   { return e.at }
func (e *binaryExpr) offset() int  { return e.at }
func (e *cmpExpr) offset() int     { return e.at }
func (e *logicExpr) offset() int   { return e.at }
func (e *inExpr) offset() int      { return e.at }
func (e *betweenExpr) offset() int { return e.at }
func (e *likeExpr) offset() int    { return e.at }
func (e *isNullExpr) offset() int  { return e.at }
func (e *isBoolExpr) offset() int  { return e.at }
func (e *caseExpr) offset() int    { return e.at }
func (e *callExpr) offset() int    { return e.at }
func (e *aggExpr) offset() int     { return e.at }
func (e *slotExpr) offset() int    { return e.at }

// children returns the direct subexpressions of e.
func children(e expr) []expr {
	switch e := e.(type) {
	case *unaryExpr:
		return []expr{e.x}
	case *binaryExpr:
		return []expr{e.l, e.r}
	case *cmpExpr:
		return []expr{e.l, e.r}
	case *logicExpr:
		return e.terms
	case *inExpr:
		return append([]expr{e.x}, e.list...)
	case *betweenExpr:
		return []expr{e.x, e.lo, e.hi}
	case *likeExpr:
		if e.esc != nil {
			return []expr{e.x, e.pat, e.esc}
		}
		return []expr{e.x, e.pat}
	case *isNullExpr:
		return []expr{e.x}
	case *isBoolExpr:
		return []expr{e.x}
	case *caseExpr:
		var out []expr
		if e.operand != nil {
			out = append(out, e.operand)
		}
		for _, w := range e.whens {
			out = append(out, w.cond, w.val)
		}
		if e.els != nil {
			out = append(out, e.els)
		}
		return out
	case *callExpr:
		return e.args
	case *aggExpr:
		return e.args
	}
	return nil
}

// walk calls f on e and its subexpressions, parents first, until f
// returns false.
func walk(e expr, f func(expr) bool) bool {
	if e == nil {
		return true
	}
	if !f(e) {
		return false
	}
	for _, c := range children(e) {
		if !walk(c, f) {
			return false
		}
	}
	return true
}

// rewrite returns e with every subexpression replaced by f's result,
// children first. f returns its argument to keep a node. Nodes are
// copied, never changed in place, so that a prepared statement's tree
// can be bound many times.
func rewrite(e expr, f func(expr) (expr, error)) (expr, error) {
	if e == nil {
		return nil, nil
	}
	e, err := mapChildren(e, func(c expr) (expr, error) { return rewrite(c, f) })
	if err != nil {
		return nil, err
	}
	return f(e)
}

// mapChildren returns a copy of e whose direct children are replaced by
// f's results. Leaves are returned as they are.
func mapChildren(e expr, f func(expr) (expr, error)) (expr, error) {
	var err error
	sub := func(x expr) expr {
		if err != nil || x == nil {
			return x
		}
		var y expr
		y, err = f(x)
		return y
	}
	subs := func(xs []expr) []expr {
		out := make([]expr, len(xs))
		for i, x := range xs {
			out[i] = sub(x)
		}
		return out
	}
	switch n := e.(type) {
	case *unaryExpr:
		c := *n
		c.x = sub(n.x)
		e = &c
	case *binaryExpr:
		c := *n
		c.l, c.r = sub(n.l), sub(n.r)
		e = &c
	case *cmpExpr:
		c := *n
		c.l, c.r = sub(n.l), sub(n.r)
		e = &c
	case *logicExpr:
		c := *n
		c.terms = subs(n.terms)
		e = &c
	case *inExpr:
		c := *n
		c.x = sub(n.x)
		c.list = subs(n.list)
		e = &c
	case *betweenExpr:
		c := *n
		c.x, c.lo, c.hi = sub(n.x), sub(n.lo), sub(n.hi)
		e = &c
	case *likeExpr:
		c := *n
		c.x, c.pat, c.esc = sub(n.x), sub(n.pat), sub(n.esc)
		e = &c
	case *isNullExpr:
		c := *n
		c.x = sub(n.x)
		e = &c
	case *isBoolExpr:
		c := *n
		c.x = sub(n.x)
		e = &c
	case *caseExpr:
		c := *n
		c.operand = sub(n.operand)
		c.whens = make([]whenClause, len(n.whens))
		for i, w := range n.whens {
			c.whens[i] = whenClause{sub(w.cond), sub(w.val)}
		}
		c.els = sub(n.els)
		e = &c
	case *callExpr:
		c := *n
		c.args = subs(n.args)
		e = &c
	case *aggExpr:
		c := *n
		c.args = subs(n.args)
		e = &c
	}
	if err != nil {
		return nil, err
	}
	return e, nil
}

// exprKey prints e canonically: two expressions with the same key compute
// the same value. GROUP BY matching and DISTINCT aggregates use it.
func exprKey(e expr) string {
	var b strings.Builder
	writeKey(&b, e)
	return b.String()
}

func writeKey(b *strings.Builder, e expr) {
	switch n := e.(type) {
	case nil:
		b.WriteString("nil")
		return
	case *colRef:
		b.WriteString("col:" + strconv.Quote(n.col.Code))
		return
	case *constExpr:
		fmt.Fprintf(b, "const:%d:%s", n.k, strconv.Quote(valueKey(n.v)))
		return
	case *paramExpr:
		fmt.Fprintf(b, "param:%d:%s", n.ref.ordinal, n.ref.name)
		return
	case *kfuncExpr:
		b.WriteString("kfunc:" + n.v.Text + "(" + strings.Join(n.v.Args, ",") + ")")
		return
	case *slotExpr:
		fmt.Fprintf(b, "slot:%d", n.slot)
		return
	case *unaryExpr:
		b.WriteString(n.op)
	case *binaryExpr:
		b.WriteString(n.op)
	case *cmpExpr:
		b.WriteString(n.op)
	case *logicExpr:
		b.WriteString(map[bool]string{true: "and", false: "or"}[n.and])
	case *inExpr:
		b.WriteString(map[bool]string{true: "notin", false: "in"}[n.not])
	case *betweenExpr:
		b.WriteString(map[bool]string{true: "notbetween", false: "between"}[n.not])
	case *likeExpr:
		b.WriteString(map[bool]string{true: "notlike", false: "like"}[n.not])
	case *isNullExpr:
		b.WriteString(map[bool]string{true: "isnotnull", false: "isnull"}[n.not])
	case *isBoolExpr:
		fmt.Fprintf(b, "isbool:%v:%v", n.val, n.not)
	case *caseExpr:
		b.WriteString("case")
		if n.operand == nil {
			b.WriteString(":searched")
		}
		if n.els == nil {
			b.WriteString(":noelse")
		}
	case *callExpr:
		b.WriteString("call:" + n.fn.name)
	case *aggExpr:
		fmt.Fprintf(b, "agg:%s:%v", n.fn, n.distinct)
	}
	b.WriteByte('(')
	for i, c := range children(e) {
		if i > 0 {
			b.WriteByte(',')
		}
		writeKey(b, c)
	}
	b.WriteByte(')')
}

// hasAggregate reports whether e contains an aggregate call.
func hasAggregate(e expr) bool {
	found := false
	walk(e, func(x expr) bool {
		if _, ok := x.(*aggExpr); ok {
			found = true
		}
		return !found
	})
	return found
}

// findKFunc returns the first Kintone function in e, or nil.
func findKFunc(e expr) *kfuncExpr {
	var f *kfuncExpr
	walk(e, func(x expr) bool {
		if k, ok := x.(*kfuncExpr); ok {
			f = k
		}
		return f == nil
	})
	return f
}

// kindOf infers the kind of e's values.
func kindOf(e expr) catalog.Kind {
	switch n := e.(type) {
	case *colRef:
		return n.col.Kind
	case *constExpr:
		return n.k
	case *slotExpr:
		return n.k
	case *unaryExpr:
		if n.op == "not" {
			return catalog.KBool
		}
		return numericKind(kindOf(n.x), catalog.KInt)
	case *binaryExpr:
		if n.op == "div" {
			return catalog.KInt
		}
		l, r := kindOf(n.l), kindOf(n.r)
		if n.op == "/" {
			return catalog.KNumber
		}
		return numericKind(l, r)
	case *cmpExpr, *logicExpr, *inExpr, *betweenExpr, *likeExpr, *isNullExpr, *isBoolExpr:
		return catalog.KBool
	case *caseExpr:
		k := catalog.KAny
		for _, w := range n.whens {
			k = unify(k, kindOf(w.val))
		}
		if n.els != nil {
			k = unify(k, kindOf(n.els))
		}
		return k
	case *callExpr:
		return n.fn.result(n.args)
	case *aggExpr:
		switch n.fn {
		case "count":
			return catalog.KInt
		case "sum", "avg":
			return catalog.KNumber
		}
		return kindOf(n.args[0])
	}
	return catalog.KAny
}

// numericKind is the kind of arithmetic on l and r: integers stay
// integers, anything else is a decimal.
func numericKind(l, r catalog.Kind) catalog.Kind {
	if (l == catalog.KInt || l == catalog.KBool) && (r == catalog.KInt || r == catalog.KBool) {
		return catalog.KInt
	}
	return catalog.KNumber
}

// unify is the kind of a value that is either a or b.
func unify(a, b catalog.Kind) catalog.Kind {
	switch {
	case a == catalog.KAny:
		return b
	case b == catalog.KAny || a == b:
		return a
	case a.Numeric() && b.Numeric():
		return catalog.KNumber
	}
	return catalog.KText
}
