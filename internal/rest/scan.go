package rest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/kintone-sql/kintone/internal/field"
)

// Record pages are decoded by a small validating scanner instead of
// encoding/json: the body is read into one buffer (bounded by
// maxResponseBytes) and walked once, checking the JSON grammar as it goes.
// Every Field.Value is a slice of that buffer, field codes and types are
// interned per page, and all fields of a page share one backing array, so
// a 500-record page costs about a hundred allocations instead of several
// per field, and one pass instead of encoding/json's validation pass plus
// decoding pass (see BenchmarkDecodeRecordsPage). A page is the unit the
// driver holds in memory anyway.

// maxDepth bounds nesting, as encoding/json does.
const maxDepth = 10000

// pageScanner walks a JSON document in buf.
type pageScanner struct {
	buf    []byte
	pos    int
	depth  int
	intern map[string]string
	fields []Field
	spans  [][2]int // per record: [start, end) in fields
}

// errShape reports valid JSON of an unexpected shape.
func errShape(what string) error { return errors.New("unexpected JSON shape: " + what) }

// syntaxError reports invalid JSON.
func (s *pageScanner) syntaxError(what string) error {
	return errors.New("invalid JSON at byte " + strconv.Itoa(s.pos) + ": " + what)
}

// decodeRecordsPage reads a records.json, cursor or record.json answer:
// an object with "records" (an array of records) or "record" (one record),
// and optionally "totalCount" and "next". Other keys are ignored.
func decodeRecordsPage(r io.Reader, sizeHint int64) (*RecordsPage, error) {
	buf, err := readAll(r, sizeHint)
	if err != nil {
		return nil, err
	}
	s := &pageScanner{buf: buf, intern: make(map[string]string, 32)}
	page := &RecordsPage{}
	if err := s.page(page); err != nil {
		return nil, err
	}
	return page, nil
}

// maxChunk is the largest piece readAll reads into before joining them.
const maxChunk = 1 << 20

// readAll reads r into one buffer: of the Content-Length's size when it
// is known, else in pieces of growing size (up to maxChunk) joined at the
// end, which costs about twice the body's size whatever it is (doubling
// one buffer costs up to four times, and append's growth more). When r is
// an answer's capReader, no piece passes the cap (plus the byte that sees
// the end), so a body that never ends is refused at maxResponseBytes
// having allocated about the cap, not five or six times it.
func readAll(r io.Reader, sizeHint int64) ([]byte, error) {
	limit := int64(-1)
	if cr, ok := r.(*capReader); ok && !cr.unlimited {
		limit = cr.remaining
	}
	if sizeHint <= 0 || (limit < 0 && sizeHint > 64<<20) {
		sizeHint = 512
	}
	if limit >= 0 {
		sizeHint = min(sizeHint, limit)
	}
	buf := make([]byte, 0, sizeHint+1) // +1: the final Read sees EOF without growing
	var pieces [][]byte                // full pieces before buf
	total := int64(0)                  // their length
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			pieces = append(pieces, buf)
			total += int64(len(buf))
			next := min(2*int64(cap(buf)), maxChunk)
			if limit >= 0 {
				next = min(next, limit-total+1)
			}
			buf = make([]byte, 0, max(next, 1))
		}
	}
	if len(pieces) == 0 {
		return buf, nil
	}
	out := make([]byte, 0, total+int64(len(buf)))
	for _, p := range pieces {
		out = append(out, p...)
	}
	return append(out, buf...), nil
}

func (s *pageScanner) page(p *RecordsPage) error {
	if err := s.open('{'); err != nil {
		return shapeError(err, "the answer is not an object")
	}
	single, found := false, false
	for first := true; ; first = false {
		key, ok, err := s.member(first)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		switch string(key) {
		case "records":
			found = true
			err = s.records()
		case "record":
			single, found = true, true
			err = s.record()
		case "totalCount":
			var v []byte
			if v, err = s.value(); err == nil && string(v) != "null" {
				n, ok := parseDecimalValue(v)
				if !ok {
					return errShape(`"totalCount" is not a decimal string`)
				}
				p.TotalCount, p.HasTotalCount = n, true
			}
		case "next":
			var v []byte
			v, err = s.value()
			p.Next = string(v) == "true"
		default:
			err = s.skip()
		}
		if err != nil {
			return err
		}
	}
	s.ws()
	if s.pos != len(s.buf) {
		return s.syntaxError("data after the top-level value")
	}
	if !found {
		// Kintone always sends them: an answer without is not Kintone's,
		// and reading it as "no records" would end a read early.
		return errShape(`no "records"`)
	}
	if single && len(s.spans) != 1 {
		return errShape(`"record" and "records" both present`)
	}
	p.Records = make([]Record, len(s.spans))
	for i, sp := range s.spans {
		p.Records[i] = Record(s.fields[sp[0]:sp[1]:sp[1]])
	}
	return nil
}

// records reads an array of records.
func (s *pageScanner) records() error {
	if err := s.open('['); err != nil {
		return shapeError(err, `"records" is not an array`)
	}
	start := s.pos
	for first := true; ; first = false {
		ok, err := s.element(first)
		if err != nil || !ok {
			return err
		}
		if err := s.record(); err != nil {
			return err
		}
		if first {
			s.presize(s.pos - start)
		}
	}
}

// presize sizes s.fields and s.spans for the whole page once the first
// record (of n bytes) is read: records of one read have the same fields,
// so the page holds about as many records as the first one's size fits
// in what is left of the buffer. Growing the slices by appending instead
// cost a sixth of a page's decoding time and most of its allocated bytes
// (issue 15). A page of records of uneven size only misses the estimate:
// append still grows what is too short.
func (s *pageScanner) presize(n int) {
	k := len(s.fields)
	if k == 0 || n <= 0 {
		return
	}
	recs := (len(s.buf)-s.pos)/n + 1
	recs += recs / 16 // records further on may be a little longer
	// Every field takes more than 16 bytes of JSON ({"":{"type":""}}), so
	// an estimate beyond that comes from a first record far larger than
	// the rest: bound it by what the buffer can hold.
	nf := min(recs*k, len(s.buf)/16+k)
	fields := make([]Field, k, nf)
	copy(fields, s.fields)
	s.fields = fields
	spans := make([][2]int, len(s.spans), min(recs, nf))
	copy(spans, s.spans)
	s.spans = spans
}

// record reads {code: {"type": t, "value": v, ...}, ...}.
func (s *pageScanner) record() error {
	if err := s.open('{'); err != nil {
		return shapeError(err, "a record is not an object")
	}
	start := len(s.fields)
	for first := true; ; first = false {
		rawCode, ok, err := s.member(first)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		code, err := s.internString(rawCode)
		if err != nil {
			return err
		}
		if err := s.open('{'); err != nil {
			return shapeError(err, "field "+strconv.Quote(code)+" is not an object")
		}
		f := Field{Code: code}
		for first := true; ; first = false {
			key, ok, err := s.member(first)
			if err != nil {
				return err
			}
			if !ok {
				break
			}
			v, err := s.value()
			if err != nil {
				return err
			}
			switch string(key) {
			case "type":
				if v[0] != '"' {
					return fmt.Errorf("%w: field %q has a non-string type", errShape("record"), code)
				}
				t, err := s.internString(v[1 : len(v)-1])
				if err != nil {
					return err
				}
				f.Type = field.Type(t)
			case "value":
				f.Value = v
			}
		}
		s.fields = append(s.fields, f)
	}
	s.spans = append(s.spans, [2]int{start, len(s.fields)})
	return nil
}

// errNotContainer is open's answer for a value of another kind; callers
// turn it into an errShape that says what was expected.
var errNotContainer = errors.New("not an object or array")

// open consumes the '{' or '[' that starts an object or array.
func (s *pageScanner) open(c byte) error {
	s.ws()
	switch s.peek() {
	case c:
	case 0:
		return s.syntaxError("unexpected end")
	default:
		return errNotContainer
	}
	if s.depth++; s.depth > maxDepth {
		return s.syntaxError("nested too deeply")
	}
	s.pos++
	return nil
}

// shapeError turns errNotContainer into an errShape saying what.
func shapeError(err error, what string) error {
	if err == errNotContainer {
		return errShape(what)
	}
	return err
}

// member moves to the next member of an object opened by open: it
// consumes the ',' before it (unless first) and its key and ':', and
// returns the key's contents (escapes not undone). At the end of the object
// it consumes the '}' and returns false.
func (s *pageScanner) member(first bool) ([]byte, bool, error) {
	s.ws()
	switch c := s.peek(); {
	case c == '}':
		s.pos++
		s.depth--
		return nil, false, nil
	case !first && c == ',':
		s.pos++
		s.ws()
	case !first:
		return nil, false, s.syntaxError("expected ',' or '}'")
	}
	if s.peek() != '"' {
		return nil, false, s.syntaxError("expected a string key")
	}
	key, err := s.str()
	if err != nil {
		return nil, false, err
	}
	s.ws()
	if s.peek() != ':' {
		return nil, false, s.syntaxError("expected ':'")
	}
	s.pos++
	s.ws()
	return key[1 : len(key)-1], true, nil
}

// element is member for arrays: it reports whether an element follows.
func (s *pageScanner) element(first bool) (bool, error) {
	s.ws()
	switch c := s.peek(); {
	case c == ']':
		s.pos++
		s.depth--
		return false, nil
	case !first && c == ',':
		s.pos++
		s.ws()
	case !first:
		return false, s.syntaxError("expected ',' or ']'")
	}
	return true, nil
}

// skip consumes one value of any kind.
func (s *pageScanner) skip() error {
	s.ws()
	switch c := s.peek(); {
	case c == '"':
		_, err := s.str()
		return err
	case c == '{':
		if err := s.open('{'); err != nil {
			return err
		}
		for first := true; ; first = false {
			_, ok, err := s.member(first)
			if err != nil || !ok {
				return err
			}
			if err := s.skip(); err != nil {
				return err
			}
		}
	case c == '[':
		if err := s.open('['); err != nil {
			return err
		}
		for first := true; ; first = false {
			ok, err := s.element(first)
			if err != nil || !ok {
				return err
			}
			if err := s.skip(); err != nil {
				return err
			}
		}
	case c == 't':
		return s.literal("true")
	case c == 'f':
		return s.literal("false")
	case c == 'n':
		return s.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		return s.number()
	case c == 0 && s.pos >= len(s.buf):
		return s.syntaxError("unexpected end")
	}
	return s.syntaxError("unexpected character")
}

// value consumes one value and returns its bytes.
func (s *pageScanner) value() ([]byte, error) {
	s.ws()
	start := s.pos
	if err := s.skip(); err != nil {
		return nil, err
	}
	return s.buf[start:s.pos], nil
}

// internString returns the string a JSON string's contents denote,
// interned for the page.
func (s *pageScanner) internString(contents []byte) (string, error) {
	if v, ok := s.intern[string(contents)]; ok {
		return v, nil
	}
	v := string(contents)
	for _, c := range contents {
		if c == '\\' {
			var un string
			q := make([]byte, 0, len(contents)+2)
			q = append(append(append(q, '"'), contents...), '"')
			if err := json.Unmarshal(q, &un); err != nil {
				return "", err
			}
			v = un
			break
		}
	}
	s.intern[string(contents)] = v
	return v, nil
}

func (s *pageScanner) peek() byte {
	if s.pos < len(s.buf) {
		return s.buf[s.pos]
	}
	return 0
}

func (s *pageScanner) ws() {
	for s.pos < len(s.buf) {
		switch s.buf[s.pos] {
		case ' ', '\t', '\r', '\n':
			s.pos++
		default:
			return
		}
	}
}

// str reads a string, quotes included, checking escapes and that no
// control character appears unescaped.
func (s *pageScanner) str() ([]byte, error) {
	start := s.pos
	s.pos++ // opening quote
	for s.pos < len(s.buf) {
		c := s.buf[s.pos]
		switch {
		case c == '"':
			s.pos++
			return s.buf[start:s.pos], nil
		case c == '\\':
			if s.pos+1 >= len(s.buf) {
				return nil, s.syntaxError("unexpected end in a string")
			}
			switch s.buf[s.pos+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				s.pos += 2
			case 'u':
				if s.pos+6 > len(s.buf) || !isHex4(s.buf[s.pos+2:s.pos+6]) {
					return nil, s.syntaxError(`bad \u escape`)
				}
				s.pos += 6
			default:
				return nil, s.syntaxError("bad escape")
			}
		case c < ' ':
			return nil, s.syntaxError("control character in a string")
		default:
			s.pos++
		}
	}
	return nil, s.syntaxError("unexpected end in a string")
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func (s *pageScanner) literal(word string) error {
	if len(s.buf)-s.pos < len(word) || string(s.buf[s.pos:s.pos+len(word)]) != word {
		return s.syntaxError("bad literal")
	}
	s.pos += len(word)
	return nil
}

// number reads -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func (s *pageScanner) number() error {
	if s.peek() == '-' {
		s.pos++
	}
	switch c := s.peek(); {
	case c == '0':
		s.pos++
	case '1' <= c && c <= '9':
		s.digits()
	default:
		return s.syntaxError("bad number")
	}
	if s.peek() == '.' {
		s.pos++
		if !s.digits() {
			return s.syntaxError("bad number")
		}
	}
	if c := s.peek(); c == 'e' || c == 'E' {
		s.pos++
		if c := s.peek(); c == '+' || c == '-' {
			s.pos++
		}
		if !s.digits() {
			return s.syntaxError("bad number")
		}
	}
	return nil
}

// digits consumes [0-9]* and reports whether there was at least one.
func (s *pageScanner) digits() bool {
	start := s.pos
	for s.pos < len(s.buf) && '0' <= s.buf[s.pos] && s.buf[s.pos] <= '9' {
		s.pos++
	}
	return s.pos > start
}
