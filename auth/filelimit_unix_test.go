//go:build unix

package auth

import (
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/kintone-sql/kintone/dsn"
)

// TestDSNFilesFromEndlessDevicesAreRefused checks that caFile and
// clientCert naming a device that never ends are refused after reading at
// most the limit, instead of hanging and filling memory.
func TestDSNFilesFromEndlessDevicesAreRefused(t *testing.T) {
	for _, key := range []string{keyCAFile, keyClientCert} {
		for _, dev := range []string{"/dev/zero", "/dev/urandom"} {
			var err error
			alloc := allocatedBy(func() { err = loadNamedFile(key, dev) })
			assertTooLarge(t, err, key)
			if alloc > 4*dsn.MaxFileBytes {
				t.Errorf("%s=%s allocated %d bytes, above 4 times the limit", key, dev, alloc)
			}
		}
	}
}

// TestDSNFilesFromEndlessPipesAreRefused checks caFile and clientCert
// naming a FIFO whose writer never stops (it would stop at 64 MiB): the
// reader takes at most the limit and a pipe buffer before refusing, and
// the writer then fails.
func TestDSNFilesFromEndlessPipesAreRefused(t *testing.T) {
	for _, key := range []string{keyCAFile, keyClientCert} {
		fifo := filepath.Join(t.TempDir(), "endless.pem")
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
			buf := make([]byte, 64<<10)
			for written.Load() < 64<<20 {
				n, err := w.Write(buf)
				written.Add(int64(n))
				if err != nil {
					return // the reader closed the pipe
				}
			}
		}()
		var err error
		alloc := allocatedBy(func() { err = loadNamedFile(key, fifo) })
		<-done
		assertTooLarge(t, err, key)
		// Linux pipes buffer 64 KiB by default and at most 1 MiB.
		if n := written.Load(); n > dsn.MaxFileBytes+1<<20 {
			t.Errorf("%s: the pipe's writer got %d bytes in, above the limit and a pipe buffer", key, n)
		}
		if alloc > 4*dsn.MaxFileBytes {
			t.Errorf("%s: reading the pipe allocated %d bytes, above 4 times the limit", key, alloc)
		}
	}
}
