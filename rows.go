package kintone

import (
	"context"
	"database/sql/driver"
	"io"
	"reflect"

	"github.com/kintone-sql/kintone/internal/fetch"
	"github.com/kintone-sql/kintone/translate"
)

// rows streams a plan's output rows. The translator's pipeline pulls records
// from pagers, which fetch pages in the background; Close stops them and
// deletes a cursor left open.
type rows struct {
	out  *translate.Rows
	cols []translate.Column
	done bool

	// The plan opens its reads as it comes to them (one, or a join's
	// sides, a lookup's batches, subqueries): ctx and cn start them,
	// pagers are those opened, in order.
	ctx    context.Context
	cn     *conn
	pagers []*fetch.Pager
}

// Compile-time checks of the interfaces rows implements.
var (
	_ driver.Rows                           = (*rows)(nil)
	_ driver.RowsColumnTypeDatabaseTypeName = (*rows)(nil)
	_ driver.RowsColumnTypeScanType         = (*rows)(nil)
	_ driver.RowsColumnTypeNullable         = (*rows)(nil)
)

func (cn *conn) runSelect(ctx context.Context, sel *translate.Select) (driver.Rows, error) {
	r := &rows{cols: sel.Columns, ctx: ctx, cn: cn}
	if sel.Strategy() == translate.StrategyCount {
		// Counted before Query returns, so that a connection that failed
		// before sending is reported as bad and retried.
		total, err := fetch.Count(ctx, cn.c.client, sel.Read)
		if err != nil {
			return nil, badConn(err)
		}
		r.out = sel.RunCount(total)
		return r, nil
	}
	// The plan opens its reads (Open, Count): a single read starts here,
	// as the plan is built, and fetches ahead of the first Next.
	r.out = sel.RunReads(r)
	return r, nil
}

// Open starts one of the plan's reads.
func (r *rows) Open(read *translate.Read) translate.Source {
	p := fetch.Start(r.ctx, r.cn.c.client, read, fetch.Limits{Parallel: r.cn.c.cfg.Concurrency, Cursors: r.cn.c.cursors, Requests: r.cn.c.requests})
	r.pagers = append(r.pagers, p)
	return p.Next
}

// Count asks Kintone how many records a read matches (a join's key
// lookup deciding whether it pays).
func (r *rows) Count(read *translate.Read) (int64, error) {
	n, err := fetch.Count(r.ctx, r.cn.c.client, read)
	return n, badConn(err)
}

// Columns returns the output column names.
func (r *rows) Columns() []string { return r.out.Columns() }

// Next fills dest with the next row; io.EOF after the last.
func (r *rows) Next(dest []driver.Value) error {
	if r.done {
		return io.EOF
	}
	err := r.out.Next(dest)
	if err == io.EOF {
		// Release the fetcher as soon as the last row is read, not only
		// at Close. Rows that ended before their records (a LIMIT applied
		// in Go) first check that none of those they took was missed.
		r.done = true
		for _, p := range r.pagers {
			if ferr := p.Finish(); ferr != nil {
				_ = r.closePager()
				return ferr
			}
		}
		if cerr := r.closePager(); cerr != nil {
			return cerr
		}
	}
	return err
}

// Close stops reading: the background fetch ends, an open cursor is
// deleted (on a fresh context, as the query's may be cancelled).
func (r *rows) Close() error {
	r.done = true
	return r.closePager()
}

func (r *rows) closePager() error {
	var first error
	for _, p := range r.pagers {
		if err := p.Close(); err != nil && first == nil {
			first = err
		}
	}
	r.pagers = nil
	return first
}

// ColumnTypeDatabaseTypeName is the Kintone field type of the column, such
// as "NUMBER" or "CHECK_BOX", or the SQL type of a computed column.
func (r *rows) ColumnTypeDatabaseTypeName(i int) string { return r.cols[i].DatabaseType }

// ColumnTypeScanType is the Go type values of the column scan into.
func (r *rows) ColumnTypeScanType(i int) reflect.Type { return r.cols[i].ScanType }

// ColumnTypeNullable reports whether the column may be NULL (an empty
// Kintone value is NULL).
func (r *rows) ColumnTypeNullable(i int) (nullable, ok bool) { return r.cols[i].Nullable, true }
