package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/translate"
)

// This file says how an import that ended early left the file's records:
// which lines are in Kintone, which may be, which are not, where in the
// file the problem is, and the exit status that tells a script so.

// lineRange is lines from to to of the import file; the zero value is
// none.
type lineRange struct{ from, to int }

func (r lineRange) String() string {
	if r.from == r.to {
		return fmt.Sprintf("line %d", r.from)
	}
	return fmt.Sprintf("lines %d-%d", r.from, r.to)
}

// importFailure is an import that ended early. Its message names the place
// in the file (never the generated SQL), the cause, what was written, and
// what to run next.
type importFailure struct {
	table, file string
	// at is the line the failure is about (0: none), column its column's
	// header (or key).
	at     int
	column string
	// cause is why, as the message tells it; err the error as it came
	// (from the driver, the file or the flags), kept for errors.Is and
	// errors.As.
	cause, err error
	// pending are the lines of the statement that failed or was being
	// prepared; unknown says that it was sent and may have been applied.
	pending lineRange
	unknown bool
	// written rows, of the lines done, were committed before the failure.
	written int64
	done    lineRange
	// resume is the line to go on from, with --from-line.
	resume int
	// upsertKey is the --upsert-key of the run, "" when none.
	upsertKey   string
	interrupted bool
}

func (f *importFailure) Error() string {
	var b strings.Builder
	place := ""
	switch {
	case f.at > 0:
		place = fmt.Sprintf(" at %s line %d", f.file, f.at)
		if f.column != "" {
			place += fmt.Sprintf(", column %q", f.column)
		}
	case f.pending.from > 0 && !f.unknown:
		place = fmt.Sprintf(" at %s %s", f.file, f.pending)
	}
	switch {
	case f.unknown:
		what := "failed"
		if f.interrupted {
			what = "was interrupted"
		}
		fmt.Fprintf(&b, "import into %s %s%s while the rows of %s %s were being written: %v; they may or may not have been written (no clear answer came back)",
			f.table, what, place, f.file, f.pending, f.cause)
	case f.interrupted:
		fmt.Fprintf(&b, "import into %s interrupted%s: %v", f.table, place, f.cause)
	default:
		fmt.Fprintf(&b, "import into %s failed%s: %v", f.table, place, f.cause)
	}
	b.WriteString("; ")
	if f.written > 0 {
		verb := "were"
		if f.written == 1 {
			verb = "was"
		}
		fmt.Fprintf(&b, "%s (%s) %s written", plural(f.written, "row"), f.done, verb)
	} else {
		b.WriteString("no rows were written")
	}
	if f.unknown {
		fmt.Fprintf(&b, " before them, and nothing after line %d was sent. Once the write can no longer be in progress (Kintone may still finish one that timed out), check which records of %s are in %s before running again: ",
			f.pending.to, f.pending, f.table)
		if f.upsertKey != "" {
			fmt.Fprintf(&b, "running with --from-line %d and the same --upsert-key is safe, as it updates those that are there", f.pending.from)
		} else {
			fmt.Fprintf(&b, "if all are, go on with --from-line %d; if none is (or once those that are are deleted), with --from-line %d", f.pending.to+1, f.pending.from)
		}
		return b.String()
	}
	if f.written > 0 {
		fmt.Fprintf(&b, ", none from line %d on: go on with --from-line %d", f.resume, f.resume)
	}
	return b.String()
}

func (f *importFailure) Unwrap() error { return f.err }

// code is the exit status: the outcome of some rows unknown, an
// interruption, rows written before the failure, nothing written.
func (f *importFailure) code() int {
	var ue *usageError
	switch {
	case f.unknown:
		return exitUnknown
	case f.interrupted:
		return exitInterrupted
	case f.written > 0:
		return exitPartial
	case errors.As(f.cause, &ue):
		return exitUsage
	}
	return exitFailed
}

// newFailure is the failure with what the committed statements wrote.
func (im *importer) newFailure(ctx context.Context, cause error) *importFailure {
	return &importFailure{
		table: im.o.table, file: im.fileName(), cause: cause, err: cause,
		written: im.written, done: lineRange{im.firstLine, im.lastLine},
		upsertKey:   im.o.upsertKey,
		interrupted: ctx.Err() != nil || errors.Is(cause, context.Canceled),
	}
}

// stopped ends an import at a record that could not be read or converted:
// nothing of b, the batch being filled, was sent.
func (im *importer) stopped(ctx context.Context, err error, b *batch) error {
	f := im.newFailure(ctx, err)
	var ie *inputError
	start := 0 // the line on which the record that stopped the import starts
	if errors.As(err, &ie) {
		f.at, f.column, f.cause = ie.line, ie.column, ie.err
		start = ie.line
		if ie.start > 0 {
			start = ie.start
		}
	}
	switch {
	case len(b.starts) > 0:
		f.resume = b.starts[0]
	case start > 0:
		f.resume = start
	default:
		f.resume = im.lastLine + 1
	}
	return withCode(f.code(), f)
}

// failed ends an import at a statement that failed: err is the driver's
// error for batch b.
func (im *importer) failed(ctx context.Context, err error, b *batch) error {
	f := im.newFailure(ctx, err)
	f.pending, f.resume = b.lines(), b.starts[0]
	var pe *kintone.PartialWriteError
	if errors.As(err, &pe) {
		// A statement of the import is one batch of the driver, but
		// read the error whole all the same: the statement's rows
		// before FirstRow were committed.
		f.unknown = pe.Unknown
		if pe.FirstRow > 1 && pe.FirstRow <= int64(len(b.starts)) {
			f.written += pe.Committed
			if f.done.from == 0 {
				f.done.from = b.starts[0]
			}
			f.done.to = b.starts[pe.FirstRow-1] - 1
			f.resume = b.starts[pe.FirstRow-1]
			f.pending.from = f.resume
		}
		if pe.Unknown && pe.LastRow >= pe.FirstRow && pe.LastRow < int64(len(b.starts)) {
			f.pending.to = b.starts[pe.LastRow] - 1 // the line before the next record
		}
		err = pe.Err
	}
	f.at, f.column, f.cause = im.locate(err, b)
	return withCode(f.code(), f)
}

// locate finds where in the file a driver's error about batch b is: the
// line of the record and the header of the column, from the statement's
// row and column or the argument's number; the cause is told without
// the statement's row, argument number or SQL position, which mean
// nothing to someone reading the file.
func (im *importer) locate(err error, b *batch) (line int, column string, cause error) {
	var (
		re *kintone.RowError
		ve *translate.ValueError
		ae *translate.ArgError
	)
	cause = err
	row, ncols := int64(0), len(b.plan.cols)
	switch {
	case errors.As(err, &re):
		row, column = re.Row, re.Column
		if column == "" && strings.Contains(re.Path, "updateKey") {
			column = im.o.upsertKey
		}
		cause = errors.New(kintoneMessages(re))
	case errors.As(err, &ve):
		row, column = ve.Row, ve.Column
		cause = ve.Err
		if errors.As(ve.Err, &ae) {
			cause = errors.New(ae.Msg)
		}
	case errors.As(err, &ae) && ae.Ordinal > 0 && ncols > 0:
		row = int64((ae.Ordinal-1)/ncols) + 1
		column = b.plan.cols[(ae.Ordinal-1)%ncols]
		cause = errors.New(ae.Msg)
	default:
		if pos, ok := errorPosition(err); ok {
			cause = errors.New(withoutPosition(err.Error(), pos))
			for i, r := range b.plan.names {
				if pos.Offset >= r[0] && pos.Offset < r[1] {
					return b.plan.headerLine, b.plan.cols[i], cause
				}
			}
		}
	}
	if row >= 1 && row <= int64(len(b.starts)) {
		line = b.starts[row-1]
	}
	return line, headerOf(column, b.plan.cols), cause
}

// headerOf returns the header of the file's column that names field code
// (column names are matched as the driver matches them, without regard
// to case); the code itself when none does.
func headerOf(code string, cols []string) string {
	for _, c := range cols {
		if c == code {
			return c
		}
	}
	for _, c := range cols {
		if strings.EqualFold(c, code) {
			return c
		}
	}
	return code
}

// kintoneMessages is Kintone's refusal of a row: its messages and code,
// without the statement's row number.
func kintoneMessages(re *kintone.RowError) string {
	var b strings.Builder
	b.WriteString(strings.Join(re.Messages, " "))
	if re.Err == nil {
		return b.String()
	}
	fmt.Fprintf(&b, " (%s", re.Err.Code)
	if n := len(re.Err.Errors) - 1; n > 0 {
		fmt.Fprintf(&b, "; %d more messages in the answer, about this row or others of the statement", n)
	}
	if re.Err.ID != "" {
		fmt.Fprintf(&b, ", id: %s", re.Err.ID)
	}
	b.WriteByte(')')
	return b.String()
}

// withoutPosition removes the SQL position pos from msg, in the forms
// the translator's errors write it.
func withoutPosition(msg string, pos translate.Position) string {
	msg = strings.ReplaceAll(msg, " (at "+pos.String()+")", "")
	msg = strings.ReplaceAll(msg, " at "+pos.String(), "")
	return msg
}
