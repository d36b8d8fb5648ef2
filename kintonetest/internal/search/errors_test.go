package search

import (
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// TestErrors checks every error path of Prepare against QUERY-AND-FIELDS.md
// A.2, A.3, A.5, A.7, A.8 and A.9.
func TestErrors(t *testing.T) {
	tests := []struct {
		query string
		code  string // "" compiles
	}{
		// A.3: an empty query and options alone are valid.
		{``, ""},
		{`order by $id asc limit 10`, ""},
		{`limit 0`, ""},
		{`offset 0`, ""},

		// A.2 / A.9: syntax errors are CB_VA01.
		{`title = 'x'`, "CB_VA01"},
		{"title = \"a\tb\"", "CB_VA01"},
		{"title = \"a\nb\"", "CB_VA01"},
		{`title = "x" limit 10 order by $id asc`, "CB_VA01"},
		{`title = "x" offset 1 limit 10`, "CB_VA01"},
		{`limit -1`, "CB_VA01"},
		{`offset -1`, "CB_VA01"},
		{`title = `, "CB_VA01"},
		{`(title = "x"`, "CB_VA01"},
		{`title == "x"`, "CB_VA01"},
		{`title like title`, "CB_VA01"},
		{"`title` = \"x\"", "CB_VA01"},
		{`not title = "x"`, "CB_VA01"},

		// A.2: the documented literal forms compile.
		{`title = "a\"b\\c\td\ne"`, ""},
		{`数値_0 > 10`, ""},
		{`$id in (1, 2)`, ""},
		{`数値 >= "1"`, ""},
		{"title\u3000=\u3000\"x\"", ""},
		{`Status not in("完了")`, ""},
		{`num = -1.5`, ""},

		// Literals the type cannot read: CB_VA01 (A.9 "bad literal").
		{`num = "abc"`, "CB_VA01"},
		{`$id > "x"`, "CB_VA01"},
		{`date = "2024-13-01"`, "CB_VA01"},
		{`date = "2024-01-01T00:00:00Z"`, "CB_VA01"},
		{`time = "25:00"`, "CB_VA01"},
		{`time = "10:5"`, "CB_VA01"},
		{`time = "9:05"`, ""},
		{`レコード番号 = "APP-"`, "CB_VA01"},
		{`レコード番号 = "APP-x"`, "CB_VA01"},
		{`dt > "yesterday"`, "CB_VA01"},
		{`calcDur > "1h"`, "CB_VA01"},

		// GAIA_IQ11: unknown fields, in conditions and in order by.
		{`nosuch = "x"`, "GAIA_IQ11"},
		{`Title = "x"`, "GAIA_IQ11"}, // codes are case-sensitive (A.2 [U])
		{`order by nosuch asc`, "GAIA_IQ11"},
		{`ref.$id in (1)`, "GAIA_IQ11"},     // related records: not evaluated by the emulator
		{`ref.title in ("x")`, "GAIA_IQ11"}, // ditto
		// GAIA_IR02: a dotted path on a SUBTABLE.
		{`table.name in ("x")`, "GAIA_IR02"},
		{`table.$id in (1)`, "GAIA_IR02"},

		// GAIA_IQ10 comes before GAIA_IQ03 (A.5, observed).
		{`radio = "nonexistent"`, "GAIA_IQ10"},
		{`radio = "r1"`, "GAIA_IQ03"},
		{`radio in ("r1", "r4")`, "GAIA_IQ10"},
		{`radio not in ("nonexistent")`, "GAIA_IQ10"},
		{`check in ("D")`, "GAIA_IQ10"},
		{`check in ("")`, "GAIA_IQ10"}, // only DROP_DOWN accepts ""
		{`multi not in ("z")`, "GAIA_IQ10"},
		{`drop in ("")`, ""},
		{`drop in ("zz")`, "GAIA_IQ10"},
		{`tcheck in ("Z")`, "GAIA_IQ10"},
		{`drop in ("a", "b")`, ""},

		// GAIA_IQ03: operators each type refuses (A.5).
		{`title > "a"`, "GAIA_IQ03"},
		{`title is empty`, "GAIA_IQ03"},
		{`link < "a"`, "GAIA_IQ03"},
		{`memo = "a"`, "GAIA_IQ03"},
		{`memo in ("a")`, "GAIA_IQ03"},
		{`rich = "a"`, "GAIA_IQ03"},
		{`rich is empty`, "GAIA_IQ03"},
		{`num like "1"`, "GAIA_IQ03"},
		{`num is empty`, "GAIA_IQ03"},
		{`check = "A"`, "GAIA_IQ03"},
		{`check like "A"`, "GAIA_IQ03"},
		{`drop != "a"`, "GAIA_IQ03"},
		{`file = "a"`, "GAIA_IQ03"},
		{`file in ("a")`, "GAIA_IQ03"},
		{`date in ("2024-01-01")`, "GAIA_IQ03"},
		{`date like "2024"`, "GAIA_IQ03"},
		{`time in ("10:00")`, "GAIA_IQ03"},
		{`dt in ("2024-01-01T00:00:00Z")`, "GAIA_IQ03"},
		{`users = "sato"`, "GAIA_IQ03"},
		{`orgs > "a"`, "GAIA_IQ03"},
		{`groups like "a"`, "GAIA_IQ03"},
		{`作成者 = "sato"`, "GAIA_IQ03"},
		{`更新者 like "sato"`, "GAIA_IQ03"},
		{`作成日時 in ("2024-01-01T00:00:00Z")`, "GAIA_IQ03"},
		{`レコード番号 like "1"`, "GAIA_IQ03"},
		{`$id like "1"`, "GAIA_IQ03"},
		{`$id is empty`, "GAIA_IQ03"},
		{`Status > "a"`, "GAIA_IQ03"},
		{`Status like "a"`, "GAIA_IQ03"},
		{`作業者 = "sato"`, "GAIA_IQ03"},
		{`カテゴリー in ("x")`, "GAIA_IQ03"},
		{`table in ("x")`, "GAIA_IQ03"},
		{`table is empty`, "GAIA_IQ03"},
		{`ref in ("x")`, "GAIA_IQ03"},
		{`grp in ("x")`, "GAIA_IQ03"},
		{`lbl in ("x")`, "GAIA_IQ03"},
		{`$revision = 1`, "GAIA_IQ03"},
		{`calc like "1"`, "GAIA_IQ03"},

		// GAIA_IQ07: = and != on SUBTABLE fields; other operators work.
		{`name = "apple"`, "GAIA_IQ07"},
		{`qty != 1`, "GAIA_IQ07"},
		{`ResponseDate = "2022-09-29T05:00:00Z"`, "GAIA_IQ07"},
		{`name in ("apple")`, ""},
		{`qty > 1`, ""},
		{`name like "apple"`, ""},
		{`notes is empty`, ""},
		{`ResponseDate in ("2022-09-29T05:00:00Z")`, ""}, // in replaces = inside a table (A.4)
		{`tdate not in (TODAY())`, ""},
		{`ResponseDate like "2022"`, "GAIA_IQ03"},
		{`notes in ("x")`, "GAIA_IQ03"}, // MULTI_LINE_TEXT has no = to replace
		{`notes = "x"`, "GAIA_IQ03"},    // not allowed at all: IQ03, not IQ07

		// A.5 / A.7: functions by type. A function the type does not take
		// is GAIA_IL08 (chosen, [U]).
		{`作成者 in (LOGINUSER())`, ""},
		{`更新者 in (LOGINUSER())`, ""},
		{`users in (LOGINUSER(), "x")`, ""},
		{`作業者 in (LOGINUSER())`, ""},
		{`orgs in (PRIMARY_ORGANIZATION())`, ""},
		{`orgs in (LOGINUSER())`, "GAIA_IL08"},
		{`users in (PRIMARY_ORGANIZATION())`, "GAIA_IL08"},
		{`groups in (LOGINUSER())`, "GAIA_IL08"},
		{`title = LOGINUSER()`, "GAIA_IL08"},
		{`dt = NOW()`, ""},
		{`作成日時 < NOW()`, ""},
		{`date = NOW()`, "GAIA_IL08"},
		{`time = NOW()`, "GAIA_IL08"},
		{`time = TODAY()`, "GAIA_IL08"},
		{`num = TODAY()`, "GAIA_IL08"},
		{`$id = TODAY()`, "GAIA_IL08"},
		{`calcDate = TODAY()`, "GAIA_IL08"},
		{`radio in (TODAY())`, "GAIA_IL08"},
		{`date = TODAY()`, ""},
		{`date = FROM_TODAY(-30, DAYS)`, ""},
		{`date = FROM_TODAY(5,DAYS)`, ""},
		{`date = FROM_TODAY(5, WEEKS)`, ""},
		{`date = FROM_TODAY(5, MONTHS)`, ""},
		{`date = FROM_TODAY(5, YEARS)`, ""},
		{`date = THIS_WEEK(MONDAY)`, ""},
		{`date = THIS_MONTH(LAST)`, ""},
		{`date = THIS_MONTH(31)`, ""},

		// Function arguments: GAIA_IL08, GAIA_IQ25, GAIA_IQ23 (A.7).
		{`date = TODAY(1)`, "GAIA_IL08"},
		{`dt = NOW(1)`, "GAIA_IL08"},
		{`作成者 in (LOGINUSER(1))`, "GAIA_IL08"},
		{`date = FROM_TODAY(5)`, "GAIA_IL08"},
		{`date = FROM_TODAY()`, "GAIA_IL08"},
		{`date = FROM_TODAY(5, DAYS, 1)`, "GAIA_IL08"},
		{`date = FROM_TODAY(DAYS, 5)`, "GAIA_IL08"},
		{`date = FROM_TODAY(1.5, DAYS)`, "GAIA_IL08"},
		{`date = FROM_TODAY(5, HOURS)`, "GAIA_IQ25"},
		{`date = FROM_TODAY(5, 3)`, "GAIA_IQ25"},
		{`date = THIS_WEEK(MONDAY, TUESDAY)`, "GAIA_IL08"},
		{`date = THIS_WEEK(MON)`, "GAIA_IL08"},
		{`date = LAST_WEEK(1)`, "GAIA_IL08"},
		{`date = THIS_MONTH(0)`, "GAIA_IQ23"},
		{`date = THIS_MONTH(32)`, "GAIA_IQ23"},
		{`date = NEXT_MONTH(FIRST)`, "GAIA_IQ23"},
		{`date = LAST_MONTH(1, 2)`, "GAIA_IL08"},
		{`date = THIS_YEAR(2024)`, "GAIA_IL08"},
		{`date = NEXT_YEAR(LAST)`, "GAIA_IL08"},

		// GAIA_IS02: fields that do not sort (A.8).
		{`order by memo asc`, "GAIA_IS02"},
		{`order by rich asc`, "GAIA_IS02"},
		{`order by check asc`, "GAIA_IS02"},
		{`order by multi asc`, "GAIA_IS02"},
		{`order by users asc`, "GAIA_IS02"},
		{`order by orgs asc`, "GAIA_IS02"},
		{`order by groups asc`, "GAIA_IS02"},
		{`order by 作業者 asc`, "GAIA_IS02"},
		{`order by カテゴリー asc`, "GAIA_IS02"},
		{`order by file asc`, "GAIA_IS02"},
		{`order by table asc`, "GAIA_IS02"},
		{`order by name asc`, "GAIA_IS02"},
		{`order by qty desc`, "GAIA_IS02"},
		{`order by ref asc`, "GAIA_IS02"},
		{`order by grp asc`, "GAIA_IS02"},
		{`order by $revision asc`, "GAIA_IS02"},
		{`order by $id asc, memo desc`, "GAIA_IS02"},
		// Sortable types (A.8).
		{`order by $id asc, レコード番号 desc, 作成者 asc, 更新者 asc, 作成日時 asc, 更新日時 asc, title asc, num asc, calc asc, radio asc, drop asc, date asc, time asc, dt asc, link asc, Status asc, calcDur asc`, ""},
		{`order by title`, ""},

		// GAIA_QU01 / GAIA_QU02 (A.8).
		{`limit 500`, ""},
		{`limit 501`, "GAIA_QU01"},
		{`offset 10000`, ""},
		{`offset 10001`, "GAIA_QU02"},
		{`limit 99999999999999999999`, "CB_VA01"},
	}
	form := testForm()
	for _, tt := range tests {
		got, _ := errCode(t, form, testEnv(), tt.query, false)
		if got != tt.code {
			t.Errorf("Prepare(%q): code %q, want %q", tt.query, got, tt.code)
		}
	}
}

// TestErrorOrder checks the order of the checks when a query has several
// faults (A.9): syntax first, then condition by condition in source order
// (field, option, operator, function), then order by, then limit and
// offset.
func TestErrorOrder(t *testing.T) {
	tests := []struct {
		query string
		code  string
	}{
		{`nosuch > 1 order by memo asc limit 501 offset 10001 x`, "CB_VA01"},
		{`nosuch > 1 order by memo asc limit 501 offset 10001`, "GAIA_IQ11"},
		{`title > "x" and nosuch = 1`, "GAIA_IQ03"},
		{`nosuch = 1 and title > "x"`, "GAIA_IQ11"},
		{`(title = "a" or radio = "zz") and memo = "x"`, "GAIA_IQ10"},
		{`name = "x" and date = FROM_TODAY(1, HOURS)`, "GAIA_IQ07"},
		{`date = THIS_MONTH(40) and num = "abc"`, "GAIA_IQ23"},
		{`num = "abc" and date = THIS_MONTH(40)`, "CB_VA01"},
		{`title = "x" order by memo asc limit 501`, "GAIA_IS02"},
		{`order by title asc limit 501 offset 10001`, "GAIA_QU01"},
		{`order by title asc limit 500 offset 10001`, "GAIA_QU02"},
	}
	form := testForm()
	for _, tt := range tests {
		if got, _ := errCode(t, form, testEnv(), tt.query, false); got != tt.code {
			t.Errorf("Prepare(%q): code %q, want %q", tt.query, got, tt.code)
		}
	}
}

// TestErrorTexts checks the details the error bodies carry: the field
// code, the operator, the option value, the label for IS02 and
// errors.query for CB_VA01.
func TestErrorTexts(t *testing.T) {
	tests := []struct {
		query, code, ja string
	}{
		{`nosuch = 1`, "GAIA_IQ11", "指定されたフィールド（nosuch）が見つかりません。"},
		{`title > "a"`, "GAIA_IQ03", "titleフィールドのフィールドタイプには演算子>を使用できません。"},
		{`name = "a"`, "GAIA_IQ07", "テーブルに設定している場合、nameフィールドのフィールドタイプには、演算子=を使用できません。"},
		{`radio in ("r9")`, "GAIA_IQ10", "フィールド「radio」の項目に「r9」は存在しません。"},
		{`order by memo asc`, "GAIA_IS02", "「L_memo」フィールドはソート条件に使用できません。"},
		{`limit 501`, "GAIA_QU01", "limit には 500 以下の値を指定してください。"},
		{`offset 10001`, "GAIA_QU02", "offset には 10,000 以下の値を指定してください。"},
		{`date = FROM_TODAY(1, X)`, "GAIA_IQ25", "FROM_TODAY()の第2引数には、「DAYS」「WEEKS」「MONTHS」「YEARS」のいずれかを指定します。"},
		{`date = THIS_MONTH(0)`, "GAIA_IQ23", "指定した日にち（0）は無効です。1から31までの整数で指定します。"},
		{`date = TODAY(1)`, "GAIA_IL08", "クエリの指定が不正です。"},
	}
	form := testForm()
	for _, tt := range tests {
		code, e := errCode(t, form, testEnv(), tt.query, false)
		if code != tt.code {
			t.Errorf("Prepare(%q): code %q, want %q", tt.query, code, tt.code)
			continue
		}
		if got := e.Message.Ja; got != tt.ja {
			t.Errorf("Prepare(%q): message %q, want %q", tt.query, got, tt.ja)
		}
		if e.Status != 400 {
			t.Errorf("Prepare(%q): status %d, want 400", tt.query, e.Status)
		}
	}
	_, e := errCode(t, form, testEnv(), `title = 'x'`, false)
	if e == nil || e.Status != 400 || len(e.Errors["query"]) != 1 || e.Errors["query"][0].Ja != "クエリ記法が間違っています。" {
		t.Errorf("syntax error: %+v, want CB_VA01 with errors.query", e)
	}
}

// TestProcessManagement checks that STATUS and STATUS_ASSIGNEE exist only
// while process management is on: GAIA_ST02 otherwise (A.6.5), in
// conditions and in order by.
func TestProcessManagement(t *testing.T) {
	for _, q := range []string{`Status in ("完了")`, `Status not in("完了")`, `作業者 in (LOGINUSER())`, `order by Status asc`} {
		if got, _ := errCode(t, processOff(), testEnv(), q, false); got != "GAIA_ST02" {
			t.Errorf("process off: Prepare(%q): code %q, want GAIA_ST02", q, got)
		}
		if got, _ := errCode(t, testForm(), testEnv(), q, false); got != "" {
			t.Errorf("process on: Prepare(%q): code %q, want success", q, got)
		}
	}
}

// TestCursorQuery checks that a cursor's query refuses limit and offset
// with CB_VA01 (REST-API.md 4.3) and accepts everything else.
func TestCursorQuery(t *testing.T) {
	tests := []struct {
		query string
		code  string
	}{
		{``, ""},
		{`title = "x" order by num asc`, ""},
		{`limit 10`, "CB_VA01"},
		{`offset 0`, "CB_VA01"},
		{`title = "x" limit 500 offset 10`, "CB_VA01"},
		{`limit 501`, "CB_VA01"},
		{`nosuch = 1`, "GAIA_IQ11"},
	}
	for _, tt := range tests {
		code, e := errCode(t, testForm(), testEnv(), tt.query, true)
		if code != tt.code {
			t.Errorf("cursor Prepare(%q): code %q, want %q", tt.query, code, tt.code)
		}
		if code == "CB_VA01" && tt.code == "CB_VA01" && strings.Contains(tt.query, "limit") {
			if len(e.Errors["query"]) != 1 {
				t.Errorf("cursor Prepare(%q): errors %v, want one message under query", tt.query, e.Errors)
			}
		}
	}
}

// TestCompileNil checks that a nil query is the empty query (every
// record, $id descending, 100 per page) and that a nil form knows no field
// but $id.
func TestCompileNil(t *testing.T) {
	p, err := Compile(nil, testForm(), testEnv(), false)
	if err != nil {
		t.Fatal(err)
	}
	page, total := p.Find([]*store.Record{rec(1, nil), rec(2, nil)}, true)
	if got := recIDs(page); !sameIDs(got, ids(2, 1)) || total != 2 {
		t.Errorf("Find: %v, %d; want [2 1], 2", got, total)
	}
	if code, _ := errCode(t, nil, testEnv(), `title = "x"`, false); code != "GAIA_IQ11" {
		t.Errorf("nil form: code %q, want GAIA_IQ11", code)
	}
	if code, _ := errCode(t, nil, testEnv(), `$id > 1 order by $id asc`, false); code != "" {
		t.Errorf("nil form, $id: code %q, want success", code)
	}
}

// TestCompileHandBuilt checks trees that Parse never produces but a caller
// of Compile could: they are refused with CB_VA01, never a panic.
func TestCompileHandBuilt(t *testing.T) {
	neg := int64(-1)
	tests := []*kql.Query{
		{Limit: &neg},
		{Offset: &neg},
		{Where: &kql.Cond{Field: "title", Op: field.Eq}},
		{Where: &kql.Cond{Field: "title", Op: field.Eq, Values: []kql.Value{{Text: "a"}, {Text: "b"}}}},
		{Where: &kql.Cond{Field: "title", Op: field.In}},
		{Where: &kql.Cond{Field: "memo", Op: field.IsEmpty, Values: []kql.Value{{Text: "a"}}}},
		{Where: &kql.And{Terms: []kql.Expr{&kql.Cond{Field: "title", Op: field.Like}}}},
	}
	for i, q := range tests {
		_, err := Compile(q, testForm(), testEnv(), false)
		if e, ok := apierr.As(err); !ok || e.Code != "CB_VA01" {
			t.Errorf("tree %d: %v, want CB_VA01", i, err)
		}
	}
	if _, err := Compile(&kql.Query{Where: &kql.Cond{Field: "title", Op: "~"}}, testForm(), testEnv(), false); err == nil {
		t.Errorf("unknown operator: no error")
	}
}
