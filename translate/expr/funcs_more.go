package expr

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
)

// This file holds the functions of issue 14, item 4: LPAD, RPAD, INSTR,
// LOCATE, REVERSE, REPEAT; POWER, POW, SQRT, GREATEST, LEAST; QUARTER,
// DAYOFWEEK, WEEKDAY, DATEDIFF, LAST_DAY. Text is counted in characters
// (code points), as MySQL counts utf8mb4 text.

// MaxResultBytes bounds the text LPAD, RPAD and REPEAT build: MySQL gives
// NULL (with a warning) past max_allowed_packet, 64 MiB by default; here
// it is an error naming the function, so a typo cannot pass for NULL.
const MaxResultBytes = 64 << 20

// lookupMoreFunc returns the functions of this file, or nil.
func lookupMoreFunc(name string) *ScalarFunc {
	switch name {
	case "lpad", "rpad":
		return &ScalarFunc{Name: name, MinArgs: 3, MaxArgs: 3, result: fixed(catalog.KText), eval: nullIfAnyNull(func(_ *Env, args []any) (any, error) {
			return evalPad(name, args)
		})}
	case "instr":
		return &ScalarFunc{Name: name, MinArgs: 2, MaxArgs: 2, result: fixed(catalog.KInt), eval: nullIfAnyNull(func(_ *Env, args []any) (any, error) {
			return locate(TextOf(args[1]), TextOf(args[0]), 1), nil
		})}
	case "locate":
		return &ScalarFunc{Name: name, MinArgs: 2, MaxArgs: 3, result: fixed(catalog.KInt), eval: nullIfAnyNull(func(_ *Env, args []any) (any, error) {
			pos := int64(1)
			if len(args) == 3 {
				var err error
				if pos, err = intArg(name, args[2]); err != nil {
					return nil, err
				}
			}
			return locate(TextOf(args[0]), TextOf(args[1]), pos), nil
		})}
	case "reverse":
		return textFunc(name, func(s string) string {
			r := []rune(s)
			for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
				r[i], r[j] = r[j], r[i]
			}
			return string(r)
		})
	case "repeat":
		return &ScalarFunc{Name: name, MinArgs: 2, MaxArgs: 2, result: fixed(catalog.KText), eval: nullIfAnyNull(func(_ *Env, args []any) (any, error) {
			n, err := intArg(name, args[1])
			if err != nil {
				return nil, err
			}
			s := TextOf(args[0])
			if n < 1 || s == "" {
				return "", nil
			}
			if n > MaxResultBytes/int64(len(s)) {
				return nil, tooLong(name)
			}
			return strings.Repeat(s, int(n)), nil
		})}
	case "power", "pow":
		return &ScalarFunc{Name: name, MinArgs: 2, MaxArgs: 2, result: fixed(catalog.KNumber), eval: nullIfAnyNull(func(_ *Env, args []any) (any, error) {
			x, err := doubleArg(name, args[0])
			if err != nil {
				return nil, err
			}
			y, err := doubleArg(name, args[1])
			if err != nil {
				return nil, err
			}
			return doubleValue(name, math.Pow(x, y))
		})}
	case "sqrt":
		return &ScalarFunc{Name: name, MinArgs: 1, MaxArgs: 1, result: fixed(catalog.KNumber), eval: nullIfAnyNull(func(_ *Env, args []any) (any, error) {
			x, err := doubleArg(name, args[0])
			if err != nil {
				return nil, err
			}
			if x < 0 {
				return nil, nil // MySQL: SQRT of a negative number is NULL
			}
			return doubleValue(name, math.Sqrt(x))
		})}
	case "greatest", "least":
		sign := 1
		if name == "least" {
			sign = -1
		}
		return &ScalarFunc{Name: name, MinArgs: 2, MaxArgs: -1, result: extremeKind, evalExprs: func(en *Env, exprs []Expr, args []any) (any, error) {
			return evalExtreme(en, extremeKind(exprs), sign, name, args)
		}}
	case "quarter", "dayofweek", "weekday":
		return &ScalarFunc{Name: name, MinArgs: 1, MaxArgs: 1, result: fixed(catalog.KInt), eval: nullIfAnyNull(func(en *Env, args []any) (any, error) {
			t, err := dateArg(en, name, args[0])
			if err != nil {
				return nil, err
			}
			switch name {
			case "quarter":
				return int64(t.Month()+2) / 3, nil
			case "dayofweek":
				return int64(t.Weekday()) + 1, nil // 1 = Sunday
			}
			return (int64(t.Weekday()) + 6) % 7, nil // 0 = Monday
		})}
	case "datediff":
		return &ScalarFunc{Name: name, MinArgs: 2, MaxArgs: 2, result: fixed(catalog.KInt), eval: nullIfAnyNull(func(en *Env, args []any) (any, error) {
			a, err := dateArg(en, name, args[0])
			if err != nil {
				return nil, err
			}
			b, err := dateArg(en, name, args[1])
			if err != nil {
				return nil, err
			}
			return dayNumber(a) - dayNumber(b), nil
		})}
	case "last_day":
		return &ScalarFunc{Name: name, MinArgs: 1, MaxArgs: 1, result: fixed(catalog.KDate), eval: nullIfAnyNull(func(en *Env, args []any) (any, error) {
			t, err := dateArg(en, name, args[0])
			if err != nil {
				return nil, err
			}
			return time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, t.Location()), nil
		})}
	}
	return nil
}

func tooLong(fn string) error {
	return fmt.Errorf("kintone: %s(): the result would be longer than %d bytes", fn, MaxResultBytes)
}

// evalPad is LPAD and RPAD: str padded with pad (repeated, the last copy
// cut) on the left or right to n characters, or cut to n characters when
// longer; NULL when n is negative, or when padding is needed and pad is
// empty.
func evalPad(fn string, args []any) (any, error) {
	n, err := intArg(fn, args[1])
	if err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, nil
	}
	text := TextOf(args[0])
	s := []rune(text)
	if n <= int64(len(s)) {
		return string(s[:n]), nil
	}
	padText := TextOf(args[2])
	pad := []rune(padText)
	if len(pad) == 0 {
		return nil, nil
	}
	k := n - int64(len(s)) // characters to add
	copies, rest := k/int64(len(pad)), k%int64(len(pad))
	if copies > (MaxResultBytes-int64(len(text)))/int64(len(padText)) {
		return nil, tooLong(fn)
	}
	fill := strings.Repeat(padText, int(copies)) + string(pad[:rest])
	if len(text)+len(fill) > MaxResultBytes {
		return nil, tooLong(fn)
	}
	if fn == "rpad" {
		return text + fill, nil
	}
	return fill + text, nil
}

// locate is the 1-based character position of the first sub in s at or
// after character pos, 0 when there is none or pos is out of range (below
// 1, or past the character after the last).
func locate(sub, s string, pos int64) int64 {
	n := int64(utf8.RuneCountInString(s))
	if pos < 1 || pos > n+1 {
		return 0
	}
	// The byte offset of character pos.
	off := 0
	for i := int64(1); i < pos; i++ {
		_, size := utf8.DecodeRuneInString(s[off:])
		off += size
	}
	i := strings.Index(s[off:], sub)
	if i < 0 {
		return 0
	}
	return pos + int64(utf8.RuneCountInString(s[off:off+i]))
}

// doubleArg reads a numeric argument as MySQL's DOUBLE does.
func doubleArg(fn string, v any) (float64, error) {
	if _, _, ok := ToRat(v); ok {
		// A number too small for a double reads as 0; one too large is
		// not a double at all.
		f, err := strconv.ParseFloat(strings.TrimSpace(TextOf(v)), 64)
		if err == nil || errors.Is(err, strconv.ErrRange) && !math.IsInf(f, 0) {
			return f, nil
		}
	}
	return 0, fmt.Errorf("kintone: %s(): %s is not a number", fn, QuoteValue(v))
}

// doubleValue is a DOUBLE result as this engine keeps numbers: the exact
// decimal of the shortest text that reads back as the same double (what
// MySQL prints for it). A result that is not finite is MySQL's error 1690,
// DOUBLE value is out of range.
func doubleValue(fn string, f float64) (any, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, fmt.Errorf("kintone: %s(): the result is out of range for a DOUBLE", fn)
	}
	if f == 0 {
		f = 0 // no negative zero
	}
	return field.Decimal(strconv.FormatFloat(f, 'f', -1, 64)), nil
}

// extremeKind is the kind GREATEST and LEAST compare and return: numbers
// when every argument is a number (or a condition), integers when every
// one is an integer, one kind of date or time when they all are, text
// otherwise (MySQL compares a mix of numbers and text as text).
func extremeKind(args []Expr) catalog.Kind {
	k := catalog.KAny
	for _, a := range args {
		ak := KindOf(a)
		if ak == catalog.KBool {
			ak = catalog.KInt
		}
		k = unify(k, ak)
	}
	return k
}

// evalExtreme is GREATEST (sign 1) or LEAST (sign -1) over values of
// kind k: NULL when any argument is NULL.
func evalExtreme(en *Env, k catalog.Kind, sign int, name string, args []any) (any, error) {
	for _, a := range args {
		if a == nil {
			return nil, nil
		}
	}
	switch k {
	case catalog.KInt, catalog.KNumber:
		var best *big.Rat
		scale := 0
		for _, a := range args {
			r, s, ok := ToRat(a)
			if !ok {
				return nil, fmt.Errorf("kintone: %s(): %s is not a number", name, QuoteValue(a))
			}
			scale = max(scale, s)
			if best == nil || r.Cmp(best)*sign > 0 {
				best = r
			}
		}
		return ratValue(best, scale, k == catalog.KInt), nil
	case catalog.KDate, catalog.KDateTime, catalog.KTime:
		var best time.Time
		for i, a := range args {
			t, err := timeArg(en, name, a)
			if err != nil {
				return nil, err
			}
			if i == 0 || t.Compare(best)*sign > 0 {
				best = t
			}
		}
		return best, nil
	}
	best := TextOf(args[0])
	for _, a := range args[1:] {
		if isMulti(a) {
			return nil, fmt.Errorf("kintone: %s(): cannot compare %s", name, describe(a))
		}
		if s := TextOf(a); strings.Compare(s, best)*sign > 0 {
			best = s
		}
	}
	if isMulti(args[0]) {
		return nil, fmt.Errorf("kintone: %s(): cannot compare %s", name, describe(args[0]))
	}
	return best, nil
}

// dateArg reads a date argument for the functions that need a calendar
// day: a time of day alone has none.
func dateArg(en *Env, fn string, v any) (time.Time, error) {
	t, err := timeArg(en, fn, v)
	if err != nil {
		return t, err
	}
	if isClock(t) {
		return t, fmt.Errorf("kintone: %s(): %s is a time of day, not a date", fn, QuoteValue(v))
	}
	return t, nil
}

// isClock reports whether t is a TIME value: a wall clock on 0000-01-01
// in UTC.
func isClock(t time.Time) bool {
	return t.Year() == 0 && t.Month() == 1 && t.Day() == 1 && t.Location() == time.UTC
}

// dayNumber counts the days of t's calendar date (in its own zone) from
// an arbitrary epoch.
func dayNumber(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// XorFunc is a XOR b: NULL when either is NULL, else true when exactly
// one of them is true, as MySQL's logical XOR.
func XorFunc() *ScalarFunc {
	return &ScalarFunc{Name: "xor", MinArgs: 2, MaxArgs: 2, result: fixed(catalog.KBool), eval: nullIfAnyNull(func(_ *Env, args []any) (any, error) {
		a, _ := Truth(args[0])
		b, _ := Truth(args[1])
		return a != b, nil
	}), write: func(b *strings.Builder, args []Expr) {
		b.WriteByte('(')
		writeExpr(b, args[0])
		b.WriteString(" XOR ")
		writeExpr(b, args[1])
		b.WriteByte(')')
	}}
}
