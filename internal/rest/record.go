package rest

import (
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
)

// Field is one field of a record as Kintone returns it: {"type": ...,
// "value": ...} under the field's code.
type Field struct {
	// Code is the field code ("$id" and "$revision" included).
	Code string
	// Type is the field type, such as SINGLE_LINE_TEXT or __ID__.
	Type field.Type
	// Value is the JSON value, undecoded: a string, null, an array or an
	// object depending on Type. It shares memory with the page it came
	// from: keep it as long as needed, but do not modify it.
	Value json.RawMessage
}

// Record is one record: its fields in the order Kintone sent them.
type Record []Field

// Field returns the field with the given code.
func (r Record) Field(code string) (Field, bool) {
	for _, f := range r {
		if f.Code == code {
			return f, true
		}
	}
	return Field{}, false
}

// ID returns the record's $id. It fails when the response did not include
// $id (a fields list without it) or the value is not a decimal string.
func (r Record) ID() (int64, error) { return r.number("$id") }

// Revision returns the record's $revision, like ID.
func (r Record) Revision() (int64, error) { return r.number("$revision") }

func (r Record) number(code string) (int64, error) {
	f, ok := r.Field(code)
	if !ok {
		return 0, errors.New("kintone: record has no " + code + " field; list it in fields")
	}
	v, ok := parseDecimalValue(f.Value)
	if !ok {
		return 0, errors.New("kintone: record's " + code + " is not a decimal string")
	}
	return v, nil
}

// parseDecimalValue reads a JSON string or number holding a non-negative
// decimal integer, as Kintone sends IDs, revisions and counts.
func parseDecimalValue(b []byte) (int64, bool) {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		b = b[1 : len(b)-1]
	}
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, v >= 0
}

// RecordsPage is one page of records.
type RecordsPage struct {
	// Records are the page's records.
	Records []Record
	// TotalCount is the number of records matching the query regardless of
	// limit and offset, when it was asked for (HasTotalCount), or the
	// cursor's total from CreateCursor.
	TotalCount int64
	// HasTotalCount reports whether the response carried a total count.
	HasTotalCount bool
	// Next reports, for a cursor page, that more pages follow.
	Next bool
	// Date is the server's clock when it answered, from the HTTP Date
	// header (to the second); zero when the answer had none.
	Date time.Time
	// Load is how busy the domain was when Kintone answered.
	Load Load
}

// Total is the page's total count, -1 when the response carried none.
func (p *RecordsPage) Total() int64 {
	if !p.HasTotalCount {
		return -1
	}
	return p.TotalCount
}

// decimalString decodes an ID, revision or count that Kintone sends as a
// decimal string (a number is accepted too).
type decimalString int64

// UnmarshalJSON implements json.Unmarshaler.
func (d *decimalString) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	v, ok := parseDecimalValue(b)
	if !ok {
		return errors.New("not a decimal integer: " + strconv.Quote(shorten(string(b))))
	}
	*d = decimalString(v)
	return nil
}

// shorten bounds text quoted in an error.
func shorten(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}
