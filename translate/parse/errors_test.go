package parse

import (
	"errors"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// TestErrors checks the error, its position and its message for typical
// mistakes.
func TestErrors(t *testing.T) {
	cases := []struct {
		sql       string
		kind      string // "syntax", "unsupported" or "limit"
		line, col int
		msg       string
	}{
		{"DELETE ORD WHERE x = 1", "unsupported", 1, 1, "multiple-table DELETE"},
		{"DELETE WHERE x = 1", "syntax", 1, 8, "expected FROM, found 'WHERE'"},
		{"SHOW COLUMNS ORD", "syntax", 1, 14, "expected FROM or IN, found 'ORD'"},
		{"SELECT a, FROM t", "syntax", 1, 11, "expected an expression, found 'FROM'"},
		{"SELECT a FROM t WHERE (a = 1", "syntax", 1, 29, "expected ')', found the end of the statement"},
		{"SELECT a FROM t WHERE a = 1)", "syntax", 1, 28, "expected the end of the statement, found ')'"},
		{"SELECT COUNT(* FROM t", "syntax", 1, 16, "expected ')', found 'FROM'"},
		{"SELECT a FROM t WHERE b = 'abc", "syntax", 1, 27, "string not closed with '"},
		{"SELECT `a FROM t", "syntax", 1, 8, "quoted identifier not closed with `"},
		{"SELECT a AS `` FROM t", "syntax", 1, 13, "a name in backquotes cannot be empty"},
		{"SELECT COUNT(* , SUM(x)) FROM t", "syntax", 1, 16, "expected ')', found ','"},
		{"SELECT a FROM t WINDOW w AS ()", "unsupported", 1, 17, "WINDOW clause"},
		{"SELECT a /* FROM t", "syntax", 1, 10, "comment not closed with */"},
		{"SELEC a FROM t", "syntax", 1, 1, "expected a statement (SELECT, INSERT, UPDATE, DELETE, SHOW, DESCRIBE or EXPLAIN), found 'SELEC'"},
		{"SELECT a FROM t WHERE a = ? AND b = :b", "limit", 1, 37, "a statement cannot mix ? and :name placeholders"},
		{"SELECT a FROM t WHERE a = :a AND b = ?", "limit", 1, 27, "a statement cannot mix ? and :name placeholders"},
		{"SELECT a FROM t ORDER a", "syntax", 1, 23, "expected BY, found 'a'"},
		{"SELECT a FROM t LIMIT", "syntax", 1, 22, "expected an expression, found the end of the statement"},
		{"SELECT 顧客名 FROM アプリ WHERE 金額 >", "syntax", 1, 31, "expected an expression, found the end of the statement"},
		{"SELECT 顧客名\nFROM アプリ\nWHERE 金額 > > 1", "syntax", 3, 12, "expected an expression, found '>'"},
		{"SELECT a FROM t WHERE a IN ()", "syntax", 1, 29, "expected an expression, found ')'"},
		{"SELECT a FROM t1 LEFT JOIN t2", "syntax", 1, 30, "expected ON or USING, found the end of the statement"},
		{"SELECT * FROM (SELECT 1)", "syntax", 1, 25, "expected an alias for the derived table"},
		{"SELECT a FROM t WHERE a IS 1", "syntax", 1, 28, "expected NULL, TRUE, FALSE or UNKNOWN after IS, found '1'"},
		{"INSERT INTO t (a) VALUES (1,)", "syntax", 1, 29, "expected an expression, found ')'"},
		{"UPDATE t SET a = 1,", "syntax", 1, 20, "expected a column name, found the end of the statement"},
		{"SELECT CASE WHEN a THEN 1 FROM t", "syntax", 1, 27, "expected END, found 'FROM'"},
		{"SELECT CAST(a AS VARCHAR) FROM t", "syntax", 1, 18, "expected a type"},
		{"SELECT a FROM t; SELECT 1", "syntax", 1, 18, "expected the end of the statement, found 'SELECT'"},
		{"", "syntax", 1, 1, "found the end of the statement"},
		// ALL is MySQL's default: SELECT ALL and the aggregates' f(ALL x)
		// (its opt_all), never with DISTINCT, and not in other functions.
		{"SELECT ALL DISTINCT a FROM t", "syntax", 1, 12, "expected an expression, found 'DISTINCT'"},
		{"SELECT DISTINCT ALL a FROM t", "syntax", 1, 17, "expected an expression, found 'ALL'"},
		{"SELECT COUNT(ALL) FROM t", "syntax", 1, 17, "expected an expression after ALL, found ')'"},
		{"SELECT SUM(ALL *) FROM t", "syntax", 1, 16, "expected an expression after ALL, found '*'"},
		{"SELECT COUNT(ALL DISTINCT a) FROM t", "syntax", 1, 18, "expected an expression, found 'DISTINCT'"},
		{"SELECT UPPER(ALL a) FROM t", "syntax", 1, 14, "expected an expression, found 'ALL'"},
		{"SELECT GROUP_CONCAT(ALL a) FROM t", "syntax", 1, 21, "expected an expression, found 'ALL'"},
		{"REPLACE INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE a = 2", "syntax", 1, 31, "expected the end of the statement, found 'ON'"},
		{"REPLACE INTO t SET a = 1", "unsupported", 1, 16, "REPLACE ... SET"},
		{"REPLACE IGNORE INTO t (a) VALUES (1)", "syntax", 1, 9, "expected a table name, found 'IGNORE'"},
		{"REPLACE DELAYED INTO t (a) VALUES (1)", "unsupported", 1, 9, "REPLACE DELAYED"},
		{"INSERT IGNORE INTO t (a) VALUES (1)", "unsupported", 1, 8, "INSERT IGNORE"},
		{"SELECT @x", "unsupported", 1, 8, "user variable @x"},
		{"SELECT @@sql_mode", "unsupported", 1, 8, "system variable @@sql_mode"},
		{"SELECT a FROM t WHERE a IN ::list", "unsupported", 1, 28, "list placeholder ::list"},
		{"CREATE TABLE t (a int)", "unsupported", 1, 1, "CREATE statement"},
		{"SHOW DATABASES", "unsupported", 1, 1, "SHOW DATABASES"},
		{"SELECT a FROM t FOR UPDATE", "unsupported", 1, 17, "FOR UPDATE"},
		{"SELECT SUM(a) OVER w FROM t", "unsupported", 1, 20, "named window"},
		{"SELECT SUM(a) OVER (ROWS 1 PRECEDING) FROM t", "unsupported", 1, 21, "window frame"},
		{"SELECT " + strings.Repeat("(", 201) + "1" + strings.Repeat(")", 201), "limit", 1, 208, "nests more than 200 levels"},
		{"SELECT " + strings.Repeat("NOT ", 201) + "1", "limit", 1, 808, "nests more than 200 levels"},
		{"SELECT " + strings.Repeat("INTERVAL ", 300) + "1", "limit", 1, 1808, "nests more than 200 levels"},
	}
	for _, c := range cases {
		_, err := Parse(c.sql)
		var pos sqlerr.Position
		var msg string
		var se *sqlerr.SyntaxError
		var ue *sqlerr.UnsupportedError
		var le *sqlerr.Error
		switch {
		case errors.As(err, &se) && c.kind == "syntax":
			pos, msg = se.Pos, se.Msg
		case errors.As(err, &ue) && c.kind == "unsupported":
			pos, msg = ue.Pos, ue.Construct
		case errors.As(err, &le) && c.kind == "limit":
			pos, msg = le.Pos, le.Msg
		default:
			t.Errorf("%.60q: got %T %v, want a %s error", c.sql, err, err, c.kind)
			continue
		}
		if pos.Line != c.line || pos.Column != c.col || !strings.Contains(msg, c.msg) {
			t.Errorf("%.60q: %v\n  want line %d, column %d, message with %q", c.sql, err, c.line, c.col, c.msg)
		}
	}
}

// TestLimits checks the size and token limits.
func TestLimits(t *testing.T) {
	long := "SELECT '" + strings.Repeat("x", MaxStatementBytes) + "'"
	var le *sqlerr.Error
	if _, err := Parse(long); !errors.As(err, &le) || !strings.Contains(le.Msg, "bytes long") {
		t.Errorf("a statement past MaxStatementBytes: %v", err)
	}
	many := "SELECT a FROM t WHERE a IN (" + strings.Repeat("1,", MaxStatementTokens/2) + "1)"
	if _, err := Parse(many); !errors.As(err, &le) || !strings.Contains(le.Msg, "tokens") {
		t.Errorf("a statement past MaxStatementTokens: %v", err)
	}
	// A run of placeholder rows does not count.
	rows := "INSERT INTO t (a, b, c) VALUES (?, ?, ?)" + strings.Repeat(", (?, ?, ?)", MaxStatementTokens/4)
	if p, err := Parse(rows); err != nil || p.NumQ != 3*(MaxStatementTokens/4+1) {
		t.Errorf("a long run: %v", err)
	}
}

// TestSyntaxErrorText checks the message format, which translate's
// errors share.
func TestSyntaxErrorText(t *testing.T) {
	_, err := Parse("SELECT a FROM t WHERE 金額 > > 1")
	want := `kintone: SQL syntax error at line 1, column 28 near ">": expected an expression, found '>'`
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
	_, err = Parse("SELECT a FROM")
	want = "kintone: SQL syntax error at line 1, column 14 (end of statement): expected a table name, found the end of the statement"
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}
