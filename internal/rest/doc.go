// Package rest is the Kintone REST API client the driver runs on. It knows
// endpoints, limits and errors, and nothing of SQL.
//
// One Client serves one connector: it holds the *http.Client (and so the
// connection pool, proxy and TLS settings), the auth.Authenticator, and the
// retry, timeout, size-cap, logging and hook settings. There is no global
// client and no package-level state.
//
// # Requests
//
// Paths are /k/v1/<resource>, or /k/guest/<id>/v1/<resource> for a guest
// space. GET and DELETE parameters go in the query string exactly as
// @kintone/rest-api-client encodes them (fields[0]=..., RFC 3986
// percent-encoding, %20 for spaces); a GET whose URL would pass 4,096
// characters goes as POST with X-HTTP-Method-Override: GET and a JSON body,
// and a long DELETE carries a JSON body. Bodies are JSON with
// Content-Type: application/json. Redirects are never followed: they would
// carry the credential headers elsewhere.
//
// # Retries
//
// A request is retried, at most Config.MaxRetries times, only when sending
// it again cannot do harm. Whether a failed request may have been applied
// is decided in one place, MayHaveApplied, which the driver's reports of
// writes use too. Its rule: an answer proves that nothing was applied only
// when Kintone itself says so, with its JSON error body: a code of
// Kintone's form (CB_VA01, GAIA_RE01) and a request ID (Kintone rolls a
// failed request back as a whole), or when the request never left
// the process (no header was written). Any other answer after a request
// was possibly sent leaves the outcome unknown: a status without Kintone's
// error body (a gateway's 503 text/html, which some proxies send after
// forwarding the request, 502, 504, 500, Kintone's own plain-text
// maintenance 503), a 2xx whose body is cut short, garbled, not JSON or
// of the wrong shape, a connection lost or a per-request timeout after
// sending. The exceptions are the statuses by which HTTP itself says the
// request was not acted on, for reasons a gateway decides before
// forwarding: 3xx, 401, 407, 413, 414 and 431 (none is retried).
//
//   - Reads (records, record, apps, app, form fields, ping) and cursor
//     DELETE are idempotent: retried after any transport failure (including
//     a per-request timeout and a body cut short) and after 429 (except
//     GAIA_TM12), 502, 503, 504 and the database-lock codes, with or
//     without Kintone's body.
//   - Writes (records POST/PUT/DELETE, bulkRequest), cursor creation and
//     cursor GET are retried only when MayHaveApplied is false and the
//     error is transient: the request never left the process, or Kintone's
//     JSON error says 429 GAIA_TO04 (the concurrency gate turns requests
//     away before running them), a 502, 503 or 504 with a code, or a
//     database lock. Anything else is returned, and the write may have
//     been applied. Cursor creation is guarded because each success holds
//     one of the domain's ten cursors; cursor GET because each one advances
//     the cursor, so repeating one whose answer was lost would skip a page.
//   - 429 GAIA_TM12 (the cursor pool is full) is never retried: slots free
//     only when other cursors finish or expire after 10 minutes.
//   - A 2xx answer that is not what Kintone sends (not JSON, a body cut
//     short or garbled, a JSON object without the expected members, fewer
//     ids or results than records written) is a malformed response. A
//     read is asked once more, since a gateway may have spoiled the answer
//     on the way; a second malformed answer ends the retries. Any other
//     call is not retried. An answer over Config.MaxResponseBytes is never
//     retried.
//
// Delays grow exponentially from Options.MinBackoff to Options.MaxBackoff
// with full jitter; a Retry-After header (seconds or a date) replaces the
// delay. Each attempt is bounded by Config.Timeout, and the whole sequence
// by Config.RetryTimeout: no retry starts, and no wait before one ends,
// later than RetryTimeout after the first attempt began, so a call lasts
// at most RetryTimeout plus one Timeout. The retries also end at once when
// a Retry-After is longer than what is left of RetryTimeout (or than
// MaxRetryAfter), when the next retry would start after the caller's
// deadline, and after a second per-request timeout (a server that let two
// attempts time out is not answering; waiting for it again would only
// multiply the timeout). Every wait ends when the context is done.
//
// A request that failed after more than one attempt, or whose retry one of
// these bounds refused, fails with a *RetryError saying how many attempts
// were made over how long, why each failed and why no more were made
// ("gave up after 2 attempts in 2.5s (a second per-request timeout: the
// server is not answering): each timed out after 1s (timeout=1s)"). It
// unwraps to the last attempt's error, so errors.As and errors.Is (with
// context.DeadlineExceeded) see through it.
//
// # Errors
//
// Kintone's answers become *APIError (errors.As), a failed bulkRequest a
// *BulkError wrapping one, a request without an answer a *TransportError
// whose MaybeSent tells whether it may have reached Kintone, a body over
// Config.MaxResponseBytes an error wrapping ErrResponseTooLarge, and
// retries that ended without success a *RetryError wrapping the last
// attempt's error. MayHaveApplied tells, for any of them, whether a write
// may have been applied. No
// error, log record or hook call contains a header, a query value or a
// body.
package rest
