package expr

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/translate/catalog"
)

// Expr is a node of the translator's expression tree: the statement's
// expressions with columns resolved and placeholders marked. at is the byte
// Offset in the original statement where the node's text starts, or -1.
type Expr interface {
	Offset() int
}

// ColRef reads a column of the current row: the value at Index, which
// the planner sets once it knows the columns of the rows the expression
// reads (ResolveColumns).
type ColRef struct {
	Col   *catalog.Column
	At    int
	Index int
	// Table is the table's name or alias when the statement reads
	// several, for printing (EXPLAIN); "" otherwise.
	Table string
	// Resolved is set with Index: evaluating a reference the planner did
	// not resolve is an error, never a read of the row's first column.
	Resolved bool
}

// Const is a value known before any row is read: a literal, a bound
// argument, or a folded subexpression. v is nil for NULL.
type Const struct {
	Value any
	Kind  catalog.Kind
	At    int
	Arg   *ParamRef // the placeholder the value came from, for error messages
}

// Param is a placeholder not bound yet.
type Param struct {
	Ref ParamRef
	At  int
}

// KFunc is a Kintone query function (TODAY(), LOGINUSER(), ...). It can
// only be compared with a field, and only Kintone evaluates it.
type KFunc struct {
	Value kql.Value
	At    int
}

// Unary is -x or NOT x.
type Unary struct {
	Op string // "-" or "not"
	X  Expr
	At int
}

// Binary is arithmetic: + - * / div %.
type Binary struct {
	Op   string
	L, R Expr
	At   int
}

// Cmp is a comparison: = != < <= > >= <=>.
type Cmp struct {
	Op   string
	L, R Expr
	At   int
}

// Logic is AND or OR over two or more terms.
type Logic struct {
	And   bool
	Terms []Expr
	At    int
}

// In is x [NOT] IN (list).
type In struct {
	X    Expr
	List []Expr
	Not  bool
	At   int
	// NoPush keeps the list out of Kintone's query: a subquery's values,
	// too many for one query (Substitute).
	NoPush bool
	// set holds the list's values by HashValue when they are all
	// constants of one class (Substitute); nil otherwise.
	set *valueSet
}

// Between is x [NOT] BETWEEN lo AND hi.
type Between struct {
	X, Lo, Hi Expr
	Not       bool
	At        int
}

// Like is x [NOT] LIKE pat [ESCAPE esc].
type Like struct {
	X, Pat Expr
	Esc    Expr // nil: backslash
	Not    bool
	At     int
}

// IsNull is x IS [NOT] NULL.
type IsNull struct {
	X   Expr
	Not bool
	At  int
}

// IsBool is x IS [NOT] TRUE / FALSE.
type IsBool struct {
	X   Expr
	Val bool
	Not bool
	At  int
}

// Case is CASE [operand] WHEN ... THEN ... [ELSE ...] END.
type Case struct {
	Operand Expr
	Whens   []When
	Else    Expr
	At      int
}

// When is one WHEN cond THEN val.
type When struct{ Cond, Then Expr }

// Call is a call of a scalar function evaluated in Go.
type Call struct {
	Fn   *ScalarFunc
	Args []Expr
	At   int
}

// Agg is an aggregate call. arg is nil for COUNT(*); COUNT(DISTINCT a,
// b) and GROUP_CONCAT(a, b) have several args.
type Agg struct {
	Fn       string // count, sum, avg, min, max, group_concat, std, variance, ...
	Args     []Expr
	Distinct bool
	At       int
	// Order and Sep are GROUP_CONCAT's ORDER BY and SEPARATOR.
	Order []AggOrder
	Sep   string
}

// AggOrder is one key of GROUP_CONCAT's ORDER BY.
type AggOrder struct {
	Expr Expr
	Desc bool
}

// Inputs are the expressions evaluated on each row for the aggregate:
// its arguments, then its ORDER BY keys.
func (e *Agg) Inputs() []Expr {
	if len(e.Order) == 0 {
		return e.Args
	}
	out := append([]Expr(nil), e.Args...)
	for _, o := range e.Order {
		out = append(out, o.Expr)
	}
	return out
}

// Slot reads a value computed by the grouping step: a group key or an
// aggregate result.
type Slot struct {
	Slot int
	Kind catalog.Kind
	At   int
	// Of is the group key or aggregate the slot holds, for printing only:
	// it is not a child (the grouping step computed it).
	Of Expr
}

// Offset is where the ColRef starts in the SQL text (-1: nowhere).
func (e *ColRef) Offset() int { return e.At }

// Offset is where the Const starts in the SQL text (-1: nowhere).
func (e *Const) Offset() int { return e.At }

// Offset is where the Param starts in the SQL text (-1: nowhere).
func (e *Param) Offset() int { return e.At }

// Offset is where the KFunc starts in the SQL text (-1: nowhere).
func (e *KFunc) Offset() int { return e.At }

// Offset is where the Unary starts in the SQL text (-1: nowhere).
func (e *Unary) Offset() int { return e.At }

// Offset is where the Binary starts in the SQL text (-1: nowhere).
func (e *Binary) Offset() int { return e.At }

// Offset is where the Cmp starts in the SQL text (-1: nowhere).
func (e *Cmp) Offset() int { return e.At }

// Offset is where the Logic starts in the SQL text (-1: nowhere).
func (e *Logic) Offset() int { return e.At }

// Offset is where the In starts in the SQL text (-1: nowhere).
func (e *In) Offset() int { return e.At }

// Offset is where the Between starts in the SQL text (-1: nowhere).
func (e *Between) Offset() int { return e.At }

// Offset is where the Like starts in the SQL text (-1: nowhere).
func (e *Like) Offset() int { return e.At }

// Offset is where the IsNull starts in the SQL text (-1: nowhere).
func (e *IsNull) Offset() int { return e.At }

// Offset is where the IsBool starts in the SQL text (-1: nowhere).
func (e *IsBool) Offset() int { return e.At }

// Offset is where the Case starts in the SQL text (-1: nowhere).
func (e *Case) Offset() int { return e.At }

// Offset is where the Call starts in the SQL text (-1: nowhere).
func (e *Call) Offset() int { return e.At }

// Offset is where the Agg starts in the SQL text (-1: nowhere).
func (e *Agg) Offset() int { return e.At }

// Offset is where the Slot starts in the SQL text (-1: nowhere).
func (e *Slot) Offset() int { return e.At }

// Children returns the direct subexpressions of e.
func Children(e Expr) []Expr {
	switch e := e.(type) {
	case *Unary:
		return []Expr{e.X}
	case *Binary:
		return []Expr{e.L, e.R}
	case *Cmp:
		return []Expr{e.L, e.R}
	case *Logic:
		return e.Terms
	case *In:
		return append([]Expr{e.X}, e.List...)
	case *Between:
		return []Expr{e.X, e.Lo, e.Hi}
	case *Like:
		if e.Esc != nil {
			return []Expr{e.X, e.Pat, e.Esc}
		}
		return []Expr{e.X, e.Pat}
	case *IsNull:
		return []Expr{e.X}
	case *IsBool:
		return []Expr{e.X}
	case *Case:
		var out []Expr
		if e.Operand != nil {
			out = append(out, e.Operand)
		}
		for _, w := range e.Whens {
			out = append(out, w.Cond, w.Then)
		}
		if e.Else != nil {
			out = append(out, e.Else)
		}
		return out
	case *Call:
		return e.Args
	case *Agg:
		return e.Inputs()
	case *Subquery:
		out := append([]Expr(nil), e.Outer...)
		if e.X != nil {
			out = append(out, e.X)
		}
		return out
	case *WindowFunc:
		return e.windowChildren()
	}
	return nil
}

// Walk calls f on e and its subexpressions, parents first, until f
// returns false.
func Walk(e Expr, f func(Expr) bool) bool {
	if e == nil {
		return true
	}
	if !f(e) {
		return false
	}
	for _, c := range Children(e) {
		if !Walk(c, f) {
			return false
		}
	}
	return true
}

// Rewrite returns e with every subexpression replaced by f's result,
// Children first. f returns its argument to keep a node. Nodes are
// copied, never changed in place, so that a prepared statement's tree
// can be bound many times.
func Rewrite(e Expr, f func(Expr) (Expr, error)) (Expr, error) {
	if e == nil {
		return nil, nil
	}
	e, err := MapChildren(e, func(c Expr) (Expr, error) { return Rewrite(c, f) })
	if err != nil {
		return nil, err
	}
	return f(e)
}

// MapChildren returns a copy of e whose direct children are replaced by
// f's results. Leaves are returned as they are.
func MapChildren(e Expr, f func(Expr) (Expr, error)) (Expr, error) {
	var err error
	sub := func(x Expr) Expr {
		if err != nil || x == nil {
			return x
		}
		var y Expr
		y, err = f(x)
		return y
	}
	subs := func(xs []Expr) []Expr {
		out := make([]Expr, len(xs))
		for i, x := range xs {
			out[i] = sub(x)
		}
		return out
	}
	switch n := e.(type) {
	case *Unary:
		c := *n
		c.X = sub(n.X)
		e = &c
	case *Binary:
		c := *n
		c.L, c.R = sub(n.L), sub(n.R)
		e = &c
	case *Cmp:
		c := *n
		c.L, c.R = sub(n.L), sub(n.R)
		e = &c
	case *Logic:
		c := *n
		c.Terms = subs(n.Terms)
		e = &c
	case *In:
		c := *n
		c.X = sub(n.X)
		c.List = subs(n.List)
		e = &c
	case *Subquery:
		c := *n
		if n.Outer != nil {
			c.Outer = subs(n.Outer)
		}
		c.X = sub(n.X)
		e = &c
	case *WindowFunc:
		e = n.withWindowChildren(subs(n.windowChildren()))
	case *Between:
		c := *n
		c.X, c.Lo, c.Hi = sub(n.X), sub(n.Lo), sub(n.Hi)
		e = &c
	case *Like:
		c := *n
		c.X, c.Pat, c.Esc = sub(n.X), sub(n.Pat), sub(n.Esc)
		e = &c
	case *IsNull:
		c := *n
		c.X = sub(n.X)
		e = &c
	case *IsBool:
		c := *n
		c.X = sub(n.X)
		e = &c
	case *Case:
		c := *n
		c.Operand = sub(n.Operand)
		c.Whens = make([]When, len(n.Whens))
		for i, w := range n.Whens {
			c.Whens[i] = When{sub(w.Cond), sub(w.Then)}
		}
		c.Else = sub(n.Else)
		e = &c
	case *Call:
		c := *n
		c.Args = subs(n.Args)
		e = &c
	case *Agg:
		c := *n
		c.Args = subs(n.Args)
		if len(n.Order) > 0 {
			c.Order = make([]AggOrder, len(n.Order))
			for i, o := range n.Order {
				c.Order[i] = AggOrder{Expr: sub(o.Expr), Desc: o.Desc}
			}
		}
		e = &c
	}
	if err != nil {
		return nil, err
	}
	return e, nil
}

// Key prints e canonically: two expressions with the same key compute
// the same value. GROUP BY matching and DISTINCT aggregates use it.
func Key(e Expr) string {
	var b strings.Builder
	writeKey(&b, e)
	return b.String()
}

func writeKey(b *strings.Builder, e Expr) {
	switch n := e.(type) {
	case nil:
		b.WriteString("nil")
		return
	case *ColRef:
		// The column's identity, not only its code: the same field of
		// two tables of a join (a self-join) is two columns.
		fmt.Fprintf(b, "col:%s@%p", strconv.Quote(n.Col.Code), n.Col)
		return
	case *Const:
		fmt.Fprintf(b, "const:%d:%s", n.Kind, strconv.Quote(ValueKey(n.Value)))
		return
	case *Param:
		fmt.Fprintf(b, "param:%d:%s", n.Ref.Ordinal, n.Ref.Name)
		return
	case *KFunc:
		b.WriteString("kfunc:" + n.Value.Text + "(" + strings.Join(n.Value.Args, ",") + ")")
		return
	case *Slot:
		fmt.Fprintf(b, "slot:%d", n.Slot)
		return
	case *Subquery:
		fmt.Fprintf(b, "sub:%d:%d:%v:", n.Index, n.Mode, n.Not)
	case *WindowFunc:
		fmt.Fprintf(b, "win:%d:", n.Index)
	case *Unary:
		b.WriteString(n.Op)
	case *Binary:
		b.WriteString(n.Op)
	case *Cmp:
		b.WriteString(n.Op)
	case *Logic:
		b.WriteString(map[bool]string{true: "and", false: "or"}[n.And])
	case *In:
		b.WriteString(map[bool]string{true: "notin", false: "in"}[n.Not])
	case *Between:
		b.WriteString(map[bool]string{true: "notbetween", false: "between"}[n.Not])
	case *Like:
		b.WriteString(map[bool]string{true: "notlike", false: "like"}[n.Not])
	case *IsNull:
		b.WriteString(map[bool]string{true: "isnotnull", false: "isnull"}[n.Not])
	case *IsBool:
		fmt.Fprintf(b, "isbool:%v:%v", n.Val, n.Not)
	case *Case:
		b.WriteString("case")
		if n.Operand == nil {
			b.WriteString(":searched")
		}
		if n.Else == nil {
			b.WriteString(":noelse")
		}
	case *Call:
		b.WriteString("call:" + n.Fn.key())
	case *Agg:
		fmt.Fprintf(b, "agg:%s:%v", n.Fn, n.Distinct)
		if n.Fn == "group_concat" {
			fmt.Fprintf(b, ":%d:%s", len(n.Args), strconv.Quote(n.Sep))
			for _, o := range n.Order {
				fmt.Fprintf(b, ":%v", o.Desc)
			}
		}
	}
	b.WriteByte('(')
	for i, c := range Children(e) {
		if i > 0 {
			b.WriteByte(',')
		}
		writeKey(b, c)
	}
	b.WriteByte(')')
}

// HasAggregate reports whether e contains an aggregate call.
func HasAggregate(e Expr) bool {
	found := false
	Walk(e, func(x Expr) bool {
		if _, ok := x.(*Agg); ok {
			found = true
		}
		return !found
	})
	return found
}

// FindKFunc returns the first Kintone function in e, or nil.
func FindKFunc(e Expr) *KFunc {
	var f *KFunc
	Walk(e, func(x Expr) bool {
		if k, ok := x.(*KFunc); ok {
			f = k
		}
		return f == nil
	})
	return f
}

// KindOf infers the kind of e's values.
func KindOf(e Expr) catalog.Kind {
	switch n := e.(type) {
	case *ColRef:
		return n.Col.Kind
	case *Const:
		return n.Kind
	case *Slot:
		return n.Kind
	case *Subquery:
		if n.Mode == SubValue {
			return n.Kind
		}
		return catalog.KBool
	case *WindowFunc:
		return n.Kind
	case *Unary:
		if n.Op == "not" {
			return catalog.KBool
		}
		return numericKind(KindOf(n.X), catalog.KInt)
	case *Binary:
		if n.Op == "div" {
			return catalog.KInt
		}
		l, r := KindOf(n.L), KindOf(n.R)
		if n.Op == "/" {
			return catalog.KNumber
		}
		return numericKind(l, r)
	case *Cmp, *Logic, *In, *Between, *Like, *IsNull, *IsBool:
		return catalog.KBool
	case *Case:
		k := catalog.KAny
		for _, w := range n.Whens {
			k = unify(k, KindOf(w.Then))
		}
		if n.Else != nil {
			k = unify(k, KindOf(n.Else))
		}
		return k
	case *Call:
		return n.Fn.result(n.Args)
	case *Agg:
		switch n.Fn {
		case "count":
			return catalog.KInt
		case "min", "max":
			return KindOf(n.Args[0])
		case "group_concat":
			return catalog.KText
		}
		return catalog.KNumber // sum, avg, the deviations and variances
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
