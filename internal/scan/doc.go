// Package scan is what a read of one Kintone app is, and how it goes page
// by page, without HTTP and without SQL.
//
// It takes a Spec: plain data that the planner (package translate) fills
// in — the app, the fields, the strategy (Single, Count, Seek, Cursor,
// Offset, Keyset), the Kintone query as a kql AST, the page size, the
// records the plan needs, the offset, the cursor fallback, the update-time
// field, the time zone and field properties records are decoded with —
// and three functions only the SQL side can give: the condition evaluated
// in Go (Filter), the SQL order of two values (Compare) and how sort keys
// print in an error (Describe).
//
// It gives the decisions of every page: the query of the next seek, range
// or sorted page (SeekQuery, LeapQuery, Sorted.Query), where
// a read by $id ends (SeekEnd), the anchored pages and the change check of
// an offset or keyset read (Paging), the order check of a cursor's pages
// (OrderCheck), and a read sorted in Go when no cursor is free (Sorted).
// Package fetch runs them over the REST client; nothing here sends a
// request.
package scan
