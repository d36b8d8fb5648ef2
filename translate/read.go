package translate

import "github.com/kintone-sql/kintone/internal/scan"

// Strategy is how a plan reads records from Kintone (DESIGN.md, "Reading:
// pick the cheapest plan the API allows"): see scan.Strategy.
type Strategy = scan.Strategy

// The strategies, as package scan names them.
const (
	// StrategyNone: no request at all (a metadata table, LIMIT 0, a
	// condition that can never hold). Read is nil.
	StrategyNone = scan.None
	// StrategySingle: one GET records.json with Read.Query, which holds the
	// limit and offset.
	StrategySingle = scan.Single
	// StrategyCount: one GET records.json with Read.Query (limit 1) and
	// totalCount=true; pass the count to Select.RunCount.
	StrategyCount = scan.Count
	// StrategySeek: GET pages of Read.SeekQuery, following $id.
	StrategySeek = scan.Seek
	// StrategyCursor: POST records/cursor.json with Read.Query, Read.Fields
	// and size Read.PageSize, GET until next is false, DELETE the cursor
	// when stopping early.
	StrategyCursor = scan.Cursor
	// StrategyOffset: GET pages of Read.Paging (limit and offset, each
	// page anchored on the last record of the one before).
	StrategyOffset = scan.Offset
	// StrategyKeyset: GET pages of Read.Paging, each asking for the
	// records after the sort keys of the last record read.
	StrategyKeyset = scan.Keyset
)

// Read is the Kintone side of a plan: which app, which records, which
// fields, and how to page. It is the plain scan spec that the driver's
// pagers (internal/fetch) run; see scan.Spec.
type Read = scan.Spec
