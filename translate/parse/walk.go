package parse

// This file walks the tree. children is the one place that knows each
// node's children; Inspect and Children are built on it.

// Inspect traverses the tree rooted at n in depth-first order, in source
// order: it calls f(n); when f returns true it inspects each child of n,
// then calls f(nil). Names (Ident, TableName) are fields of their nodes
// and are not visited.
func Inspect(n Node, f func(Node) bool) {
	if n == nil || !f(n) {
		return
	}
	children(n, func(c Node) { Inspect(c, f) })
	f(nil)
}

// Children returns the direct children of n, in source order.
func Children(n Node) []Node {
	var out []Node
	children(n, func(c Node) { out = append(out, c) })
	return out
}

// children calls f for each non-nil child of n, in source order.
func children(n Node, f func(Node)) {
	expr := func(e Expr) {
		if e != nil {
			f(e)
		}
	}
	exprs := func(es []Expr) {
		for _, e := range es {
			f(e)
		}
	}
	order := func(items []*OrderItem) {
		for _, it := range items {
			f(it)
		}
	}
	limit := func(l *Limit) {
		if l != nil {
			f(l)
		}
	}
	switch n := n.(type) {
	case *ColumnRef, *Literal, *Param, *Default, *Star, *ConvertType, *ParamRun,
		*ShowTables, *ShowColumns, *Describe:
		// Leaves, but for the filters of SHOW.
		switch n := n.(type) {
		case *ShowTables:
			if n.Like != nil {
				f(n.Like)
			}
			expr(n.Where)
		case *ShowColumns:
			if n.Like != nil {
				f(n.Like)
			}
			expr(n.Where)
		case *Describe:
			if n.Pattern != nil {
				f(n.Pattern)
			}
		}
	case *Paren:
		f(n.X)
	case *Unary:
		f(n.X)
	case *Binary:
		f(n.L)
		f(n.R)
	case *Is:
		f(n.X)
	case *In:
		f(n.X)
		exprs(n.List)
		if n.Query != nil {
			f(n.Query)
		}
	case *Between:
		f(n.X)
		f(n.Lo)
		f(n.Hi)
	case *Like:
		f(n.X)
		f(n.Pattern)
		expr(n.Escape)
	case *Collate:
		f(n.X)
	case *Case:
		expr(n.Operand)
		for _, w := range n.Whens {
			f(w)
		}
		expr(n.Else)
	case *When:
		f(n.Cond)
		f(n.Result)
	case *Call:
		exprs(n.Args)
		order(n.OrderBy)
		if n.Separator != nil {
			f(n.Separator)
		}
		if n.Over != nil {
			f(n.Over)
		}
	case *Window:
		exprs(n.PartitionBy)
		order(n.OrderBy)
	case *Cast:
		f(n.X)
		if n.Type != nil {
			f(n.Type)
		}
	case *Interval:
		f(n.X)
	case *Exists:
		f(n.Query)
	case *Subquery:
		f(n.Query)
	case *Tuple:
		exprs(n.Exprs)
	case *ValuesFunc:
		f(n.Column)
	case *Select:
		for _, it := range n.Items {
			f(it)
		}
		for _, t := range n.From {
			f(t)
		}
		expr(n.Where)
		exprs(n.GroupBy)
		expr(n.Having)
		order(n.OrderBy)
		limit(n.Limit)
	case *SelectItem:
		f(n.Expr)
	case *OrderItem:
		f(n.Expr)
	case *Limit:
		if n.Comma {
			expr(n.Offset)
			f(n.Count)
		} else {
			f(n.Count)
			expr(n.Offset)
		}
	case *SetOp:
		f(n.L)
		f(n.R)
		order(n.OrderBy)
		limit(n.Limit)
	case *ParenQuery:
		f(n.Query)
		order(n.OrderBy)
		limit(n.Limit)
	case *With:
		for _, c := range n.CTEs {
			f(c)
		}
		f(n.Body)
	case *CTE:
		f(n.Query)
	case *TableRef:
	case *DerivedTable:
		f(n.Query)
	case *Join:
		f(n.L)
		f(n.R)
		expr(n.On)
	case *ParenTable:
		for _, t := range n.Tables {
			f(t)
		}
	case *Insert:
		for _, c := range n.Columns {
			f(c)
		}
		for _, r := range n.Rows {
			f(r)
		}
		if n.Run != nil {
			f(n.Run)
		}
		if n.Query != nil {
			f(n.Query)
		}
		for _, a := range n.OnDup {
			f(a)
		}
	case *ValuesRow:
		exprs(n.Values)
	case *Assignment:
		f(n.Column)
		f(n.Value)
	case *Update:
		for _, t := range n.Tables {
			f(t)
		}
		for _, a := range n.Set {
			f(a)
		}
		expr(n.Where)
		order(n.OrderBy)
		limit(n.Limit)
	case *Delete:
		expr(n.Where)
		order(n.OrderBy)
		limit(n.Limit)
	case *Explain:
		f(n.Stmt)
	}
}
