// Package plan is the logical plan of a statement: a tree of nodes, each
// one operator (read Kintone, read a metadata table, flatten a subtable,
// check Kintone's order, filter, aggregate, project, distinct, sort,
// limit, concatenate or merge reads, try a read of few records first),
// with one Children/WithChildren pair so that a rewrite is written once
// (Transform) and EXPLAIN prints the tree (Explain).
//
// It takes bound expressions (package expr) and tables (package catalog)
// and gives the tree the optimizer rewrites and the executor (package exec)
// runs. A node holds no state of a run: the same tree may run many times.
//
// To add an operator, add a node here (a struct with Children,
// WithChildren and Describe) and its iterator in package exec.
package plan
