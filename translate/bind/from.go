package bind

import (
	"context"
	"fmt"
	"strings"

	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/parse"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// This file resolves FROM: one table, or tables joined. A join is kept as
// the statement wrote it (left-deep, comma lists as CROSS joins); which
// side is read first and what each side's query holds is the optimizer's
// business.

// JoinKind is how a join combines its two inputs.
type JoinKind int

// The kinds of join. RIGHT and FULL keep their sides as written: the
// optimizer and the executor know which side is preserved.
const (
	JoinInner JoinKind = iota // [INNER] JOIN ... ON / USING
	JoinCross                 // CROSS JOIN, a comma, or JOIN without ON
	JoinLeft                  // LEFT [OUTER] JOIN: every left row
	JoinRight                 // RIGHT [OUTER] JOIN: every right row
	JoinFull                  // FULL [OUTER] JOIN: every row of both
)

// String is the kind as SQL writes it.
func (k JoinKind) String() string {
	return [...]string{"INNER JOIN", "CROSS JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL JOIN"}[k]
}

// From is a resolved FROM clause: a *FromTable or a *FromJoin.
type From interface {
	// Tables lists the tables read, in the order the statement names
	// them.
	Tables() []*catalog.Table
}

// FromTable is one table of FROM.
type FromTable struct {
	Table *catalog.Table
}

// Tables returns the table.
func (f *FromTable) Tables() []*catalog.Table { return []*catalog.Table{f.Table} }

// FromDerived is a subquery in FROM, read as a table.
type FromDerived struct {
	// Table is the derived table: its alias, and a column per item of
	// the subquery.
	Table *catalog.Table
	// Sub is the subquery.
	Sub *SelectTemplate
}

// Tables returns the derived table.
func (f *FromDerived) Tables() []*catalog.Table { return []*catalog.Table{f.Table} }

// FromJoin is L joined to R.
type FromJoin struct {
	Kind JoinKind
	L, R From
	// On is the join condition (ON, or the equalities USING and NATURAL
	// stand for), with its placeholders left to Bind; nil for none.
	On expr.Expr
	// At is the offset of the join operator, for messages.
	At int
}

// Tables returns L's tables, then R's.
func (f *FromJoin) Tables() []*catalog.Table {
	return append(f.L.Tables(), f.R.Tables()...)
}

// fromResolver resolves the table expressions of FROM into a From and
// its scope.
type fromResolver struct {
	ctx    context.Context
	src    *Text
	schema catalog.Schema
	opts   Options
	ctes   map[string]*cte
	// owner is the builder of the query FROM belongs to (nil for none):
	// an ON condition may name its outer query's columns, as the rest
	// of the query may.
	owner *Builder
}

// ResolveFrom resolves FROM: no table (DUAL), one table, or joins. It
// returns the From and the scope column names are resolved in.
func resolveFrom(ctx context.Context, src *Text, schema catalog.Schema, opts Options, from []parse.TableExpr) (From, *scope, error) {
	return (&fromResolver{ctx: ctx, src: src, schema: schema, opts: opts}).from(from)
}

// from resolves the table expressions of a FROM clause.
func (r *fromResolver) from(from []parse.TableExpr) (From, *scope, error) {
	ctx, src, schema, opts := r.ctx, r.src, r.schema, r.opts
	if len(from) == 0 {
		t, err := catalog.ResolveTable(ctx, schema, "", "dual", src.Pos(0), opts.Database)
		if err != nil {
			return nil, nil, err
		}
		return &FromTable{Table: t}, oneTable(t), nil
	}
	f, sc, err := r.expr(from[0])
	if err != nil {
		return nil, nil, err
	}
	for _, te := range from[1:] {
		// A comma is a CROSS join of everything before with what follows
		// (its WHERE is what joins them).
		rf, rsc, err := r.expr(te)
		if err != nil {
			return nil, nil, err
		}
		if sc, err = r.combine(sc, rsc, te); err != nil {
			return nil, nil, err
		}
		f = &FromJoin{Kind: JoinCross, L: f, R: rf, At: src.Next(te.Pos())}
	}
	return f, sc, nil
}

// expr resolves one table expression.
func (r *fromResolver) expr(te parse.TableExpr) (From, *scope, error) {
	switch n := te.(type) {
	case *parse.TableRef:
		if c := r.ctes[strings.ToLower(n.Name.Name.Name)]; c != nil && n.Name.Qualifier.Name == "" {
			alias := c.name
			if n.Alias != nil {
				alias = n.Alias.Name
			}
			return r.derivedOf(c.query, alias, c.columns, c.visible)
		}
		t, err := ResolveTableName(r.ctx, r.src, r.schema, r.opts, n.Name)
		if err != nil {
			return nil, nil, err
		}
		if n.Alias != nil {
			t.Alias = n.Alias.Name
		}
		return &FromTable{Table: t}, oneTable(t), nil
	case *parse.ParenTable:
		return r.from(n.Tables)
	case *parse.DerivedTable:
		return r.derivedOf(n.Query, n.Alias.Name, nil, r.ctes)
	case *parse.Join:
		return r.join(n)
	}
	return nil, nil, &sqlerr.UnsupportedError{Construct: "table expression", Pos: r.src.Pos(te.Pos())}
}

// derivedOf resolves a subquery in FROM (or a common table expression
// FROM names): the subquery, and a table of its items named alias, the
// columns renamed by cols when given. Two columns of one name are an
// error, as in MySQL (the outer query could not tell them apart).
func (r *fromResolver) derivedOf(q *parse.Subquery, alias string, cols []parse.Ident, ctes map[string]*cte) (From, *scope, error) {
	b := &Builder{Text: r.src, ctx: r.ctx, schema: r.schema, opts: r.opts, ctes: ctes}
	sub, err := prepareQueryWith(b, q.Query)
	if err != nil {
		return nil, nil, err
	}
	if cols != nil && len(cols) != len(sub.Items) {
		return nil, nil, &sqlerr.Error{Pos: r.src.Pos(cols[0].Pos()), Msg: fmt.Sprintf("%q names %d columns for a query of %d", sqlerr.Abbrev(alias), len(cols), len(sub.Items))}
	}
	t := &catalog.Table{Name: alias, Alias: alias}
	seen := map[string]bool{}
	for i, it := range sub.Items {
		name := it.Name
		if cols != nil {
			name = cols[i].Name
		}
		k := strings.ToLower(name)
		if seen[k] {
			return nil, nil, &sqlerr.Error{Pos: r.src.Pos(q.Pos()), Msg: fmt.Sprintf("the derived table %q has two columns named %q; give one an alias", sqlerr.Abbrev(alias), sqlerr.Abbrev(name))}
		}
		seen[k] = true
		var of *catalog.Column
		if c, ok := it.Expr.(*expr.ColRef); ok {
			of = c.Col
		}
		t.Cols = append(t.Cols, catalog.DerivedColumn(name, expr.KindOf(it.Expr), of))
	}
	return &FromDerived{Table: t, Sub: sub}, oneTable(t), nil
}

// combine is the scope of two joined inputs; a table named twice is an
// error, as in MySQL ("Not unique table/alias").
func (r *fromResolver) combine(l, rs *scope, at parse.Node) (*scope, error) {
	out := &scope{merged: map[string]expr.Expr{}, mergedCols: map[*catalog.Column]bool{}}
	for _, st := range rs.tables {
		if other := l.table(refName(st.t)); other != nil {
			return nil, &sqlerr.Error{Pos: r.src.Pos(at.Pos()), Msg: fmt.Sprintf("table %q is named twice in FROM; give one of them an alias (FROM %s a JOIN %s b ...)", sqlerr.Abbrev(refName(st.t)), st.t.Name, st.t.Name)}
		}
	}
	for _, sc := range []*scope{l, rs} {
		for _, st := range sc.tables {
			cp := *st
			out.tables = append(out.tables, &cp)
		}
		for _, name := range sc.mergedNames {
			out.merged[name] = sc.merged[name]
			out.mergedNames = append(out.mergedNames, name)
		}
		for c := range sc.mergedCols {
			out.mergedCols[c] = true
		}
	}
	return out, nil
}

// join resolves a JOIN: its inputs, the scope of both, and its condition
// (ON, USING or NATURAL), resolved in that scope.
func (r *fromResolver) join(n *parse.Join) (From, *scope, error) {
	lf, lsc, err := r.expr(n.L)
	if err != nil {
		return nil, nil, err
	}
	rf, rsc, err := r.expr(n.R)
	if err != nil {
		return nil, nil, err
	}
	sc, err := r.combine(lsc, rsc, n.R)
	if err != nil {
		return nil, nil, err
	}
	j := &FromJoin{L: lf, R: rf, At: n.OpPos}
	natural := strings.HasPrefix(n.Kind, "NATURAL")
	switch strings.TrimPrefix(n.Kind, "NATURAL ") {
	case "JOIN", "STRAIGHT_JOIN":
		j.Kind = JoinInner
		if n.On == nil && len(n.Using) == 0 && !natural {
			j.Kind = JoinCross
		}
	case "CROSS JOIN":
		j.Kind = JoinCross
	case "LEFT JOIN":
		j.Kind = JoinLeft
	case "RIGHT JOIN":
		j.Kind = JoinRight
	case "FULL JOIN":
		j.Kind = JoinFull
	default:
		return nil, nil, &sqlerr.UnsupportedError{Construct: n.Kind, Pos: r.src.Pos(n.OpPos)}
	}
	// Which side may have no match decides which columns may be NULL.
	mark := func(s *scope) {
		for _, st := range s.tables {
			for _, o := range sc.tables {
				if o.t == st.t {
					o.nullable = true
				}
			}
		}
	}
	switch j.Kind {
	case JoinLeft:
		mark(rsc)
	case JoinRight:
		mark(lsc)
	case JoinFull:
		mark(lsc)
		mark(rsc)
	}
	switch {
	case n.On != nil:
		b := &Builder{Text: r.src, scope: sc, ctx: r.ctx, schema: r.schema, opts: r.opts, ctes: r.ctes}
		if r.owner != nil {
			// The ON's subqueries are the query's: one list, one numbering.
			b.outer, b.subs = r.owner.outer, r.owner.subs
		}
		if j.On, err = b.Expr(n.On, ExprCtx{Where: true}); err != nil {
			return nil, nil, err
		}
		if r.owner != nil {
			r.owner.inherit(b)
			r.owner.subs = b.subs
		}
		if err := CheckKFuncPlacement(r.src, j.On); err != nil {
			return nil, nil, err
		}
		if expr.HasAggregate(j.On) {
			return nil, nil, &sqlerr.Error{Pos: r.src.Pos(n.On.Pos()), Msg: "a join condition cannot use an aggregate"}
		}
	case len(n.Using) > 0 || natural:
		if j.On, err = r.using(n, j, lsc, rsc, sc, natural); err != nil {
			return nil, nil, err
		}
	}
	return j, sc, nil
}

// using turns USING (cols) or NATURAL into the equalities of the columns
// both sides have, and merges each pair into one column of the scope.
func (r *fromResolver) using(n *parse.Join, j *FromJoin, l, rs, sc *scope, natural bool) (expr.Expr, error) {
	type pair struct {
		name string
		at   int
	}
	var names []pair
	if natural {
		// NATURAL: every column name both sides have, in the left side's
		// order (the merged names of a side count once).
		seen := map[string]bool{}
		for _, name := range visibleNames(l) {
			k := strings.ToLower(name)
			if seen[k] {
				continue
			}
			seen[k] = true
			if e, _, _ := rs.lookup(name); e != nil {
				names = append(names, pair{name, n.OpPos})
			}
		}
	} else {
		for _, id := range n.Using {
			names = append(names, pair{id.Name, id.Pos()})
		}
	}
	var conds []expr.Expr
	seen := map[string]bool{}
	for _, p := range names {
		k := strings.ToLower(p.name)
		if seen[k] {
			return nil, &sqlerr.Error{Pos: r.src.Pos(p.at), Msg: fmt.Sprintf("column %q is named twice in USING", sqlerr.Abbrev(p.name))}
		}
		seen[k] = true
		le, _, err := l.lookup(p.name)
		if err == nil && le == nil {
			err = fmt.Errorf("USING column %q is not in the left side (%s)", sqlerr.Abbrev(p.name), l.names())
		}
		if err != nil {
			return nil, &sqlerr.Error{Pos: r.src.Pos(p.at), Msg: err.Error()}
		}
		re, _, err := rs.lookup(p.name)
		if err == nil && re == nil {
			err = fmt.Errorf("USING column %q is not in the right side (%s)", sqlerr.Abbrev(p.name), rs.names())
		}
		if err != nil {
			return nil, &sqlerr.Error{Pos: r.src.Pos(p.at), Msg: err.Error()}
		}
		le, re = at(le, p.at), at(re, p.at)
		conds = append(conds, &expr.Cmp{Op: "=", L: le, R: re, At: p.at})
		var merged expr.Expr
		switch j.Kind {
		case JoinRight:
			merged = re
		case JoinFull:
			merged = &expr.Call{Fn: expr.LookupFunc("coalesce"), Args: []expr.Expr{le, re}, At: p.at}
		default:
			merged = le
		}
		if _, ok := sc.merged[k]; !ok {
			sc.mergedNames = append(sc.mergedNames, k)
		}
		sc.merged[k] = merged
		for _, side := range []expr.Expr{le, re} {
			expr.Walk(side, func(x expr.Expr) bool {
				if c, ok := x.(*expr.ColRef); ok {
					sc.mergedCols[c.Col] = true
				}
				return true
			})
		}
	}
	switch len(conds) {
	case 0:
		j.Kind = crossOf(j.Kind) // NATURAL JOIN of tables with no common column
		return nil, nil
	case 1:
		return conds[0], nil
	}
	return &expr.Logic{And: true, Terms: conds, At: conds[0].Offset()}, nil
}

// crossOf is the join a NATURAL join without a common column is: an inner
// join becomes a CROSS join; an outer join keeps its kind (every row
// matches every row, as in MySQL).
func crossOf(k JoinKind) JoinKind {
	if k == JoinInner {
		return JoinCross
	}
	return k
}

// at returns e pointing at offset off when it is a column reference.
func at(e expr.Expr, off int) expr.Expr {
	if c, ok := e.(*expr.ColRef); ok {
		r := *c
		r.At = off
		return &r
	}
	return e
}
