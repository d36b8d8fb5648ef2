package dsn

import (
	"bytes"
	"encoding/json"
	"errors"
)

// MarshalJSON implements json.Marshaler for display: a JSON object with the
// URL and every key that differs from its default, by URL-form key name,
// each value as DSN text with every secret replaced by "xxxxx", as in String
// and LogValue:
//
//	{"url":"https://example.cybozu.com","apiToken":"xxxxx","pageSize":"100"}
//
// It is not a serialization: the secrets are gone, so UnmarshalJSON
// refuses to read it back (encoding/json would otherwise match its keys to
// the fields without regard to case and take "xxxxx" for a password).
// Store a Config as FormatDSN, which keeps the secrets; keep that text
// where secrets may be kept.
func (c Config) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, kv := range c.redactedKeys() {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(kv[0])
		value, _ := json.Marshal(kv[1])
		b.Write(name)
		b.WriteByte(':')
		b.Write(value)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// errUnmarshalJSON is UnmarshalJSON's refusal.
var errUnmarshalJSON = errors.New("dsn: a Config is not decoded from JSON: its JSON form (MarshalJSON) masks the secrets; " +
	"keep the DSN text (FormatDSN) and Parse it")

// UnmarshalJSON implements json.Unmarshaler by refusing: the JSON a
// Config marshals to is for display, with its secrets masked.
func (c *Config) UnmarshalJSON([]byte) error { return errUnmarshalJSON }

// MarshalText implements encoding.TextMarshaler with String: the DSN with
// every secret replaced by "xxxxx". encoding/xml, slog's text handler and
// any other encoder that prefers text then shows no secret. There is no
// UnmarshalText: masked text cannot give the Config back.
func (c Config) MarshalText() ([]byte, error) {
	return []byte(c.String()), nil
}

// errGob is GobEncode's refusal.
var errGob = errors.New("dsn: a Config is not gob-encoded: its exported fields hold secrets in clear; " +
	"send FormatDSN over a channel you trust and Parse it on the other side")

// GobEncode implements gob.GobEncoder by refusing. Without it gob would
// encode the exported fields, secrets in clear, or, because the Config has
// MarshalText, a masked DSN that silently loses them; a serialization must
// keep every setting or fail, and FormatDSN is the one that keeps them.
func (c Config) GobEncode() ([]byte, error) {
	return nil, errGob
}

// redactedKeys returns [name, value] pairs of the URL and of every key that
// differs from its default, in key-table order, secrets masked. String,
// LogValue and MarshalJSON show these.
func (c *Config) redactedKeys() [][2]string {
	d := c.display(true)
	var out [][2]string
	for _, k := range index.all {
		if v, ok := k.get(d); ok {
			out = append(out, [2]string{k.name, k.redact(v)})
		}
	}
	return out
}
