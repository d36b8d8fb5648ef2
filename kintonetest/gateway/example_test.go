package gateway_test

import (
	"fmt"
	"log"
	"net/http"
	"strings"

	"github.com/kintone-sql/kintone/kintonetest"
	"github.com/kintone-sql/kintone/kintonetest/gateway"
)

// A gateway in front of the emulator applies a write and answers 503
// text/html: the client is told the write failed, the log says it was
// applied.
func Example() {
	srv, err := kintonetest.NewServer()
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	app, err := srv.CreateApp(kintonetest.App{Name: "Orders", Fields: []kintonetest.Field{{Code: "title", Type: "SINGLE_LINE_TEXT"}}})
	if err != nil {
		log.Fatal(err)
	}

	gw, err := gateway.New(srv.URL)
	if err != nil {
		log.Fatal(err)
	}
	defer gw.Close()
	gw.Add(gateway.Fault{Method: "POST", Resource: "records", Nth: 1, Action: gateway.Replace, Status: 503})

	body := fmt.Sprintf(`{"app":%d,"records":[{"title":{"value":"tea"}}]}`, app)
	req, _ := http.NewRequest("POST", gw.URL+"/k/v1/records.json", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Cybozu-Authorization", "YWRtaW46YWRtaW4=") // admin:admin
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		log.Fatal(err)
	}
	res.Body.Close()

	e := gw.Log()[0]
	fmt.Println("client got:", res.StatusCode, res.Header.Get("Content-Type"))
	fmt.Println("forwarded:", e.Forwarded, "upstream status:", e.UpstreamStatus, "applied:", e.Applied())
	fmt.Println("records POSTs the emulator served:", srv.Stats().Count("POST", "records"))
	// Output:
	// client got: 503 text/html; charset=utf-8
	// forwarded: true upstream status: 200 applied: true
	// records POSTs the emulator served: 1
}
