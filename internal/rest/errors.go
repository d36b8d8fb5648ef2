package rest

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/kintone-sql/kintone/internal/errmsg"
)

// APIError is an error answer from Kintone (or from something in front of
// it: a proxy, a load balancer, the maintenance page).
//
// Kintone errors carry a code (CB_VA01, GAIA_RE01, ...), a random request
// ID and a localized message; validation errors add Errors, keyed by
// parameter path (record.title.value, records[3].id, ...). Match on Code,
// never on Message: messages follow the user's language. Answers that are
// not Kintone's JSON (a 414 HTML page, a proxy's 502 text) have an empty
// Code and the HTTP status text as Message; their body is not kept, since
// a gateway's page is no help and could echo anything.
//
// Error never contains request headers, query values or bodies, so no
// credential can leak through it.
type APIError struct {
	// Status is the HTTP status code.
	Status int
	// Code is Kintone's error code, or "" when the body was not a Kintone
	// error.
	Code string
	// ID identifies the request in Kintone's logs.
	ID string
	// Message is Kintone's message, or the HTTP status text.
	Message string
	// Errors maps a parameter path to its messages, for validation errors
	// (CB_VA01); nil otherwise.
	Errors map[string][]string
}

// Error codes the retry policy knows.
const (
	// CodeConcurrencyLimit (429) refuses a request because the domain runs
	// too many at once; nothing was processed.
	CodeConcurrencyLimit = "GAIA_TO04"
	// CodeCursorLimit (429) refuses to create an 11th cursor.
	CodeCursorLimit = "GAIA_TM12"
	// CodeCursorNotFound (404) answers a GET or DELETE of a cursor that was
	// read to the end, deleted or expired.
	CodeCursorNotFound = "GAIA_CN01"
	// CodeNoPermission (403) answers an API token that may not run the API.
	CodeNoPermission = "GAIA_NO01"
	// CodeNoPrivilege (403) answers a user or OAuth token without the right.
	CodeNoPrivilege = "CB_NO02"
)

// lockCodes are Kintone's "database is locked, try again later" codes. Like
// every Kintone error they mean the request was rolled back as a whole.
var lockCodes = []string{"GAIA_RE18", "GAIA_DA02", "GAIA_LT01"}

// Error returns "kintone: <status> <code>: <message> [<errors>] (id: <id>)".
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("kintone: ")
	b.WriteString(strconv.Itoa(e.Status))
	if e.Code != "" {
		b.WriteByte(' ')
		b.WriteString(e.Code)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if len(e.Errors) > 0 {
		keys := make([]string, 0, len(e.Errors))
		for k := range e.Errors {
			keys = append(keys, k)
		}
		slices.SortFunc(keys, naturalCompare)
		b.WriteString(" [")
		for i, k := range keys {
			if i == maxListedErrors {
				fmt.Fprintf(&b, "; and %d more", len(keys)-i)
				break
			}
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(k)
			b.WriteString(": ")
			b.WriteString(strings.Join(e.Errors[k], " "))
		}
		b.WriteByte(']')
	}
	if e.ID != "" {
		b.WriteString(" (id: ")
		b.WriteString(e.ID)
		b.WriteByte(')')
	}
	return b.String()
}

// Retryable reports whether the error is transient, so that the same
// request may succeed later: 429 for the concurrency limit (not 429
// GAIA_TM12, the cursor pool, which frees only when other cursors are read
// to the end, deleted or expire after 10 minutes), 502, 503, 504, and
// Kintone's database-lock codes.
//
// Whether the client retries on its own also depends on the request: a
// write is sent again only when MayHaveApplied is false (see the package
// documentation).
func (e *APIError) Retryable() bool {
	switch {
	case slices.Contains(lockCodes, e.Code):
		return true
	case e.Status == http.StatusTooManyRequests:
		return e.Code != CodeCursorLimit
	}
	switch e.Status {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// Is reports whether target is an *APIError with the same Code, or, when
// target has no Code, the same Status: errors.Is(err, &rest.APIError{Code:
// "GAIA_RE01"}).
func (e *APIError) Is(target error) bool {
	t, ok := target.(*APIError)
	if !ok {
		return false
	}
	if t.Code != "" {
		return t.Code == e.Code
	}
	return t.Status != 0 && t.Status == e.Status
}

// wireError is Kintone's error body.
type wireError struct {
	Code    string                                 `json:"code"`
	ID      string                                 `json:"id"`
	Message string                                 `json:"message"`
	Errors  map[string]struct{ Messages []string } `json:"errors"`
}

func (w *wireError) apiError(status int) *APIError {
	e := &APIError{Status: status, Code: w.Code, ID: w.ID, Message: w.Message}
	if len(w.Errors) > 0 {
		e.Errors = make(map[string][]string, len(w.Errors))
		for k, v := range w.Errors {
			e.Errors[k] = v.Messages
		}
	}
	return e
}

// parseAPIError builds the error for a non-2xx answer from its body. A body
// that is not a Kintone error object becomes a status-only error.
func parseAPIError(status int, contentType string, body []byte) *APIError {
	if isJSON(contentType, body) {
		var w wireError
		if json.Unmarshal(body, &w) == nil && w.isKintoneError() {
			return w.apiError(status)
		}
	}
	return statusError(status)
}

// isKintoneCode reports whether s has the form of Kintone's error codes:
// a product prefix of two to four capitals, an underscore, two capitals
// and two digits (CB_VA01, GAIA_RE01, OC_NO02; every code in Kintone's
// documentation has it). A gateway's JSON error says nothing about the
// request (see MayHaveApplied), and gateways use codes too:
// "SERVICE_UNAVAILABLE", "UPSTREAM_RESET", "unavailable"; none has this
// form.
func isKintoneCode(s string) bool {
	prefix, rest, ok := strings.Cut(s, "_")
	if !ok || len(prefix) < 2 || len(prefix) > 4 || len(rest) != 4 {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		if !isUpper(prefix[i]) {
			return false
		}
	}
	return isUpper(rest[0]) && isUpper(rest[1]) && isDigit(rest[2]) && isDigit(rest[3])
}

// isKintoneError reports whether w is Kintone's error body: a code of
// Kintone's form and the request ID Kintone puts in every error answer
// (bulkRequest's failing result included).
func (w *wireError) isKintoneError() bool { return isKintoneCode(w.Code) && w.ID != "" }

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

// statusError is the error for an answer without a Kintone error body.
func statusError(status int) *APIError {
	msg := http.StatusText(status)
	if msg == "" {
		msg = "HTTP status " + strconv.Itoa(status)
	}
	return &APIError{Status: status, Message: msg + " (not a Kintone error body)"}
}

// isJSON reports whether a body is declared or looks like JSON: Kintone
// labels its errors application/json, but a body that starts with '{' is
// tried whatever the label.
func isJSON(contentType string, body []byte) bool {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil &&
		(mt == "application/json" || strings.HasSuffix(mt, "+json")) {
		return true
	}
	for _, c := range body {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c == '{'
	}
	return false
}

// BulkError is a failed bulkRequest: the request at Index failed with Err,
// and Kintone rolled back every request of the call.
type BulkError struct {
	// Index is the position of the failing request, from 0.
	Index int
	// Err is the failing request's error.
	Err *APIError
}

// Error names the failing request and its error.
func (e *BulkError) Error() string {
	return "kintone: bulkRequest: request " + strconv.Itoa(e.Index) + " failed, nothing was applied: " + errmsg.Text(e.Err)
}

// Unwrap returns the *APIError, so errors.As finds it.
func (e *BulkError) Unwrap() error { return e.Err }

// TransportError is a request that got no complete HTTP answer: a dial,
// proxy or TLS failure, a connection reset, a timeout, a cancelled context,
// or a body cut short.
type TransportError struct {
	// Method and Path name the request (the path without its query).
	Method, Path string
	// MaybeSent is false when the request provably never left this process
	// (no header was written to a connection), so Kintone cannot have acted
	// on it. When true, a write may or may not have been applied.
	MaybeSent bool
	// Err is the cause.
	Err error
}

// Error names the request and the cause.
func (e *TransportError) Error() string {
	return "kintone: " + e.Method + " " + e.Path + ": " + e.Err.Error()
}

// Unwrap returns the cause, so errors.Is(err, context.Canceled) works.
func (e *TransportError) Unwrap() error { return e.Err }

// ErrResponseTooLarge is wrapped by the error for an answer longer than
// Config.MaxResponseBytes.
var ErrResponseTooLarge = errors.New("response body exceeds maxResponseBytes")

// ErrTooMany is wrapped by the error for a call exceeding one of Kintone's
// per-request limits (100 records, 20 bulk requests, 100 app filters),
// refused before sending.
var ErrTooMany = errors.New("exceeds Kintone's limit per request")

// ErrNotEncoded is wrapped by the error for a request whose parameters or
// body could not be encoded (a record value that is not JSON, a bulk
// request of an unknown method): it was refused before sending, so
// Kintone never saw it.
var ErrNotEncoded = errors.New("the request could not be encoded")

// maxListedErrors is how many validation messages Error lists; a write of
// 2,000 records can carry thousands, all in Errors.
const maxListedErrors = 5

// naturalCompare orders parameter paths with their indexes as numbers:
// records[2] before records[10].
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		if isDigit(a[0]) && isDigit(b[0]) {
			i, j := digitRun(a), digitRun(b)
			na, nb := strings.TrimLeft(a[:i], "0"), strings.TrimLeft(b[:j], "0")
			if c := cmp.Compare(len(na), len(nb)); c != 0 {
				return c
			}
			if c := strings.Compare(na, nb); c != 0 {
				return c
			}
			a, b = a[i:], b[j:]
			continue
		}
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func digitRun(s string) int {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}
