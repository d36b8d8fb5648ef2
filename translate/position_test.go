package translate

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// errorPos returns the position an error of the translator carries.
func errorPos(err error) (sqlerr.Position, bool) {
	var (
		se  *sqlerr.SyntaxError
		ue  *sqlerr.UnsupportedError
		ute *sqlerr.UnknownTableError
		te  *sqlerr.Error
		ae  *sqlerr.ArgError
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
	case errors.As(err, &ae):
		return ae.Pos, true
	}
	return sqlerr.Position{}, false
}

// TestErrorPositionsPointAtTheConstruct is a sweep over the errors the
// translator reports: each statement marks with ‸ where its error must
// point, and the error must carry that line and column (not line 1,
// column 1 because a search for the construct found nothing, nor an
// earlier token that happens to have the same text).
func TestErrorPositionsPointAtTheConstruct(t *testing.T) {
	tests := []struct {
		sql  string // ‸ marks the position
		want string // part of the message
	}{
		// Variables and keyword functions (issue 12, item 15).
		{"SELECT ‸@x FROM ORD", "user variable @x"},
		{"SELECT title FROM ORD WHERE title = ‸@x", "user variable @x"},
		{"SELECT ‸@@sql_mode", "system variable @@sql_mode"},
		{"SELECT title,\n  ‸@@session.sql_mode FROM ORD", "system variable @@session.sql_mode"},
		{"SELECT ‸@`a b`", "user variable @`a b`"},
		{"SELECT ‸CURRENT_DATE(1)", "CURRENT_DATE() takes 0 arguments, not 1"},
		{"SELECT title FROM ORD WHERE due = ‸utc_date(1)", "UTC_DATE() takes 0 arguments"},
		{"SELECT title FROM ORD WHERE at < ‸CURRENT_TIMESTAMP(7)", "current_timestamp(): fractional seconds precision 7 is out of range"},
		{"SELECT ‸utc_timestamp(1, 2), title FROM ORD", "UTC_TIMESTAMP() takes 0 to 1 arguments, not 2"},
		{"SELECT ‸LOCALTIME('a') FROM ORD", `localtime(): "a" is not an integer`},
		// Date arithmetic: the INTERVAL, its unit, the call.
		{"SELECT due + ‸INTERVAL 1 FORTNIGHT FROM ORD", "unknown INTERVAL unit FORTNIGHT"},
		{"SELECT title FROM ORD WHERE ‸INTERVAL 1 DAY > 0", "INTERVAL stands only in"},
		{"SELECT DATE_ADD(due, ‸1) FROM ORD", "DATE_ADD() takes INTERVAL n unit as its second argument"},
		{"SELECT TIMESTAMPDIFF(‸DAYS, due, at) FROM ORD", "TIMESTAMPDIFF(): the unit must be"},
		{"SELECT EXTRACT(‸FORTNIGHT FROM due) FROM ORD", "EXTRACT(): unknown unit FORTNIGHT"},
		{"SELECT EXTRACT(DAY‸, due) FROM ORD", "expected FROM"},
		{"SELECT title FROM ORD WHERE '2024-01-01' ‸+ INTERVAL 'x' DAY > 0", "interval(): \"x\" is not an INTERVAL of unit DAY"},
		// Tables.
		{"INSERT INTO ‸Nope (a) VALUES (1)", `unknown table "Nope"`},
		{"INSERT INTO ‸Nope(a) VALUES (1)", `unknown table "Nope"`},
		{"INSERT ‸Nope (a) VALUES (1)", `unknown table "Nope"`},
		{"UPDATE ‸Nope SET a = 1", `unknown table "Nope"`},
		{"DELETE FROM ‸Nope WHERE a = 1", `unknown table "Nope"`},
		{"SELECT Nope FROM ‸Nope", `unknown table "Nope"`},
		{"SELECT * FROM ‸ORD.nope", `unknown table "ORD.nope"`},
		{"SELECT * FROM ‸information_schema.nope", `unknown table "information_schema.nope"`},
		{"SHOW COLUMNS FROM ‸nope", `unknown table "nope"`},
		{"DESCRIBE\n  ‸nope", `unknown table "nope"`},
		{"INSERT INTO ORD (title) SELECT title FROM ‸nope", `unknown table "nope"`},
		// Columns: a column whose name is also a table, a keyword or an alias.
		{"SELECT ‸ORD FROM ORD", `unknown column "ORD"`},
		{"SELECT title FROM ORD WHERE ‸ORD = 1", `unknown column "ORD"`},
		{"SELECT title FROM ORD WHERE ‸`from` = 1", `unknown column "from"`},
		{"SELECT title FROM ORD WHERE ‸`where` = 1", `unknown column "where"`},
		{"SELECT amount a FROM ORD WHERE ‸a = 1", `unknown column "a"`},
		{"SELECT title FROM ORD ORDER BY ‸nope", `unknown column "nope"`},
		{"SELECT title FROM ORD GROUP BY ‸nope", `unknown column "nope"`},
		{"SELECT COUNT(*) FROM ORD HAVING ‸nope > 1", `unknown column "nope"`},
		{"INSERT INTO ORD (‸ORD) VALUES (1)", `unknown column "ORD"`},
		{"INSERT INTO ORD(title, ‸nope) VALUES (1, 2)", `unknown column "nope"`},
		{"UPDATE ORD SET ‸ORD = 1", `unknown column "ORD"`},
		{"UPDATE ORD SET title = 'a' WHERE ‸nope = 1", `unknown column "nope"`},
		{"DELETE FROM ORD WHERE ‸ORD = 1", `unknown column "ORD"`},
		{"INSERT INTO ORD (title) VALUES ('a') ON DUPLICATE KEY UPDATE ‸nope = VALUES(nope)", "ON DUPLICATE KEY UPDATE can only assign inserted columns"},
		// Comparisons and operators: the SET's "=" is not the WHERE's.
		{"UPDATE ORD SET amount = 1 WHERE tags ‸= 'a'", "test membership with IN"},
		{"UPDATE ORD SET title = 'x', amount = 2 WHERE owner ‸< 'a'", "owner cannot be compared with <"},
		{"DELETE FROM ORD WHERE amount = 1 AND tags ‸= 'a'", "test membership with IN"},
		{"SELECT title FROM ORD WHERE title NOT LIKE 'a%' AND tags ‸LIKE 'a'", "tags cannot be used with LIKE"},
		{"SELECT title FROM ORD WHERE title NOT IN ('a') AND files ‸IN ('a')", "files cannot be used with IN"},
		// Literals.
		{"SELECT 'x' FROM ORD WHERE amount = ‸'abc'", `"abc" is not a number`},
		{"UPDATE ORD SET title = 'abc' WHERE amount = ‸'abc'", `"abc" is not a number`},
		{"SELECT title FROM ORD WHERE amount = 1 OR amount = ‸1.5e999999", "1.5e999999"},
		{"SELECT title FROM ORD LIMIT ‸99999999999999999999", "too large"},
		// SHOW: the WHERE condition is parsed on its own, its errors point into it.
		{"SHOW COLUMNS FROM ORD WHERE ‸ORD = 1", `unknown column "ORD"`},
		{"SHOW COLUMNS FROM ORD WHERE ‸columns = 1", `unknown column "columns"`},
		{"SHOW FULL COLUMNS FROM ORD WHERE Field = 'a' AND ‸nope = 1", `unknown column "nope"`},
		{"SHOW COLUMNS FROM ORD WHERE Field = ‸= 1", "syntax error"},
		{"SHOW COLUMNS FROM ORD\nWHERE Field IN ('a' ‸'b')", "syntax error"},
		{"SHOW COLUMNS FROM ORD WHERE Field = 'a' ‸ORDER BY 1", "syntax error"},
		{"SHOW TABLES WHERE ‸nope = 1", `unknown column "nope"`},
		{"SHOW TABLES LIKE 'a' ‸extra", "syntax error"},
		// Functions and aggregates.
		{"SELECT title FROM ORD WHERE title = 'a' AND ‸COUNT(*) > 1", "COUNT() is not allowed here"},
		{"SELECT UPPER(title), ‸UPPER(title, 1) FROM ORD", "UPPER() takes 1 argument"},
		{"SELECT title FROM ORD WHERE due = TODAY() OR due = ‸TODAY(1)", "TODAY() takes no arguments"},
		// Writes.
		{"INSERT INTO ORD (title, ‸title) VALUES ('a', 'b')", "listed twice"},
		{"INSERT INTO ORD (title, ‸total) VALUES ('a', 1)", "cannot be written"},
		{"INSERT INTO ORD (title) VALUES ‸('a', 1)", "row 1 has 2 values for 1 columns"},
		{"INSERT INTO ORD (title) VALUES ('a'), ‸('b', 1)", "row 2 has 2 values for 1 columns"},
		{"INSERT INTO ORD (title, amount) VALUES ('a', 1), ('b', 2 + ‸title)", "cannot refer to columns"},
		{"INSERT INTO ORD (title, amount) ‸SELECT title FROM ORD", "the SELECT gives 1 columns for 2"},
		{"UPDATE ORD SET due = '2024-05-01', title = CONCAT(‸due, '')", "reading due after SET due"},
		{"UPDATE ORD SET ‸`$id` = 1", "cannot be written"},
		{"UPDATE ORD SET amount = 1 WHERE title = 'a' ORDER BY ‸tags", "cannot sort by a list"},
		{"DELETE FROM ORD WHERE title = 'a' LIMIT 1 ‸OFFSET 2", "OFFSET in UPDATE or DELETE"},
		{"UPDATE ORD SET amount = 1 WHERE amount = ‸TODAY()", "TODAY() cannot be compared"},
		{"INSERT INTO ORD (title, amount) VALUES ('a', 1) ON DUPLICATE KEY UPDATE ‸amount = amount + 1", "ON DUPLICATE KEY UPDATE amount"},
		// Grouping and ordering.
		{"SELECT status, ‸title FROM ORD GROUP BY status", `column "title" must appear in GROUP BY`},
		{"SELECT title FROM ORD ORDER BY title, ‸3", "position 3 is not in the select list"},
		{"SELECT title FROM ORD GROUP BY ‸2", "position 2 is not in the select list"},
		{"SELECT DISTINCT title FROM ORD ORDER BY title, ‸amount", "with SELECT DISTINCT"},
		{"SELECT title FROM ORD WHERE amount > 1 ORDER BY ‸files", "cannot sort by a list of files"},
		{"SELECT SUM(amount), ‸SUM(tags) FROM ORD", "SUM() cannot take"},
		{"SELECT title FROM ORD LIMIT ‸'a'", "LIMIT and OFFSET take"},
		{"SELECT title FROM ORD LIMIT 1 OFFSET ‸'a'", "LIMIT and OFFSET take"},
		{"SELECT title FROM ORD LIMIT 1, ‸title", "LIMIT and OFFSET take"},
		{"SELECT title FROM ORD WHERE title = ? AND amount = ‸:n", "cannot mix"},
		// Syntax errors.
		{"SELECT title FROM ORD WHERE title = 'a' AND‸", "found the end of the statement"},
		{"SELECT title\nFROM ORD\nWHERE 顧客名 = 'あ' AND ‸AND", "syntax error"},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			at := strings.Index(tt.sql, "‸")
			if at < 0 {
				t.Fatal("no ‸ in the test statement")
			}
			sql := strings.Replace(tt.sql, "‸", "", 1)
			_, err := Translate(context.Background(), sql, testSchema(), Options{}, nil)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			pos, ok := errorPos(err)
			want := sqlerr.PositionOf(sql, at)
			if !ok || pos != want {
				t.Errorf("error %q is at %s (offset %d), want %s (offset %d)", err, pos, pos.Offset, want, want.Offset)
			}
		})
	}
}
