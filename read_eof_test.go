package kintone_test

import (
	"errors"
	"io"
	"testing"
)

// A read whose connection closes fails with an error that wraps io.EOF,
// which is not the end of the rows: a count, a sort or a grouping done in
// Go over such a read fails, where it used to end as if every row had been
// read (a COUNT(*) of 0, a sorted prefix) and say nothing.
func TestAReadWhoseConnectionClosesIsNotTheEnd(t *testing.T) {
	srv := newEmulator(t)
	aheadApps(t, srv, 1200, nil)
	for _, q := range []string{
		"SELECT COUNT(*) FROM SRC WHERE txt LIKE '%1%'",
		"SELECT num FROM SRC ORDER BY txt LIKE '%1%', num",
		"SELECT txt, COUNT(*) FROM SRC GROUP BY txt",
		"SELECT num FROM SRC",
	} {
		for _, from := range []int64{1, 2} {
			a := &aheadTransport{}
			db := aheadDB(t, srv, "?maxRetries=0&concurrency=1", a)
			a.failGetsFrom = from
			rows, err := db.Query(q)
			if err == nil {
				for rows.Next() {
				}
				err = rows.Err()
				rows.Close()
			}
			if !errors.Is(err, io.EOF) {
				t.Errorf("%s, GETs failing from the %d-th: error %v, want the read's, wrapping io.EOF", q, from, err)
			}
		}
	}
}
