package kintonegorm

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
	"gorm.io/gorm/migrator"
	"gorm.io/gorm/schema"
)

// Migrator is GORM's migrator for Kintone. Apps and fields are made in
// Kintone, so every schema change (AutoMigrate, CreateTable, DropTable,
// AddColumn, CreateIndex, ...) fails with a *SchemaError wrapping
// ErrSchemaChange, before any request. What can be read is answered from
// the driver's metadata: HasTable, GetTables, HasColumn and ColumnTypes.
// Kintone has no indexes, constraints or views: Has* report false and
// GetIndexes nothing.
type Migrator struct {
	db        *gorm.DB
	dialector Dialector
}

var _ gorm.Migrator = Migrator{}

// refuse is the error of a schema change op on the tables of values.
func (m Migrator) refuse(op string, values ...any) error {
	names := make([]string, 0, len(values))
	for _, v := range values {
		if name := m.tableName(v); name != "" {
			names = append(names, name)
		}
	}
	return &SchemaError{Op: op, Table: strings.Join(names, ", ")}
}

// tableName is the table GORM would use for value: a string is a table
// name, a model is parsed (its TableName or the naming strategy); "" when
// neither works.
func (m Migrator) tableName(value any) string {
	stmt, err := m.statement(value)
	if err != nil {
		return ""
	}
	return stmt.Table
}

// statement parses value as GORM's own migrator does, keeping a table set
// with db.Table(...).
func (m Migrator) statement(value any) (*gorm.Statement, error) {
	stmt := &gorm.Statement{DB: m.db}
	if m.db.Statement != nil {
		stmt.Table = m.db.Statement.Table
	}
	if table, ok := value.(string); ok {
		stmt.Table = table
		return stmt, nil
	}
	if err := stmt.ParseWithSpecialTableName(value, stmt.Table); err != nil {
		return nil, fmt.Errorf("kintonegorm: %w", err)
	}
	return stmt, nil
}

// AutoMigrate fails with a *SchemaError: create the app and its fields in
// Kintone, then map a struct to it.
func (m Migrator) AutoMigrate(dst ...any) error { return m.refuse("AutoMigrate", dst...) }

// CurrentDatabase is "": Kintone has apps but no databases.
func (m Migrator) CurrentDatabase() string { return "" }

// FullDataTypeOf is the MySQL type GORM would give field. It is only used
// to describe a schema change, which this migrator refuses.
func (m Migrator) FullDataTypeOf(field *schema.Field) clause.Expr {
	return clause.Expr{SQL: m.dialector.DataTypeOf(field)}
}

// GetTypeAliases returns nothing: Kintone's field types have no aliases.
func (m Migrator) GetTypeAliases(string) []string { return nil }

// CreateTable fails with a *SchemaError.
func (m Migrator) CreateTable(dst ...any) error { return m.refuse("CreateTable", dst...) }

// DropTable fails with a *SchemaError.
func (m Migrator) DropTable(dst ...any) error { return m.refuse("DropTable", dst...) }

// HasTable reports whether the driver resolves dst's table to an app (by
// ID, app code, unique name or DSN alias). It reads no records.
func (m Migrator) HasTable(dst any) bool {
	_, err := m.columns(dst)
	return err == nil
}

// RenameTable fails with a *SchemaError.
func (m Migrator) RenameTable(oldName, _ any) error { return m.refuse("RenameTable", oldName) }

// GetTables lists the tables (apps) the credentials can see, by the names
// the driver gives them.
func (m Migrator) GetTables() ([]string, error) {
	var names []string
	err := m.db.Raw("SELECT TABLE_NAME FROM information_schema.tables").Scan(&names).Error
	if err != nil {
		return nil, fmt.Errorf("kintonegorm: listing tables: %w", err)
	}
	return names, nil
}

// TableType fails: Kintone has only apps, and GORM's TableType describes
// SQL tables and views.
func (m Migrator) TableType(dst any) (gorm.TableType, error) {
	return nil, fmt.Errorf("kintonegorm: TableType of %s: Kintone apps have no table type", m.tableName(dst))
}

// AddColumn fails with a *SchemaError.
func (m Migrator) AddColumn(dst any, _ string) error { return m.refuse("AddColumn", dst) }

// DropColumn fails with a *SchemaError.
func (m Migrator) DropColumn(dst any, _ string) error { return m.refuse("DropColumn", dst) }

// AlterColumn fails with a *SchemaError.
func (m Migrator) AlterColumn(dst any, _ string) error { return m.refuse("AlterColumn", dst) }

// MigrateColumn fails with a *SchemaError.
func (m Migrator) MigrateColumn(dst any, _ *schema.Field, _ gorm.ColumnType) error {
	return m.refuse("MigrateColumn", dst)
}

// MigrateColumnUnique fails with a *SchemaError.
func (m Migrator) MigrateColumnUnique(dst any, _ *schema.Field, _ gorm.ColumnType) error {
	return m.refuse("MigrateColumnUnique", dst)
}

// HasColumn reports whether dst's table has the column: field is a struct
// field name of the model or a field code.
func (m Migrator) HasColumn(dst any, field string) bool {
	cols, err := m.columns(dst)
	if err != nil {
		return false
	}
	name := field
	if stmt, err := m.statement(dst); err == nil && stmt.Schema != nil {
		if f := stmt.Schema.LookUpField(field); f != nil {
			name = f.DBName
		}
	}
	for _, c := range cols {
		if c.Name() == name {
			return true
		}
	}
	return false
}

// RenameColumn fails with a *SchemaError.
func (m Migrator) RenameColumn(dst any, _, _ string) error { return m.refuse("RenameColumn", dst) }

// ColumnTypes describes the columns of dst's table from SHOW FULL COLUMNS:
// the name (the field code), the Kintone field type as DatabaseTypeName,
// nullability, uniqueness, and $id as the auto-increment primary key.
func (m Migrator) ColumnTypes(dst any) ([]gorm.ColumnType, error) {
	cols, err := m.columns(dst)
	if err != nil {
		return nil, err
	}
	out := make([]gorm.ColumnType, len(cols))
	for i, c := range cols {
		out[i] = c
	}
	return out, nil
}

// columns reads SHOW FULL COLUMNS FROM dst's table.
func (m Migrator) columns(dst any) ([]migrator.ColumnType, error) {
	stmt, err := m.statement(dst)
	if err != nil {
		return nil, err
	}
	if stmt.Table == "" {
		return nil, errors.New("kintonegorm: no table name: pass a model or a table name")
	}
	rows, err := m.db.Session(&gorm.Session{NewDB: true}).
		Raw("SHOW FULL COLUMNS FROM ?", clause.Table{Name: stmt.Table}).Rows()
	if err != nil {
		return nil, fmt.Errorf("kintonegorm: columns of %s: %w", stmt.Table, err)
	}
	defer rows.Close()
	var cols []migrator.ColumnType
	for rows.Next() {
		var name, typ, null, key, extra string
		var def, comment sql.NullString
		if err := rows.Scan(&name, &typ, &null, &key, &def, &extra, &comment); err != nil {
			return nil, fmt.Errorf("kintonegorm: columns of %s: %w", stmt.Table, err)
		}
		cols = append(cols, migrator.ColumnType{
			NameValue:          sql.NullString{String: name, Valid: true},
			DataTypeValue:      sql.NullString{String: typ, Valid: true},
			ColumnTypeValue:    sql.NullString{String: typ, Valid: true},
			PrimaryKeyValue:    sql.NullBool{Bool: key == "PRI", Valid: true},
			UniqueValue:        sql.NullBool{Bool: key == "PRI" || key == "UNI", Valid: true},
			AutoIncrementValue: sql.NullBool{Bool: strings.Contains(extra, "auto_increment"), Valid: true},
			NullableValue:      sql.NullBool{Bool: null == "YES", Valid: true},
			DefaultValueValue:  def,
			CommentValue:       comment,
		})
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("kintonegorm: columns of %s: %w", stmt.Table, err)
	}
	return cols, nil
}

// CreateView fails with a *SchemaError.
func (m Migrator) CreateView(name string, _ gorm.ViewOption) error {
	return m.refuse("CreateView", name)
}

// DropView fails with a *SchemaError.
func (m Migrator) DropView(name string) error { return m.refuse("DropView", name) }

// CreateConstraint fails with a *SchemaError.
func (m Migrator) CreateConstraint(dst any, _ string) error {
	return m.refuse("CreateConstraint", dst)
}

// DropConstraint fails with a *SchemaError.
func (m Migrator) DropConstraint(dst any, _ string) error { return m.refuse("DropConstraint", dst) }

// HasConstraint is false: Kintone has no constraints beyond a field's
// required and unique settings, which ColumnTypes reports.
func (m Migrator) HasConstraint(any, string) bool { return false }

// CreateIndex fails with a *SchemaError.
func (m Migrator) CreateIndex(dst any, _ string) error { return m.refuse("CreateIndex", dst) }

// DropIndex fails with a *SchemaError.
func (m Migrator) DropIndex(dst any, _ string) error { return m.refuse("DropIndex", dst) }

// HasIndex is false: Kintone has no indexes to name.
func (m Migrator) HasIndex(any, string) bool { return false }

// RenameIndex fails with a *SchemaError.
func (m Migrator) RenameIndex(dst any, _, _ string) error { return m.refuse("RenameIndex", dst) }

// GetIndexes returns none: Kintone has no indexes to name.
func (m Migrator) GetIndexes(any) ([]gorm.Index, error) { return nil, nil }
