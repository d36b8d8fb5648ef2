package sqldiff

// The statements of the corpus as small trees, printed once for the driver
// (MySQL's dialect, whose semantics the driver follows) and once for
// SQLite. Where the two dialects spell the same meaning differently, the
// SQLite printing says so; where they mean different things and no
// spelling helps, the generator does not produce the construct (see
// gen_test.go).

import (
	"fmt"
	"regexp"
	"strings"
)

// dialect is the engine a statement is printed for.
type dialect int

const (
	mysql dialect = iota // the driver
	lite                 // SQLite
)

// kind is what a result column holds, which decides how its values are
// compared (see canon).
type kind int

const (
	kNum      kind = iota // a number, compared exactly (to 6 decimals)
	kText                 // text, compared byte by byte
	kDate                 // a DATE: 'YYYY-MM-DD'
	kDateTime             // a DATETIME: 'YYYY-MM-DD HH:MM:SS' in UTC
	// kApprox is a number the engines compute to different precision: a
	// quotient or an average. MySQL gives x / y and AVG(x) the scale of x
	// plus 4 (div_precision_increment) and the driver rounds to it;
	// SQLite computes in binary floating point. Such values are compared
	// with the tolerance approxTolerance, and are never grouped, made
	// DISTINCT, ordered by or compared in a condition.
	kApprox
)

func kindOf(c colType) kind {
	switch c {
	case cText:
		return kText
	case cDate:
		return kDate
	case cDateTime:
		return kDateTime
	}
	return kNum
}

// expr is an expression.
type expr interface {
	sql(d dialect) string
	kind() kind
}

// simpleName is a name MySQL reads without quotes ($id included).
var simpleName = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

// ident prints a column or alias name.
func ident(d dialect, name string) string {
	if d == lite {
		return liteIdent(name)
	}
	if simpleName.MatchString(name) {
		return name
	}
	return "`" + strings.ReplaceAll(name, "`", "``") + "`"
}

// colRef is a column, qualified by a table alias when qual is set.
type colRef struct {
	qual string
	c    column
}

func (e colRef) sql(d dialect) string {
	if e.qual == "" {
		return ident(d, e.c.name)
	}
	return e.qual + "." + ident(d, e.c.name)
}

func (e colRef) kind() kind { return kindOf(e.c.typ) }

// lit is a constant: a number as written, text (quoted when printed), or
// NULL (null set).
type lit struct {
	text string
	k    kind
	null bool
}

func (e lit) sql(dialect) string {
	switch {
	case e.null:
		return "NULL"
	case e.k == kNum:
		return e.text
	}
	// Doubled quotes mean a quote in both dialects. The data holds no
	// backslash, which MySQL reads as an escape and SQLite does not.
	return "'" + strings.ReplaceAll(e.text, "'", "''") + "'"
}

func (e lit) kind() kind { return e.k }

func numLit(s string) lit  { return lit{text: s, k: kNum} }
func textLit(s string) lit { return lit{text: s, k: kText} }

// binary is l op r: a comparison, AND, OR or arithmetic.
type binary struct {
	op   string
	l, r expr
}

func (e binary) sql(d dialect) string {
	if e.op == "<=>" && d == lite {
		// MySQL's NULL-safe equality is SQLite's IS.
		return "(" + e.l.sql(d) + " IS " + e.r.sql(d) + ")"
	}
	if e.op == "/" && d == lite {
		// SQLite divides integers as integers (7 / 2 is 3); MySQL's / is
		// exact division (3.5000).
		return "(CAST(" + e.l.sql(d) + " AS REAL) / " + e.r.sql(d) + ")"
	}
	return "(" + e.l.sql(d) + " " + e.op + " " + e.r.sql(d) + ")"
}

func (e binary) kind() kind {
	switch e.op {
	case "/":
		return kApprox
	case "+", "-", "*":
		if e.l.kind() == kApprox || e.r.kind() == kApprox {
			return kApprox
		}
	}
	// A condition is a number as a value: 1, 0 or NULL in both engines.
	return kNum
}

// unary is NOT e or -e.
type unary struct {
	op string // "NOT" or "-"
	e  expr
}

func (e unary) sql(d dialect) string {
	// A space after -: MySQL reads "--" followed by a space as a comment,
	// so "- -2" must not lose its space.
	return "(" + e.op + " " + e.e.sql(d) + ")"
}

func (e unary) kind() kind {
	if e.op == "-" {
		return e.e.kind()
	}
	return kNum
}

// isNull is e IS [NOT] NULL.
type isNull struct {
	e   expr
	not bool
}

func (e isNull) sql(d dialect) string {
	if e.not {
		return "(" + e.e.sql(d) + " IS NOT NULL)"
	}
	return "(" + e.e.sql(d) + " IS NULL)"
}

func (isNull) kind() kind { return kNum }

// inList is e [NOT] IN (list...).
type inList struct {
	e    expr
	list []expr
	not  bool
}

func (e inList) sql(d dialect) string {
	items := make([]string, len(e.list))
	for i, x := range e.list {
		items[i] = x.sql(d)
	}
	return "(" + e.e.sql(d) + notWord(e.not) + " IN (" + strings.Join(items, ", ") + "))"
}

func (inList) kind() kind { return kNum }

func notWord(not bool) string {
	if not {
		return " NOT"
	}
	return ""
}

// between is e [NOT] BETWEEN lo AND hi.
type between struct {
	e, lo, hi expr
	not       bool
}

func (e between) sql(d dialect) string {
	return "(" + e.e.sql(d) + notWord(e.not) + " BETWEEN " + e.lo.sql(d) + " AND " + e.hi.sql(d) + ")"
}

func (between) kind() kind { return kNum }

// like is e [NOT] LIKE 'pattern' [ESCAPE '!']. The patterns hold no
// backslash: MySQL's LIKE escapes with \ by default, SQLite's has no
// escape character unless ESCAPE names one, so an escape is always
// named. (Case: see loadSQLite.)
type like struct {
	e       expr
	pattern string
	not     bool
	escape  bool // ESCAPE '!'
}

func (e like) sql(d dialect) string {
	out := "(" + e.e.sql(d) + notWord(e.not) + " LIKE " + textLit(e.pattern).sql(d)
	if e.escape {
		out += " ESCAPE '!'"
	}
	return out + ")"
}

// isTruth is e IS [NOT] TRUE or FALSE: never NULL.
type isTruth struct {
	e     expr
	not   bool
	truth bool
}

func (e isTruth) sql(d dialect) string {
	word := "FALSE"
	if e.truth {
		word = "TRUE"
	}
	return "(" + e.e.sql(d) + " IS" + notWord(e.not) + " " + word + ")"
}

func (isTruth) kind() kind { return kNum }

// caseWhen is CASE WHEN cond THEN a ELSE b END: a NULL condition takes
// the ELSE.
type caseWhen struct {
	cond, then, els expr
}

func (e caseWhen) sql(d dialect) string {
	return "(CASE WHEN " + e.cond.sql(d) + " THEN " + e.then.sql(d) + " ELSE " + e.els.sql(d) + " END)"
}

func (e caseWhen) kind() kind { return e.then.kind() }

func (like) kind() kind { return kNum }

// call is a scalar function.
type call struct {
	fn   string // COALESCE, ABS, CHAR_LENGTH, CONCAT
	args []expr
	k    kind
}

func (e call) sql(d dialect) string {
	args := make([]string, len(e.args))
	for i, a := range e.args {
		args[i] = a.sql(d)
	}
	if d == lite {
		switch e.fn {
		case "CHAR_LENGTH":
			// SQLite's length() of text counts characters, as CHAR_LENGTH.
			return "length(" + args[0] + ")"
		case "CONCAT":
			// SQLite's concat() skips NULLs; MySQL's CONCAT is NULL when
			// an argument is, as SQLite's || is.
			return "(" + strings.Join(args, " || ") + ")"
		}
	}
	return e.fn + "(" + strings.Join(args, ", ") + ")"
}

func (e call) kind() kind { return e.k }

// agg is an aggregate; arg nil is COUNT(*).
type agg struct {
	fn       string // COUNT, SUM, MIN, MAX, AVG
	distinct bool
	arg      expr
}

func (e agg) sql(d dialect) string {
	if e.arg == nil {
		return e.fn + "(*)"
	}
	if e.distinct {
		return e.fn + "(DISTINCT " + e.arg.sql(d) + ")"
	}
	return e.fn + "(" + e.arg.sql(d) + ")"
}

func (e agg) kind() kind {
	switch e.fn {
	case "COUNT":
		return kNum
	case "AVG":
		return kApprox
	}
	return e.arg.kind()
}

// aliasRef names a select item by its alias (in ORDER BY and HAVING).
type aliasRef struct {
	name string
	k    kind
}

func (e aliasRef) sql(d dialect) string { return ident(d, e.name) }
func (e aliasRef) kind() kind           { return e.k }

// position is ORDER BY n.
type position struct {
	n int
	k kind
}

func (e position) sql(dialect) string { return fmt.Sprint(e.n) }
func (e position) kind() kind         { return e.k }

// scalarSub is a subquery used as a value.
type scalarSub struct{ q stmt }

func (e scalarSub) sql(d dialect) string { return "(" + e.q.sql(d) + ")" }
func (e scalarSub) kind() kind           { return e.q.kinds()[0] }

// inSub is e [NOT] IN (subquery).
type inSub struct {
	e   expr
	q   stmt
	not bool
}

func (e inSub) sql(d dialect) string {
	return "(" + e.e.sql(d) + notWord(e.not) + " IN (" + e.q.sql(d) + "))"
}

func (inSub) kind() kind { return kNum }

// exists is [NOT] EXISTS (subquery).
type exists struct {
	q   stmt
	not bool
}

func (e exists) sql(d dialect) string {
	if e.not {
		return "(NOT EXISTS (" + e.q.sql(d) + "))"
	}
	return "(EXISTS (" + e.q.sql(d) + "))"
}

func (exists) kind() kind { return kNum }

// andAll joins conditions with AND; nil when there are none.
func andAll(conds ...expr) expr {
	var out expr
	for _, c := range conds {
		switch {
		case c == nil:
		case out == nil:
			out = c
		default:
			out = binary{"AND", out, c}
		}
	}
	return out
}

// fromItem is what FROM names.
type fromItem interface{ sql(d dialect) string }

// tableRef is a table, with an alias when alias is set.
type tableRef struct {
	t     *table
	alias string
}

func (f tableRef) sql(d dialect) string {
	name := f.t.name // orders.items: the driver's child table
	if d == lite {
		name = f.t.lite
	}
	if f.alias != "" {
		return name + " AS " + f.alias
	}
	return name
}

// join is l op r [ON on | USING (using)]; op "," is the comma join.
type join struct {
	op    string // ",", "JOIN", "LEFT JOIN", "RIGHT JOIN", "FULL OUTER JOIN", "CROSS JOIN"
	l, r  fromItem
	on    expr
	using []string
}

func (f join) sql(d dialect) string {
	var b strings.Builder
	b.WriteString(f.l.sql(d))
	if f.op == "," {
		b.WriteString(", ")
	} else {
		b.WriteString(" " + f.op + " ")
	}
	b.WriteString(f.r.sql(d))
	switch {
	case f.on != nil:
		b.WriteString(" ON " + f.on.sql(d))
	case f.using != nil:
		names := make([]string, len(f.using))
		for i, n := range f.using {
			names[i] = ident(d, n)
		}
		b.WriteString(" USING (" + strings.Join(names, ", ") + ")")
	}
	return b.String()
}

// derived is (subquery) AS alias in FROM.
type derived struct {
	q     stmt
	alias string
}

func (f derived) sql(d dialect) string { return "(" + f.q.sql(d) + ") AS " + f.alias }

// stmt is a query: a SELECT or a set operation.
type stmt interface {
	sql(d dialect) string
	// kinds are the result columns' kinds.
	kinds() []kind
	// ordered reports whether ORDER BY fixes the order of the rows, so
	// that they are compared as sequences rather than as multisets.
	ordered() bool
}

// item is one select item.
type item struct {
	e     expr
	alias string
}

// orderKey is one ORDER BY key.
type orderKey struct {
	e    expr
	desc bool
}

func orderSQL(d dialect, keys []orderKey) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k.e.sql(d)
		if k.desc {
			parts[i] += " DESC"
		}
	}
	return " ORDER BY " + strings.Join(parts, ", ")
}

func limitSQL(limit, offset int) string {
	switch {
	case limit < 0:
		return ""
	case offset > 0:
		return fmt.Sprintf(" LIMIT %d OFFSET %d", limit, offset)
	}
	return fmt.Sprintf(" LIMIT %d", limit)
}

// query is a SELECT.
type query struct {
	distinct bool
	items    []item
	from     fromItem
	where    expr
	group    []expr
	having   expr
	order    []orderKey
	limit    int // -1: none
	offset   int
	total    bool // order is total: ties are impossible
}

func (q *query) sql(d dialect) string {
	var b strings.Builder
	b.WriteString("SELECT ")
	if q.distinct {
		b.WriteString("DISTINCT ")
	}
	for i, it := range q.items {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(it.e.sql(d))
		if it.alias != "" {
			b.WriteString(" AS " + ident(d, it.alias))
		}
	}
	if q.from != nil {
		b.WriteString(" FROM " + q.from.sql(d))
	}
	if q.where != nil {
		b.WriteString(" WHERE " + q.where.sql(d))
	}
	if len(q.group) > 0 {
		parts := make([]string, len(q.group))
		for i, g := range q.group {
			parts[i] = g.sql(d)
		}
		b.WriteString(" GROUP BY " + strings.Join(parts, ", "))
	}
	if q.having != nil {
		b.WriteString(" HAVING " + q.having.sql(d))
	}
	if len(q.order) > 0 {
		b.WriteString(orderSQL(d, q.order))
	}
	b.WriteString(limitSQL(q.limit, q.offset))
	return b.String()
}

func (q *query) kinds() []kind {
	out := make([]kind, len(q.items))
	for i, it := range q.items {
		out[i] = it.e.kind()
	}
	return out
}

func (q *query) ordered() bool { return q.total }

// setOp is l op r [ORDER BY ...] [LIMIT ...], op UNION, UNION ALL,
// INTERSECT or EXCEPT.
type setOp struct {
	op     string
	l, r   stmt
	order  []orderKey
	limit  int
	offset int
	total  bool
}

func (s *setOp) sql(d dialect) string {
	out := s.l.sql(d) + " " + s.op + " " + s.r.sql(d)
	if len(s.order) > 0 {
		out += orderSQL(d, s.order)
	}
	return out + limitSQL(s.limit, s.offset)
}

func (s *setOp) kinds() []kind { return s.l.kinds() }
func (s *setOp) ordered() bool { return s.total }
