//go:build unix

package main

import (
	"syscall"
	"testing"
	"time"
)

func TestRusageCPU(t *testing.T) {
	ru := syscall.Rusage{Utime: syscall.Timeval{Sec: 1, Usec: 500_000}, Stime: syscall.Timeval{Usec: 250_000}}
	if got := rusageCPU(&ru); got != 1750*time.Millisecond {
		t.Errorf("rusageCPU = %v, want 1.75s (user and system)", got)
	}
	a, ok := processCPU()
	for start := time.Now(); time.Since(start) < 20*time.Millisecond; {
	}
	b, _ := processCPU()
	if !ok || b-a < 5*time.Millisecond {
		t.Errorf("processCPU went from %v to %v over 20 ms of spinning (%v)", a, b, ok)
	}
}
