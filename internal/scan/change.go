package scan

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
)

// changeMargin is how much earlier than the first page's answer the change
// check looks: for a difference between the clock of Kintone's server that
// dates the answer and that of the one that stamps the update time.
const changeMargin = 30 * time.Second

// changeCheck is the last part of an offset read of several pages: it finds
// a record that an edit moved, between two pages, from the part of the order
// not yet read into the part already read, and that the read therefore
// missed (see the top of paging.go).
//
// Such a record was changed after the first page was read, so its update
// time (which Kintone sets on every change, to the minute) is at or after
// the minute of the first page's answer, less changeMargin. The check asks
// for the $ids, $revisions and sort keys of the records that match the
// read's condition and have such an update time, in pages of $id, and fails
// with ErrRecordsChanged at the first one that
//
//   - was not handed on,
//   - sorts among the rows handed on (after the first, when the read skipped
//     an OFFSET, and before the last, or the last one the reader took),
//   - existed before the read began: its $revision is above 1 (a record
//     added during the read and never changed since has revision 1; one
//     that existed and did not change was handed on by the anchored pages),
//   - and passes the part of the condition evaluated in Go.
//
// Records added or edited into the condition during the read that fail the
// last test too (revision above 1) make the read fail as well: a record did
// change during the read, and a retry succeeds.
//
// Its cost is one request per 500 records that match the read's condition,
// sort up to the last row handed on (where the first sort key can say so:
// boundTerm) and were added or updated from changeMargin before the minute
// of the first answer on: usually one request in all. The rows handed on
// are among those records when they were written just before the read or
// during it (right after an import or a bulk update, or in an app with
// steady writes); the query leaves them out by runs of consecutive $ids,
// all of them when they form at most MaxCheckGaps runs (a read of every
// record, or of records added together), else the MaxCheckGaps longest.
// The rest are read again: a condition that picks scattered records right
// after they were all updated costs about one more request per page.
type changeCheck struct {
	p     *Paging
	bound Record // the last row handed on that the check covers
	req   PageRequest
	gaps  kql.Expr // the $ids not handed on; nil: any
	after int64    // the last $id read
}

// MaxCheckGaps is the most runs of $ids handed on that the change check
// leaves out by name in its query (each is a term of about 40 bytes).
const MaxCheckGaps = 30

// newChangeCheck starts the change check of the rows handed on up to bound,
// or returns nil when they need none: not an offset read, read in one
// answer, or nothing handed on.
func (p *Paging) newChangeCheck(bound Record) *changeCheck {
	r := p.r
	if r.Strategy != Offset || bound == nil || p.answers <= 1 {
		return nil
	}
	if p.firstLast != nil && r.CompareOrder(bound, p.firstLast) <= 0 {
		return nil // every row the reader took came with the first answer
	}
	c := &changeCheck{p: p, bound: bound, gaps: p.unseenIDs()}
	c.req = c.request()
	return c
}

// unseenIDs returns a condition that holds for every $id not handed on:
// "$id < a1 or ($id > b1 and $id < a2) or ... or $id > bk", where [a1, b1],
// ..., [ak, bk] are runs of consecutive $ids handed on, all of them when
// they are at most MaxCheckGaps, else the MaxCheckGaps longest (the check
// then meets the records of the other runs again, and leaves them out as
// handed on). nil when nothing was handed on.
func (p *Paging) unseenIDs() kql.Expr {
	ids := p.seen.sorted()
	if len(ids) == 0 {
		return nil
	}
	type run struct{ lo, hi int64 }
	runs := []run{{ids[0], ids[0]}}
	for _, id := range ids[1:] {
		if last := &runs[len(runs)-1]; id == last.hi+1 {
			last.hi = id
		} else {
			runs = append(runs, run{id, id})
		}
	}
	if len(runs) > MaxCheckGaps {
		slices.SortStableFunc(runs, func(a, b run) int { return cmp.Compare(b.hi-b.lo, a.hi-a.lo) })
		runs = runs[:MaxCheckGaps]
		slices.SortFunc(runs, func(a, b run) int { return cmp.Compare(a.lo, b.lo) })
	}
	cond := func(op field.Op, id int64) *kql.Cond {
		return &kql.Cond{Field: colID, Op: op, Values: []kql.Value{{Kind: kql.Number, Text: strconv.FormatInt(id, 10)}}}
	}
	alts := []kql.Expr{cond(field.Lt, runs[0].lo)}
	for i := 1; i < len(runs); i++ {
		alts = append(alts, &kql.And{Terms: []kql.Expr{cond(field.Gt, runs[i-1].hi), cond(field.Lt, runs[i].lo)}})
	}
	return &kql.Or{Terms: append(alts, cond(field.Gt, runs[len(runs)-1].hi))}
}

// request is the check's next page: the matching records updated since the
// read began, after the last $id read, by $id.
func (c *changeCheck) request() PageRequest {
	r := c.p.r
	var terms []kql.Expr
	if r.Query.Where != nil {
		terms = append(terms, r.Query.Where)
	}
	if since := c.since(); !since.IsZero() {
		terms = append(terms, &kql.Cond{Field: r.UpdateTime, Op: field.Ge,
			Values: []kql.Value{{Kind: kql.String, Text: since.UTC().Format("2006-01-02T15:04:05Z")}}})
	}
	if c.gaps != nil {
		terms = append(terms, c.gaps)
	}
	if b := c.boundTerm(); b != nil {
		terms = append(terms, b)
	}
	if c.after > 0 {
		terms = append(terms, &kql.Cond{Field: colID, Op: field.Gt, Values: []kql.Value{{Kind: kql.Number, Text: strconv.FormatInt(c.after, 10)}}})
	}
	limit := int64(MaxPageSize)
	q := &kql.Query{OrderBy: []kql.OrderKey{{Field: colID, Explicit: true}}, Limit: &limit}
	q.Where = kql.AndOf(terms...)
	return PageRequest{Query: q.String(), Limit: MaxPageSize, Fields: r.checkFields(), Check: true}
}

// boundTerm returns "k <= K" (">=" descending) for the first sort key k and
// its value K in the last row the check covers, when Kintone can compare
// it exactly and no record can sort before the rows with an empty k (the
// key is never empty, or sorts descending, empty last): a record that
// sorts after the rows is no concern of the check, and after a LIMIT there
// may be many. nil when no such term can be written.
func (c *changeCheck) boundTerm() kql.Expr {
	r := c.p.r
	if len(r.Query.OrderBy) == 0 {
		return nil
	}
	k := r.Query.OrderBy[0]
	typ := field.ID
	if k.Field != colID {
		prop := r.Props[k.Field]
		if prop == nil {
			return nil
		}
		typ = prop.Type
	}
	neverEmpty := typ == field.ID || typ == field.CreatedTime || typ == field.UpdatedTime
	if !k.Desc && !neverEmpty {
		return nil
	}
	var lit kql.Value
	switch v := c.bound[k.Field].(type) {
	case int64:
		lit = kql.Value{Kind: kql.Number, Text: strconv.FormatInt(v, 10)}
	case field.Decimal:
		if typ != field.Number && typ != field.Calc {
			return nil
		}
		lit = kql.Value{Kind: kql.Number, Text: string(v)}
	case time.Time:
		if typ != field.CreatedTime && typ != field.UpdatedTime && typ != field.DateTime {
			return nil
		}
		lit = kql.Value{Kind: kql.String, Text: v.UTC().Format("2006-01-02T15:04:05Z")}
	default:
		return nil
	}
	op := field.Le
	if k.Desc {
		op = field.Ge
	}
	return &kql.Cond{Field: k.Field, Op: op, Values: []kql.Value{lit}}
}

// since is the earliest update time a change made during the read can
// have: the minute of the first answer less changeMargin (zero when the
// driver did not say when that was: every matching record is checked).
func (c *changeCheck) since() time.Time {
	if c.p.began.IsZero() || c.p.r.UpdateTime == "" {
		return time.Time{}
	}
	return c.p.began.Add(-changeMargin).UTC().Truncate(time.Minute)
}

// checkFields are the fields of the change check: $id, $revision, the sort
// keys, and what the condition evaluated in Go needs.
func (r *Spec) checkFields() []string {
	if r.Filter != nil {
		out := append(slices.Clip(r.Fields), colRevision)
		if r.UpdateTime != "" && !slices.Contains(out, r.UpdateTime) {
			out = append(out, r.UpdateTime)
		}
		return out
	}
	out := []string{colID, colRevision}
	if r.UpdateTime != "" {
		out = append(out, r.UpdateTime)
	}
	for _, k := range r.Query.OrderBy {
		if !slices.Contains(out, k.Field) {
			out = append(out, k.Field)
		}
	}
	return out
}

// accept takes a page of the check and its own total; done when it was
// the last: a short page, or one that holds its total. Each page asks for
// "$id > the last one read", so its total counts what remains; a total of
// an earlier page would not count a record changed into the check's
// condition since (its update time is in the window), and the check would
// stop a page short of the highest $ids (see SeekEnd).
func (c *changeCheck) accept(recs []Record, total int64) (done bool, err error) {
	p, r := c.p, c.p.r
	for _, rec := range recs {
		id, ok := rec[colID].(int64)
		if !ok {
			return false, fmt.Errorf("kintone: internal error: a record of the change check has no $id")
		}
		c.after = id
		if p.seen.has(id) {
			continue
		}
		if rev, ok := rec[colRevision].(int64); ok && rev <= 1 {
			continue // added during the read and never changed
		}
		if r.CompareOrder(rec, c.bound) >= 0 {
			continue // after the rows handed on
		}
		if r.Offset > 0 && p.first != nil && r.CompareOrder(rec, p.first) <= 0 {
			continue // among the records the OFFSET skipped
		}
		if r.Filter != nil {
			keep, err := r.Filter(rec)
			if err != nil {
				return false, err
			}
			if !keep {
				continue
			}
		}
		upd := ""
		if t, ok := rec[r.UpdateTime].(time.Time); ok {
			upd = " at " + t.UTC().Format("2006-01-02 15:04") + " UTC"
		}
		return false, fmt.Errorf("%w: record $id %d was changed during the read%s and now sorts %s, among the rows already returned, so the read missed it (Kintone has no snapshot reads; the rows returned were right)",
			ErrRecordsChanged, id, upd, r.describeOrder(rec))
	}
	if len(recs) < c.req.Limit || total >= 0 && int64(len(recs)) >= total {
		return true, nil
	}
	c.req = c.request()
	return false, nil
}
