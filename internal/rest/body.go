package rest

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/kintone-sql/kintone/internal/jsonwrite"
)

// This file writes the bodies of record writes. A 2,000-record
// bulkRequest is megabytes of JSON; through encoding/json every record's
// MarshalJSON output would be validated and compacted again by each
// enclosing value, so the write bodies append their JSON themselves, in
// one buffer, checking each field value once. The output is encoding/json's
// for the same Go values with two differences that do not change its
// meaning: a field value is copied as given (checked with json.Valid, not
// compacted: the driver's values are compact already), and a nil list of
// records is [] rather than null.

// appenderJSON is a body that appends its own JSON to dst.
type appenderJSON interface {
	appendJSON(dst []byte) ([]byte, error)
}

// marshal encodes a request body.
func marshal(v any) ([]byte, error) {
	if a, ok := v.(appenderJSON); ok {
		var dst []byte
		if s, ok := v.(sizer); ok {
			dst = make([]byte, 0, s.sizeJSON())
		}
		return a.appendJSON(dst)
	}
	return jsonwrite.Value(nil, v)
}

// sizer is a body that can tell its size beforehand, near enough to
// allocate its buffer once instead of doubling it a dozen times.
type sizer interface {
	sizeJSON() int
}

// appendBody appends a body or payload: its own JSON or encoding/json's.
func appendBody(dst []byte, v any) ([]byte, error) {
	if a, ok := v.(appenderJSON); ok {
		return a.appendJSON(dst)
	}
	return jsonwrite.Value(dst, v)
}

// MarshalJSON writes {"code":{"value":v},...} with the codes sorted.
func (v Values) MarshalJSON() ([]byte, error) {
	var codes []string
	return v.appendJSON(nil, &codes)
}

// sizeJSON is the size of MarshalJSON's output when the codes need no
// escaping.
func (v Values) sizeJSON() int {
	n := 2
	for code, raw := range v {
		n += len(code) + len(raw) + len(`"":{"value":},`)
	}
	return n
}

// appendJSON appends MarshalJSON's output; a value that is not valid JSON
// is an error naming its field. codes holds the sorted codes of the
// record written before, which the records of one write usually share:
// they are then not sorted again.
func (v Values) appendJSON(dst []byte, codes *[]string) ([]byte, error) {
	if !sameKeys(v, *codes) {
		*codes = (*codes)[:0]
		for code := range v {
			*codes = append(*codes, code)
		}
		slices.Sort(*codes)
	}
	dst = append(dst, '{')
	for i, code := range *codes {
		raw := v[code]
		if !json.Valid(raw) {
			return nil, fmt.Errorf("field %q: the value is not valid JSON", code)
		}
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = jsonwrite.String(dst, code)
		dst = append(dst, `:{"value":`...)
		dst = append(dst, raw...)
		dst = append(dst, '}')
	}
	return append(dst, '}'), nil
}

// sameKeys reports whether v's keys are exactly codes.
func sameKeys(v Values, codes []string) bool {
	if len(v) != len(codes) {
		return false
	}
	for _, code := range codes {
		if _, ok := v[code]; !ok {
			return false
		}
	}
	return true
}

// sizeJSON is the size of the body, near enough.
func (b addRecordsBody) sizeJSON() int {
	n := 64
	for _, r := range b.Records {
		n += r.sizeJSON() + 1
	}
	return n
}

// sizeJSON is the size of the body, near enough.
func (req UpdateRecordsRequest) sizeJSON() int {
	n := 64
	for _, r := range req.Records {
		n += r.Record.sizeJSON() + 96
		if r.UpdateKey != nil {
			n += len(r.UpdateKey.Field) + len(r.UpdateKey.Value)
		}
	}
	return n
}

// sizeJSON is the size of the body, near enough.
func (b bulkBody) sizeJSON() int {
	n := 32
	for _, r := range b {
		n += 64 + len(r.API)
		if s, ok := r.Payload.(sizer); ok {
			n += s.sizeJSON()
		} else {
			n += 256
		}
	}
	return n
}

// appendJSON writes {"app":"1","records":[...]}.
func (b addRecordsBody) appendJSON(dst []byte) ([]byte, error) {
	dst = append(dst, `{"app":"`...)
	dst = strconv.AppendInt(dst, b.App, 10)
	dst = append(dst, `","records":[`...)
	var codes []string
	for i, r := range b.Records {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		if dst, err = r.appendJSON(dst, &codes); err != nil {
			return nil, fmt.Errorf("records[%d]: %w", i, err)
		}
	}
	return append(dst, "]}"...), nil
}

// appendJSON writes the request as its json tags say: {"app":"1",
// "upsert":true,"records":[{"id":5,"updateKey":{...},"record":{...},
// "revision":3}]}, the zero values left out.
func (req UpdateRecordsRequest) appendJSON(dst []byte) ([]byte, error) {
	dst = append(dst, `{"app":"`...)
	dst = strconv.AppendInt(dst, req.App, 10)
	dst = append(dst, '"')
	if req.Upsert {
		dst = append(dst, `,"upsert":true`...)
	}
	dst = append(dst, `,"records":[`...)
	var codes []string
	for i, r := range req.Records {
		if i > 0 {
			dst = append(dst, ',')
		}
		sep := byte('{')
		field := func(name string) {
			dst = append(dst, sep, '"')
			dst = append(dst, name...)
			dst = append(dst, '"', ':')
			sep = ','
		}
		if r.ID != 0 {
			field("id")
			dst = strconv.AppendInt(dst, r.ID, 10)
		}
		if r.UpdateKey != nil {
			field("updateKey")
			dst = append(dst, `{"field":`...)
			dst = jsonwrite.String(dst, r.UpdateKey.Field)
			dst = append(dst, `,"value":`...)
			dst = jsonwrite.String(dst, r.UpdateKey.Value)
			dst = append(dst, '}')
		}
		if len(r.Record) > 0 {
			field("record")
			var err error
			if dst, err = r.Record.appendJSON(dst, &codes); err != nil {
				return nil, fmt.Errorf("records[%d]: %w", i, err)
			}
		}
		if r.Revision != 0 {
			field("revision")
			dst = strconv.AppendInt(dst, r.Revision, 10)
		}
		if sep == '{' {
			dst = append(dst, '{')
		}
		dst = append(dst, '}')
	}
	return append(dst, "]}"...), nil
}

// bulkBody is the body of bulkRequest.json.
type bulkBody []bulkWireRequest

// appendJSON writes {"requests":[{"method":...,"api":...,"payload":...}]}.
func (b bulkBody) appendJSON(dst []byte) ([]byte, error) {
	dst = append(dst, `{"requests":[`...)
	for i, r := range b {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"method":`...)
		dst = jsonwrite.String(dst, r.Method)
		dst = append(dst, `,"api":`...)
		dst = jsonwrite.String(dst, r.API)
		dst = append(dst, `,"payload":`...)
		var err error
		if dst, err = appendBody(dst, r.Payload); err != nil {
			return nil, fmt.Errorf("requests[%d]: %w", i, err)
		}
		dst = append(dst, '}')
	}
	return append(dst, "]}"...), nil
}
