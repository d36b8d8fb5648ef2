package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kintone-sql/kintone"
)

// outOpts say how results are printed.
type outOpts struct {
	format   string
	header   bool
	maxWidth int
}

// runScript runs statements in order on s and prints their results on
// stdout. The first failure stops it; its exit status says whether
// anything was written (see failureCode).
func (a *app) runScript(ctx context.Context, s *session, stmts []statement, out outOpts) error {
	wrote := false
	for i, st := range stmts {
		if i > 0 && out.format == formatTable {
			// A blank line between one statement's output and the
			// next one's.
			fmt.Fprintln(a.stdout)
		}
		res, err := a.execute(ctx, s.db, st.text, a.stdout, out)
		if err != nil {
			code := failureCode(ctx, err, wrote)
			if len(stmts) > 1 {
				err = &statementError{index: i + 1, total: len(stmts), line: st.line, err: err}
			}
			if wrote {
				err = fmt.Errorf("%w (the statements before it were committed)", err)
			}
			return withCode(code, err)
		}
		// A write that affected no row wrote nothing; one whose count
		// is not known (-1) may have.
		wrote = wrote || (!res.query && res.rows != 0)
	}
	return nil
}

// failureCode is the exit status of a run that failed with err, wrote
// saying whether earlier statements of the run wrote: exitUnknown when a
// write's outcome is not known, exitInterrupted, exitPartial when rows
// were committed (by earlier statements or earlier batches of this one),
// else the status of err itself (exitFailed: nothing was written).
func failureCode(ctx context.Context, err error, wrote bool) int {
	var pe *kintone.PartialWriteError
	partial := errors.As(err, &pe)
	switch {
	case partial && pe.Unknown:
		return exitUnknown
	case ctx.Err() != nil || errors.Is(err, context.Canceled):
		return exitInterrupted
	case wrote || partial && pe.Committed > 0:
		return exitPartial
	}
	return exitCode(err)
}

// outcome is what one statement did.
type outcome struct {
	query bool  // it returned rows
	rows  int64 // rows returned, or rows affected
}

// execute runs one statement and writes its rows to w in the chosen
// format. The rows a write affected, and the time taken, go to stderr in
// every format: a write has no other result to show, and stdout may be
// data that a count would spoil. A query's row count and time go there
// in table format only (in the others, the data says how many rows).
func (a *app) execute(ctx context.Context, db *sql.DB, query string, w io.Writer, out outOpts) (outcome, error) {
	start := a.now()
	if !returnsRows(query) {
		res, err := db.ExecContext(ctx, query)
		if err != nil {
			return outcome{}, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			n = -1
		}
		if !a.quiet {
			what := "done"
			if n >= 0 {
				what = plural(n, "row") + " affected"
			}
			fmt.Fprintf(a.stderr, "(%s, %s)\n", what, elapsed(a.now().Sub(start)))
		}
		return outcome{rows: n}, nil
	}
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return outcome{query: true}, err
	}
	defer rows.Close()
	rw := withPlans(newResultWriter(out.format, w, writerOptions{maxWidth: out.maxWidth, header: out.header}), w, query, out.format)
	n, err := writeRows(rows, rw, nil)
	if err != nil {
		return outcome{query: true, rows: n}, err
	}
	if out.format == formatTable && !a.quiet {
		fmt.Fprintf(a.stderr, "(%s, %s)\n", plural(n, "row"), elapsed(a.now().Sub(start)))
	}
	return outcome{query: true, rows: n}, nil
}

// writeRows writes every row of rows with rw and returns how many it
// wrote; each row is counted on p, when p is not nil.
func writeRows(rows *sql.Rows, rw resultWriter, p *progress) (int64, error) {
	cols, err := resultColumns(rows)
	if err != nil {
		return 0, err
	}
	if err := rw.begin(cols); err != nil {
		return 0, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		if err := rw.row(vals); err != nil {
			return n, err
		}
		n++
		if p != nil {
			p.add(1)
		}
	}
	if err := rows.Err(); err != nil {
		rw.end()
		return n, err
	}
	return n, rw.end()
}

// resultColumns returns the columns of rows with their Kintone types.
func resultColumns(rows *sql.Rows) ([]column, error) {
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	cols := make([]column, len(types))
	for i, t := range types {
		cols[i] = column{name: t.Name(), dbType: strings.ToUpper(t.DatabaseTypeName())}
	}
	return cols, nil
}

// returnsRows reports whether a statement is one that returns rows
// (SELECT, SHOW, DESCRIBE, EXPLAIN, ...) rather than one to execute.
func returnsRows(query string) bool {
	word := strings.ToLower(firstWord(query))
	switch word {
	case "select", "show", "describe", "desc", "explain", "with", "values", "table":
		return true
	}
	return false
}

// firstWord returns the first word of a statement, past blanks, comments
// and opening parentheses.
func firstWord(s string) string {
	for {
		s = strings.TrimLeft(s, " \t\r\n\f\v(")
		switch {
		case strings.HasPrefix(s, "/*"):
			end := strings.Index(s, "*/")
			if end < 0 {
				return ""
			}
			s = s[end+2:]
		case strings.HasPrefix(s, "#"), strings.HasPrefix(s, "-- "), strings.HasPrefix(s, "--\t"), strings.HasPrefix(s, "--\n"):
			end := strings.IndexByte(s, '\n')
			if end < 0 {
				return ""
			}
			s = s[end+1:]
		default:
			end := strings.IndexFunc(s, func(r rune) bool {
				return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
			})
			if end < 0 {
				return s
			}
			return s[:end]
		}
	}
}

// elapsed prints a duration for people: milliseconds under a second,
// seconds with two decimals above.
func elapsed(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.2f s", d.Seconds())
}
