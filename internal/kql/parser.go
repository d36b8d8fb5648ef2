package kql

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kintone-sql/kintone/internal/field"
)

// maxDepth bounds parenthesis nesting, so that a hostile query cannot make
// the recursive parser (or the emulator walking the tree) exhaust the stack.
// Kintone's own limit is unknown; no real query comes near this one.
const maxDepth = 1000

// Parse parses a Kintone record query (QUERY-AND-FIELDS.md A.3):
//
//	[ condition ] [ order by key {, key} ] [ limit n ] [ offset n ]
//
// in that clause order only. It accepts the documented syntax and the
// observed extensions (U+3000 as white space, the \t and \n escapes,
// "not in(" without a space), and keeps the tree as written: and-chains and
// or-chains are flattened into one *And or *Or ("and" binds tighter, both
// associate left), parentheses are kept as *Paren, number literals and
// function arguments keep their source text, function names are upper-cased,
// and every node records the byte offset where it starts.
//
// Parse checks syntax only. Whether a field exists, an operator suits its
// type, a function's arguments are right or limit is at most 500 is for the
// caller to decide. What Parse rejects, with a *SyntaxError, is what Kintone
// answers with CB_VA01: single-quoted strings, raw TAB, CR or LF in a
// string, clauses out of order, unbalanced parentheses, missing values,
// negative limit or offset, trailing text, and so on. It also rejects, as
// untested in Kintone, an empty in () list, exponents in numbers, unknown
// backslash escapes, functions not in the documentation, quoted function
// arguments and like with anything but a string. The package documentation
// lists the lexical rules and the choices made where Kintone's behaviour is
// unconfirmed (keyword case, "$revision", sort direction by default).
func Parse(query string) (*Query, error) {
	p := &parser{lx: lexer{src: query}}
	if err := p.advance(); err != nil {
		return nil, err
	}
	return p.query()
}

// parser is a recursive-descent parser with one token of lookahead.
type parser struct {
	lx    lexer
	tok   token // the current, not yet consumed token
	depth int   // open parentheses
}

// advance reads the next token into p.tok.
func (p *parser) advance() error {
	t, err := p.lx.next()
	if err != nil {
		return err
	}
	p.tok = t
	return nil
}

// is reports whether the current token is the keyword kw.
func (p *parser) is(kw string) bool {
	return p.tok.kind == tokKeyword && p.tok.text == kw
}

// fail returns a *SyntaxError at the current token.
func (p *parser) fail(format string, args ...any) error {
	return errAt(p.tok.pos, format, args...)
}

// query = [ expr ] [ order ] [ limit ] [ offset ] EOF.
func (p *parser) query() (*Query, error) {
	q := &Query{}
	var err error
	if p.tok.kind != tokEOF && !p.is("order") && !p.is("limit") && !p.is("offset") {
		if q.Where, err = p.or(); err != nil {
			return nil, err
		}
	}
	if p.is("order") {
		if q.OrderBy, err = p.orderBy(); err != nil {
			return nil, err
		}
	}
	if p.is("limit") {
		if q.Limit, err = p.count("limit"); err != nil {
			return nil, err
		}
	}
	if p.is("offset") {
		if q.Offset, err = p.count("offset"); err != nil {
			return nil, err
		}
	}
	switch {
	case p.tok.kind == tokEOF:
		return q, nil
	case p.is("order") || p.is("limit") || p.is("offset"):
		return nil, p.fail("%q is out of place: the clauses go condition, order by, limit, offset, each at most once", p.tok.text)
	case p.tok.kind == tokRParen:
		return nil, p.fail(`")" without a matching "("`)
	case q.Where != nil && q.OrderBy == nil && q.Limit == nil && q.Offset == nil:
		return nil, p.fail("expected and, or, order by, limit, offset or the end of the query, found %s", p.tok.describe())
	case q.Where == nil && (p.tok.kind == tokWord || p.tok.kind == tokLParen):
		return nil, p.fail("unexpected %s: the condition must come before order by, limit and offset", p.tok.describe())
	}
	return nil, p.fail("unexpected %s after the query", p.tok.describe())
}

// or = and { "or" and }.
func (p *parser) or() (Expr, error) {
	first, err := p.and()
	if err != nil || !p.is("or") {
		return first, err
	}
	terms := []Expr{first}
	for p.is("or") {
		if err := p.advance(); err != nil {
			return nil, err
		}
		t, err := p.and()
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	return &Or{Terms: terms, At: first.Pos()}, nil
}

// and = factor { "and" factor }.
func (p *parser) and() (Expr, error) {
	first, err := p.factor()
	if err != nil || !p.is("and") {
		return first, err
	}
	terms := []Expr{first}
	for p.is("and") {
		if err := p.advance(); err != nil {
			return nil, err
		}
		t, err := p.factor()
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	return &And{Terms: terms, At: first.Pos()}, nil
}

// factor = "(" or ")" | cond.
func (p *parser) factor() (Expr, error) {
	if p.tok.kind == tokWord || p.tok.kind == tokString {
		return p.cond() // a string gets fieldRef's message about quoting
	}
	if p.tok.kind != tokLParen {
		if p.is("not") {
			return nil, p.fail(`there is no unary "not": use not in, not like or is not empty`)
		}
		return nil, p.fail("expected a condition, found %s", p.tok.describe())
	}
	open := p.tok.pos
	if p.depth++; p.depth > maxDepth {
		return nil, p.fail("parentheses nested more than %d deep", maxDepth)
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	x, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.tok.kind != tokRParen {
		return nil, p.fail(`expected ")" to close the "(" at offset %d, found %s`, open, p.tok.describe())
	}
	p.depth--
	if err := p.advance(); err != nil {
		return nil, err
	}
	return &Paren{X: x, At: open}, nil
}

// fieldRef reads a field reference: a field code, $id or a related-records
// path (see ValidFieldRef).
func (p *parser) fieldRef() (string, int, error) {
	t := p.tok
	if t.kind != tokWord {
		if t.kind == tokString {
			return "", 0, p.fail("expected a field code, found %s: field codes are written without quotes", t.describe())
		}
		return "", 0, p.fail("expected a field code, found %s", t.describe())
	}
	if !ValidFieldRef(t.text) {
		for _, part := range strings.Split(t.text, ".") {
			if n := utf8.RuneCountInString(part); n > field.MaxCodeLen && isName(part) {
				return "", 0, p.fail("field code %s is %d characters long; the limit is %d", abbrev(part), n, field.MaxCodeLen)
			}
		}
		return "", 0, p.fail("%s is not a field code, $id, $revision or related-records path", t.describe())
	}
	return t.text, t.pos, p.advance()
}

// cond = field ( cmp value | ["not"] "in" list | ["not"] "like" string
// | "is" ["not"] "empty" ).
func (p *parser) cond() (Expr, error) {
	name, at, err := p.fieldRef()
	if err != nil {
		return nil, err
	}
	c := &Cond{Field: name, At: at}
	switch {
	case p.tok.kind == tokOp:
		c.Op = field.Op(p.tok.text)
		if err := p.advance(); err != nil {
			return nil, err
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		c.Values = []Value{v}
		return c, nil
	case p.is("in"):
		c.Op = field.In
		return p.list(c)
	case p.is("like"):
		c.Op = field.Like
		return p.like(c)
	case p.is("not"):
		if err := p.advance(); err != nil {
			return nil, err
		}
		switch {
		case p.is("in"):
			c.Op = field.NotIn
			return p.list(c)
		case p.is("like"):
			c.Op = field.NotLike
			return p.like(c)
		}
		return nil, p.fail(`expected in or like after "not", found %s`, p.tok.describe())
	case p.is("is"):
		if err := p.advance(); err != nil {
			return nil, err
		}
		c.Op = field.IsEmpty
		if p.is("not") {
			c.Op = field.IsNotEmpty
			if err := p.advance(); err != nil {
				return nil, err
			}
		}
		if !p.is("empty") {
			return nil, p.fail(`expected "empty", found %s`, p.tok.describe())
		}
		return c, p.advance()
	}
	return nil, p.fail("expected an operator after the field %s, found %s", name, p.tok.describe())
}

// list reads the "(" value {"," value} ")" after in or not in; the current
// token is the in.
func (p *parser) list(c *Cond) (Expr, error) {
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind != tokLParen {
		return nil, p.fail(`expected "(" after in, found %s`, p.tok.describe())
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind == tokRParen {
		return nil, p.fail("an in list needs at least one value")
	}
	for {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		c.Values = append(c.Values, v)
		switch p.tok.kind {
		case tokComma:
			if err := p.advance(); err != nil {
				return nil, err
			}
			continue
		case tokRParen:
			return c, p.advance()
		}
		return nil, p.fail(`expected "," or ")" in the in list, found %s`, p.tok.describe())
	}
}

// like reads the string after like or not like; the current token is the
// like. The grammar (A.3) allows only a string here.
func (p *parser) like(c *Cond) (Expr, error) {
	if err := p.advance(); err != nil {
		return nil, err
	}
	if p.tok.kind != tokString {
		return nil, p.fail("like takes a double-quoted string, found %s", p.tok.describe())
	}
	c.Values = []Value{{Kind: String, Text: p.tok.text, At: p.tok.pos}}
	return c, p.advance()
}

// value = string | number | function.
func (p *parser) value() (Value, error) {
	t := p.tok
	switch t.kind {
	case tokString:
		return Value{Kind: String, Text: t.text, At: t.pos}, p.advance()
	case tokNumber:
		return Value{Kind: Number, Text: t.text, At: t.pos}, p.advance()
	case tokWord:
		return p.function()
	}
	return Value{}, p.fail("expected a value, found %s", t.describe())
}

// function reads NAME "(" [ arg { "," arg } ] ")". Arguments are number
// literals or symbols (DAYS, MONDAY, LAST); they are kept as written, for
// the caller to check against the function (GAIA_IL08, IQ23, IQ25).
func (p *parser) function() (Value, error) {
	t := p.tok
	name := functionName(t.text)
	if name == "" {
		return Value{}, p.fail("%s is not a value: strings take double quotes, and it is no query function", t.describe())
	}
	v := Value{Kind: Func, Text: name, At: t.pos}
	if err := p.advance(); err != nil {
		return Value{}, err
	}
	if p.tok.kind != tokLParen {
		return Value{}, p.fail(`expected "(" after %s, found %s`, name, p.tok.describe())
	}
	if err := p.advance(); err != nil {
		return Value{}, err
	}
	if p.tok.kind == tokRParen {
		return v, p.advance()
	}
	for {
		a := p.tok
		switch {
		case a.kind == tokNumber, a.kind == tokWord && isName(a.text):
			v.Args = append(v.Args, a.text)
		case a.kind == tokString:
			return Value{}, p.fail("function arguments are written without quotes, found %s", a.describe())
		default:
			return Value{}, p.fail("expected a function argument, found %s", a.describe())
		}
		if err := p.advance(); err != nil {
			return Value{}, err
		}
		switch p.tok.kind {
		case tokComma:
			if err := p.advance(); err != nil {
				return Value{}, err
			}
			continue
		case tokRParen:
			return v, p.advance()
		}
		return Value{}, p.fail(`expected "," or ")" after a function argument, found %s`, p.tok.describe())
	}
}

// orderBy = "order" "by" key { "," key }, key = field [ "asc" | "desc" ].
// A key without a direction sorts descending (A.8, reported): Desc is set
// and Explicit is not.
func (p *parser) orderBy() ([]OrderKey, error) {
	if err := p.advance(); err != nil {
		return nil, err
	}
	if !p.is("by") {
		return nil, p.fail(`expected "by" after "order", found %s`, p.tok.describe())
	}
	if err := p.advance(); err != nil {
		return nil, err
	}
	var keys []OrderKey
	for {
		name, at, err := p.fieldRef()
		if err != nil {
			return nil, err
		}
		k := OrderKey{Field: name, Desc: true, At: at}
		if p.is("asc") || p.is("desc") {
			k.Desc, k.Explicit = p.tok.text == "desc", true
			if err := p.advance(); err != nil {
				return nil, err
			}
		}
		keys = append(keys, k)
		if p.tok.kind != tokComma {
			return keys, nil
		}
		if err := p.advance(); err != nil {
			return nil, err
		}
	}
}

// count reads the non-negative integer after limit or offset; the current
// token is the keyword. The upper bounds (500, 10,000) are not syntax: they
// have their own error codes (GAIA_QU01, QU02).
func (p *parser) count(clause string) (*int64, error) {
	if err := p.advance(); err != nil {
		return nil, err
	}
	t := p.tok
	if t.kind != tokNumber {
		return nil, p.fail("%s takes an unquoted integer, found %s", clause, t.describe())
	}
	if strings.HasPrefix(t.text, "-") {
		return nil, p.fail("%s must not be negative", clause)
	}
	if strings.Contains(t.text, ".") {
		return nil, p.fail("%s takes an integer, found %s", clause, t.text)
	}
	n, err := strconv.ParseInt(t.text, 10, 64)
	if err != nil {
		return nil, p.fail("%s %s is out of range", clause, t.text)
	}
	return &n, p.advance()
}
