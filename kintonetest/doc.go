// Package kintonetest is a Kintone in a box: an in-memory emulator of
// Kintone's REST API for testing code that talks to Kintone, the way
// net/http/httptest serves HTTP code.
//
// NewServer starts an emulator on a loopback port; Close stops it:
//
//	srv, err := kintonetest.NewServer()
//	if err != nil { ... }
//	defer srv.Close()
//	app, _ := srv.CreateApp(kintonetest.App{Name: "Orders", Fields: []kintonetest.Field{
//		{Code: "title", Type: "SINGLE_LINE_TEXT", Required: true},
//		{Code: "amount", Type: "NUMBER"},
//	}})
//	srv.AddRecords(app, kintonetest.Record{"title": "first", "amount": "12"})
//	// point any Kintone client at srv.URL (user admin, password admin),
//	// or open the kintone-sql driver with srv.DSN().
//
// # What is emulated
//
// The server follows the documented behaviour (REST-API.md and
// QUERY-AND-FIELDS.md in the project's shared documents): the same paths on
// /k/v1/ and /k/guest/{space}/v1/, parameters in the query string (with
// fields[0]=... brackets) or as a JSON body, X-HTTP-Method-Override, the
// same JSON shapes, limits (500 records per GET, 100 per write, 20 requests
// per bulkRequest, 10 open cursors, 9 API tokens per request, offset 10,000,
// 8 KB URLs, 100 concurrent requests), error codes, messages and HTTP
// statuses, and the complete query language. Records, record.json,
// records.json, records/cursor.json, bulkRequest.json, apps.json, app.json,
// the form fields and layout, the preview/deploy cycle of app creation and
// file upload and download are served.
//
// Authentication: users log in with X-Cybozu-Authorization or HTTP Basic
// ("Authorization: Basic"), API tokens are checked per app and permission,
// OAuth bearer tokens per scope, and an optional extra Basic-auth layer
// (WithBasicAuth) and TLS client certificates (WithClientCAs) guard the
// whole domain as Kintone's Secure Access does.
//
// # Testing aids
//
// Stats and Requests count and list the requests served (by endpoint, with
// bytes and status), so tests can assert how many API calls a piece of code
// makes. InjectFault makes chosen requests fail, hang or drop the
// connection before or after the write is applied. SetClock fixes the time
// used by date functions, time stamps and the answers' Date header. The
// same aids are served over HTTP under /_emulator/ for tests written in
// other languages.
//
// # Limits of the emulation
//
// Process management (statuses and assignees), lookups, related records and
// the permission settings of records and fields are not emulated: apps have
// the permissions of their users or API tokens and nothing finer. CALC
// fields are stored as written, not computed. Organizations and groups are
// identified by code only.
package kintonetest
