package parse

import (
	"fmt"
	"strings"
	"testing"

	"github.com/xwb1989/sqlparser"
)

// The benchmarks compare this parser with sqlparser (which translate runs
// after its own lexer pass, not counted here) on a typical SELECT and on
// INSERTs of 2,000 rows, and measure the VALUES run on the harness's
// 10,000 rows of 20 placeholders.

const benchSelect = "SELECT title, amount, due FROM ORD WHERE amount >= ? AND status IN ('open', 'on hold') AND title LIKE ? ORDER BY due DESC LIMIT 50"

// insertSQL is INSERT INTO t (c0, ...) VALUES of rows rows of cols
// values, each "?" or, with literals, a number or a string.
func insertSQL(rows, cols int, literals bool) string {
	var b strings.Builder
	b.WriteString("INSERT INTO t (")
	for j := range cols {
		if j > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "c%d", j)
	}
	b.WriteString(") VALUES ")
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(")
		for j := range cols {
			if j > 0 {
				b.WriteString(", ")
			}
			switch {
			case !literals:
				b.WriteString("?")
			case j%2 == 0:
				fmt.Fprintf(&b, "'row %d'", i)
			default:
				fmt.Fprintf(&b, "%d", i*cols+j)
			}
		}
		b.WriteString(")")
	}
	return b.String()
}

func benchParse(b *testing.B, sql string, runs bool, rows int) {
	b.SetBytes(int64(len(sql)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parse(sql, runs); err != nil {
			b.Fatal(err)
		}
	}
	if rows > 1 {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rows), "ns/row")
	}
}

func benchSQLParser(b *testing.B, sql string, rows int) {
	b.SetBytes(int64(len(sql)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sqlparser.ParseStrictDDL(sql); err != nil {
			b.Fatal(err)
		}
	}
	if rows > 1 {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rows), "ns/row")
	}
}

func BenchmarkSelect(b *testing.B)          { benchParse(b, benchSelect, true, 1) }
func BenchmarkSelectSQLParser(b *testing.B) { benchSQLParser(b, benchSelect, 1) }

// The 2,000-row INSERT of translate's BenchmarkTranslateInsert2000: two
// placeholders a row, through the run, through the plain parser, and
// through sqlparser.
func BenchmarkInsert2000Run(b *testing.B)       { benchParse(b, insertSQL(2000, 2, false), true, 2000) }
func BenchmarkInsert2000Plain(b *testing.B)     { benchParse(b, insertSQL(2000, 2, false), false, 2000) }
func BenchmarkInsert2000SQLParser(b *testing.B) { benchSQLParser(b, insertSQL(2000, 2, false), 2000) }

// 2,000 rows of 20 literals (100,000 tokens): no run, every row parsed.
func BenchmarkInsert2000x20Literals(b *testing.B) {
	benchParse(b, insertSQL(2000, 20, true), true, 2000)
}
func BenchmarkInsert2000x20LiteralsSQLParser(b *testing.B) {
	benchSQLParser(b, insertSQL(2000, 20, true), 2000)
}

// The harness's insert job, 10,000 rows of 20 placeholders: the run,
// and the plain parser on a quarter of it (the whole is past
// MaxStatementTokens without the run).
func BenchmarkInsert10000x20Run(b *testing.B) {
	benchParse(b, insertSQL(10000, 20, false), true, 10000)
}
func BenchmarkInsert2500x20Plain(b *testing.B) {
	benchParse(b, insertSQL(2500, 20, false), false, 2500)
}
