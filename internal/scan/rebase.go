package scan

import (
	"fmt"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
)

// An offset read counts its offsets from the first matching record, and
// Kintone takes none above 10,000 (MaxOffset). When the anchor (the last
// record handed on, which the next page must begin with) is further on
// than that, the read goes on among the records that sort at or after the
// anchor: "(cond) and (k > K or (k = K and $id >= I))" (k < K descending),
// with offsets counted from there, the anchor first. Paging checks that
// page as any other (the anchor must begin it, unchanged), and its change
// check covers the whole read, so the read stays as exact as below the
// limit, and needs no cursor however many records it reads.
//
// That works for a read by one sort key (then $id ascending) whose values
// Kintone compares exactly: the creation and the update time, which are
// never empty, and NUMBER, numeric CALC, DATE, TIME and DATETIME fields,
// which may be. Kintone documents neither whether an empty value passes a
// > or < comparison nor where empty values sort for most types
// (QUERY-AND-FIELDS A.6.3, A.8 [U]; one report has an empty NUMBER compare
// as minus infinity [T]). Where they sort the driver checks on every page
// (Spec.Compare puts them first ascending, last descending, and Kintone's
// order must agree, or ErrOrderMismatch); how they compare it need not
// know, as the anchor is never empty:
//
//   - Ascending, the empty values come first, before the anchor. If "k >
//     K" leaves them out, the page begins with the anchor; if it lets them
//     in (empty as plus infinity), they come first in the page, before the
//     anchor, which Paging finds further on (fewer than a page of them;
//     more, and the read fails with ErrOrderMismatch, saying to read with
//     useCursor=always: never silently). An anchor that would be empty
//     (more than 10,000 empty values first) is ruled out before any row is
//     handed on: when the first page ends with an empty value and the
//     total passes the limit, one more request asks for the record at
//     offset 10,000, and if it is empty too the read goes through a cursor
//     (Paging.Fallback); without CursorFallback the read fails with a
//     clear error when it gets there.
//   - Descending, the empty values come last. If "k < K" lets them in
//     (minus infinity), the rebased pages read them; if it leaves them out,
//     they are not read. Either way, once the rebased pages end, a tail
//     reads "(cond) and $id > L order by k asc, $id asc" in pages of 500
//     (the empty values first, by $id, as the read hands them on), L the
//     $id of the last empty value handed on (0 if none), handing on those
//     not handed on already, up to the first record with a value: one
//     request, of one record, when the rebased pages read them all (the
//     last row handed on is empty). An anchor that is empty at the limit
//     goes straight to the tail, after its $id.

// The tail relies on Kintone sorting the empty values first ascending, as
// Spec.Compare does: a tail page that holds both kinds checks it (an empty
// value after a value is ErrOrderMismatch), but one whose first record
// has a value cannot tell "no empty values left" from "empty values sorted
// last", and ends the read. A Kintone that sorted empty values last both
// ways would fail every ascending read that meets both kinds (and so
// would the tail, when a page of it holds both); a tail page that began
// with a value would then miss the empty values after it, silently.
//
// A CALC value compares exactly only if Kintone compares the value it
// returns (not a more precise one it keeps): if not, the anchor or the
// order checks fail the read, loudly.
//
// The change check then covers every row handed on, the tail's among them
// (a last row with an empty value gives it no bound term). Paging.Ahead asks
// for no tail page ahead, nor any rebased page of a descending read whose
// key may be empty before the first rebased answer gives its total (the
// empty values may or may not count in it). Any other order (text, two
// keys, ...) past 10,000 records goes through a cursor, as before.

// CanRebase reports whether an offset read may go past Kintone's offset
// limit by counting from its anchor (rebase.go): it sorts by one key, then
// $id ascending, and that key is the creation or the update time, or a
// NUMBER, numeric CALC, DATE, TIME or DATETIME field (which may be empty:
// see mayBeEmpty).
func (r *Spec) CanRebase() bool {
	_, ok := r.rebaseKey()
	return ok
}

// rebaseKey returns the type of the read's one sort key when the read can
// rebase (CanRebase).
func (r *Spec) rebaseKey() (field.Type, bool) {
	if r.Strategy != Offset || r.Query == nil || len(r.Query.OrderBy) != 2 {
		return "", false
	}
	k, tie := r.Query.OrderBy[0], r.Query.OrderBy[1]
	if tie.Field != colID || tie.Desc || k.Field == colID {
		return "", false
	}
	prop := r.Props[k.Field]
	if prop == nil {
		return "", false
	}
	switch prop.Type {
	case field.CreatedTime, field.UpdatedTime, field.Number, field.Date, field.Time, field.DateTime:
		return prop.Type, true
	case field.Calc:
		if prop.Format == "NUMBER" || prop.Format == "NUMBER_DIGIT" {
			return prop.Type, true
		}
	}
	return "", false
}

// mayBeEmpty reports whether the sort key of a read that can rebase may be
// empty (all but the creation and the update time).
func (r *Spec) mayBeEmpty() bool {
	typ, ok := r.rebaseKey()
	return ok && typ != field.CreatedTime && typ != field.UpdatedTime
}

// rebaseValue is the query literal of v, a value of the sort key of a read
// that can rebase; false when it cannot be written exactly.
func (r *Spec) rebaseValue(v any) (kql.Value, bool) {
	typ, ok := r.rebaseKey()
	if !ok {
		return kql.Value{}, false
	}
	switch x := v.(type) {
	case field.Decimal:
		if typ == field.Number || typ == field.Calc {
			return kql.Value{Kind: kql.Number, Text: string(x)}, true
		}
	case time.Time:
		switch typ {
		case field.Date:
			// Midnight in the location the read decodes in.
			return kql.Value{Kind: kql.String, Text: x.Format("2006-01-02")}, true
		case field.Time:
			return kql.Value{Kind: kql.String, Text: x.Format("15:04")}, true
		case field.DateTime, field.CreatedTime, field.UpdatedTime:
			return kql.Value{Kind: kql.String, Text: x.UTC().Format("2006-01-02T15:04:05Z")}, true
		}
	}
	return kql.Value{}, false
}

// atOrAfter returns the condition that holds for the records that sort at
// or after anchor: "k > K or (k = K and $id >= I)", with < for a
// descending k. false when the read cannot rebase or the anchor's values
// cannot be written (an empty k among them: see the top of the file).
func (r *Spec) atOrAfter(anchor Record) (kql.Expr, bool) {
	if !r.CanRebase() || anchor == nil {
		return nil, false
	}
	k := r.Query.OrderBy[0]
	v, ok := r.rebaseValue(anchor[k.Field])
	id, okID := idOf(anchor)
	if !ok || !okID {
		return nil, false
	}
	op := field.Gt
	if k.Desc {
		op = field.Lt
	}
	return &kql.Or{Terms: []kql.Expr{
		&kql.Cond{Field: k.Field, Op: op, Values: []kql.Value{v}},
		&kql.And{Terms: []kql.Expr{
			&kql.Cond{Field: k.Field, Op: field.Eq, Values: []kql.Value{v}},
			idCond(field.Ge, id),
		}},
	}}, true
}

// tailRequest is a page of the tail of a descending read that rebased:
// "(cond) and $id > after order by k asc, $id asc": the records with an
// empty k come first (Paging checks that), by $id, as the read hands them
// on.
func (r *Spec) tailRequest(after int64, limit int) PageRequest {
	k := r.Query.OrderBy[0]
	var where kql.Expr = idCond(field.Gt, after)
	if r.Query.Where != nil {
		where = kql.AndOf(r.Query.Where, where)
	}
	q := &kql.Query{Where: where,
		OrderBy: []kql.OrderKey{{Field: k.Field, Explicit: true}, {Field: colID, Explicit: true}}}
	l := int64(limit)
	q.Limit = &l
	return PageRequest{Query: q.String(), Limit: limit}
}

// emptyHead reports whether the first page of an ascending read whose sort
// key may be empty is full and ends with an empty value: more than
// Kintone's offset limit of empty values may come first, and the read
// cannot count its offsets from an empty anchor (see the top of the file).
func (r *Spec) emptyHead(req PageRequest, recs []Record) bool {
	k := r.Query.OrderBy[0]
	return r.mayBeEmpty() && !k.Desc && len(recs) > 0 && len(recs) >= req.Limit && recs[len(recs)-1][k.Field] == nil
}

// probe is the first page of a read that asks whether its empty values go
// on past the offset limit (emptyHead), kept until the answer.
type probe struct {
	first PageRequest
	recs  []Record
	total int64
	done  bool
}

// probeRequest asks for the record at Kintone's offset limit: when its k
// has a value, so do all after it, and the read can count its offsets from
// any of them.
func (r *Spec) probeRequest() PageRequest {
	req := r.offsetRequest(nil, MaxOffset, 1)
	req.Fields = []string{colID, r.Query.OrderBy[0].Field}
	return req
}

// acceptProbe takes the answer to probeRequest: an empty value there means
// that the read cannot go past the limit without a cursor (Fallback), else
// the first page is handed on as if it had just come.
func (p *Paging) acceptProbe(recs []Record) ([]Record, error) {
	k := p.r.Query.OrderBy[0].Field
	if len(recs) > 0 && recs[0][k] == nil {
		p.fallback, p.more = true, false
		return nil, nil
	}
	pr := p.probe
	pr.done = true
	p.req, p.started, p.answers = pr.first, false, p.answers-1
	return p.Accept(pr.recs, pr.total)
}

// startTail starts the tail of a read that rebased, when it needs one: a
// descending read whose key may be empty, not ended by its LIMIT or Stop.
// Kintone may leave the records with an empty k out of "k < K" (an empty
// value failing every comparison), so they are read by $id after the last
// one handed on.
func (p *Paging) startTail() {
	r := p.r
	if !r.mayBeEmpty() || !r.Query.OrderBy[0].Desc || p.stopped != nil || p.err != nil ||
		r.MaxRecords > 0 && p.delivered >= r.MaxRecords {
		return
	}
	k := r.Query.OrderBy[0].Field
	limit := MaxPageSize
	if p.last != nil && p.last[k] == nil {
		if id, ok := idOf(p.last); ok && id > p.tailAfter {
			p.tailAfter = id
		}
		if p.rebase != nil {
			// The rebased pages read empty values already (Kintone let
			// them pass "k < K"): the tail only makes sure there are no
			// more.
			limit = 1
		}
	}
	p.tail, p.more = true, true
	p.req = r.tailRequest(p.tailAfter, limit)
}

// acceptTail takes a page of the tail: its records with an empty k, which
// come first, are handed on (but those handed on already); a record with a
// value, or a short page, ends the read.
func (p *Paging) acceptTail(recs []Record) ([]Record, error) {
	r := p.r
	k := r.Query.OrderBy[0].Field
	p.answers++
	n := 0
	for n < len(recs) && recs[n][k] == nil {
		n++
	}
	for _, rec := range recs[n:] {
		if rec[k] == nil {
			return p.fail(fmt.Errorf("%w: Kintone sorted a record with an empty %s ($id %v) after one with a value in ascending order", ErrOrderMismatch, k, rec[colID]))
		}
	}
	out := recs[:n]
	if n > 0 {
		id, ok := idOf(out[n-1])
		if !ok {
			return p.fail(fmt.Errorf("kintone: internal error: a record of the tail has no $id"))
		}
		p.tailAfter = id
	}
	if err := p.checkOrder(out); err != nil {
		return p.fail(err)
	}
	out = p.leaveOutSeen(out)
	if r.MaxRecords > 0 && p.delivered+int64(len(out)) > r.MaxRecords {
		out = out[:r.MaxRecords-p.delivered]
	}
	p.delivered += int64(len(out))
	for _, rec := range out {
		if id, ok := idOf(rec); ok {
			p.seen.add(id)
		}
	}
	if len(out) > 0 {
		if p.first == nil {
			p.first = out[0]
		}
		p.last = out[len(out)-1]
	}
	if n < len(recs) || len(recs) < p.req.Limit || r.MaxRecords > 0 && p.delivered >= r.MaxRecords {
		p.more = false
		return out, nil
	}
	p.req = r.tailRequest(p.tailAfter, MaxPageSize)
	return out, nil
}

// emptyAboveAnchor returns an error when recs, a page of an ascending read
// counted from its anchor that does not hold the anchor, begins with an
// empty value: Kintone let the empty values pass "k > K", more than a page
// of them, and the anchor is further on (see the top of the file). nil
// otherwise.
func (p *Paging) emptyAboveAnchor(recs []Record) error {
	r := p.r
	if p.rebase == nil || !r.mayBeEmpty() || len(recs) == 0 {
		return nil
	}
	k := r.Query.OrderBy[0]
	if k.Desc || recs[0][k.Field] != nil || p.anchor == nil || p.anchor[k.Field] == nil {
		return nil
	}
	return fmt.Errorf("%w: past offset %d, the page of the records that sort at or after the last one read, %s, began with more than a page of records with an empty %s: Kintone takes an empty %s for greater than any value, and the read cannot go on without a cursor; read with useCursor=always",
		ErrOrderMismatch, MaxOffset, r.describeOrder(p.anchor), k.Field, k.Field)
}

// ExplainPastLimit says, for EXPLAIN, what an offset read with
// CursorFallback does past Kintone's offset limit.
func (r *Spec) ExplainPastLimit() string {
	if !r.CanRebase() {
		return fmt.Sprintf("cursor instead: when the first page's total shows the read passes offset %d", MaxOffset)
	}
	k := r.Query.OrderBy[0]
	op := ">"
	if k.Desc {
		op = "<"
	}
	s := fmt.Sprintf("past offset %d: offsets counted from the last record read (%s %s K or (%s = K and $id >= I))", MaxOffset, k.Field, op, k.Field)
	switch {
	case !r.mayBeEmpty():
	case k.Desc:
		s += fmt.Sprintf(", then the records with an empty %s by $id (%s asc, $id asc, $id > the last one read)", k.Field, k.Field)
	default:
		s += fmt.Sprintf("; a cursor instead when the first page ends with an empty %s and so does the record at offset %d", k.Field, MaxOffset)
	}
	return s
}
