// Package exec runs a logical plan (package plan) as iterators: one
// iterator per node, each pulling rows from its input as its own consumer
// asks, so that rows stream and a LIMIT stops the reading early. Only the
// operators that must see every row before the first (a sort, grouping,
// DISTINCT) hold rows, and they fail with ErrTooManyRows past
// Options.MaxBuffered rather than grow without bound.
//
// It takes a plan and the records of its Kintone read (or the read's
// totalCount) and gives the output rows. It knows nothing of Kintone's
// API: the driver fetches the pages and hands over decoded records.
//
// To add an operator, add its node to package plan and a case to build
// that returns its iterator.
package exec
