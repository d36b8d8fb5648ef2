package translate

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"math/big"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/translate/catalog"
)

// This file is a small stand-in for Kintone, written for the tests only:
// it parses the query text a plan sends (so the printed queries must be
// valid), evaluates it on in-memory records, enforces the API's limits,
// projects the fields parameter and counts requests. Where Kintone's
// behaviour is undocumented it follows a model, so that the same query can
// be checked against several plausible Kintones: the plan must give SQL's
// answer under every one of them.

// model is one reading of Kintone's undocumented behaviour.
type model struct {
	name string
	// foldText: text = and in ignore ASCII case (undocumented, A.6.1).
	foldText bool
	// emptyLow: an empty NUMBER, DATE or DATETIME compares as minus
	// infinity, so it passes <, <= and != (reported for NUMBER, A.6.3);
	// otherwise an empty value passes no comparison but !=.
	emptyLow bool
	// emptyCode: a listed "" matches an empty user, organization or group
	// selection, as it matches an unselected DROP_DOWN (undocumented; the
	// emulator does it).
	emptyCode bool
	// emptyLast: empty values sort last ascending (undocumented except
	// for text and drop-downs, where they come first).
	emptyLast bool
	// radioEmptyFailsNotIn: a RADIO_BUTTON without a value fails not in
	// (undocumented; a DROP_DOWN's passes, as its "" idiom shows).
	radioEmptyFailsNotIn bool
}

var models = []model{
	{name: "strict", radioEmptyFailsNotIn: true},
	{name: "loose", foldText: true, emptyLow: true, emptyCode: true},
}

// kintone is the simulated service.
type kintone struct {
	t        testing.TB
	recs     []catalog.Record
	props    map[string]*field.Property
	model    model
	loc      *time.Location
	today    time.Time // TODAY() in loc
	login    string    // LOGINUSER()
	requests int
	cursors  int // cursors created
	deleted  int // cursors deleted before their end
	// now is Kintone's clock, which dates the answers (Paging.Began);
	// zero means simNow.
	now time.Time
}

// simNow is the simulated Kintone's clock unless a test sets another: after
// every update time of the test data, so that an offset read's change
// check finds nothing to read.
var simNow = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)

// errAPI is a request Kintone would refuse.
var errAPI = errors.New("kintone refused the request")

// fetch answers GET records.json: the matching records, sorted, limited
// and projected to fields, and the total count.
func (k *kintone) fetch(query string, fields []string) ([]catalog.Record, int64, error) {
	k.requests++
	q, err := kql.Parse(query)
	if err != nil {
		k.t.Errorf("the plan sent a query Kintone cannot parse: %q: %v", query, err)
		return nil, 0, err
	}
	if q.Limit != nil && *q.Limit > 500 || q.Offset != nil && *q.Offset > 10000 {
		k.t.Errorf("the plan broke the API's limits: %q", query)
		return nil, 0, errAPI
	}
	all, err := k.match(q)
	if err != nil {
		return nil, 0, err
	}
	total := int64(len(all))
	off, lim := int64(0), int64(100)
	if q.Offset != nil {
		off = *q.Offset
	}
	if q.Limit != nil {
		lim = *q.Limit
	}
	if off > int64(len(all)) {
		off = int64(len(all))
	}
	all = all[off:]
	if lim < int64(len(all)) {
		all = all[:lim]
	}
	return k.project(all, fields), total, nil
}

// match evaluates the condition and sorts.
func (k *kintone) match(q *kql.Query) ([]catalog.Record, error) {
	var out []catalog.Record
	for _, r := range k.recs {
		ok, err := k.eval(q.Where, r)
		if err != nil {
			k.t.Errorf("evaluating %s: %v", q.String(), err)
			return nil, err
		}
		if ok {
			out = append(out, r)
		}
	}
	keys := q.OrderBy
	if len(keys) == 0 {
		keys = []kql.OrderKey{{Field: "$id", Desc: true}} // Kintone's default
	}
	sort.SliceStable(out, func(i, j int) bool {
		for _, key := range keys {
			c := k.compareForSort(out[i][key.Field], out[j][key.Field])
			if key.Desc {
				c = -c
			}
			if c != 0 {
				return c < 0
			}
		}
		return false
	})
	return out, nil
}

// project keeps the fields listed, as the fields parameter does.
func (k *kintone) project(recs []catalog.Record, fields []string) []catalog.Record {
	out := make([]catalog.Record, len(recs))
	for i, r := range recs {
		p := catalog.Record{}
		for _, f := range fields {
			if v, ok := r[f]; ok {
				p[f] = v
			}
		}
		out[i] = p
	}
	return out
}

// compareForSort orders two values the way the model's Kintone sorts.
func (k *kintone) compareForSort(a, b any) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		if k.model.emptyLast {
			return 1
		}
		return -1
	case b == nil:
		if k.model.emptyLast {
			return -1
		}
		return 1
	}
	return k.compare(a, b)
}

// compare orders two non-empty values of the same field.
func (k *kintone) compare(a, b any) int {
	switch x := a.(type) {
	case int64:
		y := b.(int64)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	case field.Decimal:
		return ratOf(string(x)).Cmp(ratOf(string(b.(field.Decimal))))
	case time.Time:
		return x.Compare(b.(time.Time))
	case string:
		return strings.Compare(x, b.(string))
	}
	k.t.Fatalf("cannot sort %T", a)
	return 0
}

func ratOf(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic("not a number: " + s)
	}
	return r
}

// eval evaluates a condition on a record.
func (k *kintone) eval(e kql.Expr, r catalog.Record) (bool, error) {
	switch n := e.(type) {
	case nil:
		return true, nil
	case *kql.Paren:
		return k.eval(n.X, r)
	case *kql.And:
		for _, t := range n.Terms {
			ok, err := k.eval(t, r)
			if err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case *kql.Or:
		for _, t := range n.Terms {
			ok, err := k.eval(t, r)
			if err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	case *kql.Cond:
		return k.cond(n, r)
	}
	return false, fmt.Errorf("unknown node %T", e)
}

// subtableOf returns the SUBTABLE that holds the inner field code.
func (k *kintone) subtableOf(code string) string {
	for sc, p := range k.props {
		if p.Type == field.Subtable && p.Fields[code] != nil {
			return sc
		}
	}
	return ""
}

// cond evaluates one condition. Fields inside a subtable match when one of
// the rows matches (positive) or when there are rows and all match
// (negative), as A.6.6 observes.
func (k *kintone) cond(c *kql.Cond, r catalog.Record) (bool, error) {
	if sub := k.subtableOf(c.Field); sub != "" {
		rows, _ := r[sub].([]field.Row)
		if len(rows) == 0 {
			return false, nil
		}
		negative := c.Op == field.NotIn || c.Op == field.NotLike || c.Op == field.IsNotEmpty || c.Op == field.Ne
		t := k.props[sub].Fields[c.Field].Type
		for _, row := range rows {
			ok, err := k.test(c, t, row.Fields[c.Field].Value)
			if err != nil {
				return false, err
			}
			if ok && !negative {
				return true, nil
			}
			if !ok && negative {
				return false, nil
			}
		}
		return negative, nil
	}
	var t field.Type
	switch c.Field {
	case "$id":
		t = field.ID
	default:
		p := k.props[c.Field]
		if p == nil {
			return false, fmt.Errorf("unknown field %s (GAIA_IQ11)", c.Field)
		}
		t = p.Type
	}
	if !t.Allows(c.Op, false) {
		return false, fmt.Errorf("operator %s not allowed on %s (GAIA_IQ03)", c.Op, t)
	}
	switch t {
	case field.CheckBox, field.MultiSelect, field.RadioButton, field.DropDown:
		// Every value listed must be an option, "" aside for a
		// drop-down (A.6.5).
		for _, v := range c.Values {
			if _, ok := k.props[c.Field].Options[v.Text]; !ok && (v.Text != "" || t != field.DropDown) {
				return false, fmt.Errorf("%q is no option of %s (GAIA_IQ10)", v.Text, c.Field)
			}
		}
		if t == field.RadioButton && c.Op == field.NotIn && r[c.Field] == nil && k.model.radioEmptyFailsNotIn {
			return false, nil
		}
	}
	return k.test(c, t, r[c.Field])
}

// test applies an operator to one value.
func (k *kintone) test(c *kql.Cond, t field.Type, v any) (bool, error) {
	switch c.Op {
	case field.IsEmpty:
		return emptyValue(v), nil
	case field.IsNotEmpty:
		return !emptyValue(v), nil
	case field.In, field.NotIn:
		hit := false
		for _, lit := range c.Values {
			ok, err := k.equal(t, v, lit)
			if err != nil {
				return false, err
			}
			hit = hit || ok
		}
		if c.Op == field.In {
			return hit, nil
		}
		// An empty multi-valued field passes not in: not in is documented
		// as the negation of in, "no stored element is listed" (A.4 [D]),
		// which the driver relies on. A listed "" (the drop-down idiom)
		// matches the empty value.
		return !hit, nil
	case field.Eq:
		return k.equal(t, v, c.Values[0])
	case field.Ne:
		ok, err := k.equal(t, v, c.Values[0])
		return !ok, err
	}
	// < <= > >=
	lo, hi, err := k.bounds(t, c.Values[0])
	if err != nil {
		return false, err
	}
	if v == nil {
		if !k.model.emptyLow {
			return false, nil
		}
		return c.Op == field.Lt || c.Op == field.Le, nil
	}
	if _, point := lo.(field.Decimal); point {
		// A number is a point, not an interval.
		cmp := k.compare(v, lo)
		return map[field.Op]bool{field.Lt: cmp < 0, field.Le: cmp <= 0, field.Gt: cmp > 0, field.Ge: cmp >= 0}[c.Op], nil
	}
	switch c.Op {
	case field.Lt:
		return k.compare(v, lo) < 0, nil
	case field.Le:
		return k.compare(v, hi) < 0, nil
	case field.Gt:
		return k.compare(v, hi) >= 0, nil
	case field.Ge:
		return k.compare(v, lo) >= 0, nil
	}
	return false, fmt.Errorf("unknown operator %s", c.Op)
}

// emptyValue reports whether a decoded value is empty: nil, or a list
// with nothing in it.
func emptyValue(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case []string:
		return len(x) == 0
	case []field.EntityRef:
		return len(x) == 0
	case []field.FileRef:
		return len(x) == 0
	case []field.Row:
		return len(x) == 0
	}
	return false
}

// bounds returns a literal as the half-open interval [lo, hi) it stands
// for: a point for plain values (hi is lo plus one unit of the field's
// precision), a whole day for TODAY().
func (k *kintone) bounds(t field.Type, lit kql.Value) (lo, hi any, err error) {
	if lit.Kind == kql.Func {
		if lit.Text != "TODAY" {
			return nil, nil, fmt.Errorf("function %s is not simulated", lit.Text)
		}
		switch t {
		case field.Date:
			return k.today, k.today.AddDate(0, 0, 1), nil
		case field.DateTime, field.CreatedTime, field.UpdatedTime:
			return k.today, k.today.AddDate(0, 0, 1), nil
		}
		return nil, nil, fmt.Errorf("TODAY() on %s", t)
	}
	switch t {
	case field.ID:
		var n int64
		if _, err := fmt.Sscan(lit.Text, &n); err != nil {
			return nil, nil, err
		}
		return n, n + 1, nil
	case field.Number, field.Calc:
		d := field.Decimal(lit.Text)
		return d, d, nil
	case field.Date:
		d, err := time.ParseInLocation("2006-01-02", lit.Text, k.loc)
		return d, d.AddDate(0, 0, 1), err
	case field.DateTime, field.CreatedTime, field.UpdatedTime:
		d, err := time.Parse(time.RFC3339, lit.Text)
		return d.In(k.loc), d.Add(time.Minute).In(k.loc), err
	}
	return lit.Text, lit.Text, nil
}

// equal compares a value with one literal: for lists, whether an element
// equals it.
func (k *kintone) equal(t field.Type, v any, lit kql.Value) (bool, error) {
	if lit.Kind == kql.Func && lit.Text == "LOGINUSER" {
		lit = kql.Value{Kind: kql.String, Text: k.login}
	}
	switch x := v.(type) {
	case nil:
		return lit.Kind == kql.String && lit.Text == "" && (t == field.DropDown || t == field.RadioButton), nil
	case []string:
		for _, s := range x {
			if s == lit.Text {
				return true, nil
			}
		}
		return false, nil
	case []field.EntityRef:
		if len(x) == 0 && lit.Text == "" && lit.Kind == kql.String {
			return k.model.emptyCode, nil
		}
		for _, e := range x {
			if e.Code == lit.Text {
				return true, nil
			}
		}
		return false, nil
	case field.EntityRef:
		return x.Code == lit.Text, nil
	case string:
		if k.model.foldText {
			return strings.EqualFold(x, lit.Text), nil
		}
		return x == lit.Text, nil
	}
	lo, hi, err := k.bounds(t, lit)
	if err != nil {
		return false, err
	}
	if _, isDec := v.(field.Decimal); isDec {
		return k.compare(v, lo) == 0, nil
	}
	if _, isInt := v.(int64); isInt {
		return k.compare(v, lo) == 0, nil
	}
	return k.compare(v, lo) >= 0 && k.compare(v, hi) < 0, nil
}

// run executes a plan the way the driver will: the strategy's requests,
// pages pulled only as the rows are read; a plan of several reads opens
// each as it comes to it. It returns the rows as driver values.
func (k *kintone) run(s *Select) ([][]any, error) {
	var rows *Rows
	r := s.Read
	var done []func()
	defer func() {
		for _, d := range done {
			d()
		}
	}()
	switch {
	case r == nil:
		rows = s.RunReads(&simReader{k: k, done: &done})
	case s.Strategy() == StrategyCount:
		_, total, err := k.fetch(r.Query.String(), r.Fields)
		if err != nil {
			return nil, err
		}
		rows = s.RunCount(total)
	default:
		src, d, err := k.open(r)
		if err != nil {
			return nil, err
		}
		done = append(done, d)
		rows = s.Run(src)
	}
	var out [][]any
	for {
		dest := make([]driver.Value, len(s.Columns))
		err := rows.Next(dest)
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		row := make([]any, len(dest))
		for i, v := range dest {
			row[i] = v
		}
		out = append(out, row)
	}
}

// open starts a read of r's strategy; done ends it (deleting a cursor
// left open).
func (k *kintone) open(r *Read) (src Source, done func(), err error) {
	done = func() {}
	switch r.Strategy {
	case StrategySingle:
		recs, _, err := k.fetch(r.Query.String(), r.Fields)
		if err != nil {
			return nil, nil, err
		}
		src = sliceSource(recs)
	case StrategySeek:
		src = k.seek(r)
	case StrategyOffset, StrategyKeyset:
		src, done = k.paging(r)
	case StrategyCursor:
		src, done = k.cursor(r)
	default:
		return nil, nil, fmt.Errorf("a read of strategy %s opened", r.Strategy)
	}
	return src, done, nil
}

// simReader opens the reads of a plan that has several, and counts.
type simReader struct {
	k    *kintone
	done *[]func()
}

func (r *simReader) Open(read *Read) Source {
	src, done, err := r.k.open(read)
	if err != nil {
		return func() (catalog.Record, error) { return nil, err }
	}
	*r.done = append(*r.done, done)
	return src
}

func (r *simReader) Count(read *Read) (int64, error) {
	_, total, err := r.k.fetch(read.Query.String(), read.Fields)
	return total, err
}

// sliceSource yields recs.
func sliceSource(recs []catalog.Record) Source {
	i := 0
	return func() (catalog.Record, error) {
		if i >= len(recs) {
			return nil, io.EOF
		}
		i++
		return recs[i-1], nil
	}
}

// pages turns a page fetcher into a Source that fetches on demand.
func pages(next func() ([]catalog.Record, bool, error)) Source {
	var buf []catalog.Record
	more := true
	return func() (catalog.Record, error) {
		for len(buf) == 0 {
			if !more {
				return nil, io.EOF
			}
			var err error
			if buf, more, err = next(); err != nil {
				return nil, err
			}
		}
		r := buf[0]
		buf = buf[1:]
		return r, nil
	}
}

// seek pages by $id as the driver does.
func (k *kintone) seek(r *Read) Source {
	var last, read int64
	return pages(func() ([]catalog.Record, bool, error) {
		q, limit := r.SeekQuery(last, read)
		recs, _, err := k.fetch(q, r.Fields)
		if err != nil {
			return nil, false, err
		}
		for _, rec := range recs {
			id, ok := rec["$id"].(int64)
			if !ok {
				k.t.Errorf("a seek page lacks $id: fields %v", r.Fields)
				return nil, false, errAPI
			}
			last = id
		}
		read += int64(len(recs))
		return recs, r.More(len(recs), limit, read), nil
	})
}

// paging reads the pages of an offset or keyset read as the driver does,
// going on through a cursor when the first page says so.
func (k *kintone) paging(r *Read) (Source, func()) {
	pg := r.Paging()
	var cursor Source
	cursorDone := func() {}
	src := pages(func() ([]catalog.Record, bool, error) {
		for {
			req, more := pg.Next()
			if !more {
				return nil, false, nil
			}
			fields := req.Fields
			if fields == nil {
				fields = r.Fields
			}
			recs, total, err := k.fetch(req.Query, fields)
			if err != nil {
				return nil, false, err
			}
			now := k.now
			if now.IsZero() {
				now = simNow
			}
			pg.Began(now)
			out, err := pg.Accept(recs, total)
			if err != nil {
				return nil, false, err
			}
			if pg.Fallback() {
				return nil, false, nil
			}
			if _, more := pg.Next(); len(out) > 0 || !more {
				return out, more, nil
			}
		}
	})
	return func() (catalog.Record, error) {
			if cursor != nil {
				return cursor()
			}
			rec, err := src()
			if err == io.EOF && pg.Fallback() {
				cursor, cursorDone = k.cursor(r)
				return cursor()
			}
			return rec, err
		}, func() {
			cursorDone()
		}
}

// cursor reads through a simulated cursor: one request to create it, one
// per page, one to delete it when the reader stops early.
func (k *kintone) cursor(r *Read) (Source, func()) {
	k.requests++
	k.cursors++
	q := r.Query
	if q.Limit != nil || q.Offset != nil {
		k.t.Errorf("a cursor query has limit or offset: %s", q.String())
	}
	parsed, err := kql.Parse(q.String())
	if err != nil {
		k.t.Errorf("unparsable cursor query %q: %v", q.String(), err)
	}
	all, err := k.match(parsed)
	if err != nil {
		return func() (catalog.Record, error) { return nil, err }, func() {}
	}
	all = k.project(all, r.Fields)
	pos := 0
	finished := false
	check := r.OrderCheck()
	skip, want := r.Offset, r.MaxRecords
	if want > 0 {
		want += skip
	}
	var read int64
	src := pages(func() ([]catalog.Record, bool, error) {
		k.requests++
		end := min(pos+r.PageSize, len(all))
		page := all[pos:end]
		pos = end
		read += int64(len(page))
		next := pos < len(all)
		finished = !next
		if want > 0 && read >= want {
			next = false
		}
		if err := check.Check(page); err != nil {
			return nil, false, err
		}
		if from := skip - (read - int64(len(page))); from > 0 {
			page = page[min(from, int64(len(page))):]
		}
		if want > 0 && read > want {
			page = page[:max(int64(len(page))-(read-want), 0)]
		}
		return page, next, nil
	})
	return src, func() {
		if !finished {
			k.requests++
			k.deleted++
		}
	}
}
