package kintonetest

import (
	"bytes"
	"unicode/utf8"

	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// plainRecordInput is decodeRecordInput for the records clients send,
// without encoding/json's reflection: it returns what decoding raw into
// map[string]struct{Value json.RawMessage} gives (the last of repeated
// codes wins, a code whose object has no "value" is left out, and "value"
// null is kept as the raw null), with the values sharing raw's bytes.
//
// raw must be valid JSON, as every json.RawMessage that encoding/json
// filled is. ok is false for anything the plain reading might get wrong,
// which decodeRecordInput then decodes with encoding/json: a record that
// is not an object, a field that is neither an object nor null, a key
// with an escape or invalid UTF-8, a member that matches "value" only
// case-insensitively.
//
// codes, when not nil, shares the field codes between the records of one
// request: a code already seen is not allocated again, and the records
// stored share the strings.
func plainRecordInput(raw []byte, codes codeSet) (store.Input, bool) {
	d := plainJSON{b: raw}
	if !d.eat('{') {
		return nil, false
	}
	in := make(store.Input, 24)
	if d.eat('}') {
		return in, d.end()
	}
	for {
		code, ok := d.key()
		if !ok {
			return nil, false
		}
		switch d.peek() {
		case 'n':
			if !d.literal() {
				return nil, false
			}
			delete(in, string(code)) // no allocation
		case '{':
			v, ok := d.fieldValue()
			if !ok {
				return nil, false
			}
			if v == nil {
				delete(in, string(code))
			} else {
				in[codes.str(code)] = v
			}
		default:
			return nil, false
		}
		if d.eat(',') {
			continue
		}
		if d.eat('}') {
			return in, d.end()
		}
		return nil, false
	}
}

// codeSet holds the field codes the records of one request use, so that
// each is allocated once. It keeps at most maxCodeSet of them: a request
// can name any number of unknown codes.
type codeSet map[string]string

const maxCodeSet = 1000

// str returns b as a string, the one in the set when there is one.
func (cs codeSet) str(b []byte) string {
	if s, ok := cs[string(b)]; ok { // no allocation for the lookup
		return s
	}
	s := string(b)
	if cs != nil && len(cs) < maxCodeSet {
		cs[s] = s
	}
	return s
}

// plainParams is decodeParams for the parameters of the record writes
// that carry many records (bulkRequest, POST and PUT records.json), which
// encoding/json read by reflection, scanning the whole body twice per
// level: it fills dst as json.Unmarshal would and reports true, or
// reports false, leaving dst alone, for a dst of another type or
// anything the plain reading leaves to encoding/json: a member that
// matches a field only case-insensitively, a repeated member, a key with
// an escape or beyond ASCII, a value of a kind other than the usual one
// (null included). params must be valid JSON. The raw values dst gets
// share params' bytes.
func plainParams(params []byte, dst any) bool {
	switch p := dst.(type) {
	case *bulkParams:
		var out bulkParams
		if !plainObject(params, []string{"requests"}, func(i int, v []byte) bool {
			return plainArray(v, func(v []byte) bool {
				var it bulkItem
				ok := plainObject(v, []string{"method", "api", "payload"}, func(i int, v []byte) bool {
					var ok bool
					switch i {
					case 0:
						it.Method, ok = plainString(v)
					case 1:
						it.API, ok = plainString(v)
					default:
						it.Payload, ok = v, v[0] == '{'
					}
					return ok
				})
				out.Requests = append(out.Requests, it)
				return ok
			}, &out.Requests)
		}) {
			return false
		}
		*p = out
		return true
	case *addRecordsParams:
		var out addRecordsParams
		if !plainObject(params, []string{"app", "records"}, func(i int, v []byte) bool {
			if i == 0 {
				return out.App.UnmarshalJSON(v) == nil
			}
			return plainArray(v, func(v []byte) bool {
				out.Records = append(out.Records, v)
				return true
			}, &out.Records)
		}) {
			return false
		}
		*p = out
		return true
	case *updateRecordsParams:
		var out updateRecordsParams
		if !plainObject(params, []string{"app", "upsert", "records"}, func(i int, v []byte) bool {
			switch i {
			case 0:
				return out.App.UnmarshalJSON(v) == nil
			case 1:
				return out.Upsert.UnmarshalJSON(v) == nil
			}
			return plainArray(v, func(v []byte) bool {
				it, ok := plainUpdateItem(v)
				out.Records = append(out.Records, it)
				return ok
			}, &out.Records)
		}) {
			return false
		}
		*p = out
		return true
	}
	return false
}

// plainUpdateItem reads one record of PUT records.json.
func plainUpdateItem(v []byte) (updateItemParams, bool) {
	var it updateItemParams
	ok := plainObject(v, []string{"id", "updateKey", "record", "revision"}, func(i int, v []byte) bool {
		switch i {
		case 0:
			return it.ID.UnmarshalJSON(v) == nil
		case 1:
			k := &updateKeyParam{}
			it.UpdateKey = k
			return plainObject(v, []string{"field", "value"}, func(i int, v []byte) bool {
				if i == 0 {
					return k.Field.UnmarshalJSON(v) == nil
				}
				return k.Value.UnmarshalJSON(v) == nil
			})
		case 2:
			it.Record = v
			return v[0] == '{'
		}
		return it.Revision.UnmarshalJSON(v) == nil
	})
	return it, ok
}

// plainObject reads an object whose members of interest are names, as
// encoding/json reads it into a struct whose fields have those JSON names:
// it calls member with the index of each such member's name and its raw
// value, and skips other members. It reports false (and so may member)
// for what the plain reading leaves to encoding/json: something other than
// an object, a key with an escape or beyond ASCII (encoding/json folds
// some letters beyond ASCII to ASCII ones), a key that matches a name
// only case-insensitively, a name twice.
func plainObject(v []byte, names []string, member func(i int, v []byte) bool) bool {
	d := plainJSON{b: v}
	if !d.eat('{') {
		return false
	}
	var seen uint32
	if d.eat('}') {
		return d.end()
	}
	for {
		k, ok := d.key()
		if !ok {
			return false
		}
		v, ok := d.value()
		if !ok {
			return false
		}
		i := -1
		for j, n := range names {
			if string(k) == n {
				i = j
				break
			}
		}
		switch {
		case i >= 0:
			if seen&(1<<i) != 0 || !member(i, v) {
				return false
			}
			seen |= 1 << i
		case !asciiOnly(k):
			return false
		default:
			for _, n := range names {
				if bytes.EqualFold(k, []byte(n)) {
					return false
				}
			}
		}
		if d.eat(',') {
			continue
		}
		return d.eat('}') && d.end()
	}
}

// plainArray reads an array into a slice as encoding/json does, calling
// elem for each element: an empty array leaves an empty slice, not nil,
// which it sets through empty. Anything but an array reports false.
func plainArray[T any](v []byte, elem func(v []byte) bool, empty *[]T) bool {
	d := plainJSON{b: v}
	if !d.eat('[') {
		return false
	}
	if d.eat(']') {
		*empty = []T{}
		return d.end()
	}
	for {
		e, ok := d.value()
		if !ok || !elem(e) {
			return false
		}
		if d.eat(',') {
			continue
		}
		return d.eat(']') && d.end()
	}
}

// plainString reads a string whose bytes are its value (no escape, no
// control character, valid UTF-8).
func plainString(v []byte) (string, bool) {
	n := len(v)
	if n < 2 || v[0] != '"' || v[n-1] != '"' {
		return "", false
	}
	body := v[1 : n-1]
	for _, c := range body {
		if c < 0x20 || c == '"' || c == '\\' {
			return "", false
		}
	}
	if !utf8.Valid(body) {
		return "", false
	}
	return string(body), true
}

func asciiOnly(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// plainJSON walks valid JSON.
type plainJSON struct {
	b []byte
	i int
}

func (d *plainJSON) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek returns the next byte that is not space, 0 at the end.
func (d *plainJSON) peek() byte {
	d.ws()
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

func (d *plainJSON) eat(c byte) bool {
	if d.peek() == c {
		d.i++
		return true
	}
	return false
}

// end reports whether nothing but space is left.
func (d *plainJSON) end() bool {
	d.ws()
	return d.i == len(d.b)
}

// key reads a member's key and its colon. ok is false for a key whose
// bytes are not its value (an escape, invalid UTF-8).
func (d *plainJSON) key() ([]byte, bool) {
	if !d.eat('"') {
		return nil, false
	}
	n := bytes.IndexByte(d.b[d.i:], '"')
	if n < 0 {
		return nil, false
	}
	k := d.b[d.i : d.i+n]
	if bytes.IndexByte(k, '\\') >= 0 || !utf8.Valid(k) {
		return nil, false
	}
	d.i += n + 1
	if !d.eat(':') {
		return nil, false
	}
	d.ws()
	return k, true
}

// literal skips true, false, null or a number.
func (d *plainJSON) literal() bool {
	start := d.i
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return d.i > start
		}
		d.i++
	}
	return d.i > start
}

// str skips a string.
func (d *plainJSON) str() bool {
	for j := d.i + 1; j < len(d.b); j++ {
		switch d.b[j] {
		case '\\':
			j++
		case '"':
			d.i = j + 1
			return true
		}
	}
	return false
}

// value skips any value and returns its bytes.
func (d *plainJSON) value() ([]byte, bool) {
	c := d.peek()
	start := d.i
	switch c {
	case '"':
		if !d.str() {
			return nil, false
		}
	case '{', '[':
		depth := 0
		for d.i < len(d.b) {
			switch d.b[d.i] {
			case '"':
				if !d.str() {
					return nil, false
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
			d.i++
			if depth == 0 {
				return d.b[start:d.i], true
			}
		}
		return nil, false
	default:
		if !d.literal() {
			return nil, false
		}
	}
	return d.b[start:d.i], true
}

// fieldValue reads {"value":V,...} and returns V's bytes, nil when the
// object has no "value" member.
func (d *plainJSON) fieldValue() ([]byte, bool) {
	d.i++ // the '{' peek saw
	var v []byte
	if d.eat('}') {
		return nil, true
	}
	for {
		k, ok := d.key()
		if !ok {
			return nil, false
		}
		raw, ok := d.value()
		if !ok {
			return nil, false
		}
		if string(k) == "value" {
			v = raw
		} else if bytes.EqualFold(k, []byte("value")) {
			// encoding/json matches member names case-insensitively.
			return nil, false
		}
		if d.eat(',') {
			continue
		}
		if d.eat('}') {
			return v, true
		}
		return nil, false
	}
}
