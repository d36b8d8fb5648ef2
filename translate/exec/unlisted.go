package exec

import (
	"errors"
	"fmt"
	"io"

	"github.com/kintone-sql/kintone/translate/plan"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// unlisted returns the records whose option field holds no option: those
// of n.Input when Kintone's counts show it read them all, else those of
// n.Else whose value is NULL or no option. The reads and the counts run
// when the first row is asked for.
func unlisted(n *plan.Unlisted, in Inputs, o Options) Iter {
	var out Iter
	return func() (Row, error) {
		if out == nil {
			it, err := chooseUnlisted(n, in, o)
			if err != nil {
				it = failed(err)
			}
			out = it
		}
		return out()
	}
}

// chooseUnlisted reads n.Input whole, asks for the two counts and
// returns what n's rows are read from.
func chooseUnlisted(n *plan.Unlisted, in Inputs, o Options) (Iter, error) {
	if in.Count == nil || n.Whole.Read == nil || n.Listed.Read == nil {
		return nil, errors.New("kintone: internal error: the records of no option checked without counts")
	}
	var rows []Row
	src := build(n.Input, in, o)
	for {
		r, err := src()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if o.MaxBuffered > 0 && len(rows) >= o.MaxBuffered {
			return nil, fmt.Errorf("%w: more than %d records whose %s is no option (maxBufferedRows sets the cap)", sqlerr.ErrTooManyRows, o.MaxBuffered, n.Field)
		}
		rows = append(rows, r)
	}
	whole, err := in.Count(n.Whole.Read)
	if err != nil {
		return nil, err
	}
	listed, err := in.Count(n.Listed.Read)
	if err != nil {
		return nil, err
	}
	if whole == listed+int64(len(rows)) {
		i := 0
		return func() (Row, error) {
			if i >= len(rows) {
				return nil, io.EOF
			}
			i++
			return rows[i-1], nil
		}, nil
	}
	// Input left records out (the empty ones, or records changed between
	// the requests): read every record and keep those of no option.
	options := make(map[string]bool, len(n.Options))
	for _, v := range n.Options {
		options[v] = true
	}
	all := build(n.Else, in, o)
	return func() (Row, error) {
		for {
			r, err := all()
			if err != nil {
				return nil, err
			}
			s, isText := r[n.Col].(string)
			if r[n.Col] == nil || !isText || !options[s] {
				return r, nil
			}
		}
	}, nil
}
