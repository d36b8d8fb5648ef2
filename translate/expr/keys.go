package expr

import (
	"fmt"
	"time"
)

// CompareNullsFirst orders two values the way ORDER BY does ascending:
// NULL before any value, the rest as CompareValues.
func CompareNullsFirst(a, b any, loc *time.Location) (int, error) {
	switch {
	case a == nil && b == nil:
		return 0, nil
	case a == nil:
		return -1, nil
	case b == nil:
		return 1, nil
	}
	return CompareValues(a, b, loc)
}

// DescribeKeys prints sort keys for an error message: (NULL, 'a', 3).
func DescribeKeys(keys []any) string {
	s := "("
	for i, k := range keys {
		if i > 0 {
			s += ", "
		}
		if k == nil {
			s += "NULL"
		} else {
			s += QuoteValue(k)
		}
	}
	return s + ")"
}

// RowKey is the key under which DISTINCT, GROUP BY and COUNT(DISTINCT)
// tell rows apart: equal values (by ValueKey) give equal keys.
func RowKey(vals []any) string {
	s := ""
	for _, v := range vals {
		k := ValueKey(v)
		s += fmt.Sprintf("%d:%s", len(k), k)
	}
	return s
}
