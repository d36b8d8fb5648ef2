package rest

import (
	"errors"
	"net/http"
	"slices"
)

// This file is the one place that decides whether a failed request may
// have been applied by Kintone. The retry policy (a write is sent again
// only when it provably was not applied) and the driver's reports of
// writes (PartialWriteError.Unknown, a transaction's Commit) both ask
// MayHaveApplied, so they cannot disagree.
//
// The rule: an answer proves that nothing was applied only when Kintone
// itself says so, with its JSON error body: a code of Kintone's form
// (CB_VA01, GAIA_RE01) and a request ID, which a gateway's own JSON error
// ("SERVICE_UNAVAILABLE") lacks (Kintone rolls a failed request back as a
// whole), or when the request provably never
// left this process. Anything else after a request was possibly sent is
// an unknown outcome: any status without Kintone's error body (a
// gateway's 503 text/html, 502, 504, 500, a JSON error that is not
// Kintone's), a 2xx whose body is cut short, garbled, not JSON or of the
// wrong shape, a connection lost after sending, a per-request timeout
// after sending. A handful of statuses are exceptions, see
// (*APIError).rejected.

// ErrNotSent is wrapped by the error for a request that failed before any
// of it was written to a connection (building or authenticating it): it
// was not sent, so Kintone cannot have applied it.
var ErrNotSent = errors.New("the request was not sent")

// MayHaveApplied reports whether a write that failed with err may have
// been applied by Kintone. It is false only when the failure proves that
// nothing was applied: Kintone's own error answer (an *APIError with a
// Code, a *BulkError), an answer whose status says the request was not
// processed (see the package documentation), or a request that never
// left the process (a *TransportError whose MaybeSent is false, or an
// error wrapping ErrNotSent, ErrTooMany or ErrNotEncoded). Every other
// error, including ones this package does not know, counts as possibly
// applied. A nil error is no failure, and reports false.
//
// For a request that was retried, every earlier attempt was proven not
// applied (else it would not have been retried), so the last cause, which
// the error wraps, decides.
func MayHaveApplied(err error) bool {
	var (
		be *BulkError
		ae *APIError
		te *TransportError
	)
	switch {
	case err == nil:
		return false
	case errors.As(err, &be):
		return false // Kintone's failure inside a bulkRequest: all rolled back
	case errors.As(err, &ae):
		return !ae.rejected()
	case errors.As(err, &te):
		return te.MaybeSent
	case errors.Is(err, ErrNotSent), errors.Is(err, ErrTooMany), errors.Is(err, ErrNotEncoded):
		return false
	}
	return true // a malformed or oversized answer to a write, or unknown
}

// rejected reports whether the answer proves that the request was not
// applied.
//
// Kintone's own errors (a Code: its JSON error body) do: Kintone rolls a
// failed request back as a whole. Other answers come from something in
// front of Kintone, or from Kintone's own front end (its maintenance 503
// is plain text), and cannot be told apart: a reverse proxy forwards a
// write and then answers 503 text/html or 502 when the upstream
// connection breaks, and a firewall inspecting answers can replace
// Kintone's 200 with a 403 page. So a status alone proves nothing, except
// where HTTP itself says the request was not acted on, for reasons that a
// gateway decides before forwarding, never after:
//
//   - 3xx: "further action needs to be taken by the user agent in order to
//     fulfill the request" (RFC 9110 §15.4); the client follows no
//     redirect.
//   - 401 and 407: "the request has not been applied because it lacks
//     valid authentication credentials" (§15.5.2), for the origin or for
//     the proxy (§15.5.8).
//   - 413 and 414: "the server is refusing to process the request"
//     because its content or URI is too long (§15.5.14, §15.5.15); Kintone
//     itself answers 414 with an HTML page.
//   - 431: "the server is unwilling to process the request because its
//     header fields are too large" (RFC 6585 §5).
//
// None of them is retried (Retryable is false): they only keep a refusal
// from being reported as a write of unknown outcome. A 429 or 503 without
// Kintone's body is not among them: RFC 6585 and RFC 9110 say only that
// the server is overloaded or rate-limiting, and a proxy answers 503 after
// forwarding.
func (e *APIError) rejected() bool {
	if e.Code != "" {
		return true
	}
	if e.Status/100 == 3 {
		return true
	}
	return slices.Contains([]int{http.StatusUnauthorized, http.StatusProxyAuthRequired, http.StatusRequestEntityTooLarge,
		http.StatusRequestURITooLong, http.StatusRequestHeaderFieldsTooLarge}, e.Status)
}
