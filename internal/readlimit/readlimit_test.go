package readlimit

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// endless is a reader that never ends, counting what it gives.
type endless struct{ n int64 }

func (e *endless) Read(p []byte) (int, error) {
	e.n += int64(len(p))
	return len(p), nil
}

func TestAllStopsAnEndlessReaderAtTheLimitPlusOne(t *testing.T) {
	const limit = 1 << 20
	r := &endless{}
	_, err := All(r, limit)
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Limit != limit {
		t.Fatalf("err = %v, want a *TooLargeError of %d", err, limit)
	}
	if r.n > limit+1 {
		t.Errorf("read %d bytes of an endless reader, want at most %d", r.n, limit+1)
	}
	if got := err.Error(); got != "is larger than 1 MiB" {
		t.Errorf("message %q", got)
	}
}

func TestAllAndFileKeepContentUpToTheLimit(t *testing.T) {
	const limit = 200_000
	content := bytes.Repeat([]byte("0123456789"), limit/10)
	for name, data := range map[string][]byte{"empty": {}, "small": content[:1000], "at limit": content} {
		got, err := All(bytes.NewReader(data), limit)
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("All of %s: %d bytes, %v", name, len(got), err)
		}
		p := filepath.Join(t.TempDir(), "f")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err = File(p, limit)
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("File of %s: %d bytes, %v", name, len(got), err)
		}
	}
	over := append(content, 'x')
	var tl *TooLargeError
	if _, err := All(bytes.NewReader(over), limit); !errors.As(err, &tl) {
		t.Errorf("All of limit+1 bytes: %v", err)
	}
	p := filepath.Join(t.TempDir(), "over")
	if err := os.WriteFile(p, over, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := File(p, limit); !errors.As(err, &tl) {
		t.Errorf("File of limit+1 bytes: %v", err)
	}
	if _, err := File(filepath.Join(t.TempDir(), "missing"), limit); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("File of a missing path: %v", err)
	}
}

func TestFormatSize(t *testing.T) {
	for n, want := range map[int64]string{4 << 20: "4 MiB", 256 << 20: "256 MiB", 512 << 10: "512 KiB", 1 << 30: "1 GiB", 1000: "1000 bytes", 0: "0 bytes"} {
		if got := FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}
