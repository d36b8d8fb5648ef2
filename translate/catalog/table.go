package catalog

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/kintone-sql/kintone/internal/errmsg"
	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/suggest"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// Table is what a statement reads: an app, a subtable of an app as a child
// Table, or a virtual table whose rows the plan makes itself.
type Table struct {
	Name  string // as the statement wrote it ("app" or "app.sub")
	Alias string
	App   *App
	Sub   *field.Property // the SUBTABLE of a child table, nil otherwise
	Cols  []*Column       // in SELECT * order
	// Virtual is set for tables whose rows come from the Schema rather
	// than from Kintone records.
	Virtual *VirtualTable
}

// IsChild reports whether t is a subtable read as a child table.
func (t *Table) IsChild() bool { return t.Sub != nil }

// appTable builds the table of an app: $id, $revision and every field
// that has a value, in form order. STATUS, STATUS_ASSIGNEE and CATEGORY are
// left out when the app has them disabled (records then carry no value).
func appTable(app *App, name string) *Table {
	t := &Table{Name: name, App: app}
	t.Cols = append(t.Cols, IDColumn(), RevisionColumn())
	for _, code := range app.orderedCodes(app.Fields) {
		p := app.Fields[code]
		if p == nil {
			continue
		}
		if p.Code == "" {
			q := *p
			q.Code = code
			p = &q
		}
		if !p.Type.HasValue() && p.Type.Known() {
			continue
		}
		switch p.Type {
		case field.Status, field.StatusAssignee, field.Category:
			if !p.Enabled {
				continue
			}
		case field.ID, field.Revision:
			continue
		}
		t.Cols = append(t.Cols, newFieldColumn(p, false))
	}
	return t
}

// childTable builds the child table of a SUBTABLE: the parent's $id, the
// row's id as $row_id, and the inner fields.
func childTable(app *App, sub *field.Property, name string) *Table {
	t := &Table{Name: name, App: app, Sub: sub}
	t.Cols = append(t.Cols, IDColumn(), rowIDColumn())
	for _, code := range app.orderedCodes(sub.Fields) {
		p := sub.Fields[code]
		if p == nil || !p.Type.HasValue() && p.Type.Known() {
			continue
		}
		if p.Code == "" {
			q := *p
			q.Code = code
			p = &q
		}
		t.Cols = append(t.Cols, newFieldColumn(p, true))
	}
	return t
}

// Column returns the column whose field code is code, nil when none.
func (t *Table) Column(code string) *Column {
	for _, c := range t.Cols {
		if c.Code == code {
			return c
		}
	}
	return nil
}

// Lookup finds a column by name: an exact match first, then a match that
// ignores ASCII and Unicode case when exactly one column has it (SQL
// identifiers are case-insensitive; Kintone field codes are not, so the
// exact spelling always wins). Table names follow the same rule.
func (t *Table) Lookup(name string) (*Column, error) {
	for _, c := range t.Cols {
		if c.Name == name {
			return c, nil
		}
	}
	var found []*Column
	for _, c := range t.Cols {
		if strings.EqualFold(c.Name, name) {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 0:
		return nil, nil
	case 1:
		return found[0], nil
	}
	names := make([]string, len(found))
	for i, c := range found {
		names[i] = c.Name
	}
	return nil, fmt.Errorf("column %q is ambiguous: it matches %s; write it with the exact case", sqlerr.Abbrev(name), quoteList(names))
}

// UnknownColumn is the message for a column name the table does not have:
// the names nearest to it, or else where to find the table's columns.
func (t *Table) UnknownColumn(name string) string {
	msg := fmt.Sprintf("unknown column %q in table %q", sqlerr.Abbrev(name), sqlerr.Abbrev(t.Name))
	names := make([]string, len(t.Cols))
	for i, c := range t.Cols {
		names[i] = c.Name
	}
	if near := suggest.Nearest(name, names, 3); len(near) > 0 {
		return msg + ": " + sqlerr.DidYouMean(near)
	}
	switch {
	case len(names) == 0:
		return msg + ": it has no columns"
	case t.Virtual != nil || len(names) <= 12:
		return msg + ": its columns are " + strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s: SHOW COLUMNS FROM %s lists them", msg, t.Name)
}

// ResolveTable resolves a table reference: "information_schema.x",
// "dual", "app.subtable" or "app". Names follow the columns' rule: the
// exact spelling first, then ignoring case when that is unambiguous (the
// Schema applies it to apps).
func ResolveTable(ctx context.Context, schema Schema, qualifier, name string, pos sqlerr.Position, db string) (*Table, error) {
	if strings.EqualFold(qualifier, "information_schema") {
		vt := infoSchemaTable(strings.ToLower(name), db)
		if vt == nil {
			e := &sqlerr.UnknownTableError{Name: qualifier + "." + name, Pos: pos}
			for _, n := range suggest.Nearest(name, []string{"tables", "columns"}, 2) {
				e.Suggestions = append(e.Suggestions, qualifier+"."+n)
			}
			return nil, e
		}
		return &Table{Name: qualifier + "." + name, Cols: vt.Cols, Virtual: vt}, nil
	}
	if qualifier == "" && strings.EqualFold(name, "dual") {
		vt := dualTable()
		return &Table{Name: name, Cols: vt.Cols, Virtual: vt}, nil
	}
	lookupName := name
	if qualifier != "" {
		lookupName = qualifier
	}
	app, err := schema.App(ctx, lookupName)
	if err != nil {
		var own *sqlerr.UnknownTableError
		if errors.As(err, &own) {
			// The Schema's own, with what it knows of the names.
			e := *own
			e.Pos = pos
			if e.Name == "" {
				e.Name = lookupName
			}
			return nil, &e
		}
		return nil, fmt.Errorf("kintone: resolving table %q (at %s): %w", sqlerr.Abbrev(lookupName), pos, errmsg.Inner(err))
	}
	if app == nil {
		return nil, unknownApp(ctx, schema, lookupName, pos)
	}
	if qualifier == "" {
		return appTable(app, name), nil
	}
	full := qualifier + "." + name
	code, sub, err := subtableField(app, name)
	if err != nil {
		return nil, &sqlerr.Error{Pos: pos, Msg: fmt.Sprintf("table %q is ambiguous: %v", sqlerr.Abbrev(full), err)}
	}
	if sub == nil {
		e := &sqlerr.UnknownTableError{Name: full, Pos: pos}
		var codes []string
		for _, c := range app.orderedCodes(app.Fields) {
			if p := app.Fields[c]; p != nil && p.Type == field.Subtable {
				codes = append(codes, c)
			}
		}
		for _, c := range suggest.Nearest(name, codes, 3) {
			e.Suggestions = append(e.Suggestions, qualifier+"."+c)
		}
		if len(e.Suggestions) == 0 && len(codes) > 0 {
			e.Hint = fmt.Sprintf("the subtables of %s are %s", sqlerr.Abbrev(qualifier), strings.Join(codes, ", "))
		}
		if len(codes) == 0 {
			e.Hint = fmt.Sprintf("%s has no subtable", sqlerr.Abbrev(qualifier))
		}
		return nil, e
	}
	if sub.Code != code {
		q := *sub
		q.Code = code
		sub = &q
	}
	return childTable(app, sub, full), nil
}

// subtableField finds the SUBTABLE field of app named name: its exact code
// first, then the only one whose code matches ignoring case. It returns
// the field's code and property, nil when there is none, and an error when
// several match ignoring case.
func subtableField(app *App, name string) (string, *field.Property, error) {
	if p := app.Fields[name]; p != nil && p.Type == field.Subtable {
		return name, p, nil
	}
	var codes []string
	for code, p := range app.Fields {
		if p != nil && p.Type == field.Subtable && strings.EqualFold(code, name) {
			codes = append(codes, code)
		}
	}
	sort.Strings(codes)
	switch len(codes) {
	case 0:
		return "", nil, nil
	case 1:
		return codes[0], app.Fields[codes[0]], nil
	}
	return "", nil, fmt.Errorf("it matches subtables %s; write it with the exact case", quoteList(codes))
}

// unknownApp is the error for a table name no app has, with the names of
// the apps nearest to it (the list is best effort: when it fails, the
// error has no suggestions).
func unknownApp(ctx context.Context, schema Schema, name string, pos sqlerr.Position) error {
	e := &sqlerr.UnknownTableError{Name: name, Pos: pos}
	if apps, err := schema.Apps(ctx); err == nil {
		var names []string
		for _, a := range apps {
			if a != nil {
				names = append(names, a.TableName(), a.Name)
			}
		}
		e.Suggestions = suggest.Nearest(name, names, 3)
	}
	if len(e.Suggestions) == 0 {
		e.Hint = "SHOW TABLES lists the tables"
	}
	return e
}

// quoteList prints names quoted, joined with "and".
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(sqlerr.Abbrev(n))
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}
