package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	kintone "github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/translate"
)

// batchWriter writes rows into a table with multi-row INSERTs of up to
// size rows. A statement of up to 2,000 rows is one request or one
// bulkRequest, which Kintone applies all or nothing, so written is exact
// after a failure too.
type batchWriter struct {
	db      *sql.DB
	table   string
	cols    []column
	size    int
	args    []any
	rows    int
	written int64
}

func newBatchWriter(db *sql.DB, table string, cols []column, size int) *batchWriter {
	return &batchWriter{db: db, table: table, cols: cols, size: size, args: make([]any, 0, size*len(cols))}
}

// add queues one row (a value per column) and writes the batch when it is
// full.
func (w *batchWriter) add(ctx context.Context, row []any) error {
	w.args = append(w.args, row...)
	w.rows++
	if w.rows == w.size {
		return w.flush(ctx)
	}
	return nil
}

// flush writes the queued rows.
func (w *batchWriter) flush(ctx context.Context) error {
	if w.rows == 0 {
		return nil
	}
	res, err := w.db.ExecContext(ctx, insertSQL(w.table, w.cols, w.rows), w.args...)
	if err != nil {
		at := ""
		if row := statementRow(err); row > 0 {
			at = fmt.Sprintf("record %d: ", w.written+row)
		}
		return fmt.Errorf("writing records %d to %d into %s (%d written before them): %s%w",
			w.written+1, w.written+int64(w.rows), w.table, w.written, at, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("writing into %s: %w", w.table, err)
	}
	w.written += n
	w.args = w.args[:0]
	w.rows = 0
	return nil
}

// insertSQL is INSERT INTO table (cols) VALUES (?, ...), ... for n rows.
func insertSQL(table string, cols []column, n int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	var b strings.Builder
	b.Grow(len(table) + 32 + n*(len(row)+2))
	b.WriteString("INSERT INTO ")
	b.WriteString(quote(table))
	b.WriteString(" (")
	b.WriteString(columnList(cols))
	b.WriteString(") VALUES ")
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row)
	}
	return b.String()
}

// statementRow is the 1-based row of the INSERT that err is about, 0 when
// it names none: Kintone's refusal of a record's values, or a value the
// driver could not convert to its field's type.
func statementRow(err error) int64 {
	var re *kintone.RowError
	if errors.As(err, &re) {
		return re.Row
	}
	var ve *translate.ValueError
	if errors.As(err, &ve) {
		return ve.Row
	}
	return 0
}
