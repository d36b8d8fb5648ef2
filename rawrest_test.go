package kintone_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/kintone-sql/kintone/kintonetest"
)

// rawField is one field of a record as Kintone's REST API returns it.
type rawField struct {
	Type  string          `json:"type"`
	Value json.RawMessage `json:"value"`
}

// rawQuery runs Kintone's own query on app through the REST API, signed in
// as the emulator's admin, without the driver: what Kintone answers. It
// returns the records (fields: $id plus fields) and the total count.
func rawQuery(t *testing.T, srv *kintonetest.Server, app int64, query string, fields ...string) ([]map[string]rawField, int) {
	t.Helper()
	q := url.Values{}
	q.Set("app", strconv.FormatInt(app, 10))
	q.Set("query", query)
	q.Set("totalCount", "true")
	for i, f := range append([]string{"$id"}, fields...) {
		q.Set(fmt.Sprintf("fields[%d]", i), f)
	}
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/k/v1/records.json?"+q.Encode(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Cybozu-Authorization", base64.StdEncoding.EncodeToString([]byte("admin:admin")))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("Kintone's query %q: %d %s", query, resp.StatusCode, body)
	}
	var out struct {
		Records    []map[string]rawField `json:"records"`
		TotalCount string                `json:"totalCount"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(out.TotalCount)
	if err != nil {
		t.Fatalf("totalCount %q", out.TotalCount)
	}
	return out.Records, n
}

// rawValues returns the JSON "value" of field code of every record Kintone's
// query returns, by $id.
func rawValues(t *testing.T, srv *kintonetest.Server, app int64, query, code string) map[int64]string {
	t.Helper()
	recs, _ := rawQuery(t, srv, app, query, code)
	out := make(map[int64]string, len(recs))
	for _, r := range recs {
		var id string
		if err := json.Unmarshal(r["$id"].Value, &id); err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.ParseInt(id, 10, 64)
		out[n] = string(r[code].Value)
	}
	return out
}

// rawIDs returns the $id of every record Kintone's query returns (at most
// 500), in the order Kintone returns them.
func rawIDs(t *testing.T, srv *kintonetest.Server, app int64, query string) []int64 {
	t.Helper()
	recs, _ := rawQuery(t, srv, app, query)
	out := make([]int64, len(recs))
	for i, r := range recs {
		var id string
		if err := json.Unmarshal(r["$id"].Value, &id); err != nil {
			t.Fatal(err)
		}
		out[i], _ = strconv.ParseInt(id, 10, 64)
	}
	return out
}
