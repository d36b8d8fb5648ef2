package main

import (
	"bytes"
	"os"
	"strconv"
)

// peakRSS is this process's peak resident set in bytes (VmHWM in
// /proc/self/status), 0 where the system has no such file. The peak a
// parent reads from wait4's rusage is no good here: Linux carries the
// parent's high-water mark, taken when the child was forked, into the
// child's across exec, and the parent holds the emulator's records.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range bytes.Lines(b) {
		rest, ok := bytes.CutPrefix(line, []byte("VmHWM:"))
		if !ok {
			continue
		}
		kb, err := strconv.ParseInt(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(rest), []byte("kB")))), 10, 64)
		if err != nil {
			return 0
		}
		return kb * 1024
	}
	return 0
}
