package kintone_test

// Tests of SELECT at the API's edges: LIMIT and OFFSET around one page
// (500 records) and the largest offset (10,000), an app of more than
// 10,000 records, and the errors of statements the driver does not run.

import (
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kintone-sql/kintone/kintonetest"
	"github.com/kintone-sql/kintone/translate"
)

// edgeRecords is the size of the big app: more than the largest offset,
// and not a multiple of a page.
const edgeRecords = 10501

// numSeq returns the numbers from..to (inclusive), counting down when from > to.
func numSeq(from, to int) []int {
	var out []int
	if from <= to {
		for i := from; i <= to; i++ {
			out = append(out, i)
		}
		return out
	}
	for i := from; i >= to; i-- {
		out = append(out, i)
	}
	return out
}

// readNums reads a query whose first column is an integer.
func readNums(t *testing.T, db *sql.DB, query string, args ...any) []int {
	t.Helper()
	rows, err := db.Query(query, args...)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
		out = append(out, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return out
}

// cursorReqs is the request count of a cursor read: one POST, gets GETs,
// and a DELETE when the read stopped before Kintone's last page.
func cursorReqs(gets int64, deleted bool) map[string]int64 {
	m := map[string]int64{"POST records/cursor": 1, "GET records/cursor": gets}
	if deleted {
		m["DELETE records/cursor"] = 1
	}
	return m
}

// getReqs is the request count of n GETs of records.json.
func getReqs(n int64) map[string]int64 { return map[string]int64{"GET records": n} }

// withGets adds n GETs of records.json to a request count.
func withGets(m map[string]int64, n int64) map[string]int64 {
	m["GET records"] += n
	return m
}

// edgeCase is a query on NUMBERS (num = 0..n-1, in $id order), the nums
// it returns (nil: check only the count) and the record requests it makes
// (nil: not checked).
type edgeCase struct {
	query string
	want  []int
	count int // the number of rows when want is nil (no ORDER BY)
	reqs  map[string]int64
}

func (c edgeCase) run(t *testing.T, srv *kintonetest.Server, db *sql.DB) {
	t.Helper()
	var got []int
	reqs := recordRequests(srv, func() { got = readNums(t, db, c.query) })
	switch {
	case c.want != nil && !slices.Equal(got, c.want):
		t.Errorf("%s: %d rows %s, want %d rows %s", c.query, len(got), showEnds(got), len(c.want), showEnds(c.want))
	case c.want == nil && len(got) != c.count:
		t.Errorf("%s: %d rows, want %d", c.query, len(got), c.count)
	}
	if c.reqs != nil && !equalCounts(reqs, c.reqs) {
		t.Errorf("%s: requests %v, want %v", c.query, reqs, c.reqs)
	}
	if n := srv.OpenCursors(); n != 0 {
		t.Errorf("%s: %d cursors left open", c.query, n)
	}
}

// showEnds shows the first and last values of a long list.
func showEnds(l []int) string {
	if len(l) <= 6 {
		return fmt.Sprint(l)
	}
	return fmt.Sprintf("[%d %d %d ... %d %d %d]", l[0], l[1], l[2], l[len(l)-3], l[len(l)-2], l[len(l)-1])
}

// TestEdgeLimitOffset checks rows and request counts of LIMIT and OFFSET
// at the edges of one GET (limit 500, offset + limit 10,000) on an app of
// 10,501 records, under each cursor setting.
func TestEdgeLimitOffset(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, edgeRecords)
	// Records written long before the reads, as usual: a read with a
	// LIMIT over records written in the same minute would also read the
	// $ids of the others for its change check (TestOrderedReadRequestCounts).
	ageRecords(srv)
	last := edgeRecords - 1

	t.Run("auto", func(t *testing.T) {
		db := openDB(t, srv.DSN())
		countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1") // warm the schema cache
		for _, c := range []edgeCase{
			// One GET as long as limit <= 500 and offset + limit <= 10,000.
			{query: "SELECT num FROM NUMBERS ORDER BY num LIMIT 500", want: numSeq(0, 499), reqs: getReqs(1)},
			{query: "SELECT num FROM NUMBERS ORDER BY num DESC LIMIT 500", want: numSeq(last, last-499), reqs: getReqs(1)},
			{query: "SELECT num FROM NUMBERS ORDER BY num LIMIT 500 OFFSET 9500", want: numSeq(9500, 9999), reqs: getReqs(1)},
			{query: "SELECT num FROM NUMBERS ORDER BY num LIMIT 1 OFFSET 9999", want: []int{9999}, reqs: getReqs(1)},
			{query: "SELECT num FROM NUMBERS ORDER BY num DESC LIMIT 10 OFFSET 9990", want: numSeq(last-9990, last-9999), reqs: getReqs(1)},
			{query: "SELECT num FROM NUMBERS WHERE num >= 500 LIMIT 500", count: 500, reqs: getReqs(1)},
			{query: "SELECT num FROM NUMBERS LIMIT 500 OFFSET 9500", count: 500, reqs: getReqs(1)},
			// One record past a page: two pages.
			{query: "SELECT num FROM NUMBERS ORDER BY $id LIMIT 501", want: numSeq(0, 500), reqs: getReqs(2)},
			{query: "SELECT num FROM NUMBERS LIMIT 501", count: 501, reqs: getReqs(2)},
			// Another order: offset pages, each after the first
			// overlapping the one before by a record, and the change
			// check.
			{query: "SELECT num FROM NUMBERS ORDER BY num LIMIT 501", want: numSeq(0, 500), reqs: getReqs(3)},
			// One record past the largest offset: paged from the start.
			{query: "SELECT num FROM NUMBERS ORDER BY num LIMIT 1 OFFSET 10000", want: []int{10000}, reqs: cursorReqs(21, true)},
			{query: "SELECT num FROM NUMBERS ORDER BY $id LIMIT 1 OFFSET 10000", want: []int{10000}, reqs: getReqs(21)},
			{query: "SELECT num FROM NUMBERS ORDER BY $id DESC LIMIT 3 OFFSET 10000", want: numSeq(last-10000, last-10002), reqs: getReqs(21)},
			{query: "SELECT num FROM NUMBERS LIMIT 500 OFFSET 9501", count: 500, reqs: getReqs(21)},
			{query: "SELECT num FROM NUMBERS ORDER BY num DESC LIMIT 5 OFFSET 10000", want: numSeq(last-10000, last-10004), reqs: cursorReqs(21, true)},
			{query: "SELECT num FROM NUMBERS ORDER BY num LIMIT 10000", want: numSeq(0, 9999), reqs: getReqs(22)},
			{query: "SELECT num FROM NUMBERS ORDER BY num LIMIT 10 OFFSET 10495", want: numSeq(10495, last), reqs: cursorReqs(22, false)},
			{query: "SELECT num FROM NUMBERS ORDER BY num DESC LIMIT 500 OFFSET 10001", want: numSeq(last-10001, 0), reqs: cursorReqs(22, false)},
			{query: "SELECT num FROM NUMBERS ORDER BY num LIMIT 5 OFFSET 20000", want: nil, count: 0, reqs: cursorReqs(22, false)},
		} {
			c.run(t, srv, db)
		}
	})

	t.Run("never", func(t *testing.T) {
		db := openDB(t, srv.DSN()+"?useCursor=never")
		countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1")
		for _, c := range []edgeCase{
			{query: "SELECT num FROM NUMBERS ORDER BY num LIMIT 500 OFFSET 9500", want: numSeq(9500, 9999), reqs: getReqs(1)},
			// Offset paging (and the change check) while it ends within
			// 10,000 records.
			{query: "SELECT num FROM NUMBERS ORDER BY num LIMIT 600 OFFSET 9400", want: numSeq(9400, 9999), reqs: getReqs(3)},
			{query: "SELECT num FROM NUMBERS ORDER BY num DESC LIMIT 1000", want: numSeq(last, last-999), reqs: getReqs(4)},
			// Past it: every record by $id, sorted in Go.
			{query: "SELECT num FROM NUMBERS ORDER BY num LIMIT 10 OFFSET 10000", want: numSeq(10000, 10009), reqs: getReqs(22)},
			{query: "SELECT num FROM NUMBERS ORDER BY num DESC", want: numSeq(last, 0), reqs: getReqs(22)},
		} {
			c.run(t, srv, db)
		}
	})

	t.Run("always", func(t *testing.T) {
		db := openDB(t, srv.DSN()+"?useCursor=always")
		countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1")
		for _, c := range []edgeCase{
			{query: "SELECT num FROM NUMBERS ORDER BY num LIMIT 500 OFFSET 9500", want: numSeq(9500, 9999), reqs: getReqs(1)},
			{query: "SELECT num FROM NUMBERS ORDER BY $id LIMIT 1 OFFSET 10000", want: []int{10000}, reqs: cursorReqs(21, true)},
			{query: "SELECT COUNT(*) FROM NUMBERS", want: []int{edgeRecords}, reqs: getReqs(1)},
		} {
			c.run(t, srv, db)
		}
	})
}

// TestEdgeBigApp reads an app of more than 10,000 records entirely: in
// $id order, sorted by a number and by a text field, counted, grouped,
// filtered in Go.
func TestEdgeBigApp(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, edgeRecords)
	db := openDB(t, srv.DSN())
	last := edgeRecords - 1
	countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1")

	labels := make([]string, edgeRecords)
	for i := range labels {
		labels[i] = "row " + strconv.Itoa(i)
	}
	slices.Sort(labels) // byte order: "row 10" before "row 2"
	byLabel := make([]int, len(labels))
	for i, l := range labels {
		byLabel[i], _ = strconv.Atoi(strings.TrimPrefix(l, "row "))
	}
	ones := 0
	for i := range edgeRecords {
		if strings.HasPrefix(strconv.Itoa(i), "1") {
			ones++
		}
	}
	for _, c := range []edgeCase{
		{query: "SELECT num FROM NUMBERS", count: edgeRecords, reqs: getReqs(22)},
		{query: "SELECT num FROM NUMBERS ORDER BY $id", want: numSeq(0, last), reqs: getReqs(22)},
		{query: "SELECT num FROM NUMBERS ORDER BY $id DESC", want: numSeq(last, 0), reqs: getReqs(22)},
		// Another order: the first offset page's total shows that the
		// read passes offset 10,000. By a number, it goes on by offsets
		// counted from the last record read (internal/scan's rebase.go):
		// the pages, one more where the offsets start again, the change
		// check. By text, a cursor reads it.
		{query: "SELECT num FROM NUMBERS ORDER BY num DESC", want: numSeq(last, 0), reqs: getReqs(24)},
		{query: "SELECT num FROM NUMBERS ORDER BY label, $id", want: byLabel, reqs: withGets(cursorReqs(22, false), 1)},
		{query: "SELECT num FROM NUMBERS ORDER BY label DESC LIMIT 7 OFFSET 10000", want: reversedInts(byLabel)[10000:10007], reqs: cursorReqs(21, true)},
		{query: "SELECT COUNT(*) FROM NUMBERS", want: []int{edgeRecords}, reqs: getReqs(1)},
		{query: "SELECT COUNT(*) FROM NUMBERS WHERE num >= 10000", want: []int{edgeRecords - 10000}, reqs: getReqs(1)},
		{query: "SELECT COUNT(*) FROM NUMBERS WHERE label LIKE 'row 1%'", want: []int{ones}, reqs: getReqs(22)},
		// LIMIT applied in Go: the read stops when the rows are complete,
		// so how far the prefetch got is a matter of timing.
		{query: "SELECT num FROM NUMBERS WHERE label LIKE '%0' ORDER BY num DESC LIMIT 3 OFFSET 1000", want: []int{500, 490, 480}},
	} {
		c.run(t, srv, db)
	}

	// Aggregates over every record, one pass.
	var n, sum, lo, hi int64
	if err := db.QueryRow("SELECT COUNT(*), SUM(num), MIN(num), MAX(num) FROM NUMBERS").Scan(&n, &sum, &lo, &hi); err != nil {
		t.Fatal(err)
	}
	if want := int64(last) * int64(edgeRecords) / 2; n != edgeRecords || sum != want || lo != 0 || hi != int64(last) {
		t.Errorf("COUNT, SUM, MIN, MAX = %d, %d, %d, %d; want %d, %d, 0, %d", n, sum, lo, hi, edgeRecords, want, last)
	}
	rows, err := db.Query("SELECT MOD(num, 7) AS m, COUNT(*), SUM(num) FROM NUMBERS GROUP BY m ORDER BY m")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := int64(0)
	for ; rows.Next(); m++ {
		var k, cnt, s int64
		if err := rows.Scan(&k, &cnt, &s); err != nil {
			t.Fatal(err)
		}
		var wantCnt, wantSum int64
		for i := m; i < edgeRecords; i += 7 {
			wantCnt++
			wantSum += i
		}
		if k != m || cnt != wantCnt || s != wantSum {
			t.Errorf("group %d: (%d, %d, %d), want (%d, %d, %d)", m, k, cnt, s, m, wantCnt, wantSum)
		}
	}
	if err := rows.Err(); err != nil || m != 7 {
		t.Fatalf("%d groups, %v", m, err)
	}
}

// reversedInts returns l in reverse order.
func reversedInts(l []int) []int {
	out := slices.Clone(l)
	slices.Reverse(out)
	return out
}

// TestEdgeOnePageMultiples checks the paged plans where the rows fill
// their pages exactly: the seek read's first page carries the total, so
// no empty page is needed to prove the end; an offset read's pages say
// it too.
func TestEdgeOnePageMultiples(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 1000)
	db := openDB(t, srv.DSN())
	countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1")
	for _, c := range []edgeCase{
		{query: "SELECT num FROM NUMBERS ORDER BY $id", want: numSeq(0, 999), reqs: getReqs(2)},
		{query: "SELECT num FROM NUMBERS WHERE num < 500", count: 500, reqs: getReqs(1)},
		{query: "SELECT num FROM NUMBERS WHERE num < 499", count: 499, reqs: getReqs(1)},
		{query: "SELECT num FROM NUMBERS LIMIT 1000", count: 1000, reqs: getReqs(2)},
		// Offset pages overlap by a record: 500, 499 + 1, 1 + 1; then
		// the change check.
		{query: "SELECT num FROM NUMBERS ORDER BY num", want: numSeq(0, 999), reqs: getReqs(4)},
		{query: "SELECT num FROM NUMBERS ORDER BY num LIMIT 500 OFFSET 500", want: numSeq(500, 999), reqs: getReqs(1)},
		{query: "SELECT num FROM NUMBERS ORDER BY num LIMIT 500 OFFSET 1000", want: nil, count: 0, reqs: getReqs(1)},
	} {
		c.run(t, srv, db)
	}
}

// lineCol returns the 1-based line and column (in characters) of the
// nth occurrence (1-based) of sub in s.
func lineCol(s, sub string, nth int) (line, col int) {
	off := -1
	for range nth {
		i := strings.Index(s[off+1:], sub)
		if i < 0 {
			panic(fmt.Sprintf("%q not in %q", sub, s))
		}
		off += 1 + i
	}
	before := s[:off]
	line = strings.Count(before, "\n") + 1
	col = utf8.RuneCountInString(before[strings.LastIndex(before, "\n")+1:]) + 1
	return line, col
}

// TestEdgeUnsupported checks that every construct the driver does not run
// fails before any record is read, with an *UnsupportedError naming the
// construct and where it stands.
func TestEdgeUnsupported(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 10)
	db := openDB(t, srv.DSN())
	countRows(t, db, "SELECT num FROM NUMBERS LIMIT 1")
	for _, c := range []struct {
		query     string
		construct string // a part of Construct
		at        string // the text the position points at
		nth       int
	}{
		{"WITH RECURSIVE s AS (SELECT 1) SELECT * FROM s", "WITH RECURSIVE", "WITH", 1},
		{"SELECT num, SUM(num) OVER (PARTITION BY label ROWS 2 PRECEDING) FROM NUMBERS", "window frame", "ROWS", 1},
		{"SELECT `label`, BIT_AND(num) FROM NUMBERS GROUP BY `label`", "BIT_AND", "BIT_AND", 1},
		{"SELECT num FROM NUMBERS FOR UPDATE", "FOR UPDATE", "FOR", 1},
		{"SELECT num FROM NUMBERS WHERE label REGEXP '^row'", "REGEXP", "REGEXP", 1},
	} {
		reqs := recordRequests(srv, func() {
			rows, err := db.Query(c.query)
			if err == nil {
				rows.Close()
				t.Errorf("%s: no error", c.query)
				return
			}
			var ue *translate.UnsupportedError
			if !errors.As(err, &ue) || !errors.Is(err, translate.ErrUnsupported) {
				t.Errorf("%s: %T %v, want a *translate.UnsupportedError", c.query, err, err)
				return
			}
			if !strings.Contains(ue.Construct, c.construct) {
				t.Errorf("%s: construct %q, want it to name %q", c.query, ue.Construct, c.construct)
			}
			line, col := lineCol(c.query, c.at, c.nth)
			if ue.Pos.Line != line || ue.Pos.Column != col {
				t.Errorf("%s: position %s, want line %d, column %d", c.query, ue.Pos, line, col)
			}
			if msg := err.Error(); !strings.Contains(msg, ue.Construct) || !strings.Contains(msg, ue.Pos.String()) {
				t.Errorf("%s: message %q does not name the construct and its position", c.query, msg)
			}
		})
		if len(reqs) != 0 {
			t.Errorf("%s: requests %v before failing", c.query, reqs)
		}
	}
}

// TestEdgeUnknownNames checks unknown tables and columns and other
// statements that parse but do not fit the app.
func TestEdgeUnknownNames(t *testing.T) {
	srv := newEmulator(t)
	app := numbersApp(t, srv, 10)
	db := openDB(t, srv.DSN())

	for _, c := range []struct {
		query, name, at string
	}{
		{"SELECT * FROM NOPE", "NOPE", "NOPE"},
		{"SELECT num FROM\n  `no such app`", "no such app", "`no such app`"},
		{"SELECT item FROM NUMBERS.nope", "NUMBERS.nope", "NUMBERS.nope"},
		{"SELECT item FROM NUMBERS.label", "NUMBERS.label", "NUMBERS.label"}, // a field, but not a subtable
		{fmt.Sprintf("SELECT * FROM `%d`", app+1000), strconv.FormatInt(app+1000, 10), "`"},
		{"SELECT 表 FROM 存在しない表", "存在しない表", "存在しない表"},
	} {
		_, err := db.Query(c.query)
		var ue *translate.UnknownTableError
		if !errors.As(err, &ue) || !errors.Is(err, translate.ErrUnknownTable) {
			t.Errorf("%s: %T %v, want a *translate.UnknownTableError", c.query, err, err)
			continue
		}
		line, col := lineCol(c.query, c.at, 1)
		if ue.Name != c.name || ue.Pos.Line != line || ue.Pos.Column != col {
			t.Errorf("%s: table %q at %s, want %q at line %d, column %d", c.query, ue.Name, ue.Pos, c.name, line, col)
		}
		if !strings.Contains(err.Error(), c.name) {
			t.Errorf("%s: message %q does not name the table", c.query, err)
		}
	}

	for _, c := range []struct {
		query, want, at string
	}{
		{"SELECT nope FROM NUMBERS", `unknown column "nope"`, "nope"},
		{"SELECT num FROM NUMBERS\nWHERE num > 1 AND\n      nope = 1", `unknown column "nope"`, "nope"},
		{"SELECT num FROM NUMBERS ORDER BY 番号", `unknown column "番号"`, "番号"},
		{"SELECT num FROM NUMBERS GROUP BY nope", `unknown column "nope"`, "nope"},
		{"SELECT x.num FROM NUMBERS", `unknown table "x"`, "x"},
		{"SELECT num FROM NUMBERS WHERE num = 'abc'", "not a number", "'abc'"},
		{"SELECT label, COUNT(*) FROM NUMBERS", "GROUP BY", "label"},
		{"SELECT num FROM NUMBERS ORDER BY 3", "position 3", "3"},
	} {
		_, err := db.Query(c.query)
		var te *translate.Error
		if !errors.As(err, &te) {
			t.Errorf("%s: %T %v, want a *translate.Error", c.query, err, err)
			continue
		}
		line, col := lineCol(c.query, c.at, 1)
		if !strings.Contains(te.Msg, c.want) || te.Pos.Line != line || te.Pos.Column != col {
			t.Errorf("%s: %q at %s, want %q at line %d, column %d", c.query, te.Msg, te.Pos, c.want, line, col)
		}
	}

	// Columns that exist but cannot be sorted or compared that way.
	srv2 := newEmulator(t)
	_, _ = diffApp(t, srv2)
	db2 := openDB(t, srv2.DSN())
	for _, q := range []string{
		"SELECT $id FROM DIFF ORDER BY tags",
		"SELECT $id FROM DIFF ORDER BY owners",
		"SELECT $id FROM DIFF WHERE tags = 'alpha'",
		"SELECT $id FROM DIFF WHERE owners < 'u1'",
		"SELECT MAX(tags) FROM DIFF",
		"SELECT $id FROM DIFF.lines ORDER BY $revision",
	} {
		_, err := db2.Query(q)
		var te *translate.Error
		if !errors.As(err, &te) || te.Pos.Line != 1 || te.Pos.Column < 8 {
			t.Errorf("%s: %T %v, want a *translate.Error with its position", q, err, err)
		}
	}
}

// TestEdgeSyntaxAndArguments checks syntax errors and argument errors.
func TestEdgeSyntaxAndArguments(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 10)
	db := openDB(t, srv.DSN())
	for _, c := range []struct {
		query, at string
		nth       int
	}{
		{"SELECT num FROM NUMBERS\nWHERE (num > 1", "", 0},
		{"SELECT num FROM NUMBERS ORDER num", "num", 2},
		{"SELECT num, FROM NUMBERS", "FROM", 1},
		{"SELECT num FROM NUMBERS WHERE label = 'unterminated", "'unterminated", 1},
		{"SELECT 番号 FROM NUMBERS\n WHERE 番号 > 1 AND AND 番号 < 3", "AND", 2},
	} {
		_, err := db.Query(c.query)
		var se *translate.SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%s: %T %v, want a *translate.SyntaxError", c.query, err, err)
			continue
		}
		line, col := strings.Count(c.query, "\n")+1, utf8.RuneCountInString(c.query[strings.LastIndex(c.query, "\n")+1:])+1 // the end
		if c.nth > 0 {
			line, col = lineCol(c.query, c.at, c.nth)
		}
		if se.Pos.Line != line || se.Pos.Column != col {
			t.Errorf("%s: syntax error at %s (near %q: %s), want line %d, column %d", c.query, se.Pos, se.Near, se.Msg, line, col)
		}
		if !strings.Contains(err.Error(), se.Pos.String()) {
			t.Errorf("%s: message %q does not give the position", c.query, err)
		}
	}

	for _, c := range []struct {
		query string
		args  []any
		want  string // a part of the message
	}{
		{"SELECT num FROM NUMBERS WHERE num = ?", nil, "1 placeholders but 0 arguments"},
		{"SELECT num FROM NUMBERS WHERE num = ?", []any{1, 2}, "1 placeholders but 2 arguments"},
		{"SELECT num FROM NUMBERS WHERE num = ?", []any{"abc"}, `"abc"`},
		{"SELECT num FROM NUMBERS WHERE num = ?", []any{[]string{"1"}}, "IN (?)"},
		{"SELECT num FROM NUMBERS WHERE num IN (?)", []any{[]string{}}, "empty list"},
	} {
		_, err := db.Query(c.query, c.args...)
		var ae *translate.ArgError
		if !errors.As(err, &ae) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %v: %T %v, want a *translate.ArgError saying %q", c.query, c.args, err, err, c.want)
		}
	}
	// A []string is spliced into an IN list beside other items.
	if got := readNums(t, db, "SELECT num FROM NUMBERS WHERE num IN (?, ?) ORDER BY num", []string{"1", "3"}, 2); !slices.Equal(got, []int{1, 2, 3}) {
		t.Errorf("IN (?, ?) with a []string and an int: %v, want [1 2 3]", got)
	}
	// A prepared statement counts its placeholders exactly.
	st, err := db.Prepare("SELECT num FROM NUMBERS WHERE num > ? AND label != '?' LIMIT ?")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if got := readPrepared(t, st, 5, 2); !slices.Equal(got, []int{6, 7}) {
		t.Errorf("prepared: %v, want [6 7]", got)
	}
	if _, err := st.Query(5); err == nil || !strings.Contains(err.Error(), "2") {
		t.Errorf("prepared with one argument of two: %v", err)
	}
}

// readPrepared reads the integers a prepared statement returns.
func readPrepared(t *testing.T, st *sql.Stmt, args ...any) []int {
	t.Helper()
	rows, err := st.Query(args...)
	return intRows(t, rows, err)
}

func TestEdgeUint64Argument(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 10)
	db := openDB(t, srv.DSN())
	if n := countRows(t, db, "SELECT num FROM NUMBERS WHERE num < ?", uint64(1<<63)); n != 10 {
		t.Errorf("%d rows, want 10", n)
	}
}

func TestEdgeSyntaxErrorAtPunctuation(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 10)
	db := openDB(t, srv.DSN())
	for _, c := range []struct {
		query, at string
		nth       int
	}{
		{"SELECT num FROM NUMBERS WHERE num = = 1", "=", 2},
		{"SELECT num,, label FROM NUMBERS", ",", 2},
		{"SELECT num FROM NUMBERS WHERE num > > 1 AND num < 5", ">", 2},
		{"SELECT 番号 FROM NUMBERS\nWHERE 番号 = (1", "", 0}, // really ends early
	} {
		_, err := db.Query(c.query)
		var se *translate.SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%s: %T %v, want a *translate.SyntaxError", c.query, err, err)
			continue
		}
		line, col := strings.Count(c.query, "\n")+1, len([]rune(c.query[strings.LastIndex(c.query, "\n")+1:]))+1
		if c.nth > 0 {
			line, col = lineCol(c.query, c.at, c.nth)
		}
		if se.Pos.Line != line || se.Pos.Column != col || (c.nth > 0 && strings.Contains(se.Msg, "ends too early")) {
			t.Errorf("%s: %q at %s (near %q), want line %d, column %d", c.query, se.Msg, se.Pos, se.Near, line, col)
		}
	}
}

func TestEdgeArgCountNamesTheArgument(t *testing.T) {
	srv := newEmulator(t)
	numbersApp(t, srv, 10)
	db := openDB(t, srv.DSN())
	for _, c := range []struct {
		args    []any
		ordinal int
	}{
		{nil, 1},         // the first missing
		{[]any{1, 2}, 2}, // the first extra
	} {
		_, err := db.Query("SELECT num FROM NUMBERS WHERE num = ?", c.args...)
		var ae *translate.ArgError
		if !errors.As(err, &ae) || ae.Ordinal != c.ordinal || strings.Contains(err.Error(), "argument 0") {
			t.Errorf("%v: %v, want an *ArgError for argument %d", c.args, err, c.ordinal)
		}
	}
}
