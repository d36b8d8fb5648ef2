// Command kintone-sql runs SQL against Kintone through the database/sql
// driver github.com/kintone-sql/kintone: one statement, a script, an
// interactive shell, CSV/JSON-lines export and import, and the emulator.
//
// Usage:
//
//	kintone-sql [flags] [SQL]            run SQL, or start the shell
//	kintone-sql export TABLE [flags]     write a table's records to stdout
//	kintone-sql import TABLE FILE [flags]  insert (or upsert) records from a file
//	kintone-sql serve [emulator flags]   serve the emulator, as kintone-emulator does
//
// The DSN comes from --dsn or the environment variable KINTONE_DSN (better:
// a command line is visible to other users of the machine). With neither,
// or with --demo, kintone-sql starts the built-in emulator in-process on
// 127.0.0.1 with the demo apps Customers, Orders and Tasks, and says so on
// stderr, so that
//
//	go run ./cmd/kintone-sql "SELECT company, country FROM Customers LIMIT 5"
//
// works on a fresh clone with no account.
//
// The SQL is the argument (several arguments are joined with spaces), or
// -e SQL, or -f FILE ("-" for stdin), or stdin when it is not a terminal.
// A script from a file or stdin is read whole and may hold up to 256 MiB.
// Statements separated by ";" run in order; a semicolon inside quotes,
// backquotes or a comment does not separate. The first failing statement
// stops the run.
//
// With no SQL and stdin a terminal, kintone-sql is an interactive shell:
// line editing, history (kept in the user's configuration directory, or in
// $KINTONE_SQL_HISTORY; "off" keeps none), statements over several lines
// ending with ";", Tab completion of keywords and of table and column names
// (from SHOW TABLES and SHOW COLUMNS), and the commands \d (list tables),
// \d TABLE (describe an app), \f [FORMAT], \? and \q. Ctrl-C drops the
// statement being typed, or cancels the one running; Ctrl-D quits.
//
// Flags of the main command:
//
//	--dsn DSN          the DSN (default $KINTONE_DSN)
//	--demo             use the built-in emulator with the demo apps
//	-e SQL             the SQL to run (repeatable)
//	-f FILE            run the SQL in FILE ("-": stdin)
//	--format F         table, csv, tsv, jsonl or markdown (default: table
//	                   on a terminal, tsv otherwise)
//	--header=false     leave out the header line of csv and tsv
//	--max-width N      cut table cells to N columns (default 60 on a
//	                   terminal, no limit otherwise; 0: no limit)
//	-q, --quiet        no row counts, timings or notices on stderr
//
// In table format, the row count and the time taken go to stderr. NULL is
// printed as NULL in tables and Markdown, as an empty field in CSV and TSV,
// and as null in JSON lines. Multi-valued fields (check boxes, users,
// subtables, files), which the driver returns as JSON text, are printed as
// readable lists in tables and Markdown, and as their JSON in the other
// formats, so that import reads them back.
//
// Export runs SELECT * FROM TABLE [WHERE COND] and streams the rows:
//
//	kintone-sql export TABLE [--format csv|tsv|jsonl] [--where COND] [-o FILE]
//
// Import reads CSV (a header line of field codes, then records; an empty
// field is NULL) or JSON lines (one object per record), streamed, one
// record of at most 64 MiB at a time, and sends multi-row
// INSERT statements of up to --batch rows (default and maximum 2,000, the
// most Kintone applies atomically in one bulkRequest), or, with
// --upsert-key FIELD, INSERT ... ON DUPLICATE KEY UPDATE keyed on that
// unique field:
//
//	kintone-sql import TABLE FILE [--format csv|jsonl] [--upsert-key FIELD] [--batch N]
//
// Columns that Kintone computes ($id, $revision, record number, calculated,
// status, creator, modifier and their times) are left out, so that an
// export imports into another app. Export and import draw progress (rows,
// rows per second, and the time left when the total is known) on stderr
// when it is a terminal and the work takes more than a second. When an
// import fails, its summary says exactly how many rows were written: each
// statement is applied by Kintone as a whole or not at all, so the rows of
// the committed statements are all there and none of the failed one's.
//
// Serve runs the emulator with the same flags as kintone-emulator (see its
// documentation): the base URL is the first line on stdout.
//
// Errors are one line on stderr, without stack traces; no message ever
// shows a password, API token or other secret of the DSN. Exit codes:
//
//	0    success
//	1    a statement or the command failed, and nothing was written by it
//	2    usage: bad flags or arguments, an unreadable input file, or a DSN
//	     that does not parse
//	3    partial write: a write failed after earlier writes of the same run
//	     were committed (an import, or a script whose earlier statements
//	     wrote); the message says what was written
//	4    Kintone could not be reached, or refused the login
//	130  interrupted by Ctrl-C or SIGTERM
package main

import (
	"context"
	"os"

	"golang.org/x/term"
)

func main() {
	os.Exit(newApp(os.Stdin, os.Stdout, os.Stderr).run(context.Background(), os.Args[1:]))
}

// isTerminal reports whether f is a terminal.
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
