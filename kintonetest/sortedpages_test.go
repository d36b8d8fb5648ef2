package kintonetest

import (
	"net/url"
	"slices"
	"sort"
	"strconv"
	"sync"
	"testing"
)

// TestSortedPagesSeeWrites reads pages in an order other than by $id, as a
// driver does (the emulator keeps the sorted matches between them), with
// writes between the pages: each page must be the page of the data as it
// is when it is asked for.
func TestSortedPagesSeeWrites(t *testing.T) {
	srv := newServer(t)
	app := testApp(t, srv)
	c := adminClient(t, srv)
	// num is the sort key: 250 records, many of them equal.
	nums := map[int64]int{}
	for from := 0; from < 250; from += 100 {
		recs := make([]map[string]any, min(100, 250-from))
		for i := range recs {
			n := (from + i) % 40
			recs[i] = map[string]any{"title": map[string]any{"value": "r" + strconv.Itoa(from+i)}, "num": map[string]any{"value": n}}
		}
		got := c.ok("POST", "/k/v1/records.json", map[string]any{"app": app, "records": recs})
		for i, id := range got["ids"].([]any) {
			v, _ := strconv.ParseInt(id.(string), 10, 64)
			nums[v] = (from + i) % 40
		}
	}
	// want is the whole order: num desc, then $id asc.
	want := func() []int64 {
		ids := make([]int64, 0, len(nums))
		for id := range nums {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool {
			a, b := ids[i], ids[j]
			if nums[a] != nums[b] {
				return nums[a] > nums[b]
			}
			return a < b
		})
		return ids
	}
	page := func(offset int) {
		t.Helper()
		q := url.Values{}
		q.Set("app", itoa(app))
		q.Set("query", "num >= 0 order by num desc, $id asc limit 60 offset "+strconv.Itoa(offset))
		q.Set("totalCount", "true")
		got := c.ok("GET", "/k/v1/records.json?"+q.Encode(), nil)
		var ids []int64
		for _, r := range got["records"].([]any) {
			id, _ := strconv.ParseInt(r.(map[string]any)["$id"].(map[string]any)["value"].(string), 10, 64)
			ids = append(ids, id)
		}
		all := want()
		wantPage := all[min(offset, len(all)):min(offset+60, len(all))]
		if !slices.Equal(ids, wantPage) || got["totalCount"] != strconv.Itoa(len(all)) {
			t.Fatalf("offset %d: %v (total %v), want %v (total %d)", offset, ids, got["totalCount"], wantPage, len(all))
		}
	}
	page(0)
	page(59)
	page(118)

	// An update moves a record of a later page to the top.
	moved := want()[200]
	c.ok("PUT", "/k/v1/record.json", map[string]any{"app": app, "id": moved, "record": map[string]any{"num": map[string]any{"value": 100}}})
	nums[moved] = 100
	page(177)
	page(0)

	// A delete and an insert change the total and the pages.
	gone := want()[5]
	c.ok("DELETE", "/k/v1/records.json", map[string]any{"app": app, "ids": []int64{gone}})
	delete(nums, gone)
	page(0)
	got := c.ok("POST", "/k/v1/record.json", map[string]any{"app": app, "record": map[string]any{"num": map[string]any{"value": 20}}})
	id, _ := strconv.ParseInt(got["id"].(string), 10, 64)
	nums[id] = 20
	for off := 0; off <= 260; off += 59 {
		page(off)
	}

	// A bulkRequest that fails changes nothing: the pages stay.
	if r := c.do("POST", "/k/v1/bulkRequest.json", map[string]any{"requests": []any{
		map[string]any{"method": "PUT", "api": "/k/v1/record.json", "payload": map[string]any{"app": app, "id": want()[0], "record": map[string]any{"num": map[string]any{"value": -5}}}},
		map[string]any{"method": "PUT", "api": "/k/v1/record.json", "payload": map[string]any{"app": app, "id": 99999, "record": map[string]any{}}},
	}}); r.Status != 404 {
		t.Fatalf("a failing bulkRequest: %d %s", r.Status, r.Body)
	}
	page(0)
	page(59)
}

// TestSortedPagesConcurrentWrites reads sorted pages from several clients
// while another writes, for the race detector; every page must be in
// order and hold the total, and the pages read after the last write must
// be those of the final data.
func TestSortedPagesConcurrentWrites(t *testing.T) {
	srv := newServer(t)
	app := testApp(t, srv)
	c := adminClient(t, srv)
	for from := 0; from < 300; from += 100 {
		c.ok("POST", "/k/v1/records.json", map[string]any{"app": app, "records": numberedRecords(from, 100)})
	}
	type rec struct {
		id, num int64
	}
	read := func(c *client, offset int) []rec {
		q := url.Values{}
		q.Set("app", itoa(app))
		q.Set("query", "num >= 0 order by num desc, $id asc limit 100 offset "+strconv.Itoa(offset))
		q.Set("totalCount", "true")
		r := c.do("GET", "/k/v1/records.json?"+q.Encode(), nil)
		got := r.JSON(c.t)
		if r.Status != 200 || got["totalCount"] != "300" {
			c.t.Errorf("offset %d: %d %v", offset, r.Status, got["totalCount"])
			return nil
		}
		var out []rec
		for _, x := range got["records"].([]any) {
			m := x.(map[string]any)
			id, _ := strconv.ParseInt(m["$id"].(map[string]any)["value"].(string), 10, 64)
			n, _ := strconv.ParseInt(m["num"].(map[string]any)["value"].(string), 10, 64)
			out = append(out, rec{id, n})
		}
		for i := 1; i < len(out); i++ {
			if a, b := out[i-1], out[i]; a.num < b.num || a.num == b.num && a.id > b.id {
				c.t.Errorf("offset %d: %v before %v", offset, a, b)
			}
		}
		return out
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	for g := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rc := adminClient(t, srv)
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				read(rc, ((g+i)%4)*99)
			}
		}()
	}
	for i := range 40 {
		id := int64(1 + i*7%300)
		c.ok("PUT", "/k/v1/record.json", map[string]any{"app": app, "id": id, "record": map[string]any{"num": map[string]any{"value": 1000 + i}}})
	}
	close(done)
	wg.Wait()
	// The last write put 1039 on a record: it comes first now.
	if got := read(c, 0); len(got) == 0 || got[0].num != 1039 {
		t.Fatalf("the first page after the writes starts %v", got[:min(1, len(got))])
	}
}
