package exec

import (
	"fmt"
	"io"
	"time"

	"github.com/kintone-sql/kintone/internal/scan"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/plan"
)

// Row is what flows between operators: values by position. Which
// columns they are is the plan's business: the leaf's Columns, a group's
// slots (keys, then aggregates), a projection's items.
type Row []any

// Iter returns the next row, and io.EOF after the last.
type Iter func() (Row, error)

// Inputs are what a run reads from outside the plan.
type Inputs struct {
	// Records yields the records of the plan's KintoneRead, and io.EOF
	// after the last; nil reads none. A plan with more than one read
	// (a join) uses Open instead.
	Records func() (catalog.Record, error)
	// Open starts a read and returns its records (nil: Records feeds
	// every read). A join opens each side's read when it needs it, and
	// a key lookup one read per batch of keys.
	Open func(read *scan.Spec) func() (catalog.Record, error)
	// Count returns how many records a read of strategy scan.Count
	// matches: a key lookup asks it of the side it would otherwise read
	// whole (nil: never asked, the lookup is always used).
	Count func(read *scan.Spec) (int64, error)
	// Total is the totalCount of a count read (Aggregate.FromTotal).
	Total int64
}

// Options tune a run.
type Options struct {
	// Location is the time zone values are compared in.
	Location *time.Location
	// MaxBuffered caps the rows a sort, a grouping or DISTINCT holds (0:
	// no cap).
	MaxBuffered int
	// SmallSide is the most rows of a join's side that count as small
	// (0: the constant SmallSide).
	SmallSide int

	// sub computes a correlated subquery for one row (set by apply for
	// the query it runs).
	sub func(s *expr.Subquery, outer []any) (expr.SubResult, error)
}

// env is an expression environment of o.
func (o Options) env() *expr.Env { return &expr.Env{Loc: o.Location, Sub: o.sub} }

// smallSide is o.SmallSide or its default.
func (o Options) smallSide() int {
	if o.SmallSide > 0 {
		return o.SmallSide
	}
	return SmallSide
}

// Run starts the plan and returns its output rows: the Vals of the root's
// rows.
func Run(n plan.Node, in Inputs, o Options) func() ([]any, error) {
	it := build(n, in, o)
	return func() ([]any, error) { return it() }
}

// build returns the iterator of n, reading its inputs' iterators.
func build(n plan.Node, in Inputs, o Options) Iter {
	switch n := n.(type) {
	case *plan.KintoneRead:
		if in.Open != nil && n.Read != nil {
			return records(in.Open(n.Read), n.Columns)
		}
		return records(in.Records, n.Columns)
	case *plan.Join:
		return join(n, in, o)
	case *plan.Derived:
		return build(n.Input, in, o)
	case *plan.Apply:
		return apply(n, in, o)
	case *plan.SetOp:
		return setOp(n, in, o)
	case *plan.Concat:
		return concatenate(n, in, o)
	case *plan.Merge:
		if len(n.Cols) != len(n.Keys) {
			return failed(fmt.Errorf("kintone: internal error: a merge by %d keys with %d key columns", len(n.Keys), len(n.Cols)))
		}
		return merge(n, in, o)
	case *plan.Unlisted:
		return unlisted(n, in, o)
	case *plan.IfFew:
		return ifFew(n, in, o)
	case *plan.Window:
		return window(build(n.Input, in, o), n, o)
	case *plan.Unnest:
		return unnest(build(n.Input, in, o), n, o)
	case *plan.Metadata:
		return metadata(n.Rows, n.Columns)
	case *plan.Nothing:
		return func() (Row, error) { return nil, io.EOF }
	case *plan.Flatten:
		return flatten(build(n.Input, in, o), n)
	case *plan.CheckOrder:
		return checkOrder(build(n.Input, in, o), n.Keys, o)
	case *plan.Filter:
		return filter(build(n.Input, in, o), n.Cond, o)
	case *plan.Aggregate:
		if n.FromTotal {
			if kr, ok := n.Input.(*plan.KintoneRead); ok && kr.Read != nil && in.Open != nil && in.Count != nil {
				// A count among several reads (a subquery, a join's
				// side): its own count request.
				return countRead(len(n.Aggs), kr, in)
			}
			return fromTotal(len(n.Aggs), in.Total)
		}
		return aggregate(build(n.Input, in, o), n, o)
	case *plan.Project:
		return project(build(n.Input, in, o), n, o)
	case *plan.Distinct:
		return distinct(build(n.Input, in, o), o)
	case *plan.Sort:
		if len(n.Cols) != len(n.Keys) {
			// A Sort as the binder builds it: the optimizer places its
			// keys in columns (Cols) before it runs.
			return failed(fmt.Errorf("kintone: internal error: a sort by %d keys with %d key columns", len(n.Keys), len(n.Cols)))
		}
		return sortRows(build(n.Input, in, o), n, o)
	case *plan.Limit:
		return limit(build(n.Input, in, o), n.Offset, n.Count)
	}
	// A node the optimizer replaces (a Scan) or one without an iterator:
	// a planner's mistake, reported rather than run.
	return failed(fmt.Errorf("kintone: internal error: no iterator for %T", n))
}

// countRead returns the one row of aggs counts of kr's read, asking
// Kintone for its total when the row is asked for.
func countRead(aggs int, kr *plan.KintoneRead, in Inputs) Iter {
	var out Iter
	return func() (Row, error) {
		if out == nil {
			total, err := in.Count(kr.Read)
			if err != nil {
				return nil, err
			}
			out = fromTotal(aggs, total)
		}
		return out()
	}
}

// failed is an iterator that always fails with err.
func failed(err error) Iter { return func() (Row, error) { return nil, err } }
