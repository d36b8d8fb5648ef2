package kql

import (
	"strconv"
	"strings"
	"testing"
)

// benchQueries are a typical seek page, a long in list as the clients send
// it, and a condition using most of the grammar.
func benchQueries() map[string]string {
	values := make([]string, 300)
	for i := range values {
		values[i] = strconv.Quote("seed-" + strconv.Itoa(i))
	}
	return map[string]string{
		"seek":    `(num >= 10 or title = "seed-00001") and $id > 558 order by $id asc limit 500`,
		"inlist":  `title in (` + strings.Join(values, ", ") + `) order by $id asc limit 500`,
		"grammar": `a = "x \"y\"" and (b in (-1, 2.5, TODAY()) or 日付 >= FROM_TODAY(-30, DAYS)) and c not like "k" and d is not empty order by a asc, b desc limit 100 offset 200`,
	}
}

func BenchmarkParse(b *testing.B) {
	for name, query := range benchQueries() {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(query)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(query); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkString(b *testing.B) {
	for name, query := range benchQueries() {
		q, err := Parse(query)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(query)))
			b.ReportAllocs()
			for b.Loop() {
				_ = q.String()
			}
		})
	}
}
