package translate

import (
	"context"
	"database/sql/driver"

	"github.com/kintone-sql/kintone/translate/bind"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/parse"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// Prepared is a statement parsed and resolved once, to be bound to
// arguments any number of times (a database/sql prepared statement).
type Prepared struct {
	src      *bind.Text
	schema   catalog.Schema
	opts     Options
	numInput int
	tmpl     *bind.SelectTemplate
	write    writeTemplate // INSERT, UPDATE or DELETE; nil otherwise
	explain  bool
	meta     bool // SHOW or DESCRIBE: rows about the schema, never capped by MaxRows
	// writeTargets marks the SELECT that finds the records of an UPDATE
	// or DELETE: its rows are read while the write goes on, so it pages
	// by keys no change moves only ($id, or keyset on the creation time
	// and $id; see planSelect).
	writeTargets bool
}

// NumInput returns the number of arguments Bind expects: the number of ?
// placeholders, or the number of distinct :name placeholders.
func (p *Prepared) NumInput() int { return p.numInput }

// Translate prepares sql and binds args in one step.
func Translate(ctx context.Context, sql string, schema catalog.Schema, opts Options, args []driver.NamedValue) (Statement, error) {
	p, err := Prepare(ctx, sql, schema, opts)
	if err != nil {
		return nil, err
	}
	return p.Bind(ctx, args)
}

// Prepare parses sql, resolves its table and columns through schema and
// checks everything that does not depend on the arguments.
//
// The statements understood are SELECT (on an app, a subtable as a child
// table, information_schema.tables / .columns, or no table at all), SHOW
// [FULL] TABLES [LIKE ... | WHERE ...], SHOW [FULL] COLUMNS / FIELDS FROM t
// [LIKE ... | WHERE ...], DESCRIBE / DESC t [column], EXPLAIN SELECT,
// INSERT, UPDATE or DELETE (which return the plan as rows and never
// write), and the writes INSERT, UPDATE and DELETE (see the package
// documentation). Anything else is an
// *UnsupportedError.
func Prepare(ctx context.Context, sql string, schema catalog.Schema, opts Options) (*Prepared, error) {
	opts = opts.withDefaults()
	parseSQL := parse.Parse
	if opts.noValuesRun {
		parseSQL = parse.ParseRowByRow
	}
	parsed, err := parseSQL(sql)
	if err != nil {
		return nil, err
	}
	src := bind.NewText(parsed)
	p := &Prepared{src: src, schema: schema, opts: opts, numInput: parsed.NumInput()}
	stmt := parsed.Stmt
	if ex, ok := stmt.(*parse.Explain); ok {
		// EXPLAIN SELECT, INSERT, UPDATE or DELETE: the statement is
		// prepared as it is, and Bind returns its plan as rows.
		p.explain = true
		stmt = ex.Stmt
	}
	if err := bind.RefuseUnsupported(src, stmt); err != nil {
		return nil, err
	}
	switch n := stmt.(type) {
	case *parse.Select:
		if p.tmpl, err = bind.PrepareSelect(ctx, src, schema, opts.bind(), n); err != nil {
			return nil, err
		}
		// Type the literals now, so that a bad one fails at Prepare
		// rather than at the first Bind.
		check := &bind.Binder{Text: src, Options: opts.bind()}
		for _, e := range p.tmpl.Exprs() {
			if _, err := check.Bind(e); err != nil {
				return nil, err
			}
		}
		return p, nil
	case *parse.SetOp, *parse.ParenQuery, *parse.With:
		if p.tmpl, err = bind.PrepareQuery(ctx, src, schema, opts.bind(), n.(parse.Query), nil); err != nil {
			return nil, err
		}
		return p, nil
	case *parse.ShowTables:
		p.meta = true
		p.tmpl, err = prepareShowTables(src, opts, n)
		return p, err
	case *parse.ShowColumns:
		p.meta = true
		return p, p.prepareShowColumns(ctx, n)
	case *parse.Describe:
		p.meta = true
		return p, p.prepareDescribe(ctx, n)
	case *parse.Insert, *parse.Update, *parse.Delete:
		if p.write, err = prepareWrite(ctx, src, schema, opts, n); err != nil {
			return nil, err
		}
		return p, p.checkValues()
	}
	return nil, &sqlerr.UnsupportedError{Construct: "this statement", Pos: src.Pos(stmt.Pos())}
}
