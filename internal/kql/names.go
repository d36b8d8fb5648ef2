package kql

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kintone-sql/kintone/internal/field"
)

// This file holds the lexical vocabulary: keywords, function names, the
// characters of field codes and the shape of number literals. The parser and
// the printer both use it, so what one accepts the other can print.

// keyword returns w as a lower-case keyword, or "" when w is not one.
//
// Keywords are matched ASCII case-insensitively: "ORDER BY" is "order by".
// The docs always write keywords in lower case and say nothing about upper
// case (QUERY-AND-FIELDS.md A.2 and C.1 list it as unconfirmed [U]). We
// accept any case because rejecting a query Kintone may take is the worse
// mistake for the emulator, and the printer only ever writes lower case, so
// the driver never depends on the choice. The flip side: a field whose code
// is a keyword in any case ("Order", "LIMIT") cannot be named in a query;
// ValidFieldCode reports false for it.
func keyword(w string) string {
	if len(w) < 2 || len(w) > len("offset") {
		return ""
	}
	for _, k := range [...]string{"and", "or", "not", "in", "like", "is", "empty",
		"order", "by", "asc", "desc", "limit", "offset"} {
		if len(k) == len(w) && strings.EqualFold(k, w) && isASCII(w) {
			return k
		}
	}
	return ""
}

// isASCII reports whether s is all ASCII. strings.EqualFold applies Unicode
// case folding, under which the Kelvin sign matches "k" and the long s
// matches "s"; keywords and function names fold ASCII letters only.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// functionName returns the upper-case name of the documented query function
// w names (A.3, A.7), or "" when w names none.
//
// Like keywords, function names are matched ASCII case-insensitively
// ("today()" is TODAY()): the docs write them in upper case and leave lower
// case unconfirmed (A.2, C.1). The printer always writes upper case.
func functionName(w string) string {
	if len(w) < len("NOW") || len(w) > len("PRIMARY_ORGANIZATION") {
		return ""
	}
	for _, f := range [...]string{"LOGINUSER", "PRIMARY_ORGANIZATION", "NOW", "TODAY", "YESTERDAY", "TOMORROW",
		"FROM_TODAY", "THIS_WEEK", "LAST_WEEK", "NEXT_WEEK",
		"THIS_MONTH", "LAST_MONTH", "NEXT_MONTH", "THIS_YEAR", "LAST_YEAR", "NEXT_YEAR"} {
		if len(f) == len(w) && strings.EqualFold(f, w) && isASCII(w) {
			return f
		}
	}
	return ""
}

// isSpace reports whether r separates tokens: ASCII space, TAB, CR, LF and
// the ideographic space U+3000 (A.2, observed). No other white space is
// accepted.
func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\r' || r == '\n' || r == '\u3000'
}

// isCodeRune reports whether r may appear in a field code (A.2 "Field code
// charset"): letters and digits of any width and script, hiragana, katakana
// and kanji with the prolonged sound marks, and the symbols _ ＿ ・ and the
// full-width currency signs. The lexer needs it rune by rune; the set is the
// one internal/field.ValidFieldCode checks forms with (a test compares the
// two over every rune), so that every field a form may hold can be named in
// a query.
func isCodeRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '_'
	}
	switch r {
	case '＿', '・', 'ー', 'ｰ', '＄', '￠', '￡', '￥', '￦':
		return true
	case utf8.RuneError:
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) ||
		unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Han)
}

// isWordRune reports whether r continues a word token: a field code rune, or
// the '$' of $id and $revision and the '.' of a related-records path. The
// parser checks a word's shape afterwards.
func isWordRune(r rune) bool {
	return r == '$' || r == '.' || isCodeRune(r)
}

// isName reports whether s is made of field code characters only, does not
// start with a digit and is not a keyword: the shape of a field code and of
// a symbolic function argument such as DAYS or LAST.
func isName(s string) bool {
	if s == "" || keyword(s) != "" {
		return false
	}
	for i, r := range s {
		if !isCodeRune(r) || i == 0 && unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// ValidFieldCode reports whether code can be named in a query as a field
// code: a well-formed code by field.ValidFieldCode (1 to 128 characters from
// the field code charset of QUERY-AND-FIELDS.md A.2, not starting with a
// digit) that is not also a keyword of the query language in any letter case
// (see keyword). The reserved names (レコード番号, 作成者, ...) are valid: they
// are the codes of the built-in fields.
//
// A form may hold a field whose code is a keyword ("order", "Limit"); such a
// field cannot be named in a query, and a translator has to filter or sort
// on it client-side.
func ValidFieldCode(code string) bool {
	return keyword(code) == "" && field.ValidFieldCode(code)
}

// The system identifiers (A.2, B.1). They are not field codes: '$' is not a
// field code character, so no form field can be called that.
const (
	idRef       = "$id"
	revisionRef = "$revision"
)

// ValidFieldRef reports whether ref may stand where a query names a field
// (Cond.Field, OrderKey.Field): a valid field code (ValidFieldCode), a
// system identifier "$id" or "$revision", or a related-records path
// "<ref>.<code>" or "<ref>.$id" whose parts are valid field codes. Parse
// accepts exactly these, and String prints exactly these verbatim.
//
// "$revision" is a system field of every record (B.1), but whether a query
// may name it is untested (A.5 lists it as not queryable [U]). It is accepted
// here so that the emulator can answer with the field-level error
// (operator not allowed, GAIA_IQ03) rather than a syntax error; a driver
// should not send it.
func ValidFieldRef(ref string) bool {
	if ref == idRef || ref == revisionRef {
		return true
	}
	table, inner, dotted := strings.Cut(ref, ".")
	if !dotted {
		return ValidFieldCode(ref)
	}
	return ValidFieldCode(table) && (inner == idRef || ValidFieldCode(inner))
}

// scanNumber returns the length of the number literal at the start of s, or
// 0 if there is none. A number literal is an optional '-', one or more ASCII
// digits, and optionally '.' and one or more digits. Exponents and a leading
// '+' are not numbers (untested in Kintone, A.2).
func scanNumber(s string) int {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	d := digits(s[i:])
	if d == 0 {
		return 0
	}
	i += d
	if i+1 < len(s) && s[i] == '.' {
		if f := digits(s[i+1:]); f > 0 {
			i += 1 + f
		}
	}
	return i
}

// digits returns the number of ASCII digits at the start of s.
func digits(s string) int {
	i := 0
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	return i
}

// isNumber reports whether s is exactly one number literal, signed or not.
func isNumber(s string) bool {
	return s != "" && scanNumber(s) == len(s)
}

// isPlainNumber reports whether s is an unsigned number literal: digits
// with an optional fraction. These are the only numbers Kintone is known to
// accept unquoted (A.2), so they are the only ones String leaves unquoted.
func isPlainNumber(s string) bool {
	return s != "" && s[0] != '-' && isNumber(s)
}
