package store

import (
	"encoding/json"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// The JSON scanner of decodeEntry: it reads the values of the journal's
// JSON one by one, and reports false on anything it does not expect.

// interner shares the strings that repeat in every record (field codes,
// value kinds, user codes and names), so that a replay does not allocate
// them per record. It holds at most maxInterned strings.
type interner struct {
	m map[string]string
}

const (
	maxInterned    = 1 << 14
	maxInternedLen = 64
)

func newInterner() *interner { return &interner{m: map[string]string{}} }

// str returns b as a string, shared with earlier calls for the same bytes.
func (in *interner) str(b []byte) string {
	if in == nil || len(b) > maxInternedLen {
		return string(b)
	}
	if s, ok := in.m[string(b)]; ok { // no allocation for the lookup
		return s
	}
	s := string(b)
	if len(in.m) < maxInterned {
		in.m[s] = s
	}
	return s
}

// fastDecoder reads one payload. Every method reports false on anything
// unexpected; the caller then falls back to encoding/json.
type fastDecoder struct {
	b       []byte
	i       int
	in      *interner
	raw     []byte // the raw JSON of the value last skipped
	scratch []byte // unescaped string bytes
	// hints are the sizes of the last record's values and of the last
	// row's, to size the next maps: records of an app have the same
	// fields.
	recHint, rowHint int
}

func (d *fastDecoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end.
func (d *fastDecoder) peek() byte {
	d.ws()
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

// eat consumes c if it is next.
func (d *fastDecoder) eat(c byte) bool {
	if d.peek() == c {
		d.i++
		return true
	}
	return false
}

// null consumes a null literal if it is next.
func (d *fastDecoder) null() bool {
	d.ws()
	if len(d.b)-d.i >= 4 && string(d.b[d.i:d.i+4]) == "null" {
		d.i += 4
		return true
	}
	return false
}

// strBytes reads a string and returns its bytes: the payload's own bytes
// for a plain string, else the string unescaped into d.scratch, exactly as
// encoding/json unquotes it (escapes, surrogate pairs, invalid UTF-8 and
// lone surrogates as U+FFFD). A control character or a bad escape, which
// encoding/json refuses, is refused.
func (d *fastDecoder) strBytes() ([]byte, bool) {
	if !d.eat('"') {
		return nil, false
	}
	start := d.i
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			return d.b[start : d.i-1], true
		case c == '\\' || c < 0x20:
			return d.slowStr(start)
		case c >= utf8.RuneSelf:
			if r, size := utf8.DecodeRune(d.b[d.i:]); r == utf8.RuneError && size == 1 {
				return d.slowStr(start)
			} else {
				d.i += size
			}
			continue
		}
		d.i++
	}
	return nil, false
}

// slowStr finishes a string that needs unescaping or UTF-8 repair.
func (d *fastDecoder) slowStr(start int) ([]byte, bool) {
	out := append(d.scratch[:0], d.b[start:d.i]...)
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			d.scratch = out
			return out, true
		case c < 0x20:
			return nil, false
		case c == '\\':
			if d.i+1 >= len(d.b) {
				return nil, false
			}
			d.i++
			switch e := d.b[d.i]; e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r := hex4(d.b[d.i+1:])
				if r < 0 {
					return nil, false
				}
				d.i += 4
				if utf16.IsSurrogate(r) {
					if len(d.b) > d.i+2 && d.b[d.i+1] == '\\' && d.b[d.i+2] == 'u' {
						r2 := hex4(d.b[d.i+3:])
						if dec := utf16.DecodeRune(r, r2); r2 >= 0 && dec != utf8.RuneError {
							d.i += 6
							out = utf8.AppendRune(out, dec)
							break
						}
					}
					r = utf8.RuneError
				}
				out = utf8.AppendRune(out, r)
			default:
				return nil, false
			}
			d.i++
		case c < utf8.RuneSelf:
			out = append(out, c)
			d.i++
		default:
			r, size := utf8.DecodeRune(d.b[d.i:])
			d.i += size
			out = utf8.AppendRune(out, r)
		}
	}
	return nil, false
}

// hex4 reads the four hex digits of a \u escape, or returns -1.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

func (d *fastDecoder) str() (string, bool) {
	b, ok := d.strBytes()
	if !ok {
		return "", false
	}
	return string(b), true
}

func (d *fastDecoder) internStr() (string, bool) {
	b, ok := d.strBytes()
	if !ok {
		return "", false
	}
	return d.in.str(b), true
}

// int reads an integer written as json.Marshal writes an int64.
func (d *fastDecoder) int() (int64, bool) {
	d.ws()
	start := d.i
	if d.i < len(d.b) && d.b[d.i] == '-' {
		d.i++
	}
	digits := d.i
	for d.i < len(d.b) && d.b[d.i] >= '0' && d.b[d.i] <= '9' {
		d.i++
	}
	if d.i-digits > 1 && d.b[digits] == '0' {
		return 0, false // not JSON
	}
	n, err := strconv.ParseInt(string(d.b[start:d.i]), 10, 64)
	return n, err == nil
}

// object reads an object, calling member for each key; member reads the
// value.
func (d *fastDecoder) object(member func(key []byte) bool) bool {
	if !d.eat('{') {
		return false
	}
	if d.eat('}') {
		return true
	}
	for {
		k, ok := d.strBytes()
		if !ok || !d.eat(':') || !member(k) {
			return false
		}
		if d.eat('}') {
			return true
		}
		if !d.eat(',') {
			return false
		}
	}
}

// array reads an array, calling elem for each element. null counts as an
// empty array, as encoding/json decodes it into a nil slice.
func (d *fastDecoder) array(elem func() bool) bool {
	if d.null() {
		return true
	}
	if !d.eat('[') {
		return false
	}
	if d.eat(']') {
		return true
	}
	for {
		if !elem() {
			return false
		}
		if d.eat(']') {
			return true
		}
		if !d.eat(',') {
			return false
		}
	}
}

// skip reads any value and leaves its raw JSON in d.raw. It only finds
// where the value ends; rawInto's json.Unmarshal checks it.
func (d *fastDecoder) skip() bool {
	d.ws()
	start := d.i
	depth := 0
	for d.i < len(d.b) {
		c := d.b[d.i]
		if depth == 0 && d.i > start && (c == ',' || c == '}' || c == ']' || c == ':') {
			break // the end of a scalar
		}
		switch c {
		case '"':
			for d.i++; d.i < len(d.b) && d.b[d.i] != '"'; d.i++ {
				if d.b[d.i] == '\\' {
					d.i++
				}
			}
			if d.i >= len(d.b) {
				return false
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth < 0 {
				return false
			}
		}
		d.i++
		if depth == 0 && (c == '"' || c == '}' || c == ']') {
			break
		}
	}
	d.raw = d.b[start:d.i]
	return depth == 0 && d.i > start
}

// rawInto skips a value and decodes it with encoding/json into v.
func (d *fastDecoder) rawInto(v any) bool {
	return d.skip() && json.Unmarshal(d.raw, v) == nil
}

// once reports whether the key with bit b is new in the object whose
// keys *seen records; encoding/json lets a repeated key win or merge,
// which this decoder leaves to it.
func once(seen *uint32, b uint32) bool {
	if *seen&b != 0 {
		return false
	}
	*seen |= b
	return true
}
