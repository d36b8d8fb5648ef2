package kql

import (
	"strconv"
	"strings"

	"github.com/kintone-sql/kintone/internal/field"
)

// String prints the query in canonical form (QUERY-AND-FIELDS.md A.2,
// "Driver advice"): lower-case keywords, upper-case function names, string
// values through Quote, single spaces, an explicit asc or desc on every sort
// key (taken from Desc; Explicit is ignored, so a zero OrderKey sorts
// ascending), and parentheses around every and/or group that is a term of
// another one, so that nothing depends on and/or precedence. A *Paren is
// printed as parentheses too, so a parsed query keeps its grouping. Number
// values are printed unquoted when they are an unsigned decimal literal
// (digits with an optional fraction), the form Kintone documents; any other
// Number text, a negative number included, is printed quoted, which Kintone
// accepts for numbers.
//
// String is total and never changes a query's structure. A well-formed
// tree prints to text that Parse reads back as the same tree, up to
// positions, Explicit, Number values printed quoted, parentheses added
// around nested groups, function names in upper case and one-term groups
// printed as their term. A tree is well formed when every field is a
// ValidFieldRef; every operator is one of the twelve of field.Op with the
// right number of values (one for comparisons and like, at least one for
// in, none for is empty); like has a String value (or a Number that prints
// quoted); functions are documented ones whose arguments are number
// literals or symbols; every value kind is String, Number or Func; no
// expression is nil and no and/or group is empty; limit and offset are not
// negative. Every tree Parse returns is well formed.
//
// Any other tree prints to text that Parse, and Kintone, reject as a whole
// rather than read as a different query: a bad field code or operator is
// printed as a quoted string where no string may stand, an unknown function
// as a quoted name followed by "(", a nil or empty group as "()". A nil
// *Query prints as the empty query.
func (q *Query) String() string {
	if q == nil {
		return ""
	}
	var p printer
	if q.Where != nil {
		p.expr(q.Where, false)
	}
	for i, k := range q.OrderBy {
		if i == 0 {
			p.clause("order by ")
		} else {
			p.b.WriteString(", ")
		}
		p.fieldRef(k.Field)
		if k.Desc {
			p.b.WriteString(" desc")
		} else {
			p.b.WriteString(" asc")
		}
	}
	if q.Limit != nil {
		p.clause("limit ")
		p.b.WriteString(strconv.FormatInt(*q.Limit, 10))
	}
	if q.Offset != nil {
		p.clause("offset ")
		p.b.WriteString(strconv.FormatInt(*q.Offset, 10))
	}
	return p.b.String()
}

// printer accumulates query text.
type printer struct {
	b strings.Builder
}

// clause starts a clause, after a space unless it is the first.
func (p *printer) clause(s string) {
	if p.b.Len() > 0 {
		p.b.WriteByte(' ')
	}
	p.b.WriteString(s)
}

// broken is what a nil or empty expression prints as: empty parentheses,
// which no query accepts.
const broken = "()"

// expr prints e. nested tells that e is a term of an and/or group, where an
// and/or group needs parentheses.
func (p *printer) expr(e Expr, nested bool) {
	switch e := e.(type) {
	case *Cond:
		if e == nil {
			p.b.WriteString(broken)
			return
		}
		p.cond(e)
	case *And:
		if e == nil {
			p.b.WriteString(broken)
			return
		}
		p.group(e.Terms, " and ", nested)
	case *Or:
		if e == nil {
			p.b.WriteString(broken)
			return
		}
		p.group(e.Terms, " or ", nested)
	case *Paren:
		if e == nil {
			p.b.WriteString(broken)
			return
		}
		p.b.WriteByte('(')
		p.expr(e.X, false)
		p.b.WriteByte(')')
	default: // nil
		p.b.WriteString(broken)
	}
}

// group prints the terms of an and/or group joined by sep. A group of one
// term is that term; a group of none is broken.
func (p *printer) group(terms []Expr, sep string, nested bool) {
	switch len(terms) {
	case 0:
		p.b.WriteString(broken)
		return
	case 1:
		p.expr(terms[0], nested)
		return
	}
	if nested {
		p.b.WriteByte('(')
	}
	for i, t := range terms {
		if i > 0 {
			p.b.WriteString(sep)
		}
		p.expr(t, true)
	}
	if nested {
		p.b.WriteByte(')')
	}
}

// cond prints one condition. A wrong number of values is printed as it is:
// a missing value leaves the operator followed by a keyword, ")" or the end
// of the query, and extra values are separated by commas where a comma may
// not stand, so that the query fails to parse.
func (p *printer) cond(c *Cond) {
	p.fieldRef(c.Field)
	switch c.Op {
	case field.Eq, field.Ne, field.Lt, field.Le, field.Gt, field.Ge, field.Like, field.NotLike:
		p.b.WriteByte(' ')
		p.b.WriteString(string(c.Op))
		if len(c.Values) > 0 {
			p.b.WriteByte(' ')
			p.values(c.Values)
		}
	case field.In, field.NotIn:
		p.b.WriteByte(' ')
		p.b.WriteString(string(c.Op))
		p.b.WriteString(" (")
		p.values(c.Values)
		p.b.WriteByte(')')
	case field.IsEmpty, field.IsNotEmpty:
		p.b.WriteByte(' ')
		p.b.WriteString(string(c.Op))
		if len(c.Values) > 0 {
			p.b.WriteByte(' ')
			p.values(c.Values)
		}
	default:
		// An unknown operator: a string where an operator must stand.
		p.b.WriteByte(' ')
		writeQuoted(&p.b, string(c.Op))
		if len(c.Values) > 0 {
			p.b.WriteByte(' ')
			p.values(c.Values)
		}
	}
}

// values prints vs separated by ", ".
func (p *printer) values(vs []Value) {
	for i, v := range vs {
		if i > 0 {
			p.b.WriteString(", ")
		}
		p.value(v)
	}
}

// value prints one value.
func (p *printer) value(v Value) {
	switch v.Kind {
	case String:
		writeQuoted(&p.b, v.Text)
		return
	case Number:
		if isPlainNumber(v.Text) {
			p.b.WriteString(v.Text)
		} else {
			writeQuoted(&p.b, v.Text)
		}
		return
	case Func:
		if name := functionName(v.Text); name != "" && validArgs(v.Args) {
			p.b.WriteString(name)
			p.b.WriteByte('(')
			for i, a := range v.Args {
				if i > 0 {
					p.b.WriteString(", ")
				}
				p.b.WriteString(a)
			}
			p.b.WriteByte(')')
			return
		}
	}
	// An unknown function, bad arguments or an unknown kind: a quoted name
	// followed by "(", which no query accepts after a value.
	writeQuoted(&p.b, v.Text)
	p.b.WriteByte('(')
	for i, a := range v.Args {
		if i > 0 {
			p.b.WriteString(", ")
		}
		writeQuoted(&p.b, a)
	}
	p.b.WriteByte(')')
}

// validArgs reports whether every function argument is a number literal or
// a symbol, the forms Parse accepts and String prints unquoted.
func validArgs(args []string) bool {
	for _, a := range args {
		if !isNumber(a) && !isName(a) {
			return false
		}
	}
	return true
}

// fieldRef prints a field reference verbatim when it is valid, and quoted
// otherwise: there is no quoting syntax for field codes, so a quoted one is
// a syntax error in Kintone and in Parse, never a different query.
func (p *printer) fieldRef(ref string) {
	if ValidFieldRef(ref) {
		p.b.WriteString(ref)
	} else {
		writeQuoted(&p.b, ref)
	}
}
