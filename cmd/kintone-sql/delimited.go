package main

import (
	"bufio"
	"encoding/csv"
	"io"
	"strings"
)

// csvWriter writes RFC 4180 CSV: a header line of column names, then one
// line per row; NULL is an empty field, multi-valued fields are their JSON
// text. Rows are flushed as they come, so an export streams.
type csvWriter struct {
	w      *csv.Writer
	header bool
	cols   []column
	rec    []string
}

func newCSVWriter(w io.Writer, header bool) *csvWriter {
	return &csvWriter{w: csv.NewWriter(w), header: header}
}

func (c *csvWriter) begin(cols []column) error {
	c.cols = cols
	c.rec = make([]string, len(cols))
	if !c.header {
		return nil
	}
	for i, col := range cols {
		c.rec[i] = col.name
	}
	return c.w.Write(c.rec)
}

func (c *csvWriter) row(vals []any) error {
	for i, v := range vals {
		c.rec[i], _ = textValue(v, c.cols[i])
	}
	return c.w.Write(c.rec)
}

func (c *csvWriter) end() error {
	c.w.Flush()
	return c.w.Error()
}

// tsvWriter writes tab-separated values as MySQL's batch mode and
// PostgreSQL's text format do: a header line, then one line per row, with
// backslash, tab, line feed and carriage return escaped as \\, \t, \n and
// \r. NULL is an empty field.
type tsvWriter struct {
	w      io.Writer
	bw     *bufio.Writer
	header bool
	cols   []column
}

// tsvEscaper escapes TSV fields.
var tsvEscaper = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`)

func (t *tsvWriter) begin(cols []column) error {
	t.cols = cols
	t.bw = bufio.NewWriter(t.w)
	if !t.header {
		return nil
	}
	for i, c := range cols {
		if i > 0 {
			t.bw.WriteByte('\t')
		}
		t.bw.WriteString(tsvEscaper.Replace(c.name))
	}
	return t.bw.WriteByte('\n')
}

func (t *tsvWriter) row(vals []any) error {
	for i, v := range vals {
		if i > 0 {
			t.bw.WriteByte('\t')
		}
		s, _ := textValue(v, t.cols[i])
		t.bw.WriteString(tsvEscaper.Replace(s))
	}
	return t.bw.WriteByte('\n')
}

func (t *tsvWriter) end() error { return t.bw.Flush() }

// jsonlWriter writes one JSON object per row, with the columns in result
// order as its keys: NULL is null, multi-valued fields are JSON, NUMBER
// values are JSON numbers.
type jsonlWriter struct {
	w    io.Writer
	bw   *bufio.Writer
	cols []column
	keys [][]byte
}

func (j *jsonlWriter) begin(cols []column) error {
	j.cols = cols
	j.bw = bufio.NewWriter(j.w)
	j.keys = make([][]byte, len(cols))
	for i, c := range cols {
		j.keys[i] = jsonString(c.name)
	}
	return nil
}

func (j *jsonlWriter) row(vals []any) error {
	j.bw.WriteByte('{')
	for i, v := range vals {
		if i > 0 {
			j.bw.WriteByte(',')
		}
		j.bw.Write(j.keys[i])
		j.bw.WriteByte(':')
		j.bw.Write(jsonValue(v, j.cols[i]))
	}
	_, err := j.bw.WriteString("}\n")
	return err
}

func (j *jsonlWriter) end() error { return j.bw.Flush() }
