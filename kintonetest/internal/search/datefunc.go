package search

import (
	"strconv"
	"strings"
	"time"

	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
)

// The query functions of QUERY-AND-FIELDS.md A.7.

// dayRange is a half-open range of calendar days [from, to). Each end is a
// civil date carried as a time.Time at UTC midnight, so that day arithmetic
// never meets a daylight-saving change.
type dayRange struct{ from, to time.Time }

// weekdays are the arguments of THIS_WEEK and its siblings, in the order the
// documentation lists them: the week runs Sunday to Saturday (A.7 [T][U]).
var weekdays = [...]string{"SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY"}

// funcArgs returns a function's arguments with surrounding spaces removed;
// "F()" has none even if the parser reports one empty argument.
func funcArgs(v kql.Value) []string {
	args := make([]string, len(v.Args))
	for i, a := range v.Args {
		args[i] = strings.TrimSpace(a)
	}
	if len(args) == 1 && args[0] == "" {
		return nil
	}
	return args
}

// checkFuncArgs validates a function's arguments (A.7): GAIA_IL08 for a
// wrong count or a non-integer FROM_TODAY count, GAIA_IQ25 for a bad
// FROM_TODAY unit, GAIA_IQ23 for a bad day of THIS_MONTH and its siblings.
//
// Choices where the documents are silent: an unknown weekday is GAIA_IL08
// (no dedicated code is known); any month-day argument other than LAST and
// 1..31 (FIRST, 0, 32, 1.5) is GAIA_IQ23, whose text names the value.
// Arguments are matched case-sensitively in upper case, as the documents
// write them.
func checkFuncArgs(v kql.Value) error {
	args := funcArgs(v)
	switch v.Text {
	case "FROM_TODAY":
		if len(args) != 2 {
			return apierr.QueryFuncArgs()
		}
		if _, err := strconv.ParseInt(args[0], 10, 64); err != nil {
			return apierr.QueryFuncArgs()
		}
		switch args[1] {
		case "DAYS", "WEEKS", "MONTHS", "YEARS":
			return nil
		}
		return apierr.QueryFuncUnit()
	case "THIS_WEEK", "LAST_WEEK", "NEXT_WEEK":
		if len(args) > 1 {
			return apierr.QueryFuncArgs()
		}
		if len(args) == 1 && weekdayIndex(args[0]) < 0 {
			return apierr.QueryFuncArgs()
		}
		return nil
	case "THIS_MONTH", "LAST_MONTH", "NEXT_MONTH":
		if len(args) > 1 {
			return apierr.QueryFuncArgs()
		}
		if len(args) == 1 && args[0] != "LAST" {
			if n, err := strconv.Atoi(args[0]); err != nil || n < 1 || n > 31 {
				return apierr.QueryFuncDay(args[0])
			}
		}
		return nil
	}
	if len(args) != 0 {
		return apierr.QueryFuncArgs()
	}
	return nil
}

func weekdayIndex(s string) int {
	for i, w := range weekdays {
		if w == s {
			return i
		}
	}
	return -1
}

// civil returns t's calendar date as a time at UTC midnight.
func civil(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// today is the calendar day of now in the user's time zone (A.7: at UTC
// 2026-04-24 13:51 it is 2026-04-25 in UTC+13 and 2026-04-24 in UTC-10).
func today(now time.Time, loc *time.Location) time.Time {
	y, m, d := now.In(loc).Date()
	return civil(y, m, d)
}

// maxFromToday bounds FROM_TODAY's count so that date arithmetic cannot
// overflow; any count beyond it lands outside Kintone's date range anyway.
const maxFromToday = 10_000_000

// dateFunc returns the days a checked day-based function stands for, given
// today's date. Every function is a half-open interval (A.7).
func dateFunc(v kql.Value, t time.Time) dayRange {
	args := funcArgs(v)
	day := func(d time.Time) dayRange { return dayRange{d, d.AddDate(0, 0, 1)} }
	switch v.Text {
	case "TODAY":
		return day(t)
	case "YESTERDAY":
		return day(t.AddDate(0, 0, -1))
	case "TOMORROW":
		return day(t.AddDate(0, 0, 1))
	case "FROM_TODAY":
		n, _ := strconv.ParseInt(args[0], 10, 64)
		n = max(-maxFromToday, min(maxFromToday, n))
		switch args[1] {
		case "DAYS":
			return day(t.AddDate(0, 0, int(n)))
		case "WEEKS":
			return day(t.AddDate(0, 0, 7*int(n)))
		case "MONTHS":
			return day(addMonthsClamped(t, int(n)))
		default: // YEARS
			return day(addMonthsClamped(t, 12*int(n)))
		}
	case "THIS_WEEK", "LAST_WEEK", "NEXT_WEEK":
		start := t.AddDate(0, 0, -int(t.Weekday()))
		switch v.Text {
		case "LAST_WEEK":
			start = start.AddDate(0, 0, -7)
		case "NEXT_WEEK":
			start = start.AddDate(0, 0, 7)
		}
		if len(args) == 1 {
			return day(start.AddDate(0, 0, weekdayIndex(args[0])))
		}
		return dayRange{start, start.AddDate(0, 0, 7)}
	case "THIS_MONTH", "LAST_MONTH", "NEXT_MONTH":
		first := civil(t.Year(), t.Month(), 1)
		switch v.Text {
		case "LAST_MONTH":
			first = first.AddDate(0, -1, 0)
		case "NEXT_MONTH":
			first = first.AddDate(0, 1, 0)
		}
		next := first.AddDate(0, 1, 0)
		if len(args) == 0 {
			return dayRange{first, next}
		}
		if args[0] == "LAST" {
			return day(next.AddDate(0, 0, -1))
		}
		n, _ := strconv.Atoi(args[0])
		d := first.AddDate(0, 0, n-1)
		if !d.Before(next) {
			// A.7: a day the month does not have becomes the 1st of the
			// following month (THIS_MONTH(31) in April is May 1).
			d = next
		}
		return day(d)
	default: // THIS_YEAR, LAST_YEAR, NEXT_YEAR
		y := t.Year()
		switch v.Text {
		case "LAST_YEAR":
			y--
		case "NEXT_YEAR":
			y++
		}
		return dayRange{civil(y, 1, 1), civil(y+1, 1, 1)}
	}
}

// addMonthsClamped adds months to a date, moving a day the target month
// lacks to that month's last day (Jan 31 + 1 month = Feb 28 or 29).
//
// FROM_TODAY(n, MONTHS|YEARS) on such a day is undocumented [U]. Go's
// AddDate would roll over into the next month (Mar 3); clamping is what
// java.time's plusMonths does, and Kintone's server runs on the JVM. The
// documented "1st of the following month" rule belongs to THIS_MONTH(n),
// where n names a day rather than an offset.
func addMonthsClamped(t time.Time, months int) time.Time {
	first := civil(t.Year(), t.Month(), 1).AddDate(0, months, 0)
	last := first.AddDate(0, 1, -1).Day()
	return civil(first.Year(), first.Month(), min(t.Day(), last))
}
