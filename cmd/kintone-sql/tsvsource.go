package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// tsvSource reads the tab-separated values export writes: a header line,
// then one line per record, with backslash, tab, line feed and carriage
// return escaped as \\, \t, \n and \r. An empty field is NULL. A line may
// end with CRLF; any other backslash sequence is an error rather than a
// guess.
type tsvSource struct {
	r      *bufio.Reader
	lim    *recordLimit
	cols   []string
	lineNo int
}

func newTSVSource(r io.Reader) (*tsvSource, error) {
	return newTSVSourceLimit(r, maxRecordBytes)
}

// newTSVSourceLimit is newTSVSource with lines bounded at limit bytes.
func newTSVSourceLimit(r io.Reader, limit int64) (*tsvSource, error) {
	lim := newRecordLimit(r, limit)
	s := &tsvSource{r: bufio.NewReaderSize(lim, 1<<16), lim: lim}
	if b, err := s.r.Peek(len(utf8BOM)); err == nil && bytes.Equal(b, utf8BOM) {
		s.r.Discard(len(utf8BOM))
	}
	head, err := s.fields()
	if err == io.EOF {
		return nil, errors.New("the file is empty: want a header line of field codes")
	}
	if err != nil {
		return nil, err
	}
	if err := checkHeader(head, 1); err != nil {
		return nil, err
	}
	s.cols = head
	return s, nil
}

// fields reads the next line and returns its unescaped fields.
func (s *tsvSource) fields() ([]string, error) {
	s.lim.reset()
	line, err := s.r.ReadString('\n')
	if err != nil && (err != io.EOF || line == "") {
		return nil, tooLargeAt(err, s.lineNo+1)
	}
	s.lineNo++
	line = strings.TrimSuffix(line, "\n")
	line = strings.TrimSuffix(line, "\r") // a CRLF line end: export escapes a CR of the data
	parts := strings.Split(line, "\t")
	for i, p := range parts {
		if strings.IndexByte(p, '\\') < 0 {
			continue
		}
		v, err := tsvUnescape(p)
		if err != nil {
			ie := &inputError{line: s.lineNo, err: err}
			if i < len(s.cols) {
				ie.column = s.cols[i]
			}
			return nil, ie
		}
		parts[i] = v
	}
	return parts, nil
}

// tsvUnescape undoes tsvEscaper.
func tsvUnescape(s string) (string, error) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		i++
		if i == len(s) {
			return "", errors.New(`a backslash at the end of a field (write a backslash as \\)`)
		}
		switch s[i] {
		case '\\':
			b.WriteByte('\\')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		default:
			return "", fmt.Errorf(`unknown escape \%c: want \\, \t, \n or \r`, s[i])
		}
	}
	return b.String(), nil
}

func (s *tsvSource) next() ([]string, []any, error) {
	rec, err := s.fields()
	if err != nil {
		return nil, nil, err
	}
	if len(rec) != len(s.cols) {
		return nil, nil, &inputError{line: s.lineNo, err: fmt.Errorf("%s, where the header has %d", plural(int64(len(rec)), "field"), len(s.cols))}
	}
	vals := make([]any, len(rec))
	for i, v := range rec {
		if v != "" {
			vals[i] = v
		}
	}
	return s.cols, vals, nil
}

func (s *tsvSource) lines() (int, int) { return s.lineNo, s.lineNo }
