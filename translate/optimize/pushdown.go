package optimize

import (
	"time"

	"github.com/kintone-sql/kintone/internal/kql"
	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
)

// This file splits a WHERE condition into the part Kintone evaluates (a
// kql condition) and the part the pipeline evaluates in Go (the residual).
//
// The invariant, for every row: the condition is TRUE exactly when Kintone
// returns the row for the pushed part AND the residual is TRUE. Kintone's
// part may therefore return more rows than asked (a superset), never
// fewer, and the residual must remove the extra ones. Leaves are pushed by
// what is known of Kintone's semantics (QUERY-AND-FIELDS.md A.4-A.6):
//
//   - exact: Kintone's answer is SQL's answer. $id, never-empty system
//     fields, = and IN on numbers, dates and times with a value (an empty
//     field equals no value), IN on options and users (documented as "any
//     stored element is listed"), and DROP_DOWN's documented idioms.
//   - exact but for empty values: Kintone's answer is SQL's for every
//     non-empty value, but how it treats an empty field is unknown or
//     differs (SQL's NULL never satisfies !=, NOT IN, < ...; Kintone is
//     reported to treat an empty NUMBER as -infinity and to match empties
//     with != ""). The residual is "column IS NOT NULL", which Go checks
//     without needing the compared value, so Kintone's functions still
//     work here.
//   - superset: Kintone returns at least SQL's rows. Text = and IN (ASCII
//     case and width folding are undocumented, and any folding only adds
//     matches), MULTI_LINE_TEXT IS NULL as "is empty" (which also matches
//     blank text), and every positive condition on a child table (Kintone
//     matches records with at least one matching row). The residual is the
//     leaf itself.
//   - not pushed: everything else (LIKE, since Kintone's like is a word
//     search; text !=, NOT IN and ranges; IS NULL on most types, whose
//     Kintone idioms are unverified; expressions; comparisons between
//     columns). The residual is the leaf.
//
// An OR whose terms are all pushed is pushed as an OR; if any term has a
// residual, the whole OR is evaluated in Go as well (Kintone's part is
// still a superset and narrows the read).

// exactness classifies a pushed leaf.
type exactness int

const (
	notPushed exactness = iota
	pushedExact
	pushedExceptEmpty
	pushedSuperset
)

// Split is the result of splitting a condition.
type Split struct {
	Query    kql.Expr  // nil: no condition for Kintone
	Residual expr.Expr // nil: nothing left for Go
	Never    bool      // the condition can never be TRUE
	// nonNull lists the columns that Kintone's part alone proves non-NULL
	// (an exact =, IN, > or >= with a value), whose IS NOT NULL residuals
	// are then redundant.
	nonNull map[*catalog.Column]bool
}

// Pusher splits conditions on one table: which comparisons Kintone
// answers exactly, except for empty values, as a superset, or not at all
// (the exactness classes of the package documentation).
type Pusher struct {
	Table *catalog.Table
	Loc   *time.Location
}

// SplitWhere normalizes e and splits it.
func (p *Pusher) SplitWhere(e expr.Expr) Split {
	if e == nil {
		return Split{}
	}
	return p.split(nnf(e, false))
}

// Split splits a condition in negation normal form.
func (p *Pusher) split(e expr.Expr) Split {
	switch n := e.(type) {
	case *expr.Const:
		if t, known := expr.Truth(n.Value); known && t {
			return Split{}
		}
		return Split{Never: true}
	case *expr.Logic:
		if n.And {
			var qs []kql.Expr
			var rs []expr.Expr
			nonNull := map[*catalog.Column]bool{}
			for _, t := range n.Terms {
				s := p.split(t)
				if s.Never {
					return Split{Never: true}
				}
				if s.Query != nil {
					qs = append(qs, s.Query)
				}
				if s.Residual != nil {
					rs = append(rs, s.Residual)
				}
				for c := range s.nonNull {
					nonNull[c] = true
				}
			}
			return Split{Query: kqlAnd(qs), Residual: expr.And(pruneNotNull(rs, nonNull)), nonNull: nonNull}
		}
		var qs []kql.Expr
		var terms []expr.Expr
		var resids []expr.Expr // per kept term, nil when exact
		var nonNull map[*catalog.Column]bool
		first := true
		for _, t := range n.Terms {
			s := p.split(t)
			switch {
			case s.Never:
				continue
			case s.Query == nil && s.Residual == nil:
				return Split{} // a term that is always TRUE
			case s.Query == nil:
				// A term Kintone cannot narrow: the OR cannot be pushed.
				return Split{Residual: n}
			}
			terms = append(terms, t)
			qs = append(qs, s.Query)
			resids = append(resids, s.Residual)
			if first {
				nonNull = map[*catalog.Column]bool{}
				for c := range s.nonNull {
					nonNull[c] = true
				}
				first = false
			} else {
				for c := range nonNull {
					if !s.nonNull[c] {
						delete(nonNull, c)
					}
				}
			}
		}
		switch len(terms) {
		case 0:
			return Split{Never: true}
		case 1:
			return p.split(terms[0])
		}
		return Split{Query: &kql.Or{Terms: qs}, Residual: orResidual(n, terms, resids), nonNull: nonNull}
	}
	return p.leaf(e)
}

// orResidual is what Go checks for an OR whose terms are all pushed.
// When every term is exact there is nothing to check. When the inexact
// terms all have the same residual r (typically "x IS NOT NULL"), a row
// Kintone returned satisfies the OR exactly when one of the exact terms
// holds (Go can evaluate them unless they hold a Kintone function) or,
// failing those, r holds: one of the inexact terms' pushed parts must then
// be what matched. Otherwise the whole OR is evaluated in Go.
func orResidual(n *expr.Logic, terms, resids []expr.Expr) expr.Expr {
	whole := &expr.Logic{And: false, Terms: terms, At: n.At}
	var common expr.Expr
	var exact []expr.Expr
	for i, r := range resids {
		switch {
		case r == nil:
			if expr.FindKFunc(terms[i]) != nil {
				return whole
			}
			exact = append(exact, terms[i])
		case common == nil:
			common = r
		case expr.Key(common) != expr.Key(r):
			return whole
		}
	}
	if common == nil {
		return nil
	}
	if len(exact) == 0 {
		return common
	}
	return &expr.Logic{And: false, Terms: append(exact, common), At: n.At}
}

// pruneNotNull drops duplicate residual terms, and "c IS NOT NULL" terms
// for columns Kintone's part already proves non-NULL.
func pruneNotNull(terms []expr.Expr, nonNull map[*catalog.Column]bool) []expr.Expr {
	var out []expr.Expr
	seen := map[string]bool{}
	for _, t := range terms {
		if in, ok := t.(*expr.IsNull); ok && in.Not {
			if c, ok := in.X.(*expr.ColRef); ok && nonNull[c.Col] {
				continue
			}
		}
		k := expr.Key(t)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, t)
	}
	return out
}

// kqlAnd joins kql conditions with and (nil for none), flattening nested
// ands.
func kqlAnd(terms []kql.Expr) kql.Expr {
	var flat []kql.Expr
	for _, t := range terms {
		if a, ok := t.(*kql.And); ok {
			flat = append(flat, a.Terms...)
		} else {
			flat = append(flat, t)
		}
	}
	return kql.AndOf(flat...)
}

// nnf pushes NOT down to the leaves (negation normal form), which keeps
// three-valued logic: NOT (a AND b) is NOT a OR NOT b, NOT (x < 1) is
// x >= 1 (both NULL when x is), NOT (x IN (...)) is x NOT IN (...).
// BETWEEN becomes two comparisons.
func nnf(e expr.Expr, neg bool) expr.Expr {
	switch n := e.(type) {
	case *expr.Unary:
		if n.Op == "not" {
			return nnf(n.X, !neg)
		}
	case *expr.Logic:
		terms := make([]expr.Expr, len(n.Terms))
		for i, t := range n.Terms {
			terms[i] = nnf(t, neg)
		}
		return &expr.Logic{And: n.And != neg, Terms: terms, At: n.At}
	case *expr.Cmp:
		if !neg || n.Op == "<=>" {
			break
		}
		m := *n
		m.Op = map[string]string{"=": "!=", "!=": "=", "<": ">=", ">=": "<", ">": "<=", "<=": ">"}[n.Op]
		return &m
	case *expr.In:
		m := *n
		m.Not = n.Not != neg
		return &m
	case *expr.Like:
		m := *n
		m.Not = n.Not != neg
		return &m
	case *expr.IsNull:
		m := *n
		m.Not = n.Not != neg
		return &m
	case *expr.IsBool:
		m := *n
		m.Not = n.Not != neg
		return &m
	case *expr.Between:
		lo := &expr.Cmp{Op: ">=", L: n.X, R: n.Lo, At: n.At}
		hi := &expr.Cmp{Op: "<=", L: n.X, R: n.Hi, At: n.At}
		if n.Not {
			neg = !neg
		}
		return nnf(&expr.Logic{And: true, Terms: []expr.Expr{lo, hi}, At: n.At}, neg)
	case *expr.Const:
		if !neg {
			return n
		}
		t, known := expr.Truth(n.Value)
		if !known {
			return n
		}
		return &expr.Const{Value: !t, Kind: catalog.KBool, At: n.At}
	}
	if neg {
		return &expr.Unary{Op: "not", X: e, At: e.Offset()}
	}
	return e
}

// leaf splits one condition that is not AND or OR.
func (p *Pusher) leaf(e expr.Expr) Split {
	q, class, never := p.pushLeaf(e)
	switch {
	case never:
		return Split{Never: true}
	case class == pushedExact && q == nil:
		return Split{} // always TRUE ($id IS NOT NULL)
	case class == notPushed || q == nil:
		return Split{Residual: e}
	case class == pushedExact:
		out := Split{Query: q}
		if col := leafColumn(e); col != nil && impliesNonNull(e) {
			out.nonNull = map[*catalog.Column]bool{col: true}
		}
		return out
	case class == pushedExceptEmpty:
		col := leafColumn(e)
		return Split{Query: q, Residual: &expr.IsNull{X: &expr.ColRef{Col: col, At: e.Offset()}, Not: true, At: e.Offset()}}
	}
	return Split{Query: q, Residual: e}
}

// impliesNonNull reports whether a leaf holds only for non-NULL values of
// its column (=, IN, <, >, ...; not IS NULL or the IS NOT NULL it may be).
func impliesNonNull(e expr.Expr) bool {
	switch n := e.(type) {
	case *expr.Cmp:
		return n.Op != "<=>"
	case *expr.In:
		return true
	case *expr.IsNull:
		return n.Not
	}
	return false
}

// leafColumn returns the column a pushed leaf tests.
func leafColumn(e expr.Expr) *catalog.Column {
	switch n := e.(type) {
	case *expr.Cmp:
		if c, ok := n.L.(*expr.ColRef); ok {
			return c.Col
		}
		if c, ok := n.R.(*expr.ColRef); ok {
			return c.Col
		}
	case *expr.In:
		if c, ok := n.X.(*expr.ColRef); ok {
			return c.Col
		}
	case *expr.IsNull:
		if c, ok := n.X.(*expr.ColRef); ok {
			return c.Col
		}
	}
	return nil
}
