package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
)

// csvReader reads RFC 4180 CSV exactly as it is in the file, which
// encoding/csv does not: its Reader turns every CRLF inside a quoted field
// into LF, so that a multi-line text exported from Kintone on Windows
// would come back changed. csvReader keeps the bytes of a quoted field as
// they are (CRLF, CR and LF alike), strips only the line break that ends a
// record (LF or CRLF), skips empty lines as encoding/csv does, and says on
// which lines of the file each record starts and ends.
type csvReader struct {
	r *bufio.Reader
	// lineNo is the number of lines read so far.
	lineNo int
	// line is the current line, with its line break; buf holds it when
	// it did not fit in r's buffer.
	line []byte
	buf  []byte
	// rec collects the text of the record's fields, ends where each
	// field's text ends in it: the record becomes one string, which its
	// fields share, as encoding/csv does.
	rec  []byte
	ends []int
}

// csvSyntaxError is CSV that does not parse: the line of the file and
// the 1-based number of the field in its record.
type csvSyntaxError struct {
	line, field int
	// start is the line on which the record starts: nothing of it was
	// read, so an import goes on from there.
	start int
	msg   string
}

func (e *csvSyntaxError) Error() string { return e.msg }

// utf8BOM is the byte-order mark spreadsheets write at the start of a
// UTF-8 file.
var utf8BOM = []byte("\uFEFF")

func newCSVReader(r io.Reader) *csvReader {
	br := bufio.NewReaderSize(r, 1<<16)
	if b, err := br.Peek(len(utf8BOM)); err == nil && bytes.Equal(b, utf8BOM) {
		br.Discard(len(utf8BOM))
	}
	return &csvReader{r: br}
}

// readLine reads the next line with its line break (none at the end of
// the input); it returns io.EOF when there is nothing left.
func (c *csvReader) readLine() error {
	line, err := c.r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		c.buf = append(c.buf[:0], line...)
		for err == bufio.ErrBufferFull {
			line, err = c.r.ReadSlice('\n')
			c.buf = append(c.buf, line...)
		}
		line = c.buf
	}
	if err != nil && err != io.EOF {
		return err
	}
	if len(line) == 0 {
		return io.EOF
	}
	c.lineNo++
	c.line = line
	return nil
}

// endOfRecord reports whether b, the rest of a line, is only the line
// break that ends a record: LF, CRLF, nothing (the end of the input), or
// CR at the end of the input.
func endOfRecord(b []byte) bool {
	switch string(b) {
	case "", "\n", "\r\n", "\r":
		return true
	}
	return false
}

// read returns the fields of the next record and the lines on which it
// starts and ends; io.EOF at the end of the input. A line break inside a
// quoted field is part of the field, byte for byte.
func (c *csvReader) read() (fields []string, start, end int, err error) {
	for {
		if err := c.readLine(); err != nil {
			return nil, 0, 0, err
		}
		if !endOfRecord(c.line) {
			break // not an empty line
		}
	}
	start = c.lineNo
	c.rec, c.ends = c.rec[:0], c.ends[:0]
	line := c.line
	pos := 0
	for {
		n := len(c.ends) + 1 // the field's number
		if pos < len(line) && line[pos] == '"' {
			// A quoted field: up to the quote not doubled, across
			// lines if need be.
			quoteLine := c.lineNo
			pos++
			for {
				i := bytes.IndexByte(line[pos:], '"')
				if i < 0 {
					c.rec = append(c.rec, line[pos:]...)
					if err := c.readLine(); err == io.EOF {
						return nil, 0, 0, &csvSyntaxError{line: quoteLine, field: n, start: start,
							msg: fmt.Sprintf("the quoted field that starts on line %d has no closing quote", quoteLine)}
					} else if err != nil {
						return nil, 0, 0, err
					}
					line, pos = c.line, 0
					continue
				}
				c.rec = append(c.rec, line[pos:pos+i]...)
				pos += i + 1
				if pos < len(line) && line[pos] == '"' {
					c.rec = append(c.rec, '"')
					pos++
					continue
				}
				break
			}
			c.ends = append(c.ends, len(c.rec))
			switch {
			case pos < len(line) && line[pos] == ',':
				pos++
				continue
			case endOfRecord(line[pos:]):
				return c.fields(), start, c.lineNo, nil
			}
			return nil, 0, 0, &csvSyntaxError{line: c.lineNo, field: n, start: start,
				msg: `a quoted field must end with a quote followed by a comma or the end of the line (write a quote inside it as "")`}
		}
		// An unquoted field: up to the next comma or the end of the line.
		rest := line[pos:]
		i := bytes.IndexByte(rest, ',')
		last := i < 0
		if last {
			i = len(rest)
			switch {
			case bytes.HasSuffix(rest, []byte("\r\n")):
				i -= 2
			case bytes.HasSuffix(rest, []byte("\n")), bytes.HasSuffix(rest, []byte("\r")):
				i--
			}
		}
		text := rest[:i]
		if bytes.IndexByte(text, '"') >= 0 {
			return nil, 0, 0, &csvSyntaxError{line: c.lineNo, field: n, start: start,
				msg: `a quote in a field that does not start with one (quote the whole field, and write the quote as "")`}
		}
		c.rec = append(c.rec, text...)
		c.ends = append(c.ends, len(c.rec))
		if last {
			return c.fields(), start, c.lineNo, nil
		}
		pos += i + 1
	}
}

// fields returns the fields collected in rec and ends.
func (c *csvReader) fields() []string {
	s := string(c.rec)
	fields := make([]string, len(c.ends))
	from := 0
	for i, end := range c.ends {
		fields[i] = s[from:end]
		from = end
	}
	return fields
}
