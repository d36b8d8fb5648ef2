package expr

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
)

// This file holds the SQL semantics of values in Go: comparison and
// ordering, truth, equality keys for GROUP BY and DISTINCT, and exact
// decimal arithmetic. NULL is nil throughout; callers handle it before
// comparing (three-valued logic lives in eval.go).

// ValueKey returns a string that is equal for two values exactly when SQL
// considers them equal (numbers by value: 1, 1.0 and TRUE share a key;
// text byte by byte; times by instant; users by code).
func ValueKey(v any) string {
	switch x := v.(type) {
	case nil:
		return "N"
	case bool, int64, field.Decimal:
		if r, _, ok := ToRat(x); ok {
			return "D" + r.RatString()
		}
		return "S" + fmt.Sprint(x)
	case string:
		return "S" + x
	case time.Time:
		return "T" + x.UTC().Format(time.RFC3339Nano)
	case field.EntityRef:
		return "E" + x.Code
	case []field.EntityRef:
		codes := make([]string, len(x))
		for i, e := range x {
			codes[i] = e.Code
		}
		b, _ := json.Marshal(codes)
		return "U" + string(b)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("X%#v", v)
	}
	return "J" + string(b)
}

// isNumeric reports whether v is a number (booleans count, as in MySQL).
func isNumeric(v any) bool {
	switch v.(type) {
	case int64, field.Decimal, bool:
		return true
	}
	return false
}

// CompareValues orders two non-NULL values. Numbers compare by value,
// text byte by byte (the order Kintone sorts text in, and MySQL's binary
// collation), times by instant, users, organizations and groups by code.
// A number and a text that reads as a number compare as numbers; a time
// And a text that reads as a date or time compare as times; other mixed
// pairs compare as text. Lists cannot be ordered.
func CompareValues(a, b any, loc *time.Location) (int, error) {
	if raw, ok := a.(json.RawMessage); ok {
		if v, ok := jsonScalarSQL(raw); ok {
			a = v
		}
	}
	if raw, ok := b.(json.RawMessage); ok {
		if v, ok := jsonScalarSQL(raw); ok {
			b = v
		}
	}
	switch x := a.(type) {
	case string:
		switch y := b.(type) {
		case string:
			return strings.Compare(x, y), nil
		case field.EntityRef:
			return strings.Compare(x, y.Code), nil
		case time.Time:
			if t, ok := parseAnyTime(x, loc); ok {
				return t.Compare(y), nil
			}
		}
		if isNumeric(b) {
			if r, _, ok := ToRat(x); ok {
				rb, _, _ := ToRat(b)
				return r.Cmp(rb), nil
			}
		}
	case time.Time:
		switch y := b.(type) {
		case time.Time:
			return x.Compare(y), nil
		case string:
			if t, ok := parseAnyTime(y, loc); ok {
				return x.Compare(t), nil
			}
		}
	case field.EntityRef:
		switch y := b.(type) {
		case field.EntityRef:
			return strings.Compare(x.Code, y.Code), nil
		case string:
			return strings.Compare(x.Code, y), nil
		}
	case int64:
		if y, ok := b.(int64); ok {
			switch {
			case x < y:
				return -1, nil
			case x > y:
				return 1, nil
			}
			return 0, nil
		}
	case field.Decimal:
		if y, ok := b.(field.Decimal); ok {
			return field.CompareDecimal(string(x), string(y)), nil
		}
	}
	if isNumeric(a) {
		ra, _, _ := ToRat(a)
		if rb, _, ok := ToRat(b); ok {
			return ra.Cmp(rb), nil
		}
	}
	if isMulti(a) || isMulti(b) {
		return 0, fmt.Errorf("kintone: cannot compare %s with %s", describe(a), describe(b))
	}
	return strings.Compare(TextOf(a), TextOf(b)), nil
}

// isMulti reports whether v is a list value.
func isMulti(v any) bool {
	switch v.(type) {
	case []string, []field.EntityRef, []field.FileRef, []field.Row, json.RawMessage:
		return true
	}
	return false
}

// describe names a value's kind for messages.
func describe(v any) string {
	switch v.(type) {
	case []string:
		return "a list of options"
	case []field.EntityRef:
		return "a list of users, organizations or groups"
	case []field.FileRef:
		return "a list of files"
	case []field.Row:
		return "a subtable"
	case json.RawMessage:
		return "a JSON value"
	}
	return fmt.Sprintf("%T", v)
}

// TextOf prints a scalar value as text (CONCAT, LIKE on non-text, mixed
// comparisons).
func TextOf(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case field.Decimal:
		return string(x)
	case int64:
		return catalog.FormatInt(x)
	case bool:
		if x {
			return "1"
		}
		return "0"
	case time.Time:
		switch {
		case x.Year() == 0 && x.Month() == 1 && x.Day() == 1:
			return x.Format("15:04:05")
		case x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0:
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05")
	case field.EntityRef:
		return x.Code
	}
	if b, err := field.DriverValue(v); err == nil {
		if bs, ok := b.([]byte); ok {
			return string(bs)
		}
	}
	return fmt.Sprint(v)
}

// Truth is the truth value of v in a condition: nil is unknown (NULL),
// numbers are true when not zero, text is true when it reads as a non-zero
// number (MySQL), and every other non-NULL value is true.
func Truth(v any) (val, known bool) {
	switch x := v.(type) {
	case nil:
		return false, false
	case bool:
		return x, true
	case int64:
		return x != 0, true
	case field.Decimal:
		return field.CompareDecimal(string(x), "0") != 0, true
	case string:
		if r, _, ok := ToRat(x); ok {
			return r.Sign() != 0, true
		}
		return false, true
	}
	return true, true
}

// ToRat reads a numeric value (or a text that is a number) as a rational,
// with its scale (digits after the decimal point).
func ToRat(v any) (*big.Rat, int, bool) {
	switch x := v.(type) {
	case int64:
		return new(big.Rat).SetInt64(x), 0, true
	case bool:
		if x {
			return big.NewRat(1, 1), 0, true
		}
		return new(big.Rat), 0, true
	case field.Decimal:
		return ratFromText(string(x))
	case string:
		return ratFromText(strings.TrimSpace(x))
	}
	return nil, 0, false
}

// ratFromText parses a decimal text (exponents allowed, as MySQL reads
// numeric strings).
func ratFromText(s string) (*big.Rat, int, bool) {
	canon, ok := field.NormalizeNumber(s)
	if !ok {
		return nil, 0, false
	}
	r, ok := new(big.Rat).SetString(canon)
	if !ok {
		return nil, 0, false
	}
	scale := 0
	if _, frac, dot := strings.Cut(canon, "."); dot {
		scale = len(frac)
	}
	// Keep the written scale of a plain decimal ("1.50" has scale 2).
	if _, frac, dot := strings.Cut(s, "."); dot && !strings.ContainsAny(s, "eE") && len(frac) > scale {
		scale = len(frac)
	}
	return r, scale, true
}

// ratValue turns an arithmetic result into a value: an int64 when both
// operands were integers and the result is one that fits, a Decimal with
// the given scale otherwise.
func ratValue(r *big.Rat, scale int, integer bool) any {
	if integer && r.IsInt() && r.Num().IsInt64() {
		return r.Num().Int64()
	}
	return field.Decimal(r.FloatString(scale))
}

// Arith applies an arithmetic operator to two non-NULL values. Division
// And modulo by zero give NULL, as in MySQL.
func Arith(op string, a, b any) (any, error) {
	ra, sa, ok := ToRat(a)
	if !ok {
		return nil, fmt.Errorf("kintone: %s is not a number", QuoteValue(a))
	}
	rb, sb, ok := ToRat(b)
	if !ok {
		return nil, fmt.Errorf("kintone: %s is not a number", QuoteValue(b))
	}
	integer := isInteger(a) && isInteger(b)
	scale := max(sa, sb)
	r := new(big.Rat)
	switch op {
	case "+":
		r.Add(ra, rb)
	case "-":
		r.Sub(ra, rb)
	case "*":
		r.Mul(ra, rb)
		scale = sa + sb
	case "/":
		if rb.Sign() == 0 {
			return nil, nil
		}
		r.Quo(ra, rb)
		return field.Decimal(r.FloatString(sa + 4)), nil
	case "div":
		if rb.Sign() == 0 {
			return nil, nil
		}
		q := new(big.Int).Quo(new(big.Int).Mul(ra.Num(), rb.Denom()), new(big.Int).Mul(ra.Denom(), rb.Num()))
		if q.IsInt64() {
			return q.Int64(), nil
		}
		return field.Decimal(q.String()), nil
	case "%":
		if rb.Sign() == 0 {
			return nil, nil
		}
		// a - b * trunc(a / b), with the sign of a, as MySQL's MOD.
		q := new(big.Int).Quo(new(big.Int).Mul(ra.Num(), rb.Denom()), new(big.Int).Mul(ra.Denom(), rb.Num()))
		r.Sub(ra, new(big.Rat).Mul(rb, new(big.Rat).SetInt(q)))
	default:
		return nil, fmt.Errorf("kintone: unknown operator %s", op)
	}
	return ratValue(r, scale, integer), nil
}

// isInteger reports whether v is an integer-typed value.
func isInteger(v any) bool {
	switch v.(type) {
	case int64, bool:
		return true
	}
	return false
}

// QuoteValue prints a value for an error message.
func QuoteValue(v any) string {
	s := TextOf(v)
	if len(s) > 40 {
		s = s[:40] + "…"
	}
	return fmt.Sprintf("%q", s)
}

// parseAnyTime reads text as a date or a date and time in loc, or a time
// of day (which has no zone: see parseClock). It accepts "YYYY-MM-DD",
// "YYYY-MM-DD HH:MM[:SS[.fff]]", RFC 3339
// ("YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)") and "HH:MM[:SS]".
func parseAnyTime(s string, loc *time.Location) (time.Time, bool) {
	if t, ok := parseDate(s, loc); ok {
		return t, true
	}
	if t, ok := ParseDateTime(s, loc); ok {
		return t, true
	}
	return ParseClock(s)
}

// parseDate reads "YYYY-MM-DD" as midnight in loc.
func parseDate(s string, loc *time.Location) (time.Time, bool) {
	t, err := time.ParseInLocation("2006-01-02", s, loc)
	return t, err == nil
}

// ParseDateTime reads a date and time: RFC 3339 with a zone, or
// "YYYY-MM-DD HH:MM[:SS[.fff]]" / "YYYY-MM-DDTHH:MM[:SS]" in loc, or a
// date alone (midnight in loc).
func ParseDateTime(s string, loc *time.Location) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.In(loc), true
	}
	for _, layout := range []string{"2006-01-02 15:04:05.999999999", "2006-01-02 15:04", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02T15:04:05-0700", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// ParseClock reads "HH:MM[:SS]" as a time of day: the wall clock on
// 0000-01-01 in UTC, as TIME values read (field.Codec).
func ParseClock(s string) (time.Time, bool) {
	for _, layout := range []string{"15:04:05", "15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return ClockOf(t), true
		}
	}
	return time.Time{}, false
}

// ClockOf is the time of day of t, its wall clock in its own zone, as a
// TIME value: 0000-01-01 in UTC, truncated to the minute Kintone keeps.
func ClockOf(t time.Time) time.Time {
	return time.Date(0, 1, 1, t.Hour(), t.Minute(), 0, 0, time.UTC)
}
