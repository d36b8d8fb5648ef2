package field

// Property is one field's settings as the form-fields API carries them
// (GET app/form/fields.json, POST/PUT preview/app/form/fields.json).
//
// Numbers inside properties are strings, as Kintone sends them. Which keys a
// property carries depends on its type (QUERY-AND-FIELDS.md B.4); MarshalJSON
// writes exactly the keys of the property's type, and UnmarshalJSON accepts
// the loose forms Kintone accepts (numbers or strings, booleans or "true").
type Property struct {
	Type    Type   `json:"type"`
	Code    string `json:"code"`
	Label   string `json:"label"`
	NoLabel bool   `json:"noLabel"`

	Required bool `json:"required"`
	Unique   bool `json:"unique"`

	// DefaultValue is a string for scalar types, []string for CHECK_BOX and
	// MULTI_SELECT, and []DefaultEntity for the selection types. Nil means
	// "" (or [] for list types).
	DefaultValue    any  `json:"defaultValue"`
	DefaultNowValue bool `json:"defaultNowValue"`

	MinLength string `json:"minLength"`
	MaxLength string `json:"maxLength"`
	MinValue  string `json:"minValue"`
	MaxValue  string `json:"maxValue"`

	Digit        bool   `json:"digit"`
	DisplayScale string `json:"displayScale"`
	Unit         string `json:"unit"`
	UnitPosition string `json:"unitPosition"`

	// Options maps an option key (equal to its label in the API) to its
	// label and display index.
	Options map[string]Option `json:"options"`
	Align   string            `json:"align"`

	Expression     string `json:"expression"`
	HideExpression bool   `json:"hideExpression"`
	// Format is a CALC field's result format: NUMBER, NUMBER_DIGIT,
	// DATETIME, DATE, TIME, HOUR_MINUTE or DAY_HOUR_MINUTE.
	Format string `json:"format"`

	Protocol      string `json:"protocol"`
	ThumbnailSize string `json:"thumbnailSize"`

	Entities []DefaultEntity `json:"entities"`

	// Fields holds a SUBTABLE's inner fields by code.
	Fields map[string]*Property `json:"fields"`

	// Enabled is set for STATUS, STATUS_ASSIGNEE and CATEGORY, which have
	// "enabled" instead of "noLabel".
	Enabled bool `json:"enabled"`

	OpenGroup bool `json:"openGroup"`

	Lookup         *LookupSetting         `json:"lookup"`
	ReferenceTable *ReferenceTableSetting `json:"referenceTable"`
}

// Option is one choice of a CHECK_BOX, RADIO_BUTTON, DROP_DOWN or
// MULTI_SELECT field.
type Option struct {
	Label string `json:"label"`
	Index string `json:"index"`
}

// DefaultEntity is an entry of a selection field's defaultValue or entities
// list: a user, group or organization code, or a FUNCTION such as
// LOGINUSER().
type DefaultEntity struct {
	Code string `json:"code"`
	Type string `json:"type"`
}

// RelatedApp names the app a lookup or reference table reads from.
type RelatedApp struct {
	App  string `json:"app"`
	Code string `json:"code"`
}

// FieldMapping copies relatedField of the source app into field.
type FieldMapping struct {
	Field        string `json:"field"`
	RelatedField string `json:"relatedField"`
}

// LookupSetting is the lookup setting of a SINGLE_LINE_TEXT, NUMBER or LINK field.
type LookupSetting struct {
	RelatedApp         RelatedApp     `json:"relatedApp"`
	RelatedKeyField    string         `json:"relatedKeyField"`
	FieldMappings      []FieldMapping `json:"fieldMappings"`
	LookupPickerFields []string       `json:"lookupPickerFields"`
	FilterCond         string         `json:"filterCond"`
	Sort               string         `json:"sort"`
}

// ReferenceTableSetting is the setting of a REFERENCE_TABLE (related records) field.
type ReferenceTableSetting struct {
	RelatedApp RelatedApp `json:"relatedApp"`
	Condition  struct {
		Field        string `json:"field"`
		RelatedField string `json:"relatedField"`
	} `json:"condition"`
	FilterCond    string   `json:"filterCond"`
	DisplayFields []string `json:"displayFields"`
	Sort          string   `json:"sort"`
	Size          string   `json:"size"`
}
