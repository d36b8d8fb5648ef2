// Package jsonwrite appends JSON as this module writes it, in the
// driver's request bodies and the emulator's record answers: the output
// of encoding/json with HTML escaping off (as JavaScript's JSON.stringify,
// which the official clients use, leaves <, > and & alone), without the
// newline of json.Encoder.
//
// The common values of a record write (strings, lists of strings, nil)
// are written directly: a 10,000-record INSERT writes 200,000 of them,
// and a json.Encoder for each one cost more than the rest of the write.
// Anything else goes through encoding/json, so the output is the same
// byte for byte, but for a nil []string, which is [] (the tests compare
// the two).
package jsonwrite

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// String appends s as a JSON string. Like encoding/json it writes \b, \f,
// \n, \r and \t, \u00XX for the other control characters, \u2028 and
// \u2029 escaped, and \ufffd for each byte of invalid UTF-8.
func String(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case c == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case c == '\u2028' || c == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// Strings appends ss as a JSON array of strings; nil is [] (Kintone's
// empty list), not null.
func Strings(dst []byte, ss []string) []byte {
	dst = append(dst, '[')
	for i, s := range ss {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = String(dst, s)
	}
	return append(dst, ']')
}

// Value appends v as JSON: strings, []string (nil is []), nil, bool and
// int64 directly, anything else (json.RawMessage included, which
// encoding/json checks and compacts) through encoding/json.
func Value(dst []byte, v any) ([]byte, error) {
	switch x := v.(type) {
	case nil:
		return append(dst, "null"...), nil
	case string:
		return String(dst, x), nil
	case []string:
		return Strings(dst, x), nil
	case bool:
		return strconv.AppendBool(dst, x), nil
	case int64:
		return strconv.AppendInt(dst, x, 10), nil
	}
	return encode(dst, v)
}

// encode appends v through encoding/json.
func encode(dst []byte, v any) ([]byte, error) {
	w := appender{dst}
	enc := json.NewEncoder(&w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return dst, err
	}
	return w.b[:len(w.b)-1], nil // Encode's newline
}

// appender is an io.Writer that appends to a byte slice.
type appender struct{ b []byte }

func (a *appender) Write(p []byte) (int, error) {
	a.b = append(a.b, p...)
	return len(p), nil
}
