package rest

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// maxURLLength is the longest GET URL sent as is. Longer ones go as POST
// with X-HTTP-Method-Override: GET and the parameters in a JSON body, at
// the same threshold as @kintone/rest-api-client (Kintone refuses URLs over
// 8 KB with 414).
const maxURLLength = 4096

// maxErrorBody bounds how much of an error answer is read.
const maxErrorBody = 1 << 20

// safety says when a request may be sent again.
type safety uint8

const (
	// idempotent requests change nothing when repeated: reads, and the
	// DELETE of a cursor (a second one finds it gone). They are retried
	// after transport errors and transient statuses (429, 502, 503, 504,
	// database locks).
	idempotent safety = iota
	// once requests must not run twice: writes, which would apply twice,
	// cursor creation, which would leak a cursor of the domain's ten, and
	// cursor GET, which advances the cursor, so that a page lost on the way
	// back would be skipped without a trace. They are retried only when
	// MayHaveApplied says Kintone provably did not process them: the
	// request never left this process, or Kintone's own JSON error says it
	// is transient (429 GAIA_TO04, a 503 with a code, a database lock).
	once
)

// call is one API call before encoding.
type call struct {
	method   string  // GET, POST, PUT or DELETE
	resource string  // "records.json", "records/cursor.json", ...
	params   *params // GET and DELETE parameters
	body     any     // POST and PUT body
	safety   safety
	// bulk reads a failure as a bulkRequest's {"results": [...]}.
	bulk bool
	// forceBody sends GET parameters as a JSON body even when the URL
	// would be short enough (fields beyond MaxFieldsInQuery).
	forceBody bool
}

// request is a call encoded for the wire.
type request struct {
	method     string // API method
	httpMethod string
	url        string
	path       string
	body       []byte // nil without a body
	override   bool   // X-HTTP-Method-Override: GET
	bulk       bool
}

// encode builds the URL and body of cl.
func (c *Client) encode(cl *call) (*request, error) {
	r := &request{method: cl.method, httpMethod: cl.method, path: c.Path(cl.resource), bulk: cl.bulk}
	r.url = c.base + r.path
	switch cl.method {
	case http.MethodGet, http.MethodDelete:
		if cl.params == nil {
			break
		}
		if q := cl.params.query(); q != "" {
			r.url += "?" + q
		}
		if len(r.url) <= maxURLLength && !cl.forceBody {
			break
		}
		// Too long for a URL: the parameters go in a JSON body, which
		// Kintone accepts for GET (through the override, as rest-api-client
		// does) and for DELETE (directly, as go-kintone does).
		r.url, r.body = c.base+r.path, cl.params.json()
		if cl.method == http.MethodGet {
			r.httpMethod, r.override = http.MethodPost, true
		}
	default:
		body, err := marshal(cl.body)
		if err != nil {
			return nil, fmt.Errorf("kintone: %s %s: %w: %w", cl.method, r.path, ErrNotEncoded, err)
		}
		r.body = body
	}
	return r, nil
}

// do sends cl, retrying as its safety allows, and hands a 2xx body to
// decode (which may be nil to discard it). Any other answer becomes an
// *APIError; a failure to get one a *TransportError.
func (c *Client) do(ctx context.Context, cl *call, decode func(io.Reader) error) error {
	r, err := c.encode(cl)
	if err != nil {
		return err
	}
	return c.send(ctx, r, cl.safety, decode)
}

// outcome is the result of one attempt.
type outcome struct {
	err        error
	retry      bool
	retryAfter time.Duration // -1 when the answer had no Retry-After
	// timedOut: the attempt's own timeout (Config.Timeout) ended it, not
	// the caller's context.
	timedOut bool
	// malformed: a 2xx answer came whose body was not what the call
	// expects (cut short, garbled, not JSON, of the wrong shape).
	malformed bool
}

// attempt sends r once.
func (c *Client) attempt(ctx context.Context, r *request, s safety, n int, decode func(io.Reader) error) outcome {
	actx, cancel := ctx, context.CancelFunc(func() {})
	if c.timeout > 0 {
		actx, cancel = context.WithTimeout(ctx, c.timeout)
	}
	defer cancel()
	var wrote atomic.Bool
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{WroteHeaders: func() { wrote.Store(true) }})

	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(actx, r.httpMethod, r.url, body)
	if err != nil {
		return outcome{err: fmt.Errorf("kintone: %s %s: building the request: %w: %w", r.method, r.path, ErrNotSent, unwrapURLError(err))}
	}
	req.Header.Set("User-Agent", c.userAgent)
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.override {
		req.Header.Set("X-HTTP-Method-Override", http.MethodGet)
	}
	if err := c.auth.Authenticate(req); err != nil {
		return outcome{err: fmt.Errorf("%w: %w", err, ErrNotSent)}
	}

	info := RequestInfo{Method: r.method, HTTPMethod: r.httpMethod, Path: r.path, Attempt: n}
	start := time.Now()
	resp, err := c.hc.Do(req)
	timedOut := func() bool {
		return c.timeout > 0 && ctx.Err() == nil && errors.Is(actx.Err(), context.DeadlineExceeded)
	}
	if err != nil {
		out := outcome{retryAfter: -1, timedOut: timedOut()}
		cause := unwrapURLError(err)
		if out.timedOut {
			cause = &timeoutError{after: c.timeout, err: cause}
		}
		te := &TransportError{Method: r.method, Path: r.path, MaybeSent: wrote.Load(), Err: cause}
		info.Duration, info.Err = time.Since(start), te
		out.err = te
		out.retry = ctx.Err() == nil && !permanent(err) && (s == idempotent || !MayHaveApplied(te))
		c.report(ctx, info, out.retry)
		return out
	}
	body2 := &capReader{r: resp.Body, remaining: c.maxBytes, unlimited: c.maxBytes <= 0, length: max(resp.ContentLength, 0)}
	if d, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		body2.date = d
	}
	body2.load = loadOf(resp.Header)
	defer func() {
		// Drain a little so the connection can be reused, then close.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		_ = resp.Body.Close()
	}()
	info.Status = resp.StatusCode

	out := outcome{retryAfter: -1}
	if resp.StatusCode/100 == 2 {
		out.err = c.decodeBody(ctx, r, resp, body2, s, decode, &out)
		var te *TransportError
		if errors.As(out.err, &te) && timedOut() {
			out.timedOut = true
			te.Err = &timeoutError{after: c.timeout, reading: true, err: te.Err}
		}
	} else {
		limit := int64(maxErrorBody)
		if !body2.unlimited {
			limit = min(limit, body2.remaining)
		}
		b, _ := io.ReadAll(io.LimitReader(body2, limit))
		ct := resp.Header.Get("Content-Type")
		var apiErr *APIError
		if r.bulk {
			out.err = parseBulkError(resp.StatusCode, ct, b)
			_ = errors.As(out.err, &apiErr)
		} else {
			apiErr = parseAPIError(resp.StatusCode, ct, b)
			out.err = apiErr
		}
		out.retry = ctx.Err() == nil && apiErr.Retryable() && (s == idempotent || !MayHaveApplied(out.err))
		out.retryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	info.Bytes, info.Duration, info.Err = body2.n, time.Since(start), out.err
	c.report(ctx, info, out.retry)
	return out
}

// decodeBody runs decode over a 2xx body and classifies its failure.
func (c *Client) decodeBody(ctx context.Context, r *request, resp *http.Response, body *capReader, s safety,
	decode func(io.Reader) error, out *outcome) error {
	if !body.unlimited && resp.ContentLength > body.remaining {
		return c.tooLarge(r)
	}
	if decode == nil {
		decode = decodeObject
	}
	err := decode(body)
	switch {
	case err == nil:
		return nil
	case body.tooLarge:
		return c.tooLarge(r)
	case body.err != nil:
		// The connection failed while the body was read: the answer is
		// lost, so a read may be asked again.
		out.retry = ctx.Err() == nil && s == idempotent
		return &TransportError{Method: r.method, Path: r.path, MaybeSent: true, Err: body.err}
	}
	// A 2xx answer that is not what Kintone sends: a gateway's page, a
	// body cut short or garbled on the way. Asking a read again is
	// harmless and may get the real answer; a write's outcome is unknown
	// (MayHaveApplied) and it is never resent.
	out.malformed = true
	out.retry = ctx.Err() == nil && s == idempotent
	return fmt.Errorf("kintone: %s %s: malformed response: %w", r.method, r.path, err)
}

// decodeObject checks that an answer whose content is not needed (a
// DELETE's {}, Ping's apps) is a JSON object, as Kintone's answers are: a
// gateway's 200 page (a sign-in form) or a body cut short is no proof that
// Kintone did anything.
func decodeObject(r io.Reader) error {
	var v *struct{}
	if err := decodeJSON(&v)(r); err != nil {
		return err
	}
	if v == nil {
		return errShape("null instead of an object")
	}
	return nil
}

func (c *Client) tooLarge(r *request) error {
	return fmt.Errorf("kintone: %s %s: %w (%d bytes); raise maxResponseBytes or read fewer records or fields per request",
		r.method, r.path, ErrResponseTooLarge, c.maxBytes)
}

// unwrapURLError drops *url.Error's wrapping, whose message repeats the
// URL with its query.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// report calls the hook and logs the attempt. Only the method, path,
// status, sizes, timings and Kintone's code and request ID are logged.
func (c *Client) report(ctx context.Context, info RequestInfo, retry bool) {
	if c.hook != nil {
		c.hook(info)
	}
	if c.logger == nil {
		return
	}
	level := slog.LevelDebug
	attrs := make([]slog.Attr, 0, 10)
	attrs = append(attrs,
		slog.String("method", info.Method),
		slog.String("path", info.Path),
		slog.Int("status", info.Status),
		slog.Duration("duration", info.Duration),
		slog.Int("attempt", info.Attempt),
		slog.Int64("bytes", info.Bytes),
	)
	if info.HTTPMethod != info.Method {
		attrs = append(attrs, slog.String("httpMethod", info.HTTPMethod))
	}
	if info.Err != nil {
		level = slog.LevelInfo
		var ae *APIError
		var te *TransportError
		switch {
		case errors.As(info.Err, &ae):
			attrs = append(attrs, slog.String("code", ae.Code), slog.String("requestId", ae.ID))
		case errors.As(info.Err, &te):
			attrs = append(attrs, slog.String("error", te.Err.Error()))
		default:
			attrs = append(attrs, slog.String("error", info.Err.Error()))
		}
		attrs = append(attrs, slog.Bool("retry", retry))
	}
	c.logger.LogAttrs(ctx, level, "kintone request", attrs...)
}

// capReader counts what it reads, fails with ErrResponseTooLarge past the
// cap, and remembers a read error of the underlying body.
type capReader struct {
	r         io.Reader
	length    int64 // the Content-Length, or 0 when unknown
	remaining int64
	unlimited bool
	n         int64
	tooLarge  bool
	err       error     // a read error other than EOF
	date      time.Time // the answer's Date header; zero when none
	load      Load      // the answer's X-ConcurrencyLimit headers
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.tooLarge {
		return 0, ErrResponseTooLarge
	}
	if !c.unlimited {
		if c.remaining <= 0 {
			// At the cap: the body is too large if anything follows.
			var one [1]byte
			n, err := c.r.Read(one[:])
			if n > 0 {
				c.tooLarge = true
				return 0, ErrResponseTooLarge
			}
			return 0, c.note(err)
		}
		if int64(len(p)) > c.remaining {
			p = p[:c.remaining]
		}
	}
	n, err := c.r.Read(p)
	c.n += int64(n)
	c.remaining -= int64(n)
	return n, c.note(err)
}

func (c *capReader) note(err error) error {
	if err != nil && err != io.EOF && c.err == nil {
		c.err = err
	}
	return err
}

// parseRetryAfter reads a Retry-After header: seconds or an HTTP date.
// It returns -1 when the header is absent or unreadable.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return -1
	}
	var secs int64
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			secs = -1
			break
		}
		if secs > 1<<31 {
			break // absurd; capped below
		}
		secs = secs*10 + int64(v[i]-'0')
	}
	if secs >= 0 {
		return time.Duration(min(secs, 1<<31)) * time.Second
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return -1
	}
	return max(t.Sub(now), 0)
}

// permanent reports transport errors that sending again cannot cure: the
// server's certificate is not trusted or does not match, the server refused
// the client certificate (a TLS alert), the server does not speak TLS, or
// the host name does not exist. Retrying them only delays the error.
func permanent(err error) bool {
	var (
		unknownCA   x509.UnknownAuthorityError
		invalidCert x509.CertificateInvalidError
		hostname    x509.HostnameError
		verify      *tls.CertificateVerificationError
		alert       tls.AlertError
		header      tls.RecordHeaderError
		dnsErr      *net.DNSError
		opErr       *net.OpError
	)
	switch {
	case errors.As(err, &unknownCA), errors.As(err, &invalidCert), errors.As(err, &hostname),
		errors.As(err, &verify), errors.As(err, &alert), errors.As(err, &header):
		return true
	case errors.As(err, &dnsErr):
		return dnsErr.IsNotFound
	case errors.As(err, &opErr) && opErr.Op == "remote error":
		// crypto/tls reports an alert from the server (such as
		// "certificate required") as a net.OpError with this Op.
		return true
	}
	return false
}
