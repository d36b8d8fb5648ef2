package scan

// Ahead returns up to n requests that an offset read will send after the
// one Next returns now, in order, as they will be if each page comes back
// full and begins with its anchor (nothing changed before it): a fetcher
// may send them at once and hand Accept the answer to a request sent early
// where Next asks for the same query. Accept checks each page as it does
// any (the anchor must begin it, unchanged), so an answer sent early is
// as good as one sent late; only where something changed does Next ask for
// another request, and the early ones are wasted.
//
// It returns none before the first page was accepted (the first answer
// dates the change check, which must cover every page sent), while the
// read looks for a lost anchor, in the tail of a read that rebased
// (rebase.go), for keyset reads (the next keys are not
// known), and past the last page that the last total shows or that
// Kintone's offset limit allows.
func (p *Paging) Ahead(n int) []PageRequest {
	var out []PageRequest
	p.foresee(n, func(offset int64, limit int) {
		out = append(out, p.r.offsetRequest(p.rebase, offset, limit))
	})
	return out
}

// foresee walks the pages Ahead returns, up to n, giving each one's offset
// and limit to page, and returns how many there were: the queries are only
// written for the pages asked for.
func (p *Paging) foresee(n int, page func(offset int64, limit int)) int {
	r := p.r
	if n <= 0 || !p.more || p.tail || p.probe != nil && !p.probe.done || !p.started || p.window || p.check != nil || p.err != nil || r.Strategy != Offset || p.total < 0 {
		return 0
	}
	offset, limit, delivered := p.req.Offset, p.req.Limit, p.delivered
	for k := 0; k < n; k++ {
		got := int64(limit)
		delivered += got - 1 // the anchor first, handed on already
		if offset+got >= p.total || r.MaxRecords > 0 && delivered >= r.MaxRecords {
			return k
		}
		if offset+got-1 > MaxOffset {
			return k
		}
		offset, limit = offset+got-1, min(r.pageLimit(delivered)+1, MaxPageSize)
		if page != nil {
			page(offset, limit)
		}
	}
	return n
}

// PagesLeft is how many pages an offset read still asks for by the last
// total known (the change check aside), if nothing changes; -1 when no
// total is known yet or the read is not an offset read.
func (p *Paging) PagesLeft() int {
	if !p.more || p.r.Strategy != Offset || p.total < 0 {
		return -1
	}
	return 1 + p.foresee(MaxOffset, nil)
}
