package readmecode

import (
	"bytes"
	"os"
	"testing"
)

// UpdateEnv names the environment variable that makes CheckCopy rewrite
// the copy instead of failing.
const UpdateEnv = "UPDATE_README_SNIPPETS"

// Generate reads the README at readmePath and returns the test file of
// its snippet under heading, run by h.
func Generate(readmePath, heading string, h Harness) ([]byte, error) {
	readme, err := os.ReadFile(readmePath)
	if err != nil {
		return nil, err
	}
	s, err := Find(readme, heading)
	if err != nil {
		return nil, err
	}
	return File(s, h)
}

// CheckCopy fails t unless the file at path holds want, the generated
// test file of a README snippet, so that the snippet the tests run is the
// README's as written. With UpdateEnv set it writes want there instead
// (the new copy runs from the next test run on). how is the command the
// failure tells the reader to run with UpdateEnv set.
func CheckCopy(t testing.TB, path string, want []byte, how string) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err == nil && bytes.Equal(got, want) {
		return
	}
	if os.Getenv(UpdateEnv) != "" {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatalf("%s is not the README's snippet (%v); run %s=1 %s", path, err, UpdateEnv, how)
}
