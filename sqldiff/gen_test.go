package sqldiff

// The statement generator. singleTableCorpus makes the statements the
// driver runs today (one table: WHERE, ORDER BY, LIMIT, GROUP BY, HAVING,
// DISTINCT); multiTableCorpus the joins, subqueries and set operations it
// refuses until they are built.
//
// Where MySQL (which the driver follows) and SQLite differ and printing
// cannot reconcile them (ast_test.go reconciles / as exact division,
// CONCAT's NULLs, CHAR_LENGTH and <=>; loadSQLite LIKE's case and the
// byte order of text; compare_test.go how numbers, dates and truth values
// come back), the generator keeps away:
//   - A DATETIME is compared only with full 'YYYY-MM-DD HH:MM:SS' text:
//     MySQL reads '2024-01-02' as midnight, SQLite would compare the
//     strings.
//   - Values of different types are never compared (MySQL converts,
//     SQLite orders by storage class).
//   - UPPER and LOWER are not used: SQLite's fold ASCII only, MySQL's (and
//     the driver's) all of Unicode ('Zoë').
//   - || is not used: it is OR in MySQL and concatenation in SQLite.
//   - ROUND is not used: MySQL rounds an exact decimal half away from
//     zero, SQLite a binary double (2.675 is 2.67499...).
//   - Sums are computed exactly by the driver and in doubles by SQLite. The
//     data's numbers have at most two decimals, so sums and products have
//     at most four; a condition on a sum, a product or a difference
//     compares it with a threshold ending in 5 at the fifth decimal (or
//     the third, for sums of one column), which no exact value equals and
//     no rounding error crosses. Sums are never ordered by (two equal
//     sums may differ in their last bits in SQLite).
//   - AVG and / are kApprox (see there): never in WHERE, HAVING, ORDER BY,
//     GROUP BY or DISTINCT.
//   - NULLs sort first ascending and last descending in both engines, so
//     ORDER BY needs nothing.
//   - LIMIT only follows an ORDER BY that is total (ending in $id, or
//     naming every column of a DISTINCT or grouped result), since
//     otherwise each engine may pick different rows.
//   - A scalar subquery returns one row (an aggregate): MySQL fails on
//     more, SQLite takes the first.
//   - INTERSECT is not mixed with UNION or EXCEPT: MySQL binds it tighter,
//     SQLite evaluates compound operators left to right. INTERSECT ALL and
//     EXCEPT ALL (MySQL 8.0.31) are not used: SQLite lacks them.
//   - FULL OUTER JOIN is not MySQL (which reads FULL as an alias and then
//     fails); the corpus has it anyway, marked, and accepts a syntax error
//     for it as well as the unsupported-construct error.

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"
)

// gen generates statements over a data set.
type gen struct {
	rng  *rand.Rand
	d    *dataset
	next int // numbers aliases
}

func newGen(d *dataset, seed uint64) *gen {
	return &gen{rng: rand.New(rand.NewPCG(seed, 14)), d: d}
}

// chance is true pct percent of the time.
func (g *gen) chance(pct int) bool { return g.rng.IntN(100) < pct }

// pick returns one element of s.
func pick[T any](g *gen, s []T) T { return s[g.rng.IntN(len(s))] }

// alias returns a fresh alias.
func (g *gen) alias() string {
	g.next++
	return "e" + strconv.Itoa(g.next)
}

// colsOf returns t's columns of the given types (all but $row_id when
// none are given).
func colsOf(t *table, types ...colType) []column {
	var out []column
	for _, c := range t.cols {
		if len(types) == 0 && c.name != "$row_id" {
			out = append(out, c)
			continue
		}
		for _, ty := range types {
			if c.typ == ty {
				out = append(out, c)
			}
		}
	}
	return out
}

// keyCols are the columns that make a row of t unique.
func keyCols(t *table, qual string) []expr {
	out := []expr{colRef{qual, t.cols[0]}}
	if t.child {
		out = append(out, colRef{qual, t.cols[1]})
	}
	return out
}

// Constants that occur in no data set value but sit among them.
var (
	extraTexts     = []string{"", "zzz", "C0", "Alice ", "alice", "C05 ", "東京"}
	extraNums      = []string{"0", "-0.5", "1000", "2.505", "-10", "0.10"}
	extraDates     = []string{"2023-06-15", "2024-12-31", "2022-01-01", "2025-01-01"}
	extraDateTimes = []string{"2024-01-02 00:00:00", "2024-02-01 12:00:00", "2024-01-01 00:00:00", "2024-03-31 23:59:00"}
)

// literal returns a constant for column c of t: mostly a value the data
// holds (so that = and IN find rows, ties included), otherwise one near
// them.
func (g *gen) literal(t *table, c column) lit {
	if c.typ == cID {
		// From 1 to a little past the largest id.
		top := int64(3)
		for _, v := range t.values(c.name) {
			top = max(top, v.(int64)+2)
		}
		return numLit(strconv.FormatInt(g.rng.Int64N(top)+1, 10))
	}
	vals := t.values(c.name)
	if len(vals) > 0 && g.chance(75) {
		v := pick(g, vals).(string)
		return lit{text: v, k: kindOf(c.typ)}
	}
	switch c.typ {
	case cNum:
		return numLit(pick(g, extraNums))
	case cDate:
		return lit{text: pick(g, extraDates), k: kDate}
	case cDateTime:
		return lit{text: pick(g, extraDateTimes), k: kDateTime}
	}
	return textLit(pick(g, extraTexts))
}

// threshold returns a number no exact sum, difference or product of the
// data equals (it ends in 5 at the fifth decimal).
func (g *gen) threshold() lit {
	n := g.rng.IntN(400) - 150
	return numLit(fmt.Sprintf("%d.00005", n))
}

// comparison ops.
var cmpOps = []string{"=", "<>", "!=", "<", "<=", ">", ">="}

// cond returns a condition over t's columns (qualified by qual).
func (g *gen) cond(t *table, qual string, depth int) expr {
	ref := func(c column) expr { return colRef{qual, c} }
	c := pick(g, colsOf(t))
	switch r := g.rng.IntN(100); {
	case depth > 0 && r < 18:
		switch g.rng.IntN(4) {
		case 3:
			return isTruth{g.cond(t, qual, depth-1), g.chance(50), g.chance(50)}
		case 0:
			return binary{"AND", g.cond(t, qual, depth-1), g.cond(t, qual, depth-1)}
		case 1:
			return binary{"OR", g.cond(t, qual, depth-1), g.cond(t, qual, depth-1)}
		}
		return unary{"NOT", g.cond(t, qual, depth-1)}
	case r < 40:
		return binary{pick(g, cmpOps), ref(c), g.literal(t, c)}
	case r < 42:
		if g.chance(30) {
			return binary{"<=>", ref(c), lit{null: true, k: kindOf(c.typ)}}
		}
		return binary{"<=>", ref(c), g.literal(t, c)}
	case r < 45:
		// An expression the driver evaluates itself, compared with a
		// constant.
		return g.exprCond(t, qual, c)
	case r < 52:
		// Two columns of one type.
		same := colsOf(t, c.typ)
		return binary{pick(g, cmpOps), ref(c), ref(pick(g, same))}
	case r < 58:
		nums := colsOf(t, cNum)
		if len(nums) == 0 {
			return isNull{ref(c), g.chance(50)}
		}
		op := pick(g, []string{"+", "-", "*"})
		var rhs expr = ref(pick(g, nums))
		if g.chance(40) {
			rhs = numLit(pick(g, []string{"2", "-3", "0.5", "10"}))
		}
		return binary{pick(g, []string{"<", "<=", ">", ">="}), binary{op, ref(pick(g, nums)), rhs}, g.threshold()}
	case r < 70:
		var list []expr
		for range 1 + g.rng.IntN(4) {
			list = append(list, g.literal(t, c))
		}
		if g.chance(20) {
			list = append(list, lit{null: true, k: kindOf(c.typ)})
		}
		return inList{ref(c), list, g.chance(35)}
	case r < 78:
		lo, hi := g.literal(t, c), g.literal(t, c)
		if g.chance(10) {
			lo = lit{null: true, k: lo.k}
		} else if g.chance(10) {
			hi = lit{null: true, k: hi.k}
		}
		return between{ref(c), lo, hi, g.chance(30)}
	case r < 88:
		texts := colsOf(t, cText)
		if len(texts) == 0 {
			return isNull{ref(c), g.chance(50)}
		}
		tc := pick(g, texts)
		if g.chance(15) {
			// ! escapes the wildcards the data holds ('100%', 'a_b').
			return like{ref(tc), pick(g, []string{"%!%", "%!_%", "a!_b", "100!%", "!%%", "%!!%"}), g.chance(30), true}
		}
		return like{ref(tc), g.pattern(t, tc), g.chance(30), false}
	}
	return isNull{ref(c), g.chance(50)}
}

// exprCond compares an expression over column c (or another column)
// with a constant: COALESCE, CHAR_LENGTH, ABS, negation, CASE.
func (g *gen) exprCond(t *table, qual string, c column) expr {
	ref := func(c column) expr { return colRef{qual, c} }
	op := pick(g, cmpOps)
	nums, texts := colsOf(t, cNum), colsOf(t, cText)
	switch g.rng.IntN(5) {
	case 0:
		if len(texts) > 0 {
			return binary{op, call{"CHAR_LENGTH", []expr{ref(pick(g, texts))}, kNum}, numLit(strconv.Itoa(g.rng.IntN(6)))}
		}
	case 1:
		if len(nums) > 0 {
			n := pick(g, nums)
			if g.chance(50) {
				return binary{op, call{"ABS", []expr{ref(n)}, kNum}, g.literal(t, n)}
			}
			return binary{op, unary{"-", ref(n)}, g.literal(t, n)}
		}
	case 2:
		return binary{op, caseWhen{g.cond(t, qual, 0), textLit("y"), textLit("n")}, textLit(pick(g, []string{"y", "n"}))}
	}
	return binary{op, call{"COALESCE", []expr{ref(c), g.literal(t, c)}, kindOf(c.typ)}, g.literal(t, c)}
}

// pattern returns a LIKE pattern made from a value of text column c.
func (g *gen) pattern(t *table, c column) string {
	vals := t.values(c.name)
	if len(vals) == 0 {
		return pick(g, []string{"%", "a%", "_", "%z%"})
	}
	r := []rune(pick(g, vals).(string))
	n := len(r)
	switch g.rng.IntN(8) {
	case 0:
		return string(r[:g.rng.IntN(n)+1]) + "%"
	case 1:
		return "%" + string(r[g.rng.IntN(n):])
	case 2:
		r[g.rng.IntN(n)] = '_'
		return string(r)
	case 3:
		return string(r)
	case 4:
		i := g.rng.IntN(n)
		return "%" + string(r[i:i+1]) + "%"
	case 5:
		// The same with its case changed: must not match.
		for i, x := range r {
			if unicode.IsUpper(x) {
				r[i] = unicode.ToLower(x)
			} else {
				r[i] = unicode.ToUpper(x)
			}
		}
		return string(r[:g.rng.IntN(n)+1]) + "%"
	case 6:
		return strings.Repeat("_", n)
	}
	return pick(g, []string{"%", "%_", "% ", "_%_", "%%"})
}

// valueExpr returns a non-aggregate expression over t for a select list:
// a column mostly, else arithmetic, a function, or a condition as a value.
// exact keeps it to exact kinds (no / ).
func (g *gen) valueExpr(t *table, qual string, exact bool) expr {
	ref := func(c column) expr { return colRef{qual, c} }
	c := pick(g, colsOf(t))
	if g.chance(65) {
		return ref(c)
	}
	nums, texts := colsOf(t, cNum), colsOf(t, cText)
	switch g.rng.IntN(8) {
	case 0:
		if len(nums) > 0 {
			var rhs expr = ref(pick(g, nums))
			if g.chance(50) {
				rhs = numLit(pick(g, []string{"1", "-2", "0.5", "100"}))
			}
			return binary{pick(g, []string{"+", "-", "*"}), ref(pick(g, nums)), rhs}
		}
	case 1:
		if len(nums) > 0 && !exact {
			// Division by a column meets its zeros and NULLs: NULL in both.
			var rhs expr = ref(pick(g, nums))
			if g.chance(50) {
				// x / 0 is NULL in both engines.
				rhs = numLit(pick(g, []string{"3", "-7", "0.5", "4", "0"}))
			}
			return binary{"/", ref(pick(g, nums)), rhs}
		}
	case 2:
		if len(nums) > 0 {
			n := pick(g, nums)
			if g.chance(50) {
				return call{"ABS", []expr{ref(n)}, kNum}
			}
			return unary{"-", ref(n)}
		}
	case 3:
		if len(texts) > 0 {
			return call{"CHAR_LENGTH", []expr{ref(pick(g, texts))}, kNum}
		}
	case 4:
		if len(texts) > 0 {
			return call{"CONCAT", []expr{ref(pick(g, texts)), textLit("/"), ref(pick(g, texts))}, kText}
		}
	case 5:
		return call{"COALESCE", []expr{ref(c), g.literal(t, c)}, kindOf(c.typ)}
	case 6:
		return caseWhen{g.cond(t, qual, 1), ref(c), g.literal(t, c)}
	}
	return g.cond(t, qual, 1)
}

// orderable reports whether the engines agree on e's order and equality:
// not so for kApprox, nor for arithmetic, whose results SQLite computes
// in doubles, where two equal exact values (0.1 + 0.2 and 0.3) may differ.
func orderable(e expr) bool {
	switch e := e.(type) {
	case binary:
		switch e.op {
		case "+", "-", "*", "/":
			return false
		}
	case unary:
		return e.op == "NOT" || orderable(e.e)
	case agg:
		return e.fn != "SUM" && e.fn != "AVG"
	}
	return e.kind() != kApprox
}

// keyExpr returns an expression to group by or make DISTINCT.
func (g *gen) keyExpr(t *table) expr {
	for {
		if e := g.valueExpr(t, "", true); orderable(e) {
			return e
		}
	}
}

// singleTable picks the table of a one-table statement: mostly the
// loaded apps, now and then an empty one.
func (g *gen) singleTable() *table {
	switch r := g.rng.IntN(100); {
	case r < 36:
		return g.d.tables["customers"]
	case r < 72:
		return g.d.tables["orders"]
	case r < 92:
		return g.d.tables["orders.items"]
	case r < 96:
		return g.d.tables["returns"]
	}
	return g.d.tables["returns.parts"]
}

// singleTableCorpus returns n one-table statements made from seed.
func singleTableCorpus(d *dataset, n int, seed uint64) []stmt {
	g := newGen(d, seed)
	out := make([]stmt, 0, n)
	for range n {
		t := g.singleTable()
		switch r := g.rng.IntN(100); {
		case r < 50:
			out = append(out, g.filterQuery(t))
		case r < 62:
			out = append(out, g.distinctQuery(t))
		case r < 90:
			out = append(out, g.groupQuery(t))
		default:
			out = append(out, g.totalsQuery(t))
		}
	}
	return out
}

// filterQuery is SELECT $id, ... FROM t [WHERE] [ORDER BY [LIMIT]].
func (g *gen) filterQuery(t *table) stmt {
	q := &query{from: tableRef{t: t}, limit: -1}
	for _, k := range keyCols(t, "") {
		q.items = append(q.items, item{e: k})
	}
	for range 1 + g.rng.IntN(3) {
		e := g.valueExpr(t, "", false)
		it := item{e: e}
		if _, ok := e.(colRef); !ok {
			it.alias = g.alias()
		}
		q.items = append(q.items, it)
	}
	if g.chance(80) {
		q.where = g.cond(t, "", 2)
	}
	if g.chance(55) {
		for range 1 + g.rng.IntN(2) {
			// By a column, by a select item's alias, or by its position.
			i := g.rng.IntN(len(q.items))
			it := q.items[i]
			if !orderable(it.e) || g.chance(30) {
				q.order = append(q.order, orderKey{colRef{"", pick(g, colsOf(t))}, g.chance(40)})
				continue
			}
			var e expr = it.e
			switch {
			case it.alias != "":
				e = aliasRef{it.alias, it.e.kind()}
			case g.chance(30):
				e = position{i + 1, it.e.kind()}
			}
			q.order = append(q.order, orderKey{e, g.chance(40)})
		}
		if g.chance(75) {
			for _, k := range keyCols(t, "") {
				q.order = append(q.order, orderKey{k, g.chance(30)})
			}
			q.total = true
			if g.chance(60) {
				q.limit = g.rng.IntN(15)
				if g.chance(50) {
					q.offset = g.rng.IntN(12)
				}
				if g.chance(20) {
					// Across many pages, or past the end.
					q.limit, q.offset = 20+g.rng.IntN(100), g.rng.IntN(200)
				}
			}
		}
	}
	return q
}

// distinctQuery is SELECT DISTINCT cols FROM t [WHERE] [ORDER BY all
// [LIMIT]].
func (g *gen) distinctQuery(t *table) stmt {
	q := &query{distinct: true, from: tableRef{t: t}, limit: -1}
	cols := colsOf(t)[1:] // not $id: DISTINCT would fold nothing
	for range 1 + g.rng.IntN(2) {
		if g.chance(80) {
			q.items = append(q.items, item{e: colRef{"", pick(g, cols)}})
		} else {
			q.items = append(q.items, item{e: g.keyExpr(t), alias: g.alias()})
		}
	}
	if g.chance(60) {
		q.where = g.cond(t, "", 1)
	}
	if g.chance(50) {
		// By every column, by position: total.
		for i, it := range q.items {
			q.order = append(q.order, orderKey{position{i + 1, it.e.kind()}, g.chance(40)})
		}
		q.total = true
		if g.chance(50) {
			q.limit = g.rng.IntN(8)
			q.offset = g.rng.IntN(3)
		}
	}
	return q
}

// aggregate returns an aggregate over t.
func (g *gen) aggregate(t *table, qual string) expr {
	ref := func(c column) expr { return colRef{qual, c} }
	nums := colsOf(t, cNum)
	c := pick(g, colsOf(t))
	switch g.rng.IntN(9) {
	case 0:
		return agg{fn: "COUNT"}
	case 1:
		return agg{fn: "COUNT", arg: ref(c)}
	case 2:
		return agg{fn: "COUNT", arg: ref(c), distinct: true}
	case 3:
		return agg{fn: "MIN", arg: ref(c)}
	case 4:
		return agg{fn: "MAX", arg: ref(c)}
	case 5:
		if len(nums) > 0 {
			return agg{fn: "SUM", arg: ref(pick(g, nums)), distinct: g.chance(25)}
		}
	case 6:
		if len(nums) > 0 {
			return agg{fn: "AVG", arg: ref(pick(g, nums)), distinct: g.chance(20)}
		}
	case 7:
		if len(nums) > 0 {
			return agg{fn: "SUM", arg: binary{pick(g, []string{"*", "+", "-"}), ref(pick(g, nums)), ref(pick(g, nums))}}
		}
	case 8:
		if len(nums) > 0 {
			n := pick(g, nums)
			return binary{"-", agg{fn: "MAX", arg: ref(n)}, agg{fn: "MIN", arg: ref(n)}}
		}
	}
	return agg{fn: "COUNT"}
}

// havingCond returns a condition on groups of t.
func (g *gen) havingCond(t *table, depth int) expr {
	nums := colsOf(t, cNum)
	switch r := g.rng.IntN(100); {
	case depth > 0 && r < 20:
		if g.chance(50) {
			return binary{pick(g, []string{"AND", "OR"}), g.havingCond(t, depth-1), g.havingCond(t, depth-1)}
		}
		return unary{"NOT", g.havingCond(t, depth-1)}
	case r < 45:
		return binary{pick(g, cmpOps), agg{fn: "COUNT"}, numLit(strconv.Itoa(g.rng.IntN(6)))}
	case r < 65 && len(nums) > 0:
		// A sum of one column has at most two decimals.
		return binary{pick(g, []string{"<", ">", "<=", ">="}), agg{fn: "SUM", arg: colRef{"", pick(g, nums)}},
			numLit(fmt.Sprintf("%d.005", g.rng.IntN(600)-200))}
	case r < 85:
		c := pick(g, colsOf(t))
		return binary{pick(g, cmpOps), agg{fn: pick(g, []string{"MIN", "MAX"}), arg: colRef{"", c}}, g.literal(t, c)}
	}
	c := pick(g, colsOf(t))
	return isNull{agg{fn: pick(g, []string{"MIN", "MAX"}), arg: colRef{"", c}}, g.chance(50)}
}

// groupQuery is SELECT keys, aggregates FROM t [WHERE] GROUP BY keys
// [HAVING] [ORDER BY [LIMIT]].
func (g *gen) groupQuery(t *table) stmt {
	q := &query{from: tableRef{t: t}, limit: -1}
	cols := colsOf(t)[1:]
	nkeys := 1 + g.rng.IntN(2)
	for range nkeys {
		var e expr = colRef{"", pick(g, cols)}
		if g.chance(15) {
			e = g.keyExpr(t)
		}
		q.items = append(q.items, item{e: e, alias: g.alias()})
		// By the expression itself or by its alias.
		if g.chance(50) {
			q.group = append(q.group, e)
		} else {
			q.group = append(q.group, aliasRef{q.items[len(q.items)-1].alias, e.kind()})
		}
	}
	for range 1 + g.rng.IntN(3) {
		q.items = append(q.items, item{e: g.aggregate(t, ""), alias: g.alias()})
	}
	if g.chance(50) {
		q.where = g.cond(t, "", 1)
	}
	if g.chance(40) {
		q.having = g.havingCond(t, 1)
	}
	if g.chance(55) {
		if g.chance(30) {
			q.order = append(q.order, orderKey{agg{fn: "COUNT"}, g.chance(60)})
		}
		for i := range nkeys {
			q.order = append(q.order, orderKey{position{i + 1, q.items[i].e.kind()}, g.chance(40)})
		}
		q.total = true
		if g.chance(40) {
			q.limit = g.rng.IntN(6)
			q.offset = g.rng.IntN(3)
		}
	}
	return q
}

// totalsQuery is SELECT aggregates FROM t [WHERE] [HAVING]: one row, or
// none when HAVING is false.
func (g *gen) totalsQuery(t *table) stmt {
	q := &query{from: tableRef{t: t}, limit: -1}
	for range 1 + g.rng.IntN(4) {
		q.items = append(q.items, item{e: g.aggregate(t, ""), alias: g.alias()})
	}
	if g.chance(60) {
		q.where = g.cond(t, "", 2)
	}
	if g.chance(15) {
		q.having = g.havingCond(t, 0)
	}
	return q
}
