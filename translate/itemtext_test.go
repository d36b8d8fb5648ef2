package translate

import (
	"context"
	"reflect"
	"testing"
)

// TestResultColumnNamesAreTheExpressionsAsWritten checks that a select item
// without an alias is named by its text as the statement wrote it, as MySQL
// names it: case, spacing and quoting kept, not the parser's reprint
// (year(ordered_at) for YEAR(ordered_at), 'it\\'s' for 'it\'s').
func TestResultColumnNamesAreTheExpressionsAsWritten(t *testing.T) {
	tests := []struct {
		sql  string
		want []string
	}{
		{"SELECT YEAR(at), year(at), Year( at ) FROM ORD", []string{"YEAR(at)", "year(at)", "Year( at )"}},
		{`SELECT 'it\'s', 'it''s', "dq", '' FROM ORD`, []string{"it's", "it's", "dq", ""}},
		{`SELECT CONCAT('it\'s', title), CONCAT("a",title) FROM ORD`, []string{`CONCAT('it\'s', title)`, `CONCAT("a",title)`}},
		{"SELECT amount+1, amount  *  2, - amount, -1, 1.50, NULL, TRUE FROM ORD",
			[]string{"amount+1", "amount  *  2", "- amount", "-1", "1.50", "NULL", "TRUE"}},
		{"SELECT title, `title`, ORD.title, Title, `$id`, $id FROM ORD", []string{"title", "title", "title", "Title", "$id", "$id"}},
		{"SELECT amount AS a, amount b, amount AS `my col`, UPPER(title) AS `UPPER(title)` FROM ORD", []string{"a", "b", "my col", "UPPER(title)"}},
		{"SELECT UPPER(顧客名), 顧客名 FROM ORD", []string{"UPPER(顧客名)", "顧客名"}},
		{"SELECT CASE WHEN amount > 1 THEN 'big' ELSE 'small' END, title = 'a' FROM ORD",
			[]string{"CASE WHEN amount > 1 THEN 'big' ELSE 'small' END", "title = 'a'"}},
		{"SELECT DISTINCT UPPER(title), IFNULL(title, '') FROM ORD", []string{"UPPER(title)", "IFNULL(title, '')"}},
		{"SELECT /* first */ LOWER(title) /* after */, COALESCE(title,\n  'x') FROM ORD", []string{"LOWER(title)", "COALESCE(title,\n  'x')"}},
		{"SELECT COUNT( * ), count(*), SUM(amount) / 2 FROM ORD", []string{"COUNT( * )", "count(*)", "SUM(amount) / 2"}},
		{"SELECT status, COUNT(DISTINCT title) FROM ORD GROUP BY status ORDER BY 2", []string{"status", "COUNT(DISTINCT title)"}},
		{"SELECT title, amount > ? FROM ORD", []string{"title", "amount > ?"}},
		{"SELECT UPPER('a,b'), 1 + (2 * 3) FROM ORD LIMIT 1", []string{"UPPER('a,b')", "1 + (2 * 3)"}},
		{"SELECT 1+1", []string{"1+1"}},
		{"EXPLAIN SELECT Upper(title) FROM ORD", []string{"strategy", "app", "query", "fields", "page_size", "max_records", "go", "plan"}},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			ctx := context.Background()
			p, err := Prepare(ctx, tt.sql, testSchema(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			st, err := p.Bind(ctx, args(int64(1))[:p.NumInput()])
			if err != nil {
				t.Fatal(err)
			}
			s := st.(*Select)
			var names []string
			for _, c := range s.Columns {
				names = append(names, c.Name)
			}
			if !reflect.DeepEqual(names, tt.want) {
				t.Errorf("Columns = %q, want %q", names, tt.want)
			}
			if got := s.Run(nil).Columns(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Rows.Columns = %q, want %q", got, tt.want)
			}
		})
	}
}
