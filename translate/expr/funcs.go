package expr

import (
	"fmt"
	"math/big"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
)

// ScalarFunc is an SQL function evaluated in Go.
type ScalarFunc struct {
	Name    string
	MinArgs int
	MaxArgs int // -1: any number
	// result infers the kind of the result from the arguments.
	result func(args []Expr) catalog.Kind
	// Eval computes the result; NULL arguments are handled by each
	// function (most return NULL).
	eval func(en *Env, args []any) (any, error)
	// evalExprs, when set, replaces eval for functions whose meaning
	// depends on the kinds of their arguments (GREATEST, LEAST, CAST).
	evalExprs func(en *Env, exprs []Expr, args []any) (any, error)
	// cast is the type of a CAST, as EXPLAIN prints it ("" otherwise).
	cast string
	// tag tells apart the functions one name stands for, whose unit is
	// part of the call rather than an argument (DATE_ADD(x, INTERVAL n
	// DAY) is "date_add DAY", and so is x + INTERVAL n DAY): Key uses it
	// instead of the name when set.
	tag string
	// write, when set, prints the call for EXPLAIN (the forms that are
	// not name(args): x + INTERVAL n DAY, EXTRACT(DAY FROM x), ...).
	write func(b *strings.Builder, args []Expr)
}

// key is the function's part of an expression's Key.
func (f *ScalarFunc) key() string {
	if f.tag != "" {
		return f.tag
	}
	return f.Name + ":" + f.cast
}

// fixed returns a result function that always gives k.
func fixed(k catalog.Kind) func([]Expr) catalog.Kind { return func([]Expr) catalog.Kind { return k } }

// unified returns the unified kind of the arguments from index i on.
func unified(from int) func([]Expr) catalog.Kind {
	return func(args []Expr) catalog.Kind {
		k := catalog.KAny
		for _, a := range args[min(from, len(args)):] {
			k = unify(k, KindOf(a))
		}
		return k
	}
}

// nullIfAnyNull wraps f so that any NULL argument gives NULL.
func nullIfAnyNull(f func(en *Env, args []any) (any, error)) func(en *Env, args []any) (any, error) {
	return func(en *Env, args []any) (any, error) {
		for _, a := range args {
			if a == nil {
				return nil, nil
			}
		}
		return f(en, args)
	}
}

// LookupFunc returns the scalar function called name (lower case), or nil.
func LookupFunc(name string) *ScalarFunc {
	if fn := lookupMoreFunc(name); fn != nil {
		return fn
	}
	if fn := lookupTimeFunc(name); fn != nil {
		return fn
	}
	if fn := lookupJSONFunc(name); fn != nil {
		return fn
	}
	switch name {
	case "coalesce":
		return &ScalarFunc{Name: name, MinArgs: 1, MaxArgs: -1, result: unified(0), eval: func(_ *Env, args []any) (any, error) {
			for _, a := range args {
				if a != nil {
					return a, nil
				}
			}
			return nil, nil
		}}
	case "ifnull":
		return &ScalarFunc{Name: name, MinArgs: 2, MaxArgs: 2, result: unified(0), eval: func(_ *Env, args []any) (any, error) {
			if args[0] != nil {
				return args[0], nil
			}
			return args[1], nil
		}}
	case "nullif":
		return &ScalarFunc{Name: name, MinArgs: 2, MaxArgs: 2, result: func(args []Expr) catalog.Kind { return KindOf(args[0]) },
			eval: func(en *Env, args []any) (any, error) {
				eq, err := en.cmp("=", args[0], args[1])
				if err != nil {
					return nil, err
				}
				if eq == true {
					return nil, nil
				}
				return args[0], nil
			}}
	case "if":
		return &ScalarFunc{Name: name, MinArgs: 3, MaxArgs: 3, result: unified(1), eval: func(_ *Env, args []any) (any, error) {
			if t, known := Truth(args[0]); known && t {
				return args[1], nil
			}
			return args[2], nil
		}}
	case "concat":
		return &ScalarFunc{Name: name, MinArgs: 1, MaxArgs: -1, result: fixed(catalog.KText), eval: nullIfAnyNull(func(_ *Env, args []any) (any, error) {
			var b strings.Builder
			for _, a := range args {
				b.WriteString(TextOf(a))
			}
			return b.String(), nil
		})}
	case "concat_ws":
		return &ScalarFunc{Name: name, MinArgs: 2, MaxArgs: -1, result: fixed(catalog.KText), eval: func(_ *Env, args []any) (any, error) {
			if args[0] == nil {
				return nil, nil
			}
			var parts []string
			for _, a := range args[1:] {
				if a != nil {
					parts = append(parts, TextOf(a))
				}
			}
			return strings.Join(parts, TextOf(args[0])), nil
		}}
	case "lower", "lcase":
		return textFunc(name, strings.ToLower)
	case "upper", "ucase":
		return textFunc(name, strings.ToUpper)
	case "trim":
		return textFunc(name, func(s string) string { return strings.Trim(s, " ") })
	case "ltrim":
		return textFunc(name, func(s string) string { return strings.TrimLeft(s, " ") })
	case "rtrim":
		return textFunc(name, func(s string) string { return strings.TrimRight(s, " ") })
	case "length", "octet_length":
		return &ScalarFunc{Name: name, MinArgs: 1, MaxArgs: 1, result: fixed(catalog.KInt), eval: nullIfAnyNull(func(_ *Env, args []any) (any, error) {
			return int64(len(TextOf(args[0]))), nil
		})}
	case "char_length", "character_length":
		return &ScalarFunc{Name: name, MinArgs: 1, MaxArgs: 1, result: fixed(catalog.KInt), eval: nullIfAnyNull(func(_ *Env, args []any) (any, error) {
			return int64(utf8.RuneCountInString(TextOf(args[0]))), nil
		})}
	case "substring", "substr", "mid":
		return &ScalarFunc{Name: name, MinArgs: 2, MaxArgs: 3, result: fixed(catalog.KText), eval: nullIfAnyNull(evalSubstring)}
	case "left", "right":
		return &ScalarFunc{Name: name, MinArgs: 2, MaxArgs: 2, result: fixed(catalog.KText), eval: nullIfAnyNull(func(_ *Env, args []any) (any, error) {
			n, err := intArg(name, args[1])
			if err != nil {
				return nil, err
			}
			r := []rune(TextOf(args[0]))
			n = max(0, min(n, int64(len(r))))
			if name == "left" {
				return string(r[:n]), nil
			}
			return string(r[int64(len(r))-n:]), nil
		})}
	case "replace":
		return &ScalarFunc{Name: name, MinArgs: 3, MaxArgs: 3, result: fixed(catalog.KText), eval: nullIfAnyNull(func(_ *Env, args []any) (any, error) {
			from := TextOf(args[1])
			if from == "" {
				return TextOf(args[0]), nil
			}
			return strings.ReplaceAll(TextOf(args[0]), from, TextOf(args[2])), nil
		})}
	case "abs":
		return numFunc(name, func(r *big.Rat, scale int) (*big.Rat, int) { return new(big.Rat).Abs(r), scale })
	case "floor":
		return numFunc(name, func(r *big.Rat, _ int) (*big.Rat, int) { return new(big.Rat).SetInt(floorRat(r)), 0 })
	case "ceil", "ceiling":
		return numFunc(name, func(r *big.Rat, _ int) (*big.Rat, int) {
			f := floorRat(r)
			if !r.IsInt() {
				f.Add(f, big.NewInt(1))
			}
			return new(big.Rat).SetInt(f), 0
		})
	case "round":
		return &ScalarFunc{Name: name, MinArgs: 1, MaxArgs: 2, result: func(args []Expr) catalog.Kind {
			if len(args) == 1 {
				return numericKind(KindOf(args[0]), catalog.KInt)
			}
			return catalog.KNumber
		}, eval: nullIfAnyNull(evalRound)}
	case "mod":
		return &ScalarFunc{Name: name, MinArgs: 2, MaxArgs: 2, result: func(args []Expr) catalog.Kind {
			return numericKind(KindOf(args[0]), KindOf(args[1]))
		}, eval: nullIfAnyNull(func(_ *Env, args []any) (any, error) { return Arith("%", args[0], args[1]) })}
	case "year", "month", "day", "dayofmonth", "hour", "minute", "second":
		return &ScalarFunc{Name: name, MinArgs: 1, MaxArgs: 1, result: fixed(catalog.KInt), eval: nullIfAnyNull(func(en *Env, args []any) (any, error) {
			t, err := timeArg(en, name, args[0])
			if err != nil {
				return nil, err
			}
			switch name {
			case "year":
				return int64(t.Year()), nil
			case "month":
				return int64(t.Month()), nil
			case "day", "dayofmonth":
				return int64(t.Day()), nil
			case "hour":
				return int64(t.Hour()), nil
			case "minute":
				return int64(t.Minute()), nil
			}
			return int64(t.Second()), nil
		})}
	case "date":
		return &ScalarFunc{Name: name, MinArgs: 1, MaxArgs: 1, result: fixed(catalog.KDate), eval: nullIfAnyNull(func(en *Env, args []any) (any, error) {
			t, err := timeArg(en, name, args[0])
			if err != nil {
				return nil, err
			}
			y, m, d := t.Date()
			return time.Date(y, m, d, 0, 0, 0, 0, t.Location()), nil
		})}
	}
	return nil
}

// textFunc is a one-argument text function.
func textFunc(name string, f func(string) string) *ScalarFunc {
	return &ScalarFunc{Name: name, MinArgs: 1, MaxArgs: 1, result: fixed(catalog.KText), eval: nullIfAnyNull(func(_ *Env, args []any) (any, error) {
		return f(TextOf(args[0])), nil
	})}
}

// numFunc is a one-argument numeric function.
func numFunc(name string, f func(r *big.Rat, scale int) (*big.Rat, int)) *ScalarFunc {
	return &ScalarFunc{Name: name, MinArgs: 1, MaxArgs: 1,
		result: func(args []Expr) catalog.Kind { return numericKind(KindOf(args[0]), catalog.KInt) },
		eval: nullIfAnyNull(func(_ *Env, args []any) (any, error) {
			r, scale, ok := ToRat(args[0])
			if !ok {
				return nil, fmt.Errorf("kintone: %s(): %s is not a number", name, QuoteValue(args[0]))
			}
			out, scale := f(r, scale)
			return ratValue(out, scale, isInteger(args[0]) || scale == 0), nil
		})}
}

// floorRat is the largest integer not above r.
func floorRat(r *big.Rat) *big.Int {
	q, m := new(big.Int).DivMod(r.Num(), r.Denom(), new(big.Int))
	_ = m // Euclidean division by a positive denominator floors
	return q
}

// evalRound rounds half away from zero, as MySQL does for exact numbers.
func evalRound(_ *Env, args []any) (any, error) {
	r, _, ok := ToRat(args[0])
	if !ok {
		return nil, fmt.Errorf("kintone: round(): %s is not a number", QuoteValue(args[0]))
	}
	d := int64(0)
	if len(args) == 2 {
		var err error
		if d, err = intArg("round", args[1]); err != nil {
			return nil, err
		}
	}
	if d > 30 || d < -30 {
		return nil, fmt.Errorf("kintone: round(): %d decimal places is out of range", d)
	}
	scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(abs64(d)), nil))
	x := new(big.Rat).Set(r)
	if d >= 0 {
		x.Mul(x, scale)
	} else {
		x.Quo(x, scale)
	}
	half := big.NewRat(1, 2)
	if x.Sign() < 0 {
		x.Sub(x, half)
	} else {
		x.Add(x, half)
	}
	n := new(big.Int).Quo(x.Num(), x.Denom()) // truncates toward zero
	out := new(big.Rat).SetInt(n)
	if d >= 0 {
		out.Quo(out, scale)
	} else {
		out.Mul(out, scale)
	}
	places := int(max(d, 0))
	return ratValue(out, places, places == 0), nil
}

func abs64(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// evalSubstring is SUBSTRING(s, pos[, len]) with MySQL's 1-based and
// negative positions, counted in characters.
func evalSubstring(_ *Env, args []any) (any, error) {
	r := []rune(TextOf(args[0]))
	pos, err := intArg("substring", args[1])
	if err != nil {
		return nil, err
	}
	n := int64(len(r))
	switch {
	case pos > 0:
		pos--
	case pos < 0:
		pos += n
	default:
		return "", nil
	}
	if pos < 0 || pos >= n {
		return "", nil
	}
	end := n
	if len(args) == 3 {
		l, err := intArg("substring", args[2])
		if err != nil {
			return nil, err
		}
		if l <= 0 {
			return "", nil
		}
		end = min(n, pos+l)
	}
	return string(r[pos:end]), nil
}

// intArg reads an integer argument.
func intArg(fn string, v any) (int64, error) {
	r, _, ok := ToRat(v)
	if !ok || !r.IsInt() || !r.Num().IsInt64() {
		return 0, fmt.Errorf("kintone: %s(): %s is not an integer", fn, QuoteValue(v))
	}
	return r.Num().Int64(), nil
}

// timeArg reads a date or time argument.
func timeArg(en *Env, fn string, v any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x, nil
	case string:
		if t, ok := parseAnyTime(x, en.Loc); ok {
			return t, nil
		}
	case field.Decimal, int64:
	}
	return time.Time{}, fmt.Errorf("kintone: %s(): %s is not a date or time", fn, QuoteValue(v))
}
