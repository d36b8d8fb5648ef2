package kintone_test

// The date, clock and JSON functions, the new aggregates, || and NULLS
// LAST through database/sql against the emulator (issue 14, item 4).

import (
	"reflect"
	"testing"
	"time"
)

func TestFunctionsEndToEnd(t *testing.T) {
	srv := newEmulator(t)
	shopApp(t, srv, "SHOP")
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	db := openDB(t, srv.DSN()+"?loc=Asia%2FTokyo")
	if _, err := db.Exec("INSERT INTO SHOP (label, num, due, tags) VALUES ('x', 3, '2024-01-31', ?), ('y', NULL, '2024-02-29', ?), ('z', 1, NULL, ?)",
		[]string{"a", "b"}, []string{}, []string{"c"}); err != nil {
		t.Fatal(err)
	}

	// NOW() and CURDATE() in a write and in the select list: the
	// statement's clock reading in the DSN's zone.
	before := time.Now().Truncate(time.Second)
	if _, err := db.Exec("INSERT INTO SHOP (label, at, due) VALUES ('now', NOW(), CURDATE() + INTERVAL 1 MONTH)"); err != nil {
		t.Fatal(err)
	}
	var now, now2, at time.Time
	var today time.Time
	if err := db.QueryRow("SELECT NOW(), NOW() + INTERVAL 0 SECOND, CURDATE() FROM SHOP WHERE label = 'now'").Scan(&now, &now2, &today); err != nil {
		t.Fatal(err)
	}
	after := time.Now()
	if now.Before(before) || now.After(after) || !now.Equal(now2) || now.Location().String() != tokyo.String() {
		t.Errorf("NOW() = %v, %v (%s), want one reading between %v and %v in Asia/Tokyo", now, now2, now.Location(), before, after)
	}
	if y, m, d := now.Date(); today != time.Date(y, m, d, 0, 0, 0, 0, now.Location()) {
		t.Errorf("CURDATE() = %v, NOW() = %v", today, now)
	}
	// Kintone's NOW() in WHERE, pushed as before; SQL's in arithmetic.
	if err := db.QueryRow("SELECT at FROM SHOP WHERE at <= NOW() AND at > NOW() - INTERVAL 1 HOUR").Scan(&at); err != nil {
		t.Fatal(err)
	}
	if !at.Equal(before.Truncate(time.Minute)) && !at.Equal(after.Truncate(time.Minute)) {
		t.Errorf("at = %v, want the minute of %v", at, before)
	}

	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, tokyo) }
	rows, err := db.Query(`SELECT label, due + INTERVAL 1 MONTH, DATE_FORMAT(due, '%Y/%m/%d %a'), TIMESTAMPDIFF(DAY, due, '2024-03-01'),
		tags->>'$[0]', JSON_CONTAINS(tags, '"b"'), JSON_LENGTH(tags), num > 2 || label = 'z'
		FROM SHOP WHERE label <> 'now' ORDER BY num NULLS LAST`)
	if err != nil {
		t.Fatal(err)
	}
	var got [][]any
	for rows.Next() {
		var label, tag, format any
		var due, diff, contains, length, either any
		if err := rows.Scan(&label, &due, &format, &diff, &tag, &contains, &length, &either); err != nil {
			t.Fatal(err)
		}
		got = append(got, []any{label, due, format, diff, tag, contains, length, either})
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	want := [][]any{
		{"z", nil, nil, nil, "c", int64(0), int64(1), int64(1)},
		{"x", day(2024, 2, 29), "2024/01/31 Wed", int64(30), "a", int64(1), int64(2), int64(1)},
		{"y", day(2024, 3, 29), "2024/02/29 Thu", int64(1), nil, int64(0), int64(0), nil}, // [] contains nothing; NULL OR FALSE
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}

	var concat, stddev, variance string
	if err := db.QueryRow("SELECT GROUP_CONCAT(label ORDER BY label DESC SEPARATOR '|'), STDDEV_POP(num), VAR_SAMP(num) FROM SHOP").Scan(&concat, &stddev, &variance); err != nil {
		t.Fatal(err)
	}
	if concat != "z|y|x|now" || stddev != "1" || variance != "2" {
		t.Errorf("got %q, %q, %q; want \"z|y|x|now\", \"1\", \"2\"", concat, stddev, variance)
	}
}
