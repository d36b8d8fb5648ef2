package kintonegorm

import (
	"errors"
	"fmt"
)

// ErrSchemaChange is wrapped by every error of the Migrator's schema
// changes (AutoMigrate, CreateTable, AddColumn, CreateIndex, ...).
var ErrSchemaChange = errors.New("kintonegorm: " + schemaChangeReason)

// schemaChangeReason is why schema changes are refused.
const schemaChangeReason = "apps and fields are created and changed in Kintone (the app settings or the app REST API), not by SQL"

// ErrSavepoint is returned by SavePoint and RollbackTo.
var ErrSavepoint = errors.New("kintonegorm: Kintone has no savepoints, so GORM's nested transactions are not supported")

// SchemaError is the error of a refused schema change: the Migrator method
// called and the table (app) it was called for.
type SchemaError struct {
	Op    string // the Migrator method, e.g. "AutoMigrate"
	Table string // the table (app) it was called for; "" when unknown
}

// Error says what was refused and why.
func (e *SchemaError) Error() string {
	what := e.Op
	if e.Table != "" {
		what += " of " + e.Table
	}
	return fmt.Sprintf("kintonegorm: %s refused: %s", what, schemaChangeReason)
}

// Unwrap returns ErrSchemaChange, so errors.Is(err, ErrSchemaChange) holds.
func (e *SchemaError) Unwrap() error { return ErrSchemaChange }
