package kintone_test

import (
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest"
)

// editOnAnswer puts a reverse proxy in front of srv that runs edit (on
// other, straight to srv) once, after Kintone answered the nth GET
// records.json whose query contains match, before the answer reaches the
// driver: the driver's next request sees the edit, its last answer does
// not. It returns the proxy's DSN and whether the edit ran.
func editOnAnswer(t *testing.T, srv *kintonetest.Server, other *sql.DB, match string, nth int32, edit string) (string, *atomic.Bool) {
	t.Helper()
	u, err := url.Parse(srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	var seen atomic.Int32
	var fired, armed atomic.Bool
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: u.Scheme, Host: u.Host})
	rp.ModifyResponse = func(resp *http.Response) error {
		req := resp.Request
		if !armed.Load() || req.Method != http.MethodGet || !strings.HasSuffix(req.URL.Path, "/records.json") ||
			!strings.Contains(req.URL.Query().Get("query"), match) {
			return nil
		}
		if seen.Add(1) == nth && fired.CompareAndSwap(false, true) {
			// Read the answer whole first: Kintone read its records
			// before the edit.
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				return err
			}
			resp.Body = io.NopCloser(strings.NewReader(string(body)))
			if _, err := other.Exec(edit); err != nil {
				t.Errorf("edit: %v", err)
			}
		}
		return nil
	}
	ps := httptest.NewServer(rp)
	t.Cleanup(ps.Close)
	pu, err := url.Parse(ps.URL)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = pu.Host
	armed.Store(true)
	return u.String(), &fired
}

// movedOut is an app of n NUMBERS records (num 0..n-1 at $id 1..n) whose
// record num = at has been moved out of "num < 5000" (num = 9999), with a
// DB straight to the emulator for the edits.
func movedOut(t *testing.T, n, at int) (*kintonetest.Server, *sql.DB) {
	t.Helper()
	srv := newEmulator(t)
	numbersApp(t, srv, n)
	other := openDB(t, srv.DSN())
	if _, err := other.Exec("UPDATE NUMBERS SET num = 9999 WHERE num = ?", at); err != nil {
		t.Fatal(err)
	}
	return srv, other
}

const moveBackIn = "UPDATE NUMBERS SET num = 150 WHERE num = 9999"

// A read by $id must not stop because the records it read reach a total
// that an EARLIER page returned: a record edited into the WHERE between
// two pages, at a $id the read had yet to reach, counts in the records
// read but in no earlier total, so the read would stop a page short and
// silently miss the record with the highest $id, which matched throughout.
// Here 1,000 records match when the read begins (num 150, at $id 151,
// does not), pages of 100, and the edit moves num 150 back in after the
// first page: every one of the 1,001 comes, and $id 1001 among them (the
// same downwards, with num 850 and $id 1).
func TestSeekReadDoesNotStopOnAnEarlierPagesTotal(t *testing.T) {
	for _, tc := range []struct {
		name, params, query string
		at                  int // the num moved out and back in
	}{
		{"seek", "?pageSize=100", "SELECT $id FROM NUMBERS WHERE num < 5000", 150},
		// Walking down, the records not reached yet are below.
		{"seek downwards", "?pageSize=100", "SELECT $id FROM NUMBERS WHERE num < 5000 ORDER BY $id DESC", 850},
		{"seek, sorted in Go (useCursor=never)", "?pageSize=100&useCursor=never", "SELECT $id FROM NUMBERS WHERE num < 5000 ORDER BY label DESC", 150},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, other := movedOut(t, 1001, tc.at)
			proxied, fired := editOnAnswer(t, srv, other, "num < 5000", 1, fmt.Sprintf("UPDATE NUMBERS SET num = %d WHERE num = 9999", tc.at))
			db := openDB(t, proxied+tc.params)
			got := map[int64]bool{}
			rows, err := db.Query(tc.query)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					t.Fatal(err)
				}
				got[id] = true
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if !fired.Load() {
				t.Fatal("the edit never ran")
			}
			for _, id := range []int64{1, 1001} {
				if !got[id] {
					t.Errorf("record $id %d (matching throughout, unchanged) was missed; %d rows", id, len(got))
				}
			}
			if len(got) != 1001 {
				t.Errorf("%d rows, want the 1,001 that match at the end", len(got))
			}
		})
	}
}

// The same for a read sorted in Go because no cursor is free: it reads by
// $id too.
func TestSortedReadWithoutACursorDoesNotStopOnAnEarlierPagesTotal(t *testing.T) {
	srv, other := movedOut(t, 1001, 150)
	proxied, fired := editOnAnswer(t, srv, other, "num < 5000", 1, moveBackIn)
	db := openDB(t, proxied+"?pageSize=100&useCursor=always&maxCursors=1")
	hold, err := db.Query("SELECT num FROM NUMBERS ORDER BY label")
	if err != nil {
		t.Fatal(err)
	}
	defer hold.Close()
	if !hold.Next() {
		t.Fatal(hold.Err())
	}
	srv.ResetStats()
	rows, err := db.Query("SELECT $id FROM NUMBERS WHERE num < 5000 ORDER BY label DESC")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		got[id] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if !fired.Load() {
		t.Fatal("the edit never ran")
	}
	if n := srv.Stats().Count("POST", "records/cursor"); n != 0 {
		t.Fatalf("%d cursors created: the read was to go on without one", n)
	}
	if !got[1001] || len(got) != 1001 {
		t.Errorf("%d rows, $id 1001 (matching throughout) came: %v; want all 1,001", len(got), got[1001])
	}
}

// UPDATE and DELETE read their records by $id under every useCursor: the
// same edit must not make them leave out a record that matched their WHERE
// throughout, and report success.
func TestWriteByWhereDoesNotStopOnAnEarlierPagesTotal(t *testing.T) {
	for _, params := range []string{"?pageSize=100", "?pageSize=100&useCursor=always", "?pageSize=100&useCursor=never"} {
		for _, stmt := range []string{
			"DELETE FROM NUMBERS WHERE num < 5000",
			"UPDATE NUMBERS SET label = 'done' WHERE num < 5000",
		} {
			t.Run(params+" "+stmt, func(t *testing.T) {
				srv, other := movedOut(t, 1001, 150)
				proxied, fired := editOnAnswer(t, srv, other, "num < 5000", 1, moveBackIn)
				db := openDB(t, proxied+params)
				res, err := db.Exec(stmt)
				if err != nil {
					t.Fatal(err)
				}
				if !fired.Load() {
					t.Fatal("the edit never ran")
				}
				n, _ := res.RowsAffected()
				var left int
				if strings.HasPrefix(stmt, "DELETE") {
					err = other.QueryRow("SELECT COUNT(*) FROM NUMBERS WHERE num < 5000").Scan(&left)
				} else {
					err = other.QueryRow("SELECT COUNT(*) FROM NUMBERS WHERE label <> 'done'").Scan(&left)
				}
				if err != nil {
					t.Fatal(err)
				}
				if n != 1001 || left != 0 {
					t.Errorf("%s: %d rows affected, %d matching records left unwritten; want 1,001 and none", stmt, n, left)
				}
			})
		}
	}
}

// What the end of a seek read costs: no empty page after full ones, and
// Kintone counts the records for the first page and the page that may be
// the last only (totalCount=true), not for every page.
func TestSeekReadRequestCounts(t *testing.T) {
	for _, tc := range []struct {
		records, pageSize   int
		requests, withTotal int
	}{
		{500, 500, 1, 1},
		{1000, 500, 2, 2},
		{10000, 500, 20, 2},
		{1000, 100, 10, 2},
		{1001, 100, 11, 2},
	} {
		t.Run(fmt.Sprintf("%d records, pages of %d", tc.records, tc.pageSize), func(t *testing.T) {
			srv := newEmulator(t)
			numbersApp(t, srv, tc.records)
			db := openDB(t, srv.DSN()+fmt.Sprintf("?pageSize=%d", tc.pageSize))
			countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1")
			srv.ResetStats()
			if n := countRows(t, db, "SELECT $id, num FROM NUMBERS"); n != tc.records {
				t.Fatalf("%d rows", n)
			}
			withTotal := 0
			for _, r := range srv.Requests() {
				if strings.Contains(r.Query, "totalCount=true") {
					withTotal++
				}
			}
			if got := srv.Stats().Count("GET", "records"); got != int64(tc.requests) || withTotal != tc.withTotal {
				t.Errorf("%d GET records, %d with totalCount; want %d and %d", got, withTotal, tc.requests, tc.withTotal)
			}
		})
	}
}
