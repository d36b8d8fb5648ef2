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
	total = -1
	if p.byID && ascendingIDs(records) {
		return p.findByID(records, wantTotal)
	}
	all := p.All(records)
	if wantTotal {
		total = int64(len(all))
	}
	lo := min(p.offset, len(all))
	hi := min(lo+p.limit, len(all))
	return append(make([]*store.Record, 0, hi-lo), all[lo:hi]...), total
}

// findByID is Find for an order by $id over records in ascending ID order.
func (p *Plan) findByID(records []*store.Record, wantTotal bool) ([]*store.Record, int64) {
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
	matched := make([]*store.Record, 0)
	for _, r := range records {
		if p.Match(r) {
			matched = append(matched, r)
		}
	}
	if p.byID {
		if !ascendingIDs(matched) {
			slices.SortFunc(matched, func(a, b *store.Record) int { return cmpInt64(a.ID, b.ID) })
		}
		if p.idDesc {
			slices.Reverse(matched)
		}
		return matched
	}
	p.sort(matched)
	return matched
}

// sort orders records by the plan's keys. Every record's keys are read
// once, into one slice, so that the comparisons do no map lookups.
func (p *Plan) sort(recs []*store.Record) {
	type item struct {
		r    *store.Record
		keys []sortKey
	}
	nk := len(p.order)
	keys := make([]sortKey, len(recs)*nk)
	items := make([]item, len(recs))
	for i, r := range recs {
		ks := keys[i*nk : (i+1)*nk : (i+1)*nk]
		for j := range p.order {
			ks[j] = p.order[j].key(r)
		}
		items[i] = item{r: r, keys: ks}
	}
	slices.SortFunc(items, func(a, b item) int {
		for j := range p.order {
			if c := p.order[j].compare(&a.keys[j], &b.keys[j]); c != 0 {
				return c
			}
		}
		return 0
	})
	for i := range items {
		recs[i] = items[i].r
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
