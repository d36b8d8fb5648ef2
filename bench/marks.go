package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// The emulator runs in the harness's process, so the harness's CPU time
// over a job is what serving the job cost the emulator (answering,
// encoding, the garbage collection of both) plus the harness's waiting for
// the child, which is next to nothing. To take it over the job alone, each
// side posts to a small server in the harness right before its clock
// starts (/start) and right after it stops (/end); the server reads the
// process's CPU time at each. Both marks are outside the side's own clock
// and CPU count.

// marks is that server.
type marks struct {
	url string // http://127.0.0.1:PORT/
	srv *http.Server

	mu      sync.Mutex
	start   time.Duration // the harness's CPU time at /start
	started bool
	cpu     time.Duration // from /start to /end
	done    bool
}

// startMarks starts the server on a loopback port.
func startMarks() (*marks, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	m := &marks{url: "http://" + ln.Addr().String() + "/"}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /start", func(w http.ResponseWriter, r *http.Request) {
		cpu, ok := processCPU()
		m.mu.Lock()
		m.start, m.started, m.done = cpu, ok, false
		m.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /end", func(w http.ResponseWriter, r *http.Request) {
		cpu, ok := processCPU()
		m.mu.Lock()
		if m.started && ok {
			m.cpu, m.done = cpu-m.start, true
		}
		m.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	m.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = m.srv.Serve(ln) }()
	return m, nil
}

// reset forgets the last job's marks, before the next job runs.
func (m *marks) reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.started, m.done, m.cpu = false, false, 0
}

// emulatorCPU is the harness's CPU time between the last /start and /end,
// false when the job did not post both (or CPU time cannot be read here).
func (m *marks) emulatorCPU() (time.Duration, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cpu, m.done
}

// close stops the server.
func (m *marks) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return m.srv.Shutdown(ctx)
}

// postMark posts event ("start" or "end") to the marks server at base.
func postMark(ctx context.Context, base, event string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+event, nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("mark %s: %w", event, err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	if res.StatusCode != http.StatusNoContent {
		return errors.New("mark " + event + ": " + res.Status)
	}
	return nil
}
