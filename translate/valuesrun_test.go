package translate

import (
	"context"
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kintone-sql/kintone/translate/bind"
	"github.com/kintone-sql/kintone/translate/parse"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// TestValuesRunMatchesTheParser translates bulk INSERTs with the fast path
// of valuesrun.go and through the parser alone: the plans, or the errors,
// must be the same, and the fast path must be taken exactly where a run
// of placeholder rows ends the VALUES list.
func TestValuesRunMatchesTheParser(t *testing.T) {
	loc := tokyo(t)
	at := time.Date(2024, 5, 1, 9, 30, 45, 0, loc)
	tests := []struct {
		name string
		sql  string
		args []any
		run  bool // the fast path applies
	}{
		{"three rows", "INSERT INTO ORD (title, amount) VALUES (?, ?), (?, ?), (?, ?)",
			[]any{"a", int64(1), "b", 2.5, "c", nil}, true},
		{"blanks and line breaks", "INSERT INTO ORD (title, amount) VALUES(?,?),\n\t( ? , ? ),(?,?)\r\n",
			[]any{"a", "1", "b", "2", "c", "3"}, true},
		{"every kind of value", "INSERT INTO ORD (title, tags, at, due, owner, amount) VALUES (?, ?, ?, ?, ?, ?), (?, ?, ?, ?, ?, ?)",
			[]any{"x", []string{"a", "b"}, at, at, []string{"sato"}, uint64(1 << 63),
				[]byte("y"), `["c"]`, "2024-05-01 09:30", "2024-5-1", nil, float32(0.5)}, true},
		{"a trailing semicolon", "INSERT INTO ORD (title) VALUES (?), (?);", []any{"a", "b"}, true},
		{"one row", "INSERT INTO ORD (title, amount) VALUES (?, ?)", []any{"a", int64(1)}, false},
		{"literals first", "INSERT INTO ORD (title, amount) VALUES ('a', ?), (?, ?)", []any{int64(1), "b", int64(2)}, false},
		{"literal rows after", "INSERT INTO ORD (title, amount) VALUES (?, ?), (?, ?), ('x', 1)", []any{"a", "1", "b", "2"}, false},
		{"DEFAULT later", "INSERT INTO ORD (title, amount) VALUES (?, ?), (?, DEFAULT)", []any{"a", "1", "b"}, false},
		{"a comment inside", "INSERT INTO ORD (title, amount) VALUES (?, ?), (? /* c */, ?)", []any{"a", "1", "b", "2"}, false},
		{"upsert", "INSERT INTO STOCK (sku, name) VALUES (?, ?), (?, ?) ON DUPLICATE KEY UPDATE name = VALUES(name)",
			[]any{"s1", "one", "s2", "two"}, true},
		// The parser numbers a placeholder after the run past the run's
		// (the lexer of sqlparser's days could not, and left the run).
		{"a placeholder after the run", "INSERT INTO STOCK (sku, name) VALUES (?, ?), (?, ?) ON DUPLICATE KEY UPDATE name = ?",
			[]any{"s1", "one", "s2", "two", "x"}, true},
		{"a named placeholder after the run", "INSERT INTO STOCK (sku, name) VALUES (?, ?), (?, ?) ON DUPLICATE KEY UPDATE name = :n",
			[]any{"s1", "one", "s2", "two"}, false},
		{"a row too long", "INSERT INTO ORD (title, amount) VALUES (?, ?), (?, ?, ?)", []any{"a", "1", "b", "2", "3"}, false},
		{"too few columns", "INSERT INTO ORD (title) VALUES (?, ?), (?, ?)", []any{"a", "1", "b", "2"}, true},
		{"a bad value in row 3", "INSERT INTO ORD (title, amount) VALUES (?, ?), (?, ?),\n(?, ?)", []any{"a", "1", "b", "2", "c", "lots"}, true},
		{"a bad type in row 2", "INSERT INTO ORD (title, amount) VALUES (?, ?), (?, ?)", []any{"a", "1", struct{}{}, "2"}, true},
		{"NaN in row 2", "INSERT INTO ORD (title, amount) VALUES (?, ?), (?, ?)", []any{"a", "1", "b", math.NaN()}, true},
		{"too few arguments", "INSERT INTO ORD (title, amount) VALUES (?, ?), (?, ?)", []any{"a", "1", "b"}, true},
		{"a column Kintone sets", "INSERT INTO ORD (title, total) VALUES (?, ?), (?, ?)", []any{"a", "1", "b", "2"}, true},
		{"an unknown table", "INSERT INTO NOPE (title) VALUES (?), (?)", []any{"a", "b"}, true},
		// Without a column list: the app's writable fields in form order.
		{"no column list", "INSERT INTO STOCK VALUES (?, ?, ?, ?), (?, ?, ?, ?), (?, ?, ?, ?)",
			[]any{int64(1), "s1", "one", int64(10), int64(2), "s2", "two", nil, int64(3), "s3", "three", "30"}, true},
		{"no column list, a row too short", "INSERT INTO STOCK VALUES (?, ?, ?), (?, ?, ?)",
			[]any{int64(1), "s1", "one", int64(2), "s2", "two"}, true},
		{"no column list, upsert", "INSERT INTO STOCK VALUES (?, ?, ?, ?), (?, ?, ?, ?) ON DUPLICATE KEY UPDATE code = VALUES(code), name = VALUES(name), qty = VALUES(qty)",
			[]any{int64(1), "s1", "one", int64(10), int64(2), "s2", "two", nil}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parsed, err := parse.Parse(tt.sql) // fails when the statement mixes ? and :name
			if got := err == nil && bind.NewText(parsed).Run != nil; got != tt.run {
				t.Errorf("fast path taken: %v, want %v", got, tt.run)
			}
			fast, fastErr := Translate(context.Background(), tt.sql, writeSchema(), Options{Location: loc}, args(tt.args...))
			slow, slowErr := Translate(context.Background(), tt.sql, writeSchema(), Options{Location: loc, noValuesRun: true}, args(tt.args...))
			if (fastErr == nil) != (slowErr == nil) || fastErr != nil && fastErr.Error() != slowErr.Error() {
				t.Fatalf("errors differ:\nfast path: %v\nparser:    %v", fastErr, slowErr)
			}
			if fastErr != nil {
				if reflect.TypeOf(fastErr) != reflect.TypeOf(slowErr) {
					t.Errorf("error types differ: %T and %T", fastErr, slowErr)
				}
				return
			}
			if !reflect.DeepEqual(fast, slow) {
				t.Errorf("plans differ:\nfast path: %+v\nparser:    %+v", fast, slow)
			}
		})
	}
}

// TestValuesRunErrorsNameTheRow checks that an argument that does not fit,
// far into a run, is reported with its row, column, ordinal and place.
func TestValuesRunErrorsNameTheRow(t *testing.T) {
	const rows = 1000
	sql := "INSERT INTO ORD (title, amount) VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?),\n", rows), ",\n")
	vs := make([]any, 0, 2*rows)
	for i := range rows {
		vs = append(vs, "t", int64(i))
	}
	vs[2*776+1] = "many" // row 777's amount
	_, err := Translate(context.Background(), sql, writeSchema(), Options{}, args(vs...))
	var ve *ValueError
	var ae *sqlerr.ArgError
	if !errors.As(err, &ve) || !errors.As(err, &ae) {
		t.Fatalf("err = %v, want a *ValueError wrapping an *ArgError", err)
	}
	if ve.Row != 777 || ve.Column != "amount" || ae.Ordinal != 2*777 || ae.Pos.Line != 777 || ae.Pos.Column != 5 {
		t.Errorf("row %d, column %s, ordinal %d at %v; want row 777, amount, ordinal 1554 at line 777, column 5 (%v)",
			ve.Row, ve.Column, ae.Ordinal, ae.Pos, err)
	}
}

// TestValuesRunIsLexedOnce checks that the rows of a run leave no nodes
// and no placeholder records behind, while NumInput counts them all.
func TestValuesRunIsLexedOnce(t *testing.T) {
	const rows, cols = 5000, 20
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	sql := "INSERT INTO ORD (title) VALUES " + strings.TrimSuffix(strings.Repeat(row+", ", rows), ", ")
	parsed, err := parse.Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	src := bind.NewText(parsed)
	if src.NumQ != rows*cols || len(src.Params) != cols || parsed.NumInput() != rows*cols {
		t.Errorf("nQ %d, %d params, NumInput %d; want %d, %d, %d", src.NumQ, len(src.Params), parsed.NumInput(), rows*cols, cols, rows*cols)
	}
	ins := parsed.Stmt.(*parse.Insert)
	if len(ins.Rows) != 1 || ins.Run == nil || ins.Run.Rows() != rows-1 || ins.Run.End() != len(sql) {
		t.Errorf("%d rows parsed and a run of %v; want the first row parsed and a run of the %d others to the end", len(ins.Rows), ins.Run, rows-1)
	}
}

// TestValuesRunBoundInSharesReportsTheFirstBadRow binds a run large
// enough to be split between goroutines, with bad values in two shares:
// the error is the lowest row's, as if bound in order, and the items are
// in row order when all is well.
func TestValuesRunBoundInSharesReportsTheFirstBadRow(t *testing.T) {
	const rows = 4 * runShare
	sql := "INSERT INTO ORD (title, amount) VALUES " + strings.TrimSuffix(strings.Repeat("(?, ?), ", rows), ", ")
	vs := make([]any, 0, 2*rows)
	for i := range rows {
		vs = append(vs, "t"+strconv.Itoa(i), int64(i))
	}
	st, err := Translate(context.Background(), sql, writeSchema(), Options{}, args(vs...))
	if err != nil {
		t.Fatal(err)
	}
	items := st.(*Insert).Items
	for i, it := range items {
		if it.Row != int64(i+1) || string(it.Record["title"]) != `"t`+strconv.Itoa(i)+`"` || string(it.Record["amount"]) != `"`+strconv.Itoa(i)+`"` {
			t.Fatalf("item %d: row %d, %s", i, it.Row, writeJSON(t, it.Record))
		}
	}
	vs[2*3500+1] = "late"  // row 3501, in the last share
	vs[2*1200+1] = "early" // row 1201, in the second share
	vs[2*1100] = []int{1}  // row 1101's title: a type no column takes
	_, err = Translate(context.Background(), sql, writeSchema(), Options{}, args(vs...))
	var ve *ValueError
	if !errors.As(err, &ve) || ve.Row != 1101 || ve.Column != "title" {
		t.Fatalf("err = %v, want row 1101's title", err)
	}
	vs[2*1100] = "t"
	_, err = Translate(context.Background(), sql, writeSchema(), Options{}, args(vs...))
	if !errors.As(err, &ve) || ve.Row != 1201 || ve.Column != "amount" {
		t.Fatalf("err = %v, want row 1201's amount", err)
	}
}

// TestValuesRunStopsWhenCanceled checks that binding a large run gives up
// on a canceled context.
func TestValuesRunStopsWhenCanceled(t *testing.T) {
	const rows = 3 * runShare
	sql := "INSERT INTO ORD (title) VALUES " + strings.TrimSuffix(strings.Repeat("(?), ", rows), ", ")
	vs := make([]any, rows)
	for i := range vs {
		vs[i] = "x"
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p, err := Prepare(context.Background(), sql, writeSchema(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Bind(ctx, args(vs...)); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// TestValuesRunMissingArgumentHasItsPlace checks that an argument missing
// from a run's rows (two given the same ordinal: only a direct caller of
// Bind can do that) is reported at its placeholder, as the parser's path
// reports it.
func TestValuesRunMissingArgumentHasItsPlace(t *testing.T) {
	sql := "INSERT INTO ORD (title, amount) VALUES (?, ?), (?, ?),\n  (?, ?)"
	for _, missing := range []int{2, 4, 6} {
		a := args("a", "1", "b", "2", "c", "3")
		a[missing-1].Ordinal = missing - 1 // a duplicate: ordinal missing is absent
		fast, fastErr := Translate(context.Background(), sql, writeSchema(), Options{}, a)
		_, slowErr := Translate(context.Background(), sql, writeSchema(), Options{noValuesRun: true}, a)
		var ae *sqlerr.ArgError
		if fast != nil || !errors.As(fastErr, &ae) || ae.Ordinal != missing || ae.Pos.Line == 0 {
			t.Fatalf("ordinal %d: err = %v, want a positioned *ArgError for it", missing, fastErr)
		}
		if slowErr == nil || fastErr.Error() != slowErr.Error() {
			t.Errorf("ordinal %d:\nfast path: %v\nparser:    %v", missing, fastErr, slowErr)
		}
	}
}

// FuzzValuesRunMatchesTheParser translates random statements, seeded with
// bulk INSERTs of every shape, with and without the fast path: the plans
// or the errors must be the same. The arguments are n strings, some of
// them numbers.
func FuzzValuesRunMatchesTheParser(f *testing.F) {
	for _, seed := range []string{
		"INSERT INTO ORD (title, amount) VALUES (?, ?), (?, ?), (?, ?)",
		"INSERT INTO ORD (title) VALUES(?),\n(?)\t,( ? ) ;",
		"INSERT INTO ORD (title, amount) VALUES (?, ?), (?, ?), ('x', 1)",
		"INSERT INTO STOCK (sku, name) VALUES (?, ?), (?, ?) ON DUPLICATE KEY UPDATE name = VALUES(name)",
		"INSERT INTO STOCK (code, name) VALUES (?, ?), (?, ?) ON DUPLICATE KEY UPDATE name = ?",
		"INSERT INTO ORD (title, amount) VALUES (?, /* c */ ?), (?, ?) -- end",
		"INSERT INTO ORD (`title`, 作成者) VALUES (?, ?), (?, ?)",
		"INSERT INTO ORD (title) SELECT title FROM ORD WHERE amount IN (?, ?)",
	} {
		f.Add(seed, uint8(6))
	}
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, sql string, n uint8) {
		if len(sql) > 2000 {
			return
		}
		vs := make([]any, n%40)
		for i := range vs {
			if i%3 == 1 {
				vs[i] = strconv.Itoa(i)
			} else {
				vs[i] = "v" + strconv.Itoa(i)
			}
		}
		fast, fastErr := Translate(ctx, sql, writeSchema(), Options{}, args(vs...))
		slow, slowErr := Translate(ctx, sql, writeSchema(), Options{noValuesRun: true}, args(vs...))
		if (fastErr == nil) != (slowErr == nil) || fastErr != nil && fastErr.Error() != slowErr.Error() {
			t.Fatalf("%q: errors differ:\nfast path: %v\nparser:    %v", sql, fastErr, slowErr)
		}
		if fastErr == nil && !reflect.DeepEqual(fast, slow) {
			t.Fatalf("%q: plans differ:\nfast path: %+v\nparser:    %+v", sql, fast, slow)
		}
	})
}
