package catalog

import (
	"context"
	"sort"

	"github.com/kintone-sql/kintone/internal/field"
)

// Schema is what the translator knows about the apps: the driver
// implements it with its metadata cache. The translator never does I/O of
// its own; every request goes through these two methods.
type Schema interface {
	// App resolves a table name as the statement wrote it (without
	// backquotes): an app ID ("42"), an app code, the name of exactly one
	// App, or an alias the DSN defines, matched the way columns are (the
	// exact spelling first, then ignoring case when only one app matches).
	// It returns (nil, nil) when no app has that name; the translator then
	// reports an *UnknownTableError suggesting the nearest names Apps
	// lists. It may instead return an *UnknownTableError of its own, with
	// the suggestions and hint it knows best; the translator adds the
	// position. Any other error (a failed request, an ambiguous name) is
	// passed on unchanged inside the translator's error chain.
	App(ctx context.Context, name string) (*App, error)
	// Apps lists the apps the connection can see, for SHOW TABLES and
	// information_schema. The listed Apps need not carry Fields; the
	// translator calls App with the ID of each app whose columns it needs.
	Apps(ctx context.Context) ([]*App, error)
}

// App is one Kintone app as the translator sees it.
type App struct {
	ID   int64
	Code string // the app code, "" when none is set
	Name string
	// Fields are the form fields by field code, as app/form/fields.json
	// returns them; a SUBTABLE's inner fields sit in its Fields.
	Fields map[string]*field.Property
	// Order lists field codes in form order, the order SELECT * uses. It
	// may include the codes of fields inside subtables (they order the
	// child table's columns). Codes not listed follow in code order.
	Order []string
}

// TableName returns the name SHOW TABLES and information_schema give
// the app: its code when it has one, its ID otherwise. Both resolve
// through Schema.App.
func (a *App) TableName() string {
	if a.Code != "" {
		return a.Code
	}
	return FormatInt(a.ID)
}

// orderedCodes returns the codes of fields (a map of properties) in the
// App's form order, then the rest in code order.
func (a *App) orderedCodes(fields map[string]*field.Property) []string {
	seen := make(map[string]bool, len(fields))
	out := make([]string, 0, len(fields))
	for _, code := range a.Order {
		if _, ok := fields[code]; ok && !seen[code] {
			seen[code] = true
			out = append(out, code)
		}
	}
	var rest []string
	for code := range fields {
		if !seen[code] {
			rest = append(rest, code)
		}
	}
	sort.Strings(rest)
	return append(out, rest...)
}
