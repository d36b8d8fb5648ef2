package kintone_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/kintonetest"
)

// An ordered read that pages by offset asks for the pages it foresees at
// once (the page at the last one's last record, as page after page would):
// the same rows and the same requests as concurrency=1, several at once.
func TestOffsetReadAsksForItsPagesEarly(t *testing.T) {
	srv := newEmulator(t, kintonetest.WithLatency(5*time.Millisecond))
	numbersApp(t, srv, 4321)
	for _, query := range []string{
		"SELECT num FROM NUMBERS ORDER BY label DESC",
		"SELECT num FROM NUMBERS WHERE num >= 100 ORDER BY num DESC LIMIT 3000",
		"SELECT num FROM NUMBERS ORDER BY label LIMIT 1200 OFFSET 700",
	} {
		var want []int
		var wantQueries []string
		for _, params := range []string{"?concurrency=1", ""} {
			db := openDB(t, srv.DSN()+params)
			nums(t, db, "SELECT num FROM NUMBERS LIMIT 1")
			var got []int
			queries := leapQueries(t, srv, func() { got = nums(t, db, query) })
			if params == "?concurrency=1" {
				want, wantQueries = got, slices.Sorted(slices.Values(queries))
				if mostAtOnce(srv) != 1 {
					t.Errorf("%s page after page: %d GETs at once", query, mostAtOnce(srv))
				}
				continue
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: %d rows, page after page %d", query, len(got), len(want))
			}
			slices.Sort(queries)
			if !slices.Equal(queries, wantQueries) {
				t.Errorf("%s: %d GETs, page after page %d:\n%s", query, len(queries), len(wantQueries), strings.Join(queries, "\n"))
			}
			if withOffset(queries) < 2 {
				t.Errorf("%s: not an offset read:\n%s", query, strings.Join(queries, "\n"))
			}
			if most := mostAtOnce(srv); most < 2 {
				t.Errorf("%s: %d GETs at once", query, most)
			}
		}
	}
}
