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
// A script from a file or stdin is read whole and may hold up to 64 MiB.
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
// The rows an INSERT, UPDATE or DELETE affected and the time taken go to
// stderr in every format, as "(3 rows affected, 12 ms)", so that they show
// when stdout is piped and never mix with the data; in table format, so do
// a query's row count and time. --quiet leaves them out. NULL is
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
// field is NULL), TSV as export writes it (the same, tab-separated, with
// \\, \t, \n and \r escaped) or JSON lines (one object per record), keeping
// every character of the values: an export imports back exactly, line
// breaks (CRLF, CR or LF) included. The file is streamed, one record of at
// most 64 MiB at a time. It sends multi-row
// INSERT statements of up to --batch rows (default and maximum 2,000, the
// most Kintone applies atomically in one bulkRequest), or, with
// --upsert-key FIELD, INSERT ... ON DUPLICATE KEY UPDATE keyed on that
// unique field:
//
//	kintone-sql import TABLE FILE [--format csv|tsv|jsonl] [--upsert-key FIELD] [--batch N] [--from-line N]
//
// Columns that Kintone computes ($id, $revision, record number, calculated,
// status, creator, modifier and their times) are left out, so that an
// export imports into another app. Export and import draw progress (rows,
// rows per second, and the time left when the total is known) on stderr
// when it is a terminal and the work takes more than a second.
//
// Each statement of an import is applied by Kintone as a whole or not at
// all. When an import fails, its message names the file, the line on which
// the failing record starts (counting the lines of multi-line fields) and
// the column's header, says which lines were written, and gives the
// --from-line N to go on from once the file is fixed: --from-line skips
// the records that start before line N. When the answer to a statement is
// lost after it was sent (the connection dropped, a proxy answered in
// Kintone's place, the answer could not be read), its records may or may
// not be in Kintone: the import sends nothing more, names those lines,
// and exits with status 3, so that a script does not send them twice.
//
// Serve runs the emulator with the same flags as kintone-emulator (see its
// documentation): the base URL is the first line on stdout.
//
// Errors are one line on stderr, without stack traces; no message ever
// shows a password, API token or other secret of the DSN. Exit codes:
//
//	0    success: every statement ran, every row was written
//	1    a statement or the command failed, and nothing was written by the
//	     run: running it again is safe
//	2    usage: bad flags or arguments, an unreadable input file, or a DSN
//	     that does not parse; nothing was written
//	3    outcome unknown: a write was sent but no clear answer came back,
//	     so its rows may or may not be in Kintone, and nothing after it was
//	     sent; the message says which rows (for an import, which lines of
//	     the file) and how many were committed before: check those rows
//	     before running again
//	4    Kintone could not be reached, or refused the login; nothing was
//	     written
//	5    partial write: a write failed and was not applied, after earlier
//	     writes of the run were committed (an import, a statement of
//	     several batches, or a script whose earlier statements wrote); the
//	     message says what was written and, for an import, the
//	     --from-line to go on from
//	130  interrupted by Ctrl-C or SIGTERM; the message says what was
//	     written (the status is 3 when a write in flight has an unknown
//	     outcome)
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
