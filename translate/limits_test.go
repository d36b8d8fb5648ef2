package translate

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// limitError translates sql and returns its *Error, failing the test when
// there is none or when the translation allocates more than maxAlloc.
func limitError(t *testing.T, sql string, maxAlloc uint64) *sqlerr.Error {
	t.Helper()
	var err error
	n := allocated(func() { _, err = Translate(context.Background(), sql, testSchema(), Options{}, nil) })
	if n > maxAlloc {
		t.Errorf("refusing %d bytes of SQL allocated %d bytes, want at most %d", len(sql), n, maxAlloc)
	}
	var e *sqlerr.Error
	if !errors.As(err, &e) {
		t.Fatalf("got %T %.200v, want an *Error", err, err)
	}
	return e
}

// TestDeepNestingIsRefusedBeforeParsing checks that an expression nested
// past MaxNesting (400 KB of NOT NOT ... took 4 s and 358 MB) is refused
// while it is lexed, pointing at the first level too many, and that
// MaxNesting levels are accepted.
func TestDeepNestingIsRefusedBeforeParsing(t *testing.T) {
	const n = 100_000
	tests := []struct {
		name                 string
		prefix, open, middle string
		close                string
		rep                  int // the repetition of open with the level too many
		at                   int // where in open that level starts
	}{
		{"NOT", "SELECT title FROM ORD WHERE ", "NOT ", "amount = 1", "", MaxNesting, 0},
		{"!", "SELECT title FROM ORD WHERE ", "! ", "amount = 1", "", MaxNesting, 0},
		{"unary minus", "SELECT title FROM ORD WHERE amount = ", "- ", "1", "", MaxNesting, 0},
		{"parentheses", "SELECT title FROM ORD WHERE ", "(", "amount = 1", ")", MaxNesting, 0},
		{"NOT (", "SELECT title FROM ORD WHERE ", "NOT (", "amount = 1", ")", MaxNesting, 0},
		{"CASE", "SELECT ", "CASE WHEN amount = 1 THEN ", "1", " END", MaxNesting, 0},
		{"function calls", "SELECT ", "UPPER(", "title", ")", MaxNesting, len("UPPER")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sql := tt.prefix + strings.Repeat(tt.open, n) + tt.middle + strings.Repeat(tt.close, n)
			if strings.HasPrefix(tt.prefix, "SELECT ") && !strings.Contains(tt.prefix, "FROM") {
				sql += " FROM ORD"
			}
			e := limitError(t, sql, uint64(4*len(sql)))
			if !strings.Contains(e.Msg, "nests more than 200 levels") {
				t.Errorf("message %q", e.Msg)
			}
			if want := sqlerr.PositionOf(sql, len(tt.prefix)+tt.rep*len(tt.open)+tt.at); e.Pos != want {
				t.Errorf("at %s (offset %d), want %s (offset %d)", e.Pos, e.Pos.Offset, want, want.Offset)
			}
		})
	}
	// MaxNesting levels parse.
	ok := "SELECT title FROM ORD WHERE " + strings.Repeat("NOT ", MaxNesting) + "amount = 1"
	if _, err := Translate(context.Background(), ok, testSchema(), Options{}, nil); err != nil {
		t.Errorf("%d NOTs: %v", MaxNesting, err)
	}
}

// TestLongStatementsAreRefusedBeforeParsing checks MaxStatementBytes and
// MaxStatementTokens: a statement past them is refused without being
// parsed, one at them is not, and the placeholder rows of a bulk INSERT do
// not count as tokens.
func TestLongStatementsAreRefusedBeforeParsing(t *testing.T) {
	// Bytes: a comment fills the statement to the limit.
	fill := func(total int) string {
		head := "SELECT 1 /* "
		return head + strings.Repeat("x", total-len(head)-3) + " */"
	}
	e := limitError(t, fill(MaxStatementBytes+1), 1<<20)
	if !strings.Contains(e.Msg, "the statement is 16777217 bytes long; the limit is 16777216") {
		t.Errorf("message %q", e.Msg)
	}
	if _, err := Translate(context.Background(), fill(MaxStatementBytes), testSchema(), Options{}, nil); err != nil {
		t.Errorf("a statement of MaxStatementBytes: %v", err)
	}

	// Tokens: "SELECT ," then strings is a syntax error at ",", found
	// after the whole statement is lexed.
	tokens := func(n int) string { return "SELECT ," + strings.Repeat(" 'x'", n-2) }
	e = limitError(t, tokens(MaxStatementTokens+1), 64<<20)
	if !strings.Contains(e.Msg, "more than 200000 tokens") {
		t.Errorf("message %q", e.Msg)
	}
	if want := sqlerr.PositionOf(tokens(MaxStatementTokens+1), len(tokens(MaxStatementTokens))+1); e.Pos != want {
		t.Errorf("at %s, want the token past the limit, %s", e.Pos, want)
	}
	var se *sqlerr.SyntaxError
	if _, err := Translate(context.Background(), tokens(MaxStatementTokens), testSchema(), Options{}, nil); !errors.As(err, &se) || se.Near != "," {
		t.Errorf("a statement of MaxStatementTokens: %v, want the syntax error at its comma", err)
	}

	// A bulk INSERT of placeholder rows tokenizes its first row only.
	const rows = 100_000
	bulk := "INSERT INTO ORD (title, amount) VALUES (?, ?)" + strings.Repeat(", (?, ?)", rows-1)
	p, err := Prepare(context.Background(), bulk, testSchema(), Options{})
	if err != nil || p.NumInput() != 2*rows {
		t.Fatalf("a bulk INSERT of %d placeholder rows: %v", rows, err)
	}
}
