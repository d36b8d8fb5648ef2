package scan

import (
	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
)

// This file plans a read by $id in pages that are asked for at once: a leap
// read. Its pages come in blocks. A block starts after an anchor (the last
// $id of the block before; none for the first block) and asks for the
// records "(cond) and $id > anchor order by $id limit L offset o": page 0
// at offset 0, and page j >= 1 at offset j*(PageSize-1), so that each page
// after the first of its block begins with the last record of the page
// before it. Kintone's offset limit bounds a block to LeapPages pages; the
// last page of a block gives the next block its anchor. So every page of a
// block can be asked for as soon as the block's anchor is known, and a
// block's anchor a page after the one before (one round trip per 10,480
// records of 500-record pages).
//
// Offsets count the records as they are when each page is read: a record
// deleted, or edited out of the condition, before a page's offset shifts
// that page on by one, and one edited in shifts it back. The overlap shows
// it: each page lists a run of consecutive matching $ids as they were
// when Kintone read it, so a page whose first record is the last record of
// the page before lists, with it, every record from there on to its own
// last, and the pages together cover every $id from the first to the last
// without a gap (LeapStep). A page that does not begin so is not used: the
// read goes on from the last record it took with a new block, whose page 0
// is a plain seek from there. So a leap read returns what a seek read
// (SeekQuery) returns: every record that matches throughout, once, in $id
// order; and a page costs one record more than a seek page (499 new
// records a page instead of 500 at the default page size).

// LeapStep is the offset between two pages of a leap block: one record
// less than a page, so that consecutive pages share a record. Zero when
// the read's pages are too small to leap (a page of one record).
func (r *Spec) LeapStep() int64 {
	if r.PageSize < 2 {
		return 0
	}
	return int64(r.PageSize - 1)
}

// LeapPages is how many pages a leap block has: page 0, then pages whose
// offset stays within Kintone's offset limit.
func (r *Spec) LeapPages() int {
	step := r.LeapStep()
	if step == 0 {
		return 1
	}
	return int(MaxOffset/step) + 1
}

// LeapOffset is the offset of page j of a leap block.
func (r *Spec) LeapOffset(j int) int64 { return int64(j) * r.LeapStep() }

// LeapBlockSize is how many records a full leap block returns: a page,
// then a page less one record for each page after the first.
func (r *Spec) LeapBlockSize() int64 {
	return int64(r.PageSize) + int64(r.LeapPages()-1)*r.LeapStep()
}

// LeapQuery is the query of the page at offset of a leap block after
// anchor (0: from the first matching record), in the read's $id order, of
// at most limit records.
func (r *Spec) LeapQuery(anchor, offset int64, limit int) string {
	var terms []kql.Expr // a new slice: the plan's own tree is shared
	if r.Query.Where != nil {
		terms = append(terms, r.Query.Where)
	}
	if anchor > 0 {
		op := field.Gt
		if r.Desc {
			op = field.Lt
		}
		terms = append(terms, idCond(op, anchor))
	}
	l := int64(limit)
	q := &kql.Query{OrderBy: []kql.OrderKey{{Field: colID, Desc: r.Desc}}, Limit: &l}
	if offset > 0 {
		q.Offset = &offset
	}
	q.Where = kql.AndOf(terms...)
	return q.String()
}

// LeapCost returns how many requests the rest of a read of n records takes,
// read as leap blocks (full blocks, then the pages of the last one) and
// read as seek pages. n > 0.
func (r *Spec) LeapCost(n int64) (leap, seek int64) {
	ps := int64(r.PageSize)
	seek = (n + ps - 1) / ps
	step, block := r.LeapStep(), r.LeapBlockSize()
	if step == 0 {
		return seek, seek
	}
	full := n / block
	leap = full * int64(r.LeapPages())
	if rest := n - full*block; rest > 0 {
		leap += 1 + (max(rest-ps, 0)+step-1)/step
	}
	return leap, seek
}

// LeapPagesFor is how many pages of a leap block return its first n
// records (1 to LeapPages).
func (r *Spec) LeapPagesFor(n int64) int {
	ps, step := int64(r.PageSize), r.LeapStep()
	if n <= ps || step == 0 {
		return 1
	}
	return min(1+int((n-ps+step-1)/step), r.LeapPages())
}
