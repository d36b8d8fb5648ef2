package field

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// This file converts Go values into the "value" of record JSON for writes
// (POST and PUT records.json, QUERY-AND-FIELDS.md B.1 and B.2): the
// inverse of codec.go, in the write forms, which differ from the read
// forms for users ([{"code"}]), files ([{"fileKey"}]) and subtable rows
// ({"id"?, "value": {code: {"value"}}}).

// EncodeError reports a Go value that cannot be written to a field.
type EncodeError struct {
	Type  Type
	Value any
	Msg   string
}

// Error names the type and the value.
func (e *EncodeError) Error() string {
	return fmt.Sprintf("kintone: cannot write %T %s to a %s field: %s", e.Value, shortValue(e.Value), e.Type, e.Msg)
}

// shortValue prints v for an error message, cut to about 64 bytes.
func shortValue(v any) string {
	s := fmt.Sprint(v)
	if len(s) > 64 {
		s = s[:64] + "…"
	}
	return strconv.Quote(s)
}

// Encode converts a Go value (a database/sql argument: nil, int64,
// float64, bool, string, []byte, time.Time, or []string, plus the
// structured types of codec.go) into the JSON-ready "value" a record
// write sends for a field of type t (B.1, B.2):
//
//   - text types, RADIO_BUTTON, DROP_DOWN, LINK: a string; numbers are
//     printed; nil is "";
//   - NUMBER: the canonical decimal text (NormalizeNumber); nil is "";
//   - DATE: "YYYY-MM-DD" (a time.Time gives its date in the codec's
//     location, a string is normalised by NormalizeDate); nil is null;
//   - TIME: "HH:MM" (a time.Time gives its wall clock as it is, in its own
//     zone: a time of day has none); nil is null;
//   - DATETIME, CREATED_TIME, UPDATED_TIME: UTC "YYYY-MM-DDTHH:MM:00Z"
//     (a string without a zone, "YYYY-MM-DD HH:MM[:SS]", is read in the
//     codec's location); nil is "";
//   - DATETIME and TIME keep minutes, as Kintone does: seconds and
//     fractions are dropped, never rounded (10:00:59 is 10:00);
//   - DATE, TIME, DATETIME: the zero time.Time is empty, as nil is (GORM
//     writes it for a field it has no value for); a date outside
//     1000-01-01..9999-12-31 is an error;
//   - CHECK_BOX, MULTI_SELECT: an array of strings ([]string, or a string
//     holding a JSON array); nil is [];
//   - USER_SELECT, ORGANIZATION_SELECT, GROUP_SELECT: [{"code": c}]
//     from []string codes, []EntityRef or a JSON array; nil is [];
//   - CREATOR, MODIFIER: {"code": c};
//   - FILE: [{"fileKey": k}] from []string keys, []FileRef or a JSON array;
//     nil is [];
//   - SUBTABLE: the rows in write form, [{"id": "48290", "value": {code:
//     {"value": v}}}], from []Row or JSON text of rows in read or write
//     form. Each inner value is encoded by the "type" the row gives it
//     (read form), inner fields no write may set (CALC, ...) are dropped,
//     and untyped values pass as they are. EncodeField knows the inner
//     types from the form instead.
//
// Types no record write may set (CALC, RECORD_NUMBER, STATUS, $id, ...)
// are an error, as is a value of the wrong kind.
func (c Codec) Encode(t Type, v any) (any, error) {
	return c.encode(t, nil, v, false)
}

// EncodeField is Encode for the field p describes, in a write that creates
// the record (create) or updates it. A field Kintone sets only when a
// record is created (CREATOR, CREATED_TIME, ...) is an error on update.
// A SUBTABLE's inner values are encoded by the types of its inner fields
// (p.Fields); when creating, the rows' ids are dropped, since a new record
// has no rows for them to name (they may come from another record, as in
// INSERT ... SELECT).
func (c Codec) EncodeField(p *Property, v any, create bool) (any, error) {
	if !create && p.Type.Info().Write == CreateOnly {
		return nil, &EncodeError{Type: p.Type, Value: v, Msg: "Kintone sets the field only when a record is created"}
	}
	return c.encode(p.Type, p, v, create)
}

// encode is Encode with the field's property (nil when unknown) and
// whether the record is being created.
func (c Codec) encode(t Type, p *Property, v any, create bool) (any, error) {
	switch x := v.(type) {
	case []byte:
		v = string(x)
	case Decimal:
		v = string(x)
	}
	fail := func(msg string) (any, error) { return nil, &EncodeError{Type: t, Value: v, Msg: msg} }
	if t.Info().Write == ReadOnly || !t.HasValue() {
		return fail("the field is not writable")
	}
	switch t {
	case SingleLineText, MultiLineText, RichText, Link, RadioButton, DropDown:
		if v == nil {
			return "", nil
		}
		if _, ok := v.(string); ok {
			return v, nil // as given: no new interface value to allocate
		}
		if s, ok := scalarText(v); ok {
			return s, nil
		}
		return fail("want a string")
	case Number:
		if v == nil {
			return "", nil
		}
		s, ok := scalarText(v)
		if !ok {
			return fail("want a number")
		}
		if s == "" {
			return "", nil
		}
		if n, ok := NormalizeNumber(s); ok {
			if _, isString := v.(string); isString && n == s {
				return v, nil // already canonical: as given
			}
			return n, nil
		}
		return fail("not a number")
	case Date:
		switch x := v.(type) {
		case nil:
			return nil, nil
		case time.Time:
			if x.IsZero() {
				return nil, nil // GORM's "no value"
			}
			x = x.In(c.loc())
			if y := x.Year(); y < 1000 || y > 9999 {
				return fail("Kintone's dates run from 1000-01-01 to 9999-12-31")
			}
			return x.Format("2006-01-02"), nil
		case string:
			if x == "" {
				return nil, nil
			}
			if d, ok := NormalizeDate(x); ok {
				return d, nil
			}
		}
		return fail("want a date YYYY-MM-DD")
	case Time:
		switch x := v.(type) {
		case nil:
			return nil, nil
		case time.Time:
			if x.IsZero() {
				return nil, nil // GORM's "no value"
			}
			// A time of day has no zone: the wall clock as given, never
			// converted (year 0 in Asia/Tokyo is +09:18:59 local mean
			// time). Seconds are dropped: Kintone keeps minutes.
			return x.Format("15:04"), nil
		case string:
			if x == "" {
				return nil, nil
			}
			if s, ok := NormalizeTime(x); ok {
				return s, nil
			}
		}
		return fail("want a time HH:MM")
	case DateTime, CreatedTime, UpdatedTime:
		return c.encodeDateTime(v, fail)
	case CheckBox, MultiSelect:
		if list, ok := stringList(v); ok {
			return list, nil
		}
		return fail("want a list of strings ([]string, a slice of text or integers) or a JSON array of strings")
	case UserSelect, OrganizationSelect, GroupSelect:
		codes, ok := entityCodes(v)
		if !ok {
			return fail("want []string codes or a JSON array of {code}")
		}
		return objects("code", codes), nil
	case Creator, Modifier:
		switch x := v.(type) {
		case string:
			if x != "" && !strings.HasPrefix(strings.TrimSpace(x), "{") {
				return map[string]string{"code": x}, nil
			}
			var e EntityRef
			if json.Unmarshal([]byte(x), &e) == nil && e.Code != "" {
				return map[string]string{"code": e.Code}, nil
			}
		case EntityRef:
			if x.Code != "" {
				return map[string]string{"code": x.Code}, nil
			}
		}
		return fail("want a user code")
	case File:
		keys, ok := fileKeys(v)
		if !ok {
			return fail("want []string file keys or a JSON array of {fileKey}")
		}
		return objects("fileKey", keys), nil
	case Subtable:
		var inner map[string]*Property
		if p != nil {
			inner = p.Fields
		}
		return c.encodeRows(v, inner, create, fail)
	}
	return fail("the field type is not supported for writing")
}

// encodeDateTime encodes a DATETIME write value: the UTC instant truncated
// to the minute (Kintone keeps minutes and drops seconds itself; sending
// what it will store keeps the two in step). The zero time.Time, GORM's
// "no value", is empty.
func (c Codec) encodeDateTime(v any, fail func(string) (any, error)) (any, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case time.Time:
		if x.IsZero() {
			return "", nil
		}
		if s, ok := formatDateTime(x); ok {
			return s, nil
		}
		return fail("Kintone's date-times run from 1000-01-01T00:00Z to 9999-12-31T23:59Z")
	case string:
		if x == "" {
			return "", nil
		}
		if s, ok := NormalizeDateTime(x); ok {
			return s, nil
		}
		for _, layout := range []string{"2006-01-02 15:04:05.999999999", "2006-01-02 15:04"} {
			if tm, err := time.ParseInLocation(layout, x, c.loc()); err == nil {
				if s, ok := formatDateTime(tm); ok {
					return s, nil
				}
				return fail("Kintone's date-times run from 1000-01-01T00:00Z to 9999-12-31T23:59Z")
			}
		}
	}
	return fail("want a date and time")
}

// formatDateTime prints t as Kintone stores a DATETIME: the UTC instant
// truncated to the minute, "YYYY-MM-DDTHH:MM:00Z". ok is false outside
// Kintone's range, 1000-01-01T00:00Z to 9999-12-31T23:59Z.
func formatDateTime(t time.Time) (string, bool) {
	t = t.UTC().Truncate(time.Minute)
	if y := t.Year(); y < 1000 || y > 9999 {
		return "", false
	}
	return t.Format("2006-01-02T15:04:00Z"), true
}

// writeRow is a subtable row in write form. ID is "" for a new row.
type writeRow struct {
	ID    string               `json:"id,omitempty"`
	Value map[string]writeCell `json:"value"`
}

// writeCell is one inner field in write form.
type writeCell struct {
	Value any `json:"value"`
}

// inputRow is a subtable row as a caller may give it: read form (with
// "type" in each cell) or write form.
type inputRow struct {
	ID    json.RawMessage `json:"id"`
	Value map[string]struct {
		Type  Type            `json:"type"`
		Value json.RawMessage `json:"value"`
	} `json:"value"`
}

// encodeRows encodes a SUBTABLE write value: nil (no rows), []Row, or
// JSON text of rows. inner holds the inner fields' properties (nil when
// unknown); dropIDs leaves the row ids out.
func (c Codec) encodeRows(v any, inner map[string]*Property, dropIDs bool, fail func(string) (any, error)) (any, error) {
	var rows []writeRow
	cell := func(row int, code string, t Type, val any) error {
		if p := inner[code]; p != nil {
			t = p.Type
		}
		if t == "" {
			rows[row].Value[code] = writeCell{Value: val}
			return nil
		}
		if t.Info().Write == ReadOnly || !t.HasValue() {
			return nil // computed by Kintone (CALC) or not a value
		}
		enc, err := c.Encode(t, val)
		if err != nil {
			msg := err.Error()
			var ee *EncodeError
			if errors.As(err, &ee) {
				msg = ee.Msg
			}
			return fmt.Errorf("row %d, field %s (%s): %s", row+1, code, t, msg)
		}
		rows[row].Value[code] = writeCell{Value: enc}
		return nil
	}
	switch x := v.(type) {
	case nil:
		return []writeRow{}, nil
	case []Row:
		rows = make([]writeRow, len(x))
		for i, r := range x {
			rows[i].Value = make(map[string]writeCell, len(r.Fields))
			if r.ID > 0 && !dropIDs {
				rows[i].ID = strconv.FormatInt(r.ID, 10)
			}
			for code, cl := range r.Fields {
				if err := cell(i, code, cl.Type, cl.Value); err != nil {
					return fail(err.Error())
				}
			}
		}
		return rows, nil
	case string:
		var raw []json.RawMessage
		if err := json.Unmarshal([]byte(x), &raw); err != nil {
			return fail("want a JSON array of rows: " + err.Error())
		}
		rows = make([]writeRow, len(raw))
		for i, r := range raw {
			var in inputRow
			if err := json.Unmarshal(r, &in); err != nil || in.Value == nil {
				return fail(fmt.Sprintf("row %d is not an object with a \"value\" object", i+1))
			}
			rows[i].Value = make(map[string]writeCell, len(in.Value))
			if !dropIDs {
				id, ok := rowID(in.ID)
				if !ok {
					return fail(fmt.Sprintf("row %d has a bad id %s", i+1, in.ID))
				}
				rows[i].ID = id
			}
			for code, f := range in.Value {
				if err := cell(i, code, f.Type, jsonToGo(f.Value)); err != nil {
					return fail(err.Error())
				}
			}
		}
		return rows, nil
	}
	return fail("want a JSON array of rows")
}

// rowID reads a subtable row id: a decimal string or number, or nothing.
func rowID(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" || string(raw) == `""` {
		return "", true
	}
	s := string(raw)
	if raw[0] == '"' {
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", false
		}
	}
	if _, err := strconv.ParseUint(s, 10, 63); err != nil {
		return "", false
	}
	return s, true
}

// jsonToGo turns an inner JSON value into what Encode takes: a string for
// a JSON string or number, JSON text for an array or object, nil for null.
func jsonToGo(raw json.RawMessage) any {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return nil
	case raw[0] == '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	case string(raw) == "true":
		return true
	case string(raw) == "false":
		return false
	}
	return string(raw)
}

// objects builds [{key: v}] for each v.
func objects(key string, vs []string) []map[string]string {
	out := make([]map[string]string, len(vs))
	for i, v := range vs {
		out[i] = map[string]string{key: v}
	}
	return out
}

// scalarText prints a scalar argument as text: strings as they are,
// integers in decimal, floats in the shortest form that reads back
// exactly, booleans as 1 or 0 (MySQL's TRUE and FALSE).
func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case int64:
		return strconv.FormatInt(x, 10), true
	case int:
		return strconv.Itoa(x), true
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "", false
		}
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case bool:
		if x {
			return "1", true
		}
		return "0", true
	}
	return "", false
}

// stringList accepts nil, []string, []any of strings and integers (a
// slice argument as the translator converts it: option keys or codes
// such as 1 and 2 are text in Kintone), or a string holding a JSON array
// of strings.
func stringList(v any) ([]string, bool) {
	switch x := v.(type) {
	case nil:
		return []string{}, true
	case []string:
		if x == nil {
			return []string{}, true
		}
		return x, true
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			switch y := e.(type) {
			case string:
				out[i] = y
			case int64:
				out[i] = strconv.FormatInt(y, 10)
			case Decimal:
				out[i] = string(y)
			default:
				return nil, false
			}
		}
		return out, true
	case string:
		if strings.TrimSpace(x) == "" {
			return []string{}, true
		}
		var list []string
		if err := json.Unmarshal([]byte(x), &list); err != nil {
			return nil, false
		}
		if list == nil {
			list = []string{}
		}
		return list, true
	}
	return nil, false
}

// entityCodes accepts nil, []string codes, []EntityRef, or a string holding a
// JSON array of codes or of {"code"} objects.
func entityCodes(v any) ([]string, bool) {
	switch x := v.(type) {
	case []EntityRef:
		codes := make([]string, len(x))
		for i, e := range x {
			codes[i] = e.Code
		}
		return codes, true
	case string:
		if list, ok := stringList(x); ok {
			return list, true
		}
		var ents []EntityRef
		if err := json.Unmarshal([]byte(x), &ents); err != nil {
			return nil, false
		}
		return entityCodes(ents)
	}
	return stringList(v)
}

// fileKeys accepts nil, []string keys, []FileRef, or a string holding a
// JSON array of keys or of {"fileKey"} objects.
func fileKeys(v any) ([]string, bool) {
	var refs []FileRef
	switch x := v.(type) {
	case []FileRef:
		refs = x
	case string:
		if list, ok := stringList(x); ok {
			return list, true
		}
		if err := json.Unmarshal([]byte(x), &refs); err != nil {
			return nil, false
		}
	default:
		return stringList(v)
	}
	keys := make([]string, len(refs))
	for i, r := range refs {
		keys[i] = r.FileKey
	}
	return keys, true
}
