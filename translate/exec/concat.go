package exec

import (
	"io"

	"github.com/kintone-sql/kintone/translate/plan"
)

// concatenate returns the rows of n's inputs in turn. The first input is
// built at once, so that its reads start with the plan as a single
// read's do; each other one only when the input before it has ended, so
// that rows no one asks for open no read.
func concatenate(n *plan.Concat, in Inputs, o Options) Iter {
	eof := func() (Row, error) { return nil, io.EOF }
	if len(n.Inputs) == 0 {
		return eof
	}
	next := 1
	cur := build(n.Inputs[0], in, o)
	return func() (Row, error) {
		for {
			r, err := cur()
			if err != io.EOF {
				return r, err
			}
			if next >= len(n.Inputs) {
				cur = eof
				return nil, io.EOF
			}
			cur = build(n.Inputs[next], in, o)
			next++
		}
	}
}

// merge interleaves inputs that each arrive in the order of n's keys. It
// holds one row of each input and reads an input's next row only when the
// row it held has been returned and another is asked for.
func merge(n *plan.Merge, in Inputs, o Options) Iter {
	its := make([]Iter, len(n.Inputs))
	for i, c := range n.Inputs {
		its[i] = build(c, in, o)
	}
	heads := make([]Row, len(its)) // the row held of each input, nil when none
	done := make([]bool, len(its))
	keys := func(r Row) []any {
		k := make([]any, len(n.Cols))
		for i, c := range n.Cols {
			k[i] = r[c]
		}
		return k
	}
	return func() (Row, error) {
		best := -1
		var bestKeys []any
		for i, it := range its {
			if heads[i] == nil && !done[i] {
				r, err := it()
				switch {
				case err == io.EOF:
					done[i] = true
					continue
				case err != nil:
					return nil, err
				}
				heads[i] = r
			}
			if heads[i] == nil {
				continue
			}
			k := keys(heads[i])
			if best >= 0 {
				c, err := compareKeys(k, bestKeys, n.Keys, o)
				if err != nil {
					return nil, err
				}
				if c >= 0 {
					continue
				}
			}
			best, bestKeys = i, k
		}
		if best < 0 {
			return nil, io.EOF
		}
		r := heads[best]
		heads[best] = nil
		return r, nil
	}
}
