package main

import (
	"fmt"
	"io"
	"strings"
)

// planWriter shows EXPLAIN's rows in table format without their plan
// column, whose tree of many lines a table cell would flatten, and
// prints each row's tree under the table instead.
type planWriter struct {
	resultWriter
	w     io.Writer
	col   int // the plan column's index, -1 when the result has none
	plans []string
}

// withPlans wraps rw for the result of query: EXPLAIN in table format
// gets its trees printed under the table; anything else is rw itself.
func withPlans(rw resultWriter, w io.Writer, query, format string) resultWriter {
	first := strings.ToUpper(strings.TrimSpace(query))
	if format != formatTable || !strings.HasPrefix(first, "EXPLAIN") {
		return rw
	}
	return &planWriter{resultWriter: rw, w: w, col: -1}
}

func (p *planWriter) begin(cols []column) error {
	for i, c := range cols {
		if c.name == "plan" {
			p.col = i
		}
	}
	if p.col < 0 {
		return p.resultWriter.begin(cols)
	}
	return p.resultWriter.begin(append(cols[:p.col:p.col], cols[p.col+1:]...))
}

func (p *planWriter) row(vals []any) error {
	if p.col < 0 {
		return p.resultWriter.row(vals)
	}
	if s := text(vals[p.col]); s != "" {
		p.plans = append(p.plans, s)
	}
	return p.resultWriter.row(append(vals[:p.col:p.col], vals[p.col+1:]...))
}

func (p *planWriter) end() error {
	if err := p.resultWriter.end(); err != nil {
		return err
	}
	for _, s := range p.plans {
		if _, err := fmt.Fprintf(p.w, "\nplan:\n  %s\n", strings.ReplaceAll(s, "\n", "\n  ")); err != nil {
			return err
		}
	}
	return nil
}

// text is a scanned value as text ("" for NULL).
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case []byte:
		return string(x)
	case string:
		return x
	}
	return fmt.Sprint(v)
}
