package translate

import (
	"database/sql/driver"
	"reflect"
	"testing"
)

// TestMetadata checks SHOW, DESCRIBE, information_schema and EXPLAIN,
// which read the Schema rather than records.
func TestMetadata(t *testing.T) {
	tests := []struct {
		sql  string
		cols []string
		want [][]driver.Value
	}{
		{"SHOW TABLES", []string{"Tables_in_kintone"}, [][]driver.Value{{"7"}, {"8"}, {"9"}, {"ORD"}}},
		{"SHOW FULL TABLES LIKE 'O%'", []string{"Tables_in_kintone", "Table_type"}, [][]driver.Value{{"ORD", "BASE TABLE"}}},
		{"SHOW TABLES WHERE Tables_in_kintone > '8'", []string{"Tables_in_kintone"}, [][]driver.Value{{"9"}, {"ORD"}}},
		{"SHOW TABLES FROM kintone", []string{"Tables_in_kintone"}, [][]driver.Value{{"7"}, {"8"}, {"9"}, {"ORD"}}},
		{"SHOW COLUMNS FROM ORD LIKE 'ti%'", []string{"Field", "Type", "Null", "Key", "Default", "Extra"},
			[][]driver.Value{{"title", "SINGLE_LINE_TEXT", "YES", "UNI", nil, ""}}},
		{"SHOW FULL COLUMNS FROM `42` WHERE Field IN ('$id', 'total')", []string{"Field", "Type", "Null", "Key", "Default", "Extra", "Comment"},
			[][]driver.Value{{"$id", "__ID__", "NO", "PRI", nil, "auto_increment", nil}, {"total", "CALC", "YES", "", nil, "computed: amount*2", nil}}},
		{"SHOW FIELDS IN ORD.items", []string{"Field", "Type", "Null", "Key", "Default", "Extra"}, [][]driver.Value{
			{"$id", "__ID__", "NO", "", nil, ""},
			{"$row_id", "__ROW_ID__", "NO", "PRI", nil, ""},
			{"item", "SINGLE_LINE_TEXT", "YES", "", nil, ""},
			{"qty", "NUMBER", "YES", "", nil, ""},
			{"price", "NUMBER", "YES", "", nil, ""},
			{"when", "DATE", "YES", "", nil, ""},
			{"kind", "DROP_DOWN", "YES", "", nil, ""},
		}},
		{"DESCRIBE Customers", []string{"Field", "Type", "Null", "Key", "Default", "Extra"}, [][]driver.Value{
			{"$id", "__ID__", "NO", "PRI", nil, "auto_increment"},
			{"$revision", "__REVISION__", "NO", "", nil, ""},
			{"name", "SINGLE_LINE_TEXT", "YES", "", nil, ""},
		}},
		{"DESC `ORD` `顧客名`", []string{"Field", "Type", "Null", "Key", "Default", "Extra"}, [][]driver.Value{
			{"顧客名", "SINGLE_LINE_TEXT", "YES", "", nil, ""}}},
		{"EXPLAIN ORD '作%'", []string{"Field", "Type", "Null", "Key", "Default", "Extra"}, [][]driver.Value{
			{"作成者", "CREATOR", "NO", "", nil, ""}, {"作成日時", "CREATED_TIME", "NO", "", nil, ""}, {"作業者", "STATUS_ASSIGNEE", "NO", "", nil, ""}}},
		{"SELECT TABLE_NAME, APP_ID, APP_NAME FROM information_schema.tables WHERE APP_NAME = 'Twin' ORDER BY APP_ID DESC",
			[]string{"TABLE_NAME", "APP_ID", "APP_NAME"}, [][]driver.Value{{"9", int64(9), "Twin"}, {"8", int64(8), "Twin"}}},
		{"SELECT table_name, column_name, ordinal_position, data_type, is_nullable, column_key FROM information_schema.columns WHERE table_name = '7'",
			[]string{"table_name", "column_name", "ordinal_position", "data_type", "is_nullable", "column_key"}, [][]driver.Value{
				{"7", "$id", int64(1), "__ID__", "NO", "PRI"},
				{"7", "$revision", int64(2), "__REVISION__", "NO", ""},
				{"7", "name", int64(3), "SINGLE_LINE_TEXT", "YES", ""},
			}},
		{"SELECT COUNT(*) FROM information_schema.columns WHERE TABLE_NAME = 'ORD'", []string{"COUNT(*)"}, [][]driver.Value{{int64(30)}}},
		{"SELECT 1 + 1 AS two, 'x'", []string{"two", "x"}, [][]driver.Value{{int64(2), "x"}}},
		{"SELECT 1 FROM DUAL WHERE 1 = 0", []string{"1"}, nil},
		{"EXPLAIN SELECT title FROM ORD WHERE amount > 5 AND title LIKE 'a%' LIMIT 3",
			[]string{"strategy", "app", "query", "fields", "page_size", "max_records", "go", "plan"},
			[][]driver.Value{{"seek", int64(42), "amount > 5 order by $id asc", "$id,title", int64(500), nil, "filter: title LIKE 'a%'; limit 3",
				"limit 3\n└─ project title\n   └─ filter: title LIKE 'a%'\n      └─ kintone read of app 42 (seek)"}}},
		{"EXPLAIN SELECT COUNT(*) FROM ORD", []string{"strategy", "app", "query", "fields", "page_size", "max_records", "go", "plan"},
			[][]driver.Value{{"count", int64(42), "limit 1", "$id", nil, nil, "count from totalCount",
				"project COUNT(*)\n└─ count from totalCount\n   └─ kintone read of app 42 (count)"}}},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			s := planOf(t, tt.sql, Options{})
			if s.Read != nil {
				t.Fatalf("a metadata statement plans a read:\n%s", s.Explain())
			}
			if names := s.Run(nil).Columns(); !reflect.DeepEqual(names, tt.cols) {
				t.Errorf("columns = %v, want %v", names, tt.cols)
			}
			got := collect(t, s, nil)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %v\nwant %v", got, tt.want)
			}
		})
	}
}

// TestMetadataLoadsFields checks that information_schema.columns loads
// each app's fields through Schema.App, since the app list has none.
func TestMetadataLoadsFields(t *testing.T) {
	schema := testSchema()
	if _, err := Translate(t.Context(), "SELECT * FROM information_schema.columns", schema, Options{}, nil); err != nil {
		t.Fatal(err)
	}
	if schema.calls != len(schema.apps) {
		t.Errorf("%d App calls, want one per app (%d)", schema.calls, len(schema.apps))
	}
}
