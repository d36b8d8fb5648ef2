package bind

import (
	"fmt"

	"github.com/kintone-sql/kintone/translate/catalog"

	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/parse"
	"github.com/kintone-sql/kintone/translate/sqlerr"
)

// SubTemplate is a subquery of an expression: (SELECT ...), EXISTS
// (SELECT ...) or x IN (SELECT ...).
type SubTemplate struct {
	// T is the subquery.
	T *SelectTemplate
	// Mode is what it stands for.
	Mode expr.SubMode
	// Correlated is set when the subquery names columns of the query it
	// stands in: it then runs as a semi or anti join ([NOT] EXISTS, IN).
	Correlated bool
}

// subquery resolves a subquery of an expression and returns the
// expression that stands for it. IN and a value take one column.
func (b *Builder) subquery(q *parse.Subquery, mode expr.SubMode, x expr.Expr, not bool, at int) (expr.Expr, error) {
	if b.ctx == nil {
		return nil, b.unsupported("subquery here", q.Query.Pos(), "")
	}
	sub := &Builder{Text: b.Text, outer: b, ctx: b.ctx, schema: b.schema, opts: b.opts, ctes: b.ctes}
	t, err := prepareQueryWith(sub, q.Query)
	if err != nil {
		return nil, err
	}

	if mode != expr.SubExists && len(t.Items) != 1 {
		return nil, &sqlerr.Error{Pos: b.Text.Pos(q.Query.Pos()), Msg: fmt.Sprintf("the subquery returns %d columns; here it must return one", len(t.Items))}
	}
	s := &expr.Subquery{Index: len(b.subs), Mode: mode, X: x, Not: not, At: at}
	if sub.correlated {
		// The outer columns it reads, each once: a correlated subquery
		// not joined to its query runs for each distinct set of their
		// values.
		seen := map[*catalog.Column]bool{}
		for _, e := range sub.outerRefs {
			if c, ok := e.(*expr.ColRef); ok && !seen[c.Col] {
				seen[c.Col] = true
				s.Outer = append(s.Outer, c)
				s.OuterCols = append(s.OuterCols, c.Col)
			}
		}
	}
	if mode != expr.SubExists {
		s.Kind = expr.KindOf(t.Items[0].Expr)
	}
	b.subs = append(b.subs, &SubTemplate{T: t, Mode: mode, Correlated: sub.correlated})
	return s, nil
}
