package translate

import (
	"context"
	"database/sql/driver"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fixedNow is the clock of these tests: 2024-05-03 10:20:30.123456789 UTC.
var fixedNow = time.Date(2024, 5, 3, 10, 20, 30, 123456789, time.UTC)

func fixedClock() time.Time { return fixedNow }

// oneRow runs sql (no table, or the sample records) and returns its only
// row.
func oneRow(t *testing.T, sql string, opts Options) []driver.Value {
	t.Helper()
	s := planOf(t, sql, opts)
	got := collect(t, s, sampleRecords())
	if len(got) != 1 {
		t.Fatalf("%d rows, want 1: %#v", len(got), got)
	}
	return got[0]
}

// TestClockFuncs checks NOW() and its kin against an injected clock: one
// reading per statement, in the connection's zone (UTC_* in UTC).
func TestClockFuncs(t *testing.T) {
	jst := tokyo(t)
	opts := Options{Location: jst, Now: fixedClock}
	at := func(h, m, s, ns int) time.Time { return time.Date(2024, 5, 3, h, m, s, ns, jst) }
	clock := func(h, m, s, ns int) time.Time { return time.Date(0, 1, 1, h, m, s, ns, time.UTC) }
	tests := []struct {
		sql  string
		want []driver.Value
	}{
		{"SELECT NOW(), CURRENT_TIMESTAMP, CURRENT_TIMESTAMP(), LOCALTIME, LOCALTIMESTAMP(), SYSDATE()",
			[]driver.Value{at(19, 20, 30, 0), at(19, 20, 30, 0), at(19, 20, 30, 0), at(19, 20, 30, 0), at(19, 20, 30, 0), at(19, 20, 30, 0)}},
		{"SELECT NOW(3), NOW(6), CURTIME(2)", []driver.Value{at(19, 20, 30, 123000000), at(19, 20, 30, 123456000), clock(19, 20, 30, 120000000)}},
		{"SELECT CURDATE(), CURRENT_DATE, CURRENT_DATE(), CURTIME(), CURRENT_TIME",
			[]driver.Value{at(0, 0, 0, 0), at(0, 0, 0, 0), at(0, 0, 0, 0), clock(19, 20, 30, 0), clock(19, 20, 30, 0)}},
		{"SELECT UTC_TIMESTAMP(), UTC_DATE(), UTC_TIME, UTC_DATE",
			[]driver.Value{time.Date(2024, 5, 3, 10, 20, 30, 0, time.UTC), time.Date(2024, 5, 3, 0, 0, 0, 0, time.UTC), clock(10, 20, 30, 0), time.Date(2024, 5, 3, 0, 0, 0, 0, time.UTC)}},
		// Usable anywhere: arithmetic, arguments, comparisons.
		{"SELECT NOW() = NOW(), NOW() + INTERVAL 1 DAY, DATE(NOW()), YEAR(CURDATE()), DATE_FORMAT(NOW(), '%Y/%m/%d %H:%i'), NOW() > '2024-01-01'",
			[]driver.Value{int64(1), time.Date(2024, 5, 4, 19, 20, 30, 0, jst), at(0, 0, 0, 0), int64(2024), "2024/05/03 19:20", int64(1)}},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			got := oneRow(t, tt.sql, opts)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

// TestClockOncePerExecution checks that one execution reads the clock
// once, and each execution (Bind) reads it again.
func TestClockOncePerExecution(t *testing.T) {
	calls := 0
	opts := Options{Now: func() time.Time {
		calls++
		return fixedNow.Add(time.Duration(calls) * time.Hour)
	}}
	p, err := Prepare(context.Background(), "SELECT NOW(), NOW() + INTERVAL 0 SECOND, CURTIME()", testSchema(), opts)
	if err != nil {
		t.Fatal(err)
	}
	var firsts []driver.Value
	for range 2 {
		st, err := p.Bind(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		row := collect(t, st.(*Select), nil)[0]
		if row[0] != row[1] || row[0].(time.Time).Hour() != row[2].(time.Time).Hour() {
			t.Errorf("one execution saw two clocks: %v", row)
		}
		firsts = append(firsts, row[0])
	}
	if firsts[0] == firsts[1] {
		t.Errorf("two executions saw the same clock %v", firsts[0])
	}
}

// TestNowInWhere checks that NOW() compared with a field stays Kintone's
// (pushed as NOW()), and anywhere else is SQL's, a constant of the
// statement.
func TestNowInWhere(t *testing.T) {
	opts := Options{Now: fixedClock}
	s := planOf(t, "SELECT $id FROM ORD WHERE at < NOW()", opts)
	if q := s.Read.Query.String(); !strings.Contains(q, "NOW()") {
		t.Errorf("query %q does not push NOW()", q)
	}
	s = planOf(t, "SELECT $id FROM ORD WHERE at > NOW() - INTERVAL 1 DAY", opts)
	if q := s.Read.Query.String(); strings.Contains(q, "NOW()") || !strings.Contains(q, "2024-05-02T10:20:00Z") {
		t.Errorf("query %q, want the bound time", q)
	}
	s = planOf(t, "SELECT $id FROM ORD WHERE due <= CURDATE() AND DATE(due) < NOW()", opts)
	got := collect(t, s, sampleRecords())
	if len(got) != 3 {
		t.Errorf("got %v, want the 3 records with a due date", got)
	}
}

// TestDateArithmetic checks DATE_ADD and its kin against MySQL 8.0's
// results: month-end clamping, compound units, the kinds.
func TestDateArithmetic(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	at := func(y int, m time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, m, d, h, mi, s, ns, time.UTC)
	}
	tests := []struct {
		sql  string
		want []driver.Value
	}{
		{"SELECT DATE_ADD('2024-01-31', INTERVAL 1 MONTH), '2024-01-31' + INTERVAL 1 MONTH, DATE_SUB('2024-03-31', INTERVAL 1 MONTH), DATE_ADD('2023-01-31', INTERVAL 1 MONTH), DATE_ADD('2024-02-29', INTERVAL 1 YEAR)",
			[]driver.Value{day(2024, 2, 29), day(2024, 2, 29), day(2024, 2, 29), day(2023, 2, 28), day(2025, 2, 28)}},
		{"SELECT '2024-12-31 23:59:59' + INTERVAL 1 SECOND, INTERVAL 1 DAY + '2024-01-01', '2024-01-01' - INTERVAL 1 DAY, DATE_SUB('2024-01-01', INTERVAL 1 WEEK), DATE_ADD('2024-01-01', INTERVAL 1 QUARTER)",
			[]driver.Value{at(2025, 1, 1, 0, 0, 0, 0), day(2024, 1, 2), day(2023, 12, 31), day(2023, 12, 25), day(2024, 4, 1)}},
		{"SELECT DATE_ADD('2024-01-01 00:00:00', INTERVAL '1:30' HOUR_MINUTE), DATE_ADD('2024-01-01', INTERVAL '1 2' DAY_HOUR), DATE_ADD('2024-01-01', INTERVAL '-1 2' DAY_HOUR), DATE_ADD('2024-01-01', INTERVAL '1-2' YEAR_MONTH), DATE_ADD('2024-01-01', INTERVAL '1:1' HOUR_SECOND)",
			[]driver.Value{at(2024, 1, 1, 1, 30, 0, 0), at(2024, 1, 2, 2, 0, 0, 0), at(2023, 12, 30, 22, 0, 0, 0), day(2025, 3, 1), at(2024, 1, 1, 0, 1, 1, 0)}},
		{"SELECT '2024-01-01 00:00:00' + INTERVAL 1.5 SECOND, DATE_ADD('2024-01-01', INTERVAL '1.5' SECOND_MICROSECOND), DATE_ADD('2024-01-01', INTERVAL 5 MICROSECOND), DATE_ADD('2024-01-01', INTERVAL '1 1:1:1.000002' DAY_MICROSECOND)",
			[]driver.Value{at(2024, 1, 1, 0, 0, 1, 500000000), at(2024, 1, 1, 0, 0, 1, 500000000), at(2024, 1, 1, 0, 0, 0, 5000), at(2024, 1, 2, 1, 1, 1, 2000)}},
		{"SELECT ADDDATE('2024-01-01', 31), SUBDATE('2024-03-01', 1), ADDDATE('2024-01-31', INTERVAL 1 MONTH), SUBDATE('2024-01-01', INTERVAL 1 HOUR)",
			[]driver.Value{day(2024, 2, 1), day(2024, 2, 29), day(2024, 2, 29), at(2023, 12, 31, 23, 0, 0, 0)}},
		{"SELECT DATE_ADD(NULL, INTERVAL 1 DAY), DATE_ADD('2024-01-01', INTERVAL NULL DAY), NULL + INTERVAL 1 DAY, ADDDATE(NULL, 1)",
			[]driver.Value{nil, nil, nil, nil}},
		{"SELECT '10:00' + INTERVAL 30 MINUTE, DATE_SUB('10:00:00', INTERVAL '1:30' HOUR_MINUTE)",
			[]driver.Value{time.Date(0, 1, 1, 10, 30, 0, 0, time.UTC), time.Date(0, 1, 1, 8, 30, 0, 0, time.UTC)}},
		// TIMESTAMPDIFF: whole units, months as MySQL counts them.
		{"SELECT TIMESTAMPDIFF(MONTH, '2003-02-01', '2003-05-01'), TIMESTAMPDIFF(YEAR, '2002-05-01', '2001-01-01'), TIMESTAMPDIFF(MINUTE, '2003-02-01', '2003-05-01 12:05:55'), TIMESTAMPDIFF(MONTH, '2024-01-31', '2024-02-29'), TIMESTAMPDIFF(QUARTER, '2024-01-15', '2024-07-14')",
			[]driver.Value{int64(3), int64(-1), int64(128885), int64(0), int64(1)}},
		{"SELECT TIMESTAMPDIFF(DAY, '2024-01-01 12:00', '2024-01-02 11:59'), TIMESTAMPDIFF(SECOND, '2024-01-02', '2024-01-01'), TIMESTAMPDIFF(WEEK, '2024-01-01', '2024-01-15'), TIMESTAMPDIFF(HOUR, NULL, '2024-01-01'), TIMESTAMPDIFF(MONTH, '2024-03-31', '2024-02-29')",
			[]driver.Value{int64(0), int64(-86400), int64(2), nil, int64(-1)}},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			got := oneRow(t, tt.sql, Options{})
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

// TestDateArithmeticKinds checks the result types: a DATE stays one with
// units of a day or more, and becomes a DATETIME otherwise.
func TestDateArithmeticKinds(t *testing.T) {
	s := planOf(t, "SELECT due + INTERVAL 1 DAY, DATE_ADD(due, INTERVAL 1 MONTH), due + INTERVAL 1 HOUR, at - INTERVAL 1 DAY, alarm + INTERVAL 1 MINUTE, TIMESTAMPDIFF(DAY, due, at), CURDATE(), NOW(), CURTIME() FROM ORD", Options{})
	var got []string
	for _, c := range s.Columns {
		got = append(got, c.DatabaseType)
	}
	want := []string{"DATE", "DATE", "DATETIME", "DATETIME", "TIME", "BIGINT", "DATE", "DATETIME", "TIME"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
	rows := collect(t, planOf(t, "SELECT $id, due + INTERVAL 1 DAY, DATE_SUB(due, INTERVAL 3 DAY) FROM ORD WHERE due IS NOT NULL", Options{}), sampleRecords())
	day := func(n int) time.Time { return time.Date(2024, 5, n, 0, 0, 0, 0, time.UTC) }
	want2 := [][]driver.Value{{int64(1), day(4), day(0)}, {int64(3), day(2), time.Date(2024, 4, 28, 0, 0, 0, 0, time.UTC)}, {int64(4), day(4), day(0)}}
	if !reflect.DeepEqual(rows, want2) {
		t.Errorf("got  %#v\nwant %#v", rows, want2)
	}
}

// TestDateFormatAndWeeks checks DATE_FORMAT, EXTRACT, WEEK and the other
// calendar functions against MySQL 8.0's documented results.
func TestDateFormatAndWeeks(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		sql  string
		want []driver.Value
	}{
		{"SELECT DATE_FORMAT('2009-10-04 22:23:00', '%W %M %Y'), DATE_FORMAT('2007-10-04 22:23:00', '%H:%i:%s'), DATE_FORMAT('1900-10-04 22:23:00', '%D %y %a %d %m %b %j')",
			[]driver.Value{"Sunday October 2009", "22:23:00", "4th 00 Thu 04 10 Oct 277"}},
		{"SELECT DATE_FORMAT('1997-10-04 22:23:00', '%H %k %I %r %T %S %w'), DATE_FORMAT('1999-01-01', '%X %V'), DATE_FORMAT('2024-05-03', '100%% %q %'), DATE_FORMAT('2024-01-01', '%U %u %V %v %X %x')",
			[]driver.Value{"22 22 10 10:23:00 PM 22:23:00 00 6", "1998 52", "100% q %", "00 01 53 01 2023 2024"}},
		{"SELECT DATE_FORMAT('2024-05-03 00:05:09.25', '%c/%e %l:%i %p %f %h'), DATE_FORMAT('2024-05-01', '%D %D'), DATE_FORMAT('2024-05-22', '%D'), DATE_FORMAT('2024-05-13', '%D'), DATE_FORMAT(NULL, '%Y'), DATE_FORMAT('2024-05-03', NULL)",
			[]driver.Value{"5/3 12:05 AM 250000 12", "1st 1st", "22nd", "13th", nil, nil}},
		{"SELECT WEEK('2008-02-20'), WEEK('2008-02-20', 0), WEEK('2008-02-20', 1), WEEK('2008-12-31', 1), WEEK('2000-01-01', 0), WEEK('2000-01-01', 2), YEARWEEK('1987-01-01'), WEEKOFYEAR('2008-02-20')",
			[]driver.Value{int64(7), int64(7), int64(8), int64(53), int64(0), int64(52), int64(198652), int64(8)}},
		{"SELECT WEEK('2024-12-30', 3), YEARWEEK('2024-12-30', 3), WEEK('2024-12-30', 7), WEEK('2024-01-01', 4), WEEK('2024-01-01', 5), WEEK('2024-01-01', 6), WEEK(NULL)",
			[]driver.Value{int64(1), int64(202501), int64(53), int64(1), int64(1), int64(1), nil}},
		{"SELECT DAYNAME('2007-02-03'), MONTHNAME('2008-02-03'), DAYOFYEAR('2007-02-03'), DAYOFYEAR('2024-12-31'), DAYNAME(NULL)",
			[]driver.Value{"Saturday", "February", int64(34), int64(366), nil}},
		{"SELECT MAKEDATE(2011, 31), MAKEDATE(2011, 32), MAKEDATE(2011, 365), MAKEDATE(2014, 365), MAKEDATE(2011, 0), MAKEDATE(24, 60), MAKEDATE(NULL, 1)",
			[]driver.Value{day(2011, 1, 31), day(2011, 2, 1), day(2011, 12, 31), day(2014, 12, 31), nil, day(2024, 2, 29), nil}},
		{"SELECT EXTRACT(YEAR FROM '2019-07-02'), EXTRACT(YEAR_MONTH FROM '2019-07-02 01:02:03'), EXTRACT(DAY_MINUTE FROM '2019-07-02 01:02:03'), EXTRACT(MICROSECOND FROM '2003-01-02 10:30:00.000123'), EXTRACT(HOUR FROM '10:30'), EXTRACT(QUARTER FROM '2024-05-03'), EXTRACT(WEEK FROM '2008-02-20'), EXTRACT(DAY FROM NULL)",
			[]driver.Value{int64(2019), int64(201907), int64(20102), int64(123), int64(10), int64(2), int64(7), nil}},
		{"SELECT STR_TO_DATE('01,5,2013', '%d,%m,%Y'), STR_TO_DATE('May 1, 2013', '%M %d,%Y'), STR_TO_DATE('a09:30:17', 'a%h:%i:%s'), STR_TO_DATE('2013-05-01 10:11', '%Y-%m-%d %H:%i'), STR_TO_DATE('03/05/24 1:02:03 pm', '%d/%m/%y %r'), STR_TO_DATE(NULL, '%Y')",
			[]driver.Value{day(2013, 5, 1), day(2013, 5, 1), time.Date(0, 1, 1, 9, 30, 17, 0, time.UTC), time.Date(2013, 5, 1, 10, 11, 0, 0, time.UTC), time.Date(2024, 5, 3, 13, 2, 3, 0, time.UTC), nil}},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			got := oneRow(t, tt.sql, Options{})
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

// TestLogicalOperators checks || and && (MySQL's default sql_mode reads
// || as OR: PIPES_AS_CONCAT is off) and XOR.
func TestLogicalOperators(t *testing.T) {
	got := oneRow(t, "SELECT 1 || 0, 0 || 0, 'a' || 'b', NULL || 1, NULL || 0, 1 && 1, 1 && NULL, 0 && NULL, 1 XOR 1, 1 XOR 0, NULL XOR 1, 1 XOR 1 XOR 1", Options{})
	want := []driver.Value{int64(1), int64(0), int64(0), int64(1), nil, int64(1), nil, int64(0), int64(0), int64(1), nil, int64(1)}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
	rows := collect(t, planOf(t, "SELECT $id FROM ORD WHERE title = 'a' || amount > 5 AND title = 'c' XOR $id = 4", Options{}), sampleRecords())
	// title = 'a' OR ((amount > 5 AND title = 'c') XOR $id = 4): 3, 5 (a); 4: TRUE XOR TRUE is FALSE.
	want2 := [][]driver.Value{{int64(3)}, {int64(5)}}
	if !reflect.DeepEqual(rows, want2) {
		t.Errorf("got %v, want %v", rows, want2)
	}
}

// TestNewAggregates checks GROUP_CONCAT and the deviations and variances
// over the sample records.
func TestNewAggregates(t *testing.T) {
	tests := []struct {
		sql  string
		want [][]driver.Value
	}{
		{"SELECT GROUP_CONCAT(title), GROUP_CONCAT(DISTINCT title ORDER BY title), GROUP_CONCAT(title ORDER BY title DESC SEPARATOR '; '), GROUP_CONCAT(title, amount), GROUP_CONCAT(title ORDER BY amount), GROUP_CONCAT(title ORDER BY 1 DESC SEPARATOR '') FROM ORD",
			[][]driver.Value{{"b,a,c,a", "a,b,c", "c; b; a; a", "b10,c10,a-1", "a,a,b,c", "cbaa"}}},
		{"SELECT status, GROUP_CONCAT($id ORDER BY $id DESC) FROM ORD GROUP BY status ORDER BY status",
			[][]driver.Value{{nil, "5,3"}, {"closed", "4"}, {"open", "2,1"}}},
		{"SELECT GROUP_CONCAT(title) FROM ORD WHERE $id = 2", [][]driver.Value{{nil}}},
		{"SELECT VAR_POP(amount), VARIANCE(amount), VAR_SAMP(amount), STDDEV_POP(amount), STD(amount), STDDEV(amount), STDDEV_SAMP(amount)",
			nil}, // placeholder replaced below
	}
	tests[3] = struct {
		sql  string
		want [][]driver.Value
	}{"SELECT VAR_POP(amount), VARIANCE(amount), VAR_SAMP(amount), STDDEV_POP(amount), STD(amount), STDDEV(amount), STDDEV_SAMP(amount) FROM ORD",
		[][]driver.Value{{"22.921875", "22.921875", "30.5625", "4.7876795005513895", "4.7876795005513895", "4.7876795005513895", "5.528336096873995"}}}
	tests = append(tests,
		struct {
			sql  string
			want [][]driver.Value
		}{"SELECT STDDEV_SAMP(amount), VAR_SAMP(amount), STDDEV_POP(amount), VAR_POP(amount), STD(amount) FROM ORD WHERE $id = 1",
			[][]driver.Value{{nil, nil, "0", "0", "0"}}},
		struct {
			sql  string
			want [][]driver.Value
		}{"SELECT STD(amount), VARIANCE(amount) FROM ORD WHERE $id = 3",
			[][]driver.Value{{nil, nil}}},
	)
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			got := collect(t, planOf(t, tt.sql, Options{}), sampleRecords())
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

// TestJSONFuncs checks the JSON functions on constants and on a checkbox,
// which reads as the JSON list the driver returns for it.
func TestJSONFuncs(t *testing.T) {
	tests := []struct {
		sql  string
		want []driver.Value
	}{
		{`SELECT JSON_ARRAY(1, 'a', NULL, TRUE, 1.50), JSON_ARRAY(), JSON_EXTRACT('{"a": {"b": [1, 2]}}', '$.a.b[1]'), JSON_EXTRACT('[1,2,3]', '$[*]'), JSON_EXTRACT('[1,2]', '$[0]', '$[1]'), JSON_EXTRACT('[1]', '$[5]')`,
			[]driver.Value{[]byte(`[1,"a",null,true,1.5]`), []byte(`[]`), []byte(`2`), []byte(`[1,2,3]`), []byte(`[1,2]`), nil}},
		{`SELECT JSON_EXTRACT('[1,2,3]', '$[last]'), JSON_EXTRACT('[1,2,3]', '$[last-1]'), JSON_EXTRACT('{"a b": 1, "c": [{"d": 2}]}', '$."a b"'), JSON_EXTRACT('{"c": [{"d": 2}, {"d": 3}]}', '$.c[*].d'), JSON_EXTRACT('{"a": {"b": 1}}', '$**.b'), JSON_EXTRACT('{"a": 1}', '$.*')`,
			[]driver.Value{[]byte(`3`), []byte(`2`), []byte(`1`), []byte(`[2,3]`), []byte(`[1]`), []byte(`[1]`)}},
		{`SELECT JSON_UNQUOTE('"a\\tb"'), JSON_UNQUOTE(JSON_EXTRACT('["x"]', '$[0]')), JSON_UNQUOTE('abc'), JSON_UNQUOTE(JSON_EXTRACT('[1]', '$[0]')), JSON_UNQUOTE(NULL)`,
			[]driver.Value{"a\tb", "x", "abc", "1", nil}},
		{`SELECT JSON_CONTAINS('[1,2,[3]]', '[3]'), JSON_CONTAINS('{"a":1,"b":2}', '{"a":1}'), JSON_CONTAINS('{"a":1}', '1', '$.a'), JSON_CONTAINS('[1,2]', '3'), JSON_CONTAINS('[1.0]', '1'), JSON_CONTAINS('[1]', NULL), JSON_CONTAINS('[1]', '1', '$[3]')`,
			[]driver.Value{int64(1), int64(1), int64(1), int64(0), int64(1), nil, nil}},
		{`SELECT JSON_LENGTH('{"a":[1,2]}', '$.a'), JSON_LENGTH('[1,[2,3]]'), JSON_LENGTH('[1]', '$[4]'), '["a"]'->'$[0]', '["a"]'->>'$[0]', JSON_EXTRACT('["a"]', '$[0]') = 'a'`,
			[]driver.Value{int64(2), int64(2), nil, []byte(`"a"`), "a", int64(1)}},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			got := oneRow(t, tt.sql, Options{})
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
	got := collect(t, planOf(t, `SELECT $id, JSON_LENGTH(tags), JSON_CONTAINS(tags, '"a"'), tags->'$[0]', tags->>'$[0]', JSON_EXTRACT(tags, '$[last]'), JSON_ARRAY(tags, title) FROM ORD WHERE tags->>'$[0]' IN ('a', 'c')`, Options{}), sampleRecords())
	want := [][]driver.Value{
		{int64(1), int64(2), int64(1), []byte(`"a"`), "a", []byte(`"b"`), []byte(`[["a","b"],"b"]`)},
		{int64(3), int64(1), int64(0), []byte(`"c"`), "c", []byte(`"c"`), []byte(`[["c"],"a"]`)},
		{int64(5), int64(1), int64(1), []byte(`"a"`), "a", []byte(`"a"`), []byte(`[["a"],"a"]`)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
	got = collect(t, planOf(t, `SELECT $id FROM ORD WHERE tags->'$[0]' = 'a' OR JSON_CONTAINS(tags, '["c"]')`, Options{}), sampleRecords())
	if want := [][]driver.Value{{int64(1)}, {int64(3)}, {int64(5)}}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestNewFuncErrors checks the errors of the functions of this file:
// argument counts and units when the statement is prepared, values when
// it runs.
func TestNewFuncErrors(t *testing.T) {
	tests := []struct{ sql, want string }{
		{"SELECT NOW(1, 2)", "NOW() takes 0 to 1 arguments, not 2"},
		{"SELECT CURDATE(1)", "CURDATE() takes 0 arguments, not 1"},
		{"SELECT NOW(7)", "now(): fractional seconds precision 7 is out of range"},
		{"SELECT DATE_ADD('2024-01-01')", "DATE_ADD() takes 2 arguments, not 1"},
		{"SELECT DATE_ADD('2024-01-01', 1)", "DATE_ADD() takes INTERVAL n unit as its second argument"},
		{"SELECT '2024-01-01' + INTERVAL 1 FORTNIGHT", "unknown INTERVAL unit FORTNIGHT"},
		{"SELECT INTERVAL 1 DAY - '2024-01-01'", "INTERVAL stands only in"},
		{"SELECT INTERVAL 1 DAY", "INTERVAL stands only in"},
		{"SELECT '2024-01-01' + INTERVAL 1.5 DAY", `interval(): "1.5" is not an INTERVAL of unit DAY: it is not an integer`},
		{"SELECT DATE_ADD('2024-01-01', INTERVAL '1:2:3' HOUR_MINUTE)", `date_add(): "1:2:3" is not an INTERVAL of unit HOUR_MINUTE: HOUR_MINUTE takes at most 2 numbers`},
		{"SELECT DATE_ADD('2024-01-01', INTERVAL 'x' DAY_HOUR)", `date_add(): "x" is not an INTERVAL of unit DAY_HOUR: it holds no number`},
		{"SELECT DATE_ADD('9999-12-31', INTERVAL 1 DAY)", "date_add(): the result is out of range"},
		{"SELECT DATE_ADD('2024-01-01', INTERVAL 100000 YEAR)", "is out of range"},
		{"SELECT DATE_ADD('x', INTERVAL 1 DAY)", `date_add(): "x" is not a date or time`},
		{"SELECT '23:00' + INTERVAL 2 HOUR", "interval(): the result is not a time of day"},
		{"SELECT '10:00' + INTERVAL 1 MONTH", "months and years cannot be added"},
		{"SELECT TIMESTAMPDIFF(DAY, '2024-01-01')", "TIMESTAMPDIFF() takes 3 arguments, not 2"},
		{"SELECT TIMESTAMPDIFF(DAY_HOUR, '2024-01-01', '2024-01-02')", "TIMESTAMPDIFF(): the unit must be"},
		{"SELECT TIMESTAMPDIFF(DAY, '10:00', '2024-01-02')", `timestampdiff(): "10:00" is a time of day, not a date`},
		{"SELECT EXTRACT(DAY FROM '10:00')", `extract(): "10:00" is a time of day, not a date`},
		{"SELECT DATE_FORMAT('2024-01-01')", "DATE_FORMAT() takes 2 arguments, not 1"},
		{"SELECT DATE_FORMAT('x', '%Y')", `date_format(): "x" is not a date or time`},
		{"SELECT WEEK('2024-01-01', 'x')", `week(): "x" is not an integer`},
		{"SELECT STR_TO_DATE('2024-13-01', '%Y-%m-%d')", "it is not a date"},
		{"SELECT STR_TO_DATE('2024-01-01x', '%Y-%m-%d')", "text is left from character 11"},
		{"SELECT STR_TO_DATE('2024', '%Y-%m')", `str_to_date(): "2024" does not match the format "%Y-%m"`},
		{"SELECT STR_TO_DATE('1', '%U')", "the format specifier %U is not supported"},
		{"SELECT GROUP_CONCAT(*) FROM ORD", "GROUP_CONCAT(*) is not SQL"},
		{"SELECT GROUP_CONCAT(title ORDER BY 3) FROM ORD", "GROUP_CONCAT(): ORDER BY 3: there are 1 arguments"},
		{"SELECT GROUP_CONCAT(tags) FROM ORD", "GROUP_CONCAT() cannot take a list of options"},
		{"SELECT GROUP_CONCAT(title ORDER BY title NULLS LAST) FROM ORD", "NULLS LAST in GROUP_CONCAT's ORDER BY"},
		{"SELECT STDDEV(DISTINCT amount) FROM ORD", "STDDEV() does not take DISTINCT"},
		{"SELECT VARIANCE(amount, amount) FROM ORD", "VARIANCE() takes one argument"},
		{"SELECT VAR_POP(title) FROM ORD", `var_pop(): "b" is not a number`},
		{"SELECT title FROM ORD ORDER BY title NULLS", "expected FIRST or LAST after NULLS"},
		{"SELECT JSON_EXTRACT('x', '$')", `json_extract(): "x" is not JSON`},
		{"SELECT JSON_EXTRACT('[1]', 'a')", `json_extract(): "a" is not a JSON path`},
		{"SELECT JSON_EXTRACT('[1]', '$**')", `is not a JSON path`},
		{"SELECT JSON_EXTRACT(5, '$')", `json_extract(): "5" is not a JSON document`},
		{"SELECT JSON_CONTAINS('[1]', 'a')", `json_contains(): "a" is not JSON`},
		{"SELECT JSON_CONTAINS('[1]', '1', '$[*]')", `may not hold * or **`},
		{"SELECT JSON_UNQUOTE('\"abc')", `json_unquote(): "\"abc" is not a JSON string`},
		{"SELECT JSON_EXTRACT('[1]')", "JSON_EXTRACT() takes at least 2 arguments, not 1"},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			err := funcErr(t, tt.sql)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
