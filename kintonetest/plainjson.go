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
func plainRecordInput(raw []byte) (store.Input, bool) {
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
			delete(in, string(code))
		case '{':
			v, ok := d.fieldValue()
			if !ok {
				return nil, false
			}
			if v == nil {
				delete(in, string(code))
			} else {
				in[string(code)] = v
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
