//go:build !windows

package main

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/DATA-DOG/go-sqlmock"
	"github.com/creack/pty"
)

// screen collects what the shell writes to the pseudo-terminal, with
// carriage returns removed.
type screen struct {
	mu   sync.Mutex
	text strings.Builder
	seen int // offset up to which expect has matched
	more chan struct{}
}

func (s *screen) read(f *os.File) {
	buf := make([]byte, 4096)
	for {
		n, err := f.Read(buf)
		if n > 0 {
			s.mu.Lock()
			s.text.WriteString(strings.ReplaceAll(string(buf[:n]), "\r", ""))
			s.mu.Unlock()
			select {
			case s.more <- struct{}{}:
			default:
			}
		}
		if err != nil {
			return
		}
	}
}

// expect waits until want appears after the last match.
func (s *screen) expect(t *testing.T, want string) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		s.mu.Lock()
		text := s.text.String()
		s.mu.Unlock()
		if i := strings.Index(text[s.seen:], want); i >= 0 {
			s.seen += i + len(want)
			return
		}
		select {
		case <-s.more:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			t.Fatalf("the shell did not show %q; it showed:\n%s", want, text[s.seen:])
		}
	}
}

// TestShellThroughPTY drives the interactive shell through a
// pseudo-terminal: a statement over two lines with Tab completion of a
// table and a column, the result table, a list of candidates, Ctrl-C, \d,
// an error, the history and \q.
func TestShellThroughPTY(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	defer tty.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 24, Cols: 100}); err != nil {
		t.Fatal(err)
	}
	scr := &screen{more: make(chan struct{}, 1)}
	go scr.read(ptmx)

	ta := newTestApp(t)
	ta.stdin, ta.stdout, ta.stderr = tty, tty, tty
	ta.stdinTTY, ta.stdoutTTY, ta.stderrTTY = true, true, true
	histFile := filepath.Join(t.TempDir(), "history")
	ta.env[historyEnv] = histFile
	mock := ta.useMock(t)
	tables := func() *sqlmock.Rows {
		return sqlmock.NewRows([]string{"Tables_in_kintone"}).AddRow("CUSTOMERS").AddRow("ORDERS")
	}
	mock.ExpectQuery("SHOW TABLES").WillReturnRows(tables())
	mock.ExpectQuery("SHOW COLUMNS FROM `CUSTOMERS`").WillReturnRows(
		sqlmock.NewRows([]string{"Field", "Type"}).AddRow("company", "SINGLE_LINE_TEXT").AddRow("country", "SINGLE_LINE_TEXT"))
	mock.ExpectQuery("SELECT * FROM CUSTOMERS \nWHERE company = 'Acme'").WillReturnRows(
		sqlmock.NewRows([]string{"company", "country"}).AddRow("Acme", "日本"))
	mock.ExpectQuery("SHOW TABLES").WillReturnRows(tables())
	mock.ExpectQuery("SHOW FULL COLUMNS FROM `CUSTOMERS`").WillReturnRows(
		sqlmock.NewRows([]string{"Field", "Type"}).AddRow("company", "SINGLE_LINE_TEXT"))
	mock.ExpectQuery("SELECT nope").WillReturnError(errTest)
	mock.ExpectQuery("SELECT nope").WillReturnError(errTest)

	done := make(chan int, 1)
	go func() { done <- ta.run("--dsn", mockDSN) }()
	typ := func(s string) {
		t.Helper()
		if _, err := ptmx.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}

	scr.expect(t, "connected to 127.0.0.1:9")
	scr.expect(t, "kintone> ")
	typ("SELECT * FROM CUS\t")
	scr.expect(t, "CUSTOMERS")
	typ("\r")
	scr.expect(t, "      -> ")
	typ("WHERE comp\t")
	scr.expect(t, "company")
	typ("= 'Acme';\r")
	scr.expect(t, " company | country\n---------+---------\n Acme    | 日本\n(1 row, 0 ms)\n")

	scr.expect(t, "kintone> ")
	typ("select c\t")
	scr.expect(t, "case  columns  count  CUSTOMERS\n")
	typ("\x03") // Ctrl-C drops the line
	scr.expect(t, "kintone> ")

	typ(`\d` + "\r")
	scr.expect(t, " Tables_in_kintone\n-------------------\n CUSTOMERS\n ORDERS\n(2 rows, 0 ms)\n")
	typ(`\d CUSTOMERS` + "\r")
	scr.expect(t, " Field   | Type\n---------+------------------\n company | SINGLE_LINE_TEXT\n")

	typ("SELECT nope;\r")
	scr.expect(t, "ERROR: test failure\n")
	typ("\x1b[A") // up: the last statement again
	scr.expect(t, "SELECT nope;")
	typ("\r")
	scr.expect(t, "ERROR: test failure\n")

	typ(`\q` + "\r")
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the shell did not quit")
	}
	if err := mock.ExpectationsWereMet(); err != nil {
		t.Error(err)
	}
	hist, err := os.ReadFile(histFile)
	if err != nil {
		t.Fatal(err)
	}
	want := "SELECT * FROM CUSTOMERS WHERE company = 'Acme';\n\\d\n\\d CUSTOMERS\nSELECT nope;\n"
	if string(hist) != want {
		t.Errorf("history file %q, want %q", hist, want)
	}
}

// TestShellCtrlD: Ctrl-D on an empty line quits, leaving a statement
// typed over several lines unrun.
func TestShellCtrlD(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	defer tty.Close()
	scr := &screen{more: make(chan struct{}, 1)}
	go scr.read(ptmx)
	ta := newTestApp(t)
	ta.stdin, ta.stdout, ta.stderr = tty, tty, tty
	ta.stdinTTY, ta.stdoutTTY, ta.stderrTTY = true, true, true
	mock := ta.useMock(t)
	done := make(chan int, 1)
	go func() { done <- ta.run("--dsn", mockDSN, "-q") }()
	scr.expect(t, "kintone> ")
	ptmx.Write([]byte("SELECT 1\r"))
	scr.expect(t, "      -> ")
	ptmx.Write([]byte("'open\r"))
	scr.expect(t, "      '> ")
	ptmx.Write([]byte("\x04"))
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the shell did not quit")
	}
	if err := mock.ExpectationsWereMet(); err != nil {
		t.Error(err)
	}
}

// TestShellOnEmulator types a query into the shell on the built-in
// emulator and reads the demo data back.
func TestShellOnEmulator(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	defer ptmx.Close()
	defer tty.Close()
	scr := &screen{more: make(chan struct{}, 1)}
	go scr.read(ptmx)
	ta := newTestApp(t)
	ta.stdin, ta.stdout, ta.stderr = tty, tty, tty
	ta.stdinTTY, ta.stdoutTTY, ta.stderrTTY = true, true, true
	done := make(chan int, 1)
	go func() { done <- ta.run() }()
	scr.expect(t, "using the built-in emulator")
	scr.expect(t, "kintone> ")
	ptmx.Write([]byte("SELECT customer_code FROM Customers ORDER BY customer_code LIMIT 2;\r"))
	scr.expect(t, " customer_code\n---------------\n C0001\n C0002\n(2 rows, 0 ms)\n")
	ptmx.Write([]byte(`\q` + "\r"))
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the shell did not quit")
	}
}
