package scan

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
)

// fmtInt prints n in decimal.
func fmtInt(n int64) string { return strconv.FormatInt(n, 10) }

// compareValues orders two non-NULL values of one field as SQL does, for
// the kinds these tests decode: $id (int64), NUMBER (field.Decimal),
// times and text. The translator's comparison (translate/expr) gives the
// same answers for them; it is what a plan's Spec.Compare holds.
func compareValues(a, b any) (int, error) {
	switch x := a.(type) {
	case int64:
		if y, ok := b.(int64); ok {
			switch {
			case x < y:
				return -1, nil
			case x > y:
				return 1, nil
			}
			return 0, nil
		}
	case field.Decimal:
		if y, ok := b.(field.Decimal); ok {
			return field.CompareDecimal(string(x), string(y)), nil
		}
	case time.Time:
		if y, ok := b.(time.Time); ok {
			return x.Compare(y), nil
		}
	case string:
		if y, ok := b.(string); ok {
			return strings.Compare(x, y), nil
		}
	}
	return 0, fmt.Errorf("cannot compare %T with %T", a, b)
}

// compareNullsFirst is compareValues with NULL (nil) first: a Spec's
// Compare.
func compareNullsFirst(a, b any) (int, error) {
	switch {
	case a == nil && b == nil:
		return 0, nil
	case a == nil:
		return -1, nil
	case b == nil:
		return 1, nil
	}
	return compareValues(a, b)
}

// describeKeys prints sort keys as the translator does: a Spec's Describe.
func describeKeys(keys []any) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		if k == nil {
			parts[i] = "NULL"
		} else {
			parts[i] = fmt.Sprintf("%q", fmt.Sprint(k))
		}
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// ordProps are the fields of the test app ORD that the specs here sort
// or filter by.
var ordProps = map[string]*field.Property{
	"作成日時":   {Code: "作成日時", Type: field.CreatedTime},
	"更新日時":   {Code: "更新日時", Type: field.UpdatedTime},
	"title":  {Code: "title", Type: field.SingleLineText, Unique: true},
	"amount": {Code: "amount", Type: field.Number},
}

// ordSpec is a read of app ORD as the planner makes it for the SQL its
// callers name: strategy, the Kintone query (condition and order, no
// limit) and fields; with a Filter that keeps every record when filtered
// (part of the condition is evaluated in Go).
func ordSpec(t testing.TB, strategy Strategy, query string, fields []string, filtered bool) *Spec {
	t.Helper()
	q, err := kql.Parse(query)
	if err != nil {
		t.Fatalf("query %q: %v", query, err)
	}
	for i := range q.OrderBy {
		q.OrderBy[i].Explicit = true
	}
	s := &Spec{App: 42, Strategy: strategy, Query: q, Fields: fields, PageSize: MaxPageSize, Location: time.UTC,
		Props: ordProps, UpdateTime: "更新日時", Compare: compareNullsFirst, Describe: describeKeys}
	if filtered {
		s.Filter = func(Record) (bool, error) { return true, nil }
	}
	if strategy == Offset {
		s.CursorFallback = true
	}
	return s
}
