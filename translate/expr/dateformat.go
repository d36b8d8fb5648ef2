package expr

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/kintone-sql/kintone/translate/catalog"
)

// This file holds DATE_FORMAT, STR_TO_DATE, WEEK, WEEKOFYEAR, YEARWEEK,
// DAYNAME, MONTHNAME, DAYOFYEAR and MAKEDATE, with MySQL's week modes and
// English names (MySQL's default lc_time_names, en_US).

// lookupFormatFunc returns the functions of this file, or nil.
func lookupFormatFunc(name string) *ScalarFunc {
	switch name {
	case "date_format":
		return &ScalarFunc{Name: name, MinArgs: 2, MaxArgs: 2, result: fixed(catalog.KText), eval: nullIfAnyNull(func(en *Env, args []any) (any, error) {
			t, err := dateArg(en, name, args[0])
			if err != nil {
				return nil, err
			}
			return dateFormat(t, TextOf(args[1])), nil
		})}
	case "week", "yearweek":
		return &ScalarFunc{Name: name, MinArgs: 1, MaxArgs: 2, result: fixed(catalog.KInt), eval: nullIfAnyNull(func(en *Env, args []any) (any, error) {
			t, err := dateArg(en, name, args[0])
			if err != nil {
				return nil, err
			}
			mode := int64(0) // MySQL's default_week_format
			if len(args) == 2 {
				if mode, err = intArg(name, args[1]); err != nil {
					return nil, err
				}
			}
			if name == "yearweek" {
				w, y := calcWeek(t, weekMode(mode)|weekYear)
				return int64(y)*100 + int64(w), nil
			}
			w, _ := calcWeek(t, weekMode(mode))
			return int64(w), nil
		})}
	case "weekofyear":
		return dateIntFunc(name, func(t time.Time) int64 { w, _ := calcWeek(t, weekMode(3)); return int64(w) })
	case "dayofyear":
		return dateIntFunc(name, func(t time.Time) int64 { return int64(t.YearDay()) })
	case "dayname", "monthname":
		return &ScalarFunc{Name: name, MinArgs: 1, MaxArgs: 1, result: fixed(catalog.KText), eval: nullIfAnyNull(func(en *Env, args []any) (any, error) {
			t, err := dateArg(en, name, args[0])
			if err != nil {
				return nil, err
			}
			if name == "dayname" {
				return t.Weekday().String(), nil
			}
			return t.Month().String(), nil
		})}
	case "makedate":
		return &ScalarFunc{Name: name, MinArgs: 2, MaxArgs: 2, result: fixed(catalog.KDate), eval: nullIfAnyNull(func(en *Env, args []any) (any, error) {
			y, err := intArg(name, args[0])
			if err != nil {
				return nil, err
			}
			d, err := intArg(name, args[1])
			if err != nil {
				return nil, err
			}
			if d <= 0 || y < 0 || y > 9999 || d > 366*10000 {
				return nil, nil // MySQL: NULL
			}
			if y < 70 {
				y += 2000
			} else if y < 100 {
				y += 1900
			}
			t := time.Date(int(y), 1, int(d), 0, 0, 0, 0, locOf(en))
			if t.Year() > 9999 {
				return nil, nil
			}
			return t, nil
		})}
	case "str_to_date":
		return &ScalarFunc{Name: name, MinArgs: 2, MaxArgs: 2, result: strToDateKind, eval: nullIfAnyNull(func(en *Env, args []any) (any, error) {
			return strToDate(TextOf(args[0]), TextOf(args[1]), locOf(en))
		})}
	}
	return nil
}

func locOf(en *Env) *time.Location {
	if en.Loc == nil {
		return time.UTC
	}
	return en.Loc
}

// dateIntFunc is a one-argument function of a date giving an integer.
func dateIntFunc(name string, f func(time.Time) int64) *ScalarFunc {
	return &ScalarFunc{Name: name, MinArgs: 1, MaxArgs: 1, result: fixed(catalog.KInt), eval: nullIfAnyNull(func(en *Env, args []any) (any, error) {
		t, err := dateArg(en, name, args[0])
		if err != nil {
			return nil, err
		}
		return f(t), nil
	})}
}

// The bits of a week behaviour (MySQL's sql_time.h).
const (
	weekMondayFirst  = 1
	weekYear         = 2
	weekFirstWeekday = 4
)

// weekMode turns WEEK's mode argument into a week behaviour, as MySQL's
// week_mode: only the low three bits count.
func weekMode(mode int64) int {
	f := int(mode & 7)
	if f&weekMondayFirst == 0 {
		f ^= weekFirstWeekday
	}
	return f
}

// calcWeek is MySQL's calc_week: the week of t's date and the year it
// belongs to, under week behaviour b.
func calcWeek(t time.Time, b int) (week, year int) {
	daynr := dayNumber(t)
	first := dayNumber(time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC))
	mondayFirst := b&weekMondayFirst != 0
	wy := b&weekYear != 0
	firstWeekday := b&weekFirstWeekday != 0
	weekday := weekdayOf(first, !mondayFirst)
	year = t.Year()
	if t.Month() == 1 && t.Day() <= 7-weekday {
		if !wy && (firstWeekday && weekday != 0 || !firstWeekday && weekday >= 4) {
			return 0, year
		}
		wy = true
		year--
		days := daysInYear(year)
		first -= int64(days)
		weekday = (weekday + 53*7 - days) % 7
	}
	var days int64
	if firstWeekday && weekday != 0 || !firstWeekday && weekday >= 4 {
		days = daynr - (first + int64(7-weekday))
	} else {
		days = daynr - (first - int64(weekday))
	}
	if wy && days >= 52*7 {
		weekday = (weekday + daysInYear(year)) % 7
		if !firstWeekday && weekday < 4 || firstWeekday && weekday == 0 {
			return 1, year + 1
		}
	}
	return int(days/7) + 1, year
}

// weekdayOf is the weekday of day number n (dayNumber's): 0 = Monday, or
// 0 = Sunday when sundayFirst.
func weekdayOf(n int64, sundayFirst bool) int {
	w := (n + 3) % 7 // 1970-01-01 was a Thursday
	if sundayFirst {
		w = (n + 4) % 7
	}
	if w < 0 {
		w += 7
	}
	return int(w)
}

func daysInYear(y int) int {
	if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		return 366
	}
	return 365
}

// dateFormat is MySQL's DATE_FORMAT: the specifiers of its table; %x for
// any other character x gives x, and a % at the end stays.
func dateFormat(t time.Time, f string) string {
	var b strings.Builder
	pad := func(n, w int) { fmt.Fprintf(&b, "%0*d", w, n) }
	hour12 := func() int {
		h := t.Hour() % 12
		if h == 0 {
			h = 12
		}
		return h
	}
	ampm := func() string {
		if t.Hour() < 12 {
			return "AM"
		}
		return "PM"
	}
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '%' || i+1 == len(f) {
			b.WriteByte(c)
			continue
		}
		i++
		switch f[i] {
		case 'a':
			b.WriteString(t.Weekday().String()[:3])
		case 'b':
			b.WriteString(t.Month().String()[:3])
		case 'c':
			b.WriteString(strconv.Itoa(int(t.Month())))
		case 'D':
			d := t.Day()
			suffix := "th"
			if d/10 != 1 {
				switch d % 10 {
				case 1:
					suffix = "st"
				case 2:
					suffix = "nd"
				case 3:
					suffix = "rd"
				}
			}
			b.WriteString(strconv.Itoa(d) + suffix)
		case 'd':
			pad(t.Day(), 2)
		case 'e':
			b.WriteString(strconv.Itoa(t.Day()))
		case 'f':
			pad(t.Nanosecond()/1000, 6)
		case 'H':
			pad(t.Hour(), 2)
		case 'h', 'I':
			pad(hour12(), 2)
		case 'i':
			pad(t.Minute(), 2)
		case 'j':
			pad(t.YearDay(), 3)
		case 'k':
			b.WriteString(strconv.Itoa(t.Hour()))
		case 'l':
			b.WriteString(strconv.Itoa(hour12()))
		case 'M':
			b.WriteString(t.Month().String())
		case 'm':
			pad(int(t.Month()), 2)
		case 'p':
			b.WriteString(ampm())
		case 'r':
			pad(hour12(), 2)
			b.WriteByte(':')
			pad(t.Minute(), 2)
			b.WriteByte(':')
			pad(t.Second(), 2)
			b.WriteString(" " + ampm())
		case 'S', 's':
			pad(t.Second(), 2)
		case 'T':
			pad(t.Hour(), 2)
			b.WriteByte(':')
			pad(t.Minute(), 2)
			b.WriteByte(':')
			pad(t.Second(), 2)
		case 'U':
			w, _ := calcWeek(t, weekFirstWeekday)
			pad(w, 2)
		case 'u':
			w, _ := calcWeek(t, weekMondayFirst)
			pad(w, 2)
		case 'V':
			w, _ := calcWeek(t, weekYear|weekFirstWeekday)
			pad(w, 2)
		case 'v':
			w, _ := calcWeek(t, weekMondayFirst|weekYear)
			pad(w, 2)
		case 'X':
			_, y := calcWeek(t, weekYear|weekFirstWeekday)
			pad(y, 4)
		case 'x':
			_, y := calcWeek(t, weekMondayFirst|weekYear)
			pad(y, 4)
		case 'W':
			b.WriteString(t.Weekday().String())
		case 'w':
			b.WriteString(strconv.Itoa(int(t.Weekday())))
		case 'Y':
			pad(t.Year(), 4)
		case 'y':
			pad(t.Year()%100, 2)
		default:
			b.WriteByte(f[i]) // %% is %, %q is q
		}
	}
	return b.String()
}

// strToDateKind is STR_TO_DATE's kind: by the specifiers of a constant
// format, a DATE, a TIME or a DATETIME as in MySQL; a DATETIME when the
// format is not known before the rows are read.
func strToDateKind(args []Expr) catalog.Kind {
	c, ok := args[1].(*Const)
	if !ok || c.Value == nil {
		return catalog.KDateTime
	}
	date, clock := formatParts(TextOf(c.Value))
	switch {
	case date && !clock:
		return catalog.KDate
	case clock && !date:
		return catalog.KTime
	}
	return catalog.KDateTime
}

// formatParts reports whether format f has date and time-of-day
// specifiers.
func formatParts(f string) (date, clock bool) {
	for i := 0; i+1 < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		i++
		switch f[i] {
		case 'Y', 'y', 'm', 'c', 'd', 'e', 'j', 'M', 'b', 'D':
			date = true
		case 'H', 'k', 'h', 'I', 'l', 'i', 's', 'S', 'f', 'p', 'T', 'r':
			clock = true
		}
	}
	return date, clock
}

// strToDate is MySQL's STR_TO_DATE for the specifiers %Y %y %m %c %d %e
// %D %j %M %b %W %a %H %k %h %I %l %i %s %S %f %p %T %r and %%: a blank
// in the format matches any run of blanks, other characters match
// themselves. MySQL gives NULL for text that does not match, a date with
// a zero or impossible part, and (with a warning) a value followed by
// more text; here each is an error naming the text. The result is a DATE
// when the format has no time of day, a TIME when it has no date, a
// DATETIME otherwise.
func strToDate(s, f string, loc *time.Location) (any, error) {
	bad := func(why string) error {
		return fmt.Errorf("kintone: str_to_date(): %s does not match the format %s: %s", QuoteValue(s), QuoteValue(f), why)
	}
	year, month, day, yday := -1, -1, -1, -1
	hour, minute, sec, micro := 0, 0, 0, 0
	pm, hasPM, h12 := false, false, false
	pos := 0
	skipBlanks := func() {
		for pos < len(s) && unicode.IsSpace(rune(s[pos])) {
			pos++
		}
	}
	num := func(maxDigits int) (int, bool) {
		start := pos
		if pos < len(s) && (s[pos] == '+' || s[pos] == '-') {
			return 0, false
		}
		for pos < len(s) && pos-start < maxDigits && s[pos] >= '0' && s[pos] <= '9' {
			pos++
		}
		if pos == start {
			return 0, false
		}
		n, _ := strconv.Atoi(s[start:pos])
		return n, true
	}
	name := func(names []string) (int, bool) {
		for i, n := range names {
			if len(s)-pos >= len(n) && strings.EqualFold(s[pos:pos+len(n)], n) {
				pos += len(n)
				return i, true
			}
		}
		return 0, false
	}
	var months, monthsShort, days, daysShort []string
	for m := time.January; m <= time.December; m++ {
		months = append(months, m.String())
		monthsShort = append(monthsShort, m.String()[:3])
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		days = append(days, d.String())
		daysShort = append(daysShort, d.String()[:3])
	}
	var spec func(c byte) error
	spec = func(c byte) error {
		var ok bool
		if c != '%' {
			skipBlanks() // MySQL skips blanks before each specifier's value
		}
		switch c {
		case 'Y':
			start := pos
			year, ok = num(4)
			if ok && pos-start <= 2 {
				year = twoDigitYear(year)
			}
		case 'y':
			year, ok = num(2)
			year = twoDigitYear(year)
		case 'm', 'c':
			month, ok = num(2)
		case 'd', 'e':
			day, ok = num(2)
		case 'D':
			if day, ok = num(2); ok {
				_, ok = name([]string{"st", "nd", "rd", "th"})
			}
		case 'j':
			yday, ok = num(3)
		case 'M':
			month, ok = name(months)
			month++
		case 'b':
			month, ok = name(monthsShort)
			month++
		case 'W':
			_, ok = name(days)
		case 'a':
			_, ok = name(daysShort)
		case 'H', 'k':
			hour, ok = num(2)
		case 'h', 'I', 'l':
			hour, ok = num(2)
			h12 = true
		case 'i':
			minute, ok = num(2)
		case 's', 'S':
			sec, ok = num(2)
		case 'f':
			start := pos
			if micro, ok = num(6); ok {
				micro *= int(pow10(6 - (pos - start)))
			}
		case 'p':
			var i int
			if i, ok = name([]string{"AM", "PM"}); ok {
				pm, hasPM = i == 1, true
			}
		case 'T', 'r':
			sub := "%H:%i:%s"
			if c == 'r' {
				sub = "%I:%i:%S %p"
			}
			for j := 0; j < len(sub); j++ {
				if sub[j] == '%' {
					j++
					if err := spec(sub[j]); err != nil {
						return err
					}
					continue
				}
				if sub[j] == ' ' {
					skipBlanks()
					continue
				}
				if pos >= len(s) || s[pos] != sub[j] {
					return bad(fmt.Sprintf("expected %q at character %d", sub[j], pos+1))
				}
				pos++
			}
			return nil
		case '%':
			ok = pos < len(s) && s[pos] == '%'
			pos++
		default:
			return fmt.Errorf("kintone: str_to_date(): the format specifier %%%c is not supported", c)
		}
		if !ok {
			return bad(fmt.Sprintf("%%%c does not match at character %d", c, pos+1))
		}
		return nil
	}
	for i := 0; i < len(f); i++ {
		c := f[i]
		switch {
		case unicode.IsSpace(rune(c)):
			skipBlanks()
		case c == '%' && i+1 < len(f):
			i++
			if err := spec(f[i]); err != nil {
				return nil, err
			}
		default:
			if pos >= len(s) || s[pos] != c {
				return nil, bad(fmt.Sprintf("expected %q at character %d", c, pos+1))
			}
			pos++
		}
	}
	skipBlanks()
	if pos < len(s) {
		return nil, bad(fmt.Sprintf("text is left from character %d", pos+1))
	}
	if h12 {
		if hour < 1 || hour > 12 {
			return nil, bad("a 12-hour clock's hour is 1 to 12")
		}
		hour %= 12
	}
	if hasPM && pm {
		hour += 12
	}
	if hour > 23 || minute > 59 || sec > 59 {
		return nil, bad("the time of day is out of range")
	}
	date, clock := formatParts(f)
	if !date {
		return time.Date(0, 1, 1, hour, minute, sec, micro*1000, time.UTC), nil
	}
	if year < 0 {
		return nil, bad("it has no year")
	}
	if yday >= 0 && month < 0 && day < 0 {
		if yday < 1 || yday > daysInYear(year) {
			return nil, bad("the day of the year is out of range")
		}
		month, day = 1, yday
	}
	if month < 1 || month > 12 || day < 1 || day > daysIn(year, time.Month(month)) || year < 1 {
		return nil, bad("it is not a date (a zero or impossible year, month or day)")
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, micro*1000, loc)
	if !clock {
		return time.Date(year, time.Month(month), day, 0, 0, 0, 0, loc), nil
	}
	return t, nil
}

// twoDigitYear is MySQL's reading of a two-digit year: 00 to 69 are
// 2000 to 2069, 70 to 99 are 1970 to 1999.
func twoDigitYear(y int) int {
	switch {
	case y < 70:
		return y + 2000
	case y < 100:
		return y + 1900
	}
	return y
}
