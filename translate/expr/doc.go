// Package expr is SQL's expressions as the translator binds them, and
// SQL's value semantics in one place: three-valued logic, comparison
// across kinds, exact decimal arithmetic, LIKE, the scalar functions, and
// the printing of an expression for EXPLAIN and error messages.
//
// It takes bound expressions (from the binder) and evaluates them against
// an Env: a record and, after grouping, a group's slots. Children, Walk,
// Rewrite and MapChildren are the one walker over the tree, which every
// stage uses. It does no I/O and knows nothing of Kintone's query
// language beyond the Kintone functions (KFunc) that only Kintone
// evaluates.
package expr
