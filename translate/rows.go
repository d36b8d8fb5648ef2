package translate

import (
	"database/sql/driver"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
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
