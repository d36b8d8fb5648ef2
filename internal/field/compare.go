package field

import "strings"

// CompareDecimal compares two decimal texts numerically and returns -1, 0 or
// +1. It does not allocate and never goes through float64, so it is exact for
// any length.
//
// It is meant for NormalizeNumber's canonical texts, but it also orders
// plain decimals that are not canonical ("+1", "007", "1.50", "-0", ".5") by
// their value, which covers CALC results and RECORD_NUMBER / $id texts.
// Exponents are not understood. For text that is not a plain decimal the
// result is unspecified, but CompareDecimal does not panic.
func CompareDecimal(a, b string) int {
	aNeg, aInt, aFrac := splitDecimal(a)
	bNeg, bInt, bFrac := splitDecimal(b)
	as := decimalSign(aNeg, aInt, aFrac)
	bs := decimalSign(bNeg, bInt, bFrac)
	if as != bs {
		if as < bs {
			return -1
		}
		return 1
	}
	if as == 0 {
		return 0
	}
	c := compareMagnitude(aInt, aFrac, bInt, bFrac)
	if as < 0 {
		return -c
	}
	return c
}

// splitDecimal splits a plain decimal into its sign and its integer and
// fraction digits, without leading integer zeros or trailing fraction zeros.
func splitDecimal(s string) (neg bool, intPart, fracPart string) {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	intPart, fracPart, _ = strings.Cut(s, ".")
	return neg, strings.TrimLeft(intPart, "0"), strings.TrimRight(fracPart, "0")
}

// decimalSign is -1, 0 or +1: zero whatever its written sign.
func decimalSign(neg bool, intPart, fracPart string) int {
	switch {
	case intPart == "" && fracPart == "":
		return 0
	case neg:
		return -1
	}
	return 1
}

// compareMagnitude compares two absolute values given as integer digits
// without leading zeros and fraction digits without trailing zeros. A longer
// integer part is larger; equal lengths compare digit by digit; fractions
// compare digit by digit too, since a missing digit is a zero and no
// fraction ends in one.
func compareMagnitude(aInt, aFrac, bInt, bFrac string) int {
	if len(aInt) != len(bInt) {
		if len(aInt) < len(bInt) {
			return -1
		}
		return 1
	}
	if c := strings.Compare(aInt, bInt); c != 0 {
		return c
	}
	return strings.Compare(aFrac, bFrac)
}
