package search

import (
	"testing"

	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

type matchCase struct {
	query string
	want  []int64
}

func runMatches(t *testing.T, env Env, recs []*store.Record, cases []matchCase) {
	t.Helper()
	form := testForm()
	for _, tt := range cases {
		if got := matchIDs(t, form, env, recs, tt.query); !sameIDs(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.query, got, tt.want)
		}
	}
}

// TestText checks = != in not in on SINGLE_LINE_TEXT, LINK and STATUS
// (A.6.1): whole-value, case- and width-sensitive, no trimming, "" for
// blanks.
func TestText(t *testing.T) {
	recs := []*store.Record{
		rec(1, v{"title": "apple", "link": "https://example.com/a", "Status": "完了"}),
		rec(2, v{"title": "Apple", "link": "", "Status": "未処理"}),
		rec(3, v{"title": "", "Status": "処理中"}),
		rec(4, v{"title": "ｱｯﾌﾟﾙ"}),
		rec(5, v{}),
		rec(6, v{"title": " apple"}),
		rec(7, v{"title": "say \"hi\"\\\t\n"}),
	}
	runMatches(t, testEnv(), recs, []matchCase{
		// The escapes of A.2: \" \\ \t \n.
		{`title = "say \"hi\"\\\t\n"`, ids(7)},
		{`title IN ("apple") OR title = "Apple"`, ids(1, 2)}, // keywords in any case (kql's choice)
		{`title = "apple"`, ids(1)},
		{`title = "Apple"`, ids(2)},
		{`title = "APPLE"`, nil},
		{`title != "apple"`, ids(2, 3, 4, 5, 6, 7)},
		{`title = ""`, ids(3, 5)},
		{`title != ""`, ids(1, 2, 4, 6, 7)},
		{`title in ("apple", "Apple")`, ids(1, 2)},
		{`title in ("apple")`, ids(1)},
		{`title not in ("apple")`, ids(2, 3, 4, 5, 6, 7)},
		{`title not in ("apple", "")`, ids(2, 4, 6, 7)},
		{`title = "アップル"`, nil}, // kana width is distinguished by =
		{`title = "ｱｯﾌﾟﾙ"`, ids(4)},
		{`title = 1`, nil},
		{`link = "https://example.com/a"`, ids(1)},
		{`link = ""`, ids(2, 3, 4, 5, 6, 7)},
		{`link in ("https://example.com/a", "x")`, ids(1)},
		{`Status = "完了"`, ids(1)},
		{`Status != "完了"`, ids(2, 3, 4, 5, 6, 7)},
		{`Status in ("未処理", "処理中")`, ids(2, 3)},
		{`Status not in("完了")`, ids(2, 3, 4, 5, 6, 7)},
	})
}

// TestNumber checks NUMBER, CALC, RECORD_NUMBER and $id (A.6.3): compared
// as decimals, quoted or not, with an empty NUMBER below every number.
func TestNumber(t *testing.T) {
	recs := []*store.Record{
		rec(1, v{"num": "10", "数値_0": "11", "数値": "1", "calc": "1234"}),
		rec(2, v{"num": "9.5", "数値_0": "10", "数値": "0.5", "calc": "-1"}),
		rec(3, v{"num": "-3", "calc": "1234.0"}),
		rec(4, v{"num": ""}),
		rec(5, v{"num": "100", "calc": "12345678901234567890123"}),
		rec(6, v{}),
	}
	recs[4].Values["レコード番号"] = "APP-5"
	runMatches(t, testEnv(), recs, []matchCase{
		{`数値_0 > 10`, ids(1)},
		{`数値 >= "1"`, ids(1)},
		{`num > 10`, ids(5)},
		{`num >= 10`, ids(1, 5)},
		{`num > "9.75"`, ids(1, 5)},
		{`num < 10`, ids(2, 3, 4, 6)}, // blanks are minus infinity (A.6.3 [T])
		{`num <= 9.5`, ids(2, 3, 4, 6)},
		{`num > -3.5`, ids(1, 2, 3, 5)},
		{`num = 10`, ids(1)},
		{`num = 10.00`, ids(1)},
		{`num = "1e1"`, ids(1)},
		{`num = " 10 "`, ids(1)},
		{`num != 10`, ids(2, 3, 4, 5, 6)},
		{`num in (10, -3)`, ids(1, 3)},
		{`num in ("10", "100", "7")`, ids(1, 5)},
		{`num not in (10)`, ids(2, 3, 4, 5, 6)},
		{`num = ""`, ids(4, 6)},
		{`num != ""`, ids(1, 2, 3, 5)},
		{`num > ""`, ids(1, 2, 3, 5)},
		{`num < ""`, nil},
		{`calc = 1234`, ids(1, 3)},
		{`calc > 1000`, ids(1, 3, 5)},
		{`calc > "9999999999999999999999"`, ids(5)},
		{`calc < 0`, ids(2, 4, 6)},
		{`$id > 2`, ids(3, 4, 5, 6)},
		{`$id in (1, 2)`, ids(1, 2)},
		{`$id = 2.0`, ids(2)},
		{`$id = 2.5`, nil},
		{`$id < 2.5`, ids(1, 2)},
		{`$id <= 2.5`, ids(1, 2)},
		{`$id > 2.5`, ids(3, 4, 5, 6)},
		{`$id >= "2.5"`, ids(3, 4, 5, 6)},
		{`$id > -1`, ids(1, 2, 3, 4, 5, 6)},
		{`$id < -1.5`, nil},
		{`$id > 99999999999999999999999`, nil},
		{`$id < 99999999999999999999999`, ids(1, 2, 3, 4, 5, 6)},
		{`$id > -99999999999999999999999`, ids(1, 2, 3, 4, 5, 6)},
		{`$id not in (1, 2, 3)`, ids(4, 5, 6)},
		{`$id != 4`, ids(1, 2, 3, 5, 6)},
		{`$id = ""`, nil},
		{`レコード番号 = 2`, ids(2)},
		{`レコード番号 = "APP-5"`, ids(5)},
		{`レコード番号 = 5`, ids(5)},
		{`レコード番号 >= 3`, ids(3, 4, 5, 6)},
		{`レコード番号 in (1, "APP-5")`, ids(1, 5)},
	})
	// Exponents are no number literal (A.2 leaves them untested).
	if code, _ := errCode(t, testForm(), testEnv(), `calc > 1e3`, false); code != "CB_VA01" {
		t.Errorf("calc > 1e3: code %q, want CB_VA01", code)
	}
}

// TestDateTimeValues checks DATE, TIME, DATETIME, CREATED_TIME,
// UPDATED_TIME and the CALC formats with literals (A.6.4). Functions are
// tested in datefunc_test.go.
func TestDateTimeValues(t *testing.T) {
	recs := []*store.Record{
		rec(1, v{"date": "2024-05-14", "time": "09:00", "dt": "2024-05-14T15:00:00Z", "calcDate": "2024-05-14", "calcTime": "09:00", "calcDT": "2024-05-14T15:00:00Z", "calcDur": "49:30"}),
		rec(2, v{"date": "2024-05-15", "time": "10:30", "dt": "2024-05-15T03:30:00Z", "calcDate": "2024-05-15", "calcTime": "10:30", "calcDT": "2024-05-15T03:30:00Z", "calcDur": "1:05"}),
		rec(3, v{"date": "2024-05-16", "time": "23:59", "dt": "2024-05-16T00:00:00Z", "calcDur": "-2:00"}),
		rec(4, v{"date": "", "time": "", "dt": "", "calcDur": ""}),
		rec(5, v{}),
	}
	recs[0].Values["更新日時"] = "2012-02-03T00:00:00Z"
	recs[1].Values["更新日時"] = "2012-02-03T00:01:00Z"
	runMatches(t, testEnv(), recs, []matchCase{
		{`date = "2024-05-15"`, ids(2)},
		{`date != "2024-05-15"`, ids(1, 3, 4, 5)},
		{`date > "2024-05-15"`, ids(3)},
		{`date >= "2024-05-15"`, ids(2, 3)},
		{`date < "2024-05-15"`, ids(1)}, // an empty date satisfies no range
		{`date <= "2024-05-15"`, ids(1, 2)},
		{`date = ""`, ids(4, 5)},
		{`date != ""`, ids(1, 2, 3)},
		{`time = "10:30"`, ids(2)},
		{`time = "10:30:59"`, ids(2)},
		{`time >= "10:00"`, ids(2, 3)},
		{`time < "10:30"`, ids(1)},
		{`time = ""`, ids(4, 5)},
		// DATETIME: minute precision, UTC storage, any written offset.
		{`dt = "2024-05-15T03:30:00Z"`, ids(2)},
		{`dt = "2024-05-15T03:30:59Z"`, ids(2)},
		{`dt = "2024-05-15T12:30:00+09:00"`, ids(2)},
		{`dt = "2024-05-15T12:30:00+0900"`, ids(2)},
		{`dt = "2024-05-15T12:30+09:00"`, ids(2)},
		{`dt = "2024-05-14T23:30:00-04:00"`, ids(2)},
		{`dt > "2024-05-15T03:30:00Z"`, ids(3)},
		{`dt >= "2024-05-15T03:30:00Z"`, ids(2, 3)},
		{`dt < "2024-05-15T03:31:00Z"`, ids(1, 2)},
		{`dt <= "2024-05-15T03:29:00Z"`, ids(1)},
		{`dt != "2024-05-15T03:30:00Z"`, ids(1, 3, 4, 5)},
		{`dt = ""`, ids(4, 5)},
		// A date-only literal on a DATETIME is that day in the user's
		// time zone (UTC here) [U].
		{`dt = "2024-05-15"`, ids(2)},
		{`dt = "2024-01-01"`, nil},
		{`作成日時 = "2024-01-01"`, ids(1, 2, 3, 4, 5)},
		{`dt != "2024-05-15"`, ids(1, 3, 4, 5)},
		{`dt < "2024-05-15"`, ids(1)},
		{`dt <= "2024-05-15"`, ids(1, 2)},
		{`dt > "2024-05-15"`, ids(3)},
		{`dt >= "2024-05-15"`, ids(2, 3)},
		// The official sample (A.6.4).
		{`更新日時 > "2012-02-03T09:00:00+0900"`, ids(2, 3, 4, 5)},
		{`更新日時 > "2012-02-03T00:00:00Z"`, ids(2, 3, 4, 5)},
		{`更新日時 >= "2012-02-03T09:00:00+09:00"`, ids(1, 2, 3, 4, 5)},
		{`更新日時 < "2012-02-03T09:01:00+09:00"`, ids(1)},
		{`作成日時 = "2024-01-01T00:00:00Z"`, ids(1, 2, 3, 4, 5)},
		// CALC in a date or time format compares in that format [U].
		{`calcDate = "2024-05-15"`, ids(2)},
		{`calcDate < "2024-05-15"`, ids(1)},
		{`calcTime > "09:00"`, ids(2)},
		{`calcDT = "2024-05-15T12:30:00+09:00"`, ids(2)},
		{`calcDT = "2024-05-14"`, ids(1)},
		{`calcDur > "48:00"`, ids(1)},
		{`calcDur = "1:05"`, ids(2)},
		{`calcDur = 3900`, ids(2)},
		{`calcDur < 0`, ids(3)},
		{`calcDur = ""`, ids(4, 5)},
	})
	// In Asia/Tokyo "2024-05-15" on a DATETIME is 2024-05-14T15:00Z up to
	// 2024-05-15T15:00Z.
	tokyo := testEnv()
	tokyo.Loc = mustLoc(t, "Asia/Tokyo")
	runMatches(t, tokyo, recs, []matchCase{
		{`dt = "2024-05-15"`, ids(1, 2)}, // 2024-05-14T15:00Z up to 2024-05-15T15:00Z
		{`dt = "2024-05-16"`, ids(3)},
		{`dt = "2024-05-14"`, nil},
		{`dt = "2024-05-15T00:00:00"`, ids(1)}, // a zoneless instant is local time [U]
		{`date = "2024-05-15"`, ids(2)},        // DATE has no time zone
	})
}

// TestOptions checks in / not in on CHECK_BOX, MULTI_SELECT, RADIO_BUTTON
// and DROP_DOWN (A.6.5).
func TestOptions(t *testing.T) {
	recs := []*store.Record{
		rec(1, v{"check": []string{"A"}, "multi": []string{"x"}, "radio": "r1", "drop": "a"}),
		rec(2, v{"check": []string{"A", "B"}, "multi": []string{"x", "y"}, "radio": "r2", "drop": "b"}),
		rec(3, v{"check": []string{"C"}, "multi": []string{}, "radio": "r3", "drop": ""}),
		rec(4, v{"check": []string{}, "radio": "", "drop": "c"}),
		rec(5, v{}),
	}
	runMatches(t, testEnv(), recs, []matchCase{
		{`check in ("A")`, ids(1, 2)},
		{`check in ("A", "B")`, ids(1, 2)},
		{`check in ("B", "C")`, ids(2, 3)},
		{`check not in ("A")`, ids(3, 4, 5)},
		{`check not in ("A", "B")`, ids(3, 4, 5)},
		{`check not in ("A", "B", "C")`, ids(4, 5)}, // no selection matches not in [U]
		{`multi in ("y")`, ids(2)},
		{`multi not in ("y")`, ids(1, 3, 4, 5)},
		{`radio in ("r1", "r3")`, ids(1, 3)},
		{`radio not in ("r1")`, ids(2, 3, 4, 5)},
		{`drop in ("")`, ids(3, 5)},
		{`drop in ("a")`, ids(1)},
		{`drop not in ("", "a")`, ids(2, 4)},
		{`drop not in ("")`, ids(1, 2, 4)},
		{`drop in ("", "c")`, ids(3, 4, 5)},
	})
}

// TestEntities checks in / not in on CREATOR, MODIFIER, USER_SELECT,
// ORGANIZATION_SELECT, GROUP_SELECT and STATUS_ASSIGNEE, with LOGINUSER()
// and PRIMARY_ORGANIZATION() (A.6.5).
func TestEntities(t *testing.T) {
	recs := []*store.Record{
		rec(1, v{"users": users("sato"), "orgs": users("sales"), "groups": users("g1"), "作業者": users("sato"), "title": "x"}),
		rec(2, v{"users": users("sato", "suzuki"), "orgs": users("dev", "sales"), "作業者": users("suzuki")}),
		rec(3, v{"users": users(), "orgs": users(), "title": "x"}),
		rec(4, v{"users": users("tanaka"), "orgs": users("dev"), "groups": users("g2")}),
	}
	recs[3].Values["作成者"] = store.Entity{Code: "tanaka", Name: "Tanaka"}
	recs[2].Values["更新者"] = store.Entity{Code: "guest/a@example.com", Name: "Guest"}
	runMatches(t, testEnv(), recs, []matchCase{
		{`作成者 in (LOGINUSER())`, ids(1, 2, 3)},
		{`作成者 not in (LOGINUSER())`, ids(4)},
		{`作成者 in ("tanaka", "nobody")`, ids(4)},
		{`更新者 in ("guest/a@example.com")`, ids(3)},
		{`users in (LOGINUSER())`, ids(1, 2)},
		{`users not in (LOGINUSER())`, ids(3, 4)},
		{`users in ("suzuki", "tanaka")`, ids(2, 4)},
		{`users not in ("suzuki", "tanaka")`, ids(1, 3)},
		{`users in ("")`, ids(3)},
		{`users not in ("")`, ids(1, 2, 4)},
		{`orgs in (PRIMARY_ORGANIZATION())`, ids(1, 2)},
		{`orgs not in (PRIMARY_ORGANIZATION())`, ids(3, 4)},
		{`groups in ("g1", "g2")`, ids(1, 4)},
		{`groups not in ("g1")`, ids(2, 3, 4)},
		{`作業者 in (LOGINUSER())`, ids(1)},
		{`作業者 not in (LOGINUSER())`, ids(2, 3, 4)},
	})
	other := testEnv()
	other.LoginUser = "tanaka"
	runMatches(t, other, recs, []matchCase{
		{`作成者 in (LOGINUSER())`, ids(4)},
		{`users in (LOGINUSER(), "sato")`, ids(1, 2, 4)},
	})
	// A caller without a primary organization: the condition is ignored
	// and the others still apply (A.6.5 [D]).
	none := testEnv()
	none.PrimaryOrganization = ""
	runMatches(t, none, recs, []matchCase{
		{`orgs in (PRIMARY_ORGANIZATION())`, ids(1, 2, 3, 4)},
		{`orgs in (PRIMARY_ORGANIZATION()) and title = "x"`, ids(1, 3)},
		{`title = "x" and orgs not in (PRIMARY_ORGANIZATION())`, ids(1, 3)},
		{`orgs in (PRIMARY_ORGANIZATION()) or title = "x"`, ids(1, 3)},
		{`(orgs in (PRIMARY_ORGANIZATION())) and title = "x"`, ids(1, 3)},
		{`orgs in (PRIMARY_ORGANIZATION(), "dev")`, ids(2, 4)},
	})
}

// TestEmpty checks is empty / is not empty on MULTI_LINE_TEXT (blank text
// counts as empty) and FILE (A.4).
func TestEmpty(t *testing.T) {
	recs := []*store.Record{
		rec(1, v{"memo": "", "file": files()}),
		rec(2, v{"memo": " \n\t\r ", "file": files("a.txt")}),
		rec(3, v{"memo": "x"}),
		rec(4, v{"memo": "\u3000"}),
		rec(5, v{}),
	}
	runMatches(t, testEnv(), recs, []matchCase{
		{`memo is empty`, ids(1, 2, 5)},
		{`memo is not empty`, ids(3, 4)},
		{`file is empty`, ids(1, 3, 4, 5)},
		{`file is not empty`, ids(2)},
	})
}

// TestBoolean checks and, or and parentheses, with "and" binding tighter
// (A.3).
func TestBoolean(t *testing.T) {
	recs := []*store.Record{
		rec(1, v{"title": "a", "num": "1"}),
		rec(2, v{"title": "a", "num": "2"}),
		rec(3, v{"title": "b", "num": "1"}),
		rec(4, v{"title": "b", "num": "2"}),
	}
	runMatches(t, testEnv(), recs, []matchCase{
		{`title = "a" and num = 1`, ids(1)},
		{`title = "a" or num = 1`, ids(1, 2, 3)},
		{`title = "a" or title = "b" and num = 1`, ids(1, 2, 3)},
		{`(title = "a" or title = "b") and num = 1`, ids(1, 3)},
		{`title = "b" and num = 2 or title = "a" and num = 1`, ids(1, 4)},
		{`((title = "a"))`, ids(1, 2)},
		{`title = "a" and num = 1 and $id = 1`, ids(1)},
		{`title = "x" or num = 3 or $id = 4`, ids(4)},
	})
}

// TestNoLoginUser checks that LOGINUSER() without a caller code matches no
// one, not the records with an empty selection.
func TestNoLoginUser(t *testing.T) {
	recs := []*store.Record{rec(1, v{"users": users()}), rec(2, v{"users": users("sato")})}
	env := testEnv()
	env.LoginUser = ""
	runMatches(t, env, recs, []matchCase{
		{`users in (LOGINUSER())`, nil},
		{`users not in (LOGINUSER())`, ids(1, 2)},
		{`作成者 in (LOGINUSER())`, nil},
	})
}
