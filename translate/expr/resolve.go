package expr

import (
	"fmt"

	"github.com/kintone-sql/kintone/translate/catalog"
)

// ResolveColumns returns e with every ColRef's Index set to the position
// of its column in cols, the columns of the rows e is evaluated against.
// A column is matched by identity, not by its code: the same field of two
// tables (a self-join's two sides) is two columns. e is copied, never
// changed (a prepared statement's expressions are shared by its runs);
// it fails when a column is not among cols, which is a planner's mistake,
// not the user's.
func ResolveColumns(e Expr, cols []*catalog.Column) (Expr, error) {
	if e == nil {
		return nil, nil
	}
	return Rewrite(e, func(x Expr) (Expr, error) {
		c, ok := x.(*ColRef)
		if !ok {
			return x, nil
		}
		for i, col := range cols {
			if col == c.Col {
				r := *c
				r.Index, r.Resolved = i, true
				return &r, nil
			}
		}
		return nil, fmt.Errorf("kintone: internal error: column %q is not among the columns the plan reads", c.Col.Code)
	})
}
