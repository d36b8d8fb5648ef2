package translate

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// sampleRecords are a few hand-written records with NULLs in every column.
func sampleRecords() []catalog.Record {
	d := func(s string) any {
		if s == "" {
			return nil
		}
		return field.Decimal(s)
	}
	day := func(n int) any { return time.Date(2024, 5, n, 0, 0, 0, 0, time.UTC) }
	return []catalog.Record{
		{"$id": int64(1), "title": "b", "amount": d("10"), "status": "open", "due": day(3), "tags": []string{"a", "b"}},
		{"$id": int64(2), "title": nil, "amount": d("2.5"), "status": "open", "due": nil, "tags": nil},
		{"$id": int64(3), "title": "a", "amount": nil, "status": nil, "due": day(1), "tags": []string{"c"}},
		{"$id": int64(4), "title": "c", "amount": d("10"), "status": "closed", "due": day(3), "tags": nil},
		{"$id": int64(5), "title": "a", "amount": d("-1"), "status": nil, "due": nil, "tags": []string{"a"}},
	}
}

// collect runs a plan over records on the simulated Kintone and returns
// the driver values.
func collect(t *testing.T, s *Select, recs []catalog.Record) [][]driver.Value {
	t.Helper()
	k := &kintone{t: t, recs: recs, props: ordersApp().Fields, loc: time.UTC, login: "sato"}
	rows, err := k.run(s)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	var out [][]driver.Value
	for _, r := range rows {
		dv := make([]driver.Value, len(r))
		for i, v := range r {
			dv[i] = v
		}
		out = append(out, dv)
	}
	return out
}

// TestPipeline runs statements over the sample records and checks every
// value, which covers NULL logic, ordering, grouping and projection.
func TestPipeline(t *testing.T) {
	day := func(n int) time.Time { return time.Date(2024, 5, n, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		sql  string
		want [][]driver.Value
	}{
		// Three-valued logic in the select list: booleans are 1 and 0.
		{"SELECT $id, amount > 5, amount = NULL, amount IS NULL, NOT (amount > 5), amount > 5 OR title = 'a', amount > 5 AND title = 'a' FROM ORD",
			[][]driver.Value{
				{int64(1), int64(1), nil, int64(0), int64(0), int64(1), int64(0)},
				{int64(2), int64(0), nil, int64(0), int64(1), nil, int64(0)},
				{int64(3), nil, nil, int64(1), nil, int64(1), nil},
				{int64(4), int64(1), nil, int64(0), int64(0), int64(1), int64(0)},
				{int64(5), int64(0), nil, int64(0), int64(1), int64(1), int64(0)},
			}},
		{"SELECT $id, amount + 1, amount * 2, amount / 4, COALESCE(amount, 0), IFNULL(title, '-'), CONCAT(title, '!'), title LIKE 'a%' FROM ORD WHERE $id <= 3",
			[][]driver.Value{
				{int64(1), "11", "20", "2.5000", "10", "b", "b!", int64(0)},
				{int64(2), "3.5", "5.0", "0.62500", "2.5", "-", nil, nil},
				{int64(3), nil, nil, nil, int64(0), "a", "a!", int64(1)},
			}},
		{"SELECT $id, tags IN ('a'), tags NOT IN ('a'), status IN ('open', NULL), status NOT IN ('x', NULL) FROM ORD",
			[][]driver.Value{
				{int64(1), int64(1), int64(0), int64(1), nil},
				{int64(2), nil, nil, int64(1), nil},
				{int64(3), int64(0), int64(1), nil, nil},
				{int64(4), nil, nil, nil, nil},
				{int64(5), int64(1), int64(0), nil, nil},
			}},
		// NULLs first ascending, last descending; ties keep arrival order.
		{"SELECT $id, amount FROM ORD ORDER BY amount + 0", [][]driver.Value{
			{int64(3), nil}, {int64(5), "-1"}, {int64(2), "2.5"}, {int64(1), "10"}, {int64(4), "10"}}},
		{"SELECT $id, amount FROM ORD ORDER BY amount + 0 DESC", [][]driver.Value{
			{int64(1), "10"}, {int64(4), "10"}, {int64(2), "2.5"}, {int64(5), "-1"}, {int64(3), nil}}},
		{"SELECT $id FROM ORD ORDER BY UPPER(title), $id DESC", [][]driver.Value{
			{int64(2)}, {int64(5)}, {int64(3)}, {int64(1)}, {int64(4)}}},
		{"SELECT $id FROM ORD ORDER BY UPPER(title) DESC LIMIT 2 OFFSET 1", [][]driver.Value{{int64(1)}, {int64(3)}}},
		{"SELECT $id FROM ORD ORDER BY UPPER(title) LIMIT 0", nil},
		{"SELECT $id FROM ORD LIMIT 2 OFFSET 3", [][]driver.Value{{int64(4)}, {int64(5)}}},
		// DISTINCT keeps the first of equal rows; with ORDER BY it sorts after.
		{"SELECT DISTINCT status FROM ORD", [][]driver.Value{{"open"}, {nil}, {"closed"}}},
		{"SELECT DISTINCT status FROM ORD ORDER BY status DESC", [][]driver.Value{{"open"}, {"closed"}, {nil}}},
		{"SELECT DISTINCT amount + 0 AS a FROM ORD ORDER BY a LIMIT 2", [][]driver.Value{{nil}, {"-1"}}},
		// Aggregates: NULLs skipped, empty groups NULL, COUNT(*) counts rows.
		{"SELECT COUNT(*), COUNT(amount), COUNT(DISTINCT amount), SUM(amount), AVG(amount), MIN(amount), MAX(title), MIN(due) FROM ORD",
			[][]driver.Value{{int64(5), int64(4), int64(3), "21.5", "5.37500", "-1", "c", day(1)}}},
		{"SELECT COUNT(*), SUM(amount), MAX(due) FROM ORD WHERE $id > 100",
			[][]driver.Value{{int64(0), nil, nil}}},
		{"SELECT status, COUNT(*) AS n, SUM(amount) FROM ORD GROUP BY status ORDER BY n DESC, status",
			[][]driver.Value{{nil, int64(2), "-1"}, {"open", int64(2), "12.5"}, {"closed", int64(1), "10"}}},
		{"SELECT status, COUNT(*) FROM ORD GROUP BY status HAVING COUNT(*) > 1 ORDER BY 1",
			[][]driver.Value{{nil, int64(2)}, {"open", int64(2)}}},
		{"SELECT status FROM ORD GROUP BY status HAVING SUM(amount) > 0 ORDER BY status",
			[][]driver.Value{{"closed"}, {"open"}}},
		{"SELECT YEAR(due) AS y, COUNT(*) FROM ORD GROUP BY y", [][]driver.Value{{int64(2024), int64(3)}, {nil, int64(2)}}},
		{"SELECT COUNT(DISTINCT status, title) FROM ORD", [][]driver.Value{{int64(2)}}},
		{"SELECT SUM(DISTINCT amount) FROM ORD", [][]driver.Value{{"11.5"}}},
		{"SELECT tags, COUNT(*) FROM ORD GROUP BY tags ORDER BY 2 DESC LIMIT 1", [][]driver.Value{{nil, int64(2)}}},
		// HAVING without grouping filters rows and sees aliases.
		{"SELECT $id, amount * 2 AS twice FROM ORD HAVING twice > 10", [][]driver.Value{{int64(1), "20"}, {int64(4), "20"}}},
		// CASE, NULLIF, IF, string functions.
		{"SELECT $id, CASE WHEN amount > 5 THEN 'big' WHEN amount IS NULL THEN 'none' ELSE 'small' END, CASE status WHEN 'open' THEN 1 END, NULLIF(status, 'open'), IF(title = 'a', 'yes', 'no') FROM ORD WHERE $id < 4",
			[][]driver.Value{
				{int64(1), "big", int64(1), nil, "no"},
				{int64(2), "small", int64(1), nil, "no"},
				{int64(3), "none", nil, nil, "yes"},
			}},
		{"SELECT MID('日本語テキスト', 2, 3), LENGTH('日本'), CHAR_LENGTH('日本'), LOWER('AbC'), TRIM('  x '), REPLACE('a-b-c', '-', '+'), LEFT('abc', 2), RIGHT('abc', 2), ROUND(2.345, 2), ROUND(-2.5), FLOOR(-1.5), CEIL(1.2), ABS(-3), MOD(7, 3), 7 DIV 2, 7 % 0",
			[][]driver.Value{{"本語テ", int64(6), int64(2), "abc", "x", "a+b+c", "ab", "bc", "2.35", int64(-3), int64(-2), int64(2), int64(3), int64(1), int64(3), nil}}},
		// Values as the driver returns them.
		{"SELECT tags, due, amount FROM ORD WHERE $id = 1", [][]driver.Value{{[]byte(`["a","b"]`), day(3), "10"}}},
	}
	for _, tt := range tests {
		t.Run(tt.sql, func(t *testing.T) {
			s := planOf(t, tt.sql, Options{})
			got := collect(t, s, sampleRecords())
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %v\nwant %v\n%s", got, tt.want, s.Explain())
			}
		})
	}
}

// TestStreaming checks that a LIMIT done in Go stops reading: the source
// is not asked for more records than the rows need.
func TestStreaming(t *testing.T) {
	s := planOf(t, "SELECT title FROM ORD WHERE title = 'a' LIMIT 1", Options{})
	pulled := 0
	src := func() (catalog.Record, error) {
		pulled++
		if pulled > 100 {
			return nil, io.EOF
		}
		return catalog.Record{"$id": int64(pulled), "title": "a"}, nil
	}
	rows := s.Run(src)
	dest := make([]driver.Value, 1)
	if err := rows.Next(dest); err != nil {
		t.Fatal(err)
	}
	if err := rows.Next(dest); !errors.Is(err, io.EOF) {
		t.Fatalf("second Next = %v, want io.EOF", err)
	}
	if pulled != 1 {
		t.Errorf("the source was asked for %d records, want 1", pulled)
	}
}

// TestTopK checks that ORDER BY ... LIMIT in Go keeps only the best rows
// yet returns what a full sort would.
func TestTopK(t *testing.T) {
	var recs []catalog.Record
	for i := 0; i < 1000; i++ {
		recs = append(recs, catalog.Record{"$id": int64(i + 1), "amount": field.Decimal(catalog.FormatInt(int64((i * 7919) % 101)))})
	}
	full := collect(t, planOf(t, "SELECT $id FROM ORD ORDER BY amount * 1 DESC, $id", Options{}), recs)
	top := collect(t, planOf(t, "SELECT $id FROM ORD ORDER BY amount * 1 DESC, $id LIMIT 7 OFFSET 3", Options{MaxRows: 10}), recs)
	if !reflect.DeepEqual(top, full[3:10]) {
		t.Errorf("top-k = %v, want %v", top, full[3:10])
	}
}

// TestMaxBufferedRows checks that steps holding rows in memory stop at
// MaxBufferedRows.
func TestMaxBufferedRows(t *testing.T) {
	var recs []catalog.Record
	for i := 0; i < 20; i++ {
		recs = append(recs, catalog.Record{"$id": int64(i + 1), "title": catalog.FormatInt(int64(i))})
	}
	for _, sql := range []string{
		"SELECT title FROM ORD ORDER BY UPPER(title)",
		"SELECT title, COUNT(*) FROM ORD GROUP BY title",
		"SELECT DISTINCT title FROM ORD",
	} {
		s := planOf(t, sql, Options{MaxBufferedRows: 10})
		rows := s.Run(sliceSource(recs))
		var err error
		for err == nil {
			err = rows.Next(make([]driver.Value, len(s.Columns)))
		}
		if !errors.Is(err, sqlerr.ErrTooManyRows) {
			t.Errorf("%s: got %v, want ErrTooManyRows", sql, err)
		}
		// Under the cap everything works.
		if got := collect(t, planOf(t, sql, Options{MaxBufferedRows: 20}), recs); len(got) != 20 {
			t.Errorf("%s: %d rows under the cap, want 20", sql, len(got))
		}
		// MaxRows is a LIMIT on what the statement returns: a sort and
		// DISTINCT then hold no more than it (a bounded heap for the
		// sort); grouping must still see every group.
		if !strings.Contains(sql, "GROUP BY") {
			if got := collect(t, planOf(t, sql, Options{MaxRows: 5, MaxBufferedRows: 10}), recs); len(got) != 5 {
				t.Errorf("%s under MaxRows 5: %d rows", sql, len(got))
			}
		}
	}
}

// TestMaxRowsIsALimit checks the plans MaxRows makes: the LIMIT a SELECT
// without one would have, pushed to Kintone where it can be; never on
// statements with a LIMIT, metadata statements or the reads of writes.
func TestMaxRowsIsALimit(t *testing.T) {
	opts := Options{MaxRows: 40}
	for _, tt := range []struct {
		sql      string
		strategy Strategy
		query    string
		max      int64
	}{
		{"SELECT $id FROM ORD", StrategySingle, "order by $id asc limit 40", 0},
		{"SELECT $id FROM ORD WHERE amount > 5 ORDER BY amount DESC", StrategySingle, "amount > 5 order by amount desc, $id asc limit 40", 0},
		{"SELECT $id FROM ORD LIMIT 400", StrategySingle, "order by $id asc limit 400", 0},
		{"SELECT COUNT(*) FROM ORD", StrategyCount, "limit 1", 0},
		{"SELECT $id FROM ORD WHERE title LIKE 'a%'", StrategySeek, "order by $id asc", 0},
	} {
		s := planOf(t, tt.sql, opts)
		if s.Strategy() != tt.strategy || s.Read.Query.String() != tt.query || s.Read.MaxRecords != tt.max {
			t.Errorf("%s: %s %q max %d, want %s %q max %d", tt.sql, s.Strategy(), s.Read.Query.String(), s.Read.MaxRecords, tt.strategy, tt.query, tt.max)
		}
	}
	big := Options{MaxRows: 1200}
	if s := planOf(t, "SELECT $id FROM ORD", big); s.Strategy() != StrategySeek || s.Read.MaxRecords != 1200 {
		t.Errorf("a cap past one page: %s, max records %d", s.Strategy(), s.Read.MaxRecords)
	}
	if s := planOf(t, "SHOW COLUMNS FROM ORD", Options{MaxRows: 1}); len(collect(t, s, nil)) < 2 {
		t.Error("SHOW COLUMNS is capped")
	}
	for _, w := range []string{"UPDATE ORD SET title = 'x' WHERE amount > 1", "DELETE FROM ORD WHERE amount > 1", "INSERT INTO ORD (title) SELECT title FROM ORD"} {
		st, err := Translate(context.Background(), w, testSchema(), opts, nil)
		if err != nil {
			t.Fatal(err)
		}
		var sel *Select
		switch st := st.(type) {
		case *Update:
			sel = st.Select
		case *Delete:
			sel = st.Select
		case *Insert:
			sel = st.Select
		}
		if sel == nil || sel.Read.MaxRecords != 0 || strings.Contains(sel.Read.Query.String(), "limit") {
			t.Errorf("%s reads with a cap: %s", w, sel.Explain())
		}
	}
}

// TestSourceError checks that the source's error reaches Next unchanged
// and stays.
func TestSourceError(t *testing.T) {
	boom := context.Canceled
	for _, sql := range []string{"SELECT title FROM ORD", "SELECT COUNT(title) FROM ORD", "SELECT title FROM ORD ORDER BY UPPER(title)"} {
		s := planOf(t, sql, Options{})
		rows := s.Run(func() (catalog.Record, error) { return nil, boom })
		dest := make([]driver.Value, 1)
		if err := rows.Next(dest); !errors.Is(err, boom) {
			t.Errorf("%s: got %v, want the source's error", sql, err)
		}
		if err := rows.Next(dest); !errors.Is(err, boom) {
			t.Errorf("%s: second Next got %v, want the same error", sql, err)
		}
	}
}

// TestOrderMismatch runs a plan that leaves ORDER BY to Kintone against a
// Kintone that puts empty numbers last: the rows must fail rather than
// come back in the wrong order.
func TestOrderMismatch(t *testing.T) {
	w, _ := newWorld(t, 5, 100)
	for _, tc := range []struct {
		opts     Options
		strategy Strategy
	}{
		{w.opts, StrategyOffset},
		{Options{Location: w.opts.Location, Cursor: CursorAlways}, StrategyCursor},
	} {
		s := planOf(t, "SELECT $id FROM ORD ORDER BY amount", tc.opts)
		if s.Strategy() != tc.strategy || !checksOrder(s) {
			t.Fatalf("want a %s read that checks the order:\n%s", tc.strategy, s.Explain())
		}
		_, err := w.service(t, model{name: "empty last", emptyLast: true}).run(s)
		if !errors.Is(err, sqlerr.ErrOrderMismatch) {
			t.Fatalf("%s: got %v, want ErrOrderMismatch", tc.strategy, err)
		}
		if _, err := w.service(t, models[0]).run(s); err != nil {
			t.Fatalf("%s: with empty values first: %v", tc.strategy, err)
		}
	}
	// $id never is empty: no check.
	if s := planOf(t, "SELECT $id FROM ORD ORDER BY $id DESC LIMIT 5", w.opts); checksOrder(s) {
		t.Error("ORDER BY $id is checked, but $id is never empty")
	}
}

// TestRunCount checks the count plan's rows.
func TestRunCount(t *testing.T) {
	s := planOf(t, "SELECT COUNT(*) AS n, COUNT(*) + 1, COUNT($id) FROM ORD HAVING n > 3", Options{})
	if s.Strategy() != StrategyCount {
		t.Fatalf("strategy %s", s.Strategy())
	}
	rows := s.RunCount(7)
	dest := make([]driver.Value, 3)
	if err := rows.Next(dest); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(dest, []driver.Value{int64(7), int64(8), int64(7)}) {
		t.Errorf("got %v", dest)
	}
	if err := rows.Next(dest); !errors.Is(err, io.EOF) {
		t.Errorf("second Next = %v", err)
	}
	if err := s.RunCount(2).Next(dest); !errors.Is(err, io.EOF) {
		t.Errorf("HAVING n > 3 with 2: got %v, want no row", err)
	}
}

// TestColumns checks the column metadata the driver reports through
// ColumnType*.
func TestColumns(t *testing.T) {
	s := planOf(t, "SELECT $id, title AS t, amount, due, at, alarm, tags, owner, 作成者, items, COUNT(*) OVER_N, SUM(amount), MAX(due), amount + 1, 'x', NULL, title = 'a' FROM ORD GROUP BY $id, title, amount, due, at, alarm, tags, owner, 作成者, items", Options{})
	want := []catalog.ResultColumn{
		{Name: "$id", DatabaseType: "__ID__", ScanType: catalog.TypeInt64, Nullable: false, Field: "$id"},
		{Name: "t", DatabaseType: "SINGLE_LINE_TEXT", ScanType: catalog.TypeString, Nullable: true, Field: "title"},
		{Name: "amount", DatabaseType: "NUMBER", ScanType: catalog.TypeString, Nullable: true, Field: "amount"},
		{Name: "due", DatabaseType: "DATE", ScanType: catalog.TypeTime, Nullable: true, Field: "due"},
		{Name: "at", DatabaseType: "DATETIME", ScanType: catalog.TypeTime, Nullable: true, Field: "at"},
		{Name: "alarm", DatabaseType: "TIME", ScanType: catalog.TypeTime, Nullable: true, Field: "alarm"},
		{Name: "tags", DatabaseType: "CHECK_BOX", ScanType: catalog.TypeBytes, Nullable: false, Field: "tags"},
		{Name: "owner", DatabaseType: "USER_SELECT", ScanType: catalog.TypeBytes, Nullable: false, Field: "owner"},
		{Name: "作成者", DatabaseType: "CREATOR", ScanType: catalog.TypeBytes, Nullable: false, Field: "作成者"},
		{Name: "items", DatabaseType: "SUBTABLE", ScanType: catalog.TypeBytes, Nullable: false, Field: "items"},
		{Name: "OVER_N", DatabaseType: "BIGINT", ScanType: catalog.TypeInt64},
		{Name: "SUM(amount)", DatabaseType: "DECIMAL", ScanType: catalog.TypeString, Nullable: true},
		{Name: "MAX(due)", DatabaseType: "DATE", ScanType: catalog.TypeTime, Nullable: true},
		{Name: "amount + 1", DatabaseType: "DECIMAL", ScanType: catalog.TypeString, Nullable: true},
		{Name: "x", DatabaseType: "VARCHAR", ScanType: catalog.TypeString},
		{Name: "NULL", DatabaseType: "NULL", ScanType: catalog.TypeAny, Nullable: true},
		{Name: "title = 'a'", DatabaseType: "BIGINT", ScanType: catalog.TypeInt64, Nullable: true},
	}
	if !reflect.DeepEqual(s.Columns, want) {
		for i := range want {
			if i < len(s.Columns) && !reflect.DeepEqual(s.Columns[i], want[i]) {
				t.Errorf("column %d = %+v, want %+v", i, s.Columns[i], want[i])
			}
		}
		if len(s.Columns) != len(want) {
			t.Errorf("%d columns, want %d", len(s.Columns), len(want))
		}
	}
	if names := s.Run(nil).Columns(); names[1] != "t" || len(names) != len(want) {
		t.Errorf("Rows.Columns = %v", names)
	}
	child := planOf(t, "SELECT * FROM ORD.items", Options{})
	var got []string
	for _, c := range child.Columns {
		got = append(got, c.Name+":"+c.DatabaseType)
	}
	if wantChild := []string{"$id:__ID__", "$row_id:__ROW_ID__", "item:SINGLE_LINE_TEXT", "qty:NUMBER", "price:NUMBER", "when:DATE", "kind:DROP_DOWN"}; !reflect.DeepEqual(got, wantChild) {
		t.Errorf("child columns = %v, want %v", got, wantChild)
	}
}

// TestSelectStar checks the columns of SELECT *: $id, $revision, then the
// fields in form order, without layout fields, reference tables and
// disabled process-management fields.
func TestSelectStar(t *testing.T) {
	s := planOf(t, "SELECT * FROM ORD", Options{})
	var names []string
	for _, c := range s.Columns {
		names = append(names, c.Name)
	}
	want := []string{"$id", "$revision", "レコード番号", "作成者", "更新者", "作成日時", "更新日時", "title", "note", "body", "url",
		"amount", "total", "due_calc", "tags", "color", "status", "tech", "due", "at", "alarm", "owner", "dept", "grp",
		"files", "items", "顧客名", "ステータス", "作業者", "Limit"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("SELECT * columns = %v\nwant %v", names, want)
	}
}
