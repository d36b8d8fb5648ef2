// Command etl copies the records of one Kintone app into another through
// the kintone-sql database/sql driver, and exports and imports them as CSV.
//
//	etl --from SRC --to DST [--mode insert-select|stream] [--batch N]
//	etl --from SRC --csv FILE     export SRC's records to FILE ("-": stdout)
//	etl --csv FILE --to DST       import FILE's records into DST ("-": stdin)
//
// The DSN comes from --dsn or KINTONE_DSN (for a local emulator, run
// `kintone-sql serve` and use the URL it prints, as admin:admin@...).
// Tables are apps by app code, name, ID or DSN alias.
//
// A copy writes the fields both apps have, except those Kintone computes
// (record number, creator, times, CALC, files). With --mode insert-select
// (the default) the driver runs INSERT INTO DST (...) SELECT ... FROM SRC
// itself; with --mode stream this program reads SRC with one SELECT and
// writes multi-row INSERTs of up to --batch rows. Either way the reads are
// pages of 500 records and the writes bulkRequests of up to 2,000 records,
// each applied atomically by Kintone.
//
// CSV has a header line of field codes; an empty cell is an empty value.
// Dates are written as 2006-01-02, times as 15:04, date-times in RFC 3339
// (UTC), multi-valued fields (check boxes, users, subtables) as JSON.
//
// Exit status: 0 done, 1 failed (the message says how many records were
// written before the failure), 2 usage error.
package main

import (
	"context"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv})
	stop()
	os.Exit(code)
}
