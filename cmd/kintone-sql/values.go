package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// column is what the output formats know of a result column: its name and
// the Kintone field type the driver reports as the column's database type
// name ("" when the driver reports none).
type column struct {
	name   string
	dbType string
}

// multiValued lists the Kintone field types whose values the driver returns
// as JSON text.
var multiValued = map[string]bool{
	"CHECK_BOX": true, "MULTI_SELECT": true, "CATEGORY": true,
	"USER_SELECT": true, "ORGANIZATION_SELECT": true, "GROUP_SELECT": true, "STATUS_ASSIGNEE": true,
	"CREATOR": true, "MODIFIER": true, "FILE": true, "SUBTABLE": true,
}

// numericTypes lists the Kintone types whose values are numbers.
var numericTypes = map[string]bool{"NUMBER": true, "__ID__": true, "__REVISION__": true, "__ROW_ID__": true}

// isJSONColumn reports whether a []byte value of c is JSON text: always for
// the multi-valued types, and for a column of unknown type when the text is
// a JSON array or object.
func isJSONColumn(c column, b []byte) bool {
	if multiValued[c.dbType] {
		return true
	}
	if c.dbType != "" {
		return false
	}
	t := bytes.TrimSpace(b)
	return len(t) > 1 && (t[0] == '[' || t[0] == '{') && json.Valid(t)
}

// textValue is v as plain text, the form CSV and TSV write: JSON text for
// multi-valued fields (so that import can read it back), dates and times
// as ISO 8601. null reports SQL NULL.
func textValue(v any, c column) (s string, null bool) {
	switch v := v.(type) {
	case nil:
		return "", true
	case string:
		return v, false
	case []byte:
		return string(v), false
	case int64:
		return strconv.FormatInt(v, 10), false
	case float64:
		return formatFloat(v), false
	case bool:
		return strconv.FormatBool(v), false
	case time.Time:
		return formatTime(v, c.dbType), false
	}
	return fmt.Sprint(v), false
}

// displayValue is v as a person reads it in a table: NULL for SQL NULL,
// multi-valued fields as lists of names, and no control characters, which
// would break the table's lines.
func displayValue(v any, c column) string {
	if v == nil {
		return "NULL"
	}
	if b, ok := v.([]byte); ok && isJSONColumn(c, b) {
		if s, ok := readableJSON(b); ok {
			return visible(s)
		}
	}
	s, _ := textValue(v, c)
	return visible(s)
}

// visible replaces line breaks with ↵ and other control characters with
// spaces, so that a value stays on one line of a table.
func visible(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) < 0 {
		return s
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return '↵'
		case r < 0x20 || r == 0x7f:
			return ' '
		}
		return r
	}, s)
}

// jsonValue is v as a JSON value, for JSON lines: multi-valued fields as
// their JSON, NUMBER values as JSON numbers when the decimal text is one,
// dates and times as ISO 8601 strings.
func jsonValue(v any, c column) []byte {
	switch v := v.(type) {
	case nil:
		return []byte("null")
	case []byte:
		if isJSONColumn(c, v) && json.Valid(v) {
			var b bytes.Buffer
			if json.Compact(&b, v) == nil {
				return b.Bytes()
			}
		}
		return jsonString(string(v))
	case string:
		if numericTypes[c.dbType] && isJSONNumber(v) {
			return []byte(v)
		}
		return jsonString(v)
	case int64:
		return strconv.AppendInt(nil, v, 10)
	case float64:
		if math.IsInf(v, 0) || math.IsNaN(v) {
			return jsonString(formatFloat(v))
		}
		return []byte(formatFloat(v))
	case bool:
		return strconv.AppendBool(nil, v)
	}
	s, _ := textValue(v, c)
	return jsonString(s)
}

// jsonString encodes s as a JSON string without HTML escaping.
func jsonString(s string) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return bytes.TrimSuffix(b.Bytes(), []byte("\n"))
}

// isJSONNumber reports whether s is a number in JSON's syntax.
func isJSONNumber(s string) bool {
	var n json.Number
	return s != "" && json.Unmarshal([]byte(s), &n) == nil && n.String() == s
}

// formatFloat prints f without an exponent in the usual range.
func formatFloat(f float64) string {
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		return strconv.FormatFloat(f, 'g', -1, 64)
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// formatTime prints t by the column's Kintone type: DATE as 2006-01-02,
// TIME as 15:04 (with seconds when there are any), anything else as RFC
// 3339. A time on 0000-01-01 of unknown type is a time of day.
func formatTime(t time.Time, dbType string) string {
	timeOfDay := func() string {
		if t.Second() != 0 || t.Nanosecond() != 0 {
			return t.Format("15:04:05.999999999")
		}
		return t.Format("15:04")
	}
	switch {
	case dbType == "DATE":
		return t.Format(time.DateOnly)
	case dbType == "TIME":
		return timeOfDay()
	case dbType == "" && t.Year() == 0 && t.YearDay() == 1:
		return timeOfDay()
	}
	return t.Format(time.RFC3339Nano)
}

// readableJSON renders the JSON text of a multi-valued field for people:
// a list of strings as "a, b"; users, organizations and groups by name;
// files by name; subtable rows as {field: value, ...} separated by "; ".
// ok is false when b is not JSON.
func readableJSON(b []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", false
	}
	return readable(v, true), true
}

// readable renders a decoded JSON value; top says whether v is the whole
// value (a top-level list needs no brackets).
func readable(v any, top bool) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	case []any:
		parts := make([]string, len(v))
		sep := ", "
		for i, e := range v {
			parts[i] = readable(e, false)
			if m, ok := e.(map[string]any); ok && isSubtableRow(m) {
				sep = "; "
			}
		}
		s := strings.Join(parts, sep)
		if top {
			return s
		}
		return "[" + s + "]"
	case map[string]any:
		return readableObject(v)
	}
	return fmt.Sprint(v)
}

// isSubtableRow reports whether m is a subtable row as record JSON carries
// it: {"id": ..., "value": {code: {"type": ..., "value": ...}}}.
func isSubtableRow(m map[string]any) bool {
	_, hasID := m["id"]
	val, ok := m["value"].(map[string]any)
	return hasID && ok && len(m) == 2 && val != nil
}

// readableObject renders an entity ({code, name}), a file ({name, size,
// fileKey}), a subtable row, a typed field ({type, value}) or, failing
// those, the object's fields in key order.
func readableObject(m map[string]any) string {
	str := func(k string) string { s, _ := m[k].(string); return s }
	switch {
	case isSubtableRow(m):
		val := m["value"].(map[string]any)
		keys := sortedKeys(val)
		parts := make([]string, len(keys))
		for i, k := range keys {
			inner := val[k]
			if f, ok := inner.(map[string]any); ok {
				if x, ok := f["value"]; ok {
					inner = x
				}
			}
			parts[i] = k + ": " + readable(inner, false)
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case m["fileKey"] != nil && str("name") != "":
		return str("name")
	case str("code") != "" || str("name") != "":
		if n := str("name"); n != "" {
			return n
		}
		return str("code")
	}
	keys := sortedKeys(m)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + readable(m[k], false)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
