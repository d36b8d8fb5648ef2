package kintone_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/kintonetest"
	"github.com/kintone-sql/kintone/translate"
)

// Table names follow the rule of column names: the exact spelling of an
// alias, ID, code or name first, then the one app whose alias, code or
// name matches ignoring case; apps that differ only in case are an error
// naming both. (The README's examples write orders for the app ORDERS.)
func TestTableNamesMatchIgnoringCaseWhenUnambiguous(t *testing.T) {
	srv := newEmulator(t)
	fields := []kintonetest.Field{{Code: "num", Type: "NUMBER"}}
	mk := func(name, code string, records int) int64 {
		t.Helper()
		id, err := srv.CreateApp(kintonetest.App{Name: name, Code: code, Fields: fields})
		if err != nil {
			t.Fatal(err)
		}
		for range records {
			if _, err := srv.AddRecords(id, kintonetest.Record{"num": "1"}); err != nil {
				t.Fatal(err)
			}
		}
		return id
	}
	upper := mk("Orders", "ORDERS", 1)
	lower := mk("Old orders", "orders", 2)
	leads := mk("Sales Leads", "", 3)
	db := openDB(t, srv.DSN()+"?apps=Mine:"+itoa(leads))
	for table, want := range map[string]int{
		"ORDERS": 1, "Orders": 1, // exact code, exact name
		"orders":        2,                     // exact code of the other app wins over ignoring case
		"`sales leads`": 3, "`SALES LEADS`": 3, // a name ignoring case
		"MINE": 3, "mine": 3, "Mine": 3, // a DSN alias ignoring case
	} {
		if n := countRows(t, db, "SELECT num FROM "+table); n != want {
			t.Errorf("%s: %d rows, want %d", table, n, want)
		}
	}
	_, err := db.Query("SELECT num FROM OrDeRs")
	var amb *kintone.AmbiguousTableError
	if !errors.As(err, &amb) || !amb.IgnoringCase || !reflect.DeepEqual(amb.IDs, []int64{upper, lower}) ||
		!reflect.DeepEqual(amb.Matches, []string{"ORDERS", "orders"}) {
		t.Fatalf("two apps that differ in case: %v, want an *AmbiguousTableError naming both", err)
	}
	for _, part := range []string{`"ORDERS" (app ` + itoa(upper) + ")", `"orders" (app ` + itoa(lower) + ")", "exact case", "(at line 1, column 17)"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("message %q does not contain %q", err, part)
		}
	}
}

// An unknown table names the nearest tables, as an unknown DSN key names
// the nearest key; with API tokens, which cannot list apps, it says so and
// how to name the app.
func TestUnknownTableSaysWhatItMayBeAndHowToNameApps(t *testing.T) {
	srv := newEmulator(t)
	if err := srv.SeedDemo(); err != nil {
		t.Fatal(err)
	}
	db := openDB(t, srv.DSN())
	_, err := db.Query("SELECT * FROM Ordrs")
	var ute *translate.UnknownTableError
	if !errors.As(err, &ute) || !reflect.DeepEqual(ute.Suggestions, []string{"ORDERS", "Orders"}) || ute.Pos.Column != 15 {
		t.Fatalf("a typo: %#v, want suggestions ORDERS and Orders at column 15", err)
	}
	if !strings.Contains(err.Error(), `did you mean "ORDERS" or "Orders"?`) {
		t.Errorf("message %q", err)
	}
	if _, err := db.Query("SELECT * FROM Nothing"); err == nil || !strings.HasSuffix(err.Error(), "SHOW TABLES lists the tables") {
		t.Errorf("no near name: %v, want the SHOW TABLES hint", err)
	}
	if _, err := db.Query("SELECT * FROM `999`"); !errors.As(err, &ute) || ute.Hint != "no app has this ID" || len(ute.Suggestions) != 0 {
		t.Errorf("an ID no app has: %v", err)
	}

	// API tokens: no apps in the DSN, then one.
	tok := srv.AddAPIToken(2, kintonetest.ReadOnly())
	tdb := openDB(t, srv.TokenDSN(tok))
	_, err = tdb.Query("SELECT * FROM Orders")
	if !errors.As(err, &ute) || !strings.Contains(ute.Hint, "API tokens cannot list apps") ||
		!strings.Contains(ute.Hint, "apps=Orders:<app ID>") || !strings.Contains(ute.Hint, "appId=<app ID>") {
		t.Fatalf("tokens without apps: %v, want the hint on naming apps", err)
	}
	if _, err := tdb.Query("SELECT * FROM `999`"); !errors.As(err, &ute) || ute.Hint != "no app with this ID can be read with these API tokens" {
		t.Errorf("tokens, an ID no app has: %v", err)
	}
	tdb = openDB(t, srv.TokenDSN(tok)+"&appId=2")
	if n := countRows(t, tdb, "SELECT * FROM orders"); n != 1500 {
		t.Errorf("tokens, appId=2, orders: %d rows", n)
	}
	_, err = tdb.Query("SELECT * FROM Ordrs")
	if !errors.As(err, &ute) || !reflect.DeepEqual(ute.Suggestions, []string{"ORDERS", "Orders"}) || !strings.Contains(ute.Hint, "apps=Ordrs:<app ID>") {
		t.Fatalf("tokens, appId=2, Ordrs: %v", err)
	}
}
