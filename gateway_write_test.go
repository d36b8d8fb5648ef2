package kintone_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/kintonetest"
	"github.com/kintone-sql/kintone/kintonetest/gateway"
)

// This file runs the driver's writes through a misbehaving reverse proxy
// in front of the emulator and checks, by reading the records straight
// from the emulator, that a write the gateway may have let through is
// reported as of unknown outcome and never sent twice.

// gatewayDB opens the driver through a new gateway in front of srv.
func gatewayDB(t *testing.T, srv *kintonetest.Server) (*sql.DB, *gateway.Gateway) {
	t.Helper()
	gw := gateway.Start(t, srv.URL)
	u, err := url.Parse(srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	g, _ := url.Parse(gw.URL)
	u.Host = g.Host
	return openDB(t, u.String()), gw
}

// rawRecord is a record as the emulator holds it.
type rawRecord struct {
	num      string
	label    string
	revision string
}

// rawRecords reads every record of app straight from the emulator over
// REST, neither through the driver nor through a gateway.
func rawRecords(t *testing.T, srv *kintonetest.Server, app int64) []rawRecord {
	t.Helper()
	var out []rawRecord
	for offset := 0; ; offset += 500 {
		q := url.Values{"app": {fmt.Sprint(app)}, "query": {fmt.Sprintf("order by $id asc limit 500 offset %d", offset)}}
		req, _ := http.NewRequest("GET", srv.URL+"/k/v1/records.json?"+q.Encode(), nil)
		req.Header.Set("X-Cybozu-Authorization", "YWRtaW46YWRtaW4=") // admin:admin
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var page struct {
			Records []map[string]struct{ Value any }
		}
		err = json.NewDecoder(resp.Body).Decode(&page)
		resp.Body.Close()
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("GET records: %d %v", resp.StatusCode, err)
		}
		for _, r := range page.Records {
			out = append(out, rawRecord{num: fmt.Sprint(r["num"].Value), label: fmt.Sprint(r["label"].Value), revision: fmt.Sprint(r["$revision"].Value)})
		}
		if len(page.Records) < 500 {
			return out
		}
	}
}

// distinctNums fails the test when a num appears twice.
func distinctNums(t *testing.T, recs []rawRecord) {
	t.Helper()
	seen := map[string]bool{}
	for _, r := range recs {
		if seen[r.num] {
			t.Fatalf("num %s was written twice", r.num)
		}
		seen[r.num] = true
	}
}

// gatewayWrite is a statement run through the gateway: its setup, how
// many requests of the faulted kind it makes, the PartialWriteError it
// must return, and a check of the records given whether the gateway let
// the faulted request through.
type gatewayWrite struct {
	name     string
	records  int    // NUMBERS records before
	method   string // of the faulted request
	resource string // of the faulted request
	nth      int    // the faulted request
	run      func(*sql.DB) error
	want     kintone.PartialWriteError
	check    func(t *testing.T, recs []rawRecord, applied bool)
}

var gatewayWrites = []gatewayWrite{
	{name: "INSERT of one request", method: "POST", resource: "records", nth: 1,
		run:  func(db *sql.DB) error { _, err := db.Exec(valuesSQL("NUMBERS", 0, 50)); return err },
		want: kintone.PartialWriteError{Committed: 0, Batch: 1, FirstRow: 1, LastRow: 50},
		check: func(t *testing.T, recs []rawRecord, applied bool) {
			distinctNums(t, recs)
			if want := map[bool]int{false: 0, true: 50}[applied]; len(recs) != want {
				t.Fatalf("%d records, want %d", len(recs), want)
			}
		}},
	{name: "INSERT of two batches", method: "POST", resource: "bulkRequest", nth: 2,
		run:  func(db *sql.DB) error { _, err := db.Exec(valuesSQL("NUMBERS", 0, 2500)); return err },
		want: kintone.PartialWriteError{Committed: 2000, Batch: 2, FirstRow: 2001, LastRow: 2500},
		check: func(t *testing.T, recs []rawRecord, applied bool) {
			distinctNums(t, recs)
			if want := map[bool]int{false: 2000, true: 2500}[applied]; len(recs) != want {
				t.Fatalf("%d records, want %d", len(recs), want)
			}
		}},
	{name: "UPDATE of two batches", records: 2500, method: "POST", resource: "bulkRequest", nth: 2,
		run: func(db *sql.DB) error {
			_, err := db.Exec("UPDATE NUMBERS SET label = 'new' WHERE num >= 0")
			return err
		},
		want: kintone.PartialWriteError{Committed: 2000, Batch: 2, FirstRow: 2001, LastRow: 2500},
		check: func(t *testing.T, recs []rawRecord, applied bool) {
			updated := 0
			for _, r := range recs {
				switch {
				case r.label == "new" && r.revision == "2":
					updated++
				case r.label == "new" || r.revision != "1":
					t.Fatalf("record %+v: updated more than once", r)
				}
			}
			if want := map[bool]int{false: 2000, true: 2500}[applied]; updated != want {
				t.Fatalf("%d records updated, want %d", updated, want)
			}
		}},
	{name: "DELETE of two batches", records: 2500, method: "POST", resource: "bulkRequest", nth: 2,
		run:  func(db *sql.DB) error { _, err := db.Exec("DELETE FROM NUMBERS WHERE num >= 0"); return err },
		want: kintone.PartialWriteError{Committed: 2000, Batch: 2, FirstRow: 2001, LastRow: 2500},
		check: func(t *testing.T, recs []rawRecord, applied bool) {
			if want := map[bool]int{false: 500, true: 0}[applied]; len(recs) != want {
				t.Fatalf("%d records left, want %d", len(recs), want)
			}
		}},
	{name: "transaction Commit", records: 3, method: "POST", resource: "bulkRequest", nth: 1,
		run: func(db *sql.DB) error {
			tx, err := db.Begin()
			if err != nil {
				return err
			}
			defer tx.Rollback()
			if _, err := tx.Exec(valuesSQL("NUMBERS", 100, 150)); err != nil {
				return err
			}
			if _, err := tx.Exec("UPDATE NUMBERS SET label = 'new' WHERE `$id` = 1"); err != nil {
				return err
			}
			return tx.Commit()
		},
		want: kintone.PartialWriteError{Committed: 0, Batch: 1, FirstRow: 1, LastRow: 151, Statements: 2},
		check: func(t *testing.T, recs []rawRecord, applied bool) {
			distinctNums(t, recs)
			if want := map[bool]int{false: 3, true: 153}[applied]; len(recs) != want {
				t.Fatalf("%d records, want %d", len(recs), want)
			}
			if got, want := recs[0].label == "new", applied; got != want {
				t.Fatalf("record 1: %+v, applied %v", recs[0], applied)
			}
		}},
}

// TestDriverWritesThroughAMisbehavingGatewayReportUnknownOutcome runs
// INSERT, UPDATE and DELETE of more than one batch, a one-request INSERT
// and a transaction's Commit through each gateway fault: the faulted
// request is sent once, the statement fails with a PartialWriteError
// whose Unknown is set and whose rows are the faulted batch's, and the
// records show that batch applied at most once.
func TestDriverWritesThroughAMisbehavingGatewayReportUnknownOutcome(t *testing.T) {
	faults := map[string]gateway.Fault{
		"503 text/html after forwarding":      {Action: gateway.Replace, Status: 503},
		"502 text/plain after forwarding":     {Action: gateway.Replace, Status: 502, ContentType: "text/plain", Body: "upstream reset"},
		"2xx body truncated":                  {Action: gateway.Truncate},
		"2xx body garbled":                    {Action: gateway.Garble},
		"connection dropped after forwarding": {Action: gateway.DropAfter},
		"503 text/html without forwarding":    {Action: gateway.Reject, Status: 503},
	}
	for fname, f := range faults {
		for _, w := range gatewayWrites {
			t.Run(fname+"/"+w.name, func(t *testing.T) {
				srv := newEmulator(t)
				app := numbersApp(t, srv, w.records)
				db, gw := gatewayDB(t, srv)
				countRows(t, db, "SELECT num FROM NUMBERS") // load the metadata
				f.Method, f.Resource, f.Nth = w.method, w.resource, w.nth
				gw.Add(f)
				gw.ResetLog()
				err := w.run(db)
				_ = gw.Close() // waits for the forwarded request to finish

				if got := gw.Requests(w.method, w.resource); got != w.nth {
					t.Fatalf("%d %s %s requests, want %d: a request was sent again (error: %v)", got, w.method, w.resource, w.nth, err)
				}
				var pe *kintone.PartialWriteError
				if !errors.As(err, &pe) {
					t.Fatalf("error %v, want a *PartialWriteError", err)
				}
				want := w.want
				want.Unknown, want.Err = true, pe.Err
				if *pe != want {
					t.Fatalf("error %+v, want %+v", *pe, want)
				}
				w.check(t, rawRecords(t, srv, app), gw.Applied(w.method, w.resource) == w.nth)
			})
		}
	}
}

// TestHungGatewayQueryGivesUpAfterTwoAttempts: a read that times out is
// asked once more, then the query fails saying so, unwrapping to
// context.DeadlineExceeded (issue 12: five attempts, "context deadline
// exceeded" and nothing else).
func TestHungGatewayQueryGivesUpAfterTwoAttempts(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 3)
	gw := gateway.Start(t, srv.URL)
	u, _ := url.Parse(srv.DSN())
	g, _ := url.Parse(gw.URL)
	u.Host, u.RawQuery = g.Host, "timeout=100ms&maxRetries=4"
	db := openDB(t, u.String())
	countRows(t, db, "SELECT num FROM NUMBERS") // load the metadata
	gw.Add(gateway.Fault{Method: "GET", Resource: "records", Action: gateway.Hang})
	gw.ResetLog()
	err := queryErr(db, "SELECT num FROM NUMBERS")
	var re *kintone.RetryError
	if !errors.As(err, &re) || re.Attempts != 2 || !errors.Is(err, context.DeadlineExceeded) ||
		!strings.Contains(err.Error(), "each timed out after 100ms (timeout=100ms)") {
		t.Fatalf("error %v, want a RetryError of 2 attempts that each timed out", err)
	}
	if n := gw.Requests("GET", "records"); n != 2 {
		t.Fatalf("%d GET records reached the gateway, want 2", n)
	}
}

// TestLongRetryAfterEndsTheQueryAtOnce: a Retry-After beyond the
// default retryTimeout (30s) fails the query at once, saying so.
func TestLongRetryAfterEndsTheQueryAtOnce(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 3)
	db, gw := gatewayDB(t, srv)
	countRows(t, db, "SELECT num FROM NUMBERS")
	gw.Add(gateway.Fault{Method: "GET", Resource: "records", Action: gateway.Reject, Status: 503,
		Header: http.Header{"Retry-After": {"100"}}})
	gw.ResetLog()
	err := queryErr(db, "SELECT num FROM NUMBERS")
	var ae *kintone.APIError
	if !errors.As(err, &ae) || ae.Status != 503 || !strings.Contains(err.Error(), "Retry-After 1m40s is beyond the ") ||
		gw.Requests("GET", "records") != 1 {
		t.Fatalf("error %v after %d requests, want the 503 after 1, saying why it was not retried", err, gw.Requests("GET", "records"))
	}
}

// queryErr runs a query to its end and returns its error.
func queryErr(db *sql.DB, query string) error {
	rows, err := db.Query(query)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

// TestKintoneTransientErrorInABatchedWriteIsRetriedOnce: Kintone's own
// 503, 429 GAIA_TO04 and lock errors prove the batch was not applied, so
// the driver's write sends it again and every row is written once.
func TestKintoneTransientErrorInABatchedWriteIsRetriedOnce(t *testing.T) {
	for _, f := range []kintonetest.Fault{
		{Status: 503, Code: "GAIA_MA01", Message: "Under maintenance."},
		{Status: 429},
		{Status: 500, Code: "GAIA_RE18"},
	} {
		t.Run(fmt.Sprint(f.Status, f.Code), func(t *testing.T) {
			srv := newEmulator(t)
			app := numbersApp(t, srv, 0)
			db, gw := gatewayDB(t, srv)
			countRows(t, db, "SELECT num FROM NUMBERS")
			f.Method, f.Resource, f.Nth = "POST", "bulkRequest", 2
			srv.InjectFault(f)
			gw.ResetLog()
			if affected, _ := exec(t, db, valuesSQL("NUMBERS", 0, 2500)); affected != 2500 {
				t.Fatalf("%d rows affected", affected)
			}
			if n := gw.Requests("POST", "bulkRequest"); n != 3 {
				t.Fatalf("%d bulkRequests, want 3 (the refused one sent again)", n)
			}
			recs := rawRecords(t, srv, app)
			distinctNums(t, recs)
			if len(recs) != 2500 {
				t.Fatalf("%d records, want 2500", len(recs))
			}
		})
	}
}
