package kintonetest

import (
	"slices"
	"strconv"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/jsonwrite"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// recordEncoder writes records as Kintone's record JSON (REST-API.md §7):
// every field {"type":T,"value":V}, IDs, revisions and numbers as strings.
// It appends to a byte slice by hand because a 500-record page is the
// emulator's hottest path and must never be what a benchmark measures.
type recordEncoder struct {
	form   *store.Form
	fields []encField // the top-level fields to write, in form order
	id     bool
	rev    bool
}

// encField is a field as the encoder writes it, worked out once per page
// rather than for each of its records: the bytes before its value, how
// its value is written, and for a SUBTABLE its inner fields.
type encField struct {
	code string
	// head is `"code":{"type":"T","value":`.
	head      []byte
	shape     field.Shape
	nullEmpty bool
	// inner are a SUBTABLE's fields in innerOrder.
	inner []encField
}

// newEncField works out how to write p's field. Its head, and its inner
// fields' heads, are appended to *heads and point into it: the caller
// sizes *heads so that it never grows, one allocation for all the heads
// of a page (were it to grow, the heads before would keep the old array,
// as right as ever).
func newEncField(p *field.Property, heads *[]byte) encField {
	info := p.Type.Info()
	f := encField{code: p.Code, shape: info.Shape, nullEmpty: info.NullWhenEmpty}
	start := len(*heads)
	b := jsonwrite.String(*heads, p.Code)
	b = append(b, `:{"type":"`...)
	b = append(b, p.Type...)
	b = append(b, `","value":`...)
	*heads = b
	f.head = b[start:len(b):len(b)]
	if info.Shape == field.Rows {
		for _, ip := range innerOrder(p) {
			f.inner = append(f.inner, newEncField(ip, heads))
		}
	}
	return f
}

// headSize bounds the bytes of p's head and its inner fields' heads: a
// code's JSON string is at most six bytes for each of its bytes (\u00XX)
// and two quotes.
func headSize(p *field.Property) int {
	n := 6*len(p.Code) + 2 + len(`:{"type":"","value":`) + len(p.Type)
	for _, ip := range p.Fields {
		n += headSize(ip)
	}
	return n
}

// newRecordEncoder prepares an encoder for the fields parameter: nil means
// every field plus $id and $revision; otherwise exactly the listed codes.
// Codes that are not fields are dropped: whether Kintone rejects them is
// unconfirmed (REST-API.md §10.8), and dropping is what clients that append
// "$id" to any list rely on least. Inner subtable codes cannot be listed
// (§4.2) and are dropped too.
func newRecordEncoder(form *store.Form, fields []string) *recordEncoder {
	e := &recordEncoder{form: form}
	want := map[string]bool{}
	if fields == nil {
		e.id, e.rev = true, true
	} else {
		for _, f := range fields {
			want[f] = true
		}
		e.id, e.rev = want["$id"], want["$revision"]
	}
	var props []*field.Property
	size := 0
	for _, code := range form.Order {
		p := form.Fields[code]
		if p == nil || !p.Type.HasValue() || !present(p) {
			continue
		}
		if fields == nil || want[code] {
			props = append(props, p)
			size += headSize(p)
		}
	}
	heads := make([]byte, 0, size)
	e.fields = make([]encField, len(props))
	for i, p := range props {
		e.fields[i] = newEncField(p, &heads)
	}
	return e
}

// present reports whether a field appears in record JSON: STATUS,
// STATUS_ASSIGNEE and CATEGORY only while their feature is enabled
// (QUERY-AND-FIELDS.md B.1).
func present(p *field.Property) bool {
	switch p.Type {
	case field.Status, field.StatusAssignee, field.Category:
		return p.Enabled
	}
	return true
}

// appendRecord appends one record object.
func (e *recordEncoder) appendRecord(b []byte, r *store.Record) []byte {
	b = append(b, '{')
	first := true
	for i := range e.fields {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = e.fields[i].append(b, r.Values)
	}
	if e.rev {
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, `"$revision":{"type":"__REVISION__","value":"`...)
		b = strconv.AppendInt(b, r.Revision, 10)
		b = append(b, `"}`...)
	}
	if e.id {
		if !first {
			b = append(b, ',')
		}
		b = append(b, `"$id":{"type":"__ID__","value":"`...)
		b = strconv.AppendInt(b, r.ID, 10)
		b = append(b, `"}`...)
	}
	return append(b, '}')
}

// appendRecords appends a JSON array of records.
//
// Once the first record is written, b grows at once to hold the others at
// that record's size and an eighth more, so that a page is not copied
// again and again as it grows (a 500-record page of 20 fields is most of a
// megabyte): records of one app are much alike in size, and a page of
// larger ones grows once more.
func (e *recordEncoder) appendRecords(b []byte, recs []*store.Record) []byte {
	b = append(b, '[')
	for i, r := range recs {
		if i > 0 {
			b = append(b, ',')
		}
		start := len(b)
		b = e.appendRecord(b, r)
		if i == 0 && len(recs) > 1 {
			size := len(b) - start + 1
			b = slices.Grow(b, (len(recs)-1)*(size+size/8)+64)
		}
	}
	return append(b, ']')
}

// append appends "code":{"type":T,"value":V} for the field's value in
// vals.
func (f *encField) append(b []byte, vals map[string]any) []byte {
	b = append(b, f.head...)
	b = f.appendValue(b, vals[f.code])
	return append(b, '}')
}

func (f *encField) appendValue(b []byte, v any) []byte {
	switch f.shape {
	case field.Scalar:
		s, _ := v.(string)
		if s == "" && f.nullEmpty {
			return append(b, "null"...)
		}
		return jsonwrite.String(b, s)
	case field.Strings:
		ss, _ := v.([]string)
		b = append(b, '[')
		for i, s := range ss {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonwrite.String(b, s)
		}
		return append(b, ']')
	case field.Entity:
		en, _ := v.(store.Entity)
		return appendEntity(b, en)
	case field.Entities:
		es, _ := v.([]store.Entity)
		b = append(b, '[')
		for i, en := range es {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendEntity(b, en)
		}
		return append(b, ']')
	case field.Files:
		fs, _ := v.([]store.FileRef)
		b = append(b, '[')
		for i, f := range fs {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"contentType":`...)
			b = jsonwrite.String(b, f.ContentType)
			b = append(b, `,"fileKey":`...)
			b = jsonwrite.String(b, f.FileKey)
			b = append(b, `,"name":`...)
			b = jsonwrite.String(b, f.Name)
			b = append(b, `,"size":"`...)
			b = strconv.AppendInt(b, f.Size, 10)
			b = append(b, `"}`...)
		}
		return append(b, ']')
	case field.Rows:
		rows, _ := v.([]store.Row)
		b = append(b, '[')
		for i, row := range rows {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"id":"`...)
			b = strconv.AppendInt(b, row.ID, 10)
			b = append(b, `","value":{`...)
			for j := range f.inner {
				if j > 0 {
					b = append(b, ',')
				}
				b = f.inner[j].append(b, row.Values)
			}
			b = append(b, "}}"...)
		}
		return append(b, ']')
	}
	return append(b, "null"...)
}

func appendEntity(b []byte, e store.Entity) []byte {
	b = append(b, `{"code":`...)
	b = jsonwrite.String(b, e.Code)
	b = append(b, `,"name":`...)
	b = jsonwrite.String(b, e.Name)
	return append(b, '}')
}

// innerOrder returns a SUBTABLE's inner fields in a stable order.
func innerOrder(p *field.Property) []*field.Property {
	out := make([]*field.Property, 0, len(p.Fields))
	for _, f := range p.Fields {
		out = append(out, f)
	}
	// A subtable has a handful of fields: insertion sort keeps this cheap.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Code < out[j-1].Code; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
