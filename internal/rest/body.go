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
// one buffer, checking each field value once.

// appenderJSON is a body that appends its own JSON to dst.
type appenderJSON interface {
	appendJSON(dst []byte) ([]byte, error)
}

// marshal encodes a request body.
func marshal(v any) ([]byte, error) {
	if a, ok := v.(appenderJSON); ok {
		return a.appendJSON(nil)
	}
	return jsonwrite.Value(nil, v)
}

// appendBody appends a body or payload: its own JSON or encoding/json's.
func appendBody(dst []byte, v any) ([]byte, error) {
	if a, ok := v.(appenderJSON); ok {
		return a.appendJSON(dst)
	}
	return jsonwrite.Value(dst, v)
}

// MarshalJSON writes {"code":{"value":v},...} with the codes sorted.
func (v Values) MarshalJSON() ([]byte, error) { return v.appendJSON(nil) }

// appendJSON appends MarshalJSON's output; a value that is not valid JSON
// is an error naming its field.
func (v Values) appendJSON(dst []byte) ([]byte, error) {
	var arr [32]string
	codes := arr[:0]
	for code := range v {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	dst = append(dst, '{')
	for i, code := range codes {
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

// appendJSON writes {"app":"1","records":[...]}.
func (b addRecordsBody) appendJSON(dst []byte) ([]byte, error) {
	dst = append(dst, `{"app":"`...)
	dst = strconv.AppendInt(dst, b.App, 10)
	dst = append(dst, `","records":[`...)
	for i, r := range b.Records {
		if i > 0 {
			dst = append(dst, ',')
		}
		var err error
		if dst, err = r.appendJSON(dst); err != nil {
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
			if dst, err = r.Record.appendJSON(dst); err != nil {
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
