package store

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// Helpers that read the raw JSON of a field's "value" (Input holds it as
// sent). Each reports ok false for a value of the wrong JSON kind; null is
// always the empty value.

// isNull reports whether raw is JSON null (or nothing at all).
func isNull(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) == 0 || string(raw) == "null"
}

// jsonScalar reads a string value. A JSON number is accepted as its literal
// text, since clients send numbers for NUMBER and often for text too
// (REST-API.md §3 "loose scalar typing"); booleans, arrays and objects are
// not scalars.
func jsonScalar(raw []byte) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", true
	}
	if s, ok := plainScalar(raw); ok {
		return s, true
	}
	switch c := raw[0]; {
	case c == '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	case c == '-' || ('0' <= c && c <= '9'):
		var n json.Number
		if json.Unmarshal(raw, &n) != nil {
			return "", false
		}
		return n.String(), true
	}
	return "", false
}

// jsonStrings reads an array of strings (numbers accepted as text).
func jsonStrings(raw []byte) ([]string, bool) {
	if isNull(raw) {
		return []string{}, true
	}
	if out, ok := plainStrings(raw); ok {
		return out, true
	}
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil, false
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		if isNull(it) {
			return nil, false
		}
		s, ok := jsonScalar(it)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// jsonObjects reads an array of objects, each decoded into a map of raw
// members.
func jsonObjects(raw []byte) ([]map[string]json.RawMessage, bool) {
	if isNull(raw) {
		return nil, true
	}
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		return nil, false
	}
	out := make([]map[string]json.RawMessage, 0, len(items))
	for _, it := range items {
		m, ok := jsonObject(it)
		if !ok {
			return nil, false
		}
		out = append(out, m)
	}
	return out, true
}

// jsonObject reads one object (null is an empty object).
func jsonObject(raw []byte) (map[string]json.RawMessage, bool) {
	if isNull(raw) {
		return map[string]json.RawMessage{}, true
	}
	raw = bytes.TrimSpace(raw)
	if raw[0] != '{' {
		return nil, false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil, false
	}
	return m, true
}

// jsonMemberString reads a string member ("code", "fileKey") of an object;
// a number is accepted as text. A missing or null member is "".
func jsonMemberString(m map[string]json.RawMessage, name string) (string, bool) {
	raw, present := m[name]
	if !present {
		return "", true
	}
	return jsonScalar(raw)
}

// jsonID reads a subtable row id: a decimal string or number. ok is false
// for anything that is not a positive integer (the row is then new).
func jsonID(raw json.RawMessage) (int64, bool) {
	s, ok := jsonScalar(raw)
	if !ok || s == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// plainScalar reads the values nearly every write sends, as jsonScalar
// would but without encoding/json: a string with no escape, no control
// character and valid UTF-8 (its bytes are then its value), or a number.
// ok is false for anything else, which jsonScalar then decodes in full.
func plainScalar(raw []byte) (string, bool) {
	if n := len(raw); n >= 2 && raw[0] == '"' && raw[n-1] == '"' {
		body := raw[1 : n-1]
		if !plainString(body) {
			return "", false
		}
		return string(body), true
	}
	if validNumber(raw) {
		return string(raw), true
	}
	return "", false
}

// plainString reports whether b, the bytes between a string's quotes, are
// its value: no quote, backslash or control character, valid UTF-8 (which
// encoding/json would replace).
func plainString(b []byte) bool {
	ascii := true
	for _, c := range b {
		if c < 0x20 || c == '"' || c == '\\' {
			return false
		}
		if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	return ascii || utf8.Valid(b)
}

// plainStrings is jsonStrings for an array whose items plainScalar reads:
// ok is false for anything else (or anything malformed), which
// jsonStrings then decodes in full.
func plainStrings(raw []byte) ([]string, bool) {
	raw = trimJSONSpace(raw)
	if len(raw) < 2 || raw[0] != '[' || raw[len(raw)-1] != ']' {
		return nil, false
	}
	body := trimJSONSpace(raw[1 : len(raw)-1])
	out := make([]string, 0, 4)
	for len(body) > 0 {
		var item []byte
		if body[0] == '"' {
			end := bytes.IndexByte(body[1:], '"')
			if end < 0 {
				return nil, false
			}
			item, body = body[:end+2], body[end+2:]
		} else {
			end := 0
			for end < len(body) && body[end] != ',' && !isJSONSpace(body[end]) {
				end++
			}
			item, body = body[:end], body[end:]
		}
		s, ok := plainScalar(item)
		if !ok {
			return nil, false
		}
		out = append(out, s)
		body = trimJSONSpace(body)
		if len(body) == 0 {
			break
		}
		if body[0] != ',' {
			return nil, false
		}
		body = trimJSONSpace(body[1:])
		if len(body) == 0 {
			return nil, false // a trailing comma
		}
	}
	return out, true
}

func isJSONSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// trimJSONSpace trims the whitespace JSON allows around values.
func trimJSONSpace(b []byte) []byte {
	for len(b) > 0 && isJSONSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isJSONSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// validNumber reports whether b is a JSON number, as encoding/json's
// grammar has it: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func validNumber(b []byte) bool {
	if len(b) > 0 && b[0] == '-' {
		b = b[1:]
	}
	switch {
	case len(b) == 0:
		return false
	case b[0] == '0':
		b = b[1:]
	case '1' <= b[0] && b[0] <= '9':
		b = b[1:]
		for len(b) > 0 && '0' <= b[0] && b[0] <= '9' {
			b = b[1:]
		}
	default:
		return false
	}
	if len(b) >= 2 && b[0] == '.' && '0' <= b[1] && b[1] <= '9' {
		b = b[2:]
		for len(b) > 0 && '0' <= b[0] && b[0] <= '9' {
			b = b[1:]
		}
	}
	if len(b) >= 2 && (b[0] == 'e' || b[0] == 'E') {
		b = b[1:]
		if b[0] == '+' || b[0] == '-' {
			b = b[1:]
			if len(b) == 0 {
				return false
			}
		}
		if b[0] < '0' || b[0] > '9' {
			return false
		}
		for len(b) > 0 && '0' <= b[0] && b[0] <= '9' {
			b = b[1:]
		}
	}
	return len(b) == 0
}
