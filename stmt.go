package kintone

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"

	"github.com/kintone-sql/kintone/dsn"
	"github.com/kintone-sql/kintone/translate"
)

// stmt is a prepared statement: SQL parsed and resolved against the
// schema once, bound to arguments at each execution.
type stmt struct {
	cn *conn
	p  *translate.Prepared
}

// Compile-time checks of the interfaces stmt implements.
var (
	_ driver.Stmt             = (*stmt)(nil)
	_ driver.StmtQueryContext = (*stmt)(nil)
	_ driver.StmtExecContext  = (*stmt)(nil)
)

// Prepare is PrepareContext with a background context.
func (cn *conn) Prepare(query string) (driver.Stmt, error) {
	return cn.PrepareContext(context.Background(), query)
}

// PrepareContext parses query once; NumInput is its exact number of
// placeholders.
func (cn *conn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	p, err := translate.Prepare(ctx, query, cn.c.schema, cn.translateOptions())
	if err != nil {
		return nil, err
	}
	return &stmt{cn: cn, p: p}, nil
}

// QueryContext translates and runs a query.
func (cn *conn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	st, err := translate.Translate(ctx, query, cn.c.schema, cn.translateOptions(), args)
	if err != nil {
		return nil, err
	}
	return cn.query(ctx, st)
}

// ExecContext translates and runs a statement that returns no rows.
func (cn *conn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	st, err := translate.Translate(ctx, query, cn.c.schema, cn.translateOptions(), args)
	if err != nil {
		return nil, err
	}
	return cn.exec(ctx, st)
}

func (cn *conn) translateOptions() translate.Options {
	cfg := cn.c.cfg
	o := translate.Options{Location: cfg.Loc, PageSize: cfg.PageSize, MaxRows: clampInt(cfg.MaxRows), MaxBufferedRows: clampInt(cfg.MaxBufferedRows)}
	switch cfg.UseCursor {
	case dsn.CursorAlways:
		o.Cursor = translate.CursorAlways
	case dsn.CursorNever:
		o.Cursor = translate.CursorNever
	}
	return o
}

func (cn *conn) query(ctx context.Context, st translate.Statement) (driver.Rows, error) {
	switch st := st.(type) {
	case *translate.Select:
		return cn.runSelect(ctx, st)
	}
	return nil, fmt.Errorf("kintone: %T returns no rows; use Exec", st)
}

func (cn *conn) exec(ctx context.Context, st translate.Statement) (driver.Result, error) {
	if _, ok := st.(*translate.Select); ok {
		return nil, errors.New("kintone: the statement returns rows (SELECT, SHOW, DESCRIBE or EXPLAIN); use Query")
	}
	return cn.execWrite(ctx, st)
}

// NumInput is the number of placeholders.
func (s *stmt) NumInput() int { return s.p.NumInput() }

// Close releases nothing: a prepared statement holds no server resource.
func (s *stmt) Close() error { return nil }

// Query runs the statement.
//
// Deprecated: database/sql calls QueryContext.
func (s *stmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

// Exec runs the statement.
//
// Deprecated: database/sql calls ExecContext.
func (s *stmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

// QueryContext binds args and runs the statement.
func (s *stmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	st, err := s.p.Bind(ctx, args)
	if err != nil {
		return nil, err
	}
	return s.cn.query(ctx, st)
}

// ExecContext binds args and runs the statement.
func (s *stmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	st, err := s.p.Bind(ctx, args)
	if err != nil {
		return nil, err
	}
	return s.cn.exec(ctx, st)
}

func named(args []driver.Value) []driver.NamedValue {
	nv := make([]driver.NamedValue, len(args))
	for i, a := range args {
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: a}
	}
	return nv
}

// clampInt converts a DSN count to an int, saturating where int is
// narrower than int64.
func clampInt(n int64) int {
	if n > int64(math.MaxInt) {
		return math.MaxInt
	}
	return int(n)
}
