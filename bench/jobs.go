package main

import (
	"fmt"
	"strings"
)

// A job is one thing users do with an app, run the same way through the
// driver (as SQL) and through the official client (peer/peer.mjs, which
// knows the jobs by key).
type job struct {
	key   string // as the -jobs flag and peer.mjs name it
	title string // as the table shows it
	write bool   // inserts, updates or deletes records
	join  bool   // reads the orders and customers apps (joinapp.go), not the benchmark app
	copy  bool   // writes into the app's empty copy (copyapp.go), which the harness empties after every run
}

// jobs lists every job in the order a round runs them: the reads first
// (on the app at its seed size), then the copy of half the app into an
// empty app by INSERT ... SELECT, then insert, update and delete, each on
// the records its side's insert of the round added, so that a round
// leaves the app as it found it. An N in a title is the job's rows.
var jobs = []job{
	{key: "read-all", title: "read all"},
	{key: "read-filter", title: "read with a filter"},
	{key: "read-ordered", title: "read ordered by num"},
	{key: "read-small", title: "read N by $id"},
	{key: "read-small-ordered", title: "read N by $id, ordered by num"},
	{key: "count", title: "count"},
	{key: "join-small", title: "join small", join: true},
	{key: "join-all", title: "join all", join: true},
	{key: "left-join", title: "left join", join: true},
	{key: "join-group", title: "join, group by region", join: true},
	{key: "join-reversed", title: "join all, customers first", join: true},
	{key: "join-region", title: "join, customers of a region", join: true},
	{key: "insert-select", title: "copy N by INSERT … SELECT", write: true, copy: true},
	{key: "insert", title: "insert N", write: true},
	{key: "update", title: "update N by a condition", write: true},
	{key: "delete", title: "delete N by a condition", write: true},
}

// pickJobs returns the jobs named in a comma-separated list ("" or "all":
// every job), in run order. Update and delete work on the rows insert
// added, so they need it.
func pickJobs(list string) ([]job, error) {
	if list == "" || list == "all" {
		return jobs, nil
	}
	want := map[string]bool{}
	for _, k := range strings.Split(list, ",") {
		k = strings.TrimSpace(k)
		found := false
		for _, j := range jobs {
			found = found || j.key == k
		}
		if !found {
			return nil, fmt.Errorf("unknown job %q (jobs: %s)", k, jobKeys())
		}
		want[k] = true
	}
	if (want["update"] || want["delete"]) && !want["insert"] {
		return nil, fmt.Errorf("update and delete change the rows insert adds: name insert too")
	}
	var out []job
	for _, j := range jobs {
		if want[j.key] {
			out = append(out, j)
		}
	}
	return out, nil
}

// concurrencyJobs are the jobs of the concurrency table out of picked:
// the driver's reads, including the copy's. Jobs that add, change or
// remove the app's records cannot be named; the joins run when named
// (named: -jobs was given), and are left out of the default.
func concurrencyJobs(picked []job, named bool) ([]job, error) {
	var out []job
	for _, j := range picked {
		switch {
		case j.write && !j.copy:
			if named {
				return nil, fmt.Errorf("job %s: the concurrency table runs reads only", j.key)
			}
		case j.join && !named:
		default:
			out = append(out, j)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no jobs to run")
	}
	return out, nil
}

// jobKeys lists the job keys for an error message.
func jobKeys() string {
	keys := make([]string, len(jobs))
	for i, j := range jobs {
		keys[i] = j.key
	}
	return strings.Join(keys, ", ")
}

// task is one run of one job by one side: what the driver's child process
// and peer.mjs are given, as JSON.
type task struct {
	Job     string `json:"job"`
	Table   string `json:"table"`   // the app's name, the SQL table (a join job's orders)
	App     int64  `json:"app"`     // the app's ID, for the official client
	Records int    `json:"records"` // the app's seed size
	N       int    `json:"n"`       // rows the write jobs insert, update and delete
	Batch   string `json:"batch"`   // marks this side's and round's inserted rows
	Want    int    `json:"want"`    // rows read, counted or affected, checked by both sides

	// Customers and CustomersApp are a join job's customers app: its name
	// (the SQL table) and its ID.
	Customers    string `json:"customers,omitempty"`
	CustomersApp int64  `json:"customersApp,omitempty"`

	// Target and TargetApp are the app a copy job writes into: its name
	// (the SQL table) and its ID.
	Target    string `json:"target,omitempty"`
	TargetApp int64  `json:"targetApp,omitempty"`

	// Condition and OrderBy are the job's query in Kintone's language, for
	// the official client (the driver's is SQL: driverSQL).
	Condition string `json:"condition,omitempty"`
	OrderBy   string `json:"orderBy,omitempty"`

	DSN      string `json:"dsn,omitempty"`   // the driver's
	BaseURL  string `json:"baseUrl"`         // http://localhost:PORT, for the official client
	Control  string `json:"control"`         // http://127.0.0.1:PORT/_emulator/, to reset the counters
	Marks    string `json:"marks,omitempty"` // http://127.0.0.1:PORT/ of the harness, told when the clock starts and stops (marks.go)
	User     string `json:"user"`            // the official client's login
	Password string `json:"password"`
}

// kintoneQuery sets t's Condition and OrderBy: the same rows as
// driverSQL's, in Kintone's query language.
func (t *task) kintoneQuery() {
	switch t.Job {
	case "read-filter":
		t.Condition = filterKQL
	case "read-ordered":
		t.OrderBy = orderKQL
	case "read-small":
		t.Condition = smallIDKQL
	case "read-small-ordered":
		t.Condition, t.OrderBy = smallIDKQL, orderKQL
	case "count":
		t.Condition = countKQL
	case "insert-select":
		t.Condition = copyKQL
	case "update", "delete":
		t.Condition = `batch = "` + t.Batch + `"`
	case "join-small":
		t.Condition = smallKQL(t.Records)
	case "join-region":
		t.Condition = regionKQL
	}
}

// want is the number of rows job reads, counts or changes on an app of
// records seed records with n-row writes.
func want(key string, records, n int) int {
	switch key {
	case "read-filter":
		filtered, _ := filterMatches(records)
		return filtered
	case "count":
		_, red := filterMatches(records)
		return red
	case "read-small", "read-small-ordered":
		return min(smallIDs, records)
	case "insert-select":
		return copyMatches(records)
	case "insert", "update", "delete":
		return n
	case "join-small":
		return countJoin(records).smallMatched
	case "join-all", "join-reversed":
		return countJoin(records).matched
	case "join-region":
		return countJoin(records).regionOrders
	case "join-group":
		return countJoin(records).regions
	}
	return records // read-all, read-ordered, left-join
}

// minRequests is the fewest API requests job can take on an app of
// records seed records with n-row writes: a GET returns at most 500
// records, a bulkRequest writes at most 2,000, a count is one GET with
// totalCount; updating or deleting by a condition Kintone cannot apply
// itself means reading the matching $id (and $revision) first. A join
// reads both apps: the orders "join small" selects, then their customers
// by code (code in (...), 500 codes a query); the customers of a region,
// then their orders by code (or all orders, when that is fewer pages); the
// other joins both apps whole. Copying by INSERT ... SELECT reads the rows
// and writes them.
func minRequests(key string, records, n int) int {
	reads := func(rows int) int { return max(1, ceilDiv(rows, 500)) }
	writes := func(rows int) int { return max(1, ceilDiv(rows, 2000)) }
	switch key {
	case "count":
		return 1
	case "insert":
		return writes(n)
	case "update", "delete":
		return reads(n) + writes(n)
	case "insert-select":
		c := want(key, records, n)
		return reads(c) + writes(c)
	case "join-small":
		c := countJoin(records)
		return reads(c.small) + ceilDiv(c.smallCodes, 500)
	case "join-all", "left-join", "join-group", "join-reversed":
		return reads(records) + reads(customerCount(records))
	case "join-region":
		c := countJoin(records)
		return reads(c.regionCustomers) + min(c.regionPages, reads(records))
	}
	return reads(want(key, records, n))
}

// floorRequests is how many requests of job, one after another, bound its
// wall time from below at a latency L for a client that sends one at a
// time: the API's minimum, as issue 15 defines the floor (time ÷ requests
// × L), the copy by INSERT ... SELECT included (its 50,000 rows: 125
// requests, 6.25 s at 50 ms). Reads asked for several at once, and reads
// that overlap writes, go below it (a ratio below 1), which is why it is a
// distance, not a bound.
func floorRequests(key string, records, n int) int {
	return minRequests(key, records, n)
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// driverSQL is the statement and arguments the driver runs for t.
func driverSQL(t task) (string, []any) {
	table := "`" + t.Table + "`"
	switch t.Job {
	case "read-all":
		return "SELECT * FROM " + table, nil
	case "read-filter":
		return "SELECT * FROM " + table + " WHERE " + filterSQL, nil
	case "read-ordered":
		return "SELECT * FROM " + table + " ORDER BY " + orderSQL, nil
	case "read-small":
		return "SELECT * FROM " + table + " WHERE " + smallIDSQL, nil
	case "read-small-ordered":
		return "SELECT * FROM " + table + " WHERE " + smallIDSQL + " ORDER BY " + orderSQL, nil
	case "count":
		return "SELECT COUNT(*) FROM " + table + " WHERE " + countSQL, nil
	case "insert-select":
		cols := strings.Join(insertColumns, ", ")
		return "INSERT INTO `" + t.Target + "` (" + cols + ") SELECT " + cols + " FROM " + table + " WHERE " + copySQL, nil
	case "insert":
		return insertSQL(table, t.N, t.Batch)
	case "update":
		return "UPDATE " + table + " SET title = 'updated' WHERE batch = ?", []any{t.Batch}
	case "delete":
		return "DELETE FROM " + table + " WHERE batch = ?", []any{t.Batch}
	case "join-small", "join-all", "left-join", "join-group", "join-reversed", "join-region":
		return joinSQL(t), nil
	}
	panic("bench: no SQL for job " + t.Job) // pickJobs admits only known jobs
}

// insertSQL is one multi-row INSERT of n rows, with placeholders.
func insertSQL(table string, n int, batch string) (string, []any) {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(insertColumns, ", ") + ") VALUES ")
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(insertColumns)), ", ") + ")"
	args := make([]any, 0, n*len(insertColumns))
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(tuple)
		args = append(args, rowValues(i, batch)...)
	}
	return b.String(), args
}

// joinSQL is a join job's statement: orders o joined to customers c by
// the customer's code.
func joinSQL(t task) string {
	from := "`" + t.Table + "` o JOIN `" + t.Customers + "` c ON c.code = o.customer"
	switch t.Job {
	case "join-small":
		return "SELECT o.seq, o.amount, c.name FROM " + from + " WHERE " + smallSQL(t.Records)
	case "left-join":
		return "SELECT o.seq, o.amount, c.name FROM `" + t.Table + "` o LEFT JOIN `" + t.Customers + "` c ON c.code = o.customer"
	case "join-group":
		return "SELECT c.region, SUM(o.amount) FROM " + from + " GROUP BY c.region"
	case "join-reversed":
		return "SELECT o.seq, o.amount, c.name FROM `" + t.Customers + "` c JOIN `" + t.Table + "` o ON c.code = o.customer"
	case "join-region":
		return "SELECT o.seq, o.amount, c.name FROM " + from + " WHERE " + regionSQL
	}
	return "SELECT o.seq, o.amount, c.name FROM " + from // join-all
}
