package dsn

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// The value syntaxes shared by several keys. Each parser reports only whether
// the text was well formed; the caller words the message, which never quotes
// the text.

// parseDigits parses a decimal number from 0 to MaxInt64 written with ASCII
// digits only (no sign, no spaces).
func parseDigits(s string) (int64, bool) {
	if s == "" || len(s) > 19 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// parseInt parses a decimal number that fits an int, digits only.
func parseInt(s string) (int, bool) {
	n, ok := parseDigits(s)
	if !ok || n > math.MaxInt {
		return 0, false
	}
	return int(n), true
}

// parseBool accepts true, false, 1 and 0, in any case.
func parseBool(s string) (bool, bool) {
	switch {
	case strings.EqualFold(s, "true"), s == "1":
		return true, true
	case strings.EqualFold(s, "false"), s == "0":
		return false, true
	}
	return false, false
}

// parseDuration accepts a Go duration ("30s", "1m30s", "1.5h") or a whole
// number of seconds, which is how CData's Timeout property is written.
func parseDuration(s string) (time.Duration, bool) {
	if n, ok := parseDigits(s); ok {
		if n > math.MaxInt64/int64(time.Second) {
			return 0, false
		}
		return time.Duration(n) * time.Second, true
	}
	d, err := time.ParseDuration(s)
	return d, err == nil
}

// Binary size units accepted by parseSize and used by formatSize, largest
// first.
var sizeUnits = [...]struct {
	suffix string
	n      int64
}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}}

// parseSize parses a byte count: digits, optionally followed by B, KiB, MiB or
// GiB (any case).
func parseSize(s string) (int64, bool) {
	mult := int64(1)
	for _, u := range sizeUnits {
		if len(s) > len(u.suffix) && strings.EqualFold(s[len(s)-len(u.suffix):], u.suffix) {
			s, mult = s[:len(s)-len(u.suffix)], u.n
			break
		}
	}
	if mult == 1 && len(s) > 1 && (s[len(s)-1] == 'B' || s[len(s)-1] == 'b') {
		s = s[:len(s)-1]
	}
	n, ok := parseDigits(s)
	if !ok || n > math.MaxInt64/mult {
		return 0, false
	}
	return n * mult, true
}

// formatSize writes n in the largest binary unit that divides it exactly.
func formatSize(n int64) string {
	for _, u := range sizeUnits {
		if n != 0 && n%u.n == 0 {
			return strconv.FormatInt(n/u.n, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

// splitList splits a comma-separated list and trims spaces around each item.
// It reports false when an item is empty.
func splitList(s string) ([]string, bool) {
	items := strings.Split(s, ",")
	for i, it := range items {
		items[i] = strings.TrimSpace(it)
		if items[i] == "" {
			return nil, false
		}
	}
	return items, true
}

// parseLocation accepts an IANA time zone name ("Asia/Tokyo"), "UTC",
// "Local", or a fixed offset "+hh:mm" / "-hh:mm".
func parseLocation(s string) (*time.Location, bool) {
	if loc, ok := parseOffset(s); ok {
		return loc, true
	}
	if s == "" {
		return nil, false // time.LoadLocation("") would mean UTC
	}
	loc, err := time.LoadLocation(s)
	return loc, err == nil
}

// parseOffset parses "+hh:mm" or "-hh:mm" (up to ±23:59) into a fixed zone
// named by that same text, so that Location.String gives it back.
func parseOffset(s string) (*time.Location, bool) {
	if len(s) != 6 || s[0] != '+' && s[0] != '-' || s[3] != ':' {
		return nil, false
	}
	h, ok1 := parseDigits(s[1:3])
	m, ok2 := parseDigits(s[4:6])
	if !ok1 || !ok2 || h > 23 || m > 59 {
		return nil, false
	}
	secs := int(h*3600 + m*60)
	if s[0] == '-' {
		secs = -secs
	}
	return time.FixedZone(s, secs), true
}

// hasControl reports whether s contains a control character (such as CR or
// LF, which would break an HTTP header).
func hasControl(s string) bool {
	return strings.ContainsFunc(s, unicode.IsControl)
}

// hasSpaceOrControl reports whether s contains white space or a control
// character.
func hasSpaceOrControl(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) })
}

// isAllDigits reports whether s is non-empty and made of ASCII digits.
func isAllDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
