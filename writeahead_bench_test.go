package kintone_test

import (
	"database/sql"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/kintonetest"
)

// BenchmarkStreamedWriteWithLatency measures the writes whose rows are
// read as they are written (INSERT ... SELECT from another app, UPDATE and
// DELETE by condition) on apps of 20 text fields, with the emulator adding
// 50 ms to every request. Run it with
//
//	go test -run '^$' -bench 'StreamedWrite/.*-6000' -count 3 .
//
// (insert-select-50000 is the figure, seconds per run.) Besides
// the time it reports the requests of one statement, floor-ratio: the
// time over the floor, the requests times the latency, that is every
// request paying the latency one after the other, and gets-hidden: the
// GETs of records.json the emulator received while it was handling a
// bulkRequest (getsDuringBulk). A reader that keeps reading while a batch
// is on its way hides most GETs behind the bulkRequests, so the ratio can
// come below 1; a reader that waits for each batch pays for every request
// in turn, and for the emulator's work besides. The time depends on the
// machine's load, gets-hidden much less.
func BenchmarkStreamedWriteWithLatency(b *testing.B) {
	const latency = 50 * time.Millisecond
	for _, bc := range []struct {
		name   string
		rows   int
		sql    string
		refill bool // the statement deletes the rows it reads
	}{
		{"insert-select-6000", 6000, "INSERT INTO COPY (" + wideColumns + ") SELECT " + wideColumns + " FROM WIDE", false},
		{"update-6000", 6000, "UPDATE WIDE SET f1 = 'updated' WHERE f0 LIKE 'value%'", false},
		{"delete-6000", 6000, "DELETE FROM WIDE WHERE f0 LIKE 'value%'", true},
		{"insert-select-50000", 50000, "INSERT INTO COPY (" + wideColumns + ") SELECT " + wideColumns + " FROM WIDE", false},
	} {
		b.Run(bc.name, func(b *testing.B) {
			srv, err := kintonetest.NewServer(kintonetest.WithLatency(latency))
			if err != nil {
				b.Fatal(err)
			}
			defer srv.Close()
			wide := wideApp(b, srv, "WIDE")
			wideApp(b, srv, "COPY")
			fillWide(b, srv, wide, bc.rows)
			db, err := sql.Open("kintone", srv.DSN())
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			// The forms are read once, before the clock runs.
			for _, q := range []string{"SELECT f0 FROM WIDE LIMIT 1", "SELECT f0 FROM COPY LIMIT 1"} {
				rows, err := db.Query(q)
				if err != nil {
					b.Fatal(err)
				}
				rows.Close()
			}
			var requests, hidden int64
			var elapsed time.Duration
			for b.Loop() {
				srv.ResetStats()
				start := time.Now()
				res, err := db.Exec(bc.sql)
				elapsed += time.Since(start)
				if err != nil {
					b.Fatal(err)
				}
				requests += srv.Stats().Requests
				hidden += int64(getsDuringBulk(srv.Requests()))
				if n, _ := res.RowsAffected(); n != int64(bc.rows) {
					b.Fatalf("%d rows affected, want %d", n, bc.rows)
				}
				if bc.refill {
					b.StopTimer()
					fillWide(b, srv, wide, bc.rows) // for the next round
					b.StartTimer()
				}
			}
			b.ReportMetric(float64(requests)/float64(b.N), "requests/op")
			b.ReportMetric(float64(hidden)/float64(b.N), "gets-hidden/op")
			b.ReportMetric(float64(elapsed)/float64(time.Duration(requests)*latency), "floor-ratio")
		})
	}
}

// wideColumns are the fields of wideApp, f0 to f19.
var wideColumns = func() string {
	var cols []string
	for i := range 20 {
		cols = append(cols, "f"+strconv.Itoa(i))
	}
	return strings.Join(cols, ", ")
}()

// wideApp creates the app code with the text fields f0 to f19.
func wideApp(b *testing.B, srv *kintonetest.Server, code string) int64 {
	b.Helper()
	var fields []kintonetest.Field
	for _, c := range strings.Split(wideColumns, ", ") {
		fields = append(fields, kintonetest.Field{Code: c, Type: "SINGLE_LINE_TEXT"})
	}
	app, err := srv.CreateApp(kintonetest.App{Name: code, Code: code, Fields: fields})
	if err != nil {
		b.Fatal(err)
	}
	return app
}

// fillWide adds n records to a wideApp.
func fillWide(b *testing.B, srv *kintonetest.Server, app int64, n int) {
	b.Helper()
	recs := make([]kintonetest.Record, n)
	for i := range recs {
		r := kintonetest.Record{}
		for j := range 20 {
			r["f"+strconv.Itoa(j)] = "value " + strconv.Itoa(i*(j+1)%9973)
		}
		recs[i] = r
	}
	if _, err := srv.AddRecords(app, recs...); err != nil {
		b.Fatal(err)
	}
}

// getsDuringBulk counts the GETs of records.json in log that started while
// a bulkRequest was being handled.
func getsDuringBulk(log []kintonetest.Request) int {
	n := 0
	for _, g := range log {
		if g.Effective != "GET" || g.Resource != "records" {
			continue
		}
		for _, b := range log {
			if b.Resource == "bulkRequest" && !g.Time.Before(b.Time) && g.Time.Before(b.Time.Add(b.Duration)) {
				n++
				break
			}
		}
	}
	return n
}
