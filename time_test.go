package kintone_test

// TIME, DATE and DATETIME values through the driver and back, whatever the
// DSN's time zone (issue 12, items 3 and 20).

import (
	"database/sql"
	"net/url"
	"strings"
	"testing"
	"time"
)

// timeZones are the DSN time zones the TIME tests run in: zones whose year-0
// offset is local mean time with seconds (Asia/Tokyo +09:18:59), a
// half-hour zone (America/St_Johns), a fixed offset, the machine's zone and
// UTC.
func timeZones(t *testing.T) []string {
	t.Helper()
	out := []string{"UTC", "+05:45", "Local"}
	for _, name := range []string{"Asia/Tokyo", "America/St_Johns"} {
		if _, err := time.LoadLocation(name); err != nil {
			t.Fatalf("the time zone database lacks %s: %v", name, err)
		}
		out = append(out, name)
	}
	return out
}

// clock is a TIME value as the driver reads it: the wall clock on
// 0000-01-01 in UTC.
func clock(h, m int) time.Time { return time.Date(0, 1, 1, h, m, 0, 0, time.UTC) }

func TestTimeOfDayRoundTripsInEveryZone(t *testing.T) {
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	stJohns, _ := time.LoadLocation("America/St_Johns")
	for _, zone := range timeZones(t) {
		t.Run(zone, func(t *testing.T) {
			srv := newEmulator(t)
			app := shopApp(t, srv, "SHOP")
			db := openDB(t, srv.DSN()+"?loc="+url.QueryEscape(zone))
			parsed, err := time.Parse("15:04", "23:15")
			if err != nil {
				t.Fatal(err)
			}
			// A time.Time gives its wall clock as it is, in whatever
			// zone it is: 07:05 in Tokyo on a real date, 00:30 in St
			// John's, 23:15 from time.Parse (UTC, year 0).
			if _, err := db.Exec("INSERT INTO SHOP (label, alarm) VALUES ('parsed', ?), ('tokyo', ?), ('stjohns', ?), ('literal', '09:30')",
				parsed, time.Date(2024, 5, 1, 7, 5, 0, 0, tokyo), time.Date(1800, 1, 1, 0, 30, 0, 0, stJohns)); err != nil {
				t.Fatal(err)
			}
			want := map[string]time.Time{"parsed": clock(23, 15), "tokyo": clock(7, 5), "stjohns": clock(0, 30), "literal": clock(9, 30)}
			stored := rawValues(t, srv, app, "", "alarm")
			read := map[string]time.Time{}
			ids := map[string]int64{}
			rows, err := db.Query("SELECT $id, label, alarm FROM SHOP")
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var id int64
				var label string
				var alarm time.Time
				if err := rows.Scan(&id, &label, &alarm); err != nil {
					t.Fatal(err)
				}
				read[label], ids[label] = alarm, id
			}
			if err := rows.Close(); err != nil {
				t.Fatal(err)
			}
			for label, w := range want {
				if got := stored[ids[label]]; got != `"`+w.Format("15:04")+`"` {
					t.Errorf("%s: Kintone holds %s, want %q", label, got, w.Format("15:04"))
				}
				if got := read[label]; got != w {
					t.Errorf("%s: read %v (%s), want %v", label, got, got.Location(), w)
				}
			}
			// The value read compares equal with itself, with the value
			// written and with the literal, in Kintone and in Go.
			for _, q := range []struct {
				sql  string
				args []any
			}{
				{"SELECT COUNT(*) FROM SHOP WHERE alarm = ?", []any{read["parsed"]}},
				{"SELECT COUNT(*) FROM SHOP WHERE alarm = ?", []any{parsed}},
				{"SELECT COUNT(*) FROM SHOP WHERE alarm = '23:15'", nil},
				{"SELECT COUNT(*) FROM SHOP WHERE alarm IN (?, '00:00')", []any{read["parsed"]}},
				{"SELECT COUNT(*) FROM SHOP WHERE alarm >= ? AND label LIKE 'par%'", []any{read["parsed"]}},
				{"SELECT COUNT(*) FROM SHOP WHERE HOUR(alarm) = 23 AND MINUTE(alarm) = 15", nil},
				{"SELECT COUNT(*) FROM SHOP WHERE alarm = ? OR label LIKE 'x%'", []any{time.Date(2031, 3, 3, 23, 15, 0, 0, stJohns)}},
			} {
				if n := scalarInt(t, db, q.sql, q.args...); n != 1 {
					t.Errorf("%s %v: %d rows, want 1", q.sql, q.args, n)
				}
			}
			// Written back, every value stays as it was.
			for label, id := range ids {
				if _, err := db.Exec("UPDATE SHOP SET alarm = ? WHERE $id = ?", read[label], id); err != nil {
					t.Fatal(err)
				}
			}
			after := rawValues(t, srv, app, "", "alarm")
			for label, id := range ids {
				if after[id] != stored[id] {
					t.Errorf("%s: written back as %s, was %s", label, after[id], stored[id])
				}
			}
		})
	}
}

// scalarInt is the integer a query returns in its one row.
func scalarInt(t *testing.T, db *sql.DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s %v: %v", query, args, err)
	}
	return n
}

func TestValuesWithSecondsAreTruncatedOnEveryPath(t *testing.T) {
	srv := newEmulator(t)
	app := shopApp(t, srv, "SHOP")
	db := openDB(t, srv.DSN()+"?loc=Asia%2FTokyo")
	tokyo, _ := time.LoadLocation("Asia/Tokyo")
	at := time.Date(2024, 5, 1, 9, 30, 59, 999999999, tokyo)
	if _, err := db.Exec("INSERT INTO SHOP (label, at, alarm) VALUES ('arg', ?, ?), ('literal', '2024-05-01 09:30:59', '09:30:59')", at, at); err != nil {
		t.Fatal(err)
	}
	// Kintone holds minutes; the driver sent exactly that.
	for id, v := range rawValues(t, srv, app, "", "at") {
		if v != `"2024-05-01T00:30:00Z"` {
			t.Errorf("record %d: at %s", id, v)
		}
	}
	for id, v := range rawValues(t, srv, app, "", "alarm") {
		if v != `"09:30"` {
			t.Errorf("record %d: alarm %s", id, v)
		}
	}
	// The value written is found again by the same value, in Kintone
	// (pushed) and in Go (under an OR with LIKE), and ranges agree.
	for _, q := range []struct {
		sql  string
		args []any
		want int64
	}{
		{"SELECT COUNT(*) FROM SHOP WHERE at = ?", []any{at}, 2},
		{"SELECT COUNT(*) FROM SHOP WHERE at = '2024-05-01 09:30:59'", nil, 2},
		{"SELECT COUNT(*) FROM SHOP WHERE at = ? OR label LIKE 'x%'", []any{at}, 2},
		{"SELECT COUNT(*) FROM SHOP WHERE at IN (?)", []any{at}, 2},
		{"SELECT COUNT(*) FROM SHOP WHERE at < ?", []any{at}, 0},
		{"SELECT COUNT(*) FROM SHOP WHERE at <= ? AND at >= ?", []any{at, at}, 2},
		{"SELECT COUNT(*) FROM SHOP WHERE alarm = ?", []any{at}, 2},
		{"SELECT COUNT(*) FROM SHOP WHERE alarm = '09:30:59' OR label LIKE 'x%'", nil, 2},
		{"SELECT COUNT(*) FROM SHOP WHERE alarm BETWEEN '09:30:30' AND ?", []any{at}, 2},
	} {
		if n := scalarInt(t, db, q.sql, q.args...); n != q.want {
			t.Errorf("%s %v: %d, want %d", q.sql, q.args, n, q.want)
		}
	}
	// UPDATE truncates as INSERT does.
	if _, err := db.Exec("UPDATE SHOP SET at = ?, alarm = ? WHERE label = 'arg'", at.Add(time.Minute), "10:45:30"); err != nil {
		t.Fatal(err)
	}
	if n := scalarInt(t, db, "SELECT COUNT(*) FROM SHOP WHERE at = '2024-05-01 09:31' AND alarm = '10:45'"); n != 1 {
		t.Errorf("after UPDATE: %d rows at 09:31 and 10:45", n)
	}
}

func TestZeroTimeWritesAnEmptyField(t *testing.T) {
	srv := newEmulator(t)
	app := shopApp(t, srv, "SHOP")
	db := openDB(t, srv.DSN())
	// GORM sends the zero time.Time for a time field it has no value for.
	var zero time.Time
	res, err := db.Exec("INSERT INTO SHOP (label, due, at, alarm) VALUES ('zero', ?, ?, ?)", zero, zero, zero)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := res.LastInsertId()
	recs, _ := rawQuery(t, srv, app, "$id = "+itoa(id), "due", "at", "alarm")
	if len(recs) != 1 || string(recs[0]["due"].Value) != "null" || string(recs[0]["at"].Value) != `""` || string(recs[0]["alarm"].Value) != "null" {
		t.Fatalf("Kintone holds %v", recs)
	}
	if _, err := db.Exec("UPDATE SHOP SET due = '2024-01-02', at = '2024-01-02 03:04', alarm = '05:06' WHERE $id = ?", id); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("UPDATE SHOP SET due = ?, at = ?, alarm = ? WHERE $id = ?", zero, zero, zero, id); err != nil {
		t.Fatal(err)
	}
	var due, at, alarm sql.NullTime
	if err := db.QueryRow("SELECT due, at, alarm FROM SHOP WHERE $id = ?", id).Scan(&due, &at, &alarm); err != nil {
		t.Fatal(err)
	}
	if due.Valid || at.Valid || alarm.Valid {
		t.Errorf("after UPDATE to the zero time: %v %v %v, want NULLs", due, at, alarm)
	}
	// A date Kintone cannot hold is refused before any request.
	for _, v := range []time.Time{time.Date(999, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)} {
		got := recordRequests(srv, func() {
			if _, err := db.Exec("INSERT INTO SHOP (label, at) VALUES ('far', ?)", v); err == nil || !strings.Contains(err.Error(), "9999-12-31") {
				t.Errorf("INSERT at %v: %v", v, err)
			}
		})
		if len(got) != 0 {
			t.Errorf("INSERT at %v sent %v", v, got)
		}
	}
}

// A DATETIME argument is an instant: Go-side functions see it in loc, as
// they see the values read, whatever zone the caller's time.Time is in.
func TestDateTimeArgumentsAreComputedOnInTheLocation(t *testing.T) {
	srv := newEmulator(t)
	shopApp(t, srv, "SHOP")
	db := openDB(t, srv.DSN()+"?loc=America%2FNew_York")
	at := time.Date(2024, 5, 1, 2, 0, 0, 0, time.UTC) // 22:00 on April 30 in New York
	if _, err := db.Exec("INSERT INTO SHOP (label, at) VALUES ('x', ?)", at); err != nil {
		t.Fatal(err)
	}
	var day, hour int64
	if err := db.QueryRow("SELECT DAY(?), HOUR(?)", at, at).Scan(&day, &hour); err != nil {
		t.Fatal(err)
	}
	if day != 30 || hour != 22 {
		t.Errorf("DAY, HOUR of %v in New York: %d, %d", at, day, hour)
	}
	if n := scalarInt(t, db, "SELECT COUNT(*) FROM SHOP WHERE DATE(at) = DATE(?)", at); n != 1 {
		t.Errorf("DATE(at) = DATE(?): %d rows", n)
	}
}
