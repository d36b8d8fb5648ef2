package kintone_test

import (
	"os"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/dsn"
)

// The README documents every DSN key with the dsn package's own table.
func TestREADMEListsEveryDSNKey(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), dsn.MarkdownKeyTable()) {
		t.Fatal("README.md does not contain dsn.MarkdownKeyTable(); paste its current output into the Connecting section")
	}
}
