package translate

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/kintone-sql/kintone/internal/errmsg"
	"github.com/kintone-sql/kintone/internal/field"
)

// This file holds the metadata tables: information_schema.tables and
// information_schema.columns, the tables behind SHOW TABLES and SHOW
// COLUMNS / DESCRIBE, and DUAL. Their rows come from the Schema when a
// statement is bound; everything else (WHERE, ORDER BY, aggregates) runs
// on them in Go like on any other rows.

// virtualTable is a table whose rows the plan makes itself.
type virtualTable struct {
	cols []*column
	rows func(ctx context.Context, schema Schema) ([]Record, error)
}

// virtualColumn makes a column of a virtual table.
func virtualColumn(name string, k kind, nullable bool) *column {
	return &column{name: name, code: name, kind: k, nullable: nullable, dbType: k.sqlType()}
}

// dualTable is DUAL: one row, no columns (SELECT 1, SELECT 1 FROM DUAL).
func dualTable() *virtualTable {
	return &virtualTable{rows: func(context.Context, Schema) ([]Record, error) { return []Record{{}}, nil }}
}

// infoSchemaTable returns information_schema.tables or .columns, or nil.
func infoSchemaTable(name string, opts Options) *virtualTable {
	switch name {
	case "tables":
		return tablesTable(opts)
	case "columns":
		return columnsTable(opts)
	}
	return nil
}

// tablesTable is information_schema.tables: one row per app, with MySQL's
// main columns and Kintone's identifiers.
func tablesTable(opts Options) *virtualTable {
	vt := &virtualTable{cols: []*column{
		virtualColumn("TABLE_CATALOG", kText, false),
		virtualColumn("TABLE_SCHEMA", kText, false),
		virtualColumn("TABLE_NAME", kText, false),
		virtualColumn("TABLE_TYPE", kText, false),
		virtualColumn("TABLE_COMMENT", kText, true),
		virtualColumn("APP_ID", kInt, false),
		virtualColumn("APP_CODE", kText, true),
		virtualColumn("APP_NAME", kText, true),
	}}
	vt.rows = func(ctx context.Context, schema Schema) ([]Record, error) {
		apps, err := listApps(ctx, schema)
		if err != nil {
			return nil, err
		}
		rows := make([]Record, 0, len(apps))
		for _, a := range apps {
			rows = append(rows, Record{
				"TABLE_CATALOG": "def",
				"TABLE_SCHEMA":  opts.Database,
				"TABLE_NAME":    a.TableName(),
				"TABLE_TYPE":    "BASE TABLE",
				"TABLE_COMMENT": nullIfEmpty(a.Name),
				"APP_ID":        a.ID,
				"APP_CODE":      nullIfEmpty(a.Code),
				"APP_NAME":      nullIfEmpty(a.Name),
			})
		}
		return rows, nil
	}
	return vt
}

// columnsTable is information_schema.columns: one row per column of every
// app, loading each app's fields through Schema.App.
func columnsTable(opts Options) *virtualTable {
	vt := &virtualTable{cols: []*column{
		virtualColumn("TABLE_CATALOG", kText, false),
		virtualColumn("TABLE_SCHEMA", kText, false),
		virtualColumn("TABLE_NAME", kText, false),
		virtualColumn("COLUMN_NAME", kText, false),
		virtualColumn("ORDINAL_POSITION", kInt, false),
		virtualColumn("COLUMN_DEFAULT", kText, true),
		virtualColumn("IS_NULLABLE", kText, false),
		virtualColumn("DATA_TYPE", kText, false),
		virtualColumn("COLUMN_TYPE", kText, false),
		virtualColumn("COLUMN_KEY", kText, false),
		virtualColumn("EXTRA", kText, false),
		virtualColumn("COLUMN_COMMENT", kText, true),
	}}
	vt.rows = func(ctx context.Context, schema Schema) ([]Record, error) {
		apps, err := listApps(ctx, schema)
		if err != nil {
			return nil, err
		}
		var rows []Record
		for _, a := range apps {
			full := a
			if full.Fields == nil {
				if full, err = schema.App(ctx, formatInt(a.ID)); err != nil {
					return nil, fmt.Errorf("kintone: reading the fields of app %d: %w", a.ID, errmsg.Inner(err))
				}
				if full == nil {
					continue // deleted since it was listed
				}
			}
			t := appTable(full, a.TableName())
			for i, c := range t.cols {
				d := describeColumn(c, false)
				rows = append(rows, Record{
					"TABLE_CATALOG":    "def",
					"TABLE_SCHEMA":     opts.Database,
					"TABLE_NAME":       a.TableName(),
					"COLUMN_NAME":      c.name,
					"ORDINAL_POSITION": int64(i + 1),
					"COLUMN_DEFAULT":   d["Default"],
					"IS_NULLABLE":      d["Null"],
					"DATA_TYPE":        d["Type"],
					"COLUMN_TYPE":      d["Type"],
					"COLUMN_KEY":       d["Key"],
					"EXTRA":            d["Extra"],
					"COLUMN_COMMENT":   d["Comment"],
				})
			}
		}
		return rows, nil
	}
	return vt
}

// listApps lists the apps in ID order.
func listApps(ctx context.Context, schema Schema) ([]*App, error) {
	apps, err := schema.Apps(ctx)
	if err != nil {
		return nil, fmt.Errorf("kintone: listing apps: %w", errmsg.Inner(err))
	}
	out := make([]*App, 0, len(apps))
	for _, a := range apps {
		if a != nil {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// showTablesTable is the table SHOW [FULL] TABLES reads: its column is
// named Tables_in_<database>, as in MySQL.
func showTablesTable(opts Options, full bool) *virtualTable {
	nameCol := "Tables_in_" + opts.Database
	vt := &virtualTable{cols: []*column{virtualColumn(nameCol, kText, false)}}
	if full {
		vt.cols = append(vt.cols, virtualColumn("Table_type", kText, false))
	}
	vt.rows = func(ctx context.Context, schema Schema) ([]Record, error) {
		apps, err := listApps(ctx, schema)
		if err != nil {
			return nil, err
		}
		rows := make([]Record, len(apps))
		for i, a := range apps {
			rows[i] = Record{nameCol: a.TableName(), "Table_type": "BASE TABLE"}
		}
		return rows, nil
	}
	return vt
}

// showColumnsTable is the table SHOW [FULL] COLUMNS FROM t and DESCRIBE t
// read: Field, Type, Null, Key, Default, Extra (and Comment, the field's
// label, with FULL). Type is the Kintone field type.
func showColumnsTable(t *table, full bool) *virtualTable {
	vt := &virtualTable{cols: []*column{
		virtualColumn("Field", kText, false),
		virtualColumn("Type", kText, false),
		virtualColumn("Null", kText, false),
		virtualColumn("Key", kText, false),
		virtualColumn("Default", kText, true),
		virtualColumn("Extra", kText, false),
	}}
	if full {
		vt.cols = append(vt.cols, virtualColumn("Comment", kText, true))
	}
	rows := make([]Record, len(t.cols))
	for i, c := range t.cols {
		rows[i] = describeColumn(c, t.isChild())
	}
	vt.rows = func(context.Context, Schema) ([]Record, error) { return rows, nil }
	return vt
}

// describeColumn is one row of SHOW COLUMNS for c.
func describeColumn(c *column, child bool) Record {
	r := Record{
		"Field":   c.name,
		"Type":    c.dbTypeName(),
		"Null":    "YES",
		"Key":     "",
		"Default": nil,
		"Extra":   "",
		"Comment": nil,
	}
	if !c.reportedNullable() {
		r["Null"] = "NO"
	}
	switch {
	case c.code == colID && !child:
		r["Key"] = "PRI"
		r["Extra"] = "auto_increment"
	case c.code == colRowID:
		r["Key"] = "PRI"
	case c.prop != nil && c.prop.Unique:
		r["Key"] = "UNI"
	}
	if p := c.prop; p != nil {
		r["Comment"] = nullIfEmpty(p.Label)
		r["Default"] = defaultText(p)
		switch {
		case p.Type == field.Calc:
			r["Extra"] = "computed: " + p.Expression
		case p.Lookup != nil:
			r["Extra"] = "lookup"
		}
	}
	return r
}

// defaultText prints a field's default value: text as it is, lists as
// JSON, NULL when there is none.
func defaultText(p *field.Property) any {
	if p.DefaultNowValue {
		return "now"
	}
	switch v := p.DefaultValue.(type) {
	case nil:
		return nil
	case string:
		return nullIfEmpty(v)
	}
	b, err := json.Marshal(p.DefaultValue)
	if err != nil || string(b) == "[]" || string(b) == "null" {
		return nil
	}
	return string(b)
}

// nullIfEmpty maps "" to NULL.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
