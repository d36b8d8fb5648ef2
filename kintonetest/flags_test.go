package kintonetest

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestFlagsRefusePEMFilesAboveTheLimit checks that --tls-cert, --tls-key
// and --client-ca naming a file larger than 4 MiB (sparse: the test writes
// nothing) or an endless device fail with an error naming the flag and the
// limit, instead of reading them whole.
func TestFlagsRefusePEMFilesAboveTheLimit(t *testing.T) {
	big := filepath.Join(t.TempDir(), "big.pem")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(64 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	small := filepath.Join(t.TempDir(), "small.pem")
	if err := os.WriteFile(small, []byte("not PEM"), 0o600); err != nil {
		t.Fatal(err)
	}
	paths := []string{big}
	if runtime.GOOS != "windows" {
		paths = append(paths, "/dev/zero")
	}
	for _, path := range paths {
		for _, tt := range []struct {
			flag string
			args []string
		}{
			{"--tls-cert", []string{"--tls-cert", path, "--tls-key", small}},
			{"--tls-key", []string{"--tls-cert", small, "--tls-key", path}},
			{"--client-ca", []string{"--client-ca", path}},
		} {
			fs := flag.NewFlagSet("emulator", flag.ContinueOnError)
			fl := RegisterFlags(fs)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			_, err := fl.Options(io.Discard)
			if err == nil || !strings.HasPrefix(err.Error(), tt.flag+": ") || !strings.Contains(err.Error(), "larger than 4 MiB") {
				t.Errorf("%v: err = %v, want %s refused as larger than 4 MiB", tt.args, err, tt.flag)
			}
		}
	}
}
