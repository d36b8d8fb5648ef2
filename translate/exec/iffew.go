package exec

import (
	"errors"
	"io"

	"github.com/kintone-sql/kintone/internal/scan"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/plan"
)

// ifFew returns the rows of n.Few when n.Read returns fewer than n.Limit
// records, else those of n.Many. n.Read is opened at once, so that its
// request starts with the plan as a single read's does; when the first
// row is asked for, its records are read: fewer than n.Limit, and n.Few
// runs over them (its read of n.Read answered from those held); n.Limit,
// and they are dropped and n.Many runs.
func ifFew(n *plan.IfFew, in Inputs, o Options) Iter {
	if n.Read == nil || n.Read.Read == nil || in.Open == nil || n.Limit <= 0 {
		return failed(errors.New("kintone: internal error: a read tried first without a read to open"))
	}
	probe := n.Read.Read
	src := in.Open(probe)
	var out Iter
	return func() (Row, error) {
		if out == nil {
			it, err := chooseFew(n, probe, src, in, o)
			if err != nil {
				it = failed(err)
			}
			out = it
		}
		return out()
	}
}

// chooseFew reads src, n.Read's records, and returns what n's rows are
// read from.
func chooseFew(n *plan.IfFew, probe *scan.Spec, src func() (catalog.Record, error), in Inputs, o Options) (Iter, error) {
	held := []catalog.Record{} // not nil: Few's read has not taken them
	for {
		rec, err := src()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		held = append(held, rec)
		if len(held) >= n.Limit {
			// A full page: there may be more records.
			return build(n.Many, in, o), nil
		}
	}
	few := in
	few.Open = func(read *scan.Spec) func() (catalog.Record, error) {
		if read != probe {
			return in.Open(read)
		}
		if held == nil {
			return func() (catalog.Record, error) {
				return nil, errors.New("kintone: internal error: a read tried first opened twice")
			}
		}
		recs := held
		held = nil
		return func() (catalog.Record, error) {
			if len(recs) == 0 {
				return nil, io.EOF
			}
			r := recs[0]
			recs = recs[1:]
			return r, nil
		}
	}
	return build(n.Few, few, o), nil
}
