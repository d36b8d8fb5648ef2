package dsn

import (
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
)

// FormatDSN returns c as a DSN in the URL form,
// https://login:password@example.cybozu.com/?key=value&..., with every
// setting that differs from NewConfig's defaults. For a Config that Validate
// accepted, Parse(c.FormatDSN()) returns a Config equal to c. The DSN holds
// every secret in clear text; use String to show a Config.
//
// A Loc that is not loaded by name (such as time.FixedZone("JST", 9*3600))
// is written by its name, which Parse may not know; +hh:mm names work.
func (c *Config) FormatDSN() string {
	return c.format(false)
}

// String returns c as FormatDSN does, with every secret replaced by "xxxxx":
// passwords, each API token, the OAuth token, the certificate password,
// inline certificate material and the proxy password.
func (c Config) String() string {
	return c.format(true)
}

// GoString returns the masked DSN of c for the %#v verb.
func (c Config) GoString() string {
	return "dsn.Config(" + strconv.Quote(c.String()) + ")"
}

// Format implements fmt.Formatter so that no verb (not even %d or %+v, which
// would otherwise print the struct's fields) shows a secret: %#v prints
// GoString, every other verb formats String.
func (c Config) Format(f fmt.State, verb rune) {
	switch {
	case verb == 'v' && f.Flag('#'):
		_, _ = io.WriteString(f, c.GoString())
	case strings.ContainsRune("vsqxX", verb):
		_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), c.String())
	default:
		_, _ = fmt.Fprintf(f, "%%!%c(dsn.Config=%s)", verb, c.String())
	}
}

// LogValue implements slog.LogValuer: a group with the URL and every key
// that differs from its default, secrets masked as in String.
func (c Config) LogValue() slog.Value {
	var attrs []slog.Attr
	for _, kv := range c.redactedKeys() {
		attrs = append(attrs, slog.String(kv[0], kv[1]))
	}
	return slog.GroupValue(attrs...)
}

// display returns a shallow copy of c prepared for writing: the base URL in
// canonical form and a guest space from its path moved to GuestSpace. With
// redact, a base URL that is not a plain Kintone domain (it might hold a
// password) is replaced by one that shows nothing of it.
func (c *Config) display(redact bool) *Config {
	d := *c
	s := c.BaseURL
	u, ok := splitURL(s)
	if !ok && !strings.Contains(s, "://") {
		u, ok = splitURL("https://" + s)
	}
	if ok && !u.hasUserinfo && !u.hasQuery && !u.hasFragment {
		if b, p := parseBaseURL(u); p == nil {
			d.BaseURL = b.canonical
			if d.GuestSpace == 0 {
				d.GuestSpace = b.guestSpace
			}
			return &d
		}
	}
	if redact && s != "" {
		d.BaseURL = "https://" + masked
	}
	return &d
}

// format writes the URL form of c, masking secrets with redact.
func (c *Config) format(redact bool) string {
	d := c.display(redact)
	scheme, host, found := strings.Cut(d.BaseURL, "://")
	if !found {
		scheme, host = "https", d.BaseURL
	}
	var b strings.Builder
	b.WriteString(scheme + "://")
	if d.User != "" || d.Password != "" {
		switch {
		case d.Password == "":
			b.WriteString(url.User(d.User).String())
		case redact:
			b.WriteString(url.User(d.User).String() + ":" + masked)
		default:
			b.WriteString(url.UserPassword(d.User, d.Password).String())
		}
		b.WriteByte('@')
	}
	b.WriteString(host)
	b.WriteByte('/')
	sep := byte('?')
	for _, k := range index.all {
		if k.part != inQuery {
			continue
		}
		v, ok := k.get(d)
		if !ok {
			continue
		}
		if redact {
			v = k.redact(v)
		}
		b.WriteByte(sep)
		b.WriteString(k.name + "=" + escapeValue(v))
		sep = '&'
	}
	return b.String()
}

// escapeValue percent-encodes a query value. It keeps the characters that
// mean nothing special in a query, including ',' and ':' of lists and '/' and
// '@' of paths and URLs, so that common values stay readable.
func escapeValue(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '.', c == '_', c == '~', c == ',', c == ':', c == '/', c == '@':
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
