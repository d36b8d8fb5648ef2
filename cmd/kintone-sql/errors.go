package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/kintone-sql/kintone/dsn"
	"github.com/kintone-sql/kintone/translate"
)

// Exit codes; the package documentation lists them for users. A script
// may run the same command again after 1, 2 or 4 (nothing was written),
// must not after 3 (rows may have been written: check them first), and
// goes on from where the message says after 5.
const (
	exitOK          = 0   // everything ran, every row was written
	exitFailed      = 1   // a statement or the command failed; nothing was written by this run
	exitUsage       = 2   // bad flags or arguments, an unreadable input file, a DSN that does not parse
	exitUnknown     = 3   // a write was sent but its outcome is unknown: its rows may or may not be in Kintone
	exitConnect     = 4   // Kintone could not be reached, or it refused the login
	exitPartial     = 5   // a write failed and was not applied, after earlier writes of the run were committed
	exitInterrupted = 130 // stopped by Ctrl-C (SIGINT) or SIGTERM, with no write of unknown outcome
)

// usageError is a mistake in how the command was called.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// codedError carries the exit status an error ends the command with.
type codedError struct {
	code int
	err  error
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }

func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &codedError{code: code, err: err}
}

// exitCode is the status err ends the command with.
func exitCode(err error) int {
	var ce *codedError
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ce):
		return ce.code
	case errors.As(err, &ue), errors.Is(err, dsn.ErrInvalidDSN):
		return exitUsage
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	}
	return exitFailed
}

// message is err as the one line the command prints: without the
// driver's "kintone: " prefixes, with a hint where one helps, with every
// secret of the DSN masked, on a single line.
func message(err error, red redactor) string {
	msg := err.Error()
	msg = strings.ReplaceAll(msg, "kintone: ", "")
	var ute *translate.UnknownTableError
	if errors.As(err, &ute) && !strings.Contains(msg, "SHOW TABLES") && ute.Hint == "" {
		msg += " (SHOW TABLES lists the tables)"
	}
	if errors.Is(err, context.Canceled) && !strings.Contains(msg, "interrupted") {
		msg = "interrupted: " + msg
	}
	msg = strings.Join(strings.Fields(strings.ReplaceAll(msg, "\n", " ")), " ")
	return red.clean(msg)
}

// redactor masks secrets in text: the DSN itself, each secret setting of
// it, and the password of any URL with user info.
type redactor struct {
	secrets []string
}

// userinfoPassword matches the password part of scheme://user:password@.
var userinfoPassword = regexp.MustCompile(`(://[^/\s:@]*):[^/\s@]*@`)

// newRedactor returns a redactor for the DSN text and its parsed Config
// (nil when it did not parse).
func newRedactor(dsnText string, cfg *dsn.Config) redactor {
	var r redactor
	add := func(s string) {
		// Very short values would mask ordinary words and cannot
		// be told apart from them anyway.
		if len(s) >= 3 {
			r.secrets = append(r.secrets, s)
		}
	}
	add(dsnText)
	if cfg != nil {
		add(cfg.Password)
		add(cfg.BasicAuthPassword)
		add(cfg.OAuthToken)
		add(cfg.ClientCertPassword)
		if strings.Contains(cfg.ClientCert, "-----BEGIN") || strings.HasPrefix(cfg.ClientCert, "base64:") {
			add(cfg.ClientCert)
		}
		for _, t := range cfg.APITokens {
			add(t)
		}
		if m := userinfoPassword.FindStringSubmatch(cfg.Proxy); m != nil {
			add(strings.TrimSuffix(strings.TrimPrefix(m[0], m[1]+":"), "@"))
		}
	}
	return r
}

// clean masks every secret in s.
func (r redactor) clean(s string) string {
	for _, sec := range r.secrets {
		s = strings.ReplaceAll(s, sec, "***")
	}
	return userinfoPassword.ReplaceAllString(s, "$1:***@")
}

// statementError is the failure of one statement of a script with several.
type statementError struct {
	index, total int
	line         int
	err          error
}

func (e *statementError) Error() string {
	return fmt.Sprintf("statement %d of %d (line %d): %v", e.index, e.total, e.line, e.err)
}

func (e *statementError) Unwrap() error { return e.err }

// errorPosition returns where in the statement the driver's translator
// found the problem, when it says.
func errorPosition(err error) (translate.Position, bool) {
	var (
		se  *translate.SyntaxError
		ue  *translate.UnsupportedError
		ute *translate.UnknownTableError
		te  *translate.Error
		ae  *translate.ArgError
	)
	switch {
	case errors.As(err, &se):
		return se.Pos, true
	case errors.As(err, &ue):
		return ue.Pos, true
	case errors.As(err, &ute):
		return ute.Pos, true
	case errors.As(err, &te):
		return te.Pos, true
	case errors.As(err, &ae) && ae.Pos.Line > 0:
		return ae.Pos, true
	}
	return translate.Position{}, false
}

// printCaret shows line `line` of query with a caret under column col
// (1-based, in characters), as the shell does under an error.
func printCaret(w io.Writer, query string, line, col int) {
	lines := strings.Split(query, "\n")
	if line < 1 || line > len(lines) || col < 1 {
		return
	}
	l := []rune(visible(lines[line-1]))
	col = min(col, len(l)+1)
	fmt.Fprintf(w, "  %s\n  %s^\n", string(l), strings.Repeat(" ", displayWidth(string(l[:col-1]))))
}
