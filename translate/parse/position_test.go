package parse

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// allNodeKinds lists every node type, so that the position tests can
// say that they saw each.
var allNodeKinds = []Node{
	&ColumnRef{}, &Literal{}, &Param{}, &Paren{}, &Unary{}, &Binary{}, &Is{}, &In{}, &Between{}, &Like{},
	&Collate{}, &Case{}, &When{}, &Call{}, &Window{}, &Cast{}, &ConvertType{}, &Interval{}, &Exists{},
	&Subquery{}, &Tuple{}, &Default{}, &ValuesFunc{}, &Star{},
	&Select{}, &SelectItem{}, &OrderItem{}, &Limit{}, &SetOp{}, &ParenQuery{}, &With{}, &CTE{},
	&TableRef{}, &DerivedTable{}, &Join{}, &ParenTable{}, &Insert{}, &ValuesRow{}, &ParamRun{},
	&Assignment{}, &Update{}, &Delete{}, &ShowTables{}, &ShowColumns{}, &Describe{}, &Explain{},
}

// firstWord is the keyword each statement and clause node's text starts
// with.
var firstWord = map[string]string{
	"*parse.Select": "SELECT", "*parse.With": "WITH", "*parse.Insert": "INSERT", "*parse.Update": "UPDATE",
	"*parse.Delete": "DELETE", "*parse.ShowTables": "SHOW", "*parse.ShowColumns": "SHOW",
	"*parse.Explain": "EXPLAIN", "*parse.Limit": "LIMIT", "*parse.When": "WHEN", "*parse.Window": "OVER",
	"*parse.Case": "CASE", "*parse.Exists": "EXISTS", "*parse.Interval": "INTERVAL", "*parse.Subquery": "(",
	"*parse.ParenQuery": "(", "*parse.ParenTable": "(", "*parse.Paren": "(", "*parse.Tuple": "(",
	"*parse.ValuesRow": "(", "*parse.ParamRun": "(", "*parse.DerivedTable": "(", "*parse.ValuesFunc": "VALUES",
	"*parse.Default": "DEFAULT", "REPLACE": "REPLACE",
}

// checkSpans checks the spans of every node of a parsed statement: each
// lies within its parent and after its previous sibling; a statement or
// clause starts with its keyword; an expression's text parses, alone, to
// an expression that prints as the node does. It records the node kinds
// seen.
func checkSpans(t *testing.T, p *Parsed, seen map[string]bool) {
	t.Helper()
	sql := p.SQL
	var check func(n Node)
	check = func(n Node) {
		kind := reflect.TypeOf(n).String()
		seen[kind] = true
		if n.Pos() < 0 || n.Pos() > n.End() || n.End() > len(sql) {
			t.Errorf("%q: %s has span [%d, %d)", sql, kind, n.Pos(), n.End())
			return
		}
		text := sql[n.Pos():n.End()]
		if ins, ok := n.(*Insert); ok && ins.Replace {
			kind = "REPLACE"
		}
		if w, ok := firstWord[kind]; ok && !strings.HasPrefix(strings.ToUpper(text), w) {
			t.Errorf("%q: %s at %s starts %q, want %s", sql, kind, p.Position(n.Pos()), text, w)
		}
		if e, ok := n.(Expr); ok {
			switch n.(type) {
			case *Star, *Default:
			default:
				q, err := Parse("SELECT " + text)
				if err != nil {
					t.Errorf("%q: %s text %q does not parse alone: %v", sql, kind, text, err)
				} else if got, want := Format(q.Stmt.(*Select).Items[0].Expr), Format(e); got != want {
					t.Errorf("%q: %s text %q parses as %s, want %s", sql, kind, text, got, want)
				}
			}
		}
		prev := n.Pos()
		for _, c := range Children(n) {
			if c.Pos() < prev || c.End() > n.End() {
				t.Errorf("%q: %s [%d, %d) out of place in %s [%d, %d) (previous sibling ends at %d)",
					sql, reflect.TypeOf(c), c.Pos(), c.End(), kind, n.Pos(), n.End(), prev)
			}
			prev = c.End()
			check(c)
		}
	}
	check(p.Stmt)
}

// TestSpans checks the spans of every node of every statement of the
// corpus that parses, and that every node kind was seen.
func TestSpans(t *testing.T) {
	seen := map[string]bool{}
	n := 0
	for _, sql := range append(repoCorpus(t), genStatements()...) {
		p, err := Parse(sql)
		if err != nil {
			continue
		}
		n++
		checkSpans(t, p, seen)
	}
	for _, k := range allNodeKinds {
		if kind := reflect.TypeOf(k).String(); !seen[kind] {
			t.Errorf("no statement of the corpus has a %s", kind)
		}
	}
	t.Logf("checked the spans of %d statements, %d node kinds", n, len(seen))
}

// TestPositions checks the line and column of chosen nodes in text with
// Japanese names, several lines and CRLF line ends.
func TestPositions(t *testing.T) {
	sql := "SELECT 顧客名,\r\n  `金額` AS 額, COUNT(*)\r\nFROM アプリ.明細 AS m\n" +
		"WHERE $id = ? AND 備考 LIKE '％%'\u3000AND x IN (1, 2)\r\n" +
		"ORDER BY 顧客名 DESC LIMIT 5"
	p, err := Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	find := func(pred func(Node) bool) Node {
		var found Node
		Inspect(p.Stmt, func(n Node) bool {
			if found == nil && n != nil && pred(n) {
				found = n
			}
			return found == nil
		})
		if found == nil {
			t.Fatal("node not found")
		}
		return found
	}
	col := func(name string) func(Node) bool {
		return func(n Node) bool { c, ok := n.(*ColumnRef); return ok && c.Name.Name == name }
	}
	sel := p.Stmt.(*Select)
	cases := []struct {
		what       string
		off        int
		line, col  int
		wantPrefix string
	}{
		{"select", sel.Pos(), 1, 1, "SELECT"},
		{"column 顧客名", find(col("顧客名")).Pos(), 1, 8, "顧客名"},
		{"quoted column", find(col("金額")).Pos(), 2, 3, "`金額`"},
		{"alias", sel.Items[1].Alias.Pos(), 2, 11, "額"},
		{"count(*)", find(func(n Node) bool { _, ok := n.(*Call); return ok }).Pos(), 2, 14, "COUNT"},
		{"table", sel.From[0].Pos(), 3, 6, "アプリ.明細"},
		{"table qualifier", sel.From[0].(*TableRef).Name.Name.Pos(), 3, 10, "明細"},
		{"where and", sel.Where.(*Binary).OpPos, 4, 32, "AND x"},
		{"$id", find(col("$id")).Pos(), 4, 7, "$id"},
		{"param", p.Params[0].Pos(), 4, 13, "?"},
		{"like", find(func(n Node) bool { _, ok := n.(*Like); return ok }).Pos(), 4, 19, "備考"},
		{"like op", find(func(n Node) bool { _, ok := n.(*Like); return ok }).(*Like).OpPos, 4, 22, "LIKE"},
		{"string", find(func(n Node) bool { l, ok := n.(*Literal); return ok && l.Kind == LitString }).Pos(), 4, 27, "'％%'"},
		{"in", find(func(n Node) bool { _, ok := n.(*In); return ok }).Pos(), 4, 36, "x IN"},
		{"literal 2", find(func(n Node) bool { l, ok := n.(*Literal); return ok && l.Value == "2" }).Pos(), 4, 45, "2"},
		{"order item", sel.OrderBy[0].Pos(), 5, 10, "顧客名 DESC"},
		{"limit", sel.Limit.Pos(), 5, 19, "LIMIT 5"},
	}
	for _, c := range cases {
		pos := p.Position(c.off)
		if pos.Line != c.line || pos.Column != c.col || !strings.HasPrefix(sql[c.off:], c.wantPrefix) {
			t.Errorf("%s: at %s, text %q; want line %d, column %d, text %q", c.what, pos, nearRest(sql, c.off), c.line, c.col, c.wantPrefix)
		}
	}
	if got := sel.Items[1].Text; got != "`金額`" {
		t.Errorf("item text %q, want `金額`", got)
	}
	if got := sel.Items[2].Text; got != "COUNT(*)" {
		t.Errorf("item text %q", got)
	}
}

// TestParamRun checks the fast path: the rows of a run are not parsed,
// and their placeholders' ordinals and offsets follow from the run.
func TestParamRun(t *testing.T) {
	var b strings.Builder
	b.WriteString("INSERT INTO t (a, b) VALUES (?, ?)")
	for i := 0; i < 99; i++ {
		fmt.Fprintf(&b, ",\n (?,?)")
	}
	b.WriteString(" ON DUPLICATE KEY UPDATE a = ?")
	sql := b.String()
	p, err := Parse(sql)
	if err != nil {
		t.Fatal(err)
	}
	ins := p.Stmt.(*Insert)
	if len(ins.Rows) != 1 || ins.Run == nil || ins.Run.Rows() != 99 || ins.Run.PerRow != 2 || ins.Run.First != 3 {
		t.Fatalf("rows %d, run %+v", len(ins.Rows), ins.Run)
	}
	if p.NumQ != 201 || p.NumInput() != 201 {
		t.Errorf("NumQ %d, want 201", p.NumQ)
	}
	if last := p.Params[len(p.Params)-1]; last.Ordinal != 201 {
		t.Errorf("the placeholder after the run is ?%d, want ?201", last.Ordinal)
	}
	params := ins.Run.Params(98, nil)
	if len(params) != 2 || params[1].Ordinal != 200 || sql[params[1].Pos()] != '?' {
		t.Fatalf("last row's params %+v", params)
	}
	if pos := p.Position(params[0].Pos()); pos.Line != 100 || pos.Column != 3 {
		t.Errorf("last row's first placeholder at %s, want line 100, column 3", pos)
	}
	// The same statement without the fast path means the same.
	slow, err := parse(sql, false)
	if err != nil {
		t.Fatal(err)
	}
	if Format(slow.Stmt) != Format(p.Stmt) || slow.NumQ != p.NumQ {
		t.Errorf("the run prints\n%s\nthe rows print\n%s", Format(p.Stmt), Format(slow.Stmt))
	}
	if n := len(slow.Stmt.(*Insert).Rows); n != 100 {
		t.Errorf("without the fast path, %d rows", n)
	}
	// A row of literals ends the run; a placeholder mix refuses it.
	p, err = Parse("INSERT INTO t (a) VALUES (?), (?), (1)")
	if err != nil || p.Stmt.(*Insert).Run != nil || len(p.Stmt.(*Insert).Rows) != 3 {
		t.Errorf("a literal row after a run: %v %v", err, p)
	}
}
