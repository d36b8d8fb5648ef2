package rest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// send is do for a call already encoded: it makes the attempts the retry
// policy allows (see the package documentation) and returns nil, or the
// last attempt's error; inside a *RetryError when there was more than one
// attempt or a bound stopped the retries, so that the error says what
// happened.
func (c *Client) send(ctx context.Context, r *request, s safety, decode func(io.Reader) error) error {
	start := c.now()
	var failures []string
	timeouts, malformed := 0, 0
	for attempt := 1; ; attempt++ {
		out := c.attempt(ctx, r, s, attempt, decode)
		if out.err == nil {
			return nil
		}
		failures = append(failures, c.describe(r, out))
		if out.timedOut {
			timeouts++
		}
		if out.malformed {
			malformed++
		}
		stop := func(why string, waitErr error) error {
			if attempt == 1 && why == "" && waitErr == nil {
				return out.err // one attempt, not retryable: the error says it all
			}
			return &RetryError{Method: r.method, Path: r.path, Attempts: attempt, Elapsed: c.now().Sub(start),
				Failures: failures, Stop: why, Err: out.err, waitErr: waitErr}
		}
		switch {
		case !out.retry:
			return stop("", nil)
		case c.retries == 0:
			return out.err // retries are disabled
		case attempt > c.retries:
			return stop("maxRetries="+strconv.Itoa(c.retries), nil)
		case timeouts >= 2:
			// A server that let two attempts time out is not answering:
			// waiting for it again only multiplies the timeout.
			return stop("a second per-request timeout: the server is not answering", nil)
		case malformed >= 2:
			// A garbled answer on the way is retried once; a second one is
			// what the server (or what stands in front of it) sends.
			return stop("a second malformed answer: the server does not send what Kintone sends", nil)
		}
		delay := c.backoff(attempt)
		if out.retryAfter >= 0 {
			delay = out.retryAfter
			if delay > MaxRetryAfter {
				return stop(fmt.Sprintf("Kintone asked to retry after %v (Retry-After), longer than the client waits (%v)",
					delay, MaxRetryAfter), nil)
			}
		}
		if c.retryFor > 0 {
			if left := start.Add(c.retryFor).Sub(c.now()); left <= 0 || delay > left {
				if out.retryAfter >= 0 {
					return stop(fmt.Sprintf("Retry-After %v is beyond the %v left of retryTimeout=%v",
						delay, roundDuration(max(left, 0)), c.retryFor), nil)
				}
				return stop(fmt.Sprintf("retryTimeout=%v leaves no time for another attempt", c.retryFor), nil)
			}
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < delay {
			return stop(fmt.Sprintf("the caller's deadline comes before the next retry (in %v)", roundDuration(delay)), nil)
		}
		if err := c.sleep(ctx, delay); err != nil {
			return stop(err.Error()+" while waiting to retry", err)
		}
	}
}

// backoff is the delay before retry n (from 1): full jitter over an
// exponentially growing ceiling.
func (c *Client) backoff(n int) time.Duration {
	limit := c.maxDelay
	if n-1 < 30 {
		limit = min(c.maxDelay, c.minDelay<<(n-1))
	}
	return c.jitter(limit)
}

// describe says briefly why an attempt failed: Kintone's status, code and
// message (without its request ID, which differs on every attempt), the
// transport's error, or the error without its "kintone: METHOD path: ".
func (c *Client) describe(r *request, out outcome) string {
	var ae *APIError
	var te *TransportError
	switch {
	case errors.As(out.err, &ae):
		s := strconv.Itoa(ae.Status)
		if ae.Code != "" {
			s += " " + ae.Code
		}
		if ae.Message != "" {
			s += ": " + ae.Message
		}
		return s
	case errors.As(out.err, &te):
		return te.Err.Error()
	}
	return strings.TrimPrefix(out.err.Error(), "kintone: "+r.method+" "+r.path+": ")
}

// RetryError is the failure of a request that was attempted more than
// once, or whose retry a bound refused (maxRetries, retryTimeout, a long
// Retry-After, the caller's deadline): it says how many attempts were made
// over how long, why each failed and why no more were made. It unwraps to
// the last attempt's error (an *APIError, a *TransportError, ...), and to
// the context's error when the context ended a wait between attempts, so
// errors.Is(err, context.DeadlineExceeded) and errors.As work through it.
type RetryError struct {
	// Method and Path name the request (the path without its query).
	Method, Path string
	// Attempts is the number of attempts made.
	Attempts int
	// Elapsed runs from the start of the first attempt to the end of the
	// last one (or of the wait the context ended).
	Elapsed time.Duration
	// Failures says why each attempt failed, in order.
	Failures []string
	// Stop says why no further attempt was made; empty when the last
	// failure is not one that is retried.
	Stop string
	// Err is the last attempt's error.
	Err error

	waitErr error // the context's error, when it ended a wait
}

// Error reads "kintone: GET /k/v1/records.json: gave up after 5 attempts
// in 9.8s (maxRetries=4): each timed out after 1s (timeout=1s)".
func (e *RetryError) Error() string {
	var b strings.Builder
	b.WriteString("kintone: " + e.Method + " " + e.Path + ": ")
	if e.Stop != "" {
		b.WriteString("gave up after ")
	} else {
		b.WriteString("failed after ")
	}
	b.WriteString(strconv.Itoa(e.Attempts))
	if e.Attempts == 1 {
		b.WriteString(" attempt")
	} else {
		b.WriteString(" attempts")
	}
	b.WriteString(" in " + roundDuration(e.Elapsed).String())
	if e.Stop != "" {
		b.WriteString(" (" + e.Stop + ")")
	}
	b.WriteString(": ")
	b.WriteString(summarize(e.Failures))
	return b.String()
}

// Unwrap returns the last attempt's error, and the context's error when
// the context ended a wait.
func (e *RetryError) Unwrap() []error {
	if e.waitErr != nil {
		return []error{e.Err, e.waitErr}
	}
	return []error{e.Err}
}

// summarize lists the failures, runs of the same one once: "each timed
// out after 1s (timeout=1s)", "attempts 1-2: 503 ...; attempt 3: ...".
func summarize(failures []string) string {
	if len(failures) == 0 {
		return ""
	}
	same := true
	for _, f := range failures[1:] {
		same = same && f == failures[0]
	}
	switch {
	case len(failures) == 1:
		return failures[0]
	case same:
		return "each " + failures[0]
	}
	var parts []string
	for i := 0; i < len(failures); {
		j := i + 1
		for j < len(failures) && failures[j] == failures[i] {
			j++
		}
		if j-i == 1 {
			parts = append(parts, "attempt "+strconv.Itoa(i+1)+": "+failures[i])
		} else {
			parts = append(parts, "attempts "+strconv.Itoa(i+1)+"-"+strconv.Itoa(j)+": "+failures[i])
		}
		i = j
	}
	return strings.Join(parts, "; ")
}

// roundDuration rounds d for a message: to 0.1 s from a second up, to the
// millisecond from a millisecond up, to the microsecond below.
func roundDuration(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(100 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(time.Millisecond)
	}
	return d.Round(time.Microsecond)
}

// timeoutError is the cause of an attempt that Config.Timeout ended. It
// unwraps to the transport's error (context.DeadlineExceeded, ...).
type timeoutError struct {
	after   time.Duration
	reading bool // the answer had begun
	err     error
}

func (e *timeoutError) Error() string {
	s := "timed out after " + e.after.String() + " (timeout=" + e.after.String() + ")"
	if e.reading {
		s += " while reading the answer"
	}
	return s
}

func (e *timeoutError) Unwrap() error { return e.err }
