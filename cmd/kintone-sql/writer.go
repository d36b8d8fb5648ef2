package main

import (
	"fmt"
	"io"
	"strings"
)

// Output formats.
const (
	formatTable    = "table"
	formatCSV      = "csv"
	formatTSV      = "tsv"
	formatJSONL    = "jsonl"
	formatMarkdown = "markdown"
)

// formats lists the output formats in the order the help text gives them.
var formats = []string{formatTable, formatCSV, formatTSV, formatJSONL, formatMarkdown}

// checkFormat returns the canonical name of format, accepting "md" for
// markdown and "json" or "ndjson" for JSON lines.
func checkFormat(format string, allowed []string) (string, error) {
	f := strings.ToLower(format)
	switch f {
	case "md":
		f = formatMarkdown
	case "json", "ndjson":
		f = formatJSONL
	}
	for _, a := range allowed {
		if f == a {
			return f, nil
		}
	}
	return "", usageErrorf("unknown format %q: want one of %s", format, strings.Join(allowed, ", "))
}

// resultWriter writes one result set. A writer is made per result: begin
// once with the columns, row for each row (the slice is reused between
// calls), end once.
type resultWriter interface {
	begin(cols []column) error
	row(vals []any) error
	end() error
}

// writerOptions tune the formats.
type writerOptions struct {
	// maxWidth cuts table cells to this many columns; 0 means no limit.
	maxWidth int
	// header writes the header line of CSV and TSV.
	header bool
}

// newResultWriter returns the writer of format on w.
func newResultWriter(format string, w io.Writer, opts writerOptions) resultWriter {
	switch format {
	case formatCSV:
		return newCSVWriter(w, opts.header)
	case formatTSV:
		return &tsvWriter{w: w, header: opts.header}
	case formatJSONL:
		return &jsonlWriter{w: w}
	case formatMarkdown:
		return &tableWriter{w: w, markdown: true}
	}
	return &tableWriter{w: w, maxWidth: opts.maxWidth}
}

// plural returns "1 row" or "n rows".
func plural(n int64, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
