package store

import (
	"errors"
	"testing"
)

func TestWriteRollbackLeavesNothing(t *testing.T) {
	s := openMem(t)
	app := mustApp(t, s, keyedSpec())
	other := mustApp(t, s, keyedSpec())
	add(t, s, user, app, in("sku", `"A"`, "rows", `[{"value":{}}]`))
	key, err := s.Upload("f.bin", "application/octet-stream", []byte{1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	before, _, _ := s.Records(app)

	err = s.Write(user, func(tx *Tx) error {
		if _, err := tx.Add(app, []Input{in("sku", `"B"`, "rows", `[{"value":{}}]`)}, false); err != nil {
			return err
		}
		if _, err := tx.Add(other, []Input{in("sku", `"B"`)}, false); err != nil {
			return err
		}
		if _, err := tx.Update(app, []UpdateItem{{ID: 1, Revision: -1, Record: in("sku", `"Z"`)}}, false, false); err != nil {
			return err
		}
		if err := tx.Delete(app, []int64{1}, nil); err != nil {
			return err
		}
		if _, err := tx.Add(app, []Input{in("sku", `"A"`)}, false); err != nil {
			return err // "A" is free: record 1 is deleted in this transaction
		}
		return errRollback
	})
	if !errors.Is(err, errRollback) {
		t.Fatalf("Write returned %v", err)
	}
	after, _, _ := s.Records(app)
	deepEqual(t, "records", after, before)
	if recs, _, _ := s.Records(other); len(recs) != 0 {
		t.Fatalf("other app has %d records", len(recs))
	}
	// The unique index: "A" is still taken by record 1, "B" and "Z" are free.
	err = tryAdd(s, user, app, false, in("sku", `"A"`))
	wantErrors(t, err, map[string][]string{"records[0].sku.value": {"This value already exists in another record."}})
	// IDs and row IDs were not consumed; the upload was not consumed.
	res := add(t, s, user, app, in("sku", `"B"`, "rows", `[{"value":{}}]`))
	deepEqual(t, "ids", res, []IDRev{{ID: 2, Revision: 1}})
	deepEqual(t, "row id", record(t, s, app, 2).Values["rows"].([]Row)[0].ID, int64(2))
	if _, err := update(s, user, app, false, true, UpdateItem{ID: 1, Revision: -1, Record: in("sku", `"Z"`)}); err != nil {
		t.Fatalf("Z should be free: %v", err)
	}
	fileApp := mustApp(t, s, AppSpec{Name: "F", Fields: []*fieldProp{{Type: "FILE", Code: "f"}}})
	failing := s.Write(user, func(tx *Tx) error {
		if _, err := tx.Add(fileApp, []Input{in("f", jsonOf([]map[string]string{{"fileKey": key}}))}, false); err != nil {
			return err
		}
		return errRollback
	})
	if !errors.Is(failing, errRollback) {
		t.Fatal(failing)
	}
	add(t, s, user, fileApp, in("f", jsonOf([]map[string]string{{"fileKey": key}})))
}

func TestCallsInOneWriteSeeEachOther(t *testing.T) {
	s := openMem(t)
	app := mustApp(t, s, keyedSpec())
	err := s.Write(user, func(tx *Tx) error {
		res, err := tx.Add(app, []Input{in("sku", `"A"`)}, false)
		if err != nil {
			return err
		}
		up, err := tx.Update(app, []UpdateItem{{ID: res[0].ID, Revision: 1, Record: in("qty", `"4"`)}}, false, false)
		if err != nil {
			return err
		}
		if up[0].Revision != 2 {
			t.Errorf("revision %d", up[0].Revision)
		}
		// The key added above is visible to the next call.
		if _, err := tx.Update(app, []UpdateItem{{Key: &UpdateKey{Field: "sku", Value: "A"}, Revision: 2}}, false, true); err != nil {
			return err
		}
		// Within the transaction a duplicate is caught across calls.
		_, err = tx.Add(app, []Input{in("sku", `"A"`)}, false)
		wantErrors(t, err, map[string][]string{"records[0].sku.value": {"This value already exists in another record."}})
		// A failed call leaves the transaction as it was: its record 2 and
		// unique value "Q" are gone, and the next add gets ID 2.
		_, err = tx.Add(app, []Input{in("sku", `"Q"`), in("qty", `"x"`)}, false)
		wantCode(t, err, "CB_VA01")
		res, err = tx.Add(app, []Input{in("sku", `"Q"`)}, false)
		if err != nil {
			return err
		}
		if res[0].ID != 2 {
			t.Errorf("id after a failed call: %d", res[0].ID)
		}
		return tx.Delete(app, []int64{2}, []int64{1})
	})
	if err != nil {
		t.Fatal(err)
	}
	recs, _, _ := s.Records(app)
	if len(recs) != 1 || recs[0].Revision != 3 || recs[0].Values["qty"] != "4" {
		t.Fatalf("records: %+v", recs)
	}
	// The record deleted in the same transaction consumed its ID.
	deepEqual(t, "next id", add(t, s, user, app, Input{}), []IDRev{{ID: 3, Revision: 1}})
}

func TestTxAfterWrite(t *testing.T) {
	s := openMem(t)
	app := mustApp(t, s, keyedSpec())
	var kept *Tx
	if err := s.Write(user, func(tx *Tx) error { kept = tx; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := kept.Add(app, []Input{{}}, false); !errors.Is(err, errTxDone) {
		t.Fatalf("Add after Write: %v", err)
	}
	if err := kept.Delete(app, []int64{1}, nil); !errors.Is(err, errTxDone) {
		t.Fatalf("Delete after Write: %v", err)
	}
	if _, err := kept.Update(app, nil, false, false); !errors.Is(err, errTxDone) {
		t.Fatalf("Update after Write: %v", err)
	}
}

func TestSnapshotsAreImmutable(t *testing.T) {
	s := openMem(t)
	app := mustApp(t, s, keyedSpec())
	add(t, s, user, app, in("sku", `"A"`), in("sku", `"B"`))
	snap, form, err := s.Records(app)
	if err != nil {
		t.Fatal(err)
	}
	first := snap[0]
	add(t, s, user, app, in("sku", `"C"`))
	if _, err := update(s, user, app, false, true, UpdateItem{ID: 1, Revision: -1, Record: in("sku", `"A2"`)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Write(user, func(tx *Tx) error { return tx.Delete(app, []int64{2}, nil) }); err != nil {
		t.Fatal(err)
	}
	if len(snap) != 2 || snap[0] != first || first.Values["sku"] != "A" || first.Revision != 1 || snap[1].ID != 2 {
		t.Fatalf("snapshot changed: %+v", snap)
	}
	if _, err := s.AddPreviewFields(app, map[string]*fieldProp{"extra": {Type: "NUMBER"}}, -1); err != nil {
		t.Fatal(err)
	}
	if err := s.Deploy([]int64{app}, false); err != nil {
		t.Fatal(err)
	}
	if form.Fields["extra"] != nil {
		t.Fatal("form snapshot changed by a deploy")
	}
	now, _, _ := s.Records(app)
	if len(now) != 2 || now[0].Values["sku"] != "A2" || now[1].ID != 3 {
		t.Fatalf("current records: %+v", now)
	}
}

func TestWritesAfterClose(t *testing.T) {
	s, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	app := mustApp(t, s, AppSpec{Name: "x"})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if err := s.Write(user, func(*Tx) error { return nil }); !errors.Is(err, errClosed) {
		t.Fatalf("Write after Close: %v", err)
	}
	if _, err := s.Upload("a", "b", nil); !errors.Is(err, errClosed) {
		t.Fatalf("Upload after Close: %v", err)
	}
	if _, ok := s.App(app); !ok {
		t.Fatal("reads must keep working after Close")
	}
}
