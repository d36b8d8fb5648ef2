package expr

import (
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/kintone-sql/kintone/translate/catalog"
)

// This file holds the clock functions (NOW(), CURDATE(), ...), date
// arithmetic with INTERVAL (DATE_ADD, DATE_SUB, ADDDATE, SUBDATE, x +
// INTERVAL n unit), TIMESTAMPDIFF and EXTRACT. Date arithmetic works on
// the wall clock of a value in its own zone, as MySQL's values have no
// zone, and gives a value in that zone.

// lookupTimeFunc returns the functions of this file and of dateformat.go
// that are called by name, or nil.
func lookupTimeFunc(name string) *ScalarFunc {
	switch name {
	case "now", "current_timestamp", "localtime", "localtimestamp", "sysdate":
		return clockFunc(name, 1, catalog.KDateTime, func(now time.Time, loc *time.Location, fsp int) any {
			return truncFsp(now.In(loc), fsp)
		})
	case "utc_timestamp":
		return clockFunc(name, 1, catalog.KDateTime, func(now time.Time, _ *time.Location, fsp int) any {
			return truncFsp(now.UTC(), fsp)
		})
	case "curdate", "current_date", "utc_date":
		return clockFunc(name, 0, catalog.KDate, func(now time.Time, loc *time.Location, _ int) any {
			if name == "utc_date" {
				loc = time.UTC
			}
			y, m, d := now.In(loc).Date()
			return time.Date(y, m, d, 0, 0, 0, 0, loc)
		})
	case "curtime", "current_time", "utc_time":
		return clockFunc(name, 1, catalog.KTime, func(now time.Time, loc *time.Location, fsp int) any {
			if name == "utc_time" {
				loc = time.UTC
			}
			t := truncFsp(now.In(loc), fsp)
			return time.Date(0, 1, 1, t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
		})
	case "adddate", "subdate":
		// ADDDATE(d, n) and SUBDATE(d, n) add days; the INTERVAL forms
		// are bound as DATE_ADD and DATE_SUB (DateAddFunc).
		return DateAddFunc(name, "DAY", name == "subdate")
	}
	return lookupFormatFunc(name)
}

// clockFunc is a function of the statement's clock reading (Env.Now),
// with an optional fractional seconds precision (0 to 6) when maxArgs is
// 1. The binder folds it to a constant, so that every call in one
// statement gives the same value, as MySQL's NOW() does.
func clockFunc(name string, maxArgs int, k catalog.Kind, f func(now time.Time, loc *time.Location, fsp int) any) *ScalarFunc {
	return &ScalarFunc{Name: name, MinArgs: 0, MaxArgs: maxArgs, result: fixed(k), eval: func(en *Env, args []any) (any, error) {
		fsp := int64(0)
		if len(args) == 1 {
			var err error
			if fsp, err = intArg(name, args[0]); err != nil {
				return nil, err
			}
			if fsp < 0 || fsp > 6 {
				return nil, fmt.Errorf("kintone: %s(): fractional seconds precision %d is out of range: MySQL allows 0 to 6", name, fsp)
			}
		}
		if en.Now.IsZero() {
			return nil, fmt.Errorf("kintone: internal error: %s() without the statement's clock", name)
		}
		loc := en.Loc
		if loc == nil {
			loc = time.UTC
		}
		return f(en.Now, loc, int(fsp)), nil
	}}
}

// IsClockFunc reports whether fn reads the statement's clock.
func IsClockFunc(fn *ScalarFunc) bool {
	switch fn.Name {
	case "now", "current_timestamp", "localtime", "localtimestamp", "sysdate", "utc_timestamp",
		"curdate", "current_date", "utc_date", "curtime", "current_time", "utc_time":
		return fn.cast == "" && fn.tag == ""
	}
	return false
}

// truncFsp keeps fsp digits of t's fraction of a second.
func truncFsp(t time.Time, fsp int) time.Time {
	d := time.Second
	for range fsp {
		d /= 10
	}
	return t.Truncate(d)
}

// intervalParts are the fields of each INTERVAL unit, largest first: a
// compound unit's value is text with one number per field.
var intervalParts = map[string][]string{
	"MICROSECOND": {"MICROSECOND"}, "SECOND": {"SECOND"}, "MINUTE": {"MINUTE"}, "HOUR": {"HOUR"},
	"DAY": {"DAY"}, "WEEK": {"WEEK"}, "MONTH": {"MONTH"}, "QUARTER": {"QUARTER"}, "YEAR": {"YEAR"},
	"SECOND_MICROSECOND": {"SECOND", "MICROSECOND"},
	"MINUTE_MICROSECOND": {"MINUTE", "SECOND", "MICROSECOND"},
	"MINUTE_SECOND":      {"MINUTE", "SECOND"},
	"HOUR_MICROSECOND":   {"HOUR", "MINUTE", "SECOND", "MICROSECOND"},
	"HOUR_SECOND":        {"HOUR", "MINUTE", "SECOND"},
	"HOUR_MINUTE":        {"HOUR", "MINUTE"},
	"DAY_MICROSECOND":    {"DAY", "HOUR", "MINUTE", "SECOND", "MICROSECOND"},
	"DAY_SECOND":         {"DAY", "HOUR", "MINUTE", "SECOND"},
	"DAY_MINUTE":         {"DAY", "HOUR", "MINUTE"},
	"DAY_HOUR":           {"DAY", "HOUR"},
	"YEAR_MONTH":         {"YEAR", "MONTH"},
}

// IsIntervalUnit reports whether unit (upper case) is one of MySQL's
// INTERVAL units.
func IsIntervalUnit(unit string) bool { return intervalParts[unit] != nil }

// IsSimpleUnit reports whether unit is a single-field unit (MICROSECOND
// to YEAR), the units of TIMESTAMPDIFF.
func IsSimpleUnit(unit string) bool { return len(intervalParts[unit]) == 1 }

// dayOrMore reports whether unit moves only the calendar date, so that a
// DATE stays a DATE.
func dayOrMore(unit string) bool {
	switch unit {
	case "DAY", "WEEK", "MONTH", "QUARTER", "YEAR", "YEAR_MONTH":
		return true
	}
	return false
}

// interval is an INTERVAL's value: months, days and microseconds, each
// with the interval's sign.
type interval struct {
	months, days, micros int64
}

// Bounds past which no date of years 1 to 9999 can come out.
var (
	maxIntervalMonths = big.NewInt(12 * 10000)
	maxIntervalDays   = big.NewInt(366 * 10000)
	maxIntervalMicros = new(big.Int).Mul(big.NewInt(366*10000*86400), big.NewInt(1e6))
	microsPer         = map[string]int64{"MICROSECOND": 1, "SECOND": 1e6, "MINUTE": 60e6, "HOUR": 3600e6}
	unitOrder         = []string{"YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "HOUR", "MINUTE", "SECOND", "MICROSECOND"}
)

// parseInterval reads the value v of INTERVAL v unit. A single-field
// unit takes a number, an integer but for SECOND (which keeps six
// decimal places, as MySQL does); a compound unit takes text with a
// number per field, any other characters between them, a leading '-'
// for the whole interval, and the leading fields left out when fewer are
// given ('1:30' DAY_MINUTE is one hour and a half), as MySQL reads it.
// MySQL rounds a decimal where an integer is needed and reads a prefix
// of bad text; here both are errors.
func parseInterval(fn, unit string, v any) (interval, error) {
	parts := intervalParts[unit]
	vals := map[string]*big.Int{}
	bad := func(why string) (interval, error) {
		return interval{}, fmt.Errorf("kintone: %s(): %s is not an INTERVAL of unit %s%s", fn, QuoteValue(v), unit, why)
	}
	if len(parts) == 1 {
		r, _, ok := ToRat(v)
		if !ok {
			return bad(": it is not a number")
		}
		if unit == "SECOND" {
			micros := new(big.Rat).Mul(r, big.NewRat(1e6, 1))
			vals["MICROSECOND"] = roundRat(micros)
		} else {
			if !r.IsInt() {
				return bad(": it is not an integer")
			}
			vals[unit] = new(big.Int).Set(r.Num())
		}
	} else {
		s := strings.TrimSpace(TextOf(v))
		neg := strings.HasPrefix(s, "-")
		var groups []string
		for i := 0; i < len(s); {
			if s[i] < '0' || s[i] > '9' {
				i++
				continue
			}
			j := i
			for j < len(s) && s[j] >= '0' && s[j] <= '9' {
				j++
			}
			groups = append(groups, s[i:j])
			i = j
		}
		if len(groups) == 0 {
			return bad(": it holds no number")
		}
		if len(groups) > len(parts) {
			return bad(fmt.Sprintf(": %s takes at most %d numbers", unit, len(parts)))
		}
		for i, g := range groups {
			p := parts[len(parts)-len(groups)+i]
			if len(g) > 18 {
				return bad(": a number is too large")
			}
			n, _ := new(big.Int).SetString(g, 10)
			if p == "MICROSECOND" {
				if len(g) > 6 {
					return bad(": microseconds take at most 6 digits")
				}
				// '1.5' SECOND_MICROSECOND is 1.5 seconds: the digits
				// are a fraction, as in MySQL.
				n.Mul(n, big.NewInt(pow10(6-len(g))))
			}
			if neg {
				n.Neg(n)
			}
			vals[p] = n
		}
	}
	months, days, micros := new(big.Int), new(big.Int), new(big.Int)
	for _, p := range unitOrder {
		n := vals[p]
		if n == nil {
			continue
		}
		switch p {
		case "YEAR":
			months.Add(months, new(big.Int).Mul(n, big.NewInt(12)))
		case "QUARTER":
			months.Add(months, new(big.Int).Mul(n, big.NewInt(3)))
		case "MONTH":
			months.Add(months, n)
		case "WEEK":
			days.Add(days, new(big.Int).Mul(n, big.NewInt(7)))
		case "DAY":
			days.Add(days, n)
		default:
			micros.Add(micros, new(big.Int).Mul(n, big.NewInt(microsPer[p])))
		}
	}
	if new(big.Int).Abs(months).Cmp(maxIntervalMonths) > 0 || new(big.Int).Abs(days).Cmp(maxIntervalDays) > 0 ||
		new(big.Int).Abs(micros).Cmp(maxIntervalMicros) > 0 {
		return interval{}, fmt.Errorf("kintone: %s(): INTERVAL %s %s is out of range: the result would not be a date of years 1 to 9999", fn, TextOf(v), unit)
	}
	return interval{months: months.Int64(), days: days.Int64(), micros: micros.Int64()}, nil
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// roundRat rounds r half away from zero.
func roundRat(r *big.Rat) *big.Int {
	x := new(big.Rat).Abs(r)
	x.Add(x, big.NewRat(1, 2))
	n := new(big.Int).Quo(x.Num(), x.Denom())
	if r.Sign() < 0 {
		n.Neg(n)
	}
	return n
}

// addInterval adds iv to t (neg: subtracts it). Months move the calendar
// month and keep the day, or the month's last day when it has fewer
// (2024-01-31 + INTERVAL 1 MONTH is 2024-02-29), as in MySQL. A time of
// day stays one: a result before 00:00 or from 24:00 is an error (MySQL's
// TIME goes to 838:59:59).
func addInterval(fn string, t time.Time, iv interval, neg bool) (time.Time, error) {
	if neg {
		iv = interval{-iv.months, -iv.days, -iv.micros}
	}
	if isClock(t) {
		if iv.months != 0 {
			return t, fmt.Errorf("kintone: %s(): %s is a time of day: months and years cannot be added to it", fn, QuoteValue(t))
		}
		const day = 86400 * 1e6
		us := (int64(t.Hour())*3600+int64(t.Minute())*60+int64(t.Second()))*1e6 + int64(t.Nanosecond()/1000)
		us += iv.days*day + iv.micros
		if us < 0 || us >= day {
			return t, fmt.Errorf("kintone: %s(): the result is not a time of day (00:00:00 to 23:59:59)", fn)
		}
		return time.Date(0, 1, 1, 0, 0, 0, int(us%day)*1000, time.UTC), nil
	}
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	if iv.months != 0 {
		total := int64(y)*12 + int64(m-1) + iv.months
		ny := total / 12
		if total%12 < 0 {
			ny--
		}
		if ny < 1 || ny > 9999 {
			return t, outOfRange(fn)
		}
		y, m = int(ny), time.Month(total-ny*12+1)
		d = min(d, daysIn(y, m))
	}
	const dayMicros = 86400 * 1e6
	w := time.Date(y, m, d, h, mi, s, t.Nanosecond(), time.UTC)
	w = w.AddDate(0, 0, int(iv.days+iv.micros/dayMicros))
	w = w.Add(time.Duration(iv.micros%dayMicros) * time.Microsecond)
	if w.Year() < 1 || w.Year() > 9999 {
		return t, outOfRange(fn)
	}
	return time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), t.Location()), nil
}

func outOfRange(fn string) error {
	return fmt.Errorf("kintone: %s(): the result is out of range (years 1 to 9999)", fn)
}

// daysIn is the number of days of month m of year y.
func daysIn(y int, m time.Month) int { return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day() }

// DateAddFunc is date arithmetic with unit: DATE_ADD(d, INTERVAL n unit)
// (name "date_add"), DATE_SUB, ADDDATE, SUBDATE, and d + INTERVAL n unit,
// d - INTERVAL n unit and INTERVAL n unit + d (name "+" or "-"), as a
// function of the date and n; sub subtracts. NULL in gives NULL. The
// result is a DATE when the date is one and the unit a day or more, a
// TIME when it is a time of day, a DATETIME otherwise.
func DateAddFunc(name, unit string, sub bool) *ScalarFunc {
	key := "date_add " + unit
	if sub {
		key = "date_sub " + unit
	}
	fnName := name
	if name == "+" || name == "-" {
		fnName = "interval"
	}
	return &ScalarFunc{Name: fnName, MinArgs: 2, MaxArgs: 2, tag: key,
		result: func(args []Expr) catalog.Kind {
			switch KindOf(args[0]) {
			case catalog.KDate:
				if dayOrMore(unit) {
					return catalog.KDate
				}
			case catalog.KTime:
				return catalog.KTime
			}
			return catalog.KDateTime
		},
		eval: nullIfAnyNull(func(en *Env, args []any) (any, error) {
			t, err := timeArg(en, fnName, args[0])
			if err != nil {
				return nil, err
			}
			iv, err := parseInterval(fnName, unit, args[1])
			if err != nil {
				return nil, err
			}
			return addInterval(fnName, t, iv, sub)
		}),
		write: func(b *strings.Builder, args []Expr) {
			switch name {
			case "+", "-":
				b.WriteByte('(')
				writeExpr(b, args[0])
				b.WriteString(" " + name + " INTERVAL ")
				writeExpr(b, args[1])
				b.WriteString(" " + unit + ")")
			default:
				b.WriteString(strings.ToUpper(name) + "(")
				writeExpr(b, args[0])
				b.WriteString(", INTERVAL ")
				writeExpr(b, args[1])
				b.WriteString(" " + unit + ")")
			}
		}}
}

// TimestampDiffFunc is TIMESTAMPDIFF(unit, a, b): b - a in whole units,
// truncated toward zero, of the wall clocks (each value in its own
// zone). MONTH, QUARTER and YEAR count whole months as MySQL does: from
// 2024-01-31 to 2024-02-29 is 0 months, since the 29th comes before the
// 31st.
func TimestampDiffFunc(unit string) *ScalarFunc {
	const name = "timestampdiff"
	return &ScalarFunc{Name: name, MinArgs: 2, MaxArgs: 2, tag: "timestampdiff " + unit, result: fixed(catalog.KInt),
		eval: nullIfAnyNull(func(en *Env, args []any) (any, error) {
			a, err := dateArg(en, name, args[0])
			if err != nil {
				return nil, err
			}
			b, err := dateArg(en, name, args[1])
			if err != nil {
				return nil, err
			}
			wa, wb := wall(a), wall(b)
			switch unit {
			case "MONTH", "QUARTER", "YEAR":
				months := monthsBetween(wa, wb)
				switch unit {
				case "QUARTER":
					return months / 3, nil
				case "YEAR":
					return months / 12, nil
				}
				return months, nil
			}
			// Microseconds between years 1 and 9999 fit an int64.
			us := (dayNumber(wb)-dayNumber(wa))*86400e6 + (clockMicros(wb) - clockMicros(wa))
			per := map[string]int64{"MICROSECOND": 1, "SECOND": 1e6, "MINUTE": 60e6, "HOUR": 3600e6, "DAY": 86400e6, "WEEK": 7 * 86400e6}[unit]
			return us / per, nil
		}),
		write: func(b *strings.Builder, args []Expr) {
			b.WriteString("TIMESTAMPDIFF(" + unit + ", ")
			writeExpr(b, args[0])
			b.WriteString(", ")
			writeExpr(b, args[1])
			b.WriteByte(')')
		}}
}

// wall is t's wall clock as a time in UTC.
func wall(t time.Time) time.Time {
	y, m, d := t.Date()
	h, mi, s := t.Clock()
	return time.Date(y, m, d, h, mi, s, t.Nanosecond(), time.UTC)
}

// clockMicros is the microseconds of t's time of day.
func clockMicros(t time.Time) int64 {
	return (int64(t.Hour())*3600+int64(t.Minute())*60+int64(t.Second()))*1e6 + int64(t.Nanosecond()/1000)
}

// monthsBetween counts the whole months from a to b (negative when b is
// earlier), as MySQL's TIMESTAMPDIFF: a month is whole when b's day and
// time of day are not before a's.
func monthsBetween(a, b time.Time) int64 {
	sign := int64(1)
	if b.Before(a) {
		a, b, sign = b, a, -1
	}
	months := int64(b.Year()-a.Year())*12 + int64(b.Month()-a.Month())
	if b.Day() < a.Day() || b.Day() == a.Day() && clockMicros(b) < clockMicros(a) {
		months--
	}
	return sign * months
}

// ExtractFunc is EXTRACT(unit FROM x): a field of the date or time, or
// for a compound unit its fields' digits run together (YEAR_MONTH of
// 2024-05-03 is 202405, HOUR_MINUTE of 10:05 is 1005), as in MySQL. WEEK
// is WEEK(x, 0). A time of day has no date fields: DAY, WEEK, MONTH,
// QUARTER, YEAR and the compound units with them are errors on one
// (MySQL gives 0).
func ExtractFunc(unit string) *ScalarFunc {
	const name = "extract"
	return &ScalarFunc{Name: name, MinArgs: 1, MaxArgs: 1, tag: "extract " + unit, result: fixed(catalog.KInt),
		eval: nullIfAnyNull(func(en *Env, args []any) (any, error) {
			parts := intervalParts[unit]
			read := timeArg
			if parts[0] != "HOUR" && parts[0] != "MINUTE" && parts[0] != "SECOND" && parts[0] != "MICROSECOND" {
				read = dateArg
			}
			t, err := read(en, name, args[0])
			if err != nil {
				return nil, err
			}
			// field is the value of p and the factor the digits before it
			// are shifted by to make room for it (YEAR_MONTH is year * 100
			// + month).
			field := func(p string) (int64, int64) {
				switch p {
				case "YEAR":
					return int64(t.Year()), 1
				case "QUARTER":
					return int64(t.Month()+2) / 3, 10
				case "MONTH":
					return int64(t.Month()), 100
				case "WEEK":
					w, _ := calcWeek(t, weekMode(0))
					return int64(w), 100
				case "DAY":
					return int64(t.Day()), 100
				case "HOUR":
					return int64(t.Hour()), 100
				case "MINUTE":
					return int64(t.Minute()), 100
				case "SECOND":
					return int64(t.Second()), 100
				}
				return int64(t.Nanosecond() / 1000), 1e6
			}
			var v int64
			for _, p := range parts {
				f, width := field(p)
				v = v*width + f
			}
			return v, nil
		}),
		write: func(b *strings.Builder, args []Expr) {
			b.WriteString("EXTRACT(" + unit + " FROM ")
			writeExpr(b, args[0])
			b.WriteByte(')')
		}}
}
