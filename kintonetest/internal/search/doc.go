// Package search evaluates Kintone record queries for the emulator: it
// checks a parsed query against an app's form (unknown fields, operators a
// type refuses, option values, function arguments, sortability, limit and
// offset), then filters, orders and pages the store's records the way
// QUERY-AND-FIELDS.md part A describes.
//
// It is written independently of the driver's translator, which only prints
// queries, so that a misreading of the documents is not shared by both sides.
//
// A query is compiled once into a Plan: every condition becomes a closure
// holding its literal values already parsed into the form records store
// (canonical decimal text, "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:00Z", ...), so
// that evaluating a record never parses a literal again. A Plan is immutable
// and safe for concurrent use.
//
// A page in $id order, the page clients seek with ("(cond) and $id > last
// order by $id asc limit 500"), costs O(page + log n): the conditions on
// $id that the whole condition requires bound a binary search over the
// store's records, which are in ID order, the $id terms of an "and" run
// first, and the search stops when the page is full (idcut.go,
// Plan.FindSorted). totalCount then counts the matches after the bound
// only, and none at all when $id bounds are the whole condition. Other
// orders test every record and sort the matches; a Cache (cache.go) keeps
// them, sorted, for the next pages of the same read, per app version,
// condition and order, so that a read by offset pages sorts once and its
// later pages cost O(page).
//
// Where the documents mark a behaviour as unconfirmed ([U] or [T]), the
// choice made here is written beside the code that makes it, with the
// reason. The approximations a user may notice:
//
//   - like is a word search over tokens (like.go), not Kintone's
//     morphological index; FILE fields are searched by attachment name only.
//   - Related-records paths ("ref.code") are answered with GAIA_IQ11: the
//     records of the related app are not available here.
//   - STATUS values are not checked against the process's states (the form
//     does not carry them), so an unknown state matches nothing instead of
//     giving GAIA_IQ10.
package search
