package parse

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/kintone-sql/kintone/translate/sqlerr"
	"github.com/xwb1989/sqlparser"
)

// This file is the differential test against github.com/xwb1989/sqlparser,
// the parser translate uses today. Each statement is given to both (to
// sqlparser after translate's pre-pass, which backquotes $ and non-ASCII
// words and keeps MySQL's \% and \_):
//
//   - when both accept, this parser's tree is printed (Format), the print
//     is given to sqlparser, and the two sqlparser trees must print the
//     same (sqlparser.String, after a normalisation of comments and of
//     the case of function names, types and interval units): so the
//     trees mean the same, precedence and all;
//   - when sqlparser accepts and this parser refuses, the refusal must be
//     an *UnsupportedError (a construct refused on purpose, with its
//     position) or one of knownRefusals;
//   - when this parser accepts and sqlparser refuses, the tree must hold
//     one of the extensions extensionsOf finds;
//   - when both refuse, nothing more is checked.

// sprintf is fmt.Sprintf, named so that the corpus file needs no import.
var sprintf = fmt.Sprintf

// prepass is translate's former lexer pre-pass (lex.go) rebuilt on this
// package's lexer: the text sqlparser is given.
func prepass(sql string) (string, error) {
	l, err := lex(sql, false)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	last := 0
	for _, t := range l.toks[:len(l.toks)-1] {
		b.WriteString(strings.ReplaceAll(sql[last:t.pos], "\u3000", "   "))
		text := sql[t.pos:t.end]
		switch {
		case t.kind == tWord && strings.ContainsFunc(text, func(r rune) bool { return r == '$' || r >= 0x80 }):
			b.WriteString("`" + text + "`")
		case t.kind == tString:
			for i := 0; i < len(text); i++ {
				if text[i] == '\\' && i+1 < len(text) {
					if text[i+1] == '%' || text[i+1] == '_' {
						b.WriteByte('\\')
					}
					b.WriteString(text[i : i+2])
					i++
					continue
				}
				b.WriteByte(text[i])
			}
		default:
			b.WriteString(text)
		}
		last = t.end
	}
	b.WriteString(sql[last:])
	return b.String(), nil
}

// spParse parses with sqlparser, recovering its panics.
func spParse(text string) (st sqlparser.Statement, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("sqlparser panicked: %v", r)
		}
	}()
	return sqlparser.ParseStrictDDL(text)
}

// spNormal prints a sqlparser tree after dropping comments and lowering
// the case of the names this package upper-cases when it prints.
func spNormal(st sqlparser.Statement) string {
	_ = sqlparser.Walk(func(n sqlparser.SQLNode) (bool, error) {
		switch n := n.(type) {
		case *sqlparser.Select:
			n.Comments = nil
		case *sqlparser.Insert:
			n.Comments = nil
		case *sqlparser.Update:
			n.Comments = nil
		case *sqlparser.Delete:
			n.Comments = nil
		case *sqlparser.FuncExpr:
			n.Name = sqlparser.NewColIdent(strings.ToLower(n.Name.String()))
		case *sqlparser.IntervalExpr:
			n.Unit = strings.ToLower(n.Unit)
		case *sqlparser.ConvertType:
			n.Type = strings.ToLower(n.Type)
		}
		return true, nil
	}, st)
	return sqlparser.String(st)
}

// explainable reports whether a statement is EXPLAIN of a statement,
// which translate gives sqlparser without the EXPLAIN.
func stripExplain(sql string, st Stmt) (string, Stmt) {
	if e, ok := st.(*Explain); ok {
		return sql[e.Stmt.Pos():], e.Stmt
	}
	return sql, st
}

// selfParsed reports whether translate reads the statement itself rather
// than through sqlparser: SHOW COLUMNS and DESCRIBE.
func selfParsed(st Stmt) bool {
	switch st.(type) {
	case *ShowColumns, *Describe:
		return true
	}
	return false
}

// knownRefusal returns why this parser refuses, on purpose and with a
// *sqlerr.SyntaxError, a statement sqlparser accepts; "" when it should not.
func knownRefusal(err error) string {
	var se *sqlerr.SyntaxError
	if errors.As(err, &se) && strings.HasPrefix(strings.ToUpper(se.Near), "DEFAULT") {
		// sqlparser takes DEFAULT wherever a condition may stand
		// (WHERE DEFAULT, DEFAULT AND a); MySQL only as a value of
		// VALUES or SET.
		return "DEFAULT outside VALUES and SET"
	}
	return ""
}

// spSelfParsed reports whether sqlparser read only the first words of a
// statement: DESCRIBE, EXPLAIN and SHOW other than SHOW TABLES, which
// translate reads itself (sqlparser accepts anything after them).
func spSelfParsed(st sqlparser.Statement) bool {
	switch n := st.(type) {
	case *sqlparser.OtherRead:
		return true
	case *sqlparser.Show:
		return n.Type != "tables"
	}
	return false
}

// extensionsOf names the constructs of a tree that sqlparser does not
// read: what this parser accepts beyond it.
func extensionsOf(root Stmt, top bool) []string {
	var ext []string
	add := func(s string) { ext = append(ext, s) }
	if pq, ok := root.(*ParenQuery); ok && top {
		_ = pq
		add("parenthesized query as a statement")
	}
	isPred := func(e Expr) bool {
		switch n := e.(type) {
		case *Is, *In, *Between, *Like:
			return true
		case *Binary:
			return binaryPrec[n.Op] == precCompare
		}
		return false
	}
	// condition reports whether e is a condition, which sqlparser takes
	// only where a whole expression stands, never as an operand.
	condition := func(e Expr) bool {
		switch n := e.(type) {
		case *Is, *In, *Between, *Like, *Exists, *Default:
			return true
		case *Unary:
			return n.Op == "NOT"
		case *Binary:
			return binaryPrec[n.Op] <= precCompare
		}
		return false
	}
	operands := func(n Node) []Expr {
		switch n := n.(type) {
		case *Binary:
			if binaryPrec[n.Op] >= precCompare {
				return []Expr{n.L, n.R}
			}
		case *In:
			return []Expr{n.X}
		case *Between:
			return []Expr{n.X, n.Lo, n.Hi}
		case *Like:
			return []Expr{n.X, n.Pattern}
		case *Unary:
			if n.Op != "NOT" {
				return []Expr{n.X}
			}
		case *Collate:
			return []Expr{n.X}
		case *Interval:
			return []Expr{n.X}
		}
		return nil
	}
	Inspect(root, func(n Node) bool {
		for _, x := range operands(n) {
			if condition(x) {
				add("condition as an operand")
			}
		}
		switch n := n.(type) {
		case *Select:
			if n.All {
				add("SELECT ALL")
			}
		case *Insert:
			if n.Columns != nil && len(n.Columns) == 0 {
				add("empty column list ()")
			}
		case *Default:
			if n.Column != nil {
				add("DEFAULT(col) as an operand")
			}
		case *Join:
			if n.Kind == "FULL JOIN" {
				add("FULL JOIN")
			}
		case *With:
			add("WITH")
		case *SetOp:
			if n.Op != "UNION" {
				add(n.Op)
			}
		case *Window:
			add("window function")
		case *Binary:
			if n.Op == "XOR" {
				add("XOR")
			}
			if _, col := n.L.(*ColumnRef); (n.Op == "->" || n.Op == "->>") && !col {
				add("JSON operator on an expression")
			}
			if binaryPrec[n.Op] == precCompare && (isPred(n.L) || isPred(n.R)) {
				add("chained comparison")
			}
		case *In, *Between, *Like:
			// sqlparser's operands of these are value expressions.
		case *Is:
			if n.What == "UNKNOWN" {
				add("IS UNKNOWN")
			}
			if _, ok := n.X.(*Is); ok {
				add("chained IS")
			}
			if b, ok := n.X.(*Binary); ok && binaryPrec[b.Op] == precCompare {
				if isPred(b.L) || isPred(b.R) {
					add("chained comparison")
				}
			}
		case *Literal:
			if n.Kind == LitDate || n.Kind == LitTime || n.Kind == LitTimestamp {
				add("typed literal")
			}
		case *Call:
			name := upper(n.Name.Name)
			if n.All {
				add("aggregate of ALL")
			}
			if niladic[name] && len(n.Args) > 0 {
				add("datetime precision")
			}
			if name == "SUBSTRING" || name == "SUBSTR" {
				if _, ok := n.Args[0].(*ColumnRef); !ok {
					add("SUBSTRING of an expression")
				}
			}
			if name == "INSERT" {
				add("INSERT()")
			}
			if n.From {
				add("EXTRACT(unit FROM x)")
			}
		case *Interval:
			if isReserved(keywordOf(n.Unit)) {
				add("reserved interval unit")
			}
		case *ConvertType:
			switch n.Name {
			case "DOUBLE", "FLOAT", "REAL", "YEAR":
				add("CAST type " + n.Name)
			}
		case *OrderItem:
			if n.Nulls != "" {
				add("NULLS FIRST or LAST")
			}
		case *DerivedTable:
			if n.Alias.Quoted {
				add("derived table alias as a string")
			}
		}
		return true
	})
	return ext
}

func TestDifferential(t *testing.T) {
	stmts := append(repoCorpus(t), genStatements()...)
	var bothOK, bothRefuse, unsupported, extended, self int
	exts := map[string]int{}
	refusals := map[string]int{}
	for _, sql := range stmts {
		mine, myErr := Parse(sql)
		pre, lexErr := prepass(sql)
		if lexErr != nil {
			if myErr == nil {
				t.Errorf("%q: the lexer fails (%v) but Parse accepts", sql, lexErr)
			}
			bothRefuse++
			continue
		}
		spText := pre
		var myStmt Stmt
		if mine != nil {
			if selfParsed(mine.Stmt) {
				self++
				continue
			}
			var inner string
			inner, myStmt = stripExplain(sql, mine.Stmt)
			if inner != sql {
				spText, _ = prepass(inner)
			}
		}
		sp, spErr := spParse(spText)
		switch {
		case myErr == nil && spErr == nil:
			bothOK++
			printed := Format(myStmt)
			again, err := prepass(printed)
			if err != nil {
				t.Errorf("%q: printed as %q, which does not lex: %v", sql, printed, err)
				continue
			}
			sp2, err := spParse(again)
			if err != nil {
				t.Errorf("%q: printed as %q, which sqlparser refuses: %v", sql, printed, err)
				continue
			}
			if a, b := spNormal(sp), spNormal(sp2); a != b {
				t.Errorf("%q: meaning differs\n  sqlparser:        %s\n  ours, reprinted:  %s\n  (our print: %s)", sql, a, b, printed)
			}
		case myErr != nil && spErr != nil:
			bothRefuse++
		case myErr != nil:
			var ue *sqlerr.UnsupportedError
			if errors.As(myErr, &ue) {
				unsupported++
				refusals[ue.Construct]++
				continue
			}
			if spSelfParsed(sp) {
				self++
				continue
			}
			if reason := knownRefusal(myErr); reason != "" {
				refusals[reason]++
				continue
			}
			t.Errorf("%q: sqlparser accepts (%s), Parse refuses: %v", sql, sqlparser.String(sp), myErr)
		default:
			e := extensionsOf(myStmt, true)
			if l, _ := lex(sql, false); l != nil {
				for _, tk := range l.toks {
					if tk.kind == tWord && isDigit(tk.text[0]) {
						e = append(e, "name starting with digits (1abc)")
					}
				}
			}
			if len(e) == 0 {
				t.Errorf("%q: Parse accepts (%s), sqlparser refuses: %v", sql, Format(myStmt), spErr)
				continue
			}
			extended++
			for _, x := range e {
				exts[x]++
			}
		}
	}
	t.Logf("%d statements: %d accepted by both with the same meaning, %d refused by both, %d refused here as unsupported, %d accepted here only, %d read by translate itself (SHOW COLUMNS, DESCRIBE)",
		len(stmts), bothOK, bothRefuse, unsupported, extended, self)
	t.Logf("refused here on purpose: %v", sortedCounts(refusals))
	t.Logf("extensions: %v", sortedCounts(exts))
}

// sortedCounts prints a count map in key order.
func sortedCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "\n  %s: %d", k, m[k])
	}
	return b.String()
}
