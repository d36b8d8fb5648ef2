package bind

import (
	"database/sql/driver"
	"fmt"
	"strconv"
	"time"

	"github.com/kintone-sql/kintone/internal/errmsg"
	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// Binder substitutes arguments for placeholders and gives every constant
// the type of the column it is compared with.
type Binder struct {
	Text    *Text
	Options Options
	// The arguments: of ? placeholders by ordinal (index 0 is ordinal 1),
	// of :name ones by name; nil before binding.
	byOrdinal []any
	byName    map[string]any
	Bound     bool
	// now is the clock reading of this binding, taken when first needed.
	now time.Time
}

// Now is the binding's clock reading: every NOW() of one statement
// execution gives the same value, as in MySQL.
func (b *Binder) Now() time.Time {
	if b.now.IsZero() {
		if b.Options.Now != nil {
			b.now = b.Options.Now()
		} else {
			b.now = time.Now()
		}
	}
	return b.now
}

// NewBinder checks the arguments against the placeholders.
func NewBinder(src *Text, opts Options, numInput int, args []driver.NamedValue) (*Binder, error) {
	b := &Binder{Text: src, Options: opts, Bound: true}
	if len(args) != numInput {
		// Name the first argument that is missing, or the first one too
		// many: Ordinal is 1-based.
		return nil, &sqlerr.ArgError{Ordinal: min(len(args), numInput) + 1,
			Msg: fmt.Sprintf("the statement has %d placeholders but %d arguments were given", numInput, len(args))}
	}
	if src.NumQ == 0 && len(src.Params) > 0 {
		b.byName = make(map[string]any, len(args))
		for _, a := range args {
			if a.Name == "" {
				return nil, &sqlerr.ArgError{Ordinal: a.Ordinal, Msg: "the statement uses :name placeholders, so every argument needs a name (sql.Named)"}
			}
			b.byName[a.Name] = a.Value
		}
		for _, p := range src.Params {
			if _, ok := b.byName[p.Name]; !ok {
				return nil, &sqlerr.ArgError{Name: p.Name, Pos: src.Pos(p.Pos), Msg: "no argument has this name"}
			}
		}
		return b, nil
	}
	b.byOrdinal = make([]any, len(args))
	given := make([]bool, len(args))
	for i, a := range args {
		ord := a.Ordinal
		if ord == 0 {
			ord = i + 1
		}
		switch {
		case a.Name != "":
			return nil, &sqlerr.ArgError{Ordinal: a.Ordinal, Name: a.Name, Msg: "the statement uses ? placeholders, which take unnamed arguments"}
		case ord < 1 || ord > len(args):
			return nil, &sqlerr.ArgError{Ordinal: ord, Msg: fmt.Sprintf("no placeholder has this ordinal: the statement has %d", len(args))}
		}
		b.byOrdinal[ord-1], given[ord-1] = a.Value, true
	}
	for i, ok := range given {
		if !ok {
			e := &sqlerr.ArgError{Ordinal: i + 1, Msg: "missing"}
			if at, found := src.paramAt(i + 1); found {
				e.Pos = src.Pos(at)
			}
			return nil, e
		}
	}
	return b, nil
}

// arg returns the argument of placeholder ref.
func (b *Binder) arg(ref *expr.ParamRef) any {
	if ref.Name != "" {
		return b.byName[ref.Name]
	}
	return b.byOrdinal[ref.Ordinal-1]
}

// ArgErr builds an *ArgError for placeholder ref.
func (b *Binder) ArgErr(ref *expr.ParamRef, format string, args ...any) error {
	return &sqlerr.ArgError{Ordinal: ref.Ordinal, Name: ref.Name, Pos: b.Text.Pos(ref.Pos), Msg: fmt.Sprintf(format, args...)}
}

// constErr builds the error for a constant that does not fit: an
// *ArgError when it came from an argument, an *Error otherwise.
func (b *Binder) constErr(c *expr.Const, format string, args ...any) error {
	if c.Arg != nil {
		return b.ArgErr(c.Arg, format, args...)
	}
	return &sqlerr.Error{Pos: b.Text.Pos(c.At), Msg: fmt.Sprintf(format, args...)}
}

// ArgValue converts an argument into a constant of its natural kind.
func (b *Binder) ArgValue(p *expr.Param) (*expr.Const, error) {
	ref := p.Ref
	v, k, err := b.ConvertArg(&ref)
	if err != nil {
		return nil, err
	}
	return &expr.Const{Value: v, Kind: k, At: p.At, Arg: &ref}, nil
}

// Bind substitutes the arguments in e, expands list arguments listed
// in IN, types the constants and folds constant subexpressions. Before
// the arguments are known (b.bound false) placeholders stay as they are,
// which checks the rest of the statement at Prepare time.
func (b *Binder) Bind(e expr.Expr) (expr.Expr, error) {
	if e == nil {
		return nil, nil
	}
	out, err := expr.Rewrite(e, func(x expr.Expr) (expr.Expr, error) {
		switch n := x.(type) {
		case *expr.Param:
			if !b.Bound {
				return n, nil
			}
			return b.ArgValue(n)
		case *expr.In:
			var list []expr.Expr
			for _, item := range n.List {
				if c, ok := item.(*expr.Const); ok {
					if vs, ok := listElems(c.Value); ok {
						if len(vs) == 0 {
							return nil, b.constErr(c, "an empty list cannot stand for IN (?): SQL has no IN (); leave the condition out, or use a condition that is never true")
						}
						for _, v := range vs {
							list = append(list, &expr.Const{Value: v, Kind: valueKind(v), At: c.At, Arg: c.Arg})
						}
						continue
					}
				}
				list = append(list, item)
			}
			m := *n
			m.List = list
			return &m, nil
		}
		return x, nil
	})
	if err != nil {
		return nil, err
	}
	// A list argument anywhere but IN (?) has no meaning.
	var bad *expr.Const
	expr.Walk(out, func(x expr.Expr) bool {
		if c, ok := x.(*expr.Const); ok {
			if _, isList := listElems(c.Value); isList {
				bad = c
			}
		}
		return bad == nil
	})
	if bad != nil {
		return nil, b.constErr(bad, "a list argument can only stand for the list of IN (?) or the value of a multi-valued field")
	}
	if out, err = b.typeCheck(out); err != nil {
		return nil, err
	}
	return b.fold(out)
}

// typeCheck converts the constants compared with a column to the
// Column's type, and refuses comparisons the column's type cannot have.
func (b *Binder) typeCheck(e expr.Expr) (expr.Expr, error) {
	return expr.Rewrite(e, func(x expr.Expr) (expr.Expr, error) {
		switch n := x.(type) {
		case *expr.Cmp:
			l, r := n.L, n.R
			_, lcol := l.(*expr.ColRef)
			if _, rcol := r.(*expr.ColRef); rcol && !lcol {
				l, r = r, l // the constant is on the left: 5 < amount
			}
			col, ok := l.(*expr.ColRef)
			if !ok {
				return n, nil
			}
			switch k := col.Col.Kind; {
			case k.Multi() && (n.Op == "=" || n.Op == "!="):
				return nil, &sqlerr.Error{Pos: b.Text.Pos(n.At), Msg: fmt.Sprintf("%s is a %s; test membership with IN (...) or NOT IN (...) instead of %s", col.Col.Name, k, n.Op)}
			case k.Multi() || k == catalog.KFiles || k == catalog.KRows || k == catalog.KJSON:
				return nil, &sqlerr.Error{Pos: b.Text.Pos(n.At), Msg: fmt.Sprintf("%s cannot be compared with %s: it is a %s", col.Col.Name, n.Op, k)}
			}
			other, err := b.coerceOperand(col.Col, r)
			if err != nil {
				return nil, err
			}
			m := *n
			if m.L == l {
				m.R = other
			} else {
				m.L = other
			}
			return &m, nil
		case *expr.In:
			col, ok := n.X.(*expr.ColRef)
			if !ok {
				return n, nil
			}
			if k := col.Col.Kind; k == catalog.KFiles || k == catalog.KRows || k == catalog.KJSON {
				return nil, &sqlerr.Error{Pos: b.Text.Pos(n.At), Msg: fmt.Sprintf("%s cannot be used with IN: it is a %s", col.Col.Name, k)}
			}
			m := *n
			m.List = make([]expr.Expr, len(n.List))
			for i, item := range n.List {
				c, err := b.coerceOperand(col.Col, item)
				if err != nil {
					return nil, err
				}
				m.List[i] = c
			}
			return &m, nil
		case *expr.Between:
			col, ok := n.X.(*expr.ColRef)
			if !ok {
				return n, nil
			}
			if col.Col.Kind.Multi() || col.Col.Kind == catalog.KFiles || col.Col.Kind == catalog.KRows {
				return nil, &sqlerr.Error{Pos: b.Text.Pos(n.At), Msg: fmt.Sprintf("%s cannot be used with BETWEEN: it is a %s", col.Col.Name, col.Col.Kind)}
			}
			lo, err := b.coerceOperand(col.Col, n.Lo)
			if err != nil {
				return nil, err
			}
			hi, err := b.coerceOperand(col.Col, n.Hi)
			if err != nil {
				return nil, err
			}
			m := *n
			m.Lo, m.Hi = lo, hi
			return &m, nil
		case *expr.IsNull:
			if col, ok := n.X.(*expr.ColRef); ok && col.Col.Kind.List() {
				// A list is never NULL: an empty one is []. Before lists
				// read as [], IS NULL meant "empty"; refusing it keeps a
				// query written for that meaning from silently matching
				// nothing (or everything).
				test, neg := "= 0", "is empty"
				if n.Not {
					test, neg = "> 0", "is not empty"
				}
				return nil, &sqlerr.Error{Pos: b.Text.Pos(n.At), Msg: fmt.Sprintf("%s is a %s, which is never NULL (an empty one is []): to test whether it %s, write JSON_LENGTH(%s) %s", col.Col.Name, col.Col.Kind, neg, col.Col.Name, test)}
			}
		case *expr.Like:
			if col, ok := n.X.(*expr.ColRef); ok {
				if k := col.Col.Kind; k.Multi() || k == catalog.KFiles || k == catalog.KRows || k == catalog.KJSON {
					return nil, &sqlerr.Error{Pos: b.Text.Pos(n.At), Msg: fmt.Sprintf("%s cannot be used with LIKE: it is a %s", col.Col.Name, k)}
				}
			}
		}
		return x, nil
	})
}

// coerceOperand converts what a column is compared with: a constant to
// the column's type, a Kintone function after checking the field takes it.
func (b *Binder) coerceOperand(col *catalog.Column, e expr.Expr) (expr.Expr, error) {
	switch n := e.(type) {
	case *expr.KFunc:
		if col.Type == "" || !col.Type.AllowsFunc(n.Value.Text) {
			return nil, &sqlerr.Error{Pos: b.Text.Pos(n.At), Msg: fmt.Sprintf("%s cannot be compared with field %s of type %s", expr.KFuncName(n), col.Name, col.DBTypeName())}
		}
		return n, nil
	case *expr.Const:
		return b.coerce(col, n)
	}
	return e, nil
}

// coerce converts constant c to the type of col. NULL stays NULL.
func (b *Binder) coerce(col *catalog.Column, c *expr.Const) (*expr.Const, error) {
	if c.Value == nil {
		return c, nil
	}
	loc := b.Options.Location
	out := *c
	switch col.Kind {
	case catalog.KText, catalog.KList, catalog.KEntities, catalog.KEntity:
		switch v := c.Value.(type) {
		case string:
			out.Value = v
		case int64, field.Decimal, bool:
			out.Value = expr.TextOf(v)
		default:
			return nil, b.constErr(c, "%s is not text, as field %s needs", expr.QuoteValue(c.Value), col.Name)
		}
		out.Kind = catalog.KText
	case catalog.KNumber, catalog.KInt:
		switch v := c.Value.(type) {
		case int64:
			out.Value, out.Kind = v, catalog.KInt
		case field.Decimal:
			out.Value, out.Kind = v, catalog.KNumber
		case bool:
			out.Value, out.Kind = map[bool]int64{true: 1, false: 0}[v], catalog.KInt
		case string:
			canon, ok := field.NormalizeNumber(v)
			if !ok {
				return nil, b.constErr(c, "%s is not a number, as field %s needs", expr.QuoteValue(v), col.Name)
			}
			if n, err := strconv.ParseInt(canon, 10, 64); err == nil {
				out.Value, out.Kind = n, catalog.KInt
			} else {
				out.Value, out.Kind = field.Decimal(canon), catalog.KNumber
			}
		default:
			return nil, b.constErr(c, "%s is not a number, as field %s needs", expr.QuoteValue(c.Value), col.Name)
		}
	case catalog.KDate, catalog.KDateTime:
		var t time.Time
		switch v := c.Value.(type) {
		case time.Time:
			t = v.In(loc)
		case string:
			var ok bool
			if t, ok = expr.ParseDateTime(v, loc); !ok {
				return nil, b.constErr(c, "%s is not a date or date and time (YYYY-MM-DD [HH:MM[:SS]]), as field %s needs", expr.QuoteValue(v), col.Name)
			}
		default:
			return nil, b.constErr(c, "%s is not a date, as field %s needs", expr.QuoteValue(c.Value), col.Name)
		}
		if col.Kind == catalog.KDateTime {
			// Kintone keeps minutes: a value is truncated to the minute
			// wherever it is given, in a write and in a comparison alike,
			// so that what was written with seconds is found again.
			t = t.Truncate(time.Minute)
		}
		out.Value, out.Kind = t, col.Kind
	case catalog.KTime:
		switch v := b.ClockArg(c.Arg, c.Value).(type) {
		case time.Time:
			// A time of day has no zone: its wall clock as given.
			out.Value = expr.ClockOf(v)
		case string:
			t, ok := expr.ParseClock(v)
			if !ok {
				return nil, b.constErr(c, "%s is not a time of day (HH:MM[:SS]), as field %s needs", expr.QuoteValue(v), col.Name)
			}
			out.Value = t
		default:
			return nil, b.constErr(c, "%s is not a time of day, as field %s needs", expr.QuoteValue(c.Value), col.Name)
		}
		out.Kind = catalog.KTime
	}
	return &out, nil
}

// fold replaces every subexpression that reads no row by its value.
func (b *Binder) fold(e expr.Expr) (expr.Expr, error) {
	return expr.Rewrite(e, func(x expr.Expr) (expr.Expr, error) {
		switch x.(type) {
		case *expr.ColRef, *expr.Const, *expr.Param, *expr.KFunc, *expr.Slot, *expr.Agg, *expr.Subquery, *expr.WindowFunc:
			return x, nil // a subquery's value is known when the plan runs
		}
		for _, c := range expr.Children(x) {
			if _, ok := c.(*expr.Const); !ok {
				return x, nil
			}
		}
		en := &expr.Env{Loc: b.Options.Location}
		if c, ok := x.(*expr.Call); ok && expr.IsClockFunc(c.Fn) {
			en.Now = b.Now()
		}
		v, err := en.Eval(x)
		if err != nil {
			return nil, &sqlerr.Error{Pos: b.Text.Pos(x.Offset()), Msg: errmsg.Text(err)}
		}
		return &expr.Const{Value: v, Kind: expr.KindOf(x), At: x.Offset()}, nil
	})
}

// BindInt binds a LIMIT or OFFSET value.
func (b *Binder) BindInt(e expr.Expr, what string) (int64, error) {
	x, err := b.Bind(e)
	if err != nil {
		return 0, err
	}
	c, ok := x.(*expr.Const)
	if !ok {
		return 0, &sqlerr.Error{Pos: b.Text.Pos(e.Offset()), Msg: what + " must be a constant"}
	}
	var n int64
	switch v := c.Value.(type) {
	case int64:
		n = v
	case string:
		parsed, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, b.constErr(c, "%s %s is not an integer", what, expr.QuoteValue(v))
		}
		n = parsed
	default:
		return 0, b.constErr(c, "%s %s is not an integer", what, expr.QuoteValue(c.Value))
	}
	if n < 0 {
		return 0, b.constErr(c, "%s cannot be negative", what)
	}
	return n, nil
}
