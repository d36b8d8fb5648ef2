package parse

// This file declares the statements, the table expressions and the
// clauses.

// Stmt is a statement.
type Stmt interface {
	Node
	stmtNode()
}

// Query is a statement that returns rows and may stand in a subquery:
// *Select, *SetOp, *ParenQuery or *With.
type Query interface {
	Stmt
	queryNode()
}

// TableExpr is an item of FROM: *TableRef, *DerivedTable, *Join or
// *ParenTable.
type TableExpr interface {
	Node
	tableNode()
}

// Select is SELECT ... [FROM ...] [WHERE ...] [GROUP BY ...] [HAVING
// ...] [ORDER BY ...] [LIMIT ...].
type Select struct {
	Span
	Cache        string // "SQL_CACHE", "SQL_NO_CACHE" or ""
	All          bool   // SELECT ALL written: the default, the same as without it
	Distinct     bool
	StraightJoin bool // the STRAIGHT_JOIN hint
	Items        []*SelectItem
	From         []TableExpr // nil without FROM; several for a comma join
	Where        Expr
	GroupBy      []Expr
	Having       Expr
	OrderBy      []*OrderItem
	Limit        *Limit
}

// SelectItem is one item of a select list: an expression (or *Star)
// with an optional alias.
type SelectItem struct {
	Span
	Expr  Expr
	Alias *Ident // nil when absent
	// Text is the expression as the statement wrote it (the alias left
	// out): MySQL names an unaliased result column by it.
	Text string
}

// OrderItem is one key of ORDER BY.
type OrderItem struct {
	Span
	Expr Expr
	Dir  string // "ASC", "DESC", or "" when not written
	// Nulls is "FIRST" or "LAST" for NULLS FIRST or NULLS LAST (not
	// MySQL's: PostgreSQL's and SQLite's), "" when not written.
	Nulls string
}

// Limit is LIMIT count [OFFSET offset], or LIMIT offset, count (Comma).
type Limit struct {
	Span
	Count  Expr
	Offset Expr // nil when absent
	Comma  bool // written LIMIT offset, count
}

// SetOp is left UNION [ALL | DISTINCT] right, INTERSECT or EXCEPT, with
// the ORDER BY and LIMIT that follow the last operand.
type SetOp struct {
	Span
	Op      string // "UNION", "INTERSECT" or "EXCEPT"
	All     bool
	Dist    bool // DISTINCT written
	OpPos   int  // offset of the operator
	L, R    Query
	OrderBy []*OrderItem
	Limit   *Limit
}

// ParenQuery is a query in parentheses where a query stands: an operand
// of a set operation, or a whole statement, with the ORDER BY and LIMIT
// that may follow it.
type ParenQuery struct {
	Span
	Query   Query
	OrderBy []*OrderItem
	Limit   *Limit
}

// With is WITH [RECURSIVE] name [(cols)] AS (query), ... query.
type With struct {
	Span
	Recursive bool
	CTEs      []*CTE
	Body      Query
}

// CTE is one common table expression of a With.
type CTE struct {
	Span
	Name    Ident
	Columns []Ident
	Query   *Subquery
}

// TableRef is a named table with an optional alias.
type TableRef struct {
	Span
	Name  TableName
	Alias *Ident // nil when absent
}

// DerivedTable is (query) [AS] alias in FROM.
type DerivedTable struct {
	Span
	Query *Subquery
	Alias Ident
}

// Join is left JOIN right [ON cond | USING (cols)]. Kind is "JOIN" (also
// INNER JOIN), "CROSS JOIN", "STRAIGHT_JOIN", "LEFT JOIN", "RIGHT JOIN",
// "FULL JOIN" (not MySQL's: PostgreSQL's and SQLite's), "NATURAL JOIN", "NATURAL LEFT JOIN" or "NATURAL RIGHT JOIN" (OUTER is
// dropped).
type Join struct {
	Span
	Kind  string
	OpPos int // offset of the first word of the join operator
	L, R  TableExpr
	On    Expr
	Using []Ident
}

// ParenTable is (table, ...) in FROM.
type ParenTable struct {
	Span
	Tables []TableExpr
}

// Insert is INSERT INTO table [(cols)] VALUES rows | query [ON DUPLICATE
// KEY UPDATE assignments], or REPLACE INTO table [(cols)] VALUES rows |
// query (Replace set, OnDup nil).
type Insert struct {
	Span
	Replace bool
	Table   TableName
	Columns []*ColumnRef // nil when not written, empty for (); t.col is allowed, as in sqlparser
	Rows    []*ValuesRow
	// Run is the rows after the first when they are all placeholders
	// (see ParamRun); nil otherwise. Its rows follow Rows.
	Run   *ParamRun
	Query Query // INSERT ... SELECT; Rows is nil then
	OnDup []*Assignment
}

// ValuesRow is one row of VALUES.
type ValuesRow struct {
	Span
	Values []Expr
}

// Assignment is col = value in UPDATE's SET and ON DUPLICATE KEY UPDATE.
type Assignment struct {
	Span
	Column *ColumnRef
	Value  Expr
}

// Update is UPDATE table SET ... [WHERE ...] [ORDER BY ...] [LIMIT n].
type Update struct {
	Span
	Tables  []TableExpr
	Set     []*Assignment
	Where   Expr
	OrderBy []*OrderItem
	Limit   *Limit
}

// Delete is DELETE FROM table [WHERE ...] [ORDER BY ...] [LIMIT n].
type Delete struct {
	Span
	Table   TableName
	Where   Expr
	OrderBy []*OrderItem
	Limit   *Limit
}

// ShowTables is SHOW [FULL] TABLES [FROM db] [LIKE 'p' | WHERE cond].
type ShowTables struct {
	Span
	Full  bool
	DB    *Ident   // nil when absent
	Like  *Literal // nil when absent
	Where Expr     // nil when absent
}

// ShowColumns is SHOW [FULL] {COLUMNS | FIELDS} {FROM | IN} table [{FROM
// | IN} db] [LIKE 'p' | WHERE cond].
type ShowColumns struct {
	Span
	Full  bool
	Table TableName
	DB    *Ident
	Like  *Literal
	Where Expr
}

// Describe is {DESCRIBE | DESC | EXPLAIN} table [column | 'pattern'].
type Describe struct {
	Span
	Verb    string // "DESCRIBE", "DESC" or "EXPLAIN"
	Table   TableName
	Column  *Ident   // a column name (bare or backquoted); nil when absent
	Pattern *Literal // a string pattern; nil when absent
}

// Explain is EXPLAIN statement (SELECT, a set operation, WITH, INSERT,
// UPDATE or DELETE).
type Explain struct {
	Span
	Stmt Stmt
}

func (*Select) stmtNode()      {}
func (*SetOp) stmtNode()       {}
func (*ParenQuery) stmtNode()  {}
func (*With) stmtNode()        {}
func (*Insert) stmtNode()      {}
func (*Update) stmtNode()      {}
func (*Delete) stmtNode()      {}
func (*ShowTables) stmtNode()  {}
func (*ShowColumns) stmtNode() {}
func (*Describe) stmtNode()    {}
func (*Explain) stmtNode()     {}

func (*Select) queryNode()     {}
func (*SetOp) queryNode()      {}
func (*ParenQuery) queryNode() {}
func (*With) queryNode()       {}

func (*TableRef) tableNode()     {}
func (*DerivedTable) tableNode() {}
func (*Join) tableNode()         {}
func (*ParenTable) tableNode()   {}
