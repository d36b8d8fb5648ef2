// Package store holds the emulator's data: apps with their live and preview
// forms, records, and uploaded files. It validates and normalizes record
// writes the way Kintone does (QUERY-AND-FIELDS.md part B), applies each
// write call atomically, and, when opened on a directory, journals every
// acknowledged write so that it survives a crash.
//
// The store knows nothing of HTTP or of the query language: the HTTP layer
// decodes requests into the types below, and the search package evaluates
// queries over the immutable Record snapshots the store hands out.
//
// What the store deliberately does not emulate: lookups (a lookup key is
// stored as its base type; copy targets are not filled and GAIA_LO04 is
// never returned), process management (records carry no STATUS,
// STATUS_ASSIGNEE or CATEGORY values), numberPrecision for NUMBER values
// (stored as written, normalized), and CALC formulas beyond the numeric
// subset described in calc.go (other formulas leave the field empty).
package store

import (
	"time"

	"github.com/kintone-sql/kintone/internal/field"
)

// Entity is a user, organization or group reference, {"code","name"}.
type Entity struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// FileRef is one attachment of a FILE field as records read it.
type FileRef struct {
	ContentType string `json:"contentType"`
	FileKey     string `json:"fileKey"`
	Name        string `json:"name"`
	Size        int64  `json:"size,string"`
}

// Row is one subtable row.
type Row struct {
	ID     int64
	Values map[string]any
}

// Record is one record. A Record handed out by the store is immutable: an
// update publishes a new Record and never changes one that readers may hold.
//
// Values is keyed by field code and holds every field of the live form that
// has a value (system fields included), with these Go types by field.Shape:
//
//	Scalar   string   ("" when empty; DATE "YYYY-MM-DD", TIME "HH:MM",
//	                   DATETIME/CREATED_TIME/UPDATED_TIME "YYYY-MM-DDTHH:MM:00Z",
//	                   NUMBER/CALC canonical decimal text, RECORD_NUMBER "12" or "CODE-12")
//	Strings  []string
//	Entity   Entity
//	Entities []Entity
//	Files    []FileRef
//	Rows     []Row
type Record struct {
	ID       int64
	Revision int64
	Values   map[string]any
}

// Form is an app's field settings: the live form that records follow, or the
// preview form that a deploy makes live.
type Form struct {
	// Revision is the settings revision ("revision" of the form APIs).
	Revision int64
	// Fields holds every top-level field by code, system fields included
	// (RECORD_NUMBER, CREATOR, CREATED_TIME, MODIFIER, UPDATED_TIME, and
	// STATUS, STATUS_ASSIGNEE and CATEGORY with Enabled false). A SUBTABLE's
	// inner fields are in its Property.Fields.
	Fields map[string]*field.Property
	// Order lists the top-level codes in form order (layout order).
	Order []string
}

// App is an app's metadata. The store hands out copies; changing one changes
// nothing in the store.
type App struct {
	ID          int64
	Code        string
	Name        string
	Description string
	// SpaceID and ThreadID are 0 when the app is not in a space.
	SpaceID  int64
	ThreadID int64
	// GuestSpaceID is the guest space the app lives in, 0 for none. Such an
	// app is reachable only through /k/guest/{id}/v1/.
	GuestSpaceID int64
	CreatedAt    time.Time
	ModifiedAt   time.Time
	Creator      Entity
	Modifier     Entity
	// Live is nil until the app's first deploy; Preview always exists.
	Live    *Form
	Preview *Form
	// DeployStatus is "", PROCESSING, SUCCESS, FAIL or CANCEL.
	DeployStatus string
}

// Input is one record as a write request carries it: field code to the raw
// JSON of that field's "value".
type Input map[string][]byte

// UpdateKey identifies a record by a unique SINGLE_LINE_TEXT or NUMBER field.
type UpdateKey struct {
	Field string
	Value string
}

// UpdateItem is one record of an update call: by ID (non-zero) or by Key.
type UpdateItem struct {
	ID     int64
	Key    *UpdateKey
	Record Input
	// Revision is the expected revision, or -1 for no check.
	Revision int64
}

// IDRev is an added record's ID and revision.
type IDRev struct {
	ID       int64
	Revision int64
}

// UpdateResult is an updated (or, in upsert mode, inserted) record.
type UpdateResult struct {
	ID       int64
	Revision int64
	// Operation is "INSERT" or "UPDATE" in upsert mode, "" otherwise.
	Operation string
}

// Actor is who writes and when: the user recorded as creator or modifier,
// whether the user may set creator and created-time fields (app admin), and
// the time stamp for created and updated time.
type Actor struct {
	User  Entity
	Admin bool
	Now   time.Time
	// Loc is the user's time zone, for DATE and TIME defaults (defaultNowValue).
	Loc *time.Location
}

// SystemCodes are the field codes of the built-in fields of a new app.
// Kintone names them after the environment's language; the emulator uses the
// English names unless an app is defined with others.
type SystemCodes struct {
	RecordNumber, Creator, CreatedTime, Modifier, UpdatedTime string
	Status, Assignee, Category                                string
}

// DefaultSystemCodes returns the English-environment codes.
func DefaultSystemCodes() SystemCodes {
	return SystemCodes{
		RecordNumber: "Record_number", Creator: "Created_by", CreatedTime: "Created_datetime",
		Modifier: "Updated_by", UpdatedTime: "Updated_datetime",
		Status: "Status", Assignee: "Assignee", Category: "Categories",
	}
}

// AppSpec describes an app to create.
type AppSpec struct {
	Name         string
	Code         string
	Description  string
	SpaceID      int64
	ThreadID     int64
	GuestSpaceID int64
	// Fields are the user fields, in form order. System fields are added
	// automatically under System's codes.
	Fields []*field.Property
	// System overrides the codes of the built-in fields; zero means DefaultSystemCodes().
	System SystemCodes
	// Creator is recorded as the app's creator and modifier.
	Creator Entity
}
