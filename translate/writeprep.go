package translate

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/bind"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/parse"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// This file resolves INSERT, UPDATE and DELETE at Prepare time: the table,
// the columns written and whether Kintone lets a write set them, the
// values, and the WHERE that finds the records.

// writeTemplate is a resolved write statement before its arguments are
// bound.
type writeTemplate interface {
	plan(ctx context.Context, p *Prepared, b *bind.Binder) (Statement, error)
}

// insertTemplate is a resolved INSERT.
type insertTemplate struct {
	tbl  *catalog.Table
	cols []*catalog.Column
	rows [][]expr.Expr        // VALUES; a nil expr is DEFAULT: the field is left out
	run  *parse.ParamRun      // VALUES rows after the first, when all are placeholders
	sel  *bind.SelectTemplate // INSERT ... SELECT
	key  *catalog.Column      // the upsert key, nil without ON DUPLICATE KEY UPDATE
	// implicit: the statement has no column list, and cols are the
	// app's writable fields (implicitColumns).
	implicit bool
	// defaults are sent for the fields a REPLACE by key leaves out or
	// gives DEFAULT (prepareReplace); nil otherwise.
	defaults WriteRecord
}

// updateTemplate is a resolved UPDATE. sel reads the records to update:
// $id, $revision, then the row-dependent SET values.
type updateTemplate struct {
	tbl    *catalog.Table
	consts []*setItem // SET values that do not depend on the row
	rowDep []*setItem // SET values computed from the row, in sel's item order
	sel    *bind.SelectTemplate
	// shadowed are constant SET values a later assignment to the same
	// column replaced: encoded when bound, to fail as MySQL would, and
	// never written.
	shadowed []*setItem
	// assignedChecks are the placeholders that later SET expressions
	// read in place of the column they were assigned to: their kinds
	// are checked when bound.
	assignedChecks []assignedCheck
}

// assignedCheck is a SET value a later SET expression reads, at offset
// at, whose kind is known only once bound.
type assignedCheck struct {
	item *setItem
	at   int
}

// setItem is one SET col = e.
type setItem struct {
	col  *catalog.Column
	e    expr.Expr
	text string // the value as the statement wrote it
}

// deleteTemplate is a resolved DELETE; sel reads $id and $revision.
type deleteTemplate struct {
	tbl *catalog.Table
	sel *bind.SelectTemplate
}

// writeTable resolves the table a write names: an app, not a child table
// or a virtual one.
func writeTable(ctx context.Context, src *bind.Text, schema catalog.Schema, opts Options, verb string, tn parse.TableName) (*catalog.Table, error) {
	tbl, err := bind.ResolveTableName(ctx, src, schema, opts.bind(), tn)
	if err != nil {
		return nil, err
	}
	return tbl, checkWritable(src, tbl, verb, tn.Pos())
}

// checkWritable refuses writes to virtual and child tables.
func checkWritable(src *bind.Text, tbl *catalog.Table, verb string, at int) error {
	switch {
	case tbl.Virtual != nil:
		return &sqlerr.Error{Pos: src.Pos(at), Msg: fmt.Sprintf("%s cannot write to %s: it is not an app", verb, tbl.Name)}
	case tbl.IsChild():
		return &sqlerr.UnsupportedError{Construct: verb + " on a child table", Pos: src.Pos(at),
			Hint: fmt.Sprintf("write the subtable as the JSON column %s of the app", tbl.Sub.Code)}
	}
	return nil
}

// writableColumn checks that a write may set column c: never $id,
// $revision or the fields Kintone computes (CALC, RECORD_NUMBER, STATUS,
// ...); CREATOR, CREATED_TIME, MODIFIER and UPDATED_TIME only when
// creating (and then only with app-administrator rights).
func writableColumn(src *bind.Text, c *catalog.Column, at int, create bool) error {
	w := c.Type.Info().Write
	switch {
	case c.Prop == nil || w == field.ReadOnly || !c.Type.HasValue():
		return &sqlerr.Error{Pos: src.Pos(at), Msg: fmt.Sprintf("column %s (%s) cannot be written: Kintone sets it", c.Name, c.DBTypeName())}
	case w == field.CreateOnly && !create:
		return &sqlerr.Error{Pos: src.Pos(at), Msg: fmt.Sprintf("column %s (%s) can only be set when a record is added", c.Name, c.DBTypeName())}
	}
	return nil
}

// refersToColumns reports whether e reads the row.
func refersToColumns(e expr.Expr) bool { return firstColumn(e) != nil }

// firstColumn returns the first column e reads, or nil.
func firstColumn(e expr.Expr) *expr.ColRef {
	var found *expr.ColRef
	expr.Walk(e, func(x expr.Expr) bool {
		if c, ok := x.(*expr.ColRef); ok {
			found = c
		}
		return found == nil
	})
	return found
}

// prepareInsert resolves INSERT INTO t (cols) VALUES (...), (...) or
// INSERT INTO t (cols) SELECT ..., with an optional ON DUPLICATE KEY
// UPDATE.
func prepareInsert(ctx context.Context, src *bind.Text, schema catalog.Schema, opts Options, n *parse.Insert) (*insertTemplate, error) {
	verb := "INSERT"
	if n.Replace {
		verb = "REPLACE"
	}
	tbl, err := writeTable(ctx, src, schema, opts, verb, n.Table)
	if err != nil {
		return nil, err
	}
	t := &insertTemplate{tbl: tbl}
	if n.Columns == nil {
		// MySQL's INSERT INTO t VALUES (...): every column in table
		// order, or none when the first row is () (a row of defaults).
		if n.Query != nil || len(n.Rows[0].Values) > 0 {
			t.cols, t.implicit = implicitColumns(tbl), true
		}
	}
	seen := map[*catalog.Column]bool{}
	for _, ci := range n.Columns {
		name, at := ci.Name.Name, ci.Name.Pos()
		c, err := tbl.Lookup(name)
		if err != nil {
			return nil, &sqlerr.Error{Pos: src.Pos(at), Msg: err.Error()}
		}
		if c == nil {
			return nil, &sqlerr.Error{Pos: src.Pos(at), Msg: tbl.UnknownColumn(name)}
		}
		if err := writableColumn(src, c, at, true); err != nil {
			return nil, err
		}
		if seen[c] {
			return nil, &sqlerr.Error{Pos: src.Pos(at), Msg: fmt.Sprintf("column %s is listed twice", c.Name)}
		}
		seen[c] = true
		t.cols = append(t.cols, c)
	}

	b := &bind.Builder{Text: src, Table: tbl}
	var end int // where the rows or the SELECT end
	switch {
	case n.Query != nil:
		sel := n.Query
		st, err := bind.PrepareQuery(ctx, src, schema, opts.bind(), sel, nil)
		if err != nil {
			return nil, err
		}
		if st.Table != nil && st.Table.Virtual == nil && st.Table.App == nil {
			return nil, &sqlerr.Error{Pos: src.Pos(n.Pos()), Msg: "INSERT ... SELECT needs a table to read"}
		}
		if len(st.Items) != len(t.cols) {
			return nil, &sqlerr.Error{Pos: src.Pos(sel.Pos()), Msg: fmt.Sprintf("the SELECT gives %d columns for %d inserted columns%s", len(st.Items), len(t.cols), t.columnsNote())}
		}
		t.sel, end = st, sel.End()
	default:
		for i, r := range n.Rows {
			if len(r.Values) != len(t.cols) {
				return nil, &sqlerr.Error{Pos: src.Pos(r.Pos()), Msg: fmt.Sprintf("row %d has %d values for %d columns%s", i+1, len(r.Values), len(t.cols), t.columnsNote())}
			}
			row := make([]expr.Expr, len(r.Values))
			for j, v := range r.Values {
				if d, def := v.(*parse.Default); def && d.Column == nil {
					continue // DEFAULT: the field is left out
				}
				e, err := b.Expr(v, bind.ExprCtx{})
				if err != nil {
					return nil, err
				}
				if c := firstColumn(e); c != nil {
					return nil, &sqlerr.Error{Pos: src.Pos(c.Offset()), Msg: "a value of VALUES cannot refer to columns"}
				}
				row[j] = e
			}
			t.rows = append(t.rows, row)
			end = r.End()
		}
		if t.run = n.Run; t.run != nil { // the rows after the only row parsed
			end = t.run.End()
		}
	}
	if n.Replace {
		if err := prepareReplace(src, field.Codec{Location: opts.Location}, t, n); err != nil {
			return nil, err
		}
	}
	if len(n.OnDup) > 0 {
		// ON DUPLICATE KEY UPDATE follows the rows: messages about the
		// upsert as a whole point at DUPLICATE.
		at := src.Next(src.Next(end) + len("ON"))
		if t.key, err = upsertKey(src, t, n.OnDup, at); err != nil {
			return nil, err
		}
		if err := upsertDefaults(src, field.Codec{Location: opts.Location}, t, n); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// implicitColumns are the columns of INSERT INTO t VALUES (...) without a
// column list: MySQL's "every column of the table, in order", where a
// column is what a new record may be given. That is the app's fields in
// form order, as DESCRIBE lists them, without $id and $revision, what
// Kintone computes (record number, CALC, STATUS, STATUS_ASSIGNEE,
// CATEGORY), what it fills for every new record (CREATOR, MODIFIER,
// CREATED_TIME, UPDATED_TIME: settable on add, but only by an app
// administrator, and no script means to set them by position) and the
// fields a lookup copies into (Kintone overwrites a value sent for
// them).
func implicitColumns(tbl *catalog.Table) []*catalog.Column {
	copied := map[string]bool{}
	for _, c := range tbl.Cols {
		if c.Prop != nil && c.Prop.Lookup != nil {
			for _, m := range c.Prop.Lookup.FieldMappings {
				copied[m.Field] = true
			}
		}
	}
	var cols []*catalog.Column
	for _, c := range tbl.Cols {
		if c.Prop != nil && c.Type.HasValue() && c.Type.Info().Write == field.Writable && !copied[c.Code] {
			cols = append(cols, c)
		}
	}
	return cols
}

// columnsNote names the columns an INSERT without a column list takes,
// for the message about a row of the wrong length; "" with a list.
func (t *insertTemplate) columnsNote() string {
	if !t.implicit {
		return ""
	}
	return fmt.Sprintf(": without a column list, INSERT INTO %s takes the app's writable fields in form order (%s)", t.tbl.Name, columnNames(t.cols))
}

// upsertKey checks ON DUPLICATE KEY UPDATE and returns the unique field it
// upserts on. Kintone's upsert (PUT records.json with upsert: true) sends
// one record that is written whole whether it updates or inserts, so the
// only form it can run is "every inserted column but the key takes the
// inserted value": col = VALUES(col) for each of them. at is the offset of
// DUPLICATE.
func upsertKey(src *bind.Text, t *insertTemplate, dup []*parse.Assignment, at int) (*catalog.Column, error) {
	inserted := map[*catalog.Column]bool{}
	for _, c := range t.cols {
		inserted[c] = true
	}
	assigned := map[*catalog.Column]bool{}
	for _, a := range dup {
		name, nameAt := a.Column.Name.Name, a.Column.Name.Pos()
		c, err := t.tbl.Lookup(name)
		if err != nil || c == nil || !inserted[c] {
			return nil, &sqlerr.Error{Pos: src.Pos(nameAt), Msg: fmt.Sprintf("ON DUPLICATE KEY UPDATE can only assign inserted columns, not %q", name)}
		}
		vf, ok := a.Value.(*parse.ValuesFunc)
		if !ok || !strings.EqualFold(vf.Column.Name.Name, name) && vf.Column.Name.Name != c.Name {
			value := sqlerr.Abbrev(src.SQL[a.Value.Pos():a.Value.End()])
			return nil, &sqlerr.UnsupportedError{Construct: fmt.Sprintf("ON DUPLICATE KEY UPDATE %s = %s", name, value), Pos: src.Pos(nameAt),
				Hint: fmt.Sprintf("Kintone's upsert writes the same values whether it adds or updates: write %s = VALUES(%s)", name, name)}
		}
		assigned[c] = true
	}
	var keys []*catalog.Column
	for _, c := range t.cols {
		if c.Prop != nil && c.Prop.Unique && (c.Type == field.SingleLineText || c.Type == field.Number) {
			keys = append(keys, c)
		}
	}
	var key *catalog.Column
	switch {
	case len(keys) == 0:
		return nil, &sqlerr.Error{Pos: src.Pos(at), Msg: "ON DUPLICATE KEY UPDATE needs a unique key among the inserted columns: a SINGLE_LINE_TEXT or NUMBER field with \"prohibit duplicate values\""}
	case len(keys) == 1:
		key = keys[0]
	default:
		// Several unique fields: the key is the one left out of the
		// assignments.
		var left []*catalog.Column
		for _, k := range keys {
			if !assigned[k] {
				left = append(left, k)
			}
		}
		if len(left) != 1 {
			return nil, &sqlerr.Error{Pos: src.Pos(at), Msg: fmt.Sprintf("the inserted columns have several unique fields (%s); leave exactly one, the key, out of ON DUPLICATE KEY UPDATE", columnNames(keys))}
		}
		key = left[0]
	}
	var missing []*catalog.Column
	for _, c := range t.cols {
		if c != key && !assigned[c] {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, &sqlerr.UnsupportedError{Construct: "ON DUPLICATE KEY UPDATE of some columns only", Pos: src.Pos(at),
			Hint: fmt.Sprintf("Kintone's upsert writes the same values whether it adds or updates, so every inserted column but the key %s must be assigned VALUES(col); missing: %s", key.Name, columnNames(missing))}
	}
	return key, nil
}

// columnNames lists column names for a message.
func columnNames(cols []*catalog.Column) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return strings.Join(names, ", ")
}

// prepareUpdate resolves UPDATE t SET col = e, ... [WHERE ...] [ORDER BY
// ...] [LIMIT n].
func prepareUpdate(ctx context.Context, src *bind.Text, schema catalog.Schema, opts Options, n *parse.Update) (*updateTemplate, error) {
	tbl, err := bind.FromClause(ctx, src, schema, opts.bind(), n.Tables)
	if err != nil {
		return nil, err
	}
	if err := checkWritable(src, tbl, "UPDATE", n.Tables[0].Pos()); err != nil {
		return nil, err
	}
	b := &bind.Builder{Text: src, Table: tbl}
	t := &updateTemplate{tbl: tbl}
	// MySQL applies a single-table UPDATE's assignments left to right:
	// the last one to a column wins, and an expression reads the value
	// an assignment before it gave (SET a = a + 1, b = a gives b the new
	// a). So a column assigned earlier is replaced by its assigned
	// expression in the ones after it; WHERE and ORDER BY still read the
	// record as it is.
	var set []*setItem
	latest := map[string]int{} // column code -> its item in set
	for _, a := range n.Set {
		ref, err := b.ColName(a.Column, bind.ExprCtx{})
		if err != nil {
			return nil, err
		}
		c, at := ref.(*expr.ColRef).Col, ref.Offset()
		if err := writableColumn(src, c, at, false); err != nil {
			return nil, err
		}
		if d, def := a.Value.(*parse.Default); def && d.Column == nil {
			return nil, &sqlerr.UnsupportedError{Construct: "SET ... = DEFAULT", Pos: src.Pos(d.Pos()), Hint: "Kintone applies default values only to new records"}
		}
		e, err := b.Expr(a.Value, bind.ExprCtx{})
		if err != nil {
			return nil, err
		}
		if e, err = t.readAssigned(src, e, set, latest); err != nil {
			return nil, err
		}
		s := &setItem{col: c, e: e, text: src.SQL[a.Value.Pos():a.Value.End()]}
		if i, ok := latest[c.Code]; ok {
			if !refersToColumns(set[i].e) {
				// Overwritten, but still a value for the column: a bad
				// one fails as MySQL's strict mode fails it.
				t.shadowed = append(t.shadowed, set[i])
			}
			set[i] = s
			continue
		}
		latest[c.Code] = len(set)
		set = append(set, s)
	}
	for _, s := range set {
		if refersToColumns(s.e) {
			t.rowDep = append(t.rowDep, s)
		} else {
			t.consts = append(t.consts, s)
		}
	}
	items := []*catalog.Column{tbl.Column(catalog.ColID), tbl.Column(catalog.ColRev)}
	t.sel, err = writeSelect(src, b, tbl, items, n.Where, n.OrderBy, n.Limit)
	if err != nil {
		return nil, err
	}
	for _, s := range t.rowDep {
		t.sel.Items = append(t.sel.Items, bind.Item{Expr: s.e, Name: s.col.Name, Column: bind.ColumnMeta(s.e, s.col.Name)})
	}
	return t, nil
}

// readAssigned replaces, in e, each column an earlier SET assignment
// (items, latest) gave a value by that value's expression. That is the
// value the record gets only when storing it in the column keeps it as
// SQL compares it: an expression of the column's kind (or of a number
// into a number, or NULL into a field that can be empty). Any other
// conversion (text into a DATE, say) is Kintone's to make, and is
// refused; a placeholder's kind is checked when its argument is bound
// (assignedChecks).
func (t *updateTemplate) readAssigned(src *bind.Text, e expr.Expr, items []*setItem, latest map[string]int) (expr.Expr, error) {
	if len(items) == 0 {
		return e, nil
	}
	return expr.Rewrite(e, func(x expr.Expr) (expr.Expr, error) {
		ref, ok := x.(*expr.ColRef)
		if !ok || ref.Col.Inner {
			return x, nil
		}
		i, ok := latest[ref.Col.Code]
		if !ok {
			return x, nil
		}
		s := items[i]
		if err := keepsValue(src, s, ref.Offset(), expr.KindOf(s.e), isNullConst(s.e)); err != nil {
			return nil, err
		}
		if expr.KindOf(s.e) == catalog.KAny && !isNullConst(s.e) {
			t.assignedChecks = append(t.assignedChecks, assignedCheck{item: s, at: ref.Offset()})
		}
		return s.e, nil
	})
}

// keepsValue checks that column s.col keeps a value of kind k (null: the
// value is NULL) as it is, so that a later SET expression may read the
// assigned value in place of the column, at offset at. KAny is a value
// not known yet: it passes, to be checked when bound.
func keepsValue(src *bind.Text, s *setItem, at int, k catalog.Kind, null bool) error {
	ck := s.col.Kind
	switch {
	case null && !ck.List(), !null && (k == catalog.KAny || k == ck || k.Numeric() && ck.Numeric()):
		return nil
	}
	what := "NULL"
	if !null {
		what = "a " + k.String()
	}
	return &sqlerr.UnsupportedError{Construct: fmt.Sprintf("reading %s after SET %s = %s", s.col.Name, s.col.Name, sqlerr.Abbrev(s.text)), Pos: src.Pos(at),
		Hint: fmt.Sprintf("MySQL reads the value SET stored in %s, and what Kintone stores for %s in a %s field is Kintone's to decide: write the value itself instead of %s", s.col.Name, what, s.col.DBTypeName(), s.col.Name)}
}

// isNullConst reports whether e is the NULL literal.
func isNullConst(e expr.Expr) bool {
	c, ok := e.(*expr.Const)
	return ok && c.Value == nil && c.Arg == nil
}

// prepareDelete resolves DELETE FROM t [WHERE ...] [ORDER BY ...] [LIMIT n].
func prepareDelete(ctx context.Context, src *bind.Text, schema catalog.Schema, opts Options, n *parse.Delete) (*deleteTemplate, error) {
	tbl, err := writeTable(ctx, src, schema, opts, "DELETE", n.Table)
	if err != nil {
		return nil, err
	}
	b := &bind.Builder{Text: src, Table: tbl}
	sel, err := writeSelect(src, b, tbl, []*catalog.Column{tbl.Column(catalog.ColID), tbl.Column(catalog.ColRev)}, n.Where, n.OrderBy, n.Limit)
	if err != nil {
		return nil, err
	}
	return &deleteTemplate{tbl: tbl, sel: sel}, nil
}

// writeSelect builds the SELECT that finds the records an UPDATE or DELETE
// writes: the given columns, the statement's WHERE, ORDER BY and LIMIT.
func writeSelect(src *bind.Text, b *bind.Builder, tbl *catalog.Table, cols []*catalog.Column, where parse.Expr, orderBy []*parse.OrderItem, limit *parse.Limit) (*bind.SelectTemplate, error) {
	t := &bind.SelectTemplate{Table: tbl}
	for _, c := range cols {
		ref := &expr.ColRef{Col: c, At: -1}
		t.Items = append(t.Items, bind.Item{Expr: ref, Name: c.Name, Column: bind.ColumnMeta(ref, c.Name)})
	}
	var err error
	if where != nil {
		if t.Where, err = b.Expr(where, bind.ExprCtx{Where: true}); err != nil {
			return nil, err
		}
		if err := bind.CheckKFuncPlacement(src, t.Where); err != nil {
			return nil, err
		}
	}
	for _, o := range orderBy {
		if bind.IsNullLiteral(o.Expr) {
			continue
		}
		e, err := b.Expr(o.Expr, bind.ExprCtx{})
		if err != nil {
			return nil, err
		}
		if k := expr.KindOf(e); bind.Unorderable(k) {
			return nil, &sqlerr.Error{Pos: src.Pos(e.Offset()), Msg: fmt.Sprintf("cannot sort by a %s", k)}
		}
		t.Order = append(t.Order, bind.OrderItem{Expr: e, Desc: o.Dir == "DESC", Nulls: o.Nulls, Output: -1})
	}
	if limit != nil {
		if limit.Offset != nil {
			at := src.Next(limit.Count.End()) // OFFSET
			if limit.Comma {
				at = limit.Offset.Pos()
			}
			return nil, &sqlerr.UnsupportedError{Construct: "OFFSET in UPDATE or DELETE", Pos: src.Pos(at)}
		}
		if t.Limit, err = b.LimitValue(limit.Count); err != nil {
			return nil, err
		}
	}
	if err := t.Group(src); err != nil {
		return nil, err
	}
	return t, t.MatchOrderToOutput(src)
}

// prepareWrite resolves an INSERT, UPDATE or DELETE.
func prepareWrite(ctx context.Context, src *bind.Text, schema catalog.Schema, opts Options, stmt parse.Stmt) (writeTemplate, error) {
	switch n := stmt.(type) {
	case *parse.Insert:
		return prepareInsert(ctx, src, schema, opts, n)
	case *parse.Update:
		return prepareUpdate(ctx, src, schema, opts, n)
	case *parse.Delete:
		return prepareDelete(ctx, src, schema, opts, n)
	}
	return nil, &sqlerr.UnsupportedError{Construct: "statement", Pos: src.Pos(stmt.Pos())}
}

// prepareReplace plans REPLACE INTO t (cols) ...: MySQL deletes the row
// that has the new row's value of a unique key and inserts the new row,
// whose unlisted columns take their defaults. Kintone's upsert by the
// unique field (updateKey) writes that row with one request: it adds the
// record, or updates the one with the key's value, and every writable
// field the statement leaves out (or gives DEFAULT) is sent with its
// default, so that the record holds the new row and nothing of the old
// one. What the upsert cannot do exactly is refused: several unique
// fields among the columns (MySQL deletes every row that has one of the
// values), a key of another type than SINGLE_LINE_TEXT or NUMBER, and a
// field left to a default only Kintone computes (the time or the user of
// the write, a date-time in the user's zone). Without a unique field
// among the columns no record can have the row's key: REPLACE is an
// INSERT, and Kintone applies the defaults itself.
func prepareReplace(src *bind.Text, codec field.Codec, t *insertTemplate, n *parse.Insert) error {
	at := n.Pos()
	listed := map[*catalog.Column]bool{}
	var uniques []*catalog.Column
	for _, c := range t.cols {
		listed[c] = true
		if c.Prop != nil && c.Prop.Unique {
			uniques = append(uniques, c)
		}
	}
	for _, c := range t.tbl.Cols {
		if c.Prop != nil && c.Prop.Unique && !listed[c] && defaultText(c) != "" {
			return &sqlerr.UnsupportedError{Construct: "REPLACE leaving out the unique field " + c.Name, Pos: src.Pos(at),
				Hint: fmt.Sprintf("its default %q may be another record's value, which MySQL would delete: list %s", defaultText(c), c.Name)}
		}
	}
	switch {
	case len(uniques) == 0:
		return nil
	case len(uniques) > 1:
		return &sqlerr.UnsupportedError{Construct: "REPLACE with several unique fields (" + columnNames(uniques) + ")", Pos: src.Pos(at),
			Hint: "MySQL deletes every record that has one of their values; Kintone's upsert finds one record by one unique field: list only one"}
	}
	key := uniques[0]
	if key.Type != field.SingleLineText && key.Type != field.Number {
		return &sqlerr.UnsupportedError{Construct: fmt.Sprintf("REPLACE by the unique field %s (%s)", key.Name, key.DBTypeName()), Pos: src.Pos(at),
			Hint: "Kintone's upsert finds a record by a unique SINGLE_LINE_TEXT or NUMBER field only"}
	}
	for _, c := range t.cols {
		if c.Type.Info().Write == field.CreateOnly {
			return &sqlerr.UnsupportedError{Construct: fmt.Sprintf("REPLACE setting %s (%s)", c.Name, c.DBTypeName()), Pos: src.Pos(at),
				Hint: "the upsert keeps the record it finds, and Kintone sets the field only when a record is added"}
		}
	}
	t.key = key
	// The defaults: of every writable field left out, and of those given
	// DEFAULT in a row.
	defaulted := defaultedColumns(t, n)
	t.defaults = WriteRecord{}
	for _, c := range implicitColumns(t.tbl) {
		where, ok := defaulted[c]
		switch {
		case c == key:
			continue
		case !listed[c]:
			where = at
		case !ok:
			continue
		}
		raw, why := defaultValue(codec, c)
		if why != "" {
			return &sqlerr.UnsupportedError{Construct: "REPLACE setting " + c.Name + " to its default", Pos: src.Pos(where),
				Hint: fmt.Sprintf("its default is %s, which Kintone applies only to a record it adds: give %s a value", why, c.Name)}
		}
		t.defaults[c.Code] = raw
	}
	return nil
}

// defaultedColumns maps each inserted column given DEFAULT in a row to
// the offset of its first DEFAULT.
func defaultedColumns(t *insertTemplate, n *parse.Insert) map[*catalog.Column]int {
	defaulted := map[*catalog.Column]int{}
	for _, r := range n.Rows {
		for j, v := range r.Values {
			if d, ok := v.(*parse.Default); ok && d.Column == nil && j < len(t.cols) {
				if _, seen := defaulted[t.cols[j]]; !seen {
					defaulted[t.cols[j]] = d.Pos()
				}
			}
		}
	}
	return defaulted
}

// upsertDefaults makes DEFAULT in a row of INSERT ... ON DUPLICATE KEY
// UPDATE col = VALUES(col) mean what it means in MySQL when the key
// exists: VALUES(col) is the default, so the record found gets it. Left
// out of the record, the field would keep the value it had (Kintone's
// upsert updates only the fields sent), so the default is sent; one only
// Kintone computes (the time or user of the write) cannot be, and the
// statement is refused at the DEFAULT.
func upsertDefaults(src *bind.Text, codec field.Codec, t *insertTemplate, n *parse.Insert) error {
	defaulted := defaultedColumns(t, n)
	for _, c := range t.cols {
		where, ok := defaulted[c]
		if !ok || c == t.key {
			continue
		}
		raw, why := defaultValue(codec, c)
		if why != "" {
			return &sqlerr.UnsupportedError{Construct: "DEFAULT for " + c.Name + " in an upsert (ON DUPLICATE KEY UPDATE)", Pos: src.Pos(where),
				Hint: fmt.Sprintf("its default is %s, which Kintone applies only to a record it adds, and the record found would keep its old value: give %s a value", why, c.Name)}
		}
		if t.defaults == nil {
			t.defaults = WriteRecord{}
		}
		t.defaults[c.Code] = raw
	}
	return nil
}

// defaultText is the static default of c's field as text ("" when none).
func defaultText(c *catalog.Column) string {
	switch v := c.Prop.DefaultValue.(type) {
	case nil:
		return ""
	case string:
		return v
	}
	b, err := json.Marshal(c.Prop.DefaultValue)
	if err != nil || string(b) == "[]" {
		return ""
	}
	return string(b)
}

// defaultValue encodes the value Kintone gives field c of a new record
// when the write leaves it out, to send it explicitly. why names a default
// only Kintone can compute ("" when raw is the default).
func defaultValue(codec field.Codec, c *catalog.Column) (raw json.RawMessage, why string) {
	p := c.Prop
	if p.DefaultNowValue {
		return nil, "the time of the write"
	}
	var v any
	switch d := p.DefaultValue.(type) {
	case nil:
	case string:
		if d != "" && c.Type == field.DateTime {
			return nil, fmt.Sprintf("%s in the Kintone user's time zone", d)
		}
		v = d
	default:
		b, err := json.Marshal(d)
		if err != nil {
			return nil, "a value this driver cannot read"
		}
		if strings.Contains(string(b), `"FUNCTION"`) {
			return nil, "computed from the user who writes (" + string(b) + ")"
		}
		v = string(b)
	}
	raw, err := encodeValue(codec, c, v, false)
	if err != nil {
		return nil, "a value this driver cannot write (" + err.Error() + ")"
	}
	return raw, ""
}
