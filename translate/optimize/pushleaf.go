package optimize

import (
	"sort"
	"strconv"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
)

// This file translates one leaf condition on one field into Kintone's
// query language, type by type, and says how exact the translation is
// (see pushdown.go).

// operand is a value a field is compared with: a typed constant or a
// Kintone function.
type operand struct {
	v     any
	kfunc *expr.KFunc
}

// pushLeaf translates one leaf. never reports a leaf that can never be
// TRUE (x = NULL, x IN () after dropping values no row can hold).
func (p *Pusher) pushLeaf(e expr.Expr) (q kql.Expr, class exactness, never bool) {
	var col *catalog.Column
	var op string
	var vals []operand
	switch n := e.(type) {
	case *expr.Cmp:
		if q, class, ok := p.pushLength(n); ok {
			return q, class, false
		}
		l, r, o := n.L, n.R, n.Op
		if _, ok := r.(*expr.ColRef); ok {
			if _, lok := l.(*expr.ColRef); !lok {
				l, r = r, l
				o = map[string]string{"=": "=", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<=", "<=>": "<=>"}[o]
			}
		}
		c, ok := l.(*expr.ColRef)
		if !ok || o == "<=>" {
			return nil, notPushed, false
		}
		v, ok := operandOf(r)
		if !ok {
			return nil, notPushed, false
		}
		if v.kfunc == nil && v.v == nil {
			return nil, notPushed, true // x op NULL is NULL
		}
		col, op, vals = c.Col, o, []operand{v}
	case *expr.In:
		c, ok := n.X.(*expr.ColRef)
		if !ok || n.NoPush {
			return nil, notPushed, false
		}
		col = c.Col
		op = "in"
		if n.Not {
			op = "not in"
		}
		for _, item := range n.List {
			v, ok := operandOf(item)
			if !ok {
				return nil, notPushed, false
			}
			if v.kfunc == nil && v.v == nil {
				if n.Not {
					return nil, notPushed, true // NOT IN (..., NULL) is never TRUE
				}
				continue // IN (..., NULL): NULL never makes it TRUE
			}
			vals = append(vals, v)
		}
		if len(vals) == 0 {
			return nil, notPushed, true
		}
	case *expr.IsNull:
		c, ok := n.X.(*expr.ColRef)
		if !ok {
			return nil, notPushed, false
		}
		col = c.Col
		op = "is null"
		if n.Not {
			op = "is not null"
		}
	default:
		return nil, notPushed, false
	}
	if col.Type == "" || !kql.ValidFieldRef(col.Code) || col.Code == catalog.ColRowID {
		return nil, notPushed, false
	}
	if col.Code == catalog.ColID && (op == "is null" || op == "is not null") {
		if op == "is null" {
			return nil, notPushed, true
		}
		return nil, pushedExact, false // always true: no condition
	}
	q, class, never = p.pushTyped(col, op, vals)
	if q == nil && class == pushedExact && !col.Inner {
		return nil, pushedExact, false // always true: no condition
	}
	if q == nil || class == notPushed {
		return nil, notPushed, never
	}
	if col.Inner {
		return innerPush(col, q)
	}
	return q, class, never
}

// pushLength translates JSON_LENGTH(list) compared with 0 or 1, SQL's
// test of an empty multi-valued field: for FILE, is empty / is not empty
// (exact, A.4); for CHECK_BOX and MULTI_SELECT, "empty" as not in (every
// option), a superset (a record holding only options deleted since also
// matches), checked again in Go. ok is false for anything else.
func (p *Pusher) pushLength(n *expr.Cmp) (q kql.Expr, class exactness, ok bool) {
	call, other, op := n.L, n.R, n.Op
	if _, isCall := call.(*expr.Call); !isCall {
		call, other = other, call
		op = map[string]string{"=": "=", "!=": "!=", "<": ">", ">": "<", "<=": ">=", ">=": "<="}[op]
	}
	c, isCall := call.(*expr.Call)
	k, isConst := other.(*expr.Const)
	if !isCall || !isConst || c.Fn == nil || c.Fn.Name != "json_length" || len(c.Args) != 1 {
		return nil, notPushed, false
	}
	ref, isCol := c.Args[0].(*expr.ColRef)
	if !isCol || ref.Col.Inner || !kql.ValidFieldRef(ref.Col.Code) {
		return nil, notPushed, false
	}
	n0, isInt := k.Value.(int64)
	if !isInt {
		return nil, notPushed, false
	}
	var empty bool
	switch {
	case op == "=" && n0 == 0, op == "<" && n0 == 1, op == "<=" && n0 == 0:
		empty = true
	case op == "!=" && n0 == 0, op == ">" && n0 == 0, op == ">=" && n0 == 1:
		empty = false
	default:
		return nil, notPushed, false
	}
	col := ref.Col
	switch col.Type {
	case field.File:
		if empty {
			return &kql.Cond{Field: col.Code, Op: field.IsEmpty}, pushedExact, true
		}
		return &kql.Cond{Field: col.Code, Op: field.IsNotEmpty}, pushedExact, true
	case field.CheckBox, field.MultiSelect:
		if !empty || col.Prop == nil || len(col.Prop.Options) == 0 {
			return nil, notPushed, false
		}
		opts := make([]string, 0, len(col.Prop.Options))
		for o := range col.Prop.Options {
			opts = append(opts, o)
		}
		sort.Strings(opts)
		vals := make([]kql.Value, len(opts))
		for i, o := range opts {
			vals[i] = kql.Value{Kind: kql.String, Text: o}
		}
		return &kql.Cond{Field: col.Code, Op: field.NotIn, Values: vals}, pushedSuperset, true
	}
	return nil, notPushed, false
}

// operandOf reads a constant or a Kintone function.
func operandOf(e expr.Expr) (operand, bool) {
	switch n := e.(type) {
	case *expr.Const:
		return operand{v: n.Value}, true
	case *expr.KFunc:
		return operand{kfunc: n}, true
	}
	return operand{}, false
}

// innerPush adapts a leaf on a field inside a subtable (a child table's
// column). Kintone matches a record when at least one of its rows
// satisfies a positive condition (A.6.6), so every positive leaf is a
// superset of the child rows' answer and is checked again in Go; = is not
// allowed there and becomes in (GAIA_IQ07). Negative conditions hold only
// when every row satisfies them, which would drop records that hold a
// matching row among others, so they are not pushed.
func innerPush(col *catalog.Column, q kql.Expr) (kql.Expr, exactness, bool) {
	cond, ok := q.(*kql.Cond)
	if !ok {
		return nil, notPushed, false // an OR of = from IN on dates: keep it simple
	}
	switch cond.Op {
	case field.Eq:
		c := *cond
		c.Op = field.In
		cond = &c
	case field.Ne, field.NotIn, field.NotLike, field.IsNotEmpty:
		return nil, notPushed, false
	}
	if !col.Type.Allows(cond.Op, true) {
		return nil, notPushed, false
	}
	return cond, pushedSuperset, false
}

// pushTyped translates a leaf on a field of a known type; see the table at
// the top of the file.
func (p *Pusher) pushTyped(col *catalog.Column, op string, vals []operand) (kql.Expr, exactness, bool) {
	t := col.Type
	switch t {
	case field.ID:
		return p.pushOrdered(col, op, vals, pushedExact, pushedExact, true)
	case field.Creator, field.Modifier:
		switch op {
		case "=", "in":
			return p.member(col, field.In, vals, pushedExact)
		case "!=", "not in":
			return p.member(col, field.NotIn, vals, pushedExact)
		}
	case field.CreatedTime, field.UpdatedTime:
		return p.pushOrdered(col, op, vals, pushedExact, pushedExact, false)
	case field.SingleLineText, field.Link:
		if op != "=" && op != "in" {
			return nil, notPushed, false
		}
		// "" never equals a non-NULL text (an empty value is NULL), so it
		// is dropped rather than sent (Kintone's "" idiom is unverified).
		var kept []operand
		for _, v := range vals {
			if s, ok := v.v.(string); ok && s != "" {
				kept = append(kept, v)
			}
		}
		if len(kept) == 0 {
			return nil, notPushed, true
		}
		fop := field.In
		if op == "=" {
			fop = field.Eq
		}
		return p.cond(col, fop, kept, pushedSuperset)
	case field.MultiLineText:
		if op == "is null" {
			return &kql.Cond{Field: col.Code, Op: field.IsEmpty}, pushedSuperset, false
		}
	case field.Number, field.Calc:
		if col.Kind != catalog.KNumber {
			return nil, notPushed, false
		}
		return p.pushOrdered(col, op, vals, pushedExact, pushedExceptEmpty, false)
	case field.Date, field.Time, field.DateTime:
		return p.pushOrdered(col, op, vals, pushedExact, pushedExceptEmpty, false)
	case field.CheckBox, field.MultiSelect:
		// Kintone documents not in as the negation of in, "no stored
		// element is listed" (QUERY-AND-FIELDS.md A.4 [D]), which holds for
		// a record with nothing checked, as for SQL's NOT IN on a list
		// here (A.6.5 marks the empty case untested; the official docs'
		// wording is what this relies on).
		if !p.allOptions(col, vals) {
			return nil, notPushed, false
		}
		switch op {
		case "in":
			return p.member(col, field.In, vals, pushedExact)
		case "not in":
			return p.member(col, field.NotIn, vals, pushedExact)
		}
	case field.RadioButton:
		if !p.allOptions(col, vals) {
			return nil, notPushed, false
		}
		switch op {
		case "=", "in":
			return p.member(col, field.In, vals, pushedExact)
		case "!=", "not in":
			return p.member(col, field.NotIn, vals, pushedExceptEmpty)
		}
	case field.DropDown:
		switch op {
		case "is null":
			// Documented: in ("") returns exactly the unselected records.
			return &kql.Cond{Field: col.Code, Op: field.In, Values: []kql.Value{{Kind: kql.String}}}, pushedExact, false
		case "is not null":
			return &kql.Cond{Field: col.Code, Op: field.NotIn, Values: []kql.Value{{Kind: kql.String}}}, pushedExact, false
		}
		if !p.allOptions(col, vals) {
			return nil, notPushed, false
		}
		switch op {
		case "=", "in":
			return p.member(col, field.In, vals, pushedExact)
		case "!=", "not in":
			// Documented: not in ("", "a") returns the records with a
			// value other than a, which is SQL's != 'a'.
			return p.member(col, field.NotIn, append([]operand{{v: ""}}, vals...), pushedExact)
		}
	case field.Status:
		switch op {
		case "=", "in":
			return p.member(col, field.In, vals, pushedExact)
		case "!=", "not in":
			return p.member(col, field.NotIn, vals, pushedExceptEmpty)
		}
	case field.UserSelect, field.OrganizationSelect, field.GroupSelect, field.StatusAssignee:
		// As for check boxes: in is "any element listed", not in "none
		// listed" (an empty selection included). No entity has the code
		// "", which Kintone may read as "the empty selection" (as
		// DROP_DOWN does), so it is not sent: in ("") matches nothing and
		// not in ("") everything.
		var kept []operand
		for _, v := range vals {
			if s, ok := v.v.(string); !ok || s != "" || v.kfunc != nil {
				kept = append(kept, v)
			}
		}
		switch {
		case len(kept) == 0 && op == "in":
			return nil, notPushed, true
		case len(kept) == 0 && op == "not in":
			return nil, pushedExact, false // always true: no condition
		case op == "in":
			return p.member(col, field.In, kept, pushedExact)
		case op == "not in":
			return p.member(col, field.NotIn, kept, pushedExact)
		}
	}
	return nil, notPushed, false
}

// pushOrdered translates a leaf on an ordered type ($id, numbers, dates,
// times): eq is the exactness of = and IN, other that of the rest. Types
// without in / not in get an OR of = or an AND of !=. integer requires
// whole numbers ($id).
func (p *Pusher) pushOrdered(col *catalog.Column, op string, vals []operand, eq, other exactness, integer bool) (kql.Expr, exactness, bool) {
	fop, ok := map[string]field.Op{"=": field.Eq, "!=": field.Ne, "<": field.Lt, "<=": field.Le, ">": field.Gt, ">=": field.Ge,
		"in": field.In, "not in": field.NotIn}[op]
	if !ok {
		return nil, notPushed, false
	}
	class := other
	switch op {
	case "=", "in":
		class = eq
	case ">", ">=":
		// An empty value satisfies no > or >= comparison: the one report
		// (QUERY-AND-FIELDS.md A.6.3 [T]) has an empty NUMBER compare as
		// minus infinity, which fails > and >= with every value, and no
		// reading of the docs has an empty date, time or date-time pass a
		// range test. So these are exact; <, <= and != are not (minus
		// infinity passes them).
		class = eq
	}
	if col.Inner && fop == field.Eq {
		fop = field.In // = is refused inside subtables (GAIA_IQ07)
	}
	vals, never, ok := p.alignToPrecision(col, op, vals)
	if never {
		return nil, notPushed, true
	}
	if !ok {
		return nil, notPushed, false
	}
	kvals := make([]kql.Value, 0, len(vals))
	for _, v := range vals {
		kv, ok := p.value(col, v, integer)
		if !ok {
			return nil, notPushed, false
		}
		kvals = append(kvals, kv)
	}
	if (fop == field.In || fop == field.NotIn) && !col.Type.Allows(fop, col.Inner) {
		// Dates and times have no in: IN is an OR of =, NOT IN an AND of !=.
		each, join := field.Eq, false
		if fop == field.NotIn {
			each, join = field.Ne, true
		}
		if !col.Type.Allows(each, col.Inner) {
			return nil, notPushed, false
		}
		terms := make([]kql.Expr, len(kvals))
		for i, kv := range kvals {
			terms[i] = &kql.Cond{Field: col.Code, Op: each, Values: []kql.Value{kv}}
		}
		if len(terms) == 1 {
			return terms[0], class, false
		}
		if join {
			return &kql.And{Terms: terms}, class, false
		}
		return &kql.Or{Terms: terms}, class, false
	}
	if !col.Type.Allows(fop, col.Inner) {
		return nil, notPushed, false
	}
	return &kql.Cond{Field: col.Code, Op: fop, Values: kvals}, class, false
}

// alignToPrecision adjusts bounds finer than the field's precision: Kintone
// keeps DATE to the day and TIME and DATETIME to the minute (A.6.4), so a
// stored value never has seconds. x < 10:00:30 is then x < 10:01, x >
// 10:00:30 is x > 10:00, x = 10:00:30 never holds and x != 10:00:30 holds
// for every value. never reports an = or IN that no value can satisfy; ok
// is false when nothing is left to push (a != that always holds).
func (p *Pusher) alignToPrecision(col *catalog.Column, op string, vals []operand) (out []operand, never, ok bool) {
	var unit func(time.Time) time.Time
	switch col.Kind {
	case catalog.KDate:
		unit = func(t time.Time) time.Time {
			t = t.In(p.Loc)
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, p.Loc)
		}
	case catalog.KDateTime:
		unit = func(t time.Time) time.Time { return t.Truncate(time.Minute) } // UTC minutes
	case catalog.KTime:
		unit = func(t time.Time) time.Time { // the wall clock: TIME has no zone
			return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, t.Location())
		}
	default:
		return vals, false, true
	}
	next := func(t time.Time) time.Time {
		if col.Kind == catalog.KDate {
			return t.AddDate(0, 0, 1)
		}
		return t.Add(time.Minute)
	}
	for _, v := range vals {
		t, isTime := v.v.(time.Time)
		if !isTime || v.kfunc != nil {
			out = append(out, v)
			continue
		}
		floor := unit(t)
		if floor.Equal(t) {
			out = append(out, v)
			continue
		}
		switch op {
		case "<", ">=":
			out = append(out, operand{v: next(floor)})
		case "<=", ">":
			out = append(out, operand{v: floor})
		case "=", "in", "!=", "not in":
			// No stored value equals t: drop it from the list.
		}
	}
	if len(out) == 0 {
		if op == "=" || op == "in" {
			return nil, true, false
		}
		return nil, false, false
	}
	return out, false, true
}

// cond builds a condition with the given values.
func (p *Pusher) cond(col *catalog.Column, op field.Op, vals []operand, class exactness) (kql.Expr, exactness, bool) {
	if !col.Type.Allows(op, col.Inner) && !(col.Inner && op == field.Eq) {
		return nil, notPushed, false
	}
	kvals := make([]kql.Value, 0, len(vals))
	for _, v := range vals {
		kv, ok := p.value(col, v, false)
		if !ok {
			return nil, notPushed, false
		}
		kvals = append(kvals, kv)
	}
	return &kql.Cond{Field: col.Code, Op: op, Values: kvals}, class, false
}

// member builds an in / not in condition.
func (p *Pusher) member(col *catalog.Column, op field.Op, vals []operand, class exactness) (kql.Expr, exactness, bool) {
	if !col.Type.Allows(op, col.Inner) {
		return nil, notPushed, false
	}
	return p.cond(col, op, vals, class)
}

// allOptions reports whether every value is a defined option of col:
// Kintone refuses a query naming any other value (GAIA_IQ10) instead of
// matching nothing, so such a leaf is left to Go.
func (p *Pusher) allOptions(col *catalog.Column, vals []operand) bool {
	if col.Prop == nil || len(col.Prop.Options) == 0 {
		return false
	}
	for _, v := range vals {
		s, ok := v.v.(string)
		if v.kfunc != nil || !ok {
			return false
		}
		if _, ok := col.Prop.Options[s]; !ok {
			return false
		}
	}
	return true
}

// value prints an operand as a kql value for col, or reports false when
// Kintone could not compare it with the same meaning: a date that is not
// at midnight, a time or date and time with seconds (Kintone keeps
// minutes), a fractional $id, a function the field does not take.
func (p *Pusher) value(col *catalog.Column, v operand, integer bool) (kql.Value, bool) {
	if v.kfunc != nil {
		if !col.Type.AllowsFunc(v.kfunc.Value.Text) {
			return kql.Value{}, false
		}
		return v.kfunc.Value, true
	}
	switch col.Kind {
	case catalog.KText, catalog.KList, catalog.KEntities, catalog.KEntity:
		s, ok := v.v.(string)
		return kql.Value{Kind: kql.String, Text: s}, ok
	case catalog.KNumber, catalog.KInt:
		var text string
		switch x := v.v.(type) {
		case int64:
			text = strconv.FormatInt(x, 10)
		case field.Decimal:
			canon, ok := field.NormalizeNumber(string(x))
			if !ok {
				return kql.Value{}, false
			}
			text = canon
		default:
			return kql.Value{}, false
		}
		if integer {
			if _, err := strconv.ParseInt(text, 10, 64); err != nil {
				return kql.Value{}, false
			}
		}
		return kql.Value{Kind: kql.Number, Text: text}, true
	case catalog.KDate:
		t, ok := v.v.(time.Time)
		if !ok {
			return kql.Value{}, false
		}
		t = t.In(p.Loc)
		if t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 || t.Nanosecond() != 0 {
			return kql.Value{}, false
		}
		return kql.Value{Kind: kql.String, Text: t.Format("2006-01-02")}, true
	case catalog.KDateTime:
		t, ok := v.v.(time.Time)
		if !ok || t.Second() != 0 || t.Nanosecond() != 0 {
			return kql.Value{}, false
		}
		return kql.Value{Kind: kql.String, Text: t.UTC().Format("2006-01-02T15:04:05Z")}, true
	case catalog.KTime:
		t, ok := v.v.(time.Time)
		if !ok || t.Second() != 0 || t.Nanosecond() != 0 {
			return kql.Value{}, false
		}
		return kql.Value{Kind: kql.String, Text: t.Format("15:04")}, true
	}
	return kql.Value{}, false
}
