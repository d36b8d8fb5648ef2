package rest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/kintone-sql/kintone/internal/field"
)

// Record pages are decoded by a small scanner instead of encoding/json:
// the body is read into one buffer (bounded by maxResponseBytes), checked
// with json.Valid, and walked once. Every Field.Value is a slice of that
// buffer, field codes and types are interned per page, and all fields of a
// page share one backing array, so a 500-record page costs a handful of
// allocations instead of several per field (see BenchmarkDecodeRecordsPage).
// A page is the unit the driver holds in memory anyway.

// pageScanner walks a valid JSON document.
type pageScanner struct {
	buf    []byte
	pos    int
	intern map[string]string
	fields []Field
	spans  [][2]int // per record: [start, end) in fields
}

// errShape reports a valid JSON document of an unexpected shape.
func errShape(what string) error { return errors.New("unexpected JSON shape: " + what) }

// decodeRecordsPage reads a records.json, cursor or record.json answer:
// an object with "records" (an array of records) or "record" (one record),
// and optionally "totalCount" and "next". Other keys are ignored.
func decodeRecordsPage(r io.Reader, sizeHint int64) (*RecordsPage, error) {
	buf, err := readAll(r, sizeHint)
	if err != nil {
		return nil, err
	}
	if !json.Valid(buf) {
		return nil, errors.New("response is not valid JSON")
	}
	s := &pageScanner{buf: buf, intern: make(map[string]string, 32)}
	page := &RecordsPage{}
	if err := s.page(page); err != nil {
		return nil, err
	}
	return page, nil
}

// readAll reads r into one buffer, sized from the Content-Length when known.
func readAll(r io.Reader, sizeHint int64) ([]byte, error) {
	if sizeHint <= 0 || sizeHint > 64<<20 {
		sizeHint = 512
	}
	buf := make([]byte, 0, sizeHint+1) // +1: the final Read sees EOF without growing
	for {
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
	}
}

func (s *pageScanner) page(p *RecordsPage) error {
	s.ws()
	if s.peek() != '{' {
		return errShape("the answer is not an object")
	}
	s.pos++
	single := false
	for s.nextMember() {
		switch string(s.key()) {
		case "records":
			if s.peek() != '[' {
				return errShape(`"records" is not an array`)
			}
			s.pos++
			for s.nextElement() {
				if err := s.record(); err != nil {
					return err
				}
			}
		case "record":
			if err := s.record(); err != nil {
				return err
			}
			single = true
		case "totalCount":
			v := s.value()
			if string(v) != "null" {
				n, ok := parseDecimalValue(v)
				if !ok {
					return errShape(`"totalCount" is not a decimal string`)
				}
				p.TotalCount, p.HasTotalCount = n, true
			}
		case "next":
			p.Next = string(s.value()) == "true"
		default:
			s.value()
		}
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

// record reads {code: {"type": t, "value": v}, ...}.
func (s *pageScanner) record() error {
	if s.peek() != '{' {
		return errShape("a record is not an object")
	}
	s.pos++
	start := len(s.fields)
	for s.nextMember() {
		code, err := s.internKey()
		if err != nil {
			return err
		}
		if s.peek() != '{' {
			return fmt.Errorf("%w: field %q is not an object", errShape("record"), code)
		}
		s.pos++
		f := Field{Code: code}
		for s.nextMember() {
			switch string(s.key()) {
			case "type":
				v := s.value()
				if len(v) < 2 || v[0] != '"' {
					return fmt.Errorf("%w: field %q has a non-string type", errShape("record"), code)
				}
				t, err := s.internString(v)
				if err != nil {
					return err
				}
				f.Type = field.Type(t)
			case "value":
				f.Value = s.value()
			default:
				s.value()
			}
		}
		s.fields = append(s.fields, f)
	}
	s.spans = append(s.spans, [2]int{start, len(s.fields)})
	return nil
}

// nextMember moves past '{' or ',' to the next member's key, reporting
// false (and consuming '}') at the end of the object.
func (s *pageScanner) nextMember() bool {
	s.ws()
	if s.buf[s.pos] == ',' {
		s.pos++
		s.ws()
	}
	if s.buf[s.pos] == '}' {
		s.pos++
		return false
	}
	return true
}

// nextElement is nextMember for arrays.
func (s *pageScanner) nextElement() bool {
	s.ws()
	if s.buf[s.pos] == ',' {
		s.pos++
		s.ws()
	}
	if s.buf[s.pos] == ']' {
		s.pos++
		return false
	}
	return true
}

// key reads a member key and its colon, returning the key's bytes without
// quotes for comparison (switch string(key) does not allocate). Escaped
// keys never match the plain ASCII keys Kintone uses, which is right.
func (s *pageScanner) key() []byte {
	raw := s.str()
	s.ws()
	s.pos++ // ':'
	s.ws()
	return raw[1 : len(raw)-1]
}

// internKey reads a member key as an interned string.
func (s *pageScanner) internKey() (string, error) {
	raw := s.str()
	s.ws()
	s.pos++
	s.ws()
	return s.internString(raw)
}

// internString returns the string a JSON string literal denotes, interned.
func (s *pageScanner) internString(raw []byte) (string, error) {
	if v, ok := s.intern[string(raw)]; ok {
		return v, nil
	}
	var v string
	if hasEscape(raw) {
		if err := json.Unmarshal(raw, &v); err != nil {
			return "", err
		}
	} else {
		v = string(raw[1 : len(raw)-1])
	}
	s.intern[string(raw)] = v
	return v, nil
}

func hasEscape(raw []byte) bool {
	for _, c := range raw {
		if c == '\\' {
			return true
		}
	}
	return false
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

// str reads a string literal, quotes included.
func (s *pageScanner) str() []byte {
	start := s.pos
	s.pos++ // opening quote
	for {
		switch s.buf[s.pos] {
		case '\\':
			s.pos += 2
		case '"':
			s.pos++
			return s.buf[start:s.pos]
		default:
			s.pos++
		}
	}
}

// value reads any value and returns its bytes.
func (s *pageScanner) value() []byte {
	s.ws()
	start := s.pos
	switch s.buf[s.pos] {
	case '"':
		s.str()
	case '{', '[':
		depth := 0
		for {
			switch s.buf[s.pos] {
			case '"':
				s.str()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
			s.pos++
			if depth == 0 {
				break
			}
		}
	default: // number, true, false, null
		for s.pos < len(s.buf) {
			switch s.buf[s.pos] {
			case ',', '}', ']', ' ', '\t', '\r', '\n':
				return s.buf[start:s.pos]
			}
			s.pos++
		}
	}
	return s.buf[start:s.pos]
}
