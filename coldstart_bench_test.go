package kintone_test

import (
	"database/sql"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/kintonetest"
)

// roundTrips is the longest chain of requests in log each of which started
// after the one before it had been answered: the round trips a client that
// sends independent requests together pays. It reads the emulator's request
// log (each request's start and duration), so it is a figure to report, not
// to assert on: it depends on the latency being large next to the client's
// own work.
func roundTrips(log []kintonetest.Request) int {
	slices.SortFunc(log, func(a, b kintonetest.Request) int { return a.Time.Compare(b.Time) })
	depth := make([]int, len(log))
	best := 0
	for i, r := range log {
		depth[i] = 1
		for j := range i {
			if !r.Time.Before(log[j].Time.Add(log[j].Duration)) && depth[j]+1 > depth[i] {
				depth[i] = depth[j] + 1
			}
		}
		best = max(best, depth[i])
	}
	return best
}

// BenchmarkFirstQuery measures the first query of a fresh pool with the
// emulator adding 50 ms to every request, for a table named each way a
// statement can name one. Run it with
//
//	go test -run '^$' -bench FirstQuery -benchtime 10x .
//
// It reports, besides the time, the requests, the form reads and the round
// trips (see roundTrips) of one first query, or of twelve at once
// (name-x12).
func BenchmarkFirstQuery(b *testing.B) {
	srv, err := kintonetest.NewServer(kintonetest.WithLatency(50 * time.Millisecond))
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	fields := []kintonetest.Field{{Code: "num", Type: "NUMBER"}}
	if _, err := srv.CreateApp(kintonetest.App{Name: "Plain name", Fields: fields}); err != nil {
		b.Fatal(err)
	}
	if _, err := srv.CreateApp(kintonetest.App{Name: "Coded", Code: "CODED", Fields: fields}); err != nil {
		b.Fatal(err)
	}
	id, err := srv.CreateApp(kintonetest.App{Name: "By ID", Fields: fields})
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name, table string
		queries     int // run at once
	}{
		{"name", "`Plain name`", 1},
		{"code", "CODED", 1},
		{"id", "`" + itoa(id) + "`", 1},
		{"alias", "mine", 1},
		{"name-x12", "`Plain name`", 12},
	} {
		b.Run(bc.name, func(b *testing.B) {
			var requests, trips, forms int64
			for b.Loop() {
				b.StopTimer()
				db, err := sql.Open("kintone", srv.DSN()+"?apps=mine:"+itoa(id))
				if err != nil {
					b.Fatal(err)
				}
				db.SetMaxIdleConns(bc.queries)
				srv.ResetStats()
				b.StartTimer()
				var wg sync.WaitGroup
				errs := make(chan error, bc.queries)
				for range bc.queries {
					wg.Go(func() {
						rows, err := db.Query("SELECT num FROM " + bc.table)
						if err != nil {
							errs <- err
							return
						}
						for rows.Next() {
						}
						errs <- rows.Close()
					})
				}
				wg.Wait()
				b.StopTimer()
				close(errs)
				for err := range errs {
					if err != nil {
						b.Fatal(err)
					}
				}
				log := srv.Requests()
				requests += int64(len(log))
				trips += int64(roundTrips(log))
				forms += srv.Stats().Count("GET", "app/form/fields")
				db.Close()
				b.StartTimer()
			}
			n := float64(b.N)
			b.ReportMetric(float64(requests)/n, "requests/op")
			b.ReportMetric(float64(forms)/n, "forms/op")
			b.ReportMetric(float64(trips)/n, "roundtrips/op")
		})
	}
}
