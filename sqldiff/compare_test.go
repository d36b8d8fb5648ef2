package sqldiff

// Running a statement on both engines and comparing the rows.

import (
	"cmp"
	"database/sql"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"time"
)

// fetch runs query and returns its rows, the values as database/sql gives
// them ([]byte copied).
func fetch(db *sql.DB, query string) ([][]any, error) {
	rows, err := db.Query(query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok {
				vals[i] = string(b)
			}
		}
		out = append(out, vals)
	}
	return out, rows.Err()
}

// numDecimals is the precision numbers are compared at. The data's
// numbers have at most two decimals, so every exact result (a sum, a
// difference, a product of two) has at most four: at four decimals the
// driver's exact decimals and SQLite's doubles agree, SQLite's rounding
// errors being far below 0.00005.
const numDecimals = 4

// approxTolerance bounds the difference of a kApprox value: the driver
// rounds a quotient or an average to at least four decimals (MySQL's scale
// of x plus div_precision_increment 4), so it is within 0.00005 of the
// true value; SQLite's double is within a relative 1e-12.
func approxTolerance(want float64) float64 { return 1e-4 + 1e-9*math.Abs(want) }

// canonRow is a row ready for comparison: its exact values printed in one
// string, its kApprox values as floats (NaN for NULL).
type canonRow struct {
	key    string
	approx []float64
	raw    []any
}

// canon prints one value by the kind of its column: NULL; a number rounded
// to numDecimals; text quoted; a DATE as YYYY-MM-DD; a DATETIME as
// YYYY-MM-DD HH:MM:SS in UTC. A value of a type the kind does not expect
// prints with its type, so that it differs from the other engine's.
func canon(v any, k kind) string {
	if v == nil {
		return "NULL"
	}
	switch k {
	case kNum, kApprox:
		if r := toRat(v); r != nil {
			s := r.FloatString(numDecimals)
			if strings.Trim(s, "-0.") == "" {
				s = strings.TrimPrefix(s, "-")
			}
			return s
		}
	case kText:
		if s, ok := v.(string); ok {
			return strconv.Quote(s)
		}
	case kDate:
		switch x := v.(type) {
		case time.Time:
			if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
				return x.Format(time.DateOnly)
			}
			return x.Format(time.RFC3339Nano)
		case string:
			return x
		}
	case kDateTime:
		switch x := v.(type) {
		case time.Time:
			return x.UTC().Format(time.DateTime)
		case string:
			return x
		}
	}
	return fmt.Sprintf("%T(%v)", v, v)
}

// toRat reads a number as either engine returns it: int64, float64, or
// decimal text (the driver's NUMBER and DECIMAL); nil when v is none.
func toRat(v any) *big.Rat {
	switch x := v.(type) {
	case int64:
		return new(big.Rat).SetInt64(x)
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil
		}
		return new(big.Rat).SetFloat64(x)
	case bool:
		if x {
			return big.NewRat(1, 1)
		}
		return new(big.Rat)
	case string:
		if r, ok := new(big.Rat).SetString(x); ok {
			return r
		}
	}
	return nil
}

// canonRows prepares rows for comparison; unless ordered, it sorts them.
func canonRows(rows [][]any, kinds []kind, ordered bool) []canonRow {
	out := make([]canonRow, len(rows))
	for i, row := range rows {
		var keys []string
		var approx []float64
		for j, v := range row {
			k := kNum
			if j < len(kinds) {
				k = kinds[j]
			}
			if k != kApprox {
				keys = append(keys, canon(v, k))
				continue
			}
			f := math.NaN()
			if r := toRat(v); r != nil {
				f, _ = r.Float64()
			} else if v != nil {
				keys = append(keys, canon(v, k)) // not a number: differs
			}
			approx = append(approx, f)
		}
		if len(row) != len(kinds) {
			keys = append(keys, fmt.Sprintf("(%d columns, want %d)", len(row), len(kinds)))
		}
		out[i] = canonRow{key: strings.Join(keys, " | "), approx: approx, raw: row}
	}
	if !ordered {
		slices.SortStableFunc(out, func(a, b canonRow) int {
			if c := strings.Compare(a.key, b.key); c != 0 {
				return c
			}
			return slices.CompareFunc(a.approx, b.approx, func(x, y float64) int { return cmp.Compare(x, y) })
		})
	}
	return out
}

// sameRow compares a driver row with a SQLite row.
func sameRow(got, want canonRow) bool {
	if got.key != want.key || len(got.approx) != len(want.approx) {
		return false
	}
	for i, w := range want.approx {
		g := got.approx[i]
		switch {
		case math.IsNaN(g) || math.IsNaN(w):
			if !math.IsNaN(g) || !math.IsNaN(w) {
				return false
			}
		case math.Abs(g-w) > approxTolerance(w):
			return false
		}
	}
	return true
}

// diffRows compares the driver's rows with SQLite's: "" when they agree,
// else a description of the first difference (with the rows of both
// engines there, sorted when the order is not compared).
func diffRows(got, want [][]any, kinds []kind, ordered bool) string {
	g, w := canonRows(got, kinds, ordered), canonRows(want, kinds, ordered)
	for i := range max(len(g), len(w)) {
		if i < len(g) && i < len(w) && sameRow(g[i], w[i]) {
			continue
		}
		how := "as multisets, both sorted"
		if ordered {
			how = "in ORDER BY order"
		}
		return fmt.Sprintf("driver %d rows, SQLite %d rows; first difference at row %d (%s):\n    driver: %s\n    SQLite: %s",
			len(g), len(w), i, how, showRow(g, i), showRow(w, i))
	}
	return ""
}

// showRow prints row i of rows, raw and canonical.
func showRow(rows []canonRow, i int) string {
	if i >= len(rows) {
		return "(no row)"
	}
	r := rows[i]
	parts := make([]string, len(r.raw))
	for j, v := range r.raw {
		if v == nil {
			parts[j] = "NULL"
			continue
		}
		parts[j] = fmt.Sprintf("%T(%v)", v, v)
	}
	return fmt.Sprintf("[%s]  compared as %s %v", strings.Join(parts, ", "), r.key, r.approx)
}
