package dsn

import (
	"net/netip"
	"strconv"
	"strings"
)

// rawURL is a URL split into its parts without unescaping anything. The DSN is
// split by hand, not by net/url, because url.Parse's errors quote the whole
// input, password included.
type rawURL struct {
	scheme      string // lower case
	userinfo    string
	hasUserinfo bool
	host        string
	path        string
	query       string
	hasQuery    bool
	hasFragment bool
}

// splitURL splits s the way net/url does ('#' first, then '?', then the
// authority up to the first '/', then the userinfo up to the last '@'). It
// reports false when s does not start with "scheme://".
func splitURL(s string) (rawURL, bool) {
	i := strings.Index(s, "://")
	if i <= 0 || !isScheme(s[:i]) {
		return rawURL{}, false
	}
	u := rawURL{scheme: strings.ToLower(s[:i])}
	rest := s[i+3:]
	if j := strings.IndexByte(rest, '#'); j >= 0 {
		rest, u.hasFragment = rest[:j], true
	}
	if j := strings.IndexByte(rest, '?'); j >= 0 {
		rest, u.query, u.hasQuery = rest[:j], rest[j+1:], true
	}
	if j := strings.IndexByte(rest, '/'); j >= 0 {
		rest, u.path = rest[:j], rest[j:]
	}
	if j := strings.LastIndexByte(rest, '@'); j >= 0 {
		u.userinfo, u.hasUserinfo, rest = rest[:j], true, rest[j+1:]
	}
	u.host = rest
	return u, true
}

// isScheme reports whether s is an RFC 3986 scheme.
func isScheme(s string) bool {
	for i, r := range s {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z':
		case i > 0 && ('0' <= r && r <= '9' || r == '+' || r == '-' || r == '.'):
		default:
			return false
		}
	}
	return s != ""
}

// baseURL is a checked, canonical Kintone base URL.
type baseURL struct {
	canonical  string // scheme://host[:port]
	loopback   bool
	http       bool
	guestSpace int64 // from a /k/guest/<id>/ path, or 0
}

// urlProblem is a problem with one part of a URL: the part ("scheme", "host",
// "path", ...) and a message that quotes nothing from the input.
type urlProblem struct{ part, msg string }

// parseBaseURL checks scheme, host and path of a base URL and returns its
// canonical form. u must have no userinfo, query or fragment; the callers
// report those themselves. A missing scheme means https.
func parseBaseURL(u rawURL) (baseURL, *urlProblem) {
	var b baseURL
	switch u.scheme {
	case "https", "kintone":
	case "http":
		b.http = true
	default:
		return b, &urlProblem{"scheme", `unsupported scheme; use https:// (or kintone://, which means https)`}
	}
	host, port, p := parseHostPort(u.host)
	if p != nil {
		return b, p
	}
	if port == "443" && !b.http || port == "80" && b.http {
		port = ""
	}
	space, p := parseBasePath(u.path)
	if p != nil {
		return b, p
	}
	b.guestSpace = space
	b.loopback = isLoopback(host)
	scheme := "https"
	if b.http {
		scheme = "http"
	}
	b.canonical = scheme + "://" + host
	if port != "" {
		b.canonical += ":" + port
	}
	return b, nil
}

// encodeHint ends the messages about a malformed host, which is what a
// password with an unencoded '/', '?' or '#' turns into.
const encodeHint = " (if the URL holds a password, percent-encode '/', '?', '#' and '@' in it)"

// parseHostPort checks "host", "host:port", "[ipv6]" or "[ipv6]:port" and
// returns the host in canonical form (lower case; IPv6 in brackets).
func parseHostPort(s string) (host, port string, p *urlProblem) {
	if s == "" {
		return "", "", &urlProblem{"host", "missing host"}
	}
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", "", &urlProblem{"host", "missing ']' after an IPv6 address"}
		}
		addr, err := netip.ParseAddr(s[1:end])
		if err != nil || !addr.Is6() || addr.Zone() != "" {
			return "", "", &urlProblem{"host", "invalid IPv6 address"}
		}
		host, s = "["+addr.String()+"]", s[end+1:]
		if s == "" {
			return host, "", nil
		}
		if s[0] != ':' {
			return "", "", &urlProblem{"host", "unexpected text after an IPv6 address"}
		}
		port = s[1:]
	} else {
		host = s
		if i := strings.LastIndexByte(s, ':'); i >= 0 {
			host, port = s[:i], s[i+1:]
			if strings.IndexByte(host, ':') >= 0 {
				return "", "", &urlProblem{"host", "an IPv6 address must be written in brackets, as in [::1]"}
			}
			if port == "" {
				return "", "", &urlProblem{"host", "empty port after ':'" + encodeHint}
			}
		}
		if !isHostname(host) {
			return "", "", &urlProblem{"host", "invalid host name; use letters, digits, '-' and '.'" + encodeHint}
		}
		host = strings.ToLower(host)
		if addr, err := netip.ParseAddr(host); err == nil {
			host = addr.String()
		}
	}
	if port != "" {
		n, err := strconv.Atoi(port)
		if err != nil || n < 1 || n > 65535 || port[0] < '0' || port[0] > '9' {
			return "", "", &urlProblem{"host", "port must be a number from 1 to 65535" + encodeHint}
		}
		port = strconv.Itoa(n)
	}
	return host, port, nil
}

// isHostname reports whether s is a DNS name or IPv4 address: dot-separated
// labels of ASCII letters, digits, '-' and '_', with an optional final dot.
func isHostname(s string) bool {
	s = strings.TrimSuffix(s, ".")
	if s == "" || len(s) > 253 {
		return false
	}
	for label := range strings.SplitSeq(s, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for _, r := range label {
			if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_') {
				return false
			}
		}
	}
	return true
}

// isLoopback reports whether host (canonical, IPv6 in brackets) is
// localhost, in 127.0.0.0/8, or ::1.
func isLoopback(host string) bool {
	if strings.TrimSuffix(host, ".") == "localhost" {
		return true
	}
	addr, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return err == nil && addr.Unmap().IsLoopback()
}

// parseBasePath accepts "", "/", "/k", "/k/", "/k/guest/<id>" and
// "/k/guest/<id>/", returning the guest space ID of the last two.
func parseBasePath(p string) (int64, *urlProblem) {
	switch p {
	case "", "/", "/k", "/k/":
		return 0, nil
	}
	if rest, ok := strings.CutPrefix(p, "/k/guest/"); ok {
		rest = strings.TrimSuffix(rest, "/")
		if id, ok := parsePositiveID(rest); ok {
			return id, nil
		}
	}
	return 0, &urlProblem{"path", `path must be empty, "/", "/k/" or "/k/guest/<space id>/"`}
}

// parsePositiveID parses a decimal ID from 1 to MaxInt64, digits only.
func parsePositiveID(s string) (int64, bool) {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}
