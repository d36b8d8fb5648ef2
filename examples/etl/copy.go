package main

import (
	"context"
	"database/sql"
	"fmt"
)

// The copy modes.
const (
	// modeInsertSelect has the driver run INSERT ... SELECT.
	modeInsertSelect = "insert-select"
	// modeStream reads with one SELECT and writes batched INSERTs.
	modeStream = "stream"
)

// copyRecords copies the records of from into to, the fields both apps
// have and Kintone does not compute, and returns how many it wrote.
func copyRecords(ctx context.Context, db *sql.DB, from, to, mode string, batch int) (int64, error) {
	if err := checkDistinct(ctx, db, from, to); err != nil {
		return 0, err
	}
	src, err := columns(ctx, db, from)
	if err != nil {
		return 0, err
	}
	dst, err := columns(ctx, db, to)
	if err != nil {
		return 0, err
	}
	cols := commonColumns(src, dst)
	if len(cols) == 0 {
		return 0, fmt.Errorf("%s and %s have no writable field code in common: nothing to copy", from, to)
	}
	if mode == modeStream {
		return streamCopy(ctx, db, from, to, cols, batch)
	}
	list := columnList(cols)
	res, err := db.ExecContext(ctx, "INSERT INTO "+quote(to)+" ("+list+") SELECT "+list+" FROM "+quote(from))
	if err != nil {
		// The driver's error says how many records were written first.
		return 0, fmt.Errorf("copying %s into %s: %w", from, to, err)
	}
	return res.RowsAffected()
}

// streamCopy reads cols of from with one SELECT, which the driver pages
// 500 records at a time, and writes them into to in batches.
func streamCopy(ctx context.Context, db *sql.DB, from, to string, cols []column, batch int) (int64, error) {
	rows, err := db.QueryContext(ctx, "SELECT "+columnList(cols)+" FROM "+quote(from)+everyRow)
	if err != nil {
		return 0, fmt.Errorf("reading %s: %w", from, err)
	}
	defer rows.Close()
	w := newBatchWriter(db, to, cols, batch)
	for rows.Next() {
		row := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return w.written, fmt.Errorf("reading %s: %w", from, err)
		}
		if err := w.add(ctx, row); err != nil {
			return w.written, err
		}
	}
	if err := rows.Err(); err != nil {
		return w.written, fmt.Errorf("reading %s (%d records written into %s before): %w", from, w.written, to, err)
	}
	if err := w.flush(ctx); err != nil {
		return w.written, err
	}
	return w.written, nil
}
