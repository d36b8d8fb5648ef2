package rest

import (
	"context"
	"errors"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/kintone-sql/kintone/dsn"
)

// endless answers 200 with prefix and then unit repeated until the client
// hangs up: a body that never ends.
func endless(prefix, unit string) func(http.ResponseWriter, *http.Request, int) {
	return func(w http.ResponseWriter, _ *http.Request, _ int) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(200)
		_, _ = w.Write([]byte(prefix))
		chunk := []byte(strings.Repeat(unit, 64<<10/len(unit)))
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
}

// TestEndlessBodyIsRefusedAtTheCapWithoutAllocatingFarBeyondIt reads a
// body that never ends through each way the client decodes answers (the
// records scanner, encoding/json, the object check of a DELETE): each
// must fail with ErrResponseTooLarge after one attempt, having allocated
// less than twice maxResponseBytes (reading in pieces up to the cap costs
// about the cap; the old growth by append cost five to six times it, 375
// MiB for the default cap of 64 MiB).
func TestEndlessBodyIsRefusedAtTheCapWithoutAllocatingFarBeyondIt(t *testing.T) {
	const limit = 8 << 20
	for _, tc := range []struct {
		name, prefix, unit string
		call               func(*Client) error
	}{
		{"GET records", `{"records":[`, `{"a":{"type":"NUMBER","value":"1"}},`, calls["GET records"]},
		{"GET cursor", `{"records":[`, `{"a":{"type":"NUMBER","value":"1"}},`, calls["GET cursor"]},
		{"POST records", `{"ids":[`, `"1",`, calls["POST records"]},
		{"bulkRequest", `{"results":[`, `{},`, calls["bulkRequest"]},
		{"GET apps", `{"apps":[`, `{"appId":"1"},`, func(c *Client) error {
			_, err := c.Apps(context.Background(), AppsQuery{})
			return err
		}},
		{"DELETE records", `{"x":"`, `aaaaaaaa`, calls["DELETE records"]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t, endless(tc.prefix, tc.unit))
			c, p := newClient(t, s, func(cfg *dsn.Config, _ *Options) { cfg.MaxResponseBytes = limit })
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := tc.call(c)
			runtime.ReadMemStats(&after)
			if !errors.Is(err, ErrResponseTooLarge) || p.attempts() != 1 {
				t.Fatalf("error %v after %d attempts, want ErrResponseTooLarge after 1", err, p.attempts())
			}
			// TotalAlloc counts the whole process; the server's goroutine
			// allocates its 64 KiB chunk once.
			if got := after.TotalAlloc - before.TotalAlloc; got > 2*limit {
				t.Fatalf("allocated %d MiB reading an endless body with a cap of %d MiB: want under %d MiB",
					got>>20, limit>>20, 2*limit>>20)
			}
		})
	}
}

// TestReadAllSizesFromTheCap: readAll returns the body whole, in a buffer
// that never passes the cap plus the byte that detects the end.
func TestReadAllSizesFromTheCap(t *testing.T) {
	for _, n := range []int{0, 1, 511, 512, 513, 4095, 4096, 100_000} {
		body := strings.Repeat("x", n)
		cr := &capReader{r: strings.NewReader(body), remaining: int64(n)}
		b, err := readAll(cr, 0)
		if err != nil || string(b) != body || int64(cap(b)) > max(int64(n)+1, 513) {
			t.Errorf("n=%d: %d bytes, cap %d, err %v", n, len(b), cap(b), err)
		}
		cr = &capReader{r: strings.NewReader(body + "y"), remaining: int64(n)}
		if _, err := readAll(cr, 0); !errors.Is(err, ErrResponseTooLarge) {
			t.Errorf("n=%d+1: err %v, want ErrResponseTooLarge", n, err)
		}
		// Without a cap, in pieces, one byte at a time.
		if b, err := readAll(iotest.OneByteReader(strings.NewReader(body)), 0); err != nil || string(b) != body {
			t.Errorf("n=%d without a cap: %d bytes, err %v", n, len(b), err)
		}
	}
}
