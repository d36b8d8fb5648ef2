package translate

import (
	"time"

	"github.com/kintone-sql/kintone/translate/optimize"

	"github.com/kintone-sql/kintone/internal/scan"
	"github.com/kintone-sql/kintone/translate/bind"
)

// CursorMode says when a read may use Kintone's cursor API: see
// optimize.CursorMode.
type CursorMode = optimize.CursorMode

// The cursor modes (see optimize.CursorMode).
const (
	CursorAuto   = optimize.CursorAuto
	CursorAlways = optimize.CursorAlways
	CursorNever  = optimize.CursorNever
)

// Options tune a translation.
type Options struct {
	// Location is the time zone of DATE and DATETIME values, both the
	// ones read and the literals and arguments compared with them (the
	// DSN's time zone). nil means UTC. TIME values have no zone (see the
	// package documentation).
	Location *time.Location
	// PageSize is the number of records per request when a read needs
	// several, 1 to 500; 0 means 500, the API's maximum.
	PageSize int
	// Cursor says when to use the cursor API.
	Cursor CursorMode
	// MaxRows caps the rows a SELECT without LIMIT returns, as if it ended
	// with LIMIT MaxRows (CData's MaxRows): Kintone is asked for no more
	// records than that when it can give them in SQL's order, and
	// aggregates still see every record (only the result rows are
	// capped). An explicit LIMIT, metadata (SHOW, DESCRIBE,
	// information_schema), and the reads of UPDATE, DELETE and INSERT ...
	// SELECT are never capped. 0 means no cap.
	MaxRows int
	// MaxBufferedRows caps the rows a plan holds in memory at once for
	// steps that must see every row before they return the first (an
	// ORDER BY done in Go, GROUP BY, DISTINCT); past it the rows fail with
	// ErrTooManyRows rather than return part of the answer. 0 means no
	// cap.
	MaxBufferedRows int
	// Database is the schema name information_schema reports and SHOW
	// TABLES names its column after; "" means "kintone".
	Database string
	// Now reads the clock that NOW(), CURDATE(), CURTIME() and their kin
	// give, once per Bind (so once per statement execution, as MySQL's
	// NOW() is constant within a statement); nil means time.Now. Tests
	// set it to a fixed time.
	Now func() time.Time

	// noValuesRun parses every VALUES row (parse.ParseRowByRow; tests
	// compare it with the fast path of valuesrun.go).
	noValuesRun bool
}

// The API's limits this package plans around (QUERY-AND-FIELDS.md A.8).
const (
	// MaxPageSize is the most records one GET or cursor page returns.
	MaxPageSize = scan.MaxPageSize
	// MaxOffset is the largest offset a query may use.
	MaxOffset = scan.MaxOffset
	// MaxWriteRecords is the most records one POST, PUT or DELETE of
	// records.json writes (REST-API.md 4.2); the driver sends more as
	// a bulkRequest.
	MaxWriteRecords = 100
	// MaxBulkRequests is the most requests one bulkRequest holds
	// (REST-API.md 4.4): a batch of the driver writes at most
	// MaxBulkRequests * MaxWriteRecords records.
	MaxBulkRequests = 20
)

// withDefaults fills in the zero values.
func (o Options) withDefaults() Options {
	if o.Location == nil {
		o.Location = time.UTC
	}
	if o.PageSize <= 0 || o.PageSize > MaxPageSize {
		o.PageSize = MaxPageSize
	}
	if o.Database == "" {
		o.Database = "kintone"
	}
	return o
}

// bind is what binding needs of o.
func (o Options) bind() bind.Options {
	return bind.Options{Location: o.Location, Database: o.Database, Now: o.Now}
}
