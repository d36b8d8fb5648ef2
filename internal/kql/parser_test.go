package kql

import (
	"bufio"
	"errors"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/internal/field"
)

// docExample is a query from QUERY-AND-FIELDS.md part A (completed with a
// field where the document shows only an operator and a value), the tree
// Parse must build for it (see sexpr) and the text String prints for that
// tree.
type docExample struct {
	section string
	query   string
	want    string
	canon   string // "" means the query is already canonical
}

var docExamples = []docExample{
	// A.2 Lexical rules.
	{"A.2 no space before (", `Status not in("完了")`, `(Status not in ["完了"])`, `Status not in ("完了")`},
	{"A.2 unquoted integer", `数値_0 > 10`, `(数値_0 > #10)`, ""},
	{"A.2 $id list", `$id in (1, 2)`, `($id in [#1, #2])`, ""},
	{"A.2 quoted number", `数値 >= "1"`, `(数値 >= "1")`, ""},
	{"A.2 escapes", `title = "say \"hi\" \\ bye"`, `(title = "say \"hi\" \\ bye")`, ""},
	{"A.2 observed escapes", `memo like "a\tb\nc"`, `(memo like "a\tb\nc")`, ""},
	{"A.2 related records", `関連レコード.顧客名 in ("cybozu")`, `(関連レコード.顧客名 in ["cybozu"])`, ""},
	{"A.2 related $id", `関連レコード.$id in (1)`, `(関連レコード.$id in [#1])`, ""},
	{"A.2 $id in order by", `order by $id desc`, `order[$id desc]`, ""},
	{"A.2 field code charset", `＄金額・税込＿1 > 0 and ｶﾀｶﾅｰ = "x"`, `(and (＄金額・税込＿1 > #0) (ｶﾀｶﾅｰ = "x"))`, ""},

	// A.3 Grammar.
	{"A.3 empty query", ``, ``, ""},
	{"A.3 options only", `order by $id asc limit 10`, `order[$id asc] limit=10`, ""},
	{"A.3 clause order", `$id > 0 order by $id asc limit 10 offset 20`, `($id > #0) order[$id asc] limit=10 offset=20`, ""},
	{"A.3 and binds tighter", `a = 1 or b = 2 and c = 3`, `(or (a = #1) (and (b = #2) (c = #3)))`, `a = 1 or (b = 2 and c = 3)`},
	{"A.3 parentheses", `(a = 1 or b = 2) and c = 3`, `(and {(or (a = #1) (b = #2))} (c = #3))`, ""},
	{"A.3 FROM_TODAY signed", `更新日時 > FROM_TODAY(-30, DAYS)`, `(更新日時 > FROM_TODAY(-30,DAYS))`, ""},
	{"A.3 FROM_TODAY no space", `日付 = FROM_TODAY(5,DAYS)`, `(日付 = FROM_TODAY(5,DAYS))`, `日付 = FROM_TODAY(5, DAYS)`},
	{"A.3 THIS_WEEK weekday", `日付 = THIS_WEEK(MONDAY)`, `(日付 = THIS_WEEK(MONDAY))`, ""},
	{"A.3 THIS_MONTH LAST", `日付 = THIS_MONTH(LAST)`, `(日付 = THIS_MONTH(LAST))`, ""},
	{"A.3 function in list", `作成者 in (LOGINUSER())`, `(作成者 in [LOGINUSER()])`, ""},
	{"A.3 is empty", `備考 is empty`, `(備考 is empty)`, ""},
	{"A.3 is not empty", `添付ファイル is not empty`, `(添付ファイル is not empty)`, ""},

	// A.4 Operators.
	{"A.4 =", `f = "x"`, `(f = "x")`, ""},
	{"A.4 !=", `f != "x"`, `(f != "x")`, ""},
	{"A.4 >", `n > 1`, `(n > #1)`, ""},
	{"A.4 <", `n < 1`, `(n < #1)`, ""},
	{"A.4 >=", `n >= 1`, `(n >= #1)`, ""},
	{"A.4 <=", `n <= 1`, `(n <= #1)`, ""},
	{"A.4 in", `f in ("a", "b")`, `(f in ["a", "b"])`, ""},
	{"A.4 not in", `f not in ("a", "b")`, `(f not in ["a", "b"])`, ""},
	{"A.4 like", `f like "s"`, `(f like "s")`, ""},
	{"A.4 not like", `f not like "s"`, `(f not like "s")`, ""},

	// A.6 Evaluation semantics.
	{"A.6.1 blank", `f = ""`, `(f = "")`, ""},
	{"A.6.1 not blank", `f != ""`, `(f != "")`, ""},
	{"A.6.2 keyword", `title like "keyword"`, `(title like "keyword")`, ""},
	{"A.6.3 empty number", `n < 10`, `(n < #10)`, ""},
	{"A.6.4 datetime literal", `更新日時 > "2012-02-03T09:00:00+0900"`, `(更新日時 > "2012-02-03T09:00:00+0900")`, ""},
	{"A.6.4 day range", `dt >= "2024-01-01T00:00:00Z" and dt < "2024-01-02T00:00:00Z"`, `(and (dt >= "2024-01-01T00:00:00Z") (dt < "2024-01-02T00:00:00Z"))`, ""},
	{"A.6.4 date only", `dt = "2024-01-01"`, `(dt = "2024-01-01")`, ""},
	{"A.6.4 subtable datetime", `ResponseDate in ("2022-09-29T05:00:00Z")`, `(ResponseDate in ["2022-09-29T05:00:00Z"])`, ""},
	{"A.6.5 option blank", `ドロップダウン in ("")`, `(ドロップダウン in [""])`, ""},
	{"A.6.5 not in blank", `チェック not in ("", "a")`, `(チェック not in ["", "a"])`, ""},
	{"A.6.5 bad option", `radio = "nonexistent"`, `(radio = "nonexistent")`, ""},
	{"A.6.6 same row", `name in ("apple") and qty in ("100")`, `(and (name in ["apple"]) (qty in ["100"]))`, ""},
	{"A.5 assignee", `作業者 in (LOGINUSER())`, `(作業者 in [LOGINUSER()])`, ""},
	{"A.5 organization", `組織 in (PRIMARY_ORGANIZATION())`, `(組織 in [PRIMARY_ORGANIZATION()])`, ""},

	// A.7 Functions, each documented form.
	{"A.7 NOW", `日時 < NOW()`, `(日時 < NOW())`, ""},
	{"A.7 TODAY", `日付 = TODAY()`, `(日付 = TODAY())`, ""},
	{"A.7 YESTERDAY", `日付 = YESTERDAY()`, `(日付 = YESTERDAY())`, ""},
	{"A.7 TOMORROW", `日付 = TOMORROW()`, `(日付 = TOMORROW())`, ""},
	{"A.7 FROM_TODAY units", `d = FROM_TODAY(1, WEEKS) or d = FROM_TODAY(2, MONTHS) or d = FROM_TODAY(-3, YEARS)`,
		`(or (d = FROM_TODAY(1,WEEKS)) (d = FROM_TODAY(2,MONTHS)) (d = FROM_TODAY(-3,YEARS)))`, ""},
	{"A.7 THIS_WEEK whole", `d = THIS_WEEK()`, `(d = THIS_WEEK())`, ""},
	{"A.7 LAST_WEEK", `d = LAST_WEEK(SUNDAY)`, `(d = LAST_WEEK(SUNDAY))`, ""},
	{"A.7 NEXT_WEEK", `d = NEXT_WEEK(SATURDAY)`, `(d = NEXT_WEEK(SATURDAY))`, ""},
	{"A.7 THIS_MONTH day", `d = THIS_MONTH(15)`, `(d = THIS_MONTH(15))`, ""},
	{"A.7 LAST_MONTH", `d = LAST_MONTH()`, `(d = LAST_MONTH())`, ""},
	{"A.7 NEXT_MONTH", `d = NEXT_MONTH(31)`, `(d = NEXT_MONTH(31))`, ""},
	{"A.7 THIS_YEAR", `d = THIS_YEAR()`, `(d = THIS_YEAR())`, ""},
	{"A.7 LAST_YEAR", `d = LAST_YEAR()`, `(d = LAST_YEAR())`, ""},
	{"A.7 NEXT_YEAR", `d = NEXT_YEAR()`, `(d = NEXT_YEAR())`, ""},

	// A.8 order by, limit, offset.
	{"A.8 several keys", `order by f1 asc, f2 desc`, `order[f1 asc, f2 desc]`, ""},
	{"A.8 seek paging", `$id > 1234 order by $id asc limit 500`, `($id > #1234) order[$id asc] limit=500`, ""},
	{"A.8 maxima", `limit 500 offset 10000`, `limit=500 offset=10000`, ""},
	{"A.8 direction omitted", `order by 更新日時`, `order[更新日時 desc*]`, `order by 更新日時 desc`},
}

// docRejects are the queries part A says Kintone answers with CB_VA01.
var docRejects = []struct {
	section string
	query   string
	pos     int
	msg     string
}{
	{"A.2 single quotes", `title = 'x'`, 8, `strings take double quotes, not single quotes`},
	{"A.2 raw TAB", "title = \"a\tb\"", 10, `raw control character '\t' in a string; write it as an escape`},
	{"A.2 raw LF", "title = \"a\nb\"", 10, `raw control character '\n' in a string; write it as an escape`},
	{"A.2 raw CR", "title = \"a\rb\"", 10, `raw control character '\r' in a string; write it as an escape`},
	{"A.2 backquotes", "`title` = \"x\"", 0, `backquotes do not quote field codes: write the code bare`},
	{"A.3 clause order", `limit 10 order by $id asc`, 9, `"order" is out of place: the clauses go condition, order by, limit, offset, each at most once`},
	{"A.3 offset before limit", `offset 10 limit 5`, 10, `"limit" is out of place: the clauses go condition, order by, limit, offset, each at most once`},
	{"A.3 condition after options", `order by $id asc $id > 5`, 17, `unexpected "$id": the condition must come before order by, limit and offset`},
	{"A.4 no unary not", `not title = "x"`, 0, `there is no unary "not": use not in, not like or is not empty`},
	{"A.8 negative limit", `limit -1`, 6, `limit must not be negative`},
	{"A.8 negative offset", `offset -5`, 7, `offset must not be negative`},
}

func TestParseDocExamples(t *testing.T) {
	for _, ex := range docExamples {
		q, err := Parse(ex.query)
		if err != nil {
			t.Errorf("%s: Parse(%q): %v", ex.section, ex.query, err)
			continue
		}
		if got := sexpr(q); got != ex.want {
			t.Errorf("%s: Parse(%q)\n got %s\nwant %s", ex.section, ex.query, got, ex.want)
		}
	}
}

func TestParseDocRejects(t *testing.T) {
	for _, c := range docRejects {
		checkSyntaxError(t, c.section, c.query, c.pos, c.msg)
	}
}

// checkSyntaxError parses query and checks that it fails with a
// *SyntaxError at pos with message msg.
func checkSyntaxError(t *testing.T, name, query string, pos int, msg string) {
	t.Helper()
	q, err := Parse(query)
	if err == nil {
		t.Errorf("%s: Parse(%q) = %s, want an error", name, query, sexpr(q))
		return
	}
	if q != nil {
		t.Errorf("%s: Parse(%q) returned a query with its error", name, query)
	}
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Errorf("%s: Parse(%q) error %T %v, want *SyntaxError", name, query, err, err)
		return
	}
	if se.Pos != pos || se.Msg != msg {
		t.Errorf("%s: Parse(%q)\n got error at %d: %s\nwant error at %d: %s", name, query, se.Pos, se.Msg, pos, msg)
	}
	if want := "kql: syntax error at offset " + strconv.Itoa(pos) + ": " + msg; err.Error() != want {
		t.Errorf("%s: Error() = %q, want %q", name, err.Error(), want)
	}
}

// validQueries are valid queries beyond the documented examples, with the
// tree Parse must build (see sexpr). The printer and fuzz tests use them
// too.
var validQueries = []struct {
	name, query, want string
}{
	// and/or structure.
	{"and chain flattened", `a = 1 and b = 2 and c = 3`, `(and (a = #1) (b = #2) (c = #3))`},
	{"or chain flattened", `a = 1 or b = 2 or c = 3`, `(or (a = #1) (b = #2) (c = #3))`},
	{"and before or", `a = 1 and b = 2 or c = 3`, `(or (and (a = #1) (b = #2)) (c = #3))`},
	{"or of ands", `a = 1 and b = 2 or c = 3 and d = 4`, `(or (and (a = #1) (b = #2)) (and (c = #3) (d = #4)))`},
	{"paren kept around and", `a = 1 and (b = 2 and c = 3)`, `(and (a = #1) {(and (b = #2) (c = #3))})`},
	{"paren around cond", `(a = 1)`, `{(a = #1)}`},
	{"double paren", `((a = 1))`, `{{(a = #1)}}`},
	{"paren or in and", `a = 1 and (b = 2 or c = 3) and d = 4`, `(and (a = #1) {(or (b = #2) (c = #3))} (d = #4))`},
	{"nested groups", `((a = 1 or b = 2) and c = 3) or d = 4`, `(or {(and {(or (a = #1) (b = #2))} (c = #3))} (d = #4))`},

	// Keywords and function names in any letter case.
	{"upper keywords", `A = 1 AND B = 2 OR C IN (1) ORDER BY A ASC, B DESC LIMIT 5 OFFSET 1`,
		`(or (and (A = #1) (B = #2)) (C in [#1])) order[A asc, B desc] limit=5 offset=1`},
	{"mixed case keywords", `a Not In (1) and b nOT lIKE "x" and c Is Not Empty and d is EMPTY`,
		`(and (a not in [#1]) (b not like "x") (c is not empty) (d is empty))`},
	{"lower function", `d = today() or d = From_Today(1, days)`, `(or (d = TODAY()) (d = FROM_TODAY(1,days)))`},

	// White space: ASCII space, TAB, CR, LF, U+3000, and none around
	// punctuation.
	{"tab cr lf", "\ta\r\n=\n1\r", `(a = #1)`},
	{"ideographic space", "a\u3000=\u3000\"x\"\u3000order\u3000by\u3000a", `(a = "x") order[a desc*]`},
	{"no spaces", `a="x"and(b!=1)or c>=-1`, `(or (and (a = "x") {(b != #1)}) (c >= #-1))`},
	{"list without spaces", `a in("x","y")`, `(a in ["x", "y"])`},
	{"function spacing", `d = FROM_TODAY ( -3 ,DAYS )`, `(d = FROM_TODAY(-3,DAYS))`},
	{"only spaces", " \t\r\n\u3000", ``},

	// Values.
	{"negative integer", `n = -5`, `(n = #-5)`},
	{"decimal", `n = 1.5`, `(n = #1.5)`},
	{"negative decimal", `n > -0.25`, `(n > #-0.25)`},
	{"leading zeros kept", `n = 007`, `(n = #007)`},
	{"mixed list", `n in (-1, 2.5, "3", TODAY())`, `(n in [#-1, #2.5, "3", TODAY()])`},
	{"empty string", `s = ""`, `(s = "")`},
	{"all escapes", `s = "\"\\\t\n\r"`, "(s = \"\\\"\\\\\\t\\n\\r\")"},
	{"control characters taken raw", "s = \"\x01\x1f\x7f\u2028\"", `(s = "\x01\x1f\x7f\u2028")`},
	{"invalid UTF-8 in string", "s = \"\xff\xfe\"", `(s = "\xff\xfe")`},
	{"keywords in string", `s = "and or order by limit"`, `(s = "and or order by limit")`},
	{"ideographic space in string", "s = \"a\u3000b\"", `(s = "a\u3000b")`},

	// Function arguments are kept as written; their count and values are
	// for the caller to check (GAIA_IL08, IQ23, IQ25).
	{"wrong arg count parses", `d = TODAY(1) or d = FROM_TODAY(5)`, `(or (d = TODAY(1)) (d = FROM_TODAY(5)))`},
	{"decimal arg parses", `d = FROM_TODAY(1.5, DAYS)`, `(d = FROM_TODAY(1.5,DAYS))`},
	{"unknown symbol arg parses", `d = THIS_MONTH(FIRST)`, `(d = THIS_MONTH(FIRST))`},

	// Field references.
	{"underscore start", `_1 = 1`, `(_1 = #1)`},
	{"full-width letters", `ａｂｃ = 1`, `(ａｂｃ = #1)`},
	{"yen sign", `￥価格 = 1`, `(￥価格 = #1)`},
	{"keyword prefix is a code", `orders = 1 and index = 2 and likes = 3 and isEmpty = 4`,
		`(and (orders = #1) (index = #2) (likes = #3) (isEmpty = #4))`},
	{"function name as field", `TODAY = 1 order by NOW asc`, `(TODAY = #1) order[NOW asc]`},
	{"128 characters", strings.Repeat("あ", 128) + ` = 1`, `(` + strings.Repeat("あ", 128) + ` = #1)`},
	{"$revision", `$revision > 1`, `($revision > #1)`},
	{"related path in order by", `ref.f = 1 order by ref.$id asc`, `(ref.f = #1) order[ref.$id asc]`},

	// order by, limit, offset.
	{"implicit direction", `order by a, b asc, c desc, d`, `order[a desc*, b asc, c desc, d desc*]`},
	{"limit zero", `limit 0`, `limit=0`},
	{"offset alone", `offset 3`, `offset=3`},
	{"limit leading zeros", `limit 0010`, `limit=10`},
	{"limit above 500 is not syntax", `limit 501 offset 10001`, `limit=501 offset=10001`},
	{"condition and limit", `a = 1 limit 5`, `(a = #1) limit=5`},
	{"condition and offset", `a = 1 offset 5`, `(a = #1) offset=5`},
	{"paren then order", `(a = 1) order by a asc`, `{(a = #1)} order[a asc]`},
}

func TestParseValid(t *testing.T) {
	for _, tt := range validQueries {
		q, err := Parse(tt.query)
		if err != nil {
			t.Errorf("%s: Parse(%q): %v", tt.name, tt.query, err)
			continue
		}
		if got := sexpr(q); got != tt.want {
			t.Errorf("%s: Parse(%q)\n got %s\nwant %s", tt.name, tt.query, got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	long := strings.Repeat("a", 129)
	deep := strings.Repeat("(", maxDepth+1) + "a = 1" + strings.Repeat(")", maxDepth+1)
	tests := []struct {
		name, query string
		pos         int
		msg         string
	}{
		// Incomplete conditions.
		{"field alone", `a`, 1, `expected an operator after the field a, found end of query`},
		{"no value", `a =`, 3, `expected a value, found end of query`},
		{"dangling and", `a = 1 and`, 9, `expected a condition, found end of query`},
		{"dangling or", `a = 1 or )`, 9, `expected a condition, found ")"`},
		{"missing and", `a = 1 b = 2`, 6, `expected and, or, order by, limit, offset or the end of the query, found "b"`},
		{"unclosed paren", `(a = 1`, 6, `expected ")" to close the "(" at offset 0, found end of query`},
		{"unclosed inner paren", `(a = 1 or (b = 2)`, 17, `expected ")" to close the "(" at offset 0, found end of query`},
		{"extra paren", `a = 1)`, 5, `")" without a matching "("`},
		{"empty parens", `()`, 1, `expected a condition, found ")"`},
		{"starts with and", `and a = 1`, 0, `expected a condition, found keyword "and"`},
		{"keyword as field", `a = 1 and desc = 2`, 10, `expected a condition, found keyword "desc"`},
		{"unary not inside", `a = 1 and not b = 2`, 10, `there is no unary "not": use not in, not like or is not empty`},

		// Operators.
		{"double equals", `a == 1`, 3, `expected a value, found "="`},
		{"sql not equal", `a <> 1`, 3, `expected a value, found ">"`},
		{"bang alone", `a ! = 1`, 2, `"!" must be followed by "="`},
		{"not then cmp", `a not = 1`, 6, `expected in or like after "not", found "="`},
		{"not at end", `a not`, 5, `expected in or like after "not", found end of query`},
		{"is without empty", `a is null`, 5, `expected "empty", found "null"`},
		{"is not without empty", `a is not`, 8, `expected "empty", found end of query`},
		{"empty with suffix", `a is empty_x`, 5, `expected "empty", found "empty_x"`},
		{"sql like wildcard ok but op word", `a between 1`, 2, `expected an operator after the field a, found "between"`},

		// in lists.
		{"in without list", `a in 1`, 5, `expected "(" after in, found number 1`},
		{"empty list", `a in ()`, 6, `an in list needs at least one value`},
		{"trailing comma", `a in (1,)`, 8, `expected a value, found ")"`},
		{"missing comma", `a in (1 2)`, 8, `expected "," or ")" in the in list, found number 2`},
		{"unclosed list", `a not in ("x"`, 13, `expected "," or ")" in the in list, found end of query`},

		// like.
		{"like number", `a like 1`, 7, `like takes a double-quoted string, found number 1`},
		{"like function", `a not like TODAY()`, 11, `like takes a double-quoted string, found "TODAY"`},

		// Values and functions.
		{"bare word value", `a = b`, 4, `"b" is not a value: strings take double quotes, and it is no query function`},
		{"unknown function", `a = FOO()`, 4, `"FOO" is not a value: strings take double quotes, and it is no query function`},
		{"function without parens", `a = TODAY`, 9, `expected "(" after TODAY, found end of query`},
		{"quoted argument", `a = FROM_TODAY("5", DAYS)`, 15, `function arguments are written without quotes, found string "5"`},
		{"missing argument comma", `a = FROM_TODAY(5 DAYS)`, 17, `expected "," or ")" after a function argument, found "DAYS"`},
		{"trailing argument comma", `a = FROM_TODAY(5,)`, 17, `expected a function argument, found ")"`},
		{"keyword argument", `a = THIS_WEEK(in)`, 14, `expected a function argument, found keyword "in"`},
		{"dotted argument", `a = THIS_WEEK(a.b)`, 14, `expected a function argument, found "a.b"`},
		{"unclosed function", `a = TODAY(`, 10, `expected a function argument, found end of query`},
		{"value is keyword", `a = empty`, 4, `expected a value, found keyword "empty"`},

		// Numbers.
		{"number into word", `a = 10abc`, 4, `malformed number`},
		{"two dots", `a = 1.5.2`, 4, `malformed number`},
		{"exponent", `a = 1e5`, 4, `malformed number`},
		{"trailing dot", `a = 1.`, 4, `malformed number`},
		{"leading dot", `a = .5`, 4, `".5" is not a value: strings take double quotes, and it is no query function`},
		{"lone minus", `a = -`, 4, `"-" must be followed by a digit`},
		{"minus word", `a = -x`, 4, `"-" must be followed by a digit`},
		{"plus sign", `a = +1`, 4, `unexpected character '+'`},
		{"digit-first field", `1a = 1`, 0, `malformed number`},
		{"number as field", `1 = 1`, 0, `expected a condition, found number 1`},
		{"minus after number", `a = 1-2`, 5, `expected and, or, order by, limit, offset or the end of the query, found number -2`},

		// Strings.
		{"unterminated", `a = "x`, 4, `unterminated string`},
		{"unterminated after escape", `a = "x\`, 4, `unterminated string`},
		{"escaped closing quote", `a = "x\"`, 4, `unterminated string`},
		{"unknown escape", `a = "\q"`, 5, `unknown escape in a string: only \", \\, \t, \n and \r are allowed`},
		{"unicode escape", `a = "\u0041"`, 5, `unknown escape in a string: only \", \\, \t, \n and \r are allowed`},
		{"escaped single quote", `a = "\'"`, 5, `unknown escape in a string: only \", \\, \t, \n and \r are allowed`},
		{"string as field", `"a" = 1`, 0, `expected a field code, found string "a": field codes are written without quotes`},
		{"long string abbreviated", `"` + strings.Repeat("x", 50) + `" = 1`, 0,
			`expected a field code, found string "` + strings.Repeat("x", 40) + `...": field codes are written without quotes`},

		// Characters and field references.
		{"semicolon", `a = 1;`, 5, `unexpected character ';'`},
		{"hyphen in code", `a-b = 1`, 1, `"-" must be followed by a digit`},
		{"no-break space", "a\u00a0= 1", 1, `unexpected character '\u00a0'`},
		{"full-width paren", `a in （1）`, 5, `unexpected character '（'`},
		{"invalid UTF-8", "a = 1 \xff", 6, `invalid UTF-8`},
		{"unknown system identifier", `$foo = 1`, 0, `"$foo" is not a field code, $id, $revision or related-records path`},
		{"dollar inside code", `a$b = 1`, 0, `"a$b" is not a field code, $id, $revision or related-records path`},
		{"two dots in path", `a.b.c = 1`, 0, `"a.b.c" is not a field code, $id, $revision or related-records path`},
		{"empty path part", `a. = 1`, 0, `"a." is not a field code, $id, $revision or related-records path`},
		{"$revision in path", `a.$revision = 1`, 0, `"a.$revision" is not a field code, $id, $revision or related-records path`},
		{"keyword in path", `ref.order = 1`, 0, `"ref.order" is not a field code, $id, $revision or related-records path`},
		{"129 characters", long + ` = 1`, 0, `field code ` + strings.Repeat("a", 40) + `... is 129 characters long; the limit is 128`},

		// order by, limit, offset.
		{"order without by", `order a`, 6, `expected "by" after "order", found "a"`},
		{"order by nothing", `order by`, 8, `expected a field code, found end of query`},
		{"order by trailing comma", `order by a asc,`, 15, `expected a field code, found end of query`},
		{"order by string", `order by "a"`, 9, `expected a field code, found string "a": field codes are written without quotes`},
		{"two directions", `order by a asc desc`, 15, `unexpected keyword "desc" after the query`},
		{"order by keyword", `order by limit`, 9, `expected a field code, found keyword "limit"`},
		{"limit nothing", `limit`, 5, `limit takes an unquoted integer, found end of query`},
		{"limit quoted", `limit "5"`, 6, `limit takes an unquoted integer, found string "5"`},
		{"limit decimal", `limit 1.5`, 6, `limit takes an integer, found 1.5`},
		{"limit overflow", `limit 99999999999999999999`, 6, `limit 99999999999999999999 is out of range`},
		{"limit function", `limit TODAY()`, 6, `limit takes an unquoted integer, found "TODAY"`},
		{"offset decimal", `offset 0.5`, 7, `offset takes an integer, found 0.5`},
		{"limit twice", `limit 5 limit 6`, 8, `"limit" is out of place: the clauses go condition, order by, limit, offset, each at most once`},
		{"order twice", `order by a asc order by b asc`, 15, `"order" is out of place: the clauses go condition, order by, limit, offset, each at most once`},
		{"condition after order", `a = 1 order by a asc a = 2`, 21, `unexpected "a" after the query`},
		{"garbage after limit", `limit 5 x`, 8, `unexpected "x": the condition must come before order by, limit and offset`},
		{"paren after limit", `limit 5 (`, 8, `unexpected "(": the condition must come before order by, limit and offset`},

		// Nesting bound.
		{"too deep", deep, maxDepth, `parentheses nested more than 1000 deep`},
	}
	for _, tt := range tests {
		checkSyntaxError(t, tt.name, tt.query, tt.pos, tt.msg)
	}
}

// TestParseDepthLimit checks that the deepest allowed nesting parses.
func TestParseDepthLimit(t *testing.T) {
	query := strings.Repeat("(", maxDepth) + "a = 1" + strings.Repeat(")", maxDepth)
	q := mustParse(t, query)
	depth := 0
	for e := q.Where; ; depth++ {
		p, ok := e.(*Paren)
		if !ok {
			break
		}
		e = p.X
	}
	if depth != maxDepth {
		t.Errorf("depth %d, want %d", depth, maxDepth)
	}
}

// TestParsePositions checks every node's byte offset on one query that
// holds every kind of node, multi-byte characters included.
func TestParsePositions(t *testing.T) {
	//        0         1         2         3         4         5         6
	//        0123456789012345678901234567890123456789012345678901234567890123
	query := `a = 1 and (bb in ("x", TODAY()) or c is empty) order by a asc, bb limit 5 offset 6`
	want := &Query{
		Where: &And{At: 0, Terms: []Expr{
			&Cond{At: 0, Field: "a", Op: field.Eq, Values: []Value{{Kind: Number, Text: "1", At: 4}}},
			&Paren{At: 10, X: &Or{At: 11, Terms: []Expr{
				&Cond{At: 11, Field: "bb", Op: field.In, Values: []Value{
					{Kind: String, Text: "x", At: 18},
					{Kind: Func, Text: "TODAY", At: 23},
				}},
				&Cond{At: 35, Field: "c", Op: field.IsEmpty},
			}}},
		}},
		OrderBy: []OrderKey{
			{Field: "a", At: 56, Explicit: true},
			{Field: "bb", At: 63, Desc: true},
		},
		Limit:  n64(5),
		Offset: n64(6),
	}
	got := mustParse(t, query)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse(%q)\n got %#v\nwant %#v", query, got, want)
		diffPositions(t, got, want)
	}

	// Offsets count bytes, not characters.
	q := mustParse(t, "\u3000日付 = \"年\" or 日付 = TODAY()")
	or := q.Where.(*Or)
	if c := or.Terms[0].(*Cond); c.At != 3 || c.Values[0].At != 12 {
		t.Errorf("first condition at %d, value at %d; want 3 and 12", c.At, c.Values[0].At)
	}
	if c := or.Terms[1].(*Cond); c.At != 21 || c.Values[0].At != 30 {
		t.Errorf("second condition at %d, value at %d; want 21 and 30", c.At, c.Values[0].At)
	}
	if or.Pos() != 3 {
		t.Errorf("Or.Pos() = %d, want 3", or.Pos())
	}
}

// diffPositions reports the positions that differ between two trees of
// the same shape, to make a failure of TestParsePositions readable.
func diffPositions(t *testing.T, got, want *Query) {
	t.Helper()
	var walk func(path string, g, w Expr)
	walk = func(path string, g, w Expr) {
		if g == nil || w == nil || reflect.TypeOf(g) != reflect.TypeOf(w) {
			t.Errorf("%s: shape differs", path)
			return
		}
		if g.Pos() != w.Pos() {
			t.Errorf("%s: at %d, want %d", path, g.Pos(), w.Pos())
		}
		switch g := g.(type) {
		case *Cond:
			for i := range g.Values {
				if i < len(w.(*Cond).Values) && g.Values[i].At != w.(*Cond).Values[i].At {
					t.Errorf("%s value %d: at %d, want %d", path, i, g.Values[i].At, w.(*Cond).Values[i].At)
				}
			}
		case *And:
			for i := range g.Terms {
				walk(path+"/and"+strconv.Itoa(i), g.Terms[i], w.(*And).Terms[i])
			}
		case *Or:
			for i := range g.Terms {
				walk(path+"/or"+strconv.Itoa(i), g.Terms[i], w.(*Or).Terms[i])
			}
		case *Paren:
			walk(path+"/paren", g.X, w.(*Paren).X)
		}
	}
	walk("where", got.Where, want.Where)
	for i := range got.OrderBy {
		if i < len(want.OrderBy) && got.OrderBy[i].At != want.OrderBy[i].At {
			t.Errorf("order key %d: at %d, want %d", i, got.OrderBy[i].At, want.OrderBy[i].At)
		}
	}
}

// clientQueries returns the queries of testdata/client-queries.txt.
func clientQueries(t testing.TB) []string {
	t.Helper()
	f, err := os.Open("testdata/client-queries.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var qs []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		q, err := strconv.Unquote(line)
		if err != nil {
			t.Fatalf("testdata/client-queries.txt: %q: %v", line, err)
		}
		qs = append(qs, q)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(qs) == 0 {
		t.Fatal("testdata/client-queries.txt holds no queries")
	}
	return qs
}

// TestParseClientQueries parses what the official clients send: every
// query must parse, and String must print it back byte for byte.
func TestParseClientQueries(t *testing.T) {
	for _, query := range clientQueries(t) {
		q, err := Parse(query)
		if err != nil {
			t.Errorf("Parse(%.80q): %v", query, err)
			continue
		}
		if got := q.String(); got != query {
			t.Errorf("String() of a client query\n got %.200q\nwant %.200q", got, query)
		}
	}
	// The shapes the clients rely on, checked once in full.
	q := mustParse(t, `(num >= 10 or title = "seed-00001") and $id > 558 order by $id asc limit 500`)
	want := `(and {(or (num >= #10) (title = "seed-00001"))} ($id > #558)) order[$id asc] limit=500`
	if got := sexpr(q); got != want {
		t.Errorf("seek query\n got %s\nwant %s", got, want)
	}
}

// TestCodeRuneMatchesField checks that the lexer's field code characters
// are exactly those field.ValidFieldCode accepts, over every rune, so that
// a form and a query never disagree about a code.
func TestCodeRuneMatchesField(t *testing.T) {
	for r := rune(0); r <= 0x10FFFF; r++ {
		if 0xD800 <= r && r <= 0xDFFF {
			continue // surrogates cannot be in a UTF-8 string
		}
		s := "x" + string(r)
		if got, want := isCodeRune(r), field.ValidFieldCode(s); got != want {
			t.Errorf("isCodeRune(%U) = %v, field.ValidFieldCode(%q) = %v", r, got, s, want)
		}
	}
}

func TestValidFieldRef(t *testing.T) {
	tests := []struct {
		ref  string
		code bool // ValidFieldCode
		ref_ bool // ValidFieldRef
	}{
		{"title", true, true},
		{"レコード番号", true, true},
		{"_x", true, true},
		{"x1", true, true},
		{"1x", false, false},
		{"１x", false, false}, // a full-width digit is a digit too
		{"", false, false},
		{"$id", false, true},
		{"$revision", false, true},
		{"$ID", false, false},
		{"ref.title", false, true},
		{"ref.$id", false, true},
		{"ref.$revision", false, false},
		{"$id.x", false, false},
		{"ref.", false, false},
		{".x", false, false},
		{"a.b.c", false, false},
		{"order", false, false},
		{"Order", false, false},
		{"LIMIT", false, false},
		{"ref.desc", false, false},
		{"orders", true, true},
		{"a b", false, false},
		{"a-b", false, false},
		{strings.Repeat("x", 128), true, true},
		{strings.Repeat("x", 129), false, false},
		{strings.Repeat("字", 128), true, true},
		{"\xff", false, false},
	}
	for _, tt := range tests {
		if got := ValidFieldCode(tt.ref); got != tt.code {
			t.Errorf("ValidFieldCode(%q) = %v, want %v", tt.ref, got, tt.code)
		}
		if got := ValidFieldRef(tt.ref); got != tt.ref_ {
			t.Errorf("ValidFieldRef(%q) = %v, want %v", tt.ref, got, tt.ref_)
		}
	}
}

// TestKeywordsAreReserved checks that every keyword, in any case, is
// refused as a field code, and that Parse agrees.
func TestKeywordsAreReserved(t *testing.T) {
	for _, kw := range []string{"and", "or", "not", "in", "like", "is", "empty", "order", "by", "asc", "desc", "limit", "offset"} {
		for _, w := range []string{kw, strings.ToUpper(kw), strings.ToUpper(kw[:1]) + kw[1:]} {
			if ValidFieldCode(w) {
				t.Errorf("ValidFieldCode(%q) = true", w)
			}
			if q, err := Parse("x = 1 and " + w + ` = "v"`); err == nil {
				t.Errorf("Parse accepted keyword %q as a field: %s", w, sexpr(q))
			}
		}
	}
}
