package store

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestMalformedValues(t *testing.T) {
	s := openMem(t)
	app := mustApp(t, s, validationSpec())
	cases := []struct {
		name string
		rec  Input
		want map[string][]string
	}{
		{"bool for text", withOK("web", `true`), map[string][]string{"record.web.value": {"Invalid value."}}},
		{"number for text", withOK("web", `12`), map[string][]string{"record.web.value": {"Invalid URL format."}}},
		{"object for date", withOK("day", `{}`), map[string][]string{"record.day.value": {"Invalid value."}}},
		{"array of numbers for options", withOK("tags", `[1]`), map[string][]string{"record.tags.values[0].value": {`The value, "1", is not in options.`}}},
		{"null inside options", withOK("tags", `[null]`), map[string][]string{"record.tags.values": {"Invalid value."}}},
		{"file without key", withOK("att", `[{}]`), map[string][]string{"record.att.values[0].fileKey": {"Required field."}}},
		{"files not an array", withOK("att", `{"fileKey":"x"}`), map[string][]string{"record.att.values": {"Invalid value."}}},
		{"row value not an object", withOK("lines", `[{"value":5}]`), map[string][]string{
			"record.lines.value[0].value":            {"Invalid value."},
			"record.lines.value[0].value.name.value": {"Required."}}},
		{"cell not an object", withOK("lines", `[{"value":{"name":"x"}}]`), map[string][]string{
			"record.lines.value[0].value.name":       {"Invalid value."},
			"record.lines.value[0].value.name.value": {"Required."}}},
		{"cell without value is left out", withOK("lines", `[{"value":{"name":{}}}]`), map[string][]string{
			"record.lines.value[0].value.name.value": {"Required."}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantErrors(t, tryAdd(s, user, app, true, c.rec), c.want)
		})
	}
}

func TestNamesAndLookups(t *testing.T) {
	s, err := Open(Options{Clock: fixedClock})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	app := mustApp(t, s, AppSpec{Name: "N", Fields: []*fieldProp{{Type: "USER_SELECT", Code: "u"}}})
	add(t, s, user, app, in("u", `[{"code":"kato"}]`))
	deepEqual(t, "default name", record(t, s, app, 1).Values["u"], []Entity{{Code: "kato", Name: "kato"}})
	s.SetNames(func(kind, code string) string { return "Mr. " + code })
	add(t, s, user, app, in("u", `[{"code":"kato"}]`))
	deepEqual(t, "resolved name", record(t, s, app, 2).Values["u"], []Entity{{Code: "kato", Name: "Mr. kato"}})
	deepEqual(t, "earlier record keeps its name", record(t, s, app, 1).Values["u"], []Entity{{Code: "kato", Name: "kato"}})
	s.SetNames(nil)
	add(t, s, user, app, in("u", `[{"code":"kato"}]`))
	deepEqual(t, "reset", record(t, s, app, 3).Values["u"], []Entity{{Code: "kato", Name: "kato"}})

	if _, ok := s.Record(app, 99); ok {
		t.Fatal("Record found a missing record")
	}
	if _, ok := s.Record(99, 1); ok {
		t.Fatal("Record found a record of a missing app")
	}
	_, _, err = s.Records(99)
	wantCode(t, err, "GAIA_AP01")
	wantCode(t, tryAdd(s, user, 99, true, Input{}), "GAIA_AP01")
	if f, ok := s.LiveForm(app); !ok || f.Fields["u"] == nil {
		t.Fatal("LiveForm")
	}
	if err := s.Deploy(nil, false); err != nil {
		t.Fatalf("empty deploy: %v", err)
	}
	// Nothing changed: a Write with no effect publishes nothing.
	before := s.cur.Load()
	if err := s.Write(user, func(tx *Tx) error {
		_, err := tx.Add(app, nil, false)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if s.cur.Load() != before {
		t.Fatal("an empty write published a new state")
	}
}

func TestExpiredUploadsAreDroppedAtCompaction(t *testing.T) {
	dir := t.TempDir()
	now := testNow
	s, err := Open(Options{Dir: dir, Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	k := upload(t, s, "old", "x")
	now = now.Add(uploadTTL + time.Hour)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "files", k)); !os.IsNotExist(err) {
		t.Fatalf("expired upload still on disk: %v", err)
	}
	r, err := Open(Options{Dir: dir, Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if len(r.files.uploads) != 0 {
		t.Fatalf("uploads after reopen: %v", r.files.uploads)
	}
}
