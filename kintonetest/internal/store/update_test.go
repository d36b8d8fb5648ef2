package store

import (
	"testing"
)

func keyedSpec() AppSpec {
	return AppSpec{Name: "K", Fields: []*fieldProp{
		{Type: "SINGLE_LINE_TEXT", Code: "sku", Unique: true},
		{Type: "NUMBER", Code: "no", Unique: true},
		{Type: "SINGLE_LINE_TEXT", Code: "plain"},
		{Type: "DATE", Code: "uday", Unique: true},
		{Type: "NUMBER", Code: "qty"},
		{Type: "DROP_DOWN", Code: "dd", Options: opts("a", "b")},
		{Type: "CHECK_BOX", Code: "cb", Options: opts("a", "b")},
		{Type: "SUBTABLE", Code: "rows", Fields: map[string]*fieldProp{
			"x": {Type: "SINGLE_LINE_TEXT", Code: "x"},
			"y": {Type: "NUMBER", Code: "y", DefaultValue: "5"},
		}},
	}}
}

func TestUpdateByIDAndRevision(t *testing.T) {
	s := openMem(t)
	app := mustApp(t, s, keyedSpec())
	add(t, s, user, app, in("sku", `"A"`, "qty", `"1"`), in("sku", `"B"`))

	res, err := update(s, user, app, false, false,
		UpdateItem{ID: 1, Revision: 1, Record: in("qty", `"2"`)},
		UpdateItem{ID: 2, Revision: -1, Record: in("plain", `"p"`)})
	if err != nil {
		t.Fatal(err)
	}
	deepEqual(t, "results", res, []UpdateResult{{ID: 1, Revision: 2}, {ID: 2, Revision: 2}})
	r := record(t, s, app, 1)
	deepEqual(t, "qty", r.Values["qty"], "2")
	deepEqual(t, "sku kept", r.Values["sku"], "A")

	_, err = update(s, user, app, false, true, UpdateItem{ID: 1, Revision: 1, Record: in("qty", `"3"`)})
	if e := wantCode(t, err, "GAIA_CO02"); e.Status != 409 {
		t.Fatalf("status %d", e.Status)
	}
	_, err = update(s, user, app, false, true, UpdateItem{ID: 99, Revision: -1})
	if e := wantCode(t, err, "GAIA_RE01"); e.Status != 404 {
		t.Fatalf("status %d", e.Status)
	}
	_, err = update(s, user, app, false, false, UpdateItem{ID: 1, Revision: -1}, UpdateItem{ID: 1, Revision: -1})
	wantCode(t, err, "GAIA_RE09")
	_, err = update(s, user, 42, false, true, UpdateItem{ID: 1, Revision: -1})
	wantCode(t, err, "GAIA_AP01")
	if got := record(t, s, app, 1).Revision; got != 2 {
		t.Fatalf("failed updates changed the revision to %d", got)
	}
	// An update with no fields still counts as an update.
	res, err = update(s, user, app, false, true, UpdateItem{ID: 1, Revision: 2})
	if err != nil || res[0].Revision != 3 {
		t.Fatalf("empty update: %v %v", res, err)
	}
}

func TestUpdateByKey(t *testing.T) {
	s := openMem(t)
	app := mustApp(t, s, keyedSpec())
	add(t, s, user, app, in("sku", `"A"`, "no", `"10"`), in("sku", `"B"`, "no", `"20"`))

	res, err := update(s, user, app, false, false,
		UpdateItem{Key: &UpdateKey{Field: "sku", Value: "B"}, Revision: -1, Record: in("qty", `"7"`)},
		UpdateItem{Key: &UpdateKey{Field: "no", Value: "1e1"}, Revision: 1, Record: in("sku", `"A2"`)})
	if err != nil {
		t.Fatal(err)
	}
	deepEqual(t, "results", res, []UpdateResult{{ID: 2, Revision: 2}, {ID: 1, Revision: 2}})
	deepEqual(t, "qty", record(t, s, app, 2).Values["qty"], "7")

	// The renamed key is free again and the new one is taken.
	_, err = update(s, user, app, false, true, UpdateItem{Key: &UpdateKey{Field: "sku", Value: "A"}, Revision: -1})
	wantCode(t, err, "GAIA_RE20")
	res, err = update(s, user, app, false, true, UpdateItem{Key: &UpdateKey{Field: "sku", Value: "A2"}, Revision: -1})
	if err != nil || res[0].ID != 1 {
		t.Fatalf("key A2: %v %v", res, err)
	}
	add(t, s, user, app, in("sku", `"A"`))

	for _, c := range []struct {
		field, code string
	}{{"plain", "GAIA_IQ27"}, {"uday", "GAIA_IQ27"}, {"qty", "GAIA_IQ27"}, {"Record_number", "GAIA_IQ27"}, {"nosuch", "GAIA_IQ11"}} {
		_, err := update(s, user, app, false, true, UpdateItem{Key: &UpdateKey{Field: c.field, Value: "1"}, Revision: -1})
		wantCode(t, err, c.code)
	}
	// A key value that is not a number matches nothing.
	_, err = update(s, user, app, false, true, UpdateItem{Key: &UpdateKey{Field: "no", Value: "ten"}, Revision: -1})
	wantCode(t, err, "GAIA_RE20")
	// Taking another record's unique value by update is refused.
	_, err = update(s, user, app, false, true, UpdateItem{ID: 2, Revision: -1, Record: in("sku", `"A2"`)})
	wantErrors(t, err, map[string][]string{"record.sku.value": {"This value already exists in another record."}})
	// Keeping one's own value is fine.
	if _, err = update(s, user, app, false, true, UpdateItem{ID: 1, Revision: -1, Record: in("sku", `"A2"`)}); err != nil {
		t.Fatal(err)
	}
}

func TestUpsert(t *testing.T) {
	s := openMem(t)
	app := mustApp(t, s, keyedSpec())
	add(t, s, user, app, in("sku", `"A"`), in("sku", `"B"`))
	res, err := update(s, admin, app, true, false,
		UpdateItem{ID: 1, Revision: -1, Record: in("qty", `"1"`)},
		UpdateItem{ID: 9007199254740991, Revision: -1, Record: in("sku", `"C"`)},
		UpdateItem{Key: &UpdateKey{Field: "sku", Value: "B"}, Revision: -1, Record: in("qty", `"2"`)},
		UpdateItem{Key: &UpdateKey{Field: "sku", Value: "D"}, Revision: -1, Record: in("qty", `"3"`, "Created_by", `{"code":"imp"}`)},
		UpdateItem{Key: &UpdateKey{Field: "no", Value: "5.0"}, Revision: -1},
	)
	if err != nil {
		t.Fatal(err)
	}
	deepEqual(t, "results", res, []UpdateResult{
		{ID: 1, Revision: 2, Operation: "UPDATE"},
		{ID: 3, Revision: 1, Operation: "INSERT"},
		{ID: 2, Revision: 2, Operation: "UPDATE"},
		{ID: 4, Revision: 1, Operation: "INSERT"},
		{ID: 5, Revision: 1, Operation: "INSERT"},
	})
	d := record(t, s, app, 4).Values
	deepEqual(t, "inserted key", d["sku"], "D")
	deepEqual(t, "inserted qty", d["qty"], "3")
	deepEqual(t, "inserted creator", d["Created_by"], Entity{Code: "imp", Name: "user:imp"})
	deepEqual(t, "number key normalized", record(t, s, app, 5).Values["no"], "5")
	// The inserted key is visible to later items of the same call.
	res, err = update(s, user, app, true, false,
		UpdateItem{Key: &UpdateKey{Field: "sku", Value: "E"}, Revision: -1},
		UpdateItem{Key: &UpdateKey{Field: "sku", Value: "E"}, Revision: -1, Record: in("qty", `"9"`)})
	if err != nil {
		t.Fatal(err)
	}
	deepEqual(t, "same call", res, []UpdateResult{{ID: 6, Revision: 1, Operation: "INSERT"}, {ID: 6, Revision: 2, Operation: "UPDATE"}})
}

func TestUpdateValidatesMergedRecord(t *testing.T) {
	s := openMem(t)
	spec := keyedSpec()
	app := mustApp(t, s, spec)
	add(t, s, user, app, in("plain", `""`, "dd", `"b"`, "cb", `["b"]`))
	// Make "plain" required and remove option "b" after the fact.
	if _, err := s.UpdatePreviewFields(app, map[string]*fieldProp{
		"plain": {Type: "SINGLE_LINE_TEXT", Required: true},
		"dd":    {Type: "DROP_DOWN", Options: opts("a")},
		"cb":    {Type: "CHECK_BOX", Options: opts("a")},
	}, -1); err != nil {
		t.Fatal(err)
	}
	if err := s.Deploy([]int64{app}, false); err != nil {
		t.Fatal(err)
	}
	_, err := update(s, user, app, false, true, UpdateItem{ID: 1, Revision: -1, Record: in("qty", `"1"`)})
	wantErrors(t, err, map[string][]string{"record.plain.value": {"Required."}})
	// Options the record already holds may still be written (B.1).
	_, err = update(s, user, app, false, true, UpdateItem{ID: 1, Revision: -1,
		Record: in("plain", `"p"`, "dd", `"b"`, "cb", `["b","a"]`)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = update(s, user, app, false, true, UpdateItem{ID: 1, Revision: -1, Record: in("cb", `["c"]`)})
	wantErrors(t, err, map[string][]string{"record.cb.values[0].value": {`The value, "c", is not in options.`}})
}

func TestSubtableRowsOnUpdate(t *testing.T) {
	s := openMem(t)
	app := mustApp(t, s, keyedSpec())
	add(t, s, user, app, in("rows", `[{"value":{"x":{"value":"one"},"y":{"value":"1"}}},{"value":{"x":{"value":"two"}}}]`))
	rows := record(t, s, app, 1).Values["rows"].([]Row)
	deepEqual(t, "rows", rows, []Row{{ID: 1, Values: map[string]any{"x": "one", "y": "1"}}, {ID: 2, Values: map[string]any{"x": "two", "y": "5"}}})

	// Row 2 kept and merged, row 1 dropped, an unknown id and no id are new
	// rows (with defaults), an id sent twice is new the second time.
	_, err := update(s, user, app, false, true, UpdateItem{ID: 1, Revision: -1, Record: in("rows", `[
		{"id":"2","value":{"y":{"value":"22"}}},
		{"id":"999","value":{"x":{"value":"new"}}},
		{"value":{"x":{"value":"plain"}}},
		{"id":2,"value":{}}]`)})
	if err != nil {
		t.Fatal(err)
	}
	rows = record(t, s, app, 1).Values["rows"].([]Row)
	deepEqual(t, "rows", rows, []Row{
		{ID: 2, Values: map[string]any{"x": "two", "y": "22"}},
		{ID: 3, Values: map[string]any{"x": "new", "y": "5"}},
		{ID: 4, Values: map[string]any{"x": "plain", "y": "5"}},
		{ID: 5, Values: map[string]any{"x": "", "y": "5"}},
	})
	// Leaving the table out keeps it; [] and null empty it.
	if _, err := update(s, user, app, false, true, UpdateItem{ID: 1, Revision: -1, Record: in("qty", `"1"`)}); err != nil {
		t.Fatal(err)
	}
	if n := len(record(t, s, app, 1).Values["rows"].([]Row)); n != 4 {
		t.Fatalf("%d rows after an update without the table", n)
	}
	for _, empty := range []string{`[]`, `null`} {
		if _, err := update(s, user, app, false, true, UpdateItem{ID: 1, Revision: -1, Record: in("rows", empty)}); err != nil {
			t.Fatal(err)
		}
		deepEqual(t, "emptied", record(t, s, app, 1).Values["rows"], []Row{})
	}
}

func TestDelete(t *testing.T) {
	s := openMem(t)
	app := mustApp(t, s, keyedSpec())
	add(t, s, user, app, in("sku", `"A"`), in("sku", `"B"`), in("sku", `"C"`))
	del := func(ids, revs []int64) error {
		return s.Write(user, func(tx *Tx) error { return tx.Delete(app, ids, revs) })
	}
	wantCode(t, del([]int64{1, 99}, nil), "GAIA_RE01")
	wantCode(t, del([]int64{1, 1}, nil), "GAIA_RE09")
	wantCode(t, del([]int64{1, 2}, []int64{-1, 5}), "GAIA_CO02")
	wantCode(t, s.Write(user, func(tx *Tx) error { return tx.Delete(77, []int64{1}, nil) }), "GAIA_AP01")
	if recs, _, _ := s.Records(app); len(recs) != 3 {
		t.Fatalf("failed deletes removed records: %d left", len(recs))
	}
	if err := del([]int64{3, 1}, []int64{1, -1}); err != nil {
		t.Fatal(err)
	}
	recs, _, _ := s.Records(app)
	if len(recs) != 1 || recs[0].ID != 2 {
		t.Fatalf("records after delete: %v", recs)
	}
	// The deleted record's unique value is free; IDs are never reused.
	res := add(t, s, user, app, in("sku", `"A"`))
	deepEqual(t, "new id", res, []IDRev{{ID: 4, Revision: 1}})
}
