package store

import (
	"encoding/json"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeEntry decodes a frame's payload into an entry.
//
// Nearly every frame of a journal or snapshot is a record write, and
// decoding those with encoding/json (reflection, then recJSON and valJSON
// turned into records) was most of the time Open takes. fastDecoder reads
// exactly the JSON that json.Marshal writes for an entry and builds the
// records directly (recsJSON.recs); the rare parts (app metadata, files)
// go through encoding/json. Anything it does not expect, down to a
// number written as 1e3 or a string with an escape it cannot take fast,
// makes it give up, and the whole payload is decoded by encoding/json,
// which stays the reference: the fast path either gives the records
// encoding/json would give, or nothing.
func decodeEntry(payload []byte, in *interner) (*entry, error) {
	d := fastDecoder{b: payload, in: in}
	if e, ok := d.entry(); ok {
		return e, nil
	}
	e := &entry{}
	if err := json.Unmarshal(payload, e); err != nil {
		return nil, err
	}
	return e, nil
}

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

// entry reads a whole payload.
func (d *fastDecoder) entry() (*entry, bool) {
	e := &entry{}
	var seen uint32
	ok := d.object(func(k []byte) bool {
		switch string(k) {
		case "op", "gen", "t", "recs", "app", "apps", "revert", "files", "drop", "used", "uploads":
			if !once(&seen, 1<<keyBit(k)) {
				return false
			}
		}
		switch string(k) {
		case "op":
			s, ok := d.internStr()
			e.Op = s
			return ok
		case "gen":
			n, ok := d.int()
			e.Gen = n
			return ok
		case "t":
			b, ok := d.strBytes()
			return ok && e.Time.UnmarshalText(b) == nil
		case "recs":
			return d.array(func() bool {
				rj, ok := d.recs()
				e.Recs = append(e.Recs, rj)
				return ok
			})
		case "app":
			return d.rawInto(&e.App)
		case "apps":
			return d.rawInto(&e.Apps)
		case "revert":
			return d.rawInto(&e.Revert)
		case "files":
			return d.rawInto(&e.Files)
		case "drop":
			return d.rawInto(&e.Drop)
		case "used":
			return d.rawInto(&e.Used)
		case "uploads":
			return d.rawInto(&e.Uploads)
		}
		return false // a key this decoder does not know
	})
	d.ws()
	return e, ok && d.i == len(d.b)
}

// keyBit numbers the keys of the fixed-key objects for once.
func keyBit(k []byte) uint {
	switch string(k) {
	case "op", "id", "k", "code":
		return 0
	case "app":
		return 10
	case "gen", "nextId", "rev", "s", "name":
		return 1
	case "t", "nextRow", "v", "l":
		return 2
	case "recs", "put", "e":
		return 3
	case "apps", "del", "es":
		return 4
	case "revert", "f":
		return 5
	case "files", "r":
		return 6
	case "drop":
		return 7
	case "used":
		return 8
	case "uploads":
		return 9
	}
	return 31
}

// recs reads one recsJSON, its records decoded into recs.
func (d *fastDecoder) recs() (recsJSON, bool) {
	var rj recsJSON
	var seen uint32
	ok := d.object(func(k []byte) bool {
		if !once(&seen, 1<<keyBit(k)) {
			return false
		}
		var ok bool
		switch string(k) {
		case "app":
			rj.App, ok = d.int()
		case "nextId":
			rj.NextID, ok = d.int()
		case "nextRow":
			rj.NextRow, ok = d.int()
		case "put":
			ok = d.array(func() bool {
				r, ok := d.record()
				rj.recs = append(rj.recs, r)
				return ok
			})
			rj.decoded = true
		case "del":
			ok = d.array(func() bool {
				n, ok := d.int()
				rj.Del = append(rj.Del, n)
				return ok
			})
		}
		return ok
	})
	return rj, ok
}

// record reads a recJSON as the Record its decode method returns.
func (d *fastDecoder) record() (*Record, bool) {
	if d.null() {
		return nil, false // recJSON.decode of a null would be a zero record; leave it to encoding/json
	}
	r := &Record{}
	var seen uint32
	ok := d.object(func(k []byte) bool {
		if !once(&seen, 1<<keyBit(k)) {
			return false
		}
		var ok bool
		switch string(k) {
		case "id":
			r.ID, ok = d.int()
		case "rev":
			r.Revision, ok = d.int()
		case "v":
			r.Values, ok = d.values(&d.recHint)
		}
		return ok
	})
	if r.Values == nil {
		r.Values = map[string]any{} // decodeValues of a missing or null map
	}
	return r, ok
}

// values reads a map[string]valJSON as decodeValues returns it; hint
// holds the size of the last such map, and is updated.
func (d *fastDecoder) values(hint *int) (map[string]any, bool) {
	out := make(map[string]any, *hint)
	defer func() { *hint = len(out) }()
	if d.null() {
		return out, true
	}
	ok := d.object(func(k []byte) bool {
		code := d.in.str(k)
		if _, dup := out[code]; dup {
			return false
		}
		v, _, ok := d.value()
		out[code] = v
		return ok
	})
	return out, ok
}

// value reads one valJSON and returns what decodeValues makes of it, and
// whether decodeValues keeps it (an unknown kind is dropped).
func (d *fastDecoder) value() (any, bool, bool) {
	var (
		kind string
		s    string
		l    []string
		e    *Entity
		es   []Entity
		f    []FileRef
		r    []Row
		hasR bool
	)
	var seen uint32
	ok := d.object(func(k []byte) bool {
		if !once(&seen, 1<<keyBit(k)) {
			return false
		}
		switch string(k) {
		case "k":
			var ok bool
			kind, ok = d.internStr()
			return ok
		case "s":
			var ok bool
			s, ok = d.str()
			return ok
		case "l":
			l = nil
			return d.array(func() bool {
				v, ok := d.internStr()
				l = append(l, v)
				return ok
			})
		case "e":
			if d.null() {
				e = nil
				return true
			}
			ent, ok := d.entity()
			e = &ent
			return ok
		case "es":
			es = nil
			return d.array(func() bool {
				ent, ok := d.entity()
				es = append(es, ent)
				return ok
			})
		case "f":
			f = nil
			return d.rawInto(&f)
		case "r":
			r, hasR = nil, true
			return d.array(func() bool {
				row, ok := d.row()
				r = append(r, row)
				return ok
			})
		}
		return false
	})
	if !ok {
		return nil, false, false
	}
	switch kind {
	case "s":
		return s, true, true
	case "l":
		return append([]string{}, l...), true, true
	case "e":
		if e != nil {
			return *e, true, true
		}
		return Entity{}, true, true
	case "es":
		return append([]Entity{}, es...), true, true
	case "f":
		return append([]FileRef{}, f...), true, true
	case "r":
		if !hasR || r == nil {
			return []Row{}, true, true
		}
		return r, true, true
	}
	return nil, false, false // a kind decodeValues drops: leave it to encoding/json
}

// entity reads an Entity as encoding/json does (other keys ignored).
func (d *fastDecoder) entity() (Entity, bool) {
	var ent Entity
	var seen uint32
	ok := d.object(func(k []byte) bool {
		if !once(&seen, 1<<keyBit(k)) {
			return false
		}
		var ok bool
		switch string(k) {
		case "code":
			ent.Code, ok = d.internStr()
		case "name":
			ent.Name, ok = d.internStr()
		}
		return ok
	})
	return ent, ok
}

// row reads a rowJSON as decodeValues turns it into a Row.
func (d *fastDecoder) row() (Row, bool) {
	var row Row
	seenV := false
	var seen uint32
	ok := d.object(func(k []byte) bool {
		if !once(&seen, 1<<keyBit(k)) {
			return false
		}
		var ok bool
		switch string(k) {
		case "id":
			row.ID, ok = d.int()
		case "v":
			row.Values, ok = d.values(&d.rowHint)
			seenV = true
		}
		return ok
	})
	if !seenV {
		row.Values = map[string]any{}
	}
	return row, ok
}
