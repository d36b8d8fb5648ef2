package search

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
)

// bound is one literal compiled for a field kind: the empty value (""), a
// point, or a half-open interval [lo, hi) (a day-based function, or a
// date-only literal against a DATETIME field).
type bound[L any] struct {
	empty  bool
	span   bool
	lo, hi L
}

func point[L any](v L) bound[L]     { return bound[L]{lo: v} }
func span[L any](lo, hi L) bound[L] { return bound[L]{span: true, lo: lo, hi: hi} }

// badLiteral is the error for a value that cannot be compared with the
// field's type, such as "abc" against a NUMBER. Kintone's answer is not
// documented; a malformed literal is a query-syntax problem, so it is
// CB_VA01 like every other malformed query (A.9).
func badLiteral() error { return apierr.QuerySyntax() }

const (
	dateLayout     = "2006-01-02"
	dateTimeLayout = "2006-01-02T15:04:00Z" // the stored form: UTC, seconds 00 (B.1)
)

// fmtDate formats a civil date as stored. Dates outside the four-digit
// years that Kintone stores (B.2) become sentinels that still order
// correctly against stored text.
func fmtDate(t time.Time) string {
	switch y := t.Year(); {
	case y < 1:
		return "0000-00-00"
	case y > 9999:
		return "9999-99-99"
	}
	return t.Format(dateLayout)
}

// fmtDateTime formats an instant as stored: UTC, truncated to the minute.
func fmtDateTime(t time.Time) string {
	t = t.UTC()
	switch y := t.Year(); {
	case y < 1:
		return "0000-00-00T00:00:00Z"
	case y > 9999:
		return "9999-99-99T99:99:00Z"
	}
	return t.Truncate(time.Minute).Format(dateTimeLayout)
}

// dayStartUTC is the instant a civil day starts in loc, as stored text.
func dayStartUTC(d time.Time, loc *time.Location) string {
	return fmtDateTime(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc))
}

// dateBound compiles a DATE operand: "YYYY-MM-DD" (compared as a calendar
// date, A.6.4) or a day-based function.
func (c *compiler) dateBound(v kql.Value) (bound[string], error) {
	if v.Kind == kql.Func {
		r := dateFunc(v, c.today)
		return span(fmtDate(r.from), fmtDate(r.to)), nil
	}
	if v.Text == "" {
		return bound[string]{empty: true}, nil
	}
	// Only the full form is accepted: the short forms of B.2 ("2015-7")
	// are documented for writes, not for queries.
	t, err := time.Parse(dateLayout, v.Text)
	if err != nil {
		return bound[string]{}, badLiteral()
	}
	return point(fmtDate(t)), nil
}

// Layouts of DATETIME literals with a zone: Z, +09:00 and +0900 all work
// (A.6.4 [D]); seconds may be left out. time.Parse also accepts fractional
// seconds after the seconds field.
var zonedLayouts = []string{
	"2006-01-02T15:04:05Z07:00", "2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z07:00", "2006-01-02T15:04Z0700",
}

// Layouts of DATETIME literals without a zone.
var localLayouts = []string{"2006-01-02T15:04:05", "2006-01-02T15:04"}

// dateTimeBound compiles an operand of a DATETIME-like field.
//
//   - An instant with Z or an offset is converted to UTC and truncated to
//     the minute, the precision Kintone stores (A.6.4): seconds in a literal
//     are dropped as they are on write.
//   - A date-only literal ("2024-01-01") means that whole day in the user's
//     time zone, an interval like TODAY(). A.6.4 leaves this open [U]
//     (whole day, or UTC midnight); the whole-day reading is what a user
//     typing a date means, and the one the day-based functions use.
//   - An instant without a zone is read in the user's time zone [U], for
//     the same reason and for consistency with the date-only form.
//   - NOW() is the current minute; the other functions are day intervals
//     in the user's zone converted to UTC (A.7).
func (c *compiler) dateTimeBound(v kql.Value) (bound[string], error) {
	if v.Kind == kql.Func {
		if v.Text == "NOW" {
			return point(fmtDateTime(c.now)), nil
		}
		r := dateFunc(v, c.today)
		return span(dayStartUTC(r.from, c.loc), dayStartUTC(r.to, c.loc)), nil
	}
	s := v.Text
	if s == "" {
		return bound[string]{empty: true}, nil
	}
	if d, err := time.Parse(dateLayout, s); err == nil {
		return span(dayStartUTC(d, c.loc), dayStartUTC(d.AddDate(0, 0, 1), c.loc)), nil
	}
	for _, l := range zonedLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return point(fmtDateTime(t)), nil
		}
	}
	for _, l := range localLayouts {
		if t, err := time.ParseInLocation(l, s, c.loc); err == nil {
			return point(fmtDateTime(t)), nil
		}
	}
	return bound[string]{}, badLiteral()
}

// timeBound compiles a TIME operand. It reads what a TIME write accepts
// (field.NormalizeTime): "HH:MM", a one-digit hour, and seconds, which are
// dropped as they are on write.
func timeBound(v kql.Value) (bound[string], error) {
	if v.Text == "" {
		return bound[string]{empty: true}, nil
	}
	t, ok := field.NormalizeTime(v.Text)
	if !ok {
		return bound[string]{}, badLiteral()
	}
	return point(t), nil
}

// numberBound compiles a NUMBER or CALC operand to canonical decimal text,
// quoted or not (A.2: `数値 >= "1"` works).
func numberBound(v kql.Value) (bound[string], error) {
	if v.Text == "" {
		return bound[string]{empty: true}, nil
	}
	n, ok := field.NormalizeNumber(v.Text)
	if !ok {
		return bound[string]{}, badLiteral()
	}
	return point(n), nil
}

// recordNumberBound compiles a RECORD_NUMBER operand: a number, or an
// app-code form "APPCODE-12" compared by its number (see numericPart).
func recordNumberBound(v kql.Value) (bound[string], error) {
	if v.Text == "" {
		return bound[string]{empty: true}, nil
	}
	v.Text = numericPart(v.Text)
	if v.Text == "" {
		return bound[string]{}, badLiteral() // "APPCODE-" has no number
	}
	return numberBound(v)
}

// idLit is a $id literal as floor(x) and whether x has a fraction, so that
// integer IDs compare with any decimal without parsing per record.
type idLit struct {
	floor int64
	frac  bool
}

// idCmp compares a record ID with a literal.
func idCmp(id int64, l idLit) int {
	switch {
	case id < l.floor:
		return -1
	case id > l.floor:
		return 1
	case l.frac:
		return -1 // id == floor < x
	}
	return 0
}

func idBound(v kql.Value) (bound[idLit], error) {
	if v.Text == "" {
		return bound[idLit]{empty: true}, nil
	}
	n, ok := field.NormalizeNumber(v.Text)
	if !ok {
		return bound[idLit]{}, badLiteral()
	}
	l, ok := parseIDLit(n)
	if !ok {
		return bound[idLit]{}, badLiteral()
	}
	return point(l), nil
}

// parseIDLit splits canonical decimal text ("-12.5") into floor and
// fraction. Magnitudes beyond int64 are clamped: every ID is then below
// (or above) the literal, which is the true answer.
func parseIDLit(s string) (idLit, bool) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	intPart, fracPart, _ := strings.Cut(s, ".")
	if intPart == "" && fracPart == "" {
		return idLit{}, false
	}
	frac := false
	for _, ch := range fracPart {
		if ch < '0' || ch > '9' {
			return idLit{}, false
		}
		if ch != '0' {
			frac = true
		}
	}
	var n uint64
	overflow := false
	for _, ch := range intPart {
		if ch < '0' || ch > '9' {
			return idLit{}, false
		}
		if n > (math.MaxInt64-9)/10 {
			overflow = true
			continue
		}
		n = n*10 + uint64(ch-'0')
	}
	switch {
	case overflow && neg:
		return idLit{floor: math.MinInt64}, true
	case overflow:
		return idLit{floor: math.MaxInt64, frac: true}, true
	case neg && frac:
		return idLit{floor: -int64(n) - 1, frac: true}, true
	case neg:
		return idLit{floor: -int64(n)}, true
	}
	return idLit{floor: int64(n), frac: frac}, true
}

// durationBound compiles an operand of a CALC in HOUR_MINUTE or
// DAY_HOUR_MINUTE format, in seconds: "49:30" as the value is written, or
// an integer number of seconds (A.6.3 [U]).
func durationBound(v kql.Value) (bound[int64], error) {
	if v.Text == "" {
		return bound[int64]{empty: true}, nil
	}
	if s, ok := parseDuration(v.Text); ok {
		return point(s), nil
	}
	if n, err := strconv.ParseInt(v.Text, 10, 64); err == nil {
		return point(n), nil
	}
	return bound[int64]{}, badLiteral()
}

// parseDuration reads "[-]H:MM" as seconds.
func parseDuration(s string) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	h, m, ok := strings.Cut(strings.TrimPrefix(s, "-"), ":")
	if !ok {
		return 0, false
	}
	hn, err1 := strconv.ParseInt(h, 10, 64)
	mn, err2 := strconv.ParseInt(m, 10, 64)
	if err1 != nil || err2 != nil || hn < 0 || mn < 0 || mn > 59 || hn > math.MaxInt64/3600-1 {
		return 0, false
	}
	secs := hn*3600 + mn*60
	if neg {
		secs = -secs
	}
	return secs, true
}
