package translate

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
)

// env is what an expression is evaluated against: the current row and,
// after grouping, the group's key values and aggregate results.
type env struct {
	rec   catalog.Record
	slots []any
	loc   *time.Location
}

// evalBool evaluates a condition: true only when it is TRUE (not FALSE,
// not NULL), the way WHERE and HAVING keep rows.
func (en *env) evalBool(e expr) (bool, error) {
	v, err := en.eval(e)
	if err != nil {
		return false, err
	}
	t, known := truth(v)
	return known && t, nil
}

// eval evaluates e with SQL's three-valued logic: NULL is nil.
func (en *env) eval(e expr) (any, error) {
	switch n := e.(type) {
	case *colRef:
		return en.rec[n.col.Code], nil
	case *constExpr:
		return n.v, nil
	case *slotExpr:
		return en.slots[n.slot], nil
	case *unaryExpr:
		x, err := en.eval(n.x)
		if err != nil || x == nil {
			return nil, err
		}
		if n.op == "not" {
			t, _ := truth(x)
			return !t, nil
		}
		return arith("-", int64(0), x)
	case *binaryExpr:
		l, err := en.eval(n.l)
		if err != nil || l == nil {
			return nil, err
		}
		r, err := en.eval(n.r)
		if err != nil || r == nil {
			return nil, err
		}
		return arith(n.op, l, r)
	case *cmpExpr:
		return en.evalCmp(n)
	case *logicExpr:
		return en.evalLogic(n)
	case *inExpr:
		return en.evalIn(n)
	case *betweenExpr:
		x, err := en.eval(n.x)
		if err != nil {
			return nil, err
		}
		lo, err := en.eval(n.lo)
		if err != nil {
			return nil, err
		}
		hi, err := en.eval(n.hi)
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
		if n.not {
			return not3(v), nil
		}
		return v, nil
	case *likeExpr:
		return en.evalLike(n)
	case *isNullExpr:
		x, err := en.eval(n.x)
		if err != nil {
			return nil, err
		}
		return (x == nil) != n.not, nil
	case *isBoolExpr:
		x, err := en.eval(n.x)
		if err != nil {
			return nil, err
		}
		t, known := truth(x)
		return (known && t == n.val) != n.not, nil
	case *caseExpr:
		return en.evalCase(n)
	case *callExpr:
		args := make([]any, len(n.args))
		for i, a := range n.args {
			v, err := en.eval(a)
			if err != nil {
				return nil, err
			}
			args[i] = v
		}
		return n.fn.eval(en, args)
	case *kfuncExpr:
		return nil, fmt.Errorf("kintone: %s can only be evaluated by Kintone", kfuncName(n))
	case *paramExpr:
		return nil, fmt.Errorf("kintone: placeholder %d has no argument", n.ref.ordinal)
	case *aggExpr:
		return nil, fmt.Errorf("kintone: aggregate %s outside a grouping", n.fn)
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
func (en *env) evalLogic(n *logicExpr) (any, error) {
	unknown := false
	for _, t := range n.terms {
		v, err := en.eval(t)
		if err != nil {
			return nil, err
		}
		b, known := truth(v)
		switch {
		case !known:
			unknown = true
		case b != n.and: // false in an AND, true in an OR
			return b, nil
		}
	}
	if unknown {
		return nil, nil
	}
	return n.and, nil
}

// evalCmp evaluates a comparison.
func (en *env) evalCmp(n *cmpExpr) (any, error) {
	l, err := en.eval(n.l)
	if err != nil {
		return nil, err
	}
	r, err := en.eval(n.r)
	if err != nil {
		return nil, err
	}
	return en.cmp(n.op, l, r)
}

// cmp compares two values: NULL on either side gives NULL, except for the
// null-safe <=>.
func (en *env) cmp(op string, l, r any) (any, error) {
	if op == "<=>" {
		if l == nil || r == nil {
			return l == nil && r == nil, nil
		}
		op = "="
	}
	if l == nil || r == nil {
		return nil, nil
	}
	c, err := compareValues(l, r, en.loc)
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
func (en *env) evalIn(n *inExpr) (any, error) {
	x, err := en.eval(n.x)
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
	sawNull := false
	for _, item := range n.list {
		v, err := en.eval(item)
		if err != nil {
			return nil, err
		}
		if v == nil {
			sawNull = true
			continue
		}
		for _, el := range elems {
			c, err := compareValues(el, v, en.loc)
			if err != nil {
				return nil, err
			}
			if c == 0 {
				return !n.not, nil
			}
		}
	}
	if sawNull {
		return nil, nil
	}
	return n.not, nil
}

// evalLike evaluates [NOT] LIKE with SQL's wildcards: % is any run of
// characters, _ exactly one character, and the escape character (a
// backslash unless ESCAPE says otherwise) makes the next character
// literal. The match is byte-exact (case-sensitive), like the rest of the
// text comparisons.
func (en *env) evalLike(n *likeExpr) (any, error) {
	x, err := en.eval(n.x)
	if err != nil {
		return nil, err
	}
	pat, err := en.eval(n.pat)
	if err != nil {
		return nil, err
	}
	if x == nil || pat == nil {
		return nil, nil
	}
	esc := '\\'
	if n.esc != nil {
		e, err := en.eval(n.esc)
		if err != nil {
			return nil, err
		}
		s := textOf(e)
		if utf8.RuneCountInString(s) > 1 {
			return nil, fmt.Errorf("kintone: the ESCAPE of LIKE must be one character, not %q", s)
		}
		esc, _ = utf8.DecodeRuneInString(s)
		if s == "" {
			esc = -1
		}
	}
	return likeMatch(textOf(x), textOf(pat), esc) != n.not, nil
}

// likeMatch reports whether s matches the LIKE pattern p.
func likeMatch(s, p string, esc rune) bool {
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
func (en *env) evalCase(n *caseExpr) (any, error) {
	var operand any
	if n.operand != nil {
		v, err := en.eval(n.operand)
		if err != nil {
			return nil, err
		}
		operand = v
	}
	for _, w := range n.whens {
		c, err := en.eval(w.cond)
		if err != nil {
			return nil, err
		}
		hit := false
		if n.operand != nil {
			eq, err := en.cmp("=", operand, c)
			if err != nil {
				return nil, err
			}
			hit = eq == true
		} else {
			t, known := truth(c)
			hit = known && t
		}
		if hit {
			return en.eval(w.val)
		}
	}
	if n.els != nil {
		return en.eval(n.els)
	}
	return nil, nil
}

// kfuncName prints a Kintone function call for messages.
func kfuncName(n *kfuncExpr) string {
	s := n.v.Text + "("
	for i, a := range n.v.Args {
		if i > 0 {
			s += ", "
		}
		s += a
	}
	return s + ")"
}
