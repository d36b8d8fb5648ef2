package main

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
)

// column is a field of an app: its code and Kintone field type.
type column struct {
	name, typ string
}

// writable reports whether records can be given a value of a field of
// Kintone type typ: not the fields Kintone computes, nor files (their
// values are download keys, which cannot be written back).
func writable(typ string) bool {
	switch typ {
	case "__ID__", "__REVISION__", "RECORD_NUMBER", "CALC", "STATUS", "STATUS_ASSIGNEE",
		"CATEGORY", "CREATOR", "MODIFIER", "CREATED_TIME", "UPDATED_TIME", "FILE":
		return false
	}
	return true
}

// columns returns table's writable fields in form order, from SHOW
// COLUMNS (whose Type is the Kintone field type).
func columns(ctx context.Context, db *sql.DB, table string) ([]column, error) {
	rows, err := db.QueryContext(ctx, "SHOW COLUMNS FROM "+quote(table))
	if err != nil {
		return nil, fmt.Errorf("reading the fields of %s: %w", table, err)
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return nil, fmt.Errorf("reading the fields of %s: %w", table, err)
	}
	vals := make([]sql.NullString, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var cols []column
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("reading the fields of %s: %w", table, err)
		}
		var c column
		for i, n := range names {
			switch n {
			case "Field":
				c.name = vals[i].String
			case "Type":
				c.typ = vals[i].String
			}
		}
		if c.name != "" && writable(c.typ) {
			cols = append(cols, c)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reading the fields of %s: %w", table, err)
	}
	return cols, nil
}

// commonColumns returns the columns of src that dst has too, in src's
// order.
func commonColumns(src, dst []column) []column {
	in := make(map[string]bool, len(dst))
	for _, c := range dst {
		in[c.name] = true
	}
	var out []column
	for _, c := range src {
		if in[c.name] {
			out = append(out, c)
		}
	}
	return out
}

// checkDistinct refuses to copy an app onto itself: the copy would read
// its own new records. It compares the app IDs the names resolve to in
// information_schema.tables, and lets the copy go on when it cannot tell
// (API tokens cannot list apps, and DSN aliases are not listed).
func checkDistinct(ctx context.Context, db *sql.DB, from, to string) error {
	if from == to {
		return fmt.Errorf("--from and --to name the same app, %s", from)
	}
	rows, err := db.QueryContext(ctx, "SELECT APP_ID, TABLE_NAME, APP_NAME FROM information_schema.tables")
	if err != nil {
		return nil
	}
	defer rows.Close()
	var fromID, toID int64
	for rows.Next() {
		var id int64
		var table string
		var name sql.NullString
		if err := rows.Scan(&id, &table, &name); err != nil {
			return nil
		}
		for _, n := range []string{table, name.String, strconv.FormatInt(id, 10)} {
			if n == from && fromID == 0 {
				fromID = id
			}
			if n == to && toID == 0 {
				toID = id
			}
		}
	}
	if fromID != 0 && fromID == toID {
		return fmt.Errorf("--from %s and --to %s are the same app (ID %d)", from, to, fromID)
	}
	return nil
}

// quote backquotes an identifier.
func quote(name string) string {
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// columnList is the columns' names, quoted, separated by commas.
func columnList(cols []column) string {
	var b strings.Builder
	for i, c := range cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quote(c.name))
	}
	return b.String()
}

// everyRow ends a SELECT that must read every record: an explicit LIMIT
// (MySQL's idiom for "no limit") lifts the DSN's maxRows, which is a LIMIT
// for every SELECT without one and would cut an export or a copy short
// without a word.
const everyRow = " LIMIT 9223372036854775807"
