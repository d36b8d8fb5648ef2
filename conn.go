package kintone

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"

	"github.com/kintone-sql/kintone/internal/rest"
)

// conn is a database/sql connection. Kintone is a stateless HTTP API, so a
// conn holds no socket of its own: it is a handle on the Connector's HTTP
// client plus the state of an open transaction.
type conn struct {
	c  *Connector
	tx *tx // the open transaction, nil when none
}

// Compile-time checks of the interfaces conn implements.
var (
	_ driver.Conn               = (*conn)(nil)
	_ driver.QueryerContext     = (*conn)(nil)
	_ driver.ExecerContext      = (*conn)(nil)
	_ driver.ConnPrepareContext = (*conn)(nil)
	_ driver.ConnBeginTx        = (*conn)(nil)
	_ driver.NamedValueChecker  = (*conn)(nil)
	_ driver.Pinger             = (*conn)(nil)
	_ driver.SessionResetter    = (*conn)(nil)
	_ driver.Validator          = (*conn)(nil)
)

// Ping makes one cheap authenticated request: it fails with Kintone's error
// code (as an *APIError) when the credentials are wrong, and with the
// transport's error when the domain cannot be reached. With API tokens it
// checks the first app the DSN names (apps, appId), if any.
func (cn *conn) Ping(ctx context.Context) error {
	return cn.c.client.Ping(ctx, cn.pingApp())
}

func (cn *conn) pingApp() int64 {
	cfg := cn.c.cfg
	if len(cfg.AppIDs) > 0 {
		return cfg.AppIDs[0]
	}
	ids := make([]int64, 0, len(cfg.Apps))
	for _, id := range cfg.Apps {
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return 0
	}
	return slices.Min(ids)
}

// Close ends the handle; an open transaction is rolled back (its queued
// writes are dropped: nothing was sent).
func (cn *conn) Close() error {
	cn.tx = nil
	return nil
}

// ResetSession is called before a pooled connection is reused. There is no
// session state beyond a transaction, which database/sql has ended.
func (cn *conn) ResetSession(ctx context.Context) error {
	cn.tx = nil
	return nil
}

// IsValid reports whether the connection may go back to the pool: always,
// since it owns no socket.
func (cn *conn) IsValid() bool { return true }

// Begin is BeginTx with default options.
//
// Deprecated: database/sql calls BeginTx.
func (cn *conn) Begin() (driver.Tx, error) {
	return cn.BeginTx(context.Background(), driver.TxOptions{})
}

// BeginTx starts a transaction: its writes are queued and sent at Commit as
// one bulkRequest, which Kintone applies atomically. ctx bounds the whole
// transaction, Commit included. See tx.
func (cn *conn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	switch sql.IsolationLevel(opts.Isolation) {
	case sql.LevelDefault, sql.LevelReadCommitted:
		// Reads inside a transaction see what Kintone holds at the time
		// of each read; the queued writes are invisible until Commit.
	default:
		return nil, fmt.Errorf("kintone: isolation level %v is not supported: a transaction's reads see committed data only (use the default level or sql.LevelReadCommitted)", sql.IsolationLevel(opts.Isolation))
	}
	if cn.tx != nil {
		return nil, errors.New("kintone: a transaction is already open on this connection")
	}
	cn.tx = &tx{cn: cn, ctx: ctx, readOnly: opts.ReadOnly}
	return cn.tx, nil
}

// CheckNamedValue accepts the argument types the translator can bind:
// nil, bool, integers, floats, string, []byte, time.Time, plus anything
// database/sql's default conversion turns into one of them
// (driver.Valuer, named types), and slices of any of those ([]string,
// []int64, []int, []any, []time.Time, named slice types...), which stand
// for the whole list of IN (?) or for a multi-valued field's values. The
// translator converts a slice's elements, and names the placeholder and
// the element it cannot use.
func (cn *conn) CheckNamedValue(nv *driver.NamedValue) error {
	if isListArg(nv.Value) {
		return nil
	}
	switch v := nv.Value.(type) {
	case uint64:
		if v > math.MaxInt64 {
			// database/sql refuses these; Kintone's numbers are decimal
			// text anyway, and the translator compares a numeric string
			// with a NUMBER field as a number.
			nv.Value = strconv.FormatUint(v, 10)
			return nil
		}
	}
	v, err := driver.DefaultParameterConverter.ConvertValue(nv.Value)
	if err != nil {
		return fmt.Errorf("kintone: argument %s: %w", argName(nv), err)
	}
	nv.Value = v
	return nil
}

// isListArg reports whether v is a slice the translator takes as a list:
// any slice but a byte slice ([]byte, json.RawMessage: text) and a
// driver.Valuer (which gives its own value).
func isListArg(v any) bool {
	if v == nil {
		return false
	}
	if _, ok := v.(driver.Valuer); ok {
		return false
	}
	t := reflect.TypeOf(v)
	return t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8
}

func argName(nv *driver.NamedValue) string {
	if nv.Name != "" {
		return "@" + nv.Name
	}
	return fmt.Sprintf("$%d", nv.Ordinal)
}

// badConn turns an error that proves the request never reached Kintone into
// driver.ErrBadConn, so database/sql may retry on a fresh connection. A
// request that may have been sent is never reported so: a write would be
// applied twice.
func badConn(err error) error {
	var te *rest.TransportError
	if errors.As(err, &te) && !te.MaybeSent {
		return fmt.Errorf("%w: %w", driver.ErrBadConn, err)
	}
	return err
}
