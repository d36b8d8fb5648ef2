// Package bind is the binding stage: it takes a statement's syntax tree
// (package parse) and the catalog (package catalog) and gives bound
// expressions (package expr) and templates: a SELECT's table, select
// list with the result columns' names as written, WHERE, GROUP BY with
// the aggregates lifted into slots, HAVING, ORDER BY matched to the
// output, LIMIT and OFFSET. Names resolve to the table's columns (exactly
// first, then ignoring case when that is unambiguous), literals and
// arguments are typed against what they meet, and constant
// subexpressions are folded. The constructs the engine does not run yet
// are refused here (RefuseUnsupported), at their position.
//
// A template is bound once per Prepare; a Binder binds its placeholders
// to one Bind's arguments, copying the expressions, so that a prepared
// statement's templates are shared by its runs. Every error carries the
// position of the node it is about.
package bind
