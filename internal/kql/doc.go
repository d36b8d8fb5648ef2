// Package kql is Kintone's record query language: its syntax tree, a
// parser, a printer and the quoting of string values.
//
// Both sides of the project use it. The driver's SQL translator builds a
// *Query and prints it with (*Query).String; every value that reaches query
// text goes through Quote, the one escaping function of the project. The
// emulator parses the queries clients send with Parse and evaluates the
// tree with its own code (kintonetest/internal/search), so that a fault in
// one of them is not mirrored by the other. The package checks syntax only:
// whether a field exists, an operator suits its type, a function's
// arguments are right or limit is at most 500 is for the caller.
//
// # Grammar
//
// Parse accepts QUERY-AND-FIELDS.md A.3:
//
//	query   = [ expr ] [ order ] [ limit ] [ offset ]      clauses in this order, each at most once
//	expr    = term { "or" term }                           or-chains become one *Or
//	term    = factor { "and" factor }                      and-chains become one *And
//	factor  = "(" expr ")" | cond                          parentheses are kept as *Paren
//	cond    = field ( "=" | "!=" | ">" | "<" | ">=" | "<=" ) value
//	        | field [ "not" ] "in" "(" value { "," value } ")"
//	        | field [ "not" ] "like" string
//	        | field "is" [ "not" ] "empty"
//	value   = string | number | func
//	func    = NAME "(" [ arg { "," arg } ] ")"             arg = number | symbol
//	order   = "order" "by" field [ "asc" | "desc" ] { "," field [ "asc" | "desc" ] }
//	limit   = "limit" integer
//	offset  = "offset" integer
//	field   = code | "$id" | "$revision" | code "." ( code | "$id" )
//
// "and" binds tighter than "or" and both associate left, as in SQL and in
// third-party parsers; Kintone does not document this (A.3 [U]), which is
// why the printer never relies on it. There is no unary "not".
//
// Lexical rules, with the choices made where the documentation is silent
// (marked [U] there):
//
//   - White space is ASCII space, TAB, CR, LF and the ideographic space
//     U+3000 (observed); nothing else. Punctuation ( ) , = != < <= > >= needs
//     no space around it; words do ("not in(" is fine, "notin" is a word).
//   - Keywords (and or not in like is empty order by asc desc limit offset)
//     match in any ASCII letter case. They are reserved: a field whose code
//     is a keyword in any case cannot be named (ValidFieldCode).
//   - NAME is one of the documented functions (LOGINUSER,
//     PRIMARY_ORGANIZATION, NOW, TODAY, YESTERDAY, TOMORROW, FROM_TODAY,
//     THIS_/LAST_/NEXT_WEEK, THIS_/LAST_/NEXT_MONTH, THIS_/LAST_/NEXT_YEAR)
//     in any ASCII letter case; Value.Text holds it in upper case. Arguments
//     are unquoted numbers or symbols (DAYS, MONDAY, LAST) kept as written;
//     their number and values are not checked (Kintone answers those with
//     GAIA_IL08, IQ23, IQ25).
//   - A string is double-quoted. Its escapes are \" and \\ (documented), \t
//     and \n (observed) and \r (untested; the only way to write CR). Any
//     other backslash sequence is an error, as is a raw TAB, CR or LF
//     (observed CB_VA01). Every other byte, invalid UTF-8 included, is taken
//     as it is. Single quotes and backquotes are errors.
//   - A number is an optional '-', ASCII digits, and an optional '.' with
//     more digits; it must not run into a word ("10abc", "1e5", "1." are
//     errors). Value.Text keeps it as written.
//   - A field code is 1 to 128 characters of the field code charset of A.2
//     (the set field.ValidFieldCode checks forms with), not starting with a
//     digit, and not a keyword. "$id" and "$revision" are the system
//     identifiers; "ref.code" and "ref.$id" are related-records paths.
//   - limit and offset take an unsigned integer; negative values are errors
//     (observed CB_VA01), values above 500 or 10,000 are not syntax errors
//     (they have their own codes, GAIA_QU01 and QU02).
//   - An empty "in ()" list is an error (untested in Kintone), and "like"
//     takes only a string.
//   - A sort key without a direction sorts descending (reported, A.8): Desc
//     is set and Explicit is not.
//   - Parentheses nest at most 1000 deep, to bound the recursion.
//
// A query that breaks these rules fails with a *SyntaxError, which carries
// the byte offset of the offending token and a message naming what was
// expected there. Kintone answers all of them with CB_VA01.
//
// # Printing
//
// (*Query).String prints the canonical form the documentation advises
// (A.2, "Driver advice"): lower-case keywords, upper-case function names,
// strings through Quote, single spaces, ", " between list items and sort
// keys, an explicit asc or desc on every sort key, and parentheses around
// every and/or group that is a term of another one. Unsigned numbers are
// printed bare; any other Number text, a negative number included, is
// printed quoted, which Kintone accepts for numbers. The official clients
// write the same form: their queries print back byte for byte.
//
// The printer's guarantees:
//
//   - For a well-formed tree (see (*Query).String), Parse(q.String())
//     returns q again up to positions, Explicit, quoted Number values, added
//     parentheses, upper-cased function names and one-term groups, and
//     printing that tree gives the same text. Every parsed tree is well
//     formed.
//   - Any other tree prints to text that Parse, and Kintone, reject as a
//     whole: a field code, operator, value or argument can never splice
//     query text into the output, and a bad tree never becomes a different
//     query.
//   - Quote(s) is read back by Parse as exactly s, for every string s, and
//     holds no raw TAB, CR or LF.
//
// The tests hold the examples of QUERY-AND-FIELDS.md part A, the queries of
// the official clients (testdata/client-queries.txt), and fuzz tests of
// both directions (FuzzParse, FuzzPrint, FuzzQuote).
package kql
