package faultsuite

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kintone-sql/kintone"
)

// This file reads the driver's answer to a write: which of the
// statement's rows it says were written, which were not, and which may or
// may not have been.

// span is rows from to to (1-based, inclusive) of a statement.
type span struct {
	from, to int
	out      outcome
}

// outcomes maps the driver's answer for a statement of n rows to the
// outcome of its rows, in spans, as the driver's documentation says:
// success wrote every row; an error without a *kintone.PartialWriteError
// wrote none; a PartialWriteError wrote the rows before FirstRow
// (Committed of them), left FirstRow to LastRow unknown when Unknown is
// set, and wrote none of the others. A PartialWriteError that breaks its
// own rules is returned as an error. skips says that the statement names
// its records by $id, some of which may not exist: then the rows before
// FirstRow are written or were not there, and Committed counts those
// written.
func outcomes(n int, skips bool, err error) ([]span, error) {
	if err == nil {
		return []span{{1, n, written}}, nil
	}
	var pe *kintone.PartialWriteError
	if !errors.As(err, &pe) {
		return []span{{1, n, notWritten}}, nil
	}
	first, last := int(pe.FirstRow), int(pe.LastRow)
	switch {
	case first < 1 || first > n:
		return nil, fmt.Errorf("FirstRow %d is outside the statement's rows 1-%d: %+v", first, n, *pe)
	case !skips && pe.Committed != int64(first-1):
		return nil, fmt.Errorf("Committed %d, but %d rows come before FirstRow %d (no row of this statement is skipped): %+v", pe.Committed, first-1, first, *pe)
	case skips && pe.Committed > int64(first-1):
		return nil, fmt.Errorf("Committed %d, but only %d rows come before FirstRow %d: %+v", pe.Committed, first-1, first, *pe)
	case pe.Unknown && (last < first || last > n):
		return nil, fmt.Errorf("an unknown batch of rows %d-%d, outside the statement's rows 1-%d: %+v", first, last, n, *pe)
	case !pe.Unknown && pe.Committed == 0 && !skips:
		return nil, fmt.Errorf("a PartialWriteError that says nothing was written and nothing is unknown (an error without one says that): %+v", *pe)
	}
	var out []span
	if first > 1 {
		out = append(out, span{1, first - 1, written})
	}
	if pe.Unknown {
		out = append(out, span{first, last, unknown})
		if last < n {
			out = append(out, span{last + 1, n, notWritten})
		}
		return out, nil
	}
	return append(out, span{first, n, notWritten}), nil
}

// describe says briefly what spans report.
func describe(spans []span) string {
	parts := make([]string, len(spans))
	for i, s := range spans {
		parts[i] = fmt.Sprintf("rows %d-%d %s", s.from, s.to, s.out)
	}
	return strings.Join(parts, ", ")
}

// brief shortens an error for a ledger's history.
func brief(err error) string {
	s := err.Error()
	if len(s) > 300 {
		s = s[:300] + "..."
	}
	return s
}
