package translate

import (
	"container/heap"
	"errors"
	"fmt"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/sqlerr"
	"io"
	"sort"
	"time"
)

// This file is the sorting step of the pipeline: the SQL order of rows
// (NULLs first ascending, last descending) and a bounded heap for ORDER BY
// with LIMIT.

// compareKeys orders two rows by sort keys: NULL before any value, each
// key reversed when descending (so NULLs come last there).
func (p *pipeline) compareKeys(a, b []any, order []orderItem) (int, error) {
	for i := range a {
		c, err := compareNullsFirst(a[i], b[i], p.loc)
		if err != nil {
			return 0, err
		}
		if order[i].desc {
			c = -c
		}
		if c != 0 {
			return c, nil
		}
	}
	return 0, nil
}

// compareNullsFirst orders two values, NULL first.
func compareNullsFirst(a, b any, loc *time.Location) (int, error) {
	switch {
	case a == nil && b == nil:
		return 0, nil
	case a == nil:
		return -1, nil
	case b == nil:
		return 1, nil
	}
	return expr.CompareValues(a, b, loc)
}

// sortEntry is a row waiting to be sorted.
type sortEntry struct {
	keys []any
	out  []any
	seq  int
}

// sortAll reads every row and sorts it. With a LIMIT only the first
// OFFSET + LIMIT rows in sort order are kept (a bounded heap); ties keep
// their arrival order.
func (p *pipeline) sortAll(rows func() (out, keys []any, err error)) ([][]any, error) {
	h := &entryHeap{p: p}
	keep := -1
	if p.goLimit && p.limit >= 0 {
		keep = int(p.offset + p.limit)
	}
	for seq := 0; ; seq++ {
		out, keys, err := rows()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		e := sortEntry{keys: keys, out: out, seq: seq}
		if keep < 0 {
			if p.maxBuffered > 0 && len(h.entries) >= p.maxBuffered {
				return nil, fmt.Errorf("%w: ORDER BY in Go holds more than %d rows", sqlerr.ErrTooManyRows, p.maxBuffered)
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
	p       *pipeline
	entries []sortEntry
	err     error
}

// less orders entries by their keys, then by arrival.
func (h *entryHeap) less(a, b sortEntry) bool {
	c, err := h.p.compareKeys(a.keys, b.keys, h.p.order)
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
