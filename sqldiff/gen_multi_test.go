package sqldiff

// The multi-table corpus: joins of every kind, subqueries and set
// operations. The driver refuses them today (translate.UnsupportedError);
// TestDiffSQLiteMultiTable compares each with SQLite as soon as it runs.

import (
	"strconv"
)

// multiTableCorpus returns n statements, the kinds taken in turn.
func multiTableCorpus(d *dataset, n int) []stmt {
	g := newGen(d, 2)
	makers := []func() stmt{
		func() stmt { return g.joinOn(pick(g, []string{"JOIN", "INNER JOIN"})) },
		func() stmt { return g.joinOn("LEFT JOIN") },
		func() stmt { return g.joinOn("RIGHT JOIN") },
		func() stmt { return g.joinOn("FULL OUTER JOIN") },
		g.commaJoin,
		g.crossJoin,
		g.usingJoin,
		g.selfJoin,
		g.threeTables,
		g.childJoin,
		g.joinGroup,
		g.inSubquery,
		g.notInSubquery,
		g.existsSubquery,
		g.scalarSubquery,
		g.derivedTable,
		g.setOperation,
	}
	out := make([]stmt, 0, n)
	for i := range n {
		out = append(out, makers[i%len(makers)]())
	}
	return out
}

// The tables of the multi-table statements.
func (g *gen) customers() *table { return g.d.tables["customers"] }
func (g *gen) orders() *table    { return g.d.tables["orders"] }
func (g *gen) items() *table     { return g.d.tables["orders.items"] }
func (g *gen) returns() *table   { return g.d.tables["returns"] }

// ref is a qualified column of t.
func ref(t *table, qual, name string) colRef { return colRef{qual, t.col(name)} }

// selectFrom adds to q the key columns of each (table, alias) and one or
// two more values of each.
func (g *gen) selectFrom(q *query, sides ...tableRef) {
	for _, s := range sides {
		for _, k := range keyCols(s.t, s.alias) {
			q.items = append(q.items, item{e: k})
		}
	}
	for _, s := range sides {
		for range 1 + g.rng.IntN(2) {
			e := g.valueExpr(s.t, s.alias, false)
			it := item{e: e}
			if _, ok := e.(colRef); !ok {
				it.alias = g.alias()
			}
			q.items = append(q.items, it)
		}
	}
}

// orderByKeys orders q by the key columns of each side, which makes the
// order total (an outer join's NULL keys come first in both engines), and
// sometimes adds LIMIT and OFFSET.
func (g *gen) orderByKeys(q *query, sides ...tableRef) {
	if !g.chance(45) {
		return
	}
	for _, s := range sides {
		for _, k := range keyCols(s.t, s.alias) {
			q.order = append(q.order, orderKey{k, g.chance(30)})
		}
	}
	q.total = true
	if g.chance(50) {
		q.limit = 1 + g.rng.IntN(20)
		q.offset = g.rng.IntN(10)
	}
}

// joinOn is customers JOIN orders ON code = customer_code, of the given
// kind, either way round, sometimes with more in ON than the keys (which
// differs from WHERE for outer joins) and a WHERE.
func (g *gen) joinOn(op string) stmt {
	c, o := tableRef{g.customers(), "c"}, tableRef{g.orders(), "o"}
	var on expr = binary{"=", ref(c.t, "c", "code"), ref(o.t, "o", "customer_code")}
	if g.chance(30) {
		on = binary{"AND", on, g.cond(o.t, "o", 0)}
	}
	l, r := fromItem(c), fromItem(o)
	if g.chance(30) {
		l, r = r, l
	}
	q := &query{from: join{op: op, l: l, r: r, on: on}, limit: -1}
	g.selectFrom(q, c, o)
	if g.chance(50) {
		side := pick(g, []tableRef{c, o})
		q.where = g.cond(side.t, side.alias, 1)
	}
	g.orderByKeys(q, c, o)
	return q
}

// commaJoin is FROM customers, orders WHERE the keys match.
func (g *gen) commaJoin() stmt {
	c, o := tableRef{g.customers(), "c"}, tableRef{g.orders(), "o"}
	q := &query{from: join{op: ",", l: c, r: o}, limit: -1}
	g.selectFrom(q, c, o)
	q.where = andAll(binary{"=", ref(c.t, "c", "code"), ref(o.t, "o", "customer_code")}, g.maybeCond(o, 60))
	g.orderByKeys(q, c, o)
	return q
}

// maybeCond is a condition on s pct percent of the time, else nil.
func (g *gen) maybeCond(s tableRef, pct int) expr {
	if g.chance(pct) {
		return g.cond(s.t, s.alias, 1)
	}
	return nil
}

// crossJoin is CROSS JOIN with an empty table, or of customers with
// themselves cut down by WHERE.
func (g *gen) crossJoin() stmt {
	a := tableRef{g.customers(), "a"}
	if g.chance(30) {
		r := tableRef{g.returns(), "r"}
		q := &query{from: join{op: "CROSS JOIN", l: a, r: r}, limit: -1}
		g.selectFrom(q, a, r)
		return q
	}
	b := tableRef{g.customers(), "b"}
	q := &query{from: join{op: "CROSS JOIN", l: a, r: b}, limit: -1}
	g.selectFrom(q, a, b)
	k := strconv.Itoa(3 + g.rng.IntN(6))
	q.where = andAll(binary{"<=", ref(a.t, "a", "$id"), numLit(k)}, binary{"<=", ref(b.t, "b", "$id"), numLit(k)}, g.maybeCond(b, 50))
	g.orderByKeys(q, a, b)
	return q
}

// usingJoin is orders JOIN orders.items USING ($id), or customers joined
// with themselves USING (region).
func (g *gen) usingJoin() stmt {
	if g.chance(60) {
		o, i := tableRef{g.orders(), "o"}, tableRef{g.items(), "i"}
		q := &query{from: join{op: pick(g, []string{"JOIN", "LEFT JOIN"}), l: o, r: i, using: []string{"$id"}}, limit: -1}
		g.selectFrom(q, o, i)
		q.where = g.maybeCond(i, 50)
		g.orderByKeys(q, o, i)
		return q
	}
	a, b := tableRef{g.customers(), "a"}, tableRef{g.customers(), "b"}
	q := &query{from: join{op: "JOIN", l: a, r: b, using: []string{"region"}}, limit: -1}
	g.selectFrom(q, a, b)
	q.where = andAll(binary{"<", ref(a.t, "a", "$id"), ref(b.t, "b", "$id")}, g.maybeCond(a, 40))
	g.orderByKeys(q, a, b)
	return q
}

// selfJoin joins customers or orders with themselves on a shared value.
func (g *gen) selfJoin() stmt {
	t, key := g.customers(), "code"
	if g.chance(50) {
		t, key = g.orders(), "customer_code"
	}
	a, b := tableRef{t, "a"}, tableRef{t, "b"}
	on := andAll(binary{"=", ref(t, "a", key), ref(t, "b", key)}, binary{"<", ref(t, "a", "$id"), ref(t, "b", "$id")})
	q := &query{from: join{op: pick(g, []string{"JOIN", "LEFT JOIN"}), l: a, r: b, on: on}, limit: -1}
	g.selectFrom(q, a, b)
	q.where = g.maybeCond(a, 40)
	g.orderByKeys(q, a, b)
	return q
}

// threeTables is customers JOIN orders JOIN orders.items.
func (g *gen) threeTables() stmt {
	c, o, i := tableRef{g.customers(), "c"}, tableRef{g.orders(), "o"}, tableRef{g.items(), "i"}
	co := join{op: pick(g, []string{"JOIN", "LEFT JOIN"}), l: c, r: o, on: binary{"=", ref(c.t, "c", "code"), ref(o.t, "o", "customer_code")}}
	q := &query{from: join{op: pick(g, []string{"JOIN", "LEFT JOIN"}), l: co, r: i, on: binary{"=", ref(i.t, "i", "$id"), ref(o.t, "o", "$id")}}, limit: -1}
	g.selectFrom(q, c, o, i)
	q.where = g.maybeCond(pick(g, []tableRef{c, o, i}), 50)
	g.orderByKeys(q, c, o, i)
	return q
}

// childJoin joins orders with its child table orders.items on $id, row by
// row or grouped by order.
func (g *gen) childJoin() stmt {
	o, i := tableRef{g.orders(), "o"}, tableRef{g.items(), "i"}
	from := join{op: pick(g, []string{"JOIN", "LEFT JOIN"}), l: o, r: i, on: binary{"=", ref(o.t, "o", "$id"), ref(i.t, "i", "$id")}}
	if g.chance(50) {
		q := &query{from: from, limit: -1}
		g.selectFrom(q, o, i)
		q.where = g.maybeCond(pick(g, []tableRef{o, i}), 60)
		g.orderByKeys(q, o, i)
		return q
	}
	q := &query{from: from, limit: -1, group: []expr{ref(o.t, "o", "$id")}, items: []item{
		{e: ref(o.t, "o", "$id")},
		{e: agg{fn: "COUNT", arg: ref(i.t, "i", "$row_id")}, alias: g.alias()},
		{e: agg{fn: "SUM", arg: ref(i.t, "i", "price")}, alias: g.alias()},
		{e: agg{fn: "MAX", arg: ref(i.t, "i", "product")}, alias: g.alias()},
	}}
	q.where = g.maybeCond(o, 40)
	if g.chance(40) {
		q.having = binary{">", agg{fn: "COUNT", arg: ref(i.t, "i", "$row_id")}, numLit(strconv.Itoa(g.rng.IntN(3)))}
	}
	return q
}

// joinGroup groups a join of customers and orders by a customer column.
func (g *gen) joinGroup() stmt {
	c, o := tableRef{g.customers(), "c"}, tableRef{g.orders(), "o"}
	key := ref(c.t, "c", pick(g, []string{"region", "code", "since"}))
	q := &query{from: join{op: pick(g, []string{"JOIN", "LEFT JOIN"}), l: c, r: o, on: binary{"=", ref(c.t, "c", "code"), ref(o.t, "o", "customer_code")}},
		limit: -1, group: []expr{key}, items: []item{
			{e: key},
			{e: agg{fn: "COUNT"}, alias: g.alias()},
			{e: agg{fn: "COUNT", arg: ref(o.t, "o", "$id")}, alias: g.alias()},
			{e: agg{fn: "SUM", arg: ref(o.t, "o", "amount")}, alias: g.alias()},
			{e: agg{fn: "MAX", arg: ref(o.t, "o", "ordered")}, alias: g.alias()},
		}}
	q.where = g.maybeCond(o, 40)
	if g.chance(40) {
		q.having = binary{">=", agg{fn: "COUNT"}, numLit(strconv.Itoa(1 + g.rng.IntN(4)))}
	}
	if g.chance(40) {
		q.order = []orderKey{{position{1, key.kind()}, g.chance(50)}}
		q.total = true
	}
	return q
}

// inSubquery is orders WHERE customer_code IN (SELECT code FROM
// customers ...), or orders WHERE $id IN (SELECT $id FROM orders.items ...).
func (g *gen) inSubquery() stmt {
	o := tableRef{g.orders(), ""}
	q := &query{from: o, limit: -1}
	g.selectFrom(q, o)
	if g.chance(60) {
		c := tableRef{g.customers(), ""}
		sub := &query{from: c, items: []item{{e: ref(c.t, "", "code")}}, where: g.maybeCond(c, 70), limit: -1}
		q.where = inSub{e: ref(o.t, "", "customer_code"), q: sub}
	} else {
		i := tableRef{g.items(), ""}
		sub := &query{from: i, items: []item{{e: ref(i.t, "", "$id")}}, where: g.cond(i.t, "", 1), limit: -1}
		q.where = inSub{e: ref(o.t, "", "$id"), q: sub}
	}
	g.orderByKeys(q, o)
	return q
}

// notInSubquery is NOT IN a subquery: one whose values include NULL (no
// row is then TRUE), one without NULLs, or an empty one (every row,
// NULLs included, is TRUE).
func (g *gen) notInSubquery() stmt {
	o, c := tableRef{g.orders(), ""}, tableRef{g.customers(), ""}
	q := &query{from: o, limit: -1}
	g.selectFrom(q, o)
	var sub *query
	switch g.rng.IntN(3) {
	case 0:
		sub = &query{from: c, items: []item{{e: ref(c.t, "", "code")}}, where: g.maybeCond(c, 40), limit: -1}
	case 1:
		sub = &query{from: c, items: []item{{e: ref(c.t, "", "code")}}, limit: -1,
			where: andAll(isNull{ref(c.t, "", "code"), true}, g.maybeCond(c, 60))}
	default:
		r := tableRef{g.returns(), ""}
		sub = &query{from: r, items: []item{{e: ref(r.t, "", "order_code")}}, limit: -1}
	}
	q.where = inSub{e: ref(o.t, "", "customer_code"), q: sub, not: true}
	g.orderByKeys(q, o)
	return q
}

// existsSubquery is customers WHERE [NOT] EXISTS (a correlated subquery on
// orders), or EXISTS over the empty table.
func (g *gen) existsSubquery() stmt {
	c, o := tableRef{g.customers(), "c"}, tableRef{g.orders(), "o"}
	q := &query{from: c, limit: -1}
	g.selectFrom(q, c)
	sub := &query{from: o, items: []item{{e: numLit("1")}}, limit: -1,
		where: andAll(binary{"=", ref(o.t, "o", "customer_code"), ref(c.t, "c", "code")}, g.maybeCond(o, 50))}
	if g.chance(15) {
		r := tableRef{g.returns(), "r"}
		sub = &query{from: r, items: []item{{e: numLit("1")}}, limit: -1}
	}
	q.where = exists{q: sub, not: g.chance(40)}
	g.orderByKeys(q, c)
	return q
}

// scalarSubquery uses an aggregate subquery as a value: correlated in the
// select list, or uncorrelated in WHERE (NULL when it has no rows).
func (g *gen) scalarSubquery() stmt {
	c, o := tableRef{g.customers(), "c"}, tableRef{g.orders(), "o"}
	if g.chance(50) {
		q := &query{from: c, limit: -1}
		g.selectFrom(q, c)
		a := pick(g, []agg{{fn: "COUNT"}, {fn: "MAX", arg: ref(o.t, "o", "amount")}, {fn: "MIN", arg: ref(o.t, "o", "ordered")}})
		sub := &query{from: o, items: []item{{e: a}}, limit: -1,
			where: andAll(binary{"=", ref(o.t, "o", "customer_code"), ref(c.t, "c", "code")}, g.maybeCond(o, 30))}
		q.items = append(q.items, item{e: scalarSub{sub}, alias: g.alias()})
		g.orderByKeys(q, c)
		return q
	}
	q := &query{from: o, limit: -1}
	g.selectFrom(q, o)
	var sub *query
	if g.chance(25) {
		r := tableRef{g.returns(), ""}
		sub = &query{from: r, items: []item{{e: agg{fn: "MIN", arg: ref(r.t, "", "refund")}}}, limit: -1}
	} else {
		cc := tableRef{g.customers(), ""}
		sub = &query{from: cc, items: []item{{e: agg{fn: pick(g, []string{"MIN", "MAX"}), arg: ref(cc.t, "", "credit")}}}, where: g.maybeCond(cc, 60), limit: -1}
	}
	q.where = binary{pick(g, cmpOps), ref(o.t, "o", "amount"), scalarSub{sub}}
	g.orderByKeys(q, o)
	return q
}

// derivedTable selects from a grouped subquery in FROM, alone or joined
// with customers.
func (g *gen) derivedTable() stmt {
	o := tableRef{g.orders(), ""}
	inner := &query{from: o, limit: -1, where: g.maybeCond(o, 40),
		group: []expr{ref(o.t, "", "customer_code")},
		items: []item{
			{e: ref(o.t, "", "customer_code"), alias: "k"},
			{e: agg{fn: "COUNT"}, alias: "n"},
			{e: agg{fn: "SUM", arg: ref(o.t, "", "amount")}, alias: "s"},
		}}
	k, n, s := colRef{"t", column{name: "k", typ: cText}}, colRef{"t", column{name: "n", typ: cNum}}, colRef{"t", column{name: "s", typ: cNum}}
	dt := derived{q: inner, alias: "t"}
	if g.chance(50) {
		q := &query{from: dt, items: []item{{e: k}, {e: n}, {e: s}}, limit: -1,
			where: binary{pick(g, []string{">", ">=", "<"}), n, numLit(strconv.Itoa(1 + g.rng.IntN(4)))}}
		if g.chance(50) {
			q.order, q.total = []orderKey{{k, g.chance(50)}}, true
		}
		return q
	}
	c := tableRef{g.customers(), "c"}
	q := &query{from: join{op: pick(g, []string{"JOIN", "LEFT JOIN"}), l: c, r: dt, on: binary{"=", k, ref(c.t, "c", "code")}},
		items: []item{{e: ref(c.t, "c", "$id")}, {e: ref(c.t, "c", "name")}, {e: n}, {e: s}}, limit: -1}
	q.where = g.maybeCond(c, 40)
	if g.chance(50) {
		q.order, q.total = []orderKey{{ref(c.t, "c", "$id"), false}}, true
	}
	return q
}

// setPairs are columns of the same type in two tables, for set
// operations.
var setPairs = [][2][2]string{
	{{"customers", "code"}, {"orders", "customer_code"}},
	{{"customers", "region"}, {"orders", "status"}},
	{{"customers", "credit"}, {"orders", "amount"}},
	{{"customers", "name"}, {"orders.items", "product"}},
	{{"customers", "since"}, {"returns", "returned"}},
	{{"orders", "customer_code"}, {"returns", "order_code"}},
	{{"orders", "amount"}, {"orders.items", "price"}},
}

// setOperand is SELECT col [, col2] FROM t [WHERE].
func (g *gen) setOperand(tname, col, col2 string) *query {
	t := g.d.tables[tname]
	q := &query{from: tableRef{t: t}, items: []item{{e: ref(t, "", col)}}, limit: -1, where: g.maybeCond(tableRef{t: t}, 40)}
	if col2 != "" {
		q.items = append(q.items, item{e: ref(t, "", col2)})
	}
	return q
}

// setOperation is UNION, UNION ALL, INTERSECT or EXCEPT of one or two
// columns, sometimes a chain of UNION and EXCEPT, ordered by every column
// or not at all.
func (g *gen) setOperation() stmt {
	p := pick(g, setPairs)
	var l, r *query
	if g.chance(25) {
		l = g.setOperand("customers", "code", "region")
		r = g.setOperand("orders", "customer_code", "status")
	} else {
		l = g.setOperand(p[0][0], p[0][1], "")
		r = g.setOperand(p[1][0], p[1][1], "")
	}
	if g.chance(50) {
		l, r = r, l
	}
	s := &setOp{op: pick(g, []string{"UNION", "UNION ALL", "INTERSECT", "EXCEPT"}), l: l, r: r, limit: -1}
	if s.op != "INTERSECT" && len(l.items) == 1 && g.chance(30) {
		side := p[g.rng.IntN(2)]
		third := g.setOperand(side[0], side[1], "")
		if third.items[0].e.kind() == l.items[0].e.kind() {
			s = &setOp{op: pick(g, []string{"UNION", "UNION ALL", "EXCEPT"}), l: s, r: third, limit: -1}
		}
	}
	if g.chance(50) {
		for i, k := range s.kinds() {
			s.order = append(s.order, orderKey{position{i + 1, k}, g.chance(40)})
		}
		s.total = true
		if g.chance(40) {
			s.limit = 1 + g.rng.IntN(10)
			s.offset = g.rng.IntN(5)
		}
	}
	return s
}
