package translate

import (
	"database/sql/driver"
	"fmt"
	"strconv"
	"time"

	"github.com/kintone-sql/kintone/internal/errmsg"
	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// binder substitutes arguments for placeholders and gives every constant
// the type of the column it is compared with.
type binder struct {
	src  *source
	opts Options
	// The arguments: of ? placeholders by ordinal (index 0 is ordinal 1),
	// of :name ones by name; nil before binding.
	byOrdinal []any
	byName    map[string]any
	bound     bool
}

// newBinder checks the arguments against the placeholders.
func newBinder(src *source, opts Options, numInput int, args []driver.NamedValue) (*binder, error) {
	b := &binder{src: src, opts: opts, bound: true}
	if len(args) != numInput {
		// Name the first argument that is missing, or the first one too
		// many: Ordinal is 1-based.
		return nil, &sqlerr.ArgError{Ordinal: min(len(args), numInput) + 1,
			Msg: fmt.Sprintf("the statement has %d placeholders but %d arguments were given", numInput, len(args))}
	}
	if src.nQ == 0 && len(src.params) > 0 {
		b.byName = make(map[string]any, len(args))
		for _, a := range args {
			if a.Name == "" {
				return nil, &sqlerr.ArgError{Ordinal: a.Ordinal, Msg: "the statement uses :name placeholders, so every argument needs a name (sql.Named)"}
			}
			b.byName[a.Name] = a.Value
		}
		for _, p := range src.params {
			if _, ok := b.byName[p.name]; !ok {
				return nil, &sqlerr.ArgError{Name: p.name, Pos: src.pos(p.pos), Msg: "no argument has this name"}
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
				e.Pos = src.pos(at)
			}
			return nil, e
		}
	}
	return b, nil
}

// arg returns the argument of placeholder ref.
func (b *binder) arg(ref *paramRef) any {
	if ref.name != "" {
		return b.byName[ref.name]
	}
	return b.byOrdinal[ref.ordinal-1]
}

// argErr builds an *ArgError for placeholder ref.
func (b *binder) argErr(ref *paramRef, format string, args ...any) error {
	return &sqlerr.ArgError{Ordinal: ref.ordinal, Name: ref.name, Pos: b.src.pos(ref.pos), Msg: fmt.Sprintf(format, args...)}
}

// constErr builds the error for a constant that does not fit: an
// *ArgError when it came from an argument, an *Error otherwise.
func (b *binder) constErr(c *constExpr, format string, args ...any) error {
	if c.arg != nil {
		return b.argErr(c.arg, format, args...)
	}
	return &sqlerr.Error{Pos: b.src.pos(c.at), Msg: fmt.Sprintf(format, args...)}
}

// argValue converts an argument into a constant of its natural kind.
func (b *binder) argValue(p *paramExpr) (*constExpr, error) {
	ref := p.ref
	v, k, err := b.convertArg(&ref)
	if err != nil {
		return nil, err
	}
	return &constExpr{v: v, k: k, at: p.at, arg: &ref}, nil
}

// bind substitutes the arguments in e, expands list arguments listed
// in IN, types the constants and folds constant subexpressions. Before
// the arguments are known (b.bound false) placeholders stay as they are,
// which checks the rest of the statement at Prepare time.
func (b *binder) bind(e expr) (expr, error) {
	if e == nil {
		return nil, nil
	}
	out, err := rewrite(e, func(x expr) (expr, error) {
		switch n := x.(type) {
		case *paramExpr:
			if !b.bound {
				return n, nil
			}
			return b.argValue(n)
		case *inExpr:
			var list []expr
			for _, item := range n.list {
				if c, ok := item.(*constExpr); ok {
					if vs, ok := listElems(c.v); ok {
						if len(vs) == 0 {
							return nil, b.constErr(c, "an empty list cannot stand for IN (?): SQL has no IN (); leave the condition out, or use a condition that is never true")
						}
						for _, v := range vs {
							list = append(list, &constExpr{v: v, k: valueKind(v), at: c.at, arg: c.arg})
						}
						continue
					}
				}
				list = append(list, item)
			}
			m := *n
			m.list = list
			return &m, nil
		}
		return x, nil
	})
	if err != nil {
		return nil, err
	}
	// A list argument anywhere but IN (?) has no meaning.
	var bad *constExpr
	walk(out, func(x expr) bool {
		if c, ok := x.(*constExpr); ok {
			if _, isList := listElems(c.v); isList {
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
// column's type, and refuses comparisons the column's type cannot have.
func (b *binder) typeCheck(e expr) (expr, error) {
	return rewrite(e, func(x expr) (expr, error) {
		switch n := x.(type) {
		case *cmpExpr:
			l, r := n.l, n.r
			_, lcol := l.(*colRef)
			if _, rcol := r.(*colRef); rcol && !lcol {
				l, r = r, l // the constant is on the left: 5 < amount
			}
			col, ok := l.(*colRef)
			if !ok {
				return n, nil
			}
			switch k := col.col.Kind; {
			case k.Multi() && (n.op == "=" || n.op == "!="):
				return nil, &sqlerr.Error{Pos: b.src.pos(n.at), Msg: fmt.Sprintf("%s is a %s; test membership with IN (...) or NOT IN (...) instead of %s", col.col.Name, k, n.op)}
			case k.Multi() || k == catalog.KFiles || k == catalog.KRows || k == catalog.KJSON:
				return nil, &sqlerr.Error{Pos: b.src.pos(n.at), Msg: fmt.Sprintf("%s cannot be compared with %s: it is a %s", col.col.Name, n.op, k)}
			}
			other, err := b.coerceOperand(col.col, r)
			if err != nil {
				return nil, err
			}
			m := *n
			if m.l == l {
				m.r = other
			} else {
				m.l = other
			}
			return &m, nil
		case *inExpr:
			col, ok := n.x.(*colRef)
			if !ok {
				return n, nil
			}
			if k := col.col.Kind; k == catalog.KFiles || k == catalog.KRows || k == catalog.KJSON {
				return nil, &sqlerr.Error{Pos: b.src.pos(n.at), Msg: fmt.Sprintf("%s cannot be used with IN: it is a %s", col.col.Name, k)}
			}
			m := *n
			m.list = make([]expr, len(n.list))
			for i, item := range n.list {
				c, err := b.coerceOperand(col.col, item)
				if err != nil {
					return nil, err
				}
				m.list[i] = c
			}
			return &m, nil
		case *betweenExpr:
			col, ok := n.x.(*colRef)
			if !ok {
				return n, nil
			}
			if col.col.Kind.Multi() || col.col.Kind == catalog.KFiles || col.col.Kind == catalog.KRows {
				return nil, &sqlerr.Error{Pos: b.src.pos(n.at), Msg: fmt.Sprintf("%s cannot be used with BETWEEN: it is a %s", col.col.Name, col.col.Kind)}
			}
			lo, err := b.coerceOperand(col.col, n.lo)
			if err != nil {
				return nil, err
			}
			hi, err := b.coerceOperand(col.col, n.hi)
			if err != nil {
				return nil, err
			}
			m := *n
			m.lo, m.hi = lo, hi
			return &m, nil
		case *isNullExpr:
			if col, ok := n.x.(*colRef); ok && col.col.Kind.List() {
				// A list is never NULL: an empty one is []. Before lists
				// read as [], IS NULL meant "empty"; refusing it keeps a
				// query written for that meaning from silently matching
				// nothing (or everything).
				test, neg := "= 0", "is empty"
				if n.not {
					test, neg = "> 0", "is not empty"
				}
				return nil, &sqlerr.Error{Pos: b.src.pos(n.at), Msg: fmt.Sprintf("%s is a %s, which is never NULL (an empty one is []): to test whether it %s, write JSON_LENGTH(%s) %s", col.col.Name, col.col.Kind, neg, col.col.Name, test)}
			}
		case *likeExpr:
			if col, ok := n.x.(*colRef); ok {
				if k := col.col.Kind; k.Multi() || k == catalog.KFiles || k == catalog.KRows || k == catalog.KJSON {
					return nil, &sqlerr.Error{Pos: b.src.pos(n.at), Msg: fmt.Sprintf("%s cannot be used with LIKE: it is a %s", col.col.Name, k)}
				}
			}
		}
		return x, nil
	})
}

// coerceOperand converts what a column is compared with: a constant to
// the column's type, a Kintone function after checking the field takes it.
func (b *binder) coerceOperand(col *catalog.Column, e expr) (expr, error) {
	switch n := e.(type) {
	case *kfuncExpr:
		if col.Type == "" || !col.Type.AllowsFunc(n.v.Text) {
			return nil, &sqlerr.Error{Pos: b.src.pos(n.at), Msg: fmt.Sprintf("%s cannot be compared with field %s of type %s", kfuncName(n), col.Name, col.DBTypeName())}
		}
		return n, nil
	case *constExpr:
		return b.coerce(col, n)
	}
	return e, nil
}

// coerce converts constant c to the type of col. NULL stays NULL.
func (b *binder) coerce(col *catalog.Column, c *constExpr) (*constExpr, error) {
	if c.v == nil {
		return c, nil
	}
	loc := b.opts.Location
	out := *c
	switch col.Kind {
	case catalog.KText, catalog.KList, catalog.KEntities, catalog.KEntity:
		switch v := c.v.(type) {
		case string:
			out.v = v
		case int64, field.Decimal, bool:
			out.v = textOf(v)
		default:
			return nil, b.constErr(c, "%s is not text, as field %s needs", quoteValue(c.v), col.Name)
		}
		out.k = catalog.KText
	case catalog.KNumber, catalog.KInt:
		switch v := c.v.(type) {
		case int64:
			out.v, out.k = v, catalog.KInt
		case field.Decimal:
			out.v, out.k = v, catalog.KNumber
		case bool:
			out.v, out.k = map[bool]int64{true: 1, false: 0}[v], catalog.KInt
		case string:
			canon, ok := field.NormalizeNumber(v)
			if !ok {
				return nil, b.constErr(c, "%s is not a number, as field %s needs", quoteValue(v), col.Name)
			}
			if n, err := strconv.ParseInt(canon, 10, 64); err == nil {
				out.v, out.k = n, catalog.KInt
			} else {
				out.v, out.k = field.Decimal(canon), catalog.KNumber
			}
		default:
			return nil, b.constErr(c, "%s is not a number, as field %s needs", quoteValue(c.v), col.Name)
		}
	case catalog.KDate, catalog.KDateTime:
		var t time.Time
		switch v := c.v.(type) {
		case time.Time:
			t = v.In(loc)
		case string:
			var ok bool
			if t, ok = parseDateTime(v, loc); !ok {
				return nil, b.constErr(c, "%s is not a date or date and time (YYYY-MM-DD [HH:MM[:SS]]), as field %s needs", quoteValue(v), col.Name)
			}
		default:
			return nil, b.constErr(c, "%s is not a date, as field %s needs", quoteValue(c.v), col.Name)
		}
		if col.Kind == catalog.KDateTime {
			// Kintone keeps minutes: a value is truncated to the minute
			// wherever it is given, in a write and in a comparison alike,
			// so that what was written with seconds is found again.
			t = t.Truncate(time.Minute)
		}
		out.v, out.k = t, col.Kind
	case catalog.KTime:
		switch v := b.clockArg(c.arg, c.v).(type) {
		case time.Time:
			// A time of day has no zone: its wall clock as given.
			out.v = clockOf(v)
		case string:
			t, ok := parseClock(v)
			if !ok {
				return nil, b.constErr(c, "%s is not a time of day (HH:MM[:SS]), as field %s needs", quoteValue(v), col.Name)
			}
			out.v = t
		default:
			return nil, b.constErr(c, "%s is not a time of day, as field %s needs", quoteValue(c.v), col.Name)
		}
		out.k = catalog.KTime
	}
	return &out, nil
}

// fold replaces every subexpression that reads no row by its value.
func (b *binder) fold(e expr) (expr, error) {
	return rewrite(e, func(x expr) (expr, error) {
		switch x.(type) {
		case *colRef, *constExpr, *paramExpr, *kfuncExpr, *slotExpr, *aggExpr:
			return x, nil
		}
		for _, c := range children(x) {
			if _, ok := c.(*constExpr); !ok {
				return x, nil
			}
		}
		en := &env{loc: b.opts.Location}
		v, err := en.eval(x)
		if err != nil {
			return nil, &sqlerr.Error{Pos: b.src.pos(x.offset()), Msg: errmsg.Text(err)}
		}
		return &constExpr{v: v, k: kindOf(x), at: x.offset()}, nil
	})
}

// bindInt binds a LIMIT or OFFSET value.
func (b *binder) bindInt(e expr, what string) (int64, error) {
	x, err := b.bind(e)
	if err != nil {
		return 0, err
	}
	c, ok := x.(*constExpr)
	if !ok {
		return 0, &sqlerr.Error{Pos: b.src.pos(e.offset()), Msg: what + " must be a constant"}
	}
	var n int64
	switch v := c.v.(type) {
	case int64:
		n = v
	case string:
		parsed, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return 0, b.constErr(c, "%s %s is not an integer", what, quoteValue(v))
		}
		n = parsed
	default:
		return 0, b.constErr(c, "%s %s is not an integer", what, quoteValue(c.v))
	}
	if n < 0 {
		return 0, b.constErr(c, "%s cannot be negative", what)
	}
	return n, nil
}
