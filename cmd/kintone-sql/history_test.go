package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/dsn"
)

// TestHistoryKeepsNoSecrets: entries holding the DSN's secrets, a URL
// with user info, or a password setting are not kept, in memory or in the
// file; others are, one line each, without repeats.
func TestHistoryKeepsNoSecrets(t *testing.T) {
	const text = "https://alice:Pa55word!@example.cybozu.com/?apiToken=tok-abcdef"
	cfg, err := dsn.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "sub", "history")
	h := loadHistory(path, newRedactor(text, cfg))
	for _, e := range []string{
		"SELECT 1;",
		"SELECT 1;",
		"SELECT 'Pa55word!';",
		"SELECT * FROM t WHERE token = 'tok-abcdef';",
		"SELECT 'https://bob:x@h/';",
		`\connect Url=https://h;Password=x`,
		"SELECT 2\n  FROM t;",
	} {
		h.add(e)
	}
	want := []string{"SELECT 1;", "SELECT 2 FROM t;"}
	if h.Len() != len(want) || h.At(0) != want[1] || h.At(1) != want[0] {
		t.Errorf("entries %q, want %q", h.entries, want)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != strings.Join(want, "\n")+"\n" {
		t.Errorf("file %q", b)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, %v", st.Mode(), err)
	}

	// Reading it back skips entries with secrets written by anyone.
	if err := os.WriteFile(path, append(b, "SELECT 'Pa55word!';\nSELECT 3;\n"...), 0o600); err != nil {
		t.Fatal(err)
	}
	h = loadHistory(path, newRedactor(text, cfg))
	if h.Len() != 3 || h.At(0) != "SELECT 3;" {
		t.Errorf("loaded %q", h.entries)
	}
	h.Add("ignored: the shell adds whole statements")
	if h.Len() != 3 {
		t.Errorf("Add kept a line")
	}
}

func TestHistoryBounded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history")
	h := loadHistory(path, redactor{})
	for i := 0; i < historyMax+10; i++ {
		h.add("SELECT " + itoa(i))
	}
	if h.Len() != historyMax || h.At(0) != "SELECT "+itoa(historyMax+9) {
		t.Errorf("%d entries, newest %q", h.Len(), h.At(0))
	}
	h = loadHistory(path, redactor{})
	if h.Len() != historyMax || h.At(historyMax-1) != "SELECT "+itoa(10) {
		t.Errorf("loaded %d entries, oldest %q", h.Len(), h.At(h.Len()-1))
	}
}

func TestHistoryPath(t *testing.T) {
	env := map[string]string{}
	get := func(k string) string { return env[k] }
	env[historyEnv] = "off"
	if p := historyPath(get); p != "" {
		t.Errorf("off: %q", p)
	}
	env[historyEnv] = "/tmp/h"
	if p := historyPath(get); p != "/tmp/h" {
		t.Errorf("set: %q", p)
	}
	env[historyEnv] = ""
	if p := historyPath(get); p != "" && !strings.HasSuffix(p, filepath.Join("kintone-sql", "history")) {
		t.Errorf("default: %q", p)
	}
}
