package optimize

// CursorMode says when a read may use Kintone's cursor API.
type CursorMode int

const (
	// CursorAuto uses a cursor only when no other plan can read the
	// records in order: a read that passes the first 10,000 records
	// sorted by text, by several fields, or by a number, date or time
	// field that more than 10,000 empty values begin (internal/scan's
	// rebase.go). Other reads seek by $id or by the sort key, or page by
	// offset.
	CursorAuto CursorMode = iota
	// CursorAlways uses a cursor for every read that needs more than one
	// page. Single-request plans (one GET, COUNT) stay as they are.
	CursorAlways
	// CursorNever never uses a cursor (cursors are a scarce per-domain
	// resource). A read that CursorAuto would read with one reads every
	// record by $id and sorts in Go instead.
	CursorNever
)

// String returns "auto", "always" or "never".
func (m CursorMode) String() string {
	switch m {
	case CursorAlways:
		return "always"
	case CursorNever:
		return "never"
	}
	return "auto"
}
