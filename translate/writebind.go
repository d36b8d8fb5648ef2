package translate

import (
	"context"
	"encoding/json"
	"slices"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/bind"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
)

// This file binds the write templates to their arguments and picks the
// plan: records named by the WHERE are written directly, any other WHERE
// is read first (DESIGN.md, "Writing: the biggest batch the API allows").

// bindValue binds a value expression (of VALUES or SET) that reads no row
// and returns its value. A placeholder standing alone may hold a list (a
// checkbox's or a user selection's values), which bind refuses elsewhere.
func bindValue(b *bind.Binder, e expr.Expr) (v any, constant bool, err error) {
	if p, ok := e.(*expr.Param); ok && b.Bound {
		c, err := b.ArgValue(p)
		if err != nil {
			return nil, false, err
		}
		return c.Value, true, nil
	}
	x, err := b.Bind(e)
	if err != nil {
		return nil, false, err
	}
	c, ok := x.(*expr.Const)
	if !ok {
		return nil, false, nil // a placeholder not bound yet (Prepare)
	}
	return c.Value, true, nil
}

// checkValues encodes the values known at Prepare (literals, and
// expressions of literals), so that a bad one fails before the first Bind.
func (p *Prepared) checkValues() error {
	check := &bind.Binder{Text: p.src, Options: p.opts.bind()}
	codec := field.Codec{Location: p.opts.Location}
	switch t := p.write.(type) {
	case *insertTemplate:
		for i, row := range t.rows {
			for j, e := range row {
				if e == nil {
					continue
				}
				if _, err := encodeConst(check, codec, t.cols[j], e, true); err != nil {
					return &ValueError{Row: int64(i + 1), Column: t.cols[j].Name, Err: err}
				}
			}
		}
		if t.sel != nil {
			for _, e := range t.sel.Exprs() {
				if _, err := check.Bind(e); err != nil {
					return err
				}
			}
		}
	case *updateTemplate:
		for _, s := range slices.Concat(t.shadowed, t.consts) {
			if _, err := encodeConst(check, codec, s.col, s.e, false); err != nil {
				return &ValueError{Column: s.col.Name, Err: err}
			}
		}
		for _, e := range t.sel.Exprs() {
			if _, err := check.Bind(e); err != nil {
				return err
			}
		}
	case *deleteTemplate:
		for _, e := range t.sel.Exprs() {
			if _, err := check.Bind(e); err != nil {
				return err
			}
		}
	}
	return nil
}

// encodeConst binds a value that reads no row and encodes it for column c.
// Before binding, a value that needs an argument gives (nil, nil).
func encodeConst(b *bind.Binder, codec field.Codec, c *catalog.Column, e expr.Expr, create bool) (json.RawMessage, error) {
	v, ok, err := bindValue(b, e)
	if err != nil || !ok {
		return nil, err
	}
	if p, isParam := e.(*expr.Param); isParam && c.Type == field.Time {
		v = b.ClockArg(&p.Ref, v)
	}
	raw, err := encodeValue(codec, c, v, create)
	if err != nil {
		if ce, isConst := e.(*expr.Param); isConst && b.Bound {
			return nil, b.ArgErr(&ce.Ref, "%s", trimKintone(err))
		}
		return nil, err
	}
	return raw, nil
}

// trimKintone returns err's message without the package prefix.
func trimKintone(err error) string {
	s := err.Error()
	if len(s) > 9 && s[:9] == "kintone: " {
		return s[9:]
	}
	return s
}

// subPrepared is p reading sel, for planning the SELECT of a write:
// targets for the read that finds the records of an UPDATE or DELETE, not
// for the rows an INSERT ... SELECT copies (which its own write cannot
// move: another app's records, or the same app's read whole first). The
// read is never capped by Options.MaxRows: a write applies to every row
// its WHERE names.
func (p *Prepared) subPrepared(sel *bind.SelectTemplate, targets bool) *Prepared {
	q := *p
	q.tmpl, q.write, q.explain = sel, nil, false
	q.opts.MaxRows = 0
	q.writeTargets = targets
	return &q
}

// plan binds an INSERT.
func (t *insertTemplate) plan(ctx context.Context, p *Prepared, b *bind.Binder) (Statement, error) {
	codec := field.Codec{Location: p.opts.Location}
	ins := &Insert{App: t.tbl.App.ID, cols: t.cols, codec: codec, defaults: t.defaults}
	for _, c := range t.cols {
		ins.Columns = append(ins.Columns, c.Code)
	}
	if t.key != nil {
		ins.KeyField, ins.keyNumber = t.key.Code, t.key.Type == field.Number
	}
	if t.sel != nil {
		sel, err := planSelect(ctx, p.subPrepared(t.sel, false), b)
		if err != nil {
			return nil, err
		}
		ins.Select = sel
		ins.Targets = targetsOf(t.sel.Table, t.sel.Limit != nil, templateExprs(t.sel)...)
		ins.Sources = readApps(t.sel)
		for _, app := range ins.Sources {
			ins.SameApp = ins.SameApp || app == t.tbl.App.ID
		}
		return ins, nil
	}
	n := len(t.rows)
	if t.run != nil {
		n += t.run.Rows()
	}
	ins.Items = make([]WriteItem, 0, n)
	for i, row := range t.rows {
		rec := make(WriteRecord, len(row))
		for j, e := range row {
			if e == nil {
				continue // DEFAULT: Kintone applies the field's default
			}
			c := t.cols[j]
			raw, err := encodeConst(b, codec, c, e, true)
			if err != nil {
				return nil, &ValueError{Row: int64(i + 1), Column: c.Name, Err: err}
			}
			rec[c.Code] = raw
		}
		if err := ins.add(int64(i+1), rec); err != nil {
			return nil, err
		}
	}
	if t.run == nil {
		return ins, nil
	}
	if err := t.bindRun(ctx, p, b, ins); err != nil {
		return nil, err
	}
	return ins, nil
}

// bindArgValue encodes the argument of placeholder ref for column c of an
// INSERT: encodeConst for a value that is a placeholder, without building
// the expression.
func bindArgValue(b *bind.Binder, arena *rawArena, codec field.Codec, c *catalog.Column, ref *expr.ParamRef) (json.RawMessage, error) {
	v, _, err := b.ConvertArg(ref)
	if err != nil {
		return nil, err
	}
	if c.Type == field.Time {
		v = b.ClockArg(ref, v)
	}
	raw, err := arena.encode(codec, c, v, true)
	if err != nil {
		return nil, b.ArgErr(ref, "%s", trimKintone(err))
	}
	return raw, nil
}

// plan binds an UPDATE: directly by $id or by update key when the WHERE
// names the records and every SET value is the same for all rows,
// otherwise reading the records first.
func (t *updateTemplate) plan(ctx context.Context, p *Prepared, b *bind.Binder) (Statement, error) {
	codec := field.Codec{Location: p.opts.Location}
	u := &Update{App: t.tbl.App.ID, set: t.rowDep, consts: WriteRecord{}, codec: codec, Targets: writeTargets(t.sel, t.rowDep)}
	for _, s := range t.shadowed {
		if _, err := encodeConst(b, codec, s.col, s.e, false); err != nil {
			return nil, &ValueError{Column: s.col.Name, Err: err}
		}
	}
	for _, c := range t.assignedChecks {
		x, err := c.item.e, error(nil)
		if prm, ok := x.(*expr.Param); ok && b.Bound {
			x, err = b.ArgValue(prm) // a list stands alone for a multi-valued field
		} else if b.Bound {
			x, err = b.Bind(x)
		}
		if err != nil {
			return nil, err
		}
		if k, ok := x.(*expr.Const); ok {
			if err := keepsValue(p.src, c.item, c.at, k.Kind, k.Value == nil); err != nil {
				return nil, err
			}
		}
	}
	for _, s := range t.consts {
		raw, err := encodeConst(b, codec, s.col, s.e, false)
		if err != nil {
			return nil, &ValueError{Column: s.col.Name, Err: err}
		}
		u.consts[s.col.Code] = raw
	}
	if len(t.rowDep) == 0 && len(t.sel.Order) == 0 && t.sel.Limit == nil {
		where, err := b.Bind(t.sel.Where)
		if err != nil {
			return nil, err
		}
		if ids, rev, ok := idTargets(where); ok {
			u.ByID = true
			for i, id := range ids {
				u.Items = append(u.Items, WriteItem{Row: int64(i + 1), ID: id, Revision: rev, Record: u.consts})
			}
			return u, nil
		}
		if key, ok := keyTarget(where); ok {
			u.ByKey = true
			u.Items = []WriteItem{{Row: 1, Key: key, Record: u.consts}}
			return u, nil
		}
	}
	sel, err := planSelect(ctx, p.subPrepared(t.sel, true), b)
	if err != nil {
		return nil, err
	}
	u.Select = sel
	return u, nil
}

// plan binds a DELETE: directly by $id when the WHERE names the records,
// otherwise reading their $id and $revision first.
func (t *deleteTemplate) plan(ctx context.Context, p *Prepared, b *bind.Binder) (Statement, error) {
	d := &Delete{App: t.tbl.App.ID, Targets: writeTargets(t.sel, nil)}
	if len(t.sel.Order) == 0 && t.sel.Limit == nil {
		where, err := b.Bind(t.sel.Where)
		if err != nil {
			return nil, err
		}
		if ids, rev, ok := idTargets(where); ok {
			for i, id := range ids {
				d.Items = append(d.Items, WriteItem{Row: int64(i + 1), ID: id, Revision: rev})
			}
			return d, nil
		}
	}
	sel, err := planSelect(ctx, p.subPrepared(t.sel, true), b)
	if err != nil {
		return nil, err
	}
	d.Select = sel
	return d, nil
}

// idTargets recognizes a bound WHERE that names records by $id: $id = n,
// $id IN (n, ...), or $id = n AND $revision = r (optimistic locking). The
// ids come back in order, without repeats. Anything else, or an id or
// revision that is not a positive integer (no record has it: reading
// finds nothing), is not a target.
func idTargets(where expr.Expr) (ids []int64, rev int64, ok bool) {
	switch n := where.(type) {
	case *expr.Cmp:
		if id, ok := columnEqInt(n, catalog.ColID); ok {
			return []int64{id}, 0, true
		}
	case *expr.In:
		if c, isCol := n.X.(*expr.ColRef); !isCol || n.Not || c.Col.Code != catalog.ColID || c.Col.Inner {
			return nil, 0, false
		}
		for _, item := range n.List {
			id, ok := positiveInt(item)
			if !ok {
				return nil, 0, false
			}
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		return ids, 0, len(ids) > 0
	case *expr.Logic:
		if !n.And || len(n.Terms) != 2 {
			return nil, 0, false
		}
		for i := range 2 {
			a, isCmpA := n.Terms[i].(*expr.Cmp)
			r, isCmpR := n.Terms[1-i].(*expr.Cmp)
			if !isCmpA || !isCmpR {
				return nil, 0, false
			}
			id, okID := columnEqInt(a, catalog.ColID)
			rev, okRev := columnEqInt(r, catalog.ColRev)
			if okID && okRev {
				return []int64{id}, rev, true
			}
		}
	}
	return nil, 0, false
}

// columnEqInt recognizes code = n (or n = code) with n a positive integer.
func columnEqInt(n *expr.Cmp, code string) (int64, bool) {
	if n.Op != "=" {
		return 0, false
	}
	col, other := n.L, n.R
	if _, ok := col.(*expr.ColRef); !ok {
		col, other = other, col
	}
	c, ok := col.(*expr.ColRef)
	if !ok || c.Col.Code != code || c.Col.Inner {
		return 0, false
	}
	return positiveInt(other)
}

// positiveInt returns the value of a constant that is a positive int64.
func positiveInt(e expr.Expr) (int64, bool) {
	c, ok := e.(*expr.Const)
	if !ok {
		return 0, false
	}
	v, ok := c.Value.(int64)
	return v, ok && v > 0
}

// keyTarget recognizes a bound WHERE "unique_field = value" on a
// SINGLE_LINE_TEXT or NUMBER field with "prohibit duplicate values", the
// fields Kintone's updateKey accepts. An empty value is never a key (it is
// NULL here, and Kintone never matches it). Kintone does not document how
// it compares a text key; it is assumed to match exactly, as = does.
func keyTarget(where expr.Expr) (*UpdateKey, bool) {
	n, ok := where.(*expr.Cmp)
	if !ok || n.Op != "=" {
		return nil, false
	}
	col, other := n.L, n.R
	if _, ok := col.(*expr.ColRef); !ok {
		col, other = other, col
	}
	c, ok := col.(*expr.ColRef)
	k, isConst := other.(*expr.Const)
	if !ok || !isConst || c.Col.Inner || c.Col.Prop == nil || !c.Col.Prop.Unique ||
		c.Col.Type != field.SingleLineText && c.Col.Type != field.Number {
		return nil, false
	}
	var value string
	switch v := k.Value.(type) {
	case string:
		value = v
	case int64:
		value = catalog.FormatInt(v)
	case field.Decimal:
		value = string(v)
	default:
		return nil, false
	}
	if value == "" {
		return nil, false
	}
	return &UpdateKey{Field: c.Col.Code, Value: value, Number: c.Col.Type == field.Number}, true
}
