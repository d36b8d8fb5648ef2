package field

import "strings"

// MaxNumberDigits bounds the canonical text NormalizeNumber may produce: a
// number whose plain decimal form needs more than this many digits (integer
// digits plus fraction digits, counting the "0" of "0.xxx") is refused.
//
// The documents leave this open. Kintone keeps at most 30 significant digits
// and 10 decimal places (app setting numberPrecision, B.4), so every value it
// can store fits in far fewer digits; 1000 leaves room for the store to round
// or reject by its own precision rules while making sure that an exponent
// such as "1e999999999" cannot make us build a gigabyte of zeros. The price is
// that a tiny value such as "1e-2000", which Kintone would probably round to
// 0, is refused here as "not a number".
const MaxNumberDigits = 1000

// NormalizeNumber parses a NUMBER value as a write sends it and returns its
// canonical decimal text ("1.5e1" -> "15", " 42 " -> "42"). ok is false when
// s is not a number. "" is not a number; callers treat the empty value
// before calling.
//
// Accepted input (the docs say only "digits, +/-, '.', exponent e/E"; the
// rest are choices):
//
//   - surrounding ASCII space, TAB, CR and LF are ignored (" 42 " is
//     documented; other white space, such as U+3000, is refused);
//   - an optional '+' or '-' sign directly before the digits;
//   - digits with at most one '.', with digits on at least one side of it
//     ("5.", ".5" and "5.0" are numbers, "." is not), as Java's BigDecimal
//     reads them;
//   - an optional exponent: 'e' or 'E', an optional sign, one or more digits;
//   - only ASCII digits: no thousands separators, no full-width digits, no
//     "NaN", "Infinity" or hexadecimal.
//
// The canonical form is the plain decimal text with
//
//   - no '+' sign, '-' only for values below zero ("-0" and "-0.0" are "0");
//   - no leading zeros ("007" -> "7"), but a single "0" before the point of a
//     value below one ("0.5", never ".5");
//   - no trailing fraction zeros and no bare point ("1.50" -> "1.5",
//     "2.0" -> "2");
//   - no exponent ("1.5e-3" -> "0.0015").
//
// Kintone documents only the first two examples; whether it keeps trailing
// fraction zeros is unknown. This form is chosen because it is unique per
// value: two numbers are equal exactly when their canonical texts are equal,
// which keeps unique checks and the query "=" simple.
//
// A value whose canonical text would need more than MaxNumberDigits digits is
// refused (ok false); zero with any exponent is "0".
func NormalizeNumber(s string) (canonical string, ok bool) {
	s = trimASCIISpace(s)
	if isCanonicalDecimal(s) {
		return s, true
	}
	d, ok := parseDecimal(s)
	if !ok {
		return "", false
	}
	return d.format()
}

// trimASCIISpace drops leading and trailing ASCII space, TAB, CR and LF.
func trimASCIISpace(s string) string {
	return strings.Trim(s, " \t\r\n")
}

// decimal is a parsed number: the value is (neg ? -1 : 1) × 0.digits × 10^point,
// where digits has no leading or trailing zeros ("" for zero). digits is the
// integer and fraction digits of the input written one after the other, so it
// is a view into intPart and fracPart rather than a copy.
type decimal struct {
	neg               bool
	intPart, fracPart string // the digits before and after the point, as written
	lead, trail       int    // zeros to skip at the start and end of intPart+fracPart
	point             int64  // decimal exponent of the 0.digits form
}

// digitCount is the number of significant digits.
func (d *decimal) digitCount() int { return len(d.intPart) + len(d.fracPart) - d.lead - d.trail }

// digit returns the i-th significant digit.
func (d *decimal) digit(i int) byte {
	i += d.lead
	if i < len(d.intPart) {
		return d.intPart[i]
	}
	return d.fracPart[i-len(d.intPart)]
}

// expLimit caps the exponent while it is read, so that a long run of
// exponent digits cannot overflow; any exponent this large is far beyond
// MaxNumberDigits anyway.
const expLimit = 1 << 40

// parseDecimal reads the syntax described at NormalizeNumber from an already
// trimmed s.
func parseDecimal(s string) (decimal, bool) {
	var d decimal
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		d.neg = s[i] == '-'
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	d.intPart = s[start:i]
	if i < len(s) && s[i] == '.' {
		i++
		start = i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		d.fracPart = s[start:i]
	}
	if d.intPart == "" && d.fracPart == "" {
		return d, false
	}
	var exp int64
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		expNeg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			expNeg = s[i] == '-'
			i++
		}
		start = i
		for i < len(s) && isDigit(s[i]) {
			if exp < expLimit {
				exp = exp*10 + int64(s[i]-'0')
			}
			i++
		}
		if i == start {
			return d, false
		}
		if expNeg {
			exp = -exp
		}
	}
	if i != len(s) {
		return d, false
	}
	n := len(d.intPart) + len(d.fracPart)
	for d.lead < n && d.digitAt(d.lead) == '0' {
		d.lead++
	}
	for d.trail < n-d.lead && d.digitAt(n-1-d.trail) == '0' {
		d.trail++
	}
	d.point = int64(len(d.intPart)-d.lead) + exp
	return d, true
}

// digitAt returns the i-th digit of intPart+fracPart, zeros included.
func (d *decimal) digitAt(i int) byte {
	if i < len(d.intPart) {
		return d.intPart[i]
	}
	return d.fracPart[i-len(d.intPart)]
}

// format writes d in canonical form, or reports false when that would take
// more than MaxNumberDigits digits.
func (d *decimal) format() (string, bool) {
	k := int64(d.digitCount())
	if k == 0 {
		return "0", true
	}
	// Digits of the plain form: "0." + zeros + digits, or digits + zeros,
	// or digits with a point inside.
	var width int64
	switch {
	case d.point <= 0:
		width = 1 - d.point + k
	case d.point >= k:
		width = d.point
	default:
		width = k
	}
	if width > MaxNumberDigits {
		return "", false
	}
	var b strings.Builder
	b.Grow(int(width) + 2)
	if d.neg {
		b.WriteByte('-')
	}
	switch {
	case d.point <= 0:
		b.WriteString("0.")
		for range -d.point {
			b.WriteByte('0')
		}
		for i := range int(k) {
			b.WriteByte(d.digit(i))
		}
	case d.point >= k:
		for i := range int(k) {
			b.WriteByte(d.digit(i))
		}
		for range d.point - k {
			b.WriteByte('0')
		}
	default:
		for i := range int(k) {
			if int64(i) == d.point {
				b.WriteByte('.')
			}
			b.WriteByte(d.digit(i))
		}
	}
	return b.String(), true
}

// isCanonicalDecimal reports whether s is already in NormalizeNumber's
// canonical form (and within MaxNumberDigits).
func isCanonicalDecimal(s string) bool {
	if s == "" || len(s) > MaxNumberDigits+2 {
		return false
	}
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	intPart, fracPart, hasPoint := strings.Cut(s, ".")
	if intPart == "" || !allDigits(intPart) || (len(intPart) > 1 && intPart[0] == '0') {
		return false
	}
	if hasPoint && (fracPart == "" || !allDigits(fracPart) || fracPart[len(fracPart)-1] == '0') {
		return false
	}
	if neg && intPart == "0" && !hasPoint {
		return false // "-0"
	}
	return len(intPart)+len(fracPart) <= MaxNumberDigits
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
