package rest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// MaxCursorSize is the largest cursor page.
const MaxCursorSize = 500

// CreateCursorRequest asks for a cursor over the records matching Query.
type CreateCursorRequest struct {
	App int64 `json:"app,string"`
	// Fields names the fields to return; empty returns all.
	Fields []string `json:"fields,omitempty"`
	// Query is a condition and order by, without limit or offset.
	Query string `json:"query,omitempty"`
	// Size is the page size, 1 to MaxCursorSize; zero means Kintone's
	// default of 100.
	Size int `json:"size,omitempty"`
}

// Cursor is a server-side cursor. It holds one of the domain's ten cursor
// slots until it is read to the end (the last page's Next is false), is
// deleted, or sits idle for 10 minutes.
type Cursor struct {
	ID string
	// TotalCount is the number of records the cursor will return.
	TotalCount int64
}

// CreateCursor creates a cursor (POST records/cursor.json). It is not
// retried after an answer was possibly lost, since each success takes a
// cursor slot; a full pool is 429 GAIA_TM12, which is not retried either.
func (c *Client) CreateCursor(ctx context.Context, req CreateCursorRequest) (*Cursor, error) {
	if req.Size < 0 || req.Size > MaxCursorSize {
		return nil, fmt.Errorf("kintone: POST %s: size %d is outside 1 to %d", c.Path("records/cursor.json"), req.Size, MaxCursorSize)
	}
	var ans struct {
		ID         string        `json:"id"`
		TotalCount decimalString `json:"totalCount"`
	}
	cl := &call{method: http.MethodPost, resource: "records/cursor.json", body: req, safety: once}
	if err := c.do(ctx, cl, decodeJSON(&ans)); err != nil {
		return nil, err
	}
	if ans.ID == "" {
		return nil, fmt.Errorf("kintone: POST %s: malformed response: %w", c.Path("records/cursor.json"), errShape(`no cursor "id"`))
	}
	return &Cursor{ID: ans.ID, TotalCount: int64(ans.TotalCount)}, nil
}

// GetCursorPage reads the cursor's next page (GET records/cursor.json).
// When the page's Next is false, Kintone has deleted the cursor.
//
// Each GET advances the cursor, so a GET whose answer was lost cannot be
// asked again without skipping a page: this call is retried only when
// Kintone provably did not process it (see the package documentation), and
// otherwise fails; the caller can delete the cursor and start over. (One
// resend remains outside this package's control: net/http sends a GET
// again, once, when a reused keep-alive connection turns out to have been
// closed by the server before any byte of the answer arrived, the race of
// a server closing an idle connection just as a request is written.)
func (c *Client) GetCursorPage(ctx context.Context, id string) (*RecordsPage, error) {
	p := &params{}
	p.str("id", id)
	return c.getPage(ctx, &call{method: http.MethodGet, resource: "records/cursor.json", params: p, safety: once})
}

// DeleteCursor deletes a cursor (DELETE records/cursor.json) to free its
// slot early. A cursor that no longer exists (404 GAIA_CN01: read to the
// end, expired, or deleted by an earlier attempt) counts as deleted.
// Callers closing rows should pass a context that is not the query's, such
// as context.WithoutCancel with a short timeout.
func (c *Client) DeleteCursor(ctx context.Context, id string) error {
	p := &params{}
	p.str("id", id)
	err := c.do(ctx, &call{method: http.MethodDelete, resource: "records/cursor.json", params: p, safety: idempotent}, nil)
	var ae *APIError
	if errors.As(err, &ae) && ae.Code == CodeCursorNotFound {
		return nil
	}
	return err
}
