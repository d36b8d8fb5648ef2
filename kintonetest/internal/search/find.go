package search

import (
	"slices"

	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// Find returns the page selected by the query's order, limit (default 100)
// and offset from records, and, when wantTotal, the number of matching
// records ignoring limit and offset (otherwise -1). The page is never nil.
//
// records should be in ascending ID order, as the store keeps them; an
// order by $id (the default) then needs no sorting and, without wantTotal,
// stops as soon as the page is full. Records in any other order are sorted
// first, so the answer does not depend on it.
func (p *Plan) Find(records []*store.Record, wantTotal bool) (page []*store.Record, total int64) {
	if p.byID && ascendingIDs(records) {
		return p.findByID(records, wantTotal)
	}
	return p.findSorting(records, wantTotal)
}

// FindSorted is Find for records known to be in strictly ascending ID
// order, as store.Store.Records returns them: it does not check the order,
// so a page in $id order costs O(page + log n) when the condition bounds
// $id (idCut) and totalCount is not asked, and stops at the page's end in
// any case. Records in another order give wrong answers.
func (p *Plan) FindSorted(records []*store.Record, wantTotal bool) (page []*store.Record, total int64) {
	if p.byID {
		return p.findByID(records, wantTotal)
	}
	return p.findSorting(records, wantTotal)
}

// findSorting is Find for an order other than by $id, or records out of ID
// order: it tests every record and sorts the matches.
func (p *Plan) findSorting(records []*store.Record, wantTotal bool) (page []*store.Record, total int64) {
	total = -1
	matched := p.matches(records)
	if wantTotal {
		total = int64(len(matched))
	}
	var top []*store.Record
	if p.byID {
		top = p.orderByID(matched) // records out of ID order: rare
	} else {
		top = p.sortTop(matched, p.offset+p.limit)
	}
	lo := min(p.offset, len(top))
	hi := min(lo+p.limit, len(top))
	return append(make([]*store.Record, 0, hi-lo), top[lo:hi]...), total
}

// findByID is Find for an order by $id over records in ascending ID order.
// It looks only at the records the $id cuts admit, from the end the order
// starts at, and without wantTotal stops when the page is full; with it,
// it counts the matches in that run. When the cuts are the whole
// condition it tests no record at all.
func (p *Plan) findByID(records []*store.Record, wantTotal bool) ([]*store.Record, int64) {
	records = p.idRange(records)
	if p.onlyCuts {
		// Every record of the run matches: the page is a slice of it and
		// the total its length, with nothing tested.
		n := len(records)
		lo := min(p.offset, n)
		hi := min(lo+p.limit, n)
		page := make([]*store.Record, hi-lo)
		for i := range page {
			if p.idDesc {
				page[i] = records[n-1-lo-i]
			} else {
				page[i] = records[lo+i]
			}
		}
		if !wantTotal {
			return page, -1
		}
		return page, int64(n)
	}
	end := p.offset + p.limit
	page := make([]*store.Record, 0, min(p.limit, len(records)))
	n := 0
	for i := range records {
		r := records[i]
		if p.idDesc {
			r = records[len(records)-1-i]
		}
		if !p.Match(r) {
			continue
		}
		if n >= p.offset && n < end {
			page = append(page, r)
		}
		n++
		if n >= end && !wantTotal {
			break
		}
	}
	if !wantTotal {
		return page, -1
	}
	return page, int64(n)
}

// All returns every matching record in the query's order, ignoring limit
// and offset (for cursors). The result is never nil.
func (p *Plan) All(records []*store.Record) []*store.Record {
	matched := p.matches(records)
	if p.byID {
		return p.orderByID(matched)
	}
	return p.sortTop(matched, len(matched))
}

// matches returns the records that satisfy the condition, in their order.
func (p *Plan) matches(records []*store.Record) []*store.Record {
	matched := make([]*store.Record, 0)
	for _, r := range records {
		if p.Match(r) {
			matched = append(matched, r)
		}
	}
	return matched
}

// orderByID sorts records by ID in the plan's direction, in place.
func (p *Plan) orderByID(recs []*store.Record) []*store.Record {
	if !ascendingIDs(recs) {
		slices.SortFunc(recs, func(a, b *store.Record) int { return cmpInt64(a.ID, b.ID) })
	}
	if p.idDesc {
		slices.Reverse(recs)
	}
	return recs
}

// sortItem is a record with its sort keys, read once before sorting so
// that comparisons do no map lookups.
type sortItem struct {
	r    *store.Record
	keys []sortKey
}

// compare orders two items by the plan's keys.
func (p *Plan) compare(a, b *sortItem) int {
	for j := range p.order {
		if c := p.order[j].compare(&a.keys[j], &b.keys[j]); c != 0 {
			return c
		}
	}
	return 0
}

// less reports whether a sorts before b.
func (p *Plan) less(a, b *sortItem) bool { return p.compare(a, b) < 0 }

// sortTop orders recs by the plan's keys and returns the first k of them
// (all of them when k >= len(recs)), reusing recs' storage.
//
// When k is well below len(recs), as for a page near the start of a large
// result, a bounded heap selects the k first records in O(n log k) and only
// those are sorted.
func (p *Plan) sortTop(recs []*store.Record, k int) []*store.Record {
	nk := len(p.order)
	keys := make([]sortKey, len(recs)*nk)
	items := make([]sortItem, len(recs))
	for i, r := range recs {
		ks := keys[i*nk : (i+1)*nk : (i+1)*nk]
		for j := range p.order {
			ks[j] = p.order[j].key(r)
		}
		items[i] = sortItem{r: r, keys: ks}
	}
	if k < len(items)/2 {
		items = p.selectTop(items, k)
	}
	slices.SortFunc(items, func(a, b sortItem) int { return p.compare(&a, &b) })
	out := recs[:min(k, len(items))]
	for i := range out {
		out[i] = items[i].r
	}
	return out
}

// selectTop returns the k items that sort first, in no particular order.
// It keeps them in a max-heap whose root is the last of them, so that most
// items are rejected with one comparison.
func (p *Plan) selectTop(items []sortItem, k int) []sortItem {
	if k <= 0 {
		return items[:0]
	}
	h := items[:k:k] // the heap reuses the front of items
	for i := k/2 - 1; i >= 0; i-- {
		p.siftDown(h, i)
	}
	for i := k; i < len(items); i++ {
		if p.less(&items[i], &h[0]) {
			h[0] = items[i]
			p.siftDown(h, 0)
		}
	}
	return h
}

// siftDown restores the max-heap property below i.
func (p *Plan) siftDown(h []sortItem, i int) {
	for {
		big := i
		l, r := 2*i+1, 2*i+2
		if l < len(h) && p.less(&h[big], &h[l]) {
			big = l
		}
		if r < len(h) && p.less(&h[big], &h[r]) {
			big = r
		}
		if big == i {
			return
		}
		h[i], h[big] = h[big], h[i]
		i = big
	}
}

// ascendingIDs reports whether records are in strictly ascending ID order.
func ascendingIDs(records []*store.Record) bool {
	for i := 1; i < len(records); i++ {
		if records[i-1].ID >= records[i].ID {
			return false
		}
	}
	return true
}
