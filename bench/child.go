package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strings"
)

// The driver runs each job in a process of its own, as the official client
// does: the emulator (which holds every record and allocates while it
// serves) stays in the parent, so the child's heap, allocation counts and
// peak RSS are the driver's and the job's alone. The child is this same
// program started with -driver-child; it reads a task as JSON on stdin and
// writes a driverResult as JSON on stdout.

// childFlag starts the program as a driver child.
const childFlag = "driver-child"

// serveDriverChild is the child's main: one task in, one result out.
func serveDriverChild(ctx context.Context, stdin io.Reader, stdout io.Writer) error {
	var t task
	if err := json.NewDecoder(stdin).Decode(&t); err != nil {
		return fmt.Errorf("reading the task: %w", err)
	}
	db, err := sql.Open("kintone", t.DSN)
	if err != nil {
		return err
	}
	defer db.Close()
	ctl := controlClient{base: t.Control}
	h := hooks{setup: ctl.requests, reset: ctl.reset}
	if t.Marks != "" {
		h.mark = func(event string) error { return postMark(ctx, t.Marks, event) }
	}
	res, err := runDriverJob(ctx, db, t, h)
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(res)
}

// controlClient speaks to the emulator's /_emulator/ test API, which counts
// no requests of its own.
type controlClient struct{ base string }

// requests returns the emulator's request count.
func (c controlClient) requests() (int64, error) {
	var st struct {
		Requests int64 `json:"requests"`
	}
	err := c.do(http.MethodGet, "stats", &st)
	return st.Requests, err
}

// reset zeroes the emulator's counters and request log.
func (c controlClient) reset() error { return c.do(http.MethodDelete, "stats", nil) }

func (c controlClient) do(method, path string, out any) error {
	req, err := http.NewRequest(method, c.base+path, nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("emulator control %s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return fmt.Errorf("emulator control %s %s: %w", method, path, err)
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("emulator control %s %s: %s: %s", method, path, res.Status, bytes.TrimSpace(body))
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(body, out)
}

// runResult is one side's run of one task as the parent sees it.
type runResult struct {
	Wall   float64 // milliseconds, as the side measured it around the job alone
	Rows   int
	MaxRSS int64   // the process's peak resident set, bytes, as the process read it
	CPU    float64 // milliseconds of the process's CPU time (user and system) during the job
	HasCPU bool    // whether the side measured CPU
	Driver *driverResult
}

// runDriverChild runs t in a driver child process started from exe.
func runDriverChild(ctx context.Context, exe string, t task) (runResult, error) {
	in, err := json.Marshal(t)
	if err != nil {
		return runResult{}, err
	}
	cmd := exec.CommandContext(ctx, exe, "-"+childFlag)
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return runResult{}, fmt.Errorf("driver %s: %w: %s", t.Job, err, strings.TrimSpace(stderr.String()))
	}
	var res driverResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		return runResult{}, fmt.Errorf("driver %s: bad result %q: %w", t.Job, stdout.String(), err)
	}
	return driverRunResult(res), nil
}

// driverRunResult is a driver child's result as the parent keeps it.
func driverRunResult(res driverResult) runResult {
	return runResult{Wall: ms(res.Wall.Seconds()), Rows: res.Rows, MaxRSS: res.PeakRSS,
		CPU: ms(res.CPU.Seconds()), HasCPU: res.HasCPU, Driver: &res}
}

// ms converts seconds to milliseconds.
func ms(seconds float64) float64 { return seconds * 1000 }
