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
  kintone-sql import TABLE FILE [--format csv|tsv|jsonl] [--upsert-key FIELD] [--batch N]

Inserts the records of FILE ("-": stdin, with --format) into TABLE with
multi-row INSERT statements, or upserts them on the unique field FIELD with
INSERT ... ON DUPLICATE KEY UPDATE. CSV and TSV need a header line of field
codes; an empty field is NULL. TSV is the form export writes (\\, \t, \n and
\r escaped). Columns Kintone computes are left out.
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
}

// importCmd runs `kintone-sql import`.
func (a *app) importCmd(ctx context.Context, conn connOpts, args []string) error {
	fs := a.newFlagSet("import", importUsage)
	addConnFlags(fs.FlagSet, &conn)
	var o importOpts
	fs.StringVar(&o.format, "format", "", "input `format`: csv, tsv or jsonl (default: from the file's extension)")
	fs.StringVar(&o.upsertKey, "upsert-key", "", "update the record whose unique `field` has the row's value, insert when none has")
	fs.IntVar(&o.batch, "batch", maxBatch, "rows per statement, 1 to 2000")
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
			total = countRecords(f, o.format)
			if _, err := f.Seek(0, io.SeekStart); err != nil {
				return fmt.Errorf("import: %w", err)
			}
		}
	}
	var src recordSource
	switch o.format {
	case formatCSV:
		cs, err := newCSVSource(in)
		if err != nil {
			return withCode(exitUsage, fmt.Errorf("import: %s: %w", o.file, err))
		}
		src = cs
	case formatTSV:
		ts, err := newTSVSource(in)
		if err != nil {
			return withCode(exitUsage, fmt.Errorf("import: %s: %w", o.file, err))
		}
		src = ts
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
	im := &importer{a: a, db: s.db, o: o, types: fieldTypes(ctx, s.db, o.table), p: a.startProgress("import "+o.table, total)}
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
	read    int64 // records read
}

// batchPlan is how the records with one column list become statements:
// which columns are kept, and the SQL for a batch of n rows.
type batchPlan struct {
	cols []string // the kept columns
	keep []int    // their indices in the record
	sql  map[int]string
}

// batch is the records waiting to be sent.
type batch struct {
	plan      *batchPlan
	args      []any
	rows      int
	firstRec  int64 // 1-based number of its first record
	firstLine int
}

func (im *importer) run(ctx context.Context, src recordSource) error {
	im.plans = map[string]*batchPlan{}
	var b batch
	for {
		cols, vals, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return im.fail(fmt.Errorf("reading %s: %w", im.o.file, err), im.read+1, im.read+1, 0)
		}
		im.read++
		plan, err := im.plan(cols)
		if err != nil {
			return im.fail(err, im.read, im.read, 0)
		}
		if b.rows > 0 && b.plan != plan {
			if err := im.send(ctx, &b); err != nil {
				return err
			}
		}
		if b.rows == 0 {
			start, _ := src.lines()
			b = batch{plan: plan, firstRec: im.read, firstLine: start}
		}
		for _, i := range plan.keep {
			v, err := importValue(vals[i], im.types[cols[i]])
			if err != nil {
				start, _ := src.lines()
				return im.fail(&inputError{line: start, column: cols[i], err: err}, im.read, im.read, 0)
			}
			b.args = append(b.args, v)
		}
		b.rows++
		if b.rows == im.o.batch {
			if err := im.send(ctx, &b); err != nil {
				return err
			}
		}
	}
	if b.rows > 0 {
		if err := im.send(ctx, &b); err != nil {
			return err
		}
	}
	if !im.a.quiet {
		fmt.Fprintf(im.a.stderr, "kintone-sql: imported %s into %s in %s (%s)\n",
			plural(im.written, "row"), im.o.table, elapsed(im.a.now().Sub(im.p.start)), plural(int64(im.stmts), "statement"))
	}
	return nil
}

// send runs the statement of batch b and empties it.
func (im *importer) send(ctx context.Context, b *batch) error {
	query := b.plan.statement(im.o.table, im.o.upsertKey, b.rows)
	res, err := im.db.ExecContext(ctx, query, b.args...)
	if err != nil {
		return im.fail(err, b.firstRec, b.firstRec+int64(b.rows)-1, b.firstLine)
	}
	n := int64(b.rows)
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
	im.p.add(int64(b.rows))
	*b = batch{}
	return nil
}

// fail builds the error that ends an import: what failed, at which
// records (and from which line of the file, for a statement), and exactly
// how many rows the committed statements wrote. Its exit status is
// exitPartial when rows were written, unless the import was interrupted.
func (im *importer) fail(err error, from, to int64, line int) error {
	where := "record " + thousands(to)
	if from < to {
		where = fmt.Sprintf("records %s-%s", thousands(from), thousands(to))
	}
	if line > 0 {
		where += fmt.Sprintf(" (from line %d)", line)
	}
	written := "no rows were written"
	if im.written > 0 {
		written = fmt.Sprintf("%s written by %s before it, none after",
			plural(im.written, "row"), plural(int64(im.stmts), "statement"))
	}
	e := fmt.Errorf("import into %s failed at %s: %w; %s", im.o.table, where, err, written)
	if im.written > 0 && !errors.Is(err, context.Canceled) {
		return withCode(exitPartial, e)
	}
	return e
}

// plan returns the batch plan of a column list: the columns to send (all
// but the computed ones) and the SQL builder. The upsert key must be one
// of them.
func (im *importer) plan(cols []string) (*batchPlan, error) {
	key := strings.Join(cols, "\x00")
	if p, ok := im.plans[key]; ok {
		return p, nil
	}
	p := &batchPlan{sql: map[int]string{}}
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
		return nil, usageErrorf("--upsert-key %s: the file has no column %q", im.o.upsertKey, im.o.upsertKey)
	}
	if len(p.cols) == 0 {
		return nil, fmt.Errorf("no column to import: the file's columns (%s) are all computed by Kintone", strings.Join(cols, ", "))
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
	for i, c := range p.cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(quoteIdent(c))
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
