package translate

import "github.com/kintone-sql/kintone/translate/sqlerr"

// The errors a translation returns are defined in package sqlerr, which
// every stage shares; these names keep them where users of translate
// (and the driver, which re-exports them) match on them.

// Position is a place in the SQL text: see sqlerr.Position.
type Position = sqlerr.Position

// SyntaxError reports SQL that does not parse: see sqlerr.SyntaxError.
type SyntaxError = sqlerr.SyntaxError

// UnsupportedError reports SQL this driver cannot run: see
// sqlerr.UnsupportedError.
type UnsupportedError = sqlerr.UnsupportedError

// UnknownTableError reports a table no app answers to: see
// sqlerr.UnknownTableError.
type UnknownTableError = sqlerr.UnknownTableError

// Error is any other error in a statement: see sqlerr.Error.
type Error = sqlerr.Error

// ArgError reports an argument that does not fit its placeholder: see
// sqlerr.ArgError.
type ArgError = sqlerr.ArgError

// The sentinel errors of sqlerr, matched with errors.Is.
var (
	ErrUnsupported    = sqlerr.ErrUnsupported
	ErrUnknownTable   = sqlerr.ErrUnknownTable
	ErrTooManyRows    = sqlerr.ErrTooManyRows
	ErrOrderMismatch  = sqlerr.ErrOrderMismatch
	ErrRecordsChanged = sqlerr.ErrRecordsChanged
)
