package main

import (
	"context"
	"database/sql"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/DATA-DOG/go-sqlmock"
	"github.com/kintone-sql/kintone/kintonetest"
)

// TestUsageErrors: mistakes in calling the command end with status 2 and
// one line saying what is wrong, before any connection is made.
func TestUsageErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "missing.sql")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"--bogus"}, "flag provided but not defined: -bogus"},
		{"bad format", []string{"--format", "xml", "SELECT 1"}, `unknown format "xml"`},
		{"bad max width", []string{"--max-width", "-3", "SELECT 1"}, "want a whole number"},
		{"two sources", []string{"-e", "SELECT 1", "SELECT 2"}, "give the SQL one way"},
		{"missing file", []string{"-f", missing}, "-f: open " + missing},
		{"empty statement", []string{" ; -- nothing"}, "no SQL statement in the argument"},
		{"empty -e", []string{"-e", ""}, "no SQL statement in -e"},
		{"export without table", []string{"export"}, "export: want one TABLE"},
		{"export format", []string{"export", "t", "--format", "markdown"}, `unknown format "markdown": want one of csv, tsv, jsonl`},
		{"import arguments", []string{"import", "t"}, "import: want TABLE and FILE"},
		{"import extension", []string{"import", "t", "data.txt"}, "cannot tell the format"},
		{"import batch", []string{"import", "t", "data.csv", "--batch", "2001"}, "--batch: want 1 to 2000"},
		{"import file", []string{"import", "t", missing + ".csv"}, "import: open "},
		{"serve argument", []string{"serve", "stray"}, `serve: unexpected argument "stray"`},
		{"serve user", []string{"serve", "--user", "nopassword"}, "want LOGIN:PASSWORD"},
		{"serve tls", []string{"serve", "--tls-cert", "a.pem"}, "--tls-cert and --tls-key go together"},
		{"serve zone", []string{"serve", "--time-zone", "Mars/Olympus"}, "--time-zone"},
		{"serve ca", []string{"serve", "--client-ca", missing}, "--client-ca"},
		{"serve basic", []string{"serve", "--basic-auth", "x"}, "--basic-auth: want USER:PASSWORD"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ta := newTestApp(t)
			ta.open = nil // no connection may be attempted
			code := ta.run(tc.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
			lines := strings.Split(strings.TrimSuffix(ta.err.String(), "\n"), "\n")
			if len(lines) != 2 || !strings.HasPrefix(lines[0], "kintone-sql: ") || !strings.Contains(lines[0], tc.want) ||
				lines[1] != "Run 'kintone-sql -h' for usage." {
				t.Errorf("stderr %q, want a line with %q and the hint", ta.err.String(), tc.want)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"--help"}, {"export", "-h"}, {"import", "-h"}, {"serve", "-h"}} {
		ta := newTestApp(t)
		if code := ta.run(args...); code != exitOK {
			t.Errorf("%v: exit %d", args, code)
		}
		if !strings.HasPrefix(ta.err.String(), "Usage:") || !strings.Contains(ta.err.String(), "Flags:") {
			t.Errorf("%v: stderr %q", args, ta.err.String())
		}
	}
}

// TestFlagsAnywhere: flags may follow the SQL; after "--" everything is
// SQL.
func TestFlagsAnywhere(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	format := fs.String("format", "", "")
	pos, err := parseInterspersed(fs, []string{"SELECT", "--format", "csv", "1", "--", "--format", "x"})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"SELECT", "1", "--format", "x"}; !reflect.DeepEqual(pos, want) || *format != "csv" {
		t.Errorf("positional %q, format %q", pos, *format)
	}

	ta := newTestApp(t)
	mock := ta.useMock(t)
	mock.ExpectQuery("SELECT a FROM t").WillReturnRows(sqlmock.NewRows([]string{"a"}).AddRow("x"))
	if code := ta.run("SELECT a", "--dsn", mockDSN, "FROM t", "--format", "csv"); code != 0 {
		t.Fatalf("exit %d: %s", code, ta.err.String())
	}
	if ta.out.String() != "a\nx\n" {
		t.Errorf("stdout %q", ta.out.String())
	}
}

// TestScriptSources: -f FILE, -f - and stdin that is not a terminal.
func TestScriptSources(t *testing.T) {
	file := filepath.Join(t.TempDir(), "q.sql")
	if err := os.WriteFile(file, []byte("SELECT 1;\n-- the end\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
	}{
		{"file", []string{"-f", file}, ""},
		{"dash", []string{"-f", "-"}, "SELECT 1"},
		{"stdin", nil, "SELECT 1;"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ta := newTestApp(t).withInput(tc.stdin)
			mock := ta.useMock(t)
			mock.ExpectQuery("SELECT 1").WillReturnRows(sqlmock.NewRows([]string{"1"}).AddRow(int64(1)))
			if code := ta.run(append([]string{"--dsn", mockDSN}, tc.args...)...); code != 0 {
				t.Fatalf("exit %d: %s", code, ta.err.String())
			}
			if ta.out.String() != "1\n1\n" {
				t.Errorf("stdout %q", ta.out.String())
			}
		})
	}
	// An empty script on stdin does nothing, successfully, and connects
	// to nothing.
	ta := newTestApp(t).withInput("-- nothing\n")
	ta.open = nil
	if code := ta.run(); code != 0 || ta.out.Len() != 0 {
		t.Errorf("empty stdin: exit %d, stdout %q", code, ta.out.String())
	}
}

// TestStatementErrors: a failing statement ends with status 1, or 5 when
// an earlier statement of the script wrote; the message names the
// statement of a script.
func TestStatementErrors(t *testing.T) {
	t.Run("query", func(t *testing.T) {
		ta := newTestApp(t)
		mock := ta.useMock(t)
		mock.ExpectQuery("SELECT x FROM t").WillReturnError(errTest)
		if code := ta.run("--dsn", mockDSN, "SELECT x FROM t"); code != exitFailed {
			t.Errorf("exit %d", code)
		}
		if ta.err.String() != "kintone-sql: test failure\n" {
			t.Errorf("stderr %q", ta.err.String())
		}
	})
	t.Run("after a write", func(t *testing.T) {
		ta := newTestApp(t)
		mock := ta.useMock(t)
		mock.ExpectQuery("SELECT 1").WillReturnRows(sqlmock.NewRows([]string{"1"}).AddRow(int64(1)))
		mock.ExpectExec("DELETE FROM t WHERE a = 1").WillReturnResult(sqlmock.NewResult(0, 1))
		mock.ExpectExec("DELETE FROM u").WillReturnError(errTest)
		mock.ExpectQuery("SELECT 2") // never reached
		code := ta.run("--dsn", mockDSN, "SELECT 1;\nDELETE FROM t WHERE a = 1;\n\nDELETE FROM u;\nSELECT 2")
		if code != exitPartial {
			t.Errorf("exit %d, want %d", code, exitPartial)
		}
		want := "(1 row affected, 0 ms)\nkintone-sql: statement 3 of 4 (line 4): test failure (the statements before it were committed)\n"
		if ta.err.String() != want {
			t.Errorf("stderr %q, want %q", ta.err.String(), want)
		}
	})
}

// TestSecretsNeverPrinted: no message shows the DSN's password, whether
// the DSN is bad, the domain unreachable or the login refused.
func TestSecretsNeverPrinted(t *testing.T) {
	srv, err := kintonetest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	const secret = "Sup3r-s3cret"
	for _, tc := range []struct {
		name, dsn string
		env       bool
		code      int
		want      string
	}{
		{"unknown key", "https://alice:" + secret + "@example.cybozu.com/?bogus=1", false, exitUsage, "--dsn: invalid DSN (URL form): bogus: unknown key"},
		{"bad value", "https://alice:" + secret + "@example.cybozu.com/?pageSize=" + secret, false, exitUsage, "pageSize"},
		{"key=value form", "Url=https://example.cybozu.com;User=alice;Password=" + secret + ";Pagesize=x", true, exitUsage, "$KINTONE_DSN: invalid DSN"},
		{"misplaced quote", "Url=https://example.cybozu.com;Password='" + secret + ";User=alice", false, exitUsage, "invalid DSN"},
		{"unreachable", "http://alice:" + secret + "@127.0.0.1:1/?maxRetries=0", false, exitConnect, "cannot reach 127.0.0.1:1"},
		{"login refused", srv.DSNFor("admin", secret), true, exitConnect, "login refused by " + srv.Host()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ta := newTestApp(t)
			args := []string{"SELECT 1"}
			if tc.env {
				ta.env[dsnEnv] = tc.dsn
			} else {
				args = append([]string{"--dsn", tc.dsn}, args...)
			}
			code := ta.run(args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d", code, tc.code)
			}
			out := ta.out.String() + ta.err.String()
			if strings.Contains(out, secret) || strings.Contains(out, "s3cret") {
				t.Errorf("output shows the secret: %q", out)
			}
			if !strings.Contains(ta.err.String(), tc.want) {
				t.Errorf("stderr %q, want %q in it", ta.err.String(), tc.want)
			}
		})
	}
}

func TestRedactor(t *testing.T) {
	r := newRedactor("https://bob:hunter22@example.cybozu.com/?apiToken=tok1234", nil)
	for in, want := range map[string]string{
		"dial https://bob:hunter22@example.cybozu.com/?apiToken=tok1234 failed": "dial *** failed",
		"see http://carol:other-pw@host/":                                       "see http://carol:***@host/",
		"nothing secret":                                                        "nothing secret",
	} {
		if got := r.clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestServe: serve prints the base URL first and stops when its context
// ends.
func TestServe(t *testing.T) {
	ta := newTestApp(t)
	lines := &lineBuffer{ch: make(chan string, 4)}
	ta.stdout = lines
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- ta.app.run(ctx, []string{"serve", "--listen", "127.0.0.1:0", "--quiet"}) }()
	select {
	case url := <-lines.ch:
		if !strings.HasPrefix(url, "http://127.0.0.1:") {
			t.Errorf("first line %q is not the base URL", url)
		}
	case code := <-done:
		t.Fatalf("serve ended early with %d: %s", code, ta.err.String())
	case <-time.After(20 * time.Second):
		t.Fatal("no URL printed")
	}
	cancel()
	if code := <-done; code != exitOK {
		t.Errorf("exit %d after cancel", code)
	}
}

// lineBuffer hands each line written to it to a channel.
type lineBuffer struct {
	mu      sync.Mutex
	partial string
	ch      chan string
}

func (b *lineBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.partial += string(p)
	for {
		line, rest, ok := strings.Cut(b.partial, "\n")
		if !ok {
			return len(p), nil
		}
		b.ch <- line
		b.partial = rest
	}
}

// TestPanicIsOneLine: even a bug ends with one line and status 1, with
// the DSN's secrets masked.
func TestPanicIsOneLine(t *testing.T) {
	ta := newTestApp(t)
	ta.open = func(string, string) (*sql.DB, error) { panic("boom at " + mockDSN) }
	if code := ta.run("--dsn", mockDSN, "SELECT 1"); code != exitFailed {
		t.Errorf("exit %d", code)
	}
	if want := "kintone-sql: internal error: boom at *** (please report it)\n"; ta.err.String() != want {
		t.Errorf("stderr %q, want %q", ta.err.String(), want)
	}
}
