package kintone_test

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest"
)

// cycle returns a pick function that cycles through vs.
func cycle(vs ...string) func(int) string {
	return func(i int) string { return vs[i%len(vs)] }
}

// ORDER BY a drop-down or a radio button with a LIMIT reads one option at
// a time, in SQL's order of the option texts (not the form's), and stops
// once it has the rows: a few requests where the sort in Go read every
// record (30 pages of 100 here). The requests: the page of every record
// by $id tried first (full here: there may be more), the first option's
// read, the read of values no option has, the read of empty drop-downs
// when they come first, two counts for a radio button, and one read per
// further option the LIMIT reaches.
func TestOptionOrderReadsAnOptionAtATime(t *testing.T) {
	srv := newEmulator(t)
	optionsApp(t, srv, 3000, cycle("medium", "high", "low", "urgent"), cycle("z", "b", "m"))
	db := openDB(t, srv.DSN()+"?pageSize=100")
	countRows(t, db, "SELECT $id FROM OPTS LIMIT 1")
	for _, tc := range []struct {
		sql  string
		gets int64
	}{
		{"SELECT $id, pri FROM OPTS ORDER BY pri LIMIT 2", 4},
		{"SELECT $id, pri FROM OPTS ORDER BY pri DESC LIMIT 2", 3},
		{"SELECT $id, pri FROM OPTS ORDER BY pri NULLS LAST LIMIT 2", 3},
		{"SELECT $id, pri, num FROM OPTS ORDER BY pri, num DESC LIMIT 2", 4},
		// urgent's 750 records in 8 offset pages and their change check,
		// then the first page of low.
		{"SELECT $id, pri FROM OPTS ORDER BY pri DESC LIMIT 800", 1 + 1 + 8 + 1 + 1},
		{"SELECT $id, pri FROM OPTS WHERE pri IN ('low', 'medium') ORDER BY pri DESC LIMIT 2", 2},
		{"SELECT $id, pri FROM OPTS WHERE pri <> 'high' ORDER BY pri LIMIT 2", 3},
		{"SELECT $id, mark FROM OPTS ORDER BY mark LIMIT 2", 5},
		{"SELECT $id, mark FROM OPTS WHERE mark IN ('m', 'z') ORDER BY mark LIMIT 2", 2},
	} {
		want := firstRows(t, db, tc.sql)
		var got []string
		reqs := recordRequests(srv, func() { got = rowStrings(t, db, tc.sql) })
		if !slices.Equal(got, want) {
			t.Errorf("%s:\n got %v\nwant %v (the sort in Go)", tc.sql, got, want)
		}
		if reqs["GET records"] != tc.gets || len(reqs) != 1 {
			t.Errorf("%s: requests %v, want %d GET records", tc.sql, reqs, tc.gets)
		}
	}
}

// limitClause is the LIMIT (and OFFSET) at the end of a statement.
var limitClause = regexp.MustCompile(`\s+LIMIT (\d+)(?: OFFSET (\d+))?$`)

// firstRows is the answer of query, a SELECT ... LIMIT n [OFFSET m], as
// the plan without reads per option gives it: the statement without its
// LIMIT sorts every record in Go, and the rows are cut here.
func firstRows(t *testing.T, db *sql.DB, query string) []string {
	t.Helper()
	m := limitClause.FindStringSubmatch(query)
	if m == nil {
		t.Fatalf("%s: no LIMIT", query)
	}
	all := rowStrings(t, db, strings.TrimSuffix(query, m[0]))
	limit, _ := strconv.Atoi(m[1])
	offset := 0
	if m[2] != "" {
		offset, _ = strconv.Atoi(m[2])
	}
	all = all[min(offset, len(all)):]
	return all[:min(limit, len(all))]
}

// optionOrderStatements are ORDER BY an option field over optionsApp's
// records, each complete (ties broken by $id or a unique title), to be
// run with a LIMIT.
var optionOrderStatements = []string{
	"SELECT $id, pri FROM OPTS ORDER BY pri, $id",
	"SELECT $id, pri FROM OPTS ORDER BY pri DESC, $id",
	"SELECT $id, pri FROM OPTS ORDER BY pri NULLS LAST, $id DESC",
	"SELECT $id, pri FROM OPTS ORDER BY pri DESC NULLS FIRST, $id",
	"SELECT $id, pri, num FROM OPTS ORDER BY pri, num DESC, $id",
	"SELECT $id, pri, num FROM OPTS ORDER BY pri DESC, num NULLS LAST, $id",
	"SELECT $id, pri, mark FROM OPTS ORDER BY pri DESC, mark, $id",
	"SELECT title, pri FROM OPTS ORDER BY pri, title",
	"SELECT pri FROM OPTS ORDER BY pri",
	"SELECT $id, mark FROM OPTS ORDER BY mark, $id",
	"SELECT $id, mark, num FROM OPTS ORDER BY mark DESC, num, $id",
	"SELECT $id, mark FROM OPTS ORDER BY mark NULLS LAST, $id",
	"SELECT $id, pri FROM OPTS WHERE pri IN ('low', 'high') ORDER BY pri DESC, $id",
	"SELECT $id, pri FROM OPTS WHERE pri <> 'low' ORDER BY pri, $id",
	"SELECT $id, pri FROM OPTS WHERE pri NOT IN ('low', 'urgent') ORDER BY pri DESC, $id",
	"SELECT $id, pri, num FROM OPTS WHERE pri IS NULL ORDER BY pri, num, $id",
	"SELECT $id, pri FROM OPTS WHERE pri IS NOT NULL ORDER BY pri DESC, $id",
	"SELECT $id, pri FROM OPTS WHERE pri = 'high' OR pri IS NULL ORDER BY pri DESC, $id",
	"SELECT $id, mark FROM OPTS WHERE mark <> 'z' ORDER BY mark, $id",
	"SELECT $id, mark FROM OPTS WHERE mark IN ('b', 'm') ORDER BY mark DESC, $id",
	"SELECT $id, pri, num FROM OPTS WHERE num > 2 ORDER BY pri, $id",
	"SELECT $id, pri, title FROM OPTS WHERE title LIKE '%1%' ORDER BY pri DESC, $id",
}

// ORDER BY an option field read an option at a time gives the rows the
// sort in Go gives: options whose text order is not their form order,
// empty values (NULLs first ascending, last descending, or where NULLS
// FIRST or LAST puts them), values of options removed from the form
// since, empty radio buttons, further keys Kintone sorts or Go sorts
// within an option, conditions on the field and on others, OFFSET, one
// page per option or several.
func TestOptionOrderMatchesTheSortInGo(t *testing.T) {
	srv := newEmulator(t)
	app := optionsApp(t, srv, 240, cycle("", "medium", "high", "low", "urgent", "old"), cycle("", "z", "b", "m", "gone"))
	removeLastOptions(t, srv, app)
	for _, dsnOpts := range []string{"", "?pageSize=7"} {
		db := openDB(t, srv.DSN()+dsnOpts)
		for _, base := range optionOrderStatements {
			if plan := strings.Join(rowStrings(t, db, "EXPLAIN "+base+" LIMIT 3"), "\n"); !regexp.MustCompile(`\): (pri|mark) in \("`).MatchString(plan) {
				t.Errorf("%s LIMIT 3 reads no option at a time:\n%s", base, plan)
			}
			for _, tail := range []string{" LIMIT 1", " LIMIT 7", " LIMIT 7 OFFSET 5", " LIMIT 45 OFFSET 30", " LIMIT 1000"} {
				sql := base + tail
				if got, want := rowStrings(t, db, sql), firstRows(t, db, sql); !slices.Equal(got, want) {
					t.Errorf("%s%s:\n got %v\nwant %v", sql, dsnOpts, got, want)
				}
			}
		}
	}
}

// Kintone does not document whether a radio button without a value passes
// not in. Behind a proxy that leaves such records out of the answers to
// "mark not in (...)", the counts show records missing, and the plan
// reads every record instead: the rows are still the sort in Go's. (With
// pages of 50, so that the 120 records are not read in one page first.)
func TestOptionOrderCountsEmptyRadioButtonsNotIn(t *testing.T) {
	srv := newEmulator(t)
	app := optionsApp(t, srv, 120, cycle("high"), cycle("", "z", "b", "m", "gone"))
	removeLastOptions(t, srv, app)
	db := openDB(t, withoutEmptyInNotIn(t, srv, "mark")+"?pageSize=50")
	for _, sql := range []string{
		"SELECT $id, mark FROM OPTS ORDER BY mark, $id LIMIT 30",
		"SELECT $id, mark FROM OPTS ORDER BY mark DESC, $id LIMIT 30 OFFSET 80",
	} {
		want := firstRows(t, db, sql)
		var got []string
		reqs := recordRequests(srv, func() { got = rowStrings(t, db, sql) })
		if !slices.Equal(got, want) {
			t.Errorf("%s:\n got %v\nwant %v", sql, got, want)
		}
		// The read of no option, two counts, the read of every record,
		// and the reads of the options reached.
		if reqs["GET records"] < 5 {
			t.Errorf("%s: requests %v, want the read of every record too", sql, reqs)
		}
	}
}

// withoutEmptyInNotIn puts a proxy in front of the emulator that leaves
// the records whose code is empty out of the answers to a query with
// "code not in", as a Kintone whose not in fails empty values would; it
// returns the DSN through it.
func withoutEmptyInNotIn(t *testing.T, srv *kintonetest.Server, code string) string {
	t.Helper()
	u, err := url.Parse(srv.DSN())
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: u.Scheme, Host: u.Host})
	rp.ModifyResponse = func(resp *http.Response) error {
		if !strings.HasSuffix(resp.Request.URL.Path, "/records.json") || resp.StatusCode != http.StatusOK ||
			!strings.Contains(resp.Request.URL.Query().Get("query"), code+" not in") {
			return nil
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		var page struct {
			Raw        []map[string]json.RawMessage `json:"records"`
			TotalCount *string                      `json:"totalCount"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			return err
		}
		var kept []map[string]json.RawMessage
		for _, rec := range page.Raw {
			var f struct{ Value any }
			if err := json.Unmarshal(rec[code], &f); err != nil {
				return err
			}
			if f.Value != nil && f.Value != "" {
				kept = append(kept, rec)
			}
		}
		if page.TotalCount != nil {
			n, _ := strconv.Atoi(*page.TotalCount)
			s := strconv.Itoa(n - (len(page.Raw) - len(kept)))
			page.TotalCount = &s
		}
		if kept == nil {
			kept = []map[string]json.RawMessage{}
		}
		page.Raw = kept
		if body, err = json.Marshal(page); err != nil {
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

// EXPLAIN shows a read in option order as a row per Kintone read, in the
// order the plan lists them (the read of every record tried first, the
// plan when they are few, then the reads per option), and the tree that
// picks one and concatenates and merges the others.
func TestExplainShowsAReadPerOption(t *testing.T) {
	srv := newEmulator(t)
	optionsApp(t, srv, 10, cycle("low"), cycle("z"))
	db := openDB(t, srv.DSN())
	rows, err := db.Query("EXPLAIN SELECT title FROM OPTS WHERE num > 1 ORDER BY pri DESC, num LIMIT 2")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var strategies, queries []string
	var tree string
	for rows.Next() {
		var strategy, query string
		var app, pageSize, maxRecords sql.NullInt64
		var fields, goSteps, plan sql.NullString
		if err := rows.Scan(&strategy, &app, &query, &fields, &pageSize, &maxRecords, &goSteps, &plan); err != nil {
			t.Fatal(err)
		}
		strategies, queries = append(strategies, strategy), append(queries, query)
		if plan.Valid {
			tree = plan.String
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	wantQueries := []string{
		`num > 1 order by $id asc limit 500`,
		`num > 1 and pri in ("urgent") order by num asc, $id asc limit 2`,
		`num > 1 and pri in ("old") order by num asc, $id asc limit 2`,
		`num > 1 and pri in ("medium") order by num asc, $id asc limit 2`,
		`num > 1 and pri in ("low") order by num asc, $id asc limit 2`,
		`num > 1 and pri in ("high") order by num asc, $id asc limit 2`,
		`num > 1 and pri in ("") order by num asc, $id asc limit 2`,
		`num > 1 and pri not in ("", "high", "low", "medium", "old", "urgent") order by $id asc`,
	}
	if !slices.Equal(queries, wantQueries) || strategies[0] != "single" || strategies[1] != "single" || strategies[7] != "seek" {
		t.Errorf("EXPLAIN rows: strategies %v, queries\n%s\nwant\n%s", strategies, strings.Join(queries, "\n"), strings.Join(wantQueries, "\n"))
	}
	wantTree := strings.Join([]string{
		"limit 2",
		"└─ project title",
		"   └─ check Kintone's order (nullable sort keys)",
		"      └─ the first input's rows if its read returns fewer than 500 records (all that match, in one request), else the second input's",
		"         ├─ sort by pri DESC, num keeping the first 2 (holds 2 rows)",
		"         │  └─ kintone read of app 1 (single): every record matched, if fewer than 500",
		"         └─ merge 2 inputs ordered by pri DESC",
		"            ├─ the rows of 6 inputs in turn, each read when the one before ends (a read per value of pri, in SQL's order)",
		`            │  ├─ kintone read of app 1 (single): pri in ("urgent")`,
		`            │  ├─ kintone read of app 1 (single): pri in ("old")`,
		`            │  ├─ kintone read of app 1 (single): pri in ("medium")`,
		`            │  ├─ kintone read of app 1 (single): pri in ("low")`,
		`            │  ├─ kintone read of app 1 (single): pri in ("high")`,
		`            │  └─ kintone read of app 1 (single): pri in ("")`,
		"            └─ sort by pri DESC, num keeping the first 2 (holds 2 rows)",
		`               └─ kintone read of app 1 (seek): pri not in ("", "high", "low", "medium", "old", "urgent")`,
	}, "\n")
	if tree != wantTree {
		t.Errorf("plan:\n%s\nwant\n%s", tree, wantTree)
	}
}
