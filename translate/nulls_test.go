package translate

import (
	"database/sql/driver"
	"reflect"
	"strings"
	"testing"
)

// TestNullsFirstLast checks NULLS FIRST and NULLS LAST: honoured in Go,
// and pushed to Kintone only where they agree with where Kintone puts
// empty values.
func TestNullsFirstLast(t *testing.T) {
	tests := []struct {
		sql    string
		ids    []int64
		pushed bool
	}{
		{"SELECT $id FROM ORD ORDER BY amount NULLS LAST", []int64{5, 2, 1, 4, 3}, false},
		{"SELECT $id FROM ORD ORDER BY amount ASC NULLS FIRST", []int64{3, 5, 2, 1, 4}, true},
		{"SELECT $id FROM ORD ORDER BY amount DESC NULLS FIRST", []int64{3, 1, 4, 2, 5}, false},
		{"SELECT $id FROM ORD ORDER BY amount DESC NULLS LAST", []int64{1, 4, 2, 5, 3}, true},
		{"SELECT $id FROM ORD ORDER BY title NULLS LAST, $id DESC", []int64{5, 3, 1, 4, 2}, false},
		{"SELECT $id FROM ORD ORDER BY amount NULLS LAST LIMIT 2", []int64{5, 2}, false},
		{"SELECT status, COUNT(*) FROM ORD GROUP BY status ORDER BY status NULLS LAST", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			s := planOf(t, tt.sql, Options{})
			q := ""
			if s.Read != nil {
				q = s.Read.Query.String()
			}
			if pushed := strings.Contains(q, "order by amount") || strings.Contains(q, "order by title"); pushed != tt.pushed {
				t.Errorf("query %q: pushed %v, want %v", q, pushed, tt.pushed)
			}
			got := collect(t, s, sampleRecords())
			if tt.ids == nil {
				want := [][]driver.Value{{"closed", int64(1)}, {"open", int64(2)}, {nil, int64(2)}}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("got %v, want %v", got, want)
				}
				return
			}
			var ids []int64
			for _, r := range got {
				ids = append(ids, r[0].(int64))
			}
			if !reflect.DeepEqual(ids, tt.ids) {
				t.Errorf("got %v, want %v", ids, tt.ids)
			}
		})
	}
	if !strings.Contains(planOf(t, "SELECT $id FROM ORD ORDER BY amount DESC NULLS FIRST", Options{}).Explain(), "NULLS FIRST") {
		t.Error("EXPLAIN does not show NULLS FIRST")
	}
}
