package expr

import "fmt"

// ResolveColumns returns e with every ColRef's Index set to the position
// of its column's code in cols, the columns of the rows e is evaluated
// against. e is copied, never changed (a prepared statement's expressions
// are shared by its runs); it fails when a column is not among cols,
// which is a planner's mistake, not the user's.
func ResolveColumns(e Expr, cols []string) (Expr, error) {
	if e == nil {
		return nil, nil
	}
	return Rewrite(e, func(x Expr) (Expr, error) {
		c, ok := x.(*ColRef)
		if !ok {
			return x, nil
		}
		for i, code := range cols {
			if code == c.Col.Code {
				r := *c
				r.Index, r.Resolved = i, true
				return &r, nil
			}
		}
		return nil, fmt.Errorf("kintone: internal error: column %q is not read (the plan reads %v)", c.Col.Code, cols)
	})
}

// ResolveAll resolves every expression of es (see ResolveColumns).
func ResolveAll(es []Expr, cols []string) ([]Expr, error) {
	out := make([]Expr, len(es))
	for i, e := range es {
		r, err := ResolveColumns(e, cols)
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}
