package translate

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/translate/sqlerr"
)

type optionName string

// TestListArguments checks that a slice of any scalar type stands for the
// list of IN (?), element by element, as the same values written out would.
func TestListArguments(t *testing.T) {
	day := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		sql   string
		arg   any
		query string
	}{
		{"SELECT $id FROM ORD WHERE amount IN (?)", []int64{1, 2}, `amount in (1, 2) order by $id asc`},
		{"SELECT $id FROM ORD WHERE amount IN (?)", []int{3}, `amount in (3) order by $id asc`},
		{"SELECT $id FROM ORD WHERE amount IN (?)", []uint8{7}, ""}, // []uint8 is []byte: text, not a list
		{"SELECT $id FROM ORD WHERE amount IN (?)", []float32{1.5}, `amount in (1.5) order by $id asc`},
		{"SELECT $id FROM ORD WHERE amount IN (?)", []any{int64(1), "2.50", 3.25, nil}, `amount in (1, 2.5, 3.25) order by $id asc`},
		{"SELECT $id FROM ORD WHERE $id IN (?)", []int{4, 5}, `$id in (4, 5) order by $id asc`},
		{"SELECT $id FROM ORD WHERE title IN (?)", []optionName{"a", "b"}, `title in ("a", "b") order by $id asc`},
		{"SELECT $id FROM ORD WHERE tags IN (?)", []any{"a", "c"}, `tags in ("a", "c") order by $id asc`},
		{"SELECT $id FROM ORD WHERE due IN (?)", []time.Time{day}, `due = "2024-05-01" order by $id asc`},
		{"SELECT $id FROM ORD WHERE title IN (?)", []sql.NullString{{String: "x", Valid: true}}, `title in ("x") order by $id asc`},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			st, err := Translate(context.Background(), tt.sql, testSchema(), Options{}, args(tt.arg))
			if tt.query == "" {
				if err == nil {
					t.Fatalf("%#v accepted as a list", tt.arg)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if q := st.(*Select).Read.Query.String(); q != tt.query {
				t.Errorf("query %s, want %s", q, tt.query)
			}
		})
	}
	for _, tt := range []struct {
		arg  any
		want string
	}{
		{[]int{}, "an empty list cannot stand for IN (?)"},
		{[][]string{{"a"}}, "element 0 of the [][]string is a list"},
		{[]any{"a", func() {}}, "element 1 of the []interface {}: type func() is not supported"},
		{[]float64{1, 0, 2}, ""},
	} {
		_, err := Translate(context.Background(), "SELECT $id FROM ORD WHERE amount IN (?)", testSchema(), Options{}, args(tt.arg))
		var ae *sqlerr.ArgError
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%#v: %v", tt.arg, err)
		case tt.want != "" && (!errors.As(err, &ae) || ae.Ordinal != 1 || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%#v: %v, want an *ArgError for argument 1 with %q", tt.arg, err, tt.want)
		}
	}
}
