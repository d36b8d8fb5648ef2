package rest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
)

// BulkRequest is one request of a bulkRequest. Build record requests with
// BulkAddRecords, BulkUpdateRecords and BulkDeleteRecords; other targets
// Kintone allows (record.json, record/status.json, records/status.json,
// record/assignees.json) take a Payload of the API's JSON body.
type BulkRequest struct {
	// Method is POST, PUT or DELETE.
	Method string
	// Resource is the API resource, such as "records.json"; the client adds
	// its /k/v1/ or guest-space prefix.
	Resource string
	// Payload is the request's JSON body.
	Payload any
}

// BulkAddRecords is AddRecords as a bulk request.
func BulkAddRecords(app int64, records []Values) BulkRequest {
	return BulkRequest{Method: http.MethodPost, Resource: "records.json", Payload: addRecordsBody{app, records}}
}

// BulkUpdateRecords is UpdateRecords as a bulk request.
func BulkUpdateRecords(req UpdateRecordsRequest) BulkRequest {
	return BulkRequest{Method: http.MethodPut, Resource: "records.json", Payload: req}
}

// BulkDeleteRecords is DeleteRecords as a bulk request.
func BulkDeleteRecords(app int64, ids, revisions []int64) BulkRequest {
	return BulkRequest{Method: http.MethodDelete, Resource: "records.json", Payload: deleteBody{App: app, IDs: ids, rawRevs: revisions}}
}

type deleteBody struct {
	App       int64   `json:"app,string"`
	IDs       []int64 `json:"ids"`
	Revisions []int64 `json:"revisions,omitempty"`
	rawRevs   []int64
}

// BulkResult is the answer to one request of a bulkRequest.
type BulkResult struct {
	// Raw is the request's JSON answer ({} for a DELETE).
	Raw json.RawMessage
	// Added is set for POST records.json.
	Added *AddedRecords
	// Updated is set for PUT records.json.
	Updated []UpdatedRecord
}

type bulkWireRequest struct {
	Method  string `json:"method"`
	API     string `json:"api"`
	Payload any    `json:"payload"`
}

// Bulk runs up to MaxBulkRequests write requests atomically (POST
// bulkRequest.json): Kintone runs them in order and rolls all of them back
// if one fails, which is reported as a *BulkError naming its index (and
// wrapping its *APIError). Record requests are checked against Kintone's
// limits before sending. No requests make no call.
//
// In a guest space every request must target an app of that space. With
// API tokens, a token for every app touched must be configured.
func (c *Client) Bulk(ctx context.Context, reqs []BulkRequest) ([]BulkResult, error) {
	b, err := c.EncodeBulk(reqs)
	if err != nil {
		return nil, err
	}
	return c.SendBulk(ctx, b)
}

// EncodedBulk is a bulkRequest checked and encoded, ready for SendBulk.
type EncodedBulk struct {
	reqs []BulkRequest
	r    *request // nil for no requests
}

// EncodeBulk is the first half of Bulk: it checks reqs and builds the
// request body, which for 2,000 records is megabytes of JSON. A caller
// that writes batch after batch encodes the next one while the previous
// one is on its way.
func (c *Client) EncodeBulk(reqs []BulkRequest) (*EncodedBulk, error) {
	path := c.Path("bulkRequest.json")
	if len(reqs) > MaxBulkRequests {
		return nil, fmt.Errorf("kintone: POST %s: %d requests %w of %d", path, len(reqs), ErrTooMany, MaxBulkRequests)
	}
	if len(reqs) == 0 {
		return &EncodedBulk{}, nil
	}
	wire := make([]bulkWireRequest, len(reqs))
	for i, r := range reqs {
		payload, err := bulkPayload(r)
		if err != nil {
			if !errors.Is(err, ErrTooMany) {
				err = fmt.Errorf("%w: %w", ErrNotEncoded, err)
			}
			return nil, fmt.Errorf("kintone: POST %s: requests[%d] (%s %s): %w", path, i, r.Method, r.Resource, err)
		}
		wire[i] = bulkWireRequest{Method: r.Method, API: c.Path(r.Resource), Payload: payload}
	}
	r, err := c.encode(&call{method: http.MethodPost, resource: "bulkRequest.json", bulk: true, body: bulkBody(wire)})
	if err != nil {
		return nil, err
	}
	return &EncodedBulk{reqs: reqs, r: r}, nil
}

// SendBulk is the second half of Bulk: it sends b, once unless Kintone
// provably did not process it, and decodes the results.
func (c *Client) SendBulk(ctx context.Context, b *EncodedBulk) ([]BulkResult, error) {
	if b.r == nil {
		return []BulkResult{}, nil
	}
	path, reqs := b.r.path, b.reqs
	var ans struct {
		Results []json.RawMessage `json:"results"`
	}
	if err := c.send(ctx, b.r, once, decodeJSON(&ans)); err != nil {
		return nil, err
	}
	if be := bulkFailure(http.StatusOK, ans.Results); be != nil {
		return nil, be // a failure reported with a 2xx status
	}
	if len(ans.Results) != len(reqs) {
		return nil, fmt.Errorf("kintone: POST %s: malformed response: %w", path,
			errShape(strconv.Itoa(len(ans.Results))+" results for "+strconv.Itoa(len(reqs))+" requests"))
	}
	out := make([]BulkResult, len(reqs))
	for i, raw := range ans.Results {
		res, err := bulkResult(reqs[i], raw)
		if err != nil {
			return nil, fmt.Errorf("kintone: POST %s: malformed result %d: %w", path, i, err)
		}
		out[i] = res
	}
	return out, nil
}

// bulkPayload validates a request and returns the payload to send.
func bulkPayload(r BulkRequest) (any, error) {
	switch r.Method {
	case http.MethodPost, http.MethodPut, http.MethodDelete:
	default:
		return nil, fmt.Errorf("method must be POST, PUT or DELETE")
	}
	switch p := r.Payload.(type) {
	case addRecordsBody:
		if len(p.Records) > MaxRecordsPerWrite {
			return nil, fmt.Errorf("%d records %w of %d", len(p.Records), ErrTooMany, MaxRecordsPerWrite)
		}
	case UpdateRecordsRequest:
		if err := p.validate(); err != nil {
			return nil, err
		}
	case deleteBody:
		if len(p.IDs) > MaxRecordsPerWrite {
			return nil, fmt.Errorf("%d ids %w of %d", len(p.IDs), ErrTooMany, MaxRecordsPerWrite)
		}
		revs, err := deleteRevisions(p.IDs, p.rawRevs)
		if err != nil {
			return nil, err
		}
		p.Revisions = revs
		return p, nil
	case nil:
		return nil, fmt.Errorf("no payload")
	}
	return r.Payload, nil
}

// bulkResult decodes one result by the request's kind, and checks that it
// answers the request: an object, with as many ids or records as the
// request wrote.
func bulkResult(r BulkRequest, raw json.RawMessage) (BulkResult, error) {
	res := BulkResult{Raw: raw}
	if len(raw) == 0 || raw[0] != '{' {
		return res, errShape("a result is not an object")
	}
	switch p := r.Payload.(type) {
	case addRecordsBody:
		var a addRecordsAnswer
		if err := json.Unmarshal(raw, &a); err != nil {
			return res, err
		}
		added, err := a.result()
		if err != nil {
			return res, err
		}
		if len(added.IDs) != len(p.Records) {
			return res, errShape(strconv.Itoa(len(added.IDs)) + " ids for " + strconv.Itoa(len(p.Records)) + " records")
		}
		res.Added = added
	case UpdateRecordsRequest:
		var a updateAnswer
		if err := json.Unmarshal(raw, &a); err != nil {
			return res, err
		}
		if len(a.Records) != len(p.Records) {
			return res, errShape(strconv.Itoa(len(a.Records)) + " results for " + strconv.Itoa(len(p.Records)) + " records")
		}
		res.Updated = a.result()
	}
	return res, nil
}

// bulkFailure finds the failed request in a bulkRequest's results: the
// first element carrying an error code (every other one is {}), as
// @kintone/rest-api-client reads it. It returns nil when there is none.
func bulkFailure(status int, results []json.RawMessage) *BulkError {
	for i, raw := range results {
		if len(raw) < 2 || raw[0] != '{' {
			continue
		}
		var w wireError
		if json.Unmarshal(raw, &w) == nil && w.isKintoneError() {
			if status/100 == 2 {
				status = http.StatusBadRequest // a status-less failure is a bad request
			}
			return &BulkError{Index: i, Err: w.apiError(status)}
		}
	}
	return nil
}

// parseBulkError reads a failed bulkRequest's body, {"results":[{}, {error},
// ...]}. A body without results is an ordinary error (authentication, a
// malformed call).
func parseBulkError(status int, contentType string, body []byte) error {
	if isJSON(contentType, body) {
		var ans struct {
			Results []json.RawMessage `json:"results"`
		}
		if json.Unmarshal(body, &ans) == nil {
			if be := bulkFailure(status, ans.Results); be != nil {
				return be
			}
		}
	}
	return parseAPIError(status, contentType, body)
}
