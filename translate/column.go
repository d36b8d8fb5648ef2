package translate

import (
	"reflect"
	"strconv"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
)

// kind is the SQL-side type of a value: what comparisons, arithmetic and
// the output conversion make of it.
type kind int

const (
	kAny      kind = iota // unknown: NULL, or a placeholder not yet bound
	kText                 // string
	kNumber               // field.Decimal (exact decimal text)
	kInt                  // int64 ($id, $revision, COUNT)
	kBool                 // bool (a condition's value)
	kDate                 // time.Time at midnight in the location
	kDateTime             // time.Time
	kTime                 // time.Time on 0000-01-01 in the location
	kList                 // []string (CHECK_BOX, MULTI_SELECT, CATEGORY)
	kEntity               // field.EntityRef (CREATOR, MODIFIER)
	kEntities             // []field.EntityRef (user, organization, group selections)
	kFiles                // []field.FileRef
	kRows                 // []field.Row (a SUBTABLE as one column)
	kJSON                 // json.RawMessage (a field type this package does not know)
)

// numeric reports whether k holds numbers.
func (k kind) numeric() bool { return k == kNumber || k == kInt }

// multi reports whether k is a list, where IN tests membership.
func (k kind) multi() bool { return k == kList || k == kEntities }

// list reports whether k is a multi-valued field's kind, whose values are
// lists (never NULL: an empty one is []).
func (k kind) list() bool { return k == kList || k == kEntities || k == kFiles || k == kRows }

// String names the kind for error messages.
func (k kind) String() string {
	switch k {
	case kText:
		return "text"
	case kNumber, kInt:
		return "number"
	case kBool:
		return "boolean"
	case kDate:
		return "date"
	case kDateTime:
		return "datetime"
	case kTime:
		return "time"
	case kList:
		return "list of options"
	case kEntity:
		return "user"
	case kEntities:
		return "list of users, organizations or groups"
	case kFiles:
		return "list of files"
	case kRows:
		return "subtable"
	case kJSON:
		return "JSON"
	}
	return "unknown"
}

// sqlType is the DatabaseTypeName of a computed column of kind k.
func (k kind) sqlType() string {
	switch k {
	case kText:
		return "VARCHAR"
	case kNumber:
		return "DECIMAL"
	case kInt, kBool:
		return "BIGINT"
	case kDate:
		return "DATE"
	case kDateTime:
		return "DATETIME"
	case kTime:
		return "TIME"
	case kAny:
		return "NULL"
	}
	return "JSON"
}

var (
	typeString = reflect.TypeOf("")
	typeInt64  = reflect.TypeOf(int64(0))
	typeTime   = reflect.TypeOf(time.Time{})
	typeBytes  = reflect.TypeOf([]byte(nil))
	typeAny    = reflect.TypeOf((*any)(nil)).Elem()
)

// scanType is the Go type of the driver values of kind k (when not NULL).
func (k kind) scanType() reflect.Type {
	switch k {
	case kText, kNumber:
		return typeString
	case kInt, kBool:
		return typeInt64
	case kDate, kDateTime, kTime:
		return typeTime
	case kAny:
		return typeAny
	}
	return typeBytes
}

// fieldKind is the kind of a field of type t; format is a CALC's format.
func fieldKind(t field.Type, format string) kind {
	switch t {
	case field.ID, field.Revision:
		return kInt
	case field.Number:
		return kNumber
	case field.Calc:
		switch format {
		case "DATE":
			return kDate
		case "DATETIME":
			return kDateTime
		case "TIME":
			return kTime
		case "HOUR_MINUTE", "DAY_HOUR_MINUTE":
			return kText
		}
		return kNumber
	case field.Date:
		return kDate
	case field.Time:
		return kTime
	case field.DateTime, field.CreatedTime, field.UpdatedTime:
		return kDateTime
	case field.CheckBox, field.MultiSelect, field.Category:
		return kList
	case field.Creator, field.Modifier:
		return kEntity
	case field.UserSelect, field.OrganizationSelect, field.GroupSelect, field.StatusAssignee:
		return kEntities
	case field.File:
		return kFiles
	case field.Subtable:
		return kRows
	case field.SingleLineText, field.MultiLineText, field.RichText, field.Link,
		field.RadioButton, field.DropDown, field.Status, field.RecordNumber:
		return kText
	}
	return kJSON
}

// Column describes one output column of a plan.
type Column struct {
	// Name is the column's name: the alias, the field code, or the
	// expression as written.
	Name string
	// DatabaseType is the Kintone field type for a column that is a
	// field ("NUMBER", "DATETIME", "__ID__", ...), and an SQL type name
	// for a computed one (BIGINT, DECIMAL, VARCHAR, DATE, DATETIME, TIME,
	// JSON). Subtable row ids are "__ROW_ID__".
	DatabaseType string
	// ScanType is the Go type of the column's non-NULL driver values:
	// string, int64, time.Time or []byte (JSON text).
	ScanType reflect.Type
	// Nullable reports whether the column may hold NULL: false for the
	// system columns, for multi-valued fields (an empty one is the empty
	// JSON list []) and for fields Kintone requires a value in (a record
	// written before the field became required may still be empty: it
	// reads as NULL).
	Nullable bool
	// Field is the field code when the column is a field as it is, "" for
	// a computed column.
	Field string
}

// column is a column of the table a statement reads: a field of an app, a
// system column, a field of a subtable row, or a column of a virtual table.
type column struct {
	name     string          // the name SQL uses
	code     string          // the key in a Record, and the name Kintone uses
	typ      field.Type      // "" for virtual tables
	prop     *field.Property // nil for system and virtual columns
	kind     kind
	nullable bool // may hold NULL; what planning relies on
	// required: Kintone requires a value (the field's "required"
	// setting). Reported as NOT NULL, but not relied on when planning:
	// Kintone does not check the records that existed before the setting.
	required bool
	inner    bool   // a field inside a subtable (child tables only)
	dbType   string // DatabaseType
}

// dbTypeName is the column's DatabaseType.
func (c *column) dbTypeName() string {
	if c.dbType != "" {
		return c.dbType
	}
	return string(c.typ)
}

// newFieldColumn makes the column of a form field.
func newFieldColumn(p *field.Property, inner bool) *column {
	k := fieldKind(p.Type, p.Format)
	nullable := true
	switch {
	case p.Type == field.ID, p.Type == field.Revision, p.Type == field.RecordNumber, p.Type == field.Creator,
		p.Type == field.Modifier, p.Type == field.CreatedTime, p.Type == field.UpdatedTime:
		nullable = false
	case k.list():
		nullable = false // an empty list is [], not NULL
	}
	return &column{
		name:     p.Code,
		code:     p.Code,
		typ:      p.Type,
		prop:     p,
		kind:     k,
		nullable: nullable,
		required: p.Required,
		inner:    inner,
	}
}

// reportedNullable is the nullability DESCRIBE, information_schema and
// ColumnTypeNullable report: NOT NULL for a required field too.
func (c *column) reportedNullable() bool { return c.nullable && !c.required }

// The system columns.
const (
	colID    = "$id"
	colRev   = "$revision"
	colRowID = "$row_id"
)

func idColumn() *column {
	return &column{name: colID, code: colID, typ: field.ID, kind: kInt}
}

func revisionColumn() *column {
	return &column{name: colRev, code: colRev, typ: field.Revision, kind: kInt}
}

func rowIDColumn() *column {
	return &column{name: colRowID, code: colRowID, typ: field.ID, kind: kInt, dbType: "__ROW_ID__"}
}

// formatInt prints n in decimal.
func formatInt(n int64) string { return strconv.FormatInt(n, 10) }
