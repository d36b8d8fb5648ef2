package kintonetest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"
)

// benchApp creates an app of 20 fields (the size issue 2 names) and fills
// it with n records.
func benchApp(b *testing.B, srv *Server, n int) int64 {
	b.Helper()
	fields := []Field{
		{Code: "title", Type: "SINGLE_LINE_TEXT"},
		{Code: "num", Type: "NUMBER"},
		{Code: "color", Type: "DROP_DOWN", Options: []string{"red", "green", "blue"}},
		{Code: "day", Type: "DATE"},
		{Code: "tags", Type: "CHECK_BOX", Options: []string{"a", "b", "c"}},
	}
	for i := len(fields); i < 20; i++ {
		fields = append(fields, Field{Code: "text" + strconv.Itoa(i), Type: "SINGLE_LINE_TEXT"})
	}
	app, err := srv.CreateApp(App{Name: "Bench", Fields: fields})
	if err != nil {
		b.Fatal(err)
	}
	colors := []string{"red", "green", "blue"}
	recs := make([]Record, n)
	for i := range recs {
		r := Record{
			"title": "record " + strconv.Itoa(i),
			"num":   strconv.Itoa(i % 1000),
			"color": colors[i%3],
			"day":   fmt.Sprintf("2026-%02d-%02d", 1+i%12, 1+i%28),
			"tags":  []string{"a", "b", "c"}[:1+i%3],
		}
		for j := 5; j < 20; j++ {
			r["text"+strconv.Itoa(j)] = "value " + strconv.Itoa(i*j%9973)
		}
		recs[i] = r
	}
	if _, err := srv.AddRecords(app, recs...); err != nil {
		b.Fatal(err)
	}
	return app
}

func benchRequest(b *testing.B, hc *http.Client, method, u string, body []byte) int64 {
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("X-Cybozu-Authorization", base64.StdEncoding.EncodeToString([]byte("admin:admin")))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := hc.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		b.Fatalf("%s %s: status %d", method, u, res.StatusCode)
	}
	return n
}

// BenchmarkGetRecordsFiltered is a filtered 500-record GET on an app of
// 100,000 records of 20 fields, over HTTP: what a driver's page costs the
// emulator.
func BenchmarkGetRecordsFiltered(b *testing.B) {
	srv := newServer(b)
	app := benchApp(b, srv, 100_000)
	q := url.Values{}
	q.Set("app", strconv.FormatInt(app, 10))
	q.Set("query", `num >= 100 and color in ("red", "blue") and $id > 20000 order by $id asc limit 500`)
	u := srv.URL + "/k/v1/records.json?" + q.Encode()
	hc := &http.Client{}
	b.ResetTimer()
	var bytes int64
	for b.Loop() {
		bytes = benchRequest(b, hc, "GET", u, nil)
	}
	b.ReportMetric(float64(bytes), "resp-bytes")
}

// BenchmarkBulkInsert2000 is one bulkRequest of 20 x 100 new records (the
// largest atomic write Kintone accepts), over HTTP, into an app that grows
// by 2,000 records each op. cpu-ms/op is the process's CPU time per op
// (emulator and client), steadier than the time on a shared machine.
func BenchmarkBulkInsert2000(b *testing.B) {
	srv := newServer(b)
	app := benchApp(b, srv, 0)
	var reqs []any
	for i := range 20 {
		recs := make([]map[string]any, 100)
		for j := range recs {
			n := i*100 + j
			recs[j] = map[string]any{
				"title": map[string]any{"value": "bulk " + strconv.Itoa(n)},
				"num":   map[string]any{"value": strconv.Itoa(n)},
				"color": map[string]any{"value": "green"},
				"tags":  map[string]any{"value": []string{"a"}},
			}
			for k := 5; k < 20; k++ {
				recs[j]["text"+strconv.Itoa(k)] = map[string]any{"value": "v" + strconv.Itoa(n)}
			}
		}
		reqs = append(reqs, map[string]any{"method": "POST", "api": "/k/v1/records.json", "payload": map[string]any{"app": app, "records": recs}})
	}
	body, err := json.Marshal(map[string]any{"requests": reqs})
	if err != nil {
		b.Fatal(err)
	}
	hc := &http.Client{}
	b.ResetTimer()
	cpu0, cpuOK := processCPU()
	for b.Loop() {
		benchRequest(b, hc, "POST", srv.URL+"/k/v1/bulkRequest.json", body)
	}
	b.ReportMetric(2000, "records/op")
	if cpu1, ok := processCPU(); ok && cpuOK {
		b.ReportMetric(float64(cpu1-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkBulkUpdate2000 is one bulkRequest of 20 x 100 updates by ID
// (two fields each, the others kept) of an app of 2,000 records, over
// HTTP.
func BenchmarkBulkUpdate2000(b *testing.B) {
	srv := newServer(b)
	app := benchApp(b, srv, 2000)
	var reqs []any
	for i := range 20 {
		recs := make([]map[string]any, 100)
		for j := range recs {
			n := i*100 + j
			recs[j] = map[string]any{"id": n + 1, "record": map[string]any{
				"title": map[string]any{"value": "updated " + strconv.Itoa(n)},
				"num":   map[string]any{"value": strconv.Itoa(n * 7)},
			}}
		}
		reqs = append(reqs, map[string]any{"method": "PUT", "api": "/k/v1/records.json", "payload": map[string]any{"app": app, "records": recs}})
	}
	body, err := json.Marshal(map[string]any{"requests": reqs})
	if err != nil {
		b.Fatal(err)
	}
	hc := &http.Client{}
	b.ResetTimer()
	cpu0, cpuOK := processCPU()
	for b.Loop() {
		benchRequest(b, hc, "POST", srv.URL+"/k/v1/bulkRequest.json", body)
	}
	b.ReportMetric(2000, "records/op")
	if cpu1, ok := processCPU(); ok && cpuOK {
		b.ReportMetric(float64(cpu1-cpu0)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
}

// BenchmarkSeekRead100k reads an app of 100,000 records of 20 fields
// whole, over HTTP, in the pages the driver asks for by $id: "$id > last
// order by $id asc limit 500", every field, totalCount on the first page
// and on a page that may be the last. One op is the whole read, 200
// requests; the client side only counts the records and finds the last
// $id, so the op's time over 200 is about the emulator's time per page.
// cpu-ms/page is the process's CPU time (emulator and client, where the
// system measures it) per page, which on a shared machine varies less than
// the time.
func BenchmarkSeekRead100k(b *testing.B) {
	srv := newServer(b)
	app := benchApp(b, srv, 100_000)
	hc := &http.Client{}
	const limit = 500
	idMark := []byte(`"$id":{"type":"__ID__","value":"`)
	b.ResetTimer()
	var (
		size  int64
		buf   bytes.Buffer
		pages int
	)
	cpu0, cpuOK := processCPU()
	for b.Loop() {
		size = 0
		last, left := int64(0), int64(-1)
		for {
			q := url.Values{}
			q.Set("app", strconv.FormatInt(app, 10))
			q.Set("query", "$id > "+strconv.FormatInt(last, 10)+" order by $id asc limit 500")
			if left < 0 || left <= limit {
				q.Set("totalCount", "true")
			}
			body := benchGet(b, hc, srv.URL+"/k/v1/records.json?"+q.Encode(), &buf)
			pages++
			size += int64(len(body))
			n := int64(bytes.Count(body, idMark))
			total := int64(-1)
			if _, t, ok := bytes.Cut(body, []byte(`"totalCount":"`)); ok {
				total, _ = strconv.ParseInt(string(t[:bytes.IndexByte(t, '"')]), 10, 64)
			}
			if n < limit || total >= 0 && n >= total {
				break
			}
			if total >= 0 {
				left = total - n
			} else {
				left = max(left-n, 0)
			}
			v := body[bytes.LastIndex(body, idMark)+len(idMark):]
			last, _ = strconv.ParseInt(string(v[:bytes.IndexByte(v, '"')]), 10, 64)
		}
	}
	b.ReportMetric(float64(size), "resp-bytes")
	if cpu1, ok := processCPU(); ok && cpuOK && pages > 0 {
		b.ReportMetric(float64(cpu1-cpu0)/float64(time.Millisecond)/float64(pages), "cpu-ms/page")
	}
}

// benchGet GETs u and returns the answer's body, read into buf.
func benchGet(b *testing.B, hc *http.Client, u string, buf *bytes.Buffer) []byte {
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("X-Cybozu-Authorization", base64.StdEncoding.EncodeToString([]byte("admin:admin")))
	res, err := hc.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	buf.Reset()
	if _, err := buf.ReadFrom(res.Body); err != nil || res.StatusCode != 200 {
		b.Fatalf("GET %s: status %d, %v", u, res.StatusCode, err)
	}
	return buf.Bytes()
}

// BenchmarkOrderedRead reads an app of 20 fields by offset pages in an
// order other than by $id, over HTTP, as the driver reads an ORDER BY
// that Kintone sorts: "num > -K order by num desc, $id asc limit 500
// offset N" for N = 0, 499, 998, ... up to 10,000 (each page overlaps the
// last by one record), totalCount on the first page. num repeats every
// 1,000 records, so the $id tie-breaker decides most of the order; K is
// the op's number, so that each op is a read the emulator has not seen
// (the condition matches every record). One op is the whole read;
// cpu-ms/page is the process's CPU time per page.
func BenchmarkOrderedRead(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			srv := newServer(b)
			app := benchApp(b, srv, n)
			hc := &http.Client{}
			var buf bytes.Buffer
			b.ResetTimer()
			pages, op := 0, 0
			cpu0, cpuOK := processCPU()
			for b.Loop() {
				op++
				for off := 0; off <= 10_000 && off < n; off += 499 {
					q := url.Values{}
					q.Set("app", strconv.FormatInt(app, 10))
					q.Set("query", "num > -"+strconv.Itoa(op)+" order by num desc, $id asc limit 500 offset "+strconv.Itoa(off))
					if off == 0 {
						q.Set("totalCount", "true")
					}
					benchGet(b, hc, srv.URL+"/k/v1/records.json?"+q.Encode(), &buf)
					pages++
				}
			}
			if cpu1, ok := processCPU(); ok && cpuOK && pages > 0 {
				b.ReportMetric(float64(cpu1-cpu0)/float64(time.Millisecond)/float64(pages), "cpu-ms/page")
			}
		})
	}
}
