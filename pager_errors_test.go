package kintone_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/kintonetest"
)

// refuseChangeCheck puts a proxy in front of srv that answers the change
// check's requests (records.json asking for the update time since a
// minute) with Kintone's 400 GAIA_IQ11, and forwards the rest; it returns
// the DSN through it.
func refuseChangeCheck(t *testing.T, srv *kintonetest.Server) string {
	t.Helper()
	u, err := url.Parse(srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: u.Scheme, Host: u.Host})
	ps := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/records.json") && strings.Contains(r.URL.Query().Get("query"), "Updated_datetime >= ") {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"code":"GAIA_IQ11","id":"check-refused","message":"no view permission"}`))
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(ps.Close)
	pu, err := url.Parse(ps.URL)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = pu.Host
	return u.String()
}

// A read whose LIMIT is applied in Go stops before its records end and
// runs the change check of the rows it took then (pager.finish): when
// that request fails, the rows end with an error that says what the
// request was for and wraps Kintone's, after the 300 rows, which were
// right.
func TestGoLimitReadWhoseChangeCheckFailsSaysSo(t *testing.T) {
	srv, _, setClock := wordsApp(t, 1000)
	setClock(readTime)
	db := openDB(t, refuseChangeCheck(t, srv)+"?pageSize=100")
	countRows(t, db, "SELECT name FROM WORDS LIMIT 1")
	// LIKE is evaluated in Go: the read stops at row 300.
	got, err := readWords(db, "SELECT $id, name, Updated_datetime FROM WORDS WHERE name LIKE 'n%' ORDER BY name LIMIT 300")
	var ae *kintone.APIError
	if len(got) != 300 || !errors.As(err, &ae) || ae.Code != "GAIA_IQ11" ||
		!strings.Contains(err.Error(), "kintone: after the last row, asking for the records changed during the read (to be sure none was missed; the rows returned were right): ") ||
		strings.Count(err.Error(), "kintone:") != 1 {
		t.Fatalf("%d rows, error %v; want 300 rows and the failed check explained", len(got), err)
	}
}

// A read sorted in Go because no cursor is free reads every $id page
// before its first row: a page that fails ends the read with Kintone's
// error, no row, and no cursor created.
func TestSortedReadWithoutACursorFailsWithThePagesError(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 1000)
	db := openDB(t, srv.DSN()+"?pageSize=100&useCursor=always&maxCursors=1")
	countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1")
	holdCursor(t, db)
	srv.ResetStats()
	srv.InjectFault(kintonetest.Fault{Method: "GET", Resource: "records", Nth: 2, Status: 400, Code: "GAIA_IQ11", Message: "no view permission"})
	n, err := readCount(t.Context(), db, "SELECT num FROM NUMBERS ORDER BY label")
	var ae *kintone.APIError
	if n != 0 || !errors.As(err, &ae) || ae.Code != "GAIA_IQ11" {
		t.Fatalf("%d rows, error %v; want none and Kintone's GAIA_IQ11", n, err)
	}
	st := srv.Stats()
	if st.Count("GET", "records") != 2 || st.Count("POST", "records/cursor") != 0 {
		t.Fatalf("%d $id pages, %d cursors created; want 2 and none", st.Count("GET", "records"), st.Count("POST", "records/cursor"))
	}
}
