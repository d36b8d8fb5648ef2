package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// removeInserted deletes every record of app that is not a seed record,
// with plain API calls (neither side's code, which may be what failed),
// and returns how many it deleted.
func removeInserted(ctx context.Context, e *env, app int64) (int, error) {
	return removeWhere(ctx, e, app, `batch != "`+seedBatch+`"`)
}

// removeWhere deletes every record of app that matches condition (in
// Kintone's query language; "" for every record), a page at a time, and
// returns how many it deleted.
func removeWhere(ctx context.Context, e *env, app int64, condition string) (int, error) {
	removed := 0
	query := "limit 500"
	if condition != "" {
		query = condition + " " + query
	}
	for {
		q := url.Values{}
		q.Set("app", strconv.FormatInt(app, 10))
		q.Set("query", query)
		q.Set("fields[0]", "$id")
		var page struct {
			Records []struct {
				ID struct {
					Value string `json:"value"`
				} `json:"$id"`
			} `json:"records"`
		}
		if err := e.api(ctx, http.MethodGet, "records.json?"+q.Encode(), nil, &page); err != nil {
			return removed, err
		}
		if len(page.Records) == 0 {
			return removed, nil
		}
		for start := 0; start < len(page.Records); start += 100 {
			var ids []string
			for _, r := range page.Records[start:min(start+100, len(page.Records))] {
				ids = append(ids, r.ID.Value)
			}
			body := map[string]any{"app": app, "ids": ids}
			if err := e.api(ctx, http.MethodDelete, "records.json", body, nil); err != nil {
				return removed, err
			}
			removed += len(ids)
		}
	}
}

// api makes one Kintone API call on the emulator as the harness's user.
func (e *env) api(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, e.srv.URL+"/k/v1/"+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("X-Cybozu-Authorization", base64.StdEncoding.EncodeToString([]byte(e.user+":"+e.password)))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: %s: %s", method, path, res.Status, b)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}
