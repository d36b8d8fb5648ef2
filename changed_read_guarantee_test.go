package kintone_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/dsn"
	"github.com/kintone-sql/kintone/kintonetest"
)

// This file checks what an ordered read of several pages guarantees when
// other clients write between its pages (Kintone has no snapshot reads):
// every run either returns, in the SQL order and each exactly once, every
// record that matches both before and after the read, or fails with
// ErrRecordsChanged. Never a record missed or repeated silently.

// wordRow is a row of "SELECT $id, name, Updated_datetime FROM WORDS".
type wordRow struct {
	id   int64
	name string
	upd  time.Time
}

// wordRows reads all of WORDS by $id (a plan that edits cannot move).
func wordRows(t *testing.T, db *sql.DB) map[int64]wordRow {
	t.Helper()
	rows, err := db.Query("SELECT $id, name, Updated_datetime FROM WORDS")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]wordRow{}
	for rows.Next() {
		var r wordRow
		if err := rows.Scan(&r.id, &r.name, &r.upd); err != nil {
			t.Fatal(err)
		}
		out[r.id] = r
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// readWords runs query (selecting $id, name, Updated_datetime) and returns
// its rows and error.
func readWords(db *sql.DB, query string) ([]wordRow, error) {
	rows, err := db.QueryContext(context.Background(), query)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []wordRow
	for rows.Next() {
		var r wordRow
		if err := rows.Scan(&r.id, &r.name, &r.upd); err != nil {
			return out, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// editBetweenPages opens a DB on srv (DSN parameters params) whose
// after-th page of records (GET records.json or records/cursor.json) is
// followed, before any other request, by edit, run through another DB: a
// concurrent writer acting between two pages of a read. fired reports
// whether it ran.
func editBetweenPages(t *testing.T, srv *kintonetest.Server, params string, after int, edit func(other *sql.DB) error) (db *sql.DB, fired func() bool) {
	t.Helper()
	other := openDB(t, srv.DSN())
	cfg, err := dsn.Parse(srv.DSN() + params)
	if err != nil {
		t.Fatal(err)
	}
	var armed, done atomic.Bool
	var pages atomic.Int32
	hook := func(info kintone.RequestInfo) {
		if info.Method != "GET" || !armed.Load() || !strings.HasSuffix(info.Path, "/records.json") && !strings.HasSuffix(info.Path, "/records/cursor.json") {
			return
		}
		if pages.Add(1) == int32(after) && done.CompareAndSwap(false, true) {
			if err := edit(other); err != nil {
				t.Errorf("the edit between pages: %v", err)
			}
		}
	}
	db = sql.OpenDB(kintone.NewConnector(cfg, kintone.WithRequestHook(hook)))
	t.Cleanup(func() { db.Close() })
	countRows(t, db, "SELECT name FROM WORDS LIMIT 1") // warm the schema cache
	armed.Store(true)
	return db, done.Load
}

// orderedBy describes an ORDER BY of WORDS: its SQL and how it compares
// two rows (negative when a sorts first).
type orderedBy struct {
	sql     string
	compare func(a, b wordRow) int
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

var (
	byName     = orderedBy{"name", func(a, b wordRow) int { return strings.Compare(a.name, b.name) }}
	byNameDesc = orderedBy{"name DESC", func(a, b wordRow) int { return strings.Compare(b.name, a.name) }}
	byUpdated  = orderedBy{"Updated_datetime", func(a, b wordRow) int {
		if c := a.upd.Compare(b.upd); c != 0 {
			return c
		}
		return cmpInt(a.id, b.id)
	}}
	byUpdatedDesc = orderedBy{"Updated_datetime DESC", func(a, b wordRow) int {
		if c := b.upd.Compare(a.upd); c != 0 {
			return c
		}
		return cmpInt(a.id, b.id)
	}}
	byCreatedDesc = orderedBy{"Created_datetime DESC", func(a, b wordRow) int { return cmpInt(a.id, b.id) }}
)

// checkChangedRead checks the rows of an ordered read during which records
// changed: in the SQL order, no record twice, each row as its record was
// before or after the read, and every record that exists both before and
// after the read exactly once (the WORDS reads have no condition). With
// limited (a read that stopped at its LIMIT), only the records that sort
// no later than the last row, before and after, must come.
func checkChangedRead(t *testing.T, got []wordRow, before, after map[int64]wordRow, order orderedBy, limited bool) {
	t.Helper()
	seen := map[int64]bool{}
	for i, r := range got {
		if seen[r.id] {
			t.Fatalf("row %d: record $id %d came twice", i, r.id)
		}
		seen[r.id] = true
		if i > 0 && order.compare(got[i-1], r) >= 0 {
			t.Fatalf("row %d: %+v after %+v: out of the SQL order", i, r, got[i-1])
		}
		b, inB := before[r.id]
		a, inA := after[r.id]
		if !(inB && b.name == r.name && b.upd.Equal(r.upd)) && !(inA && a.name == r.name && a.upd.Equal(r.upd)) {
			t.Fatalf("row %d: %+v is neither the record before (%+v) nor after (%+v) the read", i, r, b, a)
		}
	}
	missed := 0
	for id, b := range before {
		a, ok := after[id]
		if limited && len(got) > 0 && (order.compare(b, got[len(got)-1]) > 0 || order.compare(a, got[len(got)-1]) > 0) {
			continue
		}
		if ok && !seen[id] {
			if missed < 5 {
				t.Errorf("record $id %d (%q before, %q after) was missed silently", id, before[id].name, after[id].name)
			}
			missed++
		}
	}
	if missed > 0 {
		t.Fatalf("%d records missed silently", missed)
	}
}

// ageRecords moves the emulator's clock an hour on, so that the records
// written so far are no longer recent: the change check of an ordered read
// then never reads their $ids.
func ageRecords(srv *kintonetest.Server) {
	srv.SetClock(func() time.Time { return time.Now().Add(time.Hour) })
}

// The start of every read in this file: WORDS's 1,000 records were all
// written at 10:00, and the reads (and the edits between their pages) run
// at 10:30.
var readTime = time.Date(2026, 3, 2, 10, 30, 0, 0, time.UTC)

// An ordered read of ten pages, with another client writing between its
// first and second page: each write moves a record across the point the
// read has reached, or adds or removes one, under every plan of an ordered
// read (offset pages known to fit, offset pages that the first page's
// total lets go on, keyset pages, a cursor). Every run returns each record
// that exists before and after the read exactly once, in order, or fails
// with ErrRecordsChanged; those that can be followed (a record read moving
// on, deletes, inserts) succeed. Before, an edit that moved a record back
// among the rows read lost it silently, and one that moved a record read
// further on returned it twice (ORDER BY the update time, by keyset), and
// so did offset pages.
func TestOrderedReadNeverSilentlyMissesOrRepeatsAChangedRecord(t *testing.T) {
	const n = 1000
	type outcome int
	const (
		succeeds outcome = iota
		changed          // fails with ErrRecordsChanged
		either
	)
	for _, tc := range []struct {
		name   string
		order  orderedBy
		edit   string
		offset outcome // with offset pages (and keyset pages)
		cursor outcome // with useCursor=always
	}{
		// Page 1 of name ASC holds $id 1..100.
		{"name: an unread record moves back among the rows read", byName, "UPDATE WORDS SET name = 'n0050x' WHERE $id = 501", changed, changed},
		{"name: a record read moves on past the read", byName, "UPDATE WORDS SET name = 'n0800x' WHERE $id = 20", succeeds, succeeds},
		{"name: an unread record moves further on", byName, "UPDATE WORDS SET name = 'n0900x' WHERE $id = 301", succeeds, changed},
		{"name: the last record read moves on", byName, "UPDATE WORDS SET name = 'n0500x' WHERE $id = 100", succeeds, succeeds},
		{"name: a record read is deleted", byName, "DELETE FROM WORDS WHERE $id = 11", succeeds, succeeds},
		{"name: an unread record is deleted", byName, "DELETE FROM WORDS WHERE $id = 600", succeeds, succeeds},
		{"name: records added among the rows read", byName, "INSERT INTO WORDS (name) VALUES ('n0010a'), ('n0020a')", succeeds, succeeds},
		{"name: records added further on", byName, "INSERT INTO WORDS (name) VALUES ('n0810a'), ('n0820a')", succeeds, succeeds},
		// Page 1 of name DESC holds $id 1000..901.
		{"name desc: an unread record moves back among the rows read", byNameDesc, "UPDATE WORDS SET name = 'n0950x' WHERE $id = 400", changed, changed},
		{"name desc: a record read moves on past the read", byNameDesc, "UPDATE WORDS SET name = 'n0100x' WHERE $id = 950", succeeds, succeeds},
		{"name desc: a record read is deleted", byNameDesc, "DELETE FROM WORDS WHERE $id = 990", succeeds, succeeds},
		// Every edit sets the update time: ascending, an edited record
		// moves to the end; descending, to the front.
		{"update time: an unread record is edited", byUpdated, "UPDATE WORDS SET name = 'edited' WHERE $id = 700", succeeds, changed},
		{"update time: a record read is edited", byUpdated, "UPDATE WORDS SET name = 'edited' WHERE $id = 3", succeeds, succeeds},
		{"update time: a record read is deleted", byUpdated, "DELETE FROM WORDS WHERE $id = 3", succeeds, succeeds},
		{"update time: records added", byUpdated, "INSERT INTO WORDS (name) VALUES ('new1'), ('new2')", succeeds, succeeds},
		{"update time desc: an unread record is edited", byUpdatedDesc, "UPDATE WORDS SET name = 'edited' WHERE $id = 700", changed, changed},
		{"update time desc: a record read is edited", byUpdatedDesc, "UPDATE WORDS SET name = 'edited' WHERE $id = 3", succeeds, succeeds},
		{"update time desc: records added", byUpdatedDesc, "INSERT INTO WORDS (name) VALUES ('new1'), ('new2')", succeeds, succeeds},
		// The creation time never changes: keyset pages follow it.
		{"creation time desc: an unread record is edited", byCreatedDesc, "UPDATE WORDS SET name = 'edited' WHERE $id = 700", succeeds, succeeds},
		{"creation time desc: a record read is deleted", byCreatedDesc, "DELETE FROM WORDS WHERE $id = 3", succeeds, succeeds},
	} {
		for _, plan := range []struct {
			name, params, limit string
			cursor              bool
		}{
			{"offset pages, total from the first page", "?pageSize=100", "", false},
			{"offset pages within LIMIT", "?pageSize=100", " LIMIT 5000", false},
			{"offset pages without cursors", "?pageSize=100&useCursor=never", " LIMIT 5000", false},
			{"cursor", "?pageSize=100&useCursor=always", "", true},
		} {
			t.Run(tc.name+"/"+plan.name, func(t *testing.T) {
				srv, _, setClock := wordsApp(t, n)
				before := wordRows(t, openDB(t, srv.DSN()))
				setClock(readTime)
				db, fired := editBetweenPages(t, srv, plan.params, 1, func(o *sql.DB) error { return write(o, tc.edit) })
				srv.ResetStats()
				got, err := readWords(db, "SELECT $id, name, Updated_datetime FROM WORDS ORDER BY "+tc.order.sql+plan.limit)
				if !fired() {
					t.Fatal("the edit never ran")
				}
				want := tc.offset
				if plan.cursor {
					want = tc.cursor
				}
				switch {
				case err == nil && want == changed:
					t.Errorf("the read succeeded, want ErrRecordsChanged")
				case err != nil && !errors.Is(err, kintone.ErrRecordsChanged):
					t.Fatalf("error %v, want ErrRecordsChanged or none", err)
				case err != nil && want == succeeds:
					t.Fatalf("error %v, want the read to follow the change", err)
				}
				if err == nil {
					checkChangedRead(t, got, before, wordRows(t, openDB(t, srv.DSN())), tc.order, false)
				}
				if st := srv.Stats(); st.OpenCursors != 0 || !plan.cursor && st.Count("POST", "records/cursor") != 0 {
					t.Errorf("%d cursors created, %d left open", st.Count("POST", "records/cursor"), st.OpenCursors)
				}
				// Run again, the read succeeds.
				got, err = readWords(db, "SELECT $id, name, Updated_datetime FROM WORDS ORDER BY "+tc.order.sql+plan.limit)
				if err != nil {
					t.Fatalf("the read run again: %v", err)
				}
				now := wordRows(t, openDB(t, srv.DSN()))
				checkChangedRead(t, got, now, now, tc.order, false)
			})
		}
	}
}

// A read whose LIMIT is applied in Go (the condition is partly evaluated
// there) stops before its last page: the rows it returned are checked the
// same way, when it ends.
func TestOrderedReadStoppedByAGoLimitNeverSilentlyMissesAChangedRecord(t *testing.T) {
	const n = 1000
	for _, tc := range []struct {
		name string
		edit string
		err  error
	}{
		{"an unread record moves back among the rows read", "UPDATE WORDS SET name = 'n0050x' WHERE $id = 501", kintone.ErrRecordsChanged},
		{"an unread record moves back, but not among the rows returned", "UPDATE WORDS SET name = 'n0450x' WHERE $id = 901", nil},
		{"a record read moves on", "UPDATE WORDS SET name = 'n0800x' WHERE $id = 20", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _, setClock := wordsApp(t, n)
			before := wordRows(t, openDB(t, srv.DSN()))
			setClock(readTime)
			db, fired := editBetweenPages(t, srv, "?pageSize=100", 1, func(o *sql.DB) error { return write(o, tc.edit) })
			// LIKE is evaluated in Go: the read stops at row 300.
			got, err := readWords(db, "SELECT $id, name, Updated_datetime FROM WORDS WHERE name LIKE 'n%' ORDER BY name LIMIT 300")
			if !fired() {
				t.Fatal("the edit never ran")
			}
			if !errors.Is(err, tc.err) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			if err != nil {
				return
			}
			if len(got) != 300 {
				t.Fatalf("%d rows, want 300", len(got))
			}
			checkChangedRead(t, got, before, wordRows(t, openDB(t, srv.DSN())), byName, true)
		})
	}
}

// The requests of an ordered read by a text field and by the update time,
// of 1, 2 and 20 pages: one GET a page, and for a read of several pages
// one more that asks for the records changed since the read began (none
// here), whether the records were written long before the read or in the
// same minute (the check leaves out the $ids the read returned).
func TestOrderedReadRequestCounts(t *testing.T) {
	const page = 50
	for _, tc := range []struct {
		rows, requests int
		recent         bool
	}{
		{page, 1, false},
		{2 * page, 3, false},
		{20 * page, 21, false},
		{20 * page, 21, true},
	} {
		for _, order := range []string{"name", "Updated_datetime DESC", "name LIMIT 5000"} {
			t.Run(fmt.Sprintf("%d rows by %s, recent %v", tc.rows, order, tc.recent), func(t *testing.T) {
				srv, _, setClock := wordsApp(t, tc.rows)
				if !tc.recent {
					setClock(readTime)
				}
				db := openDB(t, srv.DSN()+fmt.Sprintf("?pageSize=%d", page))
				countRows(t, db, "SELECT name FROM WORDS LIMIT 1")
				srv.ResetStats()
				if got := countRows(t, db, "SELECT $id, name FROM WORDS ORDER BY "+order); got != tc.rows {
					t.Fatalf("%d rows, want %d", got, tc.rows)
				}
				if st := srv.Stats(); st.Requests != int64(tc.requests) || st.Count("GET", "records") != int64(tc.requests) {
					t.Fatalf("%d requests (%d GET records), want %d", st.Requests, st.Count("GET", "records"), tc.requests)
				}
			})
		}
	}
	// A LIMIT over records written just before the read: the check reads
	// the $ids of those past the rows returned too (1,400 here: three
	// requests); written long before, one request.
	for _, tc := range []struct {
		recent   bool
		requests int
	}{
		{true, 12 + 3},
		{false, 12 + 1},
	} {
		t.Run(fmt.Sprintf("600 of 2000 by name, recent %v", tc.recent), func(t *testing.T) {
			srv, _, setClock := wordsApp(t, 2000)
			if !tc.recent {
				setClock(readTime)
			}
			db := openDB(t, srv.DSN()+fmt.Sprintf("?pageSize=%d", page))
			countRows(t, db, "SELECT name FROM WORDS LIMIT 1")
			srv.ResetStats()
			if got := countRows(t, db, "SELECT $id, name FROM WORDS ORDER BY name LIMIT 600"); got != 600 {
				t.Fatalf("%d rows, want 600", got)
			}
			if st := srv.Stats(); st.Count("GET", "records") != int64(tc.requests) {
				t.Fatalf("%d GET records, want %d", st.Count("GET", "records"), tc.requests)
			}
		})
	}
}

// When the change check's request fails, the read fails after its last row
// with an error that says what that request was for, and wraps Kintone's.
func TestOrderedReadWhoseChangeCheckFailsSaysSo(t *testing.T) {
	srv, _, setClock := wordsApp(t, 1000)
	setClock(readTime)
	db := openDB(t, srv.DSN()+"?pageSize=100")
	countRows(t, db, "SELECT name FROM WORDS LIMIT 1")
	// Ten pages, then the check.
	srv.InjectFault(kintonetest.Fault{Method: "GET", Resource: "records", Nth: 11, Status: 400, Code: "GAIA_IQ11", Message: "no view permission"})
	got, err := readWords(db, "SELECT $id, name, Updated_datetime FROM WORDS ORDER BY name")
	var ae *kintone.APIError
	if len(got) != 1000 || !errors.As(err, &ae) || ae.Code != "GAIA_IQ11" ||
		!strings.Contains(err.Error(), "kintone: after the last row, asking for the records changed during the read (to be sure none was missed; the rows returned were right): ") ||
		strings.Count(err.Error(), "kintone:") != 1 {
		t.Fatalf("%d rows, error %v; want 1000 rows and the failed check explained", len(got), err)
	}
}
