package exec

import (
	"container/heap"
	"fmt"
	"io"
	"sort"

	"github.com/kintone-sql/kintone/translate/plan"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// sortRows reads every row, sorts it by the key columns and returns the
// leading n.Columns values of each. With n.Keep >= 0 only the first Keep
// rows in sort order are held (a bounded heap); ties keep their arrival
// order.
func sortRows(in Iter, n *plan.Sort, o Options) Iter {
	var sorted [][]any
	var sortErr error
	pos := 0
	return func() (Row, error) {
		if sorted == nil && sortErr == nil {
			sorted, sortErr = sortAll(in, n, o)
			if sorted == nil {
				sorted = [][]any{}
			}
		}
		if sortErr != nil {
			return nil, sortErr
		}
		if pos >= len(sorted) {
			return nil, io.EOF
		}
		pos++
		return sorted[pos-1], nil
	}
}

// sortEntry is a row waiting to be sorted.
type sortEntry struct {
	keys []any
	out  []any
	seq  int
}

// sortAll reads in to the end and returns the rows in order.
func sortAll(in Iter, n *plan.Sort, o Options) ([][]any, error) {
	h := &entryHeap{keys: n.Keys, o: o}
	keep := int(n.Keep)
	for seq := 0; ; seq++ {
		r, err := in()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		keys := make([]any, len(n.Cols))
		for i, c := range n.Cols {
			keys[i] = r[c]
		}
		e := sortEntry{keys: keys, out: r[:n.Columns:n.Columns], seq: seq}
		if keep < 0 {
			if o.MaxBuffered > 0 && len(h.entries) >= o.MaxBuffered {
				return nil, fmt.Errorf("%w: ORDER BY in Go holds more than %d rows", sqlerr.ErrTooManyRows, o.MaxBuffered)
			}
			h.entries = append(h.entries, e)
			continue
		}
		if keep == 0 {
			continue
		}
		if len(h.entries) < keep {
			heap.Push(h, e)
		} else if h.less(e, h.entries[0]) {
			h.entries[0] = e
			heap.Fix(h, 0)
		}
		if h.err != nil {
			return nil, h.err
		}
	}
	sort.SliceStable(h.entries, func(i, j int) bool { return h.less(h.entries[i], h.entries[j]) })
	if h.err != nil {
		return nil, h.err
	}
	out := make([][]any, len(h.entries))
	for i, e := range h.entries {
		out[i] = e.out
	}
	return out, nil
}

// entryHeap is a max-heap of sort entries (the worst kept row on top).
type entryHeap struct {
	keys    []plan.Order
	o       Options
	entries []sortEntry
	err     error
}

// less orders entries by their keys, then by arrival.
func (h *entryHeap) less(a, b sortEntry) bool {
	c, err := compareKeys(a.keys, b.keys, h.keys, h.o)
	if err != nil && h.err == nil {
		h.err = err
	}
	if c != 0 {
		return c < 0
	}
	return a.seq < b.seq
}

func (h *entryHeap) Len() int           { return len(h.entries) }
func (h *entryHeap) Less(i, j int) bool { return h.less(h.entries[j], h.entries[i]) }
func (h *entryHeap) Swap(i, j int)      { h.entries[i], h.entries[j] = h.entries[j], h.entries[i] }
func (h *entryHeap) Push(x any)         { h.entries = append(h.entries, x.(sortEntry)) }
func (h *entryHeap) Pop() any {
	e := h.entries[len(h.entries)-1]
	h.entries = h.entries[:len(h.entries)-1]
	return e
}
