package bind

import (
	"fmt"
	"strings"

	"github.com/kintone-sql/kintone/translate/catalog"
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/parse"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// SetTemplate is a set operation (UNION, INTERSECT, EXCEPT) of two
// queries, or one query in parentheses with an ORDER BY or LIMIT of its
// own (Op ""): the SelectTemplate that holds it has the output columns,
// the ORDER BY (over those columns) and the LIMIT.
type SetTemplate struct {
	// Op is UNION, INTERSECT, EXCEPT, or "" for R nil.
	Op string
	// All keeps duplicates (UNION ALL ...).
	All  bool
	L, R *SelectTemplate
	// Cols are the output columns the ORDER BY reads.
	Cols []*catalog.Column
}

// prepareSet resolves a set operation, or a query in parentheses with an
// ORDER BY or LIMIT (r nil). The output columns are named after the
// left query's, as in MySQL.
func prepareSet(b *Builder, l, r parse.Query, op string, all bool, opPos int, orderBy []*parse.OrderItem, limit *parse.Limit) (*SelectTemplate, error) {
	lb := b.sibling()
	lt, err := prepareQueryWith(lb, l)
	if err != nil {
		return nil, err
	}
	b.inherit(lb)
	st := &SetTemplate{Op: op, All: all, L: lt}
	if r != nil {
		rb := b.sibling()
		if st.R, err = prepareQueryWith(rb, r); err != nil {
			return nil, err
		}
		b.inherit(rb)
		if len(lt.Items) != len(st.R.Items) {
			return nil, &sqlerr.Error{Pos: b.Text.Pos(opPos), Msg: fmt.Sprintf("the queries of %s return %d and %d columns; they must return as many", op, len(lt.Items), len(st.R.Items))}
		}
	}
	if st.R != nil {
		// A column of numbers in one query and text in the other is
		// text in both, as MySQL's result type is: 1 and '1' are then
		// one value to UNION, INTERSECT and EXCEPT, and ORDER BY sorts
		// text.
		for i := range lt.Items {
			both := expr.TextOperands([]expr.Expr{lt.Items[i].Expr, st.R.Items[i].Expr})
			for side, tt := range []*SelectTemplate{lt, st.R} {
				if both[side] != tt.Items[i].Expr {
					tt.Items[i].Expr = both[side]
					tt.Items[i].Column = ColumnMeta(both[side], tt.Items[i].Name)
				}
			}
		}
	}
	t := &SelectTemplate{Set: st}
	for i, it := range lt.Items {
		var of *catalog.Column
		if c, ok := it.Expr.(*expr.ColRef); ok && (st.R == nil || sameColumnType(c, st.R.Items[i].Expr)) {
			of = c.Col
		}
		c := catalog.DerivedColumn(it.Name, expr.KindOf(it.Expr), of)
		st.Cols = append(st.Cols, c)
		col := it.Column
		if st.R != nil {
			col.Nullable = col.Nullable || st.R.Items[i].Column.Nullable
		}
		t.Items = append(t.Items, Item{Expr: &expr.ColRef{Col: c, At: -1}, Name: it.Name, Column: col})
	}
	// ORDER BY names output columns (or their positions).
	ob := &Builder{Text: b.Text, Table: &catalog.Table{Name: "the result", Cols: st.Cols}, ctx: b.ctx, schema: b.schema, opts: b.opts}
	for _, o := range orderBy {
		e, err := ob.groupOrOrderKey(o.Expr, t.Items, true)
		if err != nil {
			return nil, err
		}
		c, ok := e.(*expr.ColRef)
		if !ok {
			return nil, &sqlerr.Error{Pos: b.Text.Pos(o.Expr.Pos()), Msg: "ORDER BY of a set operation names a column of its result (or its position)"}
		}
		out := -1
		for j, sc := range st.Cols {
			if sc == c.Col {
				out = j
			}
		}
		t.Order = append(t.Order, OrderItem{Expr: e, Desc: o.Dir == "DESC", Nulls: o.Nulls, Output: out})
	}
	if limit != nil {
		if t.Limit, err = ob.LimitValue(limit.Count); err != nil {
			return nil, err
		}
		if limit.Offset != nil {
			if t.Offset, err = ob.LimitValue(limit.Offset); err != nil {
				return nil, err
			}
		}
	}
	return t, nil
}

// sameColumnType reports whether e is a column of c's field type, so that
// the output column may keep it.
func sameColumnType(c *expr.ColRef, e expr.Expr) bool {
	o, ok := e.(*expr.ColRef)
	return ok && o.Col.Type == c.Col.Type && o.Col.Kind == c.Col.Kind
}

// sibling is a builder for another query at b's level: same text, outer
// query, context, schema, options and common table expressions.
func (b *Builder) sibling() *Builder {
	return &Builder{Text: b.Text, outer: b.outer, ctx: b.ctx, schema: b.schema, opts: b.opts, ctes: b.ctes}
}

// inherit takes what a sibling query learned of the outer query: that
// it names its columns.
func (b *Builder) inherit(s *Builder) {
	if s.correlated {
		b.correlated = true
		b.outerRefs = append(b.outerRefs, s.outerRefs...)
	}
}

// cte is a common table expression of WITH.
type cte struct {
	name    string
	columns []parse.Ident
	query   *parse.Subquery
	// visible are the expressions its query may name: those of enclosing
	// WITHs and the ones before it in its own, not itself (a name it
	// uses for itself is a table, as in MySQL without RECURSIVE).
	visible map[string]*cte
}

// with resolves WITH name AS (query), ... body: each name stands for its
// query wherever FROM names it, in the body and in the expressions after
// it, as a derived table (MySQL's non-recursive common table
// expressions).
func (b *Builder) with(n *parse.With) (*SelectTemplate, error) {
	if n.Recursive {
		return nil, b.unsupported("WITH RECURSIVE", n.Pos(), "")
	}
	inner := b.sibling()
	inner.ctes = map[string]*cte{}
	for k, v := range b.ctes {
		inner.ctes[k] = v
	}
	for _, c := range n.CTEs {
		k := strings.ToLower(c.Name.Name)
		if _, dup := inner.ctes[k]; dup && !b.hasOuterCTE(k) {
			return nil, &sqlerr.Error{Pos: b.Text.Pos(c.Name.Pos()), Msg: fmt.Sprintf("WITH names %q twice", sqlerr.Abbrev(c.Name.Name))}
		}
		visible := make(map[string]*cte, len(inner.ctes))
		for name, v := range inner.ctes {
			visible[name] = v
		}
		inner.ctes[k] = &cte{name: c.Name.Name, columns: c.Columns, query: c.Query, visible: visible}
	}
	t, err := prepareQueryWith(inner, n.Body)
	b.inherit(inner)
	return t, err
}

// hasOuterCTE reports whether the name k came from an enclosing WITH
// (which an inner one may hide).
func (b *Builder) hasOuterCTE(k string) bool {
	_, ok := b.ctes[k]
	return ok
}
