package kintonetest_test

import (
	"encoding/json"
	"fmt"
	"log"
	"net/http"

	"github.com/kintone-sql/kintone/kintonetest"
)

// A test starts an emulator, defines an app, loads fixtures and points the
// code under test at srv.URL.
func ExampleNewServer() {
	srv, err := kintonetest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()

	app, err := srv.CreateApp(kintonetest.App{Name: "Orders", Code: "ORDERS", Fields: []kintonetest.Field{
		{Code: "title", Type: "SINGLE_LINE_TEXT", Required: true},
		{Code: "amount", Type: "NUMBER"},
	}})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := srv.AddRecords(app,
		kintonetest.Record{"title": "tea", "amount": "1200"},
		kintonetest.Record{"title": "kettle", "amount": "5600"},
	); err != nil {
		log.Fatal(err)
	}

	req, _ := http.NewRequest("GET", fmt.Sprintf("%s/k/v1/records.json?app=%d&query=amount%%20%%3E%%201000%%20order%%20by%%20amount%%20desc", srv.URL, app), nil)
	// The default user is admin/admin: base64("admin:admin").
	req.Header.Set("X-Cybozu-Authorization", "YWRtaW46YWRtaW4=")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	defer res.Body.Close()
	var body struct {
		Records []map[string]struct{ Value any }
	}
	if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
		log.Fatal(err)
	}
	for _, r := range body.Records {
		fmt.Println(r["Record_number"].Value, r["title"].Value, r["amount"].Value)
	}
	fmt.Println("requests served:", srv.Stats().Count("GET", "records"))
	// Output:
	// ORDERS-2 kettle 5600
	// ORDERS-1 tea 1200
	// requests served: 1
}
