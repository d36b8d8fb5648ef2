package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// The copy job ("insert-select") writes half of the benchmark app into an
// app of the same fields that the harness creates empty: the driver by
// INSERT ... SELECT, the official client by getAllRecords and then
// addAllRecords. After every run, whoever ran it and however it ended, the
// harness checks what the copy holds and empties it, so the next run
// starts from an empty app again.

// copyName is the name (and so the SQL table) of the copy of the app of n
// records.
func copyName(n int) string { return appName(n) + "_copy" }

// finishCopy checks that the copy app holds exactly want records, all
// of them copies of seed records the job selects (their batch and num
// fields were copied), and deletes them. It makes 2 + ceil(want/2000)
// requests: two counts, then the records by $id in bulkRequests (an app
// numbers its records one after another, so want records added to an
// empty app are want consecutive $ids from the first). When the counts
// are wrong, or a delete fails, it deletes whatever the app holds page by
// page and returns an error saying what it found.
func finishCopy(ctx context.Context, e *env, app int64, want int) error {
	total, first, err := countRecords(ctx, e, app, "")
	if err != nil {
		return err
	}
	copied, _, err := countRecords(ctx, e, app, `batch = "`+seedBatch+`" and `+copyKQL)
	if err != nil {
		return err
	}
	if total != want || copied != want {
		removed, rerr := removeWhere(ctx, e, app, "")
		return fmt.Errorf("the copy held %d records, %d of them seed records with %s, want %d (removed %d; %v)",
			total, copied, copyKQL, want, removed, rerr)
	}
	if total == 0 {
		return nil
	}
	for start := 0; start < want; start += 2000 {
		var reqs []map[string]any
		for k := start; k < min(want, start+2000); k += 100 {
			ids := make([]int64, 0, 100)
			for id := first + int64(k); id < first+int64(min(want, k+100)); id++ {
				ids = append(ids, id)
			}
			reqs = append(reqs, map[string]any{
				"method": http.MethodDelete, "api": "/k/v1/records.json",
				"payload": map[string]any{"app": app, "ids": ids},
			})
		}
		if err := e.api(ctx, http.MethodPost, "bulkRequest.json", map[string]any{"requests": reqs}, nil); err != nil {
			removed, rerr := removeWhere(ctx, e, app, "")
			return fmt.Errorf("the copy's records were not $id %d to %d: %v (removed %d; %v)",
				first, first+int64(want)-1, err, removed, rerr)
		}
	}
	return nil
}

// countRecords returns how many records of app match condition (Kintone's
// query language, "" for all) and the lowest $id among them (0 for none),
// in one GET.
func countRecords(ctx context.Context, e *env, app int64, condition string) (total int, first int64, err error) {
	q := url.Values{}
	q.Set("app", strconv.FormatInt(app, 10))
	query := "order by $id asc limit 1"
	if condition != "" {
		query = condition + " " + query
	}
	q.Set("query", query)
	q.Set("fields[0]", "$id")
	q.Set("totalCount", "true")
	var page struct {
		Records []struct {
			ID struct {
				Value string `json:"value"`
			} `json:"$id"`
		} `json:"records"`
		TotalCount string `json:"totalCount"`
	}
	if err := e.api(ctx, http.MethodGet, "records.json?"+q.Encode(), nil, &page); err != nil {
		return 0, 0, err
	}
	if total, err = strconv.Atoi(page.TotalCount); err != nil {
		return 0, 0, fmt.Errorf("totalCount %q: %w", page.TotalCount, err)
	}
	if len(page.Records) > 0 {
		if first, err = strconv.ParseInt(page.Records[0].ID.Value, 10, 64); err != nil {
			return 0, 0, fmt.Errorf("$id %q: %w", page.Records[0].ID.Value, err)
		}
	}
	return total, first, nil
}
