package main

import (
	"bytes"
	"context"
	"database/sql"
	"strconv"
	"testing"
)

// BenchmarkDriverInsert10000 runs the insert job's statement (one INSERT of
// 10,000 rows of 20 placeholders, 5 bulkRequests) through the driver against
// an in-process emulator without latency: the driver's own cost, plus the
// emulator's. Each iteration inserts with a batch of its own, then deletes
// what it inserted outside the timer.
func BenchmarkDriverInsert10000(b *testing.B) {
	const n = 10_000
	e, err := startEnv(0, []int{1}, []job{{key: "insert", write: true}}, "", &bytes.Buffer{})
	if err != nil {
		b.Fatal(err)
	}
	defer e.close()
	db, err := sql.Open("kintone", e.dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	table := "`" + appName(1) + "`"
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		q, args := insertSQL(table, n, "b"+strconv.Itoa(i))
		b.StartTimer()
		res, err := db.ExecContext(ctx, q, args...)
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if got, _ := res.RowsAffected(); got != n {
			b.Fatalf("inserted %d rows, want %d", got, n)
		}
		if _, err := removeInserted(ctx, e, e.apps[1]); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
