package store

import (
	"testing"
	"time"
)

func TestSystemFieldsOnAdd(t *testing.T) {
	s := openMem(t)
	app := mustApp(t, s, AppSpec{Name: "S", Fields: []*fieldProp{{Type: "SINGLE_LINE_TEXT", Code: "t"}}})
	imported := in(
		"Record_number", `"101"`,
		"Created_by", `{"code":"someone"}`,
		"Created_datetime", `"2024-02-01T10:00:00Z"`,
		"Updated_by", `{"code":"other"}`,
		"Updated_datetime", `"2024-02-02T19:00:00+09:00"`,
	)

	t.Run("admin sets them", func(t *testing.T) {
		add(t, s, admin, app, imported)
		v := record(t, s, app, 1).Values
		deepEqual(t, "number", v["Record_number"], "1") // read-only: ignored
		deepEqual(t, "creator", v["Created_by"], Entity{Code: "someone", Name: "user:someone"})
		deepEqual(t, "created", v["Created_datetime"], "2024-02-01T10:00:00Z")
		deepEqual(t, "modifier", v["Updated_by"], Entity{Code: "other", Name: "user:other"})
		deepEqual(t, "updated", v["Updated_datetime"], "2024-02-02T10:00:00Z")
	})
	t.Run("empty values leave them to the server", func(t *testing.T) {
		res := add(t, s, admin, app, in("Created_by", `{"code":""}`, "Created_datetime", `""`, "Updated_by", `null`))
		v := record(t, s, app, res[0].ID).Values
		deepEqual(t, "creator", v["Created_by"], admin.User)
		deepEqual(t, "created", v["Created_datetime"], "2024-03-22T05:07:00Z")
		deepEqual(t, "modifier", v["Updated_by"], admin.User)
	})
	t.Run("not an admin", func(t *testing.T) {
		err := tryAdd(s, user, app, false, in("t", `"x"`, "Created_by", `{"code":"someone"}`))
		e := wantCode(t, err, "GAIA_BF02")
		if e.Status != 403 {
			t.Fatalf("status %d", e.Status)
		}
	})
	t.Run("future created time", func(t *testing.T) {
		err := tryAdd(s, admin, app, true, in("Created_datetime", `"2024-03-22T05:08:00Z"`))
		wantErrors(t, err, map[string][]string{"record.Created_datetime.value": {"The created datetime cannot be in the future."}})
		err = tryAdd(s, admin, app, true, in("Created_datetime", `"yesterday"`, "Created_by", `"sato"`))
		wantErrors(t, err, map[string][]string{
			"record.Created_datetime.value": {"Invalid date and time format."},
			"record.Created_by.value":       {"Invalid value."}})
	})
	t.Run("never on update", func(t *testing.T) {
		for _, code := range []string{"Created_by", "Updated_by", "Created_datetime", "Updated_datetime"} {
			_, err := update(s, admin, app, false, true, UpdateItem{ID: 1, Revision: -1, Record: in(code, `""`)})
			wantCode(t, err, "GAIA_UN10")
		}
	})
	t.Run("update stamps modifier and time, ignores read-only", func(t *testing.T) {
		later := user
		later.Now = testNow.Add(3 * time.Minute)
		res, err := update(s, later, app, false, true, UpdateItem{ID: 1, Revision: 1,
			Record: in("t", `"new"`, "Record_number", `"9"`, "$revision", `"7"`)})
		if err != nil {
			t.Fatal(err)
		}
		deepEqual(t, "result", res, []UpdateResult{{ID: 1, Revision: 2}})
		v := record(t, s, app, 1).Values
		deepEqual(t, "t", v["t"], "new")
		deepEqual(t, "number", v["Record_number"], "1")
		deepEqual(t, "creator", v["Created_by"], Entity{Code: "someone", Name: "user:someone"})
		deepEqual(t, "modifier", v["Updated_by"], user.User)
		deepEqual(t, "updated", v["Updated_datetime"], "2024-03-22T05:10:00Z")
	})
}

func TestRecordNumberPrefix(t *testing.T) {
	s := openMem(t)
	plain := mustApp(t, s, AppSpec{Name: "P"})
	coded := mustApp(t, s, AppSpec{Name: "C", Code: "SALES"})
	add(t, s, user, plain, Input{})
	add(t, s, user, coded, Input{}, Input{})
	deepEqual(t, "plain", record(t, s, plain, 1).Values["Record_number"], "1")
	deepEqual(t, "coded", record(t, s, coded, 2).Values["Record_number"], "SALES-2")
}

func TestSystemCodesOverride(t *testing.T) {
	s := openMem(t)
	sys := DefaultSystemCodes()
	sys.RecordNumber, sys.Creator = "レコード番号", "作成者"
	app := mustApp(t, s, AppSpec{Name: "J", System: sys})
	add(t, s, user, app, Input{})
	v := record(t, s, app, 1).Values
	deepEqual(t, "number", v["レコード番号"], "1")
	deepEqual(t, "creator", v["作成者"], user.User)
}
