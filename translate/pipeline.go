package translate

import (
	"database/sql/driver"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/exec"
	"github.com/kintone-sql/kintone/translate/plan"
)

// Source yields the records a plan reads, one at a time, and io.EOF after
// the last. The driver implements it over the pages of Read; any other
// error it returns stops the rows and is returned from Rows.Next as it is.
type Source func() (catalog.Record, error)

// Rows are the output rows of a plan, produced as the driver asks for
// them. Rows are not safe for concurrent use.
type Rows struct {
	cols []catalog.ResultColumn
	next func() ([]any, error)
	err  error
}

// Run starts the plan over the records src yields. For a plan whose Read
// is nil, src is not called and may be nil.
//
// Steps that only look at one row at a time (filtering, projection,
// LIMIT) stream: memory stays flat and Next reads only as many records as
// it needs, so a LIMIT stops the reading early. An ORDER BY done in Go,
// GROUP BY and aggregates read every record before the first row is
// returned; ORDER BY with LIMIT keeps only the best LIMIT + OFFSET rows,
// GROUP BY keeps one entry per group, DISTINCT remembers the rows it has
// returned.
func (s *Select) Run(src Source) *Rows {
	in := exec.Inputs{}
	if s.Read != nil && src != nil {
		in.Records = src
	}
	return &Rows{cols: s.Columns, next: exec.Run(s.root, in, s.execOptions())}
}

// RunCount runs a StrategyCount plan with the totalCount Kintone
// returned.
func (s *Select) RunCount(total int64) *Rows {
	return &Rows{cols: s.Columns, next: exec.Run(s.root, exec.Inputs{Total: total}, s.execOptions())}
}

// execOptions are the executor's options for s.
func (s *Select) execOptions() exec.Options {
	return exec.Options{Location: s.loc, MaxBuffered: s.maxBuffered}
}

// Columns returns the output column names.
func (r *Rows) Columns() []string {
	names := make([]string, len(r.cols))
	for i, c := range r.cols {
		names[i] = c.Name
	}
	return names
}

// Next fills dest with the next row's driver values (nil, int64, string,
// time.Time or []byte). It returns io.EOF after the last row, and keeps
// returning the first error it met.
func (r *Rows) Next(dest []driver.Value) error {
	if r.err != nil {
		return r.err
	}
	row, err := r.next()
	if err != nil {
		r.err = err
		return err
	}
	for i, v := range row {
		if i >= len(dest) {
			break
		}
		dv, err := toDriver(v)
		if err != nil {
			r.err = err
			return err
		}
		dest[i] = dv
	}
	return nil
}

// toDriver converts a computed value to a driver value: booleans become
// 1 and 0 as in MySQL, the rest as field.DriverValue says.
func toDriver(v any) (driver.Value, error) {
	if b, ok := v.(bool); ok {
		if b {
			return int64(1), nil
		}
		return int64(0), nil
	}
	return field.DriverValue(v)
}

// steps describes the Go-side steps, as EXPLAIN's go column shows them.
func (s *Select) steps() []string { return plan.Steps(s.root) }
