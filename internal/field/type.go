// Package field is the table of Kintone field types: which query operators and
// functions each type allows, whether it sorts, whether records may write it,
// and the shape its value takes in record JSON.
//
// Both the driver (to decide what it can push into a Kintone query) and the
// emulator (to validate queries and writes) read this one table, so the facts
// in it are tested directly against the documented examples in
// shared/kintone/QUERY-AND-FIELDS.md (part A.5, A.8 and B.1).
package field

// Type is a Kintone field type as it appears in the "type" key of record JSON
// and form-field properties, for example "SINGLE_LINE_TEXT".
type Type string

// The field types. ID and Revision are the system identifiers $id and
// $revision; Group, Label, Spacer, HR and ReferenceTable are layout or
// display-only types that hold no record value.
const (
	ID                 Type = "__ID__"
	Revision           Type = "__REVISION__"
	RecordNumber       Type = "RECORD_NUMBER"
	Creator            Type = "CREATOR"
	Modifier           Type = "MODIFIER"
	CreatedTime        Type = "CREATED_TIME"
	UpdatedTime        Type = "UPDATED_TIME"
	SingleLineText     Type = "SINGLE_LINE_TEXT"
	MultiLineText      Type = "MULTI_LINE_TEXT"
	RichText           Type = "RICH_TEXT"
	Link               Type = "LINK"
	Number             Type = "NUMBER"
	Calc               Type = "CALC"
	CheckBox           Type = "CHECK_BOX"
	RadioButton        Type = "RADIO_BUTTON"
	DropDown           Type = "DROP_DOWN"
	MultiSelect        Type = "MULTI_SELECT"
	Date               Type = "DATE"
	Time               Type = "TIME"
	DateTime           Type = "DATETIME"
	UserSelect         Type = "USER_SELECT"
	OrganizationSelect Type = "ORGANIZATION_SELECT"
	GroupSelect        Type = "GROUP_SELECT"
	File               Type = "FILE"
	Subtable           Type = "SUBTABLE"
	ReferenceTable     Type = "REFERENCE_TABLE"
	Category           Type = "CATEGORY"
	Status             Type = "STATUS"
	StatusAssignee     Type = "STATUS_ASSIGNEE"
	Group              Type = "GROUP"
	Label              Type = "LABEL"
	Spacer             Type = "SPACER"
	HR                 Type = "HR"
)

// Op is a comparison operator of the Kintone query language, spelled as the
// query language spells it.
type Op string

// The query operators.
const (
	Eq         Op = "="
	Ne         Op = "!="
	Lt         Op = "<"
	Le         Op = "<="
	Gt         Op = ">"
	Ge         Op = ">="
	In         Op = "in"
	NotIn      Op = "not in"
	Like       Op = "like"
	NotLike    Op = "not like"
	IsEmpty    Op = "is empty"
	IsNotEmpty Op = "is not empty"
)

// Shape is how a field's value is represented in record JSON.
type Shape int

// The value shapes.
const (
	// NoValue: the type never appears in record JSON (layout, reference tables).
	NoValue Shape = iota
	// Scalar: a JSON string, "" (or null for DROP_DOWN, RADIO_BUTTON, DATE and TIME) when empty.
	Scalar
	// Strings: a JSON array of strings (CHECK_BOX, MULTI_SELECT, CATEGORY).
	Strings
	// Entity: one {"code","name"} object (CREATOR, MODIFIER).
	Entity
	// Entities: an array of {"code","name"} objects (user, organization and group selections).
	Entities
	// Files: an array of {"contentType","fileKey","name","size"} objects.
	Files
	// Rows: an array of subtable rows {"id","value":{code:{type,value}}}.
	Rows
)

// Write says whether a record write may set a field of the type.
type Write int

// The write rules of part B.1.
const (
	ReadOnly   Write = iota // never writable (record number, CALC, STATUS, ...)
	CreateOnly              // settable on add only, with app-admin rights (creator, created time, ...)
	Writable                // writable on add and update
)

// Info is what the table knows about one field type.
type Info struct {
	// Ops lists the query operators the type allows, in the order of the
	// official table. Inside a subtable = and != are not allowed (GAIA_IQ07);
	// Type.Allows applies that rule.
	Ops []Op
	// Funcs lists the query functions the type accepts as a value, by name.
	Funcs []string
	// Sortable reports whether "order by" accepts the type (GAIA_IS02 otherwise).
	Sortable bool
	// Write says whether records may set the field.
	Write Write
	// Shape is the value's JSON representation.
	Shape Shape
	// NullWhenEmpty reports that an empty value reads as JSON null rather
	// than "" (DROP_DOWN, RADIO_BUTTON, DATE, TIME).
	NullWhenEmpty bool
	// InSubtable reports whether a field of this type may sit inside a SUBTABLE.
	InSubtable bool
}

var dateFuncs = []string{"TODAY", "YESTERDAY", "TOMORROW", "FROM_TODAY",
	"THIS_WEEK", "LAST_WEEK", "NEXT_WEEK", "THIS_MONTH", "LAST_MONTH", "NEXT_MONTH",
	"THIS_YEAR", "LAST_YEAR", "NEXT_YEAR"}

var dateTimeFuncs = append([]string{"NOW"}, dateFuncs...)

var (
	opsOrdered = []Op{Eq, Ne, Gt, Lt, Ge, Le, In, NotIn}
	opsText    = []Op{Eq, Ne, In, NotIn, Like, NotLike}
	opsMember  = []Op{In, NotIn}
	opsCompare = []Op{Eq, Ne, Gt, Lt, Ge, Le}
)

// table follows QUERY-AND-FIELDS.md A.5 (operators), A.8 (sortable) and B.1
// (write rules and shapes).
var table = map[Type]Info{
	ID:                 {Ops: opsOrdered, Sortable: true, Write: ReadOnly, Shape: Scalar},
	Revision:           {Write: ReadOnly, Shape: Scalar},
	RecordNumber:       {Ops: opsOrdered, Sortable: true, Write: ReadOnly, Shape: Scalar},
	Creator:            {Ops: opsMember, Funcs: []string{"LOGINUSER"}, Sortable: true, Write: CreateOnly, Shape: Entity},
	Modifier:           {Ops: opsMember, Funcs: []string{"LOGINUSER"}, Sortable: true, Write: CreateOnly, Shape: Entity},
	CreatedTime:        {Ops: opsCompare, Funcs: dateTimeFuncs, Sortable: true, Write: CreateOnly, Shape: Scalar},
	UpdatedTime:        {Ops: opsCompare, Funcs: dateTimeFuncs, Sortable: true, Write: CreateOnly, Shape: Scalar},
	SingleLineText:     {Ops: opsText, Sortable: true, Write: Writable, Shape: Scalar, InSubtable: true},
	Link:               {Ops: opsText, Sortable: true, Write: Writable, Shape: Scalar, InSubtable: true},
	MultiLineText:      {Ops: []Op{Like, NotLike, IsEmpty, IsNotEmpty}, Write: Writable, Shape: Scalar, InSubtable: true},
	RichText:           {Ops: []Op{Like, NotLike}, Write: Writable, Shape: Scalar, InSubtable: true},
	Number:             {Ops: opsOrdered, Sortable: true, Write: Writable, Shape: Scalar, InSubtable: true},
	Calc:               {Ops: opsOrdered, Sortable: true, Write: ReadOnly, Shape: Scalar, InSubtable: true},
	CheckBox:           {Ops: opsMember, Write: Writable, Shape: Strings, InSubtable: true},
	MultiSelect:        {Ops: opsMember, Write: Writable, Shape: Strings, InSubtable: true},
	RadioButton:        {Ops: opsMember, Sortable: true, Write: Writable, Shape: Scalar, NullWhenEmpty: true, InSubtable: true},
	DropDown:           {Ops: opsMember, Sortable: true, Write: Writable, Shape: Scalar, NullWhenEmpty: true, InSubtable: true},
	File:               {Ops: []Op{Like, NotLike, IsEmpty, IsNotEmpty}, Write: Writable, Shape: Files, InSubtable: true},
	Date:               {Ops: opsCompare, Funcs: dateFuncs, Sortable: true, Write: Writable, Shape: Scalar, NullWhenEmpty: true, InSubtable: true},
	Time:               {Ops: opsCompare, Sortable: true, Write: Writable, Shape: Scalar, NullWhenEmpty: true, InSubtable: true},
	DateTime:           {Ops: opsCompare, Funcs: dateTimeFuncs, Sortable: true, Write: Writable, Shape: Scalar, InSubtable: true},
	UserSelect:         {Ops: opsMember, Funcs: []string{"LOGINUSER"}, Write: Writable, Shape: Entities, InSubtable: true},
	OrganizationSelect: {Ops: opsMember, Funcs: []string{"PRIMARY_ORGANIZATION"}, Write: Writable, Shape: Entities, InSubtable: true},
	GroupSelect:        {Ops: opsMember, Write: Writable, Shape: Entities, InSubtable: true},
	Subtable:           {Write: Writable, Shape: Rows},
	ReferenceTable:     {Shape: NoValue},
	Category:           {Write: ReadOnly, Shape: Strings},
	Status:             {Ops: []Op{Eq, Ne, In, NotIn}, Sortable: true, Write: ReadOnly, Shape: Scalar},
	StatusAssignee:     {Ops: opsMember, Funcs: []string{"LOGINUSER"}, Write: ReadOnly, Shape: Entities},
	Group:              {Shape: NoValue},
	Label:              {Shape: NoValue},
	Spacer:             {Shape: NoValue},
	HR:                 {Shape: NoValue},
}

// Lookup returns the table entry for t and whether t is a known type.
func Lookup(t Type) (Info, bool) {
	info, ok := table[t]
	return info, ok
}

// Known reports whether t is one of the documented field types.
func (t Type) Known() bool {
	_, ok := table[t]
	return ok
}

// Info returns the table entry for t; an unknown type has the zero Info
// (no operators, not sortable, not writable, no value).
func (t Type) Info() Info { return table[t] }

// Allows reports whether the query operator op may be applied to a field of
// type t. inSubtable reports whether the field sits inside a SUBTABLE, where
// = and != are refused (GAIA_IQ07) although the type allows them elsewhere.
// Pass true as well for a related-records path ("ref.code"), where A.5 says
// to use in / not in instead of = and != (the error code there is untested).
func (t Type) Allows(op Op, inSubtable bool) bool {
	if inSubtable && (op == Eq || op == Ne) {
		return false
	}
	for _, o := range table[t].Ops {
		if o == op {
			return true
		}
	}
	return false
}

// AllowsFunc reports whether the query function name (upper case, without
// parentheses) may stand as a value compared with a field of type t.
func (t Type) AllowsFunc(name string) bool {
	for _, f := range table[t].Funcs {
		if f == name {
			return true
		}
	}
	return false
}

// Queryable reports whether t may appear in a query condition at all.
func (t Type) Queryable() bool { return len(table[t].Ops) > 0 }

// Sortable reports whether "order by" accepts a field of type t.
func (t Type) Sortable() bool { return table[t].Sortable }

// HasValue reports whether a field of type t appears in record JSON.
func (t Type) HasValue() bool { return table[t].Shape != NoValue }

// MultiValued reports whether the value is a list (checkbox, selections,
// files, subtable rows), where "in" means "any element is listed".
func (t Type) MultiValued() bool {
	switch table[t].Shape {
	case Strings, Entities, Files, Rows:
		return true
	}
	return false
}

// IsSystem reports whether t is maintained by the server: $id, $revision,
// record number, creator, modifier, created and updated time.
func (t Type) IsSystem() bool {
	switch t {
	case ID, Revision, RecordNumber, Creator, Modifier, CreatedTime, UpdatedTime:
		return true
	}
	return false
}

// UserAddable reports whether a form-fields request (POST or PUT
// preview/app/form/fields.json) may define a field of type t: every type
// that holds user data, plus SUBTABLE, REFERENCE_TABLE and GROUP. System
// types ($id, $revision, record number, creator, modifier, created and
// updated time, STATUS, STATUS_ASSIGNEE, CATEGORY) and the layout-only
// LABEL, SPACER and HR are not.
func (t Type) UserAddable() bool {
	switch t {
	case SingleLineText, MultiLineText, RichText, Link, Number, Calc, CheckBox,
		RadioButton, DropDown, MultiSelect, Date, Time, DateTime, UserSelect,
		OrganizationSelect, GroupSelect, File, Subtable, ReferenceTable, Group:
		return true
	}
	return false
}

// Types returns every documented type, in a fixed order, for tests and docs.
func Types() []Type {
	return []Type{ID, Revision, RecordNumber, Creator, Modifier, CreatedTime, UpdatedTime,
		SingleLineText, MultiLineText, RichText, Link, Number, Calc, CheckBox, RadioButton,
		DropDown, MultiSelect, Date, Time, DateTime, UserSelect, OrganizationSelect,
		GroupSelect, File, Subtable, ReferenceTable, Category, Status, StatusAssignee,
		Group, Label, Spacer, HR}
}
