package kintone_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest"
)

// The options of optionsApp's fields, in form order. SQL's order of their
// texts is another: high, low, medium, old, urgent for pri; b, gone, m, z
// for mark. The last option of each is removed once the records are in
// (removeLastOptions), so that old records hold a value no option has.
var (
	priOptions  = []string{"medium", "high", "low", "urgent", "old"}
	markOptions = []string{"z", "b", "m", "gone"}
)

// optionsApp creates the app OPTS of n records: pri, a DROP_DOWN, holds
// pick(i) of priOptions ("" for none); mark, a RADIO_BUTTON without a
// default, holds mark(i) of markOptions ("": none); num is i % 7, empty
// every eleventh record.
func optionsApp(t testing.TB, srv *kintonetest.Server, n int, pri, mark func(i int) string) int64 {
	t.Helper()
	app, err := srv.CreateApp(kintonetest.App{Name: "Options", Code: "OPTS", Fields: []kintonetest.Field{
		{Code: "title", Type: "SINGLE_LINE_TEXT"},
		{Code: "num", Type: "NUMBER"},
		{Code: "pri", Type: "DROP_DOWN", Options: priOptions},
		{Code: "mark", Type: "RADIO_BUTTON", Options: markOptions},
	}})
	if err != nil {
		t.Fatal(err)
	}
	recs := make([]kintonetest.Record, n)
	for i := range recs {
		num := strconv.Itoa(i % 7)
		if i%11 == 0 {
			num = ""
		}
		recs[i] = kintonetest.Record{"title": "r" + strconv.Itoa(i), "num": num, "pri": pri(i), "mark": mark(i)}
	}
	if _, err := srv.AddRecords(app, recs...); err != nil {
		t.Fatal(err)
	}
	return app
}

// removeLastOptions removes the last option of pri and of mark from the
// form and deploys it: the records keep the values.
func removeLastOptions(t testing.TB, srv *kintonetest.Server, app int64) {
	t.Helper()
	props := map[string]any{}
	for code, opts := range map[string][]string{"pri": priOptions, "mark": markOptions} {
		m := map[string]any{}
		for i, o := range opts[:len(opts)-1] {
			m[o] = map[string]any{"label": o, "index": strconv.Itoa(i)}
		}
		props[code] = map[string]any{"options": m}
	}
	adminCall(t, srv, http.MethodPut, "preview/app/form/fields", map[string]any{"app": app, "properties": props})
	adminCall(t, srv, http.MethodPost, "preview/app/deploy", map[string]any{"apps": []any{map[string]any{"app": app}}})
}

// adminCall sends one request of Kintone's REST API to the emulator,
// signed in as its admin, and fails the test unless it succeeds.
func adminCall(t testing.TB, srv *kintonetest.Server, method, api string, body any) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(method, srv.URL+"/k/v1/"+api+".json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Cybozu-Authorization", base64.StdEncoding.EncodeToString([]byte("admin:admin")))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %d %s", method, api, resp.StatusCode, out)
	}
}
