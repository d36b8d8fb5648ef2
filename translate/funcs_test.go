package translate

import (
	"context"
	"database/sql/driver"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestFuncs checks the functions of issue 14, item 4 against MySQL 8.0's
// results: the normal cases, NULL and the edges (positions out of range,
// empty text, multi-byte characters).
func TestFuncs(t *testing.T) {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		sql  string
		want []driver.Value
	}{
		// LPAD and RPAD: pad repeated and cut, or the text cut to len.
		{"SELECT LPAD('hi', 4, '??'), LPAD('hi', 1, '??'), LPAD('hi', 5, 'ab'), RPAD('hi', 5, 'ab'), RPAD('hi', 1, '?'), LPAD(5, 3, 0)",
			[]driver.Value{"??hi", "h", "abahi", "hiaba", "h", "005"}},
		{"SELECT LPAD('日本', 4, '語'), RPAD('日本語', 2, 'x'), RPAD('é', 3, 'ü')",
			[]driver.Value{"語語日本", "日本", "éüü"}},
		{"SELECT LPAD('x', 8, 'abc'), RPAD('x', 8, '日本語'), CHAR_LENGTH(RPAD('', 1000, 'é'))",
			[]driver.Value{"abcabcax", "x日本語日本語日", int64(1000)}},
		{"SELECT LPAD('hi', -1, 'x'), LPAD('hi', 0, 'x'), LPAD('hi', 5, ''), LPAD('hi', 2, ''), RPAD('hi', 3, '')",
			[]driver.Value{nil, "", nil, "hi", nil}},
		{"SELECT LPAD(NULL, 2, 'x'), LPAD('a', NULL, 'x'), RPAD('a', 2, NULL)", []driver.Value{nil, nil, nil}},
		// INSTR and LOCATE: 1-based character positions, 0 when absent.
		{"SELECT INSTR('foobarbar', 'bar'), INSTR('xbar', 'foobar'), INSTR('日本語', '語'), INSTR('abc', ''), INSTR('Abc', 'a')",
			[]driver.Value{int64(4), int64(0), int64(3), int64(1), int64(0)}},
		{"SELECT LOCATE('bar', 'foobarbar'), LOCATE('xbar', 'foobar'), LOCATE('bar', 'foobarbar', 5), LOCATE('語', '日本語日本語', 4), LOCATE('語', '日本語', 4)",
			[]driver.Value{int64(4), int64(0), int64(7), int64(6), int64(0)}},
		{"SELECT LOCATE('b', 'abc', 0), LOCATE('b', 'abc', -1), LOCATE('', 'abc', 4), LOCATE('', 'abc', 5), LOCATE('', 'abc', 0), LOCATE('c', 'abc', 4)",
			[]driver.Value{int64(0), int64(0), int64(4), int64(0), int64(0), int64(0)}},
		{"SELECT INSTR(NULL, 'a'), INSTR('a', NULL), LOCATE(NULL, 'a'), LOCATE('a', NULL), LOCATE('a', 'abc', NULL)",
			[]driver.Value{nil, nil, nil, nil, nil}},
		// REVERSE and REPEAT.
		{"SELECT REVERSE('abc'), REVERSE('日本語'), REVERSE(''), REVERSE(123), REVERSE(NULL)",
			[]driver.Value{"cba", "語本日", "", "321", nil}},
		{"SELECT REPEAT('ab', 3), REPEAT('日', 2), REPEAT('ab', 0), REPEAT('ab', -1), REPEAT('', 5), REPEAT(NULL, 2), REPEAT('a', NULL)",
			[]driver.Value{"ababab", "日日", "", "", "", nil, nil}},
		// POWER and SQRT compute a DOUBLE and give its shortest decimal.
		{"SELECT POWER(2, 3), POW(2, -2), POW(2, 0.5), POW(-2, 3), POW(0, 0), POW(' 3 ', 2), POW(2.5, 2)",
			[]driver.Value{"8", "0.25", "1.4142135623730951", "-8", "1", "9", "6.25"}},
		{"SELECT POW(NULL, 2), POW(2, NULL), SQRT(NULL), SQRT(-1)", []driver.Value{nil, nil, nil, nil}},
		{"SELECT SQRT(4), SQRT(2), SQRT(0.25), SQRT(0)", []driver.Value{"2", "1.4142135623730951", "0.5", "0"}},
		// GREATEST and LEAST compare by the arguments' unified kind; a
		// decimal result has the largest scale of the arguments (a literal
		// such as 34.0 reads as 34 here).
		{"SELECT GREATEST(2, 0), LEAST(2, 0), GREATEST(34.0, 3.0, 5.0, 767.0), LEAST(34.0, 3.0, 5.0, 767.0), GREATEST(2, 1.5), LEAST(1, 2.25)",
			[]driver.Value{int64(2), int64(0), "767", "3", "2.0", "1.00"}},
		{"SELECT GREATEST('B', 'A', 'C'), LEAST('B', 'A', 'C'), LEAST('10', 9), GREATEST('10', 9), GREATEST(1 = 1, 0)",
			[]driver.Value{"C", "A", "10", "9", int64(1)}},
		{"SELECT GREATEST(1, NULL), LEAST(NULL, 1), GREATEST('a', NULL, 'b')", []driver.Value{nil, nil, nil}},
		// Dates: QUARTER, DAYOFWEEK (1 = Sunday), WEEKDAY (0 = Monday),
		// DATEDIFF of the date parts, LAST_DAY.
		{"SELECT QUARTER('2024-01-01'), QUARTER('2024-05-03'), QUARTER('2024-12-31 23:59'), QUARTER(NULL)",
			[]driver.Value{int64(1), int64(2), int64(4), nil}},
		{"SELECT DAYOFWEEK('2024-05-05'), DAYOFWEEK('2024-05-04'), WEEKDAY('2024-05-05'), WEEKDAY('2024-05-06 10:00'), DAYOFWEEK(NULL), WEEKDAY(NULL)",
			[]driver.Value{int64(1), int64(7), int64(6), int64(0), nil, nil}},
		{"SELECT DATEDIFF('2007-12-31 23:59:59', '2007-12-30'), DATEDIFF('2010-11-30 23:59:59', '2010-12-31'), DATEDIFF('2024-03-01', '2024-02-28'), DATEDIFF(NULL, '2024-01-01'), DATEDIFF('2024-01-01', NULL)",
			[]driver.Value{int64(1), int64(-31), int64(2), nil, nil}},
		{"SELECT LAST_DAY('2003-02-05'), LAST_DAY('2004-02-05'), LAST_DAY('2004-01-01 01:01:01'), LAST_DAY(NULL)",
			[]driver.Value{day(2003, 2, 28), day(2004, 2, 29), day(2004, 1, 31), nil}},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			s := planOf(t, tt.sql, Options{})
			got := collect(t, s, sampleRecords())
			if len(got) != 1 || !reflect.DeepEqual(got[0], tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

// TestFuncsOnColumns runs the functions over the sample records, where
// values come from fields (NULL from empty ones).
func TestFuncsOnColumns(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 5, d, 0, 0, 0, 0, time.UTC) }
	s := planOf(t, "SELECT $id, LPAD(title, 3, '*'), GREATEST(amount, 3), DATEDIFF(due, '2024-05-01'), LAST_DAY(due), WEEKDAY(due) FROM ORD", Options{})
	got := collect(t, s, sampleRecords())
	want := [][]driver.Value{
		{int64(1), "**b", "10", int64(2), day(31), int64(4)},
		{int64(2), nil, "3.0", nil, nil, nil},
		{int64(3), "**a", nil, int64(0), day(31), int64(2)},
		{int64(4), "**c", "10", int64(2), day(31), int64(4)},
		{int64(5), "**a", "3", nil, nil, nil},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
}

// TestFuncErrors checks the errors: argument counts (when the statement
// is bound) and values a function cannot read (when it runs).
func TestFuncErrors(t *testing.T) {
	tests := []struct{ sql, want string }{
		{"SELECT LPAD('a', 2)", "LPAD() takes 3 arguments, not 2"},
		{"SELECT RPAD('a', 2, 'b', 'c')", "RPAD() takes 3 arguments, not 4"},
		{"SELECT INSTR('a')", "INSTR() takes 2 arguments, not 1"},
		{"SELECT LOCATE('a', 'b', 1, 2)", "LOCATE() takes 2 to 3 arguments, not 4"},
		{"SELECT REVERSE()", "REVERSE() takes 1 argument, not 0"},
		{"SELECT REPEAT('a')", "REPEAT() takes 2 arguments, not 1"},
		{"SELECT POW(2)", "POW() takes 2 arguments, not 1"},
		{"SELECT SQRT(1, 2)", "SQRT() takes 1 argument, not 2"},
		{"SELECT GREATEST(1)", "GREATEST() takes at least 2 arguments, not 1"},
		{"SELECT LEAST()", "LEAST() takes at least 2 arguments, not 0"},
		{"SELECT DATEDIFF('2024-01-01')", "DATEDIFF() takes 2 arguments, not 1"},
		{"SELECT LAST_DAY()", "LAST_DAY() takes 1 argument, not 0"},
		{"SELECT LPAD('a', 'x', 'b')", `lpad(): "x" is not an integer`},
		{"SELECT RPAD('a', 1.5, 'b')", `rpad(): "1.5" is not an integer`},
		{"SELECT LOCATE('a', 'b', 'c')", `locate(): "c" is not an integer`},
		{"SELECT REPEAT('a', 'x')", `repeat(): "x" is not an integer`},
		{"SELECT REPEAT('ab', 100000000)", "repeat(): the result would be longer than"},
		{"SELECT LPAD('a', 100000000, 'b')", "lpad(): the result would be longer than"},
		{"SELECT RPAD('a', 40000000, 'éé')", "rpad(): the result would be longer than"},
		{"SELECT POW('1e400', 1)", `pow(): "1e400" is not a number`},
		{"SELECT POW('x', 2)", `pow(): "x" is not a number`},
		{"SELECT SQRT('x')", `sqrt(): "x" is not a number`},
		{"SELECT POW(0, -1)", "pow(): the result is out of range for a DOUBLE"},
		{"SELECT POW(-8, 0.5)", "pow(): the result is out of range for a DOUBLE"},
		{"SELECT POWER(10, 400)", "power(): the result is out of range for a DOUBLE"},
		{"SELECT GREATEST(1, 'x' + 0)", `"x" is not a number`},
		{"SELECT QUARTER('10:00')", `quarter(): "10:00" is a time of day, not a date`},
		{"SELECT DAYOFWEEK('x')", `dayofweek(): "x" is not a date or time`},
		{"SELECT DATEDIFF('2024-01-01', '2024-02-30')", `datediff(): "2024-02-30" is not a date or time`},
		{"SELECT LAST_DAY(5)", `last_day(): "5" is not a date or time`},
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

// funcErr translates and runs sql and returns the first error.
func funcErr(t *testing.T, sql string) error {
	st, err := Translate(context.Background(), sql, testSchema(), Options{}, nil)
	if err != nil {
		return err
	}
	k := &kintone{t: t, recs: sampleRecords(), props: ordersApp().Fields, loc: time.UTC, login: "sato"}
	_, err = k.run(st.(*Select))
	return err
}

// TestCast checks CAST and CONVERT against MySQL 8.0's results for the
// values the engine has.
func TestCast(t *testing.T) {
	clock := func(h, m, s int) time.Time { return time.Date(0, 1, 1, h, m, s, 0, time.UTC) }
	at := func(d, h, m, s int) time.Time { return time.Date(2024, 5, d, h, m, s, 0, time.UTC) }
	tests := []struct {
		sql  string
		want []driver.Value
	}{
		{"SELECT CAST(1.5 AS SIGNED), CAST(-1.5 AS SIGNED), CAST(2.4 AS SIGNED INTEGER), CAST('12' AS SIGNED), CAST(' -7 ' AS SIGNED), CAST(1 = 1 AS SIGNED), CAST(NULL AS SIGNED)",
			[]driver.Value{int64(2), int64(-2), int64(2), int64(12), int64(-7), int64(1), nil}},
		{"SELECT CAST(-1 AS UNSIGNED), CAST(5 AS UNSIGNED INTEGER), CAST('+8' AS UNSIGNED), CAST(0.5 AS UNSIGNED), CONVERT(NULL, UNSIGNED)",
			[]driver.Value{"18446744073709551615", int64(5), int64(8), int64(1), nil}},
		{"SELECT CAST(1 AS DECIMAL(5,2)), CAST(2.345 AS DECIMAL(4,2)), CAST(-2.345 AS DECIMAL(4,2)), CAST('1.5e2' AS DECIMAL), CAST(1.5 AS DECIMAL), CONVERT('3.14159', DECIMAL(10,3)), CAST(-0.001 AS DECIMAL(3,2)), CAST(NULL AS DECIMAL)",
			[]driver.Value{"1.00", "2.35", "-2.35", "150", "2", "3.142", "0.00", nil}},
		{"SELECT CAST(123 AS CHAR), CAST('日本語' AS CHAR(2)), CONVERT('abc', CHAR(5)), CAST('x' AS CHAR CHARACTER SET utf8mb4), CAST(NULL AS CHAR)",
			[]driver.Value{"123", "日本", "abc", "x", nil}},
		{"SELECT CAST('2024-05-01 10:30:45' AS DATE), CAST('2024-05-01' AS DATETIME), CAST('2024-05-01 10:30:45.6' AS DATETIME), CONVERT('2024-05-01 10:30:45', DATE), CAST(NULL AS DATE)",
			[]driver.Value{at(1, 0, 0, 0), at(1, 0, 0, 0), at(1, 10, 30, 46), at(1, 0, 0, 0), nil}},
		{"SELECT CAST('2024-05-01 10:30:45' AS TIME), CAST('10:30' AS TIME), CAST(' 23:59:59 ' AS TIME(0)), CAST(CAST('2024-05-01' AS DATE) AS TIME), CAST(NULL AS TIME)",
			[]driver.Value{clock(10, 30, 45), clock(10, 30, 0), clock(23, 59, 59), clock(0, 0, 0), nil}},
		// A date or time becomes its text, or its digits as a number.
		{"SELECT CAST(CAST('2024-05-01 10:30:45' AS DATETIME) AS SIGNED), CAST(CAST('10:30:45' AS TIME) AS DECIMAL(10,0)), CAST(CAST('2024-05-01' AS DATETIME) AS CHAR), CAST(CAST('10:30' AS TIME) AS CHAR)",
			[]driver.Value{int64(20240501103045), "103045", "2024-05-01 00:00:00", "10:30:00"}},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			s := planOf(t, tt.sql, Options{})
			got := collect(t, s, sampleRecords())
			if len(got) != 1 || !reflect.DeepEqual(got[0], tt.want) {
				t.Errorf("got  %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

// TestCastColumns casts field values and checks the EXPLAIN text and the
// column name.
func TestCastColumns(t *testing.T) {
	s := planOf(t, "SELECT $id, CAST(due AS SIGNED), CAST(due AS CHAR), CAST(amount AS DECIMAL(6,2)), CAST(tags AS CHAR) FROM ORD WHERE CONVERT(amount, SIGNED) = 10", Options{})
	got := collect(t, s, sampleRecords())
	want := [][]driver.Value{
		{int64(1), int64(20240503), "2024-05-03", "10.00", `["a","b"]`},
		{int64(4), int64(20240503), "2024-05-03", "10.00", nil},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %#v\nwant %#v", got, want)
	}
	if ex := s.Explain(); !strings.Contains(ex, "CAST(amount AS SIGNED) = 10") {
		t.Errorf("EXPLAIN does not show the CAST:\n%s", ex)
	}
	if name := s.Columns[1].Name; name != "CAST(due AS SIGNED)" {
		t.Errorf("column name %q", name)
	}
}

// TestCastErrors checks the conversions MySQL makes with a warning, which
// are errors here, and the types the engine refuses.
func TestCastErrors(t *testing.T) {
	tests := []struct{ sql, want string }{
		{"SELECT CAST('1.5' AS SIGNED)", `CAST AS SIGNED: "1.5" is not an integer`},
		{"SELECT CAST('12abc' AS SIGNED)", `CAST AS SIGNED: "12abc" is not an integer`},
		{"SELECT CAST('' AS SIGNED)", `CAST AS SIGNED: "" is not an integer`},
		{"SELECT CAST('99999999999999999999' AS SIGNED)", `"99999999999999999999" is out of range`},
		{"SELECT CAST(9223372036854775807.5 AS SIGNED)", "is out of range"},
		{"SELECT CAST(-1.5 AS UNSIGNED)", `CAST AS UNSIGNED: "-1.5" is out of range`},
		{"SELECT CAST('-1' AS UNSIGNED)", `CAST AS UNSIGNED: "-1" is not an integer`},
		{"SELECT CAST('abc' AS DECIMAL)", `CAST AS DECIMAL(10, 0): "abc" is not a number`},
		{"SELECT CAST(1000 AS DECIMAL(3,0))", `CAST AS DECIMAL(3, 0): "1000" is out of range`},
		{"SELECT CAST(9.995 AS DECIMAL(3,2))", "is out of range"},
		{"SELECT CAST('x' AS DATE)", `CAST AS DATE: "x" is not a date`},
		{"SELECT CAST('10:00' AS DATETIME)", `CAST AS DATETIME: "10:00" is a time of day, not a date`},
		{"SELECT CAST(20240501 AS DATE)", `CAST AS DATE: "20240501" is not a date or time`},
		{"SELECT CAST('25:00' AS TIME)", `CAST AS TIME: "25:00" is not a time`},
		{"SELECT CAST(tags AS SIGNED) FROM ORD", "cannot convert a list of options"},
		{"SELECT CAST(1 AS DECIMAL(66))", "DECIMAL precision 66 is out of range"},
		{"SELECT CAST(1 AS DECIMAL(0))", "DECIMAL precision 0 is out of range"},
		{"SELECT CAST(1 AS DECIMAL(10,31))", "DECIMAL scale 31 is out of range"},
		{"SELECT CAST(1 AS DECIMAL(5,6))", "the scale cannot exceed the precision"},
		{"SELECT CAST(1 AS DOUBLE)", "CAST AS DOUBLE"},
		{"SELECT CAST('a' AS BINARY)", "CAST AS BINARY"},
		{"SELECT CAST('1' AS JSON)", "CAST AS JSON"},
		{"SELECT CONVERT('a' USING utf8mb4)", "CONVERT ... USING"},
		{"SELECT CAST('a' AS CHAR CHARACTER SET latin1)", "CAST AS CHAR CHARACTER SET latin1"},
		{"SELECT CAST('2024-05-01' AS DATETIME(3))", "DATETIME(3)"},
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
