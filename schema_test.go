package kintone_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/kintonetest"
	"github.com/kintone-sql/kintone/translate"
)

// Table names resolve by alias, ID, app code and unique name; a name two
// apps share is an error naming both, and with API tokens only the apps the
// DSN names can be found by name.
func TestTableNameResolution(t *testing.T) {
	srv := newEmulator(t)
	fields := []kintonetest.Field{{Code: "num", Type: "NUMBER"}}
	a, err := srv.CreateApp(kintonetest.App{Name: "Twin", Code: "TWIN_A", Fields: fields})
	if err != nil {
		t.Fatal(err)
	}
	b, err := srv.CreateApp(kintonetest.App{Name: "Twin", Fields: fields})
	if err != nil {
		t.Fatal(err)
	}
	solo, err := srv.CreateApp(kintonetest.App{Name: "Solo app", Fields: fields})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.AddRecords(a, kintonetest.Record{"num": "1"}); err != nil {
		t.Fatal(err)
	}
	db := openDB(t, srv.DSN()+"?apps=mine:"+itoa(a))
	for _, name := range []string{"mine", "`" + itoa(a) + "`", "TWIN_A"} {
		if n := countRows(t, db, "SELECT num FROM "+name); n != 1 {
			t.Errorf("%s: %d rows, want app %d's 1", name, n, a)
		}
	}
	if n := countRows(t, db, "SELECT num FROM `Solo app`"); n != 0 {
		t.Errorf("Solo app: %d rows", n)
	}
	_, err = db.Query("SELECT num FROM Twin")
	var amb *kintone.AmbiguousTableError
	if !errors.As(err, &amb) || len(amb.IDs) != 2 || amb.IDs[0] != a || amb.IDs[1] != b {
		t.Fatalf("a shared name: %v, want an *AmbiguousTableError naming apps %d and %d", err, a, b)
	}
	_, err = db.Query("SELECT num FROM Nowhere")
	if !errors.Is(err, translate.ErrUnknownTable) || !strings.Contains(err.Error(), "Nowhere") {
		t.Fatalf("an unknown name: %v", err)
	}

	// API tokens cannot list apps: names resolve among the apps the DSN names.
	tok := srv.AddAPIToken(solo, kintonetest.ReadOnly())
	tdb := openDB(t, srv.TokenDSN(tok)+"&appId="+itoa(solo))
	if n := countRows(t, tdb, "SELECT num FROM `Solo app`"); n != 0 {
		t.Errorf("by name with a token: %d rows", n)
	}
	if _, err := tdb.Query("SELECT num FROM TWIN_A"); !errors.Is(err, translate.ErrUnknownTable) {
		t.Fatalf("an app the DSN does not name, with a token: %v", err)
	}
}
