package expr

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/kintone-sql/kintone/internal/field"
)

// Env is what an expression is evaluated against: the current row, its
// values by position (a ColRef's Index, a Slot's number: after grouping,
// the row is the group's key values and aggregate results).
type Env struct {
	Row []any
	Loc *time.Location
	// Sub computes a correlated subquery for the values of the outer
	// columns it reads (Subquery.Outer); nil outside a plan that has one.
	Sub func(s *Subquery, outer []any) (SubResult, error)
	// Now is the statement's clock reading, which NOW(), CURDATE() and
	// their kin give (one value per statement, as in MySQL). The binder
	// sets it when it folds them; zero anywhere else, where those
	// functions are never left to evaluate.
	Now time.Time
}

// EvalBool evaluates a condition: true only when it is TRUE (not FALSE,
// Not NULL), the way WHERE and HAVING keep rows.
func (en *Env) EvalBool(e Expr) (bool, error) {
	v, err := en.Eval(e)
	if err != nil {
		return false, err
	}
	t, known := Truth(v)
	return known && t, nil
}

// Eval evaluates e with SQL's three-valued logic: NULL is nil.
func (en *Env) Eval(e Expr) (any, error) {
	switch n := e.(type) {
	case *ColRef:
		if !n.Resolved || n.Index >= len(en.Row) {
			return nil, fmt.Errorf("kintone: internal error: column %q is not among the row's columns", n.Col.Code)
		}
		return en.Row[n.Index], nil
	case *Const:
		return n.Value, nil
	case *Slot:
		return en.Row[n.Slot], nil
	case *Subquery:
		return en.evalSubquery(n)
	case *WindowFunc:
		return en.evalWindow(n)
	case *Unary:
		x, err := en.Eval(n.X)
		if err != nil || x == nil {
			return nil, err
		}
		if n.Op == "not" {
			t, _ := Truth(x)
			return !t, nil
		}
		return Arith("-", int64(0), x)
	case *Binary:
		l, err := en.Eval(n.L)
		if err != nil || l == nil {
			return nil, err
		}
		r, err := en.Eval(n.R)
		if err != nil || r == nil {
			return nil, err
		}
		return Arith(n.Op, l, r)
	case *Cmp:
		return en.evalCmp(n)
	case *Logic:
		return en.evalLogic(n)
	case *In:
		return en.evalIn(n)
	case *Between:
		x, err := en.Eval(n.X)
		if err != nil {
			return nil, err
		}
		lo, err := en.Eval(n.Lo)
		if err != nil {
			return nil, err
		}
		hi, err := en.Eval(n.Hi)
		if err != nil {
			return nil, err
		}
		ge, err := en.cmp(">=", x, lo)
		if err != nil {
			return nil, err
		}
		le, err := en.cmp("<=", x, hi)
		if err != nil {
			return nil, err
		}
		v := and3(ge, le)
		if n.Not {
			return not3(v), nil
		}
		return v, nil
	case *Like:
		return en.evalLike(n)
	case *IsNull:
		x, err := en.Eval(n.X)
		if err != nil {
			return nil, err
		}
		return (x == nil) != n.Not, nil
	case *IsBool:
		x, err := en.Eval(n.X)
		if err != nil {
			return nil, err
		}
		t, known := Truth(x)
		return (known && t == n.Val) != n.Not, nil
	case *Case:
		return en.evalCase(n)
	case *Call:
		args := make([]any, len(n.Args))
		for i, a := range n.Args {
			v, err := en.Eval(a)
			if err != nil {
				return nil, err
			}
			args[i] = v
		}
		if n.Fn.evalExprs != nil {
			return n.Fn.evalExprs(en, n.Args, args)
		}
		return n.Fn.eval(en, args)
	case *KFunc:
		return nil, fmt.Errorf("kintone: %s can only be evaluated by Kintone", KFuncName(n))
	case *Param:
		return nil, fmt.Errorf("kintone: placeholder %d has no argument", n.Ref.Ordinal)
	case *Agg:
		return nil, fmt.Errorf("kintone: aggregate %s outside a grouping", n.Fn)
	}
	return nil, fmt.Errorf("kintone: cannot evaluate %T", e)
}

// and3 and not3 are Kleene's AND and NOT over true, false and nil.
func and3(a, b any) any {
	if a == false || b == false {
		return false
	}
	if a == nil || b == nil {
		return nil
	}
	return true
}

func not3(a any) any {
	if a == nil {
		return nil
	}
	return !a.(bool)
}

// evalLogic evaluates AND and OR over the terms, stopping as soon as the
// result is known.
func (en *Env) evalLogic(n *Logic) (any, error) {
	unknown := false
	for _, t := range n.Terms {
		v, err := en.Eval(t)
		if err != nil {
			return nil, err
		}
		b, known := Truth(v)
		switch {
		case !known:
			unknown = true
		case b != n.And: // false in an AND, true in an OR
			return b, nil
		}
	}
	if unknown {
		return nil, nil
	}
	return n.And, nil
}

// evalCmp evaluates a comparison.
func (en *Env) evalCmp(n *Cmp) (any, error) {
	l, err := en.Eval(n.L)
	if err != nil {
		return nil, err
	}
	r, err := en.Eval(n.R)
	if err != nil {
		return nil, err
	}
	return en.cmp(n.Op, l, r)
}

// Cmp compares two values: NULL on either side gives NULL, except for the
// null-safe <=>.
func (en *Env) cmp(op string, l, r any) (any, error) {
	if op == "<=>" {
		if l == nil || r == nil {
			return l == nil && r == nil, nil
		}
		op = "="
	}
	if l == nil || r == nil {
		return nil, nil
	}
	c, err := CompareValues(l, r, en.Loc)
	if err != nil {
		return nil, err
	}
	switch op {
	case "=":
		return c == 0, nil
	case "!=":
		return c != 0, nil
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	case ">=":
		return c >= 0, nil
	}
	return nil, fmt.Errorf("kintone: unknown comparison %s", op)
}

// evalIn evaluates [NOT] IN. For a multi-valued x (checkbox, users) IN is
// true when any element of x is listed and NOT IN when none is, as in
// Kintone: an empty x (nothing checked) is never IN and always NOT IN,
// unless the list holds NULL. For a scalar x it is SQL's IN: true on a
// match, NULL when there is none but the list holds NULL, false otherwise.
func (en *Env) evalIn(n *In) (any, error) {
	x, err := en.Eval(n.X)
	if err != nil || x == nil {
		return nil, err
	}
	elems := []any{x}
	switch m := x.(type) {
	case []string:
		elems = make([]any, len(m))
		for i, s := range m {
			elems[i] = s
		}
	case []field.EntityRef:
		elems = make([]any, len(m))
		for i, e := range m {
			elems[i] = e.Code
		}
	}
	if set := n.set; set != nil {
		found, sure := true, true
		for _, el := range elems {
			if ValueClass(el) != set.class && len(set.keys) > 0 {
				sure = false // compared across classes: item by item
				break
			}
			if set.keys[HashValue(el)] {
				return !n.Not, nil
			}
			found = false
		}
		if sure && !found || sure && len(elems) == 0 {
			if set.hasNil {
				return nil, nil
			}
			return n.Not, nil
		}
	}
	sawNull := false
	for _, item := range n.List {
		v, err := en.Eval(item)
		if err != nil {
			return nil, err
		}
		if v == nil {
			sawNull = true
			continue
		}
		for _, el := range elems {
			c, err := CompareValues(el, v, en.Loc)
			if err != nil {
				return nil, err
			}
			if c == 0 {
				return !n.Not, nil
			}
		}
	}
	if sawNull {
		return nil, nil
	}
	return n.Not, nil
}

// evalLike evaluates [NOT] LIKE with SQL's wildcards: % is any run of
// characters, _ exactly one character, and the escape character (a
// backslash unless ESCAPE says otherwise) makes the next character
// literal. The match is byte-exact (case-sensitive), like the rest of the
// text comparisons.
func (en *Env) evalLike(n *Like) (any, error) {
	x, err := en.Eval(n.X)
	if err != nil {
		return nil, err
	}
	pat, err := en.Eval(n.Pat)
	if err != nil {
		return nil, err
	}
	if x == nil || pat == nil {
		return nil, nil
	}
	esc := '\\'
	if n.Esc != nil {
		e, err := en.Eval(n.Esc)
		if err != nil {
			return nil, err
		}
		s := TextOf(e)
		if utf8.RuneCountInString(s) > 1 {
			return nil, fmt.Errorf("kintone: the ESCAPE of LIKE must be one character, not %q", s)
		}
		esc, _ = utf8.DecodeRuneInString(s)
		if s == "" {
			esc = -1
		}
	}
	return LikeMatch(TextOf(x), TextOf(pat), esc) != n.Not, nil
}

// LikeMatch reports whether s matches the LIKE pattern p.
func LikeMatch(s, p string, esc rune) bool {
	// Iterative matching with backtracking to the last %, linear in
	// practice and never exponential.
	si, pi := 0, 0
	starP, starS := -1, 0
	for si < len(s) {
		if pi < len(p) {
			pr, psize := utf8.DecodeRuneInString(p[pi:])
			switch {
			case pr == '%':
				starP, starS = pi+psize, si
				pi += psize
				continue
			case pr == '_':
				_, ssize := utf8.DecodeRuneInString(s[si:])
				si += ssize
				pi += psize
				continue
			}
			lit, litSize := pr, psize
			if pr == esc && pi+psize < len(p) {
				lit, litSize = utf8.DecodeRuneInString(p[pi+psize:])
				litSize += psize
			}
			sr, ssize := utf8.DecodeRuneInString(s[si:])
			if sr == lit {
				si += ssize
				pi += litSize
				continue
			}
		}
		if starP < 0 {
			return false
		}
		_, ssize := utf8.DecodeRuneInString(s[starS:])
		starS += ssize
		si, pi = starS, starP
	}
	for pi < len(p) && p[pi] == '%' {
		pi++
	}
	return pi == len(p)
}

// evalCase evaluates a CASE expression.
func (en *Env) evalCase(n *Case) (any, error) {
	var operand any
	if n.Operand != nil {
		v, err := en.Eval(n.Operand)
		if err != nil {
			return nil, err
		}
		operand = v
	}
	for _, w := range n.Whens {
		c, err := en.Eval(w.Cond)
		if err != nil {
			return nil, err
		}
		hit := false
		if n.Operand != nil {
			eq, err := en.cmp("=", operand, c)
			if err != nil {
				return nil, err
			}
			hit = eq == true
		} else {
			t, known := Truth(c)
			hit = known && t
		}
		if hit {
			return en.Eval(w.Then)
		}
	}
	if n.Else != nil {
		return en.Eval(n.Else)
	}
	return nil, nil
}

// KFuncName prints a Kintone function call for messages.
func KFuncName(n *KFunc) string {
	s := n.Value.Text + "("
	for i, a := range n.Value.Args {
		if i > 0 {
			s += ", "
		}
		s += a
	}
	return s + ")"
}
