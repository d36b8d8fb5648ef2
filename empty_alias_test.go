package kintone_test

import (
	"database/sql"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest"
)

// TestEmptyAliasNamesTheColumn: before issue 13 (42f6910), an empty
// string alias (the first two queries below) named the result column "",
// the alias as written; the new binder drops an empty alias and names the
// column after the expression (translate/bind/itemtext.go:13). An empty
// backquoted alias was a syntax error and is now accepted the same way.
func TestEmptyAliasNamesTheColumn(t *testing.T) {
	srv, err := kintonetest.NewServer(kintonetest.WithDemoData())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	db, err := sql.Open("kintone", srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		"SELECT total AS '' FROM Orders LIMIT 1",
		`SELECT total AS "" FROM Orders LIMIT 1`,
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		cols, _ := rows.Columns()
		rows.Close()
		if len(cols) != 1 || cols[0] != "" {
			t.Errorf("%s: columns %q, want [\"\"] (the alias as written, as before issue 13)", q, cols)
		}
	}
	if _, err := db.Query("SELECT total AS `` FROM Orders LIMIT 1"); err == nil {
		t.Errorf("SELECT total AS `` was accepted (an empty identifier; it was a syntax error before issue 13)")
	}
}
