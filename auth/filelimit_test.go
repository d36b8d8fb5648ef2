package auth

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/dsn"
)

// loadNamedFile loads path as the file of the DSN key, through the public
// entry points.
func loadNamedFile(key, path string) error {
	switch key {
	case keyCAFile:
		_, err := TLSConfig(&dsn.Config{CAFile: path})
		return err
	case keyClientCert:
		_, err := TLSConfig(&dsn.Config{ClientCert: path})
		return err
	}
	panic("no file key " + key)
}

// allocatedBy returns the bytes the process allocated while f ran.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// assertTooLarge checks that err refuses the file of key for its size,
// naming the key and the limit.
func assertTooLarge(t *testing.T, err error, key string) {
	t.Helper()
	assertKeyError(t, err, key)
	if !strings.Contains(err.Error(), "larger than 4 MiB") {
		t.Errorf("error %q does not say the limit", err)
	}
}

// TestDSNFilesAboveTheLimitAreRefusedUnread checks caFile and clientCert
// against a 64 MiB file (sparse, so the test writes nothing): refused from
// its size, without reading it.
func TestDSNFilesAboveTheLimitAreRefusedUnread(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.pem")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(64 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, key := range []string{keyCAFile, keyClientCert} {
		var err error
		alloc := allocatedBy(func() { err = loadNamedFile(key, big) })
		assertTooLarge(t, err, key)
		if alloc > 1<<20 {
			t.Errorf("%s: refusing a 64 MiB file allocated %d bytes", key, alloc)
		}
	}
}

// TestDSNFilesAtTheLimitAreRead checks the boundary: a file of exactly
// dsn.MaxFileBytes is read (and then refused for its content), one byte more
// is refused for its size.
func TestDSNFilesAtTheLimitAreRead(t *testing.T) {
	at := writeFile(t, "at.pem", make([]byte, dsn.MaxFileBytes))
	over := writeFile(t, "over.pem", make([]byte, dsn.MaxFileBytes+1))
	for _, key := range []string{keyCAFile, keyClientCert} {
		err := loadNamedFile(key, at)
		assertKeyError(t, err, key)
		if strings.Contains(err.Error(), "larger than") {
			t.Errorf("%s: a file of exactly %d bytes is refused for its size: %v", key, dsn.MaxFileBytes, err)
		}
		assertTooLarge(t, loadNamedFile(key, over), key)
	}
}
