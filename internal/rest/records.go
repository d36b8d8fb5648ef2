package rest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// Kintone's per-request limits.
const (
	// MaxRecordsPerWrite is the most records one POST, PUT or DELETE of
	// records.json takes.
	MaxRecordsPerWrite = 100
	// MaxBulkRequests is the most requests one bulkRequest takes.
	MaxBulkRequests = 20
	// MaxFieldsInQuery is the most field codes a query string can name
	// (fields[0] to fields[99]); longer lists go in a JSON body, which takes
	// 1,000.
	MaxFieldsInQuery = 100
)

// GetRecordsRequest asks for one page of records.
type GetRecordsRequest struct {
	// App is the app ID.
	App int64
	// Query is a Kintone query with any limit and offset (at most 500 and
	// 10,000); empty returns Kintone's default page (100 records, newest
	// first).
	Query string
	// Fields names the fields to return; empty returns all. $id and
	// $revision come back only if named.
	Fields []string
	// TotalCount asks for the number of records matching the query.
	TotalCount bool
}

// GetRecords reads one page of records (GET records.json). A request
// whose URL would pass 4,096 characters is sent as POST with
// X-HTTP-Method-Override: GET and a JSON body, as are requests naming more
// than MaxFieldsInQuery fields. Reads are retried (see the package
// documentation).
func (c *Client) GetRecords(ctx context.Context, req GetRecordsRequest) (*RecordsPage, error) {
	p := &params{}
	p.id("app", req.App)
	if len(req.Fields) > 0 {
		p.list("fields", req.Fields)
	}
	if req.Query != "" {
		p.str("query", req.Query)
	}
	if req.TotalCount {
		p.flag("totalCount", true)
	}
	cl := &call{method: http.MethodGet, resource: "records.json", params: p, safety: idempotent,
		forceBody: len(req.Fields) > MaxFieldsInQuery}
	return c.getPage(ctx, cl)
}

// getPage runs a call answered by records.
func (c *Client) getPage(ctx context.Context, cl *call) (*RecordsPage, error) {
	var page *RecordsPage
	err := c.do(ctx, cl, func(r io.Reader) error {
		var err error
		page, err = decodeRecordsPage(r, sizeHint(r))
		if cr, ok := r.(*capReader); ok && page != nil {
			page.Date, page.Load = cr.date, cr.load
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

// sizeHint is the Content-Length the capReader knows of, for sizing the
// page buffer; 0 when unknown.
func sizeHint(r io.Reader) int64 {
	if cr, ok := r.(*capReader); ok {
		return cr.length
	}
	return 0
}

// GetRecord reads one record by ID (GET record.json).
func (c *Client) GetRecord(ctx context.Context, app, id int64) (Record, error) {
	p := &params{}
	p.id("app", app)
	p.id("id", id)
	page, err := c.getPage(ctx, &call{method: http.MethodGet, resource: "record.json", params: p, safety: idempotent})
	if err != nil {
		return nil, err
	}
	if len(page.Records) != 1 {
		return nil, fmt.Errorf("kintone: GET %s: malformed response: %w", c.Path("record.json"), errShape(`no "record"`))
	}
	return page.Records[0], nil
}

// Values are the fields of a record to write: field code to the JSON value
// that goes inside {"value": ...}, such as "\"text\"", "[\"a\",\"b\"]" or
// "[{\"code\":\"user1\"}]".
type Values map[string]json.RawMessage

// AddedRecords are the IDs and revisions of new records, in request order.
type AddedRecords struct {
	IDs       []int64
	Revisions []int64
}

type addRecordsBody struct {
	App     int64    `json:"app,string"`
	Records []Values `json:"records"`
}

type addRecordsAnswer struct {
	IDs       []decimalString `json:"ids"`
	Revisions []decimalString `json:"revisions"`
}

func (a *addRecordsAnswer) result() (*AddedRecords, error) {
	if len(a.IDs) != len(a.Revisions) {
		return nil, errShape("ids and revisions differ in length")
	}
	r := &AddedRecords{IDs: make([]int64, len(a.IDs)), Revisions: make([]int64, len(a.IDs))}
	for i := range a.IDs {
		r.IDs[i], r.Revisions[i] = int64(a.IDs[i]), int64(a.Revisions[i])
	}
	return r, nil
}

// AddRecords adds up to MaxRecordsPerWrite records to app (POST
// records.json), all or none. No records make no request.
func (c *Client) AddRecords(ctx context.Context, app int64, records []Values) (*AddedRecords, error) {
	if err := c.checkCount(http.MethodPost, "records.json", len(records), MaxRecordsPerWrite, "records"); err != nil {
		return nil, err
	}
	if len(records) == 0 {
		return &AddedRecords{IDs: []int64{}, Revisions: []int64{}}, nil
	}
	var ans addRecordsAnswer
	cl := &call{method: http.MethodPost, resource: "records.json", body: addRecordsBody{app, records}, safety: once}
	if err := c.do(ctx, cl, decodeJSON(&ans)); err != nil {
		return nil, err
	}
	res, err := ans.result()
	if err == nil && len(res.IDs) != len(records) {
		err = errShape(strconv.Itoa(len(res.IDs)) + " ids for " + strconv.Itoa(len(records)) + " records")
	}
	if err != nil {
		return nil, fmt.Errorf("kintone: POST %s: malformed response: %w", c.Path("records.json"), err)
	}
	return res, nil
}

// UpdateKey identifies a record by a unique field instead of its ID: the
// field must be SINGLE_LINE_TEXT or NUMBER with "prohibit duplicate
// values".
type UpdateKey struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

// RecordUpdate is one record of UpdateRecords.
type RecordUpdate struct {
	// ID identifies the record; zero when UpdateKey does.
	ID int64 `json:"id,omitempty"`
	// UpdateKey identifies the record when ID is zero.
	UpdateKey *UpdateKey `json:"updateKey,omitempty"`
	// Record holds the fields to change; fields not listed keep their
	// values.
	Record Values `json:"record,omitempty"`
	// Revision, when positive, makes the update fail with 409 GAIA_CO02
	// unless the record is still at that revision.
	Revision int64 `json:"revision,omitempty"`
}

// UpdateRecordsRequest updates up to MaxRecordsPerWrite records of one app.
type UpdateRecordsRequest struct {
	App int64 `json:"app,string"`
	// Upsert inserts the records that match no ID or update key (the server
	// assigns new IDs).
	Upsert  bool           `json:"upsert,omitempty"`
	Records []RecordUpdate `json:"records"`
}

// UpdatedRecord is the outcome for one record of UpdateRecords.
type UpdatedRecord struct {
	ID       int64
	Revision int64
	// Operation is "INSERT" or "UPDATE" in upsert mode, "" otherwise.
	Operation string
}

type updateAnswer struct {
	Records []struct {
		ID        decimalString `json:"id"`
		Revision  decimalString `json:"revision"`
		Operation string        `json:"operation"`
	} `json:"records"`
}

func (a *updateAnswer) result() []UpdatedRecord {
	out := make([]UpdatedRecord, len(a.Records))
	for i, r := range a.Records {
		out[i] = UpdatedRecord{ID: int64(r.ID), Revision: int64(r.Revision), Operation: r.Operation}
	}
	return out
}

// validate checks the record count and that each record names itself by
// ID or update key, not both.
func (req *UpdateRecordsRequest) validate() error {
	if len(req.Records) > MaxRecordsPerWrite {
		return fmt.Errorf("%d records %w of %d", len(req.Records), ErrTooMany, MaxRecordsPerWrite)
	}
	for i, r := range req.Records {
		if (r.ID > 0) == (r.UpdateKey != nil) {
			return fmt.Errorf("records[%d]: give exactly one of a positive id and an updateKey", i)
		}
	}
	return nil
}

// UpdateRecords updates up to MaxRecordsPerWrite records (PUT
// records.json), all or none. No records make no request.
func (c *Client) UpdateRecords(ctx context.Context, req UpdateRecordsRequest) ([]UpdatedRecord, error) {
	if err := req.validate(); err != nil {
		return nil, fmt.Errorf("kintone: PUT %s: %w", c.Path("records.json"), err)
	}
	if len(req.Records) == 0 {
		return []UpdatedRecord{}, nil
	}
	var ans updateAnswer
	cl := &call{method: http.MethodPut, resource: "records.json", body: req, safety: once}
	if err := c.do(ctx, cl, decodeJSON(&ans)); err != nil {
		return nil, err
	}
	if len(ans.Records) != len(req.Records) {
		return nil, fmt.Errorf("kintone: PUT %s: malformed response: %w", c.Path("records.json"),
			errShape(strconv.Itoa(len(ans.Records))+" results for "+strconv.Itoa(len(req.Records))+" records"))
	}
	return ans.result(), nil
}

// deleteRevisions turns revisions into Kintone's form: nil when none is
// checked, else one entry per id with -1 for "no check".
func deleteRevisions(ids, revisions []int64) ([]int64, error) {
	if len(revisions) == 0 {
		return nil, nil
	}
	if len(revisions) != len(ids) {
		return nil, errors.New("revisions must be empty or as long as ids")
	}
	out := make([]int64, len(revisions))
	for i, r := range revisions {
		out[i] = r
		if r <= 0 {
			out[i] = -1
		}
	}
	return out, nil
}

// DeleteRecords deletes up to MaxRecordsPerWrite records by ID (DELETE
// records.json), all or none. revisions is empty or parallel to ids; a
// positive entry makes the call fail with 409 GAIA_CO02 unless that record
// is at that revision. No ids make no request.
func (c *Client) DeleteRecords(ctx context.Context, app int64, ids, revisions []int64) error {
	if err := c.checkCount(http.MethodDelete, "records.json", len(ids), MaxRecordsPerWrite, "ids"); err != nil {
		return err
	}
	revs, err := deleteRevisions(ids, revisions)
	if err != nil {
		return fmt.Errorf("kintone: DELETE %s: %w", c.Path("records.json"), err)
	}
	if len(ids) == 0 {
		return nil
	}
	p := &params{}
	p.id("app", app)
	p.ints("ids", ids)
	if revs != nil {
		p.ints("revisions", revs)
	}
	return c.do(ctx, &call{method: http.MethodDelete, resource: "records.json", params: p, safety: once}, nil)
}

// checkCount refuses a call over one of Kintone's limits before sending.
func (c *Client) checkCount(method, resource string, n, limit int, what string) error {
	if n > limit {
		return fmt.Errorf("kintone: %s %s: %d %s %w of %d", method, c.Path(resource), n, what, ErrTooMany, limit)
	}
	return nil
}

// decodeJSON returns a decoder of a JSON answer into v. The answer is read
// whole first, in a buffer bounded by the cap (readAll), and must be one
// JSON value with nothing after it.
func decodeJSON(v any) func(io.Reader) error {
	return func(r io.Reader) error {
		b, err := readAll(r, sizeHint(r))
		if err != nil {
			return err
		}
		return json.Unmarshal(b, v)
	}
}
