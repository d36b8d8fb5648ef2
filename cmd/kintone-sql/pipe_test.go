package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"regexp"
	"testing"
)

// runPiped runs the command as main does, on the standard streams of a
// process whose stdin, stdout and stderr are pipes (not terminals), and
// returns its exit status, stdout and stderr.
func runPiped(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	pipe := func() (*os.File, *os.File) {
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		return r, w
	}
	inR, inW := pipe()
	outR, outW := pipe()
	errR, errW := pipe()
	inW.Close()
	collect := func(r *os.File) <-chan string {
		c := make(chan string, 1)
		go func() {
			var b bytes.Buffer
			io.Copy(&b, r)
			r.Close()
			c <- b.String()
		}()
		return c
	}
	stdout, stderr := collect(outR), collect(errR)
	a := newApp(inR, outW, errW)
	a.getenv = func(string) string { return "" }
	if a.stdinTTY || a.stdoutTTY || a.stderrTTY {
		t.Fatal("a pipe is taken for a terminal")
	}
	code := a.run(context.Background(), args)
	inR.Close()
	outW.Close()
	errW.Close()
	return code, <-stdout, <-stderr
}

// TestWriteRowCountsArePrintedWhenPiped: INSERT, UPDATE and DELETE print
// the rows they affected on stderr in every output format, with stdout
// piped (where the default format is TSV), and leave stdout to the data;
// --quiet leaves the count out.
func TestWriteRowCountsArePrintedWhenPiped(t *testing.T) {
	for _, format := range []string{"", "tsv", "csv", "jsonl", "markdown", "table"} {
		srv := newRoundTripServer(t, "DEST")
		for _, tc := range []struct {
			sql  string
			want string
		}{
			{"INSERT INTO DEST (title, amount) VALUES ('a', 1), ('b', 1), ('c', 1)", "3 rows affected"},
			{"UPDATE DEST SET amount = 2 WHERE amount = 1", "3 rows affected"},
			{"UPDATE DEST SET amount = 3 WHERE title = 'a'", "1 row affected"},
			{"UPDATE DEST SET amount = 3 WHERE title = 'none'", "0 rows affected"},
			{"DELETE FROM DEST WHERE amount IN (2, 3)", "3 rows affected"},
		} {
			args := []string{"--dsn", srv.DSN(), tc.sql}
			if format != "" {
				args = append(args, "--format", format)
			}
			code, stdout, stderr := runPiped(t, args...)
			if code != exitOK {
				t.Fatalf("%s: exit %d: %s", tc.sql, code, stderr)
			}
			if stdout != "" {
				t.Errorf("%s, format %q: stdout %q, want nothing", tc.sql, format, stdout)
			}
			if !regexp.MustCompile(`^\(` + tc.want + `, [0-9.]+ m?s\)\n$`).MatchString(stderr) {
				t.Errorf("%s, format %q: stderr %q, want (%s, time)", tc.sql, format, stderr, tc.want)
			}
		}
		// --quiet leaves the count out.
		if code, _, stderr := runPiped(t, "--dsn", srv.DSN(), "-q", "--format", "tsv", "UPDATE DEST SET amount = 3 WHERE title = 'none'"); code != exitOK || stderr != "" {
			t.Errorf("-q: exit %d, stderr %q", code, stderr)
		}
	}
}
