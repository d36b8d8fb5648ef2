package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// The official client's side: peer/peer.mjs runs one task with Cybozu's
// @kintone/rest-api-client (getAllRecords, getRecords with totalCount,
// addAllRecords, updateAllRecords, deleteAllRecords; the joins read both
// apps and join them in JavaScript; the copy reads with getAllRecords and
// writes with addAllRecords) and prints its own wall time and CPU time
// around the job, so neither Node's start-up nor module loading is
// counted.

// peerScript is the script's name inside the peer directory.
const peerScript = "peer.mjs"

// checkPeer reports whether the peer directory is ready to run.
func checkPeer(node, dir string) error {
	if _, err := os.Stat(filepath.Join(dir, peerScript)); err != nil {
		return fmt.Errorf("the official client's script: %w (run from the repository root, or set -peer-dir)", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@kintone", "rest-api-client")); err != nil {
		return fmt.Errorf("@kintone/rest-api-client is not installed in %s: run (cd %s && npm ci)", dir, dir)
	}
	if _, err := exec.LookPath(node); err != nil {
		return fmt.Errorf("node: %w", err)
	}
	return nil
}

// peerResult is what peer.mjs prints: wall time and CPU time (user and
// system, process.cpuUsage) of the job in milliseconds, the rows, and the
// process's peak resident set.
type peerResult struct {
	Ms      float64  `json:"ms"`
	CPUMs   *float64 `json:"cpuMs"`
	Rows    int      `json:"rows"`
	PeakRSS int64    `json:"peakRSS"`
}

// runPeer runs t with the official client.
func runPeer(ctx context.Context, node, dir string, t task) (runResult, error) {
	in, err := json.Marshal(t)
	if err != nil {
		return runResult{}, err
	}
	cmd := exec.CommandContext(ctx, node, peerScript)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(in)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return runResult{}, fmt.Errorf("official client %s: %w: %s", t.Job, err, strings.TrimSpace(stderr.String()))
	}
	return parsePeerResult(stdout.Bytes(), t)
}

// parsePeerResult reads what peer.mjs printed for t.
func parsePeerResult(out []byte, t task) (runResult, error) {
	var res peerResult
	if err := json.Unmarshal(out, &res); err != nil {
		return runResult{}, fmt.Errorf("official client %s: bad result %q: %w", t.Job, out, err)
	}
	if res.Rows != t.Want {
		return runResult{}, errors.New("official client " + t.Job + ": got " + fmt.Sprint(res.Rows) + " rows, want " + fmt.Sprint(t.Want))
	}
	r := runResult{Wall: res.Ms, Rows: res.Rows, MaxRSS: res.PeakRSS}
	if res.CPUMs != nil {
		r.CPU, r.HasCPU = *res.CPUMs, true
	}
	return r, nil
}
