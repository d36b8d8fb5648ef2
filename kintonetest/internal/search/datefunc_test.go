package search

import (
	"testing"
	"time"

	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// fn parses a function call such as "FROM_TODAY(-30, DAYS)".
func fn(t *testing.T, call string) kql.Value {
	t.Helper()
	q, err := kql.Parse("date = " + call)
	if err != nil {
		t.Fatalf("parse %s: %v", call, err)
	}
	return q.Where.(*kql.Cond).Values[0]
}

func day(s string) time.Time {
	d, err := time.Parse(dateLayout, s)
	if err != nil {
		panic(err)
	}
	return d
}

// TestDateFuncRanges checks the days each function stands for (A.7),
// including month, year and week boundaries, leap years and days a month
// lacks.
func TestDateFuncRanges(t *testing.T) {
	tests := []struct {
		today, call string
		from, to    string // [from, to)
	}{
		// Wednesday 2024-05-15.
		{"2024-05-15", "TODAY()", "2024-05-15", "2024-05-16"},
		{"2024-05-15", "YESTERDAY()", "2024-05-14", "2024-05-15"},
		{"2024-05-15", "TOMORROW()", "2024-05-16", "2024-05-17"},
		{"2024-05-15", "FROM_TODAY(-30, DAYS)", "2024-04-15", "2024-04-16"},
		{"2024-05-15", "FROM_TODAY(5, DAYS)", "2024-05-20", "2024-05-21"},
		{"2024-05-15", "FROM_TODAY(0, DAYS)", "2024-05-15", "2024-05-16"},
		{"2024-05-15", "FROM_TODAY(2, WEEKS)", "2024-05-29", "2024-05-30"},
		{"2024-05-15", "FROM_TODAY(-1, WEEKS)", "2024-05-08", "2024-05-09"},
		{"2024-05-15", "FROM_TODAY(1, MONTHS)", "2024-06-15", "2024-06-16"},
		{"2024-05-15", "FROM_TODAY(-1, YEARS)", "2023-05-15", "2023-05-16"},
		{"2024-05-15", "THIS_WEEK()", "2024-05-12", "2024-05-19"},
		{"2024-05-15", "THIS_WEEK(SUNDAY)", "2024-05-12", "2024-05-13"},
		{"2024-05-15", "THIS_WEEK(MONDAY)", "2024-05-13", "2024-05-14"},
		{"2024-05-15", "THIS_WEEK(SATURDAY)", "2024-05-18", "2024-05-19"},
		{"2024-05-15", "LAST_WEEK()", "2024-05-05", "2024-05-12"},
		{"2024-05-15", "LAST_WEEK(FRIDAY)", "2024-05-10", "2024-05-11"},
		{"2024-05-15", "NEXT_WEEK()", "2024-05-19", "2024-05-26"},
		{"2024-05-15", "NEXT_WEEK(SUNDAY)", "2024-05-19", "2024-05-20"},
		{"2024-05-15", "THIS_MONTH()", "2024-05-01", "2024-06-01"},
		{"2024-05-15", "THIS_MONTH(1)", "2024-05-01", "2024-05-02"},
		{"2024-05-15", "THIS_MONTH(15)", "2024-05-15", "2024-05-16"},
		{"2024-05-15", "THIS_MONTH(31)", "2024-05-31", "2024-06-01"},
		{"2024-05-15", "THIS_MONTH(LAST)", "2024-05-31", "2024-06-01"},
		{"2024-05-15", "LAST_MONTH()", "2024-04-01", "2024-05-01"},
		{"2024-05-15", "LAST_MONTH(31)", "2024-05-01", "2024-05-02"}, // April has no 31st: the 1st of May
		{"2024-05-15", "LAST_MONTH(LAST)", "2024-04-30", "2024-05-01"},
		{"2024-05-15", "NEXT_MONTH()", "2024-06-01", "2024-07-01"},
		{"2024-05-15", "NEXT_MONTH(31)", "2024-07-01", "2024-07-02"},
		{"2024-05-15", "NEXT_MONTH(30)", "2024-06-30", "2024-07-01"},
		{"2024-05-15", "THIS_YEAR()", "2024-01-01", "2025-01-01"},
		{"2024-05-15", "LAST_YEAR()", "2023-01-01", "2024-01-01"},
		{"2024-05-15", "NEXT_YEAR()", "2025-01-01", "2026-01-01"},
		// New Year's Day, a Monday.
		{"2024-01-01", "YESTERDAY()", "2023-12-31", "2024-01-01"},
		{"2024-01-01", "THIS_WEEK()", "2023-12-31", "2024-01-07"},
		{"2024-01-01", "LAST_WEEK()", "2023-12-24", "2023-12-31"},
		{"2024-01-01", "LAST_MONTH()", "2023-12-01", "2024-01-01"},
		{"2024-01-01", "LAST_MONTH(LAST)", "2023-12-31", "2024-01-01"},
		{"2024-01-01", "LAST_YEAR()", "2023-01-01", "2024-01-01"},
		{"2024-01-01", "FROM_TODAY(-1, MONTHS)", "2023-12-01", "2023-12-02"},
		// New Year's Eve, a Tuesday.
		{"2024-12-31", "TOMORROW()", "2025-01-01", "2025-01-02"},
		{"2024-12-31", "NEXT_WEEK()", "2025-01-05", "2025-01-12"},
		{"2024-12-31", "THIS_WEEK(SATURDAY)", "2025-01-04", "2025-01-05"},
		{"2024-12-31", "NEXT_MONTH()", "2025-01-01", "2025-02-01"},
		{"2024-12-31", "NEXT_MONTH(31)", "2025-01-31", "2025-02-01"},
		{"2024-12-31", "NEXT_YEAR()", "2025-01-01", "2026-01-01"},
		{"2024-12-31", "FROM_TODAY(2, MONTHS)", "2025-02-28", "2025-03-01"}, // clamped to the month's end [U]
		// Month ends and leap years.
		{"2024-03-31", "FROM_TODAY(-1, MONTHS)", "2024-02-29", "2024-03-01"},
		{"2024-03-31", "FROM_TODAY(1, MONTHS)", "2024-04-30", "2024-05-01"},
		{"2024-03-31", "LAST_MONTH(29)", "2024-02-29", "2024-03-01"},
		{"2024-03-31", "LAST_MONTH(30)", "2024-03-01", "2024-03-02"},
		{"2024-03-31", "LAST_MONTH(LAST)", "2024-02-29", "2024-03-01"},
		{"2023-03-31", "LAST_MONTH(29)", "2023-03-01", "2023-03-02"},
		{"2023-03-31", "LAST_MONTH(LAST)", "2023-02-28", "2023-03-01"},
		{"2024-02-29", "FROM_TODAY(1, YEARS)", "2025-02-28", "2025-03-01"},
		{"2024-02-29", "FROM_TODAY(4, YEARS)", "2028-02-29", "2028-03-01"},
		{"2024-02-29", "THIS_MONTH()", "2024-02-01", "2024-03-01"},
		{"2024-02-10", "THIS_MONTH(30)", "2024-03-01", "2024-03-02"},
		// A Sunday and a Saturday: the week runs Sunday to Saturday [U].
		{"2024-05-19", "THIS_WEEK()", "2024-05-19", "2024-05-26"},
		{"2024-05-19", "THIS_WEEK(SATURDAY)", "2024-05-25", "2024-05-26"},
		{"2024-05-18", "THIS_WEEK()", "2024-05-12", "2024-05-19"},
		{"2024-05-18", "LAST_WEEK(SUNDAY)", "2024-05-05", "2024-05-06"},
		// Huge counts are clamped rather than overflowing.
		{"2024-05-15", "FROM_TODAY(99999999999, DAYS)", "", ""},
		{"2024-05-15", "FROM_TODAY(-99999999999, YEARS)", "", ""},
	}
	for _, tt := range tests {
		v := fn(t, tt.call)
		if err := checkFuncArgs(v); err != nil {
			t.Errorf("%s: %v", tt.call, err)
			continue
		}
		r := dateFunc(v, day(tt.today))
		if tt.to == "" {
			// Only check that the clamped result is out of Kintone's
			// date range and a proper day.
			if y := r.from.Year(); y >= 1000 && y <= 9999 || !r.to.After(r.from) {
				t.Errorf("today %s, %s: [%s, %s), want a day outside 1000..9999", tt.today, tt.call, r.from, r.to)
			}
			continue
		}
		if got, want := [2]string{fmtDate(r.from), fmtDate(r.to)}, [2]string{tt.from, tt.to}; got != want {
			t.Errorf("today %s, %s: [%s, %s), want [%s, %s)", tt.today, tt.call, got[0], got[1], want[0], want[1])
		}
	}
}

// TestTodayTimeZones checks A.7's observation: at UTC 2026-04-24 13:51,
// TODAY() is 2026-04-25 for a UTC+13 user and 2026-04-24 for a UTC-10 user.
func TestTodayTimeZones(t *testing.T) {
	now := time.Date(2026, 4, 24, 13, 51, 0, 0, time.UTC)
	recs := []*store.Record{
		rec(1, v{"date": "2026-04-24"}),
		rec(2, v{"date": "2026-04-25"}),
	}
	for _, tt := range []struct {
		loc  *time.Location
		want []int64
	}{
		{time.FixedZone("UTC+13", 13*3600), ids(2)},
		{time.FixedZone("UTC-10", -10*3600), ids(1)},
		{time.UTC, ids(1)},
		{nil, ids(1)}, // no zone means UTC
	} {
		env := Env{Now: now, Loc: tt.loc}
		if got := matchIDs(t, testForm(), env, recs, `date = TODAY()`); !sameIDs(got, tt.want) {
			t.Errorf("%v: date = TODAY(): %v, want %v", tt.loc, got, tt.want)
		}
	}
}

// TestDateFuncDateTime checks functions on DATETIME fields: NOW() is the
// current minute, every other function is a range of days in the user's
// time zone converted to UTC, with = meaning inside, != outside, < before
// the start, <= before the end, > at or after the end and >= at or after
// the start (A.7).
func TestDateFuncDateTime(t *testing.T) {
	recs := []*store.Record{
		rec(1, v{"dt": "2024-05-14T14:59:00Z"}), // Tokyo 05-14 23:59
		rec(2, v{"dt": "2024-05-14T15:00:00Z"}), // Tokyo 05-15 00:00
		rec(3, v{"dt": "2024-05-15T14:59:00Z"}), // Tokyo 05-15 23:59
		rec(4, v{"dt": "2024-05-15T15:00:00Z"}), // Tokyo 05-16 00:00
		rec(5, v{"dt": ""}),
	}
	now := time.Date(2024, 5, 14, 16, 0, 0, 0, time.UTC) // Tokyo 05-15 01:00
	tokyo := Env{Now: now, Loc: mustLoc(t, "Asia/Tokyo")}
	runMatches(t, tokyo, recs, []matchCase{
		{`dt = TODAY()`, ids(2, 3)},
		{`dt != TODAY()`, ids(1, 4, 5)},
		{`dt < TODAY()`, ids(1)},
		{`dt <= TODAY()`, ids(1, 2, 3)},
		{`dt > TODAY()`, ids(4)},
		{`dt >= TODAY()`, ids(2, 3, 4)},
		{`dt = YESTERDAY()`, ids(1)},
		{`dt = TOMORROW()`, ids(4)},
		{`dt = FROM_TODAY(1, DAYS)`, ids(4)},
		{`dt = THIS_WEEK()`, ids(1, 2, 3, 4)},
		{`dt = THIS_WEEK(WEDNESDAY)`, ids(2, 3)},
		{`dt = THIS_MONTH()`, ids(1, 2, 3, 4)},
		{`dt = THIS_MONTH(15)`, ids(2, 3)},
		{`dt = THIS_YEAR()`, ids(1, 2, 3, 4)},
		{`dt = LAST_YEAR()`, nil},
		{`更新日時 = THIS_YEAR()`, ids(1, 2, 3, 4, 5)}, // 2024-01-01T00:00Z is in 2024 in Tokyo too
		{`更新日時 < LAST_MONTH()`, ids(1, 2, 3, 4, 5)},
		{`作成日時 = LAST_MONTH()`, nil},
	})
	utc := Env{Now: now, Loc: time.UTC} // UTC 05-14
	runMatches(t, utc, recs, []matchCase{
		{`dt = TODAY()`, ids(1, 2)},
		{`dt > TODAY()`, ids(3, 4)},
	})
	la := Env{Now: now, Loc: mustLoc(t, "America/Los_Angeles")} // 05-14 09:00 PDT
	runMatches(t, la, recs, []matchCase{
		{`dt = TODAY()`, ids(1, 2)}, // [05-14T07:00Z, 05-15T07:00Z)
		{`dt = TOMORROW()`, ids(3, 4)},
	})
	// NOW() is the current minute; seconds of the clock are dropped.
	nowRecs := []*store.Record{
		rec(1, v{"dt": "2024-05-15T03:29:00Z"}),
		rec(2, v{"dt": "2024-05-15T03:30:00Z"}),
		rec(3, v{"dt": "2024-05-15T03:31:00Z"}),
	}
	runMatches(t, testEnv(), nowRecs, []matchCase{ // testNow is 03:30:45
		{`dt = NOW()`, ids(2)},
		{`dt != NOW()`, ids(1, 3)},
		{`dt < NOW()`, ids(1)},
		{`dt <= NOW()`, ids(1, 2)},
		{`dt > NOW()`, ids(3)},
		{`dt >= NOW()`, ids(2, 3)},
		{`更新日時 < NOW()`, ids(1, 2, 3)},
		{`作成日時 > NOW()`, nil},
	})
}

// TestDateFuncDST checks that a day with a daylight-saving change is the
// civil day, 23 or 25 hours long.
func TestDateFuncDST(t *testing.T) {
	ny := mustLoc(t, "America/New_York")
	// 2024-03-10 in New York runs from 05:00Z to 04:00Z the next day.
	env := Env{Now: time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC), Loc: ny}
	recs := []*store.Record{
		rec(1, v{"dt": "2024-03-10T04:59:00Z"}),
		rec(2, v{"dt": "2024-03-10T05:00:00Z"}),
		rec(3, v{"dt": "2024-03-11T03:59:00Z"}),
		rec(4, v{"dt": "2024-03-11T04:00:00Z"}),
	}
	runMatches(t, env, recs, []matchCase{
		{`dt = TODAY()`, ids(2, 3)},
		{`dt = "2024-03-10"`, ids(2, 3)},
		{`dt >= TOMORROW()`, ids(4)},
	})
}

// TestDateFuncDate checks functions on DATE fields, which follow the
// user's calendar day, and month boundaries in a zone ahead of UTC.
func TestDateFuncDate(t *testing.T) {
	recs := []*store.Record{
		rec(1, v{"date": "2024-05-31"}),
		rec(2, v{"date": "2024-06-01"}),
		rec(3, v{"date": "2024-06-30"}),
		rec(4, v{"date": "2024-07-01"}),
		rec(5, v{"date": ""}),
	}
	now := time.Date(2024, 5, 31, 16, 0, 0, 0, time.UTC) // Tokyo: 2024-06-01 01:00
	tokyo := Env{Now: now, Loc: mustLoc(t, "Asia/Tokyo")}
	runMatches(t, tokyo, recs, []matchCase{
		{`date = TODAY()`, ids(2)},
		{`date = YESTERDAY()`, ids(1)},
		{`date = THIS_MONTH()`, ids(2, 3)},
		{`date = THIS_MONTH(LAST)`, ids(3)},
		{`date = LAST_MONTH(LAST)`, ids(1)},
		{`date = NEXT_MONTH(1)`, ids(4)},
		{`date < THIS_MONTH()`, ids(1)},
		{`date <= THIS_MONTH()`, ids(1, 2, 3)},
		{`date > THIS_MONTH()`, ids(4)},
		{`date >= THIS_MONTH()`, ids(2, 3, 4)},
		{`date != THIS_MONTH()`, ids(1, 4, 5)},
		{`date = FROM_TODAY(-1, DAYS)`, ids(1)},
		{`date = FROM_TODAY(29, DAYS)`, ids(3)},
		{`date = THIS_YEAR()`, ids(1, 2, 3, 4)},
		{`date = NEXT_YEAR()`, nil},
		// Days outside Kintone's range still order correctly.
		{`date = FROM_TODAY(99999999999, DAYS)`, nil},
		{`date < FROM_TODAY(99999999999, DAYS)`, ids(1, 2, 3, 4)},
		{`date > FROM_TODAY(-99999999999, YEARS)`, ids(1, 2, 3, 4)},
		{`date < FROM_TODAY(-99999999999, YEARS)`, nil},
		{`更新日時 < FROM_TODAY(99999999999, WEEKS)`, ids(1, 2, 3, 4, 5)},
		{`更新日時 > FROM_TODAY(-99999999999, MONTHS)`, ids(1, 2, 3, 4, 5)},
		{`更新日時 = FROM_TODAY(-99999999999, DAYS)`, nil},
	})
	utc := Env{Now: now, Loc: time.UTC} // 2024-05-31
	runMatches(t, utc, recs, []matchCase{
		{`date = TODAY()`, ids(1)},
		{`date = THIS_MONTH()`, ids(1)},
		{`date = NEXT_MONTH()`, ids(2, 3)},
	})
}

// TestEnvDefaults checks that a zero Env compiles date functions (with the
// real clock and UTC) without failing; the result is not asserted.
func TestEnvDefaults(t *testing.T) {
	if _, err := Prepare(`dt = NOW() or date = TODAY()`, testForm(), Env{}, false); err != nil {
		t.Fatal(err)
	}
	if (Env{}).loc() != time.UTC {
		t.Errorf("zero Env: location %v, want UTC", (Env{}).loc())
	}
}
