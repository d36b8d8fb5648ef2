package sqlxexample

import (
	"slices"
	"sort"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/kintone-sql/kintone/internal/readmecode"
	"github.com/kintone-sql/kintone/kintonetest"
)

// readmeSnippetFile is the generated copy of the README's sqlx snippet.
const readmeSnippetFile = "readme_snippet_test.go"

// The README's sqlx snippet is the one the next test runs: a change to
// either fails here (UPDATE_README_SNIPPETS=1 rewrites the copy).
func TestREADMESqlxSnippetIsTheOneTested(t *testing.T) {
	want, err := readmecode.Generate("../../README.md", "### sqlx", readmecode.Harness{
		Package: "sqlxexample",
		Func:    "runREADMESnippet",
		Then:    "checkREADMESnippet(t, db, japan, c, names)",
	})
	if err != nil {
		t.Fatal(err)
	}
	readmecode.CheckCopy(t, readmeSnippetFile, want, "go test -run TestREADME ./sqlx/")
}

// The README's sqlx snippet runs as written against the demo apps.
func TestREADMESqlxSnippetRunsAgainstTheDemo(t *testing.T) {
	srv, err := kintonetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if err := srv.SeedDemo(); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KINTONE_DSN", srv.DSN())
	runREADMESnippet(t)
}

// checkREADMESnippet checks what the README's snippet read and wrote.
func checkREADMESnippet(t *testing.T, db *sqlx.DB, japan []Customer, c Customer, names []string) {
	t.Helper()
	if len(japan) == 0 {
		t.Fatal("no customer in Japan")
	}
	for i, x := range japan {
		if x.Country.String != "Japan" || x.ID == 0 || x.Revision == 0 || x.Code == "" || x.Company == "" {
			t.Errorf("customer %+v", x)
		}
		if i > 0 && x.Since.Valid && (!japan[i-1].Since.Valid || japan[i-1].Since.Time.Before(x.Since.Time)) {
			t.Errorf("not ORDER BY since DESC at %d: %v after %v", i, x.Since, japan[i-1].Since)
		}
	}
	if c.ID != 42 || c.Code != "C0042" {
		t.Errorf("Get: %+v, want $id 42, C0042", c)
	}
	for _, x := range japan {
		if !slices.Contains(names, x.Company) {
			t.Errorf("IN (France, Japan) lacks %q", x.Company)
		}
	}
	if len(names) <= len(japan) {
		t.Errorf("IN (France, Japan): %d names, Japan alone %d", len(names), len(japan))
	}
	var added []Customer
	if err := db.Select(&added, "SELECT customer_code, company, country FROM customers WHERE customer_code IN ('C9001', 'C9002')"); err != nil {
		t.Fatal(err)
	}
	sort.Slice(added, func(i, j int) bool { return added[i].Code < added[j].Code })
	if len(added) != 2 || added[0].Company != "Kite Labs" || added[1].Company != "Fuji Foods" || added[0].Country.Valid {
		t.Errorf("NamedExec INSERT wrote %+v", added)
	}
	var country string
	if err := db.Get(&country, "SELECT country FROM customers WHERE `$id` = 42"); err != nil || country != "Japan" {
		t.Errorf("NamedExec UPDATE: country %q, %v", country, err)
	}
}
