package exec

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/internal/scan"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// SmallSide is the most rows of a join's side that count as small: the
// executor reads the first side up to this many rows; when it ends
// within them, it is the side held in memory and, when the plan allows,
// its keys narrow the other side's read (key lookup). Otherwise it reads
// the other side up to as many, and holds whichever ended first.
const SmallSide = 10_000

// join returns the rows of n. Nothing is read until the first row is
// asked for; then the first side is read, and what it holds decides how
// the other is read (see SmallSide).
func join(n *plan.Join, in Inputs, o Options) Iter {
	var out Iter
	return func() (Row, error) {
		if out == nil {
			var err error
			if out, err = startJoin(n, in, o); err != nil {
				out = failed(err)
			}
		}
		return out()
	}
}

// sideNode is the input of side s (0 left, 1 right).
func sideNode(n *plan.Join, s int) plan.Node {
	if s == 0 {
		return n.Left
	}
	return n.Right
}

// startJoin reads what it must to choose the side held, and returns the
// iterator of the joined rows.
func startJoin(n *plan.Join, in Inputs, o Options) (Iter, error) {
	first, second := n.First, 1-n.First
	fit := build(sideNode(n, first), in, o)
	var sit Iter
	if n.Lookup == nil {
		// The second side is read whole whatever the first holds: start
		// it now, so that its first pages arrive while the first side
		// is read (each read holds a few pages ahead, no more).
		sit = build(sideNode(n, second), in, o)
	}
	prefix, done, err := take(fit, o.smallSide())
	if err != nil {
		return nil, err
	}
	if done {
		probe := sit
		if probe == nil {
			if probe, err = probeSide(n, second, prefix, in, o); err != nil {
				return nil, err
			}
		}
		return hashJoin(n, first, prefix, probe, o)
	}
	if sit == nil {
		sit = build(sideNode(n, second), in, o)
	}
	sprefix, sdone, err := take(sit, o.smallSide())
	if err != nil {
		return nil, err
	}
	if sdone {
		return hashJoin(n, second, sprefix, concat(prefix, fit), o)
	}
	// Neither side is small: hold the first whole.
	all, err := holdAll(prefix, fit, n.Hold, o.smallSide())
	if err != nil {
		return nil, err
	}
	return hashJoin(n, first, all, concat(sprefix, sit), o)
}

// take reads up to max rows of it; done reports that it ended within
// them.
func take(it Iter, max int) (rows []Row, done bool, err error) {
	for len(rows) <= max {
		r, err := it()
		if err == io.EOF {
			return rows, true, nil
		}
		if err != nil {
			return nil, false, err
		}
		rows = append(rows, r)
	}
	return rows, false, nil
}

// holdAll reads the rest of it after rows, failing past hold rows.
func holdAll(rows []Row, it Iter, hold, small int) ([]Row, error) {
	for {
		if hold > 0 && len(rows) > hold {
			return nil, fmt.Errorf("%w: a join holds more than %d rows of one side (both sides have more than %d rows; maxBufferedRows sets the cap)", sqlerr.ErrTooManyRows, hold, small)
		}
		r, err := it()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
}

// concat yields rows, then it.
func concat(rows []Row, it Iter) Iter {
	i := 0
	return func() (Row, error) {
		if i < len(rows) {
			i++
			r := rows[i-1]
			rows[i-1] = nil
			return r, nil
		}
		return it()
	}
}

// probeSide is the iterator of side s, read after the other side ended
// with held rows: by their keys when the plan has a lookup for s and it
// costs fewer requests than reading s whole, else whole.
func probeSide(n *plan.Join, s int, held []Row, in Inputs, o Options) (Iter, error) {
	l := n.Lookup
	if l == nil || l.Side != s {
		return build(sideNode(n, s), in, o), nil
	}
	k := n.Keys[l.Key]
	ke := k.L
	if s == 0 {
		ke = k.R
	}
	en := o.env()
	seen := map[string]bool{}
	var keys []any
	for _, r := range held {
		en.Row = r
		v, err := en.Eval(ke)
		if err != nil {
			return nil, err
		}
		if v == nil {
			continue // a NULL key matches nothing
		}
		h := expr.HashValue(v)
		if !seen[h] {
			seen[h] = true
			keys = append(keys, v)
		}
	}
	if len(keys) == 0 {
		// No key can match: the side is not read at all.
		return func() (Row, error) { return nil, io.EOF }, nil
	}
	batches := batchKeys(keys, l.Batch, l.MaxChars)
	// Every batch is planned before any is read: when Kintone cannot
	// narrow the side by the keys of one of them (a value the field
	// cannot hold), the side is read whole, once, from the start.
	nodes := make([]plan.Node, len(batches))
	for i, b := range batches {
		node, pushed, err := l.Plan(b)
		if err != nil {
			return nil, err
		}
		if !pushed {
			return build(sideNode(n, s), in, o), nil
		}
		nodes[i] = node
	}
	if len(batches) > 1 && in.Count != nil && l.Whole != nil && l.Whole.Read != nil {
		// Several queries: worth it only when fewer than the pages of
		// the whole side.
		w := *l.Whole.Read
		one := int64(1)
		var where kql.Expr
		if w.Query != nil {
			where = w.Query.Where
		}
		w.Strategy, w.Query, w.Fields = scan.Count, &kql.Query{Where: where, Limit: &one}, []string{catalog.ColID}
		total, err := in.Count(&w)
		if err != nil {
			return nil, err
		}
		size := int64(l.Whole.Read.PageSize)
		if size <= 0 {
			size = 500
		}
		if int64(len(batches)) >= (total+size-1)/size {
			return build(sideNode(n, s), in, o), nil
		}
	}
	// Each batch's read starts while the one before is consumed, so that
	// their pages overlap (two reads in flight, each holding a few pages
	// ahead); the rows still come batch after batch.
	i := 0
	var cur, next Iter
	start := func() Iter {
		if i >= len(nodes) {
			return nil
		}
		it := build(nodes[i], in, o)
		nodes[i] = nil
		i++
		return it
	}
	return func() (Row, error) {
		for {
			if cur == nil {
				if cur, next = next, nil; cur == nil {
					if cur = start(); cur == nil {
						return nil, io.EOF
					}
				}
				next = start()
			}
			r, err := cur()
			if err != io.EOF {
				return r, err
			}
			cur = nil
		}
	}, nil
}

// batchKeys splits keys into batches of at most max keys and about
// maxChars characters of quoted values.
func batchKeys(keys []any, max, maxChars int) [][]any {
	var out [][]any
	var cur []any
	chars := 0
	for _, k := range keys {
		n := len(expr.QuoteValue(k)) + 2
		if len(cur) > 0 && (len(cur) >= max || chars+n > maxChars) {
			out = append(out, cur)
			cur, chars = nil, 0
		}
		cur = append(cur, k)
		chars += n
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// hashJoin joins the held rows of side b (0 left, 1 right) with the rows
// probe yields of the other side.
func hashJoin(n *plan.Join, b int, held []Row, probe Iter, o Options) (Iter, error) {
	if n.Hold > 0 && len(held) > n.Hold {
		return nil, fmt.Errorf("%w: a join holds more than %d rows of one side (maxBufferedRows sets the cap)", sqlerr.ErrTooManyRows, n.Hold)
	}
	if len(held) == 0 && !n.Kind.Preserves(1-b) && !(n.Kind == plan.Anti && b == 1) {
		// Nothing held, and the other side's rows need a match: no row.
		return func() (Row, error) { return nil, io.EOF }, nil
	}
	h := &hasher{n: n, b: b, en: o.env(), cond: o.env()}
	h.table = make(map[string][]int, len(held))
	h.matched = make([]bool, len(held))
	h.held = held
	for i, r := range held {
		key, ok, err := h.key(r, b)
		if err != nil {
			return nil, err
		}
		if ok {
			h.table[key] = append(h.table[key], i)
		}
	}
	h.probe = probe
	return h.next, nil
}

// hasher is a running hash join.
type hasher struct {
	n       *plan.Join
	b       int // the held side
	held    []Row
	table   map[string][]int
	matched []bool
	probe   Iter
	pending []Row
	ended   bool // probe ended; unmatched held rows are being returned
	rest    int  // the next held row to look at once ended
	en      *expr.Env
	cond    *expr.Env
}

// key is the hash key of row r of side s; ok is false when a key is NULL
// (and not compared with <=>), which matches nothing.
func (h *hasher) key(r Row, s int) (string, bool, error) {
	var b strings.Builder
	h.en.Row = r
	for _, k := range h.n.Keys {
		e := k.L
		if s == 1 {
			e = k.R
		}
		v, err := h.en.Eval(e)
		if err != nil {
			return "", false, err
		}
		if v == nil && !k.NullSafe {
			return "", false, nil
		}
		hv := expr.HashValue(v)
		if len(h.n.Keys) == 1 {
			return hv, true, nil // one key: its value's key, nothing to frame
		}
		b.WriteString(strconv.Itoa(len(hv)))
		b.WriteByte(':')
		b.WriteString(hv)
	}
	return b.String(), true, nil
}

// out is the output row of a left row and a right row (nil: NULLs); a
// semi or anti join's is the left row.
func (h *hasher) out(l, r Row) Row {
	if h.n.Kind.Filters() {
		return l
	}
	return h.pair(l, r)
}

// pair is a left row followed by a right row (nil: NULLs): what the
// join's condition reads.
func (h *hasher) pair(l, r Row) Row {
	out := make(Row, h.n.Widths[0]+h.n.Widths[1])
	copy(out, l)
	copy(out[h.n.Widths[0]:], r)
	return out
}

// sides orders a held row and a probe row as left and right.
func (h *hasher) sides(held, probe Row) (Row, Row) {
	if h.b == 0 {
		return held, probe
	}
	return probe, held
}

func (h *hasher) next() (Row, error) {
	for {
		if len(h.pending) > 0 {
			r := h.pending[0]
			h.pending = h.pending[1:]
			return r, nil
		}
		if h.ended {
			// The held rows that matched nothing, when their side is
			// preserved; for a semi (anti) join holding the left rows,
			// those that matched (did not).
			want := false
			if h.n.Kind == plan.Semi {
				want = true
			}
			for h.rest < len(h.held) {
				i := h.rest
				h.rest++
				if h.matched[i] == want {
					l, r := h.sides(h.held[i], nil)
					return h.out(l, r), nil
				}
			}
			return nil, io.EOF
		}
		p, err := h.probe()
		if err == io.EOF {
			h.ended = true
			h.held = h.keepUnmatched()
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := h.match(p); err != nil {
			return nil, err
		}
	}
}

// keepUnmatched is what the end of the join still needs of the held rows:
// all of them when their side is preserved, none otherwise.
func (h *hasher) keepUnmatched() []Row {
	if h.n.Kind.Preserves(h.b) || h.n.Kind.Filters() && h.b == 0 {
		return h.held
	}
	return nil
}

// match queues the output rows of probe row p.
func (h *hasher) match(p Row) error {
	key, ok, err := h.key(p, 1-h.b)
	if err != nil {
		return err
	}
	found := false
	if ok {
		for _, i := range h.table[key] {
			if h.b == 0 && h.n.Kind.Filters() && h.matched[i] {
				continue // this left row is decided
			}
			l, r := h.sides(h.held[i], p)
			row := h.pair(l, r)
			if h.n.On != nil {
				h.cond.Row = row
				yes, err := h.cond.EvalBool(h.n.On)
				if err != nil {
					return err
				}
				if !yes {
					continue
				}
			}
			found = true
			h.matched[i] = true
			if h.n.Kind.Filters() {
				if h.b == 1 {
					break // the probing left row has a match: that decides
				}
				continue // holding the left rows: the end returns them
			}
			h.pending = append(h.pending, row)
		}
	}
	if h.n.Kind.Filters() {
		if h.b == 1 && found == (h.n.Kind == plan.Semi) {
			h.pending = append(h.pending, p)
		}
		return nil
	}
	if !found && h.n.Kind.Preserves(1-h.b) {
		l, r := h.sides(nil, p)
		h.pending = append(h.pending, h.out(l, r))
	}
	return nil
}
