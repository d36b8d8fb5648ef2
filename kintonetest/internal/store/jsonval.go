package store

import (
	"bytes"
	"encoding/json"
	"strconv"
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
