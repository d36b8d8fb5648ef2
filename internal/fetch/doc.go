// Package fetch runs a scan over the REST client: the pagers.
//
// It takes a scan.Spec (package scan: what to read and how to page, as the
// planner decided), a *rest.Client and the Limits (the DSN's concurrency,
// the connector's CursorBudget and RequestBudget), and gives the records,
// decoded with the spec's field properties and time zone by internal/field,
// one at a time (Pager: Start, Next, Finish, Close), or a count (Count).
// Each strategy has its loop: one GET (single), the count, pages by $id
// (seek) and pages by $id asked for several at once by offset (leap),
// anchored offset pages with their change check and their fallback to a
// cursor, keyset pages, a cursor within the budget, and the $id pages
// sorted in Go when no cursor is free.
//
// It knows nothing of SQL: the Go-side filter and the SQL order come in the
// spec as functions; and it never imports the translator.
package fetch
