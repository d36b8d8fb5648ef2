package plan

import (
	"fmt"

	"github.com/kintone-sql/kintone/translate/expr"
)

// Apply computes the subqueries of a query's expressions, then runs the
// query with their values in place (expr.Substitute): a subquery's list
// of values becomes x IN (v1, v2, ...), which Kintone evaluates like any
// other list, so that the query reads only what matches.
type Apply struct {
	// Subs are the subqueries' plans, in the order of their Index (nil
	// for one the query joins instead).
	Subs []Node
	// Modes are what each subquery stands for.
	Modes []expr.SubMode
	// Plan plans the query with the subqueries' results.
	Plan func(results []expr.SubResult) (Node, error)
	// Input is the query planned with the subqueries unknown (evaluated
	// in Go): what EXPLAIN shows of it. It never runs; nil when that
	// plan could not be made.
	Input Node
	// Hold caps the values a subquery of IN may return (0: no cap).
	Hold int
	// PerRow plans a correlated subquery (nil in Subs) for the values of
	// the outer columns it reads (s.Outer); the executor caches each
	// distinct set's result, at most Hold of them.
	PerRow func(s *expr.Subquery, outer []any) (Node, error)
}

// Children returns the subqueries' plans, then the query's (a subquery
// the query joins instead has no plan here).
func (n *Apply) Children() []Node {
	out := nonNil(n.Subs)
	if n.Input != nil {
		out = append(out, n.Input)
	}
	return out
}

// WithChildren returns a copy with the subqueries' plans and the query's
// replaced.
func (n *Apply) WithChildren(children ...Node) Node {
	c := *n
	rest := replaceNonNil(&c.Subs, children)
	if n.Input != nil {
		c.Input, rest = rest[0], rest[1:]
	}
	if len(rest) != 0 {
		panic(fmt.Sprintf("plan: Apply given %d inputs too many", len(rest)))
	}
	return &c
}

// nonNil lists the nodes of ns that are not nil.
func nonNil(ns []Node) []Node {
	var out []Node
	for _, x := range ns {
		if x != nil {
			out = append(out, x)
		}
	}
	return out
}

// replaceNonNil copies *ns with its non-nil nodes replaced by the first
// of children, in order, and returns the children left.
func replaceNonNil(ns *[]Node, children []Node) []Node {
	out := append([]Node(nil), (*ns)...)
	for i, x := range out {
		if x == nil {
			continue
		}
		if len(children) == 0 {
			panic("plan: too few inputs")
		}
		out[i], children = children[0], children[1:]
	}
	*ns = out
	return children
}

// Describe says what runs first.
func (n *Apply) Describe() string {
	k := len(nonNil(n.Subs))
	return fmt.Sprintf("compute %d subquer%s first, then plan the query with %s values (the last input, planned without them)", k, map[bool]string{true: "y", false: "ies"}[k == 1], map[bool]string{true: "its", false: "their"}[k == 1])
}

// Subqueries is a query whose expressions read subqueries, as the binder
// builds it: the optimizer turns it into an Apply.
type Subqueries struct {
	// Subs are the subqueries' plans (expr.Subquery.Index); nil for a
	// correlated one, which the query joins instead.
	Subs []Node
	// Modes are what each stands for.
	Modes []expr.SubMode
	// PerRow marks the correlated subqueries computed row by row (their
	// plans read outer columns).
	PerRow []bool
	// Input is the query, its expressions holding expr.Subquery nodes.
	Input Node
}

// Children returns the subqueries' plans, then the query's.
func (n *Subqueries) Children() []Node { return append(nonNil(n.Subs), n.Input) }

// WithChildren returns a copy with the plans replaced.
func (n *Subqueries) WithChildren(children ...Node) Node {
	c := *n
	rest := replaceNonNil(&c.Subs, children)
	if len(rest) != 1 {
		panic(fmt.Sprintf("plan: Subqueries given %d inputs too many or few", len(rest)-1))
	}
	c.Input = rest[0]
	return &c
}

// Describe counts the subqueries.
func (n *Subqueries) Describe() string {
	return fmt.Sprintf("a query reading %d subqueries", len(n.Subs))
}

// MapExprs returns n with every expression of its nodes replaced by f's
// result (a Filter's condition, a projection's items, the grouping, the
// sort keys, a join's condition). It does not go into a derived table or
// the subqueries of a Subqueries or Apply node: their expressions are
// another query's.
func MapExprs(n Node, f func(expr.Expr) (expr.Expr, error)) (Node, error) {
	var err error
	one := func(e expr.Expr) expr.Expr {
		if err != nil || e == nil {
			return e
		}
		var out expr.Expr
		out, err = f(e)
		return out
	}
	many := func(es []expr.Expr) []expr.Expr {
		out := make([]expr.Expr, len(es))
		for i, e := range es {
			out[i] = one(e)
		}
		return out
	}
	var out Node
	switch x := n.(type) {
	case *Derived, *Subqueries, *Apply:
		return n, nil
	case *Filter:
		c := *x
		c.Cond = one(x.Cond)
		out = &c
	case *Project:
		c := *x
		c.Items, c.Hidden = many(x.Items), many(x.Hidden)
		out = &c
	case *Aggregate:
		c := *x
		c.GroupBy = many(x.GroupBy)
		c.Aggs = make([]*expr.Agg, len(x.Aggs))
		for i, a := range x.Aggs {
			e := one(a)
			if ag, ok := e.(*expr.Agg); ok {
				c.Aggs[i] = ag
			} else if err == nil {
				err = fmt.Errorf("kintone: internal error: an aggregate rewritten to %T", e)
			}
		}
		out = &c
	case *Sort:
		c := *x
		c.Keys = append([]Order(nil), x.Keys...)
		for i := range c.Keys {
			c.Keys[i].Expr = one(c.Keys[i].Expr)
		}
		out = &c
	case *Join:
		c := *x
		c.On = one(x.On)
		out = &c
	case *Window:
		c := *x
		c.Funcs = make([]*expr.WindowFunc, len(x.Funcs))
		for i, w := range x.Funcs {
			e := one(w)
			if wf, ok := e.(*expr.WindowFunc); ok {
				c.Funcs[i] = wf
			} else if err == nil {
				err = fmt.Errorf("kintone: internal error: a window function rewritten to %T", e)
			}
		}
		out = &c
	default:
		out = n
	}
	if err != nil {
		return nil, err
	}
	kids := out.Children()
	if len(kids) == 0 {
		return out, nil
	}
	mapped := make([]Node, len(kids))
	for i, k := range kids {
		if mapped[i], err = MapExprs(k, f); err != nil {
			return nil, err
		}
	}
	return out.WithChildren(mapped...), nil
}
