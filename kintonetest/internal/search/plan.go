package search

import (
	"errors"
	"time"

	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/kintonetest/internal/apierr"
	"github.com/kintone-sql/kintone/kintonetest/internal/store"
)

// The paging limits of QUERY-AND-FIELDS.md A.8.
const (
	defaultLimit = 100
	maxLimit     = 500
	maxOffset    = 10_000
)

// Plan is a compiled query: a condition, a sort order, a limit and an
// offset. It is immutable and safe for concurrent use.
type Plan struct {
	// where is the condition; nil matches every record.
	where node
	// order holds the query's sort keys followed by the $id tie-breaker.
	// It is nil when the order is by $id alone (byID).
	order []sortSpec
	// byID and idDesc describe an order decided by $id alone: the default
	// "$id desc", or an order by whose first key is $id (IDs are unique,
	// so later keys never apply).
	byID, idDesc  bool
	limit, offset int
	// cuts are the conditions on $id the whole condition requires, which
	// bound where an order by $id looks (idcut.go).
	cuts []idCut
	// onlyCuts is true when the cuts are the whole condition: a record
	// matches exactly when it is in their run.
	onlyCuts bool
	// cacheable is true when FindCached may keep the plan's matches: its
	// order is not by $id and has no key whose order Env.UserOrder gives.
	// key is then the plan's part of the cache key (cache.go).
	cacheable bool
	key       cacheKey
}

// Prepare parses and compiles a query text against a form.
//
// Errors are *apierr.Error values with Kintone's codes, checked in the order
// of QUERY-AND-FIELDS.md A.9: CB_VA01 for syntax (and, with forCursor, for a
// limit or offset in a cursor's query), then condition by condition
// GAIA_IQ11 (unknown field), GAIA_IR02 (dotted path on a SUBTABLE),
// GAIA_ST02 (process-management field while process management is off),
// GAIA_IQ10 (not an option), GAIA_IQ03 / GAIA_IQ07 (operator),
// GAIA_IL08 / GAIA_IQ25 / GAIA_IQ23 (functions) and CB_VA01 for a literal
// the field's type cannot read; then GAIA_IS02 (order by), GAIA_QU01 and
// GAIA_QU02 (limit, offset).
func Prepare(query string, form *store.Form, env Env, forCursor bool) (*Plan, error) {
	q, err := kql.Parse(query)
	if err != nil {
		var se *kql.SyntaxError
		if errors.As(err, &se) {
			return nil, apierr.QuerySyntax()
		}
		return nil, err
	}
	return Compile(q, form, env, forCursor)
}

// Compile is Prepare for an already parsed query. A nil query is the empty
// query: every record, newest first.
//
// forCursor compiles the query of a cursor (POST records/cursor.json), which
// must not contain limit or offset (REST-API.md 4.3): either gives CB_VA01
// with errors.query. The check comes first, with the syntax checks it
// belongs to; the documents give no order [U].
func Compile(q *kql.Query, form *store.Form, env Env, forCursor bool) (*Plan, error) {
	if q == nil {
		q = &kql.Query{}
	}
	if forCursor && (q.Limit != nil || q.Offset != nil) {
		return nil, apierr.Invalid("query", apierr.MsgLimitOrOffset)
	}
	c := newCompiler(form, env)
	where, err := c.expr(q.Where)
	if err != nil {
		return nil, err
	}
	p := &Plan{where: where, limit: defaultLimit}
	if err := c.orderBy(p, q.OrderBy); err != nil {
		return nil, err
	}
	if q.Limit != nil {
		switch {
		case *q.Limit < 0:
			// Parse refuses this; a tree built by hand may hold it.
			return nil, apierr.QuerySyntax()
		case *q.Limit > maxLimit:
			return nil, apierr.QueryLimit()
		}
		p.limit = int(*q.Limit)
	}
	if q.Offset != nil {
		switch {
		case *q.Offset < 0:
			return nil, apierr.QuerySyntax()
		case *q.Offset > maxOffset:
			return nil, apierr.QueryOffset()
		}
		p.offset = int(*q.Offset)
	}
	p.cuts, p.onlyCuts = c.idCuts(q.Where, nil)
	// An order by $id needs no sort, and its pages from offset 0 cost
	// O(page) already; the cache serves the rest: by another key, and by
	// $id at an offset under a condition to test (a driver's pages asked
	// for at once by offset: each would test the records before it).
	if (!p.byID || p.offset > 0 && !p.onlyCuts) && !c.userOrdered {
		if qk, ok := queryKey(q); ok {
			p.cacheable = true
			p.key = cacheKey{query: qk, login: env.LoginUser, org: env.PrimaryOrganization, loc: c.loc}
			if usesFuncs(q.Where) {
				p.key.clock = fmtDateTime(c.now) + " " + fmtDate(c.today)
			}
		}
	}
	return p, nil
}

// compiler holds what compiling one query needs: the form and the request's
// clock, time zone and user.
type compiler struct {
	res *resolver
	env Env
	// now is the request's clock. NOW() reads its minute, and the day
	// functions today: cacheKey.clock holds those two only, so a use of
	// now at another precision must be added there.
	now time.Time
	loc *time.Location
	// today is the current calendar day in loc (a civil date at UTC
	// midnight, see dayRange).
	today time.Time
	// userOrdered is set when the order has a key sorted by
	// Env.UserOrder.
	userOrdered bool
}

func newCompiler(form *store.Form, env Env) *compiler {
	now, loc := env.now(), env.loc()
	return &compiler{res: newResolver(form), env: env, now: now, loc: loc, today: today(now, loc)}
}
