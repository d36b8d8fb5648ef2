// Package catalog is what the translator knows of the data: the Schema
// interface the driver implements over its metadata cache (apps by ID,
// code, name or alias, and their form fields), the tables a statement
// names (an app, a child table app.subtable, the metadata tables of
// information_schema, SHOW and DESCRIBE, and DUAL), their columns with
// the SQL kind of each field, and the result column descriptions a plan
// reports to database/sql.
//
// It takes names and gives tables and columns; it does no I/O of its own
// (every request goes through Schema) and knows no SQL syntax.
package catalog
