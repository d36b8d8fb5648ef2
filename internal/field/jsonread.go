package field

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// A small JSON reader for the values a page holds most of: string lists
// (CHECK_BOX, MULTI_SELECT, CATEGORY), entities ({"code","name"}: CREATOR,
// MODIFIER and the selections), files, escaped strings and subtable rows.
// encoding/json decodes these by reflection, after a validation pass of its
// own, and cost a tenth of a read's CPU (issue 15). The reader gives the
// same values and accepts and rejects the same documents as
// json.Unmarshal into the same Go types (FuzzJSONReader checks it): object
// keys match case-insensitively, a null leaves a string or an entity as it
// was, the last of duplicate keys wins, invalid UTF-8 and lone surrogates
// become U+FFFD, and nothing may follow the value but white space.

// jsonMaxDepth bounds nesting, as encoding/json does.
const jsonMaxDepth = 10000

// jsonReader reads one JSON value in buf.
type jsonReader struct {
	buf   []byte
	pos   int
	depth int
}

// errJSONType is a value of valid JSON but of another type than the one
// expected; the message says which.
type errJSONType struct {
	want, got string
}

func (e *errJSONType) Error() string { return "expected " + e.want + ", got " + e.got }

// syntax reports invalid JSON at the reader's position.
func (r *jsonReader) syntax(what string) error {
	return errors.New("invalid JSON at byte " + strconv.Itoa(r.pos) + ": " + what)
}

func (r *jsonReader) ws() {
	for r.pos < len(r.buf) {
		switch r.buf[r.pos] {
		case ' ', '\t', '\r', '\n':
			r.pos++
		default:
			return
		}
	}
}

// peek returns the next byte after white space, 0 at the end.
func (r *jsonReader) peek() byte {
	r.ws()
	if r.pos < len(r.buf) {
		return r.buf[r.pos]
	}
	return 0
}

// end checks that only white space is left.
func (r *jsonReader) end() error {
	if r.peek() != 0 || r.pos < len(r.buf) {
		return r.syntax("data after the value")
	}
	return nil
}

// kind names the JSON type of a value starting with c, for errors.
func kind(c byte) string {
	switch {
	case c == '"':
		return "a string"
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	}
	return "a number"
}

// open consumes the '{' or '[' that starts an object or array; it fails
// only beyond jsonMaxDepth.
func (r *jsonReader) open() error {
	if r.depth++; r.depth > jsonMaxDepth {
		return r.syntax("nested too deeply")
	}
	r.pos++
	return nil
}

// next moves to the next element of an array or member of an object
// opened by open (close is ']' or '}'): it consumes the ',' before it
// unless first. At the end it consumes close and reports false.
func (r *jsonReader) next(first bool, close byte) (bool, error) {
	switch c := r.peek(); {
	case c == close:
		r.pos++
		r.depth--
		return false, nil
	case !first && c == ',':
		r.pos++
		if c := r.peek(); c == close {
			return false, r.syntax("expected a value after ','")
		}
	case !first:
		return false, r.syntax("expected ',' or '" + string(close) + "'")
	}
	return true, nil
}

// key reads an object key and its ':' (after next), unescaped. The bytes
// may share memory with buf or with scratch.
func (r *jsonReader) key() ([]byte, error) {
	if r.peek() != '"' {
		return nil, r.syntax("expected a string key")
	}
	k, err := r.strBytes()
	if err != nil {
		return nil, err
	}
	if r.peek() != ':' {
		return nil, r.syntax("expected ':'")
	}
	r.pos++
	return k, nil
}

// member is next and key for objects.
func (r *jsonReader) member(first bool) ([]byte, bool, error) {
	ok, err := r.next(first, '}')
	if err != nil || !ok {
		return nil, false, err
	}
	k, err := r.key()
	return k, err == nil, err
}

// str reads a string value. A null reads as ok false; another type is an
// *errJSONType, after the value has been read (so that a caller can go on
// and find a syntax error further on, which encoding/json reports first).
func (r *jsonReader) str() (s string, ok bool, err error) {
	switch c := r.peek(); c {
	case '"':
		b, err := r.strBytes()
		return string(b), err == nil, err
	case 'n':
		return "", false, r.literal("null")
	default:
		if err := r.skip(); err != nil {
			return "", false, err
		}
		return "", false, &errJSONType{"a string", kind(c)}
	}
}

// strBytes reads a string, unescaped: a slice of buf when it needs no
// unescaping, else a new slice.
func (r *jsonReader) strBytes() ([]byte, error) {
	r.pos++ // opening quote
	start := r.pos
	ascii := true
	for r.pos < len(r.buf) {
		c := r.buf[r.pos]
		switch {
		case c == '"':
			b := r.buf[start:r.pos]
			r.pos++
			if !ascii && !utf8.Valid(b) {
				return unquote(b, nil), nil
			}
			return b, nil
		case c == '\\':
			r.pos = start
			return r.strEscaped()
		case c < ' ':
			return nil, r.syntax("control character in a string")
		case c >= utf8.RuneSelf:
			ascii = false
		}
		r.pos++
	}
	return nil, r.syntax("unexpected end in a string")
}

// strEscaped reads the rest of a string (from just after the opening quote)
// that has escapes: it checks it, then unescapes it.
func (r *jsonReader) strEscaped() ([]byte, error) {
	start := r.pos
	for r.pos < len(r.buf) {
		c := r.buf[r.pos]
		switch {
		case c == '"':
			b := r.buf[start:r.pos]
			r.pos++
			return unquote(b, make([]byte, 0, len(b))), nil
		case c == '\\':
			if r.pos+1 >= len(r.buf) {
				return nil, r.syntax("unexpected end in a string")
			}
			switch r.buf[r.pos+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				r.pos += 2
			case 'u':
				if r.pos+6 > len(r.buf) || hex4(r.buf[r.pos+2:r.pos+6]) < 0 {
					return nil, r.syntax(`bad \u escape`)
				}
				r.pos += 6
			default:
				return nil, r.syntax("bad escape")
			}
		case c < ' ':
			return nil, r.syntax("control character in a string")
		default:
			r.pos++
		}
	}
	return nil, r.syntax("unexpected end in a string")
}

// hex4 returns the value of four hex digits, or -1.
func hex4(b []byte) rune {
	var v rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		v = v<<4 | rune(c)
	}
	return v
}

// unquote appends to out the text of the contents b of a checked JSON
// string: escapes undone, a surrogate pair joined, a lone surrogate and
// invalid UTF-8 replaced by U+FFFD, as encoding/json does.
func unquote(b, out []byte) []byte {
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '\\':
			e := b[i+1]
			i += 2
			switch e {
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
				rr := hex4(b[i:])
				i += 4
				if utf16.IsSurrogate(rr) {
					rr1 := rune(-1)
					if i+6 <= len(b) && b[i] == '\\' && b[i+1] == 'u' {
						rr1 = hex4(b[i+2:])
					}
					if d := utf16.DecodeRune(rr, rr1); d != utf8.RuneError {
						rr = d
						i += 6
					} else {
						rr = utf8.RuneError
					}
				}
				out = utf8.AppendRune(out, rr)
			default: // '"', '\\', '/'
				out = append(out, e)
			}
		case c < utf8.RuneSelf:
			out = append(out, c)
			i++
		default:
			rr, n := utf8.DecodeRune(b[i:])
			out = utf8.AppendRune(out, rr)
			i += n
		}
	}
	return out
}

// literal reads true, false or null.
func (r *jsonReader) literal(word string) error {
	if len(r.buf)-r.pos < len(word) || string(r.buf[r.pos:r.pos+len(word)]) != word {
		return r.syntax("bad literal")
	}
	r.pos += len(word)
	return nil
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (r *jsonReader) number() error {
	if r.pos < len(r.buf) && r.buf[r.pos] == '-' {
		r.pos++
	}
	switch {
	case r.pos < len(r.buf) && r.buf[r.pos] == '0':
		r.pos++
	case r.pos < len(r.buf) && '1' <= r.buf[r.pos] && r.buf[r.pos] <= '9':
		r.digits()
	default:
		return r.syntax("bad number")
	}
	if r.pos < len(r.buf) && r.buf[r.pos] == '.' {
		r.pos++
		if !r.digits() {
			return r.syntax("bad number")
		}
	}
	if r.pos < len(r.buf) && (r.buf[r.pos] == 'e' || r.buf[r.pos] == 'E') {
		r.pos++
		if r.pos < len(r.buf) && (r.buf[r.pos] == '+' || r.buf[r.pos] == '-') {
			r.pos++
		}
		if !r.digits() {
			return r.syntax("bad number")
		}
	}
	return nil
}

// digits consumes [0-9]* and reports whether there was at least one.
func (r *jsonReader) digits() bool {
	start := r.pos
	for r.pos < len(r.buf) && '0' <= r.buf[r.pos] && r.buf[r.pos] <= '9' {
		r.pos++
	}
	return r.pos > start
}

// skip reads one value of any type, checking it.
func (r *jsonReader) skip() error {
	switch c := r.peek(); {
	case c == '"':
		_, err := r.strBytes()
		return err
	case c == '{':
		if err := r.open(); err != nil {
			return err
		}
		for first := true; ; first = false {
			_, ok, err := r.member(first)
			if err != nil || !ok {
				return err
			}
			if err := r.skip(); err != nil {
				return err
			}
		}
	case c == '[':
		if err := r.open(); err != nil {
			return err
		}
		for first := true; ; first = false {
			ok, err := r.next(first, ']')
			if err != nil || !ok {
				return err
			}
			if err := r.skip(); err != nil {
				return err
			}
		}
	case c == 't':
		return r.literal("true")
	case c == 'f':
		return r.literal("false")
	case c == 'n':
		return r.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		return r.number()
	case c == 0 && r.pos >= len(r.buf):
		return r.syntax("unexpected end")
	}
	return r.syntax("unexpected character")
}

// raw reads one value and returns its bytes.
func (r *jsonReader) raw() ([]byte, error) {
	r.ws()
	start := r.pos
	if err := r.skip(); err != nil {
		return nil, err
	}
	return r.buf[start:r.pos], nil
}

// firstErr keeps the first type error met while reading on, so that a
// syntax error further on wins as it does in encoding/json.
func firstErr(kept *error, err error) error {
	if _, ok := err.(*errJSONType); ok { // not errors.As: its target escapes
		if *kept == nil {
			*kept = err
		}
		return nil
	}
	return err
}

// readStrings reads a JSON array of strings (null elements read as "");
// null reads as a nil slice, [] as an empty one.
func readStrings(b []byte) ([]string, error) {
	r := jsonReader{buf: b}
	var out []string
	var typeErr error
	switch c := r.peek(); c {
	case 'n':
		if err := r.literal("null"); err != nil {
			return nil, err
		}
		return nil, r.end()
	case '[':
		_ = r.open() // depth 1
	default:
		if err := r.skip(); err != nil {
			return nil, err
		}
		if err := r.end(); err != nil {
			return nil, err
		}
		return nil, &errJSONType{"an array of strings", kind(c)}
	}
	out = make([]string, 0, countElements(b[r.pos:]))
	for first := true; ; first = false {
		ok, err := r.next(first, ']')
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		s, _, err := r.str()
		if err = firstErr(&typeErr, err); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	if err := r.end(); err != nil {
		return nil, err
	}
	if typeErr != nil {
		return nil, typeErr
	}
	return out, nil
}

// countElements guesses how many elements the array whose contents start
// b holds, for sizing: the commas before the first ']' plus one.
func countElements(b []byte) int {
	n := 1
	for _, c := range b {
		switch c {
		case ',':
			n++
		case ']':
			return n
		}
	}
	return n
}

// entity reads the members of an entity object into e (after '{' is
// seen): "code" and "name" in any case, other keys skipped, null leaving
// a member as it was.
func (r *jsonReader) entity(e *EntityRef, typeErr *error) error {
	vals := [4]string{e.Code, e.Name}
	err := r.object(typeErr, entityKeys, &vals)
	e.Code, e.Name = vals[0], vals[1]
	return err
}

// The keys of the objects read, lower-case, in the order of their values
// in object's vals.
var (
	entityKeys  = []string{"code", "name"}
	fileRefKeys = []string{"contenttype", "filekey", "name", "size"}
)

// object reads an object of string members (its '{' next): the value of
// keys[i] (in any case) into vals[i], other keys skipped, null leaving a
// value as it was. (Values go to an array, not through pointers a caller
// chooses, so that nothing escapes to the heap.)
func (r *jsonReader) object(typeErr *error, keys []string, vals *[4]string) error {
	_ = r.open() // at most depth 2
	for first := true; ; first = false {
		k, ok, err := r.member(first)
		if err != nil || !ok {
			return err
		}
		i := 0
		for i < len(keys) && !equalFoldASCII(k, keys[i]) {
			i++
		}
		if i == len(keys) {
			if err := r.skip(); err != nil {
				return err
			}
			continue
		}
		s, ok, err := r.str()
		if err = firstErr(typeErr, err); err != nil {
			return err
		}
		if ok {
			vals[i] = s
		}
	}
}

// equalFoldASCII reports whether the key k is word (lower-case ASCII
// letters) ignoring case, as encoding/json matches keys to struct fields:
// by Unicode simple folding, under which two runes besides the ASCII
// letters fold to one, U+017F to s and U+212A (the Kelvin sign) to k.
func equalFoldASCII(k []byte, word string) bool {
	i := 0
	for j := 0; j < len(word); j++ {
		if i >= len(k) {
			return false
		}
		if c := k[i]; c < utf8.RuneSelf {
			if c|0x20 != word[j] {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(k[i:])
		if !(r == 0x17F && word[j] == 's' || r == 0x212A && word[j] == 'k') {
			return false
		}
		i += n
	}
	return i == len(k)
}

// readEntity reads a JSON object {"code","name"}; null reads as the zero
// EntityRef.
func readEntity(b []byte) (EntityRef, error) {
	r := jsonReader{buf: b}
	var e EntityRef
	var typeErr error
	switch c := r.peek(); c {
	case '{':
		if err := r.entity(&e, &typeErr); err != nil {
			return EntityRef{}, err
		}
	case 'n':
		if err := r.literal("null"); err != nil {
			return EntityRef{}, err
		}
	default:
		if err := r.skip(); err != nil {
			return EntityRef{}, err
		}
		typeErr = &errJSONType{"an object", kind(c)}
	}
	if err := r.end(); err != nil {
		return EntityRef{}, err
	}
	if typeErr != nil {
		return EntityRef{}, typeErr
	}
	return e, nil
}

// readEntities reads a JSON array of entity objects (null elements read as
// the zero EntityRef); null reads as a nil slice, [] as an empty one.
func readEntities(b []byte) ([]EntityRef, error) {
	return readObjects(b, entityKeys, func(v [4]string) EntityRef { return EntityRef{Code: v[0], Name: v[1]} })
}

// readFiles reads a FILE value, a JSON array of {"contentType", "fileKey",
// "name", "size"} objects, as readEntities does.
func readFiles(b []byte) ([]FileRef, error) {
	return readObjects(b, fileRefKeys, func(v [4]string) FileRef {
		return FileRef{ContentType: v[0], FileKey: v[1], Name: v[2], Size: v[3]}
	})
}

// readObjects reads a JSON array of objects of string members, keys as
// object takes them, each made a T by mk; null elements read as
// mk of no values, null as a nil slice, [] as an empty one.
func readObjects[T any](b []byte, keys []string, mk func([4]string) T) ([]T, error) {
	r := jsonReader{buf: b}
	var typeErr error
	switch c := r.peek(); c {
	case 'n':
		if err := r.literal("null"); err != nil {
			return nil, err
		}
		return nil, r.end()
	case '[':
		_ = r.open() // depth 1
	default:
		if err := r.skip(); err != nil {
			return nil, err
		}
		if err := r.end(); err != nil {
			return nil, err
		}
		return nil, &errJSONType{"an array of objects", kind(c)}
	}
	out := make([]T, 0, countEntities(b[r.pos:]))
	for first := true; ; first = false {
		ok, err := r.next(first, ']')
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		var v [4]string
		switch c := r.peek(); c {
		case '{':
			err = r.object(&typeErr, keys, &v)
		case 'n':
			err = r.literal("null")
		default:
			if err = r.skip(); err == nil {
				err = firstErr(&typeErr, &errJSONType{"an object", kind(c)})
			}
		}
		if err != nil {
			return nil, err
		}
		out = append(out, mk(v))
	}
	if err := r.end(); err != nil {
		return nil, err
	}
	if typeErr != nil {
		return nil, typeErr
	}
	return out, nil
}

// countEntities guesses how many objects the array whose contents start b
// holds, for sizing: the '{' before the first ']' (names have no brackets
// as a rule; a wrong guess only costs a grow).
func countEntities(b []byte) int {
	n := 0
	for _, c := range b {
		switch c {
		case '{':
			n++
		case ']':
			return n
		}
	}
	return n
}
