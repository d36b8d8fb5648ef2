package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest"
)

// TestJoinOverTheDemoApps runs the README's join through the command
// against the demo apps and checks it against the same join computed
// here from the records read over plain REST.
func TestJoinOverTheDemoApps(t *testing.T) {
	srv, err := kintonetest.NewServer(kintonetest.WithDemoData())
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	country := map[string]string{}
	company := map[string]string{}
	for _, c := range rawRecords(t, srv.URL, 1) {
		company[c["customer_code"]] = c["company"]
		country[c["customer_code"]] = c["country"]
	}
	sums, counts := map[string]*big.Rat{}, map[string]int{}
	for _, o := range rawRecords(t, srv.URL, 2) {
		code := o["customer_code"]
		if o["status"] != "Shipped" || country[code] != "Japan" || o["total"] == "" {
			continue
		}
		v, _ := new(big.Rat).SetString(o["total"])
		name := company[code]
		if sums[name] == nil {
			sums[name] = new(big.Rat)
		}
		sums[name].Add(sums[name], v)
		counts[name]++
	}
	names := make([]string, 0, len(sums))
	for n := range sums {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return sums[names[i]].Cmp(sums[names[j]]) > 0 })
	want := "company,orders,total\n"
	for _, n := range names[:3] {
		want += fmt.Sprintf("%s,%d,%s\n", n, counts[n], sums[n].RatString())
	}

	ta := newTestApp(t)
	ta.env[dsnEnv] = ""
	code := ta.run("--format", "csv", "SELECT c.company, COUNT(*) AS orders, SUM(o.total) AS total FROM Orders o JOIN Customers c ON c.customer_code = o.customer_code WHERE o.status = 'Shipped' AND c.country = 'Japan' GROUP BY c.company ORDER BY total DESC LIMIT 3")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, ta.err.String())
	}
	if got := ta.out.String(); got != want {
		t.Errorf("stdout:\n%s\nwant:\n%s", got, want)
	}
}

// rawRecords reads every record of app over plain REST, values as text.
func rawRecords(t *testing.T, base string, app int) []map[string]string {
	t.Helper()
	var out []map[string]string
	last := "0"
	for {
		q := url.Values{"app": {fmt.Sprint(app)}, "query": {"$id > " + last + " order by $id asc limit 500"}}
		req, _ := http.NewRequest("GET", base+"/k/v1/records.json?"+q.Encode(), nil)
		req.Header.Set("X-Cybozu-Authorization", base64.StdEncoding.EncodeToString([]byte("admin:admin")))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct {
			Records []map[string]struct{ Value any }
		}
		err = json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range body.Records {
			m := map[string]string{}
			for k, v := range r {
				if s, ok := v.Value.(string); ok {
					m[k] = s
				}
			}
			out = append(out, m)
			last = m["$id"]
		}
		if len(body.Records) < 500 {
			return out
		}
	}
}

// TestExplainTreeUnderTheTable: in table format EXPLAIN's plan column
// (a tree of many lines) is printed under the table; other formats keep
// it as a column.
func TestExplainTreeUnderTheTable(t *testing.T) {
	const q = "EXPLAIN SELECT c.company FROM Orders o JOIN Customers c ON c.customer_code = o.customer_code"
	ta := newTestApp(t)
	ta.env[dsnEnv] = ""
	if code := ta.run("--format", "table", q); code != exitOK {
		t.Fatalf("exit %d: %s", code, ta.err.String())
	}
	out := ta.out.String()
	header, _, _ := strings.Cut(out, "\n")
	if strings.Contains(header, "plan") || !strings.Contains(header, "strategy") {
		t.Errorf("table header %q: want the read's columns without plan", header)
	}
	if !strings.Contains(out, "\nplan:\n  project c.company\n  └─ inner join") {
		t.Errorf("no tree under the table:\n%s", out)
	}
	ta = newTestApp(t)
	ta.env[dsnEnv] = ""
	if code := ta.run("--format", "tsv", q); code != exitOK {
		t.Fatalf("exit %d: %s", code, ta.err.String())
	}
	if header, _, _ := strings.Cut(ta.out.String(), "\n"); !strings.HasSuffix(header, "\tplan") {
		t.Errorf("TSV header %q: want the plan column kept", header)
	}
}
