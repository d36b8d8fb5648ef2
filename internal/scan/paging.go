package scan

import (
	"fmt"
	"github.com/kintone-sql/kintone/internal/kql"
	"slices"
	"time"
)

// This file is the driver's side of a read of several pages that Kintone
// sorts by fields other than $id: which page to ask for next and which of
// its records to hand on (Paging, for Offset and Keyset),
// and the check of a cursor's pages (OrderCheck, for Cursor).
//
// Each GET records.json sorts the matching records as they are at that
// moment, so a record whose sort key changes between two pages moves in the
// order. Read by plain offsets, that shifts every later record by one: a
// record that did not change at all is skipped, or read twice, and nothing
// shows it. The pages here are anchored instead: each page after the first
// starts at the last record handed on (the anchor), asked for again, and
// goes on only from where that record is now:
//
//   - Offset asks for the page at the anchor's offset, one record
//     more than a page. The page must begin with the anchor, unchanged; if
//     records before it were added or removed, the anchor is further on in
//     the page, or in the page before (one request more), and the read goes
//     on after it. If the anchor itself changed, the latest record of the
//     page before that did not anchors the read instead, leaving out what
//     was handed on already. If they all changed, or moved too far, the
//     read fails with ErrRecordsChanged.
//   - Keyset asks for the records after the anchor's sort keys:
//     "(cond) and (k > K or (k = K and $id > I)) order by k, $id". The
//     planner picks it only for keys that never change (the creation time,
//     $id), so no record moves across the anchor.
//
// Either way the rows come in the SQL order and each record that stays as
// it is during the read comes exactly once. A record whose sort key
// changes can still move across the anchor of an offset read: moved on
// from the part already read, it is met again, and left out (it came
// once, as it was when its page was read); moved back into that part, it
// would be missed. So after the last page, an offset read of several
// pages asks once more (the change check, changeCheck) for the $ids of the
// records that match its condition and were updated since shortly before
// its first page (Kintone's update time, kept to the minute, is set by
// every change): one that was not handed on, that sorts among the rows
// handed on, and that existed before the read began (its $revision is
// above 1: a record added during the read may come or not) was missed, and
// the read fails with ErrRecordsChanged after its last row. A read of one
// page needs no check: Kintone answers each request from one state.
//
// Every page asks for the total, which says whether more records follow
// it, so no empty page is needed to end the read.

// PageRequest is one GET records.json of a paged read.
type PageRequest struct {
	// Query is the query with its limit and offset.
	Query string
	// Limit is the query's limit: a page with fewer records is the last.
	Limit int
	// Offset is the query's offset (0 for Keyset).
	Offset int64
	// Fields are the fields to ask for; nil means the read's Fields.
	Fields []string
	// Check marks a request of the change check, after the rows.
	Check bool
}

// Paging is the state of an Offset or Keyset read: send
// Next's request with totalCount, tell Began when Kintone answered the
// first one, decode its records, hand them to Accept, pass on what Accept
// returns, and go on while Next says so. The last requests of an offset
// read of several pages are its change check: Accept returns no records
// for them, and may fail with ErrRecordsChanged. A reader that stops
// before the end but still needs the rows it took to be whole (a LIMIT
// applied after the read) calls Stop, then goes on while Next says so. A
// Paging is not safe for concurrent use.
type Paging struct {
	r    *Spec
	req  PageRequest
	more bool
	err  error

	started  bool
	fallback bool
	// anchor is the record an Offset page must find again: the
	// last of the page before, at offset pos then; for Keyset the
	// last record handed on. nil before the first page.
	anchor Record
	pos    int64
	window bool   // req looks for a lost anchor in the page before
	last   Record // the last record handed on
	// recent are the sort keys of the records the last page handed on (the
	// last one is last): when the anchor itself changed, the latest of them
	// that did not change anchors the read instead.
	recent    []Record
	delivered int64

	// seen holds the $ids handed on by an Offset read: a record met
	// again (moved on across the anchor) is left out.
	seen *idSet
	// rebase is the condition of an offset read that went past Kintone's
	// offset limit: the records at or after its anchor (rebase.go), which
	// the offsets count from; nil before.
	rebase kql.Expr
	// tail is set once a descending read that rebased reads the records
	// with an empty sort key (rebase.go), by $id: tailAfter is the last
	// $id it asked after.
	tail      bool
	tailAfter int64
	// probe holds the first page of an ascending read that begins with
	// empty values while it asks whether they go on past the offset limit.
	probe *probe
	// first is the first record handed on, firstLast the last one handed
	// on from the first answer; answers counts the pages answered.
	first, firstLast Record
	answers          int
	began            time.Time // Began's time; zero when not told
	check            *changeCheck
	checkDone        bool
	stopped          Record // Stop's record, nil when not stopped
	total            int64  // the total of the last page answered; -1 before
}

// Paging starts a read of r's pages (Offset or Keyset).
func (r *Spec) Paging() *Paging {
	p := &Paging{r: r, total: -1}
	limit := r.pageLimit(0)
	if limit <= 0 {
		return p
	}
	p.more = true
	if r.Strategy == Keyset {
		q, _ := r.keysetQuery(nil, limit)
		p.req = PageRequest{Query: q, Limit: limit}
	} else {
		p.req = r.offsetRequest(nil, r.Offset, limit)
		p.seen = newIDSet()
		// The first page also asks for the update time, to learn that
		// the change check may ask for it (field permissions can hide it).
		if r.UpdateTime != "" && !slices.Contains(r.Fields, r.UpdateTime) {
			p.req.Fields = append(slices.Clip(r.Fields), r.UpdateTime)
		}
	}
	return p
}

// Next returns the request for the next page (to send with totalCount),
// and false when the read is complete. After the pages of an offset read
// come the requests of its change check.
func (p *Paging) Next() (PageRequest, bool) {
	if p.err != nil || p.fallback {
		return PageRequest{}, false
	}
	if p.more {
		return p.req, true
	}
	if p.check == nil && !p.checkDone {
		bound := p.last
		if p.stopped != nil {
			bound = p.stopped
		}
		p.check = p.newChangeCheck(bound)
		p.checkDone = p.check == nil
	}
	if p.check != nil {
		return p.check.req, true
	}
	return PageRequest{}, false
}

// Began tells the read when Kintone answered its first page, by Kintone's
// clock and no later than the moment Kintone read the records (the driver
// takes the answer's Date header less the time the request took). The
// change check asks for the records updated since shortly before then;
// without it, it asks for every matching record. Only the first call
// counts.
func (p *Paging) Began(at time.Time) {
	if p.began.IsZero() {
		p.began = at
	}
}

// Stop ends the pages of a read whose reader took the records Accept
// returned up to last and no more: Next then returns the change check of
// those rows, if they need one, whatever happened to the pages and checks
// after them. last nil means the reader took nothing.
func (p *Paging) Stop(last Record) {
	if p.fallback {
		return
	}
	p.err, p.more = nil, false
	p.stopped = last
	p.check, p.checkDone = nil, last == nil
}

// Fallback reports that the first page showed that the read does not fit
// under Kintone's offset limit (Spec.CursorFallback): nothing was handed
// on, and the read must go on through a cursor instead.
func (p *Paging) Fallback() bool { return p.fallback }

// Accept takes the decoded records of the page Next asked for and the
// total Kintone returned with it, and returns the records to hand on, in
// order (possibly none, when the next page is needed to know). It fails
// with ErrRecordsChanged when records changed so that the read cannot go
// on without skipping or repeating records, and with ErrOrderMismatch when
// Kintone's order disagrees with SQL's.
func (p *Paging) Accept(recs []Record, total int64) ([]Record, error) {
	if p.err != nil {
		return nil, p.err
	}
	if p.check != nil {
		done, err := p.check.accept(recs, total)
		if err != nil {
			return p.fail(err)
		}
		if done {
			p.check, p.checkDone = nil, true
		}
		return nil, nil
	}
	if p.tail {
		return p.acceptTail(recs)
	}
	if p.probe != nil && !p.probe.done {
		return p.acceptProbe(recs)
	}
	r, req := p.r, p.req
	first := !p.started
	p.started = true
	p.answers++
	p.total = total
	if first && r.CursorFallback && !r.fitsOffsetLimit(total) && !r.CanRebase() {
		p.fallback, p.more = true, false
		return nil, nil
	}
	if first && r.CursorFallback && !r.fitsOffsetLimit(total) && p.probe == nil && r.emptyHead(req, recs) {
		// Ask whether the empty values go on past the offset limit
		// before handing on any row (rebase.go).
		p.probe = &probe{first: req, recs: recs, total: total}
		p.req = r.probeRequest()
		return nil, nil
	}
	if first && r.Strategy == Offset && !r.onePage(req, len(recs), total) && !r.updateTimeVisible(recs) {
		// The change check cannot ask for the update time: read through
		// a cursor, which needs no check (see changeCheck).
		p.fallback, p.more = true, false
		return nil, nil
	}
	from := 0 // recs[from:] follow the anchor
	out := recs
	if !first && r.Strategy == Offset {
		if j := p.find(recs, p.anchor); j >= 0 {
			from, out = j+1, recs[j+1:]
		} else if j := p.findRecent(recs); j >= 0 {
			// The anchor changed or went, but an earlier record of the
			// last page did not: go on after it, leaving out what was
			// handed on already or now sorts before it.
			from, out = j+1, p.unseen(recs[j+1:])
		} else {
			// Records before the anchor were removed or moved after it,
			// or the anchor changed: look for it, or the records before
			// it, in the page before. Anything else (they all changed, or
			// moved further) is lost.
			back := min(r.PageSize, MaxPageSize-1)
			at := max(0, p.pos-int64(back))
			if err := p.emptyAboveAnchor(recs); err != nil {
				return p.fail(err)
			}
			if p.window || at == p.pos {
				return p.fail(fmt.Errorf("%w: the records read last (up to $id %v) changed, were deleted or moved more than a page since their page was read, so the read cannot go on in the SQL order without skipping or repeating records",
					ErrRecordsChanged, p.anchor[colID]))
			}
			p.window = true
			p.req = r.offsetRequest(p.rebase, at, min(back+r.PageSize, MaxPageSize))
			return nil, nil
		}
		p.window = false
	}
	if err := p.checkOrder(out); err != nil {
		return p.fail(err)
	}
	if r.Strategy == Offset {
		out = p.leaveOutSeen(out)
	}
	if r.MaxRecords > 0 && p.delivered+int64(len(out)) > r.MaxRecords {
		out = out[:r.MaxRecords-p.delivered]
	}
	p.delivered += int64(len(out))
	if r.Strategy == Offset {
		for _, rec := range out {
			if id, ok := idOf(rec); ok {
				p.seen.add(id)
			}
		}
	}
	if n := len(out); n > 0 {
		if p.first == nil {
			p.first = out[0]
		}
		if first {
			p.firstLast = out[n-1]
		}
		p.last = out[n-1]
		p.recent = p.recent[:0]
		for _, rec := range out {
			p.recent = append(p.recent, r.orderKeys(rec))
		}
	}
	if n := len(recs); n > from {
		p.anchor, p.pos = recs[n-1], req.Offset+int64(n-1)
	} else if from > 0 {
		p.anchor, p.pos = recs[from-1], req.Offset+int64(from-1)
	}
	// The page's total counts what matches its query now: with the page's
	// offset and length it says whether anything follows.
	switch {
	case len(recs) < req.Limit, total >= 0 && req.Offset+int64(len(recs)) >= total,
		r.MaxRecords > 0 && p.delivered >= r.MaxRecords, p.anchor == nil:
		p.more = false
		if p.rebase != nil {
			p.startTail()
		}
		return out, nil
	}
	limit := r.pageLimit(p.delivered)
	if r.Strategy == Keyset {
		q, err := r.keysetQuery(p.anchor, limit)
		if err != nil {
			return p.fail(err)
		}
		p.req = PageRequest{Query: q, Limit: limit}
		return out, nil
	}
	if p.pos > MaxOffset {
		// Past Kintone's offset limit: count the offsets from the anchor
		// on, when its sort keys can say where it is (rebase.go).
		if k := r.Query.OrderBy[0]; r.mayBeEmpty() && p.anchor[k.Field] == nil {
			if !k.Desc {
				return p.fail(fmt.Errorf("kintone: more than %d records with an empty %s come first in the order, and Kintone cannot say which records follow them without a cursor: read them with useCursor=always, or leave out the empty values (%s is not empty)", MaxOffset, k.Field, k.Field))
			}
			// Descending, the rest are the records with an empty k,
			// after the anchor's $id.
			p.tailAfter, _ = idOf(p.anchor)
			p.rebase = nil
			p.startTail()
			p.more = p.tail
			return out, nil
		}
		cond, ok := r.atOrAfter(p.anchor)
		if !ok {
			return p.fail(fmt.Errorf("%w: records added before the ones read moved the rest past Kintone's offset limit of %d", ErrRecordsChanged, MaxOffset))
		}
		// The last total counted the records before the anchor too.
		p.rebase, p.total, p.pos = cond, max(p.total-p.pos, 0), 0
		if k := r.Query.OrderBy[0]; k.Desc && r.mayBeEmpty() {
			// The records with an empty k may be among them or not
			// (rebase.go): the next answer tells.
			p.total = -1
		}
	}
	// One record more than a page, to find the anchor again.
	p.req = r.offsetRequest(p.rebase, p.pos, min(limit+1, MaxPageSize))
	return out, nil
}

// leaveOutSeen returns recs without the records handed on already: a
// record whose sort key changed so that it moved on across the anchor comes
// once, as it was when it was first read.
func (p *Paging) leaveOutSeen(recs []Record) []Record {
	seen := func(rec Record) bool {
		id, ok := idOf(rec)
		return ok && p.seen.has(id)
	}
	for i, rec := range recs {
		if seen(rec) {
			out := append([]Record(nil), recs[:i]...)
			for _, rec := range recs[i+1:] {
				if !seen(rec) {
					out = append(out, rec)
				}
			}
			return out
		}
	}
	return recs
}

// onePage reports whether the answer to req, n records of a total, holds
// the whole read.
func (r *Spec) onePage(req PageRequest, n int, total int64) bool {
	return n < req.Limit || total >= 0 && req.Offset+int64(n) >= total || r.MaxRecords > 0 && int64(n) >= r.MaxRecords
}

// updateTimeVisible reports whether recs, the first page of an offset read
// that asked for the update time too, show it: Kintone leaves out the
// fields the user may not view.
func (r *Spec) updateTimeVisible(recs []Record) bool {
	if r.UpdateTime == "" {
		return false
	}
	if len(recs) == 0 {
		return true
	}
	_, ok := recs[0][r.UpdateTime]
	return ok
}

func (p *Paging) fail(err error) ([]Record, error) {
	p.err, p.more = err, false
	return nil, err
}

// find returns the index in recs of the record with rec's $id and sort
// keys, or -1 (also when the record is there with other sort keys).
func (p *Paging) find(recs []Record, rec Record) int {
	id := rec[colID]
	for i, x := range recs {
		if x[colID] == id {
			if p.r.CompareOrder(x, rec) == 0 {
				return i
			}
			return -1
		}
	}
	return -1
}

// findRecent returns the index in recs of the latest record of the last
// page that is there unchanged, or -1.
func (p *Paging) findRecent(recs []Record) int {
	for k := len(p.recent) - 1; k >= 0; k-- {
		if j := p.find(recs, p.recent[k]); j >= 0 {
			return j
		}
	}
	return -1
}

// unseen returns the records of recs that were not handed on with the last
// page and sort after the last record handed on: what follows an earlier
// anchor than the last record, once what was read already is left out.
// A record of the last page that changed and now sorts further on is left
// out too (it came once already).
func (p *Paging) unseen(recs []Record) []Record {
	seen := make(map[any]bool, len(p.recent))
	for _, rec := range p.recent {
		seen[rec[colID]] = true
	}
	var out []Record
	for _, rec := range recs {
		if !seen[rec[colID]] && p.r.CompareOrder(p.last, rec) < 0 {
			out = append(out, rec)
		}
	}
	return out
}

// orderKeys returns rec's sort keys ($id among them) alone.
func (r *Spec) orderKeys(rec Record) Record {
	out := make(Record, len(r.Query.OrderBy))
	for _, k := range r.Query.OrderBy {
		out[k.Field] = rec[k.Field]
	}
	return out
}

// checkOrder checks that recs follow the last record handed on in
// strictly increasing order of the sort keys (with $id last, each record's
// place is unique).
func (p *Paging) checkOrder(recs []Record) error {
	prev := p.last
	for _, rec := range recs {
		if prev != nil && p.r.CompareOrder(prev, rec) >= 0 {
			return fmt.Errorf("%w: %s after %s", ErrOrderMismatch, p.r.describeOrder(rec), p.r.describeOrder(prev))
		}
		prev = rec
	}
	return nil
}
