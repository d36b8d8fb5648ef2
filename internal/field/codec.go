package field

import (
	"bytes"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// This file converts record JSON ({"type": T, "value": V}, QUERY-AND-FIELDS.md
// B.1) into Go values; encode.go goes the other way, for writes.
//
// Decoding gives a structured value that the translator's pipeline can
// compare and test for membership; DriverValue turns it into what
// database/sql sees (DESIGN.md "Tables and columns"). The empty value of a
// single-valued type ("" or null) decodes to nil: for the driver an empty
// Kintone value is SQL NULL. A multi-valued type (check boxes, selections,
// files, subtable rows) holds a list, and its empty value is the empty list
// (JSON [], never NULL), as record JSON carries it: a list with nothing
// in it is a value, and it scans into []byte, string and json.RawMessage.
//
//	type                                          structured value    driver value
//	__ID__, __REVISION__                          int64               int64
//	SINGLE_LINE_TEXT, MULTI_LINE_TEXT, RICH_TEXT,
//	LINK, RADIO_BUTTON, DROP_DOWN, STATUS,
//	RECORD_NUMBER                                 string              string
//	NUMBER, CALC (format NUMBER, NUMBER_DIGIT)    Decimal             string (exact text)
//	CALC (HOUR_MINUTE, DAY_HOUR_MINUTE)           string              string
//	DATE, CALC (DATE)                             time.Time (midnight in the location)
//	DATETIME, CREATED_TIME, UPDATED_TIME,
//	CALC (DATETIME)                               time.Time (in the location)
//	TIME, CALC (TIME)                             time.Time (0000-01-01 in UTC)
//	CHECK_BOX, MULTI_SELECT, CATEGORY             []string            []byte (JSON)
//	CREATOR, MODIFIER                             EntityRef           []byte (JSON)
//	USER_SELECT, ORGANIZATION_SELECT,
//	GROUP_SELECT, STATUS_ASSIGNEE                 []EntityRef         []byte (JSON)
//	FILE                                          []FileRef           []byte (JSON)
//	SUBTABLE                                      []Row               []byte (JSON)
//	an unknown type                               json.RawMessage     []byte (the value as sent)
//
// The JSON text of a multi-valued field is the field's "value" as record
// JSON carries it (for SUBTABLE: the rows with "id" and typed inner fields),
// re-encoded compactly, so that it can be sent back on a write.

// Decimal is the exact decimal text of a NUMBER value, or of a CALC value
// in a numeric format, as Kintone sends it ("-12.5"). It is never empty;
// the empty value decodes to nil.
type Decimal string

// EntityRef is a user, organization or group as record JSON carries it.
type EntityRef struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// FileRef is one attachment of a FILE field. FileKey is only good for
// downloading; Size is a decimal string, as Kintone sends it.
type FileRef struct {
	ContentType string `json:"contentType"`
	FileKey     string `json:"fileKey"`
	Name        string `json:"name"`
	Size        string `json:"size"`
}

// Row is one SUBTABLE row: its id and its inner fields, decoded like
// top-level fields (nil for an empty value).
type Row struct {
	ID     int64
	Fields map[string]Cell
}

// Cell is one decoded field with its type, as a subtable row holds it.
// Format is a CALC field's format ("" for other types or when unknown).
type Cell struct {
	Type   Type
	Format string
	Value  any
}

// Codec converts between record JSON and Go values. Location is the time
// zone DATE and DATETIME values are given in (DESIGN.md: the DSN's time
// zone); nil means UTC. TIME values have no zone: they read as a wall
// clock on 0000-01-01 in UTC and write their wall clock as given. The zero
// Codec is ready to use.
type Codec struct {
	Location *time.Location
}

// loc returns the codec's location, UTC when unset.
func (c Codec) loc() *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}

// DecodeError reports a record JSON value that does not have the shape its
// type promises.
type DecodeError struct {
	Code  string // the field code, "" when unknown
	Type  Type
	Value string // the offending JSON, cut to 64 bytes
	Err   error
}

// Error names the field, its type and the value.
func (e *DecodeError) Error() string {
	field := "field"
	if e.Code != "" {
		field = "field " + strconv.Quote(e.Code)
	}
	return fmt.Sprintf("kintone: cannot decode %s of type %s from %s: %v", field, e.Type, e.Value, e.Err)
}

// Unwrap returns the underlying error.
func (e *DecodeError) Unwrap() error { return e.Err }

// decodeErr builds a *DecodeError.
func decodeErr(t Type, raw []byte, err error) *DecodeError {
	v := string(raw)
	if len(v) > 64 {
		v = v[:64] + "…"
	}
	return &DecodeError{Type: t, Value: v, Err: err}
}

// withCode sets the field code of a *DecodeError that has none.
func withCode(err error, code string) error {
	var de *DecodeError
	if errors.As(err, &de) && de.Code == "" {
		de.Code = code
	}
	return err
}

// rawField is one field of record JSON.
type rawField struct {
	Type  Type            `json:"type"`
	Value json.RawMessage `json:"value"`
}

// DecodeRecord decodes one record object of a records.json or cursor
// response ({code: {"type","value"}, ...}) into field code -> structured
// value. props supplies the CALC formats (top level and inside subtables);
// a field missing from props, or a nil props, decodes by its JSON type
// alone, a CALC then by the shape of its text.
func (c Codec) DecodeRecord(data []byte, props map[string]*Property) (map[string]any, error) {
	var raw map[string]rawField
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("kintone: cannot decode record: %w", err)
	}
	out := make(map[string]any, len(raw))
	for code, f := range raw {
		v, err := c.decode(f.Type, calcFormat(props, code), f.Value, props)
		if err != nil {
			return nil, withCode(err, code)
		}
		out[code] = v
	}
	return out, nil
}

// DecodeField decodes the "value" of the field code of type t of a record,
// as DecodeRecord does for each field: props supplies the CALC formats. It
// is for callers that have split a record into fields already.
func (c Codec) DecodeField(code string, t Type, value json.RawMessage, props map[string]*Property) (any, error) {
	v, err := c.decode(t, calcFormat(props, code), value, props)
	if err != nil {
		return nil, withCode(err, code)
	}
	return v, nil
}

// calcFormat returns the CALC format of code in props, or "".
func calcFormat(props map[string]*Property, code string) string {
	if p := props[code]; p != nil {
		return p.Format
	}
	return ""
}

// Decode decodes the "value" of a field of type t. format is a CALC
// field's format ("" for other types, or when unknown).
func (c Codec) Decode(t Type, format string, value json.RawMessage) (any, error) {
	return c.decode(t, format, value, nil)
}

// decode is Decode with the app's properties, for subtable rows.
func (c Codec) decode(t Type, format string, value json.RawMessage, props map[string]*Property) (any, error) {
	value = bytes.TrimSpace(value)
	if len(value) == 0 || string(value) == "null" {
		return EmptyValue(t), nil
	}
	switch t {
	case SingleLineText, MultiLineText, RichText, Link, RadioButton, DropDown, Status, RecordNumber:
		s, err := jsonString(t, value)
		if err != nil || s == "" {
			return nil, err
		}
		return s, nil
	case ID, Revision:
		s, err := jsonString(t, value)
		if err != nil || s == "" {
			return nil, err
		}
		n, perr := strconv.ParseInt(s, 10, 64)
		if perr != nil {
			return nil, decodeErr(t, value, perr)
		}
		return n, nil
	case Number:
		s, err := jsonString(t, value)
		if err != nil || s == "" {
			return nil, err
		}
		return Decimal(s), nil
	case Calc:
		s, err := jsonString(t, value)
		if err != nil || s == "" {
			return nil, err
		}
		return c.decodeCalc(format, s, value)
	case Date:
		s, err := jsonString(t, value)
		if err != nil || s == "" {
			return nil, err
		}
		return c.parseDate(t, s, value)
	case Time:
		s, err := jsonString(t, value)
		if err != nil || s == "" {
			return nil, err
		}
		return c.parseClock(t, s, value)
	case DateTime, CreatedTime, UpdatedTime:
		s, err := jsonString(t, value)
		if err != nil || s == "" {
			return nil, err
		}
		return c.parseDateTime(t, s, value)
	case CheckBox, MultiSelect, Category:
		v, err := readStrings(value)
		if err != nil {
			return nil, decodeErr(t, value, err)
		}
		if v == nil {
			v = []string{}
		}
		return v, nil
	case Creator, Modifier:
		v, err := readEntity(value)
		if err != nil {
			return nil, decodeErr(t, value, err)
		}
		if v.Code == "" {
			return nil, nil
		}
		return v, nil
	case UserSelect, OrganizationSelect, GroupSelect, StatusAssignee:
		v, err := readEntities(value)
		if err != nil {
			return nil, decodeErr(t, value, err)
		}
		if v == nil {
			v = []EntityRef{}
		}
		return v, nil
	case File:
		v, err := readFiles(value)
		if err != nil {
			return nil, decodeErr(t, value, err)
		}
		if v == nil {
			v = []FileRef{}
		}
		return v, nil
	case Subtable:
		return c.decodeRows(value, props)
	}
	// A type this table does not know (a newer Kintone): keep the JSON.
	return json.RawMessage(append([]byte(nil), value...)), nil
}

// jsonString decodes a JSON string. A JSON number is accepted too (some
// clients and fixtures send numbers unquoted).
func jsonString(t Type, raw json.RawMessage) (string, error) {
	if len(raw) > 0 && raw[0] == '"' {
		if s, ok := plainJSONString(raw); ok {
			return s, nil
		}
		r := jsonReader{buf: raw}
		b, err := r.strBytes()
		if err == nil {
			err = r.end()
		}
		if err != nil {
			return "", decodeErr(t, raw, err)
		}
		return string(b), nil
	}
	r := jsonReader{buf: raw}
	if r.number() != nil || r.end() != nil {
		return "", decodeErr(t, raw, errors.New("not a string"))
	}
	return string(raw), nil
}

// plainJSONString returns the content of a JSON string literal that has no
// escapes, no control characters and no invalid UTF-8 (which decoding
// replaces by U+FFFD), without unescaping; ok is false otherwise. Most
// record values are such strings, and this fast path keeps decoding a page
// cheap.
func plainJSONString(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[len(raw)-1] != '"' {
		return "", false
	}
	body := raw[1 : len(raw)-1]
	ascii := true
	for _, b := range body {
		if b == '\\' || b == '"' || b < 0x20 {
			return "", false
		}
		if b >= utf8.RuneSelf {
			ascii = false
		}
	}
	if !ascii && !utf8.Valid(body) {
		return "", false
	}
	return string(body), true
}

// decodeCalc decodes a CALC text by its format. An unknown or empty
// format is taken from the text's shape: a plain decimal is a Decimal,
// anything else stays a string.
func (c Codec) decodeCalc(format, s string, raw []byte) (any, error) {
	switch format {
	case "NUMBER", "NUMBER_DIGIT":
		return Decimal(s), nil
	case "DATE":
		return c.parseDate(Calc, s, raw)
	case "DATETIME":
		return c.parseDateTime(Calc, s, raw)
	case "TIME":
		return c.parseClock(Calc, s, raw)
	case "HOUR_MINUTE", "DAY_HOUR_MINUTE":
		return s, nil
	}
	if isPlainDecimal(s) {
		return Decimal(s), nil
	}
	return s, nil
}

// isPlainDecimal reports whether s is an optional '-', digits, and an
// optional fraction.
func isPlainDecimal(s string) bool {
	s = strings.TrimPrefix(s, "-")
	intPart, frac, dot := strings.Cut(s, ".")
	if intPart == "" || !allDigits(intPart) {
		return false
	}
	return !dot || (frac != "" && allDigits(frac))
}

// parseDate reads "YYYY-MM-DD" as midnight in the codec's location.
func (c Codec) parseDate(t Type, s string, raw []byte) (time.Time, error) {
	d, err := time.ParseInLocation("2006-01-02", s, c.loc())
	if err != nil {
		return time.Time{}, decodeErr(t, raw, err)
	}
	return d, nil
}

// parseClock reads "HH:MM" (or "HH:MM:SS") as a wall clock on 0000-01-01
// in UTC, whatever the codec's location: a time of day has no zone, and
// year 0 in a named zone is its local mean time (+09:18:59 in Asia/Tokyo),
// which would shift the clock of anyone converting it. It is the value
// time.Parse("15:04", s) gives.
func (c Codec) parseClock(t Type, s string, raw []byte) (time.Time, error) {
	layout := "15:04"
	if len(s) > 5 {
		layout = "15:04:05"
	}
	v, err := time.Parse(layout, s)
	if err != nil {
		return time.Time{}, decodeErr(t, raw, err)
	}
	return time.Date(0, 1, 1, v.Hour(), v.Minute(), v.Second(), 0, time.UTC), nil
}

// parseDateTime reads an RFC 3339 instant ("2012-01-11T11:30:00Z", as
// Kintone sends it) and returns it in the codec's location.
func (c Codec) parseDateTime(t Type, s string, raw []byte) (time.Time, error) {
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		// The official sample writes offsets without a colon; accept that too.
		var err2 error
		if v, err2 = time.Parse("2006-01-02T15:04:05-0700", s); err2 != nil {
			return time.Time{}, decodeErr(t, raw, err)
		}
	}
	return v.In(c.loc()), nil
}

// EmptyValue is the structured value of an empty field of type t: nil
// (SQL NULL) for the single-valued types, and the empty list of the
// multi-valued ones: []string for CHECK_BOX, MULTI_SELECT and CATEGORY,
// []EntityRef for the selections and STATUS_ASSIGNEE, []FileRef for FILE,
// []Row for SUBTABLE.
func EmptyValue(t Type) any {
	switch t {
	case CheckBox, MultiSelect, Category:
		return []string{}
	case UserSelect, OrganizationSelect, GroupSelect, StatusAssignee:
		return []EntityRef{}
	case File:
		return []FileRef{}
	case Subtable:
		return []Row{}
	}
	return nil
}

// decodeRows decodes a SUBTABLE value. props (the app's top-level
// properties) supply the CALC formats of inner fields.
func (c Codec) decodeRows(value json.RawMessage, props map[string]*Property) (any, error) {
	var tables [4]*Property
	subtables := tables[:0]
	for _, p := range props {
		if p != nil && p.Type == Subtable && len(p.Fields) > 0 {
			subtables = append(subtables, p)
		}
	}
	rows, err := c.readRows(value, subtables)
	if err != nil {
		var de *DecodeError
		if errors.As(err, &de) {
			return nil, err
		}
		return nil, decodeErr(Subtable, value, err)
	}
	return rows, nil
}

// innerFormat is the CALC format of the inner field code of one of the
// subtables, "" when none has it.
func innerFormat(subtables []*Property, code string) string {
	format := ""
	for _, p := range subtables {
		if q := p.Fields[code]; q != nil {
			format = q.Format
		}
	}
	return format
}

// innerCode is the string of the inner field code k: the subtables'
// own (their properties' Code), or a new one for a code they lack.
func innerCode(subtables []*Property, k []byte) string {
	for _, p := range subtables {
		if q := p.Fields[string(k)]; q != nil && q.Code == string(k) {
			return q.Code
		}
	}
	return string(k)
}

// typeNames holds the types this package knows, by name.
var typeNames = func() map[string]Type {
	m := make(map[string]Type, len(table))
	for t := range table {
		m[string(t)] = t
	}
	return m
}()

// typ is str for a field type: the types this package knows come without
// an allocation.
func (r *jsonReader) typ() (Type, bool, error) {
	if r.peek() != '"' {
		s, ok, err := r.str()
		return Type(s), ok, err
	}
	b, err := r.strBytes()
	if err != nil {
		return "", false, err
	}
	if t, ok := typeNames[string(b)]; ok {
		return t, true, nil
	}
	return Type(b), true, nil
}

// rowField is one inner field of a subtable row, undecoded.
type rowField struct {
	code  string
	typ   Type
	value []byte
}

// readRows reads a SUBTABLE value, an array of {"id": ..., "value":
// {code: {"type", "value"}}}, with jsonReader: by the rules encoding/json
// has for []struct{ID json.RawMessage; Value map[string]rawField}, which
// decoded it before (a null row is a row with no id and no fields, a
// repeated "value" adds to the fields, "value": null drops them, the last
// of a repeated code wins). Each row's fields are decoded once its object
// is read, so that a later repeat of a code replaces an earlier one before
// it is decoded.
func (c Codec) readRows(value []byte, subtables []*Property) ([]Row, error) {
	r := jsonReader{buf: value}
	var typeErr error
	switch k := r.peek(); k {
	case '[':
		_ = r.open() // depth 1
	case 'n':
		if err := r.literal("null"); err != nil {
			return nil, err
		}
		return []Row{}, r.end()
	default:
		if err := r.skip(); err != nil {
			return nil, err
		}
		if err := r.end(); err != nil {
			return nil, err
		}
		return nil, &errJSONType{"an array of rows", kind(k)}
	}
	rows := make([]Row, 0, 4)
	var fields []rowField // the row's, reused
	for first := true; ; first = false {
		ok, err := r.next(first, ']')
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		var id []byte
		fields = fields[:0]
		switch k := r.peek(); k {
		case '{':
			id, fields, err = r.row(fields, subtables, &typeErr)
		case 'n':
			err = r.literal("null")
		default:
			if err = r.skip(); err == nil {
				err = firstErr(&typeErr, &errJSONType{"a row object", kind(k)})
			}
		}
		if err != nil {
			return nil, err
		}
		if typeErr != nil {
			continue // only a syntax error further on can change the answer
		}
		n, err := c.decode(ID, "", id, nil)
		if err != nil {
			return nil, decodeErr(Subtable, value, fmt.Errorf("row %d: bad id: %w", len(rows), err))
		}
		row := Row{Fields: make(map[string]Cell, len(fields))}
		row.ID, _ = n.(int64)
		for _, f := range fields {
			format := innerFormat(subtables, f.code)
			v, err := c.decode(f.typ, format, f.value, nil)
			if err != nil {
				return nil, withCode(err, f.code)
			}
			row.Fields[f.code] = Cell{Type: f.typ, Format: format, Value: v}
		}
		rows = append(rows, row)
	}
	if err := r.end(); err != nil {
		return nil, err
	}
	if typeErr != nil {
		return nil, typeErr
	}
	return rows, nil
}

// row reads a row object (its '{' next), appending its fields to fields.
func (r *jsonReader) row(fields []rowField, subtables []*Property, typeErr *error) (id []byte, _ []rowField, err error) {
	_ = r.open() // depth 2
	for first := true; ; first = false {
		k, ok, err := r.member(first)
		if err != nil || !ok {
			return id, fields, err
		}
		switch {
		case equalFoldASCII(k, "id"):
			if id, err = r.raw(); err != nil {
				return nil, nil, err
			}
		case equalFoldASCII(k, "value"):
			switch c := r.peek(); c {
			case '{':
				fields, err = r.rowFields(fields, subtables, typeErr)
			case 'n':
				fields, err = fields[:0], r.literal("null")
			default:
				if err = r.skip(); err == nil {
					err = firstErr(typeErr, &errJSONType{"an object of fields", kind(c)})
				}
			}
			if err != nil {
				return nil, nil, err
			}
		default:
			if err := r.skip(); err != nil {
				return nil, nil, err
			}
		}
	}
}

// rowFields reads a row's object of fields (its '{' next) into fields, a
// code already there replaced.
func (r *jsonReader) rowFields(fields []rowField, subtables []*Property, typeErr *error) ([]rowField, error) {
	_ = r.open() // depth 3
	for first := true; ; first = false {
		k, ok, err := r.member(first)
		if err != nil || !ok {
			return fields, err
		}
		f := rowField{code: innerCode(subtables, k)}
		switch c := r.peek(); c {
		case '{':
			err = r.rowField(&f, typeErr)
		case 'n':
			err = r.literal("null")
		default:
			if err = r.skip(); err == nil {
				err = firstErr(typeErr, &errJSONType{"a field object", kind(c)})
			}
		}
		if err != nil {
			return nil, err
		}
		i := 0
		for i < len(fields) && fields[i].code != f.code {
			i++
		}
		if i < len(fields) {
			fields[i] = f
		} else {
			fields = append(fields, f)
		}
	}
}

// rowField reads {"type": t, "value": v} (its '{' next) into f.
func (r *jsonReader) rowField(f *rowField, typeErr *error) error {
	_ = r.open() // depth 4
	for first := true; ; first = false {
		k, ok, err := r.member(first)
		if err != nil || !ok {
			return err
		}
		switch {
		case equalFoldASCII(k, "type"):
			s, ok, err := r.typ()
			if err = firstErr(typeErr, err); err != nil {
				return err
			}
			if ok {
				f.typ = s
			}
		case equalFoldASCII(k, "value"):
			if f.value, err = r.raw(); err != nil {
				return err
			}
		default:
			if err := r.skip(); err != nil {
				return err
			}
		}
	}
}

// DriverValue converts a structured value (as Decode returns it) into the
// value database/sql receives: nil, int64, string, time.Time, or []byte
// holding JSON for the multi-valued types (the field's "value" as record
// JSON carries it; "[]" for an empty list, nil slices included). Values
// that already are driver values (bool, float64, []byte) pass through. Any
// other type is an error.
func DriverValue(v any) (driver.Value, error) {
	switch v := v.(type) {
	case nil, int64, string, time.Time, bool, float64, []byte:
		return v, nil
	case Decimal:
		return string(v), nil
	case json.RawMessage:
		return []byte(v), nil
	case []string:
		if v == nil {
			return []byte("[]"), nil
		}
		return marshalJSON(v)
	case []EntityRef:
		if v == nil {
			return []byte("[]"), nil
		}
		return marshalJSON(v)
	case []FileRef:
		if v == nil {
			return []byte("[]"), nil
		}
		return marshalJSON(v)
	case EntityRef:
		return marshalJSON(v)
	case []Row:
		return marshalJSON(rowsJSON(v))
	}
	return nil, fmt.Errorf("kintone: no driver value for %T", v)
}

// marshalJSON encodes v compactly, without HTML escaping (a field value is
// data, not markup).
func marshalJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// jsonRow is a subtable row as record JSON carries it.
type jsonRow struct {
	ID    string                 `json:"id"`
	Value map[string]jsonReadVal `json:"value"`
}

// jsonReadVal is one field as record JSON carries it on read.
type jsonReadVal struct {
	Type  Type `json:"type"`
	Value any  `json:"value"`
}

// rowsJSON converts rows to their record JSON shape.
func rowsJSON(rows []Row) []jsonRow {
	out := make([]jsonRow, len(rows))
	for i, r := range rows {
		jr := jsonRow{ID: strconv.FormatInt(r.ID, 10), Value: make(map[string]jsonReadVal, len(r.Fields))}
		for code, c := range r.Fields {
			jr.Value[code] = jsonReadVal{Type: c.Type, Value: ReadJSON(c.Type, c.Format, c.Value)}
		}
		out[i] = jr
	}
	return out
}

// ReadJSON returns the JSON-ready "value" that record JSON carries on read
// for a structured value of type t (format: a CALC field's format), the
// inverse of Decode. The empty value is "", null or [] as B.1 lists for
// the type; DATETIME values are UTC "YYYY-MM-DDTHH:MM:SSZ".
func ReadJSON(t Type, format string, v any) any {
	if v == nil {
		switch {
		case t.Info().NullWhenEmpty:
			return nil
		case t.MultiValued() || t == Category:
			return []any{}
		case t == Creator || t == Modifier:
			return EntityRef{}
		}
		return ""
	}
	switch v := v.(type) {
	case int64:
		return strconv.FormatInt(v, 10)
	case Decimal:
		return string(v)
	case time.Time:
		return formatTime(t, format, v)
	case []Row:
		return rowsJSON(v)
	}
	return v
}

// formatTime prints a time value the way record JSON carries a field of
// type t (and CALC format).
func formatTime(t Type, format string, v time.Time) string {
	kind := t
	if t == Calc {
		kind = Type(format)
	}
	switch kind {
	case Date:
		return v.Format("2006-01-02")
	case Time:
		return v.Format("15:04")
	}
	return v.UTC().Format("2006-01-02T15:04:05Z")
}
