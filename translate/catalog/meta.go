package catalog

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

// VirtualTable is a table whose rows the plan makes itself.
type VirtualTable struct {
	Cols []*Column
	Rows func(ctx context.Context, schema Schema) ([]Record, error)
}

// VirtualColumn makes a column of a virtual table.
func VirtualColumn(name string, k Kind, nullable bool) *Column {
	return &Column{Name: name, Code: name, Kind: k, Nullable: nullable, dbType: k.SQLType()}
}

// dualTable is DUAL: one row, no columns (SELECT 1, SELECT 1 FROM DUAL).
func dualTable() *VirtualTable {
	return &VirtualTable{Rows: func(context.Context, Schema) ([]Record, error) { return []Record{{}}, nil }}
}

// infoSchemaTable returns information_schema.tables or .columns, or nil.
func infoSchemaTable(name, db string) *VirtualTable {
	switch name {
	case "tables":
		return tablesTable(db)
	case "columns":
		return columnsTable(db)
	}
	return nil
}

// tablesTable is information_schema.tables: one row per app, with MySQL's
// main columns and Kintone's identifiers.
func tablesTable(db string) *VirtualTable {
	vt := &VirtualTable{Cols: []*Column{
		VirtualColumn("TABLE_CATALOG", KText, false),
		VirtualColumn("TABLE_SCHEMA", KText, false),
		VirtualColumn("TABLE_NAME", KText, false),
		VirtualColumn("TABLE_TYPE", KText, false),
		VirtualColumn("TABLE_COMMENT", KText, true),
		VirtualColumn("APP_ID", KInt, false),
		VirtualColumn("APP_CODE", KText, true),
		VirtualColumn("APP_NAME", KText, true),
	}}
	vt.Rows = func(ctx context.Context, schema Schema) ([]Record, error) {
		apps, err := listApps(ctx, schema)
		if err != nil {
			return nil, err
		}
		rows := make([]Record, 0, len(apps))
		for _, a := range apps {
			rows = append(rows, Record{
				"TABLE_CATALOG": "def",
				"TABLE_SCHEMA":  db,
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
// App, loading each app's fields through Schema.App.
func columnsTable(db string) *VirtualTable {
	vt := &VirtualTable{Cols: []*Column{
		VirtualColumn("TABLE_CATALOG", KText, false),
		VirtualColumn("TABLE_SCHEMA", KText, false),
		VirtualColumn("TABLE_NAME", KText, false),
		VirtualColumn("COLUMN_NAME", KText, false),
		VirtualColumn("ORDINAL_POSITION", KInt, false),
		VirtualColumn("COLUMN_DEFAULT", KText, true),
		VirtualColumn("IS_NULLABLE", KText, false),
		VirtualColumn("DATA_TYPE", KText, false),
		VirtualColumn("COLUMN_TYPE", KText, false),
		VirtualColumn("COLUMN_KEY", KText, false),
		VirtualColumn("EXTRA", KText, false),
		VirtualColumn("COLUMN_COMMENT", KText, true),
	}}
	vt.Rows = func(ctx context.Context, schema Schema) ([]Record, error) {
		apps, err := listApps(ctx, schema)
		if err != nil {
			return nil, err
		}
		var rows []Record
		for _, a := range apps {
			full := a
			if full.Fields == nil {
				if full, err = schema.App(ctx, FormatInt(a.ID)); err != nil {
					return nil, fmt.Errorf("kintone: reading the fields of app %d: %w", a.ID, errmsg.Inner(err))
				}
				if full == nil {
					continue // deleted since it was listed
				}
			}
			t := appTable(full, a.TableName())
			for i, c := range t.Cols {
				d := describeColumn(c, false)
				rows = append(rows, Record{
					"TABLE_CATALOG":    "def",
					"TABLE_SCHEMA":     db,
					"TABLE_NAME":       a.TableName(),
					"COLUMN_NAME":      c.Name,
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

// ShowTablesTable is the table SHOW [FULL] TABLES reads: its column is
// named Tables_in_<database>, as in MySQL.
func ShowTablesTable(db string, full bool) *VirtualTable {
	nameCol := "Tables_in_" + db
	vt := &VirtualTable{Cols: []*Column{VirtualColumn(nameCol, KText, false)}}
	if full {
		vt.Cols = append(vt.Cols, VirtualColumn("Table_type", KText, false))
	}
	vt.Rows = func(ctx context.Context, schema Schema) ([]Record, error) {
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

// ShowColumnsTable is the table SHOW [FULL] COLUMNS FROM t and DESCRIBE t
// read: Field, Type, Null, Key, Default, Extra (and Comment, the field's
// label, with FULL). Type is the Kintone field type.
func ShowColumnsTable(t *Table, full bool) *VirtualTable {
	vt := &VirtualTable{Cols: []*Column{
		VirtualColumn("Field", KText, false),
		VirtualColumn("Type", KText, false),
		VirtualColumn("Null", KText, false),
		VirtualColumn("Key", KText, false),
		VirtualColumn("Default", KText, true),
		VirtualColumn("Extra", KText, false),
	}}
	if full {
		vt.Cols = append(vt.Cols, VirtualColumn("Comment", KText, true))
	}
	rows := make([]Record, len(t.Cols))
	for i, c := range t.Cols {
		rows[i] = describeColumn(c, t.IsChild())
	}
	vt.Rows = func(context.Context, Schema) ([]Record, error) { return rows, nil }
	return vt
}

// describeColumn is one row of SHOW COLUMNS for c.
func describeColumn(c *Column, child bool) Record {
	r := Record{
		"Field":   c.Name,
		"Type":    c.DBTypeName(),
		"Null":    "YES",
		"Key":     "",
		"Default": nil,
		"Extra":   "",
		"Comment": nil,
	}
	if !c.ReportedNullable() {
		r["Null"] = "NO"
	}
	switch {
	case c.Code == ColID && !child:
		r["Key"] = "PRI"
		r["Extra"] = "auto_increment"
	case c.Code == ColRowID:
		r["Key"] = "PRI"
	case c.Prop != nil && c.Prop.Unique:
		r["Key"] = "UNI"
	}
	if p := c.Prop; p != nil {
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

// DerivedColumn is a column of a derived table (a subquery in FROM)
// named name whose values are those of expression kind k; of, when the
// item is a column, lends its type (a NUMBER stays a NUMBER). Each call
// makes a new column: the outer query's references are to it, not to
// the inner table's column.
func DerivedColumn(name string, k Kind, of *Column) *Column {
	if of != nil {
		c := *of
		c.Name = name
		return &c
	}
	return VirtualColumn(name, k, true)
}
