package field

import (
	"strings"
	"unicode"
)

// The LINK field's protocol setting.
const (
	ProtocolWeb  = "WEB"
	ProtocolMail = "MAIL"
	ProtocolCall = "CALL"
)

// ValidLink reports whether value is acceptable for a LINK field with the
// given protocol ("WEB", "MAIL" or "CALL"; "" is taken as WEB, the default of
// a new LINK field). The empty value is not checked here: callers handle
// empty values (and "required") before.
//
// Kintone's rules are not documented (B.5 only shows part of a message,
// 「URL の形式が正しくありません」), so these are deliberately loose checks
// that catch values clearly of the wrong kind:
//
//   - WEB: "http://" or "https://" (scheme in any case) followed by a
//     non-empty host; no white space or control characters anywhere.
//   - MAIL: exactly one '@' with something on both sides; no white space or
//     control characters.
//   - CALL: at least one ASCII digit, and only ASCII digits, spaces and
//     "+-().*#" (phone-number punctuation).
//
// An unknown protocol accepts nothing.
func ValidLink(protocol, value string) bool {
	switch protocol {
	case ProtocolWeb, "":
		return validWebLink(value)
	case ProtocolMail:
		return validMailLink(value)
	case ProtocolCall:
		return validCallLink(value)
	}
	return false
}

func validWebLink(v string) bool {
	if hasSpaceOrControl(v) {
		return false
	}
	rest, ok := cutPrefixFold(v, "https://")
	if !ok {
		rest, ok = cutPrefixFold(v, "http://")
	}
	if !ok {
		return false
	}
	host, _, _ := strings.Cut(rest, "/")
	host, _, _ = strings.Cut(host, "?")
	host, _, _ = strings.Cut(host, "#")
	if i := strings.LastIndexByte(host, '@'); i >= 0 {
		host = host[i+1:] // user info
	}
	return host != "" && host[0] != ':'
}

func validMailLink(v string) bool {
	if hasSpaceOrControl(v) {
		return false
	}
	local, domain, ok := strings.Cut(v, "@")
	return ok && local != "" && domain != "" && !strings.Contains(domain, "@")
}

func validCallLink(v string) bool {
	digits := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case isDigit(c):
			digits = true
		case strings.IndexByte(" +-().*#", c) >= 0:
		default:
			return false
		}
	}
	return digits
}

// cutPrefixFold is strings.CutPrefix with ASCII case folding.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, false
	}
	return s[len(prefix):], true
}

func hasSpaceOrControl(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}) >= 0
}
