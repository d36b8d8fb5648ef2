// Package parse is the first stage of the query engine (issue 13): it
// reads one SQL statement of the driver's MySQL dialect into a tree of
// its own, in which every node records where it stands in the text.
//
// Parse takes the statement text and gives a *Parsed: the tree (Stmt),
// the placeholders in order (Params), their count (NumQ for ?, Names for
// :name; NumInput is what database/sql asks for), and the text, so that
// any node's Pos() (the byte offset of its first token) and End() (just
// past its last) become a line and a 1-based column counted in
// characters with Parsed.Position. The binder names result columns by
// SelectItem.Text, the item as written.
//
// # Grammar
//
//	SELECT [SQL_CACHE | SQL_NO_CACHE] [ALL | DISTINCT] [STRAIGHT_JOIN] item, ...
//	       [FROM table_refs] [WHERE e] [GROUP BY e, ...] [HAVING e]
//	       [ORDER BY e [ASC | DESC] [NULLS FIRST | NULLS LAST], ...]
//	       [LIMIT n [OFFSET m] | LIMIT m, n]
//	query {UNION [ALL | DISTINCT] | INTERSECT | EXCEPT} query ... [ORDER BY ...] [LIMIT ...]
//	(query) [ORDER BY ...] [LIMIT ...]
//	WITH [RECURSIVE] name [(col, ...)] AS (query), ... query
//	SHOW [FULL] TABLES [{FROM | IN} db] [LIKE 'p' | WHERE e]
//	SHOW [FULL] {COLUMNS | FIELDS} {FROM | IN} table [{FROM | IN} db] [LIKE 'p' | WHERE e]
//	{DESCRIBE | DESC | EXPLAIN} table [column | 'pattern']
//	EXPLAIN {query | INSERT | REPLACE | UPDATE | DELETE}
//	INSERT [INTO] table [(col, ...)] {VALUES (e | DEFAULT, ...), ... | query}
//	       [ON DUPLICATE KEY UPDATE col = e, ...]
//	REPLACE [INTO] table [(col, ...)] {VALUES (e | DEFAULT, ...), ... | query}
//	UPDATE table_refs SET col = {e | DEFAULT}, ... [WHERE e] [ORDER BY ...] [LIMIT n]
//	DELETE FROM table [WHERE e] [ORDER BY ...] [LIMIT n]
//
// A table is name, db.name or app.subtable (which the parser cannot tell
// apart: TableName.Qualifier), with an optional [AS] alias; table_refs
// are tables, derived tables (query) [AS] alias, and joins: [INNER |
// CROSS] JOIN, STRAIGHT_JOIN, LEFT | RIGHT [OUTER] JOIN with ON or USING,
// NATURAL [LEFT | RIGHT] JOIN, comma joins and parenthesised tables.
// SHOW COLUMNS and DESCRIBE also take an app ID unquoted (DESCRIBE 42).
//
// Expressions follow MySQL's precedence, lowest first: OR (||), XOR, AND
// (&&), NOT, comparisons (= <=> <> != < <= > >= and IS [NOT] NULL | TRUE
// | FALSE | UNKNOWN, left to right), [NOT] IN (list | subquery), [NOT]
// BETWEEN, [NOT] LIKE [ESCAPE], [NOT] REGEXP | RLIKE, then | & << >> + -
// * / DIV % MOD ^, unary - + ~ ! BINARY, COLLATE, the JSON operators ->
// and ->>. Primaries are literals (numbers, 0x1F, X'1F', B'01', strings,
// TRUE, FALSE, NULL, DATE | TIME | TIMESTAMP 'x'), placeholders, columns
// (name, t.name, db.t.name), function calls (COUNT(*), f(DISTINCT x),
// MySQL's aggregates with ALL: SUM(ALL x), COUNT(ALL *),
// GROUP_CONCAT(... ORDER BY ... SEPARATOR 's'), SUBSTRING(x FROM a FOR
// b), EXTRACT(unit FROM x), CURRENT_DATE and its kin without parentheses, keyword-named
// functions such as LEFT, IF, MOD, REPLACE), window functions f(...)
// OVER (PARTITION BY ... ORDER BY ...), CASE (simple and searched),
// CAST(x AS type), CONVERT(x, type), CONVERT(x USING cs), INTERVAL x
// unit, EXISTS (query), scalar subqueries, row constructors (a, b),
// VALUES(col) and DEFAULT(col). DEFAULT alone is a value of VALUES and
// SET only, as in MySQL.
//
// Names are bare words or `backquoted` (a doubled backquote stands for
// one). A bare word may
// hold '$' and non-ASCII letters ($id, 顧客名); the ideographic space
// U+3000 is a blank. Strings are '...' or "..." with MySQL's escapes
// (\n, \t, \0, \Z, doubled quotes; \% and \_ keep their backslash, for
// LIKE). Comments are -- and # to the end of the line, and /* ... */.
// Placeholders are ? or :name, not both in one statement.
//
// # What is refused
//
// Errors are translate/sqlerr's, so that the stages after this one pass
// them on as they are. They carry the byte offset, line and column of the
// token at fault (a SyntaxError's Near is that token's text):
//
//   - *sqlerr.SyntaxError: text that is not SQL of this grammar, saying what was
//     expected and what was found ("expected FROM, found 'WHERE'"), and
//     unterminated strings, quoted names and comments.
//   - *sqlerr.UnsupportedError: MySQL that this package does not read, named as
//     written: INSERT IGNORE, INSERT ... SET, REPLACE ... SET, multiple-table
//     DELETE, variables (@x, @@sql_mode), list placeholders (::x), DDL and
//     the other statements (CREATE, SET, USE, BEGIN, ...), SHOW other than
//     TABLES and COLUMNS, locking reads (FOR UPDATE, LOCK IN SHARE MODE),
//     SELECT ... INTO, index hints, PARTITION, MATCH ... AGAINST, quantified
//     comparisons (= ANY (query)), WITH ROLLUP, and, of window functions,
//     frames (ROWS | RANGE ...), named windows and the WINDOW clause. Window
//     functions themselves are parsed; the binder refuses them, as it
//     refuses joins, derived tables, set operations and WITH, with their
//     positions, until the engine runs them.
//   - *sqlerr.Error: a statement past MaxStatementBytes, MaxStatementTokens or
//     MaxNesting (the bounds of translate, checked as the lexer goes), or
//     one that mixes ? and :name.
//
// # Differences from sqlparser
//
// translate parsed with github.com/xwb1989/sqlparser before this package
// (which only the tests still import); the
// differential test runs both over every statement of the repository's
// tests and README and over generated ones, and demands the same tree
// when both accept. This parser also reads what MySQL reads and
// sqlparser does not: WITH, INTERSECT, EXCEPT, window functions, XOR, IS
// UNKNOWN, DATE/TIME/TIMESTAMP literals, conditions as operands (a = b =
// c, (x IN (1)) = 1 written without the parentheses, EXISTS (...) + 1),
// a parenthesised query as a statement, CURRENT_TIMESTAMP(3), SUBSTRING
// of any expression, EXTRACT, NULLS FIRST and NULLS LAST (PostgreSQL's,
// not MySQL's), -> and ->> after any expression, the types DOUBLE, FLOAT, REAL and YEAR in CAST, and
// INSERT INTO t () VALUES (), SELECT ALL and an aggregate's ALL
// (COUNT(ALL x)). It refuses what sqlparser reads but MySQL
// does not mean, or the driver cannot run, as listed above, and DEFAULT
// outside VALUES and SET (sqlparser takes WHERE DEFAULT). Positions are
// its own: sqlparser has none. As in translate's former lexer, "--" starts a
// comment without a following blank, and a word that starts with digits
// (1abc) is a name.
//
// # Bulk INSERT
//
// An INSERT whose VALUES rows after the first are all ? placeholders, as
// many as the first row's, is not tokenized row by row: the lexer checks
// the rows' shape byte by byte and hands the parser one token for them
// all, which becomes Insert.Run (a *ParamRun): the count of rows and
// where each starts, from which ParamRun.Params computes the ordinals and
// offsets of a row's placeholders. This is translate's fast path kept,
// because the plain parser is not fast enough for the harness's 10,000
// rows of 20 columns: that statement has 420,000 tokens, past
// MaxStatementTokens, and the plain parser takes 12-18 µs a row of 20
// placeholders (31-45 ms for 2,500 rows; 1.1-1.8 µs a row of 2, against
// the 0.8 µs a row BenchmarkTranslateInsert2000 shows for all of
// translate), while the run takes 0.09-0.12 µs a row of 20 (0.9-1.2 ms
// for the 10,000) and 0.02 µs a row of 2, on a shared 2-core machine
// (BenchmarkInsert10000x20Run,
// BenchmarkInsert2000Run, BenchmarkInsert2500x20Plain).
//
// # The tree
//
// Expressions implement Expr, statements Stmt (queries also Query), FROM
// items TableExpr; clauses (SelectItem, OrderItem, Limit, When, Window,
// Assignment, ValuesRow, CTE, ConvertType, ParamRun) are Nodes. Names
// (Ident, TableName) are values inside their nodes, with their own spans.
// Inspect and Children visit every node in source order; Format
// prints any node back as SQL (keywords upper case, canonical spacing,
// names backquoted only when needed), and the print of a parsed statement
// parses back to the same tree.
package parse
