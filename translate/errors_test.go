package translate

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// TestUnsupported checks that every construct the driver does not run
// fails with an *UnsupportedError that names it and points at it.
func TestUnsupported(t *testing.T) {
	tests := []struct {
		sql       string
		construct string
		line, col int
	}{
		{"WITH RECURSIVE x AS (SELECT 1) SELECT * FROM x", "WITH RECURSIVE", 1, 1},
		{"SELECT STDDEV(amount) OVER (ORDER BY amount) FROM ORD", "window function STDDEV()", 1, 8},
		{"SELECT BIT_AND(amount) FROM ORD", "aggregate BIT_AND()", 1, 8},
		{"SELECT JSON_ARRAYAGG(title) FROM ORD", "aggregate JSON_ARRAYAGG()", 1, 8},
		{"SELECT title, SOUNDEX(title) FROM ORD", "function SOUNDEX()", 1, 15},
		{"SELECT title FROM ORD WHERE title REGEXP 'a'", "REGEXP", 1, 35},
		{"SELECT CAST(amount AS DOUBLE) FROM ORD", "CAST AS DOUBLE", 1, 23},
		{"SELECT title FROM ORD FOR UPDATE", "FOR UPDATE", 1, 23},
		{"SELECT title FROM ORD WHERE amount & 1 = 1", "operator &", 1, 36},
		{"SELECT title FROM ORD WHERE amount | 1 = 1", "operator |", 1, 36},
		{"SELECT title COLLATE utf8_bin FROM ORD", "COLLATE", 1, 14},
		{"SELECT title FROM ORD WHERE title IN ::list", "list placeholder ::list", 1, 38},
		{"SELECT TODAY() FROM ORD", "TODAY() outside WHERE", 1, 8},
		{"SELECT title FROM ORD WHERE TODAY() = TODAY()", "TODAY() here", 1, 29},
		{"SELECT title FROM ORD WHERE due < TODAY() OR title LIKE 'a%'", "TODAY() in a condition evaluated outside Kintone", 1, 35},
		{"SELECT item FROM ORD.items WHERE `when` < TODAY()", "TODAY() in a condition evaluated outside Kintone", 1, 43},
		{"REPLACE INTO ORD (title, 作成者) VALUES ('x', 'u')", "REPLACE setting 作成者 (CREATOR)", 1, 1},
		{"INSERT IGNORE INTO ORD (title) VALUES ('x')", "INSERT IGNORE", 1, 8},
		{"UPDATE ORD.items SET qty = 1", "UPDATE on a child table", 1, 8},
		{"DELETE a FROM ORD AS a", "multiple-table DELETE", 1, 1},
		{"UPDATE ORD SET amount = DEFAULT", "SET ... = DEFAULT", 1, 25},
		{"DELETE FROM ORD LIMIT 1 OFFSET 2", "OFFSET in UPDATE or DELETE", 1, 25},
		{"SHOW DATABASES", "SHOW DATABASES", 1, 1},
		{"SET NAMES utf8", "SET statement", 1, 1},
		{"SELECT db.f(1) FROM ORD", "function db.f()", 1, 8},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			_, err := Translate(context.Background(), tt.sql, testSchema(), Options{}, nil)
			var ue *sqlerr.UnsupportedError
			if !errors.As(err, &ue) {
				t.Fatalf("got %T %v, want an *UnsupportedError", err, err)
			}
			if !errors.Is(err, sqlerr.ErrUnsupported) {
				t.Error("errors.Is(err, ErrUnsupported) is false")
			}
			if ue.Construct != tt.construct {
				t.Errorf("construct = %q, want %q", ue.Construct, tt.construct)
			}
			if ue.Pos.Line != tt.line || ue.Pos.Column != tt.col {
				t.Errorf("position = %s, want line %d, column %d", ue.Pos, tt.line, tt.col)
			}
			if !strings.Contains(err.Error(), tt.construct) || !strings.Contains(err.Error(), ue.Pos.String()) {
				t.Errorf("message %q does not name the construct and its position", err)
			}
		})
	}
}

// TestTranslateErrors checks the errors of statements that parse but do
// not fit the tables they read.
func TestTranslateErrors(t *testing.T) {
	tests := []struct {
		sql       string
		want      string // a part of the message
		line, col int
	}{
		{"SELECT nope FROM ORD", `unknown column "nope" in table "ORD"`, 1, 8},
		{"SELECT title FROM ORD WHERE\n  nope = 1", `unknown column "nope"`, 2, 3},
		{"SELECT x.title FROM ORD", `unknown table "x"`, 1, 8},
		{"SELECT title FROM ORD WHERE amount = 'abc'", `"abc" is not a number, as field amount needs`, 1, 38},
		{"SELECT title FROM ORD WHERE due = 'tomorrow'", `"tomorrow" is not a date`, 1, 35},
		{"SELECT title FROM ORD WHERE alarm = '25:00'", `"25:00" is not a time of day`, 1, 37},
		{"SELECT title FROM ORD WHERE tags = 'a'", "test membership with IN", 1, 34},
		{"SELECT title FROM ORD WHERE tags LIKE 'a'", "tags cannot be used with LIKE", 1, 34},
		{"SELECT title FROM ORD WHERE files IN ('a')", "files cannot be used with IN", 1, 35},
		{"SELECT title FROM ORD WHERE owner < 'a'", "owner cannot be compared with <", 1, 35},
		// A list is never NULL (an empty one is []): IS NULL, which used to
		// mean "empty", is refused rather than silently never true.
		{"SELECT title FROM ORD WHERE tags IS NULL", "tags is a list of options, which is never NULL (an empty one is []): to test whether it is empty, write JSON_LENGTH(tags) = 0", 1, 34},
		{"SELECT title FROM ORD WHERE owner IS NOT NULL", "to test whether it is not empty, write JSON_LENGTH(owner) > 0", 1, 35},
		{"SELECT title FROM ORD WHERE NOT (files IS NULL)", "JSON_LENGTH(files) = 0", 1, 40},
		{"SELECT items IS NULL FROM ORD", "items is a subtable, which is never NULL", 1, 14},
		{"SELECT title FROM ORD ORDER BY tags", "cannot sort by a list of options", 1, 32},
		{"SELECT MAX(tags) FROM ORD", "MAX() cannot take a list of options", 1, 8},
		{"SELECT title, COUNT(*) FROM ORD", `column "title" must appear in GROUP BY`, 1, 8},
		{"SELECT title FROM ORD GROUP BY status", `column "title" must appear in GROUP BY`, 1, 8},
		{"SELECT COUNT(COUNT(*)) FROM ORD", "inside another aggregate", 1, 14},
		{"SELECT title FROM ORD WHERE COUNT(*) > 1", "COUNT() is not allowed here", 1, 29},
		{"SELECT status FROM ORD GROUP BY COUNT(*)", "GROUP BY cannot use an aggregate", 1, 33},
		{"SELECT SUM(*) FROM ORD", "only COUNT(*) takes *", 1, 8},
		{"SELECT title FROM ORD ORDER BY 5", "position 5 is not in the select list", 1, 32},
		{"SELECT DISTINCT title FROM ORD ORDER BY amount", "with SELECT DISTINCT, ORDER BY may only name columns", 1, 41},
		{"SELECT title FROM ORD LIMIT 99999999999999999999", "too large", 1, 29},
		{"SELECT title FROM ORD WHERE title = ? AND amount = :n", "cannot mix ? and :name", 1, 52},
		{"SELECT 1 / 0, 'a' + 1 FROM ORD", `"a" is not a number`, 1, 19},
		{"SELECT UPPER(title, 1) FROM ORD", "UPPER() takes 1 argument, not 2", 1, 8},
		{"SELECT title FROM ORD WHERE amount = TODAY()", "TODAY() cannot be compared with field amount of type NUMBER", 1, 38},
		{"SELECT title FROM ORD WHERE due = NOW()", "NOW() cannot be compared with field due of type DATE", 1, 35},
		{"SELECT title FROM ORD WHERE due = FROM_TODAY(3)", "FROM_TODAY() takes a number and DAYS", 1, 35},
		{"SELECT title FROM ORD WHERE due = FROM_TODAY(3, HOURS)", "not HOURS", 1, 35},
		{"SELECT title FROM ORD WHERE due = THIS_MONTH(32)", "a day from 1 to 31, or LAST", 1, 35},
		{"SELECT title FROM ORD WHERE due = THIS_WEEK(FUNDAY)", "a weekday", 1, 35},
		{"SELECT title FROM ORD WHERE due = TODAY(1)", "TODAY() takes no arguments", 1, 35},
		{"SHOW COLUMNS FROM ORD FROM other", "unknown database", 1, 28},
		{"SHOW TABLES FROM other", "unknown database other", 1, 18},
		{"SELECT $revision FROM ORD.items", `unknown column "$revision" in table "ORD.items"`, 1, 8},
		{"SELECT 顧客名 FROM ORD WHERE 顧客名x = 1", `unknown column "顧客名x"`, 1, 27},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			_, err := Translate(context.Background(), tt.sql, testSchema(), Options{}, nil)
			var e *sqlerr.Error
			if !errors.As(err, &e) {
				t.Fatalf("got %T %v, want an *Error", err, err)
			}
			if !strings.Contains(e.Msg, tt.want) {
				t.Errorf("message %q does not contain %q", e.Msg, tt.want)
			}
			if e.Pos.Line != tt.line || e.Pos.Column != tt.col {
				t.Errorf("position = %s, want line %d, column %d", e.Pos, tt.line, tt.col)
			}
		})
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		sql       string
		near      string
		line, col int
	}{
		{"SELECT title FROM ORD WHERE", "", 1, 28},
		{"SELECT title FROM ORD WHERE title = 'x", "'x", 1, 37},
		{"SELECT title\nFROM ORD\nWHERE 顧客名 = 'あ' AND AND", "AND", 3, 21},
		{"SELECT `顧客名 FROM ORD", "`顧客名 FROM ORD", 1, 8},
		{"SELECT title FROM ORD /* unclosed", "/* unclosed", 1, 23},
		{"", "", 1, 1},
		{"   ", "", 1, 1},
		{"SELECT a, FROM ORD", "FROM", 1, 11},
		{"DESCRIBE", "", 1, 9},
		{"SHOW COLUMNS ORD", "ORD", 1, 14},
		{"DESCRIBE ORD title extra", "extra", 1, 20},
		{"SHOW COLUMNS FROM ORD LIKE", "", 1, 27},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			_, err := Translate(context.Background(), tt.sql, testSchema(), Options{}, nil)
			var se *sqlerr.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("got %T %v, want a *SyntaxError", err, err)
			}
			if se.Near != tt.near || se.Pos.Line != tt.line || se.Pos.Column != tt.col {
				t.Errorf("got near %q at %s, want near %q at line %d, column %d", se.Near, se.Pos, tt.near, tt.line, tt.col)
			}
		})
	}
}

func TestUnknownTable(t *testing.T) {
	for _, sql := range []string{"SELECT * FROM nope", "SELECT * FROM ORD.nope", "SELECT * FROM ORD.title",
		"SELECT * FROM information_schema.nope", "SHOW COLUMNS FROM nope", "DESCRIBE `ORD`.`nope`"} {
		_, err := Translate(context.Background(), sql, testSchema(), Options{}, nil)
		var te *sqlerr.UnknownTableError
		if !errors.As(err, &te) || !errors.Is(err, sqlerr.ErrUnknownTable) {
			t.Errorf("%s: got %T %v, want an *UnknownTableError", sql, err, err)
		}
	}
	// Schema errors are passed on, wrapped.
	boom := errors.New("form request failed")
	_, err := Translate(context.Background(), "SELECT * FROM ORD", &fakeSchema{fail: boom}, Options{}, nil)
	if !errors.Is(err, boom) {
		t.Errorf("got %v, want the schema's error wrapped", err)
	}
	_, err = Translate(context.Background(), "SELECT * FROM Twin", testSchema(), Options{}, nil)
	if err == nil || !strings.Contains(err.Error(), "ambiguous") {
		t.Errorf("got %v, want the schema's ambiguity error", err)
	}
	_, err = Translate(context.Background(), "SHOW TABLES", &fakeSchema{fail: boom}, Options{}, nil)
	if !errors.Is(err, boom) {
		t.Errorf("SHOW TABLES: got %v, want the schema's error wrapped", err)
	}
}

// TestArgErrors checks argument counting and typing.
func TestArgErrors(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		sql  string
		args []driver.NamedValue
		want string
	}{
		{"SELECT title FROM ORD WHERE amount = ?", nil, "has 1 placeholders but 0 arguments"},
		{"SELECT title FROM ORD WHERE amount = ?", args(int64(1), int64(2)), "has 1 placeholders but 2 arguments"},
		{"SELECT title FROM ORD WHERE amount = ?", args("abc"), `"abc" is not a number`},
		{"SELECT title FROM ORD WHERE amount = ?", args(struct{}{}), "type struct {} is not supported"},
		{"SELECT title FROM ORD WHERE due = ?", args(int64(3)), "is not a date"},
		{"SELECT title FROM ORD WHERE amount = ?", args([]string{"1"}), "can only stand for the list of IN (?)"},
		{"SELECT title FROM ORD WHERE amount IN (?)", args([]string{}), "an empty list"},
		{"SELECT title FROM ORD LIMIT ?", args(int64(-1)), "LIMIT cannot be negative"},
		{"SELECT title FROM ORD LIMIT ?", args("x"), "is not an integer"},
		{"SELECT title FROM ORD WHERE amount = ?", []driver.NamedValue{{Name: "a", Value: int64(1)}}, "take unnamed arguments"},
		{"SELECT title FROM ORD WHERE amount = :a", []driver.NamedValue{{Ordinal: 1, Value: int64(1)}}, "needs a name"},
		{"SELECT title FROM ORD WHERE amount = :a", []driver.NamedValue{{Name: "b", Value: int64(1)}}, "no argument has this name"},
		{"SELECT title FROM ORD WHERE amount = ?", args(nanFloat()), "is not a number Kintone can store"},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			_, err := Translate(ctx, tt.sql, testSchema(), Options{}, tt.args)
			var ae *sqlerr.ArgError
			if !errors.As(err, &ae) {
				t.Fatalf("got %T %v, want an *ArgError", err, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("message %q does not contain %q", err, tt.want)
			}
		})
	}
	// The error names the placeholder and its position.
	_, err := Translate(ctx, "SELECT title FROM ORD\nWHERE amount = ? AND due = ?", testSchema(), Options{}, args(int64(1), "x"))
	var ae *sqlerr.ArgError
	if !errors.As(err, &ae) || ae.Ordinal != 2 || ae.Pos.Line != 2 || ae.Pos.Column != 28 {
		t.Errorf("got %#v, want argument 2 at line 2, column 28", err)
	}
}

func nanFloat() float64 {
	zero := 0.0
	return zero / zero
}

// TestPrepareBind checks that a statement is parsed once and bound many
// times, with NumInput exact.
func TestPrepareBind(t *testing.T) {
	ctx := context.Background()
	schema := testSchema()
	p, err := Prepare(ctx, "SELECT title FROM ORD WHERE amount > ? AND title IN (?) LIMIT ?", schema, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if p.NumInput() != 3 {
		t.Errorf("NumInput = %d, want 3", p.NumInput())
	}
	calls := schema.calls
	for i, a := range [][]any{{int64(1), []string{"a", "b"}, int64(5)}, {"2.5", "c", int64(600)}} {
		st, err := p.Bind(ctx, args(a...))
		if err != nil {
			t.Fatal(err)
		}
		s := st.(*Select)
		want := []string{
			`amount > 1 and title in ("a", "b") order by $id asc`,
			`amount > 2.5 and title in ("c") order by $id asc`,
		}[i]
		if got := s.Read.Query.String(); got != want {
			t.Errorf("bind %d: query = %s, want %s", i, got, want)
		}
	}
	if schema.calls != calls {
		t.Errorf("Bind asked the schema %d times; the table is resolved once, at Prepare", schema.calls-calls)
	}
	named, err := Prepare(ctx, "SELECT title FROM ORD WHERE amount > :n OR amount < :n OR title = :t", schema, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if named.NumInput() != 2 {
		t.Errorf("named NumInput = %d, want 2 (distinct names)", named.NumInput())
	}
	if _, err := named.Bind(ctx, []driver.NamedValue{{Name: "n", Value: int64(3)}, {Name: "t", Value: "x"}}); err != nil {
		t.Errorf("named Bind: %v", err)
	}
	// A bad literal fails at Prepare, before any argument.
	if _, err := Prepare(ctx, "SELECT title FROM ORD WHERE amount = 'x' AND title = ?", schema, Options{}); err == nil {
		t.Error("Prepare accepted a bad literal")
	}
	_ = time.UTC
}

// TestConcurrentUse binds one prepared statement and runs one plan from
// several goroutines, as database/sql may (run with -race).
func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	p, err := Prepare(ctx, "SELECT title, COUNT(*) FROM ORD WHERE amount > ? GROUP BY title ORDER BY 2 DESC", testSchema(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, err := p.Bind(ctx, args(int64(1)))
	if err != nil {
		t.Fatal(err)
	}
	s := st.(*Select)
	recs := sampleRecords()
	done := make(chan error)
	for i := 0; i < 4; i++ {
		go func() {
			if _, err := p.Bind(ctx, args(int64(i))); err != nil {
				done <- err
				return
			}
			rows := s.Run(sliceSource(recs))
			dest := make([]driver.Value, 2)
			for {
				if err := rows.Next(dest); err != nil {
					if errors.Is(err, io.EOF) {
						err = nil
					}
					done <- err
					return
				}
			}
		}()
	}
	for i := 0; i < 4; i++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
