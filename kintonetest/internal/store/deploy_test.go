package store

import (
	"testing"
)

func TestDeployRenamesAndDeletes(t *testing.T) {
	s := openMem(t)
	app := mustApp(t, s, AppSpec{Name: "D", Fields: []*fieldProp{
		{Type: "SINGLE_LINE_TEXT", Code: "a"},
		{Type: "NUMBER", Code: "b"},
		{Type: "SINGLE_LINE_TEXT", Code: "gone"},
		{Type: "SINGLE_LINE_TEXT", Code: "reborn"},
		{Type: "SUBTABLE", Code: "tbl", Fields: map[string]*fieldProp{
			"x": {Type: "SINGLE_LINE_TEXT", Code: "x"},
			"y": {Type: "NUMBER", Code: "y"},
		}},
	}})
	add(t, s, user, app, in("a", `"A"`, "b", `"2"`, "gone", `"G"`, "reborn", `"old"`,
		"tbl", `[{"value":{"x":{"value":"X"},"y":{"value":"9"}}}]`))
	before := record(t, s, app, 1)

	step := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := s.UpdatePreviewFields(app, map[string]*fieldProp{
		"a":             {Code: "a2"},
		"Record_number": {Code: "No"},
		"tbl":           {Code: "table", Fields: map[string]*fieldProp{"x": {Code: "x2"}}},
	}, -1)
	step(err)
	_, err = s.UpdatePreviewFields(app, map[string]*fieldProp{"a2": {Code: "a3"}}, -1) // renamed twice
	step(err)
	_, err = s.DeletePreviewFields(app, []string{"gone", "reborn", "y"}, -1)
	step(err)
	_, err = s.AddPreviewFields(app, map[string]*fieldProp{
		"reborn": {Type: "SINGLE_LINE_TEXT"},
		"a":      {Type: "NUMBER"}, // the old code of a3, now a new field
	}, -1)
	step(err)

	// Before the deploy, records follow the live form.
	if r := record(t, s, app, 1); r != before {
		t.Fatal("preview changes touched the records")
	}
	step(s.Deploy([]int64{app}, false))

	r := record(t, s, app, 1)
	if r.Revision != before.Revision {
		t.Fatalf("deploy changed the revision to %d", r.Revision)
	}
	v := r.Values
	deepEqual(t, "a3", v["a3"], "A")
	deepEqual(t, "No", v["No"], "1")
	deepEqual(t, "b", v["b"], "2")
	deepEqual(t, "table", v["table"], []Row{{ID: 1, Values: map[string]any{"x2": "X"}}})
	for _, code := range []string{"a", "gone", "reborn", "tbl", "Record_number"} {
		if _, has := v[code]; has {
			t.Errorf("value under %s survived the deploy: %v", code, v[code])
		}
	}
	a, _ := s.App(app)
	if a.DeployStatus != "SUCCESS" || a.Live.Revision != a.Preview.Revision || a.Live.Fields["a3"] == nil {
		t.Fatalf("app after deploy: status %s live %d preview %d", a.DeployStatus, a.Live.Revision, a.Preview.Revision)
	}
	// New writes use the new codes.
	res := add(t, s, user, app, in("a3", `"new"`, "a", `"5"`))
	deepEqual(t, "record number", record(t, s, app, res[0].ID).Values["No"], "2")
	deepEqual(t, "a", record(t, s, app, res[0].ID).Values["a"], "5")
}

func TestDeployRevert(t *testing.T) {
	s := openMem(t)
	app := mustApp(t, s, AppSpec{Name: "R", Fields: []*fieldProp{{Type: "SINGLE_LINE_TEXT", Code: "a"}}})
	rev, err := s.AddPreviewFields(app, map[string]*fieldProp{"b": {Type: "NUMBER"}}, -1)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Deploy([]int64{app}, true); err != nil {
		t.Fatal(err)
	}
	a, _ := s.App(app)
	if a.Preview.Fields["b"] != nil || a.Live.Fields["b"] != nil {
		t.Fatal("revert kept the preview field")
	}
	if a.Preview.Revision != rev+1 {
		t.Fatalf("preview revision %d after revert, want %d", a.Preview.Revision, rev+1)
	}
	if _, err := s.AddPreviewFields(app, map[string]*fieldProp{"c": {Type: "NUMBER"}}, rev); err == nil {
		t.Fatal("the discarded revision was accepted")
	} else {
		wantCode(t, err, "GAIA_CO03")
	}
}

func TestDeployFailsOnDuplicates(t *testing.T) {
	s := openMem(t)
	ok := mustApp(t, s, AppSpec{Name: "OK", Fields: []*fieldProp{{Type: "NUMBER", Code: "n"}}})
	dup := mustApp(t, s, AppSpec{Name: "Dup", Fields: []*fieldProp{{Type: "SINGLE_LINE_TEXT", Code: "k"}}})
	add(t, s, user, dup, in("k", `"same"`), in("k", `"same"`), in("k", `""`), in("k", `""`))
	if _, err := s.AddPreviewFields(ok, map[string]*fieldProp{"m": {Type: "NUMBER"}}, -1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UpdatePreviewFields(dup, map[string]*fieldProp{"k": {Unique: true}}, -1); err != nil {
		t.Fatal(err)
	}
	if err := s.Deploy([]int64{ok, dup}, false); err != nil {
		t.Fatal(err)
	}
	a, _ := s.App(ok)
	d, _ := s.App(dup)
	if a.DeployStatus != "CANCEL" || d.DeployStatus != "FAIL" {
		t.Fatalf("statuses %s %s", a.DeployStatus, d.DeployStatus)
	}
	if a.Live.Fields["m"] != nil || d.Live.Fields["k"].Unique {
		t.Fatal("a failed deploy changed a live form")
	}
	wantCode(t, s.Deploy([]int64{ok, 999}, false), "GAIA_AP01")
	// Without the duplicates it deploys, and the unique rule applies.
	if err := s.Write(user, func(tx *Tx) error { return tx.Delete(dup, []int64{2}, nil) }); err != nil {
		t.Fatal(err)
	}
	if err := s.Deploy([]int64{dup}, false); err != nil {
		t.Fatal(err)
	}
	d, _ = s.App(dup)
	if d.DeployStatus != "SUCCESS" {
		t.Fatalf("status %s", d.DeployStatus)
	}
	err := tryAdd(s, user, dup, true, in("k", `"same"`))
	wantErrors(t, err, map[string][]string{"record.k.value": {"This value already exists in another record."}})
}

func TestPreviewAppRecords(t *testing.T) {
	s := openMem(t)
	a, err := s.CreatePreviewApp(AppSpec{Name: "P"})
	if err != nil {
		t.Fatal(err)
	}
	if a.Live != nil {
		t.Fatal("a preview app has a live form")
	}
	add(t, s, user, a.ID, in("t", `"ignored: not live yet"`))
	if _, err := s.AddPreviewFields(a.ID, map[string]*fieldProp{"t": {Type: "SINGLE_LINE_TEXT", Required: true}}, -1); err != nil {
		t.Fatal(err)
	}
	if err := s.Deploy([]int64{a.ID}, false); err != nil {
		t.Fatal(err)
	}
	r := record(t, s, a.ID, 1)
	if _, has := r.Values["t"]; has {
		t.Fatal("a field added later has a value in an old record")
	}
	deepEqual(t, "record number", r.Values["Record_number"], "1")
	wantErrors(t, tryAdd(s, user, a.ID, true, Input{}), map[string][]string{"record.t.value": {"Required."}})
}
