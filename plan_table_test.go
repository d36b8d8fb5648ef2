package kintone_test

import (
	"crypto/sha256"
	"database/sql"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kintone-sql/kintone"
	"github.com/kintone-sql/kintone/dsn"
	"github.com/kintone-sql/kintone/kintonetest"
)

// The plan table is the safety net of the query engine (issue 13): it
// plans a table of statements, and records for each its EXPLAIN output,
// the REST requests that running it sends (counted by method and path at
// the HTTP level), and the rows it returns or writes, in
// testdata/plans.golden. Any change to a plan, to the requests it costs or
// to its answer shows as a diff of that file.
//
//	go test -run TestPlanTable -update   # rewrite testdata/plans.golden
//
// Every row is independent: reads share one emulator that no row writes
// to; each write runs on a fresh copy of the fixture (its EXPLAIN first,
// which writes nothing). Each row's DSN options get a sql.DB of their own
// whose schema cache is filled before counting starts, so a row's counts
// are the statement's own requests: records, cursors, writes, and
// apps.json for a statement that lists the apps (never cached).
//
// The output is stable without normalizing anything time-dependent: the
// emulator's clock is fixed (planClock), so TODAY() and the minute an
// offset read's change check starts from are the same on every run (and
// EXPLAIN's rows print neither), and the fixture sets the created and
// updated times itself. The one value that changes between runs, the
// emulator's port, is replaced where an error message could show it
// (addrPattern). Rows are read one by one after settle (see there), so
// that the requests a read sends ahead are counted the same on every run.

var updatePlanTable = flag.Bool("update", false, "rewrite testdata/plans.golden (TestPlanTable)")

const planGolden = "testdata/plans.golden"

// planClock is the emulator's clock: "now" for TODAY() and friends, for
// the Date header an offset read dates its change check by, and for the
// update time a write stamps.
var planClock = time.Date(2025, 3, 12, 12, 0, 0, 0, time.UTC)

// Fixture sizes: ITEMS takes three pages of the default 500 records;
// BIG passes Kintone's offset limit of 10,000, for the reads that go on
// by cursor (or sort in Go) when the first page's total says so.
const (
	planItems   = 1200
	planArchive = 20
	planBig     = 10200
)

// planCase is a row of the table: a statement, its arguments and the DSN
// options (URL query syntax) it runs with.
type planCase struct {
	opts string
	sql  string
	args []any
}

func planCases() []planCase {
	ids := func(from, n int) []int64 {
		out := make([]int64, n)
		for i := range out {
			out[i] = int64(from + i)
		}
		return out
	}
	var values strings.Builder
	values.WriteString("INSERT INTO ARCHIVE (sku, qty) VALUES ")
	for i := range 150 {
		if i > 0 {
			values.WriteString(", ")
		}
		fmt.Fprintf(&values, "('V-%03d', %d)", i, i)
	}
	return []planCase{
		// Metadata and SELECT without FROM: no record request.
		{sql: "SHOW TABLES"},
		{sql: "SHOW COLUMNS FROM ITEMS"},
		{sql: "SHOW FULL COLUMNS FROM ITEMS"},
		{sql: "DESCRIBE ITEMS"},
		{sql: "DESCRIBE ITEMS.lines"},
		{sql: "SELECT table_name, app_id, table_type FROM information_schema.tables ORDER BY table_name"},
		{sql: "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = 'ITEMS' ORDER BY ordinal_position"},
		{sql: "SELECT 1 + 1 AS two, UPPER('abc'), CONCAT('a', 'b')"},
		{sql: "SELECT ? AS arg, ? + 1", args: []any{"x", 41}},

		// Never true: no request.
		{sql: "SELECT sku FROM ITEMS LIMIT 0"},
		{sql: "SELECT sku FROM ITEMS WHERE 1 = 0"},
		{sql: "SELECT sku FROM ITEMS WHERE qty = NULL"},
		{sql: "SELECT sku FROM ITEMS WHERE qty > 5 AND qty < 3"},
		{sql: "SELECT COUNT(*) FROM ITEMS WHERE sku = NULL"},
		{sql: "SELECT sku FROM ITEMS WHERE qty = NULL ORDER BY stage"},

		// Count by totalCount.
		{sql: "SELECT COUNT(*) FROM ITEMS"},
		{sql: "SELECT COUNT(*) FROM ITEMS WHERE qty >= 500"},
		{sql: "SELECT COUNT($id), COUNT(*) AS n FROM ITEMS WHERE stage IN ('New', 'Open')"},
		{sql: "SELECT COUNT(*) FROM ITEMS WHERE due = TODAY()"},
		{sql: "SELECT COUNT(*) FROM ITEMS HAVING COUNT(*) > 5"},
		{opts: "maxRows=50", sql: "SELECT COUNT(*) FROM ITEMS"},
		{sql: "SELECT COUNT(qty) FROM ITEMS"},
		{sql: "SELECT COUNT(*) FROM ITEMS WHERE name LIKE 'item 1%'"},

		// Single request.
		{sql: "SELECT sku, qty FROM ITEMS LIMIT 10"},
		{sql: "SELECT sku FROM ITEMS ORDER BY sku LIMIT 5 OFFSET 20"},
		{sql: "SELECT sku FROM ITEMS ORDER BY $id DESC LIMIT 3"},
		{sql: "SELECT sku, qty FROM ITEMS WHERE qty >= 100 ORDER BY qty DESC LIMIT 20"},
		{sql: "SELECT * FROM ITEMS LIMIT 2"},
		{sql: "SELECT sku FROM ITEMS ORDER BY name LIMIT 500 OFFSET 9500"},
		{sql: "SELECT sku FROM ITEMS LIMIT 500"},
		{sql: "SELECT sku FROM ITEMS WHERE $id = ?", args: []any{int64(7)}},
		{opts: "maxRows=50", sql: "SELECT sku FROM ITEMS"},

		// Seek by $id.
		{sql: "SELECT sku FROM ITEMS"},
		{sql: "SELECT sku FROM ITEMS ORDER BY $id"},
		{sql: "SELECT sku FROM ITEMS ORDER BY $id DESC"},
		{sql: "SELECT sku FROM ITEMS LIMIT 600"},
		{sql: "SELECT sku FROM ITEMS WHERE qty > 10 ORDER BY $id LIMIT 700"},
		{sql: "SELECT sku FROM ITEMS WHERE stage = 'Open'"},
		{opts: "pageSize=100", sql: "SELECT sku FROM ITEMS ORDER BY $id DESC LIMIT 250"},
		{opts: "pageSize=100", sql: "SELECT sku FROM ITEMS WHERE $id > 1000"},
		{sql: "SELECT sku FROM ITEMS LIMIT 500 OFFSET 9501"},

		// Cursor.
		{opts: "useCursor=always", sql: "SELECT sku FROM ITEMS"},
		{opts: "useCursor=always", sql: "SELECT sku FROM ITEMS ORDER BY name"},
		{opts: "useCursor=always", sql: "SELECT sku FROM ITEMS ORDER BY Created_datetime DESC"},
		{opts: "useCursor=always", sql: "SELECT sku FROM ITEMS ORDER BY name LIMIT 700"},
		{opts: "useCursor=always&pageSize=100", sql: "SELECT sku FROM ITEMS WHERE qty >= 500 ORDER BY qty DESC"},
		{opts: "useCursor=always&maxRows=50", sql: "SELECT sku FROM ITEMS ORDER BY name"},
		{sql: "SELECT label FROM BIG ORDER BY label LIMIT 10 OFFSET 10050"},

		// Offset pages, with and without the cursor fallback.
		{sql: "SELECT sku FROM ITEMS ORDER BY name LIMIT 700"},
		{sql: "SELECT sku FROM ITEMS ORDER BY name"},
		{sql: "SELECT sku, qty FROM ITEMS ORDER BY qty DESC, sku LIMIT 900 OFFSET 100"},
		{sql: "SELECT sku FROM ITEMS ORDER BY Updated_datetime DESC LIMIT 600"},
		{sql: "SELECT sku FROM ITEMS WHERE name LIKE '%7%' ORDER BY name"},
		{opts: "maxRows=700", sql: "SELECT sku FROM ITEMS ORDER BY name"},
		{opts: "pageSize=100", sql: "SELECT sku FROM ITEMS ORDER BY price, name LIMIT 450"},
		{sql: "SELECT label FROM BIG ORDER BY label"},
		{sql: "SELECT label FROM BIG ORDER BY label LIMIT 100 OFFSET 9950"},

		// Keyset: ordered by the creation time.
		{sql: "SELECT sku FROM ITEMS ORDER BY Created_datetime"},
		{sql: "SELECT sku FROM ITEMS ORDER BY Created_datetime DESC, $id DESC LIMIT 700"},
		{sql: "SELECT sku FROM ITEMS ORDER BY Created_datetime LIMIT 10 OFFSET 1000"},
		{sql: "SELECT sku FROM ITEMS WHERE name LIKE '%3' ORDER BY Created_datetime LIMIT 5 OFFSET 10"},

		// Sorted in Go (useCursor=never).
		{opts: "useCursor=never", sql: "SELECT sku FROM ITEMS ORDER BY name"},
		{opts: "useCursor=never", sql: "SELECT sku FROM ITEMS ORDER BY name LIMIT 700"},
		{opts: "useCursor=never", sql: "SELECT label FROM BIG ORDER BY label LIMIT 5 OFFSET 9998"},
		{opts: "useCursor=never", sql: "SELECT sku FROM ITEMS ORDER BY Created_datetime DESC LIMIT 3"},
		{opts: "useCursor=never&maxBufferedRows=1000", sql: "SELECT sku FROM ITEMS ORDER BY name"},

		// Subtables as child tables.
		{sql: "SELECT * FROM ITEMS.lines LIMIT 5"},
		{sql: "SELECT $id, product, amount FROM ITEMS.lines WHERE amount > 90 ORDER BY amount DESC, $row_id LIMIT 10"},
		{sql: "SELECT product, SUM(amount) FROM ITEMS.lines GROUP BY product ORDER BY product"},
		{sql: "SELECT COUNT(*) FROM ITEMS.lines"},
		{sql: "SELECT product, amount FROM ITEMS.lines WHERE $id = ?", args: []any{int64(4)}},
		{sql: "SELECT product FROM ITEMS.lines WHERE $id IN (1, 2, 3) ORDER BY $id DESC"},

		// WHERE pushed down, partly, or with a Go check.
		{sql: "SELECT sku FROM ITEMS WHERE qty >= 10 AND due < '2025-03-01'"},
		{sql: "SELECT sku FROM ITEMS WHERE qty >= 10 AND name LIKE '%5'"},
		{sql: "SELECT sku FROM ITEMS WHERE qty > 990 OR name LIKE '%99'"},
		{sql: "SELECT sku FROM ITEMS WHERE sku = 'SKU-0010'"},
		{sql: "SELECT sku FROM ITEMS WHERE qty <> 5 LIMIT 3"},
		{sql: "SELECT COUNT(*) FROM ITEMS WHERE qty IS NULL"},
		{sql: "SELECT sku FROM ITEMS WHERE due IS NOT NULL AND due >= TODAY() ORDER BY due, $id LIMIT 5"},
		{sql: "SELECT COUNT(*) FROM ITEMS WHERE due = FROM_TODAY(-3, DAYS)"},
		{sql: "SELECT COUNT(*) FROM ITEMS WHERE due >= THIS_MONTH()"},
		{sql: "SELECT sku FROM ITEMS WHERE name = :name", args: []any{sql.Named("name", "item 77")}},
		{sql: "SELECT sku FROM ITEMS WHERE memo LIKE '%line 3%' LIMIT 2"},

		// IN lists, slice arguments, multi-valued fields.
		{sql: "SELECT sku FROM ITEMS WHERE $id IN (?)", args: []any{[]int64{3, 1, 2}}},
		{sql: "SELECT sku FROM ITEMS WHERE sku IN (?)", args: []any{[]string{"SKU-0002", "SKU-0004", "SKU-9999"}}},
		{sql: "SELECT COUNT(*) FROM ITEMS WHERE stage IN (?)", args: []any{[]string{"New", "Done"}}},
		{sql: "SELECT COUNT(*) FROM ITEMS WHERE tags IN ('red')"},
		{sql: "SELECT COUNT(*) FROM ITEMS WHERE tags NOT IN ('red', 'blue')"},
		{sql: "SELECT sku, colors FROM ITEMS WHERE colors NOT IN (?) LIMIT 4", args: []any{[]string{"cyan", "yellow"}}},
		{sql: "SELECT COUNT(*) FROM ITEMS WHERE JSON_LENGTH(tags) = 0"},
		{sql: "SELECT sku FROM ITEMS WHERE qty NOT IN (?) AND qty < 20", args: []any{[]int{0, 1, 2}}},

		// GROUP BY, HAVING, aggregates, DISTINCT.
		{sql: "SELECT stage, COUNT(*) FROM ITEMS GROUP BY stage ORDER BY stage"},
		{sql: "SELECT stage, COUNT(*), SUM(qty), AVG(price), MIN(due), MAX(due) FROM ITEMS GROUP BY stage HAVING COUNT(*) > 300"},
		{sql: "SELECT SUM(qty), MIN(name), MAX(Created_datetime) FROM ITEMS"},
		{sql: "SELECT sku, qty FROM ITEMS HAVING qty > 995"},
		{sql: "SELECT YEAR(due), MONTH(due), COUNT(*) FROM ITEMS GROUP BY YEAR(due), MONTH(due) ORDER BY 1, 2"},
		{sql: "SELECT DISTINCT stage FROM ITEMS"},
		{sql: "SELECT COUNT(DISTINCT stage) FROM ITEMS"},
		{sql: "SELECT DISTINCT stage FROM ITEMS ORDER BY stage DESC LIMIT 2"},
		{opts: "maxRows=2", sql: "SELECT price, COUNT(*) FROM ITEMS GROUP BY price"},

		// ORDER BY on expressions, option fields, nullable keys; LIMIT in Go.
		{sql: "SELECT sku, qty * 2 FROM ITEMS ORDER BY qty * 2 DESC LIMIT 5"},
		{sql: "SELECT sku, stage FROM ITEMS ORDER BY stage, sku LIMIT 10"},
		{sql: "SELECT sku, stage FROM ITEMS WHERE $id <= 40 ORDER BY stage DESC, sku LIMIT 3"},
		{sql: "SELECT sku, due FROM ITEMS ORDER BY due, $id LIMIT 20"},
		{sql: "SELECT sku, due FROM ITEMS ORDER BY due DESC"},
		{sql: "SELECT CONCAT(name, '/', sku) AS k FROM ITEMS ORDER BY k LIMIT 3 OFFSET 2"},
		{sql: "SELECT sku, qty FROM ITEMS ORDER BY 2 DESC, 1 LIMIT 3"},
		{sql: "SELECT sku FROM ITEMS WHERE name LIKE '%1' LIMIT 5"},

		// Writes, each on a fresh copy of the fixture.
		{sql: "INSERT INTO ARCHIVE (sku, qty) VALUES ('A-new-1', 1), ('A-new-2', 2)"},
		{sql: values.String()},
		{sql: "INSERT INTO ARCHIVE (sku, qty) SELECT sku, qty FROM ITEMS WHERE qty >= 900"},
		{sql: "INSERT INTO ARCHIVE (sku, qty) SELECT CONCAT(sku, '-copy'), qty FROM ARCHIVE"},
		{sql: "INSERT INTO ITEMS (sku, name, price) VALUES ('SKU-0001', 'renamed', 1), ('SKU-9999', 'new', 2) ON DUPLICATE KEY UPDATE name = VALUES(name), price = VALUES(price)"},
		{sql: "INSERT INTO ITEMS (sku, name, tags, lines) VALUES (?, ?, ?, ?)", args: []any{"SKU-X", "with list", []string{"red", "blue"}, `[{"value":{"product":{"value":"P-X"},"amount":{"value":"5"}}}]`}},
		{sql: "UPDATE ITEMS SET qty = 0 WHERE $id = 5"},
		{sql: "UPDATE ITEMS SET name = 'by ids' WHERE $id IN (?)", args: []any{ids(1, 150)}},
		{sql: "UPDATE ITEMS SET name = 'by key' WHERE sku = 'SKU-0007'"},
		{sql: "UPDATE ITEMS SET qty = 1 WHERE sku = 'nope'"},
		{sql: "UPDATE ITEMS SET qty = qty + 1 WHERE qty >= 500"},
		{sql: "UPDATE ITEMS SET name = 'top' ORDER BY qty DESC LIMIT 5"},
		{sql: "UPDATE ITEMS SET name = 'old' ORDER BY Created_datetime LIMIT 700"},
		{sql: "UPDATE ITEMS SET name = CONCAT(name, '!') WHERE name LIKE '%9'"},
		{sql: "UPDATE ITEMS SET name = 'locked' WHERE $id = 3 AND $revision = 1"},
		{sql: "UPDATE ITEMS SET tags = ? WHERE $id = 2", args: []any{[]string{"green"}}},
		{opts: "useCursor=always", sql: "UPDATE ITEMS SET name = 'c' ORDER BY name LIMIT 600"},
		{sql: "UPDATE ITEMS SET qty = 2 WHERE qty = NULL"},
		{sql: "DELETE FROM ITEMS WHERE $id = 10"},
		{sql: "DELETE FROM ITEMS WHERE $id IN (?)", args: []any{ids(1, 150)}},
		{sql: "DELETE FROM ITEMS WHERE stage = 'Done'"},
		{sql: "DELETE FROM ITEMS ORDER BY Created_datetime DESC LIMIT 3"},
		{sql: "DELETE FROM ITEMS ORDER BY name LIMIT 10"},
		{sql: "DELETE FROM ITEMS WHERE tags NOT IN ('red')"},
		{sql: "DELETE FROM ITEMS WHERE qty = NULL"},
	}
}

// planFixture creates the apps of the table on srv: ITEMS (1), ARCHIVE
// (2) and, with big, BIG (3). Every value is a function of the record's
// index, so every run builds the same data.
func planFixture(t testing.TB, srv *kintonetest.Server, big bool) {
	t.Helper()
	items, err := srv.CreateApp(kintonetest.App{Name: "Items", Code: "ITEMS", Fields: []kintonetest.Field{
		{Code: "sku", Type: "SINGLE_LINE_TEXT", Required: true, Unique: true},
		{Code: "name", Type: "SINGLE_LINE_TEXT", Required: true},
		{Code: "qty", Type: "NUMBER"},
		{Code: "price", Type: "NUMBER"},
		{Code: "due", Type: "DATE"},
		{Code: "stage", Type: "DROP_DOWN", Options: []string{"New", "Open", "Done"}},
		{Code: "tags", Type: "CHECK_BOX", Options: []string{"red", "green", "blue"}},
		{Code: "colors", Type: "MULTI_SELECT", Options: []string{"cyan", "magenta", "yellow"}},
		{Code: "memo", Type: "MULTI_LINE_TEXT"},
		{Code: "lines", Type: "SUBTABLE", Fields: []kintonetest.Field{
			{Code: "product", Type: "SINGLE_LINE_TEXT"},
			{Code: "amount", Type: "NUMBER"},
		}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	firstDue := time.Date(2025, 2, 20, 0, 0, 0, 0, time.UTC)
	stages := []string{"New", "Open", "Done"}
	colors := [][]string{{}, {"cyan"}, {"magenta", "yellow"}, {"cyan", "yellow"}}
	recs := make([]kintonetest.Record, planItems)
	for i := range recs {
		r := kintonetest.Record{
			"sku":   fmt.Sprintf("SKU-%04d", i+1),
			"name":  "item " + strconv.Itoa(i*7919%planItems),
			"price": strconv.Itoa(100 + i%50),
			"stage": stages[i%3],
			"memo":  fmt.Sprintf("line %d\nline %d", i%10, i%7),
			// Three records a minute: equal creation times, ordered by $id.
			"Created_datetime": created.Add(time.Duration(i/3) * time.Minute),
			"Updated_datetime": created.Add(time.Duration(i/3)*time.Minute + time.Duration(i%17)*time.Hour),
			"colors":           colors[i%4],
		}
		if i%7 != 3 {
			r["qty"] = strconv.Itoa(i * 37 % 1000)
		}
		if i%5 != 0 {
			r["due"] = firstDue.AddDate(0, 0, i%37)
		}
		var tags []string
		for b, tag := range []string{"red", "green", "blue"} {
			if i>>b&1 == 1 {
				tags = append(tags, tag)
			}
		}
		r["tags"] = tags
		var lines []kintonetest.Record
		for j := range 2 - i%3 {
			lines = append(lines, kintonetest.Record{"product": "P" + strconv.Itoa((i+j)%13), "amount": strconv.Itoa((i*11 + j) % 100)})
		}
		r["lines"] = lines
		recs[i] = r
	}
	if _, err := srv.AddRecords(items, recs...); err != nil {
		t.Fatal(err)
	}
	archive, err := srv.CreateApp(kintonetest.App{Name: "Archive", Code: "ARCHIVE", Fields: []kintonetest.Field{
		{Code: "sku", Type: "SINGLE_LINE_TEXT", Unique: true},
		{Code: "qty", Type: "NUMBER"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	recs = make([]kintonetest.Record, planArchive)
	for i := range recs {
		recs[i] = kintonetest.Record{"sku": fmt.Sprintf("A-%04d", i+1), "qty": strconv.Itoa(i)}
	}
	if _, err := srv.AddRecords(archive, recs...); err != nil {
		t.Fatal(err)
	}
	if !big {
		return
	}
	bigApp, err := srv.CreateApp(kintonetest.App{Name: "Big", Code: "BIG", Fields: []kintonetest.Field{
		{Code: "label", Type: "SINGLE_LINE_TEXT"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	recs = make([]kintonetest.Record, planBig)
	for i := range recs {
		recs[i] = kintonetest.Record{"label": fmt.Sprintf("L%05d", i*7919%planBig)}
	}
	if _, err := srv.AddRecords(bigApp, recs...); err != nil {
		t.Fatal(err)
	}
}

// countingTransport counts the HTTP requests it sends by method and path;
// a GET sent as POST with X-HTTP-Method-Override shows as POST(GET). It
// also knows when requests are in flight, for settle.
type countingTransport struct {
	base   http.RoundTripper
	mu     sync.Mutex
	counts map[string]int
	// inflight is the number of requests sent whose answer is not yet
	// read and closed; changed is when a request last started or ended.
	inflight int
	changed  time.Time
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	key := r.Method
	if o := r.Header.Get("X-HTTP-Method-Override"); o != "" {
		key += "(" + o + ")"
	}
	key += " " + r.URL.Path
	c.mu.Lock()
	c.counts[key]++
	c.inflight++
	c.changed = time.Now()
	c.mu.Unlock()
	resp, err := c.base.RoundTrip(r)
	if err != nil {
		c.done()
		return nil, err
	}
	resp.Body = &countedBody{ReadCloser: resp.Body, c: c}
	return resp, nil
}

func (c *countingTransport) done() {
	c.mu.Lock()
	c.inflight--
	c.changed = time.Now()
	c.mu.Unlock()
}

// countedBody ends its request in the count of requests in flight when
// it is closed.
type countedBody struct {
	io.ReadCloser
	c    *countingTransport
	once sync.Once
}

func (b *countedBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(b.c.done)
	return err
}

// settleQuiet is how long no request may start or end before settle
// deems the driver's fetcher blocked. Its step from one page's answer to
// the request of the page after takes microseconds, but under a loaded
// machine (go test -race ./... runs packages side by side) the goroutine
// that sends it may wait for a processor for milliseconds: 5 ms once
// counted one request short.
const settleQuiet = 25 * time.Millisecond

// settle waits until no request is in flight and none started or ended
// for settleQuiet: the driver's fetcher, which requests the next page
// before it hands over the one before, is then blocked handing a page
// over. The table reads every row after settle, as an application slower
// than the network would, so that the requests a read makes ahead of
// rows it turns out not to need (a LIMIT applied in Go stops the read
// within a page) are counted on every run, not only when the fetcher
// wins the race against the reader.
func (c *countingTransport) settle() {
	for {
		c.mu.Lock()
		quiet := time.Since(c.changed)
		idle := c.inflight == 0 && quiet >= settleQuiet
		c.mu.Unlock()
		if idle {
			return
		}
		time.Sleep(max(settleQuiet-quiet, time.Millisecond))
	}
}

// take returns the counts so far and starts again from zero.
func (c *countingTransport) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.counts
	c.counts = map[string]int{}
	return out
}

// planDB is a sql.DB over one emulator with one set of DSN options, whose
// requests are counted.
type planDB struct {
	db    *sql.DB
	count *countingTransport
}

// openPlanDB opens a DB on srv with the DSN options opts and fills its
// schema cache (an hour long, so that no lookup expires during the test)
// with every app, so that the counts of a row hold only the requests the
// statement itself needs: the records, and apps.json for a statement that
// lists the apps (which is never cached).
func openPlanDB(t *testing.T, srv *kintonetest.Server, opts string, apps []string) *planDB {
	t.Helper()
	text := srv.DSN()
	if opts != "" {
		text += "?" + opts
	}
	cfg, err := dsn.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	base := http.DefaultTransport.(*http.Transport).Clone()
	ct := &countingTransport{base: base, counts: map[string]int{}}
	db := sql.OpenDB(kintone.NewConnector(cfg, kintone.WithHTTPClient(&http.Client{Transport: ct}), kintone.WithSchemaCacheTTL(time.Hour)))
	t.Cleanup(func() {
		db.Close()
		base.CloseIdleConnections()
	})
	for _, app := range apps {
		rows, err := db.Query("DESCRIBE " + app)
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := scanAll(rows, nil); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return &planDB{db: db, count: ct}
}

// planResult is what a statement did: its rows or rows affected, or its
// error.
type planResult struct {
	rows     int
	affected int64
	isWrite  bool
	first    []string
	digest   string
	err      string
}

func isWriteSQL(q string) bool {
	w, _, _ := strings.Cut(strings.TrimSpace(q), " ")
	switch strings.ToUpper(w) {
	case "INSERT", "UPDATE", "DELETE":
		return true
	}
	return false
}

func explainable(q string) bool {
	w, _, _ := strings.Cut(strings.TrimSpace(q), " ")
	switch strings.ToUpper(w) {
	case "SELECT", "INSERT", "UPDATE", "DELETE":
		return true
	}
	return false
}

// planValue prints a scanned value.
func planValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case []byte:
		return string(v)
	case time.Time:
		return v.Format(time.RFC3339)
	case string:
		return v
	}
	return fmt.Sprint(v)
}

// scanAll reads every row, returning each as its printed values; with
// settle set, it calls it before each row.
func scanAll(rows *sql.Rows, settle func()) ([]string, []string, error) {
	cols, err := rows.Columns()
	if err != nil {
		return nil, nil, err
	}
	var out []string
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for {
		if settle != nil {
			settle()
		}
		if !rows.Next() {
			break
		}
		if err := rows.Scan(ptrs...); err != nil {
			return cols, out, err
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = planValue(v)
		}
		out = append(out, strings.Join(parts, " | "))
	}
	return cols, out, rows.Err()
}

// explainRows runs EXPLAIN q and prints its rows, one column a line,
// leaving out NULLs; it also returns the requests EXPLAIN sent.
func explainRows(db *planDB, c planCase) (string, map[string]int, error) {
	db.count.take()
	rows, err := db.db.Query("EXPLAIN "+c.sql, c.args...)
	if err != nil {
		return "", db.count.take(), err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", nil, err
	}
	var b strings.Builder
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for n := 0; rows.Next(); n++ {
		if err := rows.Scan(ptrs...); err != nil {
			return "", nil, err
		}
		if n > 0 {
			b.WriteString("  --\n")
		}
		for i, v := range vals {
			if v == nil {
				continue
			}
			fmt.Fprintf(&b, "  %s: %s\n", cols[i], planValue(v))
		}
	}
	if err := rows.Err(); err != nil {
		return "", nil, err
	}
	rows.Close()
	return b.String(), db.count.take(), nil
}

// run executes the statement and counts its requests.
func (db *planDB) run(c planCase) (planResult, map[string]int) {
	db.count.take()
	var res planResult
	if isWriteSQL(c.sql) {
		res.isWrite = true
		r, err := db.db.Exec(c.sql, c.args...)
		if err == nil {
			res.affected, err = r.RowsAffected()
		}
		if err != nil {
			res.err = err.Error()
		}
		return res, db.count.take()
	}
	rows, err := db.db.Query(c.sql, c.args...)
	if err != nil {
		res.err = err.Error()
		return res, db.count.take()
	}
	cols, out, err := scanAll(rows, db.count.settle)
	rows.Close()
	if err != nil {
		res.err = err.Error()
	}
	res.rows = len(out)
	h := sha256.New()
	fmt.Fprintln(h, strings.Join(cols, " | "))
	for _, r := range out {
		fmt.Fprintln(h, r)
	}
	res.digest = fmt.Sprintf("%x", h.Sum(nil)[:6])
	res.first = out[:min(len(out), 3)]
	return res, db.count.take()
}

// formatCounts prints request counts sorted by method and path.
func formatCounts(counts map[string]int) (string, int) {
	keys := make([]string, 0, len(counts))
	total := 0
	for k, n := range counts {
		if n > 0 {
			keys = append(keys, k)
			total += n
		}
	}
	if len(keys) == 0 {
		return "none", 0
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s ×%d", k, counts[k])
	}
	return strings.Join(parts, ", "), total
}

// addrPattern matches the emulator's address, which changes every run.
var addrPattern = regexp.MustCompile(`127\.0\.0\.1:\d+`)

// clip shortens a printed row for the golden file.
func clip(s string) string {
	s = strings.ReplaceAll(s, "\n", `\n`)
	if len(s) > 160 {
		return s[:160] + "..."
	}
	return s
}

func TestPlanTable(t *testing.T) {
	cases := planCases()
	newServer := func(big bool) *kintonetest.Server {
		srv := newEmulator(t, kintonetest.WithClock(func() time.Time { return planClock }))
		planFixture(t, srv, big)
		return srv
	}
	readSrv := newServer(true)
	readApps := []string{"ITEMS", "ARCHIVE", "BIG"}
	dbs := map[string]*planDB{}
	seen := map[string]bool{}

	var sections []string
	strategies := map[string]int{}
	totalRequests := 0
	for i, c := range cases {
		var db *planDB
		if isWriteSQL(c.sql) {
			// A write runs on a fresh fixture, so that no row sees another's.
			db = openPlanDB(t, newServer(false), c.opts, []string{"ITEMS", "ARCHIVE"})
		} else {
			if dbs[c.opts] == nil {
				dbs[c.opts] = openPlanDB(t, readSrv, c.opts, readApps)
			}
			db = dbs[c.opts]
		}
		// A section is named by its statement and options, not by its
		// place, so that a row added to the table adds one section.
		head := clip(c.sql)
		if c.opts != "" {
			head += "  [" + c.opts + "]"
		}
		if seen[head] {
			t.Fatalf("row %d: %s is in the table twice", i+1, head)
		}
		seen[head] = true
		var b strings.Builder
		fmt.Fprintf(&b, "=== %s\n", head)
		if len(c.args) > 0 {
			args := make([]string, len(c.args))
			for j, a := range c.args {
				if n, ok := a.(sql.NamedArg); ok {
					a = ":" + n.Name + "=" + fmt.Sprint(n.Value)
				}
				args[j] = clip(fmt.Sprint(a))
			}
			fmt.Fprintf(&b, "args: %s\n", strings.Join(args, "; "))
		}
		if explainable(c.sql) {
			text, sent, err := explainRows(db, c)
			if err != nil {
				fmt.Fprintf(&b, "explain error: %s\n", err)
			} else {
				b.WriteString("explain:\n" + text)
				for _, line := range strings.Split(text, "\n") {
					if s, ok := strings.CutPrefix(line, "  strategy: "); ok {
						strategies[s]++
					}
				}
			}
			if s, n := formatCounts(sent); n > 0 {
				fmt.Fprintf(&b, "explain requests: %s\n", s)
			}
		} else {
			strategies["(not explainable)"]++
		}
		res, counts := db.run(c)
		s, n := formatCounts(counts)
		totalRequests += n
		fmt.Fprintf(&b, "requests: %s\n", s)
		switch {
		case res.err != "":
			fmt.Fprintf(&b, "error: %s\n", res.err)
		case res.isWrite:
			fmt.Fprintf(&b, "affected: %d\n", res.affected)
		default:
			fmt.Fprintf(&b, "rows: %d (sha256 %s)\n", res.rows, res.digest)
			for _, r := range res.first {
				fmt.Fprintf(&b, "  %s\n", clip(r))
			}
		}
		sections = append(sections, addrPattern.ReplaceAllString(b.String(), "127.0.0.1:PORT"))
	}
	var summary strings.Builder
	fmt.Fprintf(&summary, "=== summary\nstatements: %d\nrequests: %d\n", len(cases), totalRequests)
	keys := make([]string, 0, len(strategies))
	for k := range strategies {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&summary, "strategy %s: %d\n", k, strategies[k])
	}
	sections = append(sections, summary.String())

	got := "# Generated by TestPlanTable (plan_table_test.go); rewrite with: go test -run TestPlanTable -update\n\n" +
		strings.Join(sections, "\n")
	if *updatePlanTable {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(planGolden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	wantBytes, err := os.ReadFile(planGolden)
	if err != nil {
		t.Fatalf("%v (run go test -run TestPlanTable -update to create it)", err)
	}
	diffPlanSections(t, string(wantBytes), got)
}

// diffPlanSections compares the golden file with the output section by
// section ("=== " lines), reporting each section that differs with its
// statement and the lines removed (-) and added (+).
func diffPlanSections(t *testing.T, want, got string) {
	t.Helper()
	split := func(s string) (order []string, by map[string]string) {
		by = map[string]string{}
		for _, sec := range strings.Split(s, "\n=== ")[1:] {
			head, _, _ := strings.Cut(sec, "\n")
			order = append(order, head)
			by[head] = "=== " + sec
		}
		return order, by
	}
	wantOrder, wantBy := split(want)
	gotOrder, gotBy := split(got)
	failed := 0
	for _, head := range gotOrder {
		w, ok := wantBy[head]
		g := gotBy[head]
		if ok && strings.TrimRight(w, "\n") == strings.TrimRight(g, "\n") {
			continue
		}
		failed++
		if !ok {
			t.Errorf("new section, not in %s:\n%s", planGolden, g)
			continue
		}
		t.Errorf("%s differs:\n%s", head, lineDiff(w, g))
	}
	for _, head := range wantOrder {
		if _, ok := gotBy[head]; !ok {
			failed++
			t.Errorf("section %s of %s is gone:\n%s", head, planGolden, wantBy[head])
		}
	}
	if failed > 0 {
		t.Logf("%d sections differ; if the change is intended, run go test -run TestPlanTable -update and review the diff of %s", failed, planGolden)
	}
}

// lineDiff is a small unified-looking diff of two short texts: the lines
// of each in order, the common prefix and suffix shown once, the rest as
// - (expected) and + (got) lines.
func lineDiff(want, got string) string {
	w := strings.Split(strings.TrimRight(want, "\n"), "\n")
	g := strings.Split(strings.TrimRight(got, "\n"), "\n")
	p := 0
	for p < len(w) && p < len(g) && w[p] == g[p] {
		p++
	}
	s := 0
	for s < len(w)-p && s < len(g)-p && w[len(w)-1-s] == g[len(g)-1-s] {
		s++
	}
	var b strings.Builder
	for _, l := range w[:p] {
		b.WriteString("  " + l + "\n")
	}
	for _, l := range w[p : len(w)-s] {
		b.WriteString("- " + l + "\n")
	}
	for _, l := range g[p : len(g)-s] {
		b.WriteString("+ " + l + "\n")
	}
	for _, l := range w[len(w)-s:] {
		b.WriteString("  " + l + "\n")
	}
	return b.String()
}
