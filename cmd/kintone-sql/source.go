package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// recordSource reads the records of an import file, one at a time.
type recordSource interface {
	// next returns the next record: its column names (the slice may be
	// shared between records) and raw values, each nil (NULL), a string,
	// or for JSON lines a json.RawMessage. It returns io.EOF at the end.
	next() (cols []string, vals []any, err error)
	// line is the line of the input on which the last record started.
	line() int
}

// csvSource reads CSV with a header line of column names. An empty field
// is NULL.
type csvSource struct {
	r      *csv.Reader
	lim    *recordLimit
	cols   []string
	lineNo int
}

func newCSVSource(r io.Reader) (*csvSource, error) {
	return newCSVSourceLimit(r, maxRecordBytes)
}

// newCSVSourceLimit is newCSVSource with records bounded at limit bytes.
func newCSVSourceLimit(r io.Reader, limit int64) (*csvSource, error) {
	lim := newRecordLimit(r, limit)
	cr := csv.NewReader(lim)
	cr.ReuseRecord = false
	head, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("the file is empty: want a header line of field codes")
	}
	if err != nil {
		return nil, err
	}
	head[0] = strings.TrimPrefix(head[0], "\uFEFF") // a byte-order mark, as spreadsheets write
	seen := map[string]bool{}
	for i, h := range head {
		if h == "" {
			return nil, fmt.Errorf("line 1: column %d of the header has no name", i+1)
		}
		if seen[h] {
			return nil, fmt.Errorf("line 1: column %q appears twice in the header", h)
		}
		seen[h] = true
	}
	return &csvSource{r: cr, lim: lim, cols: head, lineNo: 1}, nil
}

func (s *csvSource) next() ([]string, []any, error) {
	s.lim.reset()
	rec, err := s.r.Read()
	if err != nil {
		return nil, nil, err
	}
	s.lineNo, _ = s.r.FieldPos(0)
	vals := make([]any, len(rec))
	for i, v := range rec {
		if v != "" {
			vals[i] = v
		}
	}
	return s.cols, vals, nil
}

func (s *csvSource) line() int { return s.lineNo }

// jsonlSource reads JSON lines: one object per line, its keys the column
// names in the order written. Blank lines are skipped.
type jsonlSource struct {
	r      *bufio.Reader
	lim    *recordLimit
	lineNo int
	// cols is the last record's column list, reused when the next
	// record has the same keys, so that batches can tell them equal.
	cols []string
}

func newJSONLSource(r io.Reader) *jsonlSource {
	return newJSONLSourceLimit(r, maxRecordBytes)
}

// newJSONLSourceLimit is newJSONLSource with lines bounded at limit bytes.
func newJSONLSourceLimit(r io.Reader, limit int64) *jsonlSource {
	lim := newRecordLimit(r, limit)
	return &jsonlSource{r: bufio.NewReaderSize(lim, 1<<16), lim: lim}
}

func (s *jsonlSource) next() ([]string, []any, error) {
	for {
		s.lim.reset()
		text, err := s.r.ReadBytes('\n')
		if len(text) == 0 && err != nil {
			return nil, nil, err
		}
		if err != nil && err != io.EOF {
			return nil, nil, err
		}
		s.lineNo++
		text = bytes.TrimSpace(text)
		if len(text) == 0 {
			continue
		}
		cols, vals, perr := parseObject(text)
		if perr != nil {
			return nil, nil, fmt.Errorf("line %d: %w", s.lineNo, perr)
		}
		if equalStrings(cols, s.cols) {
			cols = s.cols
		}
		s.cols = cols
		return cols, vals, nil
	}
}

func (s *jsonlSource) line() int { return s.lineNo }

// parseObject decodes one JSON object, keeping its keys in order.
func parseObject(text []byte) ([]string, []any, error) {
	dec := json.NewDecoder(bytes.NewReader(text))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, nil, fmt.Errorf("not JSON: %w", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, nil, errors.New("want a JSON object per line")
	}
	var (
		cols []string
		vals []any
		seen = map[string]bool{}
	)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, fmt.Errorf("not JSON: %w", err)
		}
		key := tok.(string) // object keys are always strings
		if seen[key] {
			return nil, nil, fmt.Errorf("key %q appears twice", key)
		}
		seen[key] = true
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, fmt.Errorf("not JSON: %w", err)
		}
		cols = append(cols, key)
		if string(raw) == "null" {
			vals = append(vals, nil)
		} else {
			vals = append(vals, raw)
		}
	}
	if _, err := dec.Token(); err != nil {
		return nil, nil, fmt.Errorf("not JSON: %w", err)
	}
	if dec.More() {
		return nil, nil, errors.New("want one JSON object per line")
	}
	return cols, vals, nil
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// countRecords counts the records of an import file, for the progress
// bar's total; -1 when the file cannot be read to the end.
func countRecords(r io.Reader, format string) int64 {
	var n int64
	switch format {
	case formatCSV:
		lim := newRecordLimit(r, maxRecordBytes)
		cr := csv.NewReader(lim)
		cr.ReuseRecord = true
		cr.FieldsPerRecord = -1
		for {
			lim.reset()
			_, err := cr.Read()
			if err == io.EOF {
				return max(n-1, 0) // less the header
			}
			if err != nil {
				return -1
			}
			n++
		}
	default:
		br := bufio.NewReaderSize(r, 1<<16)
		content := false // the current line has more than blanks
		for {
			chunk, err := br.ReadSlice('\n')
			content = content || len(bytes.TrimSpace(chunk)) > 0
			if err == bufio.ErrBufferFull {
				continue
			}
			if content && (err == nil || err == io.EOF) {
				n++
			}
			content = false
			if err == io.EOF {
				return n
			}
			if err != nil {
				return -1
			}
		}
	}
}
