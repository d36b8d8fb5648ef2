package kintone_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/kintonetest"
	"github.com/kintone-sql/kintone/translate"
)

// holdCursor opens an ordered read on db and reads its first row, so that
// it holds a cursor until the returned rows are closed.
func holdCursor(t *testing.T, db *sql.DB) *sql.Rows {
	t.Helper()
	hold, err := db.Query("SELECT num FROM NUMBERS ORDER BY label")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { hold.Close() })
	if !hold.Next() {
		t.Fatal(hold.Err())
	}
	return hold
}

// With no cursor free, a read that a cursor would do goes on without one
// only when that does not cost many more requests: 600 rows of 20,000 in
// pages of 100 take 200 $id pages against 8 requests through a cursor, so
// the read waits for the cursor (here it frees after the read's first
// page, which told it the total); 600 of 1,000 take 10 $id pages against
// 8, so it reads them at once.
func TestSortedReadWithoutACursorWaitsForOneForASmallLimit(t *testing.T) {
	for _, tc := range []struct {
		records             int
		gets, cursors       int64
		releaseAfterTheWait bool
	}{
		{20000, 1, 1, true},
		{1000, 10, 0, false},
	} {
		t.Run(strconv.Itoa(tc.records)+" records", func(t *testing.T) {
			srv := newEmulator(t)
			numbersApp(t, srv, tc.records)
			db := openDB(t, srv.DSN()+"?pageSize=100&useCursor=always&maxCursors=1")
			countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1")
			hold := holdCursor(t, db)
			srv.ResetStats()
			type result struct {
				n   int
				err error
			}
			done := make(chan result, 1)
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second) // fail, not hang
			defer cancel()
			go func() {
				n, err := readCount(ctx, db, "SELECT num FROM NUMBERS ORDER BY label LIMIT 600")
				done <- result{n, err}
			}()
			if tc.releaseAfterTheWait {
				for srv.Stats().Count("GET", "records") < 1 {
					time.Sleep(time.Millisecond)
				}
				hold.Close()
			}
			r := <-done
			if r.err != nil || r.n != 600 {
				t.Fatalf("%d rows, %v", r.n, r.err)
			}
			st := srv.Stats()
			if gets, cursors := st.Count("GET", "records"), st.Count("POST", "records/cursor"); gets != tc.gets || cursors != tc.cursors {
				t.Errorf("%d $id pages and %d cursors, want %d and %d", gets, cursors, tc.gets, tc.cursors)
			}
		})
	}
}

// readCount reads every row of query and returns how many there were.
func readCount(ctx context.Context, db *sql.DB, query string) (int, error) {
	rows, err := db.QueryContext(ctx, query)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// hideUpdatedTime puts a reverse proxy in front of the emulator that
// leaves the update time out of every record of records.json, as Kintone
// does for a user whose field permissions hide it; it returns the DSN
// through it.
func hideUpdatedTime(t *testing.T, srv *kintonetest.Server) string {
	t.Helper()
	u, err := url.Parse(srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: u.Scheme, Host: u.Host})
	rp.ModifyResponse = func(resp *http.Response) error {
		if !strings.HasSuffix(resp.Request.URL.Path, "/records.json") || resp.StatusCode != http.StatusOK {
			return nil
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(body, &m); err != nil {
			return err
		}
		var recs []map[string]json.RawMessage
		if err := json.Unmarshal(m["records"], &recs); err != nil {
			return err
		}
		for _, r := range recs {
			delete(r, "Updated_datetime")
		}
		if m["records"], err = json.Marshal(recs); err != nil {
			return err
		}
		if body, err = json.Marshal(m); err != nil {
			return err
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		resp.ContentLength = int64(len(body))
		resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
		return nil
	}
	ps := httptest.NewServer(rp)
	t.Cleanup(ps.Close)
	pu, err := url.Parse(ps.URL)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = pu.Host
	return u.String()
}

// useCursor=never never opens a cursor. An ordered read of several offset
// pages whose user cannot see the update time (which its change check
// needs) goes on by $id pages sorted in Go instead of through a cursor,
// and when those would hold more than maxBufferedRows, it fails saying
// why, having created no cursor either.
func TestUseCursorNeverOpensNoCursorWhenTheUpdateTimeIsHidden(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 1000)
	hidden := hideUpdatedTime(t, srv)
	db := openDB(t, hidden+"?pageSize=100&useCursor=never")
	countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1")
	srv.ResetStats()
	rows, err := db.Query("SELECT num FROM NUMBERS ORDER BY label LIMIT 5000")
	if err != nil {
		t.Fatal(err)
	}
	var prev string
	n := 0
	for rows.Next() {
		var num int
		if err := rows.Scan(&num); err != nil {
			t.Fatal(err)
		}
		label := "row " + strconv.Itoa(num)
		if n > 0 && label <= prev {
			t.Fatalf("row %d (%s) after %s: not in the SQL order", n, label, prev)
		}
		prev = label
		n++
	}
	if err := rows.Err(); err != nil || n != 1000 {
		t.Fatalf("%d rows, %v; want 1000", n, err)
	}
	if c := srv.Stats().Count("POST", "records/cursor"); c != 0 {
		t.Errorf("useCursor=never: %d cursors created", c)
	}

	small := openDB(t, hidden+"?pageSize=100&useCursor=never&maxBufferedRows=500")
	countRows(t, small, "SELECT num FROM NUMBERS LIMIT 1")
	srv.ResetStats()
	_, err = readCount(context.Background(), small, "SELECT num FROM NUMBERS ORDER BY label LIMIT 5000")
	if !errors.Is(err, translate.ErrTooManyRows) || !strings.Contains(err.Error(), "useCursor=never") || !strings.Contains(err.Error(), "update time") {
		t.Fatalf("error %v, want ErrTooManyRows saying that useCursor=never and the hidden update time leave no other plan", err)
	}
	if c := srv.Stats().Count("POST", "records/cursor"); c != 0 {
		t.Errorf("useCursor=never: %d cursors created", c)
	}
}
