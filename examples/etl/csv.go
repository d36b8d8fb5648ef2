package main

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
)

// exportCSV writes the writable fields of table's records, in $id order,
// as CSV with a header line of field codes, and returns how many records
// it wrote.
func exportCSV(ctx context.Context, db *sql.DB, table string, w io.Writer) (int64, error) {
	cols, err := columns(ctx, db, table)
	if err != nil {
		return 0, err
	}
	if len(cols) == 0 {
		return 0, fmt.Errorf("%s has no writable field to export", table)
	}
	rows, err := db.QueryContext(ctx, "SELECT "+columnList(cols)+" FROM "+quote(table)+" ORDER BY `$id`"+everyRow)
	if err != nil {
		return 0, fmt.Errorf("reading %s: %w", table, err)
	}
	defer rows.Close()
	cw := csv.NewWriter(w)
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.name
	}
	if err := cw.Write(header); err != nil {
		return 0, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	line := make([]string, len(cols))
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, fmt.Errorf("reading %s: %w", table, err)
		}
		for i, v := range vals {
			line[i] = csvValue(v, cols[i].typ)
		}
		if err := cw.Write(line); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("reading %s after %d records: %w", table, n, err)
	}
	cw.Flush()
	return n, cw.Error()
}

// csvValue prints a value the driver returned for a field of Kintone type
// typ in the form Kintone takes it back.
func csvValue(v any, typ string) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case []byte:
		return string(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case time.Time:
		switch typ {
		case "DATE":
			return v.Format(time.DateOnly)
		case "TIME":
			return v.Format("15:04")
		}
		return v.UTC().Format(time.RFC3339)
	}
	return fmt.Sprint(v)
}

// importCSV inserts the records of a CSV file with a header line of field
// codes into table, in batches of up to batch rows, and returns how many
// it wrote. An empty cell is an empty value.
//
// It reads with encoding/csv, whose Reader turns a CRLF inside a quoted
// field into LF: a multi-line text written on Windows comes back with LF
// line breaks. kintone-sql import reads CSV byte for byte; use it where
// that matters.
func importCSV(ctx context.Context, db *sql.DB, table string, r io.Reader, batch int) (int64, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return 0, errors.New("the CSV is empty: want a header line of field codes")
	}
	if err != nil {
		return 0, fmt.Errorf("reading the CSV header: %w", err)
	}
	fields, err := columns(ctx, db, table)
	if err != nil {
		return 0, err
	}
	byName := make(map[string]column, len(fields))
	for _, c := range fields {
		byName[c.name] = c
	}
	cols := make([]column, len(header))
	for i, name := range header {
		c, ok := byName[name]
		if !ok {
			return 0, fmt.Errorf("CSV column %d, %q, is not a writable field of %s", i+1, name, table)
		}
		cols[i] = c
	}
	w := newBatchWriter(db, table, cols, batch)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return w.written, fmt.Errorf("reading the CSV (%d records written before): %w", w.written, err)
		}
		row := make([]any, len(rec))
		for i, s := range rec {
			if s != "" {
				row[i] = s
			}
		}
		if err := w.add(ctx, row); err != nil {
			return w.written, err
		}
	}
	if err := w.flush(ctx); err != nil {
		return w.written, err
	}
	return w.written, nil
}
