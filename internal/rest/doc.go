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
// it again cannot do harm:
//
//   - Reads (records, record, apps, app, form fields, ping) and cursor
//     DELETE are idempotent: retried after any transport failure (including
//     a per-request timeout and a body cut short) and after 429 (except
//     GAIA_TM12), 502, 503, 504 and the database-lock codes.
//   - Writes (records POST/PUT/DELETE, bulkRequest), cursor creation and
//     cursor GET are retried only when Kintone provably did not process
//     them: the request never left the process (no header was written),
//     or the answer was 429 GAIA_TO04 (the concurrency gate turns requests
//     away before running them), 503 (maintenance), or a database lock
//     (Kintone rolls the whole request back). A 502 or 504, or a connection
//     lost after sending, is returned: the write may have been applied.
//     Cursor creation is guarded because each success holds one of the
//     domain's ten cursors; cursor GET because each one advances the
//     cursor, so repeating one whose answer was lost would skip a page.
//   - 429 GAIA_TM12 (the cursor pool is full) is never retried: slots free
//     only when other cursors finish or expire after 10 minutes.
//
// Delays grow exponentially from Options.MinBackoff to Options.MaxBackoff
// with full jitter; a Retry-After header (seconds or a date) replaces the
// delay, and one longer than MaxRetryAfter ends the retries. No delay
// outlasts the caller's deadline, and every wait ends when the context is
// done.
//
// # Errors
//
// Kintone's answers become *APIError (errors.As), a failed bulkRequest a
// *BulkError wrapping one, a request without an answer a *TransportError
// whose MaybeSent tells whether it may have reached Kintone, and a body
// over Config.MaxResponseBytes an error wrapping ErrResponseTooLarge. No
// error, log record or hook call contains a header, a query value or a
// body.
package rest
