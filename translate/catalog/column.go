package catalog

import (
	"reflect"
	"strconv"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
)

// Kind is the SQL-side type of a value: what comparisons, arithmetic and
// the output conversion make of it.
type Kind int

const (
	KAny      Kind = iota // unknown: NULL, or a placeholder not yet bound
	KText                 // string
	KNumber               // field.Decimal (exact decimal text)
	KInt                  // int64 ($id, $revision, COUNT)
	KBool                 // bool (a condition's value)
	KDate                 // time.Time at midnight in the location
	KDateTime             // time.Time
	KTime                 // time.Time on 0000-01-01 in the location
	KList                 // []string (CHECK_BOX, MULTI_SELECT, CATEGORY)
	KEntity               // field.EntityRef (CREATOR, MODIFIER)
	KEntities             // []field.EntityRef (user, organization, group selections)
	KFiles                // []field.FileRef
	KRows                 // []field.Row (a SUBTABLE as one column)
	KJSON                 // json.RawMessage (a field type this package does not know)
)

// Numeric reports whether k holds numbers.
func (k Kind) Numeric() bool { return k == KNumber || k == KInt }

// Multi reports whether k is a list, where IN tests membership.
func (k Kind) Multi() bool { return k == KList || k == KEntities }

// List reports whether k is a multi-valued field's kind, whose values are
// lists (never NULL: an empty one is []).
func (k Kind) List() bool { return k == KList || k == KEntities || k == KFiles || k == KRows }

// String names the kind for error messages.
func (k Kind) String() string {
	switch k {
	case KText:
		return "text"
	case KNumber, KInt:
		return "number"
	case KBool:
		return "boolean"
	case KDate:
		return "date"
	case KDateTime:
		return "datetime"
	case KTime:
		return "time"
	case KList:
		return "list of options"
	case KEntity:
		return "user"
	case KEntities:
		return "list of users, organizations or groups"
	case KFiles:
		return "list of files"
	case KRows:
		return "subtable"
	case KJSON:
		return "JSON"
	}
	return "unknown"
}

// SQLType is the DatabaseTypeName of a computed column of kind k.
func (k Kind) SQLType() string {
	switch k {
	case KText:
		return "VARCHAR"
	case KNumber:
		return "DECIMAL"
	case KInt, KBool:
		return "BIGINT"
	case KDate:
		return "DATE"
	case KDateTime:
		return "DATETIME"
	case KTime:
		return "TIME"
	case KAny:
		return "NULL"
	}
	return "JSON"
}

// The Go types a result column scans into (ResultColumn.ScanType).
var (
	TypeString = reflect.TypeOf("")
	TypeInt64  = reflect.TypeOf(int64(0))
	TypeTime   = reflect.TypeOf(time.Time{})
	TypeBytes  = reflect.TypeOf([]byte(nil))
	TypeAny    = reflect.TypeOf((*any)(nil)).Elem()
)

// ScanType is the Go type of the driver values of kind k (when not NULL).
func (k Kind) ScanType() reflect.Type {
	switch k {
	case KText, KNumber:
		return TypeString
	case KInt, KBool:
		return TypeInt64
	case KDate, KDateTime, KTime:
		return TypeTime
	case KAny:
		return TypeAny
	}
	return TypeBytes
}

// fieldKind is the kind of a field of type t; format is a CALC's format.
func fieldKind(t field.Type, format string) Kind {
	switch t {
	case field.ID, field.Revision:
		return KInt
	case field.Number:
		return KNumber
	case field.Calc:
		switch format {
		case "DATE":
			return KDate
		case "DATETIME":
			return KDateTime
		case "TIME":
			return KTime
		case "HOUR_MINUTE", "DAY_HOUR_MINUTE":
			return KText
		}
		return KNumber
	case field.Date:
		return KDate
	case field.Time:
		return KTime
	case field.DateTime, field.CreatedTime, field.UpdatedTime:
		return KDateTime
	case field.CheckBox, field.MultiSelect, field.Category:
		return KList
	case field.Creator, field.Modifier:
		return KEntity
	case field.UserSelect, field.OrganizationSelect, field.GroupSelect, field.StatusAssignee:
		return KEntities
	case field.File:
		return KFiles
	case field.Subtable:
		return KRows
	case field.SingleLineText, field.MultiLineText, field.RichText, field.Link,
		field.RadioButton, field.DropDown, field.Status, field.RecordNumber:
		return KText
	}
	return KJSON
}

// Column describes one output column of a plan.
type ResultColumn struct {
	// Name is the column's name: the alias, the field code, or the
	// expression as written.
	Name string
	// DatabaseType is the Kintone field type for a column that is a
	// Field ("NUMBER", "DATETIME", "__ID__", ...), and an SQL type name
	// for a computed one (BIGINT, DECIMAL, VARCHAR, DATE, DATETIME, TIME,
	// JSON). Subtable row ids are "__ROW_ID__".
	DatabaseType string
	// ScanType is the Go type of the column's non-NULL driver values:
	// String, int64, time.Time or []byte (JSON text).
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

// Column is a column of the table a statement reads: a field of an app, a
// system column, a field of a subtable row, or a column of a virtual table.
type Column struct {
	Name     string          // the name SQL uses
	Code     string          // the key in a Record, and the name Kintone uses
	Type     field.Type      // "" for virtual tables
	Prop     *field.Property // nil for system and virtual columns
	Kind     Kind
	Nullable bool // may hold NULL; what planning relies on
	// required: Kintone requires a value (the field's "required"
	// setting). Reported as NOT NULL, but not relied on when planning:
	// Kintone does not check the records that existed before the setting.
	required bool
	Inner    bool   // a field inside a subtable (child tables only)
	dbType   string // DatabaseType
}

// DBTypeName is the column's DatabaseType.
func (c *Column) DBTypeName() string {
	if c.dbType != "" {
		return c.dbType
	}
	return string(c.Type)
}

// newFieldColumn makes the column of a form field.
func newFieldColumn(p *field.Property, inner bool) *Column {
	k := fieldKind(p.Type, p.Format)
	nullable := true
	switch {
	case p.Type == field.ID, p.Type == field.Revision, p.Type == field.RecordNumber, p.Type == field.Creator,
		p.Type == field.Modifier, p.Type == field.CreatedTime, p.Type == field.UpdatedTime:
		nullable = false
	case k.List():
		nullable = false // an empty list is [], not NULL
	}
	return &Column{
		Name:     p.Code,
		Code:     p.Code,
		Type:     p.Type,
		Prop:     p,
		Kind:     k,
		Nullable: nullable,
		required: p.Required,
		Inner:    inner,
	}
}

// ReportedNullable is the nullability DESCRIBE, information_schema and
// ColumnTypeNullable report: NOT NULL for a required field too.
func (c *Column) ReportedNullable() bool { return c.Nullable && !c.required }

// The system columns.
const (
	ColID    = "$id"
	ColRev   = "$revision"
	ColRowID = "$row_id"
)

// IDColumn returns the column of the system field $id.
func IDColumn() *Column {
	return &Column{Name: ColID, Code: ColID, Type: field.ID, Kind: KInt}
}

// RevisionColumn returns the column of the system field $revision.
func RevisionColumn() *Column {
	return &Column{Name: ColRev, Code: ColRev, Type: field.Revision, Kind: KInt}
}

func rowIDColumn() *Column {
	return &Column{Name: ColRowID, Code: ColRowID, Type: field.ID, Kind: KInt, dbType: "__ROW_ID__"}
}

// FormatInt prints n in decimal.
func FormatInt(n int64) string { return strconv.FormatInt(n, 10) }
