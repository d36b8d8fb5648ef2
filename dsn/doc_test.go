package dsn

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the key list in doc.go from the keys table")

// docKeysSection returns the start and end of the key list in doc.go: the
// lines after the "# Keys" heading's paragraph up to the next heading.
func docKeysSection(t *testing.T, src string) (int, int) {
	t.Helper()
	const intro = "// generated from it, and Keys returns it.\n//\n"
	start := strings.Index(src, intro)
	if start < 0 {
		t.Fatal("doc.go: cannot find the paragraph that introduces the key list")
	}
	start += len(intro)
	end := strings.Index(src[start:], "//\n// # ")
	if end < 0 {
		t.Fatal("doc.go: cannot find the heading after the key list")
	}
	return start, start + end
}

// TestDocKeyList checks that doc.go lists exactly the keys of the table, in
// the text docKeyList generates. Run with -update to rewrite it.
func TestDocKeyList(t *testing.T) {
	b, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	src := string(b)
	start, end := docKeysSection(t, src)
	want := docKeyList()
	if src[start:end] == want {
		return
	}
	if *update {
		if err := os.WriteFile("doc.go", []byte(src[:start]+want+src[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("doc.go's key list differs from the keys table; run go test ./dsn -run TestDocKeyList -update\n got:\n%s\nwant:\n%s", src[start:end], want)
}
