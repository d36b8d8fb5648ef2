package bind

import "time"

// Options are what binding needs of translate.Options: the time zone of
// DATE and DATETIME values, and the database name information_schema
// reports.
type Options struct {
	// Location is the time zone of DATE and DATETIME values.
	Location *time.Location
	// Database is the schema name of information_schema and SHOW TABLES.
	Database string
	// Now reads the clock for NOW(), CURDATE() and their kin, once per
	// binding (a statement's execution); nil means time.Now.
	Now func() time.Time
}
