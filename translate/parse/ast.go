package parse

// This file declares the expression nodes. Every node embeds a Span: the
// byte offsets of its first token and just past its last one, recorded
// once, when the node is built.

// Node is any node of the tree.
type Node interface {
	// Pos is the byte offset of the node's first token.
	Pos() int
	// End is the byte offset just past the node's last token.
	End() int
}

// Span is the extent of a node in the text, embedded in every node.
type Span struct {
	Start int // byte offset of the first token
	Stop  int // byte offset just past the last token
}

// Pos returns the offset of the first token.
func (s Span) Pos() int { return s.Start }

// End returns the offset just past the last token.
func (s Span) End() int { return s.Stop }

// Expr is an expression.
type Expr interface {
	Node
	exprNode()
}

// Ident is a name: a column, table, alias, database or function name.
// It is a plain value inside the nodes that hold names, with its own
// Span; Walk does not visit it.
type Ident struct {
	Span
	Name   string // unquoted: the content of `...`, the word as written otherwise
	Quoted bool   // written in backquotes (or as a string, for an alias)
}

// TableName is a table, possibly qualified: db.table, or app.subtable
// (a Kintone child table), which the parser cannot tell apart.
type TableName struct {
	Span
	Qualifier Ident // Name "" when absent
	Name      Ident
}

// ColumnRef is a column: name, table.name or db.table.name.
type ColumnRef struct {
	Span
	Table *TableName // nil when unqualified
	Name  Ident
}

// LitKind is the kind of a Literal.
type LitKind uint8

// The kinds of literal.
const (
	LitNull      LitKind = iota // NULL
	LitBool                     // TRUE or FALSE; Value is "TRUE" or "FALSE"
	LitInt                      // digits only: 42
	LitDecimal                  // digits with a point or an exponent: 1.5, .5, 1e3
	LitHexNum                   // 0x1F; Value is as written
	LitString                   // '...' or "..."; Value is the unescaped text
	LitHex                      // X'1F'; Value is the digits
	LitBit                      // B'0101'; Value is the digits
	LitDate                     // DATE '2024-05-01'; Value is the string
	LitTime                     // TIME '10:00'; Value is the string
	LitTimestamp                // TIMESTAMP '2024-05-01 10:00'; Value is the string
)

// Literal is a constant written in the statement.
type Literal struct {
	Span
	Kind  LitKind
	Value string
}

// Param is a placeholder: ? (Ordinal is its 1-based number among the ?
// placeholders) or :name (Name without the colon, Ordinal 0).
type Param struct {
	Span
	Name    string
	Ordinal int
}

// Paren is an expression in parentheses, kept so that the tree prints
// back as written and an item's text is its own.
type Paren struct {
	Span
	X Expr
}

// Unary is a prefix operator: "-", "+", "!", "~", "NOT" or "BINARY".
type Unary struct {
	Span
	Op string
	X  Expr
}

// Binary is an infix operator. Op is one of OR, XOR, AND (|| and && are
// OR and AND), = <=> <> < <= > >= (!= is <>), | & << >> + - * / DIV %
// (MOD is %) ^ and the JSON operators -> and ->>.
type Binary struct {
	Span
	Op    string
	OpPos int // offset of the operator
	L, R  Expr
}

// Is is x IS [NOT] NULL | TRUE | FALSE | UNKNOWN.
type Is struct {
	Span
	X     Expr
	Not   bool
	What  string // "NULL", "TRUE", "FALSE" or "UNKNOWN"
	OpPos int    // offset of IS
}

// In is x [NOT] IN (list) or x [NOT] IN (subquery).
type In struct {
	Span
	X     Expr
	Not   bool
	List  []Expr    // nil with Query
	Query *Subquery // nil with List
	OpPos int       // offset of IN (of NOT when there is one)
}

// Between is x [NOT] BETWEEN lo AND hi.
type Between struct {
	Span
	X, Lo, Hi Expr
	Not       bool
	OpPos     int // offset of BETWEEN (of NOT when there is one)
}

// Like is x [NOT] LIKE pattern [ESCAPE e], or x [NOT] REGEXP pattern
// (RLIKE is REGEXP).
type Like struct {
	Span
	X, Pattern Expr
	Escape     Expr // nil when absent; always nil for REGEXP
	Not        bool
	Regexp     bool
	OpPos      int // offset of LIKE or REGEXP (of NOT when there is one)
}

// Collate is x COLLATE name.
type Collate struct {
	Span
	X         Expr
	Collation Ident
}

// Case is CASE [operand] WHEN ... THEN ... [ELSE ...] END.
type Case struct {
	Span
	Operand Expr // nil for a searched CASE
	Whens   []*When
	Else    Expr // nil when absent
}

// When is one WHEN cond THEN result of a Case.
type When struct {
	Span
	Cond, Result Expr
}

// Call is a function call: name(args), COUNT(*), COUNT(DISTINCT x),
// GROUP_CONCAT(... ORDER BY ... SEPARATOR 's'), EXTRACT(unit FROM x), a niladic
// CURRENT_DATE without parentheses, and a window function f(...) OVER
// (...).
type Call struct {
	Span
	Name      Ident // as written; keyword-named functions (LEFT, IF, MOD, ...) too
	All       bool  // f(ALL x) of an aggregate: the default, the same as f(x)
	Distinct  bool
	Star      bool // f(*): Args is empty
	Args      []Expr
	NoParens  bool         // CURRENT_TIMESTAMP and the like, written without ()
	From      bool         // EXTRACT(unit FROM x): Args are the unit (a ColumnRef) and x
	OrderBy   []*OrderItem // GROUP_CONCAT only
	Separator *Literal     // GROUP_CONCAT only
	Over      *Window      // nil unless a window function
}

// Window is the OVER (PARTITION BY ... ORDER BY ...) of a window
// function. Frames (ROWS/RANGE ...) and named windows are refused.
type Window struct {
	Span
	PartitionBy []Expr
	OrderBy     []*OrderItem
}

// Cast is CAST(x AS type), CONVERT(x, type) or CONVERT(x USING charset).
type Cast struct {
	Span
	X       Expr
	Type    *ConvertType // nil for CONVERT ... USING
	Using   Ident        // the charset of CONVERT ... USING
	Convert bool         // written CONVERT
}

// ConvertType is the type of a Cast: CHAR(10), DECIMAL(10, 2), SIGNED
// INTEGER, DATE, ...
type ConvertType struct {
	Span
	Name    string // upper case, one or two words: "SIGNED INTEGER"
	Length  string // "" when absent
	Scale   string // "" when absent
	Charset string // CHAR(n) CHARACTER SET x / CHAR(n) x; "" when absent
}

// Interval is INTERVAL x unit (unit upper case: DAY, HOUR_MINUTE, ...).
type Interval struct {
	Span
	X    Expr
	Unit string
}

// Exists is EXISTS (subquery).
type Exists struct {
	Span
	Query *Subquery
}

// Subquery is a query in parentheses used as an expression or a table.
type Subquery struct {
	Span
	Query Query
}

// Tuple is a row constructor (a, b, ...), two or more expressions.
type Tuple struct {
	Span
	Exprs []Expr
}

// Default is DEFAULT (in VALUES or SET) or DEFAULT(col).
type Default struct {
	Span
	Column *Ident // nil for plain DEFAULT
}

// ValuesFunc is VALUES(col), in ON DUPLICATE KEY UPDATE.
type ValuesFunc struct {
	Span
	Column *ColumnRef
}

// Star is * or t.* in a select list (and only there).
type Star struct {
	Span
	Table *TableName // nil for a bare *
}

func (*ColumnRef) exprNode()  {}
func (*Literal) exprNode()    {}
func (*Param) exprNode()      {}
func (*Paren) exprNode()      {}
func (*Unary) exprNode()      {}
func (*Binary) exprNode()     {}
func (*Is) exprNode()         {}
func (*In) exprNode()         {}
func (*Between) exprNode()    {}
func (*Like) exprNode()       {}
func (*Collate) exprNode()    {}
func (*Case) exprNode()       {}
func (*Call) exprNode()       {}
func (*Cast) exprNode()       {}
func (*Interval) exprNode()   {}
func (*Exists) exprNode()     {}
func (*Subquery) exprNode()   {}
func (*Tuple) exprNode()      {}
func (*Default) exprNode()    {}
func (*ValuesFunc) exprNode() {}
func (*Star) exprNode()       {}
