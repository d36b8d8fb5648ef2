package translate

import (
	"github.com/kintone-sql/kintone/translate/expr"
	"github.com/kintone-sql/kintone/translate/sqlerr"
	"reflect"
	"testing"
)

func TestLex(t *testing.T) {
	tests := []struct {
		sql    string
		text   string // what the parser sees
		params []expr.ParamRef
	}{
		{"SELECT $id FROM t", "SELECT `$id` FROM t", nil},
		{"SELECT 顧客名, `名前` FROM 顧客.明細", "SELECT `顧客名`, `名前` FROM `顧客`.`明細`", nil},
		{"SELECT a\u3000FROM t", "SELECT a   FROM t", nil},
		{"SELECT '$id 顧客\u3000' FROM t", "SELECT '$id 顧客\u3000' FROM t", nil},
		{`SELECT a FROM t WHERE a LIKE '%\_%' AND b = 'x\\_'`, `SELECT a FROM t WHERE a LIKE '%\\_%' AND b = 'x\\_'`, nil},
		{"SELECT a FROM t WHERE a = ? AND b IN (?, ?) -- ?\nAND c = '?'", "SELECT a FROM t WHERE a = ? AND b IN (?, ?) -- ?\nAND c = '?'",
			[]expr.ParamRef{{Pos: 26, Ordinal: 1}, {Pos: 38, Ordinal: 2}, {Pos: 41, Ordinal: 3}}},
		{"SELECT a FROM t WHERE a = :x AND b = :y_1 /* :z */", "SELECT a FROM t WHERE a = :x AND b = :y_1 /* :z */",
			[]expr.ParamRef{{Pos: 26, Name: "x"}, {Pos: 37, Name: "y_1"}}},
		{"SELECT 1.5e3, .5, 0x1F, 1abc FROM t", "SELECT 1.5e3, .5, 0x1F, 1abc FROM t", nil},
		{"SELECT a::b FROM t", "SELECT a::b FROM t", nil},
	}
	for _, tt := range tests {
		src, err := lex(tt.sql)
		if err != nil {
			t.Errorf("lex(%q): %v", tt.sql, err)
			continue
		}
		if src.text != tt.text {
			t.Errorf("lex(%q).text = %q, want %q", tt.sql, src.text, tt.text)
		}
		if !reflect.DeepEqual(src.params, tt.params) {
			t.Errorf("lex(%q).params = %+v, want %+v", tt.sql, src.params, tt.params)
		}
		// Every offset of the parser's text maps back into the original.
		for off := 0; off <= len(src.text); off++ {
			if o := src.orig(off); o < 0 || o > len(tt.sql) {
				t.Errorf("lex(%q): orig(%d) = %d is outside the statement", tt.sql, off, o)
			}
		}
	}
}

func TestLexTokens(t *testing.T) {
	src, err := lex("SELECT `a``b`, 'it''s', \"q\\\"\" FROM 表 WHERE x <=> 1 AND y != 2")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tok := range src.toks {
		got = append(got, tok.text)
	}
	want := []string{"SELECT", "a`b", ",", "it's", ",", `q"`, "FROM", "表", "WHERE", "x", "<=>", "1", "AND", "y", "!=", "2"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("tokens = %q\nwant %q", got, want)
	}
	// Offsets point into the original text.
	for _, tok := range src.toks {
		if tok.kind == tWord && src.sql[tok.pos:tok.end] != tok.text {
			t.Errorf("token %q at %d..%d reads %q", tok.text, tok.pos, tok.end, src.sql[tok.pos:tok.end])
		}
	}
}

func TestPositionOf(t *testing.T) {
	sql := "SELECT a\nFROM 顧客 WHERE x"
	tests := []struct {
		off       int
		line, col int
	}{
		{0, 1, 1}, {8, 1, 9}, {9, 2, 1}, {14, 2, 6}, {21, 2, 9}, {len(sql), 2, 16}, {-5, 1, 1}, {999, 2, 16},
	}
	for _, tt := range tests {
		p := sqlerr.PositionOf(sql, tt.off)
		if p.Line != tt.line || p.Column != tt.col {
			t.Errorf("positionOf(%d) = %s, want line %d, column %d", tt.off, p, tt.line, tt.col)
		}
	}
}

func TestLikeMatch(t *testing.T) {
	tests := []struct {
		s, p string
		want bool
	}{
		{"apple", "a%", true},
		{"apple", "%le", true},
		{"apple", "_pple", true},
		{"apple", "A%", false},
		{"a_b", `a\_b`, true},
		{"axb", `a\_b`, false},
		{"a%b", `%\%%`, true},
		{"ab", `%\%%`, false},
		{"", "%", true},
		{"", "_", false},
		{"日本語", "日_語", true},
		{"日本語", "__", false},
		{"aaa", "%a%a%a%", true},
		{"aa", "%a%a%a%", false},
		{"mississippi", "%iss%ppi", true},
		{`a\`, `a\`, true},
		{"abc", "a!%", false},
	}
	for _, tt := range tests {
		if got := expr.LikeMatch(tt.s, tt.p, '\\'); got != tt.want {
			t.Errorf("likeMatch(%q, %q) = %v, want %v", tt.s, tt.p, got, tt.want)
		}
	}
	if !expr.LikeMatch("a%", "a!%", '!') || expr.LikeMatch("ab", "a!%", '!') {
		t.Error("ESCAPE '!' is not honoured")
	}
}
