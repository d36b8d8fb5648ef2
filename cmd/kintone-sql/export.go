package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
)

const exportUsage = `Usage:
  kintone-sql export TABLE [--format csv|tsv|jsonl] [--where COND] [-o FILE]

Writes SELECT * FROM TABLE [WHERE COND] to stdout (or FILE), streaming the
rows. TABLE is an app code, name or ID.
`

// exportFormats are the formats export writes: the streaming ones.
var exportFormats = []string{formatCSV, formatTSV, formatJSONL}

// exportCmd runs `kintone-sql export`.
func (a *app) exportCmd(ctx context.Context, conn connOpts, args []string) error {
	fs := a.newFlagSet("export", exportUsage)
	addConnFlags(fs.FlagSet, &conn)
	format := fs.String("format", formatCSV, "output `format`: csv, tsv or jsonl")
	where := fs.String("where", "", "export only the records matching this SQL `condition`")
	output := fs.String("o", "", "write to `file` instead of stdout")
	header := fs.Bool("header", true, "write the header line of csv and tsv")
	fs.BoolVar(&a.quiet, "quiet", a.quiet, "print no summary, progress or notices on stderr")
	fs.BoolVar(&a.quiet, "q", a.quiet, "short for --quiet")
	pos, err := parseInterspersed(fs.FlagSet, args)
	if err != nil {
		return flagError(fs, err)
	}
	if len(pos) != 1 {
		return usageErrorf("export: want one TABLE, got %d arguments", len(pos))
	}
	table := pos[0]
	f, err := checkFormat(*format, exportFormats)
	if err != nil {
		return err
	}
	from := " FROM " + quoteIdent(table)
	if w := strings.TrimSpace(*where); w != "" {
		from += " WHERE " + w
	}

	ctx, stop := a.interruptible(ctx)
	defer stop()
	s, err := a.connect(ctx, conn)
	if err != nil {
		return err
	}
	defer s.close()

	var (
		w    io.Writer = a.stdout
		dest           = "stdout"
		file *os.File
	)
	if *output != "" {
		if file, err = os.Create(*output); err != nil {
			return withCode(exitUsage, fmt.Errorf("-o: %w", err))
		}
		defer file.Close()
		w, dest = file, *output
	}

	total := int64(-1)
	if a.stderrTTY && !a.quiet {
		// Only a progress bar needs the total; counting is one cheap
		// request, and a failure just leaves the total unknown.
		if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*)"+from).Scan(&total); err != nil {
			total = -1
		}
	}
	start := a.now()
	query := "SELECT *" + from
	if s.maxRows > 0 {
		// An export reads every record: the DSN's maxRows (a LIMIT for
		// SELECTs without one) would cut it short without a word. An
		// explicit LIMIT lifts it (MySQL's idiom for "no limit").
		query += " LIMIT 9223372036854775807"
	}
	rows, err := s.db.QueryContext(ctx, query)
	if err != nil {
		return err
	}
	defer rows.Close()
	p := a.startProgress("export "+table, total)
	n, err := writeRows(rows, newResultWriter(f, w, writerOptions{header: *header}), p)
	p.finish()
	if err == nil && file != nil {
		err = file.Close()
	}
	if err != nil {
		return fmt.Errorf("export of %s stopped after %s to %s: %w", table, plural(n, "row"), dest, err)
	}
	if !a.quiet {
		fmt.Fprintf(a.stderr, "kintone-sql: exported %s from %s to %s in %s\n", plural(n, "row"), table, dest, elapsed(a.now().Sub(start)))
	}
	return nil
}

// quoteIdent quotes a table or column name with backquotes, unless it is
// quoted already.
func quoteIdent(name string) string {
	if len(name) >= 2 && strings.HasPrefix(name, "`") && strings.HasSuffix(name, "`") {
		return name
	}
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}
