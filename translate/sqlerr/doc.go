// Package sqlerr holds the errors every stage of the translator returns:
// a Position in the SQL text (byte offset, line and column in characters),
// SyntaxError, UnsupportedError, UnknownTableError, ArgError, Error, and
// the sentinels matched with errors.Is. It takes nothing and imports
// nothing of the project but package scan, whose read errors it names
// again: package translate and the driver re-export these names, which is
// where users match on them.
package sqlerr
