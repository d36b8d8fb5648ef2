package translate

import (
	"context"
	"database/sql/driver"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/internal/field"
	"github.com/kintone-sql/kintone/translate/catalog"
)

// BenchmarkTranslate parses, resolves and plans a typical SELECT.
func BenchmarkTranslate(b *testing.B) {
	ctx := context.Background()
	schema := testSchema()
	const sql = "SELECT title, amount, due FROM ORD WHERE amount >= ? AND status IN ('open', 'on hold') AND title LIKE ? ORDER BY due DESC LIMIT 50"
	a := args(int64(10), "a%")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Translate(ctx, sql, schema, Options{}, a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBind binds a prepared statement, the per-query cost once the
// driver caches prepared statements.
func BenchmarkBind(b *testing.B) {
	ctx := context.Background()
	p, err := Prepare(ctx, "SELECT title, amount, due FROM ORD WHERE amount >= ? AND title = ? ORDER BY due DESC LIMIT 50", testSchema(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	a := args(int64(10), "x")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Bind(ctx, a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPipeline streams 500 records (one page) through a residual
// filter and a projection.
func BenchmarkPipeline(b *testing.B) {
	s := planOf(b, "SELECT $id, title, amount * 2 FROM ORD WHERE title LIKE 'a%' AND amount > 3", Options{})
	recs := make([]catalog.Record, 500)
	for i := range recs {
		recs[i] = catalog.Record{"$id": int64(i + 1), "title": "apple", "amount": field.Decimal(catalog.FormatInt(int64(i)))}
	}
	dest := make([]driver.Value, len(s.Columns))
	b.ReportAllocs()
	for b.Loop() {
		rows := s.Run(sliceSource(recs))
		for {
			if err := rows.Next(dest); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkTranslateInsert2000 translates a 2,000-row INSERT ... VALUES
// with placeholders (one bulkRequest's worth), the shape of a bulk load.
func BenchmarkTranslateInsert2000(b *testing.B) {
	ctx := context.Background()
	schema := testSchema()
	var sb strings.Builder
	sb.WriteString("INSERT INTO ORD (title, amount) VALUES ")
	a := make([]driver.NamedValue, 0, 4000)
	for i := range 2000 {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("(?, ?)")
		a = append(a, driver.NamedValue{Ordinal: len(a) + 1, Value: "row"}, driver.NamedValue{Ordinal: len(a) + 2, Value: int64(i)})
	}
	sql := sb.String()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Translate(ctx, sql, schema, Options{}, a); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/2000, "ns/row")
}

// BenchmarkTranslateInsert10000x20 translates the harness's insert job:
// one INSERT of 10,000 rows of 20 placeholders (text, and every fourth
// field a number), five bulkRequests' worth.
func BenchmarkTranslateInsert10000x20(b *testing.B) {
	ctx := context.Background()
	schema := wideSchema(20)
	var sb strings.Builder
	sb.WriteString("INSERT INTO WIDE (")
	for j := range 20 {
		if j > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(wideField(j))
	}
	sb.WriteString(") VALUES ")
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", 20), ", ") + ")"
	a := make([]driver.NamedValue, 0, 200_000)
	for i := range 10_000 {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(row)
		for j := range 20 {
			var v any = "value " + strconv.Itoa(i*j)
			if j%4 == 1 {
				v = strconv.Itoa(i * j % 1000)
			}
			a = append(a, driver.NamedValue{Ordinal: len(a) + 1, Value: v})
		}
	}
	sql := sb.String()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Translate(ctx, sql, schema, Options{}, a); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/10_000, "ns/row")
}

// wideField is the code of field j of wideSchema: text, and a number
// every fourth field.
func wideField(j int) string { return "f" + strconv.Itoa(j) }

// wideSchema is an app WIDE of n fields f0..f(n-1).
func wideSchema(n int) *fakeSchema {
	app := &catalog.App{ID: 60, Code: "WIDE", Name: "Wide", Fields: map[string]*field.Property{}}
	for j := range n {
		t := field.SingleLineText
		if j%4 == 1 {
			t = field.Number
		}
		app.Fields[wideField(j)] = prop(wideField(j), t)
		app.Order = append(app.Order, wideField(j))
	}
	return &fakeSchema{apps: []*catalog.App{app}}
}

// BenchmarkSortedLimit reads 20,000 records in pages of 500 into a sorted
// read without a cursor that keeps 5,000 (Read.Sorted with a LIMIT): a
// bounded heap, so the bytes allocated do not grow with pages times LIMIT.
func BenchmarkSortedLimit(b *testing.B) {
	s, err := Translate(context.Background(), "SELECT $id, title FROM ORD ORDER BY title DESC LIMIT 5000", testSchema(), Options{Cursor: CursorAlways}, nil)
	if err != nil {
		b.Fatal(err)
	}
	read := s.(*Select).Read
	recs := bigApp(20000)
	b.ReportAllocs()
	for b.Loop() {
		srt := read.Sorted()
		for i := 0; i < len(recs); i += 500 {
			if err := srt.Add(recs[i : i+500]); err != nil {
				b.Fatal(err)
			}
		}
		if n := len(srt.Rows()); n != 5000 {
			b.Fatalf("%d rows", n)
		}
	}
}
