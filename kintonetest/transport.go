package kintonetest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"
	"time"
)

// responseRecorder holds a response back until it is recorded: the handler
// writes into a buffer, ServeHTTP logs the request (status, code, bytes) and
// only then sends it. A client that has read an answer therefore always
// finds its request in Stats and Requests, which tests that count requests
// rely on. Responses are small (a page of at most 500 records, a file of at
// most 64 MiB), so buffering costs little.
type responseRecorder struct {
	http.ResponseWriter
	status int
	code   string
	// owned is a body handed over whole (own), sent before buf.
	owned   []byte
	buf     bytes.Buffer
	written bool
	// drop closes the connection instead of answering. It is done by
	// flush, after the request has left the concurrency gate and been
	// logged, so a client that sees the broken connection and retries at
	// once finds the emulator settled.
	drop bool
}

func (r *responseRecorder) WriteHeader(status int) {
	if !r.written {
		r.status, r.written = status, true
	}
}

func (r *responseRecorder) Write(b []byte) (int, error) {
	r.written = true
	return r.buf.Write(b)
}

// own writes a body its caller hands over and never touches again: the
// first one is kept as it is, not copied into buf, which for a page of 500
// records saves a copy of most of a megabyte and the buffer's growing to
// hold it.
func (r *responseRecorder) own(b []byte) {
	if r.owned != nil || r.buf.Len() > 0 {
		_, _ = r.Write(b)
		return
	}
	r.written = true
	r.owned = b
}

// bytes is the size of the response body.
func (r *responseRecorder) bytes() int64 { return int64(len(r.owned) + r.buf.Len()) }

// flush sends the held-back response.
func (r *responseRecorder) flush() {
	if r.drop {
		closeConnection(r.ResponseWriter)
		return
	}
	if !r.written {
		return
	}
	r.ResponseWriter.WriteHeader(r.status)
	if len(r.owned) > 0 {
		_, _ = r.ResponseWriter.Write(r.owned)
	}
	if r.buf.Len() > 0 {
		_, _ = r.ResponseWriter.Write(r.buf.Bytes())
	}
}

// Unwrap lets http.ResponseController reach the connection (to drop it).
func (r *responseRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// discardWriter swallows a response that will never be sent.
type discardWriter struct{ header http.Header }

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}

// dropConnection makes the response a closed connection with no answer.
func dropConnection(w http.ResponseWriter) {
	if rr, ok := w.(*responseRecorder); ok {
		rr.drop = true
		return
	}
	closeConnection(w)
}

// closeConnection hijacks the client's connection and closes it.
func closeConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		_ = conn.Close()
	}
}

// sleepCtx waits d or until ctx ends; it reports whether d passed.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// delay waits d before a request is handled, and reports false, the
// request then being dropped unhandled, when the client goes away first.
// It reads the request's body first: net/http notices a closed connection
// (and cancels the request's context) only once the body has been read,
// so a write whose client gave up would otherwise be applied when the
// delay ends, long after its client was told it failed.
func delay(r *http.Request, d time.Duration) bool {
	if r.Body != nil && r.Body != http.NoBody {
		b, err := io.ReadAll(io.LimitReader(r.Body, maxBufferedBody))
		if err != nil {
			return false // the client went away while sending
		}
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(b), r.Body), r.Body}
	}
	return sleepCtx(r.Context(), d)
}

// maxBufferedBody bounds what delay holds of a body: more than any
// request the emulator accepts (a JSON body, a file upload).
const maxBufferedBody = max(maxBodyBytes, maxUploadBytes+1<<20) + 1

// gate is the per-domain concurrency limit: at most limit API requests run
// at once; the next one gets 429 GAIA_TO04 (REST-API.md §5).
type gate struct {
	mu      sync.Mutex
	limit   int
	running int
}

func newGate(limit int) *gate { return &gate{limit: limit} }

// enter admits a request if a slot is free. It returns the number of
// requests running, this one included, as X-ConcurrencyLimit-Running shows.
func (g *gate) enter() (running int, admitted bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.running >= g.limit {
		return g.running + 1, false
	}
	g.running++
	return g.running, true
}

func (g *gate) leave(admitted bool) {
	if !admitted {
		return
	}
	g.mu.Lock()
	g.running--
	g.mu.Unlock()
}

// inFlight returns the number of requests admitted and not yet finished.
func (g *gate) inFlight() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.running
}
