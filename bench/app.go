package main

import (
	"fmt"
	"strconv"

	"github.com/kintone-sql/kintone/kintonetest"
)

// The benchmark app: 20 fields of the common types, plus the system fields
// every app has. Records are a pure function of their index, so the driver
// and the official client insert the same data; peer/peer.mjs builds its
// records with the same formulas (keep the two in step).

// insertColumns are the 20 fields a record write sets, in the order
// rowValues returns their values.
var insertColumns = []string{
	"title", "num", "amount", "color", "day", "at", "tags", "batch", "notes", "link",
	"text10", "text11", "text12", "text13", "text14", "text15", "text16", "text17", "text18", "text19",
}

// seedBatch marks the records the app is loaded with; each insert job marks
// its records with a batch of its own (side and round), which its update
// and delete jobs then select.
const seedBatch = "seed"

// appFields returns the app's fields in form order.
func appFields() []kintonetest.Field {
	fields := []kintonetest.Field{
		{Code: "title", Type: "SINGLE_LINE_TEXT"},
		{Code: "num", Type: "NUMBER"},
		{Code: "amount", Type: "NUMBER"},
		{Code: "color", Type: "DROP_DOWN", Options: []string{"red", "green", "blue"}},
		{Code: "day", Type: "DATE"},
		{Code: "at", Type: "DATETIME"},
		{Code: "tags", Type: "CHECK_BOX", Options: []string{"a", "b", "c"}},
		{Code: "batch", Type: "SINGLE_LINE_TEXT"},
		{Code: "notes", Type: "MULTI_LINE_TEXT"},
		{Code: "link", Type: "LINK", Protocol: "WEB"},
	}
	for _, code := range insertColumns[len(fields):] {
		fields = append(fields, kintonetest.Field{Code: code, Type: "SINGLE_LINE_TEXT"})
	}
	return fields
}

var colors = []string{"red", "green", "blue"}

// rowValues returns record i's values in insertColumns order, as SQL
// arguments: strings, and []string for the checkbox.
func rowValues(i int, batch string) []any {
	v := []any{
		"record " + strconv.Itoa(i),
		strconv.Itoa(i * 7 % 1000),
		fmt.Sprintf("%d.%02d", i*37%100000, i%100),
		colors[i%3],
		fmt.Sprintf("2026-%02d-%02d", 1+i%12, 1+i%28),
		fmt.Sprintf("2026-%02d-%02dT%02d:%02d:00Z", 1+i%12, 1+i%28, i%24, i%60),
		[]string{"a", "b", "c"}[:1+i%3],
		batch,
		"note " + strconv.Itoa(i) + "\nsecond line",
		"https://example.com/r/" + strconv.Itoa(i),
	}
	for j := 10; j < 20; j++ {
		v = append(v, "value "+strconv.Itoa(i*j%9973))
	}
	return v
}

// seedRecord is record i of the seed data, for Server.AddRecords.
func seedRecord(i int) kintonetest.Record {
	r := kintonetest.Record{}
	for k, v := range rowValues(i, seedBatch) {
		r[insertColumns[k]] = v
	}
	return r
}

// The filter of the "read with a filter" and "count" jobs, as SQL and as
// the Kintone query the official client is given. A third of the records
// are red and about half have num >= 500, so the filter matches a sixth.
const (
	filterSQL = "color = 'red' AND num >= 500"
	filterKQL = `color in ("red") and num >= 500`
	countSQL  = "color = 'red'"
	countKQL  = `color in ("red")`
	orderSQL  = "num DESC"
	orderKQL  = "num desc"
)

// The small reads select the seed records of $id 1 to smallIDs (an app's
// records are numbered from 1 in the order they are loaded): fewer than a
// page, so one request is the API's minimum whatever the order.
const (
	smallIDs   = 300
	smallIDSQL = "`$id` <= 300"
	smallIDKQL = "$id <= 300"
)

// The copy job selects the records with num below 500: half of them
// (num = i*7 mod 1000 takes every value once in 1,000 records).
const (
	copySQL = "num < 500"
	copyKQL = "num < 500"
)

// copyMatches counts the seed records of an app of n that match copySQL.
func copyMatches(n int) int {
	c := 0
	for i := range n {
		if num, _ := strconv.Atoi(rowValues(i, seedBatch)[1].(string)); num < 500 {
			c++
		}
	}
	return c
}

// filterMatches counts the seed records of an app of n that match
// filterSQL, and redCount those that match countSQL.
func filterMatches(n int) (filtered, red int) {
	for i := range n {
		v := rowValues(i, seedBatch)
		if v[3] != "red" {
			continue
		}
		red++
		if num, _ := strconv.Atoi(v[1].(string)); num >= 500 {
			filtered++
		}
	}
	return filtered, red
}

// loadApp creates an app named name on srv and fills it with n records.
func loadApp(srv *kintonetest.Server, name string, n int) (int64, error) {
	app, err := srv.CreateApp(kintonetest.App{Name: name, Fields: appFields()})
	if err != nil {
		return 0, fmt.Errorf("creating app %s: %w", name, err)
	}
	const chunk = 10_000
	recs := make([]kintonetest.Record, 0, chunk)
	for i := 0; i < n; i += chunk {
		recs = recs[:0]
		for j := i; j < min(n, i+chunk); j++ {
			recs = append(recs, seedRecord(j))
		}
		if _, err := srv.AddRecords(app, recs...); err != nil {
			return 0, fmt.Errorf("loading app %s: %w", name, err)
		}
	}
	return app, nil
}
