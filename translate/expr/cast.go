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

// CastTarget is the type of a CAST or CONVERT the engine runs.
type CastTarget struct {
	Type   string // SIGNED, UNSIGNED, DECIMAL, CHAR, DATE, DATETIME or TIME
	Length int    // DECIMAL's precision; CHAR's length, -1 when absent
	Scale  int    // DECIMAL's scale
}

// String is the type as EXPLAIN prints it.
func (t CastTarget) String() string {
	switch {
	case t.Type == "DECIMAL":
		return fmt.Sprintf("DECIMAL(%d, %d)", t.Length, t.Scale)
	case t.Type == "CHAR" && t.Length >= 0:
		return fmt.Sprintf("CHAR(%d)", t.Length)
	}
	return t.Type
}

// CastFunc is CAST(x AS t) with MySQL's conversions, as a one-argument
// function. NULL stays NULL. Where MySQL converts with a warning (text
// that is not wholly a number or a date, a number out of the type's
// range) it is an error naming the value; a time of day has no date to
// give a DATE or DATETIME (MySQL takes today's).
func CastFunc(t CastTarget) *ScalarFunc {
	fn := &ScalarFunc{Name: "cast", MinArgs: 1, MaxArgs: 1, cast: t.String()}
	var kind catalog.Kind
	switch t.Type {
	case "SIGNED":
		kind = catalog.KInt
	case "UNSIGNED", "DECIMAL":
		kind = catalog.KNumber
	case "CHAR":
		kind = catalog.KText
	case "DATE":
		kind = catalog.KDate
	case "DATETIME":
		kind = catalog.KDateTime
	case "TIME":
		kind = catalog.KTime
	}
	fn.result = fixed(kind)
	fn.evalExprs = func(en *Env, exprs []Expr, args []any) (any, error) {
		v := args[0]
		if v == nil {
			return nil, nil
		}
		if isMulti(v) && t.Type != "CHAR" {
			return nil, castErr(t, v, fmt.Sprintf("cannot convert %s", describe(v)))
		}
		if tm, ok := v.(time.Time); ok && t.Type != "DATE" && t.Type != "DATETIME" && t.Type != "TIME" {
			// A date or time becomes its text, or its digits as a number
			// (20240501, 20240501103000, 103000), as in MySQL.
			text := temporalText(KindOf(exprs[0]), tm)
			if t.Type == "CHAR" {
				return cutChars(text, t.Length), nil
			}
			v = strings.NewReplacer("-", "", " ", "", ":", "").Replace(text)
		}
		switch t.Type {
		case "SIGNED", "UNSIGNED":
			return castInteger(t, v)
		case "DECIMAL":
			return castDecimal(t, v)
		case "CHAR":
			return cutChars(TextOf(v), t.Length), nil
		case "DATE", "DATETIME":
			tm, err := castTime(en, t, v)
			if err != nil {
				return nil, err
			}
			if isClock(tm) {
				return nil, castErr(t, v, "is a time of day, not a date")
			}
			if t.Type == "DATE" {
				return time.Date(tm.Year(), tm.Month(), tm.Day(), 0, 0, 0, 0, tm.Location()), nil
			}
			return tm.Round(time.Second), nil
		case "TIME":
			tm, err := castTime(en, t, v)
			if err != nil {
				return nil, err
			}
			tm = tm.Round(time.Second)
			return time.Date(0, 1, 1, tm.Hour(), tm.Minute(), tm.Second(), 0, time.UTC), nil
		}
		return nil, fmt.Errorf("kintone: CAST AS %s is not supported", t)
	}
	return fn
}

func castErr(t CastTarget, v any, what string) error {
	return fmt.Errorf("kintone: CAST AS %s: %s %s", t, QuoteValue(v), what)
}

// temporalText prints a date or time as its kind k reads (DATE, DATETIME
// or TIME), or as TextOf does when k is not one of them.
func temporalText(k catalog.Kind, t time.Time) string {
	switch k {
	case catalog.KDate:
		return t.Format("2006-01-02")
	case catalog.KDateTime:
		return t.Format("2006-01-02 15:04:05")
	case catalog.KTime:
		return t.Format("15:04:05")
	}
	return TextOf(t)
}

// cutChars keeps the first n characters of s (all of them when n < 0).
func cutChars(s string, n int) string {
	if n < 0 || utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

var (
	maxInt64  = new(big.Int).SetUint64(1<<63 - 1)
	minInt64  = new(big.Int).Neg(new(big.Int).SetUint64(1 << 63))
	maxUint64 = new(big.Int).SetUint64(1<<64 - 1)
	two64     = new(big.Int).Lsh(big.NewInt(1), 64)
)

// castInteger is CAST AS SIGNED or UNSIGNED: integers as they are (a
// negative one wraps around 2^64 for UNSIGNED, as MySQL does), decimals
// rounded half away from zero, text only when it is an integer.
func castInteger(t CastTarget, v any) (any, error) {
	var n *big.Int
	switch x := v.(type) {
	case int64:
		n = big.NewInt(x)
		if x < 0 && t.Type == "UNSIGNED" {
			n.Add(n, two64)
		}
	case bool:
		n = big.NewInt(0)
		if x {
			n.SetInt64(1)
		}
	case field.Decimal:
		r, _, ok := ToRat(x)
		if !ok {
			return nil, castErr(t, v, "is not a number")
		}
		if r.Sign() < 0 && t.Type == "UNSIGNED" {
			return nil, castErr(t, v, "is out of range")
		}
		n = roundHalfAway(r)
	default:
		s := strings.TrimSpace(TextOf(v))
		digits := strings.TrimPrefix(s, "+")
		if t.Type == "SIGNED" && strings.HasPrefix(s, "-") {
			digits = s[1:]
		}
		if digits == "" || strings.Trim(digits, "0123456789") != "" {
			return nil, castErr(t, v, "is not an integer")
		}
		n, _ = new(big.Int).SetString(s, 10)
	}
	lo, hi := minInt64, maxInt64
	if t.Type == "UNSIGNED" {
		lo, hi = new(big.Int), maxUint64
	}
	if n.Cmp(lo) < 0 || n.Cmp(hi) > 0 {
		return nil, castErr(t, v, "is out of range")
	}
	if n.IsInt64() {
		return n.Int64(), nil
	}
	return field.Decimal(n.String()), nil
}

// roundHalfAway rounds r to an integer, halves away from zero.
func roundHalfAway(r *big.Rat) *big.Int {
	x := new(big.Rat).Abs(r)
	x.Add(x, big.NewRat(1, 2))
	n := new(big.Int).Quo(x.Num(), x.Denom())
	if r.Sign() < 0 {
		n.Neg(n)
	}
	return n
}

// castDecimal is CAST AS DECIMAL(m, d): the number rounded half away
// from zero to d places, an error when it needs more than m digits.
func castDecimal(t CastTarget, v any) (any, error) {
	r, _, ok := ToRat(v)
	if !ok {
		return nil, castErr(t, v, "is not a number")
	}
	scale := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(t.Scale)), nil))
	n := roundHalfAway(new(big.Rat).Mul(r, scale))
	limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(t.Length)), nil)
	if new(big.Int).Abs(n).Cmp(limit) >= 0 {
		return nil, castErr(t, v, "is out of range")
	}
	return field.Decimal(new(big.Rat).Quo(new(big.Rat).SetInt(n), scale).FloatString(t.Scale)), nil
}

// castTime reads a value for CAST AS DATE, DATETIME or TIME: a date or
// time as it is, or a text in one of the forms the engine reads.
func castTime(en *Env, t CastTarget, v any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return x, nil
	case string:
		s := strings.TrimSpace(x)
		for _, layout := range []string{"15:04:05.999999999", "15:04"} {
			if tm, err := time.Parse(layout, s); err == nil {
				return time.Date(0, 1, 1, tm.Hour(), tm.Minute(), tm.Second(), tm.Nanosecond(), time.UTC), nil
			}
		}
		if tm, ok := ParseDateTime(s, en.Loc); ok {
			return tm, nil
		}
		what := "is not a date"
		if t.Type == "TIME" {
			what = "is not a time"
		}
		return time.Time{}, castErr(t, v, what)
	}
	return time.Time{}, castErr(t, v, "is not a date or time")
}

// TextOperands returns the result operands of COALESCE, IFNULL, IF or
// CASE with each that is not text cast to CHAR, when their common kind
// is text: in MySQL the result of a date and a string is a string, so
// that COALESCE(d, '2024-09-19') gives one value for a date column that
// holds that day and for an empty one (GROUP BY and DISTINCT see one
// group). Operands of one kind, or of numbers only, are returned as
// they are.
func TextOperands(args []Expr) []Expr {
	k := catalog.KAny
	for _, a := range args {
		k = unify(k, KindOf(a))
	}
	if k != catalog.KText {
		return args
	}
	out := make([]Expr, len(args))
	for i, a := range args {
		switch KindOf(a) {
		case catalog.KText, catalog.KAny:
			out[i] = a
		default:
			out[i] = &Call{Fn: CastFunc(CastTarget{Type: "CHAR", Length: -1}), Args: []Expr{a}, At: a.Offset()}
		}
	}
	return out
}
