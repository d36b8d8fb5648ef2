package kql

import "github.com/kintone-sql/kintone/internal/field"

// Query is a parsed Kintone query: an optional condition, sort keys, limit
// and offset. A nil Where means "every record".
type Query struct {
	Where   Expr
	OrderBy []OrderKey
	// Limit and Offset are nil when the clause is absent (Kintone then uses
	// limit 100 and offset 0).
	Limit  *int64
	Offset *int64
}

// Expr is a condition: *Cond, *And, *Or or *Paren.
type Expr interface {
	// Pos is the byte offset of the expression's first token in the query.
	Pos() int
	isExpr()
}

// And is a conjunction of two or more conditions, in source order.
type And struct {
	Terms []Expr
	At    int
}

// AndOf joins conditions with and: nil for none, the one itself for one.
// Terms are kept as given (an And among them stays nested).
func AndOf(terms ...Expr) Expr {
	switch len(terms) {
	case 0:
		return nil
	case 1:
		return terms[0]
	}
	return &And{Terms: terms}
}

// Or is a disjunction of two or more conditions, in source order.
type Or struct {
	Terms []Expr
	At    int
}

// Paren is a parenthesised expression. The parser keeps it so that the
// emulator can apply Kintone's subtable rules per group; the printer prints
// parentheses wherever the tree needs them, whether or not a Paren is there.
type Paren struct {
	X  Expr
	At int
}

// Cond is one comparison: Field Op Values.
//
// For = != < <= > >= and like / not like, Values has exactly one element. For
// in / not in it has one or more. For is empty / is not empty it is empty.
type Cond struct {
	// Field is the field code, a system identifier ("$id", "$revision"),
	// or a related-records path "refTable.code" or "refTable.$id"; see
	// ValidFieldRef.
	Field  string
	Op     field.Op
	Values []Value
	At     int
}

// ValueKind tells how a value was written in the query.
type ValueKind int

// The value kinds.
const (
	// String is a double-quoted literal; Text holds it unescaped.
	String ValueKind = iota
	// Number is an unquoted numeric literal; Text holds it as written.
	Number
	// Func is a function call such as TODAY() or FROM_TODAY(-3, DAYS);
	// Text holds the name in upper case and Args its arguments as written.
	Func
)

// Value is one operand of a condition.
type Value struct {
	Kind ValueKind
	Text string
	Args []string
	At   int
}

// OrderKey is one "order by" key.
type OrderKey struct {
	Field string
	// Desc is true for "desc". When Explicit is false no direction was
	// written; Kintone is reported to sort descending then, and the parser
	// sets Desc accordingly.
	Desc     bool
	Explicit bool
	At       int
}

// Pos returns the byte offset of the group's first term.
func (e *And) Pos() int { return e.At }

// Pos returns the byte offset of the group's first term.
func (e *Or) Pos() int { return e.At }

// Pos returns the byte offset of the opening parenthesis.
func (e *Paren) Pos() int { return e.At }

// Pos returns the byte offset of the condition's field reference.
func (e *Cond) Pos() int { return e.At }

func (*And) isExpr()   {}
func (*Or) isExpr()    {}
func (*Paren) isExpr() {}
func (*Cond) isExpr()  {}
