//go:build unix

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"
)

// TestHistoryFromAnEndlessPipeIsBounded: KINTONE_SQL_HISTORY naming a
// pipe whose writer never stops (it would stop at 64 MiB) is read for at
// most maxHistoryBytes and a pipe buffer, instead of forever.
func TestHistoryFromAnEndlessPipeIsBounded(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "history")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	var written atomic.Int64
	done := make(chan struct{})
	go func() {
		defer close(done)
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0) // waits for the reader
		if err != nil {
			return
		}
		defer w.Close()
		var chunk []byte
		for i := 0; written.Load() < 64<<20; i++ {
			chunk = fmt.Appendf(chunk, "SELECT %d;\n", i)
			if len(chunk) < 32<<10 {
				continue
			}
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return // the reader closed the pipe
			}
			chunk = chunk[:0]
		}
	}()
	h := loadHistory(fifo, redactor{})
	<-done
	if n := written.Load(); n > maxHistoryBytes+1<<20 {
		t.Errorf("the history's writer got %d bytes in, above %d and a pipe buffer", n, maxHistoryBytes)
	}
	if h.Len() != historyMax {
		t.Errorf("kept %d entries, want %d", h.Len(), historyMax)
	}
}
