package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

const importUsage = `Usage:
  kintone-sql import TABLE FILE [--format csv|tsv|jsonl] [--upsert-key FIELD] [--batch N] [--from-line N]

Inserts the records of FILE ("-": stdin, with --format) into TABLE with
multi-row INSERT statements, or upserts them on the unique field FIELD with
INSERT ... ON DUPLICATE KEY UPDATE. CSV and TSV need a header line of field
codes; an empty field is NULL. TSV is the form export writes (\\, \t, \n and
\r escaped). Columns Kintone computes are left out.

Each statement is applied as a whole or not at all. A failure names the
file's line and column, and the exit status says what was written:
  1  nothing: fix the file and run the same command again
  5  the lines before the one the message names: fix the file and go on
     with --from-line N, which skips the records that start before line N
  3  a statement's answer was lost, so the records of the lines it names
     may or may not be in TABLE: check them before going on
`

// maxBatch is the most rows one statement carries: 20 requests of 100
// records, the most Kintone applies atomically in one bulkRequest.
const maxBatch = 2000

// importFormats are the formats import reads.
var importFormats = []string{formatCSV, formatTSV, formatJSONL}

// computedTypes are the Kintone field types an import leaves out: Kintone
// sets them itself (or, for FILE, the values are download keys that
// cannot be written back).
var computedTypes = map[string]bool{
	"__ID__": true, "__REVISION__": true, "RECORD_NUMBER": true, "CALC": true,
	"STATUS": true, "STATUS_ASSIGNEE": true, "CATEGORY": true,
	"CREATOR": true, "MODIFIER": true, "CREATED_TIME": true, "UPDATED_TIME": true,
	"FILE": true,
}

// importOpts are the flags of import.
type importOpts struct {
	table, file string
	format      string
	upsertKey   string
	batch       int
	fromLine    int
}

// importCmd runs `kintone-sql import`.
func (a *app) importCmd(ctx context.Context, conn connOpts, args []string) error {
	fs := a.newFlagSet("import", importUsage)
	addConnFlags(fs.FlagSet, &conn)
	var o importOpts
	fs.StringVar(&o.format, "format", "", "input `format`: csv, tsv or jsonl (default: from the file's extension)")
	fs.StringVar(&o.upsertKey, "upsert-key", "", "update the record whose unique `field` has the row's value, insert when none has")
	fs.IntVar(&o.batch, "batch", maxBatch, "rows per statement, 1 to 2000")
	fs.IntVar(&o.fromLine, "from-line", 0, "skip the records that start before line `N` of FILE (the line a failed import says to go on from)")
	fs.BoolVar(&a.quiet, "quiet", a.quiet, "print no summary, progress or notices on stderr")
	fs.BoolVar(&a.quiet, "q", a.quiet, "short for --quiet")
	pos, err := parseInterspersed(fs.FlagSet, args)
	if err != nil {
		return flagError(fs, err)
	}
	if len(pos) != 2 {
		return usageErrorf("import: want TABLE and FILE, got %d arguments", len(pos))
	}
	o.table, o.file = pos[0], pos[1]
	if o.batch < 1 || o.batch > maxBatch {
		return usageErrorf("--batch: want 1 to %d, not %d", maxBatch, o.batch)
	}
	if o.fromLine < 0 {
		return usageErrorf("--from-line: want a line number, 1 or more, not %d", o.fromLine)
	}
	if o.format == "" {
		switch strings.ToLower(filepath.Ext(o.file)) {
		case ".csv":
			o.format = formatCSV
		case ".tsv":
			o.format = formatTSV
		case ".jsonl", ".ndjson", ".json":
			o.format = formatJSONL
		default:
			return usageErrorf("import: cannot tell the format of %q from its name: give --format csv, tsv or jsonl", o.file)
		}
	}
	if o.format, err = checkFormat(o.format, importFormats); err != nil {
		return err
	}

	var in io.Reader = a.stdin
	total := int64(-1)
	if o.file != "-" {
		f, err := os.Open(o.file)
		if err != nil {
			return withCode(exitUsage, fmt.Errorf("import: %w", err))
		}
		defer f.Close()
		in = f
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && a.stderrTTY && !a.quiet {
			total = countRecords(f, o.format, o.fromLine)
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				return fmt.Errorf("import: %w", err)
			}
		}
	}
	var (
		src    recordSource
		header int
	)
	switch o.format {
	case formatCSV:
		cs, err := newCSVSource(in)
		if err != nil {
			return withCode(exitUsage, fmt.Errorf("import: %w", inFile(o.file, err)))
		}
		src, header = cs, cs.head
	case formatTSV:
		ts, err := newTSVSource(in)
		if err != nil {
			return withCode(exitUsage, fmt.Errorf("import: %w", inFile(o.file, err)))
		}
		src, header = ts, 1
	default:
		src = newJSONLSource(in)
	}

	ctx, stop := a.interruptible(ctx)
	defer stop()
	s, err := a.connect(ctx, conn)
	if err != nil {
		return err
	}
	defer s.close()
	im := &importer{a: a, db: s.db, o: o, header: header, types: fieldTypes(ctx, s.db, o.table), p: a.startProgress("import "+o.table, total)}
	err = im.run(ctx, src)
	im.p.finish()
	return err
}

// fieldTypes returns the Kintone type of each column of table, from SHOW
// COLUMNS; nil when that fails (then only $id and $revision are known to
// be computed).
func fieldTypes(ctx context.Context, db *sql.DB, table string) map[string]string {
	rows, err := db.QueryContext(ctx, "SHOW COLUMNS FROM "+quoteIdent(table))
	if err != nil {
		return nil
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil || len(names) < 2 {
		return nil
	}
	fieldCol, typeCol := 0, 1
	for i, n := range names {
		switch strings.ToLower(n) {
		case "field":
			fieldCol = i
		case "type":
			typeCol = i
		}
	}
	vals := make([]sql.NullString, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	types := map[string]string{}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil
		}
		types[vals[fieldCol].String] = strings.ToUpper(vals[typeCol].String)
	}
	if rows.Err() != nil {
		return nil
	}
	return types
}

// importer sends an import's records in batches and keeps count.
type importer struct {
	a     *app
	db    *sql.DB
	o     importOpts
	types map[string]string // nil: unknown
	p     *progress

	// plans caches the projection of each distinct column list.
	plans map[string]*batchPlan

	written int64 // rows of the committed statements
	stmts   int   // committed statements
	skipped int64 // records before --from-line
	header  int   // the line of the header of CSV and TSV, 0 for JSON lines
	// firstLine and lastLine are the lines of the file that the
	// committed statements' records span; 0 before the first.
	firstLine, lastLine int
}

// batchPlan is how the records with one column list become statements:
// which columns are kept, and the SQL for a batch of n rows.
type batchPlan struct {
	cols []string // the kept columns
	keep []int    // their indices in the record
	sql  map[int]string
	// names are the byte ranges of the columns' names in the
	// statement's column list, the same for every n: an error the
	// translator places there is about that column of the file.
	names [][2]int
	// headerLine is the line the columns come from: the header line of
	// CSV and TSV, the first record's line for JSON lines.
	headerLine int
}

// batch is the records waiting to be sent.
type batch struct {
	plan *batchPlan
	args []any
	// starts are the lines on which its records start; end the line on
	// which the last one ends.
	starts []int
	end    int
}

// lines are the lines of the file that the batch's records span.
func (b *batch) lines() lineRange { return lineRange{b.starts[0], b.end} }

func (im *importer) run(ctx context.Context, src recordSource) error {
	im.plans = map[string]*batchPlan{}
	var b batch
	for {
		cols, vals, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return im.stopped(ctx, err, &b)
		}
		start, end := src.lines()
		if start < im.o.fromLine {
			if end >= im.o.fromLine {
				return usageErrorf("--from-line %d: line %d is inside the record on lines %d-%d of %s: give --from-line %d to import that record, or %d to start after it",
					im.o.fromLine, im.o.fromLine, start, end, im.fileName(), start, end+1)
			}
			im.skipped++
			continue
		}
		plan, err := im.plan(cols, start)
		if err != nil {
			return im.stopped(ctx, err, &b)
		}
		if len(b.starts) > 0 && b.plan != plan {
			if err := im.send(ctx, &b); err != nil {
				return err
			}
		}
		if len(b.starts) == 0 {
			b = batch{plan: plan}
		}
		for _, i := range plan.keep {
			v, err := importValue(vals[i], im.types[cols[i]])
			if err != nil {
				return im.stopped(ctx, &inputError{line: start, column: cols[i], err: err}, &b)
			}
			b.args = append(b.args, v)
		}
		b.starts = append(b.starts, start)
		b.end = end
		if len(b.starts) == im.o.batch {
			if err := im.send(ctx, &b); err != nil {
				return err
			}
		}
	}
	if len(b.starts) > 0 {
		if err := im.send(ctx, &b); err != nil {
			return err
		}
	}
	if !im.a.quiet {
		from := ""
		if im.o.fromLine > 0 {
			from = fmt.Sprintf(", from line %d of %s", im.o.fromLine, im.fileName())
		}
		fmt.Fprintf(im.a.stderr, "kintone-sql: imported %s into %s in %s (%s%s)\n",
			plural(im.written, "row"), im.o.table, elapsed(im.a.now().Sub(im.p.start)), plural(int64(im.stmts), "statement"), from)
	}
	return nil
}

// send runs the statement of batch b and empties it.
func (im *importer) send(ctx context.Context, b *batch) error {
	query := b.plan.statement(im.o.table, im.o.upsertKey, len(b.starts))
	res, err := im.db.ExecContext(ctx, query, b.args...)
	if err != nil {
		return im.failed(ctx, err, b)
	}
	n := int64(len(b.starts))
	if im.o.upsertKey == "" {
		// Rows affected of a plain INSERT is the rows inserted. (With
		// ON DUPLICATE KEY UPDATE, MySQL's convention counts an
		// updated row twice, so the batch's size is the count.)
		if affected, err := res.RowsAffected(); err == nil {
			n = affected
		}
	}
	im.written += n
	im.stmts++
	if im.firstLine == 0 {
		im.firstLine = b.starts[0]
	}
	im.lastLine = b.end
	im.p.add(int64(len(b.starts)))
	*b = batch{}
	return nil
}

// fileName names the import file in messages.
func (im *importer) fileName() string { return fileName(im.o.file) }

// inFile is err, a problem with the import file, naming the file.
func inFile(file string, err error) error {
	var ie *inputError
	if errors.As(err, &ie) {
		return fmt.Errorf("%s %w", fileName(file), err)
	}
	return fmt.Errorf("%s: %w", fileName(file), err)
}

// fileName names the import file given as file in messages.
func fileName(file string) string {
	if file == "-" {
		return "stdin"
	}
	return file
}

// plan returns the batch plan of a column list: the columns to send (all
// but the computed ones) and the SQL builder. The upsert key must be one
// of them.
func (im *importer) plan(cols []string, line int) (*batchPlan, error) {
	key := strings.Join(cols, "\x00")
	if p, ok := im.plans[key]; ok {
		return p, nil
	}
	p := &batchPlan{sql: map[int]string{}, headerLine: line}
	if im.header > 0 {
		p.headerLine = im.header
	}
	var skipped []string
	for i, c := range cols {
		if c != im.o.upsertKey && im.computed(c) {
			skipped = append(skipped, c)
			continue
		}
		p.cols = append(p.cols, c)
		p.keep = append(p.keep, i)
	}
	if im.o.upsertKey != "" && !slices.Contains(p.cols, im.o.upsertKey) {
		return nil, &inputError{line: p.headerLine, err: usageErrorf("--upsert-key %s: the file has no column %q", im.o.upsertKey, im.o.upsertKey)}
	}
	if len(p.cols) == 0 {
		return nil, &inputError{line: p.headerLine, err: fmt.Errorf("no column to import: the file's columns (%s) are all computed by Kintone", strings.Join(cols, ", "))}
	}
	if len(skipped) > 0 && len(im.plans) == 0 && !im.a.quiet {
		fmt.Fprintf(im.a.stderr, "kintone-sql: leaving out columns that Kintone computes: %s\n", strings.Join(skipped, ", "))
	}
	im.plans[key] = p
	return p, nil
}

// computed reports whether column c is one Kintone sets itself.
func (im *importer) computed(c string) bool {
	if t, ok := im.types[c]; ok {
		return computedTypes[t]
	}
	switch strings.ToLower(c) {
	case "$id", "$revision":
		return true
	}
	return false
}

// statement returns the INSERT of n rows, with ON DUPLICATE KEY UPDATE of
// every other column when upsertKey is set.
func (p *batchPlan) statement(table, upsertKey string, n int) string {
	if s, ok := p.sql[n]; ok {
		return s
	}
	var b strings.Builder
	b.WriteString("INSERT INTO ")
	b.WriteString(quoteIdent(table))
	b.WriteString(" (")
	p.names = p.names[:0]
	for i, c := range p.cols {
		if i > 0 {
			b.WriteString(", ")
		}
		at := b.Len()
		b.WriteString(quoteIdent(c))
		p.names = append(p.names, [2]int{at, b.Len()})
	}
	b.WriteString(") VALUES ")
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(p.cols)), ", ") + ")"
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(tuple)
	}
	if upsertKey != "" {
		b.WriteString(" ON DUPLICATE KEY UPDATE ")
		first := true
		for _, c := range p.cols {
			if c == upsertKey && len(p.cols) > 1 {
				continue
			}
			if !first {
				b.WriteString(", ")
			}
			first = false
			fmt.Fprintf(&b, "%s = VALUES(%s)", quoteIdent(c), quoteIdent(c))
		}
	}
	s := b.String()
	p.sql[n] = s
	return s
}

// importValue converts a raw value of an import file into a statement
// argument for a field of Kintone type typ ("" when unknown): NULL stays
// nil; a JSON number becomes its exact text; a list of strings, or the
// JSON text of one in a CSV field of a check-box or multi-select field,
// becomes []string; users, organizations and groups become their codes;
// other JSON (a subtable) becomes its JSON text.
func importValue(raw any, typ string) (any, error) {
	switch v := raw.(type) {
	case nil:
		return nil, nil
	case string:
		if typ == "SUBTABLE" {
			return newSubtableRows(v), nil
		}
		if strings.HasPrefix(v, "[") && multiValued[typ] && typ != "SUBTABLE" {
			if list, ok := parseStringList(json.RawMessage(v)); ok {
				return listValue(list), nil
			}
		}
		return v, nil
	case json.RawMessage:
		var x any
		if err := json.Unmarshal(v, &x); err != nil {
			return nil, err
		}
		switch x := x.(type) {
		case string:
			return importValue(x, typ)
		case bool:
			return x, nil
		case float64:
			return string(v), nil // the exact text, not a rounded float
		case []any:
			if typ == "SUBTABLE" {
				return newSubtableRows(string(v)), nil
			}
			{
				if list, ok := parseStringList(v); ok {
					return listValue(list), nil
				}
			}
		case map[string]any:
			if code, ok := x["code"].(string); ok && typ != "SUBTABLE" {
				return code, nil
			}
		}
		return string(v), nil
	}
	return raw, nil
}

// newSubtableRows drops the row IDs from the JSON text of a subtable's
// rows: they are IDs of the exported app's rows, so the imported record
// gets new rows. Text that is not a list of rows is returned unchanged.
func newSubtableRows(text string) string {
	var rows []map[string]json.RawMessage
	if json.Unmarshal([]byte(text), &rows) != nil {
		return text
	}
	for _, r := range rows {
		delete(r, "id")
	}
	b, err := json.Marshal(rows)
	if err != nil {
		return text
	}
	return string(b)
}

// listValue is a list as an argument: nil (NULL) when empty.
func listValue(list []string) any {
	if len(list) == 0 {
		return nil
	}
	return list
}

// parseStringList reads a JSON array of strings, or of objects with a "code"
// (users, organizations, groups), as a list of strings. An empty array is
// NULL (nil with ok).
func parseStringList(text json.RawMessage) ([]string, bool) {
	var items []json.RawMessage
	if err := json.Unmarshal(text, &items); err != nil {
		return nil, false
	}
	if len(items) == 0 {
		return nil, true
	}
	out := make([]string, len(items))
	for i, it := range items {
		var s string
		if json.Unmarshal(it, &s) == nil {
			out[i] = s
			continue
		}
		var ent struct {
			Code *string `json:"code"`
		}
		if json.Unmarshal(it, &ent) != nil || ent.Code == nil {
			return nil, false
		}
		out[i] = *ent.Code
	}
	return out, true
}
