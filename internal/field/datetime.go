package field

import "time"

// NormalizeDate parses a DATE write value and returns "YYYY-MM-DD" (B.2).
//
// Accepted: a four-digit year, then optionally "-" and a month of one or two
// digits, then optionally "-" and a day of one or two digits: "2015",
// "2015-7", "2015-07", "2015-7-4", "2015-07-04". A missing month or day is
// 01. ok is false for anything else, for an impossible calendar date
// ("2023-02-30", "2015-13") and for a date outside 1000-01-01..9999-12-31.
//
// Choices the docs leave open: surrounding white space is refused; a time
// part ("2015-07-04T00:00:00Z") is refused rather than cut off; a year must
// have exactly four digits (the range makes shorter years impossible and
// "02015" is refused rather than read as 2015).
func NormalizeDate(s string) (date string, ok bool) {
	y, rest, ok := fixedDigits(s, 4)
	if !ok {
		return "", false
	}
	m, d := 1, 1
	if rest != "" {
		if m, rest, ok = shortPart(rest); !ok {
			return "", false
		}
		if rest != "" {
			if d, rest, ok = shortPart(rest); !ok || rest != "" {
				return "", false
			}
		}
	}
	if y < 1000 || !validDate(y, m, d) {
		return "", false
	}
	return string(appendDate(make([]byte, 0, 10), y, m, d)), true
}

// shortPart reads "-" and one or two digits.
func shortPart(s string) (n int, rest string, ok bool) {
	if len(s) < 2 || s[0] != '-' || !isDigit(s[1]) {
		return 0, "", false
	}
	if len(s) >= 3 && isDigit(s[2]) {
		return int(s[1]-'0')*10 + int(s[2]-'0'), s[3:], true
	}
	return int(s[1] - '0'), s[2:], true
}

// NormalizeTime parses a TIME write value and returns "HH:MM".
//
// The docs give only "HH:MM". Also accepted, by analogy with the documented
// leniency of DATE (short parts are zero-padded) and DATETIME (seconds are
// dropped): a one-digit hour ("9:05" -> "09:05") and a seconds part of two
// digits, which is dropped without rounding ("09:05:59" -> "09:05").
// Refused: white space, fractions of a second, time zones, "24:00", a
// one-digit minute, anything outside 00:00..23:59:59.
func NormalizeTime(s string) (hhmm string, ok bool) {
	if len(s) < 2 || !isDigit(s[0]) {
		return "", false
	}
	h, rest := int(s[0]-'0'), s[1:]
	if isDigit(rest[0]) {
		h, rest = h*10+int(rest[0]-'0'), rest[1:]
	}
	m, rest, ok := colonPart(rest)
	if !ok || h > 23 || m > 59 {
		return "", false
	}
	if rest != "" {
		sec, r, ok := colonPart(rest)
		if !ok || r != "" || sec > 59 {
			return "", false
		}
	}
	return string(appendClock(make([]byte, 0, 5), h, m)), true
}

// colonPart reads ":" and exactly two digits.
func colonPart(s string) (n int, rest string, ok bool) {
	if len(s) < 3 || s[0] != ':' {
		return 0, "", false
	}
	return twoDigits(s[1:])
}

// NormalizeDateTime parses a DATETIME write value and returns the UTC instant
// as "YYYY-MM-DDTHH:MM:00Z" (B.2).
//
// Accepted:
//
//	YYYY-MM-DD                                   UTC midnight
//	YYYY-MM-DDTHH:MM[:SS[.fff…]]Z
//	YYYY-MM-DDTHH:MM[:SS[.fff…]]±HH:MM
//	YYYY-MM-DDTHH:MM[:SS[.fff…]]±HHMM             (the official sample's form)
//
// Seconds and fractions are dropped, never rounded: "…T10:59:59.9Z" is
// 10:59. The instant must lie in 1000-01-01T00:00Z..9999-12-31T23:59Z after
// conversion to UTC.
//
// Choices the docs leave open: a time without a zone is refused (it would be
// a local time with no rule for the zone); the short DATE forms ("2015-7")
// are not accepted here; 'T' and 'Z' must be upper case; white space is
// refused; an offset may be -23:59..+23:59 (ISO 8601 has no smaller bound);
// the fraction may have any number of digits; a leap second ":60" is refused.
func NormalizeDateTime(s string) (utc string, ok bool) {
	y, m, d, rest, ok := fullDate(s)
	if !ok {
		return "", false
	}
	var h, mi, off int
	if rest != "" {
		if h, mi, rest, ok = clockPart(rest); !ok {
			return "", false
		}
		if off, ok = zonePart(rest); !ok {
			return "", false
		}
	}
	t := time.Date(y, time.Month(m), d, h, mi, 0, 0, time.UTC).Add(-time.Duration(off) * time.Minute)
	y, mo, d := t.Date()
	if y < 1000 || y > 9999 {
		return "", false
	}
	b := make([]byte, 0, 20)
	b = appendDate(b, y, int(mo), d)
	b = append(b, 'T')
	b = appendClock(b, t.Hour(), t.Minute())
	b = append(b, ":00Z"...)
	return string(b), true
}

// fullDate reads "YYYY-MM-DD" (any year 0000..9999, since an offset may move
// the instant into range) and checks it is a calendar date.
func fullDate(s string) (y, m, d int, rest string, ok bool) {
	if y, rest, ok = fixedDigits(s, 4); !ok || len(rest) < 6 || rest[0] != '-' || rest[3] != '-' {
		return 0, 0, 0, "", false
	}
	if m, _, ok = twoDigits(rest[1:3]); !ok {
		return 0, 0, 0, "", false
	}
	if d, rest, ok = twoDigits(rest[4:]); !ok || !validDate(y, m, d) {
		return 0, 0, 0, "", false
	}
	return y, m, d, rest, true
}

// clockPart reads "THH:MM", then optionally ":SS" and optionally a fraction,
// and returns the hour and minute.
func clockPart(s string) (h, m int, rest string, ok bool) {
	if len(s) < 1 || s[0] != 'T' {
		return 0, 0, "", false
	}
	if h, rest, ok = twoDigits(s[1:]); !ok || h > 23 {
		return 0, 0, "", false
	}
	if m, rest, ok = colonPart(rest); !ok || m > 59 {
		return 0, 0, "", false
	}
	if len(rest) > 0 && rest[0] == ':' {
		var sec int
		if sec, rest, ok = colonPart(rest); !ok || sec > 59 {
			return 0, 0, "", false
		}
		if len(rest) > 0 && rest[0] == '.' {
			i := 1
			for i < len(rest) && isDigit(rest[i]) {
				i++
			}
			if i == 1 {
				return 0, 0, "", false
			}
			rest = rest[i:]
		}
	}
	return h, m, rest, true
}

// zonePart reads the whole remaining "Z", "±HH:MM" or "±HHMM" and returns the
// offset east of UTC in minutes.
func zonePart(s string) (minutes int, ok bool) {
	if s == "Z" {
		return 0, true
	}
	if len(s) < 5 || (s[0] != '+' && s[0] != '-') {
		return 0, false
	}
	h, rest, ok := twoDigits(s[1:])
	if !ok {
		return 0, false
	}
	if len(rest) == 3 && rest[0] == ':' {
		rest = rest[1:]
	}
	m, rest, ok := twoDigits(rest)
	if !ok || rest != "" || h > 23 || m > 59 {
		return 0, false
	}
	minutes = h*60 + m
	if s[0] == '-' {
		minutes = -minutes
	}
	return minutes, true
}

// fixedDigits reads exactly n digits.
func fixedDigits(s string, n int) (v int, rest string, ok bool) {
	if len(s) < n {
		return 0, "", false
	}
	for i := 0; i < n; i++ {
		if !isDigit(s[i]) {
			return 0, "", false
		}
		v = v*10 + int(s[i]-'0')
	}
	return v, s[n:], true
}

// twoDigits reads exactly two digits.
func twoDigits(s string) (v int, rest string, ok bool) { return fixedDigits(s, 2) }

// validDate reports whether y-m-d is a day of the proleptic Gregorian calendar.
func validDate(y, m, d int) bool {
	return m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)
}

// daysIn is the number of days of month m of year y.
func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// appendDate appends "YYYY-MM-DD".
func appendDate(b []byte, y, m, d int) []byte {
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	b = appendTwo(b, m)
	b = append(b, '-')
	return appendTwo(b, d)
}

// appendClock appends "HH:MM".
func appendClock(b []byte, h, m int) []byte {
	b = appendTwo(b, h)
	b = append(b, ':')
	return appendTwo(b, m)
}

func appendTwo(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }
