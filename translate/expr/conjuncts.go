package expr

// Conjuncts splits e at its top-level ANDs (nil for nil): the conditions
// a planner may place one by one.
func Conjuncts(e Expr) []Expr {
	if e == nil {
		return nil
	}
	if l, ok := e.(*Logic); ok && l.And {
		var out []Expr
		for _, t := range l.Terms {
			out = append(out, Conjuncts(t)...)
		}
		return out
	}
	return []Expr{e}
}

// And joins conditions with AND: nil for none, the one itself for one.
func And(terms []Expr) Expr {
	switch len(terms) {
	case 0:
		return nil
	case 1:
		return terms[0]
	}
	return &Logic{And: true, Terms: terms, At: terms[0].Offset()}
}
