package translate

import (
	"context"
	"fmt"
	"strings"

	"github.com/kintone-sql/kintone/internal/field"
)

// table is what a statement reads: an app, a subtable of an app as a child
// table, or a virtual table whose rows the plan makes itself.
type table struct {
	name  string // as the statement wrote it ("app" or "app.sub")
	alias string
	app   *App
	sub   *field.Property // the SUBTABLE of a child table, nil otherwise
	cols  []*column       // in SELECT * order
	// virtual is set for tables whose rows come from the Schema rather
	// than from Kintone records.
	virtual *virtualTable
}

// isChild reports whether t is a subtable read as a child table.
func (t *table) isChild() bool { return t.sub != nil }

// appTable builds the table of an app: $id, $revision and every field
// that has a value, in form order. STATUS, STATUS_ASSIGNEE and CATEGORY are
// left out when the app has them disabled (records then carry no value).
func appTable(app *App, name string) *table {
	t := &table{name: name, app: app}
	t.cols = append(t.cols, idColumn(), revisionColumn())
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
		t.cols = append(t.cols, newFieldColumn(p, false))
	}
	return t
}

// childTable builds the child table of a SUBTABLE: the parent's $id, the
// row's id as $row_id, and the inner fields.
func childTable(app *App, sub *field.Property, name string) *table {
	t := &table{name: name, app: app, sub: sub}
	t.cols = append(t.cols, idColumn(), rowIDColumn())
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
		t.cols = append(t.cols, newFieldColumn(p, true))
	}
	return t
}

// lookup finds a column by name: an exact match first, then a match that
// ignores ASCII and Unicode case when exactly one column has it (SQL
// identifiers are case-insensitive; Kintone field codes are not, so the
// exact spelling always wins).
func (t *table) lookup(name string) (*column, error) {
	for _, c := range t.cols {
		if c.name == name {
			return c, nil
		}
	}
	var found []*column
	for _, c := range t.cols {
		if strings.EqualFold(c.name, name) {
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
		names[i] = fmt.Sprintf("%q", c.name)
	}
	return nil, fmt.Errorf("column %q is ambiguous: it matches %s; write it with the exact case", name, strings.Join(names, " and "))
}

// resolveTable resolves a table reference: "information_schema.x",
// "dual", "app.subtable" or "app".
func resolveTable(ctx context.Context, schema Schema, qualifier, name string, pos Position, opts Options) (*table, error) {
	if strings.EqualFold(qualifier, "information_schema") {
		vt := infoSchemaTable(strings.ToLower(name), opts)
		if vt == nil {
			return nil, &UnknownTableError{Name: qualifier + "." + name, Pos: pos}
		}
		return &table{name: qualifier + "." + name, cols: vt.cols, virtual: vt}, nil
	}
	if qualifier == "" && strings.EqualFold(name, "dual") {
		vt := dualTable()
		return &table{name: name, cols: vt.cols, virtual: vt}, nil
	}
	lookupName := name
	if qualifier != "" {
		lookupName = qualifier
	}
	app, err := schema.App(ctx, lookupName)
	if err != nil {
		return nil, fmt.Errorf("kintone: resolving table %q: %w", lookupName, err)
	}
	if app == nil {
		return nil, &UnknownTableError{Name: lookupName, Pos: pos}
	}
	if qualifier == "" {
		return appTable(app, name), nil
	}
	full := qualifier + "." + name
	sub := app.Fields[name]
	if sub == nil || sub.Type != field.Subtable {
		return nil, &UnknownTableError{Name: full, Pos: pos}
	}
	if sub.Code == "" {
		q := *sub
		q.Code = name
		sub = &q
	}
	return childTable(app, sub, full), nil
}
