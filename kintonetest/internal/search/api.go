// Package search evaluates Kintone record queries for the emulator: it
// checks a parsed query against an app's form (unknown fields, operators a
// type refuses, option values, function arguments, sortability, limit and
// offset), then filters, orders and pages the store's records the way
// QUERY-AND-FIELDS.md part A describes.
//
// It is written independently of the driver's translator, which only prints
// queries, so that a misreading of the documents is not shared by both sides.
package search

// This file fixes the package's API so that the HTTP layer can be written
// beside it. The bodies are placeholders to be replaced by the real
// implementation; the signatures are the contract.

import (
	"errors"
	"time"

	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

var errTODO = errors.New("search: not implemented yet")

// Env is the context a query runs in.
type Env struct {
	// Now is the emulator's clock at the time of the request.
	Now time.Time
	// Loc is the calling user's time zone: TODAY() and the other day-based
	// functions are calendar days there.
	Loc *time.Location
	// LoginUser is the caller's user code, for LOGINUSER().
	LoginUser string
	// PrimaryOrganization is the caller's primary organization code, "" for
	// none (a PRIMARY_ORGANIZATION() condition is then ignored).
	PrimaryOrganization string
	// UserOrder returns the hidden numeric ID Kintone sorts CREATOR and
	// MODIFIER by; nil sorts by code.
	UserOrder func(code string) int64
}

// Plan is a compiled query.
type Plan struct{}

// Prepare parses and compiles a query text against a form. Errors are
// *apierr.Error values with Kintone's codes (CB_VA01 for syntax, GAIA_IQ11,
// GAIA_IQ10, GAIA_IQ03, GAIA_IQ07, GAIA_IL08, GAIA_IQ25, GAIA_IQ23,
// GAIA_IS02, GAIA_QU01, GAIA_QU02). forCursor refuses limit and offset.
func Prepare(query string, form *store.Form, env Env, forCursor bool) (*Plan, error) {
	return nil, errTODO
}

// Compile is Prepare for an already parsed query.
func Compile(q *kql.Query, form *store.Form, env Env, forCursor bool) (*Plan, error) {
	return nil, errTODO
}

// Match reports whether a record satisfies the condition.
func (p *Plan) Match(r *store.Record) bool { return false }

// Find returns the page selected by the query's order, limit (default 100)
// and offset from records (ascending by ID, as the store keeps them), and,
// when wantTotal, the number of matching records ignoring limit and offset
// (otherwise -1).
func (p *Plan) Find(records []*store.Record, wantTotal bool) (page []*store.Record, total int64) {
	return nil, -1
}

// All returns every matching record in the query's order, ignoring limit
// and offset (for cursors).
func (p *Plan) All(records []*store.Record) []*store.Record { return nil }
