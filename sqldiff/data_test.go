package sqldiff

// The generated data set: three apps (one of them empty) with a subtable
// each, the same records loaded into the emulator and into SQLite.

import (
	"bytes"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/kintonetest"
)

// colType is what a column holds. It decides the column's Kintone field
// type, its SQLite type, and how its values are compared.
type colType int

const (
	cText     colType = iota // SINGLE_LINE_TEXT or DROP_DOWN; TEXT in SQLite
	cNum                     // NUMBER; REAL in SQLite; decimal text from the driver
	cDate                    // DATE; TEXT 'YYYY-MM-DD' in SQLite; time.Time from the driver
	cDateTime                // DATETIME (UTC); TEXT 'YYYY-MM-DD HH:MM:SS' in SQLite
	cID                      // $id, $row_id; INTEGER
)

// column is one column of a table.
type column struct {
	name    string
	typ     colType
	kintone string   // the Kintone field type ("" for $id and $row_id)
	options []string // the choices of a DROP_DOWN
	// removed are options removed from the form once the records are in:
	// the records keep them, and no query may name them.
	removed []string
}

// table is one table as both engines see it. A SUBTABLE field of an app
// is the driver's child table app.field, whose columns are $id (the
// record's), $row_id (the subtable row's) and the inner fields; SQLite has
// it as app_field with the same columns.
type table struct {
	name  string   // the driver's name: customers, orders.items
	lite  string   // SQLite's name: customers, orders_items
	cols  []column // $id first; a child table has $row_id second
	child bool
	subs  []*table // the child tables of an app
	// rows hold the values in cols order: nil (an empty Kintone value,
	// NULL in SQL), int64 (cID), or text: the decimal text of a NUMBER as
	// written to Kintone ("-2.50"), 'YYYY-MM-DD' for a DATE and
	// 'YYYY-MM-DD HH:MM:SS' (UTC) for a DATETIME.
	rows [][]any
	// parent is, for each row of a child table, the index of its record
	// in the app's rows (ids are known only once the records are loaded).
	parent []int
}

// col returns the column named name.
func (t *table) col(name string) column {
	for _, c := range t.cols {
		if c.name == name {
			return c
		}
	}
	panic("no column " + name + " in " + t.name)
}

// values returns the non-NULL values of a column, each once, in the order
// they first occur.
func (t *table) values(name string) []any {
	i := t.colIndex(name)
	var out []any
	seen := map[any]bool{}
	for _, r := range t.rows {
		if v := r[i]; v != nil && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func (t *table) colIndex(name string) int {
	for i, c := range t.cols {
		if c.name == name {
			return i
		}
	}
	panic("no column " + name + " in " + t.name)
}

// dataset is the generated data: the apps (with their child tables in
// subs) and every table by its driver name.
type dataset struct {
	apps   []*table
	tables map[string]*table
}

// all returns every table, apps first then each app's child tables.
func (d *dataset) all() []*table {
	var out []*table
	out = append(out, d.apps...)
	for _, a := range d.apps {
		out = append(out, a.subs...)
	}
	return out
}

// The choices of the DROP_DOWN fields. "North" and "north" are both
// choices: texts that differ only by case must stay apart.
var (
	regions  = []string{"north", "North", "south", "east", "west"}
	statuses = []string{"new", "paid", "shipped", "cancelled"}
	reasons  = []string{"damaged", "late", "wrong item"}
)

// Customer codes: duplicates (every code is drawn many times), and codes
// that differ from another only by case or by a trailing or leading
// space, which a comparison, a group and a join must keep apart. C99 is
// an order's code no customer has.
var customerCodes = []string{"C01", "C02", "C03", "C04", "C05", "C06", "C07", "C08", "C09", "C10",
	"c01", "C02 ", " C03", "C1"}

var names = []string{"Alice", "alice", "ALICE", "Bob", "Bob ", "Carol", "Dave", "Eve", "Zoë", "東京商事",
	"とうきょう", "a_b", "100%", "O'Hara", "Mallory"}

var products = []string{"bolt", "Bolt", "bolt ", "nut", "ねじ", "washer", "gear"}

// genData generates the data set, the same for every run.
func genData() *dataset {
	rng := rand.New(rand.NewPCG(14, 2026))
	pick := func(pool []string, nullPct int) any {
		if rng.IntN(100) < nullPct {
			return nil
		}
		return pool[rng.IntN(len(pool))]
	}
	// number writes a NUMBER value as Kintone would store it: small
	// integers (many equal), larger ones, negatives, two decimals with
	// and without a trailing zero, one decimal.
	number := func(nullPct int) any {
		if rng.IntN(100) < nullPct {
			return nil
		}
		sign := ""
		if rng.IntN(3) == 0 {
			sign = "-"
		}
		switch rng.IntN(6) {
		case 0, 1:
			return strconv.Itoa(rng.IntN(21) - 10)
		case 2:
			return sign + strconv.Itoa(rng.IntN(5000))
		case 3:
			return fmt.Sprintf("%s%d.%02d", sign, rng.IntN(300), rng.IntN(100))
		case 4:
			return fmt.Sprintf("%s%d.%d0", sign, rng.IntN(50), rng.IntN(10))
		default:
			return fmt.Sprintf("%s%d.%d", sign, rng.IntN(20), rng.IntN(10))
		}
	}
	day0 := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	date := func(nullPct int) any {
		if rng.IntN(100) < nullPct {
			return nil
		}
		return day0.AddDate(0, 0, rng.IntN(730)).Format(time.DateOnly)
	}
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	datetime := func(nullPct int) any {
		if rng.IntN(100) < nullPct {
			return nil
		}
		// Whole minutes (Kintone keeps DATETIME to the minute); a quarter
		// on a few shared instants, so that ties are common.
		m := rng.IntN(90 * 24 * 60)
		if rng.IntN(4) == 0 {
			m = rng.IntN(4) * 24 * 60
		}
		return t0.Add(time.Duration(m) * time.Minute).Format(time.DateTime)
	}

	customers := &table{name: "customers", lite: "customers", cols: []column{
		{name: "$id", typ: cID},
		{name: "code", typ: cText, kintone: "SINGLE_LINE_TEXT"},
		{name: "name", typ: cText, kintone: "SINGLE_LINE_TEXT"},
		{name: "region", typ: cText, kintone: "DROP_DOWN", options: append([]string{"central"}, regions...), removed: []string{"central"}},
		{name: "credit", typ: cNum, kintone: "NUMBER"},
		{name: "since", typ: cDate, kintone: "DATE"},
	}}
	for range 36 {
		customers.rows = append(customers.rows, []any{nil, pick(customerCodes, 8), pick(names, 10),
			pick(regions, 15), number(12), date(10)})
	}
	// Some customers are in a region the form no longer offers.
	for i, row := range customers.rows {
		if i%6 == 0 && row[3] != nil {
			row[3] = "central"
		}
	}
	// Whole rows repeated (DISTINCT and UNION must fold them) and a record
	// with every field empty.
	customers.rows = append(customers.rows,
		[]any{nil, "C05", "Eve", "west", "12.50", "2023-05-05"},
		[]any{nil, "C05", "Eve", "west", "12.5", "2023-05-05"},
		[]any{nil, "C05", "Eve", "west", "12.50", "2023-05-05"},
		[]any{nil, nil, nil, nil, nil, nil},
	)

	orders := &table{name: "orders", lite: "orders", cols: []column{
		{name: "$id", typ: cID},
		{name: "customer_code", typ: cText, kintone: "SINGLE_LINE_TEXT"},
		{name: "amount", typ: cNum, kintone: "NUMBER"},
		{name: "qty", typ: cNum, kintone: "NUMBER"},
		{name: "ordered", typ: cDateTime, kintone: "DATETIME"},
		{name: "status", typ: cText, kintone: "DROP_DOWN", options: statuses},
	}}
	items := &table{name: "orders.items", lite: "orders_items", child: true, cols: []column{
		{name: "$id", typ: cID},
		{name: "$row_id", typ: cID},
		{name: "product", typ: cText, kintone: "SINGLE_LINE_TEXT"},
		{name: "price", typ: cNum, kintone: "NUMBER"},
	}}
	orders.subs = []*table{items}
	orderCodes := append([]string{"C99"}, customerCodes...)
	for i := range 110 {
		var qty any
		if rng.IntN(100) >= 10 {
			qty = strconv.Itoa(rng.IntN(12) - 2)
		}
		orders.rows = append(orders.rows, []any{nil, pick(orderCodes, 8), number(10), qty, datetime(8), pick(statuses, 12)})
		for range rng.IntN(4) {
			items.rows = append(items.rows, []any{nil, nil, pick(products, 10), number(15)})
			items.parent = append(items.parent, i)
		}
	}

	// returns is an empty app with an empty subtable: every query over it
	// has no rows, or one row of empty aggregates.
	returns := &table{name: "returns", lite: "returns", cols: []column{
		{name: "$id", typ: cID},
		{name: "order_code", typ: cText, kintone: "SINGLE_LINE_TEXT"},
		{name: "refund", typ: cNum, kintone: "NUMBER"},
		{name: "reason", typ: cText, kintone: "DROP_DOWN", options: reasons},
		{name: "returned", typ: cDate, kintone: "DATE"},
	}}
	parts := &table{name: "returns.parts", lite: "returns_parts", child: true, cols: []column{
		{name: "$id", typ: cID},
		{name: "$row_id", typ: cID},
		{name: "part", typ: cText, kintone: "SINGLE_LINE_TEXT"},
		{name: "cost", typ: cNum, kintone: "NUMBER"},
	}}
	returns.subs = []*table{parts}

	d := &dataset{apps: []*table{customers, orders, returns}, tables: map[string]*table{}}
	for _, t := range d.all() {
		d.tables[t.name] = t
	}
	return d
}

// loadEmulator creates the apps in srv (app code and name are the table
// name), adds the records, and fills in the $id and $row_id values the
// emulator gave them. The subtable rows' ids are read back over plain
// REST, not through the driver under test.
func loadEmulator(t *testing.T, srv *kintonetest.Server, d *dataset) {
	t.Helper()
	for _, a := range d.apps {
		var fields []kintonetest.Field
		for _, c := range a.cols[1:] {
			fields = append(fields, kintonetest.Field{Code: c.name, Type: c.kintone, Options: c.options})
		}
		for _, s := range a.subs {
			f := kintonetest.Field{Code: strings.TrimPrefix(s.name, a.name+"."), Type: "SUBTABLE"}
			for _, c := range s.cols[2:] {
				f.Fields = append(f.Fields, kintonetest.Field{Code: c.name, Type: c.kintone, Options: c.options})
			}
			fields = append(fields, f)
		}
		app, err := srv.CreateApp(kintonetest.App{Name: a.name, Code: a.name, Fields: fields})
		if err != nil {
			t.Fatal(err)
		}
		if len(a.rows) == 0 {
			continue
		}
		recs := make([]kintonetest.Record, len(a.rows))
		for i, row := range a.rows {
			recs[i] = kintoneRecord(a.cols[1:], row[1:])
		}
		for _, s := range a.subs {
			code := strings.TrimPrefix(s.name, a.name+".")
			for _, r := range recs {
				r[code] = []kintonetest.Record{}
			}
			for j, row := range s.rows {
				p := recs[s.parent[j]]
				p[code] = append(p[code].([]kintonetest.Record), kintoneRecord(s.cols[2:], row[2:]))
			}
		}
		ids, err := srv.AddRecords(app, recs...)
		if err != nil {
			t.Fatal(err)
		}
		removeOptions(t, srv, app, a.cols)
		for i, id := range ids {
			a.rows[i][0] = id
		}
		for _, s := range a.subs {
			rowIDs := subtableRowIDs(t, srv, app, strings.TrimPrefix(s.name, a.name+"."))
			next := map[int64]int{}
			for j, row := range s.rows {
				id := a.rows[s.parent[j]][0].(int64)
				row[0] = id
				if next[id] >= len(rowIDs[id]) {
					t.Fatalf("%s: record %d has %d rows, want more", s.name, id, len(rowIDs[id]))
				}
				row[1] = rowIDs[id][next[id]]
				next[id]++
			}
		}
	}
}

// removeOptions removes the options cols say are removed from the form
// of app, and deploys it.
func removeOptions(t *testing.T, srv *kintonetest.Server, app int64, cols []column) {
	t.Helper()
	props := map[string]any{}
	for _, c := range cols {
		if len(c.removed) == 0 {
			continue
		}
		opts := map[string]any{}
		for _, o := range c.options {
			if !slices.Contains(c.removed, o) {
				opts[o] = map[string]any{"label": o, "index": strconv.Itoa(len(opts))}
			}
		}
		props[c.name] = map[string]any{"options": opts}
	}
	if len(props) == 0 {
		return
	}
	admin(t, srv, "PUT", "preview/app/form/fields", map[string]any{"app": app, "properties": props})
	admin(t, srv, "POST", "preview/app/deploy", map[string]any{"apps": []any{map[string]any{"app": app}}})
}

// admin sends one request of Kintone's REST API as the emulator's admin
// and fails the test unless it succeeds.
func admin(t *testing.T, srv *kintonetest.Server, method, api string, body any) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(method, srv.URL+"/k/v1/"+api+".json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Cybozu-Authorization", base64.StdEncoding.EncodeToString([]byte("admin:admin")))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s %s: %s", method, api, resp.Status)
	}
}

// kintoneRecord is one row as AddRecords takes it: "" for an empty value.
func kintoneRecord(cols []column, vals []any) kintonetest.Record {
	rec := kintonetest.Record{}
	for i, c := range cols {
		v := ""
		if vals[i] != nil {
			v = vals[i].(string)
		}
		if c.typ == cDateTime && v != "" {
			v = strings.Replace(v, " ", "T", 1) + "Z"
		}
		rec[c.name] = v
	}
	return rec
}

// subtableRowIDs reads every record's subtable row ids, in row order, with
// GET records.json.
func subtableRowIDs(t *testing.T, srv *kintonetest.Server, app int64, field string) map[int64][]int64 {
	t.Helper()
	out := map[int64][]int64{}
	for offset := 0; ; offset += 500 {
		q := url.Values{}
		q.Set("app", strconv.FormatInt(app, 10))
		q.Set("fields[0]", "$id")
		q.Set("fields[1]", field)
		q.Set("query", fmt.Sprintf("order by $id asc limit 500 offset %d", offset))
		req, err := http.NewRequest("GET", srv.URL+"/k/v1/records.json?"+q.Encode(), nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("X-Cybozu-Authorization", base64.StdEncoding.EncodeToString([]byte("admin:admin")))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Records []map[string]struct {
				Value json.RawMessage `json:"value"`
			} `json:"records"`
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET records.json: %s, %v", resp.Status, err)
		}
		for _, r := range body.Records {
			var idText string
			var rows []struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(r["$id"].Value, &idText); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(r[field].Value, &rows); err != nil {
				t.Fatal(err)
			}
			id, _ := strconv.ParseInt(idText, 10, 64)
			for _, row := range rows {
				n, err := strconv.ParseInt(row.ID, 10, 64)
				if err != nil {
					t.Fatalf("row id %q: %v", row.ID, err)
				}
				out[id] = append(out[id], n)
			}
		}
		if len(body.Records) < 500 {
			return out
		}
	}
}

// liteType is a column's type in SQLite. A NUMBER is REAL: exact enough
// for the data (at most two decimals, magnitudes below 10^4), and results
// are compared rounded to 6 decimals (see canon).
func liteType(c colType) string {
	switch c {
	case cNum:
		return "REAL"
	case cID:
		return "INTEGER"
	}
	return "TEXT"
}

// loadSQLite opens an in-memory SQLite database holding the tables.
//
// MySQL (and the driver) and SQLite differ in ways the data set up here
// settles:
//   - LIKE: SQLite's ignores ASCII case by default; MySQL's with the
//     driver's binary collation does not. PRAGMA case_sensitive_like makes
//     SQLite's byte exact too.
//   - Text comparison, grouping and DISTINCT: SQLite's default BINARY
//     collation compares bytes (memcmp), as the driver does (text byte by
//     byte, NO PAD: 'Bob' and 'Bob ' differ, as do 'Alice' and 'alice'),
//     which is MySQL's utf8mb4_0900_bin, not its default case-insensitive
//     collation nor the PAD SPACE utf8mb4_bin.
func loadSQLite(t *testing.T, d *dataset) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file::memory:?_pragma=case_sensitive_like(1)")
	if err != nil {
		t.Fatal(err)
	}
	// One connection: each connection to :memory: is a database of its own.
	db.SetMaxOpenConns(1)
	db.SetConnMaxLifetime(0)
	t.Cleanup(func() { db.Close() })
	var like int
	if err := db.QueryRow("SELECT 'a' LIKE 'A'").Scan(&like); err != nil || like != 0 {
		t.Fatalf("SQLite's LIKE ignores case (%d, %v): case_sensitive_like was not set", like, err)
	}
	for _, tb := range d.all() {
		var defs, marks []string
		for _, c := range tb.cols {
			defs = append(defs, liteIdent(c.name)+" "+liteType(c.typ))
			marks = append(marks, "?")
		}
		if _, err := db.Exec(fmt.Sprintf("CREATE TABLE %s (%s)", tb.lite, strings.Join(defs, ", "))); err != nil {
			t.Fatal(err)
		}
		ins := fmt.Sprintf("INSERT INTO %s VALUES (%s)", tb.lite, strings.Join(marks, ", "))
		for _, row := range tb.rows {
			args := make([]any, len(row))
			for i, v := range row {
				args[i] = v
				if s, ok := v.(string); ok && tb.cols[i].typ == cNum {
					f, err := strconv.ParseFloat(s, 64)
					if err != nil {
						t.Fatal(err)
					}
					args[i] = f
				}
			}
			if _, err := db.Exec(ins, args...); err != nil {
				t.Fatalf("%s: %v", ins, err)
			}
		}
	}
	return db
}

// liteIdent quotes a name for SQLite, where $id unquoted would be a
// parameter.
func liteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }
