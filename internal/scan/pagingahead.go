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
	r := p.r
	if n <= 0 || !p.more || p.tail || p.probe != nil && !p.probe.done || !p.started || p.window || p.check != nil || p.err != nil || r.Strategy != Offset || p.total < 0 {
		return nil
	}
	var out []PageRequest
	req, delivered := p.req, p.delivered
	for len(out) < n {
		got := int64(req.Limit)
		delivered += got - 1 // the anchor first, handed on already
		if req.Offset+got >= p.total || r.MaxRecords > 0 && delivered >= r.MaxRecords {
			break
		}
		pos := req.Offset + got - 1
		if pos > MaxOffset {
			break
		}
		req = r.offsetRequest(p.rebase, pos, min(r.pageLimit(delivered)+1, MaxPageSize))
		out = append(out, req)
	}
	return out
}

// PagesLeft is how many pages an offset read still asks for by the last
// total known (the change check aside), if nothing changes; -1 when no
// total is known yet or the read is not an offset read.
func (p *Paging) PagesLeft() int {
	if !p.more || p.r.Strategy != Offset || p.total < 0 {
		return -1
	}
	return 1 + len(p.Ahead(MaxOffset))
}
