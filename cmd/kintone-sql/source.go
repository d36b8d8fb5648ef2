package main

import (
	"bufio"
	"bytes"
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
	// or for JSON lines a json.RawMessage. It returns io.EOF at the end,
	// and an *inputError for a record that cannot be read.
	next() (cols []string, vals []any, err error)
	// lines are the lines of the input on which the last record started
	// and ended (they differ for a CSV record with a multi-line field).
	lines() (start, end int)
}

// checkHeader checks the column names of a CSV or TSV header on line:
// none empty, none twice, and none holding a line break, which no field
// code has: a file whose lines end with CR alone (as old Mac programs
// write) would otherwise read as a header and no record, and import
// nothing without a word.
func checkHeader(head []string, line int) error {
	seen := map[string]bool{}
	for i, h := range head {
		switch {
		case h == "":
			return &inputError{line: line, err: fmt.Errorf("column %d of the header has no name", i+1)}
		case strings.ContainsAny(h, "\r\n"):
			return &inputError{line: line, err: fmt.Errorf("column %d of the header, %q, holds a line break, which no field code has: "+
				"if the file's lines end with CR alone, save it with LF or CRLF line ends", i+1, h)}
		case seen[h]:
			return &inputError{line: line, err: fmt.Errorf("column %q appears twice in the header", h)}
		}
		seen[h] = true
	}
	return nil
}

// tooLargeAt names the line on which a record too large to read starts;
// other errors pass unchanged.
func tooLargeAt(err error, line int) error {
	var tl *recordTooLargeError
	if errors.As(err, &tl) {
		return &inputError{line: line, err: err}
	}
	return err
}

// inputError is a record of an import file that cannot be read: the line
// it is on, the column (header or key) when the problem is one field's,
// and why.
type inputError struct {
	line   int
	column string
	err    error
	// start is the line on which the record starts, when it is not line
	// (a syntax error inside a multi-line CSV record); 0 otherwise.
	start int
}

func (e *inputError) Error() string {
	if e.column != "" {
		return fmt.Sprintf("line %d, column %q: %v", e.line, e.column, e.err)
	}
	return fmt.Sprintf("line %d: %v", e.line, e.err)
}

func (e *inputError) Unwrap() error { return e.err }

// csvSource reads CSV with a header line of column names. An empty field
// is NULL: Kintone keeps no empty text apart from an empty value, which
// the driver reads as NULL, so "" and NULL need no telling apart.
type csvSource struct {
	r          *csvReader
	lim        *recordLimit
	cols       []string
	head       int // the header's line
	start, end int
}

func newCSVSource(r io.Reader) (*csvSource, error) {
	return newCSVSourceLimit(r, maxRecordBytes)
}

// newCSVSourceLimit is newCSVSource with records bounded at limit bytes.
func newCSVSourceLimit(r io.Reader, limit int64) (*csvSource, error) {
	lim := newRecordLimit(r, limit)
	cr := newCSVReader(lim)
	head, line, _, err := cr.read()
	if err == io.EOF {
		return nil, errors.New("the file is empty: want a header line of field codes")
	}
	var se *csvSyntaxError
	if errors.As(err, &se) {
		return nil, &inputError{line: se.line, err: fmt.Errorf("the header: %w", se)}
	}
	if err != nil {
		return nil, err
	}
	if err := checkHeader(head, line); err != nil {
		return nil, err
	}
	return &csvSource{r: cr, lim: lim, cols: head, head: line, start: line, end: line}, nil
}

func (s *csvSource) next() ([]string, []any, error) {
	s.lim.reset()
	rec, start, end, err := s.r.read()
	if err != nil {
		var se *csvSyntaxError
		if errors.As(err, &se) {
			ie := &inputError{line: se.line, start: se.start, err: se}
			if se.field <= len(s.cols) {
				ie.column = s.cols[se.field-1]
			}
			return nil, nil, ie
		}
		return nil, nil, tooLargeAt(err, s.end+1)
	}
	s.start, s.end = start, end
	if len(rec) != len(s.cols) {
		return nil, nil, &inputError{line: start, err: fmt.Errorf("%s, where the header has %d", plural(int64(len(rec)), "field"), len(s.cols))}
	}
	vals := make([]any, len(rec))
	for i, v := range rec {
		if v != "" {
			vals[i] = v
		}
	}
	return s.cols, vals, nil
}

func (s *csvSource) lines() (int, int) { return s.start, s.end }

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
			return nil, nil, tooLargeAt(err, s.lineNo+1)
		}
		s.lineNo++
		text = bytes.TrimSpace(text)
		if len(text) == 0 {
			continue
		}
		cols, vals, perr := parseObject(text)
		if perr != nil {
			return nil, nil, &inputError{line: s.lineNo, err: perr}
		}
		if equalStrings(cols, s.cols) {
			cols = s.cols
		}
		s.cols = cols
		return cols, vals, nil
	}
}

func (s *jsonlSource) lines() (int, int) { return s.lineNo, s.lineNo }

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

// countRecords counts the records of an import file that start on line
// fromLine or after, for the progress bar's total; -1 when the file cannot
// be read to the end.
func countRecords(r io.Reader, format string, fromLine int) int64 {
	var n int64
	switch format {
	case formatCSV:
		lim := newRecordLimit(r, maxRecordBytes)
		cr := newCSVReader(lim)
		if _, _, _, err := cr.read(); err != nil { // the header
			return -1
		}
		for {
			lim.reset()
			_, start, _, err := cr.read()
			if err == io.EOF {
				return n
			}
			if err != nil {
				return -1
			}
			if start >= fromLine {
				n++
			}
		}
	}
	// TSV and JSON lines: a record a line (in JSON lines, one that is not
	// blank), after the header line of TSV.
	first := max(fromLine, 1)
	if format == formatTSV {
		first = max(fromLine, 2)
	}
	br := bufio.NewReaderSize(r, 1<<16)
	line := 1
	content := false // the current line has more than blanks
	for {
		chunk, err := br.ReadSlice('\n')
		if format == formatTSV {
			content = content || len(chunk) > 0
		} else {
			content = content || len(bytes.TrimSpace(chunk)) > 0
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if content && line >= first && (err == nil || err == io.EOF) {
			n++
		}
		content = false
		line++
		if err == io.EOF {
			return n
		}
		if err != nil {
			return -1
		}
	}
}
