package bind

import (
	"strconv"
	"strings"

	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/parse"
)

// cast converts CAST(x AS type) and CONVERT(x, type) to the types
// RefuseUnsupported lets through, checking the type's arguments as MySQL
// does.
func (b *Builder) cast(n *parse.Cast, c ExprCtx) (expr.Expr, error) {
	ct := n.Type
	t := expr.CastTarget{Type: strings.TrimSuffix(ct.Name, " INTEGER"), Length: -1}
	num := func(s string) (int, bool) {
		v, err := strconv.Atoi(s)
		return v, err == nil && v >= 0
	}
	switch t.Type {
	case "DECIMAL":
		t.Length, t.Scale = 10, 0
		if ct.Length != "" {
			m, ok := num(ct.Length)
			if !ok || m < 1 || m > 65 {
				return nil, b.errAt(ct.Pos(), "DECIMAL precision %s is out of range: MySQL allows 1 to 65 digits", ct.Length)
			}
			t.Length = m
		}
		if ct.Scale != "" {
			d, ok := num(ct.Scale)
			if !ok || d > 30 {
				return nil, b.errAt(ct.Pos(), "DECIMAL scale %s is out of range: MySQL allows 0 to 30 decimal places", ct.Scale)
			}
			if d > t.Length {
				return nil, b.errAt(ct.Pos(), "DECIMAL(%d, %d): the scale cannot exceed the precision", t.Length, d)
			}
			t.Scale = d
		}
	case "CHAR":
		if ct.Length != "" {
			l, ok := num(ct.Length)
			if !ok {
				return nil, b.errAt(ct.Pos(), "CHAR(%s) is too long", ct.Length)
			}
			t.Length = l
		}
		switch strings.ToLower(ct.Charset) {
		case "", "utf8mb4", "utf8", "utf8mb3":
		default:
			return nil, b.unsupported("CAST AS CHAR CHARACTER SET "+ct.Charset, ct.Pos(), "text is UTF-8")
		}
	case "DATETIME", "TIME":
		if ct.Length != "" && strings.Trim(ct.Length, "0") != "" {
			return nil, b.unsupported(ct.Name+"("+ct.Length+")", ct.Pos(), "Kintone keeps no fractions of a second")
		}
	}
	x, err := b.Expr(n.X, c)
	if err != nil {
		return nil, err
	}
	return &expr.Call{Fn: expr.CastFunc(t), Args: []expr.Expr{x}, At: n.Pos()}, nil
}
