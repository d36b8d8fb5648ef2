package main

import (
	"bufio"
	"io"
	"strings"
)

// tableWriter writes an aligned table, in the style of psql:
//
//	 id | company
//	----+---------
//	  1 | Acme
//
// or, with markdown set, a GitHub-flavoured Markdown table. Numbers are
// aligned right. It holds the rows until end, to measure the columns.
type tableWriter struct {
	w        io.Writer
	markdown bool
	maxWidth int // cut cells to this many columns; 0: no limit

	cols    []column
	cells   [][]string
	numeric []bool // by column: every value so far is a number
	seen    []bool // by column: a non-NULL value was seen
}

func (t *tableWriter) begin(cols []column) error {
	t.cols = cols
	t.numeric = make([]bool, len(cols))
	t.seen = make([]bool, len(cols))
	for i, c := range cols {
		t.numeric[i] = numericTypes[c.dbType] || c.dbType == ""
	}
	return nil
}

func (t *tableWriter) row(vals []any) error {
	r := make([]string, len(vals))
	for i, v := range vals {
		var s string
		if t.markdown {
			s = markdownCell(v, t.cols[i])
		} else {
			s = truncateWidth(validUTF8(displayValue(v, t.cols[i])), t.maxWidth)
		}
		r[i] = s
		if v == nil {
			continue
		}
		t.seen[i] = true
		if t.cols[i].dbType == "" {
			switch v.(type) {
			case int64, float64:
			default:
				t.numeric[i] = false
			}
		}
	}
	t.cells = append(t.cells, r)
	return nil
}

// markdownCell is a value as a Markdown table cell: pipes escaped, line
// breaks as <br>.
func markdownCell(v any, c column) string {
	if v == nil {
		return "NULL"
	}
	var s string
	if b, ok := v.([]byte); ok && isJSONColumn(c, b) {
		s, _ = readableJSON(b)
	} else {
		s, _ = textValue(v, c)
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\\", "\\\\")
	s = strings.ReplaceAll(s, "|", "\\|")
	s = strings.ReplaceAll(s, "\n", "<br>")
	return validUTF8(visible(s))
}

func (t *tableWriter) end() error {
	if len(t.cols) == 0 {
		return nil
	}
	right := make([]bool, len(t.cols))
	widths := make([]int, len(t.cols))
	heads := make([]string, len(t.cols))
	for i, c := range t.cols {
		right[i] = t.numeric[i] && (t.seen[i] || numericTypes[c.dbType])
		heads[i] = validUTF8(visible(c.name))
		if t.markdown {
			heads[i] = strings.ReplaceAll(heads[i], "|", "\\|")
		}
		widths[i] = displayWidth(heads[i])
		if t.markdown && widths[i] < 3 {
			widths[i] = 3 // room for the --- of the separator line
		}
	}
	for _, r := range t.cells {
		for i, s := range r {
			widths[i] = max(widths[i], displayWidth(s))
		}
	}
	bw := bufio.NewWriter(t.w)
	if t.markdown {
		t.markdownTable(bw, heads, widths, right)
	} else {
		t.plainTable(bw, heads, widths, right)
	}
	t.cells = nil
	return bw.Flush()
}

func (t *tableWriter) plainTable(bw *bufio.Writer, heads []string, widths []int, right []bool) {
	line := func(cells []string, alignRight bool) {
		var b strings.Builder
		for i, s := range cells {
			if i > 0 {
				b.WriteString(" | ")
			} else {
				b.WriteByte(' ')
			}
			if alignRight && right[i] {
				b.WriteString(padLeft(s, widths[i]))
			} else if i < len(cells)-1 {
				b.WriteString(padRight(s, widths[i]))
			} else {
				b.WriteString(s)
			}
		}
		bw.WriteString(b.String())
		bw.WriteByte('\n')
	}
	line(heads, false)
	for i, w := range widths {
		if i > 0 {
			bw.WriteByte('+')
		}
		bw.WriteString(strings.Repeat("-", w+2))
	}
	bw.WriteByte('\n')
	for _, r := range t.cells {
		line(r, true)
	}
}

func (t *tableWriter) markdownTable(bw *bufio.Writer, heads []string, widths []int, right []bool) {
	line := func(cells []string, alignRight bool) {
		bw.WriteByte('|')
		for i, s := range cells {
			bw.WriteByte(' ')
			if alignRight && right[i] {
				bw.WriteString(padLeft(s, widths[i]))
			} else {
				bw.WriteString(padRight(s, widths[i]))
			}
			bw.WriteString(" |")
		}
		bw.WriteByte('\n')
	}
	line(heads, false)
	bw.WriteByte('|')
	for i, w := range widths {
		if right[i] {
			bw.WriteString(" " + strings.Repeat("-", w-1) + ": |")
		} else {
			bw.WriteString(" " + strings.Repeat("-", w) + " |")
		}
	}
	bw.WriteByte('\n')
	for _, r := range t.cells {
		line(r, true)
	}
}
